// Path joining and normalization with sysdig's rules: "../" and "./" are
// resolved textually, duplicate separators folded, a trailing separator
// dropped, and non-printable bytes replaced by '.'.

function printable(c: number): boolean { return c >= 0x20 && c < 0x7f; }

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

/**
 * Joins a directory (ending in '/') and a path as sysdig does: an absolute or
 * empty `name` replaces the directory.
 */
export function concatenatePaths(dir: string, name: Buffer | string): string {
  const nb = typeof name === 'string' ? Buffer.from(name, 'utf8') : name;
  let len2 = nb.indexOf(0);
  if (len2 < 0) len2 = nb.length;
  const out: number[] = [];
  if (len2 !== 0 && nb[0] !== 0x2f) {
    const db = Buffer.from(dir, 'utf8');
    for (let i = 0; i < db.length; i++) out.push(db[i]);
  }
  sanitizeInto(out, len2 === nb.length ? nb : nb.subarray(0, len2), 0);
  return Buffer.from(out).toString('utf8');
}
