// Builds fixtures/golden/format/synth_sockinfo.scap: the ways sysdig's
// socket union (lib/state/sockinfo.ts) shows through its output. A thread's
// process-list fds are built in one object, so a server socket that gets a
// tuple later reads bytes the previous fd of its list left (a unix socket's
// kernel pointer, an IPv4 tuple's destination port); each thread starts
// from zeros. A plain IPv6 tuple leaves a server socket's type alone; sysdig's
// TCP and UDP tests (is_tcp_socket, is_udp_socket) only know IPv4. The first
// case was met in a real capture (sysdig-inspect's 502Error sample); the
// others came from the random-captures sweep with --sockets. generate.js
// records what sysdig prints for this file.
// Run: npx ts-node-transpile-only test/sockinfo-synth.ts

import * as path from 'path';
import { synthEvent } from './synth-event';
import { FdType, ThreadRecord } from '../lib/event/records';
import { ScapWriter } from '../lib/writers/scap-writer';
import { E } from '../lib/schema/ids';

export const SYNTH_SOCKINFO = path.join(__dirname, '..', 'fixtures', 'golden', 'format', 'synth_sockinfo.scap');

const u8 = (v: number) => Buffer.from([v & 0xff]);
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const i64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
const str = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]);
const ip4 = (s: string) => Buffer.from(s.split('.').map(Number));
const ip6 = (last: number, mapped?: string) => {
  const a = Buffer.alloc(16);
  if (mapped) { a[10] = a[11] = 0xff; ip4(mapped).copy(a, 12); } else { a[0] = 0x20; a[1] = 0x01; a[15] = last; }
  return a;
};
const LOOP6 = Buffer.from('00000000000000000000000000000001', 'hex'), ANY6 = Buffer.alloc(16);
const tup4 = (s: string, sp: number, d: string, dp: number) => Buffer.concat([u8(2), ip4(s), u16(sp), ip4(d), u16(dp)]);
const tup6 = (s: Buffer, sp: number, d: Buffer, dp: number) => Buffer.concat([u8(10), s, u16(sp), d, u16(dp)]);
const addr6 = (a: Buffer, port: number) => Buffer.concat([u8(10), a, u16(port)]);

const SYSLOG = 100, RESOLVER = 200, V6 = 300;

function thread(tid: number, comm: string): ThreadRecord {
  return {
    tid, pid: tid, ptid: 1, sid: tid, vpgid: tid, pgid: -1, comm, exe: comm, exepath: '/usr/bin/' + comm, args: [],
    cwd: '/', fdlimit: 1024, flags: 0, uid: 0, gid: 0, vmsizeKb: 100, vmrssKb: 10, vmswapKb: 0, pfmajor: 0,
    pfminor: 0, env: [], vtid: tid, vpid: tid, cgroups: ['cpu=/'], root: '/', loginuid: 0, tty: 0,
  };
}

