// fd.* fields: the file descriptor the event works on.

import { EF, PF, PT } from '../schema/types';
import { E } from '../schema/ids';
import type { FdInfo, ThreadInfo } from '../state/view';
import { fdOf } from '../state/view';
import { concatenatePaths } from '../state/paths';
import { portText } from '../state/net';
import type { EvalContext, FieldValue } from './types';
import { Compiled, FieldClassX, FieldDefX, defineField } from './def';
import { nameOfAddress } from './dns-names';
import { FDT, L4P, StateX, eventFd, fdConnected, fdL4proto, fdType, fdTypeName, isFileType, isLocalAddr, roleNone } from './ext';
import { sanitize } from './render';
import { paramText } from './params';

const FD_EVENT_FLAGS = EF.CREATES_FD | EF.USES_FD | EF.DESTROYS_FD;

interface FdCtx { t: ThreadInfo; fd: FdInfo | undefined }

/** sysdig's extract_fd: only fd-related events, with a known thread. */
function fdCtx(c: EvalContext): FdCtx | undefined {
  if (!((c.state.eventFlags ?? c.ev.info.flags) & FD_EVENT_FLAGS)) return undefined;
  const t = c.state.thread;
  if (!t) return undefined;
  return { t, fd: eventFd(c.state) };
}

/** sysdig's m_lastevent_fd of the thread, as the engine reports it for the current event. */
function lastFd(c: EvalContext): number {
  return c.state.fdNum;
}

/** fd.typechar: the fd's 0.29.3 type char (Fd.typeChar); 'o' (unknown) when it has none. */
function typeChar(fd: FdInfo): string {
  return fd.typeChar !== '' ? fd.typeChar : 'o';
}

/** Type char sysdig guesses from the call when the event has no fd. */
function creatorTypeChar(type: number): string {
  switch (type & ~1) {
    case E.SYSCALL_OPEN_E: case E.SYSCALL_OPENAT_E: case E.SYSCALL_OPENAT_2_E: case E.SYSCALL_OPENAT2_E:
    case E.SYSCALL_CREAT_E:
      return 'f';
    case E.SOCKET_SOCKET_E: case E.SOCKET_ACCEPT_E: case E.SOCKET_ACCEPT_5_E: case E.SOCKET_ACCEPT4_E:
    case E.SOCKET_ACCEPT4_5_E:
      return '4';
    case E.SYSCALL_PIPE_E: return 'p';
    case E.SYSCALL_EVENTFD_E: return 'e';
    case E.SYSCALL_SIGNALFD_E: return 's';
    case E.SYSCALL_TIMERFD_CREATE_E: return 't';
    case E.SYSCALL_INOTIFY_INIT_E: return 'i';
    default: return 'o';
  }
}

/**
 * The name sysdig takes from the creating call when the event has no fd
 * (e.g. a failed open): undefined for enter events, '' for calls it does not know.
 * `sanitized` tells whether sysdig cleans this text for display.
 */
function creatorName(c: EvalContext): { name: string; sanitized: boolean } | undefined {
  const ev = c.ev;
  if (ev.info.enter) return undefined;
  switch (ev.type) {
    case E.SYSCALL_OPEN_X: case E.SOCKET_ACCEPT_X: case E.SOCKET_ACCEPT_5_X: case E.SOCKET_ACCEPT4_X:
    case E.SOCKET_ACCEPT4_5_X: case E.SYSCALL_CREAT_X: case E.SOCKET_CONNECT_X: {
      if (ev.nparams < 2) return { name: '', sanitized: false };
      const p = paramText(c, 1);
      return { name: p.resolved !== '' ? p.resolved : p.value, sanitized: false };
    }
    case E.SYSCALL_OPENAT_X: case E.SYSCALL_OPENAT_2_X: case E.SYSCALL_OPENAT2_X: {
      let nameBuf: Buffer, dirfd: number;
      if (ev.type === E.SYSCALL_OPENAT_X) {
        // sysdig retrieves the enter event as the field is read: a filter finds it, the output line no longer does
        const en = c.state.storedEnterFor?.(ev);
        if (!en || en.type !== E.SYSCALL_OPENAT_E || en.nparams < 2) return undefined;
        nameBuf = en.bytes(1); dirfd = en.s(0);
      } else {
        if (ev.nparams < 3) return undefined;
        nameBuf = ev.bytes(2); dirfd = ev.s(1);
      }
      let dir: string;
      if (nameBuf.length > 0 && nameBuf[0] === 0x2f) dir = '.';
      else if (dirfd === -100) {
        const m = c.state.mainThread(c.state.thread!) ?? c.state.thread!;
        dir = m.cwd;
      } else {
        const f = fdOf(c.state.thread!, dirfd);
        c.state.dirfdLookedUp?.(f);
        dir = f ? f.name + '/' : '<UNKNOWN>';
      }
      return { name: concatenatePaths(dir, nameBuf), sanitized: true };
    }
    default:
      return { name: '', sanitized: false };
  }
}

