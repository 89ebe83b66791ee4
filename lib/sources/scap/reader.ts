// Streaming reader of sysdig/Falco .scap capture files.
//
// Blocks are parsed straight out of the input chunks; event blocks are handed
// to the consumer as one reused ScapEvent pointed at the bytes, so reading
// allocates nothing per event. Memory is bounded by the largest block.

import { ScapEvent, EVENT_HEADER_LEN, RecordError, UNKNOWN_EVENT } from '../../event/event';
import { CaptureSink } from '../../event/records';
import { EVENTS } from '../../schema/events';
import { EF } from '../../schema/types';
import * as fs from 'fs';
import { InputError, fileSize, openInput, gunzipChunks, gunzipSalvage, streamChunks, streamSize, StreamInput } from '../input';
import * as B from './blocks';
import { NEED_MORE, realIfListLength } from './short-iflist';
import { u16, u32 } from '../../util/bytes';
import { optionalNative, ReadPositions } from '../../native/addon';
import { BlockError, decodeFdList, decodeInterfaces, decodeMachineInfo, decodeProcList, decodeUsers } from './state-blocks';

/** A problem in a capture file, located by byte offset (in the decompressed stream). */
export class CaptureError extends Error {
  constructor(readonly file: string, readonly offset: number, readonly reason: string) {
    super(`${file}: ${reason} at byte ${offset}`);
  }
}

export interface ReadStats {
  /** Events delivered (evt.num of the last one). */
  events: number;
  /** Bytes of capture data consumed. */
  bytes: number;
  compressed: boolean;
}

/** Return false from onEvent to stop reading. */
export type EventHandler = (ev: ScapEvent) => boolean | void;

const MAX_BLOCK = 256 * 1024 * 1024;

/** The native scanner of event blocks, when the addon is built. */
const SCAN = optionalNative()?.scanEventBlocks;
/** Entries per event in scanEventBlocks' output (native/src/scap_scan.cc). */
const SCAN_STRIDE = 11;
/** scanEventBlocks' stop reason when its output array is full. */
const SCAN_FULL = 1;
/** Per event type, for the native scanner: 0 unknown id, 1 known, 2 known with u32 parameter lengths. */
const KNOWN_TYPES = new Uint8Array(65536);
for (let t = 0; t < EVENTS.length; t++) {
  if (EVENTS[t] !== undefined) KNOWN_TYPES[t] = EVENTS[t].flags & EF.LARGE_PAYLOAD ? 2 : 1;
}
const PLAIN_CHUNK = 4 << 20;
/** Room kept before each read-ahead chunk for the cut block of the previous one. */
const READ_AHEAD_ROOM = 1 << 20;


export class ScapReader {
  private readonly ev = new ScapEvent();
  private scratch = Buffer.alloc(65536 + 8);
  private readonly scanOut = new Int32Array(SCAN_STRIDE * 4096 + 2);
  private num = 0;
  private sawHeader = false;
  /** An event block was met: sysdig refuses a capture without one (see noEvents). */
  private sawEventBlock = false;
  private stopped = false;
  /** Use the addon's event block scanner when it is built (false: the TypeScript path alone, for tests). */
  nativeScan = true;
  /** Refuse a capture without an event block, as sysdig does (false: read it, for reports). */
  requireEvents = true;
  /** Told of a fault read around (an interface list sysdig's -w sized wrong): its offset and what it was. */
  onRepair?: (offset: number, message: string) => void;
  /** Extra blocks of unknown type are kept so a writer can pass them on. */
  onUnknownBlock?: (type: number, body: Buffer) => void;
  /** Called for kernel drop counters recorded by scry's live capture. */
  onDrops?: (perCpu: number[]) => void;
  /** Events it returns true for are dropped before they are counted (-U, lib/sources/suppress.ts). */
  suppress?: (ev: ScapEvent) => boolean;

  /**
   * Set when `file` is a stream (a pipe, standard input: lib/sources/input.ts),
   * opened by whoever told its format: read as it comes, never re-opened.
   */
  stream?: StreamInput;