export async function writeSockinfoSynthCapture(file = SYNTH_SOCKINFO): Promise<number> {
  const w = new ScapWriter(file);
  w.sink.machineInfo!({ numCpus: 1, memorySizeBytes: 1 << 30, maxPid: 32768, hostname: 'synth' });
  for (const [tid, comm] of [[SYSLOG, 'haproxy'], [RESOLVER, 'resolver'], [V6, 'v6srv']] as const) w.sink.thread!(thread(tid, comm));
  // haproxy's list: a unix socket (kernel pointers end in 0xff..), then the
  // UDP socket it logs through, bound to a port, never connected
  w.sink.fd!(SYSLOG, { fd: 3, ino: 0, type: FdType.UNIX_SOCK, name: '', unixSource: String(0xffff8edcfda06800n), unixDest: '0' });
  w.sink.fd!(SYSLOG, { fd: 4, ino: 0, type: FdType.IPV4_SERVSOCK, name: '', sip: ip4('0.0.0.0'), sport: 55441, l4proto: 3 });
  // then a TCP connection (destination port 443), and another bound UDP socket after it
  w.sink.fd!(SYSLOG, { fd: 5, ino: 0, type: FdType.IPV4_SOCK, name: '', sip: ip4('10.0.0.5'), dip: ip4('10.0.0.9'), sport: 40000, dport: 443, l4proto: 2 });
  w.sink.fd!(SYSLOG, { fd: 6, ino: 0, type: FdType.IPV4_SERVSOCK, name: '', sip: ip4('0.0.0.0'), sport: 5353, l4proto: 3 });
  // a thread's list starts from zeros: the resolver's first fd is a bound UDP socket
  w.sink.fd!(RESOLVER, { fd: 3, ino: 0, type: FdType.IPV4_SERVSOCK, name: '', sip: ip4('0.0.0.0'), sport: 53, l4proto: 3 });
  // an IPv6 server socket on ::1 port 8053
  w.sink.fd!(V6, { fd: 3, ino: 0, type: FdType.IPV6_SERVSOCK, name: '', sip: LOOP6, sport: 8053, l4proto: 3 });
  // (for the chisels' thread table: a server socket on an IPv4-mapped address, and a
  // connection whose ends are not both mapped -- an IPv6 socket without a role)
  w.sink.fd!(V6, { fd: 7, ino: 0, type: FdType.IPV6_SERVSOCK, name: '', sip: ip6(0, '10.0.0.5'), sport: 8443, l4proto: 2 });
  w.sink.fd!(V6, { fd: 8, ino: 0, type: FdType.IPV6_SOCK, name: '', sip: ip6(0, '10.0.0.5'), dip: ip6(9), sport: 41000, dport: 443, l4proto: 2 });
  w.sink.interfaces!([
    { v6: false, name: 'lo', addr: ip4('127.0.0.1'), netmask: ip4('255.0.0.0'), bcast: ip4('0.0.0.0'), linkspeed: 0 },
    { v6: false, name: 'eth0', addr: ip4('10.0.0.5'), netmask: ip4('255.255.255.0'), bcast: ip4('10.0.0.255'), linkspeed: 0 },
  ]);

  let n = 0;
  const emit = (type: number, params: Buffer[], tid: number) => {
    w.writeEvent(synthEvent(type, params, tid, 1600000000n * 1000000000n + BigInt(n) * 1000n, ++n));
  };
  const sendmsg = (tid: number, fd: number, tuple: Buffer) => {
    emit(E.SOCKET_SENDMSG_E, [i64(fd), u32(5), tuple], tid);
    emit(E.SOCKET_SENDMSG_X, [i64(5), str('hello')], tid);
  };
  const recvfrom = (tid: number, fd: number, tuple: Buffer) => {
    emit(E.SOCKET_RECVFROM_E, [i64(fd), u32(512)], tid);
    emit(E.SOCKET_RECVFROM_X, [i64(5), str('hello'), tuple], tid);
  };

  // the bound sockets get their first tuple: address and port stay where the
  // tuple's destination goes, and the byte after them is what the list left
  sendmsg(SYSLOG, 4, tup4('0.0.0.0', 55441, '127.0.0.1', 514));
  sendmsg(SYSLOG, 6, tup4('0.0.0.0', 5353, '127.0.0.1', 5354)); // (destination port: 443, left by fd 5)
  recvfrom(RESOLVER, 3, tup4('10.0.0.7', 4000, '10.0.0.5', 53));
  // a plain IPv6 tuple on an IPv6 server socket: still a server socket, named by the tuple
  recvfrom(V6, 3, tup6(ip6(7), 4000, ip6(5), 8053));
  // an IPv4-mapped tuple on it: an IPv4 socket read over the IPv6 bytes
  emit(E.SOCKET_SOCKET_E, [u32(10), u32(2), u32(0)], V6);
  emit(E.SOCKET_SOCKET_X, [i64(4)], V6);
  emit(E.SOCKET_BIND_E, [i64(4)], V6);
  emit(E.SOCKET_BIND_X, [i64(0), addr6(ANY6, 9000)], V6);
  recvfrom(V6, 4, tup6(ip6(0, '10.0.0.7'), 4001, ip6(0, '10.0.0.5'), 9000));
  // an IPv6 TCP socket is not a "TCP socket" to sysdig: a named one still takes a recvfrom tuple
  emit(E.SOCKET_SOCKET_E, [u32(10), u32(1), u32(0)], V6);
  emit(E.SOCKET_SOCKET_X, [i64(5)], V6);
  emit(E.SOCKET_CONNECT_E, [i64(5), addr6(ip6(9), 443)], V6);
  emit(E.SOCKET_CONNECT_X, [i64(0), tup6(ip6(5), 41000, ip6(9), 443)], V6);
  recvfrom(V6, 5, tup6(ip6(8), 443, ip6(5), 41001));
  // a bound IPv6 UDP socket connecting: not swapped (sysdig's is_udp_socket is IPv4 only)
  emit(E.SOCKET_SOCKET_E, [u32(10), u32(2), u32(0)], V6);
  emit(E.SOCKET_SOCKET_X, [i64(6)], V6);
  emit(E.SOCKET_BIND_E, [i64(6)], V6);
  emit(E.SOCKET_BIND_X, [i64(0), addr6(ip6(5), 7000)], V6);
  emit(E.SOCKET_CONNECT_E, [i64(6), addr6(ip6(9), 53)], V6);
  emit(E.SOCKET_CONNECT_X, [i64(0), tup6(ip6(5), 7000, ip6(9), 53)], V6);
  // and the same on IPv4: swapped
  emit(E.SOCKET_SOCKET_E, [u32(2), u32(2), u32(0)], RESOLVER);
  emit(E.SOCKET_SOCKET_X, [i64(4)], RESOLVER);
  emit(E.SOCKET_BIND_E, [i64(4)], RESOLVER);
  emit(E.SOCKET_BIND_X, [i64(0), Buffer.concat([u8(2), ip4('10.0.0.5'), u16(7000)])], RESOLVER);
  emit(E.SOCKET_CONNECT_E, [i64(4), Buffer.concat([u8(2), ip4('10.0.0.9'), u16(53)])], RESOLVER);
  emit(E.SOCKET_CONNECT_X, [i64(0), tup4('10.0.0.5', 7000, '10.0.0.9', 53)], RESOLVER);
  // dup and a later write keep the union: the copy reads the same bytes
  emit(E.SYSCALL_DUP_E, [i64(4)], SYSLOG);
  emit(E.SYSCALL_DUP_X, [i64(9)], SYSLOG);
  sendmsg(SYSLOG, 9, tup4('0.0.0.0', 55441, '127.0.0.1', 514));
  await w.close();
  return n;
}

if (require.main === module) {
  writeSockinfoSynthCapture().then((n) => console.log(`${SYNTH_SOCKINFO}: ${n} events`));
}
