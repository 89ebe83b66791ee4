// Decoders for the scap blocks that describe state: machine info, process
// list, fd list, interface list and user list. Each takes the block body.

import { FdRecord, FdType, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord } from '../../event/records';
import { readI64 } from '../../event/event';
import * as B from './blocks';

export class BlockError extends Error {
  constructor(message: string, readonly at: number) { super(message); }
}

/** A bounds-checked cursor over a block body. */
class Cursor {
  constructor(readonly b: Buffer, public p: number, readonly end: number) {}
  need(n: number, what: string): void {
    if (this.p + n > this.end) throw new BlockError(`${what} runs past the end of its block`, this.p);
  }
  u8(w = 'field'): number { this.need(1, w); return this.b[this.p++]; }
  u16(w = 'field'): number { this.need(2, w); const v = this.b.readUInt16LE(this.p); this.p += 2; return v; }
  u32(w = 'field'): number { this.need(4, w); const v = this.b.readUInt32LE(this.p); this.p += 4; return v; }
  i64(w = 'field'): number { this.need(8, w); const v = readI64(this.b, this.p); this.p += 8; return v; }
  u64(w = 'field'): number { this.need(8, w); const v = this.b.readUInt32LE(this.p + 4) * 4294967296 + this.b.readUInt32LE(this.p); this.p += 8; return v; }
  /** u64, exact: a number up to 2^53, a bigint above. */
  u64x(w = 'field'): number | bigint { const v = this.u64(w); return v <= Number.MAX_SAFE_INTEGER ? v : this.b.readBigUInt64LE(this.p - 8); }
  u64s(w = 'field'): string { this.need(8, w); const v = this.b.readBigUInt64LE(this.p); this.p += 8; return v.toString(); }
  bytes(n: number, w = 'field'): Buffer { this.need(n, w); const v = this.b.subarray(this.p, this.p + n); this.p += n; return v; }
  /** u16-length-prefixed string, cut at the first NUL. */
  str(w = 'string'): string {
    const n = this.u16(w);
    const v = this.bytes(n, w);
    const z = v.indexOf(0);
    return v.toString('latin1', 0, z < 0 ? n : z);
  }
  /** u16-length-prefixed NUL-separated list. */
  list(w = 'list'): string[] {
    const n = this.u16(w);
    const v = this.bytes(n, w);
    if (n === 0) return [];
    const parts = v.toString('latin1').split('\0');
    if (parts.length && parts[parts.length - 1] === '') parts.pop();
    return parts;
  }
  get left(): number { return this.end - this.p; }
}

export function decodeMachineInfo(b: Buffer, start: number, end: number): MachineInfo {
  const c = new Cursor(b, start, end);
  const numCpus = c.u32('machine info');
  const memorySizeBytes = c.u64('machine info');
  const maxPid = c.u64('machine info');
  const h = c.bytes(128, 'hostname');
  const z = h.indexOf(0);
  const mi: MachineInfo = { numCpus, memorySizeBytes, maxPid, hostname: h.toString('latin1', 0, z < 0 ? 128 : z) };
  if (c.left >= 16) { mi.bootTsEpoch = c.u64s(); mi.flags = c.u64(); }
  return mi;
}

