// Every field of the catalog against sysdig 0.29.3: for each group of
// fields in fixtures/golden/fields/groups.txt and each capture, what
//   TZ=UTC scry -r CAPTURE -p FORMAT
// prints must be byte-identical to what sysdig printed (generate.sh).
import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';

const ROOT = path.join(__dirname, '..');
const FIX = path.join(ROOT, 'fixtures');
const GOLD = path.join(FIX, 'golden', 'fields');
const SCRY = path.join(ROOT, 'bin', 'scry');
const BUILT = path.join(ROOT, 'dist', 'lib', 'cli', 'main.js');

/**
 * Goldens that depend on state the engine does not keep yet; they run as
 * todo (reported, not failing) until it does. Key: '<capture>.<group>'.
 */
const PENDING: Record<string, string> = {};

function firstDiff(a: string, b: string): string {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  got:      ${JSON.stringify(x[i])}\n  expected: ${JSON.stringify(y[i])}`;
  }
  return '';
}

function groups(): { name: string; format: string }[] {
  return fs.readFileSync(path.join(GOLD, 'groups.txt'), 'utf8').split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => { const tab = l.indexOf('\t'); return { name: l.slice(0, tab), format: l.slice(tab + 1) }; });
}

const ready = fs.existsSync(SCRY) && fs.existsSync(BUILT);

/** Runs scry and collects its stdout. */
function run(args: string[]): Promise<{ out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(SCRY, [...args], { env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', () => resolve({ out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }));
  });
}

t.test('field groups are byte-identical to sysdig', { skip: ready ? false : 'bin/scry is not built' }, async (t) => {
  const captures = [...new Set(fs.readdirSync(GOLD).filter((f) => f.endsWith('.txt') && f !== 'groups.txt' && f !== 'list-names.txt')
    .map((f) => f.slice(0, f.indexOf('.'))))].sort();
  t.ok(captures.length >= 8, 'goldens for the fixtures');
  const jobs: { key: string; args: string[]; want: string; wantErr?: string; note: string }[] = [];
  for (const g of groups()) {
    for (const cap of captures) {
      const gold = path.join(GOLD, `${cap}.${g.name}.txt`);
      if (!fs.existsSync(gold)) continue;
      const errFile = path.join(GOLD, `${cap}.${g.name}.err`);
      const wantErr = fs.existsSync(errFile) ? fs.readFileSync(errFile, 'utf8') : undefined;
      jobs.push({
        wantErr,
        key: `${cap}.${g.name}`,
        args: ['-r', path.join(FIX, cap + '.scap'), '-p', g.format],
        want: fs.readFileSync(gold, 'utf8'),
        note: fs.existsSync(errFile) ? ' (sysdig: ' + fs.readFileSync(errFile, 'utf8').trim() + ')' : '',
      });
    }
  }
  // Two at a time (the machines have two cores); results reported in order.
  const results: { out: string; err: string }[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await run(jobs[i].args);
    }
  };
  await Promise.all([worker(), worker()]);
  jobs.forEach((j, i) => {
    // where sysdig ended the run with an error (.err), scry's stderr is compared too
    const same = results[i].out === j.want && (j.wantErr === undefined || results[i].err === j.wantErr);
    const todo = PENDING[j.key];
    const why = same ? '' : firstDiff(results[i].out, j.want) + (results[i].err ? '\n  stderr: ' + results[i].err.trim().slice(0, 300) : '');
    t.ok(same, `${j.key}${j.note} ${why}`, todo ? { todo } : {});
  });
});
