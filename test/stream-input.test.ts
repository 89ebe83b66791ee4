// Captures read from a pipe or standard input (`-r -`, `-r /dev/stdin`, a
// FIFO): sysdig refuses them ("error seeking in file"); scry replays a .scap
// stream (plain or gzip) as it arrives and copies a .scry stream aside first.
// What comes out is what sysdig 0.29.3 prints for the same capture read from
// a file (the goldens of fixtures/golden/default).
import t from 'tap';
import * as child_process from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { cannotCapture } from './live/helpers';
import { PassThrough } from 'stream';
import { chunksOf, gunzipOf } from '../lib/sources/input';

const ROOT = path.join(__dirname, '..');
const SCRY = path.join(ROOT, 'bin', 'scry');
const FIX = path.join(ROOT, 'fixtures');
const env = { ...process.env, TZ: 'UTC' };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-stream-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const golden = (name: string): string => fs.readFileSync(path.join(FIX, 'golden', 'default', `${name}.txt`), 'latin1');
const gz = fs.readFileSync(path.join(FIX, 'curl_google.scap'));
const plain = gz[0] === 0x1f ? zlib.gunzipSync(gz) : gz;

function run(args: string[], input: Buffer): child_process.SpawnSyncReturns<string> {
  return child_process.spawnSync(SCRY, args, { input, env, encoding: 'latin1', maxBuffer: 1 << 28, cwd: tmp });
}

t.test('a .scap on standard input prints what sysdig prints for the file', async (t) => {
  for (const [label, bytes] of [['plain', plain], ['gzip', zlib.gzipSync(plain)]] as const) {
    for (const name of ['-', '/dev/stdin']) {
      const r = run(['-r', name], bytes);
      t.equal(r.status, 0, `${label} ${name}: ${r.stderr}`);
      t.equal(r.stdout, golden('curl_google'), `${label} -r ${name}`);
    }
  }
});

t.test('a filter, a format and a chisel on a stream', async (t) => {
  const file = path.join(FIX, 'curl_google.scap');
  for (const args of [['evt.type=connect'], ['-p', '%evt.num %proc.name %fd.name', 'fd.type=ipv4'], ['-c', 'topfiles_bytes'], ['-S', '-q']]) {
    const fromFile = child_process.spawnSync(SCRY, ['-r', file, ...args], { env, encoding: 'latin1', cwd: tmp });
    const r = run(['-r', '-', ...args], plain);
    t.equal(r.status, 0, r.stderr);
    t.equal(r.stdout, fromFile.stdout, args.join(' '));
  }
});

t.test('a .scry on standard input (kept in an unlinked temporary file to be read)', async (t) => {
  const scry = path.join(tmp, 'curl.scry');
  const w = child_process.spawnSync(SCRY, ['-r', path.join(FIX, 'curl_google.scap'), '-w', scry], { env, encoding: 'utf8' });
  t.equal(w.status, 0, w.stderr);
  const r = run(['-r', '-'], fs.readFileSync(scry));
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, golden('curl_google'));
  t.same(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`scry-stream-${r.pid}-`)), [], 'no temporary file left');
});

t.test('a FIFO', async (t) => {
  const fifo = path.join(tmp, 'capture.fifo');
  child_process.execFileSync('mkfifo', [fifo]);
  const child = child_process.spawn(SCRY, ['-r', fifo], { env, cwd: tmp });
  let out = '';
  child.stdout.setEncoding('latin1').on('data', (d: string) => { out += d; });
  // the writer opens the FIFO once the reader has (opening blocks until then)
  const writer = fs.createWriteStream(fifo);
  writer.end(plain);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(code, 0);
  t.equal(out, golden('curl_google'));
});

t.test('a stream is replayed as it arrives, not once it ends', async (t) => {
  // the first three quarters of the capture (its process list fills the first half), then a
  // pause: the events in them are printed before the rest comes
  const child = child_process.spawn(SCRY, ['-r', '-', '--unbuffered'], { env, cwd: tmp });
  let out = '';
  const firstLine = golden('curl_google').split('\n')[0];
  const sawFirst = new Promise<void>((resolve) => {
    child.stdout.setEncoding('latin1').on('data', (d: string) => { out += d; if (out.includes(firstLine)) resolve(); });
  });
  const cut = Math.floor(plain.length * 0.75);
  child.stdin.write(plain.subarray(0, cut));
  let timeout: NodeJS.Timeout | undefined;
  const timer = new Promise<string>((resolve) => { timeout = setTimeout(() => resolve('timeout'), 60000); });
  t.equal(await Promise.race([sawFirst.then(() => 'printed'), timer]), 'printed', 'events printed while the stream is open');
  clearTimeout(timeout);
  child.stdin.end(plain.subarray(cut));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(code, 0);
  t.equal(out, golden('curl_google'), 'then the whole capture');
});

