// The .scap reader on real captures, damaged captures and random input.
import t from 'tap';
import { prng } from '../lib/filter/fuzzgen';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { ScapReader, CaptureError } from '../lib/sources/scap/reader';
import { CaptureSink, ThreadRecord } from '../lib/event/records';

const FIX = path.join(__dirname, '..', 'fixtures');
const captures = fs.readdirSync(FIX).filter((f) => f.endsWith('.scap'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-reader-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function readAll(file: string): Promise<{ nums: number[]; threads: number; error?: CaptureError }> {
  const nums: number[] = [];
  let threads = 0;
  const sink: CaptureSink = { thread: (_t: ThreadRecord) => { threads++; } };
  const r = new ScapReader(file, sink, (ev) => { nums.push(ev.num); });
  try {
    await r.read();
    return { nums, threads };
  } catch (e) {
    if (e instanceof CaptureError) return { nums, threads, error: e };
    throw e;
  }
}

/** Highest evt.num sysdig printed in the golden default output (a lower bound for events read). */
function goldenLastNum(name: string): number {
  const g = path.join(FIX, 'golden', 'default', name.replace(/\.scap$/, '.txt'));
  if (!fs.existsSync(g)) return 0;
  const lines = fs.readFileSync(g, 'utf8').trim().split('\n').filter((l) => /^\d+ /.test(l));
  return lines.length ? Number(lines[lines.length - 1].split(' ')[0]) : 0;
}

t.test('every fixture capture reads completely', async (t) => {
  for (const f of captures) {
    const r = await readAll(path.join(FIX, f));
    t.notOk(r.error, `${f}: no error (${r.error?.message ?? ''})`);
    t.ok(r.nums.length > 0, `${f}: has events`);
    t.same(r.nums[r.nums.length - 1], r.nums.length, `${f}: evt.num counts every event`);
    t.ok(r.nums.length >= goldenLastNum(f), `${f}: at least as many events as sysdig numbered`);
  }
});

t.test('modern_head: all 30000 events of a current-libs capture', async (t) => {
  const r = await readAll(path.join(FIX, 'modern_head.scap'));
  t.equal(r.nums.length, 30000);
  t.ok(r.threads > 0, 'process list read');
});

t.test('a capture cut inside a block: events before the cut, then the offset', async (t) => {
  const raw = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'falco_cat_write.scap')));
  const whole = await readAll(path.join(FIX, 'falco_cat_write.scap'));
  const cut = raw.length - 3001; // inside the event blocks, which come last
  const gz = zlib.gzipSync(raw);
  for (const [name, data] of [['cut.scap', raw.subarray(0, cut)], ['cut.scap.gz', gz.subarray(0, gz.length - 1500)]] as const) {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, data);
    const r = await readAll(file);
    t.ok(r.error, `${name}: damage reported`);
    t.ok(r.nums.length > 0 && r.nums.length < whole.nums.length, `${name}: events before the damage (${r.nums.length})`);
    t.same(r.nums, whole.nums.slice(0, r.nums.length), `${name}: the same events as the whole file`);
    t.match(r.error!.message, new RegExp(`${name}: .* at byte \\d+`), `${name}: message names file and offset`);
  }
});

t.test('a gzip capture damaged inside: every event zlib can inflate before the damage', async (t) => {
  // A flipped byte halfway through the compressed data: zlib inflates on
  // (garbage from there) and fails at the end, on the checksum. It keeps back
  // up to a chunk of output when it fails (all of a file this small), so a
  // first pass alone printed nothing; a second pass recovers the events
  // before the damage, as sysdig's gzread does (it prints 134 lines here,
  // scry 133: sysdig also takes a garbled block whose trailer does not match).
  const gz = Buffer.from(fs.readFileSync(path.join(FIX, 'curl_google.scap')));
  const file = path.join(tmp, 'flipped.scap.gz');
  gz[gz.length >> 1] ^= 0xff;
  fs.writeFileSync(file, gz);
  const whole = await readAll(path.join(FIX, 'curl_google.scap'));
  const r = await readAll(file);
  t.ok(r.error, 'damage reported');
  t.ok(r.nums.length > 300, `events before the damage (${r.nums.length} of ${whole.nums.length})`);
  t.same(r.nums, whole.nums.slice(0, r.nums.length), 'the same events as the whole file');
  t.match(r.error!.message, /flipped\.scap\.gz: .* at byte \d+/, 'message names file and offset');
});

