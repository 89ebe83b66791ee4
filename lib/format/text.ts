// Low-level text helpers shared by parameter and field rendering: C printf
// integer conversions, %g, printable-byte filtering and the binary buffer
// encodings sysdig offers (dots, ASCII with line ends, hex, hex+ASCII, base64).
//
// Everything here works on the C locale's notion of "printable": bytes
// 0x20..0x7e. Strings coming from JS (already decoded) are treated per UTF-16
// unit, which gives the same result as sysdig's per-byte tests for valid UTF-8
// because every byte of a multi-byte sequence is >= 0x80 and thus unprintable.

const TWO32 = 4294967296;

/** True for the bytes C's isprint() accepts in the C locale. */
export function isPrintByte(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

/** Drops every character outside 0x20..0x7e (sysdig's sanitize_string). */
export function stripUnprintable(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return s.replace(/[^\x20-\x7e]+/g, '');
  }
  return s;
}

/** Bytes [start, end) up to the first NUL, keeping only printable ASCII (strcpy_sanitized). */
export function cStringPrintable(b: Buffer, start: number, end: number): string {
  let z = start;
  let clean = true;
  while (z < end && b[z] !== 0) {
    if (!isPrintByte(b[z])) clean = false;
    z++;
  }
  if (clean) return b.toString('latin1', start, z);
  let out = '';
  for (let i = start; i < z; i++) if (isPrintByte(b[i])) out += String.fromCharCode(b[i]);
  return out;
}

// ---------------------------------------------------------------------------
// Integers

/** Which C conversion applies to an integer value. */
export const enum IntConv { DEC = 0, HEX = 1, OCT_ALT = 2, OCT = 3, PAD9 = 4, UDEC = 5 }

/**
 * Formats an integer the way printf does for the given conversion. `v` is the
 * value as C sees it after promotion (signed or unsigned); `bits` is the width
 * of that promoted type (32 or 64) used for the unsigned views of negatives.
 *   DEC: %d / %ld     UDEC: %u / %lu    HEX: %X / %lX
 *   OCT: %o / %lo     OCT_ALT: %#o      PAD9: %09d / %09ld
 */
export function cInt(v: number | bigint, bits: 32 | 64, conv: IntConv): string {
  switch (conv) {
    case IntConv.DEC:
      return typeof v === 'bigint' ? v.toString() : String(v);
    case IntConv.UDEC:
      return unsignedOf(v, bits).toString();
    case IntConv.PAD9: {
      const s = typeof v === 'bigint' ? v.toString() : String(v);
      if (s.charCodeAt(0) === 45 /* - */) return '-' + s.slice(1).padStart(8, '0');
      return s.padStart(9, '0');
    }
    case IntConv.HEX:
      return unsignedOf(v, bits).toString(16).toUpperCase();
    case IntConv.OCT:
      return unsignedOf(v, bits).toString(8);
    case IntConv.OCT_ALT: {
      const u = unsignedOf(v, bits);
      // '#' adds a leading 0 unless the result already starts with one.
      return u === 0 || u === 0n ? '0' : '0' + u.toString(8);
    }
  }
}

function unsignedOf(v: number | bigint, bits: 32 | 64): number | bigint {
  if (typeof v === 'bigint') return BigInt.asUintN(bits, v);
  if (v >= 0) {
    if (bits === 32) return v >>> 0;
    return Number.isSafeInteger(v) ? v : BigInt.asUintN(64, BigInt(v));
  }
  if (bits === 32) return v >>> 0;
  return BigInt.asUintN(64, BigInt(v));
}

/** Little-endian signed 64-bit integer at b[o]: a number when exact, else a bigint. */
export function readI64Exact(b: Buffer, o: number): number | bigint {
  const lo = b.readUInt32LE(o), hi = b.readInt32LE(o + 4);
  if (hi >= -0x200000 && hi < 0x200000) return hi * TWO32 + lo;
  return b.readBigInt64LE(o);
}

/** Little-endian unsigned 64-bit integer at b[o]: a number when exact, else a bigint. */
export function readU64Exact(b: Buffer, o: number): number | bigint {
  const lo = b.readUInt32LE(o), hi = b.readUInt32LE(o + 4);
  if (hi < 0x200000) return hi * TWO32 + lo;
  return b.readBigUInt64LE(o);
}

