// Value comparisons by field type, as sysdig 0.29.3's flt_compare does them.
//
// makePredicate() turns (type, operator, constant) into a function of the
// extracted value. Combinations sysdig refuses only when it evaluates them
// (e.g. 'contains' on a number) give a predicate that throws
// FilterRuntimeError with sysdig's message.

import type { FieldValue } from '../fields/types';
import { FilterRuntimeError } from './errors';
import { globMatch } from './glob';
import { CO, CO_TEXT, Const, T } from './types';

export type Predicate = (v: Exclude<FieldValue, undefined>) => boolean;

// ---------------------------------------------------------------------------
// strings

/** strcmp() order of two byte strings. */
export function strcmpOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) return x - y;
  }
  return a.length - b.length;
}

function lowerAscii(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** strcasestr(hay, needle) != NULL in the C locale (ASCII case folding only). */
export function icontains(hay: string, needleLower: string): boolean {
  const n = needleLower.length;
  if (n === 0) return true;
  const first = needleLower.charCodeAt(0);
  const last = hay.length - n;
  outer: for (let i = 0; i <= last; i++) {
    if (lowerAscii(hay.charCodeAt(i)) !== first) continue;
    for (let j = 1; j < n; j++) {
      if (lowerAscii(hay.charCodeAt(i + j)) !== needleLower.charCodeAt(j)) continue outer;
    }
    return true;
  }
  return false;
}

function asciiLower(s: string): string {
  let r = '';
  for (let i = 0; i < s.length; i++) r += String.fromCharCode(lowerAscii(s.charCodeAt(i)));
  return r;
}

/** A string value as sysdig sees it (extractors hand strings; be lenient with others). */
function toStr(v: Exclude<FieldValue, undefined>): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return String(v);
}

function stringPredicate(op: number, c: Const): Predicate {
  const k = c.str ?? '';
  switch (op) {
    case CO.EQ: return (v) => toStr(v) === k;
    case CO.NE: return (v) => toStr(v) !== k;
    case CO.CONTAINS: return (v) => toStr(v).includes(k);
    case CO.ICONTAINS: {
      const kl = asciiLower(k);
      return (v) => icontains(toStr(v), kl);
    }
    case CO.STARTSWITH: return (v) => toStr(v).startsWith(k);
    case CO.ENDSWITH: return (v) => toStr(v).endsWith(k);
    case CO.GLOB: {
      return (v) => globMatch(k, toStr(v));
    }
    case CO.LT: return (v) => strcmpOrder(toStr(v), k) < 0;
    case CO.LE: return (v) => strcmpOrder(toStr(v), k) <= 0;
    case CO.GT: return (v) => strcmpOrder(toStr(v), k) > 0;
    case CO.GE: return (v) => strcmpOrder(toStr(v), k) >= 0;
    default: return thrower(`invalid filter operator ${op}`);
  }
}

// ---------------------------------------------------------------------------
// byte buffers

function toBuf(v: Exclude<FieldValue, undefined>): Buffer {
  if (Buffer.isBuffer(v)) return v;
  return Buffer.from(typeof v === 'string' ? v : String(v), 'latin1');
}

function bufferPredicate(op: number, c: Const): Predicate {
  const k = c.bytes ?? Buffer.alloc(0);
  switch (op) {
    case CO.EQ: return (v) => { const b = toBuf(v); return b.length === k.length && b.equals(k); };
    case CO.NE: return (v) => { const b = toBuf(v); return b.length !== k.length || !b.equals(k); };
    case CO.CONTAINS: return (v) => k.length === 0 || toBuf(v).indexOf(k) >= 0;
    case CO.STARTSWITH: return (v) => { const b = toBuf(v); return b.length >= k.length && b.compare(k, 0, k.length, 0, k.length) === 0; };
    case CO.ENDSWITH: return (v) => { const b = toBuf(v); return b.length >= k.length && b.compare(k, 0, k.length, b.length - k.length, b.length) === 0; };
    case CO.ICONTAINS: return thrower("'icontains' not supported for buffer filters");
    case CO.GLOB: return thrower("'glob' not supported for buffer filters");
    case CO.LT: return thrower("'<' not supported for buffer filters");
    case CO.LE: return thrower("'<=' not supported for buffer filters");
    case CO.GT: return thrower("'>' not supported for buffer filters");
    case CO.GE: return thrower("'>=' not supported for buffer filters");
    default: return thrower(`invalid filter operator ${op}`);
  }
}

