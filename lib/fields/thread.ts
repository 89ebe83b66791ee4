// thread.* fields (listed by sysdig inside the "process" class, see proc.ts).

import { PF, PT } from '../schema/types';
import { E } from '../schema/ids';
import { ArgMode, EvalContext } from './types';
import { FieldDefX, defineField, simple } from './def';
import { ThreadX, isMainThread } from './ext';
import { ThreadStateError, readSlot, reserveThreadState, writeSlot } from './thread-state';

function isSwitch(t: number): boolean { return t === E.SCHEDSWITCH_1_E || t === E.SCHEDSWITCH_6_E; }

/** Per-CPU time of the previous scheduler switch, as sysdig keeps it per field instance. */
function switchClock(): (c: EvalContext) => number {
  const lastSec: number[] = [], lastNsec: number[] = [];
  return (c) => {
    const cpu = c.ev.cpu;
    const ps = lastSec[cpu] ?? 0, pn = lastNsec[cpu] ?? 0;
    lastSec[cpu] = c.ev.sec;
    lastNsec[cpu] = c.ev.nsec;
    // Exact: the timestamps themselves do not fit a double.
    return ps !== 0 || pn !== 0 ? (c.ev.sec - ps) * 1e9 + (c.ev.nsec - pn) : 0;
  };
}

/** CPU use between two procinfo events of a thread (capped at 100). */
function cpuField(name: string, desc: string, user: boolean, system: boolean): FieldDefX {
  return defineField({
    name, type: PT.DOUBLE, fmt: PF.NA, desc,
    compile: () => {
      // the last total is kept in the thread's slot (read only on procinfo
      // events, which never have sysdig's made-up thread); jiffies fit a
      // double in practice, totals past 2^53 are kept as bigints
      const slot = reserveThreadState();
      return {
        extract: (c) => {
          const t = c.state.thread;
          if (!t || c.ev.type !== E.PROCINFO_E || c.ev.nparams < 2) return undefined;
          let tot: number | bigint = (user ? c.ev.u(0) : 0) + (system ? c.ev.u(1) : 0);
          if (tot > Number.MAX_SAFE_INTEGER) tot = (user ? c.ev.big(0) : 0n) + (system ? c.ev.big(1) : 0n);
          const prev = readSlot(t, slot);
          writeSlot(t, slot, tot);
          if (prev === 0 || prev === 0n) return 0;
          if (typeof tot === 'number' && typeof prev === 'number') {
            const d = tot - prev;
            return d < 0 || d > 100 ? 100 : d; // below zero wraps around as u64: past the cap
          }
          const d = Number(BigInt.asUintN(64, BigInt(tot) - BigInt(prev)));
          return d > 100 ? 100 : d;
        },
      };
    },
  });
}

/**
 * A "subsystem=path" cgroup entry split as sysdig stores it: at the last '=',
 * with '_cgroup' dropped from the subsystem and perf, mem and io renamed
 * perf_event, memory and blkio.
 */
export function splitCgroup(entry: string): [string, string] {
  const eq = entry.lastIndexOf('=');
  if (eq < 0) return [entry, ''];
  let sub = entry.slice(0, eq);
  const k = sub.indexOf('_cgroup');
  if (k >= 0) sub = sub.slice(0, k) + sub.slice(k + 7);
  if (sub === 'perf') sub = 'perf_event';
  else if (sub === 'mem') sub = 'memory';
  else if (sub === 'io') sub = 'blkio';
  return [sub, entry.slice(eq + 1)];
}

