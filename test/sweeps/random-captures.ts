// Differential sweep against sysdig 0.29.3: captures of random events over the
// whole event table, each replayed by `sysdig -r` and `scry -r` with the same
// options, outputs compared. A developer's tool (it needs sysdig installed),
// not a test: what it finds becomes a case of test/state-synth.ts or a golden.
//
//   npx ts-node-transpile-only test/sweeps/random-captures.ts [options]
//     --seed N       first seed (default 1); each capture takes the next
//     --captures N   captures to write and compare (default 20)
//     --events N     events per capture (default 300)
//     --filters      compare filters and chisels instead of output options
//     --chisels      compare most chisels instead (--flags: -x/-X/-b/-t/-S/-j/-A/-s/-d/-R/-E variants)
//     --convert      compare what each -w writes (with and without filters and -F), read back
//     --sockets      half the events from the socket calls (addresses, roles, names)
//     --loose        random tid/pid/res parameters (see below)
//     --tracers      writes of tracer texts to /dev/null (span.*, evtin.* output)
//     --containers   threads in containers (cgroups of every runtime layout),
//                    container events with random JSON, container.*/k8s.* output
//                    (with --convert the numbering differs by design: sysdig's -w
//                    writes its container table first, cgroup stand-ins included,
//                    and drops failed lookups; scry's keeps the events as they are,
//                    so that a converted file prints what the original prints)
//     --keep DIR     where differing captures are kept (default /tmp/random-captures)
//     --keep-all     keep every capture written, the same ones too
//
// By default the parameters that name threads agree with the event's thread
// (tid, pid, ptid), and clone-family exits give a new child its own tid,
// sometimes with the child's exit before its parent's. --loose draws them at
// random too: sysdig then reads memory it does not own in places (an exit
// without its enter in the old layouts, a clone whose child is its caller),
// so differences there are mostly noise. sysdig often crashes at the end of
// such files after printing everything: the lines it printed are compared.

import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { EVENTS, PPM_EVENT_MAX_0293 } from '../../lib/schema/events';
import { EF, EventInfo, ParamInfo, PT } from '../../lib/schema/types';
import { FdRecord, FdType, ThreadRecord } from '../../lib/event/records';
import { ScapWriter } from '../../lib/writers/scap-writer';
import { synthEvent } from '../synth-event';
import { ScapEvent } from '../../lib/event/event';
import { E } from '../../lib/schema/ids';
import { prng } from '../../lib/filter/fuzzgen';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const SCRY = path.join(__dirname, '..', '..', 'bin', 'scry');
const KEEP = opt('--keep', '/tmp/random-captures');
const LOOSE = args.includes('--loose');
const CONTAINERS = args.includes('--containers');
const TRACERS = args.includes('--tracers');

// ---- a seeded generator (the same seed writes the same capture)
const firstSeed = Number(opt('--seed', '1'));
let rnd = prng(firstSeed);
const ri = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(a: readonly T[]): T => a[ri(a.length)];

// ---- parameter encoders
const u8 = (v: number) => Buffer.from([v & 0xff]);
const u16 = (v: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); return b; };
const u32 = (v: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; };
const i64 = (v: number | bigint) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt.asIntN(64, BigInt(v))); return b; };
const u64 = (v: number | bigint) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v))); return b; };
const str = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.from([0])]);

