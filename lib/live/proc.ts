// The machine's state at the start of a live capture, read from /proc and
// /etc, as the state records a capture begins with: machine info, network
// interfaces, users and groups, every thread (exe, args, env, cwd, ids,
// cgroups, loginuid, ...) and every open file descriptor (sockets with their
// address tuples). Values follow what libscap's /proc scan stores.

import * as fs from 'fs';
import * as os from 'os';
import { textToBytes } from '../util/bytes';
import { FdRecord, FdType, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord } from '../event/records';
import { StateRecord } from '../sources/scry/records';

const MAX_ARGS = 4096;
const MAX_ENV = 4096;
const L4_TCP = 2, L4_UDP = 3, L4_RAW = 5;
const PPM_CL_CLONE_FILES = 1 << 0, PPM_CL_CLONE_THREAD = 1 << 13;

function readText(p: string): string | undefined {
  try { return fs.readFileSync(p, 'latin1'); } catch { return undefined; }
}

function readBytes(p: string, max: number): Buffer | undefined {
  let fd: number;
  try { fd = fs.openSync(p, 'r'); } catch { return undefined; }
  try {
    const b = Buffer.alloc(max);
    let n = 0;
    while (n < max) {
      const r = fs.readSync(fd, b, n, max - n, null);
      if (r <= 0) break;
      n += r;
    }
    return b.subarray(0, n);
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

function readLink(p: string): string | undefined {
  try { return fs.readlinkSync(p, 'latin1'); } catch { return undefined; }
}

/**
 * NUL-separated strings of a /proc file, without the empty tail. A list cut
 * by the read limit loses its incomplete last item, so that the list stored
 * (each item NUL-terminated) stays within the limit libscap readers accept
 * (sysdig 0.29.3 rejects args/env longer than 4096 bytes).
 */
function nulList(b: Buffer | undefined, max = Infinity): string[] {
  if (!b || !b.length) return [];
  const parts = b.toString('latin1').split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  else if (b.length >= max) parts.pop();
  let total = 0;
  const out: string[] = [];
  for (const p of parts) {
    total += p.length + 1;
    if (total > max) break;
    out.push(p);
  }
  return out;
}

// ---- machine ----

export function machineInfo(bootNs: bigint): MachineInfo {
  const mem = /MemTotal:\s+(\d+) kB/.exec(readText('/proc/meminfo') ?? '');
  const pidMax = Number((readText('/proc/sys/kernel/pid_max') ?? '32768').trim());
  return {
    numCpus: os.cpus().length || 1,
    memorySizeBytes: mem ? Number(mem[1]) * 1024 : os.totalmem(),
    maxPid: pidMax,
    hostname: textToBytes(os.hostname()),
    bootTsEpoch: bootNs.toString(),
    flags: 0,
  };
}

// ---- interfaces ----

function v4(addr: string): Buffer {
  const b = Buffer.alloc(4);
  addr.split('.').forEach((x, i) => { b[i] = Number(x) & 0xff; });
  return b;
}

function v6(addr: string): Buffer {
  const b = Buffer.alloc(16);
  const a = addr.split('%')[0];
  const [head, tail] = a.includes('::') ? a.split('::') : [a, ''];
  const hp = head ? head.split(':') : [];
  const tp = tail ? tail.split(':') : [];
  const groups = [...hp, ...Array(8 - hp.length - tp.length).fill('0'), ...tp];
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g || '0', 16) & 0xffff, i * 2));
  return b;
}

export function interfaceList(): InterfaceRecord[] {
  const out: InterfaceRecord[] = [];
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    let speed = 0;
    const s = readText(`/sys/class/net/${name}/speed`);
    if (s && /^\d+/.test(s.trim())) speed = Number(s.trim()) * 1000000;
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4') {
        const addr = v4(a.address), mask = v4(a.netmask);
        const bcast = Buffer.alloc(4);
        for (let i = 0; i < 4; i++) bcast[i] = (addr[i] & mask[i]) | (~mask[i] & 0xff);
        out.push({ v6: false, name, addr, netmask: mask, bcast, linkspeed: speed });
      } else {
        out.push({ v6: true, name, addr: v6(a.address), netmask: v6(a.netmask), bcast: Buffer.alloc(16), linkspeed: speed });
      }
    }
  }
  return out;
}

// ---- users ----