// ---------------------------------------------------------------------------
// numbers

function thrower(msg: string): Predicate {
  return () => { throw new FilterRuntimeError(msg); };
}

/** The message sysdig gives for an operator a numeric comparison does not support. */
function numericOpError(op: number, what = 'numeric filters', fallback?: string): string {
  switch (op) {
    case CO.CONTAINS: case CO.ICONTAINS: case CO.STARTSWITH: case CO.ENDSWITH: case CO.GLOB:
      return `'${CO_TEXT[op]}' not supported for ${what}`;
    default:
      return fallback ?? `'unknown' not supported for ${what}`;
  }
}


/** Integer value of an extracted value, as a bigint of the comparison domain. */
function bigOf(v: Exclude<FieldValue, undefined>, unsigned: boolean, width: number): bigint {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else if (typeof v === 'number') b = BigInt(Math.trunc(v));
  else if (typeof v === 'boolean') b = v ? 1n : 0n;
  else if (Buffer.isBuffer(v)) b = BigInt(v.length >= 4 ? v.readUInt32LE(0) : 0);
  else b = BigInt(Number(v) || 0);
  if (unsigned) return BigInt.asUintN(width, b);
  return BigInt.asIntN(width, b);
}

function cmpResult(op: number, d: number): boolean {
  switch (op) {
    case CO.EQ: return d === 0;
    case CO.NE: return d !== 0;
    case CO.LT: return d < 0;
    case CO.LE: return d <= 0;
    case CO.GT: return d > 0;
    default: return d >= 0;
  }
}

/**
 * Integer comparison in sysdig's domain: signed (int64 after sign extension
 * from `width` bits) or unsigned (uint64 after zero extension).
 */
function integerPredicate(op: number, c: Const, unsigned: boolean, width: number): Predicate {
  if (op < CO.EQ || op > CO.GE) return thrower(numericOpError(op));
  const kb = unsigned ? BigInt.asUintN(width, c.big ?? 0n) : BigInt.asIntN(width, c.big ?? 0n);
  const kn = Number(kb);
  const safe = Number.isSafeInteger(kn);
  // Fast path: a plain number in the field's range compares as a number.
  const slow = (v: Exclude<FieldValue, undefined>): boolean => {
    const b = bigOf(v, unsigned, width);
    return cmpResult(op, b < kb ? -1 : b > kb ? 1 : 0);
  };
  const inRange = unsigned
    ? (x: number) => x >= 0 && (width >= 53 || x < 2 ** width)
    : (x: number) => width >= 53 || (x >= -(2 ** (width - 1)) && x < 2 ** (width - 1));
  const bigLo = unsigned ? 0n : -(1n << BigInt(width - 1));
  const bigHi = unsigned ? (1n << BigInt(width)) - 1n : (1n << BigInt(width - 1)) - 1n;
  // Values already in the field's range compare directly (no allocation):
  // numbers (and booleans as 0/1) against the number, bigints against the bigint.
  return (v) => {
    let d: number;
    if (typeof v === 'number' && safe && Number.isInteger(v) && inRange(v)) d = v - kn;
    else if (typeof v === 'boolean' && safe) d = (v ? 1 : 0) - kn;
    else if (typeof v === 'bigint' && v >= bigLo && v <= bigHi) d = v < kb ? -1 : v > kb ? 1 : 0;
    else return slow(v);
    switch (op) {
      case CO.EQ: return d === 0;
      case CO.NE: return d !== 0;
      case CO.LT: return d < 0;
      case CO.LE: return d <= 0;
      case CO.GT: return d > 0;
      default: return d >= 0;
    }
  };
}

// ---------------------------------------------------------------------------
// addresses and networks

/** First four bytes of an address as the little-endian uint32 sysdig compares. */
function u32le(b: Buffer): number {
  return b.length >= 4 ? b.readUInt32LE(0) : 0;
}

function ipv4AddrPredicate(op: number, c: Const): Predicate {
  if (op < CO.EQ || op > CO.GE) return thrower(numericOpError(op));
  const k = u32le(c.bytes!);
  return (v) => {
    const x = Buffer.isBuffer(v) ? u32le(v) : typeof v === 'number' ? v >>> 0 : Number(v) >>> 0;
    return cmpResult(op, x - k);
  };
}

/** (addr & mask) vs (net & mask), bytewise on the first four bytes. */
function inV4Net(addr: Buffer, net: Buffer): boolean {
  for (let i = 0; i < 4; i++) if (((addr[i] ?? 0) & net[4 + i]) !== (net[i] & net[4 + i])) return false;
  return true;
}

