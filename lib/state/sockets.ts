// The socket parsers of the state engine: socket, socketpair, bind,
// connect, accept and the tuples of sendto/recvfrom and friends, as
// sysdig's parser fills an fd's addresses, ports, role and name.

import { ScapEvent } from '../event/event';
import { FdType, InterfaceRecord } from '../event/records';
import { E } from '../schema/ids';
import { EF } from '../schema/types';
import { AF, ipv4ToString, ipv6ToString, isIpv4MappedIpv6, L4, sockaddrText, socktupleText, tupleString, u64Hex } from './net';
import { FDF, Fd, Thread } from './threads';

const SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3;
const IPPROTO_IP = 0, IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17, IPPROTO_RAW = 255;

/** What the socket parsers read and change in the state engine. */
export interface SocketState {
  readonly curThread: Thread | undefined;
  /** The current event's fd (set by the engine before parsing). */
  fd: Fd | undefined;
  /** The current event's fd number (sysdig's m_lastevent_fd, as fd.num shows it after parsing). */
  fdNum: number;
  readonly interfaceList: readonly InterfaceRecord[];
  addFd(num: number, f: Fd): Fd;
  /** The stored enter event matching exit event ev, if valid. */
  retrieveEnter(ev: ScapEvent): ScapEvent | undefined;
  /** Whether ev was written by current libs (its exit carries its own arguments). */
  isModern(ev: ScapEvent): boolean;
}

export function parseSocketpairExit(st: SocketState, ev: ScapEvent): void {
  if (ev.s(0) < 0 || !st.curThread || ev.nparams < 5) return;
  const src = u64Hex(ev.buf, ev.paramOff(3)), dst = u64Hex(ev.buf, ev.paramOff(4));
  const mk = () => { const f = new Fd(); f.type = FdType.UNIX_SOCK; f.unixSource = src; f.unixDest = dst; return f; };
  const first = st.addFd(ev.s(1), mk());
  st.addFd(ev.s(2), mk());
  st.fd = first;
}

/**
 * A sendto on an fd the thread's table does not hold: sysdig 0.29.3 adds a
 * UDP socket of the tuple's family for it (its infer_sendto_fdinfo), without
 * addresses, so the enter already shows fd=N(<4>).
 */
export function inferSendtoFd(st: SocketState, ev: ScapEvent): void {
  if (st.fd || !st.curThread || ev.nparams < 3 || ev.paramLen(2) === 0) return;
  const fd = ev.s(0);
  if (fd < 0) return;
  const family = ev.buf[ev.paramOff(2)];
  if (family !== AF.INET && family !== AF.INET6) return;
  const f = new Fd();
  f.type = family === AF.INET ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
  f.l4proto = L4.UDP;
  st.fd = st.addFd(fd, f);
}

export function parseSocketExit(st: SocketState, ev: ScapEvent): void {
  const fd = ev.s(0);
  if (fd < 0 || !st.curThread) return;
  const enter = st.retrieveEnter(ev);
  let domain: number, type: number, proto: number;
  if (enter && enter.nparams >= 3) { domain = enter.u(0); type = enter.u(1); proto = enter.u(2); }
  else if (ev.nparams >= 4) { domain = ev.u(1); type = ev.u(2); proto = ev.u(3); }
  else return;
  const f = new Fd();
  if (domain === AF.UNIX) f.type = FdType.UNIX_SOCK;
  else if (domain === AF.INET || domain === AF.INET6) {
    f.type = domain === AF.INET ? FdType.IPV4_SOCK : FdType.IPV6_SOCK;
    let l4 = L4.UNKNOWN;
    if (proto === IPPROTO_TCP) l4 = type === SOCK_RAW ? L4.RAW : L4.TCP;
    else if (proto === IPPROTO_UDP) l4 = type === SOCK_RAW ? L4.RAW : L4.UDP;
    else if (proto === IPPROTO_IP) {
      if ((type & 0xff) === SOCK_STREAM) l4 = L4.TCP;
      else if ((type & 0xff) === SOCK_DGRAM) l4 = L4.UDP;
    } else if (proto === IPPROTO_ICMP) l4 = type === SOCK_RAW ? L4.RAW : L4.ICMP;
    else if (proto === IPPROTO_RAW) l4 = L4.RAW;
    f.l4proto = l4;
  } else if (domain === AF.NETLINK) f.type = FdType.NETLINK;
  // other families: an fd of unknown type ('o'), which sysdig 0.29.3 keeps
  // (it is built with INCLUDE_UNKNOWN_SOCKET_FDS)
  else f.type = FdType.UNKNOWN;
  st.addFd(fd, f);
}

