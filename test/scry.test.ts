// The .scry format: lossless round trips, damage, truncation, windows, chunk skipping, --check.
import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { spawn, spawnSync } from 'child_process';
import { ScapReader } from '../lib/sources/scap/reader';
import { ScryReader, CaptureWarning } from '../lib/sources/scry/reader';
import { openCapture, detectFormat } from '../lib/sources/open';
import { chunkPredicate, parseTimeBound } from '../lib/sources/window';
import * as F from '../lib/sources/scry/format';
import { checkCapture, formatCheckReport } from '../lib/sources/scry/check';
import { convertCapture, openWriter, ScryWriter } from '../lib/writers';
import { isStateType } from '../lib/writers/state-events';
import { optionalNative } from '../lib/native/addon';
import { captures, collector, Collected, FIX, firstDiff, norm, ROOT, tmpDir, tsOf } from './scry-fixtures';

const tmp = tmpDir('scry-format-');
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function readScap(file: string): Promise<Collected> {
  const { c, sink, onEvent } = collector();
  const r = new ScapReader(file, sink, onEvent);
  r.onDrops = (d) => c.drops.push(d);
  r.onUnknownBlock = (ty, b) => c.blocks.push([ty, Buffer.from(b)]);
  await r.read();
  return c;
}

async function readScry(file: string, opts = {}, warnings: CaptureWarning[] = []): Promise<Collected & { stats: Awaited<ReturnType<ScryReader['read']>> }> {
  const { c, sink, onEvent } = collector();
  const r = new ScryReader(file, sink, onEvent, opts);
  r.onWarning = (w) => warnings.push(w);
  r.onDrops = (d) => c.drops.push(d);
  r.onUnknownBlock = (ty, b) => c.blocks.push([ty, Buffer.from(b)]);
  const stats = await r.read();
  return { ...c, stats };
}

const big = path.join(FIX, 'modern_head.scap');
let bigRef: Collected;
t.before(async () => { bigRef = await readScap(big); });

/**
 * State records as a .scap writer puts them, like sysdig's: every field of
 * its layout (exe_writable false, a file's device 0 when the input had none),
 * no fds of unknown type (no reader loads them).
 */
function asWritten(state: unknown[]): unknown[] {
  return (state as unknown[][]).flatMap((r) => {
    if (r[0] === 'th') return [['th', { ...(r[1] as object), exeWritable: (r[1] as { exeWritable?: boolean }).exeWritable ?? false }]];
    if (r[0] !== 'fd') return [r];
    const fd = r[2] as { type: number; dev?: number };
    if (fd.type === 0) return [];
    return [fd.type === 16 ? ['fd', r[1], { ...fd, dev: fd.dev ?? 0 }] : r];
  });
}

t.test('scap -> scry -> events and state identical, for every fixture', async (t) => {
  for (const f of captures) {
    const src = path.join(FIX, f);
    const out = path.join(tmp, f.replace(/\.scap$/, '.scry'));
    const a = await readScap(src);
    await convertCapture(src, out);
    t.equal(detectFormat(out), 'scry', `${f}: detected as scry by content`);
    const warnings: CaptureWarning[] = [];
    const b = await readScry(out, {}, warnings);
    t.same(warnings, [], `${f}: no warnings`);
    t.equal(b.events.length, a.events.length, `${f}: ${a.events.length} events`);
    t.equal(firstDiff(a.events, b.events), -1, `${f}: event records byte-identical (num, cpu, flags, bytes)`);
    t.same(norm(b.state), norm(a.state), `${f}: state records identical`);
    t.ok(b.stats.indexed && !b.stats.truncated, `${f}: indexed, complete`);
    // and back: scry -> scap
    const back = path.join(tmp, f.replace(/\.scap$/, '.back.scap'));
    await convertCapture(out, back);
    const c = await readScap(back);
    t.equal(firstDiff(a.events, c.events), -1, `${f}: scry -> scap events identical`);
    t.same(norm(c.state), norm(asWritten(a.state)), `${f}: scry -> scap state identical`);
  }
});

t.test('gzip .scap written with -z reads back the same', async (t) => {
  const out = path.join(tmp, 'mh.scry');
  await convertCapture(big, out);
  const z = path.join(tmp, 'mh.z.scap');
  await convertCapture(out, z, { gzip: true });
  t.equal(detectFormat(z), 'scap-gzip');
  const c = await readScap(z);
  t.equal(firstDiff(bigRef.events, c.events), -1);
});

