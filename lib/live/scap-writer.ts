// Writers for live capture.
//
// The probe's reader hands over batches of ready scap event blocks
// (EV_BLOCK_TYPE_V2: u16 cpu + event record), merged across CPUs by time.
// LiveScapWriter appends them to a .scap file as they are, after the state
// blocks (encoded by lib/writers/scap-blocks); any other output (.scry, gzip,
// a filter) goes through a lib/writers CaptureWriter one event at a time.
//
// Drop counters: a .scap written here reserves scry's private drop block
// (0x5c500001, one u64 per CPU) right after the state blocks, before the
// first event, and rewrites it in place while capturing and at the end.
// Readers skip unknown blocks that come before the events (sysdig 0.29.3
// included), so the file stays readable by sysdig, and a capture killed with
// SIGKILL keeps the counts of its last update.

import * as fs from 'fs';
import { closeOutputFile, openOutputFile, writeAllAt } from '../util/fdwrite';
import { ScapEvent } from '../event/event';
import { StateRecord } from '../sources/scry/records';
import * as E from '../writers/scap-blocks';
import { openWriter, filteredWriter, CaptureWriter } from '../writers';
import { u16, u32 } from '../util/bytes';

export interface LiveWriter {
  readonly path: string;
  /** The state a reader needs before the first event (machine, interfaces, users, threads, fds). */
  writeHeader(state: Iterable<StateRecord>): void;
  /** A batch of scap event blocks (as drained from the probe) holding `count` events. */
  writeEvents(batch: Buffer, count: number): void;
  /** One event record made in userspace (container events). */
  writeRecord(rec: Buffer, cpu: number): void;
  /** Per-CPU kernel drop counters so far. */
  updateDrops(perCpu: number[]): void;
  /** Makes what was written durable enough for a reader (SIGKILL-safe point). */
  flush(): void;
  readonly bytes: number;
  readonly events: number;
  close(): Promise<void>;
}

/** Walks the event blocks of a batch: calls fn(buf, recordOffset, cpu) for each. */
export function forEachBlock(batch: Buffer, fn: (buf: Buffer, off: number, cpu: number) => void | false): number {
  let p = 0, n = 0;
  while (p + 14 <= batch.length) {
    const total = u32(batch, p + 4);
    if (total < 14 || p + total > batch.length) break;
    n++;
    if (fn(batch, p + 10, u16(batch, p + 8)) === false) return n;
    p += total;
  }
  return n;
}

/** Byte length of the first `count` blocks of a batch. */
export function prefixOfBlocks(batch: Buffer, count: number): number {
  let p = 0;
  for (let i = 0; i < count && p + 8 <= batch.length; i++) p += u32(batch, p + 4);
  return p;
}

/** How many leading blocks of a batch it takes to go past `bytes` (all of them when they do not). */
export function blocksPast(batch: Buffer, bytes: number): number {
  let p = 0, n = 0;
  while (p + 8 <= batch.length && p <= bytes) { p += u32(batch, p + 4); n++; }
  return n;
}

const EV_V2 = 0x216, EV_V2_LARGE = 0x221;
/** Event types whose parameter lengths are u32 (EF_LARGE_PAYLOAD) that scry writes from userspace. */
const LARGE_TYPES = new Set([324]);

/** An event record made in userspace as a block of a drained batch (and of a .scap file). */
export function eventBlock(rec: Buffer, cpu: number): Buffer {
  const large = LARGE_TYPES.has(rec.readUInt16LE(20));
  const total = (10 + rec.length + 4 + 3) & ~3;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(large ? EV_V2_LARGE : EV_V2, 0);
  b.writeUInt32LE(total, 4);
  b.writeUInt16LE(cpu, 8);
  rec.copy(b, 10);
  b.writeUInt32LE(total, total - 4);
  return b;
}

/** The timestamp of a batch's last event (undefined for an empty batch). */
export function lastEventTs(batch: Buffer): bigint | undefined {
  let last = -1;
  forEachBlock(batch, (_b, off) => { last = off; });
  return last < 0 ? undefined : batch.readBigUInt64LE(last);
}

export class LiveScapWriter implements LiveWriter {
  private fd: number;
  private pos = 0;
  private dropsAt = -1;
  private ncpu: number;
  private n = 0;

  constructor(readonly path: string, ncpus: number) {
    this.fd = openOutputFile(path);
    this.ncpu = ncpus;
  }

