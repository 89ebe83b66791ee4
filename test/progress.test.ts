// -P, and the progress a conversion shows, as sysdig 0.29.3 draws them
// (fixtures/golden/progress): every value is where sysdig's zlib reader has
// got to in the file when sysdig looks (every 10000th event): 16 KiB reads
// of an uncompressed capture; for a gzip one, the compressed bytes inflate
// has taken in (native/src/gz_progress.cc).
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const GOLD = path.join(ROOT, 'fixtures', 'golden', 'progress');
const BIN = path.join(ROOT, 'bin', 'scry');

t.test('progress on gzip captures is byte-identical to sysdig', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-progress-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const names = fs.readdirSync(GOLD).filter((f) => f.endsWith('.gz.err')).map((f) => f.replace(/\.gz\.err$/, ''));
  t.ok(names.length >= 3, 'goldens');
  for (const name of names) {
    const file = path.join(ROOT, 'fixtures', name + '.scap');
    const p = spawnSync(process.execPath, [BIN, '-r', file, '-P', '-q']);
    t.equal(p.stderr.toString('latin1'), fs.readFileSync(path.join(GOLD, name + '.gz.err'), 'latin1'), `${name}: -P`);
    const w = spawnSync(process.execPath, [BIN, '-r', file, '-w', path.join(dir, 'out.scap')]);
    t.equal(w.stderr.toString('latin1'), fs.readFileSync(path.join(GOLD, name + '.gz-w.err'), 'latin1'), `${name}: -w`);
  }
});

t.test('progress on uncompressed captures is byte-identical to sysdig', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-progress-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const names = fs.readdirSync(GOLD).filter((f) => f.endsWith('.plain.err')).map((f) => f.replace(/\.plain\.err$/, ''));
  t.ok(names.length >= 2, 'goldens');
  for (const name of names) {
    const plain = path.join(dir, name + '.plain.scap');
    fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'fixtures', name + '.scap'))));
    const p = spawnSync(process.execPath, [BIN, '-r', plain, '-P', '-q']);
    t.equal(p.stderr.toString('latin1'), fs.readFileSync(path.join(GOLD, name + '.plain.err'), 'latin1'), `${name}: -P`);
    const w = spawnSync(process.execPath, [BIN, '-r', plain, '-w', path.join(dir, 'out.scap')]);
    t.equal(w.stderr.toString('latin1'), fs.readFileSync(path.join(GOLD, name + '.plain-w.err'), 'latin1'), `${name}: -w`);
  }
});
