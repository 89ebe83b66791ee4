// scry's chisels against sysdig 0.29.3 running its chisels of the same name
// with the same arguments over the fixtures (goldens made by
// fixtures/golden/chisels/generate.js). Same exit code, same first line of
// error message, and the same output up to the orders sysdig leaves to
// chance (see chisel-compare.ts).
import t, { Test } from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareMode, compareOutput } from './chisel-compare';
import { ChiselRunResult, runChisels, withNextRun } from '../lib/chisel/runner';
import { ByteOutput } from '../lib/chisel/output';
import { parseArgs, UsageError } from '../lib/cli/args';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const FIX = path.join(ROOT, 'fixtures');
const GOLD = path.join(FIX, 'golden', 'chisels');
const SCRY = path.join(ROOT, 'bin', 'scry');

/** compare_as: the chisel whose comparison applies (a test chisel that execs another prints that one's table). */
interface Case {
  id: string; fixture: string; args: string[]; cwd?: string; sysdig_only?: boolean; compare_as?: string;
  /** More captures read in turn after the fixture (several -r). */
  extraCaptures?: string[];
  /** Why scry's error message is its own (the exit code is still compared). */
  ownError?: string;
  /** The golden is stdout and stderr on one stream: compared with bin/scry's, run the same way. */
  merged?: boolean;
}
interface Meta { code: number; stderr: string }
interface Run { code: number; out: Buffer; err: string }

/**
 * Cases whose output depends on state-engine behaviour scry does not have
 * yet (run, reported as "todo" rather than failures). Keys are id prefixes.
 */
const TODO: [RegExp, string][] = [];
const todo = (id: string): string | undefined => TODO.filter(([re]) => re.test(id)).map(([, why]) => why).join('; ') || undefined;

// Two full passes over several hundred runs: allow for slow machines.
t.setTimeout(1800000);

const cases: Case[] = JSON.parse(fs.readFileSync(path.join(GOLD, 'cases.json'), 'utf8'));
const only = process.env.CHISEL_CASES?.split(',');
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-chisel-'));
t.teardown(() => fs.rmSync(cwd, { recursive: true, force: true }));

/** Runs scry's chisel command in this process (as `scry -r FIXTURE ARGS...` would). */
async function runScry(c: Case): Promise<Run> {
  const more = (c.extraCaptures ?? []).flatMap((f) => ['-r', path.join(FIX, f + '.scap')]);
  const argv = ['-r', path.join(FIX, c.fixture + '.scap'), ...more, ...c.args];
  const outChunks: Uint8Array[] = [], errChunks: Uint8Array[] = [];
  const out = new ByteOutput(1, outChunks), err = new ByteOutput(2, errChunks);
  let code: number;
  try {
    // with the second runs asked for with sysdig.run_app (wsysdig_summary's)
    const runWithNext = async (args: string[]): Promise<ChiselRunResult> => {
      const r = await runChisels(parseArgs(args), args, { out, err });
      return (await withNextRun(r, runWithNext)) ?? r;
    };
    code = (await runWithNext(argv)).code;
  } catch (e) {
    // a value refused after chisels were loaded: their run ends (as main does)
    if (e instanceof UsageError && e.bare) {
      if (e.closing?.chiselOptions) code = (await runChisels(e.closing.chiselOptions, argv, { out, err }, e.message)).code;
      else { err.text(e.message + '\n'); code = e.status; }
      out.flush(); err.flush();
      return { code, out: Buffer.concat(outChunks), err: Buffer.concat(errChunks).toString() };
    }
    err.text(`internal error: ${(e as Error).stack}\n`);
    code = -1;
  }
  out.flush(); err.flush();
  return { code, out: Buffer.concat(outChunks), err: Buffer.concat(errChunks).toString() };
}

