// Fields whose filter comparison is not "extract one value, compare it":
// fd.ip/fd.net/fd.port/fd.proto (either end of the connection), proc.apid and
// proc.aname without an index (any ancestor), evt.around, and the
// fd.*ip.name domain fields. The rules are sysdig 0.29.3's, including the
// cases where it aborts (thrown as FilterRuntimeError).

import { parseInt32Strict } from '../fields/def';
import { readFileSync } from 'fs';
import type { EvalContext } from '../fields/types';
import type { FdInfo, ThreadInfo } from '../state/view';
import { eventFd as threadEventFd, isLocalAddr } from '../fields/ext';
import { dnsGeneration, rememberName } from '../fields/dns-names';
import { FilterRuntimeError } from './errors';
import { makePredicate, numericOpError, Predicate } from './compare';
import { PathPrefixSet } from './pmatch';
import { CO, CO_TEXT, Const, FilterField, T } from './types';
import { inetPton4, inetPton6 } from './values';

export type Matcher = (ctx: EvalContext) => boolean;

const EF_FD_MASK = 1 | 2 | 4; // CREATES_FD | DESTROYS_FD | USES_FD

const IP_ONLY = "filter error: IP filter only supports '=' and '!=' operators";
const PORT_OPS = 'filter error: unsupported port comparison operator';
const DOMAIN_OPS = "filter error: fd.*ip.name filter only supports '=' and '!=' operators";

/** Socket kinds of sysdig's fd types that carry addresses. */
const enum Sock { NONE = 0, V4 = 1, V4SERV = 2, V6 = 3, V6SERV = 4 }

function sockKind(fd: FdInfo): Sock {
  const tc = fd.typeChar;
  if (tc !== '4' && tc !== '6') return Sock.NONE;
  const srv = (fd as { isServerSocket?: boolean }).isServerSocket;
  const server = srv !== undefined ? srv : fd.dip === undefined;
  if (tc === '4') return server ? Sock.V4SERV : Sock.V4;
  return server ? Sock.V6SERV : Sock.V6;
}

/**
 * sysdig's extract_fd(): the fd of an fd event, if the event has a known
 * thread; when the event resolved none, the thread's last event fd (as the
 * fd.* fields see it).
 */
function eventFd(ctx: EvalContext): FdInfo | undefined {
  if ((ctx.ev.info.flags & EF_FD_MASK) === 0) return undefined;
  if (ctx.state.thread === undefined) return undefined;
  return threadEventFd(ctx.state);
}

const ZERO16 = Buffer.alloc(16);

function u32(b: Buffer | undefined): number {
  return b !== undefined && b.length >= 4 ? b.readUInt32LE(0) : 0;
}

function eqBytes(a: Buffer | undefined, b: Buffer, n: number): boolean {
  const x = a ?? ZERO16;
  for (let i = 0; i < n; i++) if ((x[i] ?? 0) !== b[i]) return false;
  return true;
}

/** fd.ip */
function fdIp(op: number, c: Const): Matcher {
  const k = c.bytes!;
  const k4 = k.readUInt32LE(0);
  return (ctx) => {
    const fd = eventFd(ctx);
    if (fd === undefined) return false;
    switch (sockKind(fd)) {
      case Sock.V4:
        if (op === CO.EQ || op === CO.IN) return u32(fd.sip) === k4 || u32(fd.dip) === k4;
        if (op === CO.NE) return u32(fd.sip) !== k4 && u32(fd.dip) !== k4;
        throw new FilterRuntimeError(IP_ONLY);
      case Sock.V4SERV:
        if (op === CO.EQ || op === CO.IN) return u32(fd.sip) === k4;
        if (op === CO.NE) return u32(fd.sip) !== k4;
        throw new FilterRuntimeError(IP_ONLY);
      case Sock.V6:
        if (op === CO.EQ || op === CO.IN) return eqBytes(fd.sip, k, 16) || eqBytes(fd.dip, k, 16);
        if (op === CO.NE) return !eqBytes(fd.sip, k, 16) && !eqBytes(fd.dip, k, 16);
        throw new FilterRuntimeError(IP_ONLY);
      case Sock.V6SERV:
        if (op === CO.EQ || op === CO.IN) return eqBytes(fd.sip, k, 16);
        if (op === CO.NE) return !eqBytes(fd.sip, k, 16);
        throw new FilterRuntimeError(IP_ONLY);
      default:
        return false;
    }
  };
}

function inV4Net(a: Buffer | undefined, net: Buffer): boolean {
  const x = a ?? ZERO16;
  for (let i = 0; i < 4; i++) if (((x[i] ?? 0) & net[4 + i]) !== (net[i] & net[4 + i])) return false;
  return true;
}

