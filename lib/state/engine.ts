// The state engine: keeps threads, fds, users, groups, interfaces and
// containers up to date as events go by, the way sysdig's parser does, so
// fields resolve names for each event. process() also tells whether an event
// is one sysdig shows (state-only events are processed but hidden).

import { DF_STATE_ONLY, DF_TRACER, EVENT_HEADER_LEN, recordLength, ScapEvent, writeRecord } from '../event/event';
import { CaptureSink, FdRecord, GroupRecord, InterfaceRecord, MachineInfo, ThreadRecord, UserRecord } from '../event/records';
import { FdType } from '../event/records';
import { E } from '../schema/ids';
import { EF } from '../schema/types';
import { EVENTS } from '../schema/events';
import { CgroupContainer, claimContainer, containerEnginesFromCgroups, containerFromJson, containerTypeName, standInContainer } from './containers';
import { tupleString } from './net';
import { beforeNul, cString } from '../util/bytes';
import { ContentAbort, EvaluationAbort } from '../fields/abort';
import { concatenatePaths, MAX_PATH } from './paths';
import {
  parseAcceptExit, parseBindExit, parseConnectEnter, parseConnectExit, parseRwExit, parseSocketExit, inferSendtoFd,
  parseSocketpairExit, SocketState, swapAddresses,
} from './sockets';
import { splitNs } from '../util/time';
import { CANCELED_FD, CL, FDF, Fd, Thread, ThreadTable, tracerFlagsFor } from './threads';
import { spanTrackingWanted, TracerParser, TracerResult, TracerSpans } from './tracers';
import { fdOf } from './view';
import type { ContainerInfo, FdInfo, StateView } from './view';

const PPM_O_DIRECTORY = 1 << 10;
const PPM_AT_FDCWD = -100;
const CLONE_STALE_TIME_NS = 2000000000;
const TRACER_FD_FLAGS = FDF.TRACER_FD | FDF.TRACER_FILE;

/**
 * Events current libs mark as using an fd where 0.29.3 did not (or no longer);
 * applied to events written by current libs only.
 */
const MODERN_FD_FLAGS = new Map<number, number>([
  [51, 20], [55, 12], [77, 0], [160, 4], [161, 4], [162, 4], [163, 4], [181, 4], [303, 4], [305, 4], [313, 4], [317, 4],
]);

/**
 * Whether an event was written by current libs: it carries parameters that
 * sysdig 0.29.3 did not know, or has an id newer than 0.29.3. Such events
 * follow current libs' rules (exit events carry their fd and arguments).
 */
export function isModernEvent(ev: ScapEvent): boolean {
  return ev.nparams > KNOWN_PARAMS[ev.type];
}

/**
 * An fd of t's table, looked up the way sysdig's get_fd does: its name now
 * counts as the name before this event (fd.name_changed compares with it).
 */
function lookupFd(t: Thread, num: number): Fd | undefined {
  const f = fdOf(t, num) as Fd | undefined;
  if (f !== undefined) f.oldName = f.name;
  return f;
}

/**
 * Per event type: 1 for the meta events that carry no thread (container JSON,
 * and current libs' user/group table and async events): they never start
 * the capture's clock, and their fields see no thread.
 */
const THREADLESS_META = new Uint8Array(65536);
/**
 * Per event type: 1 for the events that, at the start of a capture, describe
 * its initial state: consumed while the file is opened, so counted but never
 * shown. sysdig 0.29.3 took container events; current libs also the user and
 * group tables (written as events in place of the user list block).
 */
const INITIAL_STATE = new Uint8Array(65536);
for (const t of [E.CONTAINER_JSON_E, E.CONTAINER_JSON_2_E, E.USER_ADDED_E, E.USER_DELETED_E, E.GROUP_ADDED_E, E.GROUP_DELETED_E, E.ASYNCEVENT_E]) {
  THREADLESS_META[t] = 1;
  INITIAL_STATE[t] = 1;
}
INITIAL_STATE[E.CONTAINER_E] = 1;
/** The container events sysdig reads while opening a capture, before it imports the process list. */
const LEADING_CONTAINER = new Uint8Array(65536);
LEADING_CONTAINER[E.CONTAINER_E] = LEADING_CONTAINER[E.CONTAINER_JSON_E] = LEADING_CONTAINER[E.CONTAINER_JSON_2_E] = 1;

/** Per event type: how many parameters sysdig 0.29.3 knows (-1: a newer id; max: never modern). */
const KNOWN_PARAMS = new Int32Array(65536).fill(0x7fffffff);
for (let t = 0; t < EVENTS.length; t++) {
  const info = EVENTS[t];
  if (!info) continue;
  if (info.sysdigParams !== undefined) KNOWN_PARAMS[t] = info.sysdigParams;
  else if (t >= 336 && info.params.length > 0) KNOWN_PARAMS[t] = -1;
}

/** Index of the fd an exit event operates on: its first fd-typed parameter after the result. */
function exitFdIndex(ev: ScapEvent): number {
  const ps = ev.info.params;
  for (let i = 1; i < ps.length && i < ev.nparams; i++) if (ps[i].type === 14 /* PT_FD */) return i;
  return -1;
}

/** Enter events whose copy the matching exit needs. */
const STORED_ENTERS = new Set<number>([
  E.SOCKET_SENDTO_E, E.SYSCALL_OPEN_E, E.SYSCALL_CREAT_E, E.SYSCALL_OPENAT_E, E.SYSCALL_OPENAT_2_E,
  E.SYSCALL_OPENAT2_E, E.SOCKET_SOCKET_E, E.SYSCALL_EVENTFD_E, E.SYSCALL_CHDIR_E, E.SYSCALL_FCHDIR_E,
  E.SOCKET_SHUTDOWN_E, E.SYSCALL_GETRLIMIT_E, E.SYSCALL_SETRLIMIT_E, E.SYSCALL_PRLIMIT_E, E.SOCKET_SENDMSG_E,
  E.SYSCALL_SENDFILE_E, E.SYSCALL_SETRESUID_E, E.SYSCALL_SETRESGID_E, E.SYSCALL_SETUID_E, E.SYSCALL_SETGID_E,
  E.SYSCALL_EXECVE_18_E, E.SYSCALL_EXECVE_19_E, E.SYSCALL_EXECVEAT_E, E.SYSCALL_SETPGID_E,
]);

const CLONE_EXITS = new Set<number>([
  E.SYSCALL_CLONE_11_X, E.SYSCALL_CLONE_16_X, E.SYSCALL_CLONE_17_X, E.SYSCALL_CLONE_20_X, E.SYSCALL_FORK_X,
  E.SYSCALL_FORK_17_X, E.SYSCALL_FORK_20_X, E.SYSCALL_VFORK_X, E.SYSCALL_VFORK_17_X, E.SYSCALL_VFORK_20_X,
  E.SYSCALL_CLONE3_X,
]);

const EXECVE_EXITS = new Set<number>([
  E.SYSCALL_EXECVE_8_X, E.SYSCALL_EXECVE_13_X, E.SYSCALL_EXECVE_14_X, E.SYSCALL_EXECVE_15_X,
  E.SYSCALL_EXECVE_16_X, E.SYSCALL_EXECVE_17_X, E.SYSCALL_EXECVE_18_X, E.SYSCALL_EXECVE_19_X, E.SYSCALL_EXECVEAT_X,
]);

const RW_EXITS = new Set<number>([
  E.SYSCALL_READ_X, E.SYSCALL_WRITE_X, E.SOCKET_RECV_X, E.SOCKET_SEND_X, E.SOCKET_RECVFROM_X, E.SOCKET_RECVMSG_X,
  E.SOCKET_SENDTO_X, E.SOCKET_SENDMSG_X, E.SYSCALL_READV_X, E.SYSCALL_WRITEV_X, E.SYSCALL_PREAD_X,
  E.SYSCALL_PWRITE_X, E.SYSCALL_PREADV_X, E.SYSCALL_PWRITEV_X,
]);