export function parseBindExit(st: SocketState, ev: ScapEvent): void {
  const f = st.fd;
  if (!f || ev.s(0) < 0 || ev.nparams < 2) return;
  const len = ev.paramLen(1);
  if (len === 0) return;
  const o = ev.paramOff(1), b = ev.buf;
  const fam = b[o];
  if (fam === AF.INET && len >= 7) {
    const port = b.readUInt16LE(o + 5);
    if (port > 0) {
      f.type = FdType.IPV4_SERVSOCK; f.sip = Buffer.from(b.subarray(o + 1, o + 5)); f.sport = port; f.role = 'server';
    }
  } else if (fam === AF.INET6 && len >= 19) {
    const port = b.readUInt16LE(o + 17);
    if (port > 0) {
      if (isIpv4MappedIpv6(b, o + 1)) { f.type = FdType.IPV4_SERVSOCK; f.sip = Buffer.from(b.subarray(o + 13, o + 17)); }
      else { f.type = FdType.IPV6_SERVSOCK; f.sip = Buffer.from(b.subarray(o + 1, o + 17)); }
      f.sport = port; f.role = 'server';
    }
  }
  f.name = sockaddrText(b, o, len, f.l4proto);
}

export function parseConnectEnter(st: SocketState, ev: ScapEvent): void {
  const f = st.fd;
  if (!f || ev.nparams < 2) return;
  const len = ev.paramLen(1);
  if (len === 0) return;
  const o = ev.paramOff(1), b = ev.buf;
  const fam = b[o];
  // sysdig takes the address and port whatever the parameter's length (a
  // short one reads the bytes that follow it), and leaves the fd's name
  if (fam === AF.INET || fam === AF.INET6) {
    const a = len >= 19 ? b : bytesAt(b, o, 19);
    const p = a === b ? o : 0;
    if (fam === AF.INET) {
      f.type = FdType.IPV4_SOCK; f.dip = Buffer.from(a.subarray(p + 1, p + 5)); f.dport = a.readUInt16LE(p + 5);
    } else {
      const port = a.readUInt16LE(p + 17);
      if (isIpv4MappedIpv6(a, p + 1)) { f.type = FdType.IPV4_SOCK; f.dip = Buffer.from(a.subarray(p + 13, p + 17)); }
      else { f.type = FdType.IPV6_SOCK; f.dip = Buffer.from(a.subarray(p + 1, p + 17)); }
      f.dport = port;
    }
  } else {
    f.name = sockaddrText(b, o, len, f.l4proto);
    // (a shorter address: sysdig reads whatever its buffer holds past it; zeros here)
    setUnixInfo(f, len >= 17 ? b : bytesAt(b.subarray(o, o + len), 0, 17), len >= 17 ? o : 0);
  }
}

/**
 * sysdig's set_unix_info: 16 bytes after the family become the unix
 * source and destination. They share a union with the inet addresses, so
 * an inet fd's addresses, ports and protocol are overwritten with the same
 * bytes (the layouts of sysdig's ipv4tuple, ipv4serverinfo, ipv6tuple).
 */
function setUnixInfo(f: Fd, b: Buffer, o: number): void {
  f.unixSource = u64Hex(b, o + 1); f.unixDest = u64Hex(b, o + 9);
  switch (f.type) {
    case FdType.IPV4_SOCK:
      f.sip = Buffer.from(b.subarray(o + 1, o + 5)); f.dip = Buffer.from(b.subarray(o + 5, o + 9));
      f.sport = b.readUInt16LE(o + 9); f.dport = b.readUInt16LE(o + 11); f.l4proto = b[o + 13];
      break;
    case FdType.IPV4_SERVSOCK:
      f.sip = Buffer.from(b.subarray(o + 1, o + 5)); f.sport = b.readUInt16LE(o + 5); f.l4proto = b[o + 7];
      break;
    case FdType.IPV6_SOCK: case FdType.IPV6_SERVSOCK:
      f.sip = Buffer.from(b.subarray(o + 1, o + 17));
      break;
  }
}

