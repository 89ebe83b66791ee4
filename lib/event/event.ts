// One event in the scap event schema, decoded lazily from its bytes.
//
// Sources hand out a single mutable ScapEvent per stream (a flyweight pointed
// at the current record) so reading allocates nothing per event. Whoever needs
// an event beyond the current callback takes a copy with clone().

import { EF, EventInfo } from '../schema/types';
import { EVENTS } from '../schema/events';
import { splitNs } from '../util/time';
import { cString, i8, i16, i32, u16, u32 } from '../util/bytes';

/** Stand-in for ids past the end of the table. */
export const UNKNOWN_EVENT: EventInfo = Object.freeze({ id: -1, name: 'NA', enter: true, category: 0, flags: 0, params: Object.freeze([]), sysdigParams: undefined });

/** Size of the event record header: ts u64, tid u64, len u32, type u16, nparams u32. */
export const EVENT_HEADER_LEN = 26;

/** Why setChecked() refused a record. */
export const enum RecordError { SHORT = 1, PAST_BLOCK = 2, TOO_MANY_PARAMS = 3, PARAMS_PAST_END = 4 }

/** SCAP_DF_STATE_ONLY (a block flag): the event feeds the state but is not shown (sysdig's fatfile mode). */
export const DF_STATE_ONLY = 1;
/** SCAP_DF_TRACER (a block flag): a write sysdig read as a tracer, saved by -w as the write. */
export const DF_TRACER = 2;

export class ScapEvent {
  /** Bytes holding the record; the header starts at `off`. */
  buf: Buffer = Buffer.alloc(0);
  off = 0;
  /** Sequence number (evt.num), counted by the source over every event, hidden ones included. */
  num = 0;
  cpu = 0;
  /** Block flags of EVF blocks (0 otherwise). */
  blockFlags = 0;
  type = 0;
  tid = 0;
  len = 0;
  nparams = 0;
  info: EventInfo = UNKNOWN_EVENT;
  /** Timestamp as the two 32-bit halves of its u64 nanoseconds. */
  tsHi = 0;
  tsLo = 0;
  /**
   * When this event stands for another record (sysdig turns a tracer write
   * into a tracer event), that record, with the flags a writer saves it with.
   */
  original: ScapEvent | undefined = undefined;
  private split = { sec: 0, nsec: 0 };
  private splitValid = false;
  private lenSize = 2;
  private offsValid = false;
  private offs = new Uint32Array(64);

  /** Points this event at the record at buf[off]. The record must already be validated. */
  set(buf: Buffer, off: number, cpu: number, blockFlags: number, num: number): void {
    this.setHeader(buf, off, cpu, blockFlags, num, i32(buf, off), i32(buf, off + 4), i32(buf, off + 8), i32(buf, off + 12),
      i32(buf, off + 16), u16(buf, off + 20), i32(buf, off + 22));
  }

  /**
   * set() with the header fields already read (by the native block scanner):
   * ts and tid as their 32-bit halves (int32 bits), len, type, nparams.
   */
  setHeader(buf: Buffer, off: number, cpu: number, blockFlags: number, num: number,
    tsLo: number, tsHi: number, tidLo: number, tidHi: number, len: number, type: number, nparams: number): void {
    this.buf = buf;
    this.off = off;
    this.cpu = cpu;
    this.blockFlags = blockFlags;
    this.num = num;
    this.tsLo = tsLo >>> 0;
    this.tsHi = tsHi >>> 0;
    this.splitValid = false;
    this.tid = tidHi * 4294967296 + (tidLo >>> 0);
    this.len = len >>> 0;
    this.type = type;
    this.nparams = nparams >>> 0;
    const info = EVENTS[type] ?? UNKNOWN_EVENT;
    this.info = info;
    this.lenSize = info.flags & EF.LARGE_PAYLOAD ? 4 : 2;
    this.offsValid = false;
    this.original = undefined;
  }

