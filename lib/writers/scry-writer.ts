// Writer of .scry captures (docs/format.md).
//
// Events and state records gather in the current chunk; a chunk is compressed
// and written with one write() when it is full, when state records follow
// events (so the file keeps their order), on flush() and on close(). A
// process killed at any moment thus leaves whole chunks followed by at most
// one partial chunk, which readers detect and report.

import * as fs from 'fs';
import { closeOutputFile, openOutputFile, writeAllAt } from '../util/fdwrite';
import { compress } from 'zstd-napi';
import { ScapEvent } from '../event/event';
import { CaptureSink, MachineInfo } from '../event/records';
import { EventEncoder, Bytes } from '../sources/scry/codec';
import * as F from '../sources/scry/format';
import { packr, recordToWire, StateRecord } from '../sources/scry/records';
import { textsToWire } from '../sources/scry/wire-text';
import { isStateType } from './state-events';
import { CaptureWriter, sinkFor, WriterOptions, WriteStats } from './types';
import { u32 } from '../util/bytes';

const EF_LARGE_PAYLOAD = 1 << 11;

export const DEFAULT_LEVEL = 6;
export const DEFAULT_CHUNK_EVENTS = 32768;
export const DEFAULT_CHUNK_BYTES = 4 << 20;

export class ScryWriter implements CaptureWriter {
  readonly sink: CaptureSink;
  private fd: number;
  private pos = 0;
  private headerDone = false;
  private mi?: MachineInfo;
  private closed = false;
  private readonly level: number;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  // current chunk
  private state: unknown[] = [];
  private encA = new EventEncoder();
  private encB = new EventEncoder();
  private posA = new Bytes(1024);
  private lastPosA = -1;
  private count = 0;
  private rawBytes = 0;
  private minHi = 0; private minLo = 0; private maxHi = 0; private maxLo = 0;
  private types = Buffer.alloc(128);
  private tids = new Set<number>();
  private tidsOverflow = false;
  private comms = new Set<string>();
  private commsComplete = true;
  // whole file
  private seq = 0;
  private num = 0;
  private index: F.IndexEntry[] = [];
  private summaries: unknown[] = [];
  private drops: number[] | null = null;
  private commOf = new Map<number, string>();
  private commParam = new Int16Array(65536).fill(-2);

