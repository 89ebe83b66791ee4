// The .scry event-column codec: the native rebuild (native/src/scry_codec.cc)
// and the TypeScript one give the same records for every fixture, both give
// back exactly what was encoded, and damaged columns are refused by both
// without crashing.
import t from 'tap';
import { prng } from '../lib/filter/fuzzgen';
import * as path from 'path';
import { ScapReader } from '../lib/sources/scap/reader';
import { decodeEvents, DecodedEvents, EventColumns, EventEncoder, CodecError } from '../lib/sources/scry/codec';
import { EF } from '../lib/schema/types';
import { optionalNative } from '../lib/native/addon';
import { captures, FIX } from './scry-fixtures';
import { packr, recordFromWire, recordToWire } from '../lib/sources/scry/records';
import { textFromWire, textToWire } from '../lib/sources/scry/wire-text';
import type { ThreadRecord } from '../lib/event/records';

const native = optionalNative();

/** Encodes a fixture's events into column frames of `per` events each. */
async function encodeFixture(file: string, per: number): Promise<{ cols: EventColumns; records: Buffer[]; cpus: number[]; flags: number[] }[]> {
  const frames: { cols: EventColumns; records: Buffer[]; cpus: number[]; flags: number[] }[] = [];
  const enc = new EventEncoder();
  let cur = { records: [] as Buffer[], cpus: [] as number[], flags: [] as number[] };
  await new ScapReader(file, {}, (ev) => {
    enc.add(ev.buf, ev.off, ev.cpu, ev.blockFlags, (ev.info.flags & EF.LARGE_PAYLOAD) !== 0);
    cur.records.push(Buffer.from(ev.buf.subarray(ev.off, ev.off + ev.len)));
    cur.cpus.push(ev.cpu);
    cur.flags.push(ev.blockFlags);
    if (enc.n === per) { frames.push({ cols: enc.finish(), ...cur }); cur = { records: [], cpus: [], flags: [] }; }
  }).read();
  if (enc.n) frames.push({ cols: enc.finish(), ...cur });
  return frames;
}

/** A deep copy: decoding un-deltas the data column in place. */
function copyCols(c: EventColumns): EventColumns {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) out[k] = Buffer.isBuffer(v) ? Buffer.from(v) : v;
  return out as unknown as EventColumns;
}

function recordsOf(d: DecodedEvents): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < d.n; i++) {
    const o = d.off[i];
    out.push(Buffer.from(d.buf.subarray(o, o + d.buf.readUInt32LE(o + 16))));
  }
  return out;
}

t.test('native and TypeScript rebuilds give back the encoded records, for every fixture', { skip: !native && 'native addon not built' }, async (t) => {
  for (const f of captures) {
    const frames = await encodeFixture(path.join(FIX, f), 997);
    let events = 0, same = true, exact = true;
    for (const fr of frames) {
      const a = decodeEvents(copyCols(fr.cols), undefined, true);
      const b = decodeEvents(copyCols(fr.cols), undefined, false);
      const ra = recordsOf(a), rb = recordsOf(b);
      events += ra.length;
      for (let i = 0; i < fr.records.length; i++) {
        if (!ra[i].equals(rb[i]) || a.cpu[i] !== b.cpu[i] || a.flags[i] !== b.flags[i]) same = false;
        if (!ra[i].equals(fr.records[i]) || a.cpu[i] !== fr.cpus[i] || a.flags[i] !== fr.flags[i]) exact = false;
      }
    }
    t.ok(same && exact, `${f}: ${events} events rebuilt identically`);
  }
});

t.test('damaged columns: both rebuilds refuse them with a CodecError, never a crash', { skip: !native && 'native addon not built' }, async (t) => {
  const frames = await encodeFixture(path.join(FIX, 'curl_google.scap'), 400);
  const cols = frames[1].cols;
  const fields = ['ts', 'tid', 'ty', 'cpu', 'np', 'esc', 'ln', 'keys', 'data'] as const;
  const random = prng(12345);
  const rnd = (n: number): number => Math.floor(random() * n);
  let refusedBoth = 0, agreed = 0;
  const tries = 600;
  for (let k = 0; k < tries; k++) {
    const c = copyCols(cols) as unknown as Record<string, unknown>;
    const field = fields[rnd(fields.length)];
    let b = c[field] as Buffer;
    switch (rnd(3)) {
      case 0: if (b.length) b[rnd(b.length)] ^= 1 << rnd(8); break;
      case 1: b = b.subarray(0, rnd(b.length + 1)); break;
      default: b = Buffer.concat([b, Buffer.from([rnd(256), rnd(256), rnd(256)])]);
    }
    c[field] = b;
    if (rnd(4) === 0) c.raw = (c.raw as number) + rnd(64) - 32;
    const outcome = (useNative: boolean): string => {
      try {
        const d = decodeEvents(copyCols(c as unknown as EventColumns), undefined, useNative);
        return 'ok:' + Buffer.concat(recordsOf(d)).toString('hex');
      } catch (e) {
        if (!(e instanceof CodecError)) throw e;
        return 'refused';
      }
    };
    const a = outcome(true), b2 = outcome(false);
    if (a === 'refused' && b2 === 'refused') refusedBoth++;
    if (a === b2) agreed++;
  }
  t.ok(refusedBoth > tries / 3, `${refusedBoth} of ${tries} damaged frames refused by both`);
  t.equal(agreed, tries, 'native and TypeScript agree on every damaged frame');
});

