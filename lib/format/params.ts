// Event parameters as sysdig 0.29.3 prints them.
//
// Every parameter renders to two strings: the value ("3", "-2", "4097") and
// an optional resolved text that sysdig shows in parentheses ("<f>/etc/passwd",
// "ENOENT", "O_RDONLY|O_CLOEXEC"). evt.args / evt.info join them as
// "name=value(resolved) "; evt.arg.X shows the resolved text when there is
// one, else the value; evt.rawarg.X is the raw bytes and not handled here.
//
// Buffers depend on a process-wide output setting, as in sysdig where it is an
// inspector property: the encoding chosen by -A/-x/-X/-b, whether -j is on,
// and the 80-byte cut that applies to the plain encoding unless -v is given.

import type { EvalContext } from '../fields/types';
import type { FdInfo, StateView, ThreadInfo } from '../state/view';
import { fdOf } from '../state/view';
import type { ScapEvent } from '../event/event';
import type { ParamInfo } from '../schema/types';
import { PF, PT } from '../schema/types';
import { errnoResolve } from '../schema/errno';
import { signalName } from '../schema/signals';
import { syscallIdArg } from '../schema/syscalls';
import { resolveFlags } from '../schema/flags';
import { concatenatePaths } from '../state/paths';
import { cString } from '../util/bytes';
import { splitNul } from '../state/threads';
import { ipv4ToString, ipv6ToString, sockaddrText, socktupleText } from '../state/net';
import { fdL4proto, fdType, mainOf, FDT, L4P } from '../fields/ext';
import { paramCount, setParamRenderer } from '../fields/params';
import {
  BufEnc, IntConv, cFormatG, cInt, cStringPrintable, encodeBuffer, readI64Exact,
  readU64Exact, stripUnprintable,
} from './text';

export { BufEnc } from './text';

/** The output settings parameters depend on. */
export interface ParamFormat {
  /** Buffer encoding: DOTS (default), EOLS (-A), HEX (-x), HEXASCII (-X), BASE64 (-b). */
  enc: BufEnc;
  /** -j: buffers use the JSON variant of the encoding, and are never cut. */
  json: boolean;
  /** Longest buffer text in the plain encoding; longer ones end in "...". 0 = no limit (-v). */
  maxLen: number;
}

const settings: ParamFormat = { enc: BufEnc.DOTS, json: false, maxLen: 80 };

/** Changes the process-wide parameter output settings (the CLI sets them from its flags). */
export function setParamFormat(p: Partial<ParamFormat>): void {
  if (p.enc !== undefined) settings.enc = p.enc;
  if (p.json !== undefined) settings.json = p.json;
  if (p.maxLen !== undefined) settings.maxLen = p.maxLen;
}

export function getParamFormat(): Readonly<ParamFormat> {
  return settings;
}

/**
 * sysdig renders into one scratch buffer per inspector that only grows; two
 * visible effects follow and are reproduced: paths longer than that buffer
 * are cut, and an fd list rendered for an event without thread shows the
 * previous parameter's text.
 */
const scratch = { size: 1024, last: '' };

/** Forgets the scratch state (start of a new capture). */
export function resetParamState(): void {
  scratch.size = 1024;
  scratch.last = '';
}

/** A rendered parameter. `res` is '' when sysdig shows no parenthesised text. */
export interface ParamParts { raw: string; res: string }

const AT_FDCWD = -100;

/** How many parameters sysdig 0.29.3 loads for an event: its table's count capped by the record's. */
export const visibleParamCount: (ev: ScapEvent) => number = paramCount;

/** Index of the first visible parameter named `name`, or -1. */
export function visibleParamIndex(ev: ScapEvent, name: string): number {
  const n = visibleParamCount(ev);
  const ps = ev.info.params;
  for (let i = 0; i < n; i++) if (ps[i].name === name) return i;
  return -1;
}

// ---------------------------------------------------------------------------
// Integers

interface IntView { v: number | bigint; bits: 32 | 64 }
const iv: IntView = { v: 0, bits: 32 };

