// Builds fixtures/golden/format/synth_params.scap: a small capture whose
// events carry every parameter type sysdig 0.29.3 renders, with the edge
// values that matter (negative and out-of-range numbers, unknown and known
// fds of every kind, relative paths, odd socket families, every buffer byte
// class, DYN selectors, missing users...). generate.js then records what
// sysdig prints for it. Run: npx ts-node-transpile-only test/format-synth.ts

import * as path from 'path';
import { synthEvent } from './synth-event';
import { FdRecord, FdType, ThreadRecord } from '../lib/event/records';
import { ScapWriter } from '../lib/writers/scap-writer';
import { EVENTS } from '../lib/schema/events';
import { EF } from '../lib/schema/types';

export const SYNTH = path.join(__dirname, '..', 'fixtures', 'golden', 'format', 'synth_params.scap');

// ---- parameter encoders
const u8 = (v: number) => Buffer.from([v & 0xff]);
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); return b; };
const i16 = (v: number) => { const b = Buffer.alloc(2); b.writeInt16LE(v); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const i32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32LE(v | 0); return b; };
const u64 = (v: bigint | number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v))); return b; };
const i64 = (v: bigint | number) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt.asIntN(64, BigInt(v))); return b; };
const str = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]);
const raw = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s, 'latin1') : Buffer.from(s));
const ip4 = (s: string) => Buffer.from(s.split('.').map(Number));
function ip6(s: string): Buffer {
  const [head, tail] = s.split('::');
  const parse = (x: string | undefined) => (x ? x.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head), t = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
}
const sa4 = (ip: string, port: number) => Buffer.concat([u8(2), ip4(ip), u16(port)]);
const sa6 = (ip: string, port: number) => Buffer.concat([u8(10), ip6(ip), u16(port)]);
const saUnix = (p: string) => Buffer.concat([u8(1), str(p)]);
const tup4 = (s: string, sp: number, d: string, dp: number) => Buffer.concat([u8(2), ip4(s), u16(sp), ip4(d), u16(dp)]);
const tup6 = (s: string, sp: number, d: string, dp: number) => Buffer.concat([u8(10), ip6(s), u16(sp), ip6(d), u16(dp)]);
const tupUnix = (src: bigint, dst: bigint, p: string) => Buffer.concat([u8(1), u64(src), u64(dst), str(p)]);
function fdlist(items: [number, number][]): Buffer {
  return Buffer.concat([u16(items.length), ...items.map(([fd, fl]) => Buffer.concat([i64(fd), i16(fl)]))]);
}
const dyn = (idx: number, v: Buffer) => Buffer.concat([u8(idx), v]);

function typeOf(name: string, enter: boolean, nparams?: number): number {
  for (const old of [false, true]) {
    for (const e of EVENTS) {
      if (e.name !== name || e.enter !== enter || e.id >= 336 || ((e.flags & EF.OLD_VERSION) !== 0) !== old) continue;
      if (nparams === undefined || (e.sysdigParams ?? e.params.length) === nparams) return e.id;
    }
  }
  throw new Error(`no event ${name} ${enter ? '>' : '<'} ${nparams ?? ''}`);
}

const TID = 100, OTHER = 101, STRANGER = 4242;
const BASE = 1600000000n * 1000000000n;

function thread(tid: number, pid: number, comm: string, cwd: string): ThreadRecord {
  return {
    tid, pid, ptid: 1, sid: tid, vpgid: tid, pgid: -1, comm, exe: comm, exepath: '/usr/bin/' + comm, args: ['a1', 'a2'],
    cwd, fdlimit: 1024, flags: 0, uid: 1000, gid: 1000, vmsizeKb: 100, vmrssKb: 10, vmswapKb: 0, pfmajor: 0,
    pfminor: 0, env: ['A=1'], vtid: tid, vpid: pid, cgroups: ['cpu=/'], root: '/', loginuid: 1000, tty: 0,
  };
}

function fd(n: number, type: FdType, name: string, extra: Partial<FdRecord> = {}): FdRecord {
  return { fd: n, ino: 0, type, name, ...extra };
}