function dirOf(name: string): string {
  const pos = name.lastIndexOf('/');
  if (pos > 0) return pos < name.length - 1 ? name.slice(0, pos) : name;
  return '/';
}

function baseOf(name: string): string {
  const pos = name.lastIndexOf('/');
  if (pos >= 0) return pos < name.length - 1 ? name.slice(pos + 1) : name;
  return '/';
}

/** true when the fd name should come from the creating call (no fd, or a failed connect). */
function nameFromCreator(c: EvalContext, fd: FdInfo | undefined): boolean {
  if (!fd) return true;
  if (c.ev.type === E.SOCKET_CONNECT_X && c.ev.nparams > 0 && c.ev.s(0) < 0) return true;
  return false;
}

type NameKind = 'name' | 'containername' | 'directory' | 'containerdirectory' | 'filename';

/** fd.name and its relatives; `display` applies sysdig's display sanitising. */
function nameField(c: EvalContext, kind: NameKind, display: boolean): string | undefined {
  const x = fdCtx(c);
  if (!x) return undefined;
  const { t, fd } = x;
  const useCreator = kind === 'name' || kind === 'containername' ? nameFromCreator(c, fd) : !fd;
  if (useCreator) {
    if (kind === 'filename') return undefined;
    const cr = creatorName(c);
    if (!cr) return undefined;
    let s = cr.sanitized && display ? sanitize(cr.name) : cr.name;
    if (kind === 'name') return s;
    if (kind === 'containername') return t.containerId + ':' + s;
    if (display) s = sanitize(s);
    s = dirOf(s);
    return kind === 'containerdirectory' ? t.containerId + ':' + s : s;
  }
  const f = fd!;
  const ft = fdType(f);
  let s = display ? sanitize(f.name) : f.name;
  switch (kind) {
    case 'name': return s;
    case 'containername': return display ? sanitize(t.containerId + ':' + f.name) : t.containerId + ':' + f.name;
    case 'directory': case 'containerdirectory':
      if (!(isFileType(ft) || ft === FDT.DIRECTORY)) return undefined;
      if (isFileType(ft)) s = dirOf(s);
      return kind === 'containerdirectory' ? t.containerId + ':' + s : s;
    case 'filename':
      if (!isFileType(ft)) return undefined;
      return baseOf(s);
  }
}

function nameDef(name: string, kind: NameKind, desc: string): FieldDefX {
  const compiled: Compiled = {
    extract: (c) => nameField(c, kind, false),
    display: (c) => nameField(c, kind, true),
  };
  return defineField({ name, type: PT.CHARBUF, fmt: PF.NA, desc, compile: () => compiled });
}

const ZERO4 = Buffer.alloc(4), ZERO16 = Buffer.alloc(16);

/** An address of a socket fd; sysdig's socket info starts zeroed, so a missing one reads as all zeros. */
function sa(fd: FdInfo, which: 'sip' | 'dip', ft: number): Buffer {
  const b = fd[which];
  if (b) return b;
  return ft === FDT.IPV6_SOCK || ft === FDT.IPV6_SERVSOCK ? ZERO16 : ZERO4;
}

function isSock(t: number): boolean { return t === FDT.IPV4_SOCK || t === FDT.IPV6_SOCK; }
function isServ(t: number): boolean { return t === FDT.IPV4_SERVSOCK || t === FDT.IPV6_SERVSOCK; }

/** Address picks of the ip/port fields. */
type Pick = 'client' | 'server' | 'local' | 'remote';

