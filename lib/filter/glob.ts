// fnmatch(pattern, string, 0) as glibc does it in the C locale: bytes, '*',
// '?', bracket expressions ('!' or '^' negate, ranges, [:class:], [=c=],
// [.c.]), backslash escapes; '/' and leading dots are not special.
//
// Both arguments are strings of byte values (one char per byte).

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

const NOMATCH = -2;
const LITERAL = -3;
const CLASS_MAX = 256;

function at(pat: string, i: number): number {
  return i < pat.length ? pat.charCodeAt(i) : 0;
}

/**
 * Skips the rest of a bracket expression once a member matched (glibc's
 * "matched:" phase, with its own rules). Returns the index after ']' or NOMATCH.
 */
function skipRest(pat: string, p: number): number {
  for (;;) {
    const c = at(pat, p++);
    if (c === 0) return NOMATCH;
    if (c === 0x5c) {
      if (at(pat, p) === 0) return NOMATCH;
      p++;
    } else if (c === 0x5b && at(pat, p) === 0x3a) {
      const startp = p;
      let c1 = 0;
      let q = p;
      let restart = false;
      for (;;) {
        const cc = at(pat, ++q);
        if (++c1 === CLASS_MAX) return NOMATCH;
        if (at(pat, q) === 0x3a && at(pat, q + 1) === 0x5d) break;
        if (cc < 0x61 || cc >= 0x7a) { restart = true; break; }
      }
      if (restart) { p = startp; continue; }
      p = q + 2;
    } else if (c === 0x5b && at(pat, p) === 0x3d) {
      let q = p;
      if (at(pat, ++q) === 0) return NOMATCH;
      const cc = at(pat, ++q);
      if (cc !== 0x3d || at(pat, q + 1) !== 0x5d) return NOMATCH;
      p = q + 2;
    } else if (c === 0x5b && at(pat, p) === 0x2e) {
      let q = p;
      for (;;) {
        const cc = at(pat, ++q);
        if (cc === 0) return NOMATCH;
        if (cc === 0x2e && at(pat, q + 1) === 0x5d) break;
      }
      p = q + 2;
    } else if (c === 0x5d) {
      return p;
    }
  }
}

/**
 * Matches the bracket expression whose '[' is at pat[p0] against byte fn.
 * Returns the pattern index after the expression when it matches, NOMATCH,
 * or LITERAL when the bracket is not terminated ('[' is then an ordinary char).
 */
function bracket(pat: string, p0: number, fn: number): number {
  let p = p0 + 1;
  const not = at(pat, p) === 0x21 || at(pat, p) === 0x5e;
  if (not) p++;
  let c = at(pat, p++);
  let matched = false;
  let cold = 0;
  for (;;) {
    let normal = false;
    if (c === 0x5c) {
      if (at(pat, p) === 0) return NOMATCH;
      c = at(pat, p++);
      normal = true;
    } else if (c === 0x5b && at(pat, p) === 0x3a) {
      const startp = p;
      let name = '';
      let q = p;
      let asNormal = false;
      for (;;) {
        if (name.length === CLASS_MAX) return NOMATCH;
        const cc = at(pat, ++q);
        if (cc === 0x3a && at(pat, q + 1) === 0x5d) { q += 2; break; }
        if (cc < 0x61 || cc >= 0x7a) { asNormal = true; break; }
        name += String.fromCharCode(cc);
      }
      if (asNormal) {
        p = startp;
        c = 0x5b;
        normal = true;
      } else {
        const r = classMatch(name, fn);
        if (r === undefined) return NOMATCH;
        p = q;
        if (r) { matched = true; break; }
        c = at(pat, p++);
      }
    } else if (c === 0x5b && at(pat, p) === 0x3d) {
      const startp = p;
      let q = p;
      const sc = at(pat, ++q);
      if (sc === 0) { p = startp; c = 0x5b; normal = true; } else {
        const cc = at(pat, ++q);
        if (cc !== 0x3d || at(pat, q + 1) !== 0x5d) { p = startp; c = 0x5b; normal = true; } else {
          p = q + 2;
          if (fn === sc) { matched = true; break; }
          c = at(pat, p++);
        }
      }
    } else if (c === 0) {
      return LITERAL;
    } else if (c === 0x5b && at(pat, p) === 0x2e) {
      const startp = p;
      let q = p;
      let c1 = 0;
      for (;;) {
        const cc = at(pat, ++q);
        if (cc === 0x2e && at(pat, q + 1) === 0x5d) { q += 2; break; }
        if (cc === 0) return NOMATCH;
        c1++;
      }
      p = q;
      const isRange = at(pat, p) === 0x2d && at(pat, p + 1) !== 0;
      if (c1 !== 1) return NOMATCH;
      const sym = at(pat, startp + 1);
      if (!isRange && fn === sym) { matched = true; break; }
      cold = sym;
      c = at(pat, p++);
      const r = rangeTail();
      if (r === 1) { matched = true; break; }
      if (r === NOMATCH) return NOMATCH;
    } else {
      normal = true;
    }
    if (normal) {
      const isRange = at(pat, p) === 0x2d && at(pat, p + 1) !== 0 && at(pat, p + 1) !== 0x5d;
      if (!isRange && c === fn) { matched = true; break; }
      cold = c;
      c = at(pat, p++);
      const r = rangeTail();
      if (r === 1) { matched = true; break; }
      if (r === NOMATCH) return NOMATCH;
    }
    if (c === 0x5d) break;
  }
  if (matched) {
    const end = skipRest(pat, p);
    if (end === NOMATCH) return NOMATCH;
    return not ? NOMATCH : end;
  }
  return not ? p : NOMATCH;

  /** After a member `cold` with c = next char: a range "cold-cend"? 1 matched, 0 not (c updated), NOMATCH. */
  function rangeTail(): number {
    if (c === 0x2d && at(pat, p) !== 0x5d) {
      let cend = at(pat, p++);
      if (cend === 0x5b && at(pat, p) === 0x2e) {
        const startp = p;
        let q = p;
        let c1 = 0;
        for (;;) {
          const cc = at(pat, ++q);
          if (cc === 0x2e && at(pat, q + 1) === 0x5d) { q += 2; break; }
          if (cc === 0) return NOMATCH;
          c1++;
        }
        p = q;
        if (c1 !== 1) return NOMATCH;
        cend = at(pat, startp + 1);
      } else {
        if (cend === 0x5c) cend = at(pat, p++);
        if (cend === 0) return NOMATCH;
      }
      if (cold <= fn && fn <= cend) return 1;
      c = at(pat, p++);
    }
    return 0;
  }
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
          const r = bracket(pat, p, c);
          if (r >= 0) { p = r; s++; continue; }
          if (r === LITERAL && c === 0x5b) { p++; s++; continue; }
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
