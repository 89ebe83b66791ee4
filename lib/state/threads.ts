// Thread and fd records of the state engine.

import type { FdInfo, FdTypeChar, ThreadInfo } from './view';
import { FdRecord, FdType, ThreadRecord } from '../event/records';
import { hostPort, isIpv4MappedIpv6, L4, tupleString, u64Hex } from './net';
import { SOCKINFO_BYTES, TupleLayout, UNIX, V4, V4SERV, V4_TUPLE, V6, V6SERV, V6_TUPLE, ZERO_SOCKINFO } from './sockinfo';
import type { TracerParser } from './tracers';

/** PPM_CL_* thread flags. */
export const enum CL {
  CLONE_FILES = 1 << 0, CLONE_FS = 1 << 1, CLONE_THREAD = 1 << 13, CLONE_INVERTED = 1 << 16,
  NAME_CHANGED = 1 << 17, CLOSED = 1 << 18, ACTIVE = 1 << 19, PIPE_SRC = 1 << 21, PIPE_DST = 1 << 22,
  CHILD_IN_PIDNS = 1 << 29, IS_MAIN_THREAD = 1 << 30,
}

/** fd flags kept by the engine (subset of sinsp's). */
export const enum FDF {
  FROM_PROC = 1, CLOSE_IN_PROGRESS = 2, CLOSE_CANCELED = 4, CONNECTED = 8, CLONED = 16,
  /** /dev/null: its writes may be tracers (see ./tracers). */
  TRACER_FILE = 32,
  /** A tracer was written to it: its writes are tracers. */
  TRACER_FD = 64,
  /** Its first write was not a tracer: never looked at again. */
  NOT_TRACER = 128,
}

/** The file whose writes sysdig reads as tracers (USER_EVT_DEVICE_NAME). */
export const TRACER_DEVICE = '/dev/null';

/**
 * The fd-table key under which sysdig keeps the fd whose close was cancelled
 * by a new fd of the same number (its CANCELED_FD_NUMBER, INT64_MAX; as a
 * double, 2^63).
 */
export const CANCELED_FD = 9223372036854775807;

/** Tracer flags of a newly named file fd, as sysdig sets them when it opens or imports one. */
export function tracerFlagsFor(name: string): number {
  return name === TRACER_DEVICE ? FDF.TRACER_FILE : FDF.NOT_TRACER;
}

/**
 * sysdig 0.29.3's fd type chars (get_typechar), as fd.typechar and the
 * `fd=3(<f>/etc/passwd)` rendering show them: an fd of a type it did not
 * know yet (bpf, userfaultfd, io_uring, memfd, pidfd) is '?'.
 */
const TYPE_CHARS: Record<number, FdTypeChar> = {
  [FdType.FILE]: 'f', [FdType.FILE_V2]: 'f', [FdType.DIRECTORY]: 'd', [FdType.IPV4_SOCK]: '4', [FdType.IPV6_SOCK]: '6',
  [FdType.IPV4_SERVSOCK]: '4', [FdType.IPV6_SERVSOCK]: '6', [FdType.FIFO]: 'p', [FdType.UNIX_SOCK]: 'u',
  [FdType.EVENT]: 'e', [FdType.UNKNOWN]: 'o', [FdType.UNSUPPORTED]: 'X', [FdType.SIGNALFD]: 's', [FdType.EVENTPOLL]: 'l',
  [FdType.INOTIFY]: 'i', [FdType.TIMERFD]: 't', [FdType.NETLINK]: 'n',
};

export class Fd implements FdInfo {
  fd = -1;
  type: FdType = FdType.UNKNOWN;
  name = '';
  /** The name when an event last looked this fd up (sysdig's m_oldname); '' for a new fd. */
  oldName = '';
  openFlags = 0;
  ino: number | bigint = 0;
  dev = 0;
  role: 'client' | 'server' | '' = '';
  flags = 0;
  /** sysdig's socket union (./sockinfo); null while never written. Copies share it until one writes. */
  private sockBytes: Buffer | null = null;
  private sockShared = false;

  get typeChar(): FdTypeChar { return TYPE_CHARS[this.type] ?? '?' as FdTypeChar; }
  get isServerSocket(): boolean { return this.type === FdType.IPV4_SERVSOCK || this.type === FdType.IPV6_SERVSOCK; }
  get isInetSocket(): boolean { return this.type === FdType.IPV4_SOCK || this.type === FdType.IPV6_SOCK; }

  /** The socket union, to read. */
  get sock(): Buffer { return this.sockBytes ?? ZERO_SOCKINFO; }

  /** The socket union, to write: this fd's own copy. */
  sockForWrite(): Buffer {
    let b = this.sockBytes;
    if (b === null) b = this.sockBytes = Buffer.alloc(SOCKINFO_BYTES);
    else if (this.sockShared) { b = this.sockBytes = Buffer.from(b); this.sockShared = false; }
    return b;
  }

