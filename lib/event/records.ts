// State records: what a capture knows about the machine before its first event
// (scap's machine info, process, fd, interface and user list blocks). Every
// source produces these, and every writer stores them.

export interface MachineInfo {
  numCpus: number;
  memorySizeBytes: number;
  maxPid: number;
  hostname: string;
  /** Boot time, ns since the epoch, as a decimal string (u64). */
  bootTsEpoch?: string;
  flags?: number;
}

export interface ThreadRecord {
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  pgid: number;
  comm: string;
  exe: string;
  exepath: string;
  /** argv[1..], as stored (NUL-separated in the file). */
  args: string[];
  cwd: string;
  fdlimit: number;
  flags: number;
  uid: number;
  gid: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  /** (u64 counters: a bigint past 2^53) */
  pfmajor: number | bigint;
  pfminor: number | bigint;
  env: string[];
  vtid: number;
  vpid: number;
  /** "subsys=path" entries. */
  cgroups: string[];
  root: string;
  loginuid: number;
  tty: number;
  /** Clone timestamp / pidns init start, ns as decimal strings when present. */
  pidnsInitStartTs?: string;
  capInheritable?: string;
  capPermitted?: string;
  capEffective?: string;
  exeWritable?: boolean;
}

/** fd types as stored in scap files (scap_fd_type). */
export const enum FdType {
  UNKNOWN = 0, FILE = 1, DIRECTORY = 2, IPV4_SOCK = 3, IPV6_SOCK = 4, IPV4_SERVSOCK = 5,
  IPV6_SERVSOCK = 6, FIFO = 7, UNIX_SOCK = 8, EVENT = 9, UNSUPPORTED = 10, SIGNALFD = 11,
  EVENTPOLL = 12, INOTIFY = 13, TIMERFD = 14, NETLINK = 15, FILE_V2 = 16, BPF = 17,
  USERFAULTFD = 18, IOURING = 19, MEMFD = 20, PIDFD = 21,
}

export interface FdRecord {
  fd: number;
  ino: number | bigint;
  type: FdType;
  name: string;
  openFlags?: number;
  dev?: number;
  /** Sockets: addresses as raw bytes (4 or 16), ports and l4 protocol. */
  sip?: Buffer;
  dip?: Buffer;
  sport?: number;
  dport?: number;
  l4proto?: number;
  /** Unix sockets: kernel pointers of both ends (u64 as decimal strings). */
  unixSource?: string;
  unixDest?: string;
}

export interface InterfaceRecord {
  v6: boolean;
  name: string;
  addr: Buffer;
  netmask: Buffer;
  bcast: Buffer;
  linkspeed: number;
}

export interface UserRecord { uid: number; gid: number; name: string; homedir: string; shell: string }
export interface GroupRecord { gid: number; name: string }

/** Receives what a source reads, in file order. */
export interface CaptureSink {
  machineInfo?(mi: MachineInfo): void;
  thread?(t: ThreadRecord): void;
  fd?(tid: number, fd: FdRecord): void;
  interfaces?(list: InterfaceRecord[]): void;
  users?(users: UserRecord[], groups: GroupRecord[]): void;
}

/**
 * A sink handing everything to `first`, then to `second`: a sink, or a
 * function giving the sink of the moment (undefined: none yet).
 */
export function teeSink(first: CaptureSink, second: CaptureSink | (() => CaptureSink | undefined)): CaptureSink {
  const other = typeof second === 'function' ? second : () => second;
  return {
    machineInfo: (mi) => { first.machineInfo?.(mi); other()?.machineInfo?.(mi); },
    thread: (t) => { first.thread?.(t); other()?.thread?.(t); },
    fd: (tid, f) => { first.fd?.(tid, f); other()?.fd?.(tid, f); },
    interfaces: (l) => { first.interfaces?.(l); other()?.interfaces?.(l); },
    users: (u, g) => { first.users?.(u, g); other()?.users?.(u, g); },
  };
}
