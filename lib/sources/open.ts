// Opens a capture by its content (not its name): sysdig .scap (plain or
// gzip) or scry's own .scry, and returns a reader for it.

import * as fs from 'fs';
import { CaptureSink } from '../event/records';
import { DF_STATE_ONLY, type ScapEvent } from '../event/event';
import { CaptureError, EventHandler, ReadStats, ScapReader } from './scap/reader';
import { SHB } from './scap/blocks';
import { FILE_MAGIC } from './scry/format';
import type { CaptureWarning, ScryReader, ScryReadOptions, ScryReadStats } from './scry/reader';
import { resolveBound, TimeBound } from './window';
import { isStateType } from '../writers/state-events';
import { CommSuppressor } from './suppress';
import { closeStream, InputError, openStream, StreamInput } from './input';
import { spoolStream } from './spool';

export type CaptureFormat = 'scap' | 'scap-gzip' | 'scry';

/** The reader interface shared by ScapReader and ScryReader. */
export interface CaptureReader {
  readonly file: string;
  read(): Promise<ReadStats | ScryReadStats>;
  stop(): void;
  /** How much of the file has been read when ev (the event being delivered) is, in percent (-P). */
  progressPercent(ev: ScapEvent): number;
  /** How much of the file sysdig's reader has read where it meets the damage e reports (undefined: unknown). */
  damagePercent?(e: CaptureError): number | undefined;
  onUnknownBlock?: (type: number, body: Buffer) => void;
  onDrops?: (perCpu: number[]) => void;
  suppress?: (ev: ScapEvent) => boolean;
}

export interface OpenOptions extends ScryReadOptions {
  /** Damage that reading survived (scry files); default: printed to stderr. */
  onWarning?: (w: CaptureWarning) => void;
  /** -U: drop the events of processes with these comms before they are counted. */
  suppressComms?: readonly string[];
}

/** The format of a capture from its first (up to 8) bytes. Throws CaptureError for other content. */
function formatOf(file: string, head: Buffer): CaptureFormat {
  const n = head.length;
  if (n >= 8 && head.subarray(0, 8).equals(FILE_MAGIC)) return 'scry';
  if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'scap-gzip';
  if (n >= 4 && head.readUInt32LE(0) === SHB) return 'scap';
  throw new CaptureError(file, 0, n === 0 ? 'not a capture file (empty)' : 'not a capture file (neither .scap nor .scry)');
}

/** Detects a file's format from its first bytes. Throws CaptureError for unreadable or unknown files. */
export function detectFormat(file: string): CaptureFormat {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new CaptureError(file, 0, why);
  }
  const head = Buffer.alloc(8);
  let n = 0;
  try {
    n = fs.readSync(fd, head, 0, 8, 0);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CaptureError(file, 0, err.code === 'EISDIR' ? 'is a directory'
      : err.code === 'ESPIPE' ? 'a pipe, not a file (save the stream to a file first)' : err.message);
  } finally {
    fs.closeSync(fd);
  }
  return formatOf(file, head.subarray(0, n));
}

/**
 * Returns the reader for `file`. For .scry the time window and the chunk
 * filter skip whole chunks; for .scap the window is applied event by event
 * (reading stops at the first event past `to`) and the chunk filter has
 * nothing to skip. Events before `from` that change state are delivered
 * flagged DF_STATE_ONLY where the reader has them anyway (.scap: all of them;
 * .scry: those in the chunks the window overlaps, and all of them with
 * replayBeforeWindow).
 */
export function openCapture(file: string, sink: CaptureSink, onEvent: EventHandler, opts: OpenOptions = {}): CaptureReader {
  const r = openReader(file, sink, onEvent, opts);
  if (opts.suppressComms?.length) {
    const s = new CommSuppressor(opts.suppressComms);
    r.suppress = (ev) => s.suppressed(ev);
  }
  return r;
}

/**
 * A pipe or standard input (`-`) is read as it comes: a .scap stream (plain
 * or gzip) is replayed while it arrives; a .scry stream, whose reader seeks
 * (chunk index, windows), is first copied whole into an unlinked temporary
 * file.
 */
function openReader(file: string, sink: CaptureSink, onEvent: EventHandler, opts: OpenOptions): ScapReader | ScryReader {
  let stream: StreamInput | undefined;
  try {
    stream = openStream(file);
  } catch (e) {
    if (e instanceof InputError) throw new CaptureError(file, e.offset, `read error (${e.message})`);
    throw e;
  }
  let fmt: CaptureFormat;
  try {
    fmt = stream ? formatOf(file, stream.prefix) : detectFormat(file);
  } catch (e) {
    if (stream) closeStream(stream);
    throw e;
  }
  if (fmt === 'scry') {
    // Loaded on demand: it brings zstd and msgpack, which .scap replays never need.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { ScryReader: Reader } = require('./scry/reader') as { ScryReader: typeof ScryReader };
    const r = new Reader(file, sink, onEvent, stream ? { ...opts, fd: spoolStream(file, stream) } : opts);
    if (opts.onWarning) r.onWarning = opts.onWarning;
    return r;
  }
  const r = opts.from === undefined && opts.to === undefined ? new ScapReader(file, sink, onEvent)
    : windowedScap(file, sink, onEvent, opts.from, opts.to, true);
  r.stream = stream;
  return r;
}

function windowedScap(file: string, sink: CaptureSink, onEvent: EventHandler, fromB: TimeBound | bigint | string | undefined,
  toB: TimeBound | bigint | string | undefined, replay: boolean): ScapReader {
  let ready = false;
  let fH = -1, fL = 0, tH = Infinity, tL = 0;
  let reader: ScapReader;
  const handler: EventHandler = (ev) => {
    const b = ev.buf, o = ev.off;
    const lo = b.readUInt32LE(o), hi = b.readUInt32LE(o + 4);
    if (!ready) {
      ready = true;
      const start = BigInt(hi) * 4294967296n + BigInt(lo);
      const f = resolveBound(fromB, start), t = resolveBound(toB, start);
      if (f !== undefined) { fH = Number(f >> 32n); fL = Number(f & 0xffffffffn); }
      if (t !== undefined) { tH = Number(t >> 32n); tL = Number(t & 0xffffffffn); }
    }
    if (hi > tH || (hi === tH && lo > tL)) { reader.stop(); return false; }
    if (hi < fH || (hi === fH && lo < fL)) {
      if (!replay || !isStateType(ev.type)) return true;
      const saved = ev.blockFlags;
      ev.blockFlags = saved | DF_STATE_ONLY;
      const r = onEvent(ev);
      ev.blockFlags = saved;
      return r;
    }
    return onEvent(ev);
  };
  reader = new ScapReader(file, sink, handler);
  return reader;
}

export type { CaptureWarning, ScryReadOptions, ScryReadStats };
