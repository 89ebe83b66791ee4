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

/** Descriptors pwrite() refused (pipes, sockets, terminals): written in turn. */
const unseekable = new Set<number>();

/**
 * Opens a capture file to write (created or truncated). `-` is standard
 * output, as libscap takes it.
 */
export function openOutputFile(path: string): number {
  if (path === '-') return 1;
  try {
    return fs.openSync(path, 'w');
  } catch (e) {
    // /dev/stdout over a socket (a parent's socketpair) cannot be opened: write to the descriptor itself
    const m = /^\/dev\/(?:(stdout)|(stderr)|fd\/(\d+))$/.exec(path);
    if ((e as NodeJS.ErrnoException).code === 'ENXIO' && m) return m[1] ? 1 : m[2] ? 2 : Number(m[3]);
    throw e;
  }
}

/** Closes what openOutputFile opened (standard output stays open for the rest of the run). */
export function closeOutputFile(fd: number): void {
  unseekable.delete(fd);
  if (fd > 2) fs.closeSync(fd);
}

/**
 * Writes all of data to the file `path` open as fd, at byte offset pos
 * (writers keep their own offset). A pipe cannot seek: there the bytes are
 * written in turn, which is the same since writers write in order. A
 * failure (disk full, a pipe's reader gone: EPIPE) is thrown with the
 * file's path, for the error line.
 */
export function writeAllAt(fd: number, path: string, data: Uint8Array, pos: number): void {
  let done = 0;
  try {
    if (!unseekable.has(fd)) {
      try {
        while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, pos + done);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ESPIPE') throw e;
        unseekable.add(fd);
      }
    }
    if (!writeAllSync(fd, done ? data.subarray(done) : data)) {
      throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE', syscall: 'write', errno: -32 });
    }
  } catch (e) {
    (e as NodeJS.ErrnoException).path ??= path;
    throw e;
  }
}
