// Text of a field value as sysdig's -p output shows it, by value type and
// print format, plus the time and address renderings fields need.

import { PF, PT } from '../schema/types';
import type { FieldValue } from './types';
import { beforeNul } from '../util/bytes';

/** A (type, format) pair sysdig cannot print: it aborts with this message. */
export class FieldRenderError extends Error {}

function toBig(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

function oct(v: number | bigint, bits: number): string {
  return BigInt.asUintN(bits, toBig(v)).toString(8);
}

function hexU(v: number | bigint, bits: number): string {
  return BigInt.asUintN(bits, toBig(v)).toString(16).toUpperCase();
}

function signedDec(v: number | bigint, bits: number): string {
  if (typeof v === 'number' && bits < 64) {
    const m = 2 ** bits;
    let x = ((Math.trunc(v) % m) + m) % m;
    if (x >= m / 2) x -= m;
    return String(x);
  }
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return BigInt.asIntN(bits, toBig(v)).toString();
}

function unsignedDec(v: number | bigint, bits: number): string {
  if (typeof v === 'number' && v >= 0 && v < 2 ** bits && Number.isInteger(v)) return String(v);
  return BigInt.asUintN(bits, toBig(v)).toString();
}

function pad9(s: string): string {
  if (s[0] === '-') return '-' + s.slice(1).padStart(8, '0');
  return s.padStart(9, '0');
}

function num(v: FieldValue): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

/** Exact m * 2^e decomposition of a finite double (m an integer). */
function decompose(x: number): { m: bigint; e: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0), lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else { m |= 1n << 52n; e = exp - 1075; }
  return { m, e };
}

/** printf("%.<digits>f") of a double: exact decimal value, ties to even (glibc). */
export function fixedDigits(x: number, digits: number): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const { m, e } = decompose(Math.abs(x));
  // value * 10^digits = m * 10^digits * 2^e = num / den
  let num = m * 10n ** BigInt(digits);
  let den = 1n;
  if (e >= 0) num <<= BigInt(e); else den <<= BigInt(-e);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q += 1n;
  let s = q.toString();
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = s.slice(0, s.length - digits) + '.' + s.slice(s.length - digits);
  }
  return (neg ? '-' : '') + s;
}

/** printf("%.1f"). */
export function fixed1(x: number): string { return fixedDigits(x, 1); }

/** printf("%.2f"). */
export function fixed2(x: number): string { return fixedDigits(x, 2); }

export function ipv4Text(b: Buffer, o = 0): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** inet_ntop(AF_INET6) text. */
export function ipv6Text(b: Buffer, o = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) best = -1;
  // IPv4-compatible / mapped forms keep a dotted tail.
  if (best === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
    return (bestLen === 6 ? '::' : '::ffff:') + ipv4Text(b, o + 12);
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === best) { out += '::'; i += bestLen - 1; continue; }
    if (out !== '' && !out.endsWith(':')) out += ':';
    out += g[i].toString(16);
  }
  return out;
}

export function ipText(b: Buffer): string {
  return b.length === 4 ? ipv4Text(b) : ipv6Text(b);
}

/**
 * sysdig's rendering of a field value of type `type` with print format
 * `fmt`; undefined where sysdig prints <NA> (no value, or a pairing it
 * cannot format). Throws FieldRenderError where sysdig aborts.
 */