// Per event type, what the parser does with it: looked up by index instead
// of set membership on every event.
// OTHER: one of the PARSERS below.
const enum Route { NONE = 0, STORE_ENTER = 1, RW_EXIT = 2, CLONE_EXIT = 3, EXECVE_EXIT = 4, OTHER = 5 }
const ROUTES = new Uint8Array(65536);
type Parser = (e: StateEngine, ev: ScapEvent) => void;
/** Route.OTHER types' parsers (filled in StateEngine's static block, which sees its private members). */
const PARSERS: (Parser | undefined)[] = [];
for (const t of STORED_ENTERS) ROUTES[t] = Route.STORE_ENTER;
for (const t of RW_EXITS) ROUTES[t] = Route.RW_EXIT;
for (const t of CLONE_EXITS) ROUTES[t] = Route.CLONE_EXIT;
for (const t of EXECVE_EXITS) ROUTES[t] = Route.EXECVE_EXIT;

/** 1 where an event's first parameter is its result ('res' or 'fd'), whose negative value is the error. */
const RESULT_FIRST = new Uint8Array(65536);
for (let t = 0; t < EVENTS.length; t++) {
  const p0 = EVENTS[t]?.params[0]?.name;
  if (p0 === 'res' || p0 === 'fd') RESULT_FIRST[t] = 1;
}

/** Whether an enter event's path parameter is used over its exit's (sysdig: not empty, not "(NULL)"). */
function usablePath(e: ScapEvent, i: number): boolean { return e.paramLen(i) !== 0 && e.str(i) !== '(NULL)'; }

export class StateEngine implements StateView, SocketState, ThreadTable {
  readonly threadTable = new Map<number, Thread>();
  /**
   * sysdig's -E (set_import_users false): the capture's user and group
   * tables are not taken in, so user.name, group.name and the like are <NA>.
   */
  readonly importUsers: boolean;

  constructor(opts: { importUsers?: boolean } = {}) {
    this.importUsers = opts.importUsers ?? true;
  }

  /** The state of one replayed file, as a run's options (-E) ask. */
  static forRun(opts: { excludeUsers?: boolean }): StateEngine {
    return new StateEngine({ importUsers: !opts.excludeUsers });
  }
  readonly userTable = new Map<number, UserRecord>();
  readonly groupTable = new Map<number, GroupRecord>();
  readonly containerTable = new Map<string, ContainerInfo>();
  interfaceList: InterfaceRecord[] = [];
  machineRecord: MachineInfo | undefined;

  // Current event.
  /** Thread of the current event, once reset() found it. */
  curThread: Thread | undefined;
  private curTid = 0;
  fd: Fd | undefined;
  fdNum = -1;
  eventFlags = 0;
  /** Whether parsing the current event changed its fd's name (sysdig's fd.name_changed). */
  fdNameChanged = false;
  /** The last event processed was rejected by the capture filter (not state-only or initial). */
  rejectedByFilter = false;
  /**
   * The last event processed belongs to the capture's initial state, which
   * sysdig reads while it opens the capture: it never reaches sysdig's event
   * loop (no progress, no chisel timeouts, not the first or last timestamp).
   */
  get lastWasInitial(): boolean { return this.inInitialState; }
  /** Whether ev, next to be processed, belongs to the capture's initial state (see lastWasInitial). */
  opensCapture(ev: ScapEvent): boolean { return this.inInitialState && INITIAL_STATE[ev.type] === 1; }
  /**
   * Completes the state that opening a capture sets up (children counts, the
   * process list's fds, containers known only from cgroups), as sysdig has
   * it before its first event; for what runs before that event is
   * processed (a chisel's on_capture_start). process() does it when needed.
   */
  settleOpening(): void {
    if (!this.childrenCounted) this.countChildren();
    if (this.pendingStandIns !== null) this.addPendingStandIns();
  }
  private countChildren(): void {
    this.childrenCounted = true;
    this.recountChildren();
    this.finishProcListFds();
  }
  enterEvent: ScapEvent | undefined;
  /** sysdig's per-event error code (from a negative res/fd). */
  errorCode = 0;
  /** Events come from the kernel now, not from a file (tracer flags of saved writes are ignored). */
  live = false;
  /** Events are being saved (-w): writes to tracer fds stay, as the file must keep them. */
  dumping = false;
  /** Spans entered and not yet exited (span.*, evtin.* fields). */
  readonly spans = new TracerSpans();
  /** The current event is a write sysdig hides (the enter of a write to a tracer fd). */
  private hideEvent = false;
  /** Record of the tracer event standing for the current write, and the write itself. */
  private tracerRecord = Buffer.alloc(256);
  private readonly tracerWrite = new ScapEvent();

  private firstHi = 0;
  private firstLo = 0;
  private prevHi = 0;
  private prevLo = 0;
  private curHi = 0;
  private curLo = 0;
  private readonly tsSplit = { sec: 0, nsec: 0 };
  private hasFirst = false;
  // One-entry cache of thread lookups (consecutive events mostly share a tid).
  private cacheTid = NaN;
  private cacheThread: Thread | undefined;
  private cacheVer = -1;
  private tableVer = 0;
  private childrenCounted = false;
  private inInitialState = true;

  private tidToRemove = -1;
  /** The fds removed at the next event (a close exit's, a cancelled close's saved fd), and their thread. */
  private readonly fdsToRemove: number[] = [];
  private tidOfFdToRemove = -1;
  private readonly enterScratch = new ScapEvent();
  private lastCgroups: readonly string[] | undefined;
  private lastEngines: readonly CgroupContainer[] = [];
  /** Containers whose last container event recorded a failed lookup. */
  private readonly failedLookups = new Set<string>();
  private readonly isFailedLookup = (id: string): boolean => this.failedLookups.has(id);
  /**
   * Containers that threads of the process list belong to and the capture
   * has not described: they join the container table once the capture's
   * leading container events are in, as sysdig imports the process list
   * after reading those (the table's order shows in chisels).
   */
  private pendingStandIns: CgroupContainer[] | null = null;
  /** Ports of the server sockets in the capture's fd lists (sysdig's m_server_ports). */
  private readonly serverPorts = new Set<number>();
  /**
   * While the process list is imported: per thread, the socket union its
   * last fd left (sysdig builds a thread's fds in one object: ./sockinfo).
   */
  private readonly importSock = new Map<number, Buffer | null>();

  /**
   * Thread of the current event. Events the parser skips (scheduler, page
   * faults) still resolve their thread by tid, as sysdig's fields do.
   */
  get thread(): Thread | undefined {
    return this.curThread ?? this.threadTable.get(this.curTid);
  }

  get eventThread(): Thread | undefined { return this.curThread; }

  get threads(): ReadonlyMap<number, Thread> { return this.threadTable; }

  // First and previous event times, split on demand.
  get firstSec(): number { splitNs(this.firstHi, this.firstLo, this.tsSplit); return this.tsSplit.sec; }
  get firstNsec(): number { splitNs(this.firstHi, this.firstLo, this.tsSplit); return this.tsSplit.nsec; }
  get prevSec(): number { splitNs(this.prevHi, this.prevLo, this.tsSplit); return this.tsSplit.sec; }
  get prevNsec(): number { splitNs(this.prevHi, this.prevLo, this.tsSplit); return this.tsSplit.nsec; }
  get users(): ReadonlyMap<number, UserRecord> { return this.userTable; }
  get groups(): ReadonlyMap<number, GroupRecord> { return this.groupTable; }
  get containers(): ReadonlyMap<string, ContainerInfo> {
    if (this.pendingStandIns !== null) this.addPendingStandIns();
    return this.containerTable;
  }
  get interfaces(): readonly InterfaceRecord[] { return this.interfaceList; }
  get machine(): MachineInfo | undefined { return this.machineRecord; }

  // ---- CaptureSink: initial state from the capture's header blocks ----

  machineInfo(mi: MachineInfo): void { this.machineRecord = mi; }

  thread_(r: ThreadRecord): void { this.addThread(Thread.fromRecord(r), true); }

  fdRecord(tid: number, r: FdRecord): void {
    const t = this.threadTable.get(tid);
    if (t) this.adoptFd(t, r);
  }