export function decodeProcList(b: Buffer, start: number, end: number, version: number, emit: (t: ThreadRecord) => void): void {
  const c = new Cursor(b, start, end);
  while (c.left >= 4) {
    const entryStart = c.p;
    const subLen = version >= 9 ? c.u32('process entry length') : 0;
    const t: ThreadRecord = {
      tid: c.i64('tid'), pid: c.i64('pid'), ptid: c.i64('ptid'),
      sid: -1, vpgid: -1, pgid: -1, comm: '', exe: '', exepath: '', args: [], cwd: '',
      fdlimit: 0, flags: 0, uid: 0, gid: 0, vmsizeKb: 0, vmrssKb: 0, vmswapKb: 0, pfmajor: 0, pfminor: 0,
      env: [], vtid: -1, vpid: -1, cgroups: [], root: '', loginuid: 0xffffffff, tty: 0,
    };
    if (version >= 6) t.sid = c.i64('sid');
    if (version >= 8) t.vpgid = c.i64('vpgid');
    t.comm = c.str('comm');
    t.exe = c.str('exe');
    if (version >= 7) t.exepath = c.str('exepath');
    t.args = c.list('args');
    t.cwd = c.str('cwd');
    t.fdlimit = c.i64('fdlimit');
    t.flags = c.u32('flags');
    t.uid = c.u32('uid');
    t.gid = c.u32('gid');
    if (version >= 2) {
      t.vmsizeKb = c.u32(); t.vmrssKb = c.u32(); t.vmswapKb = c.u32();
      t.pfmajor = c.u64x(); t.pfminor = c.u64x();
      if (version >= 3) t.env = c.list('env');
      if (version >= 4) {
        t.vtid = c.i64(); t.vpid = c.i64();
        t.cgroups = c.list('cgroups');
        if (version >= 5) t.root = c.str('root');
      }
    }
    if (subLen) {
      const entryEnd = entryStart + subLen;
      if (entryEnd > end) throw new BlockError('process entry runs past the end of its block', entryStart);
      const fits = (n: number) => c.p + n <= entryEnd;
      // libs 0.10 inserted pidns_init_start_ts and tty before loginuid; older
      // writers have at most 29 bytes (loginuid..cap_effective) left here.
      if (entryEnd - c.p > 29) {
        if (fits(8)) t.pidnsInitStartTs = c.u64s();
        if (fits(4)) t.tty = c.u32();
      }
      if (fits(4)) t.loginuid = c.u32();
      if (fits(1)) t.exeWritable = c.u8() !== 0;
      if (fits(8)) t.capInheritable = c.u64s();
      if (fits(8)) t.capPermitted = c.u64s();
      if (fits(8)) t.capEffective = c.u64s();
      // exe_upper_layer, exe_ino, ctime, mtime, from_memfd, lower_layer, then pgid
      if (fits(1 + 24 + 2 + 8)) { c.p += 1 + 24 + 2; t.pgid = c.i64(); }
      if (c.p > entryEnd) throw new BlockError('process entry longer than its declared length', entryStart);
      c.p = entryEnd;
    }
    emit(t);
  }
}

export function decodeFdList(b: Buffer, start: number, end: number, v2: boolean, emit: (tid: number, fd: FdRecord) => void): void {
  const c = new Cursor(b, start, end);
  const tid = c.i64('fd list tid');
  while (c.left >= 4) {
    const entryStart = c.p;
    const subLen = v2 ? c.u32('fd entry length') : 0;
    const fd: FdRecord = { fd: c.i64('fd'), ino: c.u64x('ino'), type: c.u8('fd type') as FdType, name: '' };
    switch (fd.type) {
      case FdType.IPV4_SOCK:
        fd.sip = Buffer.from(c.bytes(4)); fd.dip = Buffer.from(c.bytes(4));
        fd.sport = c.u16(); fd.dport = c.u16(); fd.l4proto = c.u8();
        break;
      case FdType.IPV4_SERVSOCK:
        fd.sip = Buffer.from(c.bytes(4)); fd.sport = c.u16(); fd.l4proto = c.u8();
        break;
      case FdType.IPV6_SOCK:
        fd.sip = Buffer.from(c.bytes(16)); fd.dip = Buffer.from(c.bytes(16));
        fd.sport = c.u16(); fd.dport = c.u16(); fd.l4proto = c.u8();
        break;
      case FdType.IPV6_SERVSOCK:
        fd.sip = Buffer.from(c.bytes(16)); fd.sport = c.u16(); fd.l4proto = c.u8();
        break;
      case FdType.UNIX_SOCK:
        fd.unixSource = c.u64s(); fd.unixDest = c.u64s(); fd.name = c.str('fd name');
        break;
      case FdType.FILE_V2:
        fd.openFlags = c.u32(); fd.name = c.str('fd name');
        if (subLen && c.p + 4 <= entryStart + subLen) fd.dev = c.u32();
        break;
      case FdType.FIFO: case FdType.FILE: case FdType.DIRECTORY: case FdType.UNSUPPORTED: case FdType.EVENT:
      case FdType.SIGNALFD: case FdType.EVENTPOLL: case FdType.INOTIFY: case FdType.TIMERFD: case FdType.NETLINK:
      case FdType.BPF: case FdType.USERFAULTFD: case FdType.IOURING: case FdType.MEMFD: case FdType.PIDFD:
        fd.name = c.str('fd name');
        break;
      default:
        if (!subLen) throw new BlockError(`unknown fd type ${fd.type}`, entryStart);
    }
    if (subLen) {
      if (c.p > entryStart + subLen || entryStart + subLen > end) throw new BlockError('fd entry longer than its declared length', entryStart);
      c.p = entryStart + subLen;
    }
    emit(tid, fd);
  }
}

