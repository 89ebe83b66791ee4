// Filter speed: a selective and a broad filter over the 2M-event capture,
// scry against sysdig, and the cost of filter evaluation alone.
//
//   node dist/bench/filter.js          (npm run bench runs it after the replay bench)
//
// The capture is the replay bench's (SCRY_BENCH_BIG, else built the same way:
// curl_google.scap repeated to 2M events). For each filter:
//   - end to end: `scry -r big -q FILTER` vs `sysdig -r big -q FILTER` (best of
//     SCRY_BENCH_RUNS), with the ratio scry/sysdig (target: no slower);
//   - in-process: replaying through the state engine evaluating the filter on
//     every event but accepting all of them, vs accepting all without
//     evaluating: the difference is what evaluating the filter costs per event
//     (replaying with the filter's verdict is faster still than accepting
//     everything, since rejected events skip most state updates).

import * as path from 'path';
import { hasSysdig, timeCmd } from './replay';
import { compileFilter, filterEventTypes } from '../lib/filter';
import { ScapEvent } from '../lib/event/event';
import { EvalContext } from '../lib/fields/types';
import { openCapture } from '../lib/sources/open';
import { StateEngine } from '../lib/state/engine';

const ROOT = path.join(__dirname, '..', '..');
const SCRY = path.join(ROOT, 'bin', 'scry');
const RUNS = Number(process.env.SCRY_BENCH_RUNS ?? 3);

/** The filters of the issue, adapted to the capture (curl's events): one selective, one broad. */
export const BENCH_FILTERS: readonly { label: string; expr: string }[] = [
  { label: 'selective', expr: 'proc.name=curl and evt.type=write' },
  { label: 'broad', expr: 'fd.type=file or evt.type in (read,write)' },
  { label: 'selective, issue text', expr: 'proc.name=nginx and evt.type=write' },
  { label: 'mixed', expr: 'evt.dir=< and (fd.name contains /lib/ or fd.port in (53,80)) and not evt.rawres<0' },
];


/** Replays a capture through the state engine in-process with `filter`; returns seconds and the events that passed. */
async function replayWith(file: string, filter: ((ctx: EvalContext) => boolean) | undefined): Promise<{ sec: number; passed: number }> {
  const state = new StateEngine();
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  const fn = filter ? () => filter(ctx) : () => true;
  let passed = 0;
  const c0 = process.cpuUsage();
  const reader = openCapture(file, state.sink(), (ev: ScapEvent) => {
    ctx.ev = ev;
    if (state.process(ev, fn)) passed++;
  });
  await reader.read();
  const c = process.cpuUsage(c0);
  // CPU time (user + system): steadier than wall time on a shared machine.
  return { sec: (c.user + c.system) / 1e6, passed };
}

async function bestReplay(file: string, filter: ((ctx: EvalContext) => boolean) | undefined, runs: number): Promise<{ sec: number; passed: number }> {
  let best = { sec: Infinity, passed: 0 };
  for (let i = 0; i < runs; i++) {
    const r = await replayWith(file, filter);
    if (r.sec < best.sec) best = r;
  }
  return best;
}

function fmtRate(events: number, sec: number): string {
  return `${Math.round(events / sec).toLocaleString('en-US')} ev/s`;
}

/** Runs the filter bench on a capture; prints one block per filter. */
export async function benchFilters(file: string, events: number, opts: { runs?: number; sysdig?: boolean } = {}): Promise<void> {
  const runs = opts.runs ?? RUNS;
  const sys = opts.sysdig ?? hasSysdig();
  console.log(`filter bench: ${file} (${events} events), best of ${runs}${sys ? '' : ' — sysdig not installed, no ratios'}`);

  await replayWith(file, undefined); // warm up: page cache, JIT
  const base = await bestReplay(file, undefined, runs);
  console.log(`  in-process replay, accept-all filter: CPU ${base.sec.toFixed(2)}s (${fmtRate(events, base.sec)})`);
  const q = timeCmd(SCRY, ['-r', file, '-q'], runs);
  const qs = sys ? timeCmd('sysdig', ['-r', file, '-q'], runs) : undefined;
  console.log(`  no filter, -q:  scry ${q.toFixed(2)}s${qs !== undefined ? `   sysdig ${qs.toFixed(2)}s   ratio ${(q / qs).toFixed(2)}x` : ''}`);

  for (const { label, expr } of BENCH_FILTERS) {
    const f = compileFilter(expr);
    const types = filterEventTypes(f);
    const match = f.match;
    // Each event evaluates the filter REPEAT times, so its cost stands out from the replay's.
    const REPEAT = 5;
    const evalOnly = await bestReplay(file, (ctx) => { for (let i = 0; i < REPEAT; i++) match(ctx); return true; }, runs);
    const base2 = await bestReplay(file, undefined, runs);
    if (base2.sec < base.sec) base.sec = base2.sec;
    const inproc = await bestReplay(file, match, runs);
    const per = ((evalOnly.sec - base.sec) / events / REPEAT) * 1e9;
    const s = timeCmd(SCRY, ['-r', file, '-q', expr], runs);
    const ss = sys ? timeCmd('sysdig', ['-r', file, '-q', expr], runs) : undefined;
    console.log(`  ${label}: ${expr}`);
    console.log(`    matches ${inproc.passed} of ${events}; event types: ${types === 'any' ? 'any' : types.size + ' ids'}`);
    console.log(`    filter evaluation in-process: ${per.toFixed(1)} ns/event (CPU ${evalOnly.sec.toFixed(2)}s evaluating it ${REPEAT}x per event vs ${base.sec.toFixed(2)}s); replay with its verdicts ${inproc.sec.toFixed(2)}s`);
    console.log(`    end to end -q:  scry ${s.toFixed(2)}s${ss !== undefined ? `   sysdig ${ss.toFixed(2)}s   ratio scry/sysdig ${(s / ss).toFixed(2)}x (target <= 1.0x)` : ''}`);
  }
}

async function main(): Promise<void> {
  let file = process.env.SCRY_BENCH_BIG;
  let events = Number(process.env.SCRY_BENCH_BIG_EVENTS ?? 0);
  if (!file) {
    // Standalone: the replay bench's capture, built when missing.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { bigCapture } = require('./replay') as { bigCapture: () => Promise<{ file: string; events: number }> };
    const big = await bigCapture();
    file = big.file;
    events = big.events;
  }
  await benchFilters(file, events);
}

if (require.main === module) {
  main().catch((e) => { console.error(`bench/filter: ${(e as Error).message}`); process.exit(1); });
}