  constructor(readonly file: string, private readonly sink: CaptureSink, private readonly onEvent: EventHandler) {}

  stop(): void { this.stopped = true; }

  /** Bytes of the file read so far (compressed bytes for gzip files), for progress reports. */
  readonly where = { pos: 0 };
  // the bytes being parsed and their offset in the (uncompressed) stream
  private dataBuf: Buffer | undefined;
  private dataBase = 0;
  /** Where in dataBuf the block of the event being delivered starts. */
  private curBlockOff = -1;
  /** sysdig's reader positions (progressPercent); null without the addon. */
  private positions: ReadPositions | null | undefined;
  private fileBytes = -1;
  private streamBytes = -1;

  /**
   * Where in the (uncompressed) stream the block of ev (the event being
   * delivered) ends, or undefined when ev is not being delivered.
   */
  blockEndOf(ev: ScapEvent): number | undefined {
    const b = this.dataBuf;
    if (ev !== this.ev || b === undefined || this.curBlockOff < 0) return undefined;
    return this.dataBase + this.curBlockOff + u32(b, this.curBlockOff + 4);
  }

  /**
   * How much of the file sysdig's reader has read when it delivers ev, in
   * percent (-P, -r with -w, sysdig.get_read_progress): replayed by the
   * addon (native/src/read_positions.cc); without it, how far into the
   * stream ev's block ends.
   */
  progressPercent(ev: ScapEvent): number {
    if (this.stream) return 0; // a stream's size is not known before its end
    if (this.fileBytes < 0) this.fileBytes = fileSize(this.file);
    const size = this.fileBytes;
    const end = this.blockEndOf(ev);
    if (end === undefined) return size > 0 ? (this.where.pos * 100) / size : 0;
    if (this.positions === undefined) this.positions = this.replayReads();
    const off = this.positions ? this.positions.at(end) : -1;
    if (off >= 0) return size > 0 ? (off * 100) / size : 0;
    if (this.streamBytes < 0) this.streamBytes = streamSize(this.file, size);
    return this.streamBytes > 0 ? (end * 100) / this.streamBytes : 0;
  }

  /**
   * How much of the file sysdig's reader has read when it stops at the
   * damage e reports (the last value of its -P line): where a replay of its
   * reads stands once the damaged block's header is read; undefined without
   * the addon, or when the replay cannot tell.
   */
  damagePercent(e: CaptureError): number | undefined {
    if (this.stream) return undefined;
    // (a replay of its own: the one progressPercent uses is closed once reading ends)
    const positions = this.replayReads();
    if (!positions) return undefined;
    if (this.fileBytes < 0) this.fileBytes = fileSize(this.file);
    try {
      const off = positions.at(e.offset + 8);
      return off >= 0 && this.fileBytes > 0 ? (off * 100) / this.fileBytes : undefined;
    } finally {
      positions.close();
    }
  }

  /** A replay of sysdig's reads of this file (native/src/read_positions.cc); null without the addon. */
  private replayReads(): ReadPositions | null {
    const P = optionalNative()?.ReadPositions;
    return P ? new P(this.file, Uint32Array.from(B.EVENT_BLOCKS)) : null;
  }

  /** Reads the whole file. Resolves with stats; rejects with CaptureError on damage (after delivering all events before it). */
  async read(): Promise<ReadStats> {
    try {
      return await this.readAll();
    } finally {
      this.positions?.close();
    }
  }

  private async readAll(): Promise<ReadStats> {
    const stream = this.stream;
    if (stream) {
      const p = stream.prefix;
      const compressed = p.length >= 2 && p[0] === 0x1f && p[1] === 0x8b;
      return this.readChunks(compressed ? gunzipChunks(stream.fd, this.where, stream) : streamChunks(stream, this.where), compressed);
    }
    let input;
    try {
      input = openInput(this.file);
    } catch (e) {
      throw new CaptureError(this.file, 0, (e as Error).message);
    }
    if (!input.info.compressed) return this.readPlainAhead(input.fd);
    return this.readChunks(gunzipChunks(input.fd, this.where), true);
  }