export function userList(): { users: UserRecord[]; groups: GroupRecord[] } {
  const users: UserRecord[] = [];
  const groups: GroupRecord[] = [];
  for (const line of (readText('/etc/passwd') ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || line.startsWith('#')) continue;
    users.push({ name: f[0], uid: Number(f[2]) >>> 0, gid: Number(f[3]) >>> 0, homedir: f[5], shell: f[6] });
  }
  for (const line of (readText('/etc/group') ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || line.startsWith('#')) continue;
    groups.push({ name: f[0], gid: Number(f[2]) >>> 0 });
  }
  return { users, groups };
}

// ---- sockets (by inode) ----

interface SockInfo { type: FdType; sip?: Buffer; dip?: Buffer; sport?: number; dport?: number; l4proto?: number; name?: string; unixSource?: string }

/** "0100007F" (a little-endian u32 of the network-order address) -> 127.0.0.1 bytes */
function hexV4(h: string): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(parseInt(h, 16) >>> 0, 0);
  return b;
}

/** IPv6 in /proc/net is four little-endian u32 words */
function hexV6(h: string): Buffer {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 4; i++) b.writeUInt32LE(parseInt(h.slice(i * 8, i * 8 + 8), 16) >>> 0, i * 4);
  return b;
}

function isZero(b: Buffer): boolean {
  for (const x of b) if (x) return false;
  return true;
}

export function socketTable(pid: number | 'self' = 'self'): Map<number, SockInfo> {
  const m = new Map<number, SockInfo>();
  const base = `/proc/${pid}/net`;
  const inet = (file: string, six: boolean, proto: number) => {
    const text = readText(`${base}/${file}`);
    if (!text) return;
    const lines = text.split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const [la, lp] = f[1].split(':');
      const [ra, rp] = f[2].split(':');
      const state = parseInt(f[3], 16);
      const ino = Number(f[9]);
      if (!ino) continue;
      const sip = six ? hexV6(la) : hexV4(la);
      const dip = six ? hexV6(ra) : hexV4(ra);
      const sport = parseInt(lp, 16), dport = parseInt(rp, 16);
      const listening = (proto === L4_TCP && state === 0x0a) || (proto !== L4_TCP && isZero(dip) && dport === 0);
      if (listening) {
        m.set(ino, { type: six ? FdType.IPV6_SERVSOCK : FdType.IPV4_SERVSOCK, sip, sport, l4proto: proto });
      } else {
        m.set(ino, { type: six ? FdType.IPV6_SOCK : FdType.IPV4_SOCK, sip, dip, sport, dport, l4proto: proto });
      }
    }
  };
  inet('tcp', false, L4_TCP); inet('tcp6', true, L4_TCP);
  inet('udp', false, L4_UDP); inet('udp6', true, L4_UDP);
  inet('raw', false, L4_RAW); inet('raw6', true, L4_RAW);
  const unix = readText(`${base}/unix`);
  if (unix) {
    for (const line of unix.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 7) continue;
      const ino = Number(f[6]);
      const addr = f[0].replace(/:$/, '');
      m.set(ino, { type: FdType.UNIX_SOCK, name: f[7] ?? '', unixSource: BigInt('0x' + (addr || '0')).toString() });
    }
  }
  const nl = readText(`${base}/netlink`);
  if (nl) {
    for (const line of nl.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 10) m.set(Number(f[9]), { type: FdType.NETLINK });
    }
  }
  return m;
}

// ---- open flags as the schema encodes them (PPM_O_*) ----

export function openFlagsToScap(f: number): number {
  let r: number;
  switch (f & 3) { case 1: r = 1 << 1; break; case 2: r = 3; break; default: r = 1; }
  if (f & 0o100) r |= 1 << 2;
  if ((f & 0o20200000) === 0o20200000) r |= 1 << 13;
  if (f & 0o2000) r |= 1 << 3;
  if (f & 0o10000) r |= 1 << 4;
  if (f & 0o200) r |= 1 << 5;
  if (f & 0o4000) r |= 1 << 6;
  if ((f & 0o4010000) === 0o4010000) r |= 1 << 7;
  if (f & 0o1000) r |= 1 << 8;
  if (f & 0o40000) r |= 1 << 9;
  if (f & 0o200000) r |= 1 << 10;
  if (f & 0o100000) r |= 1 << 11;
  if (f & 0o2000000) r |= 1 << 12;
  return r >>> 0;
}

