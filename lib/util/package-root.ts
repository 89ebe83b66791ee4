// The root of the scry package: the directory holding package.json, chisels/
// and native/, found upwards from this module (lib/util when running the
// TypeScript sources, dist/lib/util when compiled).

import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let d = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'native')) && fs.existsSync(path.join(d, 'chisels'))) {
      root = d;
      return d;
    }
    d = path.dirname(d);
  }
  throw new Error('cannot find the scry package root from ' + __dirname);
}
