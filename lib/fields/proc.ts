// proc.* fields, and the "process" class sysdig lists them in (together
// with the thread.* fields of thread.ts, interleaved in sysdig's order).

import { PF, PT } from '../schema/types';
import type { StateView, ThreadInfo } from '../state/view';
import { ArgMode, EvalContext, FieldValue } from './types';
import { FieldClassX, FieldDefX, ParseResult, byName, defineField, parseInt32Strict, simple } from './def';
import { ThreadX, forEachAncestor, isMainThread, mainOf, parentOf } from './ext';
import { THREAD_FIELDS, threadField } from './thread';

function cmdline(t: ThreadInfo): string {
  let s = t.comm;
  for (const a of t.args) s += ' ' + a;
  return s;
}

function cwd(state: StateView, t: ThreadInfo): string {
  const m = mainOf(state, t);
  return m ? m.cwd : './';
}

/** Ancestor `n` levels up from the thread's main thread (0 = the process itself). */
function ancestor(state: StateView, t: ThreadInfo, n: number): ThreadInfo | undefined {
  let m = mainOf(state, t);
  for (let j = 0; m && j < n; j++) m = parentOf(state, m);
  return m;
}

function fdOpenCount(state: StateView, t: ThreadInfo): number | undefined {
  const m = mainOf(state, t);
  return m ? m.fds.size : undefined;
}

function ancestorField(name: 'proc.apid' | 'proc.aname', type: PT, fmt: PF, desc: string,
  get: (a: ThreadInfo) => FieldValue): FieldDefX {
  return defineField({
    name, type, fmt, desc, arg: ArgMode.OPTIONAL_INDEX,
    compile: (arg) => {
      const n = arg === undefined ? -1 : parseInt32Strict(arg) ?? -1;
      return {
        extract: (c) => {
          const t = c.state.thread;
          if (!t) return undefined;
          const a = ancestor(c.state, t, n);
          return a ? get(a) : undefined;
        },
      };
    },
  });
}

const t = (c: EvalContext) => c.state.thread;

