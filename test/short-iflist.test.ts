// Captures that sysdig 0.29.3's -w wrote with an interface list whose length
// counts the entries of the old layout (fixtures/golden/short-iflist/generate.py):
// sysdig cannot read them back; scry reads them whole, printing what sysdig
// prints once the block's length is put right. A list that is damaged in
// another way is still an error at its offset.
import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { spawnSync } from 'child_process';
import { ScapReader, CaptureError } from '../lib/sources/scap/reader';
import { InterfaceRecord } from '../lib/event/records';
import { FIX, ROOT, tmpDir } from './scry-fixtures';

const SHORT = path.join(FIX, 'damaged', 'sysdig_w_short_iflist.scap');
const GOLD = path.join(FIX, 'golden', 'short-iflist');
const SCRY = path.join(ROOT, 'bin', 'scry');
const tmp = tmpDir('scry-iflist-');
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

function scry(args: string[], input?: Buffer): { out: string; err: string; status: number | null } {
  const r = spawnSync(SCRY, args, { input, encoding: 'latin1', maxBuffer: 1 << 26, env: { ...process.env, TZ: 'UTC' } });
  return { out: r.stdout, err: r.stderr, status: r.status };
}

t.test('the file holds such a list: the block\'s trailer is not its length', async (t) => {
  const b = zlib.gunzipSync(fs.readFileSync(SHORT));
  let p = 0, found = false;
  while (p + 8 <= b.length && !found) {
    const type = b.readUInt32LE(p), len = b.readUInt32LE(p + 4);
    if (type === 0x219) { found = true; t.not(b.readUInt32LE(p + len - 4), len, `interface list at byte ${p}: trailer differs`); }
    p += len;
  }
  t.ok(found, 'an interface list of the current layout');
});

t.test('read as sysdig reads the file with the length put right', async (t) => {
  const def = scry(['-r', SHORT]);
  t.equal(def.status, 0);
  t.equal(def.err, '');
  t.equal(def.out, fs.readFileSync(path.join(GOLD, 'default.txt'), 'latin1'), 'default output');
  const fields = scry(['-r', SHORT, '-p', '*%evt.num %proc.name %proc.exepath %fd.name %fd.type %user.name %evt.info']);
  t.equal(fields.out, fs.readFileSync(path.join(GOLD, 'fields.txt'), 'latin1'), 'fields');
  // a stream too (the block's end is found in pieces as they come)
  const piped = scry(['-r', '-'], zlib.gunzipSync(fs.readFileSync(SHORT)));
  t.equal(piped.out, def.out, 'from standard input');
});

t.test('the interface list is read whole', async (t) => {
  const lists: InterfaceRecord[][] = [];
  await new ScapReader(SHORT, { interfaces: (l) => lists.push(l) }, () => undefined).read();
  t.equal(lists.length, 1);
  const names = lists[0].map((i) => i.name);
  t.ok(names.includes('lo') && names.length >= 3, `interfaces: ${names.join(' ')}`);
});

t.test('an interface list damaged otherwise is an error at its offset', async (t) => {
  const b = Buffer.from(zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'falco_ping_sendto.scap'))));
  let p = 0;
  while (b.readUInt32LE(p) !== 0x219) p += b.readUInt32LE(p + 4);
  const len = b.readUInt32LE(p + 4);
  b.writeUInt32LE(0, p + len - 4);
  const file = path.join(tmp, 'bad-trailer.scap');
  fs.writeFileSync(file, b);
  await t.rejects(new ScapReader(file, {}, () => undefined).read(),
    new CaptureError(file, p, `corrupt block (length ${len} but trailer says 0)`));
  // an entry that cannot be one (type 9) where the walk would look for the end
  const c = Buffer.from(zlib.gunzipSync(fs.readFileSync(path.join(FIX, 'falco_ping_sendto.scap'))));
  c.writeUInt32LE(len - 4, p + 4);
  c.writeUInt16LE(9, p + 12);
  const file2 = path.join(tmp, 'bad-entry.scap');
  fs.writeFileSync(file2, c);
  t.match(await new ScapReader(file2, {}, () => undefined).read().catch((e: unknown) => e), { offset: p });
});

t.test('--check tells the repair, with nothing lost', async (t) => {
  const r = scry(['--check', SHORT]);
  t.equal(r.status, 0);
  t.match(r.out, /^repaired: +1 fault\(s\), nothing lost\n {2}at byte 220: interface list declares 228 bytes but holds 248 .*; read whole\n/m);
  t.match(r.out, /^damage: +none$/m);
});
