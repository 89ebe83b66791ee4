// Helpers shared by the scry format and conversion tests.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CaptureSink } from '../lib/event/records';
import { ScapEvent } from '../lib/event/event';

export const ROOT = path.join(__dirname, '..');
export const FIX = path.join(ROOT, 'fixtures');
export const captures = fs.readdirSync(FIX).filter((f) => f.endsWith('.scap')).sort();

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** One event as compared across formats: evt.num, cpu, block flags and the record bytes. */
export interface EvCopy { num: number; cpu: number; flags: number; rec: Buffer }

export function copyEvent(e: ScapEvent): EvCopy {
  return { num: e.num, cpu: e.cpu, flags: e.blockFlags, rec: Buffer.from(e.buf.subarray(e.off, e.off + e.len)) };
}

/** Everything a reader delivers, in order. */
export interface Collected {
  events: EvCopy[];
  state: unknown[];
  drops: number[][];
  blocks: [number, Buffer][];
}

export function collector(): { c: Collected; sink: CaptureSink; onEvent: (e: ScapEvent) => void } {
  const c: Collected = { events: [], state: [], drops: [], blocks: [] };
  const sink: CaptureSink = {
    machineInfo: (m) => c.state.push(['mi', m]),
    thread: (t) => c.state.push(['th', t]),
    fd: (tid, f) => c.state.push(['fd', tid, f]),
    interfaces: (l) => c.state.push(['if', l]),
    users: (u, g) => c.state.push(['us', u, g]),
  };
  return { c, sink, onEvent: (e) => { c.events.push(copyEvent(e)); } };
}

/** JSON with Buffers as hex, for comparing state records. */
export function norm(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (_k, v) => (v && v.type === 'Buffer' && Array.isArray(v.data) ? Buffer.from(v.data).toString('hex') : v)));
}

/** Index of the first differing event, or -1 when both lists are identical. */
export function firstDiff(a: EvCopy[], b: EvCopy[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    if (x.num !== y.num || x.cpu !== y.cpu || x.flags !== y.flags || !x.rec.equals(y.rec)) return i;
  }
  return a.length === b.length ? -1 : n;
}

export function tsOf(e: EvCopy): bigint { return e.rec.readBigUInt64LE(0); }
