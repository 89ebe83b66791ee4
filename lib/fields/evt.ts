// evt.* fields: the event itself (number, times, direction, type, category,
// arguments, return value, I/O properties, counters).

import { EC, EF, PF, PT } from '../schema/types';
import { E } from '../schema/ids';
import { EVENTS, PPM_EVENT_MAX_0293, legacyCategory } from '../schema/events';
import { syscallCategory, syscallName } from '../schema/syscalls';
import { cString } from '../util/bytes';
import { concatenatePaths } from '../state/paths';
import type { ScapEvent } from '../event/event';
import { ArgMode, EvalContext, FieldValue } from './types';
import {
  FieldClassX, FieldDefX, ParseResult, byName, defineField, parseInt32Strict, parseUint32Strict,
  parseUint64Strict, simple,
} from './def';
import { FDT, ThreadX, fdType } from './ext';
import { humanDuration, iso8601, renderValue, timeString } from './render';
import { argsText, paramCount, paramIndexOf, paramText } from './params';
import { SYSCALL_TYPE } from './syscall';
import { syslogInfo } from './syslog';
import { reserveThreadState } from './thread-state';
import { fdOf } from '../state/view';

const NS = 1e9;

/** ns between the event and the capture's first event (u64 arithmetic like sysdig). */
function relNs(ctx: EvalContext): number | bigint {
  const d = (ctx.ev.sec - ctx.state.firstSec) * NS + (ctx.ev.nsec - ctx.state.firstNsec);
  return d >= 0 ? d : BigInt.asUintN(64, BigInt(d));
}

function u64Div(v: number | bigint, d: number): number | bigint {
  return typeof v === 'bigint' ? v / BigInt(d) : Math.floor(v / d);
}

function u64Mod(v: number | bigint, d: number): number | bigint {
  return typeof v === 'bigint' ? v % BigInt(d) : v % d;
}

// ---------------------------------------------------------------------------
// evt (All event types)

const GEN_FIELDS: FieldDefX[] = [
  simple('evt.num', PT.UINT64, PF.ID, 'sequence number of the event in the capture.', (c) => c.ev.num),
  simple('evt.time', PT.CHARBUF, PF.NA, 'time of day of the event, with nanoseconds.',
    (c) => timeString(c.ev.sec, c.ev.nsec, false, true)),
  simple('evt.time.s', PT.CHARBUF, PF.NA, 'time of day of the event, whole seconds only.',
    (c) => timeString(c.ev.sec, c.ev.nsec, false, false)),
  simple('evt.time.iso8601', PT.CHARBUF, PF.NA, 'event time as an ISO 8601 string in UTC, with nanoseconds and zone offset.',
    (c) => iso8601(c.ev.sec, c.ev.nsec)),
  simple('evt.datetime', PT.CHARBUF, PF.NA, 'date and time of day of the event, with nanoseconds.',
    (c) => timeString(c.ev.sec, c.ev.nsec, true, true)),
  simple('evt.datetime.s', PT.CHARBUF, PF.NA, 'date and time of day of the event, whole seconds only.',
    (c) => timeString(c.ev.sec, c.ev.nsec, true, false)),
  simple('evt.rawtime', PT.ABSTIME, PF.DEC, 'event time in nanoseconds since the Unix epoch.',
    (c) => BigInt(c.ev.sec) * 1000000000n + BigInt(c.ev.nsec)),
  simple('evt.rawtime.s', PT.ABSTIME, PF.DEC, 'whole seconds of the event time since the epoch.', (c) => c.ev.sec),
  simple('evt.rawtime.ns', PT.ABSTIME, PF.PADDED_DEC_10, 'nanoseconds part of the event time.', (c) => c.ev.nsec),
  simple('evt.reltime', PT.RELTIME, PF.PADDED_DEC_10, 'nanoseconds elapsed since the first event of the capture.', relNs),
  simple('evt.reltime.s', PT.RELTIME, PF.DEC, 'whole seconds elapsed since the first event of the capture.',
    (c) => u64Div(relNs(c), NS)),
  simple('evt.reltime.ns', PT.RELTIME, PF.PADDED_DEC_10, 'nanoseconds part of the time elapsed since the first event.',
    (c) => u64Mod(relNs(c), NS)),
  simple('evt.pluginname', PT.CHARBUF, PF.NA, 'for events produced by a plugin, that plugin\'s name (it has to be loaded).',
    () => undefined),
  simple('evt.plugininfo', PT.CHARBUF, PF.NA, 'for events produced by a plugin, the plugin\'s own one-line rendering of the event (it has to be loaded).',
    () => undefined),
];

export const EVT_GENERAL: FieldClassX = {
  name: 'evt',
  shortDesc: 'All event types',
  desc: 'Fields every event has, whatever produced it',
  fields: GEN_FIELDS,
};

// ---------------------------------------------------------------------------
// evt (Syscall events only)

function category(ev: ScapEvent): number {
  if (ev.type === E.GENERIC_E || ev.type === E.GENERIC_X) {
    return ev.nparams > 0 ? syscallCategory(ev.u(0)) ?? 0 : 0;
  }
  return legacyCategory(ev.info.category);
}

const IO_BASE = 32;