t.test('plain files read ahead in chunks: blocks cut by chunk ends, and a block larger than a chunk', async (t) => {
  // modern_head's event blocks repeated past several 4 MiB read chunks, with
  // an opaque 9 MiB block in the middle (passed on to onUnknownBlock)
  const raw = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'modern_head.scap')));
  let p = 0, firstEv = -1;
  while (p + 8 <= raw.length) {
    const type = raw.readUInt32LE(p), len = raw.readUInt32LE(p + 4);
    if (type === 0x216 || type === 0x217) { firstEv = p; break; }
    p += len;
  }
  t.ok(firstEv > 0, 'found the event blocks');
  const head = raw.subarray(0, firstEv), evs = raw.subarray(firstEv);
  const big = Buffer.alloc(9 << 20);
  big.writeUInt32LE(0x7e57b10c, 0); big.writeUInt32LE(big.length, 4); big.writeUInt32LE(big.length, big.length - 4);
  const parts = [head, evs, evs, evs, big, evs, evs];
  const file = path.join(tmp, 'big-plain.scap');
  fs.writeFileSync(file, Buffer.concat(parts));
  const once = await readAll(path.join(FIX, 'modern_head.scap'));
  const unknown: number[] = [];
  const nums: number[] = [];
  const types: number[] = [];
  const r = new ScapReader(file, {}, (ev) => { nums.push(ev.num); types.push(ev.type); });
  r.onUnknownBlock = (type, body) => { unknown.push(type, body.length); };
  await r.read();
  t.equal(nums.length, 5 * once.nums.length, 'every event of the five copies');
  t.same(unknown, [0x7e57b10c, big.length - 12], 'the large block, whole');
  const oneTypes: number[] = [];
  await new ScapReader(path.join(FIX, 'modern_head.scap'), {}, (ev) => { oneTypes.push(ev.type); }).read();
  t.same(types.slice(3 * oneTypes.length, 4 * oneTypes.length), oneTypes, 'events after the large block as in the original');
  // and cut short inside the large block: the events before it, then the offset
  const cutFile = path.join(tmp, 'big-cut.scap');
  const whole = Buffer.concat(parts);
  const cutAt = head.length + 3 * evs.length + 5000000;
  fs.writeFileSync(cutFile, whole.subarray(0, cutAt));
  const c = await readAll(cutFile);
  t.equal(c.nums.length, 3 * once.nums.length, 'events before the cut block');
  t.match(c.error?.message ?? '', new RegExp(`truncated: .* at byte ${head.length + 3 * evs.length}$`), 'offset of the cut block');
});

t.test('files that are not captures get one clear error', async (t) => {
  const cases: [string, Buffer | string][] = [
    ['empty', Buffer.alloc(0)], ['text', 'hello world, not a capture\n'], ['zeros', Buffer.alloc(4096)],
    ['gzip-text', zlib.gzipSync('just text')],
  ];
  for (const [name, data] of cases) {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, data);
    const r = await readAll(file);
    t.ok(r.error, `${name}: rejected`);
    t.match(r.error!.message, /not a capture file/, `${name}: says it is not a capture`);
    t.equal(r.nums.length, 0);
  }
  const r = await readAll(path.join(tmp, 'does-not-exist'));
  t.match(r.error!.message, /no such file/);
});

t.test('a capture cut inside its section header is truncated, not "empty"', async (t) => {
  const whole = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'falco_syscall.scap')));
  for (const n of [5, 8, 20, 27]) {
    const file = path.join(tmp, `shb-cut-${n}.scap`);
    fs.writeFileSync(file, whole.subarray(0, n));
    const r = await readAll(file);
    t.equal(r.error?.message, `${file}: capture is truncated: incomplete block of ${n} bytes at byte 0`, `${n} bytes`);
  }
});

t.test('fuzz: mutated and random inputs never crash or hang', async (t) => {
  const seedFile = zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'falco_syscall.scap')));
  const rnd = prng(12345);
  const file = path.join(tmp, 'fuzz.scap');
  let damaged = 0, clean = 0;
  const N = 2000;
  for (let i = 0; i < N; i++) {
    let data: Buffer;
    const kind = i % 4;
    if (kind === 3) {
      data = Buffer.alloc(Math.floor(rnd() * 2000));
      for (let k = 0; k < data.length; k++) data[k] = Math.floor(rnd() * 256);
      if (rnd() < 0.5 && data.length >= 4) data.writeUInt32LE(0x0a0d0d0a, 0);
    } else {
      data = Buffer.from(seedFile.subarray(0, Math.min(seedFile.length, 6000 + Math.floor(rnd() * 20000))));
      const flips = 1 + Math.floor(rnd() * 8);
      for (let k = 0; k < flips; k++) {
        const at = Math.floor(rnd() * data.length);
        data[at] = kind === 0 ? Math.floor(rnd() * 256) : kind === 1 ? 0xff : data[at] ^ (1 << Math.floor(rnd() * 8));
      }
    }
    fs.writeFileSync(file, data);
    const r = await readAll(file);
    if (r.error) damaged++; else clean++;
  }
  t.equal(damaged + clean, N, `${N} inputs handled (${damaged} reported damage, ${clean} read clean)`);
  t.ok(damaged > 0, 'damage was detected');
});