function ipv4NetPredicate(op: number, c: Const): Predicate {
  const net = c.bytes!;
  switch (op) {
    case CO.EQ: case CO.IN: return (v) => inV4Net(Buffer.isBuffer(v) ? v : Buffer.alloc(4), net);
    case CO.NE: return (v) => !inV4Net(Buffer.isBuffer(v) ? v : Buffer.alloc(4), net);
    default: return thrower(numericOpError(op, 'numeric filters', 'comparison operator not supported for ipv4 networks'));
  }
}

function ipv6Equal(a: Buffer, b: Buffer, n: number): boolean {
  for (let i = 0; i < n; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return false;
  return true;
}

function ipv6Predicate(op: number, c: Const, net: boolean): Predicate {
  const k = c.bytes!;
  const n = net ? 8 : 16;
  const what = net ? 'ipv6 networks' : 'ipv6 addresses';
  switch (op) {
    case CO.EQ: case CO.IN: return (v) => ipv6Equal(Buffer.isBuffer(v) ? v : Buffer.alloc(16), k, n);
    case CO.NE: return (v) => !ipv6Equal(Buffer.isBuffer(v) ? v : Buffer.alloc(16), k, n);
    case CO.CONTAINS: case CO.ICONTAINS: case CO.STARTSWITH: case CO.GLOB:
      return thrower(`'${CO_TEXT[op]}' not supported for ${what}`);
    default:
      return thrower(`comparison operator not supported for ${what}`);
  }
}

/** PT_IPADDR / PT_IPNET: the extracted value's length (4 or 16) picks the comparison. */
function ipDispatch(op: number, c: Const, net: boolean): Predicate {
  const p4 = net ? ipv4NetPredicate(op, c) : ipv4AddrPredicate(op, c);
  const p6 = ipv6Predicate(op, c, net);
  const what = net ? 'IP network' : 'IP address';
  return (v) => {
    const len = Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length : 4;
    if (len === 4) return p4(v);
    if (len === 16) return p6(v);
    throw new FilterRuntimeError(`rawval_to_string called with ${what} of incorrect size ${len}`);
  };
}

// ---------------------------------------------------------------------------

/** Integer types: [unsigned, width]. */
function intDomain(type: number): [boolean, number] | undefined {
  switch (type) {
    case T.INT8: return [false, 8];
    case T.INT16: return [false, 16];
    case T.INT32: return [false, 32];
    case T.INT64: case T.FD: case T.PID: case T.ERRNO: return [false, 64];
    case T.FLAGS8: case T.UINT8: case T.SIGTYPE: return [true, 8];
    case T.FLAGS16: case T.UINT16: case T.PORT: case T.SYSCALLID: return [true, 16];
    case T.UINT32: case T.FLAGS32: case T.MODE: case T.BOOL: return [true, 32];
    case T.UINT64: case T.RELTIME: case T.ABSTIME: return [true, 64];
    default: return undefined;
  }
}

const FALSE: Predicate = () => false;

/**
 * Predicate for `value <op> constant` on a field of parameter type `type`.
 * `op` is never IN/PMATCH here (those are set tests, see compile.ts), except
 * as sysdig does for address types where IN means EQ.
 */
export function makePredicate(type: number, op: number, c: Const): Predicate {
  const dom = intDomain(type);
  if (dom) return integerPredicate(op, c, dom[0], dom[1]);
  switch (type) {
    case T.IPV4ADDR: return ipv4AddrPredicate(op, c);
    case T.IPV4NET: return ipv4NetPredicate(op, c);
    case T.IPV6ADDR: return ipv6Predicate(op, c, false);
    case T.IPV6NET: return ipv6Predicate(op, c, true);
    case T.IPADDR: return ipDispatch(op, c, false);
    case T.IPNET: return ipDispatch(op, c, true);
    case T.CHARBUF: case T.FSPATH: case T.FSRELPATH: return stringPredicate(op, c);
    case T.BYTEBUF: return bufferPredicate(op, c);
    case T.DOUBLE:
      // sysdig cannot parse a constant for doubles, so this is unreachable.
      return FALSE;
    default:
      // SOCKADDR, SOCKTUPLE, FDLIST, SIGSET, L4PROTO, SOCKFAMILY...: sysdig's compare returns false.
      return FALSE;
  }
}

export { numericOpError };
