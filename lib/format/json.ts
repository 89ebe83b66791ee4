// -j output: one JSON object per event, keys sorted bytewise, compact, as
// sysdig writes it with jsoncpp 1.9's FastWriter (non-ASCII and control
// characters escaped as \uXXXX with lowercase hex, '/' left alone).
// Strings are byte strings (lib/util/bytes.ts).

import { PF, PT } from '../schema/types';
import type { FieldValue } from '../fields/types';
import { FormatError } from './errors';

/** A JSON value as the formatter stores it: text is already serialized. */
export type JsonText = string;

export const JSON_NULL: JsonText = 'null';

const HEX = '0123456789abcdef';

function u4(c: number): string {
  return '\\u' + HEX[(c >> 12) & 15] + HEX[(c >> 8) & 15] + HEX[(c >> 4) & 15] + HEX[c & 15];
}

/**
 * A JSON string literal for byte string s. Bytes of 0x80 and up are read as
 * UTF-8 the way jsoncpp reads them (utf8ToCodepoint): a lead byte takes its
 * continuation bytes unchecked, an overlong form, a surrogate or a sequence
 * cut by the end of the string gives U+FFFD, and code points past U+FFFF are
 * written as surrogate pairs.
 */
export function jsonQuote(s: string): string {
  let clean = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7f || c === 0x22 || c === 0x5c) { clean = false; break; }
  }
  if (clean) return '"' + s + '"';
  let out = '"';
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      default: {
        if (c < 0x20) { out += u4(c); break; }
        if (c < 0x80) { out += s[i]; break; }
        let cp = 0xfffd;
        const b1 = s.charCodeAt(i + 1) & 0x3f, b2 = s.charCodeAt(i + 2) & 0x3f, b3 = s.charCodeAt(i + 3) & 0x3f;
        if (c < 0xe0) {
          if (n - i >= 2) { const v = ((c & 0x1f) << 6) | b1; i += 1; cp = v < 0x80 ? 0xfffd : v; }
        } else if (c < 0xf0) {
          if (n - i >= 3) {
            const v = ((c & 0x0f) << 12) | (b1 << 6) | b2;
            i += 2;
            cp = (v >= 0xd800 && v <= 0xdfff) || v < 0x800 ? 0xfffd : v;
          }
        } else if (c < 0xf8) {
          if (n - i >= 4) { const v = ((c & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3; i += 3; cp = v < 0x10000 ? 0xfffd : v; }
        }
        if (cp < 0x10000) out += u4(cp);
        else { cp -= 0x10000; out += u4(0xd800 + ((cp >> 10) & 0x3ff)) + u4(0xdc00 + (cp & 0x3ff)); }
      }
    }
  }
  return out + '"';
}

function numText(v: FieldValue): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.trunc(v));
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  return '0';
}

function signedOf(v: FieldValue, bits: number): string {
  if (typeof v === 'bigint') return BigInt.asIntN(bits, v).toString();
  const n = typeof v === 'number' ? Math.trunc(v) : typeof v === 'boolean' ? (v ? 1 : 0) : 0;
  if (bits === 64) return Number.isSafeInteger(n) ? String(n) : BigInt.asIntN(64, BigInt(n)).toString();
  return String(bits === 8 ? (n << 24) >> 24 : bits === 16 ? (n << 16) >> 16 : n | 0);
}

function unsignedOf(v: FieldValue, bits: number): string {
  if (typeof v === 'bigint') return BigInt.asUintN(bits, v).toString();
  const n = typeof v === 'number' ? Math.trunc(v) : typeof v === 'boolean' ? (v ? 1 : 0) : 0;
  if (bits === 64) return n >= 0 && Number.isSafeInteger(n) ? String(n) : BigInt.asUintN(64, BigInt(n)).toString();
  return String(bits === 8 ? n & 0xff : bits === 16 ? n & 0xffff : n >>> 0);
}

/** Thrown where sysdig aborts the run (its message is printed on stderr, exit status 1). */
export class JsonTypeError extends FormatError {}

/**
 * A field value as sysdig's -j shows it, from the field's type and print
 * format: numbers for decimal and id formats, strings for text (the field's
 * -p text), null where sysdig has no JSON form. Throws
 * JsonTypeError for the types sysdig refuses ("wrong event type N").
 */
export function jsonFieldValue(type: PT, fmt: PF, value: () => FieldValue, text: () => string | undefined): JsonText {
  switch (type) {
    case PT.CHARBUF: case PT.FSPATH: case PT.BYTEBUF: case PT.IPV4ADDR: case PT.IPV6ADDR:
    case PT.IPADDR: case PT.FSRELPATH: {
      const t = text();
      return t === undefined ? JSON_NULL : jsonQuote(t);
    }
  }
  return jsonNumeric(type, fmt, value(), text);
}

function jsonNumeric(type: PT, fmt: PF, value: FieldValue, text: () => string | undefined): JsonText {
  if (value === undefined) return JSON_NULL;
  const decimal = fmt === PF.DEC || fmt === PF.ID;
  const asText = (): JsonText => { const t = text(); return t === undefined ? JSON_NULL : jsonQuote(t); };
  switch (type) {
    case PT.INT8: case PT.INT16: case PT.INT32:
      if (decimal) return signedOf(value, type === PT.INT8 ? 8 : type === PT.INT16 ? 16 : 32);
      if (fmt === PF.OCT || fmt === PF.HEX) return asText();
      return JSON_NULL;
    case PT.INT64: case PT.PID:
      if (decimal) return signedOf(value, 64);
      return asText();
    case PT.L4PROTO: case PT.UINT8: case PT.PORT: case PT.UINT16: case PT.UINT32:
      if (decimal) return unsignedOf(value, type === PT.UINT32 ? 32 : type === PT.UINT8 || type === PT.L4PROTO ? 8 : 16);
      if (fmt === PF.OCT || fmt === PF.HEX) return asText();
      return JSON_NULL;
    case PT.UINT64: case PT.RELTIME: case PT.ABSTIME:
      if (decimal) return unsignedOf(value, 64);
      if (fmt === PF.PADDED_DEC_10 || fmt === PF.OCT || fmt === PF.HEX) return asText();
      return JSON_NULL;
    case PT.SOCKADDR: case PT.SOCKFAMILY:
      return JSON_NULL;
    case PT.BOOL:
      return value === true || (typeof value === 'number' && value !== 0) || (typeof value === 'bigint' && value !== 0n) ? 'true' : 'false';
    default:
      throw new JsonTypeError('wrong event type ' + type);
  }
}

/** An integer JSON value (Json::Int64 / UInt64 in sysdig). */
export function jsonInt(v: number | bigint): JsonText {
  return numText(v);
}