export function renderValue(type: PT, fmt: PF, v: FieldValue): string | undefined {
  if (v === undefined) return undefined;
  switch (type) {
    case PT.INT8: case PT.INT16: case PT.INT32: {
      const bits = type === PT.INT8 ? 8 : type === PT.INT16 ? 16 : 32;
      const n = num(v);
      if (fmt === PF.OCT) return oct(BigInt(signedDec(n, bits)), 32);
      if (fmt === PF.DEC || fmt === PF.ID) return signedDec(n, bits);
      if (fmt === PF.HEX) return hexU(BigInt(signedDec(n, bits)), 32);
      return undefined;
    }
    case PT.INT64: case PT.PID: case PT.ERRNO: {
      const n = num(v);
      if (fmt === PF.OCT) return oct(n, 64);
      if (fmt === PF.PADDED_DEC_10) return pad9(signedDec(n, 64));
      if (fmt === PF.HEX) return hexU(n, 64);
      return signedDec(n, 64);
    }
    case PT.L4PROTO: case PT.UINT8: case PT.PORT: case PT.UINT16: case PT.UINT32: {
      const bits = type === PT.UINT32 ? 32 : type === PT.PORT || type === PT.UINT16 ? 16 : 8;
      const n = num(v);
      if (fmt === PF.OCT) return oct(n, bits);
      if (fmt === PF.DEC || fmt === PF.ID || fmt === PF.HEX) return unsignedDec(n, bits);
      return undefined;
    }
    case PT.UINT64: case PT.RELTIME: case PT.ABSTIME: {
      const n = num(v);
      if (fmt === PF.OCT) return oct(n, 64);
      if (fmt === PF.DEC || fmt === PF.ID) return unsignedDec(n, 64);
      if (fmt === PF.PADDED_DEC_10) return unsignedDec(n, 64).padStart(9, '0');
      if (fmt === PF.HEX) return hexU(n, 64);
      return undefined;
    }
    case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH:
      if (typeof v === 'string') return beforeNul(v);
      if (Buffer.isBuffer(v)) { const z = v.indexOf(0); return v.toString('latin1', 0, z < 0 ? v.length : z); }
      return String(v);
    case PT.BYTEBUF:
      if (Buffer.isBuffer(v)) { const z = v.indexOf(0); return v.toString('latin1', 0, z < 0 ? v.length : z); }
      return beforeNul(String(v));
    case PT.BOOL:
      return v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'bigint' && v !== 0n) ? 'true' : 'false';
    case PT.IPV4ADDR:
      return Buffer.isBuffer(v) ? ipv4Text(v) : undefined;
    case PT.IPV6ADDR:
      return Buffer.isBuffer(v) ? ipv6Text(v) : undefined;
    case PT.IPADDR:
      if (!Buffer.isBuffer(v)) return undefined;
      if (v.length === 4) return ipv4Text(v);
      if (v.length === 16) return ipv6Text(v);
      throw new FieldRenderError('rawval_to_string called with IP address of incorrect size ' + v.length);
    case PT.DOUBLE:
      return fixed1(Number(num(v)));
    case PT.SOCKADDR: case PT.SOCKFAMILY:
      return undefined; // sysdig has no text for these raw values (<NA>)
    default:
      throw new FieldRenderError('wrong event type ' + type);
  }
}

// ---------------------------------------------------------------------------
// Times

let zoneOffsetSec: number | undefined;

/** Offset of local time from UTC now, in seconds (what sysdig's time strings add). */
export function localZoneOffset(): number {
  if (zoneOffsetSec === undefined) zoneOffsetSec = -new Date().getTimezoneOffset() * 60;
  return zoneOffsetSec;
}

/** For tests: force the zone offset (seconds east of UTC), or undefined to recompute. */
export function setZoneOffsetForTests(sec: number | undefined): void { zoneOffsetSec = sec; }

function two(n: number): string { return n < 10 ? '0' + n : String(n); }

/** sysdig's ts_to_string: [YYYY-MM-DD ]HH:MM:SS[.nnnnnnnnn] in local time. */
export function timeString(sec: number, nsec: number, withDate: boolean, withNs: boolean): string {
  const local = sec + localZoneOffset();
  const s = ((local % 86400) + 86400) % 86400;
  let out = '';
  if (withDate) {
    const d = new Date((local - s) * 1000);
    out = d.getUTCFullYear().toString().padStart(4, '0') + '-' + two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate()) + ' ';
  }
  out += two(Math.floor(s / 3600)) + ':' + two(Math.floor((s % 3600) / 60)) + ':' + two(s % 60);
  if (withNs) out += '.' + String(nsec).padStart(9, '0');
  return out;
}

/** ISO 8601 in UTC with nanoseconds and a +0000 zone. */
export function iso8601(sec: number, nsec: number): string {
  const d = new Date(sec * 1000);
  return d.getUTCFullYear().toString().padStart(4, '0') + '-' + two(d.getUTCMonth() + 1) + '-' + two(d.getUTCDate()) +
    'T' + two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ':' + two(d.getUTCSeconds()) +
    '.' + String(nsec).padStart(9, '0') + '+0000';
}

/** A nanosecond interval as a short human string (1.10s, 12ms, 3.25us, 800ns ...). */
export function humanDuration(ns: number): string {
  const S = 1e9;
  const u = (x: number) => String(Math.floor(x) >>> 0);
  const p2 = (x: number) => String(Math.floor(x) >>> 0).padStart(2, '0');
  if (ns >= 3600 * S) {
    return p2(ns / (3600 * S)) + ':' + p2((ns / (60 * S)) % 60) + ':' + p2((ns / S) % 60);
  }
  if (ns >= 60 * S) return u(ns / (60 * S)) + ':' + u(Math.floor(ns / S) % 60);
  if (ns >= S) return u(ns / S) + '.' + p2((ns % S) / 10000000) + 's';
  if (ns >= S / 100) return u(ns / 1e6) + 'ms';
  if (ns >= S / 1000) return u(ns / 1e6) + '.' + p2((ns % 1e6) / 10000) + 'ms';
  if (ns >= S / 100000) return u(ns / 1e3) + 'us';
  if (ns >= S / 1000000) return u(ns / 1e3) + '.' + p2((ns % 1e3) / 10) + 'us';
  return u(ns) + 'ns';
}

/** Drops what sysdig's sanitize_string drops: control characters, DEL and every non-ASCII character. */
export function sanitize(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) return sanitizeSlow(s);
  }
  return s;
}

function sanitizeSlow(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) out += s[i];
  }
  return out;
}