export async function writeSynthCapture(file = SYNTH): Promise<number> {
  const w = new ScapWriter(file);
  w.sink.machineInfo!({ numCpus: 2, memorySizeBytes: 1 << 30, maxPid: 32768, hostname: 'synth' });
  w.sink.thread!(thread(TID, TID, 'synth', '/home/u/work'));
  w.sink.thread!(thread(OTHER, OTHER, 'other', '/'));
  const fds: FdRecord[] = [
    fd(3, FdType.FILE_V2, '/etc/passwd', { openFlags: 1 }),
    fd(4, FdType.IPV4_SOCK, '', { sip: ip4('10.0.0.1'), dip: ip4('10.0.0.2'), sport: 40000, dport: 80, l4proto: 1 }),
    fd(5, FdType.IPV6_SOCK, '', { sip: ip6('2001:db8::1'), dip: ip6('2001:db8::2'), sport: 5353, dport: 53, l4proto: 2 }),
    fd(6, FdType.UNIX_SOCK, '/run/x.sock', { unixSource: '18446612682094608384', unixDest: '0' }),
    fd(7, FdType.FIFO, ''),
    fd(8, FdType.DIRECTORY, '/tmp/dir'),
    fd(9, FdType.EVENT, ''),
    fd(10, FdType.SIGNALFD, ''),
    fd(11, FdType.EVENTPOLL, ''),
    fd(12, FdType.INOTIFY, ''),
    fd(13, FdType.TIMERFD, ''),
    fd(14, FdType.NETLINK, ''),
    fd(15, FdType.IPV4_SERVSOCK, '', { sip: ip4('0.0.0.0'), sport: 8080, l4proto: 1 }),
    fd(16, FdType.FILE_V2, 'we\x01ird\x7fname\xe9', { openFlags: 0 }),
    fd(17, FdType.IPV6_SERVSOCK, '', { sip: ip6('::'), sport: 443, l4proto: 1 }),
    fd(18, FdType.IPV4_SOCK, '', { sip: ip4('10.0.0.1'), dip: ip4('8.8.8.8'), sport: 1234, dport: 53, l4proto: 2 }),
  ];
  for (const f of fds) w.sink.fd!(TID, f);
  w.sink.users!(
    [{ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/sh' }, { uid: 1000, gid: 1000, name: 'u\x01ser', homedir: '/home/u', shell: '/bin/sh' }],
    [{ gid: 0, name: 'root' }, { gid: 1000, name: 'users' }],
  );

  let n = 0;
  const emit = (name: string | number, enter: boolean, params: Buffer[], tid = TID, nparams?: number) => {
    const type = typeof name === 'number' ? name : typeOf(name, enter, nparams ?? params.length);
    const ts = BASE + BigInt(n) * 1234567n + (n % 3 === 0 ? 5n : 50000000n * BigInt(n % 5));
    w.writeEvent(synthEvent(type, params, tid, ts, n + 1, n % 2));
    n++;
  };

  // fds of every kind, errors, AT_FDCWD, unknown and out-of-range numbers
  for (const f of [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 99, -1, -2, -100, -4095, 4294967295, 2 ** 40]) {
    emit('fstat', true, [i64(f)]);
  }
  emit('close', false, [i64(-9)]);
  emit('close', false, [i64(0)]);
  // open: flags, modes, paths absolute / relative / empty / odd
  emit('open', false, [i64(3), str('/etc/passwd'), u32(4097), u32(0o644), u32(0x803)]);
  emit('open', false, [i64(-2), str('rel/./a/../b//c/'), u32(0x241), u32(0o755), u32(0)]);
  emit('open', false, [i64(-13), str(''), u32(0), u32(0), u32(0xffffffff)]);
  emit('open', false, [i64(3), str('..'), u32(2), u32(0o4777), u32(1)]);
  emit('open', false, [i64(3), str('../../../../x'), u32(3), u32(0o1000), u32(1)]);
  emit('open', false, [i64(3), str('a\x01b\xffc'), u32(0x1000), u32(0), u32(1)]);
  emit('open', false, [i64(3), str('<NA>'), u32(0xffffffff), u32(0), u32(1)]);
  emit('open', false, [i64(3), str('/abs\x02path'), u32(0x2000), u32(0), u32(1)]);
  emit('open', false, [i64(3), str('x'.repeat(300)), u32(1), u32(0), u32(1)]);
  emit('open', false, [i64(3), str('/' + 'y'.repeat(1100)), u32(1), u32(0), u32(1)]);
  emit('open', false, [i64(3), str('rel'), u32(1), u32(0), u32(1)], STRANGER);
  // openat: relative to a directory fd, AT_FDCWD, an unknown fd, a non-directory fd
  for (const dirfd of [8, -100, 99, 3]) {
    emit('openat', false, [i64(3), i64(dirfd), str('f.txt'), u32(1), u32(0o600), u32(0)]);
  }
  emit('openat', false, [i64(3), i64(8), str('/abs'), u32(1), u32(0), u32(0)]);
  // buffers: every byte, long, exactly 80, empty, CR/LF sequences
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  emit('read', false, [i64(256), all]);
  emit('read', false, [i64(80), raw('y'.repeat(80))]);
  emit('read', false, [i64(81), raw('z'.repeat(81))]);
  emit('read', false, [i64(0), Buffer.alloc(0)]);
  emit('read', false, [i64(-11), raw('\nline1\r\nline2\rline3\n\ttab\x00nul\x7fdel')]);
  emit('read', false, [i64(3), raw('abc')]);
  emit('read', false, [i64(17), raw('0123456789abcdefX')]);
  emit('write', false, [i64(5), raw('GET / HTTP/1.1\r\nHost: x\r\n\r\n')]);
  // sockets
  emit('connect', true, [i64(4), sa4('127.0.0.1', 80)]);
  emit('connect', true, [i64(5), sa6('2001:db8::3', 0x1234)]);
  emit('connect', true, [i64(5), sa6('::ffff:1.2.3.4', 1)]);
  emit('connect', true, [i64(6), saUnix('/run/a\x01b.sock')]);
  emit('connect', true, [i64(6), Buffer.alloc(0)]);
  emit('connect', true, [i64(14), Buffer.concat([u8(16), raw('xxxx')])]);
  emit('connect', true, [i64(14), Buffer.concat([u8(200), raw('xx')])]);
  emit('connect', true, [i64(4), Buffer.concat([u8(2), ip4('1.2.3.4')])]);
  emit('connect', true, [i64(4), Buffer.concat([u8(10), ip4('1.2.3.4')])]);
  emit('connect', false, [i64(0), tup4('10.0.0.1', 40000, '10.0.0.2', 80)]);
  emit('connect', false, [i64(-111), tup6('2001:db8::1', 5353, 'fe80::1:2:3:4', 53)]);
  emit('connect', false, [i64(0), tup6('::ffff:10.1.1.1', 1, '::ffff:10.2.2.2', 2)]);
  emit('connect', false, [i64(0), tup6('::', 1, '::', 2)]);
  emit('connect', false, [i64(0), tup6('::ffff:10.1.1.1', 1, '2001:db8::9', 2)]);
  emit('connect', false, [i64(0), tupUnix(0xffff88003c420800n, 0n, '/var/run/nscd/socket')]);
  emit('connect', false, [i64(0), tupUnix(1n, 0xabcn, 'odd\x03name')]);
  emit('connect', false, [i64(-115), Buffer.alloc(0)]);
  emit('connect', false, [i64(0), Buffer.concat([u8(17), raw('zzzzzzzzzzzz')])]);
  emit('connect', false, [i64(0), Buffer.concat([u8(2), raw('short')])]);
  emit('connect', false, [i64(0), Buffer.concat([u8(10), raw('short')])]);
  emit('accept', false, [i64(4), tup4('1.1.1.1', 1, '2.2.2.2', 2), u8(255)], TID, 3);
  emit('accept', true, [i32(-1)], TID, 1);
  emit('sendto', true, [i64(18), u32(32), Buffer.alloc(0)]);
  emit('socket', true, [u32(1), u32(1), u32(0)]);
  emit('socket', true, [u32(2), u32(2), u32(17)]);
  emit('socket', true, [u32(10), u32(0x80801), u32(0)]);
  emit('socket', true, [u32(16), u32(3), u32(0)]);
  emit('socket', true, [u32(99), u32(0xffffffff), u32(0x80000000)]);
  // fd lists
  emit('poll', true, [fdlist([[3, 1], [4, 5], [99, 4], [7, -32768], [-1, 0]]), i64(-1)]);
  emit('poll', true, [fdlist([]), i64(1000)]);
  emit('poll', true, [fdlist([[5, 0x40]]), i64(0)], STRANGER);
  emit('ppoll', true, [fdlist([[13, 1]]), u64(1500000000n), u32((1 << 0) | (1 << 8) | (1 << 16) | (1 << 31))]);
  emit('ppoll', true, [fdlist([]), u64(-1), u32(0)]);
  emit('ppoll', true, [fdlist([]), u64(123456789n), u32(0xffffffff)]);
  // pids and signals
  emit('kill', true, [i64(OTHER), u8(9)]);
  emit('kill', true, [i64(999), u8(0)]);
  emit('kill', true, [i64(-1), u8(40)]);
  emit('kill', true, [i64(TID), u8(31)]);
  emit('signaldeliver', true, [i64(0), i64(OTHER), u8(17)]);
  // relative times
  for (const v of [0n, 1n, 1000000n, 1500000000n, 123456789n, 10n ** 15n, 999999n, 100000n, 5n * 10n ** 12n]) {
    emit('nanosleep', true, [u64(v)]);
  }
  // users and groups
  for (const uid of [0, 1000, 5, 0xffffffff, 0xfffffffe, 0x80000000]) emit('setuid', true, [u32(uid)]);
  for (const gid of [0, 1000, 7, 0xffffffff]) emit('setgid', true, [u32(gid)]);
  // numbers of every width and print format
  emit('mmap', true, [u64(0xffffffffffffffffn), u64(0x8000000000000001n), u32(0), u32(0x22), i64(-1), u64(4096)]);
  emit('mmap', true, [u64(0), u64(12345), u32(7), u32(0x1000000), i64(3), u64(2n ** 53n + 1n)]);
  emit('mmap', false, [u64(0x7fad48782000n), u32(1), u32(2), u32(3)], TID, 4);
  emit('brk', false, [u64(0x926000), u32(1), u32(2), u32(3)], TID, 4);
  emit('futex', true, [u64(0x7fa6955af740n), u16(129), u64(2147483647)]);
  emit('futex', true, [u64(0), u16(0x8b), u64(0xffffffffffffffffn)]);
  emit('lseek', true, [i64(3), u64(100), u8(2)]);
  emit('lseek', true, [i64(3), u64(0), u8(9)]);
  emit('access', true, [u32(0)]);
  emit('access', true, [u32(6)]);
  emit('access', true, [u32(7)]);
  emit('access', true, [u32(8)]);
  emit('fchmod', false, [i64(0), i64(3), u32(0o755)]);
  emit('fchmod', false, [i64(-1), i64(3), u32(0o4000 | 0o2000 | 0o1000 | 0o777)]);
  emit('fchmod', false, [i64(0), i64(3), u32(0)]);
  emit('semop', false, [i64(0), u32(2), u16(1), i16(-1), u16(0x1800), u16(65535), i16(32767), u16(0x1000)]);
  emit('clone', false, [i64(OTHER), str('exe'), raw('a\0b\0'), i64(TID), i64(TID), i64(1), str('/cwd'), i64(-1),
    u32(0x7fffffff), u32(0xffffffff), u32(1000)], TID, 11);
  emit('execve', false, [i64(0), str('/bin/x'), raw('arg1\0arg two\0\x01\0'), i64(TID), i64(TID), i64(1), str('/home/u\xc3\xa9'), u64(1024)], TID, 8);
  // DYN parameters: every selector, a bad selector, an empty payload
  emit('setsockopt', false, [i64(0), i64(4), u8(1), u8(2), dyn(0, raw('ab\x00c')), u32(4)]);
  emit('setsockopt', false, [i64(-22), i64(4), u8(0), u8(99), dyn(1, i64(-22)), u32(4)]);
  emit('setsockopt', false, [i64(0), i64(4), u8(6), u8(20), dyn(2, u32(0xfffffffe)), u32(4)]);
  emit('setsockopt', false, [i64(0), i64(4), u8(1), u8(21), dyn(3, u64(0xffffffffffffffffn)), u32(8)]);
  emit('setsockopt', false, [i64(0), i64(4), u8(1), u8(21), dyn(4, u64(2500000000n)), u32(8)]);
  emit('setsockopt', false, [i64(0), i64(4), u8(1), u8(21), dyn(9, u64(1)), u32(8)]);
  emit('setsockopt', false, [i64(0), i64(4), u8(1), u8(21), Buffer.alloc(0), u32(8)]);
  // generic syscalls (their arguments are never shown, evt.arg still works)
  emit(0, true, [u16(0), u16(0)]);
  emit(1, false, [u16(20), u16(20)]);
  // an event with fewer params than the table, and a thread nobody knows
  emit(3, false, [i64(3)]);
  // empty params: sysdig prints what its scratch buffer / the following bytes hold
  emit('open', false, [i64(3), Buffer.alloc(0), u32(1), u32(0), u32(1)]);
  emit('execve', false, [i64(0), Buffer.alloc(0), raw('next\0args\0'), i64(TID), i64(TID), i64(1), str('/'), u64(1)], TID, 8);
  emit('fstat', true, [i64(3)], STRANGER);
  emit('switch', true, [i64(OTHER), u64(1), u64(2), u32(3), u32(4), u32(5)], TID, 6);
  emit('switch', true, [i64(0), u64(1), u64(2), u32(3), u32(4), u32(5)], TID, 6);
  await w.close();
  return n;
}

if (require.main === module) {
  writeSynthCapture().then((n) => console.log(`${SYNTH}: ${n} events`));
}