  /**
   * At the end of a whole capture (`left`: the bytes after its last whole
   * block, from stream offset `base`): a block cut short, a file that never
   * gave a section header, or one without a single event block (a file
   * written through a filter that matched nothing: sysdig refuses it as it
   * opens it) is an error.
   */
  private checkEnd(base: number, left: Buffer | undefined): void {
    const n = left ? left.length : 0;
    // the start of a section header cut short is a truncated capture, anything else no capture
    const shb = [0x0a, 0x0d, 0x0d, 0x0a];
    const headerCut = n > 0 && !this.sawHeader && left!.subarray(0, 4).every((x, i) => x === shb[i]);
    if (n > 0 && (this.sawHeader || headerCut)) throw new CaptureError(this.file, base, `capture is truncated: incomplete block of ${n} bytes`);
    if (!this.sawHeader) throw new CaptureError(this.file, 0, 'not a capture file (empty)');
    if (!this.sawEventBlock && this.requireEvents) throw new CaptureError(this.file, 0, 'no events in file');
  }

  /** The CaptureError for input damage e met with the stream parsed up to `base`. */
  private inputDamage(e: InputError, base: number, compressed: boolean): CaptureError {
    if (!this.sawHeader) return new CaptureError(this.file, 0, 'not a capture file (' + e.message + ')');
    if (!compressed) return new CaptureError(this.file, e.offset, e.message);
    return new CaptureError(this.file, base, `capture is truncated: ${e.message}; damage`);
  }

  /** Parses the blocks of a capture that comes in chunks (gzip files, streams). */
  private async readChunks(it: AsyncGenerator<Buffer>, compressed: boolean): Promise<ReadStats> {
    let pending: Buffer | null = null;   // unconsumed tail of the previous chunk(s)
    let base = 0;                         // stream offset of pending[0]
    // a gzip file's damage, once met: the rest comes from a second pass (gunzipSalvage)
    let damage: InputError | undefined;
    try {
      for (;;) {
        let next: IteratorResult<Buffer>;
        try {
          next = await it.next();
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          if (compressed && !this.stream && damage === undefined) {
            damage = e;
            it = gunzipSalvage(this.file, e.offset);
            continue;
          }
          throw this.inputDamage(e, base, compressed);
        }
        if (next.done) {
          if (damage) throw this.inputDamage(damage, base, compressed);
          break;
        }
        const data: Buffer = pending && pending.length ? Buffer.concat([pending, next.value]) : next.value;
        const used = this.parse(data, base);
        base += used;
        pending = used < data.length ? data.subarray(used) : null;
        if (pending && pending.length > MAX_BLOCK + 8) {
          throw new CaptureError(this.file, base, 'block larger than 256 MiB');
        }
        if (this.stopped) break;
      }
    } finally {
      if (this.stopped) await it.return(undefined as unknown as Buffer).catch(() => undefined);
    }
    if (!this.stopped) {
      this.checkEnd(base, pending ?? undefined);
    }
    return { events: this.num, bytes: base, compressed };
  }