/** n bytes of b from o, zeros past its end. */
function bytesAt(b: Buffer, o: number, n: number): Buffer {
  const out = Buffer.alloc(n);
  b.copy(out, 0, o, Math.min(b.length, o + n));
  return out;
}

export function parseConnectExit(st: SocketState, ev: ScapEvent): void {
  const f = st.fd;
  if (!f) return;
  const res = ev.s(0);
  if (res < 0 && res !== -115 /* EINPROGRESS */) return;
  f.flags |= FDF.CONNECTED;
  if (ev.nparams < 2 || ev.paramLen(1) === 0) return;
  fillClientSocket(f, ev.buf, ev.paramOff(1), ev.paramLen(1));
}

/**
 * An inet fd's name as sysdig writes it from the fd's addresses when a
 * tuple arrives (sockinfo_to_str): TCP and UDP give the tuple, ICMP (and raw
 * IPv4) the addresses alone, any other protocol '<unknown>'.
 */
function inetName(f: Fd): string {
  const p = f.l4proto, v4 = f.type === FdType.IPV4_SOCK;
  if (p === L4.TCP || p === L4.UDP) return tupleString(f.sip!, f.sport, f.dip!, f.dport, p);
  if (p === L4.ICMP || (v4 && p === L4.RAW)) {
    const ip = (a: Buffer) => (a.length === 4 ? ipv4ToString(a) : isIpv4MappedIpv6(a) ? ipv4ToString(a, 12) : ipv6ToString(a));
    return ip(f.sip!) + '->' + ip(f.dip!);
  }
  return '<unknown>';
}

function fillClientSocket(f: Fd, b: Buffer, o: number, len: number): void {
  const fam = b[o];
  if (fam === AF.INET || fam === AF.INET6) {
    let changed: boolean;
    if (fam === AF.INET6 && !(isIpv4MappedIpv6(b, o + 1) && isIpv4MappedIpv6(b, o + 19))) {
      f.type = FdType.IPV6_SOCK;
      changed = setTuple(f, b, o, true);
    } else {
      f.type = FdType.IPV4_SOCK;
      changed = setTuple(f, b, o, false);
    }
    if (changed && f.role === 'server' && f.l4proto === L4.UDP) swapAddresses(f);
    f.name = inetName(f);
  } else {
    if (f.type !== FdType.UNIX_SOCK) { /* sysdig only warns */ }
    f.name = socktupleText(b, o, len, f.l4proto);
    if (len >= 17) { f.unixSource = u64Hex(b, o + 1); f.unixDest = u64Hex(b, o + 9); }
  }
  if (f.role === '') f.role = 'client';
}

export function parseAcceptExit(st: SocketState, ev: ScapEvent): void {
  const t = st.curThread;
  if (!t) return;
  const fd = ev.s(0);
  if (fd < 0) return;
  st.fdNum = t.lastEventFd = fd;
  if (ev.nparams < 2 || ev.paramLen(1) === 0) return;
  const b = ev.buf, o = ev.paramOff(1), len = ev.paramLen(1);
  const f = new Fd();
  const fam = b[o];
  if (fam === AF.INET) {
    setTuple(f, b, o, false); f.type = FdType.IPV4_SOCK; f.l4proto = L4.TCP;
  } else if (fam === AF.INET6) {
    if (isIpv4MappedIpv6(b, o + 1) && isIpv4MappedIpv6(b, o + 19)) { setTuple(f, b, o, false); f.type = FdType.IPV4_SOCK; }
    else { setTuple(f, b, o, true); f.type = FdType.IPV6_SOCK; }
    f.l4proto = L4.TCP;
  } else if (fam === AF.UNIX) {
    f.type = FdType.UNIX_SOCK;
    if (len >= 17) { f.unixSource = u64Hex(b, o + 1); f.unixDest = u64Hex(b, o + 9); }
  } else return;
  f.name = fam === AF.UNIX ? socktupleText(b, o, len, f.l4proto) : tupleString(f.sip!, f.sport, f.dip!, f.dport, f.l4proto);
  f.role = 'server';
  f.flags |= FDF.CONNECTED;
  st.addFd(fd, f);
}

