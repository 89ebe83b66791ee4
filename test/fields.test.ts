// Unit tests of the field catalog on hand-built events and state: argument
// parsing, the -l/-lv listing, value rendering, and extractors.
import t from 'tap';
import * as fs from 'fs';
import * as path from 'path';
import { ScapEvent } from '../lib/event/event';
import type { ContainerInfo, FdInfo, StateView, ThreadInfo } from '../lib/state/view';
import type { EvalContext } from '../lib/fields/types';
import {
  FIELD_CLASSES, bindField, compileField, fieldText, fieldValue, renderFieldList, renderFieldListMarkdown, resolveField, typeName,
} from '../lib/fields/registry';
import { fixed1, humanDuration, iso8601, renderValue, setZoneOffsetForTests, timeString } from '../lib/fields/render';
import { globMatch } from '../lib/fields/glob';
import { compileFilter } from '../lib/filter';
import { PF, PT } from '../lib/schema/types';
import { ppmScByName } from '../lib/schema/syscalls';

// ---------------------------------------------------------------------------
// Builders

function u64(n: number | bigint): Buffer { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(n))); return b; }
function i64(n: number): Buffer { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(n)); return b; }
function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; }
function u16(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; }
function str(s: string): Buffer { return Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from([0])]); }

let evNum = 0;

/** An event record of type `type` for thread `tid` at `sec.nsec`, with the given raw params. */
function event(type: number, tid: number, sec: number, nsec: number, params: Buffer[], cpu = 1): ScapEvent {
  const lens = Buffer.alloc(params.length * 2);
  params.forEach((p, i) => lens.writeUInt16LE(p.length, i * 2));
  const body = Buffer.concat([lens, ...params]);
  const hdr = Buffer.alloc(26);
  hdr.writeBigUInt64LE(BigInt(sec) * 1000000000n + BigInt(nsec), 0);
  hdr.writeBigInt64LE(BigInt(tid), 8);
  hdr.writeUInt32LE(26 + body.length, 16);
  hdr.writeUInt16LE(type, 20);
  hdr.writeUInt32LE(params.length, 22);
  const ev = new ScapEvent();
  ev.set(Buffer.concat([hdr, body]), 0, cpu, 0, ++evNum);
  return ev;
}

function thread(p: Partial<ThreadInfo> & { tid: number }): ThreadInfo {
  return {
    pid: p.tid, ptid: 1, sid: 0, vpgid: 0, comm: 'x', exe: 'x', exepath: '/bin/x', args: [], env: [], cwd: '/',
    uid: 0, gid: 0, loginuid: 0xffffffff, fdlimit: 1024, flags: 0, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0,
    pfmajor: 0, pfminor: 0, vtid: p.tid, vpid: p.tid, cgroups: [], root: '/', tty: 0, containerId: '',
    cloneSec: 0, cloneNsec: 0, fds: new Map(), ...p,
  };
}

function fd(p: Partial<FdInfo> & { fd: number; typeChar: FdInfo['typeChar'] }): FdInfo {
  return { name: '', openFlags: 0, ino: 0, dev: 0, sport: 0, dport: 0, l4proto: 0, role: '', ...p };
}

interface World {
  threads: ThreadInfo[];
  containers?: ContainerInfo[];
  users?: { uid: number; gid: number; name: string; homedir: string; shell: string }[];
  groups?: { gid: number; name: string }[];
  interfaces?: { v6: boolean; name: string; addr: Buffer; netmask: Buffer; bcast: Buffer; linkspeed: number }[];
}

function state(w: World, cur: { tid: number; fd?: number; first?: [number, number]; extra?: Record<string, unknown> }): StateView {
  const threads = new Map(w.threads.map((x) => [x.tid, x]));
  const t = threads.get(cur.tid);
  const f = t && cur.fd !== undefined ? t.fds.get(cur.fd) : undefined;
  const s: StateView = {
    thread: t, fd: f, fdNum: cur.fd ?? -1, enterEvent: undefined, threads,
    users: new Map((w.users ?? []).map((u) => [u.uid, u])),
    groups: new Map((w.groups ?? []).map((g) => [g.gid, g])),
    containers: new Map((w.containers ?? []).map((c) => [c.id, c])),
    interfaces: w.interfaces ?? [],
    machine: undefined,
    mainThread: (x) => (x.pid === x.tid ? x : threads.get(x.pid)),
    parent: (x) => threads.get(x.ptid),
    firstSec: cur.first?.[0] ?? 0, firstNsec: cur.first?.[1] ?? 0, prevSec: 0, prevNsec: 0,
  };
  return Object.assign(s, cur.extra ?? {});
}

function ctx(ev: ScapEvent, st: StateView): EvalContext { return { ev, state: st }; }

const T0 = 1600000000;

// ---------------------------------------------------------------------------