  /** This fd's union (null: never written), now shared with whoever takes it. */
  sharedSock(): Buffer | null { this.sockShared = true; return this.sockBytes; }

  /** Starts this fd's union as `b`, which it shares (read-only until it writes). */
  shareSock(b: Buffer | null): void { this.sockBytes = b; this.sockShared = true; }

  // The addresses through the struct of the fd's type.
  get sip(): Buffer | undefined {
    switch (this.type) {
      case FdType.IPV4_SOCK: case FdType.IPV4_SERVSOCK: return this.sock.subarray(V4.SIP, V4.SIP + 4);
      case FdType.IPV6_SOCK: case FdType.IPV6_SERVSOCK: return this.sock.subarray(V6.SIP, V6.SIP + 16);
      default: return undefined;
    }
  }
  get dip(): Buffer | undefined {
    switch (this.type) {
      case FdType.IPV4_SOCK: return this.sock.subarray(V4.DIP, V4.DIP + 4);
      case FdType.IPV6_SOCK: return this.sock.subarray(V6.DIP, V6.DIP + 16);
      default: return undefined;
    }
  }
  get sport(): number {
    switch (this.type) {
      case FdType.IPV4_SOCK: return this.sock.readUInt16LE(V4.SPORT);
      case FdType.IPV6_SOCK: return this.sock.readUInt16LE(V6.SPORT);
      case FdType.IPV4_SERVSOCK: return this.sock.readUInt16LE(V4SERV.PORT);
      case FdType.IPV6_SERVSOCK: return this.sock.readUInt16LE(V6SERV.PORT);
      default: return 0;
    }
  }
  get dport(): number {
    switch (this.type) {
      case FdType.IPV4_SOCK: return this.sock.readUInt16LE(V4.DPORT);
      case FdType.IPV6_SOCK: return this.sock.readUInt16LE(V6.DPORT);
      default: return 0;
    }
  }
  get l4proto(): number {
    switch (this.type) {
      case FdType.IPV4_SOCK: return this.sock[V4.L4];
      case FdType.IPV6_SOCK: return this.sock[V6.L4];
      case FdType.IPV4_SERVSOCK: return this.sock[V4SERV.L4];
      case FdType.IPV6_SERVSOCK: return this.sock[V6SERV.L4];
      default: return 0;
    }
  }
  /** Unix socket endpoints (kernel pointers, hex without 0x). */
  get unixSource(): string | undefined { return this.type === FdType.UNIX_SOCK ? u64Hex(this.sock, UNIX.SOURCE) : undefined; }
  get unixDest(): string | undefined { return this.type === FdType.UNIX_SOCK ? u64Hex(this.sock, UNIX.DEST) : undefined; }

  copy(): Fd {
    const f = new Fd();
    Object.assign(f, this);
    this.sockShared = f.sockShared = true;
    return f;
  }

