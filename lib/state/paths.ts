// Path joining and normalization with sysdig's rules: "../" and "./" are
// resolved textually, duplicate separators folded, a trailing separator
// dropped, and non-printable bytes replaced by '.'.

function printable(c: number): boolean { return c >= 0x20 && c < 0x7f; }

/** True when a path needs no normalization: printable ASCII, no '.'-led segment, no '//', no trailing '/'. */
function isPlain(b: Buffer, len: number): boolean {
  let prev = 0x2f;
  for (let i = 0; i < len; i++) {
    const c = b[i];
    if (c < 0x20 || c >= 0x7f) return false;
    if (c === 0x2e && prev === 0x2f) return false;
    if (c === 0x2f && prev === 0x2f && i > 0) return false;
    prev = c;
  }
  return len === 0 || b[len - 1] !== 0x2f || len === 1;
}

function isPlainText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f) return false;
    if (c === 0x2e && (i === 0 || s.charCodeAt(i - 1) === 0x2f)) return false;
    if (c === 0x2f && i > 0 && s.charCodeAt(i - 1) === 0x2f) return false;
  }
  return true;
}

/** Appends `path` normalized onto `out` (a byte array already holding a prefix). */
function sanitizeInto(out: number[], path: Buffer, start: number): void {
  const base = 0;
  let pc = start;
  const at = (i: number) => (i < path.length ? path[i] : 0);
  const rewind = (delta: number) => {
    if (out.length <= base + 1) { pc += delta; return; }
    out.pop();
    while (out.length >= base + 1 && out[out.length - 1] !== 0x2f) out.pop();
    pc += delta;
  };
  for (;;) {
    const c = at(pc);
    if (c === 0) {
      if (out.length > base + 1 && out[out.length - 1] === 0x2f) out.pop();
      return;
    }
    if (!printable(c)) { out.push(0x2e); pc++; continue; }
    if (c === 0x2e && at(pc + 1) === 0x2e && at(pc + 2) === 0x2f) rewind(3);
    else if (c === 0x2e && at(pc + 1) === 0x2e) {
      if (at(pc + 2) === 0) rewind(2);
      else { out.push(0x2e, 0x2e); pc += 2; }
    } else if (c === 0x2e && at(pc + 1) === 0x2f) pc += 2;
    else if (c === 0x2e) {
      if (at(pc + 1) === 0) pc++;
      else { out.push(c); pc++; }
    } else if (c === 0x2f) {
      if (out.length > base && out[out.length - 1] === 0x2f) pc++;
      else { out.push(c); pc++; }
    } else { out.push(c); pc++; }
  }
}

/** sysdig's path buffers (SCAP_MAX_PATH_SIZE): a join that would not fit in one gives TOO_LONG_PATH. */
export const MAX_PATH = 1024;
export const TOO_LONG_PATH = '/PATH_TOO_LONG';

/**
 * Joins a directory (ending in '/') and a path as sysdig does: an absolute or
 * empty `name` replaces the directory. When the directory's length plus
 * `nameLen` (a parameter's whole length, its NUL included) plus one exceeds
 * `limit`, the result is TOO_LONG_PATH, even for an absolute name (sysdig
 * checks the lengths before looking at the name).
 */
export function concatenatePaths(dir: string, name: Buffer | string, limit = MAX_PATH, nameLen = name.length): string {
  if (dir.length + nameLen + 1 > limit) return TOO_LONG_PATH;
  const nb = typeof name === 'string' ? Buffer.from(name, 'latin1') : name;
  let len2 = nb.indexOf(0);
  if (len2 < 0) len2 = nb.length;
  // sysdig joins when the length is not 0 and the text does not start with '/'
  // (an empty name of length 1, its NUL, gives the directory itself)
  const relative = nameLen !== 0 && nb[0] !== 0x2f;
  if (len2 !== 0 && isPlain(nb, len2)) {
    // Nothing to resolve: no '.' segments, no doubled or trailing '/', printable.
    const tail = nb.toString('latin1', 0, len2);
    if (!relative) return tail;
    if (dir.length === 0 || (dir.endsWith('/') && !dir.endsWith('//') && isPlainText(dir))) return dir + tail;
  }
  const out: number[] = [];
  if (relative) {
    const db = Buffer.from(dir, 'latin1');
    for (let i = 0; i < db.length; i++) out.push(db[i]);
  }
  sanitizeInto(out, len2 === nb.length ? nb : nb.subarray(0, len2), 0);
  return Buffer.from(out).toString('latin1');
}