t.test('native frame decoder: damaged frames are refused, never a crash', { skip: !native && 'native addon not built' }, async (t) => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { compress } = require('zstd-napi') as { compress: (b: Buffer) => Buffer };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { packr } = require('../lib/sources/scry/records') as { packr: { pack: (v: unknown) => Buffer } };
  const frames = await encodeFixture(path.join(FIX, 'curl_google.scap'), 300);
  const good = packr.pack({ e: frames[1].cols });
  const ok = await native!.decodeEventFrame(compress(good));
  t.equal(ok.n, frames[1].records.length, 'an intact frame decodes');
  const random = prng(777);
  const rnd = (n: number): number => Math.floor(random() * n);
  let refused = 0, decoded = 0;
  const N = 800;
  for (let i = 0; i < N; i++) {
    let m: Buffer;
    switch (i % 4) {
      case 0: { m = Buffer.from(good); for (let k = 1 + rnd(6); k > 0; k--) m[rnd(m.length)] = rnd(256); break; }
      case 1: m = good.subarray(0, rnd(good.length)); break;
      case 2: { m = Buffer.alloc(rnd(300)); for (let k = 0; k < m.length; k++) m[k] = rnd(256); break; }
      default: m = packr.pack({ e: { ...frames[1].cols, [['n', 'raw', 'ts', 'tid', 'ln', 'keys', 'data'][rnd(7)]]: rnd(2) ? null : rnd(100000) } });
    }
    const z = rnd(10) === 0 ? m : compress(m); // sometimes not even zstd
    try {
      const f = await native!.decodeEventFrame(z, undefined, { keepFrame: rnd(2) === 1 });
      decoded++;
      // whatever it decoded must lie inside the store it handed back
      if (!(f.n >= 0 && f.offOffset <= f.flagsOffset && f.hdrOffset + f.n * 28 <= f.store.byteLength)) t.fail('result outside its store');
    } catch (e) {
      refused++;
      if (!(e instanceof Error) || e.message === '') t.fail('refusal without a message');
    }
  }
  t.ok(refused > N / 3, `${refused} of ${N} damaged frames refused, ${decoded} decoded to something`);
});

t.test('state records keep text bytes that are not UTF-8 (and store UTF-8 as msgpack text)', async (t) => {
  // byte strings, as the readers make them: valid UTF-8, invalid bytes, ASCII
  const comm = 'sl\xe9\xff\xc3\xa9p', cwd = '/tmp/d-\xc3\xa9-\xf0\x9f\x98\x80/', args = ['a\xff', 'b\xc3\xa9', 'c'];
  const thread = { tid: 7, pid: 7, ptid: 1, sid: 0, vpgid: 0, pgid: 0, comm, exe: comm, exepath: '/x/' + comm, args, cwd } as unknown as ThreadRecord;
  const wire = recordToWire({ kind: 'thread', thread });
  const raw = packr.unpack(packr.pack(wire)) as [string, Record<string, unknown>];
  t.equal(raw[1].cwd, '/tmp/d-\u00e9-\u{1F600}/', 'valid UTF-8 is stored as text any msgpack reader sees');
  t.ok(raw[1].comm instanceof Uint8Array, 'other bytes are stored as bytes');
  const back = recordFromWire(raw);
  t.equal(back.kind, 'thread');
  const r = (back as { thread: ThreadRecord }).thread;
  t.same([r.comm, r.exe, r.exepath, r.cwd, r.args], [comm, comm, '/x/' + comm, cwd, args], 'every byte comes back');
  t.equal(textFromWire(textToWire('\xff\xfe')), '\xff\xfe');
});
