// Encoders for the scap blocks (the inverse of sources/scap/state-blocks.ts).
// Each returns a whole block: type, total length, body, padding to 4 bytes,
// total length again. Layouts are those of the v2/v9 blocks current libs
// write, which sysdig 0.29.3 reads.

import { FdRecord, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord } from '../event/records';
import { Bytes } from '../sources/scry/codec';
import * as B from '../sources/scap/blocks';

/** A little-endian byte writer with the field kinds scap blocks use. */
class W extends Bytes {
  u32(v: number): void { this.ensure(4); this.buf.writeUInt32LE(v >>> 0, this.len); this.len += 4; }
  i64(v: number): void { this.ensure(8); this.buf.writeBigInt64LE(BigInt(Math.trunc(v)), this.len); this.len += 8; }
  u64(v: number | bigint): void { this.ensure(8); this.buf.writeBigUInt64LE(typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt(Math.max(0, Math.trunc(v))), this.len); this.len += 8; }
  u64s(v: string | undefined): void { this.ensure(8); this.buf.writeBigUInt64LE(BigInt(v ?? '0') & 0xffffffffffffffffn, this.len); this.len += 8; }
  raw(b: Buffer): void { this.bytes(b, 0, b.length); }
  /** u16 length + bytes (no NUL), as scap stores strings. */
  str(s: string): void {
    const b = Buffer.from(s, 'latin1');
    const n = Math.min(b.length, 0xffff);
    this.u16(n);
    this.bytes(b, 0, n);
  }
  /** u16 length + NUL-terminated items. */
  list(items: string[]): void {
    const b = items.length ? Buffer.from(items.join('\0') + '\0', 'latin1') : Buffer.alloc(0);
    const n = Math.min(b.length, 0xffff);
    this.u16(n);
    this.bytes(b, 0, n);
  }
  at(): number { return this.len; }
  patchU32(pos: number, v: number): void { this.buf.writeUInt32LE(v >>> 0, pos); }
}

/** Wraps a body into a block. */
export function block(type: number, body: Buffer): Buffer {
  const total = (8 + body.length + 4 + 3) & ~3;
  const b = Buffer.alloc(total);
  b.writeUInt32LE(type >>> 0, 0);
  b.writeUInt32LE(total, 4);
  body.copy(b, 8);
  b.writeUInt32LE(total, total - 4);
  return b;
}

export function sectionHeader(): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(B.SHB_MAGIC, 0);
  b.writeUInt16LE(1, 4);
  b.writeUInt16LE(2, 6);
  b.writeBigInt64LE(-1n, 8);
  return block(B.SHB, b);
}

export function machineInfo(mi: MachineInfo): Buffer {
  const w = new W(180);
  w.u32(mi.numCpus);
  w.u64(mi.memorySizeBytes);
  w.u64(mi.maxPid);
  const h = Buffer.alloc(128);
  h.write(mi.hostname.slice(0, 127), 'latin1');
  w.raw(h);
  w.u64s(mi.bootTsEpoch);
  w.u64(mi.flags ?? 0);
  w.u64(0); w.u64(0);
  return block(B.MI, w.take());
}

/** Process list block (v9) of the given threads. */
export function procList(threads: ThreadRecord[]): Buffer {
  const w = new W(threads.length * 256 + 64);
  for (const t of threads) {
    const start = w.at();
    w.u32(0);
    w.i64(t.tid); w.i64(t.pid); w.i64(t.ptid); w.i64(t.sid); w.i64(t.vpgid);
    w.str(t.comm); w.str(t.exe); w.str(t.exepath); w.list(t.args); w.str(t.cwd);
    w.i64(t.fdlimit); w.u32(t.flags); w.u32(t.uid); w.u32(t.gid);
    w.u32(t.vmsizeKb); w.u32(t.vmrssKb); w.u32(t.vmswapKb); w.u64(t.pfmajor); w.u64(t.pfminor);
    w.list(t.env); w.i64(t.vtid); w.i64(t.vpid); w.list(t.cgroups); w.str(t.root);
    // The tail grew over libs versions; write as much of it as the record knows,
    // in the layout whose length tells a reader which fields are there.
    const full = t.pidnsInitStartTs !== undefined || t.tty !== 0 || t.pgid !== -1;
    if (full) { w.u64s(t.pidnsInitStartTs); w.u32(t.tty); }
    // loginuid and exe_writable are the least any writer since sysdig 0.29.3 puts here
    w.u32(t.loginuid);
    w.u8(t.exeWritable ? 1 : 0);
    if (full || t.capEffective !== undefined || t.capPermitted !== undefined || t.capInheritable !== undefined) {
      w.u64s(t.capInheritable); w.u64s(t.capPermitted); w.u64s(t.capEffective);
    }
    if (full) {
      w.u8(0); w.u64(0); w.u64(0); w.u64(0); w.u8(0); w.u8(0); // exe layer/inode/times/memfd: not kept
      w.i64(t.pgid);
    }
    w.patchU32(start, w.at() - start);
  }
  return block(B.PL_V9, w.take());
}

/**
 * Lays out the process and fd list records of a capture's state as sysdig's
 * writer does: one process list block for a run of threads, then an fd list
 * block for each of those threads in the same order, empty ones included
 * (a thread whose fds are its process's has an empty list). An fd list of a
 * thread the process list did not name goes where it comes.
 */
