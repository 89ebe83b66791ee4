// A small stand-in field catalog for testing the filter compiler on its own.
// Fields read a plain test event (TestEvent) placed in ctx.ev; the few that
// need state (fd.*, proc.aname, ...) read ctx.state as the engine provides it.

import type { EvalContext, FieldValue } from '../fields/types';
import type { FdInfo, ThreadInfo } from '../state/view';
import { FieldBinder, FilterField, T } from './types';

/** What test fields read: put one in ctx.ev (cast) together with a state. */
export interface TestEvent {
  num: number;
  type: number;
  name: string;
  enter: boolean;
  flags: number;
  sec: number;
  nsec: number;
  cpu?: number;
  res?: number;
  args?: Record<string, FieldValue>;
  buffer?: Buffer;
  latency?: number;
  info: { flags: number; name: string; enter: boolean };
}

type Ex = (ctx: EvalContext) => FieldValue;

function ev(ctx: EvalContext): TestEvent {
  return ctx.ev as unknown as TestEvent;
}

function thr(ctx: EvalContext): ThreadInfo | undefined {
  return ctx.state.thread;
}

function fdOf(ctx: EvalContext): FdInfo | undefined {
  return (ev(ctx).info.flags & 7) !== 0 ? ctx.state.fd : undefined;
}

interface Def { type: number; arg?: 'none' | 'index' | 'key' | 'indexOrKey'; make: (arg: string | undefined) => Ex }

const DEFS: Record<string, Def> = {
  'evt.num': { type: T.UINT64, make: () => (c) => ev(c).num },
  'evt.type': { type: T.CHARBUF, make: () => (c) => ev(c).name },
  'evt.dir': { type: T.CHARBUF, make: () => (c) => (ev(c).enter ? '>' : '<') },
  'evt.cpu': { type: T.INT16, make: () => (c) => ev(c).cpu ?? 0 },
  'evt.rawres': { type: T.INT64, make: () => (c) => ev(c).res },
  'evt.res': { type: T.CHARBUF, make: () => (c) => { const r = ev(c).res; return r === undefined ? undefined : r >= 0 ? 'SUCCESS' : 'E' + -r; } },
  'evt.failed': { type: T.BOOL, make: () => (c) => { const r = ev(c).res; return r === undefined ? undefined : r < 0; } },
  'evt.latency': { type: T.RELTIME, make: () => (c) => ev(c).latency },
  'evt.rawtime': { type: T.ABSTIME, make: () => (c) => BigInt(ev(c).sec) * 1000000000n + BigInt(ev(c).nsec) },
  'evt.buffer': { type: T.BYTEBUF, make: () => (c) => ev(c).buffer },
  'evt.count': { type: T.UINT32, make: () => () => 1 },
  'evt.around': { type: T.UINT64, arg: 'index', make: () => () => undefined },
  'evt.arg': { type: T.CHARBUF, arg: 'indexOrKey', make: (a) => (c) => { const v = ev(c).args?.[a!]; return v === undefined ? undefined : String(v); } },
  'evt.rawarg': { type: T.DYN, arg: 'key', make: (a) => (c) => ev(c).args?.[a!] },
  'proc.name': { type: T.CHARBUF, make: () => (c) => thr(c)?.comm },
  'proc.pid': { type: T.INT64, make: () => (c) => thr(c)?.pid },
  'proc.exe': { type: T.CHARBUF, make: () => (c) => thr(c)?.exe },
  'proc.cmdline': { type: T.CHARBUF, make: () => (c) => { const t = thr(c); return t && [t.comm, ...t.args].join(' '); } },
  'thread.tid': { type: T.INT64, make: () => (c) => thr(c)?.tid },
  'thread.cpu': { type: T.DOUBLE, make: () => () => 0.5 },
  'user.uid': { type: T.UINT32, make: () => (c) => thr(c)?.uid },
  'proc.apid': {
    type: T.INT64, arg: 'index', make: (a) => (c) => {
      let t = thr(c);
      if (t === undefined) return undefined;
      if (t.tid !== t.pid) t = c.state.mainThread(t);
      for (let i = 0; t !== undefined && i < Number(a ?? 0); i++) t = c.state.threads.get(t.ptid);
      return t?.pid;
    },
  },
  'proc.aname': {
    type: T.CHARBUF, arg: 'index', make: (a) => (c) => {
      let t = thr(c);
      if (t === undefined) return undefined;
      if (t.tid !== t.pid) t = c.state.mainThread(t);
      for (let i = 0; t !== undefined && i < Number(a ?? 0); i++) t = c.state.threads.get(t.ptid);
      return t?.comm;
    },
  },
  'fd.num': { type: T.INT64, make: () => (c) => (fdOf(c) ? c.state.fdNum : undefined) },
  'fd.name': { type: T.CHARBUF, make: () => (c) => fdOf(c)?.name },
  'fd.typechar': { type: T.CHARBUF, make: () => (c) => fdOf(c)?.typeChar },
  'fd.ip': { type: T.IPADDR, make: () => () => undefined },
  'fd.net': { type: T.IPNET, make: () => () => undefined },
  'fd.port': { type: T.PORT, make: () => () => undefined },
  'fd.proto': { type: T.PORT, make: () => () => undefined },
  'fd.sip': { type: T.IPADDR, make: () => (c) => { const f = fdOf(c); return f && (f.dip ?? f.sip); } },
  'fd.cip': { type: T.IPADDR, make: () => (c) => { const f = fdOf(c); return f && f.dip ? f.sip : undefined; } },
  'fd.cnet': { type: T.IPNET, make: () => (c) => { const f = fdOf(c); return f && f.dip ? f.sip : undefined; } },
  'fd.sport': { type: T.PORT, make: () => (c) => { const f = fdOf(c); return f && (f.dip ? f.dport : f.sport); } },
  'fd.cip.name': { type: T.CHARBUF, make: () => () => undefined },
  'container.id': { type: T.CHARBUF, make: () => (c) => thr(c)?.containerId || 'host' },
};

