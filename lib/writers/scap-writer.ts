// Writer of sysdig .scap captures (plain, or gzip with -z), readable by
// sysdig 0.29.3 and current libs: section header, machine info, process list
// (v9), fd lists (v2), interface and user lists (v2), then event blocks (v2;
// EVF_V2 when the event has block flags, *_LARGE for large-payload events).

import * as fs from 'fs';
import { writeAllAt } from '../util/fdwrite';
import * as zlib from 'zlib';
import { ScapEvent } from '../event/event';
import { CaptureSink, FdRecord, ThreadRecord } from '../event/records';
import * as B from '../sources/scap/blocks';
import { Bytes } from '../sources/scry/codec';
import { StateRecord } from '../sources/scry/records';
import * as E from './scap-blocks';
import { CaptureWriter, sinkFor, WriterOptions, WriteStats } from './types';

const EF_LARGE_PAYLOAD = 1 << 11;
const FLUSH_AT = 1 << 20;

export class ScapWriter implements CaptureWriter {
  readonly sink: CaptureSink;
  private fd: number;
  private out = new Bytes(FLUSH_AT + 65536);
  private started = false;
  private closed = false;
  private gzip: boolean;
  private keepDrops: boolean;
  private pos = 0;
  private events = 0;
  private blocks = 0;
  private threads: ThreadRecord[] = [];
  private fdTid = 0;
  private fds: FdRecord[] = [];
  private drops: number[] | null = null;

  constructor(readonly path: string, opts: WriterOptions = {}) {
    this.gzip = opts.gzip === true;
    this.keepDrops = opts.writeDrops === true;
    this.fd = fs.openSync(path, 'w');
    this.sink = sinkFor((r) => this.writeState(r));
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.put(E.sectionHeader());
  }

  private put(b: Buffer): void {
    this.out.bytes(b, 0, b.length);
    this.blocks++;
    if (this.out.len >= FLUSH_AT) this.flushOut();
  }

  /** Ends pending process / fd list blocks. */
  private endLists(): void {
    if (this.threads.length) { this.put(E.procList(this.threads)); this.threads = []; }
    if (this.fds.length) { this.put(E.fdList(this.fdTid, this.fds)); this.fds = []; }
  }

  writeState(rec: StateRecord): void {
    if (this.closed) throw new Error('scap writer: write after close');
    this.start();
    if (rec.kind === 'thread') {
      if (this.fds.length) this.endLists();
      this.threads.push(rec.thread);
      return;
    }
    if (rec.kind === 'fd') {
      if (this.threads.length || (this.fds.length && this.fdTid !== rec.tid)) this.endLists();
      this.fdTid = rec.tid;
      this.fds.push(rec.fd);
      return;
    }
    this.endLists();
    switch (rec.kind) {
      case 'machine': this.put(E.machineInfo(rec.mi)); break;
      case 'interfaces': this.put(E.interfaces(rec.list)); break;
      case 'users': this.put(E.users(rec.users, rec.groups)); break;
      // scry's drop block goes last, and only when asked for (sysdig fails on it)
      case 'drops': this.drops = rec.perCpu.slice(); break;
      case 'block': this.put(E.block(rec.type, rec.body)); break;
    }
  }

  writeEvent(ev: ScapEvent): void {
    if (this.closed) throw new Error('scap writer: write after close');
    if (!this.started) this.start();
    if (this.threads.length || this.fds.length) this.endLists();
    const large = (ev.info.flags & EF_LARGE_PAYLOAD) !== 0;
    const flagged = ev.blockFlags !== 0;
    const type = flagged ? (large ? B.EVF_V2_LARGE : B.EVF_V2) : (large ? B.EV_V2_LARGE : B.EV_V2);
    const hdr = flagged ? 14 : 10;
    const total = (hdr + ev.len + 4 + 3) & ~3;
    const o = this.out;
    o.ensure(total);
    const b = o.buf;
    let p = o.len;
    b.writeUInt32LE(type, p);
    b.writeUInt32LE(total, p + 4);
    b.writeUInt16LE(ev.cpu, p + 8);
    if (flagged) b.writeUInt32LE(ev.blockFlags >>> 0, p + 10);
    ev.buf.copy(b, p + hdr, ev.off, ev.off + ev.len);
    p += hdr + ev.len;
    while (p < o.len + total - 4) b[p++] = 0;
    b.writeUInt32LE(total, p);
    o.len += total;
    this.events++;
    this.blocks++;
    if (o.len >= FLUSH_AT) this.flushOut();
  }

  private flushOut(): void {
    if (!this.out.len) return;
    const data = this.out.view();
    // -z: each flush is a gzip member; gzip readers (zlib, sysdig) read members back to back
    const b = this.gzip ? zlib.gzipSync(data) : data;
    writeAllAt(this.fd, this.path, b, this.pos);
    this.pos += b.length;
    this.out.reset();
  }

  flush(): void {
    if (this.closed) return;
    this.flushOut();
  }

  async close(): Promise<WriteStats> {
    if (this.closed) throw new Error('scap writer: closed twice');
    this.start();
    this.endLists();
    if (this.drops && this.keepDrops) this.put(E.drops(this.drops));
    this.flushOut();
    this.closed = true;
    fs.closeSync(this.fd);
    return { events: this.events, bytes: this.pos, chunks: this.blocks };
  }
}
