// Conversion of filter operands to typed constants, with the acceptance rules
// of sysdig 0.29.3 (numbers as sscanf reads them, inet_pton addresses, service
// names for ports, "true"/"false" booleans, 255-byte strings).

import { ParseFail } from './errors';
import { serviceByName } from './services';
import { Const, T } from './types';
import { beforeNul } from '../util/bytes';

const TWO64 = 1n << 64n;
const I64_MAX = (1n << 63n) - 1n;
const I64_MIN = -(1n << 63n);

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * sscanf(str, "%d%c") / "%u%c" as glibc does it on a 64-bit system: optional
 * leading blanks, optional sign, decimal digits, nothing after; the value goes
 * through strtol/strtoul (clamped on overflow). Returns undefined when sscanf
 * would not return 1.
 */
export function scanInteger(s: string, signed: boolean): bigint | undefined {
  let i = 0;
  const n = s.length;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let neg = false;
  if (i < n && (s[i] === '+' || s[i] === '-')) { neg = s[i] === '-'; i++; }
  const start = i;
  while (i < n && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  if (i === start || i !== n) return undefined;
  let mag = BigInt(s.slice(start, i));
  if (signed) {
    if (neg) mag = -mag;
    if (mag > I64_MAX) return I64_MAX;
    if (mag < I64_MIN) return I64_MIN;
    return mag;
  }
  if (mag >= TWO64) return TWO64 - 1n;
  return neg ? (mag === 0n ? 0n : TWO64 - mag) : mag;
}

function intConst(raw: string, value: bigint): Const {
  return { raw, big: value, num: Number(value) };
}

function notNumber(s: string): ParseFail {
  return new ParseFail(`${s} is not a valid number`, 'a decimal number');
}

/** glibc inet_pton(AF_INET): four decimal octets, no leading zeros. */
export function inetPton4(s: string, out?: Buffer, off = 0): boolean {
  const tmp = [0, 0, 0, 0];
  let sawDigit = false;
  let octets = 0;
  let tp = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0) break;
    if (ch >= 0x30 && ch <= 0x39) {
      const nv = tmp[tp] * 10 + (ch - 0x30);
      if (sawDigit && tmp[tp] === 0) return false;
      if (nv > 255) return false;
      tmp[tp] = nv;
      if (!sawDigit) {
        if (++octets > 4) return false;
        sawDigit = true;
      }
    } else if (ch === 0x2e && sawDigit) {
      if (octets === 4) return false;
      tp++;
      tmp[tp] = 0;
      sawDigit = false;
    } else {
      return false;
    }
  }
  if (octets < 4) return false;
  if (out) for (let k = 0; k < 4; k++) out[off + k] = tmp[k];
  return true;
}

function hexVal(ch: number): number {
  if (ch >= 0x30 && ch <= 0x39) return ch - 0x30;
  if (ch >= 0x61 && ch <= 0x66) return ch - 0x61 + 10;
  if (ch >= 0x41 && ch <= 0x46) return ch - 0x41 + 10;
  return -1;
}

/** glibc inet_pton(AF_INET6), including '::' and a trailing dotted IPv4 part. */
export function inetPton6(s0: string, out: Buffer): boolean {
  const s = beforeNul(s0);
  const tmp = Buffer.alloc(16);
  let tp = 0;
  const endp = 16;
  let colonp = -1;
  let i = 0;
  if (s[0] === ':') {
    if (s[1] !== ':') return false;
    i = 1;
  }
  let curtok = i;
  let xdigits = 0;
  let val = 0;
  let sawV4 = false;
  while (i < s.length) {
    const ch = s.charCodeAt(i++);
    const d = hexVal(ch);
    if (d >= 0) {
      if (xdigits === 4) return false;
      val = (val << 4) | d;
      if (val > 0xffff) return false;
      xdigits++;
      continue;
    }
    if (ch === 0x3a) {
      curtok = i;
      if (xdigits === 0) {
        if (colonp >= 0) return false;
        colonp = tp;
        continue;
      } else if (i >= s.length) {
        return false;
      }
      if (tp + 2 > endp) return false;
      tmp[tp++] = (val >> 8) & 0xff;
      tmp[tp++] = val & 0xff;
      xdigits = 0;
      val = 0;
      continue;
    }
    if (ch === 0x2e && tp + 4 <= endp && inetPton4(s.slice(curtok), tmp, tp)) {
      tp += 4;
      xdigits = 0;
      sawV4 = true;
      break;
    }
    return false;
  }
  if (xdigits > 0 && !sawV4) {
    if (tp + 2 > endp) return false;
    tmp[tp++] = (val >> 8) & 0xff;
    tmp[tp++] = val & 0xff;
  }
  if (colonp >= 0) {
    if (tp === endp) return false;
    const n = tp - colonp;
    tmp.copy(tmp, endp - n, colonp, tp);
    tmp.fill(0, colonp, endp - n);
    tp = endp;
  }
  if (tp !== endp) return false;
  tmp.copy(out, 0, 0, 16);
  return true;
}

/** Whether a value of this type is a C string in sysdig (CHARBUF-like parsing). */
function isStringType(t: number): boolean {
  return t === T.CHARBUF || t === T.SOCKADDR || t === T.SOCKFAMILY || t === T.FSPATH || t === T.FSRELPATH;
}

/** Raised for errors sysdig reports without a position ("error parsing the filter string"). */
export const BARE_PARSE_ERROR = 'error parsing the filter string';

