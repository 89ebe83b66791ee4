// The socket parsers of the state engine: socket, socketpair, bind,
// connect, accept and the tuples of sendto/recvfrom and friends, as
// sysdig's parser fills an fd's addresses, ports, role and name.

import { ScapEvent } from '../event/event';
import { FdType, InterfaceRecord } from '../event/records';
import { E } from '../schema/ids';
import { EF } from '../schema/types';
import { AF, ipv4ToString, ipv6ToString, isIpv4MappedIpv6, L4, sockaddrText, socktupleText, tupleString } from './net';
import { FDF, Fd, Thread } from './threads';
import { TupleLayout, UNIX, V4, V4SERV, V4_TUPLE, V6, V6SERV, V6_TUPLE } from './sockinfo';

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
  const b = ev.buf, src = ev.paramOff(3), dst = ev.paramOff(4);
  // both fds are copies of one fd: the same source and peer
  const mk = () => {
    const f = new Fd(); f.type = FdType.UNIX_SOCK;
    const u = f.sockForWrite();
    b.copy(u, UNIX.SOURCE, src, src + 8); b.copy(u, UNIX.DEST, dst, dst + 8);
    return f;
  };
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
  f.sockForWrite()[family === AF.INET ? V4.L4 : V6.L4] = L4.UDP;
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
    if (l4 !== L4.UNKNOWN) f.sockForWrite()[domain === AF.INET ? V4.L4 : V6.L4] = l4;
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
  // a port makes it a server socket; its protocol moves from the tuple's
  // place to the server struct's (read before the address overwrites it)
  if (fam === AF.INET && len >= 7) {
    const port = b.readUInt16LE(o + 5);
    if (port > 0) {
      f.type = FdType.IPV4_SERVSOCK;
      const u = f.sockForWrite();
      b.copy(u, V4SERV.IP, o + 1, o + 5); u.writeUInt16LE(port, V4SERV.PORT); u[V4SERV.L4] = u[V4.L4];
      f.role = 'server';
    }
  } else if (fam === AF.INET6 && len >= 19) {
    const port = b.readUInt16LE(o + 17);
    if (port > 0) {
      const u = f.sockForWrite();
      if (isIpv4MappedIpv6(b, o + 1)) {
        f.type = FdType.IPV4_SERVSOCK;
        u[V4SERV.L4] = u[V6.L4]; b.copy(u, V4SERV.IP, o + 13, o + 17); u.writeUInt16LE(port, V4SERV.PORT);
      } else {
        f.type = FdType.IPV6_SERVSOCK;
        u.writeUInt16LE(port, V6SERV.PORT); b.copy(u, V6SERV.IP, o + 1, o + 17); u[V6SERV.L4] = u[V6.L4];
      }
      f.role = 'server';
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
    const u = f.sockForWrite();
    if (fam === AF.INET) {
      f.type = FdType.IPV4_SOCK;
      a.copy(u, V4.DIP, p + 1, p + 5); u.writeUInt16LE(a.readUInt16LE(p + 5), V4.DPORT);
    } else {
      const port = a.readUInt16LE(p + 17);
      if (isIpv4MappedIpv6(a, p + 1)) {
        f.type = FdType.IPV4_SOCK;
        a.copy(u, V4.DIP, p + 13, p + 17); u.writeUInt16LE(port, V4.DPORT);
      } else {
        f.type = FdType.IPV6_SOCK;
        u.writeUInt16LE(port, V6.DPORT); a.copy(u, V6.DIP, p + 1, p + 17);
      }
    }
  } else {
    f.name = sockaddrText(b, o, len, f.l4proto);
    setUnixInfo(f, b, o);
  }
}

/**
 * sysdig's set_unix_info: the 16 bytes after the family become the unix
 * source and destination, over whatever struct the fd's union held. A
 * shorter parameter (a connect to a short unix path) lends the bytes that
 * follow it: in sysdig, the rest of its block (the block's trailing length)
 * and then whatever earlier, longer blocks left in its read buffer; here
 * the bytes that follow in the event's buffer, zeros past its end. Only
 * the first agree; they show only if the fd is later read as an inet socket.
 */
