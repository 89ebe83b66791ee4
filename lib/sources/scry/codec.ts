// Column codec for event records.
//
// A frame's events are kept as the exact bytes of their scap event records,
// but split into columns before compression: header fields in their own
// streams (timestamps as deltas, thread ids as "same as the last one on this
// cpu"), parameter lengths as varints, and parameter bytes grouped by
// (event type, parameter index) so that similar values sit together. zstd
// compresses that about twice as well as the records side by side. Decoding
// rebuilds the records byte for byte into one buffer per frame.

import { compress } from 'zstd-napi';
import { optionalNative } from '../../native/addon';
import { put32, u16, u32 } from '../../util/bytes';

const TWO32 = 4294967296;
/** Parameter streams are keyed by type << 5 | index; everything else shares MISC_KEY. */
const MAX_KEY_TYPE = 2047;
const MAX_KEY_PARAM = 32;
export const MISC_KEY = 65535;
/** Bytes past the last parameter (len larger than the params need), if a record has any. */
export const TAIL_KEY = 65534;
const NKEYS = 65536;
/** Timestamp deltas at least this large (either sign) are stored raw. */
const TS_DELTA_MAX = 2 ** 50;

function keyOf(type: number, i: number): number {
  return type <= MAX_KEY_TYPE && i < MAX_KEY_PARAM ? (type << 5) | i : MISC_KEY;
}

/** Reads the unsigned varints (LEB128) Bytes.varint writes, in turn from the start of buf. */
export class VarintCursor {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  next(): number {
    const b = this.buf;
    let v = 0, m = 1, x: number;
    do { x = b[this.pos++]; v += (x & 127) * m; m *= 128; } while (x >= 128);
    return v;
  }
}

/** A growable byte buffer. */
export class Bytes {
  buf: Buffer;
  len = 0;
  constructor(cap = 1024) { this.buf = Buffer.allocUnsafe(cap); }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }
  u8(v: number): void { this.ensure(1); this.buf[this.len++] = v; }
  u16(v: number): void { this.ensure(2); this.buf[this.len++] = v & 0xff; this.buf[this.len++] = v >>> 8; }
  /** Unsigned varint (LEB128) of a non-negative integer below 2^53. */
  varint(v: number): void {
    this.ensure(8);
    const b = this.buf;
    while (v >= 128) { b[this.len++] = (v & 127) | 128; v = Math.floor(v / 128); }
    b[this.len++] = v;
  }
  bytes(src: Buffer, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    if (n < 16) { const b = this.buf; let p = this.len; for (let i = start; i < end; i++) b[p++] = src[i]; }
    else src.copy(this.buf, this.len, start, end);
    this.len += n;
  }
  view(): Buffer { return this.buf.subarray(0, this.len); }
  /** An owned copy (views of the growable buffer change as it is reused). */
  take(): Buffer { return Buffer.from(this.buf.subarray(0, this.len)); }
  reset(): void { this.len = 0; }
  /** True when every byte written is zero. */
  allZero(): boolean { for (let i = 0; i < this.len; i++) if (this.buf[i] !== 0) return false; return true; }
}

/** Wire form of a frame's events (the msgpack map stored in the frame). */
export interface EventColumns {
  /** Events. */
  n: number;
  /** Total bytes of the rebuilt records. */
  raw: number;
  /** Timestamps: varint per event, 2*zigzag(delta) or 1 = raw u64 in esc. Delta from the previous event (first: from 0 via esc). */
  ts: Buffer;
  /** Thread ids: varint per event, 0 = same as the last event on this cpu, 1 = raw i64 in esc, 2+2*zigzag(tid) otherwise. */
  tid: Buffer;
  /** Event type, u16 LE per event. */
  ty: Buffer;
  /** cpu, u16 LE per event. */
  cpu: Buffer;
  /** Block flags, varint per event; null when all are 0. */
  fl: Buffer | null;
  /** nparams*2 + (1 when the lengths are u32 (large payload)), varint per event. */
  np: Buffer;
  /** Bytes past the parameters, varint per event; null when all are 0. */
  xl: Buffer | null;
  /** Raw 8-byte values that did not fit a varint. */
  esc: Buffer;
  /** Parameter lengths, varint per parameter. */
  ln: Buffer;
  /** Parameter streams: (key u16, length u32) per stream, in the order of `data`. */
  keys: Buffer;
  data: Buffer;
  /** Keys (u16 each) of the streams stored as u64 deltas (each 8-byte word minus the previous one, mod 2^64); absent when none. */
  d8?: Buffer | null;
}

