// Parameter rendering, one parameter type at a time, on hand-built events and
// a hand-built state. Expected texts are what sysdig 0.29.3 printed for the
// same values (fixtures/golden/default and fixtures/golden/format/synth-*).

import t from 'tap';
import { ScapEvent } from '../lib/event/event';
import { synthEvent } from './synth-event';
import type { EvalContext } from '../lib/fields/types';
import type { FdInfo, StateView, ThreadInfo } from '../lib/state/view';
import { EVENTS } from '../lib/schema/events';
import {
  BufEnc, paramDisplay, renderArgs, renderParamInto, resetParamState, setParamFormat, eventBufferText, ParamParts,
} from '../lib/format/params';

// ---- building events
const u8 = (v: number) => Buffer.from([v & 0xff]);
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); return b; };
const i16 = (v: number) => { const b = Buffer.alloc(2); b.writeInt16LE(v); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const i32 = (v: number) => { const b = Buffer.alloc(4); b.writeInt32LE(v | 0); return b; };
const u64 = (v: bigint | number) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v))); return b; };
const i64 = (v: bigint | number) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt.asIntN(64, BigInt(v))); return b; };
const str = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]);
const raw = (s: string) => Buffer.from(s, 'latin1');

function typeId(name: string, enter: boolean, n: number): number {
  const e = EVENTS.find((x) => x.name === name && x.enter === enter && x.id < 336 && (x.sysdigParams ?? x.params.length) === n);
  if (!e) throw new Error(`no ${name} with ${n} params`);
  return e.id;
}

function event(type: number, params: Buffer[], tid = 100): ScapEvent {
  return synthEvent(type, params, tid, 1600000000000000000n);
}

// ---- a hand-built state
function fd(n: number, typeChar: FdInfo['typeChar'], name: string, more: Partial<FdInfo> & { type?: number } = {}): FdInfo {
  return { fd: n, typeChar, name, openFlags: 0, ino: 0, dev: 0, sport: 0, dport: 0, l4proto: 0, role: '', ...more };
}

function thread(tid: number, comm: string, cwd: string, fds: FdInfo[] = []): ThreadInfo {
  return {
    tid, pid: tid, ptid: 1, sid: tid, vpgid: tid, comm, exe: comm, exepath: '', args: [], env: [], cwd, uid: 0, gid: 0,
    loginuid: 0, fdlimit: 0, flags: 0, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfmajor: 0, pfminor: 0, vtid: tid, vpid: tid,
    cgroups: [], root: '/', tty: 0, containerId: '', cloneSec: 0, cloneNsec: 0, fds: new Map(fds.map((f) => [f.fd, f])),
  };
}

const me = thread(100, 'synth', '/home/u/work/', [
  fd(3, 'f', '/etc/passwd'),
  fd(4, '4', '10.0.0.1:40000->10.0.0.2:80', { type: 3, l4proto: 2, role: 'client', dip: Buffer.from([10, 0, 0, 2]) }),
  fd(5, '6', '2001:db8::1:5353->2001:db8::2:53', { type: 4, l4proto: 3, role: '', dip: Buffer.alloc(16) }),
  fd(7, 'p', ''),
  fd(8, 'd', '/tmp/dir'),
  fd(16, 'f', 'we\x01ird\x7fnam\u00e9e'),
]);
const other = thread(101, 'other', '/');
const threads = new Map<number, ThreadInfo>([[100, me], [101, other]]);