function setUnixInfo(f: Fd, b: Buffer, o: number): void {
  const u = f.sockForWrite();
  const n = b.copy(u, UNIX.SOURCE, o + 1, Math.min(b.length, o + 17));
  u.fill(0, UNIX.SOURCE + n, UNIX.SOURCE + 16);
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
  if (p === L4.TCP || p === L4.UDP) {
    const sip = f.sip!, dip = f.dip!;
    if (!v4 && isIpv4MappedIpv6(sip) && isIpv4MappedIpv6(dip)) {
      // An IPv6 fd whose two ends are v4-mapped is written as an IPv4 tuple,
      // its ports and protocol read through the IPv4 view of sysdig's
      // address union: the ports are bytes 8-9 and 10-11 of the source
      // address (0 and 65535 for ::ffff:a.b.c.d), the protocol byte 12.
      return tupleString(sip.subarray(12, 16), sip.readUInt16LE(8), dip.subarray(12, 16), sip.readUInt16LE(10), sip[12]);
    }
    return tupleString(sip, f.sport, dip, f.dport, p);
  }
  if (p === L4.ICMP || (v4 && p === L4.RAW)) {
    const sip = f.sip!, dip = f.dip!;
    if (v4) return ipv4ToString(sip) + '->' + ipv4ToString(dip);
    // IPv6: dotted only when both ends are v4-mapped (as for TCP/UDP above)
    if (isIpv4MappedIpv6(sip) && isIpv4MappedIpv6(dip)) return ipv4ToString(sip, 12) + '->' + ipv4ToString(dip, 12);
    return ipv6ToString(sip) + '->' + ipv6ToString(dip);
  }
  return '<unknown>';
}

/** Where a socktuple parameter's addresses are: IPv4, IPv6 with both ends v4-mapped (read as IPv4), plain IPv6. */
const enum TK { V4, MAPPED, V6 }

function tupleKind(b: Buffer, o: number): TK {
  if (b[o] === AF.INET) return TK.V4;
  return isIpv4MappedIpv6(b, o + 1) && isIpv4MappedIpv6(b, o + 19) ? TK.MAPPED : TK.V6;
}

function fillClientSocket(f: Fd, b: Buffer, o: number, len: number): void {
  const fam = b[o];
  if (fam === AF.INET || fam === AF.INET6) {
    const kind = tupleKind(b, o);
    f.type = kind === TK.V6 ? FdType.IPV6_SOCK : FdType.IPV4_SOCK;
    const changed = setTuple(f, b, o, kind);
    // a UDP server connecting (sysdig's is_udp_socket: IPv4 only)
    if (changed && f.role === 'server' && f.type === FdType.IPV4_SOCK && f.l4proto === L4.UDP) swapAddresses(f);
    f.name = inetName(f);
  } else {
    if (f.type !== FdType.UNIX_SOCK) { /* sysdig only warns */ }
    f.name = socktupleText(b, o, len, f.l4proto);
    setUnixInfo(f, b, o);
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
  if (fam === AF.INET || fam === AF.INET6) {
    const kind = tupleKind(b, o);
    setTuple(f, b, o, kind);
    f.type = kind === TK.V6 ? FdType.IPV6_SOCK : FdType.IPV4_SOCK;
    f.sockForWrite()[kind === TK.V6 ? V6.L4 : V4.L4] = L4.TCP;
  } else if (fam === AF.UNIX) {
    f.type = FdType.UNIX_SOCK;
    setUnixInfo(f, b, o);
  } else return;
  f.name = fam === AF.UNIX ? socktupleText(b, o, len, f.l4proto) : tupleString(f.sip!, f.sport, f.dip!, f.dport, f.l4proto);
  f.role = 'server';
  f.flags |= FDF.CONNECTED;
  st.addFd(fd, f);
}

/**
 * The tuple of a read or write exit (recvfrom/recvmsg's own, sendto/sendmsg's
 * enter's) on an fd without a name or that is not an IPv4 TCP socket, as
 * sysdig's update_fd takes it; then the role guess and the name.
 */
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
  // sysdig's is_tcp_socket: an IPv4 socket only
  if (f.name.length !== 0 && f.type === FdType.IPV4_SOCK && f.l4proto === L4.TCP) return;
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
  if (fam === AF.UNIX) {
    f.type = FdType.UNIX_SOCK;
    setUnixInfo(f, b, o);
    f.name = socktupleText(b, o, len, f.l4proto);
    return;
  }
  if (fam === AF.INET || fam === AF.INET6) {
    const kind = tupleKind(b, o);
    if (kind === TK.V4 && f.type === FdType.IPV4_SERVSOCK) {
      // a server socket's protocol moves to the tuple's place; its address
      // and port stay where the tuple's source address and destination are
      const u = f.sockForWrite();
      u[V4.L4] = u[V4SERV.L4];
    }
    // (a plain IPv6 tuple leaves the fd's type as it is)
    if (kind !== TK.V6) f.type = FdType.IPV4_SOCK;
    if (!setTuple(f, b, o, kind)) return;
  }
  // any other family changes nothing but still counts as a tuple taken
  if (f.type === FdType.IPV4_SOCK || f.type === FdType.IPV6_SOCK) {
    const u = f.sock, at = f.type === FdType.IPV4_SOCK ? V4.L4 : V6.L4;
    if (u[at] === L4.UNKNOWN) f.sockForWrite()[at] = L4.UDP;
  }
  patchFromInterfaces(st, f);
  if (f.isInetSocket) {
    if (f.role === '') f.role = guessRole(st.curThread, f, reads);
    if ((reads && f.role === 'client') || (!reads && f.role === 'server')) swapAddresses(f);
    f.name = inetName(f);
  } else {
    f.name = socktupleText(b, o, len, f.l4proto);
  }
}

