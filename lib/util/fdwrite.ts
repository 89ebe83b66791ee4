// Writing whole buffers to a file descriptor synchronously.

import * as fs from 'fs';
import { optionalNative } from '../native/addon';

let sleeper: Int32Array | undefined;

/**
 * Blocks until fd can take more bytes. Output is written synchronously, but
 * the descriptor may be non-blocking (a pipe whose other users set
 * O_NONBLOCK): retrying at once would spin a core while a slow reader (a
 * pager, a terminal, a busy consumer) catches up. poll() from the addon when
 * it is built; otherwise short sleeps.
 */
function waitWritable(fd: number): void {
  const native = optionalNative();
  if (native && native.waitWritable(fd, 1000) >= 0) return;
  sleeper ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(sleeper, 0, 0, 2);
}

/**
 * Writes all of data to fd. Returns false when the reader went away (EPIPE:
 * `scry ... | head`), which callers treat as the end of output, not an error.
 */
export function writeAllSync(fd: number, data: Uint8Array): boolean {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EAGAIN') { waitWritable(fd); continue; }
      if (err.code === 'EPIPE') return false;
      throw e;
    }
  }
  return true;
}

/**
 * Writes all of data to the file `path` open as fd, at byte offset pos. A
 * failure (disk full) is thrown with the file's path, for the error line.
 */
export function writeAllAt(fd: number, path: string, data: Uint8Array, pos: number): void {
  let done = 0;
  try {
    while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, pos + done);
  } catch (e) {
    (e as NodeJS.ErrnoException).path ??= path;
    throw e;
  }
}
