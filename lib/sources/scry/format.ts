// Layout constants and the fixed binary parts of the .scry format: file
// header, chunk header, index tail. docs/format.md is the description; this
// file is the single place that knows the byte offsets.

import * as zlib from 'zlib';
import { textFromWire, textToWire } from './wire-text';

/** First 8 bytes of every .scry file: 0x89 "SCRY" CR LF 0x1a (binary-safe, like PNG's). */
export const FILE_MAGIC = Buffer.from([0x89, 0x53, 0x43, 0x52, 0x59, 0x0d, 0x0a, 0x1a]);
export const VERSION_MAJOR = 1;
export const VERSION_MINOR = 0;
/** magic(8) major(2) minor(2) metaLen(4); then meta (msgpack), then crc32 (4). */
export const FILE_HEADER_FIXED = 16;

/** "SCHK" read as a little-endian u32. */
export const CHUNK_MAGIC = 0x4b484353;
export const CHUNK_HEADER_LEN = 72;
/** Chunk flag: frame A holds state records (so the chunk is never skipped whole). */
export const CF_STATE_RECORDS = 1;
export const KIND_DATA = 1;
export const KIND_INDEX = 2;
/** Frames are zstd-compressed msgpack. */
export const CODEC_ZSTD_MSGPACK = 1;

/** Tail at the very end of a closed file: index offset u64, "SCIX", crc32 of the 12 bytes before. */
export const TAIL_LEN = 16;
export const TAIL_MAGIC = 0x58494353; // "SCIX"

export { DF_STATE_ONLY } from '../../event/event';

export function crc32(...parts: Uint8Array[]): number {
  let c = 0;
  for (const p of parts) c = zlib.crc32(p, c);
  return c >>> 0;
}

/** Everything the fixed chunk header says. Timestamps are u64 ns. */
export interface ChunkHeader {
  kind: number;
  codec: number;
  flags: number;
  /** Position of the chunk among the file's chunks, from 0. */
  seq: number;
  /** Events in the chunk (both frames). */
  events: number;
  /** Events in frame A (the state-changing ones). */
  stateEvents: number;
  summaryLen: number;
  frameALen: number;
  frameBLen: number;
  /** Events in the file before this chunk (evt.num of its first event is firstNum + 1). */
  firstNum: number;
  minTs: bigint;
  maxTs: bigint;
  /** crc32 of the summary and frame A. */
  crcA: number;
  /** crc32 of frame B. */
  crcB: number;
}

export function chunkTotalLen(h: ChunkHeader): number {
  return CHUNK_HEADER_LEN + h.summaryLen + h.frameALen + h.frameBLen;
}

export function encodeChunkHeader(h: ChunkHeader): Buffer {
  const b = Buffer.alloc(CHUNK_HEADER_LEN);
  b.writeUInt32LE(CHUNK_MAGIC, 0);
  b[4] = h.kind;
  b[5] = h.codec;
  b.writeUInt16LE(h.flags, 6);
  b.writeUInt32LE(h.seq, 8);
  b.writeUInt32LE(h.events, 12);
  b.writeUInt32LE(h.stateEvents, 16);
  b.writeUInt32LE(h.summaryLen, 20);
  b.writeUInt32LE(h.frameALen, 24);
  b.writeUInt32LE(h.frameBLen, 28);
  b.writeBigUInt64LE(BigInt(h.firstNum), 32);
  b.writeBigUInt64LE(h.minTs, 40);
  b.writeBigUInt64LE(h.maxTs, 48);
  b.writeUInt32LE(h.crcA >>> 0, 56);
  b.writeUInt32LE(h.crcB >>> 0, 60);
  b.writeUInt32LE(crc32(b.subarray(0, 68)), 68);
  return b;
}

/** Decodes a chunk header at b[off]; null when the magic or the header checksum is wrong. */
export function decodeChunkHeader(b: Buffer, off: number): ChunkHeader | null {
  if (off + CHUNK_HEADER_LEN > b.length) return null;
  if (b.readUInt32LE(off) !== CHUNK_MAGIC) return null;
  if (crc32(b.subarray(off, off + 68)) !== b.readUInt32LE(off + 68)) return null;
  return {
    kind: b[off + 4],
    codec: b[off + 5],
    flags: b.readUInt16LE(off + 6),
    seq: b.readUInt32LE(off + 8),
    events: b.readUInt32LE(off + 12),
    stateEvents: b.readUInt32LE(off + 16),
    summaryLen: b.readUInt32LE(off + 20),
    frameALen: b.readUInt32LE(off + 24),
    frameBLen: b.readUInt32LE(off + 28),
    firstNum: Number(b.readBigUInt64LE(off + 32)),
    minTs: b.readBigUInt64LE(off + 40),
    maxTs: b.readBigUInt64LE(off + 48),
    crcA: b.readUInt32LE(off + 56),
    crcB: b.readUInt32LE(off + 60),
  };
}