t.test('small chunks, drops and opaque blocks survive', async (t) => {
  const out = path.join(tmp, 'small.scry');
  const w = new ScryWriter(out, { chunkEvents: 1000, level: 1 });
  const r = new ScapReader(big, w.sink, (e) => w.writeEvent(e));
  await r.read();
  w.writeState({ kind: 'drops', perCpu: [1, 0, 7] });
  w.writeState({ kind: 'block', type: 0x5c5000ff, body: Buffer.from('opaque') });
  const st = await w.close();
  t.equal(st.events, 30000);
  t.ok(st.chunks >= 30, `${st.chunks} chunks`);
  const b = await readScry(out);
  t.equal(firstDiff(bigRef.events, b.events), -1);
  t.same(b.drops, [[1, 0, 7]]);
  t.same(b.blocks.map(([ty, body]) => [ty, body.toString()]), [[0x5c5000ff, 'opaque']]);
  // back to scap: drops become scry's drop block (when asked for), the opaque block is kept
  const back = path.join(tmp, 'small.scap');
  await convertCapture(out, back, { writeDrops: true });
  const c = await readScap(back);
  t.same(c.drops, [[1, 0, 7]]);
  t.equal(c.blocks.length, 1);
});

/** Writes modern_head to a .scry with 1000-event chunks; returns its chunk index. */
async function smallChunks(name: string): Promise<{ file: string; rows: F.IndexEntry[] }> {
  const file = path.join(tmp, name);
  await convertCapture(big, file, { chunkEvents: 1000, level: 1 });
  const rows: F.IndexEntry[] = [];
  const b = fs.readFileSync(file);
  const metaLen = b.readUInt32LE(12);
  let pos = F.FILE_HEADER_FIXED + metaLen + 4;
  let first = 0;
  for (;;) {
    const h = F.decodeChunkHeader(b, pos)!;
    if (h.kind !== F.KIND_DATA) break;
    const len = F.chunkTotalLen(h);
    rows.push({ offset: pos, length: len, events: h.events, stateEvents: h.stateEvents, seq: h.seq, firstNum: first, minTs: h.minTs, maxTs: h.maxTs });
    first += h.events;
    pos += len;
  }
  return { file, rows };
}

