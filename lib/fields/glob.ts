// Shell-style pattern matching with the rules of fnmatch(3) without flags,
// which is what sysdig uses for globs: '*' and '?' also match '/', a leading
// '.' is not special, '\' escapes the next character, and [...] supports
// ranges, '!' / '^' negation and [:class:] names.

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: (c) => isAlpha(c),
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: (c) => isDigit(c),
  graph: (c) => c > 0x20 && c < 0x7f,
  lower: (c) => c >= 0x61 && c <= 0x7a,
  print: (c) => c >= 0x20 && c < 0x7f,
  punct: (c) => c > 0x20 && c < 0x7f && !isAlpha(c) && !isDigit(c),
  space: (c) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  upper: (c) => c >= 0x41 && c <= 0x5a,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

function isAlpha(c: number): boolean { return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a); }
function isDigit(c: number): boolean { return c >= 0x30 && c <= 0x39; }

/**
 * Parses the bracket expression starting at p[i] === '['. Returns the index
 * past it and whether `ch` matched, or undefined when the bracket is not
 * closed (then '[' is an ordinary character).
 */
function bracket(p: string, i: number, ch: number): { next: number; hit: boolean } | undefined {
  let j = i + 1;
  let negate = false;
  if (p[j] === '!' || p[j] === '^') { negate = true; j++; }
  let hit = false;
  let first = true;
  while (j < p.length) {
    let c = p[j];
    if (c === ']' && !first) return { next: j + 1, hit: hit !== negate };
    first = false;
    if (c === '[' && p[j + 1] === ':') {
      const end = p.indexOf(':]', j + 2);
      if (end >= 0) {
        const fn = CLASSES[p.slice(j + 2, end)];
        if (!fn) return undefined;
        if (fn(ch)) hit = true;
        j = end + 2;
        continue;
      }
    }
    if (c === '\\' && j + 1 < p.length) { j++; c = p[j]; }
    let lo = c.charCodeAt(0);
    j++;
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      let hiCh = p[j + 1];
      j += 2;
      if (hiCh === '\\' && j < p.length) { hiCh = p[j]; j++; }
      const hi = hiCh.charCodeAt(0);
      if (ch >= lo && ch <= hi) hit = true;
    } else if (ch === lo) hit = true;
    void lo;
  }
  return undefined;
}

/** fnmatch(pattern, text, 0) === 0 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0, t = 0;
  let starP = -1, starT = 0;
  while (t < text.length) {
    if (p < pattern.length) {
      const c = pattern[p];
      if (c === '*') {
        while (p < pattern.length && pattern[p] === '*') p++;
        if (p === pattern.length) return true;
        starP = p; starT = t;
        continue;
      }
      if (c === '?') { p++; t++; continue; }
      if (c === '[') {
        const b = bracket(pattern, p, text.charCodeAt(t));
        if (b) {
          if (b.hit) { p = b.next; t++; continue; }
        } else if (text[t] === '[') { p++; t++; continue; }
      } else {
        let lit = c, adv = 1;
        if (c === '\\' && p + 1 < pattern.length) { lit = pattern[p + 1]; adv = 2; }
        if (lit === text[t]) { p += adv; t++; continue; }
      }
    }
    if (starP >= 0) { p = starP; t = ++starT; continue; }
    return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
