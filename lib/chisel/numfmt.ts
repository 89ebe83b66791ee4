// Number formatting as sysdig's Lua (LuaJIT 2.1, Lua 5.1 semantics) does it:
// every number is a double, tostring() prints it with "%.14g", and
// string.format follows C printf with LuaJIT's own conversions (integer
// conversions truncate toward zero through int64, halfway cases of the
// float conversions round away from zero, non-finite values print as
// inf/-inf/nan).

/** tostring() of a number: C's "%.14g" with LuaJIT's rounding and inf/nan spelling. */
export function numberToString(n: number): string {
  if (Number.isInteger(n) && n < 1e14 && n > -1e14) {
    return n === 0 && 1 / n < 0 ? '-0' : String(n);
  }
  return formatG(n, 14, false, false);
}

function nonFinite(n: number, upper: boolean): string {
  const s = Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  return upper ? s.toUpperCase() : s;
}

/** Exponent suffix as C prints it: at least two digits. */
function expSuffix(e: number, upper: boolean): string {
  const a = Math.abs(e);
  return (upper ? 'E' : 'e') + (e < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

/** Digits of |n| with `prec` digits after the point (no sign); exact for large values. */
export function fixedDigits(a: number, prec: number): string {
  if (a < 1e21) return a.toFixed(prec);
  // Beyond toFixed's range every double is an integer: print it exactly.
  const s = BigInt(a).toString();
  return prec > 0 ? s + '.' + '0'.repeat(prec) : s;
}

/** "%.{prec}e" of |n| (no sign). */
function expDigits(a: number, prec: number, upper: boolean): { mant: string; exp: number } {
  const s = a.toExponential(Math.min(prec, 100));
  const i = s.indexOf('e');
  let mant = s.slice(0, i);
  if (prec > 100) mant += '0'.repeat(prec - 100);
  void upper;
  return { mant, exp: Number(s.slice(i + 1)) };
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let e = s.length;
  while (s.charCodeAt(e - 1) === 48) e--;
  if (s.charCodeAt(e - 1) === 46) e--;
  return s.slice(0, e);
}

/** "%.{p}g" (with '#' keeping trailing zeros), sign included for negatives. */
export function formatG(n: number, p: number, alt: boolean, upper: boolean): string {
  if (!Number.isFinite(n)) return nonFinite(n, upper);
  if (p === 0) p = 1;
  const neg = n < 0 || (n === 0 && 1 / n < 0);
  const a = Math.abs(n);
  let body: string;
  if (a === 0) {
    body = alt ? '0.' + '0'.repeat(p - 1) : '0';
    if (alt && p === 1) body = '0.';
  } else {
    const { mant, exp } = expDigits(a, p - 1, upper);
    if (exp < -4 || exp >= p) {
      let m = mant;
      if (!alt) m = stripZeros(m);
      else if (m.indexOf('.') < 0) m += '.';
      body = m + expSuffix(exp, upper);
    } else {
      let f = fixedDigits(a, p - 1 - exp);
      if (!alt) f = stripZeros(f);
      else if (f.indexOf('.') < 0) f += '.';
      body = f;
    }
  }
  return neg ? '-' + body : body;
}

function formatE(n: number, p: number, alt: boolean, upper: boolean): string {
  if (!Number.isFinite(n)) return nonFinite(n, upper);
  const neg = n < 0 || (n === 0 && 1 / n < 0);
  const a = Math.abs(n);
  let mant: string, exp: number;
  if (a === 0) { mant = p > 0 ? '0.' + '0'.repeat(p) : '0'; exp = 0; }
  else ({ mant, exp } = expDigits(a, p, upper));
  if (alt && mant.indexOf('.') < 0) mant += '.';
  return (neg ? '-' : '') + mant + expSuffix(exp, upper);
}

function formatF(n: number, p: number, alt: boolean, upper: boolean): string {
  if (!Number.isFinite(n)) return nonFinite(n, upper);
  const neg = n < 0 || (n === 0 && 1 / n < 0);
  let s = fixedDigits(Math.abs(n), p);
  if (alt && s.indexOf('.') < 0) s += '.';
  return (neg ? '-' : '') + s;
}

function formatA(n: number, p: number | undefined, upper: boolean): string {
  if (!Number.isFinite(n)) return nonFinite(n, upper);
  const neg = n < 0 || (n === 0 && 1 / n < 0);
  const a = Math.abs(n);
  let s: string;
  if (a === 0) s = '0x0' + (p ? '.' + '0'.repeat(p) : '') + 'p+0';
  else {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, a);
    const hi = dv.getUint32(0), lo = dv.getUint32(4);
    let e = (hi >>> 20) & 0x7ff;
    let frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let lead = 1n;
    if (e === 0) { lead = 0n; e = -1022; } else e -= 1023;
    let digits = frac.toString(16).padStart(13, '0');
    if (p === undefined) digits = digits.replace(/0+$/, '');
    else if (p < 13) {
      const shift = BigInt((13 - p) * 4);
      let v = (lead << 52n) | frac;
      const half = 1n << (shift - 1n);
      const rem = v & ((1n << shift) - 1n);
      v >>= shift;
      if (rem > half || (rem === half && (v & 1n))) v++;
      lead = v >> BigInt(p * 4);
      digits = p ? (v & ((1n << BigInt(p * 4)) - 1n)).toString(16).padStart(p, '0') : '';
    } else digits = digits.padEnd(p, '0');
    s = '0x' + lead.toString(16) + (digits ? '.' + digits : '') + 'p' + (e < 0 ? '-' : '+') + Math.abs(e);
  }
  if (upper) s = s.toUpperCase();
  return (neg ? '-' : '') + s;
}

const TWO64 = 18446744073709551616;
const TWO63 = 9223372036854775808;
const INT64_MIN = -(2n ** 63n);

/** C's (int64_t)n on x86-64: truncation; out of range (and NaN) gives INT64_MIN. */
export function toInt64(n: number): bigint {
  if (!(n > -TWO63 - 1025 && n < TWO63)) return INT64_MIN;
  const t = Math.trunc(n);
  if (t >= -TWO63 && t < TWO63) return BigInt(t);
  return INT64_MIN;
}

/** LuaJIT's conversion for %u/%x/%o: values past INT64_MAX wrap through 2^64. */
export function toUint64(n: number): bigint {
  const k = n >= TWO63 ? toInt64(n - TWO64) : toInt64(n);
  return BigInt.asUintN(64, k);
}

export interface Spec {
  flags: string;
  width: number;
  prec: number | undefined;
  conv: string;
}

function pad(body: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  if (body.length >= w) return body;
  if (spec.flags.includes('-')) return body + ' '.repeat(w - body.length);
  if (numeric && spec.flags.includes('0')) {
    let signLen = 0;
    if (body[0] === '-' || body[0] === '+' || body[0] === ' ') signLen = 1;
    if (body.startsWith('0x', signLen) || body.startsWith('0X', signLen)) signLen += 2;
    return body.slice(0, signLen) + '0'.repeat(w - body.length) + body.slice(signLen);
  }
  return ' '.repeat(w - body.length) + body;
}

function signed(body: string, neg: boolean, flags: string): string {
  if (neg) return '-' + body;
  if (flags.includes('+')) return '+' + body;
  if (flags.includes(' ')) return ' ' + body;
  return body;
}

/** An integer conversion (d i u o x X) of a number argument. */
export function formatInteger(n: number, spec: Spec): string {
  const c = spec.conv;
  let digits: string;
  let neg = false;
  if (c === 'd' || c === 'i') {
    const k = toInt64(n);
    neg = k < 0n;
    digits = (neg ? -k : k).toString();
  } else {
    const k = toUint64(n);
    digits = k.toString(c === 'o' ? 8 : c === 'u' ? 10 : 16);
    if (c === 'X') digits = digits.toUpperCase();
  }
  const p = spec.prec;
  if (p !== undefined) {
    if (p === 0 && digits === '0') digits = '';
    if (digits.length < p) digits = '0'.repeat(p - digits.length) + digits;
  }
  if (spec.flags.includes('#')) {
    if (c === 'o' && digits[0] !== '0') digits = '0' + digits;
    else if ((c === 'x' || c === 'X') && digits !== '' && /[^0]/.test(digits)) digits = (c === 'x' ? '0x' : '0X') + digits;
  }
  const body = (c === 'd' || c === 'i') ? signed(digits, neg, spec.flags) : digits;
  // The 0 flag is ignored when a precision is given.
  const s2: Spec = p !== undefined ? { ...spec, flags: spec.flags.replace(/0/g, '') } : spec;
  return pad(body, s2, true);
}

/** A float conversion (e E f F g G a A). */
export function formatFloat(n: number, spec: Spec): string {
  const c = spec.conv;
  const upper = c === 'E' || c === 'G' || c === 'F' || c === 'A';
  const alt = spec.flags.includes('#');
  const p = spec.prec;
  let s: string;
  switch (c) {
    case 'e': case 'E': s = formatE(n, p ?? 6, alt, upper); break;
    case 'f': case 'F': s = formatF(n, p ?? 6, alt, upper); break;
    case 'g': case 'G': s = formatG(n, p ?? 6, alt, upper); break;
    default: s = formatA(n, p, upper); break;
  }
  let neg = false;
  if (s[0] === '-') { neg = true; s = s.slice(1); }
  const body = signed(s, neg, spec.flags);
  return pad(body, Number.isFinite(n) ? spec : { ...spec, flags: spec.flags.replace(/0/g, '') }, true);
}

/** %s and %c: text padded to the width (precision cuts %s). */
export function formatText(s: string, spec: Spec): string {
  if (spec.prec !== undefined && spec.conv === 's' && s.length > spec.prec) s = s.slice(0, spec.prec);
  return pad(s, spec, false);
}
