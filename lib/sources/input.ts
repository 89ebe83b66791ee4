// Byte input for capture readers: a file, plain or gzip-compressed (detected
// by content), delivered in large chunks so memory stays flat.

import * as fs from 'fs';
import * as zlib from 'zlib';

const CHUNK = 1 << 20;

export class InputError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

export interface InputInfo { compressed: boolean }

/** Size of a file in bytes (0 if it cannot be read). */
export function fileSize(path: string): number {
  try { return fs.statSync(path).size; } catch { return 0; }
}

/** Whether the file open as fd starts with the gzip magic (read errors propagate). */
function hasGzipMagic(fd: number): boolean {
  const head = Buffer.alloc(2);
  return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Runs fn on the file opened for reading, closing it after; `fallback` if it cannot be read. */
function withFile<T>(path: string, fallback: T, fn: (fd: number) => T): T {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    return fn(fd);
  } catch {
    return fallback;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Whether a file starts with the gzip magic (false if it cannot be read). */
export function isGzipFile(path: string): boolean {
  return withFile(path, false, hasGzipMagic);
}

/**
 * Size of a capture's byte stream: the file size, or for a gzip file the
 * uncompressed size its trailer records (modulo 4 GiB; a file of several
 * gzip members counts its last member only, and reads as the file size).
 */
export function streamSize(path: string, size = fileSize(path)): number {
  return withFile(path, size, (fd) => {
    if (size < 18 || !hasGzipMagic(fd)) return size;
    const tail = Buffer.alloc(4);
    fs.readSync(fd, tail, 0, 4, size - 4);
    const n = tail.readUInt32LE(0);
    return n > 0 ? n : size;
  });
}

/** Opens a file and reports whether it is gzip-compressed. Throws with a readable message. */
export function openInput(path: string): { fd: number; info: InputInfo } {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied'
      : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new InputError(why, 0);
  }
  let compressed: boolean;
  try { compressed = hasGzipMagic(fd); } catch (e) {
    fs.closeSync(fd);
    const err = e as NodeJS.ErrnoException;
    throw new InputError(err.code === 'EISDIR' ? 'is a directory' : err.message, 0);
  }
  return { fd, info: { compressed } };
}

/**
 * Yields the decompressed bytes of a gzip file in chunks (plain files are
 * read directly by their reader). A truncated or corrupt gzip stream ends the
 * iteration with an InputError carrying how many decompressed bytes were
 * delivered before it; `where.pos` follows the compressed bytes read.
 */
export async function* gunzipChunks(fd: number, where?: { pos: number }): AsyncGenerator<Buffer> {
  const src = fs.createReadStream('', { fd, highWaterMark: CHUNK, autoClose: true });
  const gunzip = zlib.createGunzip({ chunkSize: CHUNK });
  src.on('error', (e) => gunzip.destroy(e));
  // end: false, ended by hand: pipe()'s default end option consults
  // process.stdout, and creating that stream makes a piped fd 1 non-blocking
  src.pipe(gunzip, { end: false });
  src.on('end', () => gunzip.end());
  let delivered = 0;
  try {
    for await (const c of gunzip) {
      delivered += (c as Buffer).length;
      if (where) where.pos = src.bytesRead;
      yield c as Buffer;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)
      ? 'gzip stream ends early' : `gzip data is corrupt (${err.message})`;
    throw new InputError(why, delivered);
  } finally {
    src.destroy();
    gunzip.destroy();
  }
}