  private adoptFd(t: Thread, r: FdRecord): Fd | undefined {
    const f = Fd.fromRecord(r, this.importSock.get(t.tid) ?? null);
    if (!f) return undefined;
    this.importSock.set(t.tid, f.sharedSock());
    if (f.type === FdType.IPV4_SERVSOCK || f.type === FdType.IPV6_SERVSOCK) this.serverPorts.add(f.sport);
    t.ownFds.set(r.fd, f);
    return f;
  }

  /**
   * Imports a thread of the capture's process list and its fds, the way
   * sysdig does with --filter-proclist: before the thread joins the table,
   * `keep` is asked about each fd, with the thread and that fd current for a
   * read exit without parameters (sysdig's stand-in event). Returns the fds
   * kept; a thread with none is left out of a saved process list. The
   * thread's container is known then, as in sysdig (the caller gives the
   * users, groups and interfaces after the threads, as sysdig imports them).
   */
  importThreadFiltered(r: ThreadRecord, fds: readonly FdRecord[], keep: (ev: ScapEvent) => boolean): FdRecord[] {
    const t = Thread.fromRecord(r);
    t.table = this;
    if (t.cgroups.length) this.resolveContainer(t, true);
    const ev = this.standInRead(t.tid);
    const kept: FdRecord[] = [];
    const was = { thread: this.curThread, tid: this.curTid, fd: this.fd, fdNum: this.fdNum, flags: this.eventFlags, last: t.lastEventFd };
    try {
      for (const fr of fds) {
        this.curThread = t; this.curTid = t.tid;
        this.fd = this.adoptFd(t, fr); this.fdNum = fr.fd; this.eventFlags = ev.info.flags;
        t.lastEventFd = fr.fd;
        if (keep(ev)) kept.push(fr);
      }
    } finally {
      this.curThread = was.thread; this.curTid = was.tid; this.fd = was.fd; this.fdNum = was.fdNum; this.eventFlags = was.flags;
      t.lastEventFd = was.last;
    }
    this.addThread(t, true);
    return kept;
  }

  /** A read exit of thread tid at time 0 with no parameters. */
  private standInRead(tid: number): ScapEvent {
    const b = Buffer.alloc(EVENT_HEADER_LEN);
    b.writeBigInt64LE(BigInt(tid), 8);
    b.writeUInt16LE(E.SYSCALL_READ_X, 20);
    const ev = new ScapEvent();
    ev.set(b, 0, 0, 0, 0);
    return ev;
  }

  interfaces_(list: InterfaceRecord[]): void { this.interfaceList = list; }

  users_(users: UserRecord[], groups: GroupRecord[]): void {
    if (!this.importUsers) return;
    for (const u of users) this.userTable.set(u.uid, u);
    for (const g of groups) this.groupTable.set(g.gid, g);
  }

  /** The sink to hand a reader (method names differ from the view's). */
  sink(): CaptureSink {
    return {
      machineInfo: (mi) => this.machineInfo(mi),
      thread: (t) => this.thread_(t),
      fd: (tid, f) => this.fdRecord(tid, f),
      interfaces: (l) => this.interfaces_(l),
      users: (u, g) => this.users_(u, g),
    };
  }

  // ---- StateView helpers ----

  mainThread(t: Thread): Thread | undefined { return t.main(); }

  mainThreadOf(pid: number): Thread | undefined {
    return this.threadTable.get(pid) ?? this.getThread(pid, true);
  }

  parent(t: Thread): Thread | undefined {
    const m = t.main() ?? t;
    return this.threadTable.get(m.ptid);
  }

  private addThread(t: Thread, fromProcList = false): void {
    t.table = this;
    if (t.cgroups.length) this.resolveContainer(t, fromProcList);
    if (!fromProcList) this.countChild(t);
    this.threadTable.set(t.tid, t);
    this.tableVer++;
  }

  /** A new thread of a process holds its main thread (sysdig's child count). */
  private countChild(t: Thread): void {
    if (!(t.flags & CL.CLONE_THREAD)) return;
    const m = this.getThread(t.pid, true);
    if (m && m !== t) m.nchilds++;
  }

  /**
   * Finishes the fds of the capture's fd lists as sysdig imports them, thread
   * by thread in process-list order:
   * - IPv4 sockets whose source port is a known server port are turned
   *   around so the server end comes second;
   * - sysdig builds every entry in one reused fd object and sets its device
   *   only for files, so an fd of another type keeps the device of the file
   *   imported before it (fd.dev of a pipe is then that file's).
   */
  private finishProcListFds(): void {
    this.importSock.clear();
    let dev = 0;
    for (const t of this.threadTable.values()) {
      for (const f of t.ownFds.values()) {
        if (f.type === FdType.FILE_V2) dev = f.dev;
        else f.dev = dev;
        if (f.type !== FdType.IPV4_SOCK || !f.sip || !f.dip) continue;
        if (this.serverPorts.has(f.sport)) {
          swapAddresses(f);
          f.name = tupleString(f.sip!, f.sport, f.dip!, f.dport, f.l4proto);
          f.role = 'server';
        } else f.role = 'client';
      }
    }
  }

  private recountChildren(): void {
    for (const t of this.threadTable.values()) t.nchilds = 0;
    for (const t of [...this.threadTable.values()]) this.countChild(t);
  }

  /** The thread's container from its cgroups, as sysdig's container engines find it (./containers). */
  private resolveContainer(t: Thread, fromProcList = false): void {
    // threads mostly share their cgroup list (see Thread.setCgroups): one-entry cache
    if (t.cgroups !== this.lastCgroups) {
      this.lastCgroups = t.cgroups;
      this.lastEngines = containerEnginesFromCgroups(t.cgroups);
    }
    const { id, claimed: c } = claimContainer(this.lastEngines, this.isFailedLookup);
    t.containerId = id;
    // a container the capture has not described (yet): sysdig's stand-in record
    if (c && c.standIn && !this.containerTable.has(c.id)) {
      if (fromProcList) (this.pendingStandIns ??= []).push(c);
      else this.containerTable.set(c.id, standInContainer(c.id, c.standIn));
    }
  }

  private addPendingStandIns(): void {
    const list = this.pendingStandIns!;
    this.pendingStandIns = null;
    for (const c of list) if (!this.containerTable.has(c.id)) this.containerTable.set(c.id, standInContainer(c.id, c.standIn!));
  }

  /** Finds a thread; if unknown and `create`, adds a placeholder as sysdig does for captures. */
  private getThread(tid: number, create: boolean): Thread | undefined {
    if (tid === this.cacheTid && this.cacheVer === this.tableVer && this.cacheThread) return this.cacheThread;
    let t = this.threadTable.get(tid);
    if (t) { this.cacheTid = tid; this.cacheThread = t; this.cacheVer = this.tableVer; }
    if (!t && create) {
      t = Thread.fake(tid);
      for (const o of this.threadTable.values()) if (o.pid === tid) t.nchilds++;
      this.addThread(t);
    }
    return t;
  }

  // ---- Per-event processing ----

