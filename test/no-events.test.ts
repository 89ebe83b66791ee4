// A capture without a single event (its header and state blocks alone, as a
// file written through a filter that matched nothing): sysdig refuses it as
// it opens it, and so does scry, printing what sysdig prints around that
// (fixtures/golden/cli/no-events.json) with its own one-line error. Such an
// input leaves no -w file behind; --check reports it without complaint.
import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';
import { isEventBlock } from '../lib/sources/scap/blocks';
import { ScapReader, CaptureError } from '../lib/sources/scap/reader';
import { ScryReader } from '../lib/sources/scry/reader';
import { ScryWriter } from '../lib/writers';
import { FIX, ROOT, tmpDir } from './scry-fixtures';

interface Case { args: string[]; stdout: string; stderr: string; status: number }
const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'golden', 'cli', 'no-events.json'), 'utf8')) as
  { source: string; cut: number; cases: Case[] };

const tmp = tmpDir('scry-no-events-');
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The blocks of a capture before its first event block. */
function cutBeforeEvents(file: string): Buffer {
  let b = fs.readFileSync(file);
  if (b[0] === 0x1f && b[1] === 0x8b) b = zlib.gunzipSync(b);
  let p = 0;
  while (p + 8 <= b.length && !isEventBlock(b.readUInt32LE(p))) p += b.readUInt32LE(p + 4);
  return b.subarray(0, p);
}

const capture = path.join(tmp, 'no-events.scap');
const body = cutBeforeEvents(path.join(FIX, golden.source));
fs.writeFileSync(capture, body);

const SCRY = path.join(ROOT, 'bin', 'scry');
function scry(args: string[]): { out: string; err: string; status: number | null } {
  const r = spawnSync(SCRY, args, { encoding: 'latin1', cwd: tmp, env: { ...process.env, TZ: 'UTC' } });
  return { out: r.stdout, err: r.stderr, status: r.status };
}
const line = `scry: ${capture}: no events in file\n`;

t.test('the cut capture is the golden one', async (t) => {
  t.equal(body.length, golden.cut, `${golden.source} cut before its first event block: ${golden.cut} bytes`);
});

t.test('scry -r: what sysdig prints, with scry\'s line for its refusal', async (t) => {
  for (const c of golden.cases) {
    const r = scry(['-r', capture, ...c.args]);
    const what = `scry -r ${c.args.join(' ')}`.trim();
    t.equal(r.status, c.status, `${what}: exit status ${c.status}`);
    t.equal(r.out, c.stdout, `${what}: standard output`);
    t.equal(r.err, c.stderr.replace('Could not initialize reader: no events in file\n', line), `${what}: standard error`);
  }
});

t.test('-w: no file made, none clobbered (with and without a chisel)', async (t) => {
  for (const chisel of [[], ['-c', 'topprocs_cpu']]) {
    const out = path.join(tmp, 'out.scap');
    fs.rmSync(out, { force: true });
    const r = scry(['-r', capture, ...chisel, '-w', out]);
    t.equal(r.status, 1, `${chisel.join(' ')} -w: exit 1`);
    t.equal(r.err, line + '\r\r100.00\n', `${chisel.join(' ')} -w: the line, then sysdig's closing 100.00`);
    t.notOk(fs.existsSync(out), `${chisel.join(' ')} -w: no file`);
    fs.writeFileSync(out, 'kept');
    scry(['-r', capture, ...chisel, '-w', out]);
    t.equal(fs.readFileSync(out, 'latin1'), 'kept', `${chisel.join(' ')} -w: an existing file is left as it was`);
    // an output that cannot be made is not the first thing wrong
    const r2 = scry(['-r', capture, ...chisel, '-w', path.join(tmp, 'no-such-dir', 'x.scap')]);
    t.equal(r2.err, line + '\r\r100.00\n', `${chisel.join(' ')} -w into a missing directory: the input's line`);
  }
});

t.test('--check reports it (events 0, no damage)', async (t) => {
  const r = scry(['--check', capture]);
  t.equal(r.status, 0);
  t.match(r.out, /^events: +0$/m);
  t.match(r.out, /^damage: +none$/m);
});

t.test('readers: refused unless asked for reports', async (t) => {
  const none = () => undefined;
  await t.rejects(new ScapReader(capture, {}, none).read(), new CaptureError(capture, 0, 'no events in file'));
  const threads: number[] = [];
  const r = new ScapReader(capture, { thread: (th) => threads.push(th.tid) }, none);
  r.requireEvents = false;
  await r.read();
  t.ok(threads.length > 0, `requireEvents false: the state is read (${threads.length} threads)`);
  // the .scry of such a capture (a live capture through a filter that matched nothing)
  const scryFile = path.join(tmp, 'no-events.scry');
  const w = new ScryWriter(scryFile, {});
  const feed = new ScapReader(capture, w.sink, none);
  feed.requireEvents = false;
  await feed.read();
  await w.close();
  t.match(await new ScryReader(scryFile, {}, none).read().catch((e: unknown) => e), { reason: 'no events in file' }, '.scry: refused');
  const st = await new ScryReader(scryFile, {}, none, { requireEvents: false }).read();
  t.equal(st.events, 0, '.scry, requireEvents false: read, 0 events');
  t.equal(scry(['-r', scryFile]).err, `scry: ${scryFile}: no events in file\n`, '.scry: the same line');
});

t.test('a capture with events is not refused, even when a window or filter shows none', async (t) => {
  const src = path.join(FIX, 'falco_cat_write.scap');
  const r = scry(['-r', src, 'proc.name=no-such-process']);
  t.equal(r.status, 0);
  t.equal(r.out, '');
  t.equal(r.err, '');
  const scryFile = path.join(tmp, 'cat.scry');
  t.equal(scry(['-r', src, '-w', scryFile]).status, 0);
  const w = scry(['-r', scryFile, '--from', '+1000s']);
  t.equal(w.status, 0, '.scry window after the last event: no error');
  t.equal(w.out, '');
});
