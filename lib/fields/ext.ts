// State details the field extractors read beyond the StateView contract.
//
// Every member here is optional: when the state engine provides it the
// fields follow sysdig exactly; when it does not, a documented fallback is
// used. The state engine's own classes may simply carry these members.

import type { ContainerInfo, FdInfo, StateView, ThreadInfo } from '../state/view';
import { fdOf } from '../state/view';

/** scap fd types (values stored in captures). */
export const enum FDT {
  UNKNOWN = 0, FILE = 1, DIRECTORY = 2, IPV4_SOCK = 3, IPV6_SOCK = 4, IPV4_SERVSOCK = 5,
  IPV6_SERVSOCK = 6, FIFO = 7, UNIX_SOCK = 8, EVENT = 9, UNSUPPORTED = 10, SIGNALFD = 11,
  EVENTPOLL = 12, INOTIFY = 13, TIMERFD = 14, NETLINK = 15, FILE_V2 = 16, BPF = 17,
  USERFAULTFD = 18, IOURING = 19, MEMFD = 20, PIDFD = 21,
}

/** scap l4 protocol codes. */
/** scap l4 protocol codes (SCAP_L4_*), as stored in capture files. */
export const enum L4P { UNKNOWN = 0, NA = 1, TCP = 2, UDP = 3, ICMP = 4, RAW = 5 }

export interface ThreadX extends ThreadInfo {
  /** sinsp's m_nchilds: live threads of this process other than the main one (on the main thread). */
  nchilds?: number;
  /** sinsp's m_latency: 0 after an enter event, exit ts - last enter ts of this thread after an exit. */
  latencyNs?: number;
  /** sinsp's m_lastevent_fd. */
  lastEventFd?: number;
  /** From the process list (v9) / execve; false when unknown. */
  exeWritable?: boolean;
  /** The thread sysdig makes up for a container event: it has no per-thread private state. */
  containerEventThread?: boolean;
  /** sinsp's m_category: 0 none, 1 container, 2 healthcheck, 3 liveness probe, 4 readiness probe. */
  category?: number;
}

export interface FdX extends FdInfo {
  /** scap fd type (FDT); distinguishes server sockets and file/file_v2. */
  type?: number;
  /** true when the socket is connected (sinsp FLAGS_SOCKET_CONNECTED). */
  connected?: boolean;
  /** Engine fd flags; bit 8 = connected, used when `connected` is absent. */
  flags?: number;
}

export interface StateX extends StateView {
  /** true when parsing the current event changed the name of its fd (sinsp fdinfo_name_changed). */
  readonly fdNameChanged?: boolean;
}

const CL_IS_MAIN_THREAD = 1 << 30;

export function isMainThread(t: ThreadInfo): boolean {
  return t.pid === t.tid || (t.flags & CL_IS_MAIN_THREAD) !== 0;
}

/** sinsp get_main_thread(): the thread itself when it leads its process, else the table's main thread. */
export function mainOf(state: StateView, t: ThreadInfo): ThreadInfo | undefined {
  if (isMainThread(t)) return t;
  return state.mainThread(t);
}

/** sinsp get_parent_thread(): the table entry of the thread's ptid (no /proc lookup). */
export function parentOf(state: StateView, t: ThreadInfo): ThreadInfo | undefined {
  return state.threads.get(t.ptid);
}

/**
 * Walks the ancestors of `t` (not `t` itself) like sinsp's traverse_parent_state:
 * stops when the visitor returns false, at a missing parent, at tid -1, or on a loop.
 */
export function forEachAncestor(state: StateView, t: ThreadInfo, visit: (a: ThreadInfo) => boolean): void {
  let slow = parentOf(state, t);
  let fast = slow ? parentOf(state, slow) : undefined;
  while (slow && slow.tid !== -1) {
    if (!visit(slow)) return;
    slow = parentOf(state, slow);
    for (let i = 0; i < 2; i++) {
      fast = fast ? parentOf(state, fast) : undefined;
      if (slow && (slow === fast || slow.tid === slow.ptid)) return;
    }
  }
}

/** scap fd type of an fd; derived from its type char when the engine does not say. */
const TYPE_NAMES_0293: Record<number, string> = {
  [FDT.FILE]: 'file', [FDT.FILE_V2]: 'file', [FDT.DIRECTORY]: 'directory', [FDT.IPV4_SOCK]: 'ipv4',
  [FDT.IPV4_SERVSOCK]: 'ipv4', [FDT.IPV6_SOCK]: 'ipv6', [FDT.IPV6_SERVSOCK]: 'ipv6', [FDT.UNIX_SOCK]: 'unix',
  [FDT.FIFO]: 'pipe', [FDT.EVENT]: 'event', [FDT.SIGNALFD]: 'signalfd', [FDT.EVENTPOLL]: 'eventpoll',
  [FDT.INOTIFY]: 'inotify', [FDT.TIMERFD]: 'timerfd', [FDT.NETLINK]: 'netlink',
};