  /**
   * Updates state for ev. Returns true if the event passes: it is not
   * state-only, not part of the capture's initial state, and matches the
   * capture filter. The filter runs where sysdig runs it: before parsing for
   * events that do not change state (a rejected enter event then leaves its
   * exit unpaired, as in sysdig), after parsing for those that do.
   */
  process(ev: ScapEvent, filter?: () => boolean): boolean {
    const type = ev.type;
    if (!this.childrenCounted) this.countChildren();
    if (this.pendingStandIns !== null && !LEADING_CONTAINER[type]) this.addPendingStandIns();
    if (!this.hasFirst && THREADLESS_META[type] === 0) {
      this.hasFirst = true;
      this.firstHi = ev.tsHi; this.firstLo = ev.tsLo;
      this.curHi = ev.tsHi; this.curLo = ev.tsLo;
    }
    this.prevHi = this.curHi; this.prevLo = this.curLo;
    this.curHi = ev.tsHi; this.curLo = ev.tsLo;

    // Removals are delayed by one event so exit/close lines still resolve names.
    if (this.tidToRemove !== -1) { this.removeThread(this.tidToRemove, false); this.tidToRemove = -1; }
    if (this.fdsToRemove.length !== 0) {
      const t = this.threadTable.get(this.tidOfFdToRemove);
      if (t) for (const n of this.fdsToRemove) t.fds.delete(n);
      this.fdsToRemove.length = 0;
    }

    // Events that open a capture describing its initial state (INITIAL_STATE)
    // are consumed while the file is opened: they count but are never shown
    // (whatever the filter says).
    const initial = this.inInitialState && INITIAL_STATE[type] === 1;
    if (!initial) this.inInitialState = false;
    this.enterEvent = undefined;
    this.rejectedByFilter = false;
    this.fdNameChanged = false; // a filter sees false: sysdig computes it after filtering (and after parsing)
    this.reset(ev);
    if (filter && !initial) {
      // With a filter, sysdig checks a write's fd for tracer markers first,
      // looking it up from the thread even when the write's enter was filtered out.
      let modifies = (ev.info.flags & EF.MODIFIES_STATE) !== 0;
      if (type === E.SYSCALL_WRITE_X) {
        if (!this.fd && this.curThread) {
          this.fd = lookupFd(this.curThread, this.curThread.lastEventFd);
          if (this.fd) this.fdNum = this.curThread.lastEventFd;
        }
        // a possible tracer is filtered once it is known to be one
        if (this.fd && this.fd.flags & TRACER_FD_FLAGS) modifies = true;
        else if (!this.live && ev.blockFlags & DF_TRACER) { this.fd = undefined; modifies = true; }
      }
      if (modifies) {
        this.route(ev);
        this.hideEvent = false; // the filter runs after parsing: a pass shows the event (sysdig's mark is cleared)
        if (!filter()) { this.rejectedByFilter = true; return false; }
      } else if (!filter()) {
        const t = this.curThread;
        if (t && !(ev.info.flags & EF.SKIPPARSERESET) && type !== E.SCHEDSWITCH_6_E) t.lastEventType = -1;
        this.rejectedByFilter = true;
        return false;
      } else this.route(ev);
    } else this.route(ev);
    // sysdig sets its filter before opening the capture, so the filter also
    // runs on the events read while opening (after parsing them, even one a
    // failed container lookup hides); only an error it raises shows
    if (initial) { this.hideEvent = false; if (filter) filter(); return false; }
    if (this.hideEvent) { this.hideEvent = false; return false; }
    this.fdNameChanged = this.fd !== undefined && this.fd.name !== this.fd.oldName;
    if (ev.blockFlags & DF_STATE_ONLY) return false;
    // An exit that comes through ends its thread's stored enter (sysdig's
    // event_cleanup): a later exit never pairs with it, e.g. an F_GETFD
    // after an F_DUPFD (only the latter's enter is stored). Exits filtered
    // out or state-only leave it, as in sysdig.
    if (!ev.info.enter && this.curThread !== undefined && ev.original === undefined) this.curThread.lastEnterLen = 0;
    return true;
  }

  private reset(ev: ScapEvent): boolean {
    const type = ev.type;
    const modern = isModernEvent(ev);
    let eflags = ev.info.flags;
    if (modern) { const m = MODERN_FD_FLAGS.get(type); if (m !== undefined) eflags = (eflags & ~0x1f) | m; }
    this.eventFlags = eflags;
    this.fd = undefined;
    this.fdNum = -1;
    this.errorCode = 0;
    this.curTid = ev.tid;

    if (eflags & EF.SKIPPARSERESET) {
      this.curThread = type === E.PROCINFO_E ? this.threadTable.get(ev.tid) : undefined;
      return false;
    }
    if (THREADLESS_META[type] === 1) { this.curThread = undefined; return true; }
    const queryOs = !(ROUTES[type] === Route.CLONE_EXIT || type === E.SCHEDSWITCH_6_E);
    const t = this.getThread(ev.tid, queryOs);
    this.curThread = t;
    if (type === E.SCHEDSWITCH_6_E || !t) return false;
    if (queryOs) t.flags |= CL.ACTIVE;

    if (ev.info.enter) {
      t.lastEventFd = -1;
      t.lastEventType = type;
      if (eflags & EF.USES_FD && ev.nparams > 0) {
        // mmap's fd is its 5th param (it uses an fd only in current libs' events);
        // splice's is fd_in, the first, as sysdig 0.29.3 reads it (current libs take fd_out)
        const at = (type === E.SYSCALL_MMAP_E || type === E.SYSCALL_MMAP2_E) ? 4 : 0;
        t.lastEventFd = at < ev.nparams ? ev.s(at) : -1;
        this.fdNum = t.lastEventFd;
        this.fd = lookupFd(t, t.lastEventFd);
      }
      t.latencyNs = 0;
      t.latencyEnterHi = ev.tsHi; t.latencyEnterLo = ev.tsLo; t.hasLatencyEnter = true;
      return true;
    }

    if (t.hasLatencyEnter) t.latencyNs = ev.nsSince(t.latencyEnterHi, t.latencyEnterLo);
    // fd.num is the thread's last event fd whatever happens below (sysdig's
    // m_lastevent_fd), also for an exit whose enter was filtered out or lost.
    this.fdNum = t.lastEventFd;
    if (type === t.lastEventType + 1) t.lastEnterValid = true;
    else {
      t.lastEnterValid = false;
      // Current libs write exit events that stand alone; 0.29.3 gave up here.
      if (modern) this.fdNum = t.lastEventFd = -1;
      else if (t.lastEventType !== E.TRACER_E) return false;
    }
    if (ev.nparams > 0 && RESULT_FIRST[type] === 1) {
      const res = ev.s(0);
      if (res < 0) this.errorCode = -res;
    }
    if (eflags & EF.USES_FD) {
      if (type === E.SYSCALL_COPY_FILE_RANGE_X && ev.nparams > 1) t.lastEventFd = ev.s(1);
      if (modern && t.lastEventFd === -1) {
        const i = exitFdIndex(ev);
        if (i >= 0 && ev.paramLen(i) > 0) t.lastEventFd = ev.s(i);
      }
      this.fdNum = t.lastEventFd;
      this.fd = lookupFd(t, t.lastEventFd);
      if (!this.fd) return false;
      // An fd created between a close's enter and exit cancelled that close
      // (addFd); the next exit on it, the close's own included, ends the
      // cancellation and drops the fd the close was closing, so the close
      // exit then removes the new fd (sysdig's reset).
      if (this.fd.flags & FDF.CLOSE_CANCELED) {
        this.fd.flags &= ~FDF.CLOSE_CANCELED;
        this.removeCanceled(t);
      }
    }
    return true;
  }

  // ---- Tracers (./tracers) ----

  /**
   * The tracer part of a read/write exit (sysdig's detect_and_process_tracer_write).
   * Returns true when the exit was taken as a tracer write and needs no other parsing.
   */
  private tracerExit(ev: ScapEvent): boolean {
    const f = this.fd;
    if (f === undefined) {
      // a write saved by -w as a tracer, whose fd the file does not know
      if (!this.live && ev.blockFlags & DF_TRACER) this.parseTracer(ev, false);
      return true;
    }
    if (f.flags & FDF.NOT_TRACER) return false;
    if (f.flags & FDF.TRACER_FD) { this.parseTracer(ev, true); return true; }
    if (f.flags & FDF.TRACER_FILE && ev.info.flags & EF.WRITES_TO_FD) {
      const r = this.parseTracer(ev, false);
      if (r === TracerResult.OK) { f.flags |= FDF.TRACER_FD; return true; }
      if (r === TracerResult.FAILED) f.flags |= FDF.NOT_TRACER;
    }
    return false;
  }