/** Reads an integer param of `type` from [o, o+len) as C would pass it to printf. */
function readIntArg(b: Buffer, o: number, len: number, type: PT): IntView {
  iv.bits = 32;
  switch (type) {
    case PT.INT8: iv.v = len >= 1 ? b.readInt8(o) : 0; break;
    case PT.INT16: iv.v = len >= 2 ? b.readInt16LE(o) : 0; break;
    case PT.INT32: iv.v = len >= 4 ? b.readInt32LE(o) : 0; break;
    case PT.UINT8: iv.v = len >= 1 ? b[o] : 0; break;
    case PT.UINT16: iv.v = len >= 2 ? b.readUInt16LE(o) : 0; break;
    // printf receives the uint32 for a %d conversion: it reads as signed.
    case PT.UINT32: case PT.MODE: iv.v = len >= 4 ? b.readInt32LE(o) : 0; break;
    default: iv.v = len >= 8 ? readI64Exact(b, o) : 0; iv.bits = 64; break;
  }
  return iv;
}

function convOf(fmt: PF): IntConv {
  switch (fmt) {
    case PF.OCT: return IntConv.OCT_ALT;
    case PF.HEX: return IntConv.HEX;
    case PF.PADDED_DEC_10: return IntConv.PAD9;
    default: return IntConv.DEC;
  }
}

// ---------------------------------------------------------------------------
// Addresses

export { sockaddrText, socktupleText } from '../state/net';

// ---------------------------------------------------------------------------
// fds

/** "<f>", "<4t>", ... : the fd's type char and, for IP sockets, its protocol. */
export function fdTag(fd: FdInfo): string {
  const t = fdType(fd);
  let proto = '';
  if (t === FDT.IPV4_SOCK || t === FDT.IPV6_SOCK || t === FDT.IPV4_SERVSOCK || t === FDT.IPV6_SERVSOCK) {
    switch (fdL4proto(fd)) {
      case L4P.TCP: proto = 't'; break;
      case L4P.UDP: proto = 'u'; break;
      case L4P.ICMP: proto = 'i'; break;
      case L4P.RAW: proto = 'r'; break;
    }
  }
  return '<' + fd.typeChar + proto + '>';
}

/** Resolved text of an fd number: "<f>/etc/passwd", "AT_FDCWD", an errno name, or ''. */
export function fdResolved(thread: ThreadInfo | undefined, fd: number): string {
  if (!thread) return '';
  if (fd >= 0) {
    const f = thread.fds.get(fd);
    return f ? fdTag(f) + stripUnprintable(f.name) : '';
  }
  if (fd === AT_FDCWD) return 'AT_FDCWD';
  return errnoResolve(fd) ?? '';
}

// ---------------------------------------------------------------------------
// Paths

function cwdOf(state: StateView, t: ThreadInfo): string {
  const m = mainOf(state, t);
  return m ? m.cwd : './';
}

/** Directory a relative path param is resolved against ('' when unknown), given the thread's cwd. */
function baseDir(ctx: EvalContext, info: ParamInfo, t: ThreadInfo, cwd: string): string {
  const ev = ctx.ev;
  if (info.type !== PT.FSRELPATH || info.dirfd === undefined) return cwd;
  const di = info.dirfd;
  const dinfo = ev.info.params[di];
  if (di >= visibleParamCount(ev) || !dinfo || dinfo.type !== PT.FD || ev.paramLen(di) < 8) return cwd;
  const dirfd = readI64Exact(ev.buf, ev.paramOff(di));
  if (dirfd === AT_FDCWD) return cwd;
  const f = typeof dirfd === 'number' ? fdOf(t, dirfd) : undefined;
  // sysdig would then ask /proc of the machine it runs on; a replay has no such process.
  if (!f || f.name === '') return '';
  return stripUnprintable(f.name) + '/';
}

function pathResolved(ctx: EvalContext, info: ParamInfo, o: number, len: number): string {
  const t = ctx.state.thread;
  if (!t || len === 0) return '';
  const b = ctx.ev.buf;
  if (len >= 4 && b[o] === 0x3c && b[o + 1] === 0x4e && b[o + 2] === 0x41 && b[o + 3] === 0x3e) return ''; // "<NA>"
  // sysdig reads the thread's cwd first whatever the path: the lookup of a
  // main thread no longer in the table puts a stand-in there (seen later as
  // pid=N(<NA>)), so it is made for an absolute path too
  const cwd = cwdOf(ctx.state, t);
  if (b[o] === 0x2f) return ''; // absolute: shown as is
  const base = baseDir(ctx, info, t, cwd);
  if (b[o] === 0) {
    // An empty path resolves to the directory itself, without its trailing slash.
    return base.length > 1 && base.endsWith('/') ? base.slice(0, -1) : base;
  }
  // sysdig sizes this buffer to fit: no length limit here
  return concatenatePaths(base, b.subarray(o, o + len), Infinity);
}

// ---------------------------------------------------------------------------
// The renderer

