// The -p / output-flag goldens (fixtures/golden/format/manifest.json, made
// with sysdig 0.29.3 by generate.js there) replayed through bin/scry: the
// same arguments must give byte-identical stdout and the same exit status,
// and a failing run must name sysdig's reason on stderr (cases marked
// checkStderr: the whole of stderr, whatever the status). Skipped while the
// CLI is not built.

import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { sameStdout } from './format-known';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, 'fixtures', 'golden', 'format');
const BIN = path.join(ROOT, 'bin', 'scry');
const MAIN = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');

interface Case { name: string; capture: string; extraCaptures?: string[]; args: string[]; tty?: boolean; checkStderr?: boolean; stdout: string; stderr: string; exit: number }
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { cases: Case[] };

const quote = (s: string) => "'" + s.replace(/'/g, "'\\''") + "'";
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;

/** Runs bin/scry; with `tty`, on a terminal made by script(1) (its CR LF line ends turned back to LF). */
function run(args: string[], tty = false): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const cmd = tty ? 'script' : BIN;
    const argv = tty ? ['-q', '-e', '-c', [BIN, ...args].map(quote).join(' '), '/dev/null'] : args;
    const p = spawn(cmd, argv, { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => {
      let stdout = Buffer.concat(out);
      if (tty) stdout = Buffer.from(stdout.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
      resolve({ code, stdout, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

const built = fs.existsSync(BIN) && fs.existsSync(MAIN);
t.test('scry against the sysdig goldens', { skip: built ? false : 'bin/scry is not built yet' }, async (t) => {
  for (const c of manifest.cases) {
    // -R names ports from this machine's /etc/services, as sysdig did when the goldens were made
    const skip = c.tty && !hasScript ? 'script(1) is not installed'
      : c.args.includes('-R') && !fs.existsSync('/etc/services') ? 'no /etc/services here' : false;
    await t.test(`${c.name}: scry -r ${[c.capture, ...(c.extraCaptures ?? [])].join(' -r ')} ${c.args.join(' ')}`, { skip }, async (t) => {
      const want = fs.readFileSync(path.join(DIR, c.stdout));
      const wantErr = fs.readFileSync(path.join(DIR, c.stderr), 'utf8').trim();
      const more = (c.extraCaptures ?? []).flatMap((x) => ['-r', path.join(ROOT, 'fixtures', x)]);
      const r = await run(['-r', path.join(ROOT, 'fixtures', c.capture), ...more, ...c.args], c.tty);
      t.equal(r.code, c.exit, 'exit status as sysdig');
      if (want.equals(r.stdout)) t.pass('stdout as sysdig');
      else sameStdout(t, c.name, r.stdout.toString('latin1'), want.toString('latin1'));
      if (c.checkStderr) t.equal(r.stderr, fs.readFileSync(path.join(DIR, c.stderr), 'utf8'), 'stderr as sysdig');
      else if (c.exit !== 0 && wantErr !== '') t.ok(r.stderr.includes(wantErr), `stderr names the reason: ${wantErr}`);
    });
  }
});