function addrOf(c: EvalContext, pick: Pick): Buffer | undefined {
  const x = fdCtx(c);
  if (!x || !x.fd) return undefined;
  const fd = x.fd;
  const ft = fdType(fd);
  if (pick === 'local' || pick === 'remote') {
    if (!isSock(ft) || roleNone(fd)) return undefined;
    const local = isLocalAddr(c.state, x.t, sa(fd, 'sip', ft));
    return (pick === 'local') === local ? sa(fd, 'sip', ft) : sa(fd, 'dip', ft);
  }
  if (roleNone(fd)) return undefined;
  if (pick === 'client') return isSock(ft) ? sa(fd, 'sip', ft) : undefined;
  if (isSock(ft)) return sa(fd, 'dip', ft);
  if (isServ(ft)) return sa(fd, 'sip', ft);
  return undefined;
}

/** Ports: a number, '' where sysdig hands back an empty string in place of a port, or undefined. */
function portOf(c: EvalContext, pick: Pick): number | '' | undefined {
  const x = fdCtx(c);
  if (!x || !x.fd) return undefined;
  const fd = x.fd;
  const ft = fdType(fd);
  if (pick === 'local' || pick === 'remote') {
    if (!isSock(ft) || roleNone(fd)) return undefined;
    const local = isLocalAddr(c.state, x.t, sa(fd, 'sip', ft));
    return (pick === 'local') === local ? fd.sport : fd.dport;
  }
  if (pick === 'client') {
    if (roleNone(fd)) return undefined;
    return isSock(ft) ? fd.sport : '';
  }
  if (isSock(ft)) return roleNone(fd) ? undefined : fd.dport;
  if (isServ(ft)) return fd.sport;
  return undefined;
}

function protoOf(c: EvalContext, pick: Pick): string | undefined {
  const x = fdCtx(c);
  if (!x || !x.fd) return undefined;
  const fd = x.fd;
  const ft = fdType(fd);
  if (pick === 'server') {
    if (isSock(ft)) return roleNone(fd) ? undefined : portText(fd.dport, fd.l4proto);
    if (isServ(ft)) return '';
    return undefined;
  }
  const p = portOf(c, pick);
  return p === undefined ? undefined : p === '' ? '' : portText(p, fd.l4proto);
}

function addrDef(name: string, pick: Pick, desc: string, opts: { type?: PT; filterOnly?: boolean } = {}): FieldDefX {
  const extract = (c: EvalContext) => addrOf(c, pick);
  return defineField({
    name, type: opts.type ?? PT.IPADDR, fmt: PF.NA, desc, filterOnly: opts.filterOnly,
    compile: () => ({ extract }),
  });
}

function portDef(name: string, pick: Pick, desc: string): FieldDefX {
  const extract = (c: EvalContext): FieldValue => {
    const p = portOf(c, pick);
    return p === '' ? 0 : p;
  };
  return defineField({ name, type: PT.PORT, fmt: PF.DEC, desc, compile: () => ({ extract }) });
}

function protoDef(name: string, pick: Pick, desc: string): FieldDefX {
  const extract = (c: EvalContext) => protoOf(c, pick);
  return defineField({ name, type: PT.CHARBUF, fmt: PF.NA, desc, compile: () => ({ extract }) });
}

/**
 * fd.ip, fd.net, fd.port, fd.proto: either end of the connection. Filters
 * compare them under rules of their own (lib/filter/special.ts); as values
 * they have none.
 */
function eitherEndDef(name: string, type: PT, fmt: PF, desc: string): FieldDefX {
  const compiled: Compiled = { extract: () => undefined };
  return defineField({ name, type, fmt, desc, filterOnly: true, compile: () => compiled });
}

function devOf(c: EvalContext, part: 0 | 1 | 2): number | undefined {
  const x = fdCtx(c);
  if (!x || !x.fd) return undefined;
  const d = x.fd.dev >>> 0;
  if (part === 0) return d | 0;
  if (part === 1) return (d & 0xfff00) >>> 8;
  return (d & 0xff) | ((d >>> 12) & 0xfff00);
}

/** fd.*ip.name: the name a filter resolved for the address (./dns-names), when one did. */
function dnsName(pick: Pick): (c: EvalContext) => FieldValue {
  return (c) => {
    const a = addrOf(c, pick);
    return a === undefined ? undefined : nameOfAddress(a);
  };
}