const II_IPV4 = 1, II_IPV6 = 2, II_IPV4_NOLINKSPEED = 3, II_IPV6_NOLINKSPEED = 4;

export function decodeInterfaces(b: Buffer, start: number, end: number, v2: boolean): InterfaceRecord[] {
  const c = new Cursor(b, start, end);
  const out: InterfaceRecord[] = [];
  while (c.left >= 4) {
    const entryStart = c.p;
    const entryLen = v2 ? c.u32('interface entry length') : 0;
    const type = c.u16('interface type');
    const nameLen = c.u16('interface name length');
    let rec: InterfaceRecord;
    if (type === II_IPV4 || type === II_IPV4_NOLINKSPEED) {
      const addr = Buffer.from(c.bytes(4)), netmask = Buffer.from(c.bytes(4)), bcast = Buffer.from(c.bytes(4));
      const linkspeed = type === II_IPV4 ? c.u64() : 0;
      rec = { v6: false, addr, netmask, bcast, linkspeed, name: '' };
    } else if (type === II_IPV6 || type === II_IPV6_NOLINKSPEED) {
      const addr = Buffer.from(c.bytes(16)), netmask = Buffer.from(c.bytes(16)), bcast = Buffer.from(c.bytes(16));
      const linkspeed = type === II_IPV6 ? c.u64() : 0;
      rec = { v6: true, addr, netmask, bcast, linkspeed, name: '' };
    } else {
      throw new BlockError(`unknown interface type ${type}`, entryStart);
    }
    const nm = c.bytes(nameLen, 'interface name');
    const z = nm.indexOf(0);
    rec.name = nm.toString('latin1', 0, z < 0 ? nameLen : z);
    if (entryLen) c.p = Math.max(c.p, entryStart + 4 + entryLen);
    out.push(rec);
  }
  return out;
}

export function decodeUsers(b: Buffer, start: number, end: number, v2: boolean): { users: UserRecord[]; groups: GroupRecord[] } {
  const c = new Cursor(b, start, end);
  const users: UserRecord[] = [], groups: GroupRecord[] = [];
  while (c.left >= 4) {
    const entryStart = c.p;
    const subLen = v2 ? c.u32('user entry length') : 0;
    const type = c.u8('user entry type');
    if (type === 0) {
      users.push({ uid: c.u32(), gid: c.u32(), name: c.str(), homedir: c.str(), shell: c.str() });
    } else {
      groups.push({ gid: c.u32(), name: c.str() });
    }
    if (subLen) {
      if (c.p > entryStart + subLen) throw new BlockError('user entry longer than its declared length', entryStart);
      c.p = entryStart + subLen;
    }
  }
  return { users, groups };
}

export { B };
