// The .scry format against .scap: file size, read speed, time-window seeking.
//
//   node dist/bench/format.js        (npm run bench runs it after the replay bench)
//
// Captures: the replay bench's 2M-event capture (SCRY_BENCH_BIG, else built
// the same way), and a 2M-event capture repeating modern_head.scap (a busy
// second of a current-libs machine, one repetition per second). Sizes are
// also given for modern_head.scap itself (30,000 events, no repetition),
// which is the honest figure for real data: repeated captures compress
// better than real ones.
//
// Targets (issue 4): .scry at most half the gzip .scap; reading .scry at least
// as fast as plain .scap; a one-second window from the middle in under 5% of a
// full scan.

import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';
import { ScapReader } from '../lib/sources/scap/reader';
import { ScryReader } from '../lib/sources/scry/reader';
import { convertCapture } from '../lib/writers';
import { makeBig } from './make-big';

const ROOT = path.join(__dirname, '..', '..');
const SCRY = path.join(ROOT, 'bin', 'scry');
const DIR = process.env.SCRY_BENCH_DIR ?? '/tmp/scry-bench';
const EVENTS = Number(process.env.SCRY_BENCH_EVENTS ?? 2000000);
const RUNS = Number(process.env.SCRY_BENCH_RUNS ?? 3);

/** Best wall time of `runs` runs, in seconds; `cpu` gets the best CPU time (user+system), which other load disturbs less. */
function best(runs: number, f: () => Promise<void> | void, cpu?: { s: number }): Promise<number> {
  return (async () => {
    let b = Infinity, bc = Infinity;
    for (let i = 0; i < runs; i++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await f();
      b = Math.min(b, Number(process.hrtime.bigint() - t0) / 1e9);
      const c = process.cpuUsage(c0);
      bc = Math.min(bc, (c.user + c.system) / 1e6);
    }
    if (cpu) cpu.s = bc;
    return b;
  })();
}

