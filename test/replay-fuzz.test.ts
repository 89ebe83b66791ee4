// Mutated captures through the whole replay path (reader, state engine,
// default formatter): damage is reported as a CaptureError, nothing else
// escapes. And the CLI turns damage into one line and a non-zero exit.
import t from 'tap';
import { prng } from '../lib/filter/fuzzgen';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';
import { ScapEvent } from '../lib/event/event';
import { ScapReader, CaptureError } from '../lib/sources/scap/reader';
import { StateEngine } from '../lib/state/engine';
import { compileFormat, DEFAULT_FORMAT } from '../lib/format/formatter';
import { EvalContext } from '../lib/fields/types';

const FIX = path.join(__dirname, '..', 'fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-rfuzz-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function replayFile(file: string): Promise<{ lines: number; error?: CaptureError }> {
  const state = new StateEngine();
  const ctx: EvalContext = { ev: new ScapEvent(), state };
  const fmt = compileFormat(DEFAULT_FORMAT);
  let lines = 0;
  const r = new ScapReader(file, state.sink(), (ev) => {
    ctx.ev = ev;
    if (!state.process(ev)) return;
    if (fmt.render(ctx) !== undefined) lines++;
  });
  try {
    await r.read();
    return { lines };
  } catch (e) {
    if (e instanceof CaptureError) return { lines, error: e };
    throw e;
  }
}

t.test('mutated captures through reader, state and formatter', async (t) => {
  const seeds = ['falco_cat_write.scap', 'single_ipv6_conn.scap', 'test_ipv6_client.scap', 'modern_head.scap'].map(
    (f) => zlib.gunzipSync(fs.readFileSync(path.join(FIX, f))));
  const rnd = prng(4242);
  const file = path.join(tmp, 'm.scap');
  const N = 600;
  let damaged = 0;
  for (let i = 0; i < N; i++) {
    const src = seeds[i % seeds.length];
    // Keep the file small: the header blocks and a slice of events.
    const data = Buffer.from(src.subarray(0, Math.min(src.length, 60000 + Math.floor(rnd() * 60000))));
    const flips = 1 + Math.floor(rnd() * 16);
    for (let k = 0; k < flips; k++) {
      // Mostly hit the event area, where parameter bytes feed the state engine.
      const at = Math.floor(data.length * (0.3 + 0.7 * rnd()));
      data[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : data[at] ^ (1 << Math.floor(rnd() * 8));
    }
    fs.writeFileSync(file, data);
    const r = await replayFile(file);
    if (r.error) damaged++;
  }
  t.pass(`${N} mutated captures replayed (${damaged} reported damage), no other exception`);
});

t.test('the CLI reports damage in one line with the offset', async (t) => {
  const raw = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'falco_cat_write.scap')));
  const file = path.join(tmp, 'cut.scap');
  fs.writeFileSync(file, raw.subarray(0, raw.length - 777));
  const r = spawnSync(path.join(__dirname, '..', 'bin', 'scry'), ['-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  t.equal(r.status, 1);
  t.match(r.stderr, new RegExp(`^scry: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: capture is truncated: .* at byte \\d+\\n$`));
  t.ok(r.stdout.split('\n').length > 50, 'events before the damage are printed');
});

t.test('native block scanner and TypeScript reader agree on intact and mutated captures', async (t) => {
  const read = async (file: string, nativeScan: boolean): Promise<string> => {
    const h: string[] = [];
    const r = new ScapReader(file, {}, (ev) => { h.push(`${ev.num}:${ev.type}:${ev.cpu}:${ev.blockFlags}:${ev.len}:${ev.tid}`); });
    r.nativeScan = nativeScan;
    try {
      await r.read();
    } catch (e) {
      if (!(e instanceof CaptureError)) throw e;
      h.push('error ' + e.message);
    }
    return h.join('\n');
  };
  const seeds = ['falco_cat_write.scap', 'curl_google.scap', 'modern_head.scap'].map((f) => zlib.gunzipSync(fs.readFileSync(path.join(FIX, f))));
  const file = path.join(tmp, 'scan.scap');
  for (const [i, s] of seeds.entries()) {
    fs.writeFileSync(file, s);
    t.equal(await read(file, true), await read(file, false), `intact seed ${i}`);
  }
  const rnd = prng(99);
  let same = 0, errors = 0;
  const N = 300;
  for (let i = 0; i < N; i++) {
    const src = seeds[i % seeds.length];
    const data = Buffer.from(src.subarray(0, Math.min(src.length, 40000 + Math.floor(rnd() * 80000))));
    for (let k = 1 + Math.floor(rnd() * 8); k > 0; k--) {
      const at = Math.floor(data.length * (0.2 + 0.8 * rnd()));
      data[at] = rnd() < 0.5 ? Math.floor(rnd() * 256) : data[at] ^ (1 << Math.floor(rnd() * 8));
    }
    fs.writeFileSync(file, data);
    const a = await read(file, true), b = await read(file, false);
    if (a === b) same++;
    if (a.includes('\nerror ') || a.startsWith('error ')) errors++;
  }
  t.equal(same, N, `${N} mutated captures (${errors} damaged): same events and the same error`);
});
