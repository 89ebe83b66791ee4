// Replay speed: scry against sysdig on the same 2M-event capture.
//
//   npm run bench            (builds first)
//
// Runs bin/scry as users do (an executable). Prints events/s for `-r big -q`
// and `-r big > /dev/null`, and the ratio scry/sysdig (time) when sysdig is
// installed, then runs the other benches (filters, file format, chisels)
// when they are built.

import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { makeBig } from './make-big';

const ROOT = path.join(__dirname, '..', '..');
const SCRY = path.join(ROOT, 'bin', 'scry');
const DIR = process.env.SCRY_BENCH_DIR ?? '/tmp/scry-bench';
const EVENTS = Number(process.env.SCRY_BENCH_EVENTS ?? 2000000);
const RUNS = Number(process.env.SCRY_BENCH_RUNS ?? 3);

export function hasSysdig(): boolean {
  return spawnSync('sysdig', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Wall time of a command in seconds, stdout to /dev/null. Best of `runs`. */
export function timeCmd(cmd: string, args: string[], runs = 1): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const out = fs.openSync('/dev/null', 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', out, 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    fs.closeSync(out);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr?.toString().trim()}`);
    best = Math.min(best, dt);
  }
  return best;
}

/** The 2M-event capture built from an old-format capture sysdig 0.29.3 reads in full. */
export async function bigCapture(): Promise<{ file: string; events: number }> {
  const file = path.join(DIR, `big-curl-${EVENTS}.scap`);
  const meta = file + '.json';
  if (fs.existsSync(file) && fs.existsSync(meta)) return JSON.parse(fs.readFileSync(meta, 'utf8'));
  const r = await makeBig(path.join(ROOT, 'fixtures', 'curl_google.scap'), file, EVENTS);
  const info = { file, events: r.events };
  fs.writeFileSync(meta, JSON.stringify(info));
  return info;
}

export function report(label: string, events: number, scrySec: number, sysdigSec: number | undefined, target?: string): void {
  const eps = Math.round(events / scrySec);
  let line = `${label.padEnd(34)} scry ${scrySec.toFixed(2)}s ${eps.toLocaleString('en-US')} ev/s`;
  if (sysdigSec !== undefined) line += `   sysdig ${sysdigSec.toFixed(2)}s   ratio scry/sysdig ${(scrySec / sysdigSec).toFixed(2)}x`;
  if (target) line += `   (target ${target})`;
  console.log(line);
}

async function main(): Promise<void> {
  const big = await bigCapture();
  const sys = hasSysdig();
  console.log(`capture: ${big.file} (${big.events} events)${sys ? '' : ' — sysdig not installed, no ratios'}`);
  // best of RUNS: one run varies by 20% on a shared machine
  const q = timeCmd(SCRY, ['-r', big.file, '-q'], RUNS);
  const qs = sys ? timeCmd('sysdig', ['-r', big.file, '-q'], RUNS) : undefined;
  report('replay -q', big.events, q, qs, '<= 1.0x');
  const d = timeCmd(SCRY, ['-r', big.file], RUNS);
  const ds = sys ? timeCmd('sysdig', ['-r', big.file], RUNS) : undefined;
  report('replay, default output', big.events, d, ds, '<= 1.5x');

  for (const other of ['filter', 'format', 'chisels']) {
    const js = path.join(__dirname, other + '.js');
    if (!fs.existsSync(js)) continue;
    console.log(`\n# ${other}`);
    spawnSync(process.execPath, [js], { stdio: 'inherit', env: { ...process.env, SCRY_BENCH_BIG: big.file, SCRY_BENCH_BIG_EVENTS: String(big.events) } });
  }
}

if (require.main === module) {
  main().catch((e) => { console.error(`bench: ${(e as Error).message}`); process.exit(1); });
}