  /**
   * An fd of the capture's process list, as sysdig builds it: in the object
   * the thread's previous fd was built in, whose socket union is `prev`
   * (null for a thread's first fd). Returns undefined for types sysdig does
   * not load; their union is left as it was.
   */
  static fromRecord(r: FdRecord, prev: Buffer | null): Fd | undefined {
    const f = new Fd();
    f.fd = r.fd;
    f.type = r.type;
    f.ino = r.ino;
    f.flags = FDF.FROM_PROC;
    f.shareSock(prev);
    switch (r.type) {
      case FdType.IPV4_SOCK: {
        putTuple(f.sockForWrite(), V4_TUPLE, r, r.sip, r.dip);
        if (f.l4proto === L4.TCP) f.flags |= FDF.CONNECTED;
        f.name = tupleString(f.sip!, f.sport, f.dip!, f.dport, f.l4proto);
        break;
      }
      case FdType.IPV4_SERVSOCK: {
        const u = f.sockForWrite();
        put(u, V4SERV.IP, r.sip, 4); u.writeUInt16LE(r.sport ?? 0, V4SERV.PORT); u[V4SERV.L4] = r.l4proto ?? 0;
        f.name = hostPort(f.sip!, f.sport, f.l4proto);
        break;
      }
      case FdType.IPV6_SOCK: {
        const u = f.sockForWrite();
        if (r.sip && r.dip && isIpv4MappedIpv6(r.sip) && isIpv4MappedIpv6(r.dip)) {
          f.type = FdType.IPV4_SOCK;
          putTuple(u, V4_TUPLE, r, r.sip.subarray(12, 16), r.dip.subarray(12, 16));
        } else putTuple(u, V6_TUPLE, r, r.sip, r.dip);
        if (f.l4proto === L4.TCP) f.flags |= FDF.CONNECTED;
        f.name = tupleString(f.sip!, f.sport, f.dip!, f.dport, f.l4proto);
        break;
      }
      case FdType.IPV6_SERVSOCK: {
        const u = f.sockForWrite();
        put(u, V6SERV.IP, r.sip, 16); u.writeUInt16LE(r.sport ?? 0, V6SERV.PORT); u[V6SERV.L4] = r.l4proto ?? 0;
        f.name = hostPort(f.sip!, f.sport, f.l4proto);
        break;
      }
      case FdType.UNIX_SOCK: {
        const u = f.sockForWrite();
        u.writeBigUInt64LE(BigInt.asUintN(64, BigInt(r.unixSource ?? '0')), UNIX.SOURCE);
        u.writeBigUInt64LE(BigInt.asUintN(64, BigInt(r.unixDest ?? '0')), UNIX.DEST);
        f.name = r.name;
        f.role = r.name === '' ? 'client' : 'server';
        break;
      }
      case FdType.FILE_V2:
        f.openFlags = r.openFlags ?? 0; f.name = r.name; f.dev = r.dev ?? 0;
        f.flags |= tracerFlagsFor(f.name);
        break;
      case FdType.FIFO: case FdType.FILE: case FdType.DIRECTORY: case FdType.UNSUPPORTED: case FdType.SIGNALFD:
      case FdType.EVENTPOLL: case FdType.EVENT: case FdType.INOTIFY: case FdType.TIMERFD: case FdType.NETLINK:
        f.name = r.name;
        f.flags |= tracerFlagsFor(f.name);
        break;
      default:
        return undefined; // types sysdig 0.29.3 does not load from the fd list
    }
    // the thread's next fd starts from these bytes: shared from now on
    f.sockShared = true;
    return f;
  }
}

/** n bytes of an address into the union at o (zeros for a missing one). */
function put(u: Buffer, o: number, a: Buffer | undefined, n: number): void {
  if (a) a.copy(u, o, 0, Math.min(n, a.length)); else u.fill(0, o, o + n);
}

/** A process-list connection's tuple into the union, in the struct L (sysdig's add_fd_from_scap). */
function putTuple(u: Buffer, L: TupleLayout, r: FdRecord, sip: Buffer | undefined, dip: Buffer | undefined): void {
  put(u, L.SIP, sip, L.n); put(u, L.DIP, dip, L.n);
  u.writeUInt16LE(r.sport ?? 0, L.SPORT); u.writeUInt16LE(r.dport ?? 0, L.DPORT); u[L.L4] = r.l4proto ?? 0;
}

/** Where a thread finds its process's main thread. */
export interface ThreadTable {
  /**
   * Thread `pid` of the table. sysdig adds a stand-in (comm <NA>, no fds,
   * no cwd) for one it does not know, the first time it looks for it.
   */
  mainThreadOf(pid: number): Thread | undefined;
}

export class Thread implements ThreadInfo {
  tid = 0;
  pid = 0;
  ptid = -1;
  sid = -1;
  vpgid = -1;
  comm = '';
  exe = '';
  exepath = '';
  args: string[] = [];
  env: string[] = [];
  cwd = '';
  uid = 0;
  gid = 0;
  /** sysdig's threadinfo init() starts it at 0: a thread a clone builds without a known parent keeps 0. */
  loginuid = 0;
  fdlimit = 0;
  flags = 0;
  vmsizeKb = 0;
  vmrssKb = 0;
  vmswapKb = 0;
  pfmajor: number | bigint = 0;
  pfminor: number | bigint = 0;
  vtid = -1;
  vpid = -1;
  cgroups: string[] = [];
  root = '';
  tty = 0;
  containerId = '';
  /** The thread sysdig makes up for a container event (it has no private state: see fields/thread-state). */
  containerEventThread = false;
  cloneSec = 0;
  cloneNsec = 0;
  exeWritable = false;
  /** Threads (CLONE_THREAD children) that count this one as their main thread (sinsp's m_nchilds). */
  nchilds = 0;
  /** The fd table this thread owns (used unless it shares its main thread's). */
  ownFds = new Map<number, Fd>();
  /** The thread table this thread is in (set by the table), to find its main thread. */
  table: ThreadTable | undefined = undefined;

  // Per-thread parsing state.
  lastEventType = -1;
  /** sysdig starts it at 0 (threadinfo init), not -1: an exit seen before any enter of its thread resolves fd 0. */
  lastEventFd = 0;
  /** Parser of the tracers this thread writes, once it wrote one to a tracer file. */
  tracer: TracerParser | undefined = undefined;
  lastEnter: Buffer | null = null;
  lastEnterLen = 0;
  lastEnterCpu = 0;
  lastEnterValid = false;
  latencyEnterHi = 0;
  latencyEnterLo = 0;
  latencyNs = 0;
  hasLatencyEnter = false;