const PATHS = ['/etc/passwd', 'rel/a.txt', '', '/tmp/x y', 'a\x01b', '..', '/usr/lib/libc.so.6', '/dev/null', 'f', '/proc/self/fd/3', './x/../y', '/'];
const NUMS = [0, 1, 2, 3, 4, 5, 7, 8, 16, 255, 256, 4096, 65535, 0x7fffffff, -1, -2, -13, -100, 12345];
const fdNum = () => (TRACERS && rnd() < 0.7 ? pick([5, 6]) : rnd() < 0.8 ? ri(12) : pick([-1, -100, -9, 99, 1 << 20]));
const ip4 = () => Buffer.from(pick([[127, 0, 0, 1], [10, 0, 0, 1], [8, 8, 8, 8], [0, 0, 0, 0], [192, 168, 1, 2]]));
function ip6(): Buffer {
  const b = Buffer.alloc(16);
  const k = ri(3);
  if (k === 0) b[15] = 1;
  else if (k === 1) { b[10] = b[11] = 0xff; ip4().copy(b, 12); }
  else { b[0] = 0x20; b[1] = 1; b[15] = ri(256); }
  return b;
}
const port = () => pick([80, 443, 53, 22, 40000, 0, 8080, 1234]);
// A connect to a non-inet address reads 16 bytes after the family into the
// fd's socket union whatever the address's length; past a short one sysdig
// reads what earlier events left in its read buffer (lib/state/sockets.ts,
// setUnixInfo), which scry does not reproduce: non-inet addresses are padded.
const atLeast17 = (b: Buffer) => (b.length >= 17 ? b : Buffer.concat([b, Buffer.alloc(17 - b.length)]));
function sockaddr(): Buffer {
  switch (ri(5)) {
    case 0: return Buffer.concat([u8(2), ip4(), u16(port())]);
    case 1: return Buffer.concat([u8(10), ip6(), u16(port())]);
    case 2: return atLeast17(Buffer.concat([u8(1), str(pick(['/run/a.sock', '', '@abstract', '/tmp/s']))]));
    case 3: return Buffer.alloc(0);
    default: return atLeast17(Buffer.concat([u8(pick([0, 16, 17])), Buffer.from([1, 2, 3])]));
  }
}
function tuple(): Buffer {
  switch (ri(4)) {
    case 0: return Buffer.concat([u8(2), ip4(), u16(port()), ip4(), u16(port())]);
    case 1: return Buffer.concat([u8(10), ip6(), u16(port()), ip6(), u16(port())]);
    case 2: return Buffer.concat([u8(1), u64(BigInt(ri(1 << 30)) << 16n), u64(rnd() < 0.5 ? 0 : BigInt(ri(1 << 30)) << 16n), str(pick(['/run/a.sock', '', '/tmp/s']))]);
    default: return Buffer.alloc(0);
  }
}
function flags(p: ParamInfo, size: 1 | 2 | 4): Buffer {
  let v = 0;
  if (p.flags && p.flags.length && rnd() < 0.8) for (let i = 1 + ri(3); i > 0; i--) v |= pick(p.flags).value;
  else v = pick(NUMS);
  return size === 1 ? u8(v) : size === 2 ? u16(v) : u32(v);
}

// ---- the threads: a small process list, and the children clones add
const TIDS = [100, 101, 102, 103, 200];
const PID_OF: Record<number, number> = {};
let live: number[] = [];
/** The event being written: its thread, and the values its thread parameters must take. */
const cur = { tid: 100, res: undefined as number | undefined, parent: undefined as number | undefined };

function value(p: ParamInfo, nested = false): Buffer {
  if (!LOOSE && !nested) {
    if (p.name === 'res' && cur.res !== undefined) return i64(cur.res);
    if (p.name === 'tid' || p.name === 'vtid') return i64(cur.tid);
    if (p.name === 'pid' || p.name === 'vpid') return i64(PID_OF[cur.tid] ?? cur.tid);
    if (p.name === 'ptid') return i64(cur.parent ?? pick([1, 100, 102]));
  }
  switch (p.type) {
    case PT.NONE: return Buffer.alloc(0);
    case PT.INT8: case PT.UINT8: return u8(pick(NUMS));
    case PT.INT16: case PT.UINT16: return u16(pick(NUMS));
    case PT.INT32: case PT.UINT32: return u32(pick(NUMS));
    case PT.INT64: case PT.UINT64: return i64(pick(NUMS));
    case PT.CHARBUF: case PT.FSPATH: case PT.FSRELPATH: return str(TRACERS && rnd() < 0.4 ? '/dev/null' : pick(PATHS));
    case PT.BYTEBUF: {
      // argument-like lists are NUL-separated strings in real captures
      if (CONTAINERS && p.name === 'cgroups') return Buffer.concat(cgroupList().map(str));
      if (TRACERS && p.name === 'data' && rnd() < 0.7) return Buffer.from(pick(TRACER_TEXTS), 'latin1');
      if (/^(args|env|cgroups)$/.test(p.name)) return Buffer.concat(Array.from({ length: ri(3) }, () => str(pick(['a', '-l', 'x=y', 'cpu=/a']))));
      const b = Buffer.alloc(pick([0, 1, 5, 30, 100]));
      for (let i = 0; i < b.length; i++) b[i] = rnd() < 0.7 ? 32 + ri(95) : ri(256);
      return b;
    }
    case PT.ERRNO: return i64(rnd() < 0.5 ? -ri(140) : ri(20));
    case PT.SOCKADDR: return sockaddr();
    case PT.SOCKTUPLE: return tuple();
    case PT.FD: return i64(fdNum());
    case PT.FD32: return u32(fdNum());
    case PT.PID: return i64(pick([...TIDS, 0, -1, 1]));
    case PT.PID32: return u32(pick(TIDS));
    case PT.FDLIST: {
      const n = ri(4);
      return Buffer.concat([u16(n), ...Array.from({ length: n }, () => Buffer.concat([i64(fdNum()), u16(pick([1, 4, 8, 0x20]))]))]);
    }
    // (syscall ids newer than 0.29.3 are named by scry, <NA> by sysdig: kept to 0.29.3's)
    case PT.SYSCALLID: return u16(ri(300));
    case PT.SIGTYPE: return u8(ri(40));
    case PT.RELTIME: case PT.ABSTIME: return u64(BigInt(ri(1e9)) * BigInt(1 + ri(3)));
    case PT.PORT: return u16(port());
    case PT.L4PROTO: return u8(ri(5));
    case PT.SOCKFAMILY: return u8(pick([1, 2, 10, 16, 17]));
    case PT.BOOL: return u32(ri(2));
    case PT.IPV4ADDR: case PT.IPNET: return ip4();
    case PT.DYN: {
      if (!p.dyn || nested) return u8(0);
      const idx = ri(p.dyn.length);
      return Buffer.concat([u8(idx), value(p.dyn[idx], true)]);
    }
    case PT.FLAGS8: case PT.ENUMFLAGS8: return flags(p, 1);
    case PT.FLAGS16: case PT.ENUMFLAGS16: return flags(p, 2);
    case PT.FLAGS32: case PT.ENUMFLAGS32: case PT.MODE: return flags(p, 4);
    case PT.UID: case PT.GID: return u32(pick([0, 1000, 65534, 4294967295, 33]));
    case PT.DOUBLE: { const b = Buffer.alloc(8); b.writeDoubleLE(rnd() * 100); return b; }
    case PT.SIGSET: return u32(ri(1 << 20));
    case PT.CHARBUFARRAY: return Buffer.concat(Array.from({ length: ri(4) }, () => str(pick(['a', 'ls', '-l', 'x=y', '']))));
    case PT.CHARBUF_PAIR_ARRAY: return Buffer.concat(Array.from({ length: 2 * ri(3) }, () => str(pick(['k', 'v', 'a.b', '']))));
    case PT.IPV4NET: return Buffer.concat([ip4(), ip4()]);
    case PT.IPV6ADDR: return ip6();
    case PT.IPV6NET: return Buffer.concat([ip6(), ip6()]);
    case PT.IPADDR: return rnd() < 0.5 ? ip4() : ip6();
    default: return Buffer.alloc(0);
  }
}

