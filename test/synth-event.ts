// One scap event from its parameter values (2-byte lengths), for tests and
// the generators of synthetic captures.

import { EVENT_HEADER_LEN, ScapEvent } from '../lib/event/event';

export function synthEvent(type: number, params: readonly Buffer[], tid: number, tsNs: bigint, num = 1, cpu = 0): ScapEvent {
  const lens = Buffer.alloc(params.length * 2);
  params.forEach((p, i) => lens.writeUInt16LE(p.length, i * 2));
  const body = Buffer.concat([lens, ...params]);
  const rec = Buffer.alloc(EVENT_HEADER_LEN + body.length);
  rec.writeBigUInt64LE(tsNs, 0);
  rec.writeBigInt64LE(BigInt(tid), 8);
  rec.writeUInt32LE(rec.length, 16);
  rec.writeUInt16LE(type, 20);
  rec.writeUInt32LE(params.length, 22);
  body.copy(rec, EVENT_HEADER_LEN);
  const ev = new ScapEvent();
  ev.set(rec, 0, cpu, 0, num);
  return ev;
}
