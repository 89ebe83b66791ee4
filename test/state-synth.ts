// Builds fixtures/golden/format/synth_state.scap: a small capture of state
// rules that real captures meet rarely, each an event or two long -- sockets
// of families sysdig does not name, a sendto on an fd the table does not
// hold, an accept without an address, a connect to a non-inet address on an
// inet socket, getcwd telling a working directory, threads whose main
// thread is unknown. These cases came out of a differential sweep of random
// captures against sysdig 0.29.3; generate.js records what sysdig prints
// for this file. Run: npx ts-node-transpile-only test/state-synth.ts

import * as path from 'path';
import { synthEvent } from './synth-event';
import { FdRecord, FdType, ThreadRecord } from '../lib/event/records';
import { ScapWriter } from '../lib/writers/scap-writer';
import { E } from '../lib/schema/ids';

export const SYNTH_STATE = path.join(__dirname, '..', 'fixtures', 'golden', 'format', 'synth_state.scap');

const u8 = (v: number) => Buffer.from([v & 0xff]);
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const i64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
const u64 = (v: number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
const str = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]);
const ip4 = (s: string) => Buffer.from(s.split('.').map(Number));
const tup4 = (s: string, sp: number, d: string, dp: number) => Buffer.concat([u8(2), ip4(s), u16(sp), ip4(d), u16(dp)]);
const tup6loop = (sp: number, dp: number) => {
  const a = Buffer.alloc(16); a[15] = 1;
  return Buffer.concat([u8(10), a, u16(sp), a, u16(dp)]);
};

const BASH = 100, WORKER = 101, CURL = 102, ORPHAN = 103, STRANGER = 104;

function thread(tid: number, pid: number, comm: string, cwd: string): ThreadRecord {
  return {
    tid, pid, ptid: 1, sid: tid, vpgid: tid, pgid: -1, comm, exe: comm, exepath: '/usr/bin/' + comm, args: ['a1'],
    cwd, fdlimit: 1024, flags: 0, uid: 1000, gid: 1000, vmsizeKb: 100, vmrssKb: 10, vmswapKb: 0, pfmajor: 0,
    pfminor: 0, env: ['A=1'], vtid: tid, vpid: pid, cgroups: ['cpu=/'], root: '/', loginuid: 1000, tty: 0,
  };
}

