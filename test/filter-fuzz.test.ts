// Fuzz: thousands of random, mutated and garbage filter expressions (seeded,
// so failures reproduce). compileFilter must either compile or throw
// FilterError — never anything else — and must stay fast; compiled filters
// must evaluate or throw FilterRuntimeError only.

import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { compileFilter, FilterError, FilterRuntimeError, registryBinder } from '../lib/filter';
import type { FieldBinder, CompiledFilter } from '../lib/filter';
import { fuzzGen, prng } from '../lib/filter/fuzzgen';
import { testBinder, TestEvent } from '../lib/filter/testing';
import type { EvalContext } from '../lib/fields/types';
import type { ThreadInfo, FdInfo } from '../lib/state/view';

const SEED = Number(process.env.FILTER_FUZZ_SEED ?? 4242);
const N = Number(process.env.FILTER_FUZZ_COUNT ?? 6000);

const ROOT = path.join(__dirname, '..');
const caseExprs = fs.readFileSync(path.join(ROOT, 'fixtures', 'golden', 'filter', 'cases.txt'), 'utf8')
  .split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith('@'));

let realBinder: FieldBinder | undefined;
try { realBinder = registryBinder(); } catch { realBinder = undefined; }

/** The inputs: generated, mutated goldens, and random bytes. */
function inputs(): string[] {
  const gen = fuzzGen(SEED);
  const rnd = prng(SEED ^ 0x5bd1e995);
  const out: string[] = [];
  for (let i = 0; i < N; i++) out.push(gen.expr());
  for (let i = 0; i < N / 2; i++) {
    let s = caseExprs[Math.floor(rnd() * caseExprs.length)];
    const k = 1 + Math.floor(rnd() * 3);
    for (let j = 0; j < k; j++) s = gen.mutate(s);
    out.push(s);
  }
  const alphabet = '()!=<>"\'\\,. \t\nabcdefghijklmnopqrstuvwxyz0123456789[]*?/:-_+é\u0000\u00ff';
  for (let i = 0; i < N / 4; i++) {
    const len = Math.floor(rnd() * 40);
    let s = '';
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
    out.push(s);
  }
  // Pathological shapes.
  out.push('('.repeat(5000) + 'proc.name=x' + ')'.repeat(5000));
  out.push('not '.repeat(5000) + 'proc.name=x');
  out.push(Array(2000).fill('proc.name=x').join(' and '));
  out.push(Array(2000).fill('proc.name=x').join(' or '));
  out.push('proc.name in (' + Array(5000).fill('a').join(',') + ')');
  out.push('evt.num in (' + Array(2000).fill('1').join(',') + ')');
  out.push('proc.name glob "' + '*a'.repeat(50) + '"');
  out.push('proc.name="' + '\\x41'.repeat(60) + '"');
  return out;
}

function thread(tid: number, pid: number, ptid: number, comm: string): ThreadInfo {
  return {
    tid, pid, ptid, sid: 0, vpgid: 0, comm, exe: comm, exepath: '/bin/' + comm, args: ['-x'], env: [], cwd: '/', uid: 0,
    gid: 0, loginuid: -1, fdlimit: 1024, flags: 0, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfmajor: 0, pfminor: 0,
    vtid: tid, vpid: pid, cgroups: [], root: '/', tty: 0, containerId: '', cloneSec: 0, cloneNsec: 0, fds: new Map(),
  };
}

function contexts(): EvalContext[] {
  const threads = new Map<number, ThreadInfo>([[1, thread(1, 1, 0, 'init')], [2, thread(2, 2, 1, 'bash')], [3, thread(3, 3, 2, 'a'.repeat(100))]]);
  const fds: (FdInfo | undefined)[] = [
    undefined,
    { fd: 3, typeChar: 'f', name: '/etc/passwd', openFlags: 0, ino: 0, dev: 0, sport: 0, dport: 0, l4proto: 0, role: '' },
    { fd: 4, typeChar: '4', name: '1.2.3.4:5->6.7.8.9:80', openFlags: 0, ino: 0, dev: 0, sip: Buffer.from([1, 2, 3, 4]), dip: Buffer.from([6, 7, 8, 9]), sport: 5, dport: 80, l4proto: 1, role: 'client' },
    { fd: 5, typeChar: '6', name: ':::80', openFlags: 0, ino: 0, dev: 0, sip: Buffer.alloc(16), sport: 80, dport: 0, l4proto: 1, role: 'server' },
  ];
  const out: EvalContext[] = [];
  let num = 1;
  for (const tid of [1, 2, 3, 99]) {
    for (const f of fds) {
      const flags = f ? 4 : 0;
      const ev: TestEvent = {
        num: num++, type: num % 7, name: ['open', 'read', 'close'][num % 3], enter: num % 2 === 0, flags, sec: num, nsec: 5,
        res: num % 3 === 0 ? -2 : undefined, buffer: num % 2 ? Buffer.from('GET /x') : undefined, info: { flags, name: 'x', enter: false },
      };
      const state = {
        thread: threads.get(tid), fd: f, fdNum: f ? f.fd : -1, enterEvent: undefined, threads,
        users: new Map(), groups: new Map(), containers: new Map(), interfaces: [], machine: undefined,
        mainThread: (t0: ThreadInfo) => threads.get(t0.pid), parent: (t0: ThreadInfo) => threads.get(t0.ptid),
        firstSec: 0, firstNsec: 0, prevSec: 0, prevNsec: 0,
      };
      out.push({ ev: ev as never, state: state as never });
    }
  }
  return out;
}

t.test('compileFilter only ever throws FilterError, and quickly', async (t) => {
  const all = inputs();
  const binders: [string, FieldBinder][] = [['test catalog', testBinder]];
  if (realBinder) binders.push(['field catalog', realBinder]);
  const ctxs = contexts();
  for (const [label, bind] of binders) {
    let accepted = 0, rejected = 0, evaluated = 0, aborted = 0;
    let worst = 0, worstExpr = '';
    const bad: string[] = [];
    const start = Date.now();
    for (const s of all) {
      const t0 = process.hrtime.bigint();
      let f: CompiledFilter | undefined;
      try {
        f = compileFilter(s, { bind });
        accepted++;
      } catch (e) {
        if (e instanceof FilterError) rejected++;
        else bad.push(`${JSON.stringify(s.slice(0, 200))}: ${(e as Error).stack}`);
      }
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (ms > worst) { worst = ms; worstExpr = s; }
      if (f && bind === testBinder) {
        for (const c of ctxs) {
          try {
            f.match(c);
            evaluated++;
          } catch (e) {
            if (e instanceof FilterRuntimeError) aborted++;
            else bad.push(`${JSON.stringify(s.slice(0, 200))} evaluating: ${(e as Error).stack}`);
          }
        }
      }
    }
    t.comment(`${label}: ${all.length} inputs, ${accepted} accepted, ${rejected} rejected, ${evaluated} evaluations, ${aborted} aborts; ${Date.now() - start} ms, slowest ${worst.toFixed(1)} ms (${JSON.stringify(worstExpr.slice(0, 60))})`);
    t.same(bad.slice(0, 20), [], `${label}: nothing but FilterError / FilterRuntimeError`);
    t.ok(worst < 2000, `${label}: every input compiles in under 2 s`);
  }
});