/** C's %lg (six significant digits, shortest of %e / %f, trailing zeros removed). */
export function cFormatG(x: number, precision = 6): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf';
  const p = precision === 0 ? 1 : precision;
  const exp = x.toExponential(p - 1); // d.ddddde±X, correctly rounded
  const e = Number(exp.slice(exp.indexOf('e') + 1));
  if (e < -4 || e >= p) {
    let mant = exp.slice(0, exp.indexOf('e'));
    if (mant.indexOf('.') >= 0) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const ae = Math.abs(e);
    return mant + 'e' + (e < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  }
  let fixed = x.toFixed(Math.max(0, p - 1 - e));
  if (fixed.indexOf('.') >= 0) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

/** C's %.1lf. */
export function cFixed1(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  return x.toFixed(1);
}

// ---------------------------------------------------------------------------
// Binary buffers

/** sysdig's buffer encodings (the -A, -x, -X, -b flags; each has a JSON twin). */
export const enum BufEnc { DOTS = 0, EOLS = 1, HEX = 2, HEXASCII = 3, BASE64 = 4 }

/** Printable bytes as themselves, the rest as '.' (the default encoding). */
export function bufDots(b: Buffer, start: number, end: number): string {
  let clean = true;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c < 0x20 || c > 0x7e) { clean = false; break; }
  }
  if (clean) return b.toString('latin1', start, end);
  const out = Buffer.allocUnsafe(end - start);
  for (let i = start, k = 0; i < end; i++, k++) {
    const c = b[i];
    out[k] = c < 0x20 || c > 0x7e ? 0x2e : c;
  }
  return out.toString('latin1', 0, out.length);
}

/**
 * Printable bytes only, keeping line structure (-A): a leading newline unless
 * `compact`, CR becomes LF, an LF right after CR (or first in the buffer) is
 * dropped, every other unprintable byte is dropped.
 */
export function bufEols(b: Buffer, start: number, end: number, compact = false): string {
  const out = Buffer.allocUnsafe(end - start + 1);
  let k = 0;
  if (!compact) out[k++] = 0x0a;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c >= 0x20 && c <= 0x7e) out[k++] = c;
    else if (c === 0x0d) out[k++] = 0x0a;
    else if (c === 0x0a) {
      if (i > start && b[i - 1] !== 0x0d) out[k++] = 0x0a;
    }
  }
  return out.toString('latin1', 0, k);
}

const HEXD = '0123456789abcdef';

/**
 * Hex dump (-x), optionally with an ASCII column (-X): one row per 16 bytes,
 * "\n\t0xOOOO:" then big-endian 16-bit groups, and a final newline.
 */
export function bufHex(b: Buffer, start: number, end: number, ascii: boolean): string {
  let out = '';
  for (let row = start; row < end; row += 16) {
    const off = row - start;
    out += '\n\t0x' + HEXD[(off >> 12) & 15] + HEXD[(off >> 8) & 15] + HEXD[(off >> 4) & 15] + HEXD[off & 15] + ':';
    const rowEnd = Math.min(row + 16, end);
    let chunks = 0;
    for (let p = row; p < rowEnd; p += 2) {
      const hi = b[p];
      out += ' ' + HEXD[hi >> 4] + HEXD[hi & 15];
      if (p + 1 < rowEnd) {
        const lo = b[p + 1];
        out += HEXD[lo >> 4] + HEXD[lo & 15];
      }
      chunks++;
    }
    if (ascii) {
      for (; chunks < 8; chunks++) out += '     ';
      out += '  ';
      for (let p = row; p < rowEnd; p++) {
        const c = b[p];
        out += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '.';
      }
    }
  }
  return out + '\n';
}

/** Standard base64 with padding (-b). */
export function bufBase64(b: Buffer, start: number, end: number): string {
  return b.toString('base64', start, end);
}

/** Encodes bytes [start, end) of b with the given encoding. Empty input gives ''. */
export function encodeBuffer(b: Buffer, start: number, end: number, enc: BufEnc): string {
  if (end <= start) return '';
  switch (enc) {
    case BufEnc.DOTS: return bufDots(b, start, end);
    case BufEnc.EOLS: return bufEols(b, start, end);
    case BufEnc.HEX: return bufHex(b, start, end, false);
    case BufEnc.HEXASCII: return bufHex(b, start, end, true);
    case BufEnc.BASE64: return bufBase64(b, start, end);
  }
}

// ---------------------------------------------------------------------------
// Width

/** Pads with spaces or cuts byte string `s` to exactly `width` bytes (std::string::resize). */
export function fitWidth(s: string, width: number): string {
  return s.length >= width ? s.slice(0, width) : s + ' '.repeat(width - s.length);
}