t.test('field reference parsing', async (t) => {
  const r = (s: string) => { const x = resolveField(s, 0); return x && { name: x.def.name, arg: x.arg, end: x.end }; };
  t.same(r('proc.name'), { name: 'proc.name', arg: undefined, end: 9 });
  t.same(r('evt.time.s'), { name: 'evt.time.s', arg: undefined, end: 10 }, 'longest name wins');
  t.same(r('evt.timex'), { name: 'evt.time', arg: undefined, end: 8 }, 'trailing text is left to the caller');
  t.same(r('proc.aname[2]'), { name: 'proc.aname', arg: '2', end: 13 });
  t.same(r('proc.apid[1] and x'), { name: 'proc.apid', arg: '1', end: 12 });
  t.same(r('proc.apid'), { name: 'proc.apid', arg: undefined, end: 9 }, 'no index: any ancestor');
  t.same(r('proc.apid %proc.name'), { name: 'proc.apid', arg: undefined, end: 0 }, 'sysdig consumes nothing here');
  t.same(r('evt.arg.fd'), { name: 'evt.arg', arg: 'fd', end: 10 });
  t.same(r('evt.arg.fdx'), { name: 'evt.arg', arg: 'fd', end: 10 }, 'longest known parameter name');
  t.same(r('evt.arg[0]'), { name: 'evt.arg', arg: '0', end: 10 });
  t.same(r('evt.args'), { name: 'evt.args', arg: undefined, end: 8 });
  t.same(r('evt.rawarg.res'), { name: 'evt.rawarg', arg: 'res', end: 14 });
  t.same(r('evt.around[1404996934793590564]'), { name: 'evt.around', arg: '1404996934793590564', end: 31 });
  t.same(r('evt.abspath.src'), { name: 'evt.abspath', arg: 'src', end: 15 });
  t.same(r('evt.type.is.open'), { name: 'evt.type.is', arg: 'open', end: 16 });
  t.same(r('thread.cgroup.cpuacct'), { name: 'thread.cgroup', arg: 'cpuacct', end: 21 });
  t.same(r('thread.cgroups'), { name: 'thread.cgroups', arg: undefined, end: 14 });
  t.same(r('k8s.pod.label.app.kubernetes.io/name x'), { name: 'k8s.pod.label', arg: 'app.kubernetes.io/name', end: 36 });
  t.same(r('container.mount[/usr/*]'), { name: 'container.mount', arg: '/usr/*', end: 23 });
  t.same(r('container.mount.dest[0]'), { name: 'container.mount.dest', arg: '0', end: 23 });
  t.same(r('fd.name_changed'), { name: 'fd.name_changed', arg: undefined, end: 15 });
  t.same(r('syscall.type'), { name: 'syscall.type', arg: undefined, end: 12 });
  t.same(r('util.cnt'), { name: 'util.cnt', arg: undefined, end: 8 }, 'hidden class still resolves');
  t.equal(r('nosuch.field'), undefined);
  t.equal(r('proc'), undefined);
  t.throws(() => resolveField('evt.arg.nosuchparam', 0), /unknown event argument nosuchparam/);
  t.throws(() => resolveField('evt.rawarg[0]', 0), /evt.arg fields must be expressed explicitly/);
  t.throws(() => resolveField('evt.argx', 0), /filter syntax error: evt.argx/);
  t.throws(() => resolveField('evt.arg[x]', 0), /x is not a valid number/);
  t.throws(() => resolveField('thread.cgroup', 0), /filter syntax error/);
  t.throws(() => resolveField('container.mount', 0), /filter syntax error/);
  t.throws(() => resolveField('evt.around.x', 0), /wrong syntax for evt.around/);
  t.throws(() => resolveField('fd.ip', 0, { display: true }), /fd.ip is filter only and cannot be used as a display field/);
  t.ok(resolveField('fd.ip', 0), 'filter-only fields resolve for filters');
  t.equal(resolveField('proc.arg', 0), undefined);
  t.throws(() => resolveField('arg', 0), /proc.arg filter not implemented/);
});

t.test('bindField / compileField forms', async (t) => {
  t.equal(bindField('proc.namex'), undefined, 'whole text must be one field');
  t.equal(bindField('nosuch'), undefined);
  const b = bindField('proc.aname[2]')!;
  t.equal(b.def.name, 'proc.aname');
  t.equal(b.arg, '2');
  t.equal(b.text, 'proc.aname[2]');
  const c = compileField('x %evt.rawarg.res y', 3)!;
  t.equal(c.end, 17);
  t.equal(c.field.type, PT.ERRNO, 'evt.rawarg takes the argument\'s type');
  t.equal(c.field.text, 'evt.rawarg.res');
});

