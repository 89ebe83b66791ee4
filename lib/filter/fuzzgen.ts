// Seeded generator of random and mutated filter expressions, for the fuzz test
// and for recording sysdig's verdicts on odd inputs.

/** mulberry32: small, fast, seedable. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const FUZZ_FIELDS: readonly string[] = [
  'evt.num', 'evt.type', 'evt.dir', 'evt.cpu', 'evt.rawres', 'evt.res', 'evt.failed', 'evt.latency', 'evt.rawtime',
  'evt.buffer', 'evt.count', 'proc.name', 'proc.pid', 'proc.exe', 'proc.cmdline', 'thread.tid', 'thread.cpu',
  'user.uid', 'user.name', 'group.gid', 'proc.apid', 'proc.aname', 'proc.apid[1]', 'proc.aname[2]', 'fd.num',
  'fd.name', 'fd.typechar', 'fd.ip', 'fd.net', 'fd.port', 'fd.proto', 'fd.sip', 'fd.cip', 'fd.cnet', 'fd.sport',
  'fd.cip.name', 'container.id', 'evt.rawarg.fd', 'evt.rawarg.res', 'evt.rawarg.name', 'evt.rawarg.data',
  'evt.arg.fd', 'evt.arg[0]', 'evt.around[100]', 'evt.type.is.open', 'fdlist.nums', 'k8s.pod.name',
  'proc.nam', 'evt.numx', 'evt.arg', 'foo', 'thread.cgroup.cpu',
];

export const FUZZ_OPS: readonly string[] = [
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'in',
  'intersects', 'pmatch', 'exists', 'bcontains', '=<', '!', 'containsx', 'exists1',
];

export const FUZZ_VALUES: readonly string[] = [
  '1', '0', '-1', 'abc', 'open', 'read', 'close', 'write', 'bash', '10.0.0.1', '10.0.0.0/8', '::1', 'fe80::1',
  '1.2.3', '80', 'http', 'https', 'true', 'false', '"a b"', "'x'", '"unterminated', 'a\\x41b', 'a\\xZZ',
  '\\"q\\"', '""', '99999999999', '18446744073709551616', '+5', ' 7', '/etc', '/etc/passwd', '*.so', '[a-z]*',
  '<', '(', ')', 'a,b', 'x"y', '1e3', '0x10', '>', 'é', '\\', '127.0.0.1', '::ffff:1.2.3.4',
];

const JUNK: readonly string[] = '()!=<>"\'\\, abcnotrdxe01.[]\t'.split('');

export interface FuzzGen {
  expr(): string;
  mutate(s: string): string;
}

export function fuzzGen(seed: number): FuzzGen {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const value = (): string => (rnd() < 0.1 ? pick(FUZZ_VALUES) + pick(FUZZ_VALUES) : pick(FUZZ_VALUES));
  const sp = (): string => { const r = rnd(); return r < 0.6 ? ' ' : r < 0.8 ? '' : r < 0.9 ? '  ' : '\t'; };
  const atom = (): string => {
    const f = pick(FUZZ_FIELDS), op = pick(FUZZ_OPS);
    if (op === 'exists' || op === 'exists1') return f + sp() + op;
    if (op === 'in' || op === 'pmatch' || op === 'intersects') {
      const n = Math.floor(rnd() * 4);
      const vs: string[] = [];
      for (let i = 0; i < n; i++) vs.push(value());
      return f + sp() + op + sp() + '(' + vs.join(pick([',', ', ', ' ,'])) + (rnd() < 0.9 ? ')' : '');
    }
    const word = /^[a-z]/.test(op);
    return f + (word ? ' ' : sp()) + op + (word ? ' ' : sp()) + value();
  };
  const expr = (d: number): string => {
    const r = rnd();
    if (d > 3 || r < 0.4) return atom();
    if (r < 0.55) return 'not' + pick([' ', '', '  ']) + expr(d + 1);
    if (r < 0.7) return '(' + sp() + expr(d + 1) + sp() + ')';
    const c = pick(['and', 'or', 'and', 'or', 'AND', 'o r', 'an d', 'not', '']);
    return expr(d + 1) + pick([' ', '']) + c + pick([' ', '', ' ']) + expr(d + 1);
  };
  const mutate = (s0: string): string => {
    let s = s0;
    const k = Math.floor(rnd() * 3) + 1;
    for (let i = 0; i < k; i++) {
      const p = Math.floor(rnd() * (s.length + 1));
      const r = rnd();
      if (r < 0.4) s = s.slice(0, p) + pick(JUNK) + s.slice(p);
      else if (r < 0.7) s = s.slice(0, p) + s.slice(p + 1);
      else s = s.slice(0, p) + pick(JUNK) + s.slice(p + 1);
    }
    return s;
  };
  return {
    expr: () => { const e = expr(0); return rnd() < 0.4 ? mutate(e) : e; },
    mutate,
  };
}
