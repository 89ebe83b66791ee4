// The scap event table: one entry per event type id, enter events at even ids.
//
// Ids known to sysdig 0.29.3 (libs e5c53d6) carry that revision's name,
// params, print formats and flag tables, so output matches it; params that
// newer libs appended to such an id follow (see EventInfo.sysdigParams).
// Ids added later come from current libs. One addition is scry's own: the
// generic exit (id 1) carries the return value (`res`) after libs' params,
// which scry's live capture writes outside sysdig-compatible files.
// category/flags are the 0.29.3
// bits plus the bits newer libs introduced (EC source bits, EF conv).
//
// Row notation (one row per id, in id order):
//   <id> <name>|<category>|<flags>|<params>[|<params appended by newer libs>]
//   category: '+'-joined base (file, net, io_read, ...) and bits (wait, sched,
//             internal, syscall, tracepoint, plugin, meta, iter)
//   flags:    '+'-joined short flag names (see EF_CODES), '-' for none
//   param:    name:TYPE[/fmt][@FLAG_TABLE | *DYN_TABLE | #dirfd param index]
//             fmt: d=DEC x=HEX o=OCT p=PADDED_DEC_10 i=ID r=DIR (absent: NA)

import type { EventInfo, ParamInfo } from './types';
import { FLAG_TABLES } from './flags';

/** Number of event ids in current libs (ids 0 .. PPM_EVENT_MAX-1). */
export const PPM_EVENT_MAX = 454;
/** Number of event ids sysdig 0.29.3 knows. */
export const PPM_EVENT_MAX_0293 = 336;

/** Category bits that libs added after 0.29.3 (event source); mask them off for 0.29.3 semantics. */
export const EC_SOURCE_BITS = 0x3e00;

// Plain numbers rather than the const enums: this module must also work when
// transpiled file by file (const enums are not emitted across modules then).
const PT_CODES: readonly string[] = [
  'NONE', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'CHARBUF',
  'BYTEBUF', 'ERRNO', 'SOCKADDR', 'SOCKTUPLE', 'FD', 'PID', 'FDLIST', 'FSPATH', 'SYSCALLID',
  'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'L4PROTO', 'SOCKFAMILY', 'BOOL', 'IPV4ADDR', 'DYN',
  'FLAGS8', 'FLAGS16', 'FLAGS32', 'UID', 'GID', 'DOUBLE', 'SIGSET', 'CHARBUFARRAY',
  'CHARBUF_PAIR_ARRAY', 'IPV4NET', 'IPV6ADDR', 'IPV6NET', 'IPADDR', 'IPNET', 'MODE', 'FSRELPATH',
  'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32', 'FD32', 'PID32',
];
const PF_CODES: Readonly<Record<string, number>> = { d: 1, x: 2, p: 3, i: 4, r: 5, o: 6 };
const EC_CODES: Readonly<Record<string, number>> = {
  unknown: 0, other: 1, file: 2, net: 3, ipc: 4, memory: 5, process: 6, sleep: 7, system: 8,
  signal: 9, user: 10, time: 11, processing: 12, io_read: 32, io_write: 33, io_other: 34,
  wait: 1 << 6, sched: 1 << 7, internal: 1 << 8, syscall: 1 << 9, tracepoint: 1 << 10,
  plugin: 1 << 11, meta: 1 << 12, iter: 1 << 13,
};
const EF_CODES: Readonly<Record<string, number>> = {
  cfd: 1 << 0, dfd: 1 << 1, ufd: 1 << 2, rfd: 1 << 3, wfd: 1 << 4, state: 1 << 5, unused: 1 << 6,
  waits: 1 << 7, skipreset: 1 << 8, old: 1 << 9, drop: 1 << 10, large: 1 << 11, conv: 1 << 12,
};

function dynTable(types: string): readonly ParamInfo[] {
  return Object.freeze(types.split(' ').map((t) => parseParam(':' + t)));
}


function bits(spec: string, codes: Readonly<Record<string, number>>): number {
  let v = 0;
  if (spec === '-') return 0;
  for (const tok of spec.split('+')) {
    const b = codes[tok];
    if (b === undefined) throw new Error(`unknown code '${tok}'`);
    v |= b;
  }
  return v;
}