/** The event's own thread (sysdig's m_tinfo, read by the latency fields); views without one give their thread. */
export function eventThread(ctx: EvalContext): ThreadX | undefined {
  const s = ctx.state;
  return ('eventThread' in s ? s.eventThread : s.thread) as ThreadX | undefined;
}

function latencyOf(ctx: EvalContext): number {
  const t = eventThread(ctx);
  if (!t) return 0;
  if (t.latencyNs !== undefined) return t.latencyNs;
  const en = ctx.state.enterEvent;
  if (ctx.ev.info.enter || !en) return 0;
  return (ctx.ev.sec - en.sec) * NS + (ctx.ev.nsec - en.nsec);
}

function isInternal(ev: ScapEvent): boolean {
  return (ev.info.category & EC.INTERNAL) !== 0;
}

/** Signed value of a parameter, as sysdig reads a 64-bit result. */
function sval(ev: ScapEvent, i: number): number {
  return ev.s(i);
}

/** Index of the return value scry's live capture appends to generic exits (not a param sysdig 0.29.3 names). */
const GENERIC_RES = 2;

/** The raw "res" value, or "fd" for exit events that create an fd; undefined if neither. */
function resValue(ev: ScapEvent): number | undefined {
  const r = resIndex(ev);
  return r >= 0 ? sval(ev, r) : undefined;
}

/** Index of the parameter resValue reads, or -1. */
function resIndex(ev: ScapEvent): number {
  const r = paramIndexOf(ev, 'res');
  if (r >= 0) return r;
  if (ev.type === E.GENERIC_X) return ev.nparams > GENERIC_RES ? GENERIC_RES : -1;
  if ((ev.info.flags & EF.CREATES_FD) && !ev.info.enter) return paramIndexOf(ev, 'fd');
  return -1;
}

function errorCount(ev: ScapEvent): number | undefined {
  const r = resIndex(ev);
  return r >= 0 && sval(ev, r) < 0 ? 1 : undefined;
}

function isOpenExit(t: number): boolean {
  return t === E.SYSCALL_OPEN_X || t === E.SYSCALL_CREAT_X || t === E.SYSCALL_OPENAT_X ||
    t === E.SYSCALL_OPENAT_2_X || t === E.SYSCALL_OPENAT2_X;
}

function isAcceptConnectExit(t: number): boolean {
  return t === E.SOCKET_ACCEPT_X || t === E.SOCKET_ACCEPT_5_X || t === E.SOCKET_ACCEPT4_X ||
    t === E.SOCKET_ACCEPT4_5_X || t === E.SOCKET_CONNECT_X;
}

function isFileFd(t: number): boolean { return t === FDT.FILE || t === FDT.FILE_V2 || t === FDT.DIRECTORY; }
function isNetFd(t: number): boolean {
  return t === FDT.IPV4_SOCK || t === FDT.IPV6_SOCK || t === FDT.IPV4_SERVSOCK || t === FDT.IPV6_SERVSOCK || t === FDT.UNIX_SOCK;
}

function bufLen(ev: ScapEvent): number | undefined {
  if (ev.info.enter || ev.nparams === 0) return undefined;
  const v = sval(ev, 0);
  return v >= 0 ? v : undefined;
}

function categoryText(ctx: EvalContext): string {
  const ev = ctx.ev;
  const cat = category(ev);
  switch (cat) {
    case EC.UNKNOWN: return 'unknown';
    case EC.OTHER: return 'other';
    case EC.FILE: return 'file';
    case EC.NET: return 'net';
    case EC.IPC: return 'IPC';
    case EC.MEMORY: return 'memory';
    case EC.PROCESS: return 'process';
    case EC.SLEEP: return 'sleep';
    case EC.SYSTEM: return 'system';
    case EC.SIGNAL: return 'signal';
    case EC.USER: return 'user';
    case EC.TIME: return 'time';
    case EC.PROCESSING: return 'processing';
    case EC.IO_READ: case EC.IO_WRITE: case EC.IO_OTHER: {
      if (ev.type === E.GENERIC_E || ev.type === E.GENERIC_X) return 'unknown';
      const fd = ctx.state.fd;
      if (!fd) return 'unknown';
      switch (fdType(fd)) {
        case FDT.FILE: case FDT.FILE_V2: case FDT.DIRECTORY: return 'file';
        case FDT.IPV4_SOCK: case FDT.IPV6_SOCK: case FDT.IPV4_SERVSOCK: case FDT.IPV6_SERVSOCK: return 'net';
        case FDT.FIFO: case FDT.UNIX_SOCK: case FDT.EVENT: case FDT.SIGNALFD: case FDT.INOTIFY: return 'ipc';
        default: return 'unknown';
      }
    }
    case EC.WAIT: return 'wait';
    case EC.SCHEDULER: return 'scheduler';
    default: return 'unknown';
  }
}

function typeName(ev: ScapEvent): string | undefined {
  if (ev.type === E.GENERIC_E || ev.type === E.GENERIC_X) {
    if (ev.nparams === 0) return undefined;
    return syscallName(ev.u(0)) ?? '<unknown>';
  }
  return ev.info.name;
}

