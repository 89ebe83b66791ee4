// Writing a capture into several files (-C, -G, -W, -e with -r IN -w OUT):
// the files sysdig 0.29.3 writes (fixtures/golden/rotation, made by
// generate.py from fixtures/rotation_source.scap.gz) byte for byte, and
// a plain conversion's file as sysdig writes it (fixtures/golden/convert).
import t, { Test } from 'tap';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';
import { ScryReader } from '../lib/sources/scry/reader';
import { strftime } from '../lib/util/strftime';
import { CyclePlan, CycleWriter } from '../lib/writers/cycle';
import { CaptureWriter } from '../lib/writers/types';
import { ScapEvent, writeRecord } from '../lib/event/event';
import { E } from '../lib/schema/ids';
import { GzPlainOffset } from '../lib/writers/scap-writer';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'bin', 'scry');
const SRC = path.join(ROOT, 'fixtures', 'rotation_source.scap.gz');
const built = fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));
const skip = built ? false : 'not built';
/** The first event of rotation_source.scap.gz is at 1533943844.999999999. */
const FIRST_SEC = 1533943844;

type Listing = [string, number, string][];
interface Case { name: string; flags: string[]; status: number; files: Listing }
interface ContainerCase { capture: string; flags: string[]; format: string; filter: string; files: [string, string][] }
const gold = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/golden/rotation/cases.json'), 'utf8')) as
  { cases: Case[]; containers: ContainerCase[] };

const sha1 = (b: Buffer) => crypto.createHash('sha1').update(b).digest('hex');
function listing(dir: string, read = (f: string) => fs.readFileSync(f)): Listing {
  return fs.readdirSync(dir).sort().map((n) => { const b = read(path.join(dir, n)); return [n, b.length, sha1(b)]; });
}
function scryIn(dir: string, args: string[]) {
  return spawnSync(BIN, [...args], { cwd: dir, encoding: 'latin1', env: { ...process.env, TZ: 'UTC' } });
}
function tmp(t: Test): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-rotation-'));
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

t.test('the files sysdig writes: names, cut points, bytes', { skip }, async (t) => {
  for (const c of gold.cases) {
    const dir = tmp(t);
    const r = scryIn(dir, ['-r', SRC, '-w', c.name, ...c.flags]);
    let want = c.files;
    if (c.name.includes('%')) {
      // sysdig calls the first file of a strftime name 'first_dump.scap' (a bug its
      // source owns to); scry names it after its first second like the others, and
      // -W deletes it in its turn
      const first = c.files.find((f) => f[0] === 'first_dump.scap')!;
      want = c.files.filter((f) => f !== first);
      if (!c.flags.includes('-W')) want = [...want, [strftime(c.name, FIRST_SEC), first[1], first[2]] as [string, number, string]].sort();
    }
    t.equal(r.status, c.status, `${c.name} ${c.flags.join(' ')}: exit ${c.status}`);
    t.same(listing(dir), want, `${c.name} ${c.flags.join(' ')}: ${want.length} files`);
  }
});

t.test('gzip output (-z) is cut at the same events', { skip }, async (t) => {
  const plain = gold.cases.find((c) => c.flags.join(' ') === '-e 10000')!;
  const dir = tmp(t);
  const r = scryIn(dir, ['-r', SRC, '-w', 'out.scap', '-z', '-e', '10000']);
  t.equal(r.status, 0);
  t.same(listing(dir, (f) => zlib.gunzipSync(fs.readFileSync(f))), plain.files, 'each file unzipped is the plain one');
  // -C measures compressed bytes: the 5.8 MB source is ~0.25 MB compressed, one file
  const dir2 = tmp(t);
  t.equal(scryIn(dir2, ['-r', SRC, '-w', 'out.scap', '-z', '-C', '1']).status, 0);
  t.same(fs.readdirSync(dir2), ['out.scap0'], '-z -C 1: one file');
});

t.test('.scry output rotates too, each file complete', { skip }, async (t) => {
  const dir = tmp(t);
  t.equal(scryIn(dir, ['-r', SRC, '-w', 'out.scry', '-e', '10000']).status, 0);
  const files = fs.readdirSync(dir).sort();
  t.same(files, ['out.scry0', 'out.scry1', 'out.scry2', 'out.scry3', 'out.scry4', 'out.scry5']);
  const counts: number[] = [];
  for (const f of files) {
    let n = 0;
    let threads = 0;
    await new ScryReader(path.join(dir, f), { thread: () => { threads++; } }, () => { n++; }).read();
    t.ok(threads > 100, `${f}: starts with the process list (${threads} threads)`);
    counts.push(n);
  }
  t.same(counts, [9999, 10000, 10000, 10000, 10000, 1961], 'events per file');
});

t.test('each file starts with the containers known so far', { skip }, async (t) => {
  for (const c of gold.containers) {
    const dir = tmp(t);
    t.equal(scryIn(dir, ['-r', path.join(ROOT, 'fixtures', c.capture), '-w', 'out.scap', ...c.flags]).status, 0);
    t.same(fs.readdirSync(dir).sort(), c.files.map((f) => f[0]), `${c.capture} ${c.flags.join(' ')}: the files`);
    for (const [name, text] of c.files) {
      const r = scryIn(dir, ['-r', name, '-p', c.format, c.filter]);
      t.equal(r.stdout, text, `${name} read alone: ${text.split('\n').length - 1} container lines as sysdig prints them`);
    }
  }
});