function timeCli(args: string[], runs = RUNS): number | undefined {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const out = fs.openSync('/dev/null', 'w');
    const t0 = process.hrtime.bigint();
    const r = spawnSync(SCRY, [...args], { stdio: ['ignore', out, 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    fs.closeSync(out);
    if (r.status !== 0) return undefined;
    b = Math.min(b, dt);
  }
  return b;
}

function gzipSize(file: string): number {
  // the gzip .scap of the same events: what `sysdig -w -z` (zlib level 6) produces
  return zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length;
}

function plain(file: string, to: string): string {
  const b = fs.readFileSync(file);
  fs.writeFileSync(to, b[0] === 0x1f && b[1] === 0x8b ? zlib.gunzipSync(b) : b);
  return to;
}

async function sizes(label: string, scap: string, events: number): Promise<void> {
  const scry = path.join(DIR, path.basename(scap).replace(/\.scap$/, '') + '.scry');
  const t0 = process.hrtime.bigint();
  const st = await convertCapture(scap, scry);
  const conv = Number(process.hrtime.bigint() - t0) / 1e9;
  const gz = gzipSize(scap);
  const pl = fs.statSync(scap).size;
  console.log(`${label.padEnd(34)} ${events} events: plain .scap ${(pl / events).toFixed(2)} B/ev, gzip .scap ${(gz / events).toFixed(2)} B/ev, ` +
    `.scry ${(st.bytes / events).toFixed(2)} B/ev = ${(st.bytes / gz).toFixed(3)}x gzip (target <= 0.5x); ` +
    `written in ${conv.toFixed(2)} s`);
}

async function readSpeed(label: string, scap: string, events: number): Promise<void> {
  const scry = path.join(DIR, path.basename(scap).replace(/\.scap$/, '') + '.scry');
  if (!fs.existsSync(scry)) await convertCapture(scap, scry);
  let x = 0;
  const cScap = { s: 0 }, cScry = { s: 0 };
  const tScap = await best(RUNS, async () => { await new ScapReader(scap, {}, (e) => { x ^= e.type; }).read(); }, cScap);
  const tScry = await best(RUNS, async () => { await new ScryReader(scry, {}, (e) => { x ^= e.type; }).read(); }, cScry);
  console.log(`${label.padEnd(34)} read (reader only): plain .scap ${tScap.toFixed(3)} s, .scry ${tScry.toFixed(3)} s ` +
    `= ${(tScry / tScap).toFixed(2)}x (target <= 1.0x); ${Math.round(events / tScry).toLocaleString('en-US')} ev/s; ` +
    `cpu ${cScap.s.toFixed(3)} s vs ${cScry.s.toFixed(3)} s = ${(cScry.s / cScap.s).toFixed(2)}x`);
  const q1 = timeCli(['-r', scap, '-q']);
  const q2 = timeCli(['-r', scry, '-q']);
  if (q1 !== undefined && q2 !== undefined) {
    console.log(`${label.padEnd(34)} scry -r FILE -q: plain .scap ${q1.toFixed(2)} s, .scry ${q2.toFixed(2)} s = ${(q2 / q1).toFixed(2)}x`);
  }
}

async function windowed(label: string, scap: string): Promise<void> {
  const scry = path.join(DIR, path.basename(scap).replace(/\.scap$/, '') + '.scry');
  if (!fs.existsSync(scry)) await convertCapture(scap, scry);
  // capture span, from the chunk index (via a reader with an empty window)
  let first = 0n, last = 0n;
  await new ScryReader(scry, {}, (e) => {
    const ts = e.buf.readBigUInt64LE(e.off);
    if (!first) first = ts;
    last = ts;
  }, { replaySkippedState: false }).read();
  const mid = (last - first) / 2n / 1000000000n;
  const from = `+${mid}s`, to = `+${mid + 1n}s`;
  let shown = 0;
  const tFull = await best(RUNS, async () => { await new ScryReader(scry, {}, () => undefined).read(); });
  const win = { from: { ns: mid * 1000000000n, relative: true }, to: { ns: (mid + 1n) * 1000000000n, relative: true } };
  // a window takes milliseconds: more runs, so that one cold run does not decide
  const tWin = await best(Math.max(RUNS, 10), async () => {
    shown = 0;
    await new ScryReader(scry, {}, (e) => { if (!(e.blockFlags & 1)) shown++; }, win).read();
  });
  console.log(`${label.padEnd(34)} 1 s window ${from}..${to} (${shown} events): reader ${tWin.toFixed(3)} s vs full scan ${tFull.toFixed(3)} s = ` +
    `${(100 * tWin / tFull).toFixed(1)}% (target < 5%)`);
  let hidden = 0;
  const tRep = await best(Math.max(RUNS, 10), async () => {
    hidden = 0;
    await new ScryReader(scry, {}, (e) => { if (e.blockFlags & 1) hidden++; }, { ...win, replayBeforeWindow: true }).read();
  });
  console.log(`${label.padEnd(34)} same window with replayBeforeWindow (${hidden} state events replayed): ${tRep.toFixed(3)} s = ` +
    `${(100 * tRep / tFull).toFixed(1)}%`);
  const cFull = timeCli(['-r', scry], 1);
  const cWin = timeCli(['-r', scry, '--from', from, '--to', to]);
  if (cFull !== undefined && cWin !== undefined) {
    console.log(`${label.padEnd(34)} printing: scry -r .scry --from ${from} --to ${to} ${cWin.toFixed(2)} s vs full ${cFull.toFixed(2)} s = ` +
      `${(100 * cWin / cFull).toFixed(1)}% (target < 5%)`);
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(DIR, { recursive: true });
  let curl = process.env.SCRY_BENCH_BIG;
  let curlEvents = Number(process.env.SCRY_BENCH_BIG_EVENTS ?? EVENTS);
  if (!curl || !fs.existsSync(curl)) {
    curl = path.join(DIR, `big-curl-${EVENTS}.scap`);
    if (!fs.existsSync(curl)) curlEvents = (await makeBig(path.join(ROOT, 'fixtures', 'curl_google.scap'), curl, EVENTS)).events;
  }
  const modern = path.join(DIR, `big-modern-${EVENTS}.scap`);
  if (!fs.existsSync(modern)) await makeBig(path.join(ROOT, 'fixtures', 'modern_head.scap'), modern, EVENTS);
  const mh = plain(path.join(ROOT, 'fixtures', 'modern_head.scap'), path.join(DIR, 'modern_head.scap'));

  console.log('# size');
  await sizes('modern_head.scap (real, 30k)', mh, 30000);
  await sizes('2M modern_head repeated', modern, EVENTS);
  await sizes('2M curl_google repeated (replay)', curl, curlEvents);
  console.log('# read speed');
  await readSpeed('2M modern_head repeated', modern, EVENTS);
  await readSpeed('2M curl_google repeated (replay)', curl, curlEvents);
  console.log('# time window');
  await windowed('2M modern_head repeated', modern);
  await windowed('2M curl_google repeated (replay)', curl);
}

if (require.main === module) {
  main().catch((e) => { console.error(`bench/format: ${(e as Error).stack ?? e}`); process.exit(1); });
}