export class ProcFdLists {
  private threads: ThreadRecord[] = [];
  /** Threads of the last process list block, in order, and how many of them have their fd list out. */
  private listed: number[] = [];
  private done = 0;
  private fdTid = 0;
  private fds: FdRecord[] | null = null;

  constructor(private readonly put: (block: Buffer) => void) {}

  get pending(): boolean { return this.threads.length > 0 || this.fds !== null || this.done < this.listed.length; }

  thread(t: ThreadRecord): void {
    if (this.fds !== null || this.done < this.listed.length) this.end();
    this.threads.push(t);
  }

  fd(tid: number, fd: FdRecord): void {
    if (this.threads.length) this.endProcList();
    if (this.fds !== null && this.fdTid === tid) { this.fds.push(fd); return; }
    this.endFdList();
    const i = this.listed.indexOf(tid, this.done);
    if (i >= 0) {
      while (this.done < i) this.put(fdList(this.listed[this.done++], []));
      this.done = i + 1;
    }
    this.fdTid = tid;
    this.fds = [fd];
  }

  /** Writes what is held: the process list, the fd list being filled, the empty fd lists still owed. */
  end(): void {
    if (this.threads.length) this.endProcList();
    this.endFdList();
    while (this.done < this.listed.length) this.put(fdList(this.listed[this.done++], []));
  }

  private endProcList(): void {
    this.endFdList();
    while (this.done < this.listed.length) this.put(fdList(this.listed[this.done++], []));
    this.put(procList(this.threads));
    this.listed = this.threads.map((t) => t.tid);
    this.done = 0;
    this.threads = [];
  }

  private endFdList(): void {
    if (this.fds === null) return;
    this.put(fdList(this.fdTid, this.fds));
    this.fds = null;
  }
}

/** File-descriptor list block (v2) of one thread. */
export function fdList(tid: number, fds: FdRecord[]): Buffer {
  const w = new W(fds.length * 64 + 16);
  w.i64(tid);
  for (const fd of fds) {
    // no reader loads an fd of unknown type; sysdig's writer leaves them out
    if (fd.type === 0) continue;
    const start = w.at();
    w.u32(0);
    w.i64(fd.fd); w.u64(fd.ino); w.u8(fd.type);
    const ip = (b: Buffer | undefined, n: number) => { const x = Buffer.alloc(n); if (b) b.copy(x, 0, 0, Math.min(n, b.length)); w.raw(x); };
    switch (fd.type) {
      case 3: // IPV4_SOCK
        ip(fd.sip, 4); ip(fd.dip, 4); w.u16(fd.sport ?? 0); w.u16(fd.dport ?? 0); w.u8(fd.l4proto ?? 0);
        break;
      case 5: // IPV4_SERVSOCK
        ip(fd.sip, 4); w.u16(fd.sport ?? 0); w.u8(fd.l4proto ?? 0);
        break;
      case 4: // IPV6_SOCK
        ip(fd.sip, 16); ip(fd.dip, 16); w.u16(fd.sport ?? 0); w.u16(fd.dport ?? 0); w.u8(fd.l4proto ?? 0);
        break;
      case 6: // IPV6_SERVSOCK
        ip(fd.sip, 16); w.u16(fd.sport ?? 0); w.u8(fd.l4proto ?? 0);
        break;
      case 8: // UNIX_SOCK
        w.u64s(fd.unixSource); w.u64s(fd.unixDest); w.str(fd.name);
        break;
      case 16: // FILE_V2
        w.u32(fd.openFlags ?? 0); w.str(fd.name); w.u32(fd.dev ?? 0);
        break;
      default:
        w.str(fd.name);
    }
    w.patchU32(start, w.at() - start);
  }
  return block(B.FDL_V2, w.take());
}

export function interfaces(list: InterfaceRecord[]): Buffer {
  const w = new W(list.length * 96 + 16);
  const ordered = [...list.filter((i) => !i.v6), ...list.filter((i) => i.v6)];
  for (const i of ordered) {
    const name = Buffer.from(i.name, 'latin1');
    const n = i.v6 ? 16 : 4;
    w.u32((i.v6 ? 60 : 24) + name.length);
    w.u16(i.v6 ? 2 : 1);
    w.u16(name.length);
    for (const a of [i.addr, i.netmask, i.bcast]) { const x = Buffer.alloc(n); a.copy(x, 0, 0, Math.min(n, a.length)); w.raw(x); }
    w.u64(i.linkspeed);
    w.raw(name);
  }
  return block(B.IL_V2, w.take());
}

export function users(us: UserRecord[], gs: GroupRecord[]): Buffer {
  const w = new W(us.length * 64 + gs.length * 32 + 16);
  for (const u of us) {
    const start = w.at();
    w.u32(0); w.u8(0); w.u32(u.uid); w.u32(u.gid); w.str(u.name); w.str(u.homedir); w.str(u.shell);
    w.patchU32(start, w.at() - start);
  }
  for (const g of gs) {
    const start = w.at();
    w.u32(0); w.u8(1); w.u32(g.gid); w.str(g.name);
    w.patchU32(start, w.at() - start);
  }
  return block(B.UL_V2, w.take());
}

export function drops(perCpu: number[]): Buffer {
  const b = Buffer.alloc(perCpu.length * 8);
  perCpu.forEach((v, i) => b.writeBigUInt64LE(BigInt(Math.max(0, Math.trunc(v))), i * 8));
  return block(B.SCRY_DROPS, b);
}
