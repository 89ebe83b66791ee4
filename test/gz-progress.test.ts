// The addon's replay of sysdig's reading for -P (native/src/read_positions.cc):
// damaged, cut and mangled gzip files give a well-formed table, never a
// crash; asked as far as it is needed, it answers as the whole table does;
// and -P on a damaged gzip capture ends with the damage line.
// (Its values are checked against sysdig in test/progress.test.ts.)
import t from 'tap';
import { prng } from '../lib/filter/fuzzgen';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';
import { optionalNative } from '../lib/native/addon';
import { EVENT_BLOCKS } from '../lib/sources/scap/blocks';

const ROOT = path.join(__dirname, '..');
const SRC = path.join(ROOT, 'fixtures', 'scry_live_syscalls_members.scap');
const native = optionalNative();
/** The whole table of a file: pairs (event block end, offset sysdig reports), one each time the offset changes. */
const table = (file: string): Float64Array => new native!.ReadPositions(file, Uint32Array.from(EVENT_BLOCKS)).rest();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-gzprog-'));
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

const random = prng(20261121);
const rnd = (n: number): number => Math.floor(random() * n);

/** A table: pairs, stream positions rising, offsets rising and within the file. */
function wellFormed(r: Float64Array, size: number): string | undefined {
  if (r.length % 2 !== 0) return 'odd length';
  for (let i = 0; i < r.length; i += 2) {
    if (r[i + 1] > size) return `offset ${r[i + 1]} past the file (${size})`;
    if (i > 0 && (r[i] < r[i - 2] || r[i + 1] <= r[i - 1])) return `pair ${i / 2} out of order`;
  }
  return undefined;
}

t.test('ReadPositions on an intact capture', { skip: native ? false : 'addon not built' }, async (t) => {
  const plain = path.join(tmp, 'plain.scap');
  fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(SRC)));
  for (const file of [SRC, plain]) {
    const r = table(file);
    const name = path.basename(file);
    t.equal(wellFormed(r, fs.statSync(file).size), undefined, `${name}: well formed`);
    const size = fs.statSync(plain).size;
    t.ok(r.length > 20 && r[r.length - 2] <= size, `${name}: pairs up to the end of the stream`);
    t.equal(r[r.length - 1], fs.statSync(file).size, `${name}: at the last ones sysdig has read the whole file`);
    // asked block by block, in stream order, it answers as the table says
    const p = new native!.ReadPositions(file, Uint32Array.from(EVENT_BLOCKS));
    const wrong: string[] = [];
    for (let i = 0; i < r.length; i += 2) {
      if (p.at(r[i]) !== r[i + 1]) wrong.push(`at ${r[i]}`);
      if (i + 2 < r.length && r[i + 2] - r[i] > 1 && p.at(r[i + 2] - 1) !== r[i + 1]) wrong.push(`before ${r[i + 2]}`);
    }
    t.same(wrong, [], `${name}: at() agrees with the table`);
    t.equal(p.at(r[0]), -1, `${name}: a block before those asked is unknown`);
    p.close();
  }
  t.same(table(path.join(tmp, 'missing')), new Float64Array(0), 'a missing file: no table');
});

t.test('ReadPositions on damaged gzip files', { skip: native ? false : 'addon not built' }, async (t) => {
  const src = fs.readFileSync(SRC);
  const raw = zlib.gunzipSync(src);
  const file = path.join(tmp, 'damaged.scap');
  const bad: string[] = [];
  let tables = 0;
  for (let i = 0; i < 200; i++) {
    let b: Buffer;
    switch (i % 4) {
      case 0: b = src.subarray(0, rnd(src.length)); break;
      case 1: b = Buffer.from(src); for (let j = 0; j <= rnd(20); j++) b[rnd(b.length)] ^= 1 << rnd(8); break;
      case 2: {
        // sound gzip around a mangled stream: block lengths and types anywhere
        const m = Buffer.from(raw);
        for (let j = 0; j < 5; j++) m.writeUInt32LE(rnd(0x7fffffff) * 2 % 0x100000000, rnd(m.length - 4));
        b = zlib.gzipSync(m);
        break;
      }
      default: b = Buffer.concat([src.subarray(0, rnd(src.length)), Buffer.from([0x1f, 0x8b, 8]), src.subarray(rnd(src.length))]);
    }
    fs.writeFileSync(file, b);
    const r = table(file);
    if (r.length > 0) tables++;
    const why = wellFormed(r, b.length);
    if (why) bad.push(`case ${i}: ${why}`);
  }
  t.same(bad, [], '200 damaged files: well-formed tables');
  t.ok(tables > 150, `most give a table (${tables})`);
});

const built = fs.existsSync(path.join(ROOT, 'bin', 'scry')) && fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));
// As sysdig lays it out: the progress, its end (100.00), the error, and the
// end drawn once more (sysdig's own error text differs: scry's names the
// file and the offset).
t.test('-P and -w on a cut gzip capture: progress, end, the damage line, end again', { skip: built ? false : 'bin/scry is not built yet' }, async (t) => {
  const src = fs.readFileSync(SRC);
  const file = path.join(tmp, 'cut.scap');
  fs.writeFileSync(file, src.subarray(0, Math.floor(src.length * 0.8)));
  const name = file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const layout = new RegExp(`^\\r\\r\\d+\\.\\d\\d\\r +\\r +\\r100\\.00\\nscry: ${name}: [^\\n]* at byte \\d+\\n\\r {6}\\r100\\.00\\n$`);
  for (const args of [['-P', '-q'], ['-w', path.join(tmp, 'out.scap')]]) {
    const p = spawnSync(path.join(ROOT, 'bin', 'scry'), ['-r', file, ...args]);
    t.equal(p.status, 1, `${args[0]}: exit 1`);
    t.match(p.stderr.toString('latin1'), layout, `${args[0]}: ${JSON.stringify(p.stderr.toString('latin1'))}`);
  }
});