t.test('listing: same classes, fields, types and layout as sysdig -l/-lv', async (t) => {
  const want = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'golden', 'fields', 'list-names.txt'), 'utf8')
    .trim().split('\n');
  const got: string[] = [];
  for (const c of FIELD_CLASSES) {
    got.push('# ' + c.name + (c.shortDesc ? ' (' + c.shortDesc + ')' : ''));
    for (const f of c.fields) if (!f.hidden) got.push(f.name + ' ' + typeName(f.type) + (f.filterOnly ? ' FILTER_ONLY' : ''));
  }
  t.same(got, want);
  const v = renderFieldList(true).split('\n');
  t.equal(v[0], '-------------------------------');
  t.equal(v[1], 'Field Class:                  evt (All event types)');
  t.match(v[2], /^Description: {18}\S/);
  t.equal(v[3], '');
  t.match(v[4], /^evt\.num {23}\(Type: UINT64\) \S/);
  for (const line of v) t.ok(line.length <= 121, 'lines fit 120 columns (+ trailing space)') || t.comment(line);
  const l = renderFieldList(false);
  t.match(l, /\nproc\.is_container_liveness_probe\n {30}\S/, 'long names get their own line');
  t.match(l, /\nfd\.ip {25}\(FILTER ONLY\) /, 'filter-only tag');
  t.notMatch(l, /evt\.outputtime|thread\.nametid|evt\.latency\.quantized|util\.cnt/, 'hidden fields are not listed');
  t.ok(l.endsWith('\n\n'));
});