// Event types sysdig 0.29.3 knows, less the generic syscall events, the
// meta events it cannot take from random bytes (drops, container/k8s/mesos
// JSON, procinfo, tracers, notifications...) and large-payload ones.
const META = /^(syscall|drop|sysdigevent|container|procinfo|NA\d*|cpu_hotplug|k8s|tracer|mesos|notification|infra)$/;
const known = (e: EventInfo | undefined): e is EventInfo =>
  e !== undefined && e.id < PPM_EVENT_MAX_0293 && !META.test(e.name) && !(e.flags & EF.LARGE_PAYLOAD); // (synthEvent writes 2-byte lengths)
const TYPES = EVENTS.filter(known);
const CLONES = /^(clone|fork|vfork|clone3)$/;
// --sockets: half the events from the calls that change a socket's addresses
const SOCKET_CALLS = /^(sendto|recvfrom|sendmsg|recvmsg|connect|accept|accept4|bind|socket|socketpair|dup|dup2|dup3|close|listen)$/;
const SOCKET_TYPES = TYPES.filter((e) => SOCKET_CALLS.test(e.name));
const SOCKETS = args.includes('--sockets');
// --tracers: half the events from the calls around tracer writes (opening
// /dev/null, writing to it), and written buffers that are tracer texts
const TRACER_CALLS = /^(write|writev|open|openat|close)$/;
const TRACER_TYPES = TYPES.filter((e) => TRACER_CALLS.test(e.name));
const TRACER_TEXTS = ['>:t:a.b::', '<:t:a.b::', '>:p:x:k=v:', '<:p:x::', '>:12:a:b=1,c=2:', '<:12:a::', '>:t:a.b.c:x=1:',
  '<:t:a.b.c::', '[">", 12, ["a","b"], [{"k":"v"}]]', '["<", 12, ["a","b"], []]', '>:t:a', '>::a::', '<:0:a::', '>:t::',
  '>:t:a:k=v,k2=:', '<:t:a:r=1:', '>:p:a.b::', '<:p:a.b::', 'x:t:a::', '>:t:a.b::\n'];

function thread(tid: number, pid: number, comm: string): ThreadRecord {
  return {
    tid, pid, ptid: 1, sid: tid, vpgid: tid, pgid: -1, comm, exe: comm, exepath: '/usr/bin/' + comm, args: ['a1'], cwd: '/home/u',
    fdlimit: 1024, flags: 0, uid: pick([0, 1000]), gid: 1000, vmsizeKb: 100, vmrssKb: 10, vmswapKb: 0, pfmajor: 0, pfminor: 0,
    env: ['A=1'], vtid: tid, vpid: pid, cgroups: CONTAINERS ? cgroupList() : ['cpu=/'], root: '/', loginuid: 1000, tty: 0,
  };
}