/** Streams at least this long whose length is a multiple of 8 are tried as u64 deltas. */
const D8_MIN = 512;
/** Writes into dst at dstOff each 8-byte word of src[start, start+len) minus the word before it (mod 2^64; the first minus 0). */
function delta8(src: Buffer, start: number, len: number, dst: Buffer, dstOff: number): void {
  let pl = 0, ph = 0;
  for (let j = 0; j < len; j += 8) {
    const i = start + j;
    const lo = u32(src, i), hi = u32(src, i + 4);
    let dl = lo - pl, dh = hi - ph;
    if (dl < 0) { dl += TWO32; dh -= 1; }
    if (dh < 0) dh += TWO32;
    put32(dst, dstOff + j, dl);
    put32(dst, dstOff + j + 4, dh);
    pl = lo; ph = hi;
  }
}

/** Undoes delta8 in place. */
function undelta8(b: Buffer, start: number, len: number): void {
  let pl = 0, ph = 0;
  for (let j = start, e = start + len; j < e; j += 8) {
    let lo = u32(b, j), hi = u32(b, j + 4);
    lo += pl; hi += ph;
    if (lo >= TWO32) { lo -= TWO32; hi += 1; }
    hi = hi >>> 0;
    put32(b, j, lo);
    put32(b, j + 4, hi);
    pl = lo; ph = hi;
  }
}

/** Accumulates events into columns. */
export class EventEncoder {
  n = 0;
  raw = 0;
  private ts = new Bytes(4096);
  private tid = new Bytes(4096);
  private ty = new Bytes(4096);
  private cpu = new Bytes(4096);
  private fl = new Bytes(4096);
  private np = new Bytes(4096);
  private xl = new Bytes(4096);
  private esc = new Bytes(256);
  private ln = new Bytes(16384);
  private streams: (Bytes | undefined)[] = new Array(NKEYS);
  private used: number[] = [];
  private prevHi = 0;
  private prevLo = 0;
  // the last thread id per cpu (cpus are u16), and which cpus have one in this frame
  private lastTidHi = new Int32Array(65536);
  private lastTidLo = new Int32Array(65536);
  private tidSet = new Uint8Array(65536);
  private tidCpus: number[] = [];

  private stream(key: number): Bytes {
    let s = this.streams[key];
    if (!s) { s = new Bytes(1024); this.streams[key] = s; }
    if (s.len === 0) this.used.push(key);
    return s;
  }

  /** Adds the record at buf[off] (len bytes, already validated), whose lengths are u32 when `large`. */
  add(buf: Buffer, off: number, cpu: number, flags: number, large: boolean): void {
    const len = u32(buf, off + 16);
    // timestamp
    const lo = u32(buf, off), hi = u32(buf, off + 4);
    const d = this.n === 0 ? TS_DELTA_MAX : (hi - this.prevHi) * TWO32 + (lo - this.prevLo);
    if (d >= TS_DELTA_MAX || d <= -TS_DELTA_MAX) { this.ts.u8(1); this.esc.bytes(buf, off, off + 8); }
    else this.ts.varint((d >= 0 ? d * 2 : -d * 2 - 1) * 2);
    this.prevHi = hi; this.prevLo = lo;
    // thread id
    const tlo = u32(buf, off + 8), thi = u32(buf, off + 12);
    if (this.tidSet[cpu] === 1 && this.lastTidHi[cpu] === (thi | 0) && this.lastTidLo[cpu] === (tlo | 0)) this.tid.u8(0);
    else {
      if (this.tidSet[cpu] === 0) { this.tidSet[cpu] = 1; this.tidCpus.push(cpu); }
      this.lastTidHi[cpu] = thi; this.lastTidLo[cpu] = tlo;
      const t = (thi | 0) * TWO32 + tlo;
      if (t >= TS_DELTA_MAX || t <= -TS_DELTA_MAX) { this.tid.u8(1); this.esc.bytes(buf, off + 8, off + 16); }
      else this.tid.varint(2 + (t >= 0 ? t * 2 : -t * 2 - 1) * 2);
    }
    const type = u16(buf, off + 20);
    this.ty.u16(type);
    this.cpu.u16(cpu);
    this.fl.varint(flags >>> 0);
    const np = u32(buf, off + 22);
    this.np.varint(np * 2 + (large ? 1 : 0));
    const ls = large ? 4 : 2;
    let lp = off + 26;
    let p = lp + np * ls;
    const end = off + len;
    for (let i = 0; i < np; i++) {
      const l = large ? u32(buf, lp) : u16(buf, lp);
      lp += ls;
      this.ln.varint(l);
      if (l) this.stream(keyOf(type, i)).bytes(buf, p, p + l);
      p += l;
    }
    const extra = end - p;
    this.xl.varint(extra > 0 ? extra : 0);
    if (extra > 0) this.stream(TAIL_KEY).bytes(buf, p, end);
    this.n++;
    this.raw += len;
  }

