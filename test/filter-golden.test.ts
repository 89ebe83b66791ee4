// sysdig 0.29.3's answers to the filter expressions of
// fixtures/golden/filter/cases.txt (recorded in golden.json by generate.js
// there) replayed through scry's engine in-process: same stdout byte for
// byte, same exit status, same error message. Skipped while the replay
// pipeline (lib/cli) cannot be loaded.

import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, 'fixtures', 'golden', 'filter');

interface GoldenCase {
  capture: string;
  format: string;
  expr: string;
  nums?: string;
  out?: string;
  err: string;
  status: number | null;
  signal?: string;
}

const golden = JSON.parse(fs.readFileSync(path.join(DIR, 'golden.json'), 'utf8')) as { cases: GoldenCase[] };

/** Differences known to come from outside the filter compiler (field values, engine timing): reported as TODO. */
const known = new Map<string, string>();
for (const k of (JSON.parse(fs.readFileSync(path.join(DIR, 'known.json'), 'utf8')) as { cases: { capture: string; format: string; expr: string; reason: string }[] }).cases) {
  known.set(`${k.capture}\0${k.format}\0${k.expr}`, k.reason);
}

/** Inverse of generate.js's encodeNums. */
function decodeNums(s: string): string {
  if (s === '') return '';
  let out = '';
  for (const part of s.split(',')) {
    const dash = part.indexOf('-', 1);
    if (dash < 0) { out += part + '\n'; continue; }
    const a = Number(part.slice(0, dash)), b = Number(part.slice(dash + 1));
    for (let i = a; i <= b; i++) out += i + '\n';
  }
  return out;
}

function formatArgs(format: string): string[] {
  if (format === 'default') return [];
  if (format === 'num') return ['-p', '%evt.num'];
  return ['-p', format];
}

interface RunResult { stdout: string; stderr: string; status: number; crashedLikeSysdig?: boolean }

type ReplayFn = (argv: string[]) => Promise<RunResult>;

/** Loads the in-process replay (lib/cli) or explains why not. */
function loadReplay(): ReplayFn | string {
  let args: typeof import('../lib/cli/args');
  let replayMod: typeof import('../lib/cli/replay');
  let outMod: typeof import('../lib/cli/output');
  let glue: typeof import('../lib/cli/glue');
  let filter: typeof import('../lib/filter');
  try {
    /* eslint-disable @typescript-eslint/no-var-requires */
    args = require('../lib/cli/args');
    replayMod = require('../lib/cli/replay');
    outMod = require('../lib/cli/output');
    glue = require('../lib/cli/glue');
    filter = require('../lib/filter');
    /* eslint-enable @typescript-eslint/no-var-requires */
  } catch (e) {
    return `the replay pipeline does not load yet: ${(e as Error).message.split('\n')[0]}`;
  }
  class Capture extends outMod.Output {
    text = '';
    override line(s: string): void { this.text += s + '\n'; }
    override write(s: string): void { this.text += s; }
    override flush(): void { /* kept in memory */ }
  }
  return async (argv) => {
    const out = new Capture();
    let stderr = '';
    try {
      const opts = args.parseArgs(argv);
      const r = await replayMod.replay(opts, out, (s) => { stderr += s; });
      return { stdout: out.text, stderr, status: r.code };
    } catch (e) {
      if (e instanceof glue.GlueError) {
        const cause = (e as { cause?: unknown }).cause;
        const crash = cause instanceof filter.FilterError && cause.sysdigCrashes;
        return { stdout: out.text, stderr: stderr + e.message + '\n', status: 1, crashedLikeSysdig: crash };
      }
      if (e instanceof filter.FilterRuntimeError) return { stdout: out.text, stderr: stderr + e.message + '\n', status: 1 };
      if (e instanceof filter.FilterError) return { stdout: out.text, stderr: stderr + e.message + '\n', status: 1, crashedLikeSysdig: e.sysdigCrashes };
      throw e;
    }
  };
}

const replay = loadReplay();

t.test('filters against sysdig 0.29.3', { skip: typeof replay === 'string' ? replay : false }, async (t) => {
  const run = replay as ReplayFn;
  process.env.TZ = 'UTC';
  let same = 0;
  const failures: string[] = [];
  const todo: [string, string][] = [];
  const fixed: string[] = [];
  for (const c of golden.cases) {
    const argv = ['-r', path.join(ROOT, 'fixtures', c.capture + '.scap'), ...formatArgs(c.format), c.expr];
    const want = c.nums !== undefined ? decodeNums(c.nums) : (c.out ?? '');
    let got: RunResult;
    try {
      got = await run(argv);
    } catch (e) {
      got = { stdout: '', stderr: `exception: ${(e as Error).stack}`, status: -1 };
    }
    const problems: string[] = [];
    if (c.signal) {
      // sysdig crashed: scry must refuse (non-zero status) instead.
      if (got.status === 0) problems.push(`sysdig crashes (${c.signal}); scry accepted`);
    } else {
      if (got.status !== c.status) problems.push(`status ${got.status}, sysdig ${c.status}`);
      if (got.stdout !== want) {
        const a = got.stdout.split('\n'), b = want.split('\n');
        let i = 0;
        while (i < a.length && i < b.length && a[i] === b[i]) i++;
        problems.push(`stdout differs at line ${i + 1}: scry ${JSON.stringify(a[i] ?? '<end>')} sysdig ${JSON.stringify(b[i] ?? '<end>')} (${a.length - 1} vs ${b.length - 1} lines)`);
      }
      const wantErr = c.err.trim();
      if (c.status !== 0 && wantErr !== '' && !got.stderr.includes(wantErr)) {
        problems.push(`stderr ${JSON.stringify(got.stderr.trim())}, sysdig ${JSON.stringify(wantErr)}`);
      }
    }
    const label = `${c.capture} [${c.format}] ${c.expr}`;
    const why = known.get(`${c.capture}\0${c.format}\0${c.expr}`);
    if (problems.length === 0) { same++; if (why !== undefined) fixed.push(label); }
    else if (why !== undefined) todo.push([`${label}: ${problems.join('; ')}`, why]);
    else failures.push(`${label}: ${problems.join('; ')}`);
  }
  t.comment(`${same}/${golden.cases.length} cases as sysdig; ${todo.length} known differences from outside the filter (known.json)`);
  for (const f of fixed) t.comment(`now as sysdig, remove from known.json: ${f}`);
  for (const [f, why] of todo) t.fail(f, { todo: why });
  for (const f of failures) t.fail(f);
  if (failures.length === 0) t.pass(`all ${golden.cases.length - todo.length} other cases as sysdig`);
});