  /**
   * set() for a record not yet validated: also computes the parameter
   * offsets, checking that the record fits in `avail` bytes and its parameter
   * lengths add up within it. Returns 0, or a RecordError code.
   */
  setChecked(buf: Buffer, off: number, cpu: number, blockFlags: number, num: number, avail: number): number {
    const len = u32(buf, off + 16);
    if (len < EVENT_HEADER_LEN) return RecordError.SHORT;
    if (len > avail) return RecordError.PAST_BLOCK;
    const type = u16(buf, off + 20);
    const info = EVENTS[type] ?? UNKNOWN_EVENT;
    const n = u32(buf, off + 22);
    const lenSize = info.flags & EF.LARGE_PAYLOAD ? 4 : 2;
    let lenPos = off + EVENT_HEADER_LEN;
    let p = lenPos + n * lenSize;
    const end = off + len;
    if (p > end) return RecordError.TOO_MANY_PARAMS;
    if (this.offs.length < n + 1) this.offs = new Uint32Array(n + 1);
    const offs = this.offs;
    if (lenSize === 2) {
      for (let i = 0; i < n; i++) { offs[i] = p; p += buf[lenPos] | (buf[lenPos + 1] << 8); lenPos += 2; }
    } else {
      for (let i = 0; i < n; i++) { offs[i] = p; p += u32(buf, lenPos); lenPos += 4; }
    }
    if (p > end) return RecordError.PARAMS_PAST_END;
    offs[n] = p;
    this.set(buf, off, cpu, blockFlags, num);
    this.offsValid = true;
    return 0;
  }

  get enter(): boolean { return this.info.enter; }

  /** Seconds part of the timestamp (split lazily: most events never need it). */
  get sec(): number {
    if (!this.splitValid) { splitNs(this.tsHi, this.tsLo, this.split); this.splitValid = true; }
    return this.split.sec;
  }

  /** Nanoseconds within the second. */
  get nsec(): number {
    if (!this.splitValid) { splitNs(this.tsHi, this.tsLo, this.split); this.splitValid = true; }
    return this.split.nsec;
  }

  /** Nanoseconds from `hi:lo` to this event's timestamp (exact below 2^53). */
  nsSince(hi: number, lo: number): number {
    return (this.tsHi - hi) * 4294967296 + (this.tsLo - lo);
  }

  private computeOffsets(): void {
    const n = this.nparams;
    if (this.offs.length < n + 1) this.offs = new Uint32Array(n + 1);
    const buf = this.buf;
    let lenPos = this.off + EVENT_HEADER_LEN;
    let p = lenPos + n * this.lenSize;
    const offs = this.offs;
    if (this.lenSize === 2) {
      for (let i = 0; i < n; i++) { offs[i] = p; p += buf[lenPos] | (buf[lenPos + 1] << 8); lenPos += 2; }
    } else {
      for (let i = 0; i < n; i++) { offs[i] = p; p += u32(buf, lenPos); lenPos += 4; }
    }
    offs[n] = p;
    this.offsValid = true;
  }

  /** Absolute offset in `buf` of parameter i. */
  paramOff(i: number): number {
    if (!this.offsValid) this.computeOffsets();
    return this.offs[i];
  }

  paramLen(i: number): number {
    if (!this.offsValid) this.computeOffsets();
    return this.offs[i + 1] - this.offs[i];
  }

  hasParam(i: number): boolean { return i < this.nparams; }

  /** Parameter i as an unsigned integer of its stored width (up to 53 bits exact). */
  u(i: number): number {
    const o = this.paramOff(i), l = this.paramLen(i), b = this.buf;
    switch (l) {
      case 1: return b[o];
      case 2: return u16(b, o);
      case 4: return u32(b, o);
      case 8: return u32(b, o + 4) * 4294967296 + u32(b, o);
      default: return 0;
    }
  }

  /** Parameter i as an unsigned integer, exact: a number up to 2^53, a bigint above. */
  u64(i: number): number | bigint {
    const v = this.u(i);
    return v <= Number.MAX_SAFE_INTEGER ? v : this.big(i);
  }

  /** Parameter i as a signed integer of its stored width. */
  s(i: number): number {
    const o = this.paramOff(i), l = this.paramLen(i), b = this.buf;
    switch (l) {
      case 1: return i8(b, o);
      case 2: return i16(b, o);
      case 4: return i32(b, o);
      case 8: return readI64(b, o);
      default: return 0;
    }
  }