t.test('flipped bytes inside a chunk: that chunk is skipped with a warning, the rest is read', async (t) => {
  const { file, rows } = await smallChunks('flip.scry');
  const bytes = fs.readFileSync(file);
  const c = rows[5];
  const h = F.decodeChunkHeader(bytes, c.offset)!;

  // frame B (the non-state events): those events are lost, the chunk's state events survive
  const inB = Buffer.from(bytes);
  const pb = c.offset + F.CHUNK_HEADER_LEN + h.summaryLen + h.frameALen + (h.frameBLen >> 1);
  inB[pb] ^= 0xff; inB[pb + 1] ^= 0x5a;
  fs.writeFileSync(path.join(tmp, 'flipB.scry'), inB);
  let warnings: CaptureWarning[] = [];
  let r = await readScry(path.join(tmp, 'flipB.scry'), {}, warnings);
  t.equal(warnings.length, 1, 'one warning');
  t.match(warnings[0].message, /chunk 5: checksum mismatch/);
  t.equal(warnings[0].lostEvents, h.events - h.stateEvents);
  const lostNums = new Set<number>();
  for (let n = c.firstNum + 1; n <= c.firstNum + c.events; n++) lostNums.add(n);
  const expectB = bigRef.events.filter((e) => !lostNums.has(e.num) || isStateType(e.rec.readUInt16LE(20)));
  t.equal(r.events.length, expectB.length, `${expectB.length} events read`);
  t.equal(firstDiff(expectB, r.events), -1, 'everything else identical, numbering kept');

  // frame A: the whole chunk goes
  const inA = Buffer.from(bytes);
  const pa = c.offset + F.CHUNK_HEADER_LEN + h.summaryLen + (h.frameALen >> 1);
  inA[pa] ^= 0x01;
  fs.writeFileSync(path.join(tmp, 'flipA.scry'), inA);
  warnings = [];
  r = await readScry(path.join(tmp, 'flipA.scry'), {}, warnings);
  t.equal(warnings.length, 1);
  t.match(warnings[0].message, /chunk 5: checksum mismatch; skipped its 1000 events/);
  const expectA = bigRef.events.filter((e) => !lostNums.has(e.num));
  t.equal(firstDiff(expectA, r.events), -1, 'all other chunks read');

  // the chunk header: reading resyncs on the next chunk
  const inH = Buffer.from(bytes);
  inH[c.offset + 13] ^= 0x40;
  fs.writeFileSync(path.join(tmp, 'flipH.scry'), inH);
  warnings = [];
  r = await readScry(path.join(tmp, 'flipH.scry'), {}, warnings);
  t.equal(warnings.length, 1);
  t.match(warnings[0].message, /chunk 5: header is damaged/);
  t.equal(firstDiff(expectA, r.events), -1, 'all other chunks read (indexed)');

  // same without the index: the walker resyncs to the next chunk header
  fs.writeFileSync(path.join(tmp, 'flipH2.scry'), inH.subarray(0, rows[rows.length - 1].offset + rows[rows.length - 1].length));
  warnings = [];
  r = await readScry(path.join(tmp, 'flipH2.scry'), {}, warnings);
  t.match(warnings.map((w) => w.message).join('\n'), /damaged chunk header: skipped \d+ bytes to the next chunk \(1000 events lost\)/);
  t.equal(firstDiff(expectA, r.events), -1, 'all other chunks read (walking)');

  const rep = await checkCapture(path.join(tmp, 'flipA.scry'));
  t.notOk(rep.ok);
  t.equal(rep.eventsLost, 1000);
  t.equal(rep.events, 29000);
  t.match(formatCheckReport(rep), /damage: +1 problem\(s\), 1000 events lost\n {2}at byte \d+: chunk 5: checksum mismatch/);
});

t.test('a file cut short mid-chunk reads every complete chunk and says what was lost', async (t) => {
  const { file, rows } = await smallChunks('cut.scry');
  const bytes = fs.readFileSync(file);
  const c = rows[12];
  const cut = path.join(tmp, 'cut-short.scry');
  fs.writeFileSync(cut, bytes.subarray(0, c.offset + (c.length >> 1)));
  const warnings: CaptureWarning[] = [];
  const r = await readScry(cut, {}, warnings);
  t.equal(r.events.length, c.firstNum, `${c.firstNum} events of 12 complete chunks`);
  t.equal(firstDiff(bigRef.events.slice(0, c.firstNum), r.events), -1);
  t.ok(r.stats.truncated && !r.stats.indexed);
  t.equal(warnings.length, 1);
  t.match(warnings[0].message, /capture was cut short \(writer killed or disk full\): chunk 12 is incomplete \(\d+ of \d+ bytes\): its 1000 events are lost; read 12 complete chunks \(12000 events\)/);
  // cut inside a chunk header
  fs.writeFileSync(cut, bytes.subarray(0, c.offset + 10));
  const w2: CaptureWarning[] = [];
  const r2 = await readScry(cut, {}, w2);
  t.equal(r2.events.length, c.firstNum);
  t.match(w2[0].message, /ends 10 bytes into a chunk header/);
  const rep = await checkCapture(cut);
  t.ok(rep.truncated);
  t.notOk(rep.indexed);
});