export async function writeStateSynthCapture(file = SYNTH_STATE): Promise<number> {
  const w = new ScapWriter(file);
  w.sink.machineInfo!({ numCpus: 2, memorySizeBytes: 1 << 30, maxPid: 32768, hostname: 'synth' });
  w.sink.thread!(thread(BASH, BASH, 'bash', '/home/u/'));
  w.sink.thread!(thread(WORKER, BASH, 'bash', '/home/u/'));
  w.sink.thread!(thread(CURL, CURL, 'curl', '/srv/'));
  // a thread of a process whose main thread the process list lacks
  w.sink.thread!(thread(ORPHAN, 900, 'orphan', '/var/'));
  const tcp: FdRecord = { fd: 5, ino: 0, type: FdType.IPV4_SOCK, name: '', sip: ip4('10.0.0.1'), dip: ip4('10.0.0.2'), sport: 40000, dport: 80, l4proto: 1 };
  w.sink.fd!(CURL, tcp);
  w.sink.users!([{ uid: 1000, gid: 1000, name: 'u', homedir: '/home/u', shell: '/bin/sh' }], [{ gid: 1000, name: 'users' }]);

  let n = 0;
  const emit = (type: number, params: Buffer[], tid: number) => {
    w.writeEvent(synthEvent(type, params, tid, 1600000000n * 1000000000n + BigInt(n) * 1000n, ++n));
  };

  // a socket of a family sysdig has no fd type for: kept, of unknown type
  emit(E.SOCKET_SOCKET_E, [u32(39), u32(1), u32(0)], BASH);
  emit(E.SOCKET_SOCKET_X, [i64(3)], BASH);
  emit(E.SYSCALL_READ_E, [i64(3), u32(10)], BASH);
  emit(E.SYSCALL_READ_X, [i64(-11), Buffer.alloc(0)], BASH);
  // and one of an unknown family number
  emit(E.SOCKET_SOCKET_E, [u32(99), u32(2), u32(0)], BASH);
  emit(E.SOCKET_SOCKET_X, [i64(4)], BASH);
  // sendto on fds the table does not hold: a UDP socket of the tuple's family is assumed
  emit(E.SOCKET_SENDTO_E, [i64(7), u32(12), tup4('10.0.0.1', 5000, '8.8.8.8', 53)], BASH);
  emit(E.SOCKET_SENDTO_X, [i64(12), str('query')], BASH);
  emit(E.SOCKET_SENDTO_E, [i64(8), u32(12), tup6loop(5001, 53)], BASH);
  emit(E.SOCKET_SENDTO_X, [i64(12), str('query')], BASH);
  // (not for a unix tuple, nor an empty one)
  emit(E.SOCKET_SENDTO_E, [i64(9), u32(3), Buffer.concat([u8(1), u64(1), u64(2), str('/run/s')])], BASH);
  emit(E.SOCKET_SENDTO_X, [i64(3), str('abc')], BASH);
  emit(E.SOCKET_SENDTO_E, [i64(10), u32(3), Buffer.alloc(0)], BASH);
  emit(E.SOCKET_SENDTO_X, [i64(3), str('abc')], BASH);
  // an accept exit with no address, as a thread's first event: fd.num is the new fd
  emit(E.SOCKET_ACCEPT4_5_X, [i64(11), Buffer.alloc(0), u8(0), u32(0), u32(0)], CURL);
  // a connect to a non-inet address on a TCP socket: the unix fields overwrite the inet ones
  emit(E.SOCKET_CONNECT_E, [i64(5), Buffer.concat([u8(1), u64(0x1122334455667788), u64(0x99aabbccddeeff00), str('/run/x')])], CURL);
  emit(E.SOCKET_CONNECT_X, [i64(-111), Buffer.alloc(0)], CURL);
  emit(E.SYSCALL_WRITE_E, [i64(5), u32(1)], CURL);
  emit(E.SYSCALL_WRITE_X, [i64(1), str('x')], CURL);
  // getcwd tells the working directory: relative paths then resolve from it
  emit(E.SYSCALL_GETCWD_E, [], CURL);
  emit(E.SYSCALL_GETCWD_X, [i64(10), str('/opt/app')], CURL);
  emit(E.SYSCALL_OPEN_E, [], CURL);
  emit(E.SYSCALL_OPEN_X, [i64(6), str('conf/a.ini'), u32(1), u32(0), u32(0)], CURL);
  // (a failed one does not)
  emit(E.SYSCALL_GETCWD_E, [], CURL);
  emit(E.SYSCALL_GETCWD_X, [i64(-34), str('/nowhere')], CURL);
  emit(E.SYSCALL_OPEN_E, [], CURL);
  emit(E.SYSCALL_OPEN_X, [i64(7), str('b.ini'), u32(1), u32(0), u32(0)], CURL);
  // a thread of a stranger (unknown to the table) sends with getcwd first
  emit(E.SYSCALL_GETCWD_E, [], STRANGER);
  emit(E.SYSCALL_GETCWD_X, [i64(5), str('rel')], STRANGER);
  emit(E.SYSCALL_OPEN_E, [], STRANGER);
  emit(E.SYSCALL_OPEN_X, [i64(3), str('x.txt'), u32(1), u32(0), u32(0)], STRANGER);
  // a thread whose main thread is unknown: sysdig adds a stand-in for it
  emit(E.SYSCALL_OPEN_E, [], ORPHAN);
  emit(E.SYSCALL_OPEN_X, [i64(3), str('y.txt'), u32(1), u32(0), u32(0)], ORPHAN);
  emit(E.SYSCALL_GETCWD_E, [], ORPHAN);
  emit(E.SYSCALL_GETCWD_X, [i64(5), str('/tmp')], ORPHAN);
  emit(E.SYSCALL_OPEN_E, [], ORPHAN);
  emit(E.SYSCALL_OPEN_X, [i64(4), str('z.txt'), u32(1), u32(0), u32(0)], ORPHAN);
  // setresuid takes the effective id (-1: unchanged); only the calling thread changes
  emit(E.SYSCALL_SETRESUID_E, [u32(0), u32(33), u32(33)], WORKER);
  emit(E.SYSCALL_SETRESUID_X, [i64(0)], WORKER);
  emit(E.SYSCALL_GETUID_E, [], WORKER);
  emit(E.SYSCALL_GETUID_X, [u32(33)], WORKER);
  emit(E.SYSCALL_GETUID_E, [], BASH);
  emit(E.SYSCALL_GETUID_X, [u32(1000)], BASH);
  emit(E.SYSCALL_SETRESGID_E, [u32(5), u32(0xffffffff), u32(5)], WORKER);
  emit(E.SYSCALL_SETRESGID_X, [i64(0)], WORKER);
  emit(E.SYSCALL_SETUID_E, [u32(0)], CURL);
  emit(E.SYSCALL_SETUID_X, [i64(0)], CURL);
  emit(E.SYSCALL_SETGID_E, [u32(7)], CURL);
  emit(E.SYSCALL_SETGID_X, [i64(0)], CURL);
  emit(E.SYSCALL_GETUID_E, [], CURL);
  emit(E.SYSCALL_GETUID_X, [u32(0)], CURL);
  // a failed openat of the old layout (only fd in the exit): its name comes from the enter, which
  // sysdig frees once the exit went through -- a filter sees the name, the output line does not
  for (const [dirfd, name] of [[-100, 'rel.txt'], [99, 'x'], [-100, '/etc/shadow']] as const) {
    emit(E.SYSCALL_OPENAT_E, [i64(dirfd), str(name), u32(0), u32(0)], BASH);
    emit(E.SYSCALL_OPENAT_X, [i64(-2)], BASH);
  }
  // a socketpair returning a negative fd: the table holds it, but sysdig never looks a negative fd up
  emit(E.SOCKET_SOCKETPAIR_E, [u32(1), u32(1), u32(0)], BASH);
  emit(E.SOCKET_SOCKETPAIR_X, [i64(0), i64(-9), i64(12), u64(0x10), u64(0x20)], BASH);
  emit(E.SYSCALL_READ_E, [i64(-9), u32(10)], BASH);
  emit(E.SYSCALL_READ_X, [i64(-9), Buffer.alloc(0)], BASH);
  emit(E.SYSCALL_POLL_E, [Buffer.concat([u16(2), i64(-9), u16(1), i64(12), u16(4)]), i64(10)], BASH);
  emit(E.SYSCALL_POLL_X, [i64(0), Buffer.concat([u16(2), i64(-9), u16(0), i64(12), u16(4)])], BASH);
  // a connect to a short unix address on an inet socket: the bytes past it read as zeros
  emit(E.SOCKET_SOCKET_E, [u32(2), u32(1), u32(0)], BASH);
  emit(E.SOCKET_SOCKET_X, [i64(13)], BASH);
  emit(E.SOCKET_CONNECT_E, [i64(13), Buffer.concat([u8(1), str('/tmp/s')])], BASH);
  emit(E.SOCKET_CONNECT_X, [i64(-111), Buffer.alloc(0)], BASH);
  // a connected inet socket is named by its protocol: a tuple for TCP/UDP, the addresses alone for
  // ICMP and raw IPv4, '<unknown>' for anything else (sysdig's sockinfo_to_str)
  for (const [fd, type, proto] of [[14, 3, 1], [15, 2, 1], [16, 5, 0]] as const) {
    emit(E.SOCKET_SOCKET_E, [u32(2), u32(type), u32(proto)], CURL);
    emit(E.SOCKET_SOCKET_X, [i64(fd)], CURL);
    emit(E.SOCKET_CONNECT_E, [i64(fd), Buffer.concat([u8(2), ip4('8.8.4.4'), u16(0)])], CURL);
    emit(E.SOCKET_CONNECT_X, [i64(0), tup4('10.0.0.1', 0, '8.8.4.4', 0)], CURL);
  }
  // a failed openat whose exit names a path relative to a directory fd its enter did not: sysdig
  // resolves the name when a field asks for it, and that lookup makes the directory the event's fd
  emit(E.SYSCALL_OPENAT_2_E, [i64(-100), str('/abs/path'), u32(1), u32(0)], CURL);
  emit(E.SYSCALL_OPENAT_2_X, [i64(-2), i64(6), str('missing.txt'), u32(1), u32(0), u32(0)], CURL);
  emit(E.SYSCALL_KILL_E, [i64(900), u8(15)], BASH);
  emit(E.SYSCALL_KILL_X, [i64(0)], BASH);
  // openat relative to a directory fd named "/": sysdig 0.29.3 always puts a '/' after the
  // directory's name (its test for one already there reads the string's terminator), and the
  // double slash stays in the joined name: "//etc/hosts" (old layout: the path from the enter;
  // current one: from the exit), execveat too
  emit(E.SYSCALL_OPEN_E, [str('/'), u32(0x10000), u32(0)], BASH);
  emit(E.SYSCALL_OPEN_X, [i64(20)], BASH);
  emit(E.SYSCALL_OPENAT_E, [i64(20), str('etc/hosts'), u32(0), u32(0)], BASH);
  emit(E.SYSCALL_OPENAT_X, [i64(21)], BASH);
  emit(E.SYSCALL_OPENAT_2_E, [i64(20), str('etc/passwd'), u32(1), u32(0)], BASH);
  emit(E.SYSCALL_OPENAT_2_X, [i64(22), i64(20), str('etc/passwd'), u32(1), u32(0), u32(0)], BASH);
  emit(E.SYSCALL_READ_E, [i64(22), u32(10)], BASH);
  emit(E.SYSCALL_READ_X, [i64(0), Buffer.alloc(0)], BASH);
  await w.close();
  return n;
}

if (require.main === module) {
  writeStateSynthCapture().then((n) => console.log(`${SYNTH_STATE}: ${n} events`));
}