function parseParam(spec: string): ParamInfo {
  const m = /^([^:]*):([A-Z_0-9]+)(?:\/([a-z]))?(?:([@*#])(\w+))?$/.exec(spec.trim());
  if (!m) throw new Error(`bad param '${spec}'`);
  const type = PT_CODES.indexOf(m[2]!);
  if (type < 0) throw new Error(`bad param type '${spec}'`);
  const p: { -readonly [K in keyof ParamInfo]: ParamInfo[K] } = {
    name: m[1]!, type: type as ParamInfo['type'], fmt: (m[3] ? PF_CODES[m[3]] ?? 0 : 0) as ParamInfo['fmt'],
  };
  if (m[4] === '@') {
    p.flags = FLAG_TABLES[m[5]!];
    if (!p.flags) throw new Error(`unknown flag table in '${spec}'`);
  } else if (m[4] === '*') {
    p.dyn = DYN_TABLES[m[5]!];
    if (!p.dyn) throw new Error(`unknown dyn table in '${spec}'`);
  } else if (m[4] === '#') {
    p.dirfd = Number(m[5]);
  }
  return Object.freeze(p);
}

function parseParams(list: string | undefined): ParamInfo[] {
  return list === undefined || list.trim() === '' ? [] : list.split(',').map(parseParam);
}

function build(rows: string): readonly EventInfo[] {
  const out: EventInfo[] = [];
  for (const row of rows.split('\n')) {
    if (row.trim() === '') continue;
    const sp = row.indexOf(' ');
    const id = Number(row.slice(0, sp));
    const [name, cat, flags, params, added] = row.slice(sp + 1).split('|');
    if (id !== out.length || !name || cat === undefined || flags === undefined) {
      throw new Error(`bad event row '${row}'`);
    }
    const own = parseParams(params);
    const all = own.concat(parseParams(added));
    const ev: EventInfo = {
      id, name, enter: (id & 1) === 0, category: bits(cat, EC_CODES), flags: bits(flags, EF_CODES),
      params: Object.freeze(all),
      // always present, so every entry has one shape (hot paths read these objects)
      sysdigParams: id < PPM_EVENT_MAX_0293 ? own.length : undefined,
    };
    out.push(Object.freeze(ev));
  }
  if (out.length !== PPM_EVENT_MAX) throw new Error('event table size mismatch');
  return Object.freeze(out);
}


/** Encodings a PT_DYN param can take, indexed by the selector byte that precedes the value. */
export const DYN_TABLES: Readonly<Record<string, readonly ParamInfo[]>> = Object.freeze({
  SOCKOPT_DYN: dynTable('BYTEBUF/x ERRNO/d UINT32/d UINT64/d RELTIME/d'),
  PTRACE_DYN: dynTable('UINT64/x SIGTYPE/d'),
  BPF_DYN: dynTable('FD/d ERRNO/d'),
  KEYCTL_DYN: dynTable('INT64/d CHARBUF'),
});

const ROWS = `
0 syscall|other+syscall|conv|ID:SYSCALLID/d, nativeID:UINT16/d
1 syscall|other+syscall|conv|ID:SYSCALLID/d|nativeID:UINT16/d, res:ERRNO/d
2 open|file+syscall|cfd+state+conv|name:FSPATH, flags:FLAGS32/x@FILE_FLAGS, mode:UINT32/o
3 open|file+syscall|cfd+state+conv|fd:FD/d, name:FSPATH, flags:FLAGS32/x@FILE_FLAGS, mode:UINT32/o, dev:UINT32/x|ino:UINT64/d
4 close|io_other+syscall|dfd+ufd+state+drop+conv|fd:FD/d
5 close|io_other+syscall|dfd+ufd+state+drop+conv|res:ERRNO/d|fd:FD/d
6 read|io_read+syscall|ufd+rfd+drop+conv|fd:FD/d, size:UINT32/d
7 read|io_read+syscall|ufd+rfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d
8 write|io_write+syscall|ufd+wfd+drop+conv|fd:FD/d, size:UINT32/d
9 write|io_write+syscall|ufd+wfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d
10 brk|memory+syscall|old+conv|size:UINT32/d
11 brk|memory+syscall|old+conv|res:UINT64/x
12 execve|process+syscall|state+old+conv|
13 execve|process+syscall|state+old+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d
14 clone|process+syscall|state+old|
15 clone|process+syscall|state+old+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d
16 procexit|process+tracepoint|state+old+conv|
17 NA1|process|unused|
18 socket|net+syscall|cfd+state+conv|domain:FLAGS32/d@SOCKET_FAMILIES, type:UINT32/d, proto:UINT32/d
19 socket|net+syscall|cfd+state+conv|fd:FD/d|domain:ENUMFLAGS32/d@SOCKET_FAMILIES, type:UINT32/d, proto:UINT32/d, flags:FLAGS32/x@FILE_FLAGS_HEAD
20 bind|net+syscall|ufd+state+conv|fd:FD/d
21 bind|net+syscall|ufd+state+conv|res:ERRNO/d, addr:SOCKADDR|fd:FD/d
22 connect|net+syscall|ufd+state+conv|fd:FD/d, addr:SOCKADDR
23 connect|net+syscall|ufd+state+conv|res:ERRNO/d, tuple:SOCKTUPLE|fd:FD/d, addr:SOCKADDR
24 listen|net+syscall|ufd+conv|fd:FD/d, backlog:UINT32/d
25 listen|net+syscall|ufd+conv|res:ERRNO/d|fd:FD/d, backlog:INT32/d
26 accept|net+syscall|cfd+state+old|
27 accept|net+syscall|cfd+state+old+conv|fd:FD/d, tuple:SOCKTUPLE, queuepct:UINT8/d
28 send|io_write+syscall|ufd+wfd+drop+conv|fd:FD/d, size:UINT32/d
29 send|io_write+syscall|ufd+wfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d, tuple:SOCKTUPLE
30 sendto|io_write+syscall|ufd+wfd+state+conv|fd:FD/d, size:UINT32/d, tuple:SOCKTUPLE
31 sendto|io_write+syscall|ufd+wfd+state+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d, tuple:SOCKTUPLE
32 recv|io_read+syscall|ufd+rfd+drop+conv|fd:FD/d, size:UINT32/d
33 recv|io_read+syscall|ufd+rfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d, tuple:SOCKTUPLE
34 recvfrom|io_read+syscall|ufd+rfd+state+conv|fd:FD/d, size:UINT32/d
35 recvfrom|io_read+syscall|ufd+rfd+state+conv|res:ERRNO/d, data:BYTEBUF, tuple:SOCKTUPLE|fd:FD/d, size:UINT32/d
36 shutdown|net+syscall|ufd+state+drop+conv|fd:FD/d, how:FLAGS8/x@SHUTDOWN_HOW
37 shutdown|net+syscall|ufd+state+drop+conv|res:ERRNO/d|fd:FD/d, how:ENUMFLAGS8/x@SHUTDOWN_HOW_HEAD
38 getsockname|net+syscall|drop|
39 getsockname|net+syscall|drop|
40 getpeername|net+syscall|drop|
41 getpeername|net+syscall|drop|
42 socketpair|ipc+syscall|cfd+state+conv|domain:FLAGS32/d@SOCKET_FAMILIES, type:UINT32/d, proto:UINT32/d
43 socketpair|ipc+syscall|cfd+state+conv|res:ERRNO/d, fd1:FD/d, fd2:FD/d, source:UINT64/x, peer:UINT64/x|domain:ENUMFLAGS32/d@SOCKET_FAMILIES, type:UINT32/d, proto:UINT32/d
44 setsockopt|net+syscall|-|
45 setsockopt|net+syscall|ufd|res:ERRNO/d, fd:FD/d, level:FLAGS8/d@SOCKOPT_LEVELS, optname:FLAGS8/d@SOCKOPT_OPTIONS, val:DYN/d*SOCKOPT_DYN, optlen:UINT32/d
46 getsockopt|net+syscall|state+drop|
47 getsockopt|net+syscall|ufd+state+drop|res:ERRNO/d, fd:FD/d, level:FLAGS8/d@SOCKOPT_LEVELS, optname:FLAGS8/d@SOCKOPT_OPTIONS, val:DYN/d*SOCKOPT_DYN, optlen:UINT32/d
48 sendmsg|io_write+syscall|ufd+wfd+state+conv|fd:FD/d, size:UINT32/d, tuple:SOCKTUPLE
49 sendmsg|io_write+syscall|ufd+wfd+state+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d, tuple:SOCKTUPLE
50 sendmmsg|io_write+syscall|drop|
51 sendmmsg|io_write+syscall|drop+conv||res:ERRNO/d, fd:FD/d, size:UINT32/d, data:BYTEBUF, tuple:SOCKTUPLE
52 recvmsg|io_read+syscall|ufd+rfd+state+conv|fd:FD/d
53 recvmsg|io_read+syscall|ufd+rfd+state+conv|res:ERRNO/d, size:UINT32/d, data:BYTEBUF, tuple:SOCKTUPLE|msgcontrol:BYTEBUF, fd:FD/d
54 recvmmsg|io_read+syscall|drop|
55 recvmmsg|io_read+syscall|drop+conv||res:ERRNO/d, fd:FD/d, size:UINT32/d, data:BYTEBUF, tuple:SOCKTUPLE, msgcontrol:BYTEBUF
56 accept|net+syscall|cfd+state+old+conv|flags:INT32/x
57 accept|net+syscall|cfd+state+old+conv|fd:FD/d, tuple:SOCKTUPLE, queuepct:UINT8/d
58 creat|file+syscall|cfd+state+conv|name:FSPATH, mode:UINT32/o
59 creat|file+syscall|cfd+state+conv|fd:FD/d, name:FSPATH, mode:UINT32/o, dev:UINT32/x|ino:UINT64/d, creat_flags:FLAGS16/x@CREAT_FLAGS
60 pipe|ipc+syscall|cfd+state|
61 pipe|ipc+syscall|cfd+state|res:ERRNO/d, fd1:FD/d, fd2:FD/d, ino:UINT64/d
62 eventfd|ipc+syscall|cfd+state+drop+conv|initval:UINT64/d, flags:FLAGS32/x@NO_FLAGS
63 eventfd|ipc+syscall|cfd+state+drop+conv|res:FD/d|initval:UINT64/d, flags:UINT32/x
64 futex|ipc+syscall|drop+conv|addr:UINT64/x, op:FLAGS16/x@FUTEX_OPERATIONS, val:UINT64/d
65 futex|ipc+syscall|drop+conv|res:ERRNO/d|addr:UINT64/x, op:FLAGS16/x@FUTEX_OPERATIONS, val:UINT64/d
66 stat|file+syscall|drop|
67 stat|file+syscall|drop|res:ERRNO/d, path:FSPATH
68 lstat|file+syscall|drop|
69 lstat|file+syscall|drop|res:ERRNO/d, path:FSPATH
70 fstat|file+syscall|ufd+drop+conv|fd:FD
71 fstat|file+syscall|ufd+drop+conv|res:ERRNO/d|fd:FD
72 stat64|file+syscall|drop|
73 stat64|file+syscall|drop|res:ERRNO/d, path:FSPATH
74 lstat64|file+syscall|drop|
75 lstat64|file+syscall|drop|res:ERRNO/d, path:FSPATH
76 fstat64|file+syscall|ufd+drop|fd:FD
77 fstat64|file+syscall|ufd+drop|res:ERRNO/d
78 epoll_wait|wait+syscall|waits+drop+conv|maxevents:ERRNO/d
79 epoll_wait|wait+syscall|waits+drop+conv|res:ERRNO/d|maxevents:ERRNO/d
80 poll|wait+syscall|waits+drop+conv|fds:FDLIST/d, timeout:INT64/d
81 poll|wait+syscall|waits+drop+conv|res:ERRNO/d, fds:FDLIST/d|timeout:INT64/d
82 select|wait+syscall|waits+drop|
83 select|wait+syscall|waits+drop|res:ERRNO/d
84 select|wait+syscall|waits+drop|
85 select|wait+syscall|waits+drop+conv|res:ERRNO/d
86 lseek|file+syscall|ufd+drop+conv|fd:FD/d, offset:UINT64/d, whence:FLAGS8/d@LSEEK_WHENCE
87 lseek|file+syscall|ufd+drop+conv|res:ERRNO/d|fd:FD/d, offset:UINT64/d, whence:ENUMFLAGS8/d@LSEEK_WHENCE
88 llseek|file+syscall|ufd+drop+conv|fd:FD/d, offset:UINT64/d, whence:FLAGS8/d@LSEEK_WHENCE
89 llseek|file+syscall|ufd+drop+conv|res:ERRNO/d|fd:FD/d, offset:UINT64/d, whence:ENUMFLAGS8/d@LSEEK_WHENCE
90 ioctl|io_other+syscall|ufd+old+conv|fd:FD/d, request:UINT64/x
91 ioctl|io_other+syscall|ufd+old+conv|res:ERRNO/d
92 getcwd|file+syscall|drop|
93 getcwd|file+syscall|drop|res:ERRNO/d, path:CHARBUF
94 chdir|file+syscall|state|
95 chdir|file+syscall|state|res:ERRNO/d, path:CHARBUF
96 fchdir|file+syscall|ufd+state+conv|fd:FD
97 fchdir|file+syscall|ufd+state+conv|res:ERRNO/d|fd:FD
98 mkdir|file+syscall|conv|path:FSPATH, mode:UINT32/x
99 mkdir|file+syscall|conv|res:ERRNO/d
100 rmdir|file+syscall|conv|path:FSPATH
101 rmdir|file+syscall|conv|res:ERRNO/d
102 openat|file+syscall|cfd+state+old+conv|dirfd:FD/d, name:CHARBUF, flags:FLAGS32/x@FILE_FLAGS, mode:UINT32/o
103 openat|file+syscall|cfd+state+old+conv|fd:FD/d
104 link|file+syscall|old+conv|oldpath:FSPATH, newpath:FSPATH
105 link|file+syscall|old+conv|res:ERRNO/d
106 linkat|file+syscall|old+conv|olddir:FD/d, oldpath:CHARBUF, newdir:FD/d, newpath:CHARBUF
107 linkat|file+syscall|old+conv|res:ERRNO/d
108 unlink|file+syscall|old+conv|path:FSPATH
109 unlink|file+syscall|old+conv|res:ERRNO/d
110 unlinkat|file+syscall|old+conv|dirfd:FD/d, name:CHARBUF
111 unlinkat|file+syscall|old+conv|res:ERRNO/d
112 pread|io_read+syscall|ufd+rfd+drop+conv|fd:FD/d, size:UINT32/d, pos:UINT64/d
113 pread|io_read+syscall|ufd+rfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d, pos:UINT64/d
114 pwrite|io_write+syscall|ufd+wfd+drop+conv|fd:FD/d, size:UINT32/d, pos:UINT64/d
115 pwrite|io_write+syscall|ufd+wfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d, pos:UINT64/d
116 readv|io_read+syscall|ufd+rfd+drop+conv|fd:FD/d
117 readv|io_read+syscall|ufd+rfd+drop+conv|res:ERRNO/d, size:UINT32/d, data:BYTEBUF|fd:FD/d
118 writev|io_write+syscall|ufd+wfd+drop+conv|fd:FD/d, size:UINT32/d
119 writev|io_write+syscall|ufd+wfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d
120 preadv|io_read+syscall|ufd+rfd+drop+conv|fd:FD/d, pos:UINT64/d
121 preadv|io_read+syscall|ufd+rfd+drop+conv|res:ERRNO/d, size:UINT32/d, data:BYTEBUF|fd:FD/d, pos:UINT64/d
122 pwritev|io_write+syscall|ufd+wfd+drop+conv|fd:FD/d, size:UINT32/d, pos:UINT64/d
123 pwritev|io_write+syscall|ufd+wfd+drop+conv|res:ERRNO/d, data:BYTEBUF|fd:FD/d, size:UINT32/d, pos:UINT64/d
124 dup|io_other+syscall|cfd+ufd+state+conv|fd:FD/d
125 dup|io_other+syscall|cfd+ufd+state+conv|res:FD/d
126 signalfd|signal+syscall|cfd+state+conv|fd:FD/d, mask:UINT32/x, flags:FLAGS8/x@NO_FLAGS
127 signalfd|signal+syscall|cfd+state+conv|res:FD/d|fd:FD/d, mask:UINT32/x, flags:UINT8/x
128 kill|signal+syscall|conv|pid:PID/d, sig:SIGTYPE/d
129 kill|signal+syscall|conv|res:ERRNO/d|pid:PID/d, sig:SIGTYPE/d
130 tkill|signal+syscall|conv|tid:PID/d, sig:SIGTYPE/d
131 tkill|signal+syscall|conv|res:ERRNO/d|tid:PID/d, sig:SIGTYPE/d
132 tgkill|signal+syscall|conv|pid:PID/d, tid:PID/d, sig:SIGTYPE/d
133 tgkill|signal+syscall|conv|res:ERRNO/d|pid:PID/d, tid:PID/d, sig:SIGTYPE/d
134 nanosleep|sleep+syscall|waits+drop+conv|interval:RELTIME/d
135 nanosleep|sleep+syscall|waits+drop+conv|res:ERRNO/d|interval:RELTIME/d
136 timerfd_create|time+syscall|cfd+state+drop+conv|clockid:UINT8/d, flags:FLAGS8/x@NO_FLAGS
137 timerfd_create|time+syscall|cfd+state+drop+conv|res:FD/d|clockid:UINT8/d, flags:UINT8/x
138 inotify_init|ipc+syscall|cfd+state+conv|flags:FLAGS8/x@NO_FLAGS
139 inotify_init|ipc+syscall|cfd+state+conv|res:FD/d|flags:UINT8/x
140 getrlimit|process+syscall|drop+conv|resource:FLAGS8/d@RLIMIT_RESOURCES
141 getrlimit|process+syscall|drop+conv|res:ERRNO/d, cur:INT64/d, max:INT64/d|resource:ENUMFLAGS8/d@RLIMIT_RESOURCES
142 setrlimit|process+syscall|drop+conv|resource:FLAGS8/d@RLIMIT_RESOURCES
143 setrlimit|process+syscall|drop+conv|res:ERRNO/d, cur:INT64/d, max:INT64/d|resource:ENUMFLAGS8/d@RLIMIT_RESOURCES
144 prlimit|process+syscall|conv|pid:PID/d, resource:FLAGS8/d@RLIMIT_RESOURCES
145 prlimit|process+syscall|conv|res:ERRNO/d, newcur:INT64/d, newmax:INT64/d, oldcur:INT64/d, oldmax:INT64/d|pid:INT64/d, resource:ENUMFLAGS8/d@RLIMIT_RESOURCES
146 switch|sched+tracepoint|skipreset+old+drop+conv|next:PID/d
147 NA2|sched|unused+skipreset+old|
148 drop|internal+meta|skipreset|ratio:UINT32/d
149 drop|internal+meta|skipreset|ratio:UINT32/d
150 fcntl|io_other+syscall|ufd+state+drop+conv|fd:FD/d, cmd:FLAGS8/d@FCNTL_COMMANDS
151 fcntl|io_other+syscall|ufd+state+drop+conv|res:FD/d|fd:FD/d, cmd:ENUMFLAGS8/d@FCNTL_COMMANDS, arg:UINT64/x
152 switch|sched+tracepoint|drop|next:PID/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d
153 NA2|sched|unused|
154 execve|process+syscall|state+old+conv|
155 execve|process+syscall|state+old+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d
156 clone|process+syscall|state+old|
157 clone|process+syscall|state+old+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d
158 brk|memory+syscall|drop+conv|addr:UINT64/x
159 brk|memory+syscall|drop+conv|res:UINT64/x, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d|addr:UINT64/x
160 mmap|memory+syscall|drop+conv|addr:UINT64/x, length:UINT64/d, prot:FLAGS32/x@PROT_FLAGS, flags:FLAGS32/x@MMAP_FLAGS, fd:FD/d, offset:UINT64/d
161 mmap|memory+syscall|drop+conv|res:UINT64/x, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d|addr:UINT64/x, length:UINT64/d, prot:FLAGS32/x@PROT_FLAGS, flags:FLAGS32/x@MMAP_FLAGS, fd:FD/d, offset:UINT64/d
162 mmap2|memory+syscall|drop+conv|addr:UINT64/x, length:UINT64/d, prot:FLAGS32/x@PROT_FLAGS, flags:FLAGS32/x@MMAP_FLAGS, fd:FD/d, pgoffset:UINT64/d
163 mmap2|memory+syscall|drop+conv|res:UINT64/x, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d|addr:UINT64/x, length:UINT64/d, prot:FLAGS32/x@PROT_FLAGS, flags:FLAGS32/x@MMAP_FLAGS, fd:FD/d, pgoffset:UINT64/d
164 munmap|memory+syscall|drop+conv|addr:UINT64/x, length:UINT64/d
165 munmap|memory+syscall|drop+conv|res:ERRNO/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d|addr:UINT64/x, length:UINT64/d
166 splice|io_other+syscall|ufd+drop+conv|fd_in:FD/d, fd_out:FD/d, size:UINT64/d, flags:FLAGS32/x@SPLICE_FLAGS
167 splice|io_other+syscall|ufd+drop+conv|res:ERRNO/d|fd_in:FD/d, fd_out:FD/d, size:UINT64/d, flags:FLAGS32/x@SPLICE_FLAGS
168 ptrace|process+syscall|conv|request:FLAGS16/d@PTRACE_REQUESTS, pid:PID/d
169 ptrace|process+syscall|conv|res:ERRNO/d, addr:DYN/x*PTRACE_DYN, data:DYN/x*PTRACE_DYN|request:ENUMFLAGS16/d@PTRACE_REQUESTS, pid:PID/d
170 ioctl|io_other+syscall|ufd+conv|fd:FD/d, request:UINT64/x, argument:UINT64/x
171 ioctl|io_other+syscall|ufd+conv|res:ERRNO/d|fd:FD/d, request:UINT64/x, argument:UINT64/x
172 execve|process+syscall|state+old+conv|
173 execve|process+syscall|state+old+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, env:BYTEBUF
174 rename|file+syscall|-|
175 rename|file+syscall|-|res:ERRNO/d, oldpath:FSPATH, newpath:FSPATH
176 renameat|file+syscall|-|
177 renameat|file+syscall|-|res:ERRNO/d, olddirfd:FD/d, oldpath:FSRELPATH#1, newdirfd:FD/d, newpath:FSRELPATH#3
178 symlink|file+syscall|-|
179 symlink|file+syscall|-|res:ERRNO/d, target:CHARBUF, linkpath:FSPATH
180 symlinkat|file+syscall|-|
181 symlinkat|file+syscall|-|res:ERRNO/d, target:CHARBUF, linkdirfd:FD/d, linkpath:FSRELPATH#2
182 fork|process+syscall|state+old|
183 fork|process+syscall|state+old+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d
184 vfork|process+syscall|state+old|
185 vfork|process+syscall|state+old+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d
186 procexit|process+tracepoint|state|status:ERRNO/d, ret:ERRNO/d, sig:SIGTYPE/d, core:UINT8/d|reaper_tid:PID/d
187 NA1|process|unused|
188 sendfile|io_write+syscall|ufd+drop+conv|out_fd:FD/d, in_fd:FD/d, offset:UINT64/d, size:UINT64/d
189 sendfile|io_write+syscall|ufd+drop+conv|res:ERRNO/d, offset:UINT64/d|out_fd:FD/d, in_fd:FD/d, size:UINT64/d
190 quotactl|user+syscall|conv|cmd:FLAGS16/d@QUOTACTL_CMDS, type:FLAGS8/d@QUOTACTL_TYPES, id:UINT32/d, quota_fmt:FLAGS8/d@QUOTACTL_QUOTA_FMTS
191 quotactl|user+syscall|conv|res:ERRNO/d, special:CHARBUF, quotafilepath:CHARBUF, dqb_bhardlimit:UINT64/d, dqb_bsoftlimit:UINT64/d, dqb_curspace:UINT64/d, dqb_ihardlimit:UINT64/d, dqb_isoftlimit:UINT64/d, dqb_btime:RELTIME/d, dqb_itime:RELTIME/d, dqi_bgrace:RELTIME/d, dqi_igrace:RELTIME/d, dqi_flags:FLAGS8/d@QUOTACTL_DQI_FLAGS, quota_fmt_out:FLAGS8/d@QUOTACTL_QUOTA_FMTS|cmd:FLAGS16/d@QUOTACTL_CMDS, type:FLAGS8/d@QUOTACTL_TYPES, id:UINT32/d, quota_fmt:FLAGS8/d@QUOTACTL_QUOTA_FMTS
192 setresuid|user+syscall|state+conv|ruid:UID/d, euid:UID/d, suid:UID/d
193 setresuid|user+syscall|state+conv|res:ERRNO/d|ruid:UID/d, euid:UID/d, suid:UID/d
194 setresgid|user+syscall|state+conv|rgid:GID/d, egid:GID/d, sgid:GID/d
195 setresgid|user+syscall|state+conv|res:ERRNO/d|rgid:GID/d, egid:GID/d, sgid:GID/d
196 sysdigevent|internal+meta|skipreset|event_type:UINT32/d, event_data:UINT64/d
197 sysdigevent|internal|unused|
198 setuid|user+syscall|state+conv|uid:UID/d
199 setuid|user+syscall|state+conv|res:ERRNO/d|uid:UID/d
200 setgid|user+syscall|state+conv|gid:GID/d
201 setgid|user+syscall|state+conv|res:ERRNO/d|gid:GID/d
202 getuid|user+syscall|drop|
203 getuid|user+syscall|drop|uid:UID/d
204 geteuid|user+syscall|drop|
205 geteuid|user+syscall|drop|euid:UID/d
206 getgid|user+syscall|drop|
207 getgid|user+syscall|drop|gid:GID/d
208 getegid|user+syscall|drop|
209 getegid|user+syscall|drop|egid:GID/d
210 getresuid|user+syscall|drop|
211 getresuid|user+syscall|drop|res:ERRNO/d, ruid:UID/d, euid:UID/d, suid:UID/d
212 getresgid|user+syscall|drop|
213 getresgid|user+syscall|drop|res:ERRNO/d, rgid:GID/d, egid:GID/d, sgid:GID/d
214 execve|process+syscall|state+old+conv|
215 execve|process+syscall|state+old+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, env:BYTEBUF
216 clone|process+syscall|state+old|
217 clone|process+syscall|state+old+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d
218 fork|process+syscall|state+old|
219 fork|process+syscall|state+old+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d
220 vfork|process+syscall|state+old|
221 vfork|process+syscall|state+old+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d
222 clone|process+syscall|state|
223 clone|process+syscall|state+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d, vtid:PID/d, vpid:PID/d|pidns_init_start_ts:UINT64/d
224 fork|process+syscall|state|
225 fork|process+syscall|state+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d, vtid:PID/d, vpid:PID/d|pidns_init_start_ts:UINT64/d
226 vfork|process+syscall|state|
227 vfork|process+syscall|state+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d, vtid:PID/d, vpid:PID/d|pidns_init_start_ts:UINT64/d
228 container|internal+meta|state+skipreset+old+conv|id:CHARBUF, type:UINT32/d, name:CHARBUF, image:CHARBUF
229 container|internal|unused+old|
230 execve|process+syscall|state+conv|
231 execve|process+syscall|state+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF
232 signaldeliver|signal+tracepoint|drop|spid:PID/d, dpid:PID/d, sig:SIGTYPE/d
233 signaldeliver|signal|unused|
234 procinfo|internal+meta|skipreset+drop|cpu_usr:UINT64/d, cpu_sys:UINT64/d
235 NA2|internal|unused|
236 getdents|file+syscall|ufd+drop+conv|fd:FD
237 getdents|file+syscall|ufd+drop+conv|res:ERRNO/d|fd:FD
238 getdents64|file+syscall|ufd+drop+conv|fd:FD
239 getdents64|file+syscall|ufd+drop+conv|res:ERRNO/d|fd:FD
240 setns|process+syscall|ufd+conv|fd:FD, nstype:FLAGS32/x@CLONE_FLAGS
241 setns|process+syscall|ufd+conv|res:ERRNO/d|fd:FD, nstype:FLAGS32/x@CLONE_FLAGS_HEAD
242 flock|file+syscall|ufd+conv|fd:FD, operation:FLAGS32/x@FLOCK_FLAGS
243 flock|file+syscall|ufd+conv|res:ERRNO/d|fd:FD, operation:FLAGS32/x@FLOCK_FLAGS
244 cpu_hotplug|system+meta|state+skipreset|cpu:UINT32/d, action:UINT32/d
245 NA2|system|unused|
246 accept|net+syscall|cfd+state|
247 accept|net+syscall|cfd+state|fd:FD/d, tuple:SOCKTUPLE, queuepct:UINT8/d, queuelen:UINT32/d, queuemax:UINT32/d
248 accept|net+syscall|cfd+state+conv|flags:INT32/x
249 accept|net+syscall|cfd+state+conv|fd:FD/d, tuple:SOCKTUPLE, queuepct:UINT8/d, queuelen:UINT32/d, queuemax:UINT32/d
250 semop|process+syscall|drop+conv|semid:INT32/d
251 semop|process+syscall|drop+conv|res:ERRNO/d, nsops:UINT32/d, sem_num_0:UINT16/d, sem_op_0:INT16/d, sem_flg_0:FLAGS16/x@SEMOP_FLAGS, sem_num_1:UINT16/d, sem_op_1:INT16/d, sem_flg_1:FLAGS16/x@SEMOP_FLAGS|semid:INT32/d
252 semctl|process+syscall|drop+conv|semid:INT32/d, semnum:INT32/d, cmd:FLAGS16/x@SEMCTL_COMMANDS, val:INT32/d
253 semctl|process+syscall|drop+conv|res:ERRNO/d|semid:INT32/d, semnum:INT32/d, cmd:FLAGS16/x@SEMCTL_COMMANDS, val:INT32/d
254 ppoll|wait+syscall|waits+drop+conv|fds:FDLIST/d, timeout:RELTIME/d, sigmask:SIGSET/d
255 ppoll|wait+syscall|waits+drop+conv|res:ERRNO/d, fds:FDLIST/d|timeout:RELTIME/d, sigmask:SIGSET/d
256 mount|file+syscall|state+conv|flags:FLAGS32/x@MOUNT_FLAGS
257 mount|file+syscall|state+conv|res:ERRNO/d, dev:CHARBUF, dir:FSPATH, type:CHARBUF|flags:FLAGS32/x@MOUNT_FLAGS
258 umount|file+syscall|state|flags:FLAGS32/x@UMOUNT_FLAGS
259 umount|file+syscall|state+conv|res:ERRNO/d, name:FSPATH
260 k8s|internal+meta|state+skipreset|json:CHARBUF
261 NA3|system|unused|
262 semget|process+syscall|drop+conv|key:INT32/x, nsems:INT32/d, semflg:FLAGS32/x@SEMGET_FLAGS
263 semget|process+syscall|drop+conv|res:ERRNO/d|key:INT32/x, nsems:INT32/d, semflg:FLAGS32/x@SEMGET_FLAGS
264 access|file+syscall|drop+conv|mode:FLAGS32/x@ACCESS_FLAGS
265 access|file+syscall|drop+conv|res:ERRNO/d, name:FSPATH|mode:FLAGS32/x@ACCESS_FLAGS
266 chroot|process+syscall|state|
267 chroot|process+syscall|state|res:ERRNO/d, path:FSPATH
268 tracer|other+meta|-|id:INT64/d, tags:CHARBUFARRAY, args:CHARBUF_PAIR_ARRAY
269 tracer|other|-|id:INT64/d, tags:CHARBUFARRAY, args:CHARBUF_PAIR_ARRAY
270 mesos|internal+meta|state+skipreset|json:CHARBUF
271 NA4|system|unused|
272 container|process+meta|state+conv|json:CHARBUF
273 container|process|unused|
274 setsid|process+syscall|state|
275 setsid|process+syscall|state|res:PID/d
276 mkdir|file+syscall|conv|mode:UINT32/x
277 mkdir|file+syscall|conv|res:ERRNO/d, path:FSPATH|mode:UINT32/x
278 rmdir|file+syscall|-|
279 rmdir|file+syscall|-|res:ERRNO/d, path:FSPATH
280 notification|other+meta|skipreset|id:CHARBUF/d, desc:CHARBUF
281 NA4|system|unused|
282 execve|process+syscall|state+old+conv|
283 execve|process+syscall|state+old+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:INT32/d
284 unshare|process+syscall|conv|flags:FLAGS32/x@CLONE_FLAGS
285 unshare|process+syscall|conv|res:ERRNO/d|flags:FLAGS32/x@CLONE_FLAGS_HEAD
286 infra|internal+meta|skipreset|source:CHARBUF/d, name:CHARBUF, description:CHARBUF, scope:CHARBUF
287 NA4|system|unused|
288 execve|process+syscall|state+old+conv|filename:FSPATH
289 execve|process+syscall|state+old+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:INT32/d
290 page_fault|other+tracepoint|skipreset+drop|addr:UINT64/x, ip:UINT64/x, error:FLAGS32/x@PF_FLAGS
291 NA5|other|unused|
292 execve|process+syscall|state+conv|filename:FSPATH
293 execve|process+syscall|state+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:INT32/d, pgid:PID/d, loginuid:INT32/d, flags:FLAGS32/x@EXECVE_FLAGS|cap_inheritable:UINT64/x, cap_permitted:UINT64/x, cap_effective:UINT64/x, exe_ino:UINT64/d, exe_ino_ctime:ABSTIME/d, exe_ino_mtime:ABSTIME/d, uid:UID/d, trusted_exepath:FSPATH, pgid:PID, gid:GID/d, filename:FSPATH
294 setpgid|process+syscall|state+conv|pid:PID/d, pgid:PID/d
295 setpgid|process+syscall|state+conv|res:PID/d|pid:PID/d, pgid:PID/d
296 bpf|other+syscall|cfd+conv|cmd:INT64/d
297 bpf|other+syscall|cfd+conv|res_or_fd:DYN/d*BPF_DYN
298 seccomp|other+syscall|conv|op:UINT64/d|flags:UINT64/x
299 seccomp|other+syscall|conv|res:ERRNO/d|op:UINT64/d, flags:UINT64/x
300 unlink|file+syscall|-|
301 unlink|file+syscall|-|res:ERRNO/d, path:FSPATH
302 unlinkat|file+syscall|-|
303 unlinkat|file+syscall|-|res:ERRNO/d, dirfd:FD/d, name:FSRELPATH#1, flags:FLAGS32/x@UNLINKAT_FLAGS
304 mkdirat|file+syscall|-|
305 mkdirat|file+syscall|-|res:ERRNO/d, dirfd:FD/d, path:FSRELPATH#1, mode:UINT32/x
306 openat|file+syscall|cfd+state+conv|dirfd:FD/d, name:FSRELPATH#0, flags:FLAGS32/x@FILE_FLAGS, mode:UINT32/o
307 openat|file+syscall|cfd+state+conv|fd:FD/d, dirfd:FD/d, name:FSRELPATH#1, flags:FLAGS32/x@FILE_FLAGS, mode:UINT32/o, dev:UINT32/x|ino:UINT64/d
308 link|file+syscall|-|
309 link|file+syscall|-|res:ERRNO/d, oldpath:FSPATH, newpath:FSPATH
310 linkat|file+syscall|-|
311 linkat|file+syscall|-|res:ERRNO/d, olddir:FD/d, oldpath:FSRELPATH#1, newdir:FD/d, newpath:FSRELPATH#3, flags:FLAGS32/x@LINKAT_FLAGS
312 fchmodat|file+syscall|-|
313 fchmodat|file+syscall|-|res:ERRNO/d, dirfd:FD/d, filename:FSRELPATH#1, mode:MODE/o@CHMOD_MODE
314 chmod|file+syscall|-|
315 chmod|file+syscall|-|res:ERRNO/d, filename:FSPATH, mode:MODE/o@CHMOD_MODE
316 fchmod|file+syscall|-|
317 fchmod|file+syscall|-|res:ERRNO/d, fd:FD/d, mode:MODE/o@CHMOD_MODE
318 renameat2|file+syscall|-|
319 renameat2|file+syscall|-|res:ERRNO/d, olddirfd:FD/d, oldpath:FSRELPATH#1, newdirfd:FD/d, newpath:FSRELPATH#3, flags:FLAGS32/x@RENAMEAT2_FLAGS
320 userfaultfd|file+syscall|cfd+state|
321 userfaultfd|file+syscall|cfd+state|res:ERRNO/d, flags:FLAGS32/x@FILE_FLAGS
322 pluginevent|other+plugin|large|plugin ID:UINT32/d, event_data:BYTEBUF
323 pluginevent|other|unused|
324 container|process+meta|state+large|json:CHARBUF
325 container|process|unused|
326 openat2|file+syscall|cfd+state+conv|dirfd:FD/d, name:FSRELPATH#1, flags:FLAGS32/x@FILE_FLAGS, mode:UINT32/o, resolve:FLAGS32/x@OPENAT2_FLAGS
327 openat2|file+syscall|cfd+state+conv|fd:FD/d, dirfd:FD/d, name:FSRELPATH#1, flags:FLAGS32/x@FILE_FLAGS, mode:UINT32/o, resolve:FLAGS32/x@OPENAT2_FLAGS|dev:UINT32/x, ino:UINT64/d
328 mprotect|memory+syscall|drop+conv|addr:UINT64/x, length:UINT64/d, prot:FLAGS32/x@PROT_FLAGS
329 mprotect|memory+syscall|drop+conv|res:ERRNO/d|addr:UINT64/x, length:UINT64/d, prot:FLAGS32/x@PROT_FLAGS
330 execveat|process+syscall|state+conv|dirfd:FD/d, pathname:FSRELPATH#0, flags:FLAGS32/x@EXECVEAT_FLAGS
331 execveat|process+syscall|state+conv|res:ERRNO/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:UINT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, env:BYTEBUF, tty:INT32/d, pgid:PID/d, loginuid:INT32/d, flags:FLAGS32/x@EXECVE_FLAGS|cap_inheritable:UINT64/x, cap_permitted:UINT64/x, cap_effective:UINT64/x, exe_ino:UINT64/d, exe_ino_ctime:ABSTIME/d, exe_ino_mtime:ABSTIME/d, uid:UID/d, trusted_exepath:FSPATH, pgid:PID, gid:GID/d
332 copy_file_range|file+syscall|ufd+rfd+wfd+conv|fdin:FD/d, offin:UINT64/d, len:UINT64/d
333 copy_file_range|file+syscall|ufd+rfd+wfd+conv|res:ERRNO/d, fdout:FD/d, offout:UINT64/d|fdin:FD/d, offin:UINT64/d, len:UINT64/d
334 clone3|process+syscall|state|
335 clone3|process+syscall|state+conv|res:PID/d, exe:CHARBUF, args:BYTEBUF, tid:PID/d, pid:PID/d, ptid:PID/d, cwd:CHARBUF, fdlimit:INT64/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, comm:CHARBUF, cgroups:BYTEBUF, flags:FLAGS32/x@CLONE_FLAGS, uid:UINT32/d, gid:UINT32/d, vtid:PID/d, vpid:PID/d|pidns_init_start_ts:UINT64/d
336 open_by_handle_at|file+syscall|cfd+state+old|
337 open_by_handle_at|file+syscall|cfd+state|fd:FD/d, mountfd:FD/d, flags:FLAGS32/x@FILE_FLAGS_HEAD, path:FSPATH, dev:UINT32/x, ino:UINT64/d
338 io_uring_setup|io_other+syscall|cfd+state+old|
339 io_uring_setup|io_other+syscall|cfd+state|res:ERRNO/d, entries:UINT32/d, sq_entries:UINT32/d, cq_entries:UINT32/d, flags:FLAGS32/x@IO_URING_SETUP_FLAGS, sq_thread_cpu:UINT32/d, sq_thread_idle:UINT32/d, features:FLAGS32/x@IO_URING_SETUP_FEATS
340 io_uring_enter|io_other+syscall|old|
341 io_uring_enter|io_other+syscall|ufd|res:ERRNO/d, fd:FD/d, to_submit:UINT32/d, min_complete:UINT32/d, flags:FLAGS32/x@IO_URING_ENTER_FLAGS, sig:SIGSET/d
342 io_uring_register|io_other+syscall|old|
343 io_uring_register|io_other+syscall|ufd|res:ERRNO/d, fd:FD/d, opcode:ENUMFLAGS16/d@IO_URING_REGISTER_OPCODES, arg:UINT64/x, nr_args:UINT32/d
344 mlock|memory+syscall|old|
345 mlock|memory+syscall|-|res:ERRNO/d, addr:UINT64/x, len:UINT64/d
346 munlock|memory+syscall|old|
347 munlock|memory+syscall|-|res:ERRNO/d, addr:UINT64/x, len:UINT64/d
348 mlockall|memory+syscall|old|
349 mlockall|memory+syscall|-|res:ERRNO/d, flags:FLAGS32/x@MLOCKALL_FLAGS
350 munlockall|memory+syscall|old|
351 munlockall|memory+syscall|-|res:ERRNO/d
352 capset|process+syscall|state+old|
353 capset|process+syscall|state|res:ERRNO/d, cap_inheritable:UINT64/x, cap_permitted:UINT64/x, cap_effective:UINT64/x
354 useradded|process+meta|state|uid:UINT32/d, gid:UINT32/d, name:CHARBUF, home:CHARBUF, shell:CHARBUF, container_id:CHARBUF
355 NA|unknown|unused|
356 userdeleted|process+meta|state|uid:UINT32/d, gid:UINT32/d, name:CHARBUF, home:CHARBUF, shell:CHARBUF, container_id:CHARBUF
357 NA|unknown|unused|
358 groupadded|process+meta|state|gid:UINT32/d, name:CHARBUF, container_id:CHARBUF
359 NA|unknown|unused|
360 groupdeleted|process+meta|state|gid:UINT32/d, name:CHARBUF, container_id:CHARBUF
361 NA|unknown|unused|
362 dup2|io_other+syscall|cfd+ufd+state+old|fd:FD/d
363 dup2|io_other+syscall|cfd+ufd+state|res:FD/d, oldfd:FD/d, newfd:FD/d
364 dup3|io_other+syscall|cfd+ufd+state+old|fd:FD/d
365 dup3|io_other+syscall|cfd+ufd+state|res:FD/d, oldfd:FD/d, newfd:FD/d, flags:FLAGS32/x@FILE_FLAGS_HEAD
366 dup|io_other+syscall|cfd+ufd+state+old|fd:FD/d
367 dup|io_other+syscall|cfd+ufd+state|res:FD/d, oldfd:FD/d
368 bpf|other+syscall|cfd+old|cmd:INT64/d
369 bpf|other+syscall|cfd|fd:FD/d, cmd:ENUMFLAGS32/d@BPF_COMMANDS
370 mlock2|memory+syscall|old|
371 mlock2|memory+syscall|-|res:ERRNO/d, addr:UINT64/x, len:UINT64/d, flags:FLAGS32/x@MLOCK2_FLAGS
372 fsconfig|system+syscall|old|
373 fsconfig|system+syscall|ufd|res:ERRNO/d, fd:FD/d, cmd:ENUMFLAGS32/d@FSCONFIG_CMDS, key:CHARBUF, value_bytebuf:BYTEBUF, value_charbuf:CHARBUF, aux:INT32/d
374 epoll_create|wait+syscall|cfd+state+old+conv|size:INT32/d
375 epoll_create|wait+syscall|cfd+state+conv|res:ERRNO/d, size:INT32/d
376 epoll_create1|wait+syscall|cfd+state+old+conv|flags:FLAGS32/x@EPOLL_CREATE1_FLAGS
377 epoll_create1|wait+syscall|cfd+state+conv|res:ERRNO/d, flags:FLAGS32/x@EPOLL_CREATE1_FLAGS
378 chown|file+syscall|old|
379 chown|file+syscall|-|res:ERRNO/d, path:FSPATH, uid:UINT32/d, gid:UINT32/d
380 lchown|file+syscall|old|
381 lchown|file+syscall|-|res:ERRNO/d, path:FSPATH, uid:UINT32/d, gid:UINT32/d
382 fchown|file+syscall|old|
383 fchown|file+syscall|ufd|res:ERRNO/d, fd:FD/d, uid:UINT32/d, gid:UINT32/d
384 fchownat|file+syscall|old|
385 fchownat|file+syscall|ufd|res:ERRNO/d, dirfd:FD/d, pathname:FSRELPATH#1, uid:UINT32/d, gid:UINT32/d, flags:FLAGS32/x@FCHOWNAT_FLAGS
386 umount|file+syscall|state+old|
387 umount|file+syscall|state|res:ERRNO/d, name:FSPATH
388 accept4|net+syscall|cfd+state+old+conv|flags:INT32/x
389 accept4|net+syscall|cfd+state+conv|fd:FD/d, tuple:SOCKTUPLE, queuepct:UINT8/d, queuelen:UINT32/d, queuemax:UINT32/d, flags:INT32/x
390 umount2|file+syscall|state+old+conv|flags:FLAGS32/x@UMOUNT_FLAGS
391 umount2|file+syscall|state+conv|res:ERRNO/d, name:FSPATH, flags:FLAGS32/x@UMOUNT_FLAGS
392 pipe2|ipc+syscall|cfd+state+old|
393 pipe2|ipc+syscall|cfd+state|res:ERRNO/d, fd1:FD/d, fd2:FD/d, ino:UINT64/d, flags:FLAGS32/x@FILE_FLAGS_HEAD
394 inotify_init1|ipc+syscall|cfd+state+old|
395 inotify_init1|ipc+syscall|cfd+state|res:FD/d, flags:FLAGS16/x@FILE_FLAGS_HEAD
396 eventfd2|ipc+syscall|cfd+state+old+conv|initval:UINT64/d
397 eventfd2|ipc+syscall|cfd+state+conv|res:FD/d, flags:FLAGS16/x@FILE_FLAGS_HEAD, initval:UINT64/d
398 signalfd4|signal+syscall|cfd+state+old+conv|fd:FD/d, mask:UINT32/x
399 signalfd4|signal+syscall|cfd+state+conv|res:FD/d, flags:FLAGS16/x@FILE_FLAGS_HEAD, fd:FD/d, mask:UINT32/x
400 prctl|process+syscall|state+old|
401 prctl|process+syscall|state|res:ERRNO/d, option:ENUMFLAGS32/d@PRCTL_OPTIONS, arg2_str:CHARBUF, arg2_int:INT64/d
402 asyncevent|other+meta|large|plugin_id:UINT32/d, name:CHARBUF, data:BYTEBUF
403 NA|unknown|unused|
404 memfd_create|memory+syscall|cfd+state+old|
405 memfd_create|memory+syscall|cfd+state|fd:FD/d, name:CHARBUF, flags:FLAGS32/x@MEMFD_CREATE_FLAGS
406 pidfd_getfd|process+syscall|cfd+state+old|
407 pidfd_getfd|process+syscall|cfd+state|fd:FD/d, pid_fd:FD/d, target_fd:FD/d, flags:UINT32/x
408 pidfd_open|process+syscall|cfd+state+old|
409 pidfd_open|process+syscall|cfd+state|fd:FD/d, pid:PID/d, flags:FLAGS32/x@PIDFD_OPEN_FLAGS
410 init_module|other+syscall|old|
411 init_module|other+syscall|-|res:ERRNO/d, img:BYTEBUF, length:UINT64/d, uargs:CHARBUF
412 finit_module|other+syscall|old|
413 finit_module|other+syscall|ufd+rfd|res:ERRNO/d, fd:FD/d, uargs:CHARBUF, flags:FLAGS32/x@FINIT_MODULE_FLAGS
414 mknod|other+syscall|old|
415 mknod|other+syscall|-|res:ERRNO/d, path:FSPATH, mode:MODE/o@MKNOD_MODE, dev:UINT32/d
416 mknodat|other+syscall|old|
417 mknodat|other+syscall|ufd|res:ERRNO/d, dirfd:FD/d, path:FSRELPATH#1, mode:MODE/o@MKNOD_MODE, dev:UINT32/d
418 newfstatat|file+syscall|old|
419 newfstatat|file+syscall|ufd|res:ERRNO/d, dirfd:FD/d, path:FSRELPATH#1, flags:FLAGS32/x@NEWFSTATAT_FLAGS
420 process_vm_readv|ipc+syscall|old|
421 process_vm_readv|ipc+syscall|-|res:INT64/d, pid:PID/d, data:BYTEBUF
422 process_vm_writev|ipc+syscall|old|
423 process_vm_writev|ipc+syscall|-|res:INT64/d, pid:PID/d, data:BYTEBUF
424 delete_module|other+syscall|old|
425 delete_module|other+syscall|-|res:ERRNO/d, name:CHARBUF, flags:FLAGS32/x@DELETE_MODULE_FLAGS
426 setreuid|user+syscall|state+old|
427 setreuid|user+syscall|state|res:ERRNO/d, ruid:UID/d, euid:UID/d
428 setregid|user+syscall|old|
429 setregid|user+syscall|state|res:ERRNO/d, rgid:UID/d, egid:UID/d
430 task|process+iter|state|ppid:PID32/d, pgid:PID32/d, vpgid:PID32/d, sid:PID32/d, comm:CHARBUF, argv:CHARBUFARRAY, exepath:FSPATH, flags:FLAGS32/x@EXECVE_FLAGS_HEAD, env:CHARBUFARRAY, cwd:CHARBUF, fdlimit:UINT64/d, euid:UID/d, egid:GID/d, cap_permitted:UINT64/x, cap_effective:UINT64/x, cap_inheritable:UINT64/x, exe_ino_num:UINT64/d, exe_ino_ctime:ABSTIME/d, exe_ino_mtime:ABSTIME/d, vm_size:UINT32/d, vm_rss:UINT32/d, vm_swap:UINT32/d, pgft_maj:UINT64/d, pgft_min:UINT64/d, vtgid:PID32/d, vpid:PID32/d, pidns_init_start_ts:UINT64/d, cgroups:CHARBUFARRAY, root:FSPATH, start_time:ABSTIME/d, tty:UINT32/d, loginuid:UID/d
431 NA|unknown|unused|
432 task_file_pipe|file+iter|state|fd:FD32/d, path:FSPATH, ino_num:UINT64/d
433 NA|unknown|unused|
434 task_file_memfd|file+iter|state|fd:FD32/d, path:FSPATH, ino_num:UINT64/d
435 NA|unknown|unused|
436 task_file_regular|file+iter|state|fd:FD32/d, path:FSPATH, flags:FLAGS32/x@FILE_FLAGS_HEAD, mnt_id:UINT32/d, ino_num:UINT64/d
437 NA|unknown|unused|
438 task_file_directory|file+iter|state|fd:FD32/d, path:FSPATH, ino_num:UINT64/d
439 NA|unknown|unused|
440 task_file_socket_inet|file+iter|state|fd:FD32/d, sk_type:UINT16/d, sk_proto:UINT16/d, local_ip:IPV4ADDR/x, local_port:PORT/x, remote_ip:IPV4ADDR/x, remote_port:PORT/x, ino_num:UINT64/d
441 NA|unknown|unused|
442 task_file_socket_inet6|file+iter|state|fd:FD32/d, sk_type:UINT16/d, sk_proto:UINT16/d, local_ip:IPV6ADDR/x, local_port:PORT/x, remote_ip:IPV6ADDR/x, remote_port:PORT/x, ino_num:UINT64/d
443 NA|unknown|unused|
444 task_file_socket_unix|file+iter|state|fd:FD32/d, sk_type:UINT16/d, sk_proto:UINT16/d, sk_pointer:UINT64, sun_path:FSPATH, ino_num:UINT64/d
445 NA|unknown|unused|
446 task_file_socket_netlink|file+iter|state|fd:FD32/d, sk_type:UINT16/d, sk_proto:UINT16/d, ino_num:UINT64/d
447 NA|unknown|unused|
448 task_file_anon_inode|file+iter|state|fd:FD32/d, fd_type:FLAGS8/d@ANON_INODE_FD_TYPES, path:FSPATH, ino_num:UINT64/d
449 NA|unknown|unused|
450 NA|unknown|unused|
451 close_range|io_other+syscall|state|res:ERRNO/d, first:UINT32/d, last:UINT32/d, flags:FLAGS32/x@CLOSE_RANGE_FLAGS
452 NA|unknown|unused|
453 keyctl|other+syscall|-|res:ERRNO/d, operation:ENUMFLAGS32/d@KEYCTL_OPERATIONS, arg2:DYN/d*KEYCTL_DYN, arg3:DYN/d*KEYCTL_DYN, arg4:DYN/d*KEYCTL_DYN, arg5:DYN/d*KEYCTL_DYN
`;

/** Event table indexed by event type id. */
export const EVENTS: readonly EventInfo[] = build(ROWS);

/** Table entry of an event type id, undefined when out of range. */
export function eventInfo(type: number): EventInfo | undefined {
  return EVENTS[type];
}

const BY_NAME = new Map<string, number[]>();
for (const e of EVENTS) {
  const ids = BY_NAME.get(e.name);
  if (ids) ids.push(e.id);
  else BY_NAME.set(e.name, [e.id]);
}

for (const ids of BY_NAME.values()) Object.freeze(ids);

/** Every event name with the ids carrying it, both directions and all versions, ascending. */
export const EVENT_NAMES: ReadonlyMap<string, readonly number[]> = BY_NAME;

/** Ids named `name` (e.g. 'open' -> [2, 3]; 'execve' -> all its versions), ascending; [] if none. */
export function eventTypesByName(name: string): readonly number[] {
  return BY_NAME.get(name) ?? [];
}

/** The category bits sysdig 0.29.3 had (without the event-source bits newer libs add). */
export function legacyCategory(category: number): number {
  return category & ~EC_SOURCE_BITS;
}

/** Event type ids by their libs identifier (without the PPME_ prefix; SYSDIGEVENT_* is the 0.29.3 spelling of SCAPEVENT_*). */
export const PPME = Object.freeze({
  GENERIC_E: 0, GENERIC_X: 1, SYSCALL_OPEN_E: 2, SYSCALL_OPEN_X: 3, SYSCALL_CLOSE_E: 4,
  SYSCALL_CLOSE_X: 5, SYSCALL_READ_E: 6, SYSCALL_READ_X: 7, SYSCALL_WRITE_E: 8, SYSCALL_WRITE_X: 9,
  SYSCALL_BRK_1_E: 10, SYSCALL_BRK_1_X: 11, SYSCALL_EXECVE_8_E: 12, SYSCALL_EXECVE_8_X: 13,
  SYSCALL_CLONE_11_E: 14, SYSCALL_CLONE_11_X: 15, PROCEXIT_E: 16, PROCEXIT_X: 17,
  SOCKET_SOCKET_E: 18, SOCKET_SOCKET_X: 19, SOCKET_BIND_E: 20, SOCKET_BIND_X: 21,
  SOCKET_CONNECT_E: 22, SOCKET_CONNECT_X: 23, SOCKET_LISTEN_E: 24, SOCKET_LISTEN_X: 25,
  SOCKET_ACCEPT_E: 26, SOCKET_ACCEPT_X: 27, SOCKET_SEND_E: 28, SOCKET_SEND_X: 29,
  SOCKET_SENDTO_E: 30, SOCKET_SENDTO_X: 31, SOCKET_RECV_E: 32, SOCKET_RECV_X: 33,
  SOCKET_RECVFROM_E: 34, SOCKET_RECVFROM_X: 35, SOCKET_SHUTDOWN_E: 36, SOCKET_SHUTDOWN_X: 37,
  SOCKET_GETSOCKNAME_E: 38, SOCKET_GETSOCKNAME_X: 39, SOCKET_GETPEERNAME_E: 40,
  SOCKET_GETPEERNAME_X: 41, SOCKET_SOCKETPAIR_E: 42, SOCKET_SOCKETPAIR_X: 43,
  SOCKET_SETSOCKOPT_E: 44, SOCKET_SETSOCKOPT_X: 45, SOCKET_GETSOCKOPT_E: 46, SOCKET_GETSOCKOPT_X: 47,
  SOCKET_SENDMSG_E: 48, SOCKET_SENDMSG_X: 49, SOCKET_SENDMMSG_E: 50, SOCKET_SENDMMSG_X: 51,
  SOCKET_RECVMSG_E: 52, SOCKET_RECVMSG_X: 53, SOCKET_RECVMMSG_E: 54, SOCKET_RECVMMSG_X: 55,
  SOCKET_ACCEPT4_E: 56, SOCKET_ACCEPT4_X: 57, SYSCALL_CREAT_E: 58, SYSCALL_CREAT_X: 59,
  SYSCALL_PIPE_E: 60, SYSCALL_PIPE_X: 61, SYSCALL_EVENTFD_E: 62, SYSCALL_EVENTFD_X: 63,
  SYSCALL_FUTEX_E: 64, SYSCALL_FUTEX_X: 65, SYSCALL_STAT_E: 66, SYSCALL_STAT_X: 67,
  SYSCALL_LSTAT_E: 68, SYSCALL_LSTAT_X: 69, SYSCALL_FSTAT_E: 70, SYSCALL_FSTAT_X: 71,
  SYSCALL_STAT64_E: 72, SYSCALL_STAT64_X: 73, SYSCALL_LSTAT64_E: 74, SYSCALL_LSTAT64_X: 75,
  SYSCALL_FSTAT64_E: 76, SYSCALL_FSTAT64_X: 77, SYSCALL_EPOLLWAIT_E: 78, SYSCALL_EPOLLWAIT_X: 79,
  SYSCALL_POLL_E: 80, SYSCALL_POLL_X: 81, SYSCALL_SELECT_E: 82, SYSCALL_SELECT_X: 83,
  SYSCALL_NEWSELECT_E: 84, SYSCALL_NEWSELECT_X: 85, SYSCALL_LSEEK_E: 86, SYSCALL_LSEEK_X: 87,
  SYSCALL_LLSEEK_E: 88, SYSCALL_LLSEEK_X: 89, SYSCALL_IOCTL_2_E: 90, SYSCALL_IOCTL_2_X: 91,
  SYSCALL_GETCWD_E: 92, SYSCALL_GETCWD_X: 93, SYSCALL_CHDIR_E: 94, SYSCALL_CHDIR_X: 95,
  SYSCALL_FCHDIR_E: 96, SYSCALL_FCHDIR_X: 97, SYSCALL_MKDIR_E: 98, SYSCALL_MKDIR_X: 99,
  SYSCALL_RMDIR_E: 100, SYSCALL_RMDIR_X: 101, SYSCALL_OPENAT_E: 102, SYSCALL_OPENAT_X: 103,
  SYSCALL_LINK_E: 104, SYSCALL_LINK_X: 105, SYSCALL_LINKAT_E: 106, SYSCALL_LINKAT_X: 107,
  SYSCALL_UNLINK_E: 108, SYSCALL_UNLINK_X: 109, SYSCALL_UNLINKAT_E: 110, SYSCALL_UNLINKAT_X: 111,
  SYSCALL_PREAD_E: 112, SYSCALL_PREAD_X: 113, SYSCALL_PWRITE_E: 114, SYSCALL_PWRITE_X: 115,
  SYSCALL_READV_E: 116, SYSCALL_READV_X: 117, SYSCALL_WRITEV_E: 118, SYSCALL_WRITEV_X: 119,
  SYSCALL_PREADV_E: 120, SYSCALL_PREADV_X: 121, SYSCALL_PWRITEV_E: 122, SYSCALL_PWRITEV_X: 123,
  SYSCALL_DUP_E: 124, SYSCALL_DUP_X: 125, SYSCALL_SIGNALFD_E: 126, SYSCALL_SIGNALFD_X: 127,
  SYSCALL_KILL_E: 128, SYSCALL_KILL_X: 129, SYSCALL_TKILL_E: 130, SYSCALL_TKILL_X: 131,
  SYSCALL_TGKILL_E: 132, SYSCALL_TGKILL_X: 133, SYSCALL_NANOSLEEP_E: 134, SYSCALL_NANOSLEEP_X: 135,
  SYSCALL_TIMERFD_CREATE_E: 136, SYSCALL_TIMERFD_CREATE_X: 137, SYSCALL_INOTIFY_INIT_E: 138,
  SYSCALL_INOTIFY_INIT_X: 139, SYSCALL_GETRLIMIT_E: 140, SYSCALL_GETRLIMIT_X: 141,
  SYSCALL_SETRLIMIT_E: 142, SYSCALL_SETRLIMIT_X: 143, SYSCALL_PRLIMIT_E: 144, SYSCALL_PRLIMIT_X: 145,
  SCHEDSWITCH_1_E: 146, SCHEDSWITCH_1_X: 147, DROP_E: 148, DROP_X: 149, SYSCALL_FCNTL_E: 150,
  SYSCALL_FCNTL_X: 151, SCHEDSWITCH_6_E: 152, SCHEDSWITCH_6_X: 153, SYSCALL_EXECVE_13_E: 154,
  SYSCALL_EXECVE_13_X: 155, SYSCALL_CLONE_16_E: 156, SYSCALL_CLONE_16_X: 157, SYSCALL_BRK_4_E: 158,
  SYSCALL_BRK_4_X: 159, SYSCALL_MMAP_E: 160, SYSCALL_MMAP_X: 161, SYSCALL_MMAP2_E: 162,
  SYSCALL_MMAP2_X: 163, SYSCALL_MUNMAP_E: 164, SYSCALL_MUNMAP_X: 165, SYSCALL_SPLICE_E: 166,
  SYSCALL_SPLICE_X: 167, SYSCALL_PTRACE_E: 168, SYSCALL_PTRACE_X: 169, SYSCALL_IOCTL_3_E: 170,
  SYSCALL_IOCTL_3_X: 171, SYSCALL_EXECVE_14_E: 172, SYSCALL_EXECVE_14_X: 173, SYSCALL_RENAME_E: 174,
  SYSCALL_RENAME_X: 175, SYSCALL_RENAMEAT_E: 176, SYSCALL_RENAMEAT_X: 177, SYSCALL_SYMLINK_E: 178,
  SYSCALL_SYMLINK_X: 179, SYSCALL_SYMLINKAT_E: 180, SYSCALL_SYMLINKAT_X: 181, SYSCALL_FORK_E: 182,
  SYSCALL_FORK_X: 183, SYSCALL_VFORK_E: 184, SYSCALL_VFORK_X: 185, PROCEXIT_1_E: 186,
  PROCEXIT_1_X: 187, SYSCALL_SENDFILE_E: 188, SYSCALL_SENDFILE_X: 189, SYSCALL_QUOTACTL_E: 190,
  SYSCALL_QUOTACTL_X: 191, SYSCALL_SETRESUID_E: 192, SYSCALL_SETRESUID_X: 193,
  SYSCALL_SETRESGID_E: 194, SYSCALL_SETRESGID_X: 195, SCAPEVENT_E: 196, SCAPEVENT_X: 197,
  SYSCALL_SETUID_E: 198, SYSCALL_SETUID_X: 199, SYSCALL_SETGID_E: 200, SYSCALL_SETGID_X: 201,
  SYSCALL_GETUID_E: 202, SYSCALL_GETUID_X: 203, SYSCALL_GETEUID_E: 204, SYSCALL_GETEUID_X: 205,
  SYSCALL_GETGID_E: 206, SYSCALL_GETGID_X: 207, SYSCALL_GETEGID_E: 208, SYSCALL_GETEGID_X: 209,
  SYSCALL_GETRESUID_E: 210, SYSCALL_GETRESUID_X: 211, SYSCALL_GETRESGID_E: 212,
  SYSCALL_GETRESGID_X: 213, SYSCALL_EXECVE_15_E: 214, SYSCALL_EXECVE_15_X: 215,
  SYSCALL_CLONE_17_E: 216, SYSCALL_CLONE_17_X: 217, SYSCALL_FORK_17_E: 218, SYSCALL_FORK_17_X: 219,
  SYSCALL_VFORK_17_E: 220, SYSCALL_VFORK_17_X: 221, SYSCALL_CLONE_20_E: 222, SYSCALL_CLONE_20_X: 223,
  SYSCALL_FORK_20_E: 224, SYSCALL_FORK_20_X: 225, SYSCALL_VFORK_20_E: 226, SYSCALL_VFORK_20_X: 227,
  CONTAINER_E: 228, CONTAINER_X: 229, SYSCALL_EXECVE_16_E: 230, SYSCALL_EXECVE_16_X: 231,
  SIGNALDELIVER_E: 232, SIGNALDELIVER_X: 233, PROCINFO_E: 234, PROCINFO_X: 235,
  SYSCALL_GETDENTS_E: 236, SYSCALL_GETDENTS_X: 237, SYSCALL_GETDENTS64_E: 238,
  SYSCALL_GETDENTS64_X: 239, SYSCALL_SETNS_E: 240, SYSCALL_SETNS_X: 241, SYSCALL_FLOCK_E: 242,
  SYSCALL_FLOCK_X: 243, CPU_HOTPLUG_E: 244, CPU_HOTPLUG_X: 245, SOCKET_ACCEPT_5_E: 246,
  SOCKET_ACCEPT_5_X: 247, SOCKET_ACCEPT4_5_E: 248, SOCKET_ACCEPT4_5_X: 249, SYSCALL_SEMOP_E: 250,
  SYSCALL_SEMOP_X: 251, SYSCALL_SEMCTL_E: 252, SYSCALL_SEMCTL_X: 253, SYSCALL_PPOLL_E: 254,
  SYSCALL_PPOLL_X: 255, SYSCALL_MOUNT_E: 256, SYSCALL_MOUNT_X: 257, SYSCALL_UMOUNT_E: 258,
  SYSCALL_UMOUNT_X: 259, K8S_E: 260, K8S_X: 261, SYSCALL_SEMGET_E: 262, SYSCALL_SEMGET_X: 263,
  SYSCALL_ACCESS_E: 264, SYSCALL_ACCESS_X: 265, SYSCALL_CHROOT_E: 266, SYSCALL_CHROOT_X: 267,
  TRACER_E: 268, TRACER_X: 269, MESOS_E: 270, MESOS_X: 271, CONTAINER_JSON_E: 272,
  CONTAINER_JSON_X: 273, SYSCALL_SETSID_E: 274, SYSCALL_SETSID_X: 275, SYSCALL_MKDIR_2_E: 276,
  SYSCALL_MKDIR_2_X: 277, SYSCALL_RMDIR_2_E: 278, SYSCALL_RMDIR_2_X: 279, NOTIFICATION_E: 280,
  NOTIFICATION_X: 281, SYSCALL_EXECVE_17_E: 282, SYSCALL_EXECVE_17_X: 283, SYSCALL_UNSHARE_E: 284,
  SYSCALL_UNSHARE_X: 285, INFRASTRUCTURE_EVENT_E: 286, INFRASTRUCTURE_EVENT_X: 287,
  SYSCALL_EXECVE_18_E: 288, SYSCALL_EXECVE_18_X: 289, PAGE_FAULT_E: 290, PAGE_FAULT_X: 291,
  SYSCALL_EXECVE_19_E: 292, SYSCALL_EXECVE_19_X: 293, SYSCALL_SETPGID_E: 294, SYSCALL_SETPGID_X: 295,
  SYSCALL_BPF_E: 296, SYSCALL_BPF_X: 297, SYSCALL_SECCOMP_E: 298, SYSCALL_SECCOMP_X: 299,
  SYSCALL_UNLINK_2_E: 300, SYSCALL_UNLINK_2_X: 301, SYSCALL_UNLINKAT_2_E: 302,
  SYSCALL_UNLINKAT_2_X: 303, SYSCALL_MKDIRAT_E: 304, SYSCALL_MKDIRAT_X: 305, SYSCALL_OPENAT_2_E: 306,
  SYSCALL_OPENAT_2_X: 307, SYSCALL_LINK_2_E: 308, SYSCALL_LINK_2_X: 309, SYSCALL_LINKAT_2_E: 310,
  SYSCALL_LINKAT_2_X: 311, SYSCALL_FCHMODAT_E: 312, SYSCALL_FCHMODAT_X: 313, SYSCALL_CHMOD_E: 314,
  SYSCALL_CHMOD_X: 315, SYSCALL_FCHMOD_E: 316, SYSCALL_FCHMOD_X: 317, SYSCALL_RENAMEAT2_E: 318,
  SYSCALL_RENAMEAT2_X: 319, SYSCALL_USERFAULTFD_E: 320, SYSCALL_USERFAULTFD_X: 321,
  PLUGINEVENT_E: 322, PLUGINEVENT_X: 323, CONTAINER_JSON_2_E: 324, CONTAINER_JSON_2_X: 325,
  SYSCALL_OPENAT2_E: 326, SYSCALL_OPENAT2_X: 327, SYSCALL_MPROTECT_E: 328, SYSCALL_MPROTECT_X: 329,
  SYSCALL_EXECVEAT_E: 330, SYSCALL_EXECVEAT_X: 331, SYSCALL_COPY_FILE_RANGE_E: 332,
  SYSCALL_COPY_FILE_RANGE_X: 333, SYSCALL_CLONE3_E: 334, SYSCALL_CLONE3_X: 335,
  SYSCALL_OPEN_BY_HANDLE_AT_E: 336, SYSCALL_OPEN_BY_HANDLE_AT_X: 337, SYSCALL_IO_URING_SETUP_E: 338,
  SYSCALL_IO_URING_SETUP_X: 339, SYSCALL_IO_URING_ENTER_E: 340, SYSCALL_IO_URING_ENTER_X: 341,
  SYSCALL_IO_URING_REGISTER_E: 342, SYSCALL_IO_URING_REGISTER_X: 343, SYSCALL_MLOCK_E: 344,
  SYSCALL_MLOCK_X: 345, SYSCALL_MUNLOCK_E: 346, SYSCALL_MUNLOCK_X: 347, SYSCALL_MLOCKALL_E: 348,
  SYSCALL_MLOCKALL_X: 349, SYSCALL_MUNLOCKALL_E: 350, SYSCALL_MUNLOCKALL_X: 351,
  SYSCALL_CAPSET_E: 352, SYSCALL_CAPSET_X: 353, USER_ADDED_E: 354, USER_ADDED_X: 355,
  USER_DELETED_E: 356, USER_DELETED_X: 357, GROUP_ADDED_E: 358, GROUP_ADDED_X: 359,
  GROUP_DELETED_E: 360, GROUP_DELETED_X: 361, SYSCALL_DUP2_E: 362, SYSCALL_DUP2_X: 363,
  SYSCALL_DUP3_E: 364, SYSCALL_DUP3_X: 365, SYSCALL_DUP_1_E: 366, SYSCALL_DUP_1_X: 367,
  SYSCALL_BPF_2_E: 368, SYSCALL_BPF_2_X: 369, SYSCALL_MLOCK2_E: 370, SYSCALL_MLOCK2_X: 371,
  SYSCALL_FSCONFIG_E: 372, SYSCALL_FSCONFIG_X: 373, SYSCALL_EPOLL_CREATE_E: 374,
  SYSCALL_EPOLL_CREATE_X: 375, SYSCALL_EPOLL_CREATE1_E: 376, SYSCALL_EPOLL_CREATE1_X: 377,
  SYSCALL_CHOWN_E: 378, SYSCALL_CHOWN_X: 379, SYSCALL_LCHOWN_E: 380, SYSCALL_LCHOWN_X: 381,
  SYSCALL_FCHOWN_E: 382, SYSCALL_FCHOWN_X: 383, SYSCALL_FCHOWNAT_E: 384, SYSCALL_FCHOWNAT_X: 385,
  SYSCALL_UMOUNT_1_E: 386, SYSCALL_UMOUNT_1_X: 387, SOCKET_ACCEPT4_6_E: 388, SOCKET_ACCEPT4_6_X: 389,
  SYSCALL_UMOUNT2_E: 390, SYSCALL_UMOUNT2_X: 391, SYSCALL_PIPE2_E: 392, SYSCALL_PIPE2_X: 393,
  SYSCALL_INOTIFY_INIT1_E: 394, SYSCALL_INOTIFY_INIT1_X: 395, SYSCALL_EVENTFD2_E: 396,
  SYSCALL_EVENTFD2_X: 397, SYSCALL_SIGNALFD4_E: 398, SYSCALL_SIGNALFD4_X: 399, SYSCALL_PRCTL_E: 400,
  SYSCALL_PRCTL_X: 401, ASYNCEVENT_E: 402, ASYNCEVENT_X: 403, SYSCALL_MEMFD_CREATE_E: 404,
  SYSCALL_MEMFD_CREATE_X: 405, SYSCALL_PIDFD_GETFD_E: 406, SYSCALL_PIDFD_GETFD_X: 407,
  SYSCALL_PIDFD_OPEN_E: 408, SYSCALL_PIDFD_OPEN_X: 409, SYSCALL_INIT_MODULE_E: 410,
  SYSCALL_INIT_MODULE_X: 411, SYSCALL_FINIT_MODULE_E: 412, SYSCALL_FINIT_MODULE_X: 413,
  SYSCALL_MKNOD_E: 414, SYSCALL_MKNOD_X: 415, SYSCALL_MKNODAT_E: 416, SYSCALL_MKNODAT_X: 417,
  SYSCALL_NEWFSTATAT_E: 418, SYSCALL_NEWFSTATAT_X: 419, SYSCALL_PROCESS_VM_READV_E: 420,
  SYSCALL_PROCESS_VM_READV_X: 421, SYSCALL_PROCESS_VM_WRITEV_E: 422,
  SYSCALL_PROCESS_VM_WRITEV_X: 423, SYSCALL_DELETE_MODULE_E: 424, SYSCALL_DELETE_MODULE_X: 425,
  SYSCALL_SETREUID_E: 426, SYSCALL_SETREUID_X: 427, SYSCALL_SETREGID_E: 428, SYSCALL_SETREGID_X: 429,
  ITER_TASK_E: 430, ITER_TASK_X: 431, ITER_TASK_FILE_PIPE_E: 432, ITER_TASK_FILE_PIPE_X: 433,
  ITER_TASK_FILE_MEMFD_E: 434, ITER_TASK_FILE_MEMFD_X: 435, ITER_TASK_FILE_REGULAR_E: 436,
  ITER_TASK_FILE_REGULAR_X: 437, ITER_TASK_FILE_DIRECTORY_E: 438, ITER_TASK_FILE_DIRECTORY_X: 439,
  ITER_TASK_FILE_SOCKET_INET_E: 440, ITER_TASK_FILE_SOCKET_INET_X: 441,
  ITER_TASK_FILE_SOCKET_INET6_E: 442, ITER_TASK_FILE_SOCKET_INET6_X: 443,
  ITER_TASK_FILE_SOCKET_UNIX_E: 444, ITER_TASK_FILE_SOCKET_UNIX_X: 445,
  ITER_TASK_FILE_SOCKET_NETLINK_E: 446, ITER_TASK_FILE_SOCKET_NETLINK_X: 447,
  ITER_TASK_FILE_ANON_INODE_E: 448, ITER_TASK_FILE_ANON_INODE_X: 449, SYSCALL_CLOSE_RANGE_E: 450,
  SYSCALL_CLOSE_RANGE_X: 451, SYSCALL_KEYCTL_E: 452, SYSCALL_KEYCTL_X: 453, SYSDIGEVENT_E: 196,
  SYSDIGEVENT_X: 197,
});