function ip6Loopback(): Buffer { const b = Buffer.alloc(16); b[15] = 1; return b; }

/** A process-list fd of a random kind (files, pipes, and every socket kind). */
function listFd(fd: number): FdRecord {
  const l4 = () => pick([0, 2, 3, 4, 5]);
  switch (ri(7)) {
    case 0: return { fd, ino: 0, type: FdType.IPV4_SOCK, name: '', sip: ip4(), dip: ip4(), sport: port(), dport: port(), l4proto: l4() };
    case 1: return { fd, ino: 0, type: FdType.IPV4_SERVSOCK, name: '', sip: ip4(), sport: port(), l4proto: l4() };
    case 2: return { fd, ino: 0, type: FdType.IPV6_SOCK, name: '', sip: ip6(), dip: ip6(), sport: port(), dport: port(), l4proto: l4() };
    case 3: return { fd, ino: 0, type: FdType.IPV6_SERVSOCK, name: '', sip: ip6(), sport: port(), l4proto: l4() };
    case 4: return { fd, ino: 0, type: FdType.UNIX_SOCK, name: pick(['', '/run/a.sock']),
      unixSource: String(pick([0n, 0xffff8edcfda06800n, 0x1234n])), unixDest: String(pick([0n, 0xffff8edcfda06c00n])) };
    case 5: return { fd, ino: 0, type: FdType.FIFO, name: 'pipe:[1]' };
    default: return { fd, ino: 0, type: FdType.FILE_V2, name: pick(PATHS.filter((x) => x.startsWith('/'))), openFlags: 1, dev: 0 };
  }
}

// ---- --containers: container ids, cgroup lists naming them, container JSON
let containerIds: string[] = [];
const hexId = () => Array.from({ length: 64 }, () => '0123456789abcdef'[ri(16)]).join('');

/** A thread's cgroups: host ones, or one of the runtimes' layouts around a container id. */
function cgroupList(): string[] {
  if (containerIds.length === 0 || rnd() < 0.25) return [pick(['cpu=/', 'cpu=/user.slice', 'cpuset=/', 'memory=/system.slice/x.service'])];
  const id = pick(containerIds);
  const path = pick([`/docker/${id}`, `/system.slice/docker-${id}.scope`, `/machine.slice/libpod-${id}.scope`,
    `/kubepods/besteffort/pod1a2b/${id}`, `/kubepods/pod9/crio-${id}`, `/kubepods.slice/x/cri-containerd-${id}.scope`,
    `/lxc/box${id.slice(0, 2)}`, `/lxc.payload/box2`, `/machine.slice/machine-lxc\\x2dvm1.scope`, `/bpm-job${id.slice(0, 3)}.scope`,
    `/docker/${id.slice(0, 60)}`, `/docker/${id.toUpperCase()}`]);
  const list = [pick(['cpu', 'cpuset', 'memory', 'pids']) + '=' + path];
  if (rnd() < 0.3) list.unshift(pick(['cpuset=/', 'freezer=/', 'name=systemd:/x']));
  if (rnd() < 0.1) list.push(pick(['nonsense', '=/docker/' + id]));
  return list;
}

/** A value of the type a key should have, or sometimes of another type. */
function jsonValue(good: () => unknown, wrong = 0.1): unknown {
  if (rnd() >= wrong) return good();
  return pick([null, 0, 1, -1, 3.5, true, false, '', '7', 'x', [], {}, ['a'], { a: 1 }, 4294967296]);
}

