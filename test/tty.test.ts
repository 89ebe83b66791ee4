// Output on a terminal, against sysdig 0.29.3's (fixtures/golden/tty, made
// with script(1)): the colored default line, and the color reset sysdig
// writes when a capture ends whenever its formats hold terminal escapes.
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, 'fixtures', 'golden', 'tty');
const BIN = path.join(ROOT, 'bin', 'scry');
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
const built = fs.existsSync(BIN) && fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));

/** Shell quoting for one argument. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

t.test('terminal output is byte-identical to sysdig', { skip: !built ? 'bin/scry is not built yet' : hasScript ? false : 'script(1) is not installed' }, async (t) => {
  // (in a directory of its own: the conversion case writes a file there)
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-tty-'));
  t.teardown(() => fs.rmSync(cwd, { recursive: true, force: true }));
  const cases = fs.readFileSync(path.join(DIR, 'cases.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  t.ok(cases.length >= 8, 'cases');
  for (const line of cases) {
    const [name, fixture, ...args] = line.split(/\s+/);
    const cmd = [BIN, '-r', path.join(ROOT, 'fixtures', fixture + '.scap'), ...args].map(q).join(' ');
    const r = spawnSync('script', ['-qfc', cmd, '/dev/null'], { cwd, env: { ...process.env, TZ: 'UTC' }, input: '' });
    const want = fs.readFileSync(path.join(DIR, name + '.out'));
    t.ok(r.stdout.equals(want), `${name}: ${args.join(' ')}`, r.stdout.equals(want) ? {} : { got: r.stdout.toString('latin1').slice(-200), want: want.toString('latin1').slice(-200) });
  }
});
