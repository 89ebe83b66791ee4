// What the state engine exposes to fields, filters, formatters and chisels.

import type { ScapEvent } from '../event/event';
import type { GroupRecord, InterfaceRecord, MachineInfo, UserRecord } from '../event/records';
import type { TracerParser, TracerSpans } from './tracers';

/** sysdig's one-character fd type codes, as printed in `<f>` of fd names. */
export type FdTypeChar = 'f' | 'd' | '4' | '6' | 'u' | 'p' | 'e' | 's' | 'l' | 'i' | 't' | 'n' | 'b' | 'r' | 'o' | 'm' | 'P' | 'U' | 'X' | '?' | '';

export interface FdInfo {
  fd: number;
  typeChar: FdTypeChar;
  /** fd.name as sysdig resolves it: path, tuple "1.2.3.4:80->5.6.7.8:9", pipe name, ... */
  name: string;
  openFlags: number;
  ino: number | bigint;
  dev: number;
  /** Sockets: raw addresses (4 or 16 bytes), ports, l4 protocol (sysdig's SCAP_L4_* codes). */
  sip?: Buffer;
  dip?: Buffer;
  sport: number;
  dport: number;
  l4proto: number;
  /** Socket role, as sysdig guesses it. */
  role: 'client' | 'server' | '';
  /** Unix socket endpoints (kernel pointers, hex without 0x). */
  unixSource?: string;
  unixDest?: string;
}

export interface ThreadInfo {
  /** Parser of the tracers the thread writes, once it wrote one. */
  readonly tracer?: TracerParser;
  tid: number;
  pid: number;
  ptid: number;
  sid: number;
  vpgid: number;
  comm: string;
  exe: string;
  exepath: string;
  args: string[];
  env: string[];
  cwd: string;
  uid: number;
  gid: number;
  loginuid: number;
  fdlimit: number;
  flags: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfmajor: number | bigint;
  pfminor: number | bigint;
  vtid: number;
  vpid: number;
  cgroups: string[];
  root: string;
  tty: number;
  containerId: string;
  /** Clone time, split (0/0 when unknown, e.g. threads from the initial process list). */
  cloneSec: number;
  cloneNsec: number;
  /** fd table; shared by threads of one process unless created without CLONE_FILES. */
  fds: Map<number, FdInfo>;
}

export interface ContainerInfo {
  id: string;
  name: string;
  image: string;
  imageId: string;
  imageRepo: string;
  imageTag: string;
  imageDigest: string;
  type: string;
  privileged: boolean | undefined;
  labels: Map<string, string>;
  mounts: { source: string; dest: string; mode: string; rw: boolean; propagation: string }[];
  ip: string;
  /** Health probes from the container's JSON (Healthcheck, LivenessProbe, ReadinessProbe). */
  probes?: ContainerProbe[];
}

export interface ContainerProbe {
  kind: 'None' | 'Healthcheck' | 'LivenessProbe' | 'ReadinessProbe';
  exe: string;
  args: string[];
}

export interface StateView {
  /** Thread of the current event (may be undefined for unknown tids). */
  readonly thread: ThreadInfo | undefined;
  /**
   * The thread the event itself resolved (sysdig's evt->m_tinfo), without the
   * lookup by tid that `thread` falls back on: unset e.g. for a clone exit seen
   * in the child before its parent's. Fields sysdig reads through m_tinfo use it.
   */
  readonly eventThread?: ThreadInfo | undefined;
  /** fd the current event operates on (EF_USES_FD), and its number (-1 if none). */
  readonly fd: FdInfo | undefined;
  readonly fdNum: number;
  /**
   * sysdig resolves a failed openat's name, when a field asks for it, with
   * the parser's parse_dirfd, which makes the dirfd's fd the event's fd:
   * fields read after it see that fd.
   */
  dirfdLookedUp?(fd: FdInfo | undefined): void;
  /** The current event's EF flags as the engine applied them (current-libs events may differ from the table). */
  readonly eventFlags?: number;
  /** Enter event matching the current exit event, when known (for latency, enter-only args). */
  readonly enterEvent: ScapEvent | undefined;
  /**
   * The enter event sysdig can still retrieve for exit event ev while a
   * field is read: there while the capture filter runs, gone once the exit
   * went through (sysdig's event_cleanup frees it before the event is shown).
   */
  storedEnterFor?(ev: ScapEvent): ScapEvent | undefined;
  readonly threads: ReadonlyMap<number, ThreadInfo>;
  readonly users: ReadonlyMap<number, UserRecord>;
  readonly groups: ReadonlyMap<number, GroupRecord>;
  readonly containers: ReadonlyMap<string, ContainerInfo>;
  readonly interfaces: readonly InterfaceRecord[];
  readonly machine: MachineInfo | undefined;
  /** Spans open in the capture (tracers), when the engine keeps them. */
  readonly spans?: TracerSpans;
  /** Main thread (process leader) of a thread, if known. */
  mainThread(t: ThreadInfo): ThreadInfo | undefined;
  /** Parent of a thread's process, if known. */
  parent(t: ThreadInfo): ThreadInfo | undefined;
  /** First event's timestamp, and the previous event's (for relative/delta times). */
  readonly firstSec: number;
  readonly firstNsec: number;
  readonly prevSec: number;
  readonly prevNsec: number;
}

/**
 * A thread's fd `fd`, looked up as sysdig's get_fd does: never for a
 * negative number, though a table can hold one (a socketpair returning -9).
 */
export function fdOf(t: ThreadInfo, fd: number): FdInfo | undefined {
  return fd >= 0 ? t.fds.get(fd) : undefined;
}
