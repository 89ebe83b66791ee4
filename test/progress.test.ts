// -P, and the progress a conversion shows, as sysdig 0.29.3 draws them
// (fixtures/golden/progress): every value is where sysdig's zlib reader has
// got to in the file when sysdig looks (every 10000th event): 16 KiB reads
// of an uncompressed capture, or a read straight from the file for 16 KiB or
// more; for a gzip one, the compressed bytes inflate has taken in (both
// replayed by native/src/read_positions.cc).
import t from 'tap';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';
import { optionalNative } from '../lib/native/addon';

const ROOT = path.join(__dirname, '..');
const GOLD = path.join(ROOT, 'fixtures', 'golden', 'progress');
const BIN = path.join(ROOT, 'bin', 'scry');

const built = fs.existsSync(BIN) && fs.existsSync(path.join(ROOT, 'dist', 'lib', 'cli', 'main.js'));

// NAME.KIND.err: -P on the capture; NAME.KIND-w.err: the progress of -r ... -w
const skip = optionalNative()?.ReadPositions ? false : 'the native addon is not built';
const KINDS = [
  // the fixture as committed (gzip)
  { kind: 'gz', skip },
  // its uncompressed stream
  { kind: 'plain', skip },
];

for (const { kind, skip } of KINDS) {
  t.test(`progress on ${kind} captures is byte-identical to sysdig`, { skip: built ? skip : 'bin/scry is not built yet' }, async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-progress-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const names = fs.readdirSync(GOLD).filter((f) => f.endsWith(`.${kind}.err`)).map((f) => f.slice(0, -`.${kind}.err`.length));
    t.ok(names.length >= 2, 'goldens');
    for (const name of names) {
      let file = path.join(ROOT, 'fixtures', name + '.scap');
      if (kind === 'plain') {
        const plain = path.join(dir, name + '.plain.scap');
        fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(file)));
        file = plain;
      }
      const p = spawnSync(BIN, ['-r', file, '-P', '-q']);
      t.equal(p.stderr.toString('latin1'), fs.readFileSync(path.join(GOLD, `${name}.${kind}.err`), 'latin1'), `${name}: -P`);
      const w = spawnSync(BIN, ['-r', file, '-w', path.join(dir, 'out.scap')]);
      t.equal(w.stderr.toString('latin1'), fs.readFileSync(path.join(GOLD, `${name}.${kind}-w.err`), 'latin1'), `${name}: -w`);
      // NAME.KIND.chisel: sysdig.get_read_progress() at every 300th event
      const chisel = path.join(GOLD, `${name}.${kind}.chisel`);
      if (fs.existsSync(chisel)) {
        const c = spawnSync(BIN, ['-r', file, '-c', path.join(ROOT, 'fixtures', 'golden', 'chisels', 'lua', 'progress.lua')]);
        t.equal(c.stdout.toString('latin1'), fs.readFileSync(chisel, 'latin1'), `${name}: get_read_progress`);
      }
    }
  });
}

// A capture damaged past its start: sysdig draws where its reader had got to
// when it met the damage, its error, then 100.00 as it closes. scry draws the
// same, with its own one-line error (naming the file and the offset) in the
// place of sysdig's two lines.
t.test('progress on a damaged capture stops where sysdig\'s reader met the damage', { skip: built ? skip : 'bin/scry is not built yet' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scry-progress-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const gz = path.join(ROOT, 'fixtures', 'damaged', 'curl_google_badblock.scap');
  const plain = path.join(dir, 'curl_google_badblock.plain.scap');
  fs.writeFileSync(plain, zlib.gunzipSync(fs.readFileSync(gz)));
  // sysdig's error lines, between the line it drew at the damage and its closing 100.00
  const ours = (err: string, file: string) => {
    const lines = err.split('\n');
    t.match(lines[1], `${file}: corrupt block header`, 'one line naming the file');
    t.match(lines[1], /at byte 87812$/, 'and the offset');
    return [lines[0], ...lines.slice(2)].join('\n');
  };
  const sysdigs = (err: string) => { const lines = err.split('\n'); return [lines[0], ...lines.slice(3)].join('\n'); };
  for (const [kind, file] of [['gz', gz], ['plain', plain]]) {
    const gold = (suffix: string) => sysdigs(fs.readFileSync(path.join(GOLD, 'damaged', `curl_google_badblock.${kind}${suffix}.err`), 'latin1'));
    const p = spawnSync(BIN, ['-r', file, '-P', '-q']);
    t.equal(p.status, 1, `${kind}: -P exits 1`);
    t.equal(ours(p.stderr.toString('latin1'), file), gold(''), `${kind}: -P as sysdig draws it`);
    const w = spawnSync(BIN, ['-r', file, '-w', path.join(dir, 'out.scap')]);
    t.equal(w.status, 1, `${kind}: -w exits 1`);
    t.equal(ours(w.stderr.toString('latin1'), file), gold('-w'), `${kind}: -w as sysdig draws it`);
  }
});
