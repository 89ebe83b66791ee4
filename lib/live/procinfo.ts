// CPU samples of a live capture, as sysdig takes them: once a second (by the
// events' clock), every task that has used CPU gets a procinfo event with its
// user and system time in clock ticks. thread.cpu and the chisels built on it
// (topprocs_cpu, topcontainers_cpu) read these events; without them a live
// capture has no CPU figures.
//
// sysdig asks its kernel module for the task list; scry reads the same
// counters from /proc/<pid>/task/<tid>/stat (utime and stime, in USER_HZ
// ticks, as the module reports them).

import * as fs from 'fs';
import { E } from '../schema/ids';

const SECOND = 1000000000n;
const RECORD_LEN = 26 + 2 * 2 + 2 * 8;

/** One task's CPU counters. */
export interface TaskTimes { tid: number; tgid: number; ppid: number; utime: number; stime: number }

/** The procinfo event record (scap event schema: cpu_usr and cpu_sys, u64) of one task. */
export function procinfoEvent(tsNs: bigint, tid: number, utime: number, stime: number): Buffer {
  const b = Buffer.alloc(RECORD_LEN);
  b.writeBigUInt64LE(tsNs, 0);
  b.writeBigInt64LE(BigInt(tid), 8);
  b.writeUInt32LE(RECORD_LEN, 16);
  b.writeUInt16LE(E.PROCINFO_E, 20);
  b.writeUInt32LE(2, 22);
  b.writeUInt16LE(8, 26);
  b.writeUInt16LE(8, 28);
  b.writeBigUInt64LE(BigInt(utime), 30);
  b.writeBigUInt64LE(BigInt(stime), 38);
  return b;
}

/** ppid, utime and stime of a /proc stat line (fields 4, 14 and 15; the name in parentheses may hold anything). */
export function parseStat(text: string): { ppid: number; utime: number; stime: number } | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  if (f.length < 13) return undefined;
  return { ppid: Number(f[1]), utime: Number(f[11]), stime: Number(f[12]) };
}

function numericEntries(dir: string): number[] {
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return []; }
  const out: number[] = [];
  for (const n of names) {
    const c = n.charCodeAt(0);
    if (c >= 48 && c <= 57) out.push(Number(n));
  }
  return out.sort((a, b) => a - b);
}

function readStat(path: string): { ppid: number; utime: number; stime: number } | undefined {
  try { return parseStat(fs.readFileSync(path, 'latin1')); } catch { return undefined; }
}

function tasksOf(proc: string, pid: number, out: TaskTimes[]): void {
  for (const tid of numericEntries(`${proc}/${pid}/task`)) {
    const s = readStat(`${proc}/${pid}/task/${tid}/stat`);
    if (s) out.push({ tid, tgid: pid, ppid: s.ppid, utime: s.utime, stime: s.stime });
  }
}

/**
 * Every task's counters, process by process (tasks that end while read are
 * left out). With `root`, only the tasks of root's process tree (root
 * included): the parent links come from one stat file per process, and only
 * the tree's processes have their tasks read.
 */
export function readTaskTimes(proc = '/proc', root?: number): TaskTimes[] {
  const pids = numericEntries(proc);
  let wanted: Iterable<number> = pids;
  if (root !== undefined) {
    const parent = new Map<number, number>();
    for (const pid of pids) { const s = readStat(`${proc}/${pid}/stat`); if (s) parent.set(pid, s.ppid); }
    wanted = [...treeOf(parent, root)].sort((a, b) => a - b);
  }
  const out: TaskTimes[] = [];
  for (const pid of wanted) tasksOf(proc, pid, out);
  return out;
}

/** The processes of `root`'s tree (root included), from each process's parent. */
function treeOf(parent: Map<number, number>, root: number): Set<number> {
  const inTree = new Map<number, boolean>([[root, true]]);
  const member = (pid: number): boolean => {
    const seen: number[] = [];
    let p = pid;
    let r: boolean | undefined;
    while ((r = inTree.get(p)) === undefined) {
      seen.push(p);
      const up = parent.get(p);
      if (up === undefined || up <= 0 || seen.length > 4096) { r = false; break; }
      p = up;
    }
    for (const s of seen) inTree.set(s, r);
    return r;
  };
  const out = new Set<number>();
  for (const pid of parent.keys()) if (member(pid)) out.add(pid);
  return out;
}

export interface ProcInfoOptions {
  /** scry's own process: left out, as its events are. */
  ownTgid: number;
  /** Capturing one command: only the tasks of its process tree. */
  root?: number;
  /** The task list, of root's tree when given (tests); /proc by default. */
  read?: (root?: number) => TaskTimes[];
  /** Wall clock in ms (tests). */
  now?: () => number;
}

/**
 * sysdig's rule (sinsp::get_procs_cpu_from_driver): the first event only
 * sets the next whole second; the first event past it triggers a sample
 * (unless one was taken less than half a second ago, by the wall clock),
 * stamped one nanosecond before the second that event is in. Tasks with no
 * CPU time at all are left out.
 *
 * One difference, on purpose: sysdig hands the samples out after the event
 * that triggered them, so their time runs backwards, and a chisel's
 * one-second interval then fires on them and again on the next event,
 * dividing a second's CPU by microseconds (topprocs_cpu's huge percentages,
 * draios/sysdig#346). scry puts them before that event, in time order: the
 * interval the trigger starts sees the whole second.
 */
export class ProcInfoSampler {
  private nextFlushNs = 0n;
  private lastRequestMs = -Infinity;

  constructor(private readonly opts: ProcInfoOptions) {}

  /** Whether an event at tsNs triggers (a batch whose last event does not has no event that does). */
  due(tsNs: bigint): boolean {
    return tsNs > this.nextFlushNs;
  }

  /** At an event at tsNs that is due: the procinfo records that go before it (none on the first event, or too soon). */
  take(tsNs: bigint): Buffer[] {
    if (tsNs <= this.nextFlushNs) return [];
    const nextFull = tsNs - (tsNs % SECOND) + SECOND;
    if (this.nextFlushNs === 0n) { this.nextFlushNs = nextFull; return []; }
    this.nextFlushNs = nextFull;
    const now = (this.opts.now ?? Date.now)();
    if (now - this.lastRequestMs <= 500) return [];
    this.lastRequestMs = now;
    const root = this.opts.root;
    const tasks = this.opts.read ? this.opts.read(root) : readTaskTimes('/proc', root);
    const ts = nextFull - SECOND - 1n;
    const out: Buffer[] = [];
    for (const t of tasks) {
      if (t.tgid === this.opts.ownTgid || (t.utime === 0 && t.stime === 0)) continue;
      out.push(procinfoEvent(ts, t.tid, t.utime, t.stime));
    }
    return out;
  }
}
