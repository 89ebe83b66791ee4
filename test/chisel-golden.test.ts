// scry's chisels against sysdig 0.29.3 running its chisels of the same name
// with the same arguments over the fixtures (goldens made by
// fixtures/golden/chisels/generate.js). Same exit code, same first line of
// error message, and the same output up to the orders sysdig leaves to
// chance (see chisel-compare.ts).
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { compareMode, compareOutput } from './chisel-compare';

const ROOT = path.join(__dirname, '..');
const FIX = path.join(ROOT, 'fixtures');
const GOLD = path.join(FIX, 'golden', 'chisels');
const SCRY = path.join(ROOT, 'bin', 'scry');

interface Case { id: string; fixture: string; args: string[] }
interface Meta { code: number; stderr: string }
interface Run { code: number; out: Buffer; err: string }

/** Deliberate differences from sysdig, by case id (the value says why). */
const KNOWN: Record<string, string> = {};

const cases: Case[] = JSON.parse(fs.readFileSync(path.join(GOLD, 'cases.json'), 'utf8'));
const only = process.env.CHISEL_CASES?.split(',');
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-chisel-'));
t.teardown(() => fs.rmSync(cwd, { recursive: true, force: true }));

function runScry(c: Case): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [SCRY, '-r', path.join(FIX, c.fixture + '.scap'), ...c.args], {
      cwd, env: { ...process.env, TZ: 'UTC', HOME: cwd, SCRY_CHISEL_PATH: '' },
    });
    const out: Buffer[] = [], err: Buffer[] = [];
    p.stdout.on('data', (b) => out.push(b));
    p.stderr.on('data', (b) => err.push(b));
    p.on('close', (code) => resolve({ code: code ?? -1, out: Buffer.concat(out), err: Buffer.concat(err).toString() }));
  });
}

async function runAll(list: Case[]): Promise<Map<string, Run>> {
  const res = new Map<string, Run>();
  let next = 0;
  const workers = Math.max(2, Math.min(8, os.cpus().length));
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < list.length) {
      const c = list[next++];
      res.set(c.id, await runScry(c));
    }
  }));
  return res;
}

const selected = cases.filter((c) => {
  if (only && !only.some((s) => c.id.includes(s))) return false;
  const meta = JSON.parse(fs.readFileSync(path.join(GOLD, c.id + '.json'), 'utf8')) as Meta;
  return meta.code < 128; // sysdig crashed: nothing to compare with
});

t.test('chisels match sysdig 0.29.3', async (t) => {
  const runs = await runAll(selected.filter((c) => !KNOWN[c.id]));
  for (const c of selected) {
    if (KNOWN[c.id]) { t.skip(`${c.id}: ${KNOWN[c.id]}`); continue; }
    const meta = JSON.parse(fs.readFileSync(path.join(GOLD, c.id + '.json'), 'utf8')) as Meta;
    const want = fs.readFileSync(path.join(GOLD, c.id + '.out')).toString('latin1');
    const r = runs.get(c.id)!;
    const chisel = c.args[c.args.indexOf('-c') + 1];
    const diff = compareOutput(compareMode(chisel, c.args), r.out.toString('latin1'), want);
    const firstErr = meta.stderr.trim().split('\n')[0];
    const problems: string[] = [];
    if (r.code !== meta.code) problems.push(`exit code ${r.code}, expected ${meta.code} (stderr: ${r.err.trim().slice(0, 300)})`);
    if (diff) problems.push(diff);
    if (meta.code !== 0 && !r.err.includes(firstErr)) problems.push(`stderr ${JSON.stringify(r.err)} lacks ${JSON.stringify(firstErr)}`);
    t.ok(problems.length === 0, `${c.id}${problems.length ? ': ' + problems.join('; ') : ''}`);
  }
});
