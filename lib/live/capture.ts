// Live capture: loads the probe, writes the machine's state and then every
// event the kernel reports into a capture file, until a limit is reached, the
// traced command exits, stop() is called or SIGINT/SIGTERM arrives.
//
//   const cap = await startCapture({ output: 'out.scap', snaplen: 80 });
//   ...
//   const res = await cap.stop();   // or: await cap.done
//
// With `command`, only that command and its descendants are recorded (the
// strace habit): it is started held at a gate, registered with the probe,
// released, and the capture ends when it exits.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ScapEvent } from '../event/event';
import { StateRecord } from '../sources/scry/records';
import { ThreadRecord } from '../event/records';
import { CommSuppressor } from '../sources/suppress';
import { initialState, ScanOptions } from './proc';
import { apiSockets, containerEvent, containerJson, ContainerMeta, ContainerWatcher, containersOf, inspect } from './containers';
import {
  bootOffsetNs, checkCapabilities, monoOffsetNs, CpuCounters, explainLoadError, loadNative, loadProbe, LoadedProbe,
} from './probe';
import { fillEnterStrings } from './enter-strings';
import { CycleOptions, CyclePlan } from '../writers/cycle';
import { formatOfName } from '../writers';
import { blocksPast, eventBlock, EventLiveWriter, forEachBlock, lastEventTs, LiveScapWriter, LiveWriter, NullLiveWriter, prefixOfBlocks } from './scap-writer';
import { ProcInfoSampler } from './procinfo';
import { u32 } from '../util/bytes';

/** -C, -W, -G, -e: files are named as sysdig names them (lib/writers/cycle.ts). */
export type RotateOptions = CycleOptions;

export interface CaptureOptions {
  /**
   * File to write (.scap, or .scry); with rotation, the base of the numbered
   * names. Without it nothing is written: events only go to onEvent.
   */
  output?: string;
  /** Bytes of I/O buffers kept (sysdig -s; default 80). */
  snaplen?: number;
  /** Capture only this command and its descendants, ending when it exits. */
  command?: string[];
  /** Stop after this many events (-n). */
  maxEvents?: number;
  /** Stop after this many seconds (-M). */
  maxSeconds?: number;
  rotate?: RotateOptions;
  /** Only matching events are written (with the state events they need). */
  filter?: (ev: ScapEvent) => boolean;
  /** With a filter, also keep non-matching state-changing events (sysdig -F semantics; default true). */
  fatfile?: boolean;
  /** Called with every captured event (the same object is reused: copy what you keep). */
  onEvent?: (ev: ScapEvent) => void;
  /** Called with the state records written at the start (machine, threads, fds, ...), before any event. */
  onState?: (rec: StateRecord) => void;
  /** .scap: gzip it (-z). */
  gzip?: boolean;
  format?: 'scap' | 'scry';
  /**
   * Events as sysdig 0.29.3 reads them (see ProbeConfig.sysdigCompat);
   * default: on for .scap output, off for .scry.
   */
  sysdigCompat?: boolean;
  /**
   * Write syscall enter events. Default: not for .scry (exit events only,
   * each with every argument, as current libs drivers write them; about half
   * the cost), yes for .scap and for printing (sysdig 0.29.3 needs them).
   */
  enterEvents?: boolean;
  /** Per-CPU ring bytes (1 MiB segments, a power of two; default 8 MiB). */
  ringBytes?: number;
  /** Stop on SIGINT/SIGTERM (default true). */
  handleSignals?: boolean;
  /** Progress/diagnostic lines (stderr by default when verbose). */
  log?: (line: string) => void;
  /** -U: drop the events of processes with these comms (lib/sources/suppress.ts). */
  suppressComms?: readonly string[];
  /** -E: write no user and group tables. */
  excludeUsers?: boolean;
  /** --page-faults: record page faults (page_fault events) too. */
  pageFaults?: boolean;
}

export interface CaptureResult {
  /** Events written. */
  events: number;
  /** Bytes written across files. */
  bytes: number;
  files: string[];
  /** Kernel counters per CPU: events produced and dropped. */
  cpus: CpuCounters[];
  drops: number;
  durationMs: number;
  /** Why the capture ended. */
  reason: 'stopped' | 'signal' | 'events' | 'seconds' | 'command' | 'error';
  /** Exit code of the traced command. */
  commandExit?: number | null;
  commandSignal?: string | null;
  error?: string;
}