/** fd.net */
function fdNet(op: number, c: Const): Matcher {
  const k = c.bytes!;
  return (ctx) => {
    const fd = eventFd(ctx);
    if (fd === undefined) return false;
    switch (sockKind(fd)) {
      case Sock.V4:
        if (op === CO.EQ || op === CO.IN) return inV4Net(fd.sip, k) || inV4Net(fd.dip, k);
        if (op === CO.NE) return !inV4Net(fd.sip, k) && !inV4Net(fd.dip, k);
        throw new FilterRuntimeError(IP_ONLY);
      case Sock.V4SERV:
        if (op === CO.EQ || op === CO.IN) return inV4Net(fd.sip, k);
        if (op === CO.NE) return !inV4Net(fd.sip, k);
        throw new FilterRuntimeError(numericOpError(op, 'numeric filters', 'comparison operator not supported for ipv4 networks'));
      case Sock.V6:
        if (op === CO.EQ || op === CO.IN) return eqBytes(fd.sip, k, 8) || eqBytes(fd.dip, k, 8);
        if (op === CO.NE) return !eqBytes(fd.sip, k, 8) && !eqBytes(fd.dip, k, 8);
        throw new FilterRuntimeError(IP_ONLY);
      case Sock.V6SERV:
        if (op === CO.EQ || op === CO.IN) return eqBytes(fd.sip, k, 8);
        if (op === CO.NE) return !eqBytes(fd.sip, k, 8);
        if (op === CO.CONTAINS || op === CO.ICONTAINS || op === CO.STARTSWITH || op === CO.GLOB) {
          throw new FilterRuntimeError(`'${CO_TEXT[op]}' not supported for ipv6 networks`);
        }
        throw new FilterRuntimeError('comparison operator not supported for ipv6 networks');
      default:
        return false;
    }
  };
}

/** fd.port and fd.proto */
function fdPort(op: number, c: Const): Matcher {
  const k = Number(c.big ?? 0n) & 0xffff;
  return (ctx) => {
    const fd = eventFd(ctx);
    if (fd === undefined) return false;
    let s: number;
    let d: number;
    switch (sockKind(fd)) {
      case Sock.V4: case Sock.V6: s = fd.sport; d = fd.dport; break;
      case Sock.V4SERV: case Sock.V6SERV: s = fd.sport; d = fd.sport; break;
      default: return false;
    }
    switch (op) {
      case CO.EQ: case CO.IN: return s === k || d === k;
      case CO.NE: return s !== k && d !== k;
      case CO.LT: return s < k || d < k;
      case CO.LE: return s <= k || d <= k;
      case CO.GT: return s > k || d > k;
      case CO.GE: return s >= k || d >= k;
      default: throw new FilterRuntimeError(PORT_OPS);
    }
  };
}

/**
 * Whether a proc.apid/proc.aname index asks for any ancestor: none, or one
 * that reads as -1 (sysdig's 'no index' value: [-1] compares like no index).
 */
function indexMeansAny(arg: string | undefined): boolean {
  return arg === undefined || parseInt32Strict(arg) === -1;
}

/**
 * proc.apid / proc.aname without an index: true when some ancestor of the
 * process (its parent, grandparent, ...; not the process itself) satisfies
 * the comparison. Stops on loops in the parent chain as sysdig does.
 */
function anyAncestor(test: (t: ThreadInfo) => boolean): Matcher {
  return (ctx) => {
    const st = ctx.state;
    const tinfo = st.thread;
    if (tinfo === undefined) return false;
    const mt = tinfo.tid === tinfo.pid ? tinfo : st.mainThread(tinfo);
    if (mt === undefined) return false;
    const threads = st.threads;
    let slow = threads.get(mt.ptid);
    let fast = slow;
    fast = fast !== undefined ? threads.get(fast.ptid) : fast;
    while (slow !== undefined && slow.tid !== -1) {
      if (test(slow)) return true;
      slow = threads.get(slow.ptid);
      for (let i = 0; i < 2; i++) {
        fast = fast !== undefined ? threads.get(fast.ptid) : fast;
        if (slow !== undefined && (slow === fast || slow.tid === slow.ptid)) return false;
      }
    }
    return false;
  };
}

function ancestorsPid(op: number, c: Const | undefined): Matcher {
  if (op === CO.EXISTS) return anyAncestor(() => true);
  const pred = makePredicate(T.PID, op, c!);
  return anyAncestor((t) => pred(t.pid));
}

