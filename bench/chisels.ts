// Chisel speed: scry's topprocs_cpu and topfiles_bytes (tables built in Lua,
// printed at the end) and echo_fds (Lua formats a line for every read and
// write) against sysdig's chisels of the same name over the same 2M-event
// capture.
//
//   npm run bench                 (runs this after the replay benchmarks)
//   node dist/bench/chisels.js    (alone; builds the capture if needed)
//
// Both programs run from an empty directory, so each uses its own chisels.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { bigCapture, hasSysdig, report } from './replay';

const ROOT = path.join(__dirname, '..', '..');
const SCRY = path.join(ROOT, 'bin', 'scry');

function timeIn(cwd: string, cmd: string, args: string[], runs: number): { sec: number; out: string } {
  let best = Infinity;
  let out = '';
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { cwd, env: { ...process.env, TZ: 'UTC', HOME: cwd }, maxBuffer: 1 << 26 });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString().trim()}`);
    best = Math.min(best, dt);
    out = r.stdout.toString();
  }
  return { sec: best, out };
}

async function main(): Promise<void> {
  const big = process.env.SCRY_BENCH_BIG
    ? { file: process.env.SCRY_BENCH_BIG, events: Number(process.env.SCRY_BENCH_BIG_EVENTS) }
    : await bigCapture();
  // best of 3: one run of a 2M-event replay varies by 20% on a shared machine
  const runs = Number(process.env.SCRY_BENCH_RUNS ?? 3);
  const sys = hasSysdig();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-bench-chisels-'));
  try {
    const chisels: [string, string | undefined][] = [['topprocs_cpu', '<= 1.5x'], ['topfiles_bytes', '<= 1.5x'], ['echo_fds', undefined]];
    for (const [chisel, target] of chisels) {
      const s = timeIn(cwd, SCRY, ['-r', big.file, '-c', chisel], runs);
      const d = sys ? timeIn(cwd, 'sysdig', ['-r', big.file, '-c', chisel], runs) : undefined;
      report(`-c ${chisel}`, big.events, s.sec, d?.sec, target);
      if (d && s.out.split('\n')[0] !== d.out.split('\n')[0]) console.log(`  (headers differ: ${JSON.stringify(s.out.split('\n')[0])})`);
    }
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(`bench: ${(e as Error).message}`); process.exit(1); });