/**
 * The transport a socket address parameter's ports are named for (-R): the
 * event's fd's as sysdig's get_l4proto gives it (none for a socket without
 * a role yet), unknown without an fd.
 */
function eventL4proto(ctx: EvalContext): number {
  const f = ctx.state.fd;
  return f ? fdL4proto(f) : 0;
}

/**
 * Renders parameter i of the current event into `out` (reused, no allocation
 * besides the strings). The parameter must be below visibleParamCount().
 */
export function renderParamInto(ctx: EvalContext, i: number, out: ParamParts): ParamParts {
  const ev = ctx.ev;
  const outer = ev.info.params[i];
  let o = ev.paramOff(i);
  let len = ev.paramLen(i);
  let info: ParamInfo = outer;
  out.res = '';
  if (!outer) { out.raw = ''; return out; }
  const b = ev.buf;
  if (outer.type === PT.DYN) {
    if (outer.dyn && len > 0 && b[o] < outer.dyn.length) {
      info = outer.dyn[b[o]];
      o++; len--;
    } else {
      return setRaw(out, 'INVALID DYNAMIC PARAMETER');
    }
  }
  // The numeric format always comes from the declared parameter, even for DYN.
  const fmt = outer.fmt;
  switch (info.type) {
    case PT.INT8: case PT.INT16: case PT.INT32: case PT.INT64:
    case PT.UINT8: case PT.UINT16: case PT.UINT32: case PT.UINT64: {
      const x = readIntArg(b, o, len, info.type);
      if (fmt === PF.DEC || fmt === PF.ID || fmt === PF.NA) return setRaw(out, '' + x.v);
      return setRaw(out, cInt(x.v, x.bits, convOf(fmt)));
    }
    case PT.FD: case PT.FD32: {
      const fd = info.type === PT.FD ? (len >= 8 ? readI64Exact(b, o) : 0) : (len >= 4 ? b.readInt32LE(o) : 0);
      out.res = typeof fd === 'number' ? fdResolved(ctx.state.thread, fd) : '';
      return setRaw(out, '' + fd);
    }
    case PT.PID: case PT.PID32: {
      const pid = info.type === PT.PID ? (len >= 8 ? readI64Exact(b, o) : 0) : (len >= 4 ? b.readInt32LE(o) : 0);
      const t = typeof pid === 'number' ? ctx.state.threads.get(pid) : undefined;
      if (t) out.res = t.comm;
      return setRaw(out, String(pid));
    }
    case PT.ERRNO: {
      const v = len >= 8 ? readI64Exact(b, o) : len >= 4 ? b.readInt32LE(o) : 0;
      out.res = v < 0 ? errnoResolve(v) ?? '' : '';
      return setRaw(out, '' + v);
    }
    case PT.CHARBUF: {
      if (len > scratch.size) scratch.size = len;
      // sysdig prints a C string from the param's address: an empty param shows the bytes that follow it.
      return setRaw(out, cString(b, o, len === 0 ? ev.off + ev.len : o + len));
    }
    case PT.FSPATH: case PT.FSRELPATH: {
      out.res = pathResolved(ctx, info, o, len);
      // An empty param leaves sysdig's scratch buffer as it was.
      if (len === 0) return out.raw = scratch.last, out;
      // Copied into the scratch buffer: at most min(len, size) - 1 printable chars survive a cut.
      const lim = len < scratch.size ? len : scratch.size;
      const s = cStringPrintable(b, o, o + len);
      return setRaw(out, s.length >= lim ? s.slice(0, lim - 1) : s);
    }
    case PT.BYTEBUF:
      return setRaw(out, bufferText(b, o, len));
    case PT.SOCKADDR:
      return setRaw(out, sockaddrText(b, o, len, eventL4proto(ctx)));
    case PT.SOCKTUPLE:
      return setRaw(out, socktupleText(b, o, len, eventL4proto(ctx)));
    case PT.FDLIST: {
      const t = ctx.state.thread;
      if (!t) return out.raw = scratch.last, out; // sysdig leaves its scratch buffer untouched
      return setRaw(out, fdListText(t, b, o, len));
    }
    case PT.SYSCALLID: {
      const a = syscallIdArg(len >= 2 ? b.readUInt16LE(o) : 0);
      out.res = a.resolved ?? '';
      return setRaw(out, a.value);
    }
    case PT.SIGTYPE: {
      const sig = len >= 1 ? b[o] : 0;
      out.res = signalName(sig) ?? '';
      return setRaw(out, String(sig));
    }
    case PT.RELTIME: {
      const v = len >= 8 ? readU64Exact(b, o) : 0;
      if (v === 0xffffffffffffffffn) return setRaw(out, 'none');
      out.res = cFormatG(Number(v) / 1e9) + 's';
      return setRaw(out, String(v));
    }
    case PT.FLAGS8: case PT.FLAGS16: case PT.FLAGS32: {
      const v = info.type === PT.FLAGS8 ? (len >= 1 ? b[o] : 0)
        : info.type === PT.FLAGS16 ? (len >= 2 ? b.readUInt16LE(o) : 0) : (len >= 4 ? b.readUInt32LE(o) : 0);
      // The table is the declared parameter's (a DYN's own table would be something else).
      if (outer.flags) out.res = resolveFlags(outer.flags, v);
      return setRaw(out, String(v));
    }
    case PT.MODE: {
      const x = readIntArg(b, o, len, PT.MODE);
      if (outer.flags) out.res = resolveFlags(outer.flags, len >= 4 ? b.readUInt32LE(o) : 0);
      return setRaw(out, cInt(x.v, 32, convOf(fmt)));
    }
    case PT.ENUMFLAGS8: case PT.ENUMFLAGS16: case PT.ENUMFLAGS32: {
      // Newer libs only: the value and the name of the entry equal to it.
      const v = info.type === PT.ENUMFLAGS8 ? (len >= 1 ? b[o] : 0)
        : info.type === PT.ENUMFLAGS16 ? (len >= 2 ? b.readUInt16LE(o) : 0) : (len >= 4 ? b.readUInt32LE(o) : 0);
      const tab = outer.flags;
      if (tab) for (const f of tab) if (f.value >>> 0 === v) { out.res = f.name; break; }
      return setRaw(out, String(v));
    }
    case PT.UID: case PT.GID: {
      const v = len >= 4 ? b.readUInt32LE(o) : 0;
      if (v === 0xffffffff) { out.res = '<NONE>'; return setRaw(out, '-1'); }
      const rec = info.type === PT.UID ? ctx.state.users.get(v) : ctx.state.groups.get(v);
      out.res = rec ? stripUnprintable(rec.name) : '<NA>';
      return setRaw(out, String(v | 0));
    }
    case PT.SIGSET: {
      const v = len >= 4 ? b.readUInt32LE(o) : 0;
      let s = '';
      for (let sig = 0; sig < 32; sig++) {
        if (v & (1 << sig)) {
          const n = signalName(sig + 1);
          if (n) s += s === '' ? n : ' ' + n;
        }
      }
      return setRaw(out, s);
    }
    case PT.ABSTIME:
      // sysdig 0.29.3 has no rendering for it and shares the DYN error text;
      // no event it knows carries one. Newer params show the number.
      if (ev.info.sysdigParams !== undefined && i < ev.info.sysdigParams) return setRaw(out, 'INVALID DYNAMIC PARAMETER');
      return setRaw(out, len >= 8 ? String(readU64Exact(b, o)) : '0');
    case PT.DYN:
      return setRaw(out, 'INVALID DYNAMIC PARAMETER');
    // Types sysdig 0.29.3 never finds in an event param; rendered the way newer libs do.
    case PT.PORT:
      return setRaw(out, String(len >= 2 ? b.readUInt16LE(o) : 0));
    case PT.IPV4ADDR:
      return setRaw(out, len >= 4 ? ipv4ToString(b, o) : '');
    case PT.IPV6ADDR:
      return setRaw(out, len >= 16 ? ipv6ToString(b, o) : '');
    case PT.IPADDR:
      return setRaw(out, len === 4 ? ipv4ToString(b, o) : len === 16 ? ipv6ToString(b, o) : '');
    case PT.BOOL:
      return setRaw(out, len >= 1 && b[o] !== 0 ? 'true' : 'false');
    case PT.L4PROTO: case PT.SOCKFAMILY:
      return setRaw(out, String(len >= 1 ? b[o] : 0));
    case PT.DOUBLE:
      return setRaw(out, len >= 8 ? String(b.readDoubleLE(o)) : '0');
    // Tracer events' tags and arguments: in the records scry builds for them
    // (lib/state/engine.ts), NUL-terminated strings; shown as sysdig joins them.
    case PT.CHARBUFARRAY:
      return setRaw(out, splitNul(b.subarray(o, o + len), false).join('.'));
    case PT.CHARBUF_PAIR_ARRAY: {
      const parts = splitNul(b.subarray(o, o + len), false);
      let s = '';
      for (let i = 0; i + 1 < parts.length; i += 2) s += (i ? ',' : '') + parts[i] + ':' + parts[i + 1];
      return setRaw(out, s);
    }
    default:
      return setRaw(out, '(n.a.)');
  }
}