  /** Parameter i as a u64 BigInt (exact; allocates). */
  big(i: number): bigint {
    const o = this.paramOff(i), l = this.paramLen(i), b = this.buf;
    if (l === 8) return b.readBigUInt64LE(o);
    return BigInt(this.u(i));
  }

  /** Parameter i as a string, stopping at the first NUL. */
  str(i: number): string {
    const o = this.paramOff(i);
    return cString(this.buf, o, o + this.paramLen(i));
  }

  /**
   * Parameter i as sysdig's parsers take a string, from the parameter's
   * address to a NUL: an empty parameter reads the bytes after it (here up to
   * the event's end). A view, valid only during the callback.
   */
  cbytes(i: number): Buffer {
    const o = this.paramOff(i), l = this.paramLen(i);
    if (l !== 0) return this.buf.subarray(o, o + l);
    const b = this.buf, end = this.off + this.len;
    let e = o;
    while (e < end && b[e] !== 0) e++;
    return b.subarray(o, e);
  }

  /** cbytes(i) as text, up to its first NUL. */
  cstr(i: number): string {
    const o = this.paramOff(i), l = this.paramLen(i);
    return cString(this.buf, o, l !== 0 ? o + l : this.off + this.len);
  }

  /** Raw bytes of parameter i (a view, valid only during the callback). */
  bytes(i: number): Buffer {
    const o = this.paramOff(i);
    return this.buf.subarray(o, o + this.paramLen(i));
  }

  /** Returns the index of the parameter named `name`, or -1. */
  paramIndex(name: string): number {
    const ps = this.info.params;
    const n = Math.min(ps.length, this.nparams);
    for (let i = 0; i < n; i++) if (ps[i].name === name) return i;
    return -1;
  }

  /** An independent copy that owns its bytes. */
  clone(): ScapEvent {
    const e = new ScapEvent();
    const bytes = Buffer.from(this.buf.subarray(this.off, this.off + this.len));
    e.set(bytes, 0, this.cpu, this.blockFlags, this.num);
    return e;
  }

  /** Copies this event's record into `into` (reused when large enough) and points `into` at it. */
  copyInto(into: ScapEvent, scratch?: Buffer): Buffer {
    let b = scratch && scratch.length >= this.len ? scratch : Buffer.allocUnsafe(Math.max(this.len, 256));
    this.buf.copy(b, 0, this.off, this.off + this.len);
    into.set(b, 0, this.cpu, this.blockFlags, this.num);
    return b;
  }
}

/** Length of an event record holding these parameter values, their lengths `wide` bytes each. */
export function recordLength(values: readonly Uint8Array[], wide: 2 | 4): number {
  let n = EVENT_HEADER_LEN + values.length * wide;
  for (const v of values) n += v.length;
  return n;
}

/**
 * Writes an event record into out at `at` (room for recordLength(values,
 * wide) needed): ts and tid copied from the record at src[srcAt], then its
 * length, type, the number of values, their lengths and the values.
 * Returns the record's length.
 */
export function writeRecord(out: Buffer, at: number, src: Buffer, srcAt: number, type: number,
  values: readonly Uint8Array[], wide: 2 | 4): number {
  const len = recordLength(values, wide);
  src.copy(out, at, srcAt, srcAt + 16);
  out.writeUInt32LE(len, at + 16);
  out.writeUInt16LE(type, at + 20);
  out.writeUInt32LE(values.length, at + 22);
  let lp = at + EVENT_HEADER_LEN, q = lp + values.length * wide;
  for (const v of values) {
    if (wide === 2) out.writeUInt16LE(v.length, lp); else out.writeUInt32LE(v.length, lp);
    lp += wide;
    out.set(v, q);
    q += v.length;
  }
  return len;
}

/** Reads a little-endian signed 64-bit integer as a number (exact within 2^53). */
export function readI64(b: Buffer, o: number): number {
  return i32(b, o + 4) * 4294967296 + u32(b, o);
}