/**
 * sysdig 0.29.3's name of an fd's type (fd.type, and the chisel thread
 * table's fd "type"): types it did not know yet (bpf, userfaultfd,
 * io_uring, memfd, pidfd, ...) are "<NA>".
 */
export function fdTypeName(fd: FdInfo): string {
  return TYPE_NAMES_0293[fdType(fd)] ?? '<NA>';
}

export function fdType(fd: FdInfo): number {
  const t = (fd as FdX).type;
  if (t !== undefined) return t;
  switch (fd.typeChar) {
    case 'f': return FDT.FILE;
    case 'd': return FDT.DIRECTORY;
    case '4': return fd.dip ? FDT.IPV4_SOCK : FDT.IPV4_SERVSOCK;
    case '6': return fd.dip ? FDT.IPV6_SOCK : FDT.IPV6_SERVSOCK;
    case 'p': return FDT.FIFO;
    case 'u': return FDT.UNIX_SOCK;
    case 'e': return FDT.EVENT;
    case 's': return FDT.SIGNALFD;
    case 'l': return FDT.EVENTPOLL;
    case 'i': return FDT.INOTIFY;
    case 't': return FDT.TIMERFD;
    case 'n': return FDT.NETLINK;
    case 'X': return FDT.UNSUPPORTED;
    default: return FDT.UNKNOWN;
  }
}

export function isFileType(t: number): boolean { return t === FDT.FILE || t === FDT.FILE_V2; }

export function fdConnected(fd: FdInfo): boolean {
  const x = fd as FdX;
  if (x.connected !== undefined) return x.connected;
  return ((x.flags ?? 0) & 8) !== 0;
}

export function roleNone(fd: FdInfo): boolean { return fd.role === ''; }

/** sinsp get_l4proto(). */
export function fdL4proto(fd: FdInfo): number {
  const t = fdType(fd);
  if (t === FDT.IPV4_SOCK || t === FDT.IPV6_SOCK) {
    if (fd.l4proto === L4P.RAW) return L4P.RAW;
    if (roleNone(fd)) return L4P.NA;
    return fd.l4proto;
  }
  if (t === FDT.IPV4_SERVSOCK || t === FDT.IPV6_SERVSOCK) return fd.l4proto;
  return L4P.NA;
}

/**
 * The fd sysdig's fd.* fields see: the event's fd, or the thread's fd with
 * the last event fd number when the event has none.
 */
export function eventFd(state: StateView): FdInfo | undefined {
  const fd = state.fd;
  if (fd) return fd;
  const t = state.thread;
  const n = lastEventFd(state);
  return t ? fdOf(t, n) : undefined;
}

export function lastEventFd(state: StateView): number {
  return state.fdNum;
}

export function containerOf(state: StateView, t: ThreadInfo): ContainerInfo | undefined {
  if (t.containerId === '') return undefined;
  return state.containers.get(t.containerId);
}

const NO_IP = Buffer.alloc(4);

function ipv4Bytes(text: string): Buffer | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (!m) return undefined;
  return Buffer.from([+m[1], +m[2], +m[3], +m[4]]);
}

function sameBytes(a: Buffer, b: Buffer, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** sinsp is_ipv4addr_in_local_machine / is_ipv6addr_in_local_machine. */
export function isLocalAddr(state: StateView, t: ThreadInfo, addr: Buffer | undefined): boolean {
  if (!addr) return false;
  if (addr.length === 4) {
    if (t.containerId !== '') {
      const c = state.containers.get(t.containerId);
      if (c) {
        const own = ipv4Bytes(c.ip);
        if (own && !(own[0] === 0 && own[1] === 0 && own[2] === 0 && own[3] === 0)) {
          if (sameBytes(own, addr, 4)) return true;
        } else {
          // a container whose metadata has no usable IP counts as 0.0.0.0
          // (sysdig's m_container_ip stays 0), so it matches a zero address
          for (const other of state.containers.values()) {
            if (sameBytes(ipv4Bytes(other.ip) ?? NO_IP, addr, 4)) return true;
          }
        }
      }
    }
    for (const itf of state.interfaces) {
      if (!itf.v6 && sameBytes(itf.addr, addr, 4)) return true;
    }
    return false;
  }
  if (t.containerId !== '') return false;
  for (const itf of state.interfaces) {
    if (itf.v6 && sameBytes(itf.addr, addr, 8)) return true;
  }
  return false;
}