function setRaw(out: ParamParts, s: string): ParamParts {
  out.raw = s;
  scratch.last = s;
  return out;
}

function fdListText(t: ThreadInfo, b: Buffer, o: number, len: number): string {
  if (len < 2) return '';
  const n = b.readUInt16LE(o);
  let s = '';
  let p = o + 2;
  for (let j = 0; j < n && p + 10 <= o + len; j++, p += 10) {
    const fd = readI64Exact(b, p);
    const f = typeof fd === 'number' ? fdOf(t, fd) : undefined;
    const ch = f ? f.typeChar : '?';
    if (j > 0) s += ' ';
    s += cInt(fd, 64, IntConv.UDEC) + ':' + ch + (b.readInt16LE(p + 8) >>> 0).toString(16);
  }
  // Written into the scratch buffer: cut at its size.
  return s.length > scratch.size - 1 ? s.slice(0, scratch.size - 1) : s;
}

/**
 * A byte buffer in the current encoding: what data=, args=, evt.buffer show.
 * The plain encoding outside -j is cut to the configured length, ending in "...".
 */
export function bufferText(b: Buffer, o: number, len: number): string {
  const max = settings.maxLen;
  if (settings.enc === BufEnc.DOTS && !settings.json && max > 3 && len > max) {
    // One character per byte: only the part that is shown needs encoding.
    while (len >= scratch.size - 1) scratch.size *= 2;
    return encodeBuffer(b, o, o + max - 3, BufEnc.DOTS) + '...';
  }
  const s = encodeBuffer(b, o, o + len, settings.enc);
  while (s.length >= scratch.size - 1) scratch.size *= 2;
  if (max !== 0 && s.length > max && settings.enc === BufEnc.DOTS && !settings.json) {
    return max > 3 ? s.slice(0, max - 3) + '...' : s.slice(0, max);
  }
  return s;
}

