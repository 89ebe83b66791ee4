// Output file rotation (-C, -G, -W, -e): when a new file starts and what it
// is called, as sysdig's cycle writer (libsinsp 0.29.3) decides, for
// conversions (-r IN -w OUT) and, for the names, live captures.
//
// Rules (checked before each event that is written, in this order):
// - -G N: a new file when the event's second is N or more after the second
//   the current file started at (event time; a live capture's first file
//   starts at the wall clock);
// - -C N: a new file when the current one holds more than N * 1,000,000
//   bytes (as the file's writer counts them: see CaptureWriter.written);
// - -e N: a new file at every Nth event considered (the count carries
//   across files cut by -C or -G, and the first file holds N-1 events).
// Names: -e: base + index; else -G: base + index, or strftime(base) in
// local time when base holds a '%'; else base; then -C appends the index
// again, zero-padded to as many digits as -W has. -W N: indexes wrap after
// N files, so names are reused; a strftime name N files old is deleted.
//
// One deliberate difference: sysdig names the first file of a replay with a
// strftime base "first_dump.scap" (its own source calls this a bug); scry
// names it after its first event's second, like the files after it.

import * as fs from 'fs';
import { ScapEvent } from '../event/event';
import { CaptureSink } from '../event/records';
import { E } from '../schema/ids';
import { containerFromJson } from '../state/containers';
import { strftime } from '../util/strftime';
import { CaptureWriter, sinkFor, StateRecord, WriteStats } from './types';

export interface CycleOptions {
  /** -C: a new file once the current one holds more than this many MB (1,000,000 bytes). */
  fileSizeMb?: number;
  /** -G: a new file every this many seconds. */
  seconds?: number;
  /** -W: at most this many files: names are reused round-robin. */
  fileLimit?: number;
  /** -e: a new file every this many events. */
  events?: number;
}

/** Whether the options ask for cycling at all (-W alone does: one file, named base). */
export function isCycling(o: CycleOptions | undefined): o is CycleOptions {
  return !!o && !!(o.fileSizeMb || o.seconds || o.fileLimit || o.events);
}

/** When files end and what each is called. */
export class CyclePlan {
  private lastTime = 0;
  private index = 0;
  private eventCount = 0;
  private readonly pastNames: string[] | null;
  private readonly indexDigits: number;
  /** Name of the current file. */
  name = '';
  /** A file the last new name replaces under -W with a strftime name (to be deleted), else ''. */
  obsolete = '';

  constructor(readonly base: string, readonly opts: CycleOptions) {
    this.pastNames = opts.seconds && opts.fileLimit ? new Array<string>(opts.fileLimit).fill('') : null;
    this.indexDigits = opts.fileLimit ? String(opts.fileLimit).length : 0;
  }

  /** The first file's name comes from the time of its first event (-G with a strftime name). */
  get namedByTime(): boolean { return !!this.opts.seconds && this.base.includes('%'); }

  /**
   * Names the first file. startSec: the second the first file starts at
   * (live: now; replay with a strftime name: its first event's; otherwise
   * left out, and the first event sets it).
   */
  start(startSec?: number): string {
    if (startSec !== undefined) this.lastTime = startSec;
    this.next();
    return this.name;
  }

  /**
   * Called before each event that is written, with the event's second and
   * the bytes of the current file: true when the event goes to a new file
   * (then called `name`).
   */
  consider(sec: number, written: number): boolean {
    const o = this.opts;
    this.eventCount++;
    if (o.seconds) {
      if (this.lastTime === 0) this.lastTime = sec;
      if (sec - this.lastTime >= o.seconds) {
        this.lastTime = sec;
        this.next();
        return true;
      }
    }
    if (o.fileSizeMb && written > o.fileSizeMb * 1000000) {
      this.next();
      return true;
    }
    if (o.events && this.eventCount >= o.events) {
      this.eventCount = 0;
      this.next();
      return true;
    }
    return false;
  }

  /**
   * Moves to the next file's name. A live capture, which decides when itself,
   * gives the second the file starts at (a strftime name is made of it).
   */
  next(startSec?: number): string {
    const o = this.opts;
    if (startSec !== undefined) this.lastTime = startSec;
    if (o.fileLimit && this.index >= o.fileLimit) this.index = 0;
    let name = this.base;
    this.obsolete = '';
    if (o.seconds) {
      if (this.base.includes('%')) {
        name = strftime(this.base, this.lastTime);
        if (this.pastNames) {
          this.obsolete = this.pastNames[this.index];
          this.pastNames[this.index] = name;
        }
      } else {
        name = this.base + this.index;
      }
    }
    if (o.fileSizeMb) name += String(this.index).padStart(this.indexDigits, '0');
    if (o.events) name = this.base + this.index;
    this.index++;
    this.name = name;
    return name;
  }
}