  /**
   * Parses the data of a tracer write and, when it is a whole tracer (or a
   * bad one on a known tracer fd), turns the event into a tracer event.
   */
  private parseTracer(ev: ScapEvent, tracerFd: boolean): TracerResult {
    const t = this.curThread;
    if (t === undefined) return TracerResult.FAILED;
    const p = t.tracer ?? (t.tracer = new TracerParser());
    const off = ev.nparams > 1 ? ev.paramOff(1) : 0;
    const len = ev.nparams > 1 ? ev.paramLen(1) : 0;
    if (!this.spans.tracking) this.spans.tracking = spanTrackingWanted();
    const ts = (BigInt(ev.tsHi) << 32n) | BigInt(ev.tsLo);
    const r = p.process(ev.buf, off, len, { tid: t.tid, pid: t.pid, ptid: t.ptid }, ts, this.spans);
    // an unfinished tracer's write is not shown (unless saved, or a filter
    // passes it: sysdig's later filter run clears the mark)
    if (r === TracerResult.TRUNCATED) { if (!this.dumping) this.hideEvent = true; return r; }
    let type: number;
    if (r === TracerResult.OK) {
      type = p.typeChar === 0x3e ? E.TRACER_E : E.TRACER_X;
    } else {
      if (!tracerFd) return r;
      // a bad tracer on a tracer fd: an enter whose one tag tells what was
      // written (a C string: a NUL in the data ends it, ", lenN" included)
      p.tags = [beforeNul('invalid tracer ' + ev.buf.toString('latin1', off, off + len) + ', len' + len)];
      p.argNames = []; p.argVals = [];
      type = E.TRACER_E;
    }
    this.substituteTracer(ev, type, r === TracerResult.OK ? p.id : 0, p);
    t.lastEventFd = -1;
    t.lastEventType = E.TRACER_E;
    t.latencyNs = 0;
    t.hasLatencyEnter = false;
    // sysdig re-inits the event: the tracer event has no fd, and fields that
    // read the event's own thread (not a lookup by tid) see none
    this.fd = undefined;
    this.fdNum = -1;
    this.curThread = undefined;
    return r;
  }

  /** Points ev at a tracer record (id, tags, args) built from p; ev.original keeps the write. */
  private substituteTracer(ev: ScapEvent, type: number, id: number | bigint, p: TracerParser): void {
    const id8 = Buffer.alloc(8);
    id8.writeBigInt64LE(BigInt(id));
    let tags = '', args = '';
    for (const s of p.tags) tags += s + '\0';
    for (let i = 0; i < p.argNames.length; i++) args += p.argNames[i] + '\0' + (p.argVals[i] ?? '') + '\0';
    const values = [id8, Buffer.from(tags, 'latin1'), Buffer.from(args, 'latin1')];
    const size = recordLength(values, 2);
    if (this.tracerRecord.length < size) this.tracerRecord = Buffer.alloc(size * 2);
    writeRecord(this.tracerRecord, 0, ev.buf, ev.off, type, values, 2);
    const w = this.tracerWrite;
    w.set(ev.buf, ev.off, ev.cpu, ev.blockFlags | DF_TRACER, ev.num);
    ev.set(this.tracerRecord, 0, ev.cpu, ev.blockFlags, ev.num);
    ev.original = w;
    this.eventFlags = ev.info.flags;
  }

  private storeEnter(ev: ScapEvent): void {
    const t = this.curThread;
    if (!t) return;
    if (!t.lastEnter || t.lastEnter.length < ev.len) t.lastEnter = Buffer.allocUnsafe(Math.max(ev.len, 512));
    const n = ev.len, src = ev.buf, dst = t.lastEnter, o = ev.off;
    // most enter events are a few dozen bytes: a plain loop beats Buffer.copy's call overhead there
    if (n <= 64) for (let i = 0; i < n; i++) dst[i] = src[o + i];
    else src.copy(dst, 0, o, o + n);
    t.lastEnterLen = ev.len;
    t.lastEnterCpu = ev.cpu;
  }

  /** The current thread's stored enter event, while valid. */
  private storedEnter(): ScapEvent | undefined {
    const t = this.curThread;
    if (!t || !t.lastEnterValid || !t.lastEnter || t.lastEnterLen === 0) return undefined;
    const e = this.enterScratch;
    e.set(t.lastEnter, 0, t.lastEnterCpu, 0, 0);
    return e;
  }

  storedEnterFor(ev: ScapEvent): ScapEvent | undefined {
    const e = this.storedEnter();
    return e !== undefined && e.type === ev.type - 1 ? e : undefined;
  }

  /** The stored enter event matching exit event ev, if valid (one of another type is given up). */
  retrieveEnter(ev: ScapEvent): ScapEvent | undefined {
    const e = this.storedEnter();
    if (e === undefined) return undefined;
    if (e.type !== ev.type - 1) { this.curThread!.lastEnterValid = false; return undefined; }
    this.enterEvent = e;
    return e;
  }

  private route(ev: ScapEvent): void {
    switch (ROUTES[ev.type]) {
      case Route.NONE: return;
      case Route.STORE_ENTER: this.storeEnter(ev); return;
      case Route.RW_EXIT: if (!this.tracerExit(ev)) parseRwExit(this, ev); return;
      case Route.CLONE_EXIT: this.parseCloneExit(ev); return;
      case Route.EXECVE_EXIT: this.parseExecveExit(ev); return;
      default: PARSERS[ev.type]!(this, ev);
    }
  }