export function encodeTail(indexOffset: number): Buffer {
  const b = Buffer.alloc(TAIL_LEN);
  b.writeBigUInt64LE(BigInt(indexOffset), 0);
  b.writeUInt32LE(TAIL_MAGIC, 8);
  b.writeUInt32LE(crc32(b.subarray(0, 12)), 12);
  return b;
}

/** The index offset a tail names, or -1 when b is not a valid tail. */
export function decodeTail(b: Buffer): number {
  if (b.length !== TAIL_LEN || b.readUInt32LE(8) !== TAIL_MAGIC) return -1;
  if (crc32(b.subarray(0, 12)) !== b.readUInt32LE(12)) return -1;
  return Number(b.readBigUInt64LE(0));
}

/** One row of the chunk index (48 bytes each in the index frame's `table`). */
export interface IndexEntry {
  offset: number;
  length: number;
  events: number;
  stateEvents: number;
  seq: number;
  firstNum: number;
  minTs: bigint;
  maxTs: bigint;
}

export const INDEX_ROW = 48;

export function encodeIndexTable(rows: IndexEntry[]): Buffer {
  const b = Buffer.alloc(rows.length * INDEX_ROW);
  rows.forEach((r, i) => {
    const o = i * INDEX_ROW;
    b.writeBigUInt64LE(BigInt(r.offset), o);
    b.writeUInt32LE(r.length, o + 8);
    b.writeUInt32LE(r.events, o + 12);
    b.writeUInt32LE(r.stateEvents, o + 16);
    b.writeUInt32LE(r.seq, o + 20);
    b.writeBigUInt64LE(BigInt(r.firstNum), o + 24);
    b.writeBigUInt64LE(r.minTs, o + 32);
    b.writeBigUInt64LE(r.maxTs, o + 40);
  });
  return b;
}

export function decodeIndexTable(b: Buffer): IndexEntry[] {
  const rows: IndexEntry[] = [];
  for (let o = 0; o + INDEX_ROW <= b.length; o += INDEX_ROW) {
    rows.push({
      offset: Number(b.readBigUInt64LE(o)),
      length: b.readUInt32LE(o + 8),
      events: b.readUInt32LE(o + 12),
      stateEvents: b.readUInt32LE(o + 16),
      seq: b.readUInt32LE(o + 20),
      firstNum: Number(b.readBigUInt64LE(o + 24)),
      minTs: b.readBigUInt64LE(o + 32),
      maxTs: b.readBigUInt64LE(o + 40),
    });
  }
  return rows;
}

/**
 * What a chunk holds, in a form a filter can test without decompressing it.
 * `types` is a bitset over event type ids; `tids` is null when the chunk has
 * too many distinct threads to list; `comms` lists the process names of the
 * events' threads as known to the writer, complete only when `commsComplete`.
 */
export interface ChunkSummary {
  types: Buffer;
  tids: number[] | null;
  comms: string[];
  commsComplete: boolean;
}

/** Largest number of thread ids a summary lists before it gives up (tids: null). */
export const SUMMARY_MAX_TIDS = 4096;
export const SUMMARY_MAX_COMMS = 1024;

export function summaryHasType(s: ChunkSummary, type: number): boolean {
  const byte = type >> 3;
  return byte < s.types.length && (s.types[byte] & (1 << (type & 7))) !== 0;
}

/** Wire form of a summary (short keys). */
export function summaryToWire(s: ChunkSummary): Record<string, unknown> {
  return { ty: s.types, ti: s.tids, cm: s.comms.map(textToWire), cc: s.commsComplete };
}

export function summaryFromWire(w: unknown): ChunkSummary {
  const o = (w ?? {}) as Record<string, unknown>;
  const ty = o.ty;
  return {
    types: Buffer.isBuffer(ty) ? ty : ty instanceof Uint8Array ? Buffer.from(ty) : Buffer.alloc(0),
    tids: Array.isArray(o.ti) ? (o.ti as number[]) : null,
    comms: Array.isArray(o.cm) ? (o.cm as unknown[]).map(textFromWire) : [],
    commsComplete: o.cc === true,
  };
}

/** u64 ns (bigint) split into the u32 words a record stores. */
export function tsWords(ts: bigint): { hi: number; lo: number } {
  return { hi: Number(ts >> 32n), lo: Number(ts & 0xffffffffn) };
}