function parseIpv4Net(raw: string, s: string): Const {
  if (s.indexOf('/') < 0) throw new ParseFail(`unrecognized IP network ${s}`, 'an IPv4 network such as 10.0.0.0/8');
  const slash = s.indexOf('/');
  const ip = s.slice(0, slash);
  // getline() stops at a newline.
  let mask = s.slice(slash + 1);
  const nl = mask.indexOf('\n');
  if (nl >= 0) mask = mask.slice(0, nl);
  const bytes = Buffer.alloc(16);
  if (!inetPton4(ip, bytes, 0)) throw new ParseFail(`unrecognized IP address ${s}`, 'an IPv4 network such as 10.0.0.0/8');
  const v = scanInteger(mask, false);
  if (v === undefined) throw notNumber(mask);
  const cidr = Number(BigInt.asUintN(8, BigInt.asUintN(32, v)));
  if (cidr > 32) throw new ParseFail(`invalid netmask ${mask}`, 'a netmask length from 0 to 32');
  let m = 0;
  for (let j = 0; j < cidr; j++) m = (m | (1 << (31 - j))) >>> 0;
  bytes.writeUInt32BE(m, 4);
  return { raw, bytes, ipLen: 4 };
}

function parseIpv6(raw: string, s: string): Const {
  const bytes = Buffer.alloc(16);
  if (!inetPton6(s, bytes)) throw new ParseFail(`unrecognized IPv6 address ${s}`, 'an IPv6 address');
  return { raw, bytes, ipLen: 16 };
}

function parseIpv4(raw: string, s: string): Const {
  const bytes = Buffer.alloc(16);
  if (!inetPton4(s, bytes, 0)) throw new ParseFail(`unrecognized IPv4 address ${s}`, 'an IPv4 address');
  return { raw, bytes, ipLen: 4 };
}

/**
 * Converts an operand (one char per byte, escapes already applied) for a field
 * of parameter type `type`, as sysdig's string_to_rawval does (`rawArg`: for
 * evt.rawarg.X, which skips the byte-buffer case). Throws ParseFail
 * with sysdig's message, or a ParseFail flagged `bare` for the cases where
 * sysdig's compiler only says "error parsing the filter string".
 */
export function parseConst(type: number, raw: string, rawArg = false): Const {
  const s = beforeNul(raw);
  // evt.rawarg.X converts with the bare conversion, which has no byte-buffer case.
  if (rawArg && type === T.BYTEBUF) throw new ParseFail(`wrong parameter type ${type}`, 'a field whose type takes no value (use exists)');
  switch (type) {
    case T.INT8: case T.INT16: case T.INT32: {
      const v = scanInteger(s, true);
      if (v === undefined) throw notNumber(s);
      const width = type === T.INT8 ? 8 : type === T.INT16 ? 16 : 32;
      return intConst(raw, BigInt.asIntN(width, BigInt.asIntN(32, v)));
    }
    case T.INT64: case T.FD: case T.ERRNO: {
      const v = scanInteger(s, true);
      if (v === undefined) throw notNumber(s);
      return intConst(raw, v);
    }
    case T.L4PROTO: case T.FLAGS8: case T.UINT8: {
      const v = scanInteger(s, false);
      if (v === undefined) throw notNumber(s);
      return intConst(raw, BigInt.asUintN(8, v));
    }
    case T.FLAGS16: case T.UINT16: {
      const v = scanInteger(s, false);
      if (v === undefined) throw notNumber(s);
      return intConst(raw, BigInt.asUintN(16, v));
    }
    case T.FLAGS32: case T.UINT32: case T.MODE: {
      const v = scanInteger(s, false);
      if (v === undefined) throw notNumber(s);
      return intConst(raw, BigInt.asUintN(32, v));
    }
    case T.UINT64: case T.RELTIME: case T.ABSTIME: {
      const v = scanInteger(s, false);
      if (v === undefined) throw notNumber(s);
      return intConst(raw, v);
    }
    case T.PORT: {
      if (s === '') return intConst(raw, 0n);
      if (/^[0-9]+$/.test(s)) {
        // std::stoi: throws (caught as a non-sinsp exception) beyond INT_MAX.
        const v = BigInt(s);
        if (v > 2147483647n) throw new ParseFail(BARE_PARSE_ERROR, 'a port number', false, true);
        return intConst(raw, BigInt.asUintN(16, v));
      }
      const p = serviceByName(s);
      if (p === undefined) throw new ParseFail(`unrecognized protocol ${s}`, 'a port number or service name');
      return intConst(raw, BigInt(p & 0xffff));
    }
    case T.CHARBUF: case T.SOCKADDR: case T.SOCKFAMILY: case T.FSPATH: case T.FSRELPATH: {
      if (s.length >= 256) throw new ParseFail(`filter parameter too long:${s}`, 'a value shorter than 256 bytes');
      return { raw, str: s };
    }
    case T.BYTEBUF: {
      if (raw.length >= 256) throw new ParseFail(`filter parameter too long:${s}`, 'a value shorter than 256 bytes');
      return { raw, bytes: Buffer.from(raw, 'latin1') };
    }
    case T.BOOL: {
      if (s === 'true') return intConst(raw, 1n);
      if (s === 'false') return intConst(raw, 0n);
      throw new ParseFail(`filter error: unrecognized boolean value ${s}`, "'true' or 'false'");
    }
    case T.IPADDR:
      return raw.indexOf('.') >= 0 ? parseIpv4(raw, s) : parseIpv6(raw, s);
    case T.IPV4ADDR:
      return parseIpv4(raw, s);
    case T.IPV6ADDR: case T.IPV6NET:
      return parseIpv6(raw, s);
    case T.IPNET:
      return raw.indexOf('.') >= 0 ? parseIpv4Net(raw, s) : parseIpv6(raw, s);
    case T.IPV4NET:
      return parseIpv4Net(raw, s);
    default:
      throw new ParseFail(`wrong parameter type ${type}`, 'a field whose type takes no value (use exists)');
  }
}

export { isStringType };