function containerJson(): string {
  const full = pick(containerIds);
  const c: Record<string, unknown> = {};
  // (a labels or Mounts value of the wrong type ends sysdig's run: rarer, so that most runs go on)
  const put = (k: string, good: () => unknown, p = 0.7, wrong = 0.1) => { if (rnd() < p) c[k] = jsonValue(good, wrong); };
  put('id', () => (rnd() < 0.85 ? full.slice(0, 12) : pick([full, 'abc', '', hexId().slice(0, 12)])), 0.95);
  put('full_id', () => full, 0.4);
  // (without a type, or a mount's RW, sysdig reads memory it never set: always given)
  c.type = pick([0, 0, 6, 7, 8, 11, 1, 2, 3, 5, 9, 10, 12, 99, true, 3.7]);
  put('name', () => pick(['web', 'k8s_POD_x', 'db-1', 'na\u00efve', '', 'a b']));
  put('image', () => pick(['nginx:latest', 'docker.io/library/redis:7', 'quay.io/x/y@sha256:abcd', 'busybox', '']));
  put('imageid', () => pick(['6f7e2741b66b', 'sha256:0123', '']));
  put('imagerepo', () => pick(['nginx', 'docker.io/library/redis', '']));
  put('imagetag', () => pick(['latest', '7', '']));
  put('imagedigest', () => pick(['sha256:d977', '']));
  put('privileged', () => rnd() < 0.5, 0.6);
  put('is_pod_sandbox', () => rnd() < 0.3, 0.3);
  put('lookup_state', () => pick([0, 1, 2, 3, 7]), 0.4);
  put('created_time', () => pick([0, 1600000000, -5]), 0.3);
  // (an ip inet_pton refuses leaves sysdig's container ip as whatever was on its stack)
  put('ip', () => pick(['172.17.0.2', '10.0.0.5', '0.0.0.0', '8.8.8.8']), 0.4, 0);
  put('cpu_shares', () => pick([1024, 2]), 0.2);
  put('memory_limit', () => pick([0, 1 << 30]), 0.2);
  put('mesos_task_id', () => 'task1', 0.1);
  put('env', () => ['A=1', 'B=2'], 0.2);
  put('port_mappings', () => [{ HostIp: 0, HostPort: 8080, ContainerPort: 80 }], 0.2);
  put('Mounts', () => Array.from({ length: ri(4) }, () => {
    const m: Record<string, unknown> = {};
    for (const [k, vals] of [['Source', ['/var/lib/x', '/usr/local/bin', '/etc', '']], ['Destination', ['/data', '/usr/local/bin', '/mnt/a']],
      ['Mode', ['', 'z', 'ro']], ['Propagation', ['rprivate', '', 'shared']]] as const) {
      if (rnd() < 0.9) m[k] = jsonValue(() => pick(vals as readonly unknown[]));
    }
    m.RW = rnd() < 0.5;
    return m;
  }), 0.6, 0.03);
  for (const probe of ['Healthcheck', 'LivenessProbe', 'ReadinessProbe']) {
    put(probe, () => {
      const p: Record<string, unknown> = {};
      if (rnd() < 0.9) p.exe = jsonValue(() => pick(['curl', '/bin/check', 'sh']));
      if (rnd() < 0.7) p.args = jsonValue(() => Array.from({ length: ri(3) }, () => jsonValue(() => pick(['-f', 'http://localhost', '-c', 'x y']))));
      return p;
    }, 0.25);
  }
  put('labels', () => {
    const l: Record<string, unknown> = {};
    const sandbox = pick(containerIds);
    for (const [k, v] of [['io.kubernetes.pod.name', 'web-7d9f'], ['io.kubernetes.pod.namespace', pick(['default', 'kube-system'])],
      ['io.kubernetes.pod.uid', 'a1b2-c3'], ['io.kubernetes.sandbox.id', rnd() < 0.5 ? sandbox : sandbox.slice(0, 12)],
      ['io.kubernetes.container.name', 'web'], ['io.kubernetes.docker.type', pick(['podsandbox', 'container'])],
      ['app', pick(['nginx', ''])], ['tier', 'front'], ['annotation.kubernetes.io/config.seen', 'x'], ['maintainer', 'me']]) {
      if (rnd() < 0.5) l[k] = jsonValue(() => v, 0.01);
    }
    return l;
  }, 0.7, 0.02);
  const text = JSON.stringify({ container: c });
  // now and then not JSON at all, or not an object
  return rnd() < 0.02 ? pick([text.slice(0, text.length - 1), '{"container": 5}', '[]', '{}']) : text;
}

/** A container event: the JSON kind mostly, the old 4-parameter kind sometimes. */
function containerEvent(tid: number, ts: bigint, n: number): ScapEvent {
  if (rnd() < 0.85) return synthEvent(E.CONTAINER_JSON_E, [Buffer.concat([Buffer.from(containerJson(), 'utf8'), Buffer.from([0])])], tid, ts, n, ri(2));
  const id = pick(containerIds).slice(0, 12);
  return synthEvent(E.CONTAINER_E, [str(id), u32(pick([0, 1, 6, 11, 99])), str(pick(['old', ''])), str(pick(['img:1', '']))], tid, ts, n, ri(2));
}

