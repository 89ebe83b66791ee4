// Parts of scry a build may lack (the live-capture addon, the chisel host)
// are loaded by path, so the rest of the CLI works without them.

import * as path from 'path';

/** The module at `rel` (relative to lib/cli), or an empty object when it is not there. */
export function optionalModule<T extends object>(rel: string): Partial<T> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(path.join(__dirname, rel)) as Partial<T>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return {};
    throw e;
  }
}