/** The fds of one process. */
export function fdList(pid: number, socks: Map<number, SockInfo>): FdRecord[] {
  const dir = `/proc/${pid}/fd`;
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return []; }
  const out: FdRecord[] = [];
  for (const n of names) {
    const fd = Number(n);
    const link = readLink(`${dir}/${n}`);
    if (link === undefined) continue;
    let st: fs.Stats | undefined;
    try { st = fs.statSync(`${dir}/${n}`); } catch { st = undefined; }
    const ino = st ? st.ino : 0;
    const m = /^(socket|pipe|anon_inode):\[?([^\]]*)\]?$/.exec(link);
    if (m && m[1] === 'socket') {
      const s = socks.get(Number(m[2]));
      if (!s) { out.push({ fd, ino: Number(m[2]), type: FdType.UNSUPPORTED, name: link }); continue; }
      out.push({ fd, ino: Number(m[2]), type: s.type, name: s.name ?? '', sip: s.sip, dip: s.dip, sport: s.sport, dport: s.dport, l4proto: s.l4proto, unixSource: s.unixSource, unixDest: s.type === FdType.UNIX_SOCK ? '0' : undefined });
      continue;
    }
    if (m && m[1] === 'pipe') { out.push({ fd, ino, type: FdType.FIFO, name: link }); continue; }
    if (m && m[1] === 'anon_inode') {
      const kind = m[2];
      const type = kind === 'eventfd' ? FdType.EVENT : kind === 'signalfd' ? FdType.SIGNALFD :
        kind === 'eventpoll' ? FdType.EVENTPOLL : kind === 'inotify' ? FdType.INOTIFY :
        kind.startsWith('timerfd') ? FdType.TIMERFD : FdType.UNSUPPORTED;
      out.push({ fd, ino, type, name: link });
      continue;
    }
    if (link.startsWith('/') && st) {
      if (st.isDirectory()) { out.push({ fd, ino, type: FdType.DIRECTORY, name: link }); continue; }
      const info = readText(`/proc/${pid}/fdinfo/${n}`) ?? '';
      const fm = /flags:\s*([0-7]+)/.exec(info);
      const flags = fm ? openFlagsToScap(parseInt(fm[1], 8)) : 0;
      out.push({ fd, ino, type: FdType.FILE_V2, name: link.replace(/ \(deleted\)$/, ''), openFlags: flags, dev: st.dev >>> 0 });
      continue;
    }
    out.push({ fd, ino, type: FdType.UNSUPPORTED, name: link });
  }
  return out;
}

// ---- threads ----

function statusField(status: string, key: string): string | undefined {
  const m = new RegExp('^' + key + ':\\s*(.*)$', 'm').exec(status);
  return m ? m[1].trim() : undefined;
}

/** "0::/x" entries (cgroup v2) become one entry per controller enabled there. */
function cgroupList(pid: number): string[] {
  const text = readText(`/proc/${pid}/cgroup`);
  if (!text) return [];
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const a = line.indexOf(':'), b = line.indexOf(':', a + 1);
    if (a < 0 || b < 0) continue;
    const id = line.slice(0, a), subsys = line.slice(a + 1, b), path = line.slice(b + 1);
    if (subsys === '') {
      if (id !== '0') continue;
      const ctl = readText(`/sys/fs/cgroup${path === '/' ? '' : path}/cgroup.controllers`) ?? '';
      for (const c of ctl.trim().split(/\s+/)) if (c) out.push(`${c}=${path}`);
      continue;
    }
    for (const c of subsys.split(',')) out.push(`${c}=${path}`);
  }
  return out;
}