  constructor(readonly path: string, opts: WriterOptions = {}) {
    this.level = opts.level ?? DEFAULT_LEVEL;
    this.maxEvents = Math.max(1, opts.chunkEvents ?? DEFAULT_CHUNK_EVENTS);
    this.maxBytes = Math.max(1, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
    this.fd = openOutputFile(path);
    this.sink = sinkFor((r) => this.writeState(r));
  }

  writeState(rec: StateRecord): void {
    if (this.closed) throw new Error('scry writer: write after close');
    if (this.count > 0) this.flushChunk();
    if (rec.kind === 'machine' && !this.headerDone && !this.mi) { this.mi = rec.mi; return; }
    if (rec.kind === 'thread') this.commOf.set(rec.thread.tid, rec.thread.comm);
    if (rec.kind === 'drops') this.drops = rec.perCpu.slice();
    this.state.push(recordToWire(rec));
  }

  writeEvent(ev: ScapEvent): void {
    if (this.closed) throw new Error('scry writer: write after close');
    const type = ev.type;
    const large = (ev.info.flags & EF_LARGE_PAYLOAD) !== 0;
    const ord = this.count;
    if (isStateType(type)) {
      this.encA.add(ev.buf, ev.off, ev.cpu, ev.blockFlags, large);
      this.posA.varint(ord - this.lastPosA - 1);
      this.lastPosA = ord;
    } else {
      this.encB.add(ev.buf, ev.off, ev.cpu, ev.blockFlags, large);
    }
    // summary
    if (type < 65536) {
      const byte = type >> 3;
      if (byte >= this.types.length) {
        const t = Buffer.alloc(Math.max(byte + 1, this.types.length * 2));
        this.types.copy(t);
        this.types = t;
      }
      this.types[byte] |= 1 << (type & 7);
    }
    const tid = ev.tid;
    if (!this.tidsOverflow) {
      this.tids.add(tid);
      if (this.tids.size > F.SUMMARY_MAX_TIDS) { this.tidsOverflow = true; this.tids.clear(); }
    }
    let cp = this.commParam[type];
    if (cp === -2) {
      cp = ev.info.enter ? -1 : ev.paramIndex('comm');
      // paramIndex is bounded by this event's nparams; look at the table instead
      if (!ev.info.enter && cp < 0) cp = ev.info.params.findIndex((p) => p.name === 'comm');
      this.commParam[type] = cp;
    }
    if (cp >= 0 && cp < ev.nparams) this.commOf.set(tid, ev.str(cp));
    const comm = this.commOf.get(tid);
    if (comm === undefined) this.commsComplete = false;
    else if (this.comms.size < F.SUMMARY_MAX_COMMS) this.comms.add(comm);
    else if (!this.comms.has(comm)) this.commsComplete = false;
    // time range
    const b = ev.buf, o = ev.off;
    const lo = u32(b, o), hi = u32(b, o + 4);
    if (this.count === 0) { this.minHi = this.maxHi = hi; this.minLo = this.maxLo = lo; }
    else {
      if (hi < this.minHi || (hi === this.minHi && lo < this.minLo)) { this.minHi = hi; this.minLo = lo; }
      if (hi > this.maxHi || (hi === this.maxHi && lo > this.maxLo)) { this.maxHi = hi; this.maxLo = lo; }
    }
    this.count++;
    this.rawBytes += ev.len;
    if (this.count >= this.maxEvents || this.rawBytes >= this.maxBytes) this.flushChunk();
  }

  get written(): number { return this.pos; }

  flush(): void {
    if (this.closed) return;
    this.flushChunk();
  }

  async close(): Promise<WriteStats> {
    if (this.closed) throw new Error('scry writer: closed twice');
    this.flushChunk();
    this.writeHeader();
    // index chunk + tail
    const indexOffset = this.pos;
    const body = packr.pack({
      v: 1,
      table: F.encodeIndexTable(this.index),
      summaries: this.summaries,
      events: this.num,
      drops: this.drops,
    });
    const frame = compress(body, { compressionLevel: this.level });
    const hdr = F.encodeChunkHeader({
      kind: F.KIND_INDEX, codec: F.CODEC_ZSTD_MSGPACK, flags: 0, seq: this.seq, events: 0, stateEvents: 0,
      summaryLen: 0, frameALen: frame.length, frameBLen: 0, firstNum: this.num, minTs: 0n, maxTs: 0n,
      crcA: F.crc32(frame), crcB: 0,
    });
    this.write(Buffer.concat([hdr, frame, F.encodeTail(indexOffset)]));
    this.closed = true;
    closeOutputFile(this.fd);
    return { events: this.num, bytes: this.pos, chunks: this.index.length };
  }

  private write(b: Buffer): void {
    writeAllAt(this.fd, this.path, b, this.pos);
    this.pos += b.length;
  }

  private writeHeader(): void {
    if (this.headerDone) return;
    this.headerDone = true;
    const meta = packr.pack({
      mi: this.mi ? textsToWire(this.mi) : null,
      writer: 'scry',
      created: Date.now(),
    });
    const fixed = Buffer.alloc(F.FILE_HEADER_FIXED);
    F.FILE_MAGIC.copy(fixed, 0);
    fixed.writeUInt16LE(F.VERSION_MAJOR, 8);
    fixed.writeUInt16LE(F.VERSION_MINOR, 10);
    fixed.writeUInt32LE(meta.length, 12);
    const crc = Buffer.alloc(4);
    crc.writeUInt32LE(F.crc32(fixed, meta));
    this.write(Buffer.concat([fixed, meta, crc]));
  }

  private flushChunk(): void {
    if (this.count === 0 && this.state.length === 0) return;
    this.writeHeader();
    const nA = this.encA.n, nB = this.encB.n;
    const a = packr.pack({
      s: this.state,
      e: nA ? this.encA.finish() : null,
      p: nA ? this.posA.take() : null,
    });
    const frameA = compress(a, { compressionLevel: this.level });
    const frameB = nB ? compress(packr.pack({ e: this.encB.finish() }), { compressionLevel: this.level }) : Buffer.alloc(0);
    const summaryObj: F.ChunkSummary = {
      types: Buffer.from(this.types.subarray(0, lastNonZero(this.types) + 1)),
      tids: this.tidsOverflow ? null : [...this.tids],
      comms: [...this.comms],
      commsComplete: this.commsComplete,
    };
    const summaryWire = F.summaryToWire(summaryObj);
    const summary = packr.pack(summaryWire);
    const minTs = this.count ? BigInt(this.minHi) * 4294967296n + BigInt(this.minLo) : 0n;
    const maxTs = this.count ? BigInt(this.maxHi) * 4294967296n + BigInt(this.maxLo) : 0n;
    const hdr = F.encodeChunkHeader({
      kind: F.KIND_DATA, codec: F.CODEC_ZSTD_MSGPACK, flags: this.state.length ? F.CF_STATE_RECORDS : 0, seq: this.seq, events: this.count,
      stateEvents: nA, summaryLen: summary.length, frameALen: frameA.length, frameBLen: frameB.length,
      firstNum: this.num, minTs, maxTs, crcA: F.crc32(summary, frameA), crcB: F.crc32(frameB),
    });
    const offset = this.pos;
    const chunk = Buffer.concat([hdr, summary, frameA, frameB]);
    this.write(chunk);
    this.index.push({
      offset, length: chunk.length, events: this.count, stateEvents: nA, seq: this.seq,
      firstNum: this.num, minTs, maxTs,
    });
    this.summaries.push(summaryWire);
    this.seq++;
    this.num += this.count;
    // reset the chunk
    this.state = [];
    this.encA.reset(); this.encB.reset();
    this.posA.reset(); this.lastPosA = -1;
    this.count = 0; this.rawBytes = 0;
    this.types.fill(0);
    this.tids.clear(); this.tidsOverflow = false;
    this.comms.clear(); this.commsComplete = true;
  }
}

function lastNonZero(b: Buffer): number {
  for (let i = b.length - 1; i >= 0; i--) if (b[i]) return i;
  return -1;
}
