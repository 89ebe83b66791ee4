// Text fields of .scry records, apart from the msgpack records themselves so
// that reading a .scap does not load msgpackr.

import { isUtf8 } from 'buffer';
import { isAscii, textToBytes } from '../../util/bytes';

// Text in state records is byte strings (lib/util/bytes.ts). On the wire a
// string whose bytes are valid UTF-8 is a msgpack str of those bytes, so any
// msgpack reader sees the text; other bytes (a name that is not UTF-8) are a
// bin, so nothing is lost. Binary fields are Buffers in records already.

/** A byte string as stored: its UTF-8 text when valid, else its bytes. */
export function textToWire(s: string): string | Buffer {
  if (isAscii(s)) return s;
  const b = Buffer.from(s, 'latin1');
  return isUtf8(b) ? b.toString('utf8') : b;
}

/** A stored text back to a byte string (a bin holds the bytes themselves). */
export function textFromWire(v: unknown): string {
  if (typeof v === 'string') return textToBytes(v);
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
  return String(v ?? '');
}

/** Keys whose values are bytes, not text. */
const BINARY_KEYS = new Set(['sip', 'dip', 'addr', 'netmask', 'bcast']);

/** A record's fields for the wire (undefined ones left out: msgpackr would store them as an extension). */
export function textsToWire<T extends object>(o: T): T {
  const r: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    r[k] = typeof v === 'string' ? textToWire(v)
      : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? textToWire(x) : x)) : v;
  }
  return r as T;
}

/**
 * A record's fields from the wire, in place: text back to byte strings,
 * binary fields as Buffers of their own (not views of the decoded chunk).
 */
export function textsFromWire(o: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') o[k] = textToBytes(v);
    else if (v instanceof Uint8Array) o[k] = BINARY_KEYS.has(k) ? Buffer.from(v) : textFromWire(v);
    else if (Array.isArray(v)) o[k] = v.map((x) => (typeof x === 'string' || x instanceof Uint8Array ? textFromWire(x) : x));
  }
  return o;
}
