// The probe reads a syscall's path arguments at its enter with a BPF helper
// that cannot fault user memory in: a path in a page the process has not
// touched yet (a fresh file mapping, a string constant of a binary just
// loaded) reads as an empty parameter. sysdig's kernel module copies it with
// faults allowed. The exit event, read after the kernel itself has paged the
// string in, has it: in a drained batch, an enter event with an empty string
// parameter takes the value its exit carries under the same name, when the
// thread's next event in the batch is that exit.

import { EVENTS } from '../schema/events';
import { EF, PT } from '../schema/types';
import { EVENT_HEADER_LEN } from '../event/event';

/** Per enter type: pairs [enter param index, exit param index] of string parameters both carry. */
const PAIRS: ([number, number][] | undefined)[] = [];
for (let t = 0; t + 1 < EVENTS.length; t++) {
  const en = EVENTS[t], ex = EVENTS[t + 1];
  if (!en || !ex || !en.enter || ex.enter) continue;
  const pairs: [number, number][] = [];
  en.params.forEach((p, i) => {
    if (p.type !== PT.FSPATH && p.type !== PT.FSRELPATH && p.type !== PT.CHARBUF) return;
    const j = ex.params.findIndex((q) => q.name === p.name && q.type === p.type);
    if (j >= 0) pairs.push([i, j]);
  });
  if (pairs.length) PAIRS[t] = pairs;
}

const BLOCK_HEADER = 10;

interface Pending { block: number; type: number; empty: [number, number][] }
interface Patch { block: number; values: Map<number, Buffer> }

/** Offsets and lengths of a record's parameters. */
function params(b: Buffer, rec: number): { off: number[]; len: number[] } | undefined {
  const type = b.readUInt16LE(rec + 20);
  const n = b.readUInt32LE(rec + 22);
  const wide = (EVENTS[type]?.flags ?? 0) & EF.LARGE_PAYLOAD ? 4 : 2;
  const end = rec + b.readUInt32LE(rec + 16);
  let lp = rec + EVENT_HEADER_LEN, p = lp + n * wide;
  if (p > end) return undefined;
  const off: number[] = [], len: number[] = [];
  for (let i = 0; i < n; i++, lp += wide) {
    const l = wide === 2 ? b.readUInt16LE(lp) : b.readUInt32LE(lp);
    off.push(p); len.push(l); p += l;
  }
  return p > end ? undefined : { off, len };
}

/**
 * A batch of event blocks (as the probe drains them) with the empty string
 * parameters of enter events filled in from their exits; the same buffer
 * when there is nothing to fill.
 */
export function fillEnterStrings(batch: Buffer): Buffer {
  const pending = new Map<number, Pending>();
  const patches: Patch[] = [];
  const starts: number[] = [];
  let p = 0;
  while (p + BLOCK_HEADER + EVENT_HEADER_LEN <= batch.length) {
    const total = batch.readUInt32LE(p + 4);
    if (total < BLOCK_HEADER + EVENT_HEADER_LEN || p + total > batch.length) break;
    const block = starts.length;
    starts.push(p);
    const rec = p + BLOCK_HEADER;
    const type = batch.readUInt16LE(rec + 20);
    const pairs = PAIRS[type];
    if (pending.size !== 0 || pairs !== undefined) {
      const tid = batch.readUInt32LE(rec + 8) + batch.readUInt32LE(rec + 12) * 4294967296;
      const open = pending.get(tid);
      if (open !== undefined) {
        pending.delete(tid);
        if (type === open.type + 1) {
          const ps = params(batch, rec);
          const values = new Map<number, Buffer>();
          if (ps) {
            for (const [i, j] of open.empty) {
              if (j < ps.len.length && ps.len[j] > 1) values.set(i, batch.subarray(ps.off[j], ps.off[j] + ps.len[j]));
            }
          }
          if (values.size) patches.push({ block: open.block, values });
        }
      }
      if (pairs !== undefined) {
        const ps = params(batch, rec);
        const empty = ps ? pairs.filter(([i]) => i < ps.len.length && (ps.len[i] === 0 || (ps.len[i] === 1 && batch[ps.off[i]] === 0))) : [];
        if (empty.length) pending.set(tid, { block, type, empty });
      }
    }
    p += total;
  }
  if (patches.length === 0) return batch;
  const byBlock = new Map<number, Map<number, Buffer>>(patches.map((x) => [x.block, x.values]));
  const parts: Buffer[] = [];
  let from = 0;
  for (const [block, values] of [...byBlock.entries()].sort((a, b) => a[0] - b[0])) {
    const start = starts[block];
    parts.push(batch.subarray(from, start));
    parts.push(rebuild(batch, start, values));
    from = start + batch.readUInt32LE(start + 4);
  }
  parts.push(batch.subarray(from));
  return Buffer.concat(parts);
}

/** The block at `start` with some parameters replaced. */
function rebuild(b: Buffer, start: number, values: Map<number, Buffer>): Buffer {
  const rec = start + BLOCK_HEADER;
  const ps = params(b, rec)!;
  const type = b.readUInt16LE(rec + 20);
  const wide = (EVENTS[type]?.flags ?? 0) & EF.LARGE_PAYLOAD ? 4 : 2;
  const n = ps.len.length;
  const vals = ps.off.map((o, i) => values.get(i) ?? b.subarray(o, o + ps.len[i]));
  const recLen = EVENT_HEADER_LEN + n * wide + vals.reduce((s, v) => s + v.length, 0);
  const total = (BLOCK_HEADER + recLen + 4 + 3) & ~3;
  const out = Buffer.alloc(total);
  b.copy(out, 0, start, start + BLOCK_HEADER + EVENT_HEADER_LEN);
  out.writeUInt32LE(total, 4);
  out.writeUInt32LE(recLen, BLOCK_HEADER + 16);
  let lp = BLOCK_HEADER + EVENT_HEADER_LEN, q = lp + n * wide;
  for (const v of vals) {
    if (wide === 2) out.writeUInt16LE(v.length, lp); else out.writeUInt32LE(v.length, lp);
    lp += wide;
    v.copy(out, q);
    q += v.length;
  }
  out.writeUInt32LE(total, total - 4);
  return out;
}