/** Output time per sysdig's -t flag ('h' default, 'a', 'r', 'd', 'D'); set by the CLI. */
let outputTimeFlag = 'h';
export function setOutputTimeFlag(flag: string): void { outputTimeFlag = flag; }

/** The absolute path an *at() call works on (evt.abspath[.src|.dst]). */
function absPath(ctx: EvalContext, which: number): string | undefined {
  const ev = ctx.ev;
  const t = ctx.state.thread;
  if (!t) return undefined;
  let dirfdArg: string | undefined, pathArg: string | undefined;
  switch (ev.type) {
    case E.SYSCALL_RENAMEAT_X: case E.SYSCALL_RENAMEAT2_X: case E.SYSCALL_LINKAT_E: case E.SYSCALL_LINKAT_2_X: {
      const isRename = ev.type === E.SYSCALL_RENAMEAT_X || ev.type === E.SYSCALL_RENAMEAT2_X;
      if (which === 0 || which === 1) { dirfdArg = isRename ? 'olddirfd' : 'olddir'; pathArg = 'oldpath'; }
      else if (which === 2) { dirfdArg = isRename ? 'newdirfd' : 'newdir'; pathArg = 'newpath'; }
      break;
    }
    case E.SYSCALL_SYMLINKAT_X: dirfdArg = 'linkdirfd'; pathArg = 'linkpath'; break;
    case E.SYSCALL_OPENAT_E: case E.SYSCALL_OPENAT_2_X: case E.SYSCALL_OPENAT2_X:
    case E.SYSCALL_UNLINKAT_E: case E.SYSCALL_UNLINKAT_2_X:
      dirfdArg = 'dirfd'; pathArg = 'name'; break;
    case E.SYSCALL_MKDIRAT_X: dirfdArg = 'dirfd'; pathArg = 'path'; break;
    case E.SYSCALL_FCHMODAT_X: dirfdArg = 'dirfd'; pathArg = 'filename'; break;
    default: return undefined;
  }
  if (!dirfdArg || !pathArg) return undefined;
  const di = paramIndexOf(ev, dirfdArg), pi = paramIndexOf(ev, pathArg);
  if (di < 0 || pi < 0) return undefined;
  const dirfd = ev.s(di);
  const path = ev.bytes(pi);
  let dir: string;
  if (path.length > 0 && path[0] === 0x2f) dir = '.';
  else if (dirfd === -100) dir = cwdOf(ctx);
  else {
    const f = fdOf(t, dirfd);
    dir = f ? f.name + '/' : '<UNKNOWN>/';
  }
  return concatenatePaths(dir, path);
}

function cwdOf(ctx: EvalContext): string {
  const t = ctx.state.thread;
  if (!t) return './';
  const m = ctx.state.mainThread(t) ?? (t.pid === t.tid ? t : undefined);
  return m ? m.cwd : './';
}

/** Longest parameter name, over every event sysdig 0.29.3 knows, that prefixes `s`. */
export function longestParamName(s: string): { name: string; type: PT } | undefined {
  let best: { name: string; type: PT } | undefined;
  for (let j = 0; j < PPM_EVENT_MAX_0293 && j < EVENTS.length; j++) {
    const ei = EVENTS[j];
    const n = ei.sysdigParams ?? ei.params.length;
    for (let k = 0; k < n; k++) {
      const p = ei.params[k];
      if (s.startsWith(p.name) && (!best || p.name.length > best.name.length)) best = { name: p.name, type: p.type };
    }
  }
  return best;
}

function signedWidth(t: PT): number {
  switch (t) {
    case PT.INT8: return 1;
    case PT.INT16: return 2;
    case PT.INT32: case PT.FD32: case PT.PID32: return 4;
    case PT.INT64: case PT.ERRNO: case PT.FD: case PT.PID: return 8;
    default: return 0;
  }
}

function unsignedWidth(t: PT): number {
  switch (t) {
    case PT.UINT8: case PT.FLAGS8: case PT.ENUMFLAGS8: case PT.SIGTYPE: case PT.L4PROTO: case PT.SOCKFAMILY: return 1;
    case PT.UINT16: case PT.FLAGS16: case PT.ENUMFLAGS16: case PT.PORT: case PT.SYSCALLID: return 2;
    case PT.UINT32: case PT.FLAGS32: case PT.ENUMFLAGS32: case PT.UID: case PT.GID: case PT.MODE: case PT.BOOL: return 4;
    case PT.UINT64: case PT.RELTIME: case PT.ABSTIME: return 8;
    default: return 0;
  }
}

/** Raw parameter bytes decoded as the (declared) type `t`. */
function rawValue(ev: ScapEvent, i: number, t: PT): FieldValue {
  const sw = signedWidth(t), uw = unsignedWidth(t);
  if (sw || uw) {
    const w = sw || uw;
    const v = intParam(ev, i, w, sw !== 0);
    if (t === PT.BOOL) return v !== 0 && v !== 0n;
    return v;
  }
  switch (t) {
    // sysdig reads a raw string as a C string whatever its length, so an empty
    // one (no NUL stored) reads on into the parameters after it (here at most
    // to the record's end)
    case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH: return cString(ev.buf, ev.paramOff(i), ev.off + ev.len);
    case PT.DOUBLE: { const b = ev.bytes(i); return b.length >= 8 ? b.readDoubleLE(0) : 0; }
    default: return Buffer.from(ev.bytes(i));
  }
}