  get bytes(): number { return this.pos; }
  get events(): number { return this.n; }

  private put(b: Buffer): void {
    writeAllAt(this.fd, this.path, b, this.pos);
    this.pos += b.length;
  }

  writeHeader(state: Iterable<StateRecord>): void {
    this.put(E.sectionHeader());
    const lists = new E.ProcFdLists((b) => this.put(b));
    for (const r of state) {
      switch (r.kind) {
        case 'thread': lists.thread(r.thread); break;
        case 'fd': lists.fd(r.tid, r.fd); break;
        default:
          lists.end();
          if (r.kind === 'machine') this.put(E.machineInfo(r.mi));
          else if (r.kind === 'interfaces') this.put(E.interfaces(r.list));
          else if (r.kind === 'users') this.put(E.users(r.users, r.groups));
          else if (r.kind === 'block') this.put(E.block(r.type, r.body));
      }
    }
    lists.end();
    this.dropsAt = this.pos;
    this.put(E.drops(new Array(this.ncpu).fill(0)));
  }

  writeEvents(batch: Buffer, count: number): void {
    this.put(batch);
    this.n += count;
  }

  writeRecord(rec: Buffer, cpu: number): void {
    this.put(eventBlock(rec, cpu));
    this.n++;
  }

  updateDrops(perCpu: number[]): void {
    if (this.dropsAt < 0) return;
    const b = Buffer.alloc(this.ncpu * 8);
    for (let i = 0; i < this.ncpu; i++) b.writeBigUInt64LE(BigInt(Math.max(0, Math.trunc(perCpu[i] ?? 0))), i * 8);
    try {
      fs.writeSync(this.fd, b, 0, b.length, this.dropsAt + 8);
    } catch (e) {
      // a pipe (-w -) keeps the counts the header was written with
      if ((e as NodeJS.ErrnoException).code !== 'ESPIPE') throw e;
    }
  }

  flush(): void { /* every batch is written as it comes */ }

  async close(): Promise<void> {
    closeOutputFile(this.fd);
  }
}

/**
 * Live output through a lib/writers CaptureWriter (.scry, gzip'd .scap, or a
 * filter): events are decoded and written one by one.
 */
export class EventLiveWriter implements LiveWriter {
  private w: CaptureWriter;
  private ev = new ScapEvent();
  private n = 0;
  private num = 0;
  private drops: number[] | null = null;

  constructor(readonly path: string, opts: { gzip?: boolean; format?: 'scap' | 'scry'; filter?: (ev: ScapEvent) => boolean; fatfile?: boolean }) {
    const base = openWriter(path, { gzip: opts.gzip, format: opts.format, writeDrops: false });
    this.w = opts.filter ? filteredWriter(base, opts.filter, { fatfile: opts.fatfile }) : base;
  }

  get bytes(): number { try { return fs.statSync(this.path).size; } catch { return 0; } }
  get events(): number { return this.n; }

  writeHeader(state: Iterable<StateRecord>): void {
    for (const r of state) this.w.writeState(r);
  }

  writeEvents(batch: Buffer, count: number): void {
    forEachBlock(batch, (buf, off, cpu) => {
      this.ev.set(buf, off, cpu, 0, ++this.num);
      this.w.writeEvent(this.ev);
    });
    this.n += count;
  }

  writeRecord(rec: Buffer, cpu: number): void {
    this.ev.set(rec, 0, cpu, 0, ++this.num);
    this.w.writeEvent(this.ev);
    this.n++;
  }

  updateDrops(perCpu: number[]): void { this.drops = perCpu.slice(); }

  flush(): void { this.w.flush(); }

  async close(): Promise<void> {
    if (this.drops) this.w.writeState({ kind: 'drops', perCpu: this.drops });
    await this.w.close();
  }
}

/** No file: events only reach the capture's onEvent callback. */
export class NullLiveWriter implements LiveWriter {
  readonly path = '';
  private n = 0;
  get bytes(): number { return 0; }
  get events(): number { return this.n; }
  writeHeader(state: Iterable<StateRecord>): void { for (const _ of state) { /* consumed */ } }
  writeEvents(_batch: Buffer, count: number): void { this.n += count; }
  writeRecord(): void { this.n++; }
  updateDrops(): void { /* nowhere to record them */ }
  flush(): void { /* nothing */ }
  async close(): Promise<void> { /* nothing */ }
}
