// Reader of .scry captures, with the same interface as ScapReader.
//
// With the chunk index (a closed file) the reader goes straight to the chunks
// it needs; without it (a file whose writer was killed) it walks the chunk
// headers. Either way a damaged chunk is reported through onWarning and
// skipped, and reading goes on with the next one.
//
// Chunks outside the time window, or whose summary the chunk predicate
// rejects, are not decompressed. Of a chunk the filter skips, frame A (state
// records and state-changing events, a small part of the chunk) still is, so
// the consumer's process and fd state stays right: those events arrive
// flagged DF_STATE_ONLY (blockFlags), as the hidden events of sysdig's
// fatfile captures (replaySkippedState: false skips them too). Chunks before
// a window are skipped whole, except for their state records, unless
// replayBeforeWindow asks for their state events. State-changing events
// before `from` inside the chunks a window overlaps arrive flagged too.

import * as fs from 'fs';
import { Decompressor } from 'zstd-napi';
import { ScapEvent } from '../../event/event';
import { CaptureSink, MachineInfo } from '../../event/records';
import { CaptureError, EventHandler, ReadStats } from '../scap/reader';
import { DecodedEvents, HEADER_FIELDS, VarintCursor } from './codec';
import { ChunkDecoder, DecodeJob, DecodedChunk } from './decode';
import { optionalNative, NativeFrame, NativeModule } from '../../native/addon';
import * as F from './format';
import { deliverRecord, packr, recordFromWire } from './records';
import { textsFromWire } from './wire-text';
import { resolveBound, TimeBound } from '../window';
import { writeAllSync } from '../../util/fdwrite';
import { u32 } from '../../util/bytes';

/** Something wrong with a file that reading survived. */
export interface CaptureWarning {
  file: string;
  /** Byte offset in the file. */
  offset: number;
  message: string;
  /** Events known to be lost (when the file says how many). */
  lostEvents?: number;
}

export interface ScryReadOptions {
  /** Only events at or after this time (absolute ns, or relative to the capture's first event; strings as parseTimeBound). */
  from?: TimeBound | bigint | string;
  /** Only events at or before this time. */
  to?: TimeBound | bigint | string;
  /** Return false for chunks no event of which can match (see chunkPredicate in ../window). */
  chunkFilter?: (s: F.ChunkSummary) => boolean;
  /**
   * Chunks the chunk filter skips: deliver their state-changing events, flagged
   * DF_STATE_ONLY, so process and fd names resolve as in a full read (default true).
   */
  replaySkippedState?: boolean;
  /**
   * Chunks wholly before `from`: deliver their state-changing events too (default
   * false: a window decompresses only the chunks it overlaps, so state changed
   * between the capture's start and the window is not known).
   */
  replayBeforeWindow?: boolean;
  /**
   * Decode the events of the next chunks on the native addon's threads while
   * the current one is handed out (default true; without the addon, or when
   * false, chunks are decoded in turn on this thread).
   */
  background?: boolean;
  /** Read this open file (taken over: closed at the end) instead of opening `file`, which then only names it. */
  fd?: number;
  /** Refuse a capture without events, as a .scap without event blocks is (default true; false for reports). */
  requireEvents?: boolean;
}

export interface ScryReadStats extends ReadStats {
  chunks: number;
  /** Chunks decompressed whole. */
  chunksRead: number;
  /** Chunks left out by the window or the chunk filter. */
  chunksSkipped: number;
  /** Chunks (or frames) lost to damage. */
  chunksDamaged: number;
  /** Events lost to damage or truncation, as far as the file tells. */
  eventsLost: number;
  /** True when the file had a valid chunk index. */
  indexed: boolean;
  /** True when the file ends before its index (writer killed, disk full). */
  truncated: boolean;
}

/** What the file header holds. */
export interface ScryHeader {
  major: number;
  minor: number;
  mi: MachineInfo | null;
  meta: Record<string, unknown>;
  /** Bytes of the header (the first chunk starts here). */
  length: number;
}