  // The parsers of the other state-changing events, one small function per
  // event type (a table, not a switch: each is optimized on its own when it
  // gets hot, and the dispatch stays small).
  static {
    const on = (types: number[], fn: Parser): void => {
      for (const t of types) { PARSERS[t] = fn; ROUTES[t] = Route.OTHER; }
    };
    on([E.SYSCALL_OPEN_X, E.SYSCALL_CREAT_X, E.SYSCALL_OPENAT_X, E.SYSCALL_OPENAT_2_X, E.SYSCALL_OPENAT2_X], (e, ev) => e.parseOpenExit(ev));
    on([E.PROCEXIT_E, E.PROCEXIT_1_E], (e, ev) => {
      if (e.curThread) { e.curThread.flags |= CL.CLOSED; e.tidToRemove = ev.tid; }
    });
    on([E.SYSCALL_PIPE_X, E.SYSCALL_PIPE2_X], (e, ev) => e.parsePipeExit(ev));
    on([E.SOCKET_SOCKET_X], (e, ev) => parseSocketExit(e, ev));
    on([E.SOCKET_SENDTO_E], (e, ev) => { inferSendtoFd(e, ev); e.storeEnter(ev); });
    on([E.SOCKET_BIND_X], (e, ev) => parseBindExit(e, ev));
    on([E.SOCKET_CONNECT_E], (e, ev) => parseConnectEnter(e, ev));
    on([E.SOCKET_CONNECT_X], (e, ev) => parseConnectExit(e, ev));
    on([E.SOCKET_ACCEPT_X, E.SOCKET_ACCEPT_5_X, E.SOCKET_ACCEPT4_X, E.SOCKET_ACCEPT4_5_X, E.SOCKET_ACCEPT4_6_X], (e, ev) => parseAcceptExit(e, ev));
    on([E.SYSCALL_CLOSE_E], (e) => {
      if (e.curThread) {
        e.fd = lookupFd(e.curThread, e.curThread.lastEventFd);
        if (e.fd) e.fd.flags |= FDF.CLOSE_IN_PROGRESS;
      }
    });
    on([E.SYSCALL_CLOSE_X], (e, ev) => e.parseCloseExit(ev));
    // the enter of a write to a tracer fd is not shown (its exit becomes the tracer event)
    on([E.SYSCALL_WRITE_E], (e) => {
      if (!e.dumping && e.curThread && e.fd && e.fd.flags & FDF.TRACER_FD) e.hideEvent = true;
    });
    on([E.SYSCALL_FCNTL_E], (e, ev) => {
      if (e.curThread && ev.nparams > 1) {
        const cmd = ev.u(1) & 0xff;
        if (cmd === 1 || cmd === 26) e.storeEnter(ev);
      }
    });
    on([E.SYSCALL_FCNTL_X], (e, ev) => {
      const res = ev.s(0);
      const enter = e.retrieveEnter(ev);
      const cmd = enter ? (enter.nparams > 1 ? enter.u(1) & 0xff : -1) : ev.nparams > 2 ? ev.u(2) & 0xff : -1;
      if (cmd !== 1 && cmd !== 26) return;
      if (res >= 0 && e.fd && e.curThread) e.addFd(res, e.fd.copy());
    });
    on([E.SYSCALL_EVENTFD_X, E.SYSCALL_EVENTFD2_X], (e, ev) => e.simpleFd(ev, FdType.EVENT));
    on([E.SYSCALL_SIGNALFD_X, E.SYSCALL_SIGNALFD4_X], (e, ev) => e.simpleFd(ev, FdType.SIGNALFD));
    on([E.SYSCALL_TIMERFD_CREATE_X], (e, ev) => e.simpleFd(ev, FdType.TIMERFD));
    on([E.SYSCALL_INOTIFY_INIT_X, E.SYSCALL_INOTIFY_INIT1_X], (e, ev) => e.simpleFd(ev, FdType.INOTIFY));
    on([E.SYSCALL_EPOLL_CREATE_X, E.SYSCALL_EPOLL_CREATE1_X], (e, ev) => e.simpleFd(ev, FdType.EVENTPOLL));
    // (userfaultfd's exit creates no fd: sysdig 0.29.3 does not parse it, though current libs do)
    on([E.SYSCALL_CHDIR_X], (e, ev) => {
      if (e.curThread && ev.s(0) >= 0 && ev.nparams > 1) e.curThread.setCwd(ev.bytes(1), concatenatePaths);
    });
    // a successful getcwd tells the working directory (sysdig takes it, relative to the one it had)
    on([E.SYSCALL_GETCWD_X], (e, ev) => {
      if (e.curThread && ev.s(0) >= 0 && ev.nparams > 1) e.curThread.setCwd(ev.bytes(1), concatenatePaths);
    });
    on([E.SYSCALL_FCHDIR_X], (e, ev) => {
      if (ev.s(0) >= 0 && e.fd && e.curThread) e.curThread.setCwd(e.fd.name, concatenatePaths);
    });
    on([E.SYSCALL_DUP_X, E.SYSCALL_DUP_1_X, E.SYSCALL_DUP2_X, E.SYSCALL_DUP3_X], (e, ev) => e.parseDupExit(ev));
    on([E.SOCKET_SOCKETPAIR_X], (e, ev) => parseSocketpairExit(e, ev));
    on([E.SYSCALL_SETUID_X], (e, ev) => e.setId(ev, 'uid', false));
    on([E.SYSCALL_SETRESUID_X], (e, ev) => e.setId(ev, 'uid', true));
    on([E.SYSCALL_SETGID_X], (e, ev) => e.setId(ev, 'gid', false));
    on([E.SYSCALL_SETRESGID_X], (e, ev) => e.setId(ev, 'gid', true));
    on([E.SYSCALL_PRLIMIT_X, E.SYSCALL_GETRLIMIT_X, E.SYSCALL_SETRLIMIT_X], (e, ev) => e.parseRlimit(ev));
    on([E.SYSCALL_BRK_4_X, E.SYSCALL_MMAP_X, E.SYSCALL_MMAP2_X, E.SYSCALL_MUNMAP_X], (e, ev) => {
      if (e.curThread && ev.nparams >= 4) {
        e.curThread.vmsizeKb = ev.u(1); e.curThread.vmrssKb = ev.u(2); e.curThread.vmswapKb = ev.u(3);
      }
    });
    on([E.SCHEDSWITCH_1_E, E.SCHEDSWITCH_6_E], (e, ev) => {
      if (e.curThread && ev.nparams >= 6) {
        const t = e.curThread;
        t.pfmajor = ev.u64(1); t.pfminor = ev.u64(2);
        const m = t.main();
        if (m) { m.vmsizeKb = ev.u(3); m.vmrssKb = ev.u(4); m.vmswapKb = ev.u(5); }
      }
    });
    on([E.CONTAINER_E], (e, ev) => e.parseOldContainer(ev));
    on([E.CONTAINER_JSON_E, E.CONTAINER_JSON_2_E], (e, ev) => {
      if (ev.nparams === 0) return;
      const json = ev.bytes(0).toString('latin1');
      const r = containerFromJson(json);
      // sysdig's run ends on JSON it cannot take: with its message for text
      // jsoncpp refuses (the JSON up to its NUL), without a word for a value
      // of the wrong type or nesting too deep (scry says which, on one line)
      if ('invalid' in r) throw new EvaluationAbort('Invalid JSON encountered while parsing container info: ' + beforeNul(json));
      if ('logicError' in r) throw new ContentAbort(`container event ${ev.num}: JSON sysdig stops on (${r.logicError})`);
      const c = r.info;
      // a failed lookup is recorded but its event is not shown
      if (!r.successful && !e.dumping) e.hideEvent = true;
      e.recordContainer(c, r.successful);
      // The event belongs to a stand-in thread named after the container
      // (its ptid is never set in sysdig: 0 here, what it mostly reads).
      const t = new Thread();
      t.tid = -1; t.pid = -1; t.ptid = 0; t.vtid = -2; t.vpid = -2; t.fdlimit = -1; t.loginuid = 0;
      t.comm = 'container:' + c.id; t.containerId = c.id; t.containerEventThread = true;
      e.curThread = t;
    });
    // Current libs' user and group tables as events. Users and groups of a
    // container (a container id in the event) are not kept: scry's user.* and
    // group.* fields resolve host ids only.
    on([E.USER_ADDED_E, E.USER_DELETED_E], (e, ev) => {
      if (ev.nparams < 6 || ev.str(5) !== '' || !e.importUsers) return;
      const uid = ev.u(0);
      if (ev.type === E.USER_DELETED_E) { e.userTable.delete(uid); return; }
      e.userTable.set(uid, { uid, gid: ev.u(1), name: ev.str(2), homedir: ev.str(3), shell: ev.str(4) });
    });
    on([E.GROUP_ADDED_E, E.GROUP_DELETED_E], (e, ev) => {
      if (ev.nparams < 3 || ev.str(2) !== '' || !e.importUsers) return;
      const gid = ev.u(0);
      if (ev.type === E.GROUP_DELETED_E) { e.groupTable.delete(gid); return; }
      e.groupTable.set(gid, { gid, name: ev.str(1) });
    });
    on([E.SYSCALL_CHROOT_X], (e, ev) => {
      if (e.curThread && ev.s(0) === 0 && ev.nparams > 1) {
        const m = e.curThread.main();
        if (m) m.root = concatenatePaths(e.curThread.getCwd(), ev.bytes(1));
      }
    });
    // its enter has no fd: the exit names it (sysdig looks it up in the main thread's table)
    on([E.SOCKET_GETSOCKOPT_X], (e, ev) => {
      const t = e.curThread;
      if (!t || ev.nparams < 2) return;
      const fd = ev.s(1);
      e.fd = lookupFd(t.main() ?? t, fd);
      e.fdNum = t.lastEventFd = fd;
    });
    on([E.SYSCALL_SETSID_X], (e, ev) => {
      if (e.curThread && ev.s(0) >= 0) e.curThread.sid = ev.s(0);
    });
  }

  /** Removes a thread; one still holding children stays unless forced (sysdig keeps it for them). */
  private removeThread(tid: number, force = true): void {
    const t = this.threadTable.get(tid);
    if (!t) return;
    const n = t.nchilds;
    if (n !== 0 && !force) return;
    if (t.flags & CL.CLONE_THREAD) {
      const m = this.threadTable.get(t.pid);
      if (m && m.nchilds > 0) m.nchilds--;
    }
    this.threadTable.delete(tid);
    this.tableVer++;
    if (n !== 0) this.recountChildren();
  }

  isModern(ev: ScapEvent): boolean { return isModernEvent(ev); }

  /** Drops, at the next event, the fd a cancelled close was closing (sysdig's erase of CANCELED_FD_NUMBER). */
  private removeCanceled(t: Thread): void {
    if (!t.fds.has(CANCELED_FD)) return;
    this.tidOfFdToRemove = t.tid;
    this.fdsToRemove.push(CANCELED_FD);
  }