  /** The columns gathered so far (copies), then resets. */
  finish(): EventColumns {
    this.used.sort((a, b) => a - b);
    const keys = Buffer.alloc(this.used.length * 6);
    let total = 0;
    this.used.forEach((k, i) => {
      const s = this.streams[k]!;
      keys.writeUInt16LE(k, i * 6);
      keys.writeUInt32LE(s.len, i * 6 + 2);
      total += s.len;
    });
    const data = Buffer.allocUnsafe(total);
    const d8: number[] = [];
    let p = 0;
    for (const k of this.used) {
      const s = this.streams[k]!;
      // numeric streams (addresses, offsets, fds) often compress better as deltas: keep the smaller
      // (judged on the whole stream: zstd finds repeats of deltas far apart, which no sample shows)
      let asDeltas = false;
      if (s.len >= D8_MIN && s.len % 8 === 0) {
        delta8(s.buf, 0, s.len, data, p);
        const fast = { compressionLevel: 1 };
        asDeltas = compress(data.subarray(p, p + s.len), fast).length < compress(s.view(), fast).length * 0.95;
      }
      if (asDeltas) d8.push(k); else s.buf.copy(data, p, 0, s.len);
      p += s.len;
      s.reset();
    }
    let d8b: Buffer | null = null;
    if (d8.length) { d8b = Buffer.alloc(d8.length * 2); d8.forEach((k, i) => d8b!.writeUInt16LE(k, i * 2)); }
    const cols: EventColumns = {
      n: this.n, raw: this.raw,
      ts: this.ts.take(), tid: this.tid.take(), ty: this.ty.take(), cpu: this.cpu.take(),
      fl: this.fl.allZero() ? null : this.fl.take(),
      np: this.np.take(),
      xl: this.xl.allZero() ? null : this.xl.take(),
      esc: this.esc.take(), ln: this.ln.take(), keys, data, d8: d8b,
    };
    this.reset();
    return cols;
  }

  reset(): void {
    for (const k of this.used) this.streams[k]!.reset();
    this.used = [];
    this.n = 0; this.raw = 0;
    this.ts.reset(); this.tid.reset(); this.ty.reset(); this.cpu.reset(); this.fl.reset();
    this.np.reset(); this.xl.reset(); this.esc.reset(); this.ln.reset();
    this.prevHi = 0; this.prevLo = 0;
    for (const c of this.tidCpus) this.tidSet[c] = 0;
    this.tidCpus = [];
  }
}

export class CodecError extends Error {}

/** Events of one frame rebuilt as records: record i is at buf[off[i]]. */
export interface DecodedEvents {
  n: number;
  buf: Buffer;
  off: Int32Array;
  cpu: Uint16Array;
  flags: Uint32Array;
  /** From the native decoder: per event, ts lo/hi, tid lo/hi, len, type, nparams (HEADER_FIELDS int32s). */
  hdr?: Int32Array;
}

/** Entries per event in DecodedEvents.hdr (native/src/scry_codec.h kHeaderFields). */
export const HEADER_FIELDS = 7;

function asBuf(v: unknown, what: string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  throw new CodecError(`event columns: ${what} missing`);
}

/**
 * Rebuilds the records of `c`. `into` (when given and large enough) is
 * reused, so records from a previous call are overwritten.
 */