async function writeCapture(file: string, events: number): Promise<void> {
  Object.assign(PID_OF, { 100: 100, 101: 100, 102: 102, 103: 103, 200: 200 });
  live = [];
  containerIds = CONTAINERS ? Array.from({ length: 1 + ri(4) }, hexId) : [];
  const w = new ScapWriter(file);
  w.sink.machineInfo!({ numCpus: 2, memorySizeBytes: 1 << 30, maxPid: 32768, hostname: 'sweep' });
  w.sink.thread!(thread(100, 100, 'bash'));
  w.sink.thread!(thread(101, 100, 'bash'));
  w.sink.thread!(thread(102, 102, 'curl'));
  w.sink.fd!(100, { fd: 3, ino: 0, type: 3, name: '/etc/hosts' });
  // process-list fds of every kind, in a random order per thread (sysdig
  // builds a thread's fds in one object: what a socket leaves, the next
  // fd's union starts with), and interfaces for the tuples they complete
  for (const tid of [100, 101, 102]) {
    for (let k = ri(7), fd = 4; k > 0; k--, fd++) w.sink.fd!(tid, listFd(fd));
  }
  w.sink.interfaces!([
    { v6: false, name: 'lo', addr: Buffer.from([127, 0, 0, 1]), netmask: Buffer.from([255, 0, 0, 0]), bcast: Buffer.alloc(4), linkspeed: 0 },
    { v6: false, name: 'eth0', addr: Buffer.from([192, 168, 1, 2]), netmask: Buffer.from([255, 255, 255, 0]), bcast: Buffer.from([192, 168, 1, 255]), linkspeed: 0 },
    { v6: true, name: 'lo', addr: ip6Loopback(), netmask: Buffer.alloc(16), bcast: Buffer.alloc(16), linkspeed: 0 },
  ]);
  w.sink.users!([{ uid: 0, gid: 0, name: 'root', homedir: '/root', shell: '/bin/sh' }, { uid: 1000, gid: 1000, name: 'u', homedir: '/home/u', shell: '/bin/sh' }],
    [{ gid: 0, name: 'root' }, { gid: 1000, name: 'users' }]);
  let n = 0, ts = 1600000000n * 1000000000n, nextChild = 1000;
  const emit = (e: EventInfo, tid: number) => {
    cur.tid = tid;
    const params = e.params.slice(0, e.sysdigParams ?? e.params.length).map((p) => value(p));
    ts += BigInt(1 + ri(5000000));
    w.writeEvent(synthEvent(e.id, params, tid, ts, ++n, ri(2)));
  };
  if (CONTAINERS) {
    // sysdig's -w writes the containers it knows first
    for (let k = ri(3); k > 0; k--) { ts += 1000n; w.writeEvent(containerEvent(pick([-1, 100, 102, 0]), ts, ++n)); }
  }
  while (n < events) {
    if (CONTAINERS && rnd() < 0.05) { ts += 1000n; w.writeEvent(containerEvent(pick([-1, 0, ...TIDS, ...live]), ts, ++n)); continue; }
    const tid = live.length && rnd() < 0.3 ? pick(live) : pick(TIDS);
    const e = SOCKETS && rnd() < 0.5 ? pick(SOCKET_TYPES) : TRACERS && rnd() < 0.6 ? pick(TRACER_TYPES) : pick(TYPES);
    const exit = e.enter ? EVENTS[e.id + 1] : e;
    const enter = EVENTS[exit.id - 1];
    if (!LOOSE && CLONES.test(e.name)) {
      // the parent's exit names a new child; the child's own exit (res 0) comes before or after it
      const child = nextChild++;
      PID_OF[child] = rnd() < 0.5 ? child : (PID_OF[tid] ?? tid);
      const childFirst = rnd() < 0.3, childToo = childFirst || rnd() < 0.7;
      emit(enter, tid);
      const childExit = () => { cur.res = 0; cur.parent = tid; emit(exit, child); cur.parent = undefined; };
      if (childFirst) childExit();
      cur.res = child; emit(exit, tid); cur.res = undefined;
      if (childToo && !childFirst) childExit();
      cur.res = undefined;
      if (rnd() < 0.5) live.push(child);
      continue;
    }
    // exits come after their enter (an exit alone reads a stale enter in sysdig)
    if (known(enter) && enter.enter) emit(enter, tid);
    if (known(exit) && (!e.enter || rnd() < 0.9)) emit(exit, tid);
  }
  await w.close();
}

const FORMAT = '*%evt.num %evt.type %evt.dir %thread.tid %proc.name %proc.pid %proc.ppid %fd.num %fd.name %fd.type %fd.typechar ' +
  '%evt.res %evt.latency %proc.cwd %user.name %evt.failed %fd.cip %fd.sip %fd.cport %fd.sport %fd.l4proto %fd.lip %fd.rport %proc.exe %proc.args ' +
  '%thread.ismain %evt.is_io %fd.is_server %fd.sockfamily';
