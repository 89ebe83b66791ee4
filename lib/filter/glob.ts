// fnmatch(pattern, string, 0) as glibc does it in the C locale: bytes, '*',
// '?', bracket expressions ('!' or '^' negate, ranges, [:class:], [=c=],
// [.c.]), backslash escapes; '/' and leading dots are not special.
//
// Both arguments are strings of byte values (one char per byte).

const FAIL = -1;

function classMatch(name: string, c: number): boolean | undefined {
  switch (name) {
    case 'alnum': return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    case 'alpha': return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    case 'blank': return c === 0x20 || c === 0x09;
    case 'cntrl': return c < 0x20 || c === 0x7f;
    case 'digit': return c >= 0x30 && c <= 0x39;
    case 'graph': return c > 0x20 && c < 0x7f;
    case 'lower': return c >= 0x61 && c <= 0x7a;
    case 'print': return c >= 0x20 && c < 0x7f;
    case 'punct': return c > 0x20 && c < 0x7f && !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
    case 'space': return c === 0x20 || (c >= 0x09 && c <= 0x0d);
    case 'upper': return c >= 0x41 && c <= 0x5a;
    case 'xdigit': return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
    default: return undefined;
  }
}

/**
 * Tries to match the bracket expression starting right after '[' at p against
 * byte c. Returns the pattern index after the closing ']' when it matches,
 * -2 when the bracket is well formed but does not match, -3 when the whole
 * pattern must fail (invalid class name), or FAIL when the bracket is not
 * terminated (then '[' is an ordinary character).
 */
function bracket(pat: string, p: number, c: number): number {
  const n = pat.length;
  let negate = false;
  if (p < n && (pat[p] === '!' || pat[p] === '^')) { negate = true; p++; }
  let matched = false;
  let first = true;
  for (;;) {
    if (p >= n) return FAIL;
    let lo: number;
    let ch = pat.charCodeAt(p);
    if (ch === 0x5d /* ] */ && !first) {
      p++;
      break;
    }
    first = false;
    if (ch === 0x5c /* \ */) {
      p++;
      if (p >= n) return FAIL;
      lo = pat.charCodeAt(p++);
    } else if (ch === 0x5b /* [ */ && p + 1 < n && (pat[p + 1] === ':' || pat[p + 1] === '=' || pat[p + 1] === '.')) {
      const kind = pat[p + 1];
      const close = pat.indexOf(kind + ']', p + 2);
      if (close < 0) {
        // Not a class after all: '[' is a plain member.
        lo = ch;
        p++;
      } else {
        const body = pat.slice(p + 2, close);
        p = close + 2;
        if (kind === ':') {
          const r = classMatch(body, c);
          if (r === undefined) return -3;
          if (r) matched = true;
          continue;
        }
        if (body.length !== 1) return -3;
        lo = body.charCodeAt(0);
        if (kind === '=') {
          if (lo === c) matched = true;
          continue;
        }
      }
    } else {
      lo = ch;
      p++;
    }
    // Range?
    if (p + 1 < n && pat[p] === '-' && pat[p + 1] !== ']') {
      let q = p + 1;
      let hi = pat.charCodeAt(q);
      if (hi === 0x5c) {
        q++;
        if (q >= n) return FAIL;
        hi = pat.charCodeAt(q);
        q++;
      } else if (hi === 0x5b && q + 1 < n && pat[q + 1] === '.') {
        const close = pat.indexOf('.]', q + 2);
        if (close < 0) { q++; } else {
          const body = pat.slice(q + 2, close);
          if (body.length !== 1) return -3;
          hi = body.charCodeAt(0);
          q = close + 2;
        }
      } else {
        q++;
      }
      if (c >= lo && c <= hi) matched = true;
      p = q;
      continue;
    }
    if (lo === c) matched = true;
  }
  return matched !== negate ? p : -2;
}

/** fnmatch(pattern, str, 0) === 0 */
export function globMatch(pat: string, str: string): boolean {
  const pn = pat.length;
  const sn = str.length;
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = -1;
  for (;;) {
    if (p < pn) {
      const pc = pat.charCodeAt(p);
      if (pc === 0x2a /* * */) {
        while (p < pn && pat.charCodeAt(p) === 0x2a) p++;
        if (p === pn) return true;
        starP = p;
        starS = s;
        continue;
      }
      if (s < sn) {
        const c = str.charCodeAt(s);
        if (pc === 0x3f /* ? */) { p++; s++; continue; }
        if (pc === 0x5b /* [ */) {
          const r = bracket(pat, p + 1, c);
          if (r >= 0) { p = r; s++; continue; }
          if (r === -3) return false;
          if (r === FAIL) {
            // Unterminated bracket: a literal '['.
            if (c === 0x5b) { p++; s++; continue; }
          }
        } else if (pc === 0x5c /* \ */) {
          if (p + 1 >= pn) return false;
          if (pat.charCodeAt(p + 1) === c) { p += 2; s++; continue; }
        } else if (pc === c) {
          p++; s++; continue;
        }
      } else if (pc === 0x5c && p + 1 >= pn) {
        return false;
      }
    } else if (s === sn) {
      return true;
    }
    // Mismatch: let the last '*' swallow one more byte.
    if (starP < 0 || starS >= sn) return false;
    starS++;
    s = starS;
    p = starP;
  }
}