  /**
   * Plain files, read ahead: the next chunk is read (on libuv's pool) while
   * this one is parsed. Two buffers take turns; the unparsed tail of one
   * (a block cut by the chunk boundary) is copied in front of the next
   * chunk, into room kept for it. A tail too large for that room (a block
   * over READ_AHEAD_ROOM) hands the rest of the file to readPlain().
   */
  private async readPlainAhead(fd: number): Promise<ReadStats> {
    const room = READ_AHEAD_ROOM, chunk = PLAIN_CHUNK;
    let cur = Buffer.allocUnsafe(room + chunk), alt = Buffer.allocUnsafe(room + chunk);
    let fpos = 0;      // file offset of the next read
    let base = 0;      // file offset of the first unparsed byte
    let tail: Buffer = cur.subarray(0, 0);   // unparsed bytes of the previous chunk
    const readAt = (b: Buffer, pos: number): Promise<number> => new Promise((resolve, reject) => {
      fs.read(fd, b, room, chunk, pos, (err, n) => (err ? reject(err) : resolve(n)));
    });
    let pending: Promise<number> | null = readAt(cur, 0);
    let closed = false;
    try {
      for (;;) {
        let n: number;
        try {
          n = await pending!;
        } catch (e) {
          pending = null;
          throw new CaptureError(this.file, fpos, `read error (${(e as Error).message})`);
        }
        pending = null;
        if (n <= 0) break;
        fpos += n;
        this.where.pos = fpos;
        if (tail.length > room) {
          // a huge block: the plain reader takes over with what is in hand
          const start = Buffer.concat([tail, cur.subarray(room, room + n)]);
          closed = true;
          return this.readPlain(fd, start, fpos, base);
        }
        const start = room - tail.length;
        tail.copy(cur, start);
        // the next chunk is read into the other buffer while this one is parsed
        pending = readAt(alt, fpos);
        const used = this.parse(cur.subarray(start, room + n), base);
        base += used;
        tail = cur.subarray(start + used, room + n);
        const t = cur; cur = alt; alt = t;
        if (this.stopped) break;
      }
    } finally {
      // never close the file under a read in flight
      if (pending) await pending.catch(() => 0);
      if (!closed) fs.closeSync(fd);
    }
    if (!this.stopped) {
      this.checkEnd(base, tail);
    }
    return { events: this.num, bytes: base, compressed: false };
  }