/** Runs bin/scry with stdout and stderr on one file, as the merged goldens were made. */
function runScryMerged(c: Case, dir: string): Run {
  const file = path.join(cwd, 'merged.out');
  const fd = fs.openSync(file, 'w');
  const r = spawnSync(SCRY, ['-r', path.join(FIX, c.fixture + '.scap'), ...c.args],
    { cwd: dir, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', fd, fd], timeout: 120000 });
  fs.closeSync(fd);
  return { code: r.status ?? -1, out: Buffer.from(fs.readFileSync(file, 'latin1').split(FIX).join('<fixtures>'), 'latin1'), err: '' };
}

async function runAll(list: Case[], dir = cwd): Promise<Map<string, Run>> {
  const res = new Map<string, Run>();
  const here = process.cwd();
  const home = process.env.HOME;
  process.chdir(dir);
  process.env.HOME = dir;
  process.env.TZ = 'UTC';
  delete process.env.SCRY_CHISEL_PATH;
  try {
    for (const c of list) {
      // Test chisels of lua/ are named by relative path from there.
      process.chdir(c.cwd ? path.join(GOLD, c.cwd) : dir);
      res.set(c.id, c.merged ? runScryMerged(c, process.cwd()) : await runScry(c));
    }
  } finally {
    process.chdir(here);
    process.env.HOME = home;
  }
  return res;
}

const selected = cases.filter((c) => {
  if (only && !only.some((s) => c.id.includes(s))) return false;
  const meta = JSON.parse(fs.readFileSync(path.join(GOLD, c.id + '.json'), 'utf8')) as Meta;
  return meta.code < 128; // sysdig crashed: nothing to compare with
});

function check(t: Test, runs: Map<string, Run>, c: Case): void {
  const meta = JSON.parse(fs.readFileSync(path.join(GOLD, c.id + '.json'), 'utf8')) as Meta;
  const want = fs.readFileSync(path.join(GOLD, c.id + '.out')).toString('latin1');
  const r = runs.get(c.id)!;
  const chisel = c.compare_as ?? c.args[c.args.indexOf('-c') + 1];
  // (merged goldens hold end-of-run headers and messages: no order left to chance)
  const diff = compareOutput(c.merged ? 'exact' : compareMode(chisel, c.args), r.out.toString('latin1'), want);
  const wantErr = meta.stderr.split('<fixtures>').join(FIX);
  const problems: string[] = [];
  if (r.code !== meta.code) problems.push(`exit code ${r.code}, expected ${meta.code} (stderr: ${r.err.trim().slice(0, 300)})`);
  if (diff) problems.push(diff);
  // sysdig's stderr whole (the chisel a message names, too), where scry does not word it its own way
  if (c.ownError === undefined && r.err !== wantErr) problems.push(`stderr ${JSON.stringify(r.err)}, expected ${JSON.stringify(wantErr)}`);
  t.ok(problems.length === 0, `${c.id}${problems.length ? ': ' + problems.join('; ') : ''}`, { todo: problems.length ? todo(c.id) : undefined });
}

t.test('chisels match sysdig 0.29.3', async (t) => {
  // (sysdig_only cases run chisels scry does not ship: see the next test)
  const ours = selected.filter((c) => !c.sysdig_only);
  const runs = await runAll(ours);
  for (const c of ours) check(t, runs, c);
});

// curl_google_comments is curl_google with comments in its section header:
// sysdig 0.29.3 cannot open it, scry reads it and its chisels print what
// sysdig prints for curl_google.
t.test('curl_google_comments: as curl_google', async (t) => {
  const list = selected.filter((c) => c.fixture === 'curl_google' && !c.sysdig_only && !todo(c.id))
    .map((c) => ({ ...c, fixture: 'curl_google_comments' }));
  const runs = await runAll(list);
  for (const c of list) {
    const meta = JSON.parse(fs.readFileSync(path.join(GOLD, c.id + '.json'), 'utf8')) as Meta;
    if (meta.stderr.includes('curl_google')) continue; // messages naming the file
    if (c.id.startsWith('lua_progress.')) continue; // the file's layout
    if (c.id.includes('multifile')) continue; // prints the file's name
    check(t, runs, c);
  }
});

// sysdig's own chisels (Debian's package), unmodified, run by scry: found
// first through ./chisels, so their helpers (common, ansiterminal, dkjson,
// http) are sysdig's too.
const SYSDIG_CHISELS = '/usr/share/sysdig/chisels';
t.test(`sysdig's chisels from ${SYSDIG_CHISELS} under scry`, { skip: !fs.existsSync(SYSDIG_CHISELS) && 'sysdig is not installed' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-sysdig-chisels-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.symlinkSync(SYSDIG_CHISELS, path.join(dir, 'chisels'));
  const runs = await runAll(selected, dir);
  for (const c of selected) check(t, runs, c);
});

// A chisel named by its path that relaunches itself by name (wsysdig_summary
// calls sysdig.run_app with `-c wsysdig_summary`) is found beside its file.
t.test('a chisel run by path relaunches itself by name', { skip: !fs.existsSync(SYSDIG_CHISELS) && 'sysdig is not installed' }, async (t) => {
  const list = selected.filter((c) => c.id.startsWith('sysdig_wsysdig_summary.'))
    .map((c) => ({ ...c, args: ['-c', path.join(SYSDIG_CHISELS, 'wsysdig_summary.lua')], compare_as: 'wsysdig_summary' }));
  t.ok(list.length > 0 || only !== undefined, 'cases');
  const runs = await runAll(list);
  for (const c of list) check(t, runs, c);
});