const PROC_FIELDS: readonly FieldDefX[] = [
  simple('proc.pid', PT.INT64, PF.ID, 'id of the process that produced the event.', (c) => t(c)?.pid),
  simple('proc.exe', PT.CHARBUF, PF.NA, 'first command line argument, normally the executable as it was invoked.', (c) => t(c)?.exe),
  simple('proc.name', PT.CHARBUF, PF.NA, 'executable name of the process, without its directory.', (c) => t(c)?.comm),
  simple('proc.args', PT.CHARBUF, PF.NA, 'command line arguments the process was started with.', (c) => t(c)?.args.join(' ')),
  simple('proc.env', PT.CHARBUF, PF.NA, 'environment variables of the process.', (c) => {
    const th = t(c);
    if (!th) return undefined;
    const m = isMainThread(th) ? th : c.state.mainThread(th) ?? th;
    return m.env.join(' ');
  }),
  simple('proc.cmdline', PT.CHARBUF, PF.NA, 'process name followed by its arguments (proc.name + proc.args).',
    (c) => { const th = t(c); return th ? cmdline(th) : undefined; }),
  simple('proc.exeline', PT.CHARBUF, PF.NA, 'first argument followed by the other arguments (proc.exe + proc.args).',
    (c) => { const th = t(c); return th ? th.exe + ' ' + th.args.join(' ') : undefined; }),
  simple('proc.cwd', PT.CHARBUF, PF.NA, 'working directory of the process.',
    (c) => { const th = t(c); return th ? cwd(c.state, th) : undefined; }),
  simple('proc.nthreads', PT.UINT32, PF.DEC, 'threads the process has now, its main thread included.',
    (c) => {
      const th = t(c);
      if (!th) return undefined;
      const m = mainOf(c.state, th) as ThreadX | undefined;
      return m ? (m.nchilds ?? 0) + 1 : undefined;
    }),
  simple('proc.nchilds', PT.UINT32, PF.DEC, 'threads the process has now besides its main thread.',
    (c) => { const th = t(c) as ThreadX | undefined; return th ? th.nchilds ?? 0 : undefined; }),
  simple('proc.ppid', PT.INT64, PF.ID, 'process id of the parent process.', (c) => {
    const th = t(c);
    if (!th) return undefined;
    const m = mainOf(c.state, th);
    return m ? m.ptid : undefined;
  }),
  simple('proc.pname', PT.CHARBUF, PF.NA, 'executable name of the parent process, without its directory.', (c) => {
    const th = t(c);
    if (!th) return undefined;
    return c.state.threads.get(th.ptid)?.comm;
  }),
  simple('proc.pcmdline', PT.CHARBUF, PF.NA, 'command line (name and arguments) of the parent process.', (c) => {
    const th = t(c);
    if (!th) return undefined;
    const p = c.state.threads.get(th.ptid);
    return p ? cmdline(p) : undefined;
  }),
  ancestorField('proc.apid', PT.INT64, PF.ID,
    'pid of an ancestor: proc.apid[1] is the parent, proc.apid[2] the grandparent and so on, proc.apid[0] the process itself. Without an index it is for filters and matches any ancestor, as in proc.apid=1234.',
    (a) => a.pid),
  ancestorField('proc.aname', PT.CHARBUF, PF.NA,
    'name of an ancestor: proc.aname[1] is the parent, proc.aname[2] the grandparent and so on, proc.aname[0] the process itself. Without an index it is for filters and matches any ancestor, as in proc.aname=bash.',
    (a) => a.comm),
  simple('proc.loginshellid', PT.INT64, PF.ID,
    'pid of the eldest shell among the process and its ancestors, if any; tells user sessions apart (see the spy_user chisel).',
    (c) => {
      const th = t(c);
      if (!th) return undefined;
      const m = mainOf(c.state, th);
      if (!m) return undefined;
      let res: number | undefined;
      const check = (a: ThreadInfo) => {
        const n = a.comm.length;
        if (n >= 2 && a.comm[n - 2] === 's' && a.comm[n - 1] === 'h') res = a.pid;
        return true;
      };
      check(m);
      forEachAncestor(c.state, m, check);
      return res;
    }),
  simple('proc.duration', PT.RELTIME, PF.DEC, 'nanoseconds since the process was started.', (c) => {
    const th = t(c);
    if (!th || (th.cloneSec === 0 && th.cloneNsec === 0)) return undefined;
    const d = (c.ev.sec - th.cloneSec) * 1e9 + (c.ev.nsec - th.cloneNsec);
    return d >= 0 ? d : BigInt.asUintN(64, BigInt(d));
  }),
  simple('proc.fdopencount', PT.UINT64, PF.DEC, 'fds the process has open.',
    (c) => { const th = t(c); return th ? fdOpenCount(c.state, th) : undefined; }),
  simple('proc.fdlimit', PT.INT64, PF.DEC, 'most fds the process may have open.',
    (c) => { const th = t(c); if (!th) return undefined; const m = mainOf(c.state, th); return m ? m.fdlimit : undefined; }),
  simple('proc.fdusage', PT.DOUBLE, PF.DEC, 'open fds as a percentage of the fd limit of the process.', (c) => {
    const th = t(c);
    if (!th) return undefined;
    const m = mainOf(c.state, th);
    if (!m) return undefined;
    const limit = m.fdlimit;
    if (limit <= 0) return 0;
    const open = m.fds.size;
    return open <= limit ? (open * 100) / limit : 100;
  }),
  simple('proc.vmsize', PT.UINT64, PF.DEC, 'virtual memory of the process, in kB.', (c) => t(c)?.vmsizeKb),
  simple('proc.vmrss', PT.UINT64, PF.DEC, 'resident (not swapped) memory of the process, in kB.', (c) => t(c)?.vmrssKb),
  simple('proc.vmswap', PT.UINT64, PF.DEC, 'swapped out memory of the process, in kB.', (c) => t(c)?.vmswapKb),
  simple('proc.vpid', PT.INT64, PF.ID, 'id of the process as its own PID namespace sees it.',
    (c) => { const th = t(c); return !th || th.vpid === -1 ? undefined : th.vpid; }),
  simple('proc.sid', PT.INT64, PF.ID, 'session id of the process.', (c) => t(c)?.sid),
  simple('proc.sname', PT.CHARBUF, PF.NA,
    'name of the session leader: the process whose pid is proc.sid, or else the eldest ancestor in the same session.',
    (c) => {
      const th = t(c);
      if (!th) return undefined;
      const leader = c.state.threads.get(th.sid);
      if (leader) return leader.comm;
      let m = mainOf(c.state, th);
      if (!m) return undefined;
      const sid = m.sid;
      forEachAncestor(c.state, m, (a) => {
        if (a.sid !== sid) return false;
        m = a;
        return true;
      });
      return m.comm;
    }),
  simple('proc.tty', PT.INT32, PF.ID, 'controlling terminal of the process; 0 when it has none.', (c) => t(c)?.tty),
  simple('proc.exepath', PT.CHARBUF, PF.NA, 'full path of the executable of the process.', (c) => t(c)?.exepath),
  simple('proc.vpgid', PT.INT64, PF.ID, 'process group id of the process, as its own PID namespace sees it.', (c) => t(c)?.vpgid),
  simple('proc.is_container_healthcheck', PT.BOOL, PF.NA, 'true when the process runs as part of a container health check.',
    (c) => { const th = t(c) as ThreadX | undefined; return th ? th.category === 2 : undefined; }),
  simple('proc.is_container_liveness_probe', PT.BOOL, PF.NA, 'true when the process runs as part of a container liveness probe.',
    (c) => { const th = t(c) as ThreadX | undefined; return th ? th.category === 3 : undefined; }),
  simple('proc.is_container_readiness_probe', PT.BOOL, PF.NA, 'true when the process runs as part of a container readiness probe.',
    (c) => { const th = t(c) as ThreadX | undefined; return th ? th.category === 4 : undefined; }),
  simple('proc.is_exe_writable', PT.BOOL, PF.NA, 'true when the user who started the process may write to its executable file.',
    (c) => { const th = t(c) as ThreadX | undefined; return th ? th.exeWritable === true : undefined; }),
];

