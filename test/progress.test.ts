// -P, and the progress a conversion shows, as sysdig 0.29.3 draws them
// (fixtures/golden/progress): on an uncompressed capture, every value is
// where zlib's 16 KiB reads have got to when sysdig looks (every 10000th event).
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';

const ROOT = path.join(__dirname, '..');
const GOLD = path.join(ROOT, 'fixtures', 'golden', 'progress');
const BIN = path.join(ROOT, 'bin', 'scry');

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
