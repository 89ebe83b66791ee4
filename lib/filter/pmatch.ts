// 'pmatch': does some search path equal the value or contain it, component
// by component? Components are split on '/', empty ones skipped, so
// '/var/run' matches '/var/run' and '/var/run/docker.sock' but not
// '/var/running' or '/var'; '/' (or an empty path) matches every path.

/** Components of a path, empty ones skipped. */
function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

export class PathPrefixSet {
  /** Search paths as component lists; none is a prefix of another (shorter ones win). */
  private readonly paths: string[][] = [];
  private matchAll = false;

  add(path: string): void {
    const comps = components(path);
    if (comps.length === 0) this.matchAll = true;
    // Drop longer paths this one is a prefix of; skip it if a shorter one covers it.
    for (let i = this.paths.length - 1; i >= 0; i--) {
      const p = this.paths[i];
      if (isPrefix(p, comps)) return;
      if (isPrefix(comps, p)) this.paths.splice(i, 1);
    }
    this.paths.push(comps);
  }

  /** Whether the value (a path) is matched; allocation-free. */
  match(value: string): boolean {
    if (this.matchAll) return true;
    const paths = this.paths;
    for (let k = 0; k < paths.length; k++) if (startsWithComponents(value, paths[k])) return true;
    return false;
  }
}

function isPrefix(pre: string[], of: string[]): boolean {
  if (pre.length > of.length) return false;
  for (let i = 0; i < pre.length; i++) if (pre[i] !== of[i]) return false;
  return true;
}

/** Whether the components of `value` start with `comps`. */
function startsWithComponents(value: string, comps: string[]): boolean {
  const n = value.length;
  let pos = 0;
  for (let i = 0; i < comps.length; i++) {
    // Skip separators (empty components).
    while (pos < n && value.charCodeAt(pos) === 0x2f) pos++;
    if (pos >= n) return false;
    const c = comps[i];
    if (!value.startsWith(c, pos)) return false;
    pos += c.length;
    if (pos < n && value.charCodeAt(pos) !== 0x2f) return false;
  }
  return true;
}
