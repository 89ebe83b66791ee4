// Chisel runs whose result is more than their stdout, against sysdig 0.29.3
// (fixtures/golden/chisels/extra, made by generate-extra.js): bin/scry on a
// terminal (script(1)) must write the same bytes there; udp_extract must
// leave the same files; spy_syslog's dump_file_name capture must hold the
// same events; the datagrams sent (sysdig.udp_send, the statsd helper) must
// be the same. Then scry's own choices where sysdig's chisels fail.

import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const GOLD = path.join(ROOT, 'fixtures', 'golden', 'chisels');
const DIR = path.join(GOLD, 'extra');
const BIN = path.join(ROOT, 'bin', 'scry');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runCase, readGolden } = require(path.join(DIR, 'run.js'));

interface Case { id: string; kind: 'tty' | 'files' | 'udp' | 'dump'; fixture: string; args: string[]; port?: number | 'any'; todo?: string }
interface Result { code: number; stdout: Buffer; stderr: string; tty?: Buffer; files?: Record<string, string>; packets?: string[]; dump?: Buffer }

const SCRY = [BIN];
const built = fs.existsSync(BIN) && fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
const cases: Case[] = JSON.parse(fs.readFileSync(path.join(DIR, 'cases.json'), 'utf8'));
const only = process.env.CHISEL_CASES?.split(',');

/** What differs between scry's run and the golden, or undefined. */
function differences(c: Case, got: Result, want: Result): string[] {
  const out: string[] = [];
  if (got.code !== want.code) out.push(`exit code ${got.code}, expected ${want.code} (stderr: ${got.stderr.trim().slice(0, 300)})`);
  const firstErr = want.stderr.trim().split('\n')[0];
  if (want.code !== 0 && firstErr && !got.stderr.includes(firstErr)) out.push(`stderr ${JSON.stringify(got.stderr)} lacks ${JSON.stringify(firstErr)}`);
  if (!got.stdout.equals(want.stdout)) out.push(`stdout ${JSON.stringify(got.stdout.toString('latin1').slice(0, 400))}, expected ${JSON.stringify(want.stdout.toString('latin1').slice(0, 400))}`);
  if (c.kind === 'tty' && !got.tty!.equals(want.tty!)) {
    const g = got.tty!.toString('latin1'), w = want.tty!.toString('latin1');
    let i = 0;
    while (i < g.length && g[i] === w[i]) i++;
    out.push(`terminal output differs at byte ${i}: ${JSON.stringify(g.slice(i, i + 80))}, expected ${JSON.stringify(w.slice(i, i + 80))}`);
  }
  if (c.kind === 'files') {
    const g = got.files!, w = want.files!;
    for (const n of Object.keys(w)) if (!(n in g)) out.push(`missing file ${n}`);
    for (const n of Object.keys(g)) {
      if (!(n in w)) out.push(`extra file ${n}`);
      else if (g[n] !== w[n]) out.push(`file ${n}: ${JSON.stringify(g[n].slice(0, 100))}, expected ${JSON.stringify(w[n].slice(0, 100))}`);
    }
  }
  if (c.kind === 'udp' && JSON.stringify(got.packets) !== JSON.stringify(want.packets)) {
    out.push(`datagrams ${JSON.stringify(got.packets).slice(0, 400)}, expected ${JSON.stringify(want.packets).slice(0, 400)}`);
  }
  if (c.kind === 'dump' && !got.dump!.equals(want.dump!)) {
    const g = got.dump!.toString('latin1').split('\n'), w = want.dump!.toString('latin1').split('\n');
    let i = 0;
    while (i < g.length && g[i] === w[i]) i++;
    out.push(`capture written: listing line ${i + 1} ${JSON.stringify(g[i])}, expected ${JSON.stringify(w[i])} (${g.length} lines, expected ${w.length})`);
  }
  return out;
}

/** True when the port is free to listen on (the statsd cases need 8125). */
function portFree(port: number): boolean {
  const r = spawnSync(process.execPath, ['-e', `const s=require('dgram').createSocket('udp4');s.on('error',()=>process.exit(1));s.bind(${port},'127.0.0.1',()=>s.close())`]);
  return r.status === 0;
}

t.test('chisel runs as sysdig 0.29.3 runs them', { skip: built ? false : 'bin/scry is not built yet' }, async (t) => {
  for (const c of cases) {
    if (only && !only.some((s) => c.id.includes(s))) continue;
    const skip = c.kind === 'tty' && !hasScript ? 'script(1) is not installed'
      : c.kind === 'udp' && typeof c.port === 'number' && !portFree(c.port) ? `127.0.0.1:${c.port} is in use` : false;
    await t.test(c.id, { skip }, async (t) => {
      const want: Result = readGolden(DIR, c);
      const got: Result = await runCase(c, SCRY);
      const diff = differences(c, got, want);
      t.ok(diff.length === 0, diff.length ? diff.join('; ') : 'same as sysdig', { todo: diff.length ? c.todo : undefined });
    });
  }
});

/** bin/scry -r FIXTURE ARGS from a new directory (run.js's runCase): stdout as text, stderr, exit code. */
async function scry(fixture: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r: Result = await runCase({ fixture, args }, SCRY);
  return { code: r.code, out: r.stdout.toString('latin1'), err: r.stderr };
}

t.test("scry's chisels where sysdig's fail", { skip: built ? false : 'bin/scry is not built yet' }, async (t) => {
  // sysdig's memcachelog compares with a size it does not have ("attempt to
  // compare number with nil"): scry's shows every set, as 'set 0' does.
  const set = await scry('scry_live_memcache', ['-c', 'memcachelog', 'set']);
  t.equal(set.code, 0, 'memcachelog set: exit 0');
  t.equal(set.out, fs.readFileSync(path.join(GOLD, 'memcachelog.memcache_set0.out'), 'latin1'), "memcachelog set prints sysdig's 'set 0' lines");
  const abc = await scry('scry_live_memcache', ['-c', 'memcachelog', 'set abc']);
  t.equal(abc.out, set.out, "memcachelog 'set abc' (no number): every set");

  // sysdig's tracers_2_statsd ignores server_addr and server_port: scry's
  // sends to them (the datagrams sysdig sends to 127.0.0.1:8125).
  const c = cases.find((x) => x.id === 'udp_tracers_2_statsd.tracers')!;
  const r: Result = await runCase({ ...c, port: 'any', args: [...c.args, '127.0.0.1 {port}'] }, SCRY);
  t.equal(r.code, 0, 'tracers_2_statsd with server arguments: exit 0');
  t.same(r.packets, readGolden(DIR, c).packets, "tracers_2_statsd sends sysdig's datagrams to server_addr:server_port");
  const bad = await scry('scry_live_tracers', ['-c', 'tracers_2_statsd', '127.0.0.1 80x']);
  t.equal(bad.code, 1, 'tracers_2_statsd with a bad port: exit 1');
  t.match(bad.err, /^tracers_2_statsd: error in init\(\): C\+\+ exception\n$/, 'one line: the port does not parse');
});