export function decodeEvents(c: EventColumns, into?: DecodedEvents, useNative = true): DecodedEvents {
  const n = c.n, raw = c.raw;
  if (!(n >= 0 && raw >= 0)) throw new CodecError('event columns: bad counts');
  const out: DecodedEvents = into && into.off.length >= n && into.buf.length >= raw ? into : {
    n, buf: Buffer.allocUnsafe(Math.max(raw, into ? into.buf.length : 0, 1)),
    off: new Int32Array(Math.max(n, 1)), cpu: new Uint16Array(Math.max(n, 1)), flags: new Uint32Array(Math.max(n, 1)),
  };
  out.n = n;
  const ts = asBuf(c.ts, 'ts'), tid = asBuf(c.tid, 'tid'), ty = asBuf(c.ty, 'ty'), cpu = asBuf(c.cpu, 'cpu');
  const np = asBuf(c.np, 'np'), esc = asBuf(c.esc, 'esc'), ln = asBuf(c.ln, 'ln');
  const keys = asBuf(c.keys, 'keys'), data = asBuf(c.data, 'data');
  const fl = c.fl ? asBuf(c.fl, 'fl') : null, xl = c.xl ? asBuf(c.xl, 'xl') : null;
  if (ty.length < n * 2 || cpu.length < n * 2) throw new CodecError('event columns: short type/cpu column');
  const native = useNative ? optionalNative() : undefined;
  if (native) {
    const d8 = c.d8 ? asBuf(c.d8, 'd8') : null;
    const bad = native.rebuildColumns(n, raw, out.buf, out.off, out.cpu, out.flags, ts, tid, ty, cpu, np, esc, ln, keys, data, fl, xl, d8);
    if (bad !== undefined) throw new CodecError('event columns: ' + bad);
    return out;
  }
  // stream cursors (shared arrays, all -1 between calls)
  const cur = CUR, lim = LIM;
  let dp = 0;
  for (let k = 0; k + 6 <= keys.length; k += 6) {
    const key = keys.readUInt16LE(k), l = keys.readUInt32LE(k + 2);
    cur[key] = dp; dp += l; lim[key] = dp;
  }
  try {
    if (dp > data.length) throw new CodecError('event columns: parameter streams exceed their data');
    if (c.d8) {
      const d8 = asBuf(c.d8, 'd8');
      for (let i = 0; i + 2 <= d8.length; i += 2) {
        const key = d8.readUInt16LE(i);
        const st = cur[key];
        if (st < 0 || (lim[key] - st) % 8 !== 0) throw new CodecError('event columns: bad delta stream');
        undelta8(data, st, lim[key] - st);
      }
    }
    rebuild(n, raw, out, ts, tid, ty, cpu, np, esc, ln, data, fl, xl);
  } finally {
    for (let k = 0; k + 6 <= keys.length; k += 6) cur[keys.readUInt16LE(k)] = -1;
  }
  return out;
}

const CUR = new Int32Array(NKEYS).fill(-1);
const LIM = new Int32Array(NKEYS);

// Last thread id per cpu while rebuilding (hi/lo words), and which cpus have one.
const TID_HI = new Uint32Array(65536);
const TID_LO = new Uint32Array(65536);
const TID_SET = new Uint8Array(65536);