function ancestorsName(op: number, values: readonly Const[]): Matcher {
  if (op === CO.EXISTS) return anyAncestor(() => true);
  if (op === CO.IN) {
    const set = new Set(values.map((v) => v.str ?? ''));
    return anyAncestor((t) => set.has(t.comm));
  }
  if (op === CO.PMATCH) {
    const ps = new PathPrefixSet();
    for (const v of values) ps.add(v.str ?? '');
    return anyAncestor((t) => ps.match(t.comm));
  }
  const pred = makePredicate(T.CHARBUF, op, values[0]);
  return anyAncestor((t) => pred(t.comm));
}

/** evt.around[T]=D: |T - ts| within D milliseconds (uint64 arithmetic, as sysdig). */
function evtAround(op: number, arg: string | undefined, c: Const | undefined): Matcher {
  const MASK = (1n << 64n) - 1n;
  let center = 0n;
  if (arg !== undefined && /^\s*[+-]?[0-9]+$/.test(arg)) {
    const v = BigInt(arg.trim());
    center = v < 0n ? (v & MASK) : (v > MASK ? MASK : v);
  }
  const delta = op === CO.EQ && c !== undefined ? ((c.big ?? 0n) * 1000000n) & MASK : 0n;
  return (ctx) => {
    const ts = BigInt(ctx.ev.sec) * 1000000000n + BigInt(ctx.ev.nsec);
    const t1 = (ts - delta) & MASK;
    const t2 = (ts + delta) & MASK;
    return center >= t1 && center <= t2;
  };
}

// ---------------------------------------------------------------------------
// fd.*ip.name

let hostsTable: Map<string, { v4: Set<number>; v6: Buffer[] }> | undefined;

/** An IPv4 address in one of inet_aton's forms (a, a.b, a.b.c, a.b.c.d; each part decimal, 0octal or 0xhex), or undefined. */
function inetAton(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length > 4) return undefined;
  const vals: number[] = [];
  for (const p of parts) {
    const m = /^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$/.exec(p);
    if (!m) return undefined;
    const v = /^0[xX]/.test(p) ? (p.length > 2 ? parseInt(p.slice(2), 16) : 0) : p.length > 1 && p[0] === '0' ? parseInt(p, 8) : Number(p);
    if (!(v <= 0xffffffff)) return undefined;
    vals.push(v);
  }
  const last = vals.pop()!;
  if (vals.some((v) => v > 255) || last >= 2 ** (8 * (4 - vals.length))) return undefined;
  let r = 0;
  for (const v of vals) r = r * 256 + v;
  return r * 2 ** (8 * (4 - vals.length)) + last;
}