function threadRecord(pid: number, tid: number, main?: ThreadRecord): ThreadRecord | undefined {
  const dir = `/proc/${pid}/task/${tid}`;
  const status = readText(`${dir}/status`);
  const stat = readText(`${dir}/stat`);
  if (!status || !stat) return undefined;
  // fields after the comm, which may contain spaces and parentheses
  const rp = stat.lastIndexOf(')');
  const sf = stat.slice(rp + 2).split(' ');
  // sf[0] is field 3 (state)
  const ppid = Number(sf[1]), pgrp = Number(sf[2]), session = Number(sf[3]), ttyNr = Number(sf[4]);
  const minflt = Number(sf[7]), majflt = Number(sf[9]);
  const cmdline = main ? undefined : readBytes(`/proc/${pid}/cmdline`, MAX_ARGS);
  const argv = main ? [main.exe, ...main.args] : nulList(cmdline, MAX_ARGS);
  const exepath = main ? main.exepath : readLink(`/proc/${pid}/exe`) ?? '';
  if (!main && argv.length === 0 && !exepath) return undefined; // kernel thread or zombie
  const ids = (k: string) => (statusField(status, k) ?? '').split(/\s+/).map(Number);
  const kb = (k: string) => Number((statusField(status, k) ?? '0').split(/\s+/)[0]) || 0;
  const nstgid = ids('NStgid'), nspid = ids('NSpid'), nspgid = ids('NSpgid');
  const hex = (k: string) => { const v = statusField(status, k); return v ? BigInt('0x' + v).toString() : undefined; };
  const limits = main ? undefined : readText(`/proc/${pid}/limits`) ?? '';
  const lim = limits ? /^Max open files\s+(\d+|unlimited)/m.exec(limits) : undefined;
  const loginuid = Number((readText(`/proc/${pid}/loginuid`) ?? '4294967295').trim());
  const env = main ? main.env : nulList(readBytes(`/proc/${pid}/environ`, MAX_ENV), MAX_ENV);
  return {
    tid, pid, ptid: ppid, sid: session, vpgid: nspgid.length ? nspgid[nspgid.length - 1] : pgrp, pgid: pgrp,
    comm: (readText(`${dir}/comm`) ?? '').replace(/\n$/, ''),
    exe: argv[0] ?? '', exepath, args: argv.slice(1),
    cwd: main ? main.cwd : readLink(`/proc/${pid}/cwd`) ?? '',
    fdlimit: main ? main.fdlimit : lim ? (lim[1] === 'unlimited' ? -1 : Number(lim[1])) : 0,
    flags: tid === pid ? 0 : PPM_CL_CLONE_THREAD | PPM_CL_CLONE_FILES,
    uid: ids('Uid')[1] >>> 0, gid: ids('Gid')[1] >>> 0,
    vmsizeKb: kb('VmSize'), vmrssKb: kb('VmRSS'), vmswapKb: kb('VmSwap'),
    pfmajor: majflt, pfminor: minflt,
    env,
    vtid: nspid.length ? nspid[nspid.length - 1] : tid,
    vpid: nstgid.length ? nstgid[nstgid.length - 1] : pid,
    cgroups: main ? main.cgroups : cgroupList(pid),
    root: main ? main.root : readLink(`/proc/${pid}/root`) ?? '/',
    loginuid: Number.isFinite(loginuid) ? loginuid >>> 0 : 0xffffffff,
    tty: ttyNr >>> 0,
    capInheritable: hex('CapInh'), capPermitted: hex('CapPrm'), capEffective: hex('CapEff'),
  };
}

export interface ScanOptions {
  /** Only these processes (and their threads); all when undefined. */
  pids?: number[];
  /** Processes to leave out (scry itself). */
  exclude?: number[];
  /** Skip fd lists. */
  noFds?: boolean;
}

/** Threads and fds of the processes on the machine, as state records. */
export function* scanProcesses(opts: ScanOptions = {}): Generator<StateRecord> {
  const pids = opts.pids ?? fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).sort((a, b) => a - b);
  const exclude = new Set(opts.exclude ?? []);
  const threads: ThreadRecord[] = [];
  const fdsOf: [number, FdRecord[]][] = [];
  const socks = opts.noFds ? new Map<number, SockInfo>() : socketTable();
  // sockets of other network namespaces: read their tables once per namespace
  const nsTables = new Map<string, Map<number, SockInfo>>();
  const selfNet = readLink('/proc/self/ns/net');
  for (const pid of pids) {
    if (exclude.has(pid)) continue;
    const main = threadRecord(pid, pid);
    if (!main) continue;
    threads.push(main);
    let tids: number[] = [];
    try { tids = fs.readdirSync(`/proc/${pid}/task`).map(Number).filter((t) => t !== pid).sort((a, b) => a - b); } catch { /* gone */ }
    for (const tid of tids) {
      const t = threadRecord(pid, tid, main);
      if (t) threads.push(t);
    }
    if (!opts.noFds) {
      let table = socks;
      const net = readLink(`/proc/${pid}/ns/net`);
      if (net && net !== selfNet) {
        let t = nsTables.get(net);
        if (!t) { t = socketTable(pid); nsTables.set(net, t); }
        table = t;
      }
      fdsOf.push([pid, fdList(pid, table)]);
    }
  }
  for (const t of threads) yield { kind: 'thread', thread: t };
  for (const [pid, fds] of fdsOf) for (const fd of fds) yield { kind: 'fd', tid: pid, fd };
}

/** Everything a capture starts with, in the order .scap files store it. */
export function* initialState(bootNs: bigint, opts: ScanOptions = {}): Generator<StateRecord> {
  yield { kind: 'machine', mi: machineInfo(bootNs) };
  yield { kind: 'interfaces', list: interfaceList() };
  const u = userList();
  yield { kind: 'users', users: u.users, groups: u.groups };
  yield* scanProcesses(opts);
}
