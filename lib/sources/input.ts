// Byte input for capture readers: a file, plain or gzip-compressed (detected
// by content), delivered in large chunks so memory stays flat.

import * as fs from 'fs';
import { Readable } from 'stream';
import * as zlib from 'zlib';

const CHUNK = 1 << 20;

export class InputError extends Error {
  constructor(message: string, readonly offset: number) { super(message); }
}

export interface InputInfo { compressed: boolean }

/**
 * An input read once, from start to end, that cannot be re-read or seeked: a
 * pipe, a FIFO, a socket, a terminal, or standard input (`-r -`). Its first
 * bytes were read to tell its format and come first.
 */
export interface StreamInput {
  fd: number;
  /** The bytes already read from fd (up to 8; fewer when the stream is that short). */
  prefix: Buffer;
  /** False for standard input and other inherited fds: closeStream leaves them open (a pipe's reader closes its fd when it is done). */
  owned: boolean;
}

/** The path standing for standard input. */
export const STDIN_PATH = '-';

/**
 * Opens `path` as a stream when it is one (see StreamInput; `-` is standard
 * input); undefined for a regular file, a directory or a path that cannot be
 * opened (the readers open those themselves and report what is wrong).
 */
export function openStream(path: string): StreamInput | undefined {
  let fd: number;
  let owned = true;
  if (path === STDIN_PATH) { fd = 0; owned = false; } else {
    try {
      fd = fs.openSync(path, 'r');
    } catch (e) {
      // a socket (what node and some supervisors give a child as standard
      // input) cannot be opened again by its /dev/fd path: read that fd
      const inherited = (e as NodeJS.ErrnoException).code === 'ENXIO' ? inheritedFd(path) : undefined;
      if (inherited === undefined) return undefined;
      fd = inherited;
      owned = false;
    }
    let st: fs.Stats;
    try { st = fs.fstatSync(fd); } catch { fs.closeSync(fd); return undefined; }
    if (st.isFile() || st.isDirectory() || st.isBlockDevice()) { fs.closeSync(fd); return undefined; }
  }
  const prefix = Buffer.alloc(8);
  let got = 0;
  try {
    while (got < 8) {
      const n = readSequential(fd, prefix, got, 8 - got);
      if (n <= 0) break;
      got += n;
    }
  } catch (e) {
    if (owned) fs.closeSync(fd);
    throw new InputError((e as Error).message, 0);
  }
  return { fd, prefix: prefix.subarray(0, got), owned };
}

/** The fd a /dev/stdin, /dev/fd/N or /proc/self/fd/N path names. */
function inheritedFd(path: string): number | undefined {
  if (path === '/dev/stdin') return 0;
  const m = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(path);
  return m ? Number(m[1]) : undefined;
}

/**
 * fs.readSync at the stream's current position. A stream another program set
 * non-blocking (EAGAIN) is waited for.
 */
