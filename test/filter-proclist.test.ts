// --filter-proclist: the process list of a converted capture holds what
// sysdig's holds (fixtures/golden/proclist, from sysdig 0.29.3), and the
// flag's misuse gets sysdig's error lines.
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const GOLD = path.join(ROOT, 'fixtures', 'golden', 'proclist');
const BIN = path.join(ROOT, 'bin', 'scry');
const built = fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { processList } = require(path.join(GOLD, 'dump.js')) as { processList: (file: string) => Promise<string> };

interface Case { capture: string; filter: string; golden: string }
const manifest = JSON.parse(fs.readFileSync(path.join(GOLD, 'manifest.json'), 'utf8')) as { cases: Case[] };

t.test('the process list written is the one sysdig writes', { skip: built ? false : 'not built' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-proclist-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'out.scap');
  for (const c of manifest.cases) {
    const p = spawnSync(BIN, ['-r', path.join(ROOT, 'fixtures', c.capture), '-w', out, '--filter-proclist', c.filter]);
    t.equal(p.status, 0, `${c.capture} [${c.filter}]: exit 0`);
    t.equal(await processList(out), fs.readFileSync(path.join(GOLD, c.golden), 'utf8'), `${c.capture} [${c.filter}]`);
  }
  // without the flag, the whole list is written
  const p = spawnSync(BIN, ['-r', path.join(ROOT, 'fixtures', 'falco_psp_privileged.scap'), '-w', out, 'evt.type=open']);
  t.equal(p.status, 0);
  t.ok((await processList(out)).split('\n').length > 100, 'no flag: every thread');
});

t.test('sysdig\'s errors', { skip: built ? false : 'not built' }, async (t) => {
  const run = (...a: string[]) => spawnSync(BIN, [...a], { encoding: 'utf8' });
  let p = run('--filter-proclist', '-r', path.join(ROOT, 'fixtures', 'falco_cat_write.scap'), '-q');
  t.same([p.status, p.stderr], [1, 'you must specify a filter if you use --filter-proclist.\n'], 'no filter');
  p = run('--filter-proclist', 'proc.name=x');
  t.same([p.status, p.stderr], [1, '--filter-proclist not supported with live captures.\n'], 'live');
  p = run('--filter-proclist', '-l');
  t.equal(p.status, 0, 'listing fields is not a capture');
});