export function parseRwExit(st: SocketState, ev: ScapEvent): void {
  const f = st.fd;
  if (!f) return;
  const res = ev.s(0);
  if (res < 0) return;
  if (f.isInetSocket) f.flags |= FDF.CONNECTED;
  const type = ev.type;
  const reads = (ev.info.flags & EF.READS_FROM_FD) !== 0;
  let src: ScapEvent | undefined;
  let param = -1;
  if (reads) {
    if (type === E.SOCKET_RECVFROM_X) param = 2;
    else if (type === E.SOCKET_RECVMSG_X) param = 3;
    src = ev;
  } else if (type === E.SOCKET_SENDTO_X || type === E.SOCKET_SENDMSG_X) {
    param = 2;
  }
  if (param < 0) return;
  if (!(f.name.length === 0 || f.l4proto !== L4.TCP)) return;
  if (!reads) {
    src = st.retrieveEnter(ev);
    if (!src) {
      const i = st.isModern(ev) ? ev.paramIndex('tuple') : -1;
      if (i < 0) return;
      src = ev; param = i;
    }
  }
  if (!src || src.nparams <= param) return;
  const len = src.paramLen(param);
  if (len === 0) return;
  const b = src.buf, o = src.paramOff(param);
  const fam = b[o];
  if (fam === AF.INET || fam === AF.INET6) {
    const v6 = fam === AF.INET6 && !(isIpv4MappedIpv6(b, o + 1) && isIpv4MappedIpv6(b, o + 19));
    if (fam === AF.INET6 && !v6 && f.type === FdType.IPV6_SOCK) f.type = FdType.IPV4_SOCK;
    if (fam === AF.INET && f.type === FdType.IPV4_SERVSOCK) {
      // sysdig keeps a server socket's address in the same union as a
      // connection's tuple: its port and protocol sit where the destination
      // address goes, and stay there (a destination already set is kept)
      f.dip = Buffer.from([f.sport & 0xff, f.sport >> 8, f.l4proto, 0]);
      f.sport = 0; f.dport = 0;
    }
    if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) f.type = v6 ? FdType.IPV6_SOCK : FdType.IPV4_SOCK;
    else f.type = v6 ? FdType.IPV6_SOCK : FdType.IPV4_SOCK;
    if (!setTuple(f, b, o, v6)) return;
    if (f.l4proto === L4.UNKNOWN) f.l4proto = L4.UDP;
    patchFromInterfaces(st, f);
    if (f.isInetSocket) {
      if (f.role === '') f.role = guessRole(st.curThread, f, reads);
      if ((reads && f.role === 'client') || (!reads && f.role === 'server')) swapAddresses(f);
      f.name = inetName(f);
    } else {
      f.name = socktupleText(b, o, len, f.l4proto);
    }
  } else if (fam === AF.UNIX) {
    f.name = socktupleText(b, o, len, f.l4proto);
  }
}

/** Fills a missing end of a socket's tuple from the machine's interfaces, as sysdig does. */
function patchFromInterfaces(st: SocketState, f: Fd): void {
  if (!f.isInetSocket || !f.sip || !f.dip) return;
  const sipZero = isZero(f.sip), dipZero = isZero(f.dip);
  if (!sipZero && !dipZero) return;
  const known = sipZero ? f.dip : f.sip;
  const inferred = inferAddress(st, known);
  if (inferred.equals(known) && f.sport === f.dport) return;
  if (sipZero) f.sip = inferred; else f.dip = inferred;
}

function inferAddress(st: SocketState, dest: Buffer): Buffer {
  const v6 = dest.length === 16;
  const ifs = st.interfaceList.filter((i) => i.v6 === v6);
  for (const i of ifs) if (i.addr.equals(dest)) return i.addr;
  if (v6) {
    for (const i of ifs) if (i.addr.subarray(0, 8).equals(dest.subarray(0, 8))) return i.addr;
    const loop = Buffer.alloc(16); loop[15] = 1;
    for (const i of ifs) if (!i.addr.equals(loop)) return i.addr;
    return Buffer.alloc(16);
  }
  const d = dest.readUInt32LE(0);
  for (const i of ifs) {
    const m = i.netmask.readUInt32LE(0);
    if (((i.addr.readUInt32LE(0) & m) >>> 0) === ((d & m) >>> 0)) return i.addr;
  }
  for (const i of ifs) if (!(i.addr[0] === 127 && i.addr[1] === 0 && i.addr[2] === 0 && i.addr[3] === 1)) return i.addr;
  return Buffer.alloc(4);
}