/** The process class in sysdig's order. */
const ORDER = [
  'proc.pid', 'proc.exe', 'proc.name', 'proc.args', 'proc.env', 'proc.cmdline', 'proc.exeline', 'proc.cwd',
  'proc.nthreads', 'proc.nchilds', 'proc.ppid', 'proc.pname', 'proc.pcmdline', 'proc.apid', 'proc.aname',
  'proc.loginshellid', 'proc.duration', 'proc.fdopencount', 'proc.fdlimit', 'proc.fdusage', 'proc.vmsize',
  'proc.vmrss', 'proc.vmswap', 'thread.pfmajor', 'thread.pfminor', 'thread.tid', 'thread.ismain',
  'thread.exectime', 'thread.totexectime', 'thread.cgroups', 'thread.cgroup', 'thread.vtid', 'proc.vpid',
  'thread.cpu', 'thread.cpu.user', 'thread.cpu.system', 'thread.vmsize', 'thread.vmrss', 'thread.vmsize.b',
  'thread.vmrss.b', 'proc.sid', 'proc.sname', 'proc.tty', 'proc.exepath', 'thread.nametid', 'proc.vpgid',
  'proc.is_container_healthcheck', 'proc.is_container_liveness_probe', 'proc.is_container_readiness_probe',
  'proc.is_exe_writable',
];

const ALL = [...PROC_FIELDS, ...THREAD_FIELDS];
const PROCESS_FIELDS: readonly FieldDefX[] = ORDER.map((n) => byName(ALL, n));

export const PROC_ONLY_FIELDS = PROC_FIELDS;

export const PROCESS: FieldClassX = {
  name: 'process',
  desc: 'The process and thread that produced the event.',
  fields: PROCESS_FIELDS,
  parse(text: string, pos: number): ParseResult | null {
    const at = (s: string) => text.startsWith(s, pos);
    if (at('arg')) throw new Error('filter error: proc.arg filter not implemented yet');
    for (const base of ['proc.apid', 'proc.aname']) {
      if (!at(base)) continue;
      const def = byName(PROCESS_FIELDS, base);
      const p = pos + base.length;
      if (text[p] === '[') {
        const close = text.indexOf(']', pos);
        const inner = close < 0 ? text.slice(p + 1) : text.slice(p + 1, close);
        if (parseInt32Strict(inner) === undefined) return { def, arg: undefined, end: pos };
        // Without ']' sysdig still takes the index but its consumed length wraps to 0.
        return { def, arg: inner, end: close < 0 ? pos : close + 1 };
      }
      if (text.length === p) return { def, arg: undefined, end: p };
      return { def, arg: undefined, end: pos };
    }
    if (at('thread.cgroup') && !at('thread.cgroups')) {
      const def = threadField('thread.cgroup');
      const p = pos + 13;
      if (text[p] !== '.') throw new Error('filter syntax error: ' + text.slice(pos));
      let e = p + 1;
      while (e < text.length && /[A-Za-z_]/.test(text[e])) e++;
      return { def, arg: text.slice(p + 1, e), end: e };
    }
    return null;
  },
};