/**
 * Parameter i read as a `w`-byte little-endian integer (a shorter parameter
 * is zero-extended, as sysdig copies it into a zeroed value): a number when
 * exact (|v| <= 2^53), else a bigint.
 */
function intParam(ev: ScapEvent, i: number, w: number, signed: boolean): number | bigint {
  const o = ev.paramOff(i), len = ev.paramLen(i), b = ev.buf;
  if (len >= w) {
    switch (w) {
      case 1: return signed ? (b[o] << 24) >> 24 : b[o];
      case 2: { const v = b[o] | (b[o + 1] << 8); return signed ? (v << 16) >> 16 : v; }
      case 4: return signed ? b.readInt32LE(o) : b.readUInt32LE(o);
      default: {
        const lo = b.readUInt32LE(o), hi = signed ? b.readInt32LE(o + 4) : b.readUInt32LE(o + 4);
        // exact as a number up to 2^53 (either sign); the boundary values as sysdig's 2^53 test allows
        if (hi >= -0x200000 && hi < 0x200000) return hi * 4294967296 + lo;
        const v = signed ? b.readBigInt64LE(o) : b.readBigUInt64LE(o);
        return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
      }
    }
  }
  // short: zero-extend
  const tmp = Buffer.alloc(8);
  b.copy(tmp, 0, o, o + len);
  let v: bigint;
  if (w === 8) v = signed ? tmp.readBigInt64LE(0) : tmp.readBigUInt64LE(0);
  else if (w === 4) v = BigInt(signed ? tmp.readInt32LE(0) : tmp.readUInt32LE(0));
  else if (w === 2) v = BigInt(signed ? tmp.readInt16LE(0) : tmp.readUInt16LE(0));
  else v = BigInt(signed ? tmp.readInt8(0) : tmp.readUInt8(0));
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
}