/** Addresses of a host name from /etc/hosts, or of an address as text (what sysdig's resolver gets offline). */
function resolveHost(name: string): { v4: Set<number>; v6: Buffer[] } {
  if (hostsTable === undefined) {
    hostsTable = new Map();
    let text = '';
    try { text = readFileSync('/etc/hosts', 'latin1'); } catch { /* none */ }
    for (const raw of text.split('\n')) {
      const line = raw.replace(/#.*/, '').trim();
      if (line === '') continue;
      const f = line.split(/\s+/);
      const b = Buffer.alloc(16);
      let v4: number | undefined;
      let v6: Buffer | undefined;
      if (inetPton4(f[0], b, 0)) v4 = b.readUInt32LE(0);
      else if (inetPton6(f[0], b)) v6 = Buffer.from(b);
      else continue;
      for (const h of f.slice(1)) {
        let e = hostsTable.get(h);
        if (e === undefined) hostsTable.set(h, e = { v4: new Set(), v6: [] });
        if (v4 !== undefined) e.v4.add(v4);
        if (v6 !== undefined) e.v6.push(v6);
      }
    }
  }
  const known = hostsTable.get(name);
  if (known !== undefined) return known;
  // an address written out resolves to itself (getaddrinfo, which takes inet_aton's forms: 127.1, 0x7f.0.0.1)
  const b = Buffer.alloc(16);
  const a = inetAton(name);
  if (a !== undefined) { b.writeUInt32BE(a, 0); return { v4: new Set([b.readUInt32LE(0)]), v6: [] }; }
  if (inetPton6(name, b)) return { v4: new Set(), v6: [Buffer.from(b)] };
  return { v4: new Set(), v6: [] };
}

/**
 * fd.*ip.name: the extracted name when sysdig has one cached, otherwise a
 * test of the address against the names in the filter (resolved from
 * /etc/hosts; this machine has no other resolver sysdig could use offline).
 */
function domainMatcher(field: FilterField, op: number, values: readonly Const[]): Matcher {
  const name = field.def.name;
  const which = name.slice(3, name.indexOf('.', 3)); // cip, sip, lip, rip
  const ex = field.extract;
  let test: (v: string) => boolean;
  if (op === CO.EXISTS) {
    test = () => true;
  } else if (op === CO.IN) {
    const set = new Set(values.map((v) => v.str ?? ''));
    test = (v) => set.has(v);
  } else if (op === CO.PMATCH) {
    const ps = new PathPrefixSet();
    for (const v of values) ps.add(v.str ?? '');
    test = (v) => ps.match(v);
  } else {
    const pred = makePredicate(T.CHARBUF, op, values[0]);
    test = (v) => pred(v);
  }
  const resolved = values.map((v) => ({ name: v.str ?? '', keptIn: 0, ...resolveHost(v.str ?? '') }));
  const matchAddr = (r: { name: string; keptIn: number; v4: Set<number>; v6: Buffer[] }, v6: boolean, addr: Buffer | undefined): boolean => {
    if (addr === undefined) return false;
    // sysdig's resolver keeps the name it resolved: the fd.*ip.name fields
    // print it from then on (kept once per run, on the first comparison)
    const g = dnsGeneration();
    if (r.keptIn !== g) { r.keptIn = g; rememberName(r.name, r.v4, r.v6); }
    if (!v6) return r.v4.has(u32(addr));
    for (const a of r.v6) if (eqBytes(addr, a, 16)) return true;
    return false;
  };
  return (ctx) => {
    const v = ex(ctx);
    if (v !== undefined) return test(typeof v === 'string' ? v : String(v));
    const fd = eventFd(ctx);
    if (fd === undefined) return false;
    const kind = sockKind(fd);
    if (kind !== Sock.V4 && kind !== Sock.V6) return false;
    if (fd.role === '') return false;
    const v6 = kind === Sock.V6;
    let addr: Buffer | undefined;
    if (which === 'cip') addr = fd.sip;
    else if (which === 'sip') addr = fd.dip;
    else {
      // lip/rip: the source address is local when the capture's interfaces
      // (or the thread's container) hold it, as for fd.lip/fd.rip
      const local = isLocalAddr(ctx.state, ctx.state.thread!, fd.sip);
      addr = (which === 'lip') === local ? fd.sip : fd.dip;
    }
    if (op === CO.IN) return resolved.some((r) => matchAddr(r, v6, addr));
    if (op === CO.EQ) return matchAddr(resolved[0], v6, addr);
    if (op === CO.NE) return !matchAddr(resolved[0], v6, addr);
    throw new FilterRuntimeError(DOMAIN_OPS);
  };
}

// ---------------------------------------------------------------------------

export interface SpecialResult {
  fn: Matcher;
  /** May throw FilterRuntimeError when evaluated. */
  mayThrow: boolean;
  /** Relative cost estimate. */
  cost: number;
}

/**
 * The matcher of a check on a field with a special comparison, or undefined
 * for ordinary fields.
 */
export function specialMatcher(field: FilterField, op: number, values: readonly Const[]): SpecialResult | undefined {
  const name = field.def.name;
  switch (name) {
    case 'fd.ip':
      return { fn: fdIp(op, values[0] ?? { raw: '', bytes: ZERO16 }), mayThrow: !(op === CO.EQ || op === CO.NE || op === CO.IN), cost: 6 };
    case 'fd.net':
      return { fn: fdNet(op, values[0] ?? { raw: '', bytes: ZERO16 }), mayThrow: !(op === CO.EQ || op === CO.NE || op === CO.IN), cost: 6 };
    case 'fd.port': case 'fd.proto':
      return { fn: fdPort(op, values[0] ?? { raw: '', big: 0n }), mayThrow: !(op >= CO.EQ && op <= CO.GE) && op !== CO.IN, cost: 6 };
    case 'proc.apid':
      if (!indexMeansAny(field.arg)) return undefined;
      return { fn: ancestorsPid(op, values[0]), mayThrow: !(op >= CO.EQ && op <= CO.GE) && op !== CO.EXISTS, cost: 20 };
    case 'proc.aname':
      if (!indexMeansAny(field.arg)) return undefined;
      return { fn: ancestorsName(op, values), mayThrow: false, cost: 20 };
    case 'evt.around':
      return { fn: evtAround(op, field.arg, values[0]), mayThrow: false, cost: 3 };
    case 'fd.cip.name': case 'fd.sip.name': case 'fd.lip.name': case 'fd.rip.name':
      return { fn: domainMatcher(field, op, values), mayThrow: !(op === CO.EQ || op === CO.NE || op === CO.IN), cost: 25 };
    default:
      return undefined;
  }
}

export type { Predicate };