  /**
   * Plain files: one buffer, refilled in place (the unparsed tail moves to its
   * front), so reading allocates nothing per chunk. `start` holds bytes
   * already read (from file offset `base`, up to `fpos`).
   */
  private readPlain(fd: number, start?: Buffer, fpos = 0, base = 0): ReadStats {
    let buf = Buffer.allocUnsafe(Math.max(PLAIN_CHUNK, start ? start.length * 2 : 0));
    let filled = 0;   // bytes in buf
    // fpos: file offset of the next read; base: file offset of buf[0]
    try {
      if (start) {
        start.copy(buf, 0);
        filled = start.length;
        const used = this.parse(buf.subarray(0, filled), base);
        base += used;
        if (used > 0 && used < filled) buf.copyWithin(0, used, filled);
        filled -= used;
      }
      for (;;) {
        if (this.stopped) break;
        if (filled === buf.length) {
          // One block does not fit: grow, within the block size limit.
          if (buf.length > MAX_BLOCK + 8) throw new CaptureError(this.file, base, 'block larger than 256 MiB');
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, filled);
          buf = bigger;
        }
        let n: number;
        try {
          n = fs.readSync(fd, buf, filled, buf.length - filled, fpos);
        } catch (e) {
          throw new CaptureError(this.file, fpos, `read error (${(e as Error).message})`);
        }
        if (n <= 0) break;
        fpos += n;
        filled += n;
        this.where.pos = fpos;
        const used = this.parse(filled === buf.length ? buf : buf.subarray(0, filled), base);
        base += used;
        if (used > 0 && used < filled) buf.copyWithin(0, used, filled);
        filled -= used;
        if (this.stopped) break;
      }
    } finally {
      fs.closeSync(fd);
    }
    if (!this.stopped) {
      this.checkEnd(base, buf.subarray(0, filled));
    }
    return { events: this.num, bytes: base, compressed: false };
  }

  /**
   * Parses every complete block in data; returns bytes consumed. Runs of
   * version 2 event blocks (nearly all of a capture) go through the native
   * scanner when the addon is built; every other block through block().
   */
  private parse(data: Buffer, base: number): number {
    this.dataBuf = data;
    this.dataBase = base;
    let p = 0;
    const n = data.length;
    const scan = this.nativeScan ? SCAN : undefined;
    while (p + 8 <= n) {
      if (scan !== undefined && this.sawHeader) {
        // Runs of v2 event blocks are checked natively; the block it stops at
        // (another type, incomplete or damaged) goes through the code below.
        const out = this.scanOut;
        do {
          const k = scan(data, p, n, KNOWN_TYPES, out);
          const stoppedAt = this.deliverScanned(data, out, k);
          if (stoppedAt >= 0) return stoppedAt;
          if (out[out.length - 2] > p) this.sawEventBlock = true;
          p = out[out.length - 2];
        } while (out[out.length - 1] === SCAN_FULL);
        if (p + 8 > n) break;
      }
      const type = u32(data, p);
      let total = u32(data, p + 4);
      if (!this.sawHeader && type !== B.SHB) throw new CaptureError(this.file, 0, 'not a capture file (no scap section header)');
      if (total < 12 || total > MAX_BLOCK) {
        throw new CaptureError(this.file, base + p, `corrupt block header (type 0x${type.toString(16)}, length ${total})`);
      }
      if (p + total > n) break;
      const trailer = u32(data, p + total - 4);
      if (trailer !== total) {
        // an interface list sysdig's -w sized wrong: read whole (short-iflist.ts)
        const real = type === B.IL_V2 ? realIfListLength(data, p, total) : -1;
        if (real === NEED_MORE) break;
        if (real < 0) throw new CaptureError(this.file, base + p, `corrupt block (length ${total} but trailer says ${trailer})`);
        this.onRepair?.(base + p, `interface list declares ${total} bytes but holds ${real} (as sysdig's -w writes it from an older capture); read whole`);
        total = real;
      }
      try {
        this.block(type, data, p + 8, p + total - 4, base + p);
      } catch (e) {
        if (e instanceof BlockError) throw new CaptureError(this.file, base + e.at, `corrupt block: ${e.message}`);
        throw e;
      }
      p += total;
      if (this.stopped) break;
    }
    return p;
  }

  /**
   * Hands out the k events the native scanner listed. Returns -1, or when the
   * consumer stops, the offset just past that event's block. (A function of
   * its own, called per batch, so it is optimized early in a run.)
   */
  private deliverScanned(data: Buffer, out: Int32Array, k: number): number {
    const ev = this.ev;
    const onEvent = this.onEvent;
    const suppress = this.suppress;
    // this.num is stored in the loop, not after it: code optimized on stack
    // replacement in the first batch has no feedback for a store after the
    // loop and would be thrown away at the end of every batch.
    let num = this.num;
    for (let i = 0; i < k; i++) {
      const j = i * SCAN_STRIDE;
      ev.setHeader(data, out[j + 1], out[j + 2], out[j + 3] >>> 0, num + 1,
        out[j + 4], out[j + 5], out[j + 6], out[j + 7], out[j + 8], out[j + 9], out[j + 10]);
      this.curBlockOff = out[j];
      if (suppress !== undefined && suppress(ev)) continue;
      this.num = ++num;
      if (onEvent(ev) === false || this.stopped) {
        this.stopped = true;
        return out[j] + u32(data, out[j] + 4);
      }
    }
    return -1;
  }

  private block(type: number, b: Buffer, start: number, end: number, at: number): void {
    switch (type) {
      case B.SHB: {
        if (end - start < 16) throw new BlockError('section header too short', start);
        const magic = b.readUInt32LE(start);
        if (magic !== B.SHB_MAGIC) {
          if (!this.sawHeader) throw new CaptureError(this.file, 0, 'not a capture file (bad byte-order magic)');
          throw new BlockError('bad section header magic', start);
        }
        const major = b.readUInt16LE(start + 4);
        if (major !== 1) throw new CaptureError(this.file, at, `unsupported capture version ${major}.${b.readUInt16LE(start + 6)}`);
        this.sawHeader = true;
        return;
      }
      case B.MI: case B.MI_INT:
        this.sink.machineInfo?.(decodeMachineInfo(b, start, end));
        return;
      case B.FDL: case B.FDL_INT: case B.FDL_V2:
        if (this.sink.fd) decodeFdList(b, start, end, type === B.FDL_V2, this.sink.fd.bind(this.sink));
        return;
      case B.IL: case B.IL_INT: case B.IL_V2:
        this.sink.interfaces?.(decodeInterfaces(b, start, end, type === B.IL_V2));
        return;
      case B.UL: case B.UL_INT: case B.UL_V2:
        if (this.sink.users) { const u = decodeUsers(b, start, end, type === B.UL_V2); this.sink.users(u.users, u.groups); }
        return;
      case B.SCRY_DROPS: {
        const counts: number[] = [];
        for (let q = start; q + 8 <= end; q += 8) counts.push(b.readUInt32LE(q + 4) * 4294967296 + b.readUInt32LE(q));
        this.onDrops?.(counts);
        return;
      }
    }
    const plv = B.procListVersion(type);
    if (plv) {
      if (this.sink.thread) decodeProcList(b, start, end, plv, this.sink.thread.bind(this.sink));
      return;
    }
    if (B.isEventBlock(type)) { this.eventBlock(type, b, start, end, at); return; }
    this.onUnknownBlock?.(type, b.subarray(start, end));
  }

  private eventBlock(type: number, b: Buffer, start: number, end: number, at: number): void {
    this.sawEventBlock = true;
    const flagged = type === B.EVF || type === B.EVF_V2 || type === B.EVF_V2_LARGE;
    const v2 = type === B.EV_V2 || type === B.EV_V2_LARGE || type === B.EVF_V2 || type === B.EVF_V2_LARGE;
    const hdr = flagged ? 6 : 2;
    const hdrLen = v2 ? EVENT_HEADER_LEN : EVENT_HEADER_LEN - 4;
    if (end - start < hdr + hdrLen) throw new CaptureError(this.file, at, 'event block too short');
    const cpu = u16(b, start);
    const flags = flagged ? u32(b, start + 2) : 0;
    let off = start + hdr;
    const avail = end - off;
    const evtType = u16(b, off + 20);
    const info = EVENTS[evtType];
    if (!info) return; // newer than our table: skipped, as libs does
    let len = u32(b, off + 16);
    let buf = b;
    if (!v2) {
      // Old blocks lack nparams: rebuild the record with it, deducing the count
      // from the lengths the way libs does.
      if (info === UNKNOWN_EVENT) return;
      if (evtType === 280 /* NOTIFICATION_E */ || evtType === 286 /* INFRASTRUCTURE_EVENT_E */) len -= 3;
      if (len < hdrLen || len > avail) throw new CaptureError(this.file, at, `invalid event length ${len}`);
      const need = len + 4;
      if (this.scratch.length < need) this.scratch = Buffer.alloc(need * 2);
      const s = this.scratch;
      b.copy(s, 0, off, off + 22);
      b.copy(s, 26, off + 22, off + len);
      s.writeUInt32LE(len + 4, 16);
      const endp = len + 4;
      // The largest k <= the table's count whose k lengths end exactly at the event's end.
      let np = -1;
      let sum = 0;
      const maxK = info.params.length;
      for (let k = 0; k <= maxK; k++) {
        const lensEnd = 26 + k * 2;
        if (lensEnd > endp) break;
        if (lensEnd + sum === endp) np = k;
        if (k < maxK) { if (lensEnd + 2 > endp) break; sum += u16(s, lensEnd); }
      }
      if (np < 0) throw new CaptureError(this.file, at, 'corrupt event: parameter lengths do not add up');
      s.writeUInt32LE(np, 22);
      buf = s; off = 0; len = len + 4;
      this.ev.set(buf, off, cpu, flags, this.num + 1);
    } else {
      const bad = this.ev.setChecked(b, off, cpu, flags, this.num + 1, avail);
      if (bad !== 0) throw new CaptureError(this.file, at, recordErrorText(bad, b, off));
    }
    this.curBlockOff = start - 8;
    if (this.suppress === undefined || !this.suppress(this.ev)) {
      this.num++;
      if (this.onEvent(this.ev) === false) this.stopped = true;
    }
  }
}

/** The error line for a record setChecked() refused. */
function recordErrorText(code: RecordError, b: Buffer, off: number): string {
  const len = u32(b, off + 16);
  switch (code) {
    case RecordError.SHORT: return `invalid event: length ${len} shorter than its header`;
    case RecordError.PAST_BLOCK: return `invalid event: length ${len} exceeds its block`;
    case RecordError.TOO_MANY_PARAMS: return `invalid event: ${u32(b, off + 22)} parameters do not fit in ${len} bytes`;
    default: return `invalid event: parameters exceed event length ${len}`;
  }
}
