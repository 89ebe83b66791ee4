// Live capture from this machine's kernel (eBPF): `scry -w FILE` records,
// `scry` alone prints events as they happen.

import * as path from 'path';
import { CliOptions } from './args';
import { Output } from './output';

export async function liveCommand(opts: CliOptions, out: Output, err: (s: string) => void): Promise<number> {
  let live: { liveMain?: (o: CliOptions, out: Output, err: (s: string) => void) => Promise<number> } = {};
  try {
    live = require(path.join(__dirname, '..', 'live', 'cli'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
  }
  if (!live.liveMain) {
    err('scry: live capture is not available in this build; use -r FILE to read a capture\n');
    return 1;
  }
  return live.liveMain(opts, out, err);
}