function state(t: ThreadInfo | undefined): StateView {
  return {
    thread: t, fd: undefined, fdNum: -1, enterEvent: undefined, threads,
    users: new Map([[0, { uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/sh' }], [1000, { uid: 1000, gid: 1000, name: 'u\x01ser', homedir: '', shell: '' }]]),
    groups: new Map([[0, { gid: 0, name: 'root' }]]),
    containers: new Map(), interfaces: [], machine: undefined,
    mainThread: (x) => x, parent: () => undefined, firstSec: 0, firstNsec: 0, prevSec: 0, prevNsec: 0,
  };
}

const out: ParamParts = { raw: '', res: '' };
/** `t` null: an event whose thread is unknown. */
function show(ev: ScapEvent, i: number, t: ThreadInfo | null = me): string {
  const ctx: EvalContext = { ev, state: state(t ?? undefined) };
  renderParamInto(ctx, i, out);
  return out.res === '' ? out.raw : `${out.raw}(${out.res})`;
}
function args(ev: ScapEvent, t: ThreadInfo | null = me): string {
  return renderArgs({ ev, state: state(t ?? undefined) });
}

t.beforeEach(() => { resetParamState(); setParamFormat({ enc: BufEnc.DOTS, json: false, maxLen: 80 }); });

t.test('PT_FD: the fd table entry, errors, AT_FDCWD, unknown numbers', async (t) => {
  const fstat = typeId('fstat', true, 1);
  const cases: [number | bigint, string][] = [
    [3, '3(<f>/etc/passwd)'], [4, '4(<4t>10.0.0.1:40000->10.0.0.2:80)'], [5, '5(<6>2001:db8::1:5353->2001:db8::2:53)'],
    [7, '7(<p>)'], [8, '8(<d>/tmp/dir)'], [16, '16(<f>weirdname)'], [99, '99'], [-1, '-1(EPERM)'], [-2, '-2(ENOENT)'],
    [-100, '-100(AT_FDCWD)'], [-4095, '-4095'], [4294967295, '4294967295'], [2 ** 40, '1099511627776'],
  ];
  for (const [v, want] of cases) t.equal(show(event(fstat, [i64(v)]), 0), want, `fd ${v}`);
  t.equal(show(event(fstat, [i64(3)]), 0, null), '3', 'no thread: just the number');
  t.equal(show(event(fstat, [i64(-2)]), 0, null), '-2', 'no thread: not even the errno');
});

t.test('PT_ERRNO', async (t) => {
  const close = typeId('close', false, 1);
  t.equal(show(event(close, [i64(-9)]), 0), '-9(EBADF)');
  t.equal(show(event(close, [i64(0)]), 0), '0');
  t.equal(show(event(close, [i64(-111)]), 0), '-111(ECONNREFUSED)');
  t.equal(show(event(close, [i64(-600)]), 0), '-600');
  t.equal(show(event(close, [i64(832)]), 0), '832');
});

t.test('PT_PID: the thread name when the table has the thread', async (t) => {
  const kill = typeId('kill', true, 2);
  t.equal(args(event(kill, [i64(101), u8(9)])), 'pid=101(other) sig=9(SIGKILL) ');
  t.equal(args(event(kill, [i64(999), u8(0)])), 'pid=999 sig=0 ');
  t.equal(args(event(kill, [i64(-1), u8(40)])), 'pid=-1 sig=40 ');
  t.equal(args(event(kill, [i64(100), u8(31)])), 'pid=100(synth) sig=31(SIGSYS) ');
});

t.test('integers: widths, signedness and print formats as printf sees them', async (t) => {
  const mmap = typeId('mmap', true, 6);
  t.equal(args(event(mmap, [u64(0xffffffffffffffffn), u64(0x8000000000000001n), u32(0), u32(0x22), i64(-1), u64(4096)])),
    'addr=FFFFFFFFFFFFFFFF length=-9223372036854775807 prot=0(PROT_NONE) flags=34(MAP_PRIVATE|MAP_RENAME) fd=-1(EPERM) offset=4096 ');
  t.equal(args(event(mmap, [u64(0), u64(12345), u32(7), u32(0x1000000), i64(3), u64(2n ** 53n + 1n)])),
    'addr=0 length=12345 prot=7(PROT_READ|PROT_WRITE|PROT_EXEC) flags=16777216 fd=3(<f>/etc/passwd) offset=9007199254740993 ');
  const socket = typeId('socket', true, 3);
  t.equal(args(event(socket, [u32(99), u32(0xffffffff), u32(0x80000000)])), 'domain=99(AF_PHONET) type=-1 proto=-2147483648 ');
  t.equal(args(event(socket, [u32(1), u32(1), u32(0)])), 'domain=1(AF_LOCAL) type=1 proto=0 ');
  const accept = typeId('accept', true, 1);
  t.equal(args(event(accept, [i32(-1)])), 'flags=FFFFFFFF ', 'INT32 hex of a negative');
  const semop = typeId('semop', false, 8);
  t.equal(args(event(semop, [i64(0), u32(2), u16(1), i16(-1), u16(0x1800), u16(65535), i16(32767), u16(3)])),
    'res=0 nsops=2 sem_num_0=1 sem_op_0=-1 sem_flg_0=6144 sem_num_1=65535 sem_op_1=32767 sem_flg_1=3(IPC_NOWAIT|SEM_UNDO) ');
  const futex = typeId('futex', true, 3);
  t.equal(args(event(futex, [u64(0x7fa6955af740n), u16(129), u64(2147483647)])), 'addr=7FA6955AF740 op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=2147483647 ');
  t.equal(args(event(futex, [u64(0), u16(0x8b), u64(0xffffffffffffffffn)])), 'addr=0 op=139(FUTEX_PRIVATE_FLAG|FUTEX_WAIT_REQUEUE_PI) val=-1 ');
});

t.test('flags, enums and modes', async (t) => {
  const open = typeId('open', false, 5);
  t.equal(args(event(open, [i64(3), str('/etc/passwd'), u32(4097), u32(0o644), u32(0x803)])),
    'fd=3(<f>/etc/passwd) name=/etc/passwd flags=4097(O_RDONLY|O_CLOEXEC) mode=0644 dev=803 ');
  t.equal(show(event(open, [i64(3), str('x'), u32(0), u32(0), u32(0)]), 2), '0(O_NONE)');
  t.equal(show(event(open, [i64(3), str('x'), u32(0x241), u32(0), u32(0)]), 2), '577(O_DIRECT|O_NONBLOCK|O_RDONLY)');
  t.equal(show(event(open, [i64(3), str('x'), u32(0), u32(0o4777), u32(0xffffffff)]), 3), '04777');
  t.equal(show(event(open, [i64(3), str('x'), u32(0), u32(0), u32(0xffffffff)]), 4), 'FFFFFFFF');
  const access = typeId('access', true, 1);
  t.equal(args(event(access, [u32(0)])), 'mode=0(F_OK) ');
  t.equal(args(event(access, [u32(6)])), 'mode=6(R_OK|W_OK) ');
  t.equal(args(event(access, [u32(8)])), 'mode=8 ');
  const lseek = typeId('lseek', true, 3);
  t.equal(args(event(lseek, [i64(3), u64(0), u8(9)])), 'fd=3(<f>/etc/passwd) offset=0 whence=9(SEEK_CUR) ');
  const fchmod = typeId('fchmod', false, 3);
  t.equal(args(event(fchmod, [i64(0), i64(3), u32(0o755)])),
    'res=0 fd=3(<f>/etc/passwd) mode=0755(S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR) ');
  t.equal(show(event(fchmod, [i64(0), i64(3), u32(0)]), 2), '0');
});

t.test('paths: shown as captured (unprintable bytes dropped), resolved against the cwd when relative', async (t) => {
  const open = typeId('open', false, 5);
  const name = (p: string, th: ThreadInfo | null = me) => show(event(open, [i64(3), str(p), u32(0), u32(0), u32(0)]), 1, th);
  t.equal(name('/etc/passwd'), '/etc/passwd');
  t.equal(name('rel/./a/../b//c/'), 'rel/./a/../b//c/(/home/u/work/rel/b/c)');
  t.equal(name(''), '(/home/u/work)');
  t.equal(name('..'), '..(/home/u)');
  t.equal(name('../../../../x'), '../../../../x(/x)');
  t.equal(name('a\x01b\xffc'), 'abc(/home/u/work/a.b.c)');
  t.equal(name('<NA>'), '<NA>');
  t.equal(name('/abs\x02path'), '/abspath');
  t.equal(name('rel', thread(4242, '<NA>', '')), 'rel(rel)', 'a thread without cwd');
  t.equal(name('rel', null), 'rel', 'no thread');
  const long = '/' + 'y'.repeat(1100);
  t.equal(name(long), long.slice(0, 1023), 'cut to the 1024-byte scratch buffer');
  const openat = typeId('openat', false, 6);
  const at = (dirfd: number, p: string) => show(event(openat, [i64(3), i64(dirfd), str(p), u32(1), u32(0), u32(0)]), 2);
  t.equal(at(8, 'f.txt'), 'f.txt(/tmp/dir/f.txt)');
  t.equal(at(-100, 'f.txt'), 'f.txt(/home/u/work/f.txt)');
  t.equal(at(99, 'f.txt'), 'f.txt(f.txt)', 'unknown directory fd: the path alone');
  t.equal(at(8, '/abs'), '/abs');
});

t.test('buffers: dots and the 80-byte cut, -A, -x, -X, -b, -j, -v', async (t) => {
  const read = typeId('read', false, 2);
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const data = (b: Buffer) => show(event(read, [i64(b.length), b]), 1);
  t.equal(data(all), '.'.repeat(32) + ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKL...');
  t.equal(data(raw('y'.repeat(80))), 'y'.repeat(80), 'exactly 80 bytes are not cut');
  t.equal(data(raw('z'.repeat(81))), 'z'.repeat(77) + '...');
  t.equal(data(Buffer.alloc(0)), '');
  const crlf = raw('\nline1\r\nline2\rline3\n\ttab\x00nul\x7fdel');
  t.equal(data(crlf), '.line1..line2.line3..tab.nul.del');
  setParamFormat({ enc: BufEnc.EOLS });
  t.equal(data(crlf), '\nline1\nline2\nline3\ntabnuldel', '-A: printable bytes and line ends only');
  t.equal(data(raw('z'.repeat(100))), '\n' + 'z'.repeat(100), '-A is never cut');
  setParamFormat({ enc: BufEnc.HEX });
  t.equal(data(raw('0123456789abcdefX')), '\n\t0x0000: 3031 3233 3435 3637 3839 6162 6364 6566\n\t0x0010: 58\n');
  setParamFormat({ enc: BufEnc.HEXASCII });
  t.equal(data(raw('abc')), '\n\t0x0000: 6162 63' + ' '.repeat(32) + 'abc\n');
  setParamFormat({ enc: BufEnc.BASE64 });
  t.equal(data(raw('abc')), 'YWJj');
  t.equal(data(raw('ab')), 'YWI=');
  t.equal(data(Buffer.alloc(0)), '');
  setParamFormat({ enc: BufEnc.DOTS, json: true });
  t.equal(data(raw('z'.repeat(81))), 'z'.repeat(81), '-j: not cut');
  setParamFormat({ json: false, maxLen: 0 });
  t.equal(data(raw('z'.repeat(81))), 'z'.repeat(81), '-v: not cut');
  setParamFormat({ maxLen: 80 });
  t.equal(eventBufferText({ ev: event(read, [i64(3), raw('a\nb')]), state: state(me) }), 'a.b', 'evt.buffer');
  const fstat = typeId('fstat', true, 1);
  t.equal(eventBufferText({ ev: event(fstat, [i64(3)]), state: state(me) }), undefined, 'evt.buffer without data');
});

t.test('socket addresses and tuples', async (t) => {
  const ce = typeId('connect', true, 2), cx = typeId('connect', false, 2);
  const addr = (b: Buffer) => show(event(ce, [i64(4), b]), 1);
  const tuple = (b: Buffer) => show(event(cx, [i64(0), b]), 1);
  const ip6 = (...g: number[]) => { const b = Buffer.alloc(16); g.forEach((x, i) => b.writeUInt16BE(x, i * 2)); return b; };
  t.equal(addr(Buffer.from([2, 127, 0, 0, 1, 80, 0])), '127.0.0.1:80');
  t.equal(addr(Buffer.concat([u8(10), ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 3), u16(0x1234)])), '2001:db8::3:4660');
  t.equal(addr(Buffer.concat([u8(10), ip6(0, 0, 0, 0, 0, 0, 0xffff, 1), u16(1)])), '::255.255.0.1:1');
  t.equal(addr(Buffer.concat([u8(1), str('/run/a\x01b.sock')])), '/run/ab.sock');
  t.equal(addr(Buffer.alloc(0)), 'NULL');
  t.equal(addr(Buffer.concat([u8(16), raw('xxxx')])), 'family 16');
  t.equal(addr(Buffer.concat([u8(200), raw('xx')])), 'family -56');
  t.equal(addr(Buffer.from([2, 1, 2, 3, 4])), 'INVALID IPv4');
  t.equal(addr(Buffer.from([10, 1, 2, 3, 4])), 'INVALID IPv6');
  t.equal(tuple(Buffer.from([2, 10, 0, 0, 1, 0x40, 0x9c, 10, 0, 0, 2, 80, 0])), '10.0.0.1:40000->10.0.0.2:80');
  t.equal(tuple(Buffer.concat([u8(10), ip6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1), u16(5353), ip6(0xfe80, 0, 0, 0, 1, 2, 3, 4), u16(53)])),
    '2001:db8::1:5353->fe80::1:2:3:4:53');
  t.equal(tuple(Buffer.concat([u8(10), ip6(0, 0, 0, 0, 0, 0xffff, 0x0a01, 0x0101), u16(1), ip6(0, 0, 0, 0, 0, 0xffff, 0x0a02, 0x0202), u16(2)])),
    '10.1.1.1:1->10.2.2.2:2', 'both IPv4-mapped: shown as IPv4');
  t.equal(tuple(Buffer.concat([u8(10), Buffer.alloc(16), u16(1), Buffer.alloc(16), u16(2)])), '0.0.0.0:1->0.0.0.0:2', 'all-zero counts as IPv4');
  t.equal(tuple(Buffer.concat([u8(1), u64(0xffff88003c420800n), u64(0), str('/var/run/nscd/socket')])), 'ffff88003c420800->0 /var/run/nscd/socket');
  t.equal(tuple(Buffer.concat([u8(1), u64(1), u64(0xabc), str('odd\x03name')])), '1->abc oddname');
  t.equal(tuple(Buffer.alloc(0)), 'NULL');
  t.equal(tuple(Buffer.concat([u8(17), raw('zzzzzzzzzzzz')])), 'family 17');
  t.equal(tuple(Buffer.concat([u8(2), raw('short')])), 'INVALID IPv4');
  t.equal(tuple(Buffer.concat([u8(10), raw('short')])), 'INVALID IPv6');
});

t.test('fd lists, signal sets, relative times', async (t) => {
  const poll = typeId('poll', true, 2);
  const list = (items: [number, number][]) => Buffer.concat([u16(items.length), ...items.map(([f, fl]) => Buffer.concat([i64(f), i16(fl)]))]);
  t.equal(args(event(poll, [list([[3, 1], [4, 5], [99, 4], [7, -32768], [-1, 0]]), i64(-1)])),
    'fds=3:f1 4:45 99:?4 7:pffff8000 18446744073709551615:?0 timeout=-1 ');
  t.equal(args(event(poll, [list([]), i64(1000)])), 'fds= timeout=1000 ');
  t.equal(args(event(poll, [list([[5, 0x40]]), i64(0)]), thread(4242, '<NA>', '')), 'fds=5:?40 timeout=0 ');
  // Without a thread sysdig leaves its scratch buffer alone: the previous parameter's text shows.
  t.equal(args(event(poll, [list([[5, 0x40]]), i64(7)]), null), 'fds=0 timeout=7 ');
  const ppoll = typeId('ppoll', true, 3);
  t.equal(args(event(ppoll, [list([]), u64(1500000000), u32((1 << 0) | (1 << 8) | (1 << 16) | (1 << 31))])),
    'fds= timeout=1500000000(1.5s) sigmask=SIGHUP SIGKILL SIGCHLD ');
  t.equal(args(event(ppoll, [list([]), u64(-1), u32(0)])), 'fds= timeout=none sigmask= ');
  const nanosleep = typeId('nanosleep', true, 1);
  const cases: [bigint, string][] = [
    [0n, '0(0s)'], [1n, '1(1e-09s)'], [1000000n, '1000000(0.001s)'], [123456789n, '123456789(0.123457s)'],
    [10n ** 15n, '1000000000000000(1e+06s)'], [999999n, '999999(0.000999999s)'], [100000n, '100000(0.0001s)'],
    [5n * 10n ** 12n, '5000000000000(5000s)'],
  ];
  for (const [v, want] of cases) t.equal(show(event(nanosleep, [u64(v)]), 0), want);
});

t.test('users and groups', async (t) => {
  const setuid = typeId('setuid', true, 1), setgid = typeId('setgid', true, 1);
  t.equal(show(event(setuid, [u32(0)]), 0), '0(root)');
  t.equal(show(event(setuid, [u32(1000)]), 0), '1000(user)');
  t.equal(show(event(setuid, [u32(5)]), 0), '5(<NA>)');
  t.equal(show(event(setuid, [u32(0xffffffff)]), 0), '-1(<NONE>)');
  t.equal(show(event(setuid, [u32(0xfffffffe)]), 0), '-2(<NA>)');
  t.equal(show(event(setgid, [u32(0)]), 0), '0(root)');
  t.equal(show(event(setgid, [u32(7)]), 0), '7(<NA>)');
});

t.test('DYN parameters, syscall ids, generic events, short records', async (t) => {
  const setsockopt = typeId('setsockopt', false, 6);
  const val = (v: Buffer) => show(event(setsockopt, [i64(0), i64(4), u8(1), u8(21), v, u32(8)]), 4);
  t.equal(val(Buffer.concat([u8(0), raw('ab\x00c')])), 'ab.c');
  t.equal(val(Buffer.concat([u8(1), i64(-22)])), '-22(EINVAL)');
  t.equal(val(Buffer.concat([u8(2), u32(0xfffffffe)])), '-2');
  t.equal(val(Buffer.concat([u8(3), u64(0xffffffffffffffffn)])), '-1');
  t.equal(val(Buffer.concat([u8(4), u64(2500000000n)])), '2500000000(2.5s)');
  t.equal(val(Buffer.concat([u8(9), u64(1)])), 'INVALID DYNAMIC PARAMETER');
  t.equal(val(Buffer.alloc(0)), 'INVALID DYNAMIC PARAMETER');
  const generic = event(1, [u16(20), u16(20)]);
  t.equal(args(generic), '', 'generic events show no arguments');
  t.equal(paramDisplay({ ev: generic, state: state(me) }, 0), 'fstat', 'but evt.arg shows the syscall name');
  t.equal(paramDisplay({ ev: generic, state: state(me) }, 1), undefined, 'the newer nativeID param is not visible to 0.29.3');
  t.equal(args(event(3, [i64(3)])), 'fd=3(<f>/etc/passwd) ', 'a record with fewer params than the table');
});

t.test('execve and clone: CHARBUF as captured, BYTEBUF argument lists', async (t) => {
  const execve = typeId('execve', false, 8);
  t.equal(args(event(execve, [i64(0), str('/bin/x'), raw('arg1\0arg two\0\x01\0'), i64(100), i64(100), i64(1), str('/home/u\xc3\xa9'), u64(1024)])),
    'res=0 exe=/bin/x args=arg1.arg two... tid=100(synth) pid=100(synth) ptid=1 cwd=/home/u\xc3\xa9 fdlimit=1024 ', 'CHARBUF bytes as they are (a byte string)');
  const clone = typeId('clone', false, 11);
  t.equal(args(event(clone, [i64(101), str('exe'), raw('a\0b\0'), i64(100), i64(100), i64(1), str('/cwd'), i64(-1), u32(0x8000 | 0x1), u32(0xffffffff), u32(1000)])),
    'res=101(other) exe=exe args=a.b. tid=100(synth) pid=100(synth) ptid=1 cwd=/cwd fdlimit=-1 flags=32769(CLONE_FILES|CLONE_VM) uid=-1 gid=1000 ');
});