export const THREAD_FIELDS: readonly FieldDefX[] = [
  simple('thread.pfmajor', PT.UINT64, PF.DEC, 'major page faults of the thread since it started.',
    (c) => c.state.thread?.pfmajor),
  simple('thread.pfminor', PT.UINT64, PF.DEC, 'minor page faults of the thread since it started.',
    (c) => c.state.thread?.pfminor),
  simple('thread.tid', PT.INT64, PF.ID, 'id of the thread that produced the event.', (c) => c.ev.tid),
  simple('thread.ismain', PT.BOOL, PF.NA, 'true when the thread is the main thread of its process.',
    (c) => (c.state.thread ? isMainThread(c.state.thread) : undefined)),
  defineField({
    name: 'thread.exectime', type: PT.RELTIME, fmt: PF.DEC,
    desc: 'CPU time, in nanoseconds, used by the thread that was just switched out; only scheduler switch events set it.',
    compile: () => {
      const clock = switchClock();
      return { extract: (c) => (isSwitch(c.ev.type) ? clock(c) : 0) };
    },
  }),
  defineField({
    name: 'thread.totexectime', type: PT.RELTIME, fmt: PF.DEC,
    desc: 'CPU time, in nanoseconds, the current thread has used since the capture began; only scheduler switch events add to it.',
    compile: () => {
      const slot = reserveThreadState();
      const clock = switchClock();
      return {
        extract: (c) => {
          const d = isSwitch(c.ev.type) ? clock(c) : 0;
          const t = c.state.thread;
          if (!t) return undefined;
          if ((t as ThreadX).containerEventThread) throw new ThreadStateError(slot);
          // (a u64 that thread.cpu may have written, when they share a slot)
          const prev = readSlot(t, slot);
          const v = typeof prev === 'bigint' ? BigInt.asUintN(64, prev + BigInt(d)) : prev + d;
          writeSlot(t, slot, v);
          return v;
        },
      };
    },
  }),
  simple('thread.cgroups', PT.CHARBUF, PF.NA, 'every cgroup of the thread, as subsystem=path pairs in one string.',
    (c) => {
      const t = c.state.thread;
      if (!t || t.cgroups.length === 0) return undefined;
      let s = '';
      for (const cg of t.cgroups) {
        const [sub, path] = splitCgroup(cg);
        s += (s === '' ? '' : ' ') + sub + '=' + path;
      }
      return s;
    }),
  defineField({
    name: 'thread.cgroup', type: PT.CHARBUF, fmt: PF.NA, arg: ArgMode.REQUIRED_KEY,
    desc: 'the thread\'s cgroup in one subsystem, named after a dot, as in thread.cgroup.cpuacct.',
    compile: (arg) => {
      const want = arg ?? '';
      return {
        extract: (c) => {
          const t = c.state.thread;
          if (!t || t.cgroups.length === 0) return undefined;
          for (const cg of t.cgroups) {
            const [sub, path] = splitCgroup(cg);
            if (sub === want) return path;
          }
          return undefined;
        },
      };
    },
  }),
  simple('thread.vtid', PT.INT64, PF.ID, 'id of the thread as its own PID namespace sees it.',
    (c) => { const t = c.state.thread; return !t || t.vtid === -1 ? undefined : t.vtid; }),
  cpuField('thread.cpu', 'CPU used by the thread during the last second.', true, true),
  cpuField('thread.cpu.user', 'user-mode CPU used by the thread during the last second.', true, false),
  cpuField('thread.cpu.system', 'kernel-mode CPU used by the thread during the last second.', false, true),
  simple('thread.vmsize', PT.UINT64, PF.DEC, 'virtual memory of the process, in kB, on its main thread; 0 on every other thread.',
    (c) => { const t = c.state.thread; return t ? (isMainThread(t) ? t.vmsizeKb : 0) : undefined; }),
  simple('thread.vmrss', PT.UINT64, PF.DEC, 'resident (not swapped) memory of the process, in kB, on its main thread; 0 on every other thread.',
    (c) => { const t = c.state.thread; return t ? (isMainThread(t) ? t.vmrssKb : 0) : undefined; }),
  simple('thread.vmsize.b', PT.UINT64, PF.DEC, 'as thread.vmsize, in bytes.',
    (c) => { const t = c.state.thread; return t ? (isMainThread(t) ? t.vmsizeKb * 1024 : 0) : undefined; }, { hidden: true }),
  simple('thread.vmrss.b', PT.UINT64, PF.DEC, 'as thread.vmrss, in bytes.',
    (c) => { const t = c.state.thread; return t ? (isMainThread(t) ? t.vmrssKb * 1024 : 0) : undefined; }, { hidden: true }),
  simple('thread.nametid', PT.CHARBUF, PF.NA, 'process name followed by the thread id, identifying a thread of one program run.',
    (c) => { const t = c.state.thread; return t ? t.comm + String(c.ev.tid) : undefined; }, { hidden: true }),
];

export function threadField(name: string): FieldDefX {
  const f = THREAD_FIELDS.find((d) => d.name === name);
  if (!f) throw new Error('internal: no field ' + name);
  return f;
}

export type { ThreadX };