const SYS_FIELDS: FieldDefX[] = [
  defineField({
    name: 'evt.latency', type: PT.RELTIME, fmt: PF.DEC,
    desc: 'nanoseconds between an exit event and the enter event it closes.',
    // (the evt.latency fields reserve a per-thread slot in sysdig, unused: see thread-state.ts)
    compile: () => { reserveThreadState(); return { extract: (c) => (eventThread(c) && isInternal(c.ev) ? undefined : latencyOf(c)) }; },
  }),
  simple('evt.latency.s', PT.RELTIME, PF.DEC, 'whole seconds of the latency.',
    (c) => (eventThread(c) && isInternal(c.ev) ? undefined : Math.floor(latencyOf(c) / NS)), { reservesThreadState: true }),
  simple('evt.latency.ns', PT.RELTIME, PF.PADDED_DEC_10, 'nanoseconds part of the latency.',
    (c) => (eventThread(c) && isInternal(c.ev) ? undefined : latencyOf(c) % NS), { reservesThreadState: true }),
  simple('evt.latency.quantized', PT.UINT64, PF.DEC, 'log10 bucket of the latency (used by table views).',
    (c) => {
      if (!eventThread(c) || isInternal(c.ev)) return undefined;
      const lat = latencyOf(c);
      if (lat === 0) return undefined;
      const l = Math.min(Math.log10(lat), 11);
      return Number(BigInt.asUintN(64, BigInt(Math.trunc((l * -1) / 11)))) + 1;
    }, { hidden: true, reservesThreadState: true }),
  defineField({
    name: 'evt.latency.human', type: PT.CHARBUF, fmt: PF.NA,
    desc: 'the latency as a short readable duration, such as 10.3ms.',
    compile: () => {
      reserveThreadState();
      let last = '';
      return {
        extract: (c) => {
          if (eventThread(c)) {
            if (isInternal(c.ev)) return undefined;
            last = humanDuration(latencyOf(c));
          }
          return last;
        },
      };
    },
  }),
  ...(['evt.deltatime', 'evt.deltatime.s', 'evt.deltatime.ns'] as const).map((name, k) => defineField({
    name, type: PT.RELTIME, fmt: k === 2 ? PF.PADDED_DEC_10 : PF.DEC,
    desc: k === 0 ? 'nanoseconds since the previous event this field was evaluated on.'
      : k === 1 ? 'whole seconds of evt.deltatime.' : 'nanoseconds part of evt.deltatime.',
    compile: () => {
      let prev: bigint | undefined;
      let delta: bigint = 0n;
      return {
        extract: (c: EvalContext) => {
          const ts = BigInt(c.ev.sec) * 1000000000n + BigInt(c.ev.nsec);
          if (prev === undefined || prev === 0n) { prev = ts; delta = 0n; }
          else {
            const d = BigInt.asUintN(64, ts - prev);
            delta = k === 0 ? d : k === 1 ? d / 1000000000n : d % 1000000000n;
            prev = ts;
          }
          return delta <= 9007199254740991n ? Number(delta) : delta;
        },
      };
    },
  })),
  defineField({
    name: 'evt.outputtime', type: PT.CHARBUF, fmt: PF.NA, hidden: true,
    desc: 'event time as chosen by the -t option (wall clock by default).',
    compile: () => {
      let prev: bigint | undefined;
      return {
        extract: (c) => {
          const ev = c.ev;
          switch (outputTimeFlag) {
            case 'a': return `${ev.sec}.${ev.nsec}`;
            case 'r': {
              const r = relNs(c);
              return `${u64Div(r, NS)}.${String(u64Mod(r, NS)).padStart(9, '0')}`;
            }
            case 'd': {
              if (!c.state.thread) return '0.000000000';
              const lat = latencyOf(c);
              return `${Math.floor(lat / NS)}.${String(lat % NS).padStart(9, '0')}`;
            }
            case 'D': {
              const ts = BigInt(ev.sec) * 1000000000n + BigInt(ev.nsec);
              if (prev === undefined || prev === 0n) prev = ts;
              const d = BigInt.asUintN(64, ts - prev);
              prev = ts;
              return `${d / 1000000000n}.${String(d % 1000000000n).padStart(9, '0')}`;
            }
            default: return timeString(ev.sec, ev.nsec, false, true);
          }
        },
      };
    },
  }),
  simple('evt.dir', PT.CHARBUF, PF.DIR, 'direction of the event: \'>\' when entering a call, \'<\' when leaving it.',
    (c) => (c.ev.info.enter ? '>' : '<')),
  simple('evt.type', PT.CHARBUF, PF.NA, 'name of the event, such as \'open\'.', (c) => typeName(c.ev)),
  defineField({
    name: 'evt.type.is', type: PT.UINT32, fmt: PF.NA, arg: ArgMode.REQUIRED_KEY,
    desc: 'takes an event type after a dot and yields 1 for events of that type, 0 otherwise (evt.type.is.open).',
    compile: (arg) => {
      let id0 = -1, id1 = -1;
      const n = arg === undefined ? undefined : parseUint32Strict(arg);
      if (n !== undefined) { id0 = n; id1 = PPM_EVENT_MAX_0293; }
      else if (arg !== undefined) {
        for (let j = 0; j < PPM_EVENT_MAX_0293 && j < EVENTS.length; j++) {
          if (EVENTS[j].name === arg) { id0 = j; id1 = j + 1; break; }
        }
      }
      return { extract: (c) => (c.ev.type === id0 || c.ev.type === id1 ? 1 : 0) };
    },
  }),
  SYSCALL_TYPE,
  simple('evt.category', PT.CHARBUF, PF.NA,
    'what the event is about: \'file\', \'net\', \'memory\', \'process\', \'IPC\' and so on; I/O events are classified by their fd.',
    categoryText),
  simple('evt.cpu', PT.INT16, PF.ID, 'CPU that produced the event.', (c) => c.ev.cpu),
  // (unlike evt.info, never the syslog decoder's line: sysdig's evt.args is the arguments only)
  simple('evt.args', PT.CHARBUF, PF.NA, 'every argument of the event, written as name=value pairs in one string.',
    (c) => (c.ev.type === E.GENERIC_E || c.ev.type === E.GENERIC_X ? '' : argsText(c))),
  defineField({
    name: 'evt.arg', type: PT.CHARBUF, fmt: PF.NA, arg: ArgMode.REQUIRED_KEY,
    desc: 'one argument of the event, picked by name (evt.arg.fd) or by position (evt.arg[0]); fds, errors and similar values come out resolved to text where possible.',
    compile: (arg) => {
      // A numeric argument is a position (evt.arg[0]); anything else a parameter name (evt.arg.fd).
      const n = arg === undefined ? undefined : parseInt32Strict(arg);
      const byIndex = n !== undefined;
      const idx = n ?? -1;
      const name = arg ?? '';
      const extract = (c: EvalContext): FieldValue => {
        let i: number;
        if (byIndex) {
          if (idx < 0 || idx >= paramCount(c.ev)) return undefined;
          i = idx;
        } else {
          i = paramIndexOf(c.ev, name);
          if (i < 0) return undefined;
        }
        const p = paramText(c, i);
        return p.resolved !== '' ? p.resolved : p.value;
      };
      return { extract };
    },
  }),
  defineField({
    name: 'evt.rawarg', type: PT.DYN, fmt: PF.NA, arg: ArgMode.REQUIRED_KEY,
    desc: 'one argument of the event, picked by name (evt.rawarg.res), as its raw value without any resolution.',
    compile: (arg) => {
      const want = arg ?? '';
      const p = longestParamName(want);
      if (!p) throw new Error('unknown event argument ' + want);
      const type = p.type;
      const extract = (c: EvalContext): FieldValue => {
        const i = paramIndexOf(c.ev, p.name);
        return i < 0 ? undefined : rawValue(c.ev, i, type);
      };
      return { extract, type, display: (c) => renderValue(type, PF.NA, extract(c)) };
    },
  }),
  simple('evt.info', PT.CHARBUF, PF.NA, 'usually the same text as evt.args; for some events a decoded, higher level summary.',
    (c) => syslogInfo(c) ?? (c.ev.type === E.GENERIC_E || c.ev.type === E.GENERIC_X ? '' : argsText(c))),
  defineField({
    name: 'evt.buffer', type: PT.BYTEBUF, fmt: PF.NA,
    desc: 'the data buffer of events that carry one (read, recvfrom ...); in filters, \'contains\' searches it.',
    compile: () => ({
      extract: (c) => {
        const i = paramIndexOf(c.ev, 'data');
        return i < 0 ? undefined : c.ev.bytes(i);
      },
      display: (c) => {
        const i = paramIndexOf(c.ev, 'data');
        return i < 0 ? undefined : paramText(c, i).value;
      },
    }),
  }),
  simple('evt.buflen', PT.UINT64, PF.DEC, 'size of the data buffer of events that carry one (read, recvfrom ...).',
    (c) => (c.state.fd && (legacyCategory(c.ev.info.category) & IO_BASE) ? bufLen(c.ev) : undefined)),
  simple('evt.res', PT.CHARBUF, PF.DEC, 'outcome of the call as text: \'SUCCESS\', or the error name (such as \'ENOENT\') when it failed.',
    (c) => {
      const i = resIndex(c.ev);
      if (i < 0) return undefined;
      const v = sval(c.ev, i);
      if (v >= 0) return 'SUCCESS';
      const p = paramText(c, i);
      return p.resolved !== '' ? p.resolved : p.value;
    }),
  simple('evt.rawres', PT.INT64, PF.DEC, 'return value of the call as a number (such as -2), for range comparisons.',
    (c) => resValue(c.ev)),
  simple('evt.failed', PT.BOOL, PF.NA, 'true when the call returned an error.', (c) => {
    const v = resValue(c.ev);
    return v !== undefined && v < 0;
  }),
  simple('evt.is_io', PT.BOOL, PF.NA, 'true for events that read from or write to an fd (read, send, recvfrom ...).',
    (c) => (c.ev.info.flags & (EF.READS_FROM_FD | EF.WRITES_TO_FD)) !== 0, { typeOnly: true }),
  simple('evt.is_io_read', PT.BOOL, PF.NA, 'true for events that read from an fd (read, recv, recvfrom ...).',
    (c) => (c.ev.info.flags & EF.READS_FROM_FD) !== 0, { typeOnly: true }),
  simple('evt.is_io_write', PT.BOOL, PF.NA, 'true for events that write to an fd (write, send ...).',
    (c) => (c.ev.info.flags & EF.WRITES_TO_FD) !== 0, { typeOnly: true }),
  simple('evt.io_dir', PT.CHARBUF, PF.NA, 'direction of an I/O event: \'read\' or \'write\'.',
    (c) => ((c.ev.info.flags & EF.WRITES_TO_FD) ? 'write' : (c.ev.info.flags & EF.READS_FROM_FD) ? 'read' : undefined)),
  simple('evt.is_wait', PT.BOOL, PF.NA, 'true for events that put the thread to wait (sleep, select, poll ...).',
    (c) => (c.ev.info.flags & EF.WAITS) !== 0, { typeOnly: true }),
  simple('evt.wait_latency', PT.RELTIME, PF.DEC, 'for waiting events, nanoseconds the thread spent waiting for the call to return.',
    (c) => ((c.ev.info.flags & EF.WAITS) && !c.ev.info.enter ? (c.state.thread ? latencyOf(c) : 0) : undefined)),
  simple('evt.is_syslog', PT.BOOL, PF.NA, 'true for writes to /dev/log.', (c) => {
    if (!(c.ev.info.flags & EF.WRITES_TO_FD)) return false;
    const fd = c.state.fd;
    return fd !== undefined && fd.name.includes('/dev/log');
  }),
  simple('evt.count', PT.UINT32, PF.DEC, 'always 1; handy for counting events in chisels.', () => 1),
  simple('evt.count.error', PT.UINT32, PF.DEC, '1 for events that returned an error; handy for counting failures in chisels.',
    (c) => errorCount(c.ev)),
  simple('evt.count.error.file', PT.UINT32, PF.DEC, '1 for failed events about files; for counting file errors in chisels.',
    (c) => {
      const fd = c.state.fd;
      if (fd) return isFileFd(fdType(fd)) ? errorCount(c.ev) : undefined;
      return isOpenExit(c.ev.type) ? errorCount(c.ev) : undefined;
    }),
  simple('evt.count.error.net', PT.UINT32, PF.DEC, '1 for failed events about network sockets; for counting network errors in chisels.',
    (c) => {
      const fd = c.state.fd;
      if (fd) return isNetFd(fdType(fd)) ? errorCount(c.ev) : undefined;
      return isAcceptConnectExit(c.ev.type) ? errorCount(c.ev) : undefined;
    }),
  simple('evt.count.error.memory', PT.UINT32, PF.DEC, '1 for failed memory events (brk, mmap ...); for counting them in chisels.',
    (c) => (legacyCategory(c.ev.info.category) === EC.MEMORY ? errorCount(c.ev) : undefined)),
  simple('evt.count.error.other', PT.UINT32, PF.DEC, '1 for failed events that are neither file, network nor memory ones.',
    (c) => {
      const fd = c.state.fd;
      if (fd) {
        const t = fdType(fd);
        return !(isFileFd(t) || isNetFd(t)) ? errorCount(c.ev) : undefined;
      }
      const t = c.ev.type;
      if (isOpenExit(t) || isAcceptConnectExit(t) || legacyCategory(c.ev.info.category) === EC.MEMORY) return undefined;
      return errorCount(c.ev);
    }),
  simple('evt.count.exit', PT.UINT32, PF.DEC, '1 for exit events; for counting calls (not directions) in chisels.',
    (c) => (c.ev.info.enter ? undefined : 1)),
  simple('evt.count.procinfo', PT.UINT32, PF.DEC, '1 for procinfo events of main threads (used by table views).',
    (c) => {
      if (c.ev.type !== E.PROCINFO_E) return undefined;
      const t = c.state.thread;
      return t && (t.pid === t.tid || (t.flags & (1 << 30))) ? 1 : undefined;
    }, { hidden: true }),
  simple('evt.count.threadinfo', PT.UINT32, PF.DEC, '1 for procinfo events (used by table views).',
    (c) => (c.ev.type === E.PROCINFO_E ? 1 : undefined), { hidden: true }),
  defineField({
    name: 'evt.around', type: PT.UINT64, fmt: PF.DEC, arg: ArgMode.REQUIRED_INDEX, filterOnly: true, displayMissing: true,
    desc: 'evt.around[T]=D keeps the events less than D milliseconds away from time T (a value of evt.rawtime).',
    compile: (arg) => {
      if (arg === undefined) throw new Error('wrong syntax for evt.around');
      if (parseUint64Strict(arg) === undefined) throw new Error(arg + ' is not a valid number');
      // the filter compiler matches it itself (lib/filter/special.ts); anywhere else it has no value
      return { extract: () => undefined };
    },
  }),
  defineField({
    name: 'evt.abspath', type: PT.CHARBUF, fmt: PF.NA, arg: ArgMode.OPTIONAL_KEY,
    desc: 'absolute path worked on by calls such as renameat or symlinkat, built from their dirfd and path; evt.abspath.src and evt.abspath.dst pick one of two paths.',
    compile: (arg) => {
      const which = arg === '.src' || arg === 'src' ? 1 : arg === '.dst' || arg === 'dst' ? 2 : 0;
      return { extract: (c) => absPath(c, which) };
    },
  }),
  ...bufLenVariants(),
  simple('evt.is_open_read', PT.BOOL, PF.NA, 'true for open, openat and openat2 events that open the path for reading.',
    (c) => openCheck(c.ev, 0)),
  simple('evt.is_open_write', PT.BOOL, PF.NA, 'true for open, openat and openat2 events that open the path for writing.',
    (c) => openCheck(c.ev, 1)),
  ...(['name', 'container.id', 'container.name', 'container.image'] as const).map((what) =>
    simple('evt.infra.docker.' + what, PT.CHARBUF, PF.NA, 'for docker infrastructure events, the ' + what + ' it reports.',
      (c) => dockerInfra(c.ev, what), { hidden: true })),
  simple('evt.is_open_exec', PT.BOOL, PF.NA, 'true for open, openat, openat2 and creat events that create a file with execute permission.',
    (c) => openCheck(c.ev, 2)),
];