  addFd(num: number, f: Fd): Fd {
    f.fd = num;
    const t = this.curThread!;
    t.lastEventFd = num; // as sysdig's threadinfo add_fd
    const fds = t.fds;
    const old = fds.get(num);
    // An fd reused between a close's enter and exit cancels that close; the
    // fd being closed is kept aside (still counted) until the cancellation ends.
    if (old && old.flags & FDF.CLOSE_IN_PROGRESS) {
      f.flags = (f.flags & ~FDF.CLOSE_IN_PROGRESS) | FDF.CLOSE_CANCELED;
      fds.set(CANCELED_FD, old);
    }
    fds.set(num, f);
    this.fd = f;
    this.fdNum = num;
    return f;
  }

  private simpleFd(ev: ScapEvent, type: FdType): void {
    if (!this.curThread) return;
    const res = ev.s(0);
    if (res < 0) return;
    const f = new Fd();
    f.type = type;
    this.addFd(res, f);
  }

  private parseOpenExit(ev: ScapEvent): void {
    const t = this.curThread;
    if (!t) return;
    const type = ev.type;
    const enter = this.retrieveEnter(ev);
    const fd = ev.s(0);
    // the event and index of the path parameter used (the enter's when usable, as sysdig)
    let src = ev, at: number;
    let flags = 0;
    let dev = 0;
    let dirfd = 0;
    if (type === E.SYSCALL_OPEN_X) {
      at = 1; flags = ev.u(2);
      if (ev.nparams > 4) dev = ev.u(4);
      if (enter && enter.nparams >= 2 && usablePath(enter, 0)) { src = enter; at = 0; flags = enter.u(1); }
    } else if (type === E.SYSCALL_CREAT_X) {
      at = 1;
      if (ev.nparams > 3) dev = ev.u(3);
      if (enter && enter.nparams >= 1 && usablePath(enter, 0)) { src = enter; at = 0; flags = 0; }
    } else if (type === E.SYSCALL_OPENAT_X) {
      if (!enter) return;
      src = enter; at = 1; flags = enter.u(2); dirfd = enter.s(0);
    } else {
      at = 2; flags = ev.u(3); dirfd = ev.s(1);
      if (type === E.SYSCALL_OPENAT_2_X && ev.nparams > 5) dev = ev.u(5);
      if (enter && enter.nparams >= 3 && usablePath(enter, 1)) { src = enter; at = 1; flags = enter.u(2); dirfd = enter.s(0); }
    }
    const name = src.cbytes(at);
    const dir = type === E.SYSCALL_OPEN_X || type === E.SYSCALL_CREAT_X ? t.getCwd() : this.dirOf(t, name, dirfd);
    const full = concatenatePaths(dir, name, MAX_PATH, src.paramLen(at));
    if (fd >= 0) {
      const f = new Fd();
      f.type = flags & PPM_O_DIRECTORY ? FdType.DIRECTORY : FdType.FILE_V2;
      f.openFlags = flags;
      f.dev = dev;
      f.name = full;
      f.flags |= tracerFlagsFor(full);
      this.addFd(fd, f);
    }
  }

  dirfdLookedUp(fd: FdInfo | undefined): void { this.fd = fd as Fd | undefined; }

  /** Directory a *at() path is relative to. */
  private dirOf(t: Thread, name: Buffer, dirfd: number): string {
    if (name.length && name[0] === 0x2f) return '.';
    if (dirfd === PPM_AT_FDCWD) return t.getCwd();
    const f = lookupFd(t, dirfd);
    this.fd = f;
    if (!f) return '<UNKNOWN>';
    // always a '/' after the name, even "/" (sysdig 0.29.3's parse_openat_dir tests the
    // string's terminator for one): an fd named "/" gives "//etc/hosts"
    return f.name + '/';
  }

  private parseCloseExit(ev: ScapEvent): void {
    const res = ev.s(0);
    const t = this.curThread;
    if (res >= 0) {
      if (!this.fd || !t) return;
      if (this.fd.flags & FDF.CLOSE_CANCELED) {
        this.fd.flags &= ~FDF.CLOSE_CANCELED;
        this.removeCanceled(t);
        return;
      }
      this.tidOfFdToRemove = t.tid;
      this.fdsToRemove.push(t.lastEventFd);
    } else if (this.fd) {
      this.fd.flags &= ~FDF.CLOSE_IN_PROGRESS;
    }
  }

  private parseDupExit(ev: ScapEvent): void {
    const t = this.curThread;
    if (!t) return;
    const res = ev.s(0);
    if (res < 0) return;
    if (res === 0) t.flags |= CL.PIPE_DST;
    if (res === 1) t.flags |= CL.PIPE_SRC;
    if (!this.fd) return;
    this.addFd(res, this.fd.copy());
  }

  private parsePipeExit(ev: ScapEvent): void {
    if (!this.curThread || ev.s(0) < 0 || ev.nparams < 4) return;
    const ino = ev.u64(3);
    for (const i of [1, 2]) {
      const f = new Fd();
      f.type = FdType.FIFO;
      f.ino = ino;
      this.addFd(ev.s(i), f);
    }
  }

  private parseCloneExit(ev: ScapEvent): void {
    const type = ev.type;
    let tid = ev.tid;
    let childtid = ev.s(0);
    const idx = cloneParamIndexes(type);
    if (ev.nparams <= idx.flags) return;
    const flags = ev.u(idx.flags);
    if (childtid < 0) return;
    let vtid = tid, vpid = -1;
    if (idx.vtid >= 0 && ev.nparams > idx.vtid + 1) { vtid = ev.s(idx.vtid); vpid = ev.s(idx.vtid + 1); }
    const inContainer = (flags & CL.CHILD_IN_PIDNS) !== 0 || tid !== vtid;
    let inverted = false;
    if (childtid === 0) {
      const cur = this.curThread;
      if (cur && (cur.cloneSec || cur.cloneNsec)) {
        if ((ev.sec - cur.cloneSec) * 1e9 + (ev.nsec - cur.cloneNsec) > CLONE_STALE_TIME_NS) {
          this.removeThread(tid);
          this.curThread = undefined;
        }
      }
      const parenttid = flags & CL.CLONE_THREAD ? ev.s(4) : ev.s(5);
      if (!this.curThread) {
        inverted = true;
        childtid = tid;
        tid = parenttid;
      } else {
        if (inContainer) { this.curThread.vtid = vtid; this.curThread.vpid = vpid; }
        return;
      }
    } else if (inContainer) {
      return;
    }
    let parent = this.getThread(tid, true);
    if (!parent) return;
    const validParent = !(parent.comm === '<NA>' && parent.uid === 0xffffffff);
    const existing = this.threadTable.get(childtid);
    let collision = false;
    if (existing) {
      if (existing.flags & CL.CLONE_INVERTED) return;
      this.removeThread(childtid);
      collision = true;
    }
    const child = new Thread();
    child.tid = childtid;
    child.ptid = tid;
    if (validParent) {
      copyInherited(child, parent, flags);
    } else {
      this.removeThread(tid);
      collision = true;
      parent = this.getThread(tid, true)!;
      // Without /proc in a capture the placeholder stays; take names from the event.
      const exe = ev.str(1);
      const comm = idx.comm >= 0 && ev.nparams > idx.comm ? ev.str(idx.comm) : exe;
      parent.comm = comm; parent.exe = exe; parent.setArgs(ev.bytes(2));
    }
    child.pid = ev.s(4);
    child.flags = flags;
    if (!(flags & CL.CLONE_THREAD)) {
      child.pid = childtid;
      for (const [n, f] of parent.fds) { const c = f.copy(); c.flags |= FDF.CLONED; child.ownFds.set(n, c); }
      child.cwd = parent.getCwd();
    }
    if (inverted) child.flags |= CL.CLONE_INVERTED;
    child.exe = ev.str(1);
    child.comm = idx.comm >= 0 && ev.nparams > idx.comm ? ev.str(idx.comm) : child.exe;
    child.setArgs(ev.bytes(2));
    child.fdlimit = ev.s(7);
    if (type !== E.SYSCALL_CLONE_11_X && ev.nparams > 12) {
      child.pfmajor = ev.u64(8); child.pfminor = ev.u64(9);
      child.vmsizeKb = ev.u(10); child.vmrssKb = ev.u(11); child.vmswapKb = ev.u(12);
    }
    if (ev.nparams > idx.uid + 1) { child.uid = ev.u(idx.uid); child.gid = ev.u(idx.uid + 1); }
    if (inContainer) { child.vtid = vtid; child.vpid = vpid; } else { child.vtid = child.tid; child.vpid = child.pid; }
    if (idx.vtid >= 0 && ev.nparams > 14) child.setCgroups(ev.bytes(14));
    child.cloneSec = ev.sec; child.cloneNsec = ev.nsec;
    this.addThread(child);
    if (collision) this.reset(ev);
  }

