// The probe reads a syscall's path arguments at its enter with a BPF helper
// that cannot fault user memory in: a path in a page the process has not
// touched yet (a fresh file mapping, a string constant of a binary just
// loaded) reads as an empty parameter. sysdig's kernel module copies it with
// faults allowed. The exit event, read after the kernel itself has paged the
// string in, has it: in a drained batch, an enter event with an empty string
// parameter takes the value its exit carries under the same name, when the
// thread's next event in the batch is that exit (context switches, signal
// deliveries, page faults and the like in between aside).

import { EVENTS } from '../schema/events';
import { EC, EF, PT } from '../schema/types';
import { recordLength, ScapEvent, writeRecord } from '../event/event';
import { forEachBlock } from './scap-writer';
import { u16, u32 } from '../util/bytes';

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

/**
 * Events that are no system call's (tracepoint and meta events: switch,
 * signaldeliver, page_fault, procinfo, ...): they may come in the middle of one.
 */
const BETWEEN = new Uint8Array(EVENTS.length);
EVENTS.forEach((e, t) => { if (e && !(e.category & EC.SYSCALL) && e.category & (EC.TRACEPOINT | EC.METAEVENT)) BETWEEN[t] = 1; });

const BLOCK_HEADER = 10;

interface Pending { block: number; type: number; empty: [number, number][] }

const ev = new ScapEvent();
const exitEv = new ScapEvent();

/** Whether parameter i of ev is an empty string (no bytes, or just the NUL). */
function emptyString(e: ScapEvent, i: number): boolean {
  const n = e.paramLen(i);
  return n === 0 || (n === 1 && e.buf[e.paramOff(i)] === 0);
}

/**
 * A batch of event blocks (as the probe drains them) with the empty string
 * parameters of enter events filled in from their exits (the same buffer
 * when there is nothing to fill), and the byte offset in it of the first
 * enter still waiting for its exit (-1 when none): a syscall that faults
 * its path in may end after the batch was drained, so the reader can hold
 * the batch from there until the next one (see lib/live/capture.ts); with
 * how many events the batch holds, and how many come before waitFrom.
 */
export function fillEnterStrings(batch: Buffer): { buf: Buffer; waitFrom: number; events: number; eventsBeforeWait: number } {
  const pending = new Map<number, Pending>();
  const patches = new Map<number, Map<number, Buffer>>();
  const starts: number[] = [];
  forEachBlock(batch, (b, off) => {
    const block = starts.length;
    starts.push(off - BLOCK_HEADER);
    const type = u16(b, off + 20);
    // a context switch or a signal delivery can come between a syscall's enter and exit
    if (BETWEEN[type] === 1) return;
    const pairs = PAIRS[type];
    if (pending.size === 0 && pairs === undefined) return;
    const tid = u32(b, off + 8) + u32(b, off + 12) * 4294967296;
    const open = pending.get(tid);
    if (open !== undefined) {
      pending.delete(tid);
      if (type === open.type + 1) {
        exitEv.set(b, off, 0, 0, 0);
        const values = new Map<number, Buffer>();
        for (const [i, j] of open.empty) {
          if (j < exitEv.nparams && exitEv.paramLen(j) > 1) values.set(i, exitEv.bytes(j));
        }
        if (values.size) patches.set(open.block, values);
      }
    }
    if (pairs !== undefined) {
      ev.set(b, off, 0, 0, 0);
      const empty = pairs.filter(([i]) => i < ev.nparams && emptyString(ev, i));
      if (empty.length) pending.set(tid, { block, type, empty });
    }
  });
  let firstWaiting = -1;
  for (const w of pending.values()) if (firstWaiting < 0 || w.block < firstWaiting) firstWaiting = w.block;
  const events = starts.length, eventsBeforeWait = firstWaiting < 0 ? events : firstWaiting;
  if (patches.size === 0) return { buf: batch, waitFrom: firstWaiting < 0 ? -1 : starts[firstWaiting], events, eventsBeforeWait };
  const parts: Buffer[] = [];
  let from = 0, grown = 0;
  for (const [block, values] of [...patches.entries()].sort((x, y) => x[0] - y[0])) {
    const start = starts[block], total = u32(batch, start + 4);
    const built = rebuild(batch, start, values);
    if (block < firstWaiting) grown += built.length - total; // blocks after it move by that much
    parts.push(batch.subarray(from, start), built);
    from = start + total;
  }
  parts.push(batch.subarray(from));
  return { buf: Buffer.concat(parts), waitFrom: firstWaiting < 0 ? -1 : starts[firstWaiting] + grown, events, eventsBeforeWait };
}

/** The block at `start` with some parameters replaced. */
function rebuild(b: Buffer, start: number, values: Map<number, Buffer>): Buffer {
  ev.set(b, start + BLOCK_HEADER, 0, 0, 0);
  const wide = ev.info.flags & EF.LARGE_PAYLOAD ? 4 : 2;
  const vals: Buffer[] = [];
  for (let i = 0; i < ev.nparams; i++) vals.push(values.get(i) ?? ev.bytes(i));
  const total = (BLOCK_HEADER + recordLength(vals, wide) + 4 + 3) & ~3;
  const out = Buffer.alloc(total);
  b.copy(out, 0, start, start + BLOCK_HEADER);
  out.writeUInt32LE(total, 4);
  writeRecord(out, BLOCK_HEADER, b, start + BLOCK_HEADER, ev.type, vals, wide);
  out.writeUInt32LE(total, total - 4);
  return out;
}