export interface Capture {
  /** Resolves when the capture has ended and the file is closed. */
  readonly done: Promise<CaptureResult>;
  /** Pid of the traced command (with `command`). */
  readonly commandPid?: number;
  /** Ends the capture: drains what the kernel still holds, closes the file. */
  stop(): Promise<CaptureResult>;
}

export class CaptureError extends Error {}

const DRAIN_BYTES = 4 << 20;
/** How long the tail of a batch may wait for the exit of an enter whose path is missing. */
const HOLD_MS = 50;
/**
 * When no event starts a second, the realtime clock does (CPU samples of a
 * command that makes no syscalls), this long after the second begins.
 */
const IDLE_SAMPLE_DELAY_NS = 50000000n;

/** Resolves a command like execvp does, so the exec of the traced command is not preceded by failed tries. */
function resolveCommand(cmd: string): string {
  if (cmd.includes('/')) return path.resolve(cmd);
  for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':')) {
    const p = path.join(dir || '.', cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch { /* next */ }
  }
  throw new CaptureError(`command not found: ${cmd}`);
}

export async function startCapture(opts: CaptureOptions): Promise<Capture> {
  const missing = checkCapabilities();
  if (missing) throw new CaptureError(missing);
  const snaplen = Math.max(0, Math.min(opts.snaplen ?? 80, 32768));
  const filterMode = !!(opts.command && opts.command.length);
  const bootNs = bootOffsetNs();
  const format = opts.format ?? formatOfName(opts.output ?? '');
  const enterEvents = opts.enterEvents ?? format === 'scap';
  const sysdigCompat = opts.sysdigCompat ?? format === 'scap';
  let probe: LoadedProbe;
  try {
    probe = loadProbe({
      snaplen, ownTgid: process.pid, filter: filterMode, ringBytes: opts.ringBytes ?? (8 << 20),
      monoOffsetNs: monoOffsetNs(), sysdigCompat,
      enterEvents,
    });
  } catch (e) {
    throw new CaptureError(explainLoadError(e));
  }
  const native = probe.native;
  const log = opts.log ?? (() => undefined);
  for (const w of probe.warnings) log('scry: probe: ' + w.split('\n')[0]);

  // -- command: forked and held before its exec until the probe knows its pid
  let child: { pid: number; gate: number } | undefined;
  let scanOpts: ScanOptions = { exclude: [process.pid] };
  // container events are stamped with the start: no captured event precedes them
  const startNs = loadNative().Probe.clocks().realtime;
  try {
    // exit events only: nothing to do at syscall entry; page faults only when asked for
    const skip = enterEvents ? [] : ['sys_enter'];
    if (!opts.pageFaults) skip.push('page_fault_user', 'page_fault_kernel');
    native.attach(skip);
  } catch (e) {
    native.close();
    throw new CaptureError(explainLoadError(e));
  }
  if (filterMode) {
    const cmd = opts.command!;
    try {
      const exe = resolveCommand(cmd[0]);
      child = loadNative().spawnGated(exe, cmd);
      native.track(child.pid, 1);
    } catch (e) {
      native.close();
      throw e instanceof CaptureError ? e : new CaptureError(`cannot start ${cmd[0]}: ${(e as Error).message}`);
    }
    scanOpts = { pids: [child.pid] };
  }

  const rotating = !!(opts.rotate && (opts.rotate.fileSizeMb || opts.rotate.seconds || opts.rotate.events));
  const usesEvents = !!(opts.filter || opts.onEvent);
  const fast = !opts.filter && !opts.gzip && format === 'scap';
  const files: string[] = [];
  const names = new CyclePlan(opts.output ?? '', opts.rotate ?? {});
  let writer: LiveWriter;
  let bytesBefore = 0;
  let stateSent = false;
  let total = 0;
  let fileEvents = 0;
  // containers seen so far, with what their runtime's API said (queried once for each)
  const containerMeta = new Map<string, ContainerMeta | undefined>();
  const initial = (): { recs: StateRecord[]; containers: Buffer[] } => {
    const recs = [...initialState(bootNs, scanOpts)].filter((r) => !(opts.excludeUsers && r.kind === 'users'))
      .map((r) => (sysdigCompat && r.kind === 'thread' ? { kind: 'thread' as const, thread: procEntry0293(r.thread) } : r));
    const threads = recs.flatMap((r) => (r.kind === 'thread' ? [r.thread] : []));
    const containers: Buffer[] = [];
    for (const [id, c] of containersOf(threads)) {
      if (!containerMeta.has(id)) containerMeta.set(id, undefined);
      containers.push(containerEvent(containerJson(id, c.runtime, containerMeta.get(id)), startNs));
    }
    return { recs, containers };
  };
  // container events count as events of the file (for -n and -e)
  const deliverRecords = (w: LiveWriter, records: Buffer[]) => {
    for (const rec of records) {
      w.writeRecord(rec, 0);
      total++;
      fileEvents++;
      if (opts.onEvent) { ev.set(rec, 0, 0, 0, ++num); opts.onEvent(ev); }
    }
  };
  const openNext = (first?: { recs: StateRecord[]; containers: Buffer[] }): LiveWriter => {
    const st = first ?? initial();
    const recs: Iterable<StateRecord> = stateSent || !opts.onState ? st.recs : st.recs.map((r) => { opts.onState!(r); return r; });
    stateSent = true;
    const deliverContainers = (w: LiveWriter) => deliverRecords(w, st.containers);
    if (opts.output === undefined) {
      const w = new NullLiveWriter();
      w.writeHeader(recs);
      deliverContainers(w);
      return w;
    }
    // a live capture's first file starts at the wall clock (its name too, with -G and a strftime name)
    const now = Math.floor(Date.now() / 1000);
    const name = names.name === '' ? names.start(now) : names.next(now);
    // -W: names are reused round-robin (a strftime name's old file is deleted); the replaced file leaves the list
    for (const gone of [name, names.obsolete]) {
      const idx = gone ? files.indexOf(gone) : -1;
      if (idx >= 0) files.splice(idx, 1);
    }
    if (names.obsolete && names.obsolete !== name) fs.rmSync(names.obsolete, { force: true });
    files.push(name);
    const w = fast ? new LiveScapWriter(name, probe.cpus)
      : new EventLiveWriter(name, { gzip: opts.gzip, format, filter: opts.filter, fatfile: opts.fatfile });
    w.writeHeader(recs);
    deliverContainers(w);
    return w;
  };
  const ev = new ScapEvent();
  let num = 0;
  // the first file: container metadata from the runtimes' APIs, when they answer
  const first = initial();
  const sockets = apiSockets();
  if (containerMeta.size) {
    if (sockets.length) {
      await Promise.all([...containerMeta.keys()].map(async (id) => { containerMeta.set(id, await inspect(id, sockets)); }));
      const threads = first.recs.flatMap((r) => (r.kind === 'thread' ? [r.thread] : []));
      first.containers = [...containersOf(threads)].map(([id, c]) => containerEvent(containerJson(id, c.runtime, containerMeta.get(id)), startNs));
    }
  }
  try {
    writer = openNext(first);
  } catch (e) {
    native.close();
    if (child) { process.kill(child.pid, 'SIGKILL'); loadNative().release(child.gate); }
    throw e;
  }
  if (child) loadNative().release(child.gate);

  const t0 = Date.now();
  let fileStart = t0;
  let stopping = false;
  let reason: CaptureResult['reason'] = 'stopped';
  let lastDrops = 0;

  const counters = (): CpuCounters[] => {
    try { return native.stats(); } catch { return []; }
  };
  const dropsOf = (c: CpuCounters[]) => c.map((x) => x.dropsFull + x.dropsBig + x.dropsNoScratch);

  const requestStop = (why: CaptureResult['reason']) => {
    if (!stopping) { stopping = true; reason = why; }
  };

  const onSignal = () => requestStop('signal');
  const handleSignals = opts.handleSignals !== false;
  if (handleSignals) { process.on('SIGINT', onSignal); process.on('SIGTERM', onSignal); }

  let commandResult: { code: number | null; signal: string | null } | undefined;
  const pollChild = () => {
    if (!child || commandResult) return;
    const r = loadNative().reap(child.pid);
    if (r) {
      const name = r.signal ? Object.entries(os.constants.signals).find(([, v]) => v === r.signal)?.[0] ?? String(r.signal) : null;
      commandResult = { code: r.code, signal: name };
    }
  };

  // containers that appear during the capture
  const watcher = new ContainerWatcher(containerMeta, sockets, () => loadNative().Probe.clocks().realtime);

  const cpuSampler = new ProcInfoSampler({ ownTgid: process.pid, root: child?.pid });
  /** Records made here as a batch's blocks. */
  const blocksOf = (recs: Buffer[]): Buffer => Buffer.concat(recs.map((rec) => eventBlock(rec, 0)));
  // -U: events of processes with these comms go nowhere (not counted either)
  const suppressor = opts.suppressComms?.length ? new CommSuppressor(opts.suppressComms) : undefined;
  const sev = new ScapEvent();
  const unsuppressed = (r: { buf: Buffer; events: number }): { buf: Buffer; events: number } => {
    if (!suppressor) return r;
    const keep: Buffer[] = [];
    let n = 0;
    forEachBlock(r.buf, (b, off, cpu) => {
      sev.set(b, off, cpu, 0, 0);
      if (suppressor.suppressed(sev)) return;
      keep.push(b.subarray(off - 10, off - 10 + u32(b, off - 6)));
      n++;
    });
    return { buf: keep.length === n && n === r.events ? r.buf : Buffer.concat(keep), events: n };
  };

  // The tail of a batch from an enter whose exit has not come yet (its path
  // may come from the exit, lib/live/enter-strings.ts), held for the next
  // batch, and for HOLD_MS at most (a syscall can block for long).
  let held: Buffer | undefined;
  let heldSince = 0;
  const EMPTY_BATCH = { buf: Buffer.alloc(0), events: 0 };
  const consume = async (raw: { buf: Buffer; events: number }, mayHold = true): Promise<boolean> => {
    let batch = raw.buf;
    const wasHolding = held !== undefined;
    if (held) { batch = raw.buf.length ? Buffer.concat([held, raw.buf]) : held; held = undefined; }
    const filled = fillEnterStrings(batch);
    batch = filled.buf;
    let events = filled.events;
    if (mayHold && filled.waitFrom >= 0) {
      // (at 0 after a hold: the same enter still waiting)
      const same = wasHolding && filled.waitFrom === 0;
      if (!same) heldSince = Date.now();
      if (!same || Date.now() - heldSince < HOLD_MS) {
        held = batch.subarray(filled.waitFrom);
        batch = batch.subarray(0, filled.waitFrom);
        events = filled.eventsBeforeWait;
      }
    }
    const r = unsuppressed({ buf: batch, events });
    let buf = r.buf, count = r.events;
    // once a second: the tasks' CPU counters, before the first event of the second
    const lastTs = count > 0 ? lastEventTs(buf) : undefined;
    if (lastTs !== undefined && cpuSampler.due(lastTs)) {
      let at = 0, atTs = 0n;
      forEachBlock(buf, (b, off) => {
        atTs = b.readBigUInt64LE(off);
        if (cpuSampler.due(atTs)) return false;
        at = off - 10 + u32(b, off - 6);
      });
      const samples = cpuSampler.take(atTs);
      if (samples.length) {
        buf = Buffer.concat([buf.subarray(0, at), blocksOf(samples), buf.subarray(at)]);
        count += samples.length;
      }
    }
    let limitHit = false;
    if (opts.maxEvents !== undefined && total + count >= opts.maxEvents) {
      count = Math.max(0, opts.maxEvents - total);
      buf = buf.subarray(0, prefixOfBlocks(buf, count));
      limitHit = true;
    }
    watcher.scan(buf);
    deliverRecords(writer, watcher.take());
    // -e, and -C where the file's bytes are the batch's: split the batch wherever a file fills up
    const sizeLimit = rotating && fast && opts.rotate!.fileSizeMb ? opts.rotate!.fileSizeMb * 1000000 : 0;
    while (count > 0) {
      let room = rotating && opts.rotate!.events ? opts.rotate!.events - fileEvents : Infinity;
      if (sizeLimit) {
        // (sysdig's rule: a file takes events until its size is past the limit; one whose
        // state alone is past it still takes one event)
        const bytesLeft = sizeLimit - writer.bytes;
        room = bytesLeft >= 0 ? Math.min(room, blocksPast(buf, bytesLeft)) : fileEvents === 0 ? Math.min(room, 1) : 0;
      }
      if (room <= 0) { await rotate(); continue; }
      if (count <= room) { deliver(buf, count); break; }
      const cut = prefixOfBlocks(buf, room);
      deliver(buf.subarray(0, cut), room);
      buf = buf.subarray(cut);
      count -= room;
      await rotate();
    }
    return limitHit;
  };

  const deliver = (buf: Buffer, count: number) => {
    if (opts.onEvent) {
      forEachBlock(buf, (b, off, cpu) => { ev.set(b, off, cpu, 0, ++num); opts.onEvent!(ev); });
    }
    writer.writeEvents(buf, count);
    total += count;
    fileEvents += count;
  };

  const rotate = async () => {
    writer.updateDrops(dropsOf(counters()));
    bytesBefore += writer.bytes;
    await writer.close();
    fileEvents = 0;
    writer = openNext();
    fileStart = Date.now();
  };

  const loop = async (): Promise<CaptureResult> => {
    let error: string | undefined;
    let lastFlush = Date.now();
    let detached = false;
    try {
      for (;;) {
        if (opts.maxSeconds !== undefined && Date.now() - t0 >= opts.maxSeconds * 1000) requestStop('seconds');
        pollChild();
        if (commandResult && !stopping) {
          // the command is gone: take what is left in the rings, then end
          requestStop('command');
        }
        // Once asked to stop, no new events: the rings empty even when they
        // fill as fast as they are read (a busy machine, a slow output),
        // which would otherwise keep the loop below from ever ending.
        if (stopping && !detached) { native.detach(); detached = true; }
        let r = native.drain(DRAIN_BYTES);
        if (r) {
          if (await consume(r)) { requestStop('events'); break; }
          if (rotating) {
            const rot = opts.rotate!;
            if ((rot.fileSizeMb && writer.bytes > rot.fileSizeMb * 1000000) ||
                (rot.seconds && Date.now() - fileStart >= rot.seconds * 1000)) await rotate();
          }
          // let signals and timers in now and then
          if (Date.now() - lastFlush > 200) {
            lastFlush = Date.now();
            const d = dropsOf(counters());
            writer.updateDrops(d);
            await new Promise((res) => setImmediate(res));
          }
          continue;
        }
        if (stopping) {
          // final drain: events still being written by the kernel
          await new Promise((res) => setTimeout(res, 20));
          r = native.drain(DRAIN_BYTES);
          while (r) {
            if (await consume(r)) break;
            r = native.drain(DRAIN_BYTES);
          }
          break;
        }
        // nothing new: a held tail goes once it has waited long enough
        if (held && Date.now() - heldSince >= HOLD_MS) await consume(EMPTY_BATCH);
        // a command that runs without making system calls gives no event to
        // start its second: the clock does (events' time: the realtime clock)
        // (IDLE_SAMPLE_DELAY_NS after the second turns: an event of the second
        // before, written as it ended, is in the rings by then and goes first)
        const nowTs = loadNative().Probe.clocks().realtime - IDLE_SAMPLE_DELAY_NS;
        if (!held && cpuSampler.due(nowTs)) {
          const samples = cpuSampler.take(nowTs);
          if (samples.length && await consume({ buf: blocksOf(samples), events: samples.length })) {
            requestStop('events');
            break;
          }
        }
        const now = Date.now();
        if (now - lastFlush > 1000) {
          lastFlush = now;
          const d = dropsOf(counters());
          const sum = d.reduce((a, b) => a + b, 0);
          if (sum !== lastDrops) { lastDrops = sum; writer.updateDrops(d); }
          writer.flush();
        }
        if (rotating && opts.rotate!.seconds && now - fileStart >= opts.rotate!.seconds * 1000) await rotate();
        await native.wait(usesEvents ? 5 : 10);
      }
      if (held) await consume(EMPTY_BATCH, false);
    } catch (e) {
      error = (e as Error).message;
      reason = 'error';
    }
    native.detach();
    // containers whose runtime has not answered yet get their event now
    await watcher.settle();
    deliverRecords(writer, watcher.take());
    const cpus = counters();
    writer.updateDrops(dropsOf(cpus));
    await writer.close();
    native.close();
    if (handleSignals) { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); }
    let commandExit: number | null | undefined, commandSignal: string | null | undefined;
    if (child) {
      // a capture ended by a limit or a signal leaves the command running, untraced
      pollChild();
      if (commandResult) {
        commandExit = commandResult.code;
        commandSignal = commandResult.signal;
      }
    }
    return {
      events: total, bytes: bytesBefore + writer.bytes, files, cpus,
      drops: cpus.reduce((a, c) => a + c.dropsFull + c.dropsBig + c.dropsNoScratch, 0),
      durationMs: Date.now() - t0, reason, commandExit, commandSignal, error,
    };
  };

  const done = loop();
  return {
    done,
    commandPid: child?.pid,
    stop: async () => { requestStop('stopped'); return done; },
  };
}

/**
 * A process-list entry as sysdig 0.29.3 writes it: its tail ends with
 * loginuid and exe_writable. (Current libs put pidns_init_start_ts and tty
 * before loginuid, which 0.29.3 would read as the loginuid; the .scap a
 * sysdig-compatible capture writes has neither, as it has no newer event params.)
 */
function procEntry0293(t: ThreadRecord): ThreadRecord {
  return { ...t, pidnsInitStartTs: undefined, tty: 0, pgid: -1, capInheritable: undefined, capPermitted: undefined, capEffective: undefined };
}