function bufLenVariants(): FieldDefX[] {
  const specs: [string, string, (cat: number, t: number) => boolean][] = [
    ['evt.buflen.in', 'input', (cat) => cat === EC.IO_READ],
    ['evt.buflen.out', 'output', (cat) => cat === EC.IO_WRITE],
    ['evt.buflen.file', 'file', (cat, t) => (cat & IO_BASE) !== 0 && (t === FDT.FILE || t === FDT.FILE_V2)],
    ['evt.buflen.file.in', 'file input', (cat, t) => cat === EC.IO_READ && (t === FDT.FILE || t === FDT.FILE_V2)],
    ['evt.buflen.file.out', 'file output', (cat, t) => cat === EC.IO_WRITE && (t === FDT.FILE || t === FDT.FILE_V2)],
    ['evt.buflen.net', 'network', (cat, t) => (cat & IO_BASE) !== 0 && t >= FDT.IPV4_SOCK && t <= FDT.IPV6_SERVSOCK],
    ['evt.buflen.net.in', 'network input', (cat, t) => cat === EC.IO_READ && t >= FDT.IPV4_SOCK && t <= FDT.IPV6_SERVSOCK],
    ['evt.buflen.net.out', 'network output', (cat, t) => cat === EC.IO_WRITE && t >= FDT.IPV4_SOCK && t <= FDT.IPV6_SERVSOCK],
  ];
  return specs.map(([name, what, ok]) => simple(name, PT.UINT64, PF.DEC, `buffer size of ${what} I/O events only.`,
    (c) => {
      const fd = c.state.fd;
      if (!fd) return undefined;
      return ok(legacyCategory(c.ev.info.category), fdType(fd)) ? bufLen(c.ev) : undefined;
    }, { hidden: true }));
}