/** sysdig-like parse of a field word: returns the field and its argument, or undefined. */
function split(text: string): { name: string; def: Def; arg: string | undefined } | undefined {
  // Longest field name that prefixes the text.
  let best: string | undefined;
  for (const n of Object.keys(DEFS)) if (text.startsWith(n) && (best === undefined || n.length > best.length)) best = n;
  if (best === undefined) return undefined;
  const def = DEFS[best];
  const rest = text.slice(best.length);
  if (rest === '') {
    if (def.arg === 'key' || def.arg === 'indexOrKey') {
      if (best === 'evt.arg') throw new Error('filter syntax error: evt.arg');
      throw new Error(`filter syntax error: ${text}`);
    }
    return { name: best, def, arg: undefined };
  }
  if (def.arg === undefined) return undefined;
  if (rest[0] === '[' && def.arg !== 'key') {
    const close = rest.indexOf(']');
    if (close !== rest.length - 1) return undefined;
    const inner = rest.slice(1, close);
    if (!/^-?[0-9]+$/.test(inner)) return undefined;
    return { name: best, def, arg: inner };
  }
  if (rest[0] === '[' && def.arg === 'key') throw new Error('evt.arg fields must be expressed explicitly');
  if (rest[0] === '.' && (def.arg === 'key' || def.arg === 'indexOrKey')) {
    const key = rest.slice(1);
    if (!/^[a-z_]+$/.test(key)) throw new Error(`unknown event argument ${key}`);
    return { name: best, def, arg: key };
  }
  return undefined;
}

const RAWARG_TYPES: Record<string, number> = { fd: T.FD, res: T.ERRNO, name: T.FSPATH, data: T.BYTEBUF, pid: T.PID, size: T.UINT32 };

/** The test catalog's binder. */
export const testBinder: FieldBinder = (text) => {
  const s = split(text);
  if (s === undefined) return undefined;
  const type = s.name === 'evt.rawarg' ? (RAWARG_TYPES[s.arg!] ?? T.CHARBUF) : s.def.type;
  const f: FilterField = { def: { name: s.name }, arg: s.arg, type, extract: s.def.make(s.arg) };
  return f;
};

/** Names of the test catalog's fields. */
export const TEST_FIELDS: readonly string[] = Object.keys(DEFS);