t.test('a writer killed with SIGKILL leaves a file that reads back what it flushed', async (t) => {
  const out = path.join(tmp, 'killed.scry');
  // The child is plain CommonJS that loads the TypeScript sources through ts-node.
  const child = path.join(tmp, 'writer-child.js');
  const reg = require.resolve('@isaacs/ts-node-temp-fork-for-pr-2009/register');
  fs.writeFileSync(child, `
    require(${JSON.stringify(reg)});
    const { ScapReader } = require(${JSON.stringify(path.join(ROOT, 'lib/sources/scap/reader'))});
    const { ScryWriter } = require(${JSON.stringify(path.join(ROOT, 'lib/writers/scry-writer'))});
    (async () => {
      const w = new ScryWriter(${JSON.stringify(out)}, { chunkEvents: 500, level: 1 });
      let n = 0;
      await new ScapReader(${JSON.stringify(big)}, w.sink, (e) => {
        w.writeEvent(e);
        if (++n === 5200) process.stdout.write('flushed\\n');
        // slow down after that so the parent's SIGKILL lands mid-stream
        if (n > 5200) { const until = Date.now() + 1; while (Date.now() < until); }
      }).read();
      await w.close();
      process.stdout.write('closed\\n');
    })();
  `);
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') };
  delete env.NODE_OPTIONS;
  const p = spawn(process.execPath, [child], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let outText = '';
  await new Promise<void>((resolve) => {
    p.stdout!.on('data', (d) => {
      outText += d;
      if (outText.includes('flushed')) p.kill('SIGKILL');
    });
    p.on('exit', () => resolve());
  });
  t.equal(p.signalCode, 'SIGKILL', 'the writer was killed');
  t.notMatch(outText, /closed/);
  const warnings: CaptureWarning[] = [];
  const r = await readScry(out, {}, warnings);
  t.ok(r.events.length >= 5000, `${r.events.length} events survived`);
  t.equal(r.events.length % 500, 0, 'whole chunks');
  t.equal(firstDiff(bigRef.events.slice(0, r.events.length), r.events), -1, 'identical to the source');
  t.ok(r.stats.truncated);
  t.ok(warnings.some((w) => /capture was cut short \(writer killed or disk full\)/.test(w.message)), warnings.map((w) => w.message).join('; '));
  t.ok(r.state.length > 0, 'state records survived');
});

t.test('time windows seek through the index', async (t) => {
  const { file, rows } = await smallChunks('win.scry');
  const t0 = tsOf(bigRef.events[0]);
  const tN = tsOf(bigRef.events[bigRef.events.length - 1]);
  const from = t0 + (tN - t0) * 2n / 5n, to = t0 + (tN - t0) * 3n / 5n;
  const inWin = bigRef.events.filter((e) => tsOf(e) >= from && tsOf(e) <= to);
  const r = await readScry(file, { from, to, replayBeforeWindow: true });
  const shown = r.events.filter((e) => !(e.flags & F.DF_STATE_ONLY));
  t.equal(firstDiff(inWin, shown), -1, `${inWin.length} events in the window, identical`);
  const hidden = r.events.filter((e) => e.flags & F.DF_STATE_ONLY);
  t.ok(hidden.length > 0 && hidden.every((e) => tsOf(e) < from && isStateType(e.rec.readUInt16LE(20))),
    `${hidden.length} state events before the window, flagged state-only`);
  const overlapping = rows.filter((c) => c.maxTs >= from && c.minTs <= to).length;
  t.equal(r.stats.chunksRead, overlapping, `only the ${overlapping} overlapping chunks decompressed`);
  // default: only the overlapping chunks (and the state records) are read
  const r2 = await readScry(file, { from, to });
  t.equal(firstDiff(inWin, r2.events.filter((e) => !(e.flags & F.DF_STATE_ONLY))), -1);
  t.ok(r2.events.length < r.events.length);
  // relative bounds, through openCapture, same result for .scap and .scry
  const rel = { from: parseTimeBound(`+${(from - t0).toString()}ns`), to: parseTimeBound(`+${(to - t0).toString()}ns`) };
  for (const f of [file, big]) {
    const { c, sink, onEvent } = collector();
    await openCapture(f, sink, onEvent, { from: `+${(from - t0).toString()}ns`, to: rel.to }).read();
    t.equal(firstDiff(inWin, c.events.filter((e) => !(e.flags & F.DF_STATE_ONLY))), -1, `${path.basename(f)}: relative window`);
  }
});

t.test('parseTimeBound', async (t) => {
  t.same(parseTimeBound('+30s'), { ns: 30000000000n, relative: true });
  t.same(parseTimeBound('+1.5m'), { ns: 90000000000n, relative: true });
  t.same(parseTimeBound('+250ms'), { ns: 250000000n, relative: true });
  t.same(parseTimeBound('+2'), { ns: 2000000000n, relative: true });
  t.same(parseTimeBound('1700000000123456789'), { ns: 1700000000123456789n, relative: false });
  t.same(parseTimeBound('1700000000.5'), { ns: 1700000000500000000n, relative: false });
  t.same(parseTimeBound('2023-11-14T22:13:20.000000001Z'), { ns: 1700000000000000001n, relative: false });
  t.throws(() => parseTimeBound('soon'));
});

t.test('chunk summaries let a filter skip chunks', async (t) => {
  const { file } = await smallChunks('skip.scry');
  // a type present in few chunks: pick the rarest non-state type
  const counts = new Map<number, number>();
  for (const e of bigRef.events) { const ty = e.rec.readUInt16LE(20); counts.set(ty, (counts.get(ty) ?? 0) + 1); }
  const rare = [...counts].filter(([ty]) => !isStateType(ty)).sort((a, b) => a[1] - b[1])[0][0];
  const want = bigRef.events.filter((e) => e.rec.readUInt16LE(20) === rare);
  const r = await readScry(file, { chunkFilter: chunkPredicate({ types: [rare] }) });
  t.ok(r.stats.chunksSkipped > 0, `${r.stats.chunksSkipped} of ${r.stats.chunks} chunks skipped`);
  const got = r.events.filter((e) => e.rec.readUInt16LE(20) === rare && !(e.flags & F.DF_STATE_ONLY));
  t.equal(firstDiff(want, got), -1, `all ${want.length} events of type ${rare} delivered`);
  // by thread and by process name
  const tid = Number(want[0].rec.readBigInt64LE(8));
  const r2 = await readScry(file, { chunkFilter: chunkPredicate({ tids: [tid] }) });
  t.equal(firstDiff(bigRef.events.filter((e) => Number(e.rec.readBigInt64LE(8)) === tid),
    r2.events.filter((e) => Number(e.rec.readBigInt64LE(8)) === tid && !(e.flags & F.DF_STATE_ONLY))), -1, `thread ${tid}`);
  const r3 = await readScry(file, { chunkFilter: chunkPredicate({ comms: ['no-such-process'] }) });
  t.ok(r3.stats.chunksRead < r3.stats.chunks, 'a process name nowhere in the capture skips chunks');
});

t.test('--check on a good file', async (t) => {
  const out = path.join(tmp, 'check.scry');
  await convertCapture(big, out);
  const rep = await checkCapture(out);
  t.ok(rep.ok);
  t.equal(rep.events, 30000);
  t.equal(rep.format, 'scry');
  t.ok(rep.indexed && !rep.truncated);
  t.ok(rep.threads > 0);
  t.equal(rep.firstTs, tsOf(bigRef.events[0]).toString());
  t.match(formatCheckReport(rep), /events: +30000/);
  const scap = await checkCapture(big);
  t.equal(scap.events, 30000);
  t.equal(scap.format, 'scap-gzip');
  t.ok(scap.ok);
});

t.test('openWriter chooses by extension; not-a-capture is refused', async (t) => {
  t.type(openWriter(path.join(tmp, 'x.scry')), ScryWriter);
  const w = openWriter(path.join(tmp, 'x.scap'));
  await w.close();
  t.equal(detectFormat(path.join(tmp, 'x.scap')), 'scap');
  fs.writeFileSync(path.join(tmp, 'junk'), 'hello world');
  t.throws(() => detectFormat(path.join(tmp, 'junk')), /not a capture file/);
  // a .scry without events is refused as a .scap without event blocks is, except for reports
  const empty = path.join(tmp, 'empty.scry');
  await new ScryWriter(empty).close();
  t.match(await readScry(empty).catch((e: unknown) => e), { reason: 'no events in file' });
  const r = await readScry(empty, { requireEvents: false });
  t.equal(r.events.length, 0);
});

t.test('decoding in the background (native) gives the same events as decoding in turn', { skip: !optionalNative() && 'native addon not built' }, async (t) => {
  const { file } = await smallChunks('background.scry');
  const bg = await readScry(file, { background: true });
  const turn = await readScry(file, { background: false });
  t.equal(bg.events.length, 30000);
  t.equal(firstDiff(bg.events, turn.events), -1, 'same events, numbers, cpus and flags');
  t.same(norm(bg.state), norm(turn.state), 'same state records');
  // stopping early leaves nothing pending that fails later
  let n = 0;
  const r = new ScryReader(file, {}, () => { n++; return n < 5000; }, { background: true });
  await r.read();
  t.equal(n, 5000, 'stops where the consumer says');
});