const FD_FIELDS: FieldDefX[] = [
  defineField({
    name: 'fd.num', type: PT.INT64, fmt: PF.ID, desc: 'number of the file descriptor.',
    compile: () => ({ extract: (c) => (fdCtx(c) ? lastFd(c) : undefined) }),
  }),
  defineField({
    name: 'fd.type', type: PT.CHARBUF, fmt: PF.DEC,
    desc: 'kind of fd: \'file\', \'directory\', \'ipv4\', \'ipv6\', \'unix\', \'pipe\', \'event\', \'signalfd\', \'eventpoll\', \'inotify\', \'timerfd\' or \'netlink\'.',
    compile: () => ({
      extract: (c) => {
        const x = fdCtx(c);
        if (!x || !x.fd) return undefined;
        return fdTypeName(x.fd);
      },
    }),
  }),
  defineField({
    name: 'fd.typechar', type: PT.CHARBUF, fmt: PF.DEC,
    desc: 'kind of fd as one character: f file, 4 IPv4 socket, 6 IPv6 socket, u unix socket, p pipe, e eventfd, s signalfd, l eventpoll, i inotify, o unknown.',
    compile: () => ({
      extract: (c) => {
        const x = fdCtx(c);
        if (!x) return undefined;
        return x.fd ? typeChar(x.fd) : creatorTypeChar(c.ev.type);
      },
    }),
  }),
  nameDef('fd.name', 'name', 'full name of the fd: the path for files, the connection tuple for sockets.'),
  nameDef('fd.directory', 'directory', 'for files, the directory holding the file.'),
  nameDef('fd.filename', 'filename', 'for files, the file name without its directory.'),
  eitherEndDef('fd.ip', PT.IPADDR, PF.NA, 'matches an IP address on either end of the fd\'s connection.'),
  addrDef('fd.cip', 'client', 'IP address of the client end.'),
  addrDef('fd.sip', 'server', 'IP address of the server end.'),
  addrDef('fd.lip', 'local', 'IP address of the local end.'),
  addrDef('fd.rip', 'remote', 'IP address of the remote end.'),
  eitherEndDef('fd.port', PT.PORT, PF.DEC, 'matches a port on either end of the fd\'s connection.'),
  portDef('fd.cport', 'client', 'for TCP/UDP sockets, the port of the client end.'),
  portDef('fd.sport', 'server', 'for TCP/UDP sockets, the port of the server end.'),
  portDef('fd.lport', 'local', 'for TCP/UDP sockets, the port of the local end.'),
  portDef('fd.rport', 'remote', 'for TCP/UDP sockets, the port of the remote end.'),
  defineField({
    name: 'fd.l4proto', type: PT.CHARBUF, fmt: PF.NA, desc: 'transport protocol of a socket: \'tcp\', \'udp\', \'icmp\' or \'raw\'.',
    compile: () => ({
      extract: (c) => {
        const x = fdCtx(c);
        if (!x || !x.fd) return undefined;
        switch (fdL4proto(x.fd)) {
          case L4P.TCP: return 'tcp';
          case L4P.UDP: return 'udp';
          case L4P.ICMP: return 'icmp';
          case L4P.RAW: return 'raw';
          default: return '<NA>';
        }
      },
    }),
  }),
  defineField({
    name: 'fd.sockfamily', type: PT.CHARBUF, fmt: PF.NA, desc: 'family of a socket: \'ip\' or \'unix\'.',
    compile: () => ({
      extract: (c) => {
        const x = fdCtx(c);
        if (!x || !x.fd) return undefined;
        const ft = fdType(x.fd);
        if (isSock(ft) || isServ(ft)) return 'ip';
        if (ft === FDT.UNIX_SOCK) return 'unix';
        return undefined;
      },
    }),
  }),
  defineField({
    name: 'fd.is_server', type: PT.BOOL, fmt: PF.NA, desc: 'true when the process holding the fd is the server end of the connection.',
    compile: () => ({
      extract: (c) => {
        const x = fdCtx(c);
        if (!x || !x.fd) return undefined;
        const ft = fdType(x.fd);
        if (isServ(ft)) return true;
        if (isSock(ft)) return isLocalAddr(c.state, x.t, sa(x.fd, 'dip', ft));
        return false;
      },
    }),
  }),
  defineField({
    name: 'fd.uid', type: PT.CHARBUF, fmt: PF.NA, desc: 'identifier of the fd made of the thread id followed by the fd number.',
    compile: () => ({
      extract: (c) => {
        const x = fdCtx(c);
        if (!x) return undefined;
        if (c.ev.type === E.CONTAINER_JSON_E || c.ev.type === E.CONTAINER_JSON_2_E) return undefined;
        return String(x.t.tid) + String(lastFd(c));
      },
    }),
  }),
  nameDef('fd.containername', 'containername', 'container id and fd name joined by a colon; tells which container an fd belongs to.'),
  nameDef('fd.containerdirectory', 'containerdirectory', 'container id and directory joined by a colon; tells which container a directory belongs to.'),
  eitherEndDef('fd.proto', PT.PORT, PF.NA, 'matches the protocol (port) on either end of the fd\'s connection.'),
  protoDef('fd.cproto', 'client', 'for TCP/UDP sockets, the protocol of the client end.'),
  protoDef('fd.sproto', 'server', 'for TCP/UDP sockets, the protocol of the server end.'),
  protoDef('fd.lproto', 'local', 'for TCP/UDP sockets, the protocol of the local end.'),
  protoDef('fd.rproto', 'remote', 'for TCP/UDP sockets, the protocol of the remote end.'),
  eitherEndDef('fd.net', PT.IPNET, PF.NA, 'matches an IP network holding either end of the fd\'s connection.'),
  addrDef('fd.cnet', 'client', 'matches the IP network of the client end.', { type: PT.IPNET, filterOnly: true }),
  addrDef('fd.snet', 'server', 'matches the IP network of the server end.', { type: PT.IPNET, filterOnly: true }),
  addrDef('fd.lnet', 'local', 'matches the IP network of the local end.', { type: PT.IPNET, filterOnly: true }),
  addrDef('fd.rnet', 'remote', 'matches the IP network of the remote end.', { type: PT.IPNET, filterOnly: true }),
  defineField({
    name: 'fd.connected', type: PT.BOOL, fmt: PF.NA, desc: 'for TCP/UDP sockets, true when the socket is connected.',
    compile: () => ({ extract: (c) => { const x = fdCtx(c); return x && x.fd ? fdConnected(x.fd) : undefined; } }),
  }),
  defineField({
    name: 'fd.name_changed', type: PT.BOOL, fmt: PF.NA,
    desc: 'true when the event changed the name of its fd, as happens when the tuple of a UDP socket changes.',
    compile: () => ({ extract: (c) => { const x = fdCtx(c); return x && x.fd ? (c.state as StateX).fdNameChanged === true : undefined; } }),
  }),
  defineField({ name: 'fd.cip.name', type: PT.CHARBUF, fmt: PF.NA, desc: 'domain name of the client IP address.', compile: () => ({ extract: dnsName('client') }) }),
  defineField({ name: 'fd.sip.name', type: PT.CHARBUF, fmt: PF.NA, desc: 'domain name of the server IP address.', compile: () => ({ extract: dnsName('server') }) }),
  defineField({ name: 'fd.lip.name', type: PT.CHARBUF, fmt: PF.NA, desc: 'domain name of the local IP address.', compile: () => ({ extract: dnsName('local') }) }),
  defineField({ name: 'fd.rip.name', type: PT.CHARBUF, fmt: PF.NA, desc: 'domain name of the remote IP address.', compile: () => ({ extract: dnsName('remote') }) }),
  defineField({ name: 'fd.dev', type: PT.INT32, fmt: PF.HEX, desc: 'device number (major and minor) of the file\'s device', compile: () => ({ extract: (c) => devOf(c, 0) }) }),
  defineField({ name: 'fd.dev.major', type: PT.INT32, fmt: PF.DEC, desc: 'major number of the file\'s device', compile: () => ({ extract: (c) => devOf(c, 1) }) }),
  defineField({ name: 'fd.dev.minor', type: PT.INT32, fmt: PF.DEC, desc: 'minor number of the file\'s device', compile: () => ({ extract: (c) => devOf(c, 2) }) }),
];

export const FD: FieldClassX = {
  name: 'fd',
  desc: 'Fields of the file descriptor that an event with an fd argument works on.',
  fields: FD_FIELDS,
};