/** What to do with a chunk: skip it, deliver its state records only, its records and state events (hidden), or all. */
const enum Act { SKIP, RECORDS, STATE, READ }

/** A chunk on its way: checked, being decoded, to be handed out in order. */
interface Ticket {
  h: F.ChunkHeader;
  pos: number;
  act: Act;
  endNum: number;
  /** Warnings to emit when the chunk's turn comes: [message, events lost]. */
  warnings: [string, number][];
  damaged?: boolean;
  damagedB?: boolean;
  job: DecodeJob | null;
  /** Frames being decoded in the background (then the job is not used). */
  frameA?: Promise<NativeFrame>;
  frameB?: Promise<NativeFrame>;
}

/** How many chunks are decoded ahead of the one being handed out. */
const AHEAD = 2;

/** A chunk's frames decoded by the addon, as ChunkDecoder gives them. */
async function decodedFrames(frameA: Promise<NativeFrame>, frameB: Promise<NativeFrame> | undefined): Promise<DecodedChunk> {
  const out: DecodedChunk = { state: [], posA: null, evA: null, evB: null };
  try {
    const f = await frameA;
    const frame = Buffer.from(f.frame!);
    if (f.sStart! >= 0) {
      const s = packr.unpack(frame.subarray(f.sStart!, f.sEnd!)) as unknown;
      if (Array.isArray(s)) out.state = s;
    }
    if (f.n > 0) {
      out.evA = eventsOfFrame(f);
      out.posA = f.pStart! >= 0 ? frame.subarray(f.pStart!, f.pEnd!) : null;
    }
  } catch (e) {
    out.errorA = (e as Error).message;
    return out;
  }
  if (frameB) {
    try {
      out.evB = eventsOfFrame(await frameB);
    } catch (e) {
      out.errorB = (e as Error).message;
    }
  }
  return out;
}

/** The events of a frame decoded by the addon, as views of its store. */
function eventsOfFrame(f: NativeFrame): DecodedEvents {
  return {
    n: f.n,
    buf: Buffer.from(f.store, 0, f.offOffset),
    off: new Int32Array(f.store, f.offOffset, f.n),
    cpu: new Uint16Array(f.store, f.cpuOffset, f.n),
    flags: new Uint32Array(f.store, f.flagsOffset, f.n),
    hdr: new Int32Array(f.store, f.hdrOffset, f.n * HEADER_FIELDS),
  };
}

export class ScryReader {
  private readonly ev = new ScapEvent();
  private stopped = false;
  private fd = -1;
  private size = 0;
  private readonly dec = new Decompressor();
  private readonly decoder = new ChunkDecoder();
  private reuse: { a?: DecodedEvents; b?: DecodedEvents } = {};
  private queue: Ticket[] = [];
  /** The addon's background frame decoder, when it is there and wanted. */
  private decodeFrame: NativeModule['decodeEventFrame'] | undefined;
  /** Stores of handed-out frames, for the background decoder to write over. */
  private spare: ArrayBuffer[] = [];
  private from?: bigint;
  private to?: bigint;
  private fromHi = 0; private fromLo = 0; private toHi = 0; private toLo = 0;
  // the chunk whose events are being handed out, and its file offset (for progress reports)
  private curChunk: F.ChunkHeader | undefined;
  private curChunkPos = 0;
  private stats: ScryReadStats = {
    events: 0, bytes: 0, compressed: true, chunks: 0, chunksRead: 0, chunksSkipped: 0,
    chunksDamaged: 0, eventsLost: 0, indexed: false, truncated: false,
  };
  /** Opaque scap blocks carried by the file (for a writer to pass on). */
  onUnknownBlock?: (type: number, body: Buffer) => void;
  /** Kernel drop counters recorded by scry's live capture. */
  onDrops?: (perCpu: number[]) => void;
  /** Events it returns true for are dropped before they are counted (-U, lib/sources/suppress.ts). */
  suppress?: (ev: ScapEvent) => boolean;
  /** Events dropped by suppress so far: later events are numbered without them. */
  private nSuppressed = 0;
  /** Damage that reading survived. Without a handler, warnings go to stderr. */
  onWarning?: (w: CaptureWarning) => void;
  /** Called once the header is read, with it. */
  onHeader?: (h: ScryHeader) => void;