const O_RDONLY = 1, O_WRONLY = 2, O_CREAT = 4, O_TMPFILE = 0x2000;
const S_IXALL = 0x40 | 0x8 | 0x1;

function openCheck(ev: ScapEvent, what: number): boolean {
  const t = ev.type;
  if (t === E.SYSCALL_OPEN_X || t === E.SYSCALL_OPENAT_E || t === E.SYSCALL_OPENAT_2_X || t === E.SYSCALL_OPENAT2_X) {
    const newer = t === E.SYSCALL_OPENAT_2_X || t === E.SYSCALL_OPENAT2_X;
    const fi = newer ? 3 : 2;
    if (fi >= ev.nparams) return false;
    const flags = ev.u(fi);
    if (what === 0) return (flags & O_RDONLY) !== 0;
    if (what === 1) return (flags & O_WRONLY) !== 0;
    if (flags & (O_TMPFILE | O_CREAT)) {
      const mi = newer ? 4 : 3;
      return mi < ev.nparams && (ev.u(mi) & S_IXALL) !== 0;
    }
    return false;
  }
  if (what === 2 && t === E.SYSCALL_CREAT_X) return ev.nparams > 2 && (ev.u(2) & S_IXALL) !== 0;
  return false;
}

function dockerInfra(ev: ScapEvent, what: string): string | undefined {
  if (ev.type !== E.INFRASTRUCTURE_EVENT_E || ev.nparams < 3) return undefined;
  const key = what === 'name' ? 'Event' : what === 'container.id' ? 'ID' : what === 'container.name' ? 'name' : 'Image';
  for (const raw of ev.str(2).split(';')) {
    const e = raw.trim();
    if (!e.startsWith(key)) continue;
    const parts = e.split(':');
    if (what === 'container.image') {
      let v = parts[1] ?? '';
      if (v.includes('@')) v = v.slice(0, v.indexOf('@'));
      else if (v.includes('sha256')) v = e.slice(e.indexOf(':') + 1);
      return v.trim();
    }
    let v = (parts[1] ?? '').trim();
    if (what === 'container.id' && v.length > 12) v = v.slice(0, 12);
    return v;
  }
  return undefined;
}