/**
 * sysdig's guess of a socket's role when it was never bound, connected or
 * accepted: server when the thread's fd table "owns" the socket's
 * destination port (an IPv4 socket with that destination port, or an IPv4
 * server socket on it), unless the source port is also the source port of an
 * IPv4 socket there; client otherwise. sysdig reads both ports through the
 * IPv4 view of the socket's address union, so for an IPv6 socket they are
 * bytes 8-9 and 10-11 of its source address.
 */
function guessRole(t: Thread | undefined, f: Fd, incoming: boolean): 'client' | 'server' {
  if (!t) return 'client';
  let sport = f.sport, dport = f.dport;
  if (f.type === FdType.IPV6_SOCK) {
    const sip = f.sip;
    sport = sip && sip.length === 16 ? sip.readUInt16LE(8) : 0;
    dport = sip && sip.length === 16 ? sip.readUInt16LE(10) : 0;
  }
  let bound = false, usesSport = false;
  for (const o of t.fds.values()) {
    if (o.type === FdType.IPV4_SOCK) {
      if (o.dport === dport) bound = true;
      if (o.sport === sport) usesSport = true;
    } else if (o.type === FdType.IPV4_SERVSOCK && o.sport === dport) bound = true;
  }
  if (!bound) return 'client';
  if (!usesSport) return 'server';
  return incoming ? 'server' : 'client';
}

/**
 * Takes the addresses of a socktuple param at b[o] into an fd, as sysdig does:
 * the same tuple (either way round) changes nothing; the source is always
 * taken, the destination only where the fd has none yet. Returns whether the
 * fd changed. `v6` selects a plain IPv6 tuple; an IPv4-mapped one is read as IPv4.
 */
function setTuple(f: Fd, b: Buffer, o: number, v6: boolean): boolean {
  let sip: Buffer, dip: Buffer, sport: number, dport: number;
  if (b[o] === AF.INET) {
    sip = b.subarray(o + 1, o + 5); sport = b.readUInt16LE(o + 5);
    dip = b.subarray(o + 7, o + 11); dport = b.readUInt16LE(o + 11);
  } else if (v6) {
    sip = b.subarray(o + 1, o + 17); sport = b.readUInt16LE(o + 17);
    dip = b.subarray(o + 19, o + 35); dport = b.readUInt16LE(o + 35);
  } else {
    sip = b.subarray(o + 13, o + 17); sport = b.readUInt16LE(o + 17);
    dip = b.subarray(o + 31, o + 35); dport = b.readUInt16LE(o + 35);
  }
  const width = sip.length;
  const cur = (x: Buffer | undefined) => (x && x.length === width ? x : Buffer.alloc(width));
  const fsip = cur(f.sip), fdip = cur(f.dip);
  const sameType = f.type === (width === 4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK);
  if (sameType && f.sip && f.dip) {
    if ((sip.equals(fsip) && sport === f.sport && dip.equals(fdip) && dport === f.dport) ||
        (dip.equals(fsip) && dport === f.sport && sip.equals(fdip) && sport === f.dport)) return false;
  }
  let changed = false;
  let nsip = fsip, ndip = fdip;
  if (!sip.equals(fsip)) { nsip = Buffer.from(sip); changed = true; }
  if (f.sport !== sport) { f.sport = sport; changed = true; }
  if (isZero(fdip)) { ndip = Buffer.from(dip); changed = true; }
  if (f.dport === 0) { f.dport = dport; changed = true; }
  f.sip = nsip; f.dip = ndip;
  return changed;
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

export function swapAddresses(f: Fd): void {
  const ip = f.sip, port = f.sport;
  f.sip = f.dip; f.sport = f.dport; f.dip = ip; f.dport = port;
}