/** The container id of a container event, or undefined for other events. */
function containerIdOf(ev: ScapEvent): string | undefined {
  if (ev.type === E.CONTAINER_E) return ev.nparams > 0 ? ev.str(0) : undefined;
  if (ev.type !== E.CONTAINER_JSON_E && ev.type !== E.CONTAINER_JSON_2_E) return undefined;
  if (ev.nparams === 0) return undefined;
  const r = containerFromJson(ev.bytes(0).toString('latin1'));
  return 'info' in r ? r.info.id : undefined;
}

/**
 * A writer that spreads a capture over files as `plan` says. Every file
 * starts like the first: the state records written before the first event
 * (the input's process list, fd lists, users, interfaces, as sysdig starts
 * each file with the file's own), then one event per container seen so far
 * (its latest container event), so each file can be read alone.
 */
export class CycleWriter implements CaptureWriter {
  readonly sink: CaptureSink;
  /** Files written, in the order they were started. */
  readonly files: string[] = [];
  private w: CaptureWriter | undefined;
  private readonly header: StateRecord[] = [];
  private readonly containers = new Map<string, { rec: Buffer; cpu: number; flags: number }>();
  private readonly replay = new ScapEvent();
  private sawEvent = false;
  private readonly closing: Promise<void>[] = [];
  private readonly totals: WriteStats = { events: 0, bytes: 0, chunks: 0 };

  constructor(private readonly plan: CyclePlan, private readonly open: (path: string) => CaptureWriter) {
    this.sink = sinkFor((r) => this.writeState(r));
    if (!plan.namedByTime) this.begin(plan.start());
  }

  get path(): string { return this.w?.path ?? this.plan.base; }
  get written(): number { return this.w?.written ?? 0; }

  writeState(rec: StateRecord): void {
    if (!this.sawEvent) this.header.push(rec);
    this.w?.writeState(rec);
  }

  writeEvent(ev: ScapEvent): void {
    const id = containerIdOf(ev);
    if (!this.sawEvent && id !== undefined) {
      // container events that open a capture are part of its start (sysdig
      // reads them with the file's state): they count for no file limit
      if (this.w) this.w.writeEvent(ev);
      this.remember(id, ev);
      return;
    }
    const sec = ev.sec;
    if (!this.sawEvent) {
      this.sawEvent = true;
      if (!this.w) this.begin(this.plan.start(sec));
    }
    if (this.plan.consider(sec, this.w!.written)) this.rotate();
    this.w!.writeEvent(ev);
    if (id !== undefined) this.remember(id, ev);
  }

  private remember(id: string, ev: ScapEvent): void {
    this.containers.set(id, { rec: Buffer.from(ev.buf.subarray(ev.off, ev.off + ev.len)), cpu: ev.cpu, flags: ev.blockFlags });
  }

  flush(): void { this.w?.flush(); }

  async close(): Promise<WriteStats> {
    // a capture without events: its one file is named from the time it ends
    if (!this.w) this.begin(this.plan.start(Math.floor(Date.now() / 1000)));
    this.closing.push(this.finish(this.w!));
    await Promise.all(this.closing);
    return { ...this.totals };
  }

  private begin(name: string): void {
    if (this.plan.obsolete && this.plan.obsolete !== name) fs.rmSync(this.plan.obsolete, { force: true });
    const w = this.open(name);
    this.w = w;
    this.files.push(name);
    for (const r of this.header) w.writeState(r);
    let num = 0;
    for (const c of this.containers.values()) {
      this.replay.set(c.rec, 0, c.cpu, c.flags, ++num);
      w.writeEvent(this.replay);
    }
  }

  private rotate(): void {
    // the writers' close does its work before it returns (the promise only reports)
    this.closing.push(this.finish(this.w!));
    this.begin(this.plan.name);
  }

  private async finish(w: CaptureWriter): Promise<void> {
    const st = await w.close();
    this.totals.events += st.events;
    this.totals.bytes += st.bytes;
    this.totals.chunks += st.chunks;
  }
}