/** Fills a missing end of a socket's tuple from the machine's interfaces, as sysdig does. */
function patchFromInterfaces(st: SocketState, f: Fd): void {
  if (!f.isInetSocket) return;
  const sip = f.sip!, dip = f.dip!;
  const sipZero = isZero(sip), dipZero = isZero(dip);
  if (!sipZero && !dipZero) return;
  const known = sipZero ? dip : sip;
  const inferred = inferAddress(st, known);
  if (inferred.equals(known) && f.sport === f.dport) return;
  const L = f.type === FdType.IPV4_SOCK ? V4_TUPLE : V6_TUPLE;
  inferred.copy(f.sockForWrite(), sipZero ? L.SIP : L.DIP);
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
  const u = f.sock, sport = u.readUInt16LE(V4.SPORT), dport = u.readUInt16LE(V4.DPORT);
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
 * Takes the addresses of a socktuple param at b[o] into an fd's union, as
 * sysdig does (set_ipv4_addresses_and_ports and its IPv4-mapped and IPv6
 * twins): on an fd of the tuple's type, the same tuple (either way round)
 * changes nothing; the source is always taken, the destination address and
 * port each only where the fd has none yet. Returns whether it counts as a
 * change.
 */
function setTuple(f: Fd, b: Buffer, o: number, kind: TK): boolean {
  let so: number, spo: number, dso: number, dpo: number;
  if (kind === TK.V4) { so = o + 1; spo = o + 5; dso = o + 7; dpo = o + 11; }
  else if (kind === TK.MAPPED) { so = o + 13; spo = o + 17; dso = o + 31; dpo = o + 35; }
  else { so = o + 1; spo = o + 17; dso = o + 19; dpo = o + 35; }
  const v4 = kind !== TK.V6;
  const { SIP, DIP, SPORT, DPORT, n }: TupleLayout = v4 ? V4_TUPLE : V6_TUPLE;
  const tsport = b.readUInt16LE(spo), tdport = b.readUInt16LE(dpo);
  let u = f.sock;
  if (f.type === (v4 ? FdType.IPV4_SOCK : FdType.IPV6_SOCK)) {
    const sport = u.readUInt16LE(SPORT), dport = u.readUInt16LE(DPORT);
    if ((sameBytes(u, SIP, b, so, n) && tsport === sport && sameBytes(u, DIP, b, dso, n) && tdport === dport) ||
        (sameBytes(u, SIP, b, dso, n) && tdport === sport && sameBytes(u, DIP, b, so, n) && tsport === dport)) return false;
  }
  u = f.sockForWrite();
  let changed = false;
  if (!sameBytes(u, SIP, b, so, n)) { b.copy(u, SIP, so, so + n); changed = true; }
  if (u.readUInt16LE(SPORT) !== tsport) { u.writeUInt16LE(tsport, SPORT); changed = true; }
  if (isZeroAt(u, DIP, n)) { b.copy(u, DIP, dso, dso + n); changed = true; }
  if (u.readUInt16LE(DPORT) === 0) { u.writeUInt16LE(tdport, DPORT); changed = true; }
  return changed;
}

function sameBytes(a: Buffer, ao: number, b: Buffer, bo: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

function isZeroAt(b: Buffer, o: number, n: number): boolean {
  for (let i = o; i < o + n; i++) if (b[i] !== 0) return false;
  return true;
}

function isZero(b: Buffer): boolean {
  return isZeroAt(b, 0, b.length);
}

/** sysdig's swap_addresses: source and destination trade places (the IPv6 struct for any fd not an IPv4 socket). */
export function swapAddresses(f: Fd): void {
  const u = f.sockForWrite();
  const { SIP, DIP, SPORT, DPORT, n } = f.type === FdType.IPV4_SOCK ? V4_TUPLE : V6_TUPLE;
  const ip = Buffer.from(u.subarray(SIP, SIP + n)), port = u.readUInt16LE(SPORT);
  u.copy(u, SIP, DIP, DIP + n); u.writeUInt16LE(u.readUInt16LE(DPORT), SPORT);
  ip.copy(u, DIP); u.writeUInt16LE(port, DPORT);
}
