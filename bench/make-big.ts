// Builds a large plain .scap for benchmarks by repeating the event blocks of
// a real capture with shifted timestamps (state blocks are written once).
// Repetition k is shifted by k seconds, so the result is a capture of about
// EVENTS / 30000 seconds with modern_head's density in each second.
//
//   node dist/bench/make-big.js [SRC.scap] [OUT.scap] [EVENTS]
//   defaults: fixtures/modern_head.scap, /tmp/scry-bench/big.scap, 2000000

import * as fs from 'fs';
import * as path from 'path';
import { ScapEvent } from '../lib/event/event';
import { ScapReader } from '../lib/sources/scap/reader';
import { ScapWriter } from '../lib/writers/scap-writer';
import { StateRecord } from '../lib/writers/types';
import { sinkFor } from '../lib/writers/types';

export async function makeBig(src: string, out: string, events: number): Promise<{ events: number; bytes: number; seconds: number }> {
  const state: StateRecord[] = [];
  const evs: ScapEvent[] = [];
  await new ScapReader(src, sinkFor((r) => state.push(r)), (e) => { evs.push(e.clone()); }).read();
  if (!evs.length) throw new Error(`${src}: no events`);
  const first = evs[0].buf.readBigUInt64LE(evs[0].off);
  const last = evs[evs.length - 1].buf.readBigUInt64LE(evs[evs.length - 1].off);
  // One repetition per second (the source is "a busy second"), or its own span if longer.
  const own = last - first + 1000000n;
  const span = own > 1000000000n ? own : 1000000000n;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const w = new ScapWriter(out);
  for (const r of state) w.writeState(r);
  const ts = evs.map((e) => e.buf.readBigUInt64LE(e.off));
  let n = 0;
  for (let rep = 0n; n < events; rep++) {
    const shift = rep * span;
    for (let i = 0; i < evs.length && n < events; i++, n++) {
      const e = evs[i];
      e.buf.writeBigUInt64LE(ts[i] + shift, e.off);
      w.writeEvent(e);
    }
  }
  const st = await w.close();
  return { events: n, bytes: st.bytes, seconds: Number((span * BigInt(Math.ceil(events / evs.length))) / 1000000n) / 1000 };
}

if (require.main === module) {
  const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
  const src = process.argv[2] ?? path.join(root, 'fixtures/modern_head.scap');
  const out = process.argv[3] ?? '/tmp/scry-bench/big.scap';
  const n = Number(process.argv[4] ?? 2000000);
  makeBig(src, out, n).then((r) => console.log(`${out}: ${r.events} events, ${r.bytes} bytes, ~${r.seconds} s of capture`))
    .catch((e) => { console.error(e); process.exit(1); });
}