const CFORMAT = '*%evt.num %evt.type %thread.tid %proc.name %container.id %container.name %container.image %container.image.id ' +
  '%container.type %container.privileged %container.mounts %container.mount[0] %container.mount.dest[1] %container.mount.source[/data] ' +
  '%container.mount.rdwr[0] %container.image.repository %container.image.tag %container.image.digest %container.healthcheck ' +
  '%container.liveness_probe %container.readiness_probe %k8s.pod.name %k8s.pod.id %k8s.pod.labels %k8s.pod.label.app ' +
  '%k8s.ns.name %k8s.rc.name %k8s.svc.name %k8s.deployment.name %k8s.rs.name';
const CHISELS = ['topprocs_cpu', 'topprocs_file', 'topprocs_net', 'topprocs_errors', 'topfiles_time', 'topfiles_errors',
  'topscalls', 'topscalls_time', 'topconns', 'topports_server', 'iobytes', 'iobytes_file', 'iobytes_net', 'spy_file',
  'spy_users', 'spy_ip', 'list_login_shells', 'proc_exec_time', 'stdout', 'stdin', 'stderr', 'fdcount_by', 'fdbytes_by',
  'fdtime_by', 'lscontainers', 'bottlenecks', 'fileslower', 'scallslower', 'netlower'];
const CHISEL_ARGS: Record<string, string[]> = {
  fdcount_by: ['proc.name'], fdbytes_by: ['fd.name'], fdtime_by: ['fd.type'], spy_ip: ['127.0.0.1'],
  fileslower: ['0'], scallslower: ['0'], netlower: ['0'],
};
const TFORMAT = '*%evt.num %evt.type %thread.tid %fd.name %span.id %span.time %span.ntags %span.nargs %span.tags %span.tag[1] ' +
  '%span.args %span.arg[0] %span.arg.k %span.enterargs %span.duration %evtin.span.id %evtin.span.tags %evtin.span.p.id ' +
  '%evtin.span.s.tags %evtin.span.m.args';
const RUNS: string[][] = TRACERS && !args.includes('--chisels') && !args.includes('--flags')
  ? [[], ['-p', TFORMAT], ['-p', TFORMAT, 'evt.type=tracer'], ['-j', '-p', TFORMAT], ['-p', FORMAT], ['-c', 'tracers_2_statsd']]
  : CONTAINERS && !args.includes('--chisels') && !args.includes('--flags')
  ? [[], ['-p', CFORMAT], ['-pc'], ['-j', '-p', CFORMAT], ['-p', CFORMAT, 'container.id!=host'], ['-p', CFORMAT, 'k8s.pod.name exists'],
    ['-pk'], ['-pk', '-j', '-n', '100'], ['-c', 'lscontainers'], ['-c', 'topcontainers_file'], ['-c', 'topcontainers_error'], ['-pc', '-c', 'spy_users']]
  : args.includes('--filters')
  ? [['-p', FORMAT, 'proc.name=bash'], ['-p', FORMAT, 'evt.dir=<'], ['-p', FORMAT, 'fd.type=ipv4 or fd.type=file'],
    ['-p', FORMAT, 'not evt.type in (open,openat,close)'], ['-p', FORMAT, 'thread.tid=101'],
    ['-c', 'lsof'], ['-c', 'ps'], ['-c', 'topfiles_bytes'], ['-c', 'netstat'], ['-c', 'echo_fds']]
  : args.includes('--chisels')
    ? CHISELS.map((c) => ['-c', c, ...(CHISEL_ARGS[c] ?? [])])
    : args.includes('--flags')
      ? [['-x', '-n', '150'], ['-X', '-n', '150'], ['-b', '-n', '150'], ['-t', 'a'], ['-t', 'r'], ['-t', 'd'], ['-t', 'D'],
        ['-S', '-q'], ['-pk'], ['-j', '-p', FORMAT, '-n', '150'], ['-A', '-p', '%evt.arg.fd %evt.rawarg.res %evt.info'],
        ['-s', '5', '-X'], ['-s', '200', '-A'], ['-d', 'evt.dir=<'], ['-R'], ['-v', '-j'], ['-E', 'fd.type=file']]
      : [[], ['-v'], ['-p', FORMAT], ['-j', '-n', '200'], ['-A', '-n', '200'], ['-pc']];