t.test('--list-markdown: one table per class, the fields -l lists', async (t) => {
  const md = renderFieldListMarkdown();
  const names = [...md.matchAll(/^`([^`]+)` \| ([A-Z0-9_]+) \| \S/gm)].map((m) => m[1] + ' ' + m[2]);
  const want: string[] = [];
  for (const c of FIELD_CLASSES) for (const f of c.fields) if (!f.hidden) want.push(f.name + ' ' + typeName(f.type));
  t.same(names, want);
  t.equal((md.match(/^## Field Class: /gm) ?? []).length, FIELD_CLASSES.length);
  t.match(md, /^\n## Field Class: evt\n\n\S.*\n\nName \| Type \| Description\n:----\|:-----\|:-----------\n`evt\.num` \| UINT64 \| /);
});

t.test('value rendering', async (t) => {
  t.equal(renderValue(PT.UINT64, PF.PADDED_DEC_10, 5), '000000005');
  t.equal(renderValue(PT.INT64, PF.DEC, -2), '-2');
  t.equal(renderValue(PT.INT64, PF.DEC, 2n ** 63n), '-9223372036854775808');
  t.equal(renderValue(PT.UINT64, PF.DEC, -1), '18446744073709551615');
  t.equal(renderValue(PT.INT32, PF.HEX, 0x558a), '558A');
  t.equal(renderValue(PT.INT32, PF.HEX, -1), 'FFFFFFFF');
  t.equal(renderValue(PT.UINT32, PF.NA, 1), undefined, 'sysdig cannot print u32 without a format');
  t.equal(renderValue(PT.UINT32, PF.HEX, 255), '255', 'u32 "hex" prints decimal in sysdig');
  t.equal(renderValue(PT.BOOL, PF.NA, true), 'true');
  t.equal(renderValue(PT.IPADDR, PF.NA, Buffer.from([10, 0, 0, 1])), '10.0.0.1');
  t.equal(renderValue(PT.IPADDR, PF.NA, Buffer.from('20010db8000000000000000000031234', 'hex')), '2001:db8::3:1234');
  t.equal(renderValue(PT.IPADDR, PF.NA, Buffer.from('00000000000000000000ffff7f000001', 'hex')), '::ffff:127.0.0.1');
  t.equal(renderValue(PT.DOUBLE, PF.DEC, 0.25), '0.2', 'ties to even like glibc');
  t.equal(renderValue(PT.DOUBLE, PF.DEC, 0.35), '0.3');
  t.equal(fixed1(12.5 / 10 * 10), '12.5');
  t.equal(fixed1(-0.05), '-0.1', '-0.05 is slightly above a tie');
  t.equal(fixed1(100), '100.0');
  t.equal(fixed1(1e-7), '0.0');
  t.equal(renderValue(PT.CHARBUF, PF.NA, 'a\0b'), 'a', 'C strings stop at NUL');
  t.equal(renderValue(PT.ERRNO, PF.NA, -2), '-2');
  t.throws(() => renderValue(PT.FD, PF.NA, 3), /wrong event type 14/);
  t.throws(() => renderValue(PT.FLAGS32, PF.NA, 3), /wrong event type 30/);
  t.equal(humanDuration(0), '0ns');
  t.equal(humanDuration(999), '999ns');
  t.equal(humanDuration(1500), '1.50us');
  t.equal(humanDuration(12345), '12us');
  t.equal(humanDuration(1234567), '1.23ms');
  t.equal(humanDuration(12345678), '12ms');
  t.equal(humanDuration(1100000000), '1.10s');
  t.equal(humanDuration(61e9), '1:1');
  t.equal(humanDuration(3600e9 + 62e9), '01:01:02');
  setZoneOffsetForTests(0);
  t.equal(timeString(T0, 5, false, true), '12:26:40.000000005');
  t.equal(timeString(T0, 5, true, false), '2020-09-13 12:26:40');
  t.equal(iso8601(T0, 5), '2020-09-13T12:26:40.000000005+0000');
  setZoneOffsetForTests(3600);
  t.equal(timeString(T0, 0, false, false), '13:26:40');
  setZoneOffsetForTests(undefined);
});

t.test('glob (fnmatch without flags)', async (t) => {
  t.ok(globMatch('/usr/*', '/usr/local/bin'), "'*' crosses '/'");
  t.ok(globMatch('a?c', 'abc'));
  t.ok(globMatch('[a-c]x', 'bx'));
  t.notOk(globMatch('[!a-c]x', 'bx'));
  t.ok(globMatch('[[:digit:]]*', '7up'));
  t.ok(globMatch('\\*', '*'));
  t.notOk(globMatch('\\*', 'a'));
  t.ok(globMatch('*.so.*', 'libc.so.6'));
  t.ok(globMatch('[ab', '[ab'), 'unclosed bracket is literal');
  t.notOk(globMatch('abc', 'abcd'));
  t.ok(globMatch('', ''));
});

// Event type ids used below (scap event table).
const OPEN_E = 2, OPEN_X = 3, READ_X = 7, CONNECT_X = 23, SOCKET_X = 19, POLL_X = 81, GENERIC_X = 1;

t.test('evt fields', async (t) => {
  setZoneOffsetForTests(0);
  const w: World = { threads: [thread({ tid: 10, comm: 'cat', fds: new Map([[3, fd({ fd: 3, typeChar: 'f', name: '/etc/passwd' })]]) })] };
  const st = state(w, { tid: 10, fd: 3, first: [T0, 0], extra: {} });
  const rd = event(READ_X, 10, T0 + 2, 5, [i64(4), Buffer.from('root')]);
  const c = ctx(rd, st);
  t.equal(fieldValue('evt.num', c), rd.num);
  t.equal(fieldText('evt.time', c), '12:26:42.000000005');
  t.equal(fieldText('evt.datetime.s', c), '2020-09-13 12:26:42');
  t.equal(fieldValue('evt.rawtime', c), BigInt(T0 + 2) * 1000000000n + 5n);
  t.equal(fieldText('evt.rawtime.ns', c), '000000005');
  t.equal(fieldText('evt.reltime', c), '2000000005');
  t.equal(fieldText('evt.reltime.s', c), '2');
  t.equal(fieldText('evt.dir', c), '<');
  t.equal(fieldText('evt.type', c), 'read');
  t.equal(fieldText('syscall.type', c), 'read');
  t.equal(fieldText('evt.category', c), 'file', 'I/O events take the category of their fd');
  t.equal(fieldText('evt.cpu', c), '1');
  t.equal(fieldText('evt.res', c), 'SUCCESS');
  t.equal(fieldValue('evt.rawres', c), 4);
  t.equal(fieldText('evt.failed', c), 'false');
  t.equal(fieldText('evt.is_io_read', c), 'true');
  t.equal(fieldText('evt.io_dir', c), 'read');
  t.equal(fieldText('evt.buflen', c), '4');
  t.equal(fieldText('evt.count', c), '1');
  t.equal(fieldText('evt.count.exit', c), '1');
  t.equal(fieldText('evt.count.error', c), undefined);
  t.same(fieldValue('evt.buffer', c), Buffer.from('root'));
  t.equal(fieldText('evt.rawarg.res', c), '4');
  t.equal(fieldText('evt.type.is.read', c), undefined, 'u32 without a print format shows <NA> in sysdig');
  t.equal(fieldValue('evt.type.is.read', c), 1);
  t.equal(fieldValue('evt.type.is.open', c), 0);
  t.equal(fieldText('evt.latency', c), '0', 'no latency known: 0');

  const failed = event(OPEN_X, 10, T0 + 3, 0, [i64(-2), str('/nonexistent'), u32(0), u32(0), u32(0)]);
  const st2 = state(w, { tid: 10 });
  const c2 = ctx(failed, st2);
  t.equal(fieldValue('evt.rawres', c2), -2, 'fd of an fd-creating exit is its result');
  t.equal(fieldText('evt.res', c2), 'ENOENT');
  t.equal(fieldText('evt.failed', c2), 'true');
  t.equal(fieldText('evt.count.error.file', c2), '1');
  t.equal(fieldText('evt.count.error.net', c2), undefined);
  t.equal(fieldText('evt.category', c2), 'file');

  const gen = event(GENERIC_X, 10, T0, 0, [u16(ppmScByName('open')!), u16(2)]);
  t.equal(fieldText('evt.type', ctx(gen, st2)), 'open', 'generic events are named after their syscall');
  t.equal(fieldText('evt.args', ctx(gen, st2)), '', 'generic events show no args');

  const enter = event(OPEN_E, 10, T0, 0, [str('/etc/passwd'), u32(1), u32(0)]);
  t.equal(fieldText('evt.dir', ctx(enter, st2)), '>');
  t.equal(fieldText('evt.count.exit', ctx(enter, st2)), undefined);
  t.equal(fieldText('evt.is_open_read', ctx(enter, st2)), 'false', 'open is tested on its exit event');

  // deltatime keeps its own previous timestamp per bound field
  const d = bindField('evt.deltatime')!;
  t.equal(d.display(ctx(event(READ_X, 10, T0, 0, [i64(0), Buffer.alloc(0)]), st)), '0');
  t.equal(d.display(ctx(event(READ_X, 10, T0, 500, [i64(0), Buffer.alloc(0)]), st)), '500');
  const lat = state(w, { tid: 10, extra: {} });
  (lat.thread as { latencyNs?: number }).latencyNs = 1234567;
  t.equal(fieldText('evt.latency', ctx(rd, lat)), '1234567');
  t.equal(fieldText('evt.latency.human', ctx(rd, lat)), '1.23ms');
  t.equal(fieldText('evt.latency.ns', ctx(rd, lat)), '001234567');
  setZoneOffsetForTests(undefined);
});

t.test('process and thread fields over a thread table', async (t) => {
  const sh = thread({ tid: 100, pid: 100, ptid: 1, comm: 'bash', sid: 100 });
  const init = thread({ tid: 1, pid: 1, ptid: 0, comm: 'init', sid: 1 });
  const zsh = thread({ tid: 200, pid: 200, ptid: 100, comm: 'zsh', sid: 100 });
  const app = thread({
    tid: 300, pid: 300, ptid: 200, comm: 'app', exe: './app', args: ['-v', 'x'], sid: 100, env: ['A=1', 'B=2'],
    cwd: '/srv/', fdlimit: 8, cgroups: ['cpuset=/', 'mem=/user', 'io=/blk'], cloneSec: T0, cloneNsec: 0,
    vmsizeKb: 10, vmrssKb: 5, uid: 1000, gid: 50,
    fds: new Map([[0, fd({ fd: 0, typeChar: 'f' })], [1, fd({ fd: 1, typeChar: 'f' })]]),
  });
  const worker = thread({ tid: 301, pid: 300, ptid: 300, comm: 'app', vmsizeKb: 10, cwd: '' });
  const w: World = {
    threads: [init, sh, zsh, app, worker],
    users: [{ uid: 1000, gid: 50, name: 'ann', homedir: '/home/ann', shell: '/bin/sh' }],
    groups: [{ gid: 50, name: 'staff' }],
  };
  const ev = event(READ_X, 301, T0 + 1, 0, [i64(0), Buffer.alloc(0)]);
  const c = ctx(ev, state(w, { tid: 301 }));
  t.equal(fieldText('proc.pid', c), '300');
  t.equal(fieldText('thread.tid', c), '301');
  t.equal(fieldText('thread.ismain', c), 'false');
  t.equal(fieldText('proc.name', c), 'app');
  t.equal(fieldText('proc.cmdline', ctx(ev, state(w, { tid: 300 }))), 'app -v x');
  t.equal(fieldText('proc.exeline', ctx(ev, state(w, { tid: 300 }))), './app -v x');
  t.equal(fieldText('proc.env', c), 'A=1 B=2', 'environment of the main thread');
  t.equal(fieldText('proc.cwd', c), '/srv/', 'cwd of the main thread');
  t.equal(fieldText('proc.ppid', c), '200', 'ppid of the process');
  t.equal(fieldText('proc.pname', c), 'app', 'pname follows the thread\'s own ptid');
  t.equal(fieldText('proc.apid[0]', c), '300');
  t.equal(fieldText('proc.apid[1]', c), '200');
  t.equal(fieldText('proc.aname[2]', c), 'bash');
  t.equal(fieldText('proc.aname[3]', c), 'init');
  t.equal(fieldText('proc.aname[5]', c), undefined);
  // without an index, filters compare every ancestor, not the process itself
  for (const [name, want] of [['zsh', true], ['bash', true], ['init', true], ['app', false]] as const) {
    t.equal(compileFilter(`proc.aname=${name}`).match(c), want, `proc.aname=${name}`);
  }
  t.equal(fieldText('proc.loginshellid', c), '100', 'eldest shell (name ending in sh)');
  t.equal(fieldText('proc.sname', c), 'bash');
  t.equal(fieldText('proc.duration', ctx(ev, state(w, { tid: 300 }))), '1000000000');
  t.equal(fieldText('proc.duration', c), undefined, 'the thread\'s own start time, unknown here');
  t.equal(fieldText('proc.fdopencount', c), '2');
  t.equal(fieldText('proc.fdlimit', c), '8');
  t.equal(fieldText('proc.fdusage', c), '25.0');
  t.equal(fieldText('thread.vmsize', c), '0', 'only the main thread reports memory');
  t.equal(fieldText('thread.vmsize', ctx(ev, state(w, { tid: 300 }))), '10');
  const cm = ctx(ev, state(w, { tid: 300 }));
  t.equal(fieldText('thread.cgroups', cm), 'cpuset=/ memory=/user blkio=/blk', 'cgroup names as sysdig stores them');
  t.equal(fieldText('thread.cgroup.memory', cm), '/user');
  t.equal(fieldText('thread.cgroup.net_cls', cm), undefined);
  t.equal(fieldText('user.name', cm), 'ann');
  t.equal(fieldText('user.homedir', cm), '/home/ann');
  t.equal(fieldText('user.loginuid', cm), '-1');
  t.equal(fieldText('user.loginname', cm), undefined);
  t.equal(fieldText('group.name', cm), 'staff');
  t.equal(fieldText('group.gid', cm), '50');
  (app as { nchilds?: number }).nchilds = 1;
  t.equal(fieldText('proc.nthreads', c), '2');
  t.equal(fieldText('group.gid', cm), String(50 + 2 ** 32), 'sysdig reads the child count into the high half');
  t.equal(fieldText('proc.vpid', cm), '300');
  t.equal(fieldText('thread.nametid', c), 'app301');
  const none = ctx(event(READ_X, 999, T0, 0, [i64(0), Buffer.alloc(0)]), state(w, { tid: 999 }));
  t.equal(fieldText('proc.name', none), undefined, 'unknown thread: no process fields');
  t.equal(fieldText('thread.tid', none), '999', 'but the tid is known');
});

t.test('fd fields', async (t) => {
  const lo = { v6: false, name: 'lo', addr: Buffer.from([127, 0, 0, 1]), netmask: Buffer.alloc(4), bcast: Buffer.alloc(4), linkspeed: 0 };
  const eth = { v6: false, name: 'eth0', addr: Buffer.from([10, 0, 0, 5]), netmask: Buffer.alloc(4), bcast: Buffer.alloc(4), linkspeed: 0 };
  const tcp = fd({
    fd: 4, typeChar: '4', name: '10.0.0.5:40000->93.184.216.34:80', sip: Buffer.from([10, 0, 0, 5]),
    dip: Buffer.from([93, 184, 216, 34]), sport: 40000, dport: 80, l4proto: 2, role: 'client',
  });
  const srv = fd({ fd: 5, typeChar: '4', name: '0.0.0.0:8080', sip: Buffer.from([0, 0, 0, 0]), sport: 8080, l4proto: 2, role: 'server' });
  const file = fd({ fd: 3, typeChar: 'f', name: '/var/log/syslog', dev: 0x803 });
  const root = fd({ fd: 6, typeChar: 'f', name: '/x' });
  const dir = fd({ fd: 7, typeChar: 'd', name: '/var/log' });
  const th = thread({ tid: 10, containerId: 'abc', fds: new Map([[3, file], [4, tcp], [5, srv], [6, root], [7, dir]]) });
  const w: World = { threads: [th], interfaces: [lo, eth] };
  const rd = (n: number) => ctx(event(READ_X, 10, T0, 0, [i64(1), Buffer.from('x')]), state(w, { tid: 10, fd: n }));
  t.equal(fieldText('fd.num', rd(4)), '4');
  t.equal(fieldText('fd.type', rd(4)), 'ipv4');
  t.equal(fieldText('fd.typechar', rd(4)), '4');
  t.equal(fieldText('fd.cip', rd(4)), '10.0.0.5');
  t.equal(fieldText('fd.sip', rd(4)), '93.184.216.34');
  t.equal(fieldText('fd.lip', rd(4)), '10.0.0.5', 'local end found by the interface list');
  t.equal(fieldText('fd.rip', rd(4)), '93.184.216.34');
  t.equal(fieldText('fd.cport', rd(4)), '40000');
  t.equal(fieldText('fd.sport', rd(4)), '80');
  t.equal(fieldText('fd.lport', rd(4)), '40000');
  t.equal(fieldText('fd.rport', rd(4)), '80');
  t.equal(fieldText('fd.sproto', rd(4)), '80');
  t.equal(fieldText('fd.l4proto', rd(4)), 'tcp');
  t.equal(fieldText('fd.sockfamily', rd(4)), 'ip');
  t.equal(fieldText('fd.is_server', rd(4)), 'false');
  // filters compare either end of the connection
  for (const [f, want] of [['fd.port=40000', true], ['fd.port=80', true], ['fd.port=81', false],
    ['fd.ip=10.0.0.5', true], ['fd.ip=93.184.216.34', true], ['fd.ip=10.0.0.6', false]] as const) {
    t.equal(compileFilter(f).match(rd(4)), want, f);
  }
  t.equal(fieldText('fd.is_server', rd(5)), 'true', 'listening sockets are servers');
  t.equal(fieldText('fd.sport', rd(5)), '8080');
  t.equal(fieldText('fd.sip', rd(5)), '0.0.0.0');
  t.equal(fieldText('fd.cip', rd(5)), undefined);
  t.equal(fieldText('fd.sproto', rd(5)), '', 'sysdig gives an empty protocol for server sockets');
  t.equal(fieldText('fd.lip', rd(5)), undefined);
  t.equal(fieldText('fd.name', rd(3)), '/var/log/syslog');
  t.equal(fieldText('fd.directory', rd(3)), '/var/log');
  t.equal(fieldText('fd.filename', rd(3)), 'syslog');
  t.equal(fieldText('fd.directory', rd(6)), '/', 'file at the root');
  t.equal(fieldText('fd.directory', rd(7)), '/var/log', 'a directory is its own directory');
  t.equal(fieldText('fd.filename', rd(7)), undefined);
  t.equal(fieldText('fd.containername', rd(3)), 'abc:/var/log/syslog');
  t.equal(fieldText('fd.containerdirectory', rd(3)), 'abc:/var/log');
  t.equal(fieldText('fd.uid', rd(3)), '103');
  t.equal(fieldText('fd.dev', rd(3)), '803');
  t.equal(fieldText('fd.dev.major', rd(3)), '8');
  t.equal(fieldText('fd.dev.minor', rd(3)), '3');
  t.equal(fieldText('fd.l4proto', rd(3)), '<NA>', 'sysdig writes <NA> itself for non-sockets');
  t.equal(fieldText('fd.sockfamily', rd(3)), undefined);
  t.equal(fieldText('fd.cip.name', rd(4)), undefined, 'no DNS data in a replay');
  t.equal(fieldText('fd.ip', rd(4)), undefined, 'filter-only: nothing to display');

  // no fd: the name comes from the creating call
  const failedOpen = event(OPEN_X, 10, T0, 0, [i64(-13), str('/root/secret'), u32(1), u32(0), u32(0)]);
  const cf = ctx(failedOpen, state(w, { tid: 10 }));
  t.equal(fieldText('fd.typechar', cf), 'f');
  t.equal(fieldText('fd.type', cf), undefined);
  t.equal(fieldText('fd.directory', cf), '/root');
  t.equal(fieldText('fd.filename', cf), undefined);
  const sock = event(SOCKET_X, 10, T0, 0, [i64(9)]);
  t.equal(fieldText('fd.name', ctx(sock, state(w, { tid: 10 }))), '', 'no name for other calls');
  const tuple = Buffer.alloc(13);
  tuple[0] = 2; Buffer.from([10, 0, 0, 5]).copy(tuple, 1); tuple.writeUInt16LE(40000, 5);
  Buffer.from([1, 2, 3, 4]).copy(tuple, 7); tuple.writeUInt16LE(80, 11);
  const conn = event(CONNECT_X, 10, T0, 0, [i64(-111), tuple]);
  t.equal(fieldText('fd.num', ctx(conn, state(w, { tid: 10, fd: 4 }))), '4');
  t.equal(fieldText('fd.name', ctx(conn, state(w, { tid: 10, fd: 4 }))), '10.0.0.5:40000->1.2.3.4:80',
    'failed connect: name from the event\'s tuple');
  const gen = event(GENERIC_X, 10, T0, 0, [u16(2), u16(2)]);
  t.equal(fieldText('fd.num', ctx(gen, state(w, { tid: 10, fd: 3 }))), undefined, 'only fd events have fd fields');

  // fdlist
  const list = Buffer.alloc(2 + 10 * 3);
  list.writeUInt16LE(3, 0);
  [4, 3, 42].forEach((n, i) => { list.writeBigInt64LE(BigInt(n), 2 + i * 10); list.writeInt16LE(1, 10 + i * 10); });
  const poll = ctx(event(POLL_X, 10, T0, 0, [i64(1), list]), state(w, { tid: 10 }));
  t.equal(fieldText('fdlist.nums', poll), '4,3,42');
  t.equal(fieldText('fdlist.names', poll), '10.0.0.5:40000->93.184.216.34:80,/var/log/syslog,<NA>');
  t.equal(fieldText('fdlist.cips', poll), '10.0.0.5');
  t.equal(fieldText('fdlist.sports', poll), '80');
  t.equal(fieldText('fdlist.nums', rd(3)), undefined, 'only poll events');
});

t.test('container and k8s fields', async (t) => {
  const c1: ContainerInfo = {
    id: 'c0ffee000001', name: 'web', image: 'nginx:latest', imageId: 'f68d', imageRepo: 'nginx', imageTag: 'latest',
    imageDigest: 'sha256:96fb', type: 'docker', privileged: true, ip: '172.17.0.2',
    labels: new Map([['io.kubernetes.pod.name', 'web-1'], ['io.kubernetes.pod.namespace', 'prod'],
      ['io.kubernetes.pod.uid', 'u-1'], ['io.kubernetes.sandbox.id', 'ba5eba11000099999']]),
    mounts: [{ source: '/data', dest: '/var/www', mode: 'ro', rw: false, propagation: 'rprivate' },
      { source: '/logs', dest: '/var/log', mode: '', rw: true, propagation: '' }],
    probes: [{ kind: 'Healthcheck', exe: 'curl', args: ['-f', 'localhost'] }],
  };
  const sandbox: ContainerInfo = { ...c1, id: 'ba5eba110000', labels: new Map([['zone', 'a'], ['app', 'web'], ['io.kubernetes.x', 'y']]), probes: [] };
  const w: World = { threads: [thread({ tid: 1, containerId: 'c0ffee000001' }), thread({ tid: 2 })], containers: [c1, sandbox] };
  const c = ctx(event(READ_X, 1, T0, 0, [i64(0), Buffer.alloc(0)]), state(w, { tid: 1 }));
  const h = ctx(event(READ_X, 2, T0, 0, [i64(0), Buffer.alloc(0)]), state(w, { tid: 2 }));
  t.equal(fieldText('container.id', h), 'host');
  t.equal(fieldText('container.name', h), 'host');
  t.equal(fieldText('container.image', h), undefined);
  t.equal(fieldText('container.type', h), 'host');
  t.equal(fieldText('container.id', c), 'c0ffee000001');
  t.equal(fieldText('container.name', c), 'web');
  t.equal(fieldText('container.image.repository', c), 'nginx');
  t.equal(fieldText('container.type', c), 'docker');
  t.equal(fieldText('container.privileged', c), 'true');
  t.equal(fieldText('container.mounts', c), '/data:/var/www:ro:false:rprivate,/logs:/var/log::true:');
  t.equal(fieldText('container.mount[1]', c), '/logs:/var/log::true:');
  t.equal(fieldText('container.mount[/da*]', c), '/data:/var/www:ro:false:rprivate');
  t.equal(fieldText('container.mount.source[/var/l*]', c), '/logs', 'source is looked up by destination');
  t.equal(fieldText('container.mount.dest[/logs]', c), '/var/log');
  t.equal(fieldText('container.mount.rdwr[0]', c), 'false');
  t.equal(fieldText('container.mount[5]', c), undefined);
  t.equal(fieldText('container.healthcheck', c), 'curl -f localhost');
  t.equal(fieldText('container.liveness_probe', c), 'NONE');
  t.equal(fieldText('k8s.pod.name', c), 'web-1');
  t.equal(fieldText('k8s.ns.name', c), 'prod');
  t.equal(fieldText('k8s.pod.id', c), 'u-1');
  t.equal(fieldText('k8s.pod.label.app', c), 'web', 'pod labels come from the sandbox container');
  t.equal(fieldText('k8s.pod.labels', c), 'app:web, zone:a');
  t.equal(fieldText('k8s.rc.name', c), undefined);
  t.equal(fieldText('k8s.pod.name', h), undefined);
});

t.test('syslog fields decode writes to /dev/log', async (t) => {
  const WRITE_X = 9;
  const log = fd({ fd: 5, typeChar: 'u', name: '/dev/log' });
  const other = fd({ fd: 6, typeChar: 'f', name: '/tmp/x' });
  const w: World = { threads: [thread({ tid: 7, fds: new Map([[5, log], [6, other]]) })] };
  const msg = Buffer.from('<86>Nov 21 sshd[7]: accepted');
  const c = ctx(event(WRITE_X, 7, T0, 0, [i64(msg.length), msg]), state(w, { tid: 7, fd: 5 }));
  t.equal(fieldText('syslog.facility', c), '10');
  t.equal(fieldText('syslog.facility.str', c), 'authpriv');
  t.equal(fieldText('syslog.severity', c), '6');
  t.equal(fieldText('syslog.severity.str', c), 'info');
  t.equal(fieldText('syslog.message', c), 'Nov 21 sshd[7]: accepted');
  t.equal(fieldText('evt.is_syslog', c), 'true');
  const f = ctx(event(WRITE_X, 7, T0, 0, [i64(msg.length), msg]), state(w, { tid: 7, fd: 6 }));
  t.equal(fieldText('syslog.message', f), undefined, 'other files are not syslog');
  t.equal(fieldText('evt.is_syslog', f), 'false');
});

t.test('every listed field binds and evaluates without throwing on a plain event', async (t) => {
  const w: World = { threads: [thread({ tid: 10, fds: new Map([[3, fd({ fd: 3, typeChar: 'f', name: '/etc/passwd' })]]) })] };
  const c = ctx(event(READ_X, 10, T0, 0, [i64(4), Buffer.from('root')]), state(w, { tid: 10, fd: 3 }));
  const args: Record<string, string> = {
    'evt.type.is': 'open', 'evt.arg': 'fd', 'evt.rawarg': 'res', 'evt.around': '1', 'thread.cgroup': 'cpu',
    'container.mount': '0', 'container.mount.source': '0', 'container.mount.dest': '0', 'container.mount.mode': '0',
    'container.mount.rdwr': '0', 'container.mount.propagation': '0',
  };
  let n = 0;
  for (const cls of FIELD_CLASSES) {
    for (const def of cls.fields) {
      const arg = args[def.name] ?? (def.arg === 0 ? undefined : 'x');
      const b = bindField(def, arg);
      b.extract(c);
      b.display(c);
      n++;
    }
  }
  t.ok(n > 280, `${n} fields evaluated`);
});
