// Writer of sysdig .scap captures (plain, or gzip with -z), readable by
// sysdig 0.29.3 and current libs: section header, machine info, process list
// (v9), fd lists (v2), interface and user lists (v2), then event blocks (v2;
// EVF_V2 when the event has block flags, *_LARGE for large-payload events).

import * as fs from 'fs';
import { closeOutputFile, openOutputFile, writeAllAt } from '../util/fdwrite';
import * as zlib from 'zlib';
import { ScapEvent } from '../event/event';
import { CaptureSink } from '../event/records';
import * as B from '../sources/scap/blocks';
import { Bytes } from '../sources/scry/codec';
import { StateRecord } from '../sources/scry/records';
import * as E from './scap-blocks';
import { CaptureWriter, sinkFor, WriterOptions, WriteStats } from './types';

const EF_LARGE_PAYLOAD = 1 << 11;
const FLUSH_AT = 1 << 20;

/**
 * How many bytes sysdig's writer has put in a plain .scap file after the
 * same writes: it writes through zlib in transparent mode, which gathers
 * writes shorter than its 8 KiB buffer and writes the buffer out only when a
 * write does not fit; a longer write goes out at once, after what is
 * gathered. (-C compares this count, so files are cut where sysdig cuts them.)
 */
export class GzPlainOffset {
  static readonly SIZE = 8192;
  private held = 0;
  /** Bytes in the file. */
  out = 0;

  /** Any number of writes, each shorter than the buffer, of `n` bytes in all. */
  small(n: number): void {
    const S = GzPlainOffset.SIZE;
    const t = this.held + n;
    if (t > S) {
      const flushed = S * Math.floor((t - 1) / S);
      this.out += flushed;
      this.held = t - flushed;
    } else {
      this.held = t;
    }
  }

  /** One write of `n` bytes. */
  write(n: number): void {
    if (n < GzPlainOffset.SIZE) { this.small(n); return; }
    this.out += this.held + n;
    this.held = 0;
  }
}

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
  private readonly lists = new E.ProcFdLists((b) => this.put(b));
  private drops: number[] | null = null;
  private readonly flushAt: number;
  private readonly sysdigOffset = new GzPlainOffset();

  constructor(readonly path: string, opts: WriterOptions = {}) {
    this.gzip = opts.gzip === true;
    this.keepDrops = opts.writeDrops === true;
    this.flushAt = opts.flushBytes ?? FLUSH_AT;
    this.fd = openOutputFile(path);
    this.sink = sinkFor((r) => this.writeState(r));
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.put(E.sectionHeader());
  }

  get written(): number { return this.gzip ? this.pos : this.sysdigOffset.out; }

  /** Appends a block sysdig writes field by field (none of them 8 KiB long). */
  private put(b: Buffer): void {
    this.out.bytes(b, 0, b.length);
    this.blocks++;
    this.sysdigOffset.small(b.length);
    if (this.out.len >= this.flushAt) this.flushOut();
  }

  writeState(rec: StateRecord): void {
    if (this.closed) throw new Error('scap writer: write after close');
    this.start();
    if (rec.kind === 'thread') { this.lists.thread(rec.thread); return; }
    if (rec.kind === 'fd') { this.lists.fd(rec.tid, rec.fd); return; }
    this.lists.end();
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
    if (this.lists.pending) this.lists.end();
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
    // sysdig's writes: block header, cpu and flags; the record; padding and trailer
    const off = this.sysdigOffset;
    off.small(hdr);
    off.write(ev.len);
    off.small(total - hdr - ev.len);
    if (o.len >= this.flushAt) this.flushOut();
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
    this.lists.end();
    if (this.drops && this.keepDrops) this.put(E.drops(this.drops));
    this.flushOut();
    this.closed = true;
    closeOutputFile(this.fd);
    return { events: this.events, bytes: this.pos, chunks: this.blocks };
  }
}