/** The first line where scry's output leaves sysdig's, or undefined. */
function compare(file: string, run: string[]): string | undefined {
  const o = { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28, timeout: 60000 };
  const a = spawnSync('sysdig', ['-r', file, ...run], o);
  const b = spawnSync(process.execPath, [SCRY, '-r', file, ...run], o);
  if (!a.signal && a.status !== b.status) return `exit ${a.status} vs ${b.status}: ${String(a.stderr).trim().slice(0, 200)}`;
  const la = a.stdout.toString('latin1').split('\n'), lb = b.stdout.toString('latin1').split('\n');
  if (a.signal) la.pop(); // (a crash: only whole lines count)
  let i = 0;
  while (i < la.length && la[i] === lb[i]) i++;
  if (i === la.length && (a.signal || la.length === lb.length)) return undefined;
  // sysdig's chisels sort ties in no set order: the same lines in another order are not a difference
  if (run[0] === '-c' && !a.signal && la.length === lb.length && [...la].sort().join('\n') === [...lb].sort().join('\n')) return undefined;
  return `line ${i + 1}${a.signal ? ` (sysdig ${a.signal} after ${la.length} lines)` : ''}\n  sysdig: ${(la[i] ?? '').slice(0, 300)}\n  scry:   ${(lb[i] ?? '').slice(0, 300)}`;
}

// --convert: each writer's -w output (sysdig's and scry's .scap, scry's .scry) read back
const CONVERTS: string[][] = [[], ['proc.name=bash'], ['-F', 'proc.name=bash'], ['evt.dir=<'], ['-F', 'fd.type=ipv4 or fd.type=file'],
  ['-F', 'not evt.type in (open,openat,close)']];

/** Where a capture written by scry's -w reads back unlike sysdig's -w output, or undefined. */
function compareConvert(file: string, run: string[]): string | undefined {
  const o = { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 28, timeout: 60000 };
  const dir = path.dirname(file), base = path.basename(file, '.scap');
  const bySysdig = path.join(dir, base + '.sysdig-w.scap'), byScry = path.join(dir, base + '.scry-w.scap'), byScryNative = path.join(dir, base + '.scry-w.scry');
  // scry's -w with a filter always keeps the state events (its fatfile): sysdig writes with -F to match
  const w1 = spawnSync('sysdig', ['-r', file, '-w', bySysdig, ...(run.length > 0 && !run.includes('-F') ? ['-F'] : []), ...run], o);
  const w2 = spawnSync(process.execPath, [SCRY, '-r', file, '-w', byScry, ...run], o);
  const w3 = spawnSync(process.execPath, [SCRY, '-r', file, '-w', byScryNative, ...run], o);
  try {
    if (w1.signal) return undefined; // (sysdig crashed writing)
    if (w1.status !== w2.status || w1.status !== w3.status) return `-w exit ${w1.status} vs ${w2.status}/${w3.status}: ${String(w2.stderr).trim().slice(0, 200)}`;
    if (w1.status !== 0) return undefined;
    const read = (cmd: string, f: string): string[] => {
      const r = cmd === 'sysdig' ? spawnSync('sysdig', ['-r', f, '-p', FORMAT], o) : spawnSync(process.execPath, [SCRY, '-r', f, '-p', FORMAT], o);
      return [`exit ${r.status}${r.signal ? ' ' + r.signal : ''} ${String(r.stderr).trim().slice(0, 200)}`, ...r.stdout.toString('latin1').split('\n')];
    };
    const want = read('sysdig', bySysdig);
    if (/SIG/.test(want[0])) return undefined; // (sysdig crashed reading its own file)
    for (const [what, got] of [['sysdig -r (scry -w .scap)', read('sysdig', byScry)], ['scry -r (scry -w .scry)', read('scry', byScryNative)]] as const) {
      let i = 0;
      while (i < want.length && want[i] === got[i]) i++;
      if (i === want.length && want.length === got.length) continue;
      return `${what} line ${i}\n  sysdig: ${(want[i] ?? '').slice(0, 300)}\n  scry:   ${(got[i] ?? '').slice(0, 300)}`;
    }
    return undefined;
  } finally {
    for (const f of [bySysdig, byScry, byScryNative]) fs.rmSync(f, { force: true });
  }
}

async function main(): Promise<void> {
  fs.mkdirSync(KEEP, { recursive: true });
  const captures = Number(opt('--captures', '20')), events = Number(opt('--events', '300'));
  let differ = 0;
  for (let k = 0; k < captures; k++) {
    rnd = prng(firstSeed + k);
    const file = path.join(KEEP, `c${firstSeed + k}.scap`);
    await writeCapture(file, events);
    let same = true;
    const convert = args.includes('--convert');
    for (const run of convert ? CONVERTS : RUNS) {
      const d = convert ? compareConvert(file, run) : compare(file, run);
      if (d !== undefined) { same = false; console.log(`${path.basename(file)} [${run.join(' ')}] ${d}`); }
    }
    if (!same) differ++;
    else if (!args.includes('--keep-all')) fs.unlinkSync(file);
  }
  console.log(`${differ}/${captures} captures differ (kept in ${KEEP})`);
}

main().catch((e) => { console.error(e); process.exit(1); });