  get isMainThread(): boolean { return this.pid === this.tid || (this.flags & CL.IS_MAIN_THREAD) !== 0; }

  /** The main thread of this thread's process: itself, or the table's thread `pid`. */
  main(): Thread | undefined {
    if (this.isMainThread) return this;
    return this.table === undefined ? this : this.table.mainThreadOf(this.pid);
  }

  get fds(): Map<number, Fd> {
    if (!(this.flags & CL.CLONE_FILES)) return this.ownFds;
    const m = this.main();
    return m ? m.ownFds : this.ownFds;
  }

  /** Working directory: kept on the main thread, as sysdig does. */
  getCwd(): string {
    const m = this.main();
    return m ? m.cwd : './';
  }

  setCwd(path: Buffer | string, concatenate: (dir: string, name: Buffer | string) => string): void {
    const m = this.main();
    if (!m) return;
    let c = concatenate(m.cwd, path);
    if (c.length === 0 || c[c.length - 1] !== '/') c += '/';
    m.cwd = c;
  }

  setArgs(b: Buffer): void { this.args = splitNul(b, false); }
  setEnv(b: Buffer): void { this.env = splitNul(b, true); }
  setCgroups(b: Buffer): void { this.cgroups = cgroupsOf(b); }

  static fromRecord(r: ThreadRecord): Thread {
    const t = new Thread();
    t.tid = r.tid; t.pid = r.pid; t.ptid = r.ptid; t.sid = r.sid; t.vpgid = r.vpgid;
    t.comm = r.comm; t.exe = r.exe; t.exepath = r.exepath; t.args = r.args.slice();
    t.flags = r.flags | CL.ACTIVE | CL.NAME_CHANGED;
    t.fdlimit = r.fdlimit; t.uid = r.uid; t.gid = r.gid;
    t.vmsizeKb = r.vmsizeKb; t.vmrssKb = r.vmrssKb; t.vmswapKb = r.vmswapKb;
    t.pfmajor = r.pfmajor; t.pfminor = r.pfminor; t.vtid = r.vtid; t.vpid = r.vpid;
    t.tty = r.tty; t.loginuid = r.loginuid; t.cgroups = usableCgroups(r.cgroups); t.root = r.root;
    t.exeWritable = r.exeWritable ?? false;
    if (t.isMainThread) {
      // The environment ends at an empty entry followed only by padding.
      const env = r.env.slice();
      const z = env.indexOf('');
      if (z >= 0 && env.slice(z).every((x) => x === '')) env.length = z;
      t.env = env;
      let c = r.cwd;
      if (c.length === 0 || c[c.length - 1] !== '/') c += '/';
      t.cwd = c;
    }
    return t;
  }

  /** A placeholder for a thread seen in events but absent from the process list. */
  static fake(tid: number): Thread {
    const t = new Thread();
    t.tid = tid; t.pid = tid; t.ptid = -1; t.comm = '<NA>'; t.exe = '<NA>'; t.fdlimit = -1;
    t.uid = 0xffffffff; t.gid = 0xffffffff; t.loginuid = 0xffffffff; t.flags = CL.NAME_CHANGED;
    return t;
  }
}

// Threads forked together carry the same cgroups: the last list decoded is
// shared (cgroup lists are never changed in place).
let lastCgroupBytes = Buffer.alloc(0);
let lastCgroups: string[] = [];

function cgroupsOf(b: Buffer): string[] {
  if (b.length === lastCgroupBytes.length && b.equals(lastCgroupBytes)) return lastCgroups;
  lastCgroupBytes = Buffer.from(b);
  lastCgroups = usableCgroups(splitNul(b, false));
  return lastCgroups;
}

/**
 * The entries sysdig keeps of a cgroup list: each is subsystem=path, and it
 * stops at the first entry without '=' (dropping that entry and the rest).
 */
function usableCgroups(list: readonly string[]): string[] {
  let n = 0;
  while (n < list.length && list[n].indexOf('=') >= 0) n++;
  return list.slice(0, n);
}

/** Splits a NUL-separated list; `stopAtEmpty` ends at the first empty entry (env padding). */
export function splitNul(b: Buffer, stopAtEmpty: boolean): string[] {
  const out: string[] = [];
  let p = 0;
  while (p < b.length) {
    let z = b.indexOf(0, p);
    if (z < 0) z = b.length;
    if (stopAtEmpty && z === p) {
      let allZero = true;
      for (let i = p; i < b.length; i++) if (b[i] !== 0) { allZero = false; break; }
      if (allZero) break;
    }
    out.push(b.toString('latin1', p, z));
    p = z + 1;
  }
  return out;
}