t.test('a stream left open: scry ends once it has what it needs (-n)', async (t) => {
  const file = child_process.spawnSync(SCRY, ['-r', path.join(FIX, 'curl_google.scap'), '-n', '400'], { env, encoding: 'latin1' });
  const want = file.stdout;
  t.ok(want.split('\n').length > 100, 'events printed within -n 400');
  for (const [label, bytes] of [['plain', plain], ['gzip', zlib.gzipSync(plain)]] as const) {
    const child = child_process.spawn(SCRY, ['-r', '-', '-n', '400'], { env, cwd: tmp });
    let out = '';
    child.stdout.setEncoding('latin1').on('data', (d: string) => { out += d; });
    child.stdin.on('error', () => undefined);
    child.stdin.write(bytes); // and never ended
    let timeout: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      new Promise<number | null>((resolve) => child.on('close', resolve)),
      new Promise<string>((resolve) => { timeout = setTimeout(() => resolve('still running'), 60000); }),
    ]);
    clearTimeout(timeout);
    child.kill();
    t.equal(code, 0, `${label}: exits without waiting for the end of the stream`);
    t.equal(out, want, `${label}: what -n 400 prints from the file`);
  }
});

t.test('a gzip stream that ends while zlib is busy keeps what it inflated', async (t) => {
  // The stream's first bytes are written as it is opened; the rest and its
  // end arrive while zlib still works on them, so the rest is taken while
  // ending. Cut short, that write fails, and node drops its whole output
  // unless the stream was flushed before it was ended.
  const cut = zlib.gzipSync(plain).subarray(0, 3000);
  const whole = zlib.gunzipSync(zlib.gzipSync(plain));
  for (let i = 0; i < 5; i++) {
    const src = new PassThrough();
    const gunzip = gunzipOf(src, 1 << 20, cut.subarray(0, 8));
    src.end(cut.subarray(8));
    const got: Buffer[] = [];
    let error = '';
    try {
      for await (const c of chunksOf(gunzip)) got.push(c);
    } catch (e) { error = (e as Error).message; }
    const out = Buffer.concat(got);
    t.match(error, /unexpected end/, `run ${i}: the cut is reported`);
    t.ok(out.length > 10000, `run ${i}: ${out.length} bytes inflated before it`);
    t.ok(out.equals(whole.subarray(0, out.length)), `run ${i}: and they are the capture's first bytes`);
  }
});

t.test('chunks a stream emitted before it failed are all handed out', async (t) => {
  const src = new PassThrough();
  const it = chunksOf(src);
  src.write(Buffer.from('one'));
  src.write(Buffer.from('two'));
  await new Promise((resolve) => setImmediate(resolve));
  src.destroy(new Error('broken'));
  const got: string[] = [];
  let error = '';
  try {
    for await (const c of it) got.push(c.toString());
  } catch (e) { error = (e as Error).message; }
  t.same(got, ['one', 'two']);
  t.equal(error, 'broken');
});

t.test('bad streams: one line naming the input, non-zero exit', async (t) => {
  const cases: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /^scry: -: not a capture file \(empty\)\n$/],
    ['not a capture', Buffer.from('hello, world\n'), /^scry: -: not a capture file \(neither \.scap nor \.scry\)\n$/],
    ['cut short', plain.subarray(0, 5000), /^scry: -: capture is truncated: incomplete block of \d+ bytes at byte \d+\n$/],
    ['gzip cut short', zlib.gzipSync(plain).subarray(0, 3000), /^scry: -: capture is truncated: gzip stream ends early; damage at byte \d+\n$/],
  ];
  for (const [label, input, re] of cases) {
    const r = run(['-r', '-'], input);
    t.equal(r.status, 1, label);
    t.match(r.stderr, re, label);
  }
  // --check tells about a file's layout: it refuses a stream
  const c = run(['--check', '-'], plain);
  t.equal(c.status, 1);
  t.equal(c.stderr, 'scry: -: --check reads a file, not standard input (save the stream to a file first)\n');
  // what the file of the same bytes reports
  const cut = path.join(tmp, 'cut.scap');
  fs.writeFileSync(cut, plain.subarray(0, 5000));
  const f = child_process.spawnSync(SCRY, ['-r', cut], { env, encoding: 'latin1' });
  t.equal(run(['-r', '-'], plain.subarray(0, 5000)).stderr, f.stderr.replace(cut, '-'), 'the same damage as the file');
});

t.test('a live capture piped into a replay (`scry -w - | scry -r -`)', { skip: cannotCapture() }, async (t) => {
  const target = path.join(tmp, 'piped.txt');
  const r = child_process.spawnSync('sh', ['-c',
    `"${SCRY}" -w - -- sh -c 'echo hi > "${target}"' | "${SCRY}" -r - -p '%proc.name %evt.type %fd.name' "evt.type in (open,openat) and fd.name=${target}"`],
  { encoding: 'utf8', timeout: 120000 });
  t.equal(r.status, 0, r.stderr);
  t.equal(r.stdout, `sh openat ${target}\n`);
});