t.test('counts below 1 are refused with sysdig\'s line and status', { skip }, async (t) => {
  const dir = tmp(t);
  for (const [flag, line] of [['-C', 'invalid file size0'], ['-G', 'invalid duration0'], ['-W', 'invalid file limit0'],
    ['-e', "invalid parameter 'number of events' 0"]]) {
    const r = scryIn(dir, ['-r', SRC, '-w', 'x.scap', flag, '0']);
    t.equal(r.status, 1, `${flag} 0: exit 1`);
    t.equal(r.stderr, line + '\n', `${flag} 0: sysdig's line`);
  }
  t.same(fs.readdirSync(dir), [], 'no file written');
});

t.test('a plain conversion is the file sysdig writes', { skip }, async (t) => {
  const conv = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures/golden/convert/sysdig-w.json'), 'utf8')) as
    { captures: { capture: string; size: number; sha1: string; different?: string }[] };
  const dir = tmp(t);
  for (const c of conv.captures) {
    if (c.different) continue;
    t.equal(scryIn(dir, ['-r', path.join(ROOT, 'fixtures', c.capture), '-w', 'out.scap']).status, 0);
    const b = fs.readFileSync(path.join(dir, 'out.scap'));
    t.same([b.length, sha1(b)], [c.size, c.sha1], `${c.capture}: byte for byte`);
  }
  t.ok(conv.captures.filter((c) => !c.different).length >= 10, 'most captures compared');
});

t.test('file names and cuts, table-driven', async (t) => {
  const names = (base: string, o: ConstructorParameters<typeof CyclePlan>[1], n: number) => {
    const p = new CyclePlan(base, o);
    return [p.start(), ...Array.from({ length: n - 1 }, () => p.next())];
  };
  t.same(names('a', { fileLimit: 5 }, 2), ['a', 'a'], '-W alone');
  t.same(names('a', { fileSizeMb: 1 }, 3), ['a0', 'a1', 'a2'], '-C');
  t.same(names('a', { fileSizeMb: 1, fileLimit: 100 }, 2), ['a000', 'a001'], '-C -W 100: three digits');
  t.same(names('a', { fileSizeMb: 1, fileLimit: 2 }, 3), ['a0', 'a1', 'a0'], '-C -W 2: reused');
  t.same(names('a', { seconds: 1, fileSizeMb: 1 }, 2), ['a00', 'a11'], '-G -C: both suffixes');
  t.same(names('a', { events: 1, fileSizeMb: 1, seconds: 1 }, 2), ['a0', 'a1'], '-e wins');
  const p = new CyclePlan('a', { events: 3 });
  p.start();
  t.same([1, 2, 3, 4, 5, 6].map(() => p.consider(0, 0)), [false, false, true, false, false, true], '-e 3: every third event (the first file has two)');
  const g = new CyclePlan('a', { seconds: 10 });
  g.start();
  t.same([100, 105, 109, 110, 125, 126].map((s) => g.consider(s, 0)), [false, false, false, true, true, false], '-G 10: from the second a file starts');
  const c = new CyclePlan('a', { fileSizeMb: 1 });
  c.start();
  t.same([1000000, 1000001].map((b) => c.consider(0, b)), [false, true], '-C 1: more than 1,000,000 bytes');
});

t.test('sysdig\'s file offset: zlib gathers writes into 8 KiB', async (t) => {
  const o = new GzPlainOffset();
  o.small(8192);
  t.equal(o.out, 0, 'a full buffer waits for the next write');
  o.small(1);
  t.equal(o.out, 8192);
  o.small(8192 * 3);
  t.equal(o.out, 8192 * 4, 'small writes go out 8 KiB at a time');
  o.write(10000);
  t.equal(o.out, 8192 * 4 + 1 + 10000, 'a long write goes out at once, after what was gathered');
  o.small(5);
  t.equal(o.out, 8192 * 4 + 1 + 10000);
});

t.test('container events of either form start every later file (CycleWriter)', async (t) => {
  const files = new Map<string, number[]>();
  const open = (p: string): CaptureWriter => {
    const types: number[] = [];
    files.set(p, types);
    return {
      path: p, sink: {}, written: 0, writeState: () => undefined, flush: () => undefined,
      writeEvent: (ev) => { types.push(ev.type); },
      close: async () => ({ events: types.length, bytes: 0, chunks: 0 }),
    };
  };
  const w = new CycleWriter(new CyclePlan('x', { events: 3 }), open);
  const ev = new ScapEvent();
  const head = Buffer.alloc(16);
  const put = (type: number, values: Uint8Array[], sec: number) => {
    head.writeBigUInt64LE(BigInt(sec) * 1000000000n, 0);
    head.writeBigInt64LE(7n, 8);
    const b = Buffer.alloc(512);
    writeRecord(b, 0, head, 0, type, values, 2);
    ev.set(b, 0, 0, 0, 1);
    w.writeEvent(ev);
  };
  const z = (s: string) => Buffer.from(s + '\0', 'latin1');
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
  const fd = Buffer.alloc(8);
  put(E.CONTAINER_E, [z('abc123'), u32(0), z('web'), z('nginx')], 100);   // leading: counts for no limit
  for (let i = 0; i < 4; i++) put(E.SYSCALL_CLOSE_E, [fd], 101 + i);
  put(E.CONTAINER_JSON_E, [z('{"container":{"id":"def456","name":"db","image":"pg","type":0}}')], 106);
  for (let i = 0; i < 4; i++) put(E.SYSCALL_CLOSE_E, [fd], 107 + i);
  await w.close();
  const C = E.CONTAINER_E, J = E.CONTAINER_JSON_E, X = E.SYSCALL_CLOSE_E;
  t.same([...files.entries()], [
    ['x0', [C, X, X]],
    ['x1', [C, X, X, J]],
    ['x2', [C, J, X, X, X]],
    ['x3', [C, J, X]],
  ], 'each file: the containers seen so far, then its events (-e 3: the first file has two)');
});