export function readSequential(fd: number, b: Buffer, off: number, len: number): number {
  for (;;) {
    try {
      return fs.readSync(fd, b, off, len, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** Closes a stream's fd when scry opened it. */
export function closeStream(s: StreamInput): void {
  if (s.owned) { try { fs.closeSync(s.fd); } catch { /* already closed */ } }
}

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
 * A stream's bytes as they come. Pipes, FIFOs and sockets are read by the
 * event loop (as process.stdin is), never by a blocking read on libuv's
 * pool: a reader that stops early (-n, a window's end) leaves nothing that
 * waits for a writer who may never send more, and the process ends at once.
 * Other streams (a terminal, a character device) are read as files.
 */
function streamSource(s: StreamInput): Readable {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const net = require('net') as typeof import('net');
    return new net.Socket({ fd: s.fd, readable: true, writable: false });
  } catch {
    return fs.createReadStream('', { fd: s.fd, highWaterMark: CHUNK, autoClose: s.owned });
  }
}

/**
 * The chunks a readable emits, in order, then its error if it fails. Unlike
 * for-await over the stream itself, chunks that came before an error are
 * never lost: a stream destroys itself when it fails and its own async
 * iterator then drops what it had buffered but not yet handed out, so a
 * consumer that fell behind (a busy machine) lost the bytes before the
 * damage. At most `limit` bytes wait here; the stream is paused beyond.
 */
export function chunksOf(r: Readable, limit = 4 * CHUNK): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let head = 0, queued = 0;
  let done = false;
  let error: Error | undefined;
  let wake: (() => void) | null = null;
  const signal = (): void => { const w = wake; wake = null; if (w) w(); };
  r.on('data', (c: Buffer) => {
    queue.push(c);
    queued += c.length;
    if (queued >= limit) r.pause();
    signal();
  });
  r.on('end', () => { done = true; signal(); });
  r.on('error', (e: Error) => { if (!error) error = e; done = true; signal(); });
  r.on('close', () => { done = true; signal(); });
  // listening starts here, before the first next(): nothing is missed
  return (async function* drain(): AsyncGenerator<Buffer> {
    for (;;) {
      if (head < queue.length) {
        const c = queue[head];
        queue[head++] = EMPTY;
        if (head === queue.length) { queue.length = 0; head = 0; }
        queued -= c.length;
        if (queued < limit && r.isPaused() && !done) r.resume();
        yield c;
        continue;
      }
      if (error) throw error;
      if (done) return;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  })();
}

const EMPTY = Buffer.alloc(0);

/** The bytes of a stream, its prefix first, as they come; `where.pos` counts them. */
export async function* streamChunks(s: StreamInput, where?: { pos: number }): AsyncGenerator<Buffer> {
  if (s.prefix.length) {
    if (where) where.pos = s.prefix.length;
    yield s.prefix;
  }
  const src = streamSource(s);
  try {
    for await (const c of chunksOf(src)) {
      if (where) where.pos += (c as Buffer).length;
      yield c as Buffer;
    }
  } catch (e) {
    throw new InputError(`read error (${(e as Error).message})`, where?.pos ?? 0);
  } finally {
    src.destroy();
  }
}

/**
 * A gunzip stream fed by src, with output pieces of `chunkSize`. A stream's
 * first bytes (`prefix`, read to tell its format) go first, and its pieces
 * are decompressed as they come (zlib keeps its output until a piece fills
 * unless flushed after each input piece); a file is piped.
 */
export function gunzipOf(src: Readable, chunkSize: number, prefix?: Buffer): zlib.Gunzip {
  const gunzip = zlib.createGunzip({ chunkSize });
  src.on('error', (e: Error) => gunzip.destroy(e));
  if (prefix) {
    gunzip.write(prefix);
    src.on('data', (c: Buffer) => {
      if (!gunzip.write(c)) src.pause();
      gunzip.flush(zlib.constants.Z_SYNC_FLUSH);
    });
    gunzip.on('drain', () => src.resume());
  } else {
    // end: false, ended by hand: pipe()'s default end option consults
    // process.stdout, and creating that stream makes a piped fd 1 non-blocking
    src.pipe(gunzip, { end: false });
  }
  // flushed before it is ended: a write zlib takes while ending is inflated
  // with Z_FINISH, and when that fails (a cut stream) node drops the output
  // of the whole write, not just its damaged end
  src.on('end', () => gunzip.flush(zlib.constants.Z_SYNC_FLUSH, () => gunzip.end()));
  return gunzip;
}

/**
 * Yields the decompressed bytes of a gzip file (or stream) in chunks (plain
 * files are read directly by their reader). A truncated or corrupt gzip
 * stream ends the iteration with an InputError carrying how many
 * decompressed bytes were delivered before it; `where.pos` follows the
 * compressed bytes read.
 */
export async function* gunzipChunks(fd: number, where?: { pos: number }, stream?: StreamInput): AsyncGenerator<Buffer> {
  const src = stream ? streamSource(stream) : fs.createReadStream('', { fd, highWaterMark: CHUNK, autoClose: true });
  const gunzip = gunzipOf(src, CHUNK, stream?.prefix);
  const prefixLen = stream ? stream.prefix.length : 0;
  let delivered = 0;
  try {
    for await (const c of chunksOf(gunzip)) {
      delivered += (c as Buffer).length;
      if (where) where.pos = prefixLen + (src as Readable & { bytesRead: number }).bytesRead;
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

/**
 * The decompressed bytes of a gzip file past `from`, as far as they can be
 * inflated: a second, careful pass after gunzipChunks failed. node drops the
 * whole output of the write in which zlib fails (a read of up to a chunk of
 * the file; all of a small file when only its checksum is wrong), so the
 * first pass may stop short of the damage; this one inflates in small
 * pieces and ends quietly where zlib gives up, having yielded everything
 * before.
 */
export async function* gunzipSalvage(path: string, from: number): AsyncGenerator<Buffer> {
  let src: fs.ReadStream;
  try { src = fs.createReadStream(path, { highWaterMark: 1 << 16 }); } catch { return; }
  const gunzip = gunzipOf(src, 1024);
  let pos = 0;
  try {
    for await (const c of chunksOf(gunzip)) {
      const b = c as Buffer;
      const end = pos + b.length;
      if (end > from) yield pos >= from ? b : b.subarray(from - pos);
      pos = end;
    }
  } catch {
    // the damage again: everything before it has been yielded
  } finally {
    src.destroy();
    gunzip.destroy();
  }
}