const tmp: ParamParts = { raw: '', res: '' };

/** Parameter i as a fresh { value, resolved } pair (the shape lib/fields expects). */
export function renderParam(ctx: EvalContext, i: number): { value: string; resolved: string } {
  renderParamInto(ctx, i, tmp);
  return { value: tmp.raw, resolved: tmp.res };
}

/** evt.arg.X / evt.arg[N] text: the resolved text when there is one, else the value. */
export function paramDisplay(ctx: EvalContext, i: number): string | undefined {
  if (i < 0 || i >= visibleParamCount(ctx.ev)) return undefined;
  renderParamInto(ctx, i, tmp);
  return tmp.res !== '' ? tmp.res : tmp.raw;
}

const GENERIC_E = 0, GENERIC_X = 1;

/** "name=" of each parameter, per event type. */
const NAMES: (string[] | undefined)[] = [];

function namesOf(ev: ScapEvent): string[] {
  const info = ev.info;
  if (info.id < 0) return info.params.map((p) => p.name + '=');
  let a = NAMES[info.id];
  if (!a) { a = info.params.map((p) => p.name + '='); NAMES[info.id] = a; }
  return a;
}

/**
 * evt.args (and evt.info, which sysdig only replaces with protocol decoder
 * output): "name=value " or "name=value(resolved) " per parameter; empty for
 * the generic syscall events.
 */
export function renderArgs(ctx: EvalContext): string {
  const ev = ctx.ev;
  if (ev.type === GENERIC_E || ev.type === GENERIC_X) return '';
  const n = visibleParamCount(ev);
  const names = namesOf(ev);
  let s = '';
  for (let i = 0; i < n; i++) {
    renderParamInto(ctx, i, tmp);
    s += tmp.res === '' ? names[i] + tmp.raw + ' ' : names[i] + tmp.raw + '(' + tmp.res + ') ';
  }
  return s;
}

/** evt.buffer: the "data" parameter in the current encoding, undefined when the event has none. */
export function eventBufferText(ctx: EvalContext): string | undefined {
  const i = visibleParamIndex(ctx.ev, 'data');
  if (i < 0) return undefined;
  renderParamInto(ctx, i, tmp);
  return tmp.raw;
}

// The field catalog (evt.arg.X, evt.args, evt.info, evt.res, ...) renders parameters through this module.
setParamRenderer(renderParam, renderArgs);