  private parseExecveExit(ev: ScapEvent): void {
    const t = this.curThread;
    if (!t || ev.s(0) < 0) return;
    const type = ev.type;
    const n = ev.nparams;
    t.exe = ev.cstr(1);
    if (type === E.SYSCALL_EXECVE_8_X || type === E.SYSCALL_EXECVE_13_X || type === E.SYSCALL_EXECVE_14_X) t.comm = t.exe;
    else if (n > 13) t.comm = ev.cstr(13);
    t.setArgs(ev.bytes(2));
    t.pid = ev.s(4);
    if (t.ptid === -1) t.ptid = ev.s(5);
    t.fdlimit = ev.s(7);
    if (type !== E.SYSCALL_EXECVE_8_X && n > 12) {
      t.pfmajor = ev.u64(8); t.pfminor = ev.u64(9); t.vmsizeKb = ev.u(10); t.vmrssKb = ev.u(11); t.vmswapKb = ev.u(12);
    }
    if (type === E.SYSCALL_EXECVE_8_X || type === E.SYSCALL_EXECVE_13_X || type === E.SYSCALL_EXECVE_14_X) {
      if (n > 13) t.setEnv(ev.bytes(13));
    } else if (type === E.SYSCALL_EXECVE_15_X) {
      if (n > 14) t.setEnv(ev.bytes(14));
    } else {
      if (n > 15) t.setEnv(ev.bytes(15));
      if (n > 14) { t.setCgroups(ev.bytes(14)); this.resolveContainer(t); }
    }
    if (type !== E.SYSCALL_EXECVE_8_X && type !== E.SYSCALL_EXECVE_13_X && type !== E.SYSCALL_EXECVE_14_X &&
        type !== E.SYSCALL_EXECVE_15_X && type !== E.SYSCALL_EXECVE_16_X && n > 16) {
      t.tty = ev.s(16);
    }
    const enter = this.retrieveEnter(ev);
    if (enter) {
      if (type === E.SYSCALL_EXECVEAT_X) {
        if (enter.nparams >= 3) {
          const dirfd = enter.s(0);
          const pathname = enter.bytes(1);
          if (enter.str(1).startsWith('<NA>')) t.exepath = '<NA>';
          else {
            const eflags = enter.u(2);
            let dir = this.dirOf(t, pathname, dirfd);
            let name: Buffer | string = pathname;
            if (eflags & 1 && enter.str(1).length === 0) name = dir;
            // the length checked stays the parameter's (sysdig copies dir over it)
            t.exepath = concatenatePaths(dir, name, MAX_PATH, pathname.length);
          }
        }
      } else if (enter.nparams >= 1 && type !== E.SYSCALL_EXECVE_8_X) {
        if (enter.str(0).startsWith('<NA>')) t.exepath = '<NA>';
        else t.exepath = concatenatePaths(t.cwd, enter.bytes(0));
      }
    }
    if (n > 17 && type !== E.SYSCALL_EXECVE_8_X && type !== E.SYSCALL_EXECVE_13_X && type !== E.SYSCALL_EXECVE_14_X &&
        type !== E.SYSCALL_EXECVE_15_X && type !== E.SYSCALL_EXECVE_16_X && type !== E.SYSCALL_EXECVE_17_X) {
      t.vpgid = ev.s(17);
    }
    if (n > 18) t.loginuid = ev.u(18);
    if (n > 19) t.exeWritable = (ev.u(19) & 1) !== 0;
    const keep = t.flags & (CL.PIPE_SRC | CL.PIPE_DST | CL.IS_MAIN_THREAD);
    const inv = t.flags & CL.CLONE_INVERTED;
    t.flags = CL.ACTIVE | keep | inv | CL.NAME_CHANGED;
  }

  /**
   * A successful setuid/setgid takes the enter's id, setresuid/setresgid the
   * effective one (unless -1: unchanged). As in sysdig, only the calling
   * thread's id changes.
   */
  private setId(ev: ScapEvent, which: 'uid' | 'gid', res: boolean): void {
    const t = this.curThread;
    if (!t || ev.s(0) < 0) return;
    const enter = this.retrieveEnter(ev);
    const at = res ? 1 : 0;
    if (!enter || enter.nparams <= at) return;
    const v = enter.u(at);
    if (res && v === 0xffffffff) return;
    t[which] = v;
  }

  private parseRlimit(ev: ScapEvent): void {
    const t = this.curThread;
    if (!t || ev.s(0) < 0) return;
    const enter = this.retrieveEnter(ev);
    if (!enter) return;
    const resourceIdx = ev.type === E.SYSCALL_PRLIMIT_X ? 1 : 0;
    if (enter.nparams <= resourceIdx) return;
    const resource = enter.u(resourceIdx) & 0xff;
    if (resource !== 7 /* PPM_RLIMIT_NOFILE */) return;
    const curIdx = ev.type === E.SYSCALL_PRLIMIT_X ? 1 : 1;
    if (ev.nparams <= curIdx) return;
    const cur = ev.s(curIdx);
    if (cur !== -1) { const m = t.main() ?? t; m.fdlimit = cur; }
  }

  private parseOldContainer(ev: ScapEvent): void {
    if (ev.nparams < 4) return;
    // sysdig hands the container manager the event's thread, looked up by
    // tid and made up when unknown (its reset skipped the lookup)
    this.getThread(ev.tid, true);
    const id = ev.str(0);
    const c: ContainerInfo = {
      id, type: containerTypeName(ev.u(1)), name: ev.str(2), image: ev.str(3), imageId: '', imageRepo: '', imageTag: '',
      imageDigest: '', privileged: undefined, labels: new Map(), mounts: [], ip: '',
    };
    this.recordContainer(c, true); // (these events carry no lookup state: sysdig's default, successful)
  }

  /** A container a container event describes, and whether its lookup succeeded (resolveContainer asks). */
  private recordContainer(c: ContainerInfo, successful: boolean): void {
    this.containerTable.set(c.id, c);
    if (successful) this.failedLookups.delete(c.id); else this.failedLookups.add(c.id);
  }
}

function cloneParamIndexes(type: number): { flags: number; comm: number; uid: number; vtid: number } {
  switch (type) {
    case E.SYSCALL_CLONE_11_X: return { flags: 8, comm: -1, uid: 9, vtid: -1 };
    case E.SYSCALL_CLONE_16_X: case E.SYSCALL_FORK_X: case E.SYSCALL_VFORK_X: return { flags: 13, comm: -1, uid: 14, vtid: -1 };
    case E.SYSCALL_CLONE_17_X: case E.SYSCALL_FORK_17_X: case E.SYSCALL_VFORK_17_X: return { flags: 14, comm: 13, uid: 15, vtid: -1 };
    default: return { flags: 15, comm: 13, uid: 16, vtid: 18 };
  }
}

function copyInherited(child: Thread, p: Thread, flags: number): void {
  child.comm = p.comm; child.exe = p.exe; child.exepath = p.exepath; child.exeWritable = p.exeWritable;
  child.args = p.args; child.root = p.root; child.sid = p.sid; child.vpgid = p.vpgid; child.tty = p.tty;
  child.loginuid = p.loginuid;
  if (!(flags & CL.CLONE_THREAD)) child.env = p.env;
  // cgroups and container are not inherited: sysdig takes them from the clone
  // event when it has them (clone_20 and later), and leaves the child on the host otherwise
}