function rebuild(n: number, raw: number, out: DecodedEvents, ts: Buffer, tid: Buffer, ty: Buffer, cpu: Buffer,
  np: Buffer, esc: Buffer, ln: Buffer, data: Buffer, fl: Buffer | null, xl: Buffer | null): void {
  const ob = out.buf, offs = out.off, cpus = out.cpu, flags = out.flags;
  const cur = CUR, lim = LIM;
  const tidHi = TID_HI, tidLo = TID_LO, tidSet = TID_SET;
  const touched: number[] = [];
  let tsp = 0, tip = 0, npp = 0, lnp = 0, flp = 0, xlp = 0, escp = 0;
  let hi = 0, lo = 0;
  let o = 0;
  try {
  for (let i = 0; i < n; i++) {
    if (o + 26 > raw) throw new CodecError('event columns: records exceed their declared size');
    offs[i] = o;
    const t0 = ty[i * 2], t1 = ty[i * 2 + 1];
    const type = t0 | (t1 << 8);
    const cp = cpu[i * 2] | (cpu[i * 2 + 1] << 8);
    cpus[i] = cp;
    // varint reads are inlined: this loop is the hot path of reading a .scry file
    let v: number, x: number, m: number;
    if (fl) {
      x = fl[flp++];
      if (x < 128) v = x;
      else { v = x & 127; m = 128; do { x = fl[flp++]; v += (x & 127) * m; m *= 128; } while (x >= 128); }
      flags[i] = v;
    } else flags[i] = 0;
    // timestamp
    x = ts[tsp++];
    if (x < 128) v = x;
    else { v = x & 127; m = 128; do { x = ts[tsp++]; v += (x & 127) * m; m *= 128; } while (x >= 128); }
    if (v === 1) {
      if (escp + 8 > esc.length) throw new CodecError('event columns: escape stream too short');
      lo = esc.readUInt32LE(escp); hi = esc.readUInt32LE(escp + 4); escp += 8;
    } else {
      // (>> 1 as the native rebuild: a damaged column may hold an odd value)
      const z = Math.floor(v / 2);
      lo += (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      if (lo >= TWO32 || lo < 0) { const c2 = Math.floor(lo / TWO32); hi += c2; lo -= c2 * TWO32; }
    }
    put32(ob, o, lo); put32(ob, o + 4, hi);
    // thread id
    x = tid[tip++];
    if (x < 128) v = x;
    else { v = x & 127; m = 128; do { x = tid[tip++]; v += (x & 127) * m; m *= 128; } while (x >= 128); }
    if (v !== 0) {
      let thi: number, tlo: number;
      if (v === 1) {
        if (escp + 8 > esc.length) throw new CodecError('event columns: escape stream too short');
        tlo = esc.readUInt32LE(escp); thi = esc.readUInt32LE(escp + 4); escp += 8;
      } else {
        const z = Math.floor((v - 2) / 2);
        const t = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
        const th = Math.floor(t / TWO32);
        thi = th >>> 0; tlo = t - th * TWO32;
      }
      if (!tidSet[cp]) { tidSet[cp] = 1; touched.push(cp); }
      tidHi[cp] = thi; tidLo[cp] = tlo;
    } else if (!tidSet[cp]) throw new CodecError('event columns: thread id refers to an unknown cpu');
    put32(ob, o + 8, tidLo[cp]); put32(ob, o + 12, tidHi[cp]);
    ob[o + 20] = t0; ob[o + 21] = t1;
    x = np[npp++];
    if (x < 128) v = x;
    else { v = x & 127; m = 128; do { x = np[npp++]; v += (x & 127) * m; m *= 128; } while (x >= 128); }
    const large = v & 1, nparams = (v - large) / 2, ls = large ? 4 : 2;
    put32(ob, o + 22, nparams);
    let lp = o + 26;
    let p = lp + nparams * ls;
    if (p > raw) throw new CodecError('event columns: records exceed their declared size');
    const kbase = type <= MAX_KEY_TYPE ? type << 5 : -1;
    for (let k = 0; k < nparams; k++) {
      let l: number;
      x = ln[lnp++];
      if (x < 128) l = x;
      else { l = x & 127; m = 128; do { x = ln[lnp++]; l += (x & 127) * m; m *= 128; } while (x >= 128); }
      if (large) { put32(ob, lp, l); lp += 4; } else { ob[lp] = l; ob[lp + 1] = l >>> 8; lp += 2; }
      if (l) {
        const key = kbase >= 0 && k < MAX_KEY_PARAM ? kbase | k : MISC_KEY;
        const s = cur[key];
        if (s < 0 || s + l > lim[key] || p + l > raw) throw new CodecError('event columns: parameter stream too short');
        if (l <= 16) { for (let j = 0; j < l; j++) ob[p + j] = data[s + j]; }
        else data.copy(ob, p, s, s + l);
        cur[key] = s + l;
        p += l;
      }
    }
    if (xl) {
      let e: number;
      x = xl[xlp++];
      if (x < 128) e = x;
      else { e = x & 127; m = 128; do { x = xl[xlp++]; e += (x & 127) * m; m *= 128; } while (x >= 128); }
      if (e) {
        const s = cur[TAIL_KEY];
        if (s < 0 || s + e > lim[TAIL_KEY] || p + e > raw) throw new CodecError('event columns: tail stream too short');
        data.copy(ob, p, s, s + e);
        cur[TAIL_KEY] = s + e;
        p += e;
      }
    }
    put32(ob, o + 16, p - o);
    o = p;
  }
  } finally {
    for (const c of touched) tidSet[c] = 0;
  }
  if (tsp > ts.length || tip > tid.length || npp > np.length || lnp > ln.length) {
    throw new CodecError('event columns: a column is shorter than its events');
  }
  if (o !== raw) throw new CodecError(`event columns: rebuilt ${o} bytes, expected ${raw}`);
}