  constructor(readonly file: string, private readonly sink: CaptureSink, private readonly onEvent: EventHandler,
    private readonly opts: ScryReadOptions = {}) {}

  stop(): void { this.stopped = true; }

  private warn(offset: number, message: string, lostEvents?: number): void {
    const w: CaptureWarning = { file: this.file, offset, message };
    if (lostEvents !== undefined) { w.lostEvents = lostEvents; this.stats.eventsLost += lostEvents; }
    if (this.onWarning) this.onWarning(w);
    else writeAllSync(2, Buffer.from(`scry: warning: ${this.file}: ${message}\n`));
  }

  private pread(pos: number, len: number): Buffer {
    const b = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = fs.readSync(this.fd, b, got, len - got, pos + got);
      if (n <= 0) break;
      got += n;
    }
    return got === len ? b : b.subarray(0, got);
  }

  async read(): Promise<ScryReadStats> {
    try {
      this.fd = this.opts.fd ?? fs.openSync(this.file, 'r');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new CaptureError(this.file, 0, err.code === 'ENOENT' ? 'no such file' : err.message);
    }
    try {
      this.size = fs.fstatSync(this.fd).size;
      const header = this.readHeader();
      this.onHeader?.(header);
      if (header.mi) this.sink.machineInfo?.(header.mi);
      const index = this.readIndex(header.length);
      let start: bigint | undefined;
      if (index) {
        this.stats.indexed = true;
        this.stats.chunks = index.rows.length;
        start = index.rows.find((r) => r.events > 0)?.minTs;
      } else {
        this.stats.truncated = true;
        start = this.firstTs(header.length);
      }
      this.setWindow(start ?? 0n);
      if (this.opts.background !== false) this.decodeFrame = optionalNative()?.decodeEventFrame;
      if (index) await this.readIndexed(index.rows, index.summaries);
      else await this.walk(header.length);
      await this.drain();
      // as a .scap without event blocks (sysdig refuses those): a capture whose
      // filter matched nothing, not one that lost its events to damage
      const st = this.stats;
      if (!this.stopped && st.events === 0 && st.chunksDamaged === 0 && !st.truncated && this.opts.requireEvents !== false) {
        throw new CaptureError(this.file, 0, 'no events in file');
      }
      return st;
    } finally {
      this.queue = [];
      fs.closeSync(this.fd);
    }
  }

  /** Header parse. Throws CaptureError when the file is not a .scry capture. */
  private readHeader(): ScryHeader {
    const fixed = this.pread(0, F.FILE_HEADER_FIXED);
    if (fixed.length < 8 || !fixed.subarray(0, 8).equals(F.FILE_MAGIC)) {
      throw new CaptureError(this.file, 0, 'not a scry capture (bad magic)');
    }
    if (fixed.length < F.FILE_HEADER_FIXED) throw new CaptureError(this.file, 0, 'scry capture is truncated inside its header');
    const major = fixed.readUInt16LE(8), minor = fixed.readUInt16LE(10), metaLen = fixed.readUInt32LE(12);
    if (major !== F.VERSION_MAJOR) throw new CaptureError(this.file, 8, `unsupported scry format version ${major}.${minor}`);
    const rest = metaLen + 4 <= this.size ? this.pread(F.FILE_HEADER_FIXED, metaLen + 4) : Buffer.alloc(0);
    if (rest.length === metaLen + 4) {
      const meta = rest.subarray(0, metaLen);
      if (F.crc32(fixed, meta) === rest.readUInt32LE(metaLen)) {
        let m: Record<string, unknown> = {};
        try { m = (packr.unpack(meta) ?? {}) as Record<string, unknown>; } catch { /* reported below */ }
        return { major, minor, mi: m.mi && typeof m.mi === 'object' ? textsFromWire(m.mi as Record<string, unknown>) as unknown as MachineInfo : null, meta: m, length: F.FILE_HEADER_FIXED + metaLen + 4 };
      }
    }
    // Damaged header: find the first chunk and go on without machine info.
    const first = this.resync(F.FILE_HEADER_FIXED);
    this.warn(0, 'file header is damaged: machine info lost');
    return { major, minor, mi: null, meta: {}, length: first < 0 ? this.size : first };
  }

  /** The chunk index, or null when the file has none (or a damaged one). */
  private readIndex(dataStart: number): { rows: F.IndexEntry[]; summaries: F.ChunkSummary[] } | null {
    if (this.size < dataStart + F.CHUNK_HEADER_LEN + F.TAIL_LEN) return null;
    const off = F.decodeTail(this.pread(this.size - F.TAIL_LEN, F.TAIL_LEN));
    if (off < dataStart || off + F.CHUNK_HEADER_LEN > this.size - F.TAIL_LEN) return null;
    const hb = this.pread(off, F.CHUNK_HEADER_LEN);
    const h = F.decodeChunkHeader(hb, 0);
    if (!h || h.kind !== F.KIND_INDEX || off + F.chunkTotalLen(h) + F.TAIL_LEN !== this.size) return null;
    const frame = this.pread(off + F.CHUNK_HEADER_LEN, h.frameALen);
    if (F.crc32(frame) !== h.crcA) { this.warn(off, 'chunk index is damaged; reading chunk by chunk'); return null; }
    try {
      const o = packr.unpack(this.dec.decompress(frame)) as Record<string, unknown>;
      const rows = F.decodeIndexTable(Buffer.from(o.table as Uint8Array));
      const sums = (o.summaries as unknown[]).map(F.summaryFromWire);
      if (sums.length !== rows.length) throw new Error('summaries do not match the table');
      return { rows, summaries: sums };
    } catch (e) {
      this.warn(off, `chunk index is unreadable (${(e as Error).message}); reading chunk by chunk`);
      return null;
    }
  }

  /** First event time when there is no index: the first readable data chunk's minTs. */
  private firstTs(pos: number): bigint | undefined {
    for (let n = 0; n < 64 && pos + F.CHUNK_HEADER_LEN <= this.size; n++) {
      const h = F.decodeChunkHeader(this.pread(pos, F.CHUNK_HEADER_LEN), 0);
      if (!h) { pos = this.resync(pos + 1); if (pos < 0) return undefined; continue; }
      if (h.kind !== F.KIND_DATA) return undefined;
      if (h.events > 0) return h.minTs;
      pos += F.chunkTotalLen(h);
    }
    return undefined;
  }

  private setWindow(start: bigint): void {
    this.from = resolveBound(this.opts.from, start);
    this.to = resolveBound(this.opts.to, start);
    if (this.from !== undefined) { const w = F.tsWords(this.from); this.fromHi = w.hi; this.fromLo = w.lo; }
    if (this.to !== undefined) { const w = F.tsWords(this.to); this.toHi = w.hi; this.toLo = w.lo; }
  }

  /** What to do with a chunk given its time range, summary and flags. */
  private decide(h: { minTs: bigint; maxTs: bigint; events: number; stateEvents: number }, flags: number,
    summary: () => F.ChunkSummary | null): Act {
    const hasRecords = (flags & F.CF_STATE_RECORDS) !== 0;
    const skipped = (replay: boolean): Act =>
      replay && h.stateEvents > 0 ? Act.STATE : hasRecords ? Act.RECORDS : Act.SKIP;
    if (h.events > 0) {
      if (this.to !== undefined && h.minTs > this.to) return skipped(false);
      if (this.from !== undefined && h.maxTs < this.from) return skipped(this.opts.replayBeforeWindow === true);
    }
    if (this.opts.chunkFilter && h.events > 0) {
      const s = summary();
      if (s && !this.opts.chunkFilter(s)) return skipped(this.opts.replaySkippedState !== false);
    }
    return Act.READ;
  }

  private async readIndexed(rows: F.IndexEntry[], sums: F.ChunkSummary[]): Promise<void> {
    for (let i = 0; i < rows.length && !this.stopped; i++) {
      const r = rows[i];
      const hb = this.pread(r.offset, F.CHUNK_HEADER_LEN);
      const h = F.decodeChunkHeader(hb, 0);
      if (!h || h.kind !== F.KIND_DATA || F.chunkTotalLen(h) !== r.length) {
        await this.drain();
        this.stats.chunksDamaged++;
        this.warn(r.offset, `chunk ${r.seq}: header is damaged; its ${r.events} events are skipped`, r.events);
        this.stats.events = r.firstNum + r.events;
        continue;
      }
      const act = this.decide(h, h.flags, () => sums[i]);
      await this.chunk(r.offset, h, act);
    }
  }

  /** Walks chunk headers from `pos` (no index). */
  private async walk(pos: number): Promise<void> {
    let complete = 0;
    while (pos < this.size && !this.stopped) {
      if (pos + F.CHUNK_HEADER_LEN > this.size) {
        await this.drain();
        this.truncatedAt(pos, complete, `the file ends ${this.size - pos} bytes into a chunk header`);
        return;
      }
      const h = F.decodeChunkHeader(this.pread(pos, F.CHUNK_HEADER_LEN), 0);
      if (!h) {
        const next = this.resync(pos + 1);
        await this.drain();
        if (next < 0) {
          this.truncatedAt(pos, complete, `${this.size - pos} bytes at the end are not a complete chunk`);
          return;
        }
        const nh = F.decodeChunkHeader(this.pread(next, F.CHUNK_HEADER_LEN), 0)!;
        const lost = nh.kind === F.KIND_DATA || nh.kind === F.KIND_INDEX ? Math.max(0, nh.firstNum - this.stats.events) : undefined;
        this.stats.chunksDamaged++;
        this.warn(pos, `damaged chunk header: skipped ${next - pos} bytes to the next chunk` +
          (lost !== undefined ? ` (${lost} events lost)` : ''), lost);
        pos = next;
        continue;
      }
      if (h.kind === F.KIND_INDEX) return; // the index of a file whose tail is damaged
      const total = F.chunkTotalLen(h);
      if (pos + total > this.size) {
        await this.drain();
        this.stats.eventsLost += h.events;
        this.truncatedAt(pos, complete, `chunk ${h.seq} is incomplete (${this.size - pos} of ${total} bytes): its ${h.events} events are lost`);
        return;
      }
      this.stats.chunks++;
      complete++;
      const act = this.decide(h, h.flags, () => {
        if (!h.summaryLen) return null;
        const sb = this.pread(pos + F.CHUNK_HEADER_LEN, h.summaryLen);
        try { return F.summaryFromWire(packr.unpack(sb)); } catch { return null; }
      });
      await this.chunk(pos, h, act);
      pos += total;
    }
    await this.drain();
    if (!this.stopped) this.truncatedAt(pos, complete, 'the file ends without its chunk index');
  }

  private truncatedAt(pos: number, complete: number, what: string): void {
    this.stats.truncated = true;
    this.warn(pos, `capture was cut short (writer killed or disk full): ${what}; ` +
      `read ${complete} complete chunks (${this.stats.events} events)`);
  }

  /** Next offset at or after `pos` holding a valid chunk header, or -1. */
  private resync(pos: number): number {
    const STEP = 1 << 20;
    const magic = Buffer.alloc(4);
    magic.writeUInt32LE(F.CHUNK_MAGIC);
    while (pos < this.size) {
      const b = this.pread(pos, Math.min(STEP + F.CHUNK_HEADER_LEN, this.size - pos));
      let i = b.indexOf(magic);
      while (i >= 0 && i < STEP) {
        if (i + F.CHUNK_HEADER_LEN <= b.length && F.decodeChunkHeader(b, i)) return pos + i;
        i = b.indexOf(magic, i + 1);
      }
      if (b.length <= STEP) return -1;
      pos += STEP;
    }
    return -1;
  }

  /** Starts on a chunk: checks it and hands its frames to the decoder; finished in order by finish(). */
  private async chunk(pos: number, h: F.ChunkHeader, act: Act): Promise<void> {
    const endNum = h.firstNum + h.events;
    if (act === Act.SKIP) {
      this.queue.push({ h, pos, act, endNum, warnings: [], job: null });
    } else {
      const t: Ticket = { h, pos, act, endNum, warnings: [], job: null };
      const aLen = h.summaryLen + h.frameALen;
      const body = this.pread(pos + F.CHUNK_HEADER_LEN, act === Act.READ ? aLen + h.frameBLen : aLen);
      if (body.length < aLen || F.crc32(body.subarray(0, aLen)) !== h.crcA) {
        t.damaged = true;
        t.warnings.push([`chunk ${h.seq}: checksum mismatch; skipped its ${h.events} events${this.range(h)}` +
          (h.flags & F.CF_STATE_RECORDS ? ' and state records' : ''), h.events]);
      } else {
        let bOk = act === Act.READ && h.frameBLen > 0;
        if (bOk && F.crc32(body.subarray(aLen)) !== h.crcB) {
          bOk = false;
          t.damagedB = true;
          t.warnings.push([`chunk ${h.seq}: checksum mismatch in its events; skipped ${h.events - h.stateEvents} of its ${h.events} events${this.range(h)}`,
            h.events - h.stateEvents]);
        }
        t.job = { a: body.subarray(h.summaryLen, aLen), eventsA: act !== Act.RECORDS && h.stateEvents > 0, b: bOk ? body.subarray(aLen) : null };
        if (this.decodeFrame && t.job.a) {
          // handled in finish(), or dropped when reading stops first
          t.frameA = this.decodeFrame(t.job.a, undefined, { keepFrame: true, events: t.job.eventsA });
          t.frameA.catch(() => undefined);
          if (t.job.b) {
            // the window's edges: events outside it need not be rebuilt (state events are in frame A)
            t.frameB = this.decodeFrame(t.job.b, this.spare.pop(), this.straddlesWindow(h) ? { from: this.from, to: this.to } : undefined);
            t.frameB.catch(() => undefined);
          }
        }
      }
      this.queue.push(t);
    }
    while (this.queue.length > (this.decodeFrame ? AHEAD : 0) && !this.stopped) await this.finish(this.queue.shift()!);
  }

  /** Finishes the queued chunks. */
  private async drain(): Promise<void> {
    while (this.queue.length && !this.stopped) await this.finish(this.queue.shift()!);
    this.queue = [];
  }

  private async finish(t: Ticket): Promise<void> {
    const { h, pos, act, endNum } = t;
    for (const [m, lost] of t.warnings) { this.stats.chunksDamaged++; this.warn(pos, m, lost); }
    if (act === Act.SKIP) { this.stats.chunksSkipped++; this.stats.events = endNum; return; }
    if (t.damaged || !t.job) { this.stats.events = endNum; return; }
    let d: DecodedChunk;
    let store: ArrayBuffer | undefined;
    if (t.frameA) {
      d = await decodedFrames(t.frameA, t.frameB);
      store = d.evB ? d.evB.off.buffer as ArrayBuffer : undefined;
    } else {
      d = this.decoder.decode(t.job, this.reuse);
      if (d.evA) this.reuse.a = d.evA;
      if (d.evB) this.reuse.b = d.evB;
    }
    if (d.errorA !== undefined) {
      this.stats.chunksDamaged++;
      this.stats.events = endNum;
      this.warn(pos, `chunk ${h.seq}: cannot decode (${d.errorA}); skipped its ${h.events} events`, h.events);
      return;
    }
    if (d.errorB !== undefined) {
      this.stats.chunksDamaged++;
      this.warn(pos, `chunk ${h.seq}: cannot decode its events (${d.errorB}); skipped ${h.events - h.stateEvents} events`,
        h.events - h.stateEvents);
    }
    // state records come first in a chunk
    for (const w of d.state) {
      try {
        deliverRecord(recordFromWire(w), this.sink, this.onDrops, this.onUnknownBlock);
      } catch (e) {
        if (e instanceof CaptureError) throw e;
        this.warn(pos, `chunk ${h.seq}: bad state record (${(e as Error).message})`);
      }
    }
    if (act === Act.READ) this.stats.chunksRead++; else this.stats.chunksSkipped++;
    if (act !== Act.RECORDS) {
      this.curChunk = h; this.curChunkPos = pos;
      this.deliver(h, d.evA, d.posA, d.evB, act === Act.STATE);
    }
    if (store && this.spare.length < AHEAD + 1) this.spare.push(store);
    if (!this.stopped) this.stats.events = endNum;
    await new Promise<void>((r) => setImmediate(r));
  }

  /**
   * How far into the file ev (the event being handed out) is, in percent:
   * its chunk's offset plus the share of the chunk its place in it stands for.
   */
  progressPercent(ev: ScapEvent): number {
    const h = this.curChunk;
    if (h === undefined || this.size <= 0) return 0;
    const share = h.events > 0 ? Math.min(1, Math.max(0, (ev.num - h.firstNum) / h.events)) : 1;
    return ((this.curChunkPos + F.chunkTotalLen(h) * share) * 100) / this.size;
  }

  private range(h: F.ChunkHeader): string {
    return h.events ? ` (ts ${h.minTs}..${h.maxTs})` : '';
  }

  /** Whether chunk h reaches outside the time window (its events need checking one by one). */
  private straddlesWindow(h: F.ChunkHeader): boolean {
    return (this.from !== undefined && h.minTs < this.from) || (this.to !== undefined && h.maxTs > this.to);
  }

  /**
   * Interleaves the events of frames A and B back into file order and hands
   * them out. Events outside the window (and all of a STATE chunk's) go out
   * flagged DF_STATE_ONLY when they change state, and not at all otherwise.
   */
  private deliver(h: F.ChunkHeader, evA: DecodedEvents | null, posA: Buffer | null, evB: DecodedEvents | null, hiddenOnly: boolean): void {
    const total = h.events;
    const checkFrom = this.from !== undefined && h.minTs < this.from;
    const checkTo = this.to !== undefined && h.maxTs > this.to;
    if (!hiddenOnly && !checkFrom && !checkTo && evB !== null && evB.hdr !== undefined && (evA === null || (posA !== null && evA.hdr !== undefined))) {
      this.deliverWhole(h.firstNum + 1, total, evA, posA, evB);
      return;
    }
    const ev = this.ev, onEvent = this.onEvent, suppress = this.suppress;
    const windowed = this.from !== undefined || this.to !== undefined;
    const fH = this.fromHi, fL = this.fromLo, tH = this.toHi, tL = this.toLo;
    let ia = 0, ib = 0;
    const nA = evA ? evA.n : 0;
    const gaps = posA ? new VarintCursor(posA) : undefined;
    let nextA = nA && gaps ? gaps.next() : -1;
    const base = h.firstNum + 1;
    for (let i = 0; i < total && !this.stopped; i++) {
      let d: DecodedEvents, k: number, isState: boolean;
      if (i === nextA) {
        d = evA!; k = ia++; isState = true;
        nextA = ia < nA ? i + 1 + gaps!.next() : -1;
      } else {
        if (!evB || ib >= evB.n) continue;
        d = evB; k = ib++; isState = false;
        if (d.off[k] < 0) continue; // left out by the decoder's window
      }
      if (hiddenOnly) {
        if (!isState) continue;
        ev.set(d.buf, d.off[k], d.cpu[k], d.flags[k] | F.DF_STATE_ONLY, base + i - this.nSuppressed);
        if (suppress !== undefined && suppress(ev)) { this.nSuppressed++; continue; }
        if (onEvent(ev) === false) this.stopped = true;
        continue;
      }
      if (windowed && (checkFrom || checkTo)) {
        const o = d.off[k], b = d.buf;
        const lo = u32(b, o), hi = u32(b, o + 4);
        const early = checkFrom && (hi < fH || (hi === fH && lo < fL));
        const late = checkTo && (hi > tH || (hi === tH && lo > tL));
        if (early || late) {
          if (!isState || late) continue;
          ev.set(b, o, d.cpu[k], d.flags[k] | F.DF_STATE_ONLY, base + i - this.nSuppressed);
          if (suppress !== undefined && suppress(ev)) { this.nSuppressed++; continue; }
          if (onEvent(ev) === false) this.stopped = true;
          continue;
        }
      }
      const h = d.hdr;
      if (h !== undefined) {
        const j = k * HEADER_FIELDS;
        ev.setHeader(d.buf, d.off[k], d.cpu[k], d.flags[k], base + i - this.nSuppressed, h[j], h[j + 1], h[j + 2], h[j + 3], h[j + 4], h[j + 5], h[j + 6]);
      } else ev.set(d.buf, d.off[k], d.cpu[k], d.flags[k], base + i - this.nSuppressed);
      if (suppress !== undefined && suppress(ev)) { this.nSuppressed++; continue; }
      if (onEvent(ev) === false) this.stopped = true;
    }
  }

  /**
   * deliver() for a chunk read whole, away from the window's edges, with the
   * native decoder's headers: the runs of frame B's events between two of
   * frame A's go out in a loop of their own. (The replay's hot loop for .scry.)
   */
  private deliverWhole(base: number, total: number, evA: DecodedEvents | null, posA: Buffer | null, evB: DecodedEvents): void {
    const ev = this.ev, onEvent = this.onEvent, suppress = this.suppress;
    const nA = evA !== null ? evA.n : 0;
    const bBuf = evB.buf, bOff = evB.off, bCpu = evB.cpu, bFlags = evB.flags, bHdr = evB.hdr!, nB = evB.n;
    let ia = 0, ib = 0, i = 0;
    // frame A's positions: gaps between state events
    const gaps = nA > 0 ? new VarintCursor(posA!) : undefined;
    let nextA = gaps ? gaps.next() : -1;
    while (i < total) {
      const runEnd = nextA < 0 ? total : nextA;
      // frame B's run up to the next state event
      let k = ib;
      const kEnd = Math.min(nB, k + (runEnd - i));
      let num = base + i - this.nSuppressed;
      for (; k < kEnd; k++, num++) {
        const o = bOff[k];
        if (o < 0) continue;
        const j = k * HEADER_FIELDS;
        ev.setHeader(bBuf, o, bCpu[k], bFlags[k], num, bHdr[j], bHdr[j + 1], bHdr[j + 2], bHdr[j + 3], bHdr[j + 4], bHdr[j + 5], bHdr[j + 6]);
        if (suppress !== undefined && suppress(ev)) { this.nSuppressed++; num--; continue; }
        if (onEvent(ev) === false || this.stopped) { this.stopped = true; return; }
      }
      ib = k;
      i = runEnd;
      if (i >= total) break;
      // the state event at i
      const d = evA!, q = ia++, j = q * HEADER_FIELDS, hd = d.hdr!;
      ev.setHeader(d.buf, d.off[q], d.cpu[q], d.flags[q], base + i - this.nSuppressed, hd[j], hd[j + 1], hd[j + 2], hd[j + 3], hd[j + 4], hd[j + 5], hd[j + 6]);
      nextA = ia < nA ? i + 1 + gaps!.next() : -1;
      i++;
      if (suppress !== undefined && suppress(ev)) { this.nSuppressed++; continue; }
      if (onEvent(ev) === false || this.stopped) { this.stopped = true; return; }
    }
  }
}