export const EVT_SYSCALL: FieldClassX = {
  name: 'evt',
  shortDesc: 'Syscall events only',
  desc: 'Fields of system call events. Single arguments of a call are reached with evt.arg, as in evt.arg.filename.',
  fields: SYS_FIELDS,
  parse(text: string, pos: number): ParseResult | null {
    const at = (s: string) => text.startsWith(s, pos);
    if (at('evt.arg') && !at('evt.args')) return parseArg(text, pos, 'evt.arg', byName(SYS_FIELDS, 'evt.arg'), false);
    if (at('evt.rawarg')) return parseArg(text, pos, 'evt.rawarg', byName(SYS_FIELDS, 'evt.rawarg'), true);
    if (at('evt.around')) {
      const def = byName(SYS_FIELDS, 'evt.around');
      const c = text[pos + 10];
      if (c === '[') {
        const close = text.indexOf(']', pos);
        const inner = close < 0 ? text.slice(pos + 11) : text.slice(pos + 11, close);
        if (parseUint64Strict(inner) === undefined) throw new Error(inner + ' is not a valid number');
        const end = close < 0 ? pos : close + 1;
        return { def, arg: inner, end };
      }
      if (c === '.') throw new Error('wrong syntax for evt.around');
      throw new Error('filter syntax error: ' + text.slice(pos));
    }
    if (at('evt.abspath')) {
      const def = byName(SYS_FIELDS, 'evt.abspath');
      if (at('evt.abspath.src')) return { def, arg: 'src', end: pos + 15 };
      if (at('evt.abspath.dst')) return { def, arg: 'dst', end: pos + 15 };
      return { def, arg: undefined, end: pos + 11 };
    }
    if (at('evt.type.is')) {
      const def = byName(SYS_FIELDS, 'evt.type.is');
      if (text[pos + 11] !== '.') throw new Error('filter syntax error: ' + text.slice(pos));
      const rest = text.slice(pos + 12);
      if (parseUint32Strict(rest) !== undefined) return { def, arg: rest, end: text.length };
      for (let j = 0; j < PPM_EVENT_MAX_0293 && j < EVENTS.length; j++) {
        if (EVENTS[j].name === rest) return { def, arg: rest, end: text.length };
      }
      // sysdig accepts the name but consumes nothing.
      return { def, arg: undefined, end: pos };
    }
    return null;
  },
};

/** evt.arg / evt.rawarg argument forms: [N] (evt.arg only) or .name (longest known parameter name). */
function parseArg(text: string, pos: number, base: string, def: FieldDefX, raw: boolean): ParseResult {
  const p = pos + base.length;
  const c = text[p];
  if (c === '[') {
    if (raw) throw new Error('evt.arg fields must be expressed explicitly');
    const close = text.indexOf(']', pos);
    const inner = close < 0 ? text.slice(p + 1) : text.slice(p + 1, close);
    if (parseInt32Strict(inner) === undefined) throw new Error(inner + ' is not a valid number');
    // An unterminated bracket: sysdig's length arithmetic wraps to 0.
    if (close < 0) return { def, arg: inner, end: pos };
    return { def, arg: inner, end: close + 1 };
  }
  if (c === '.') {
    const found = longestParamName(text.slice(p + 1));
    if (!found) throw new Error('unknown event argument ' + text.slice(p + 1));
    return { def, arg: found.name, end: p + 1 + found.name.length };
  }
  throw new Error('filter syntax error: ' + text.slice(pos));
}

