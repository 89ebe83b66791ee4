import t from 'tap';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { EC, EF, PF, PT } from '../lib/schema/types';
import type { ParamInfo } from '../lib/schema/types';
import {
  DYN_TABLES, EVENTS, PPME, PPM_EVENT_MAX, PPM_EVENT_MAX_0293, eventInfo, eventTypesByName, legacyCategory,
} from '../lib/schema/events';
import {
  CLONE_FLAGS, CLONE_FLAGS_HEAD, FILE_FLAGS, FILE_FLAGS_HEAD, FLAG_TABLES, NO_FLAGS, PROT_FLAGS, SOCKET_FAMILIES,
  flagTableName, resolveFlags,
} from '../lib/schema/flags';
import { errnoName, errnoResolve } from '../lib/schema/errno';
import { signalName } from '../lib/schema/signals';
import {
  PPM_SC_MAX, PPM_SC_MAX_0293, evtTypeName, nativeEnterEvent0293, nativeSyscallName, nativeToPpmSc,
  nativeToPpmSc0293, ppmScByName, syscallCategory, syscallIdArg, syscallName,
} from '../lib/schema/syscalls';
import { eventListLine, isListed, renderEventList } from '../lib/schema/list';

const sig = (ps: readonly ParamInfo[]) => ps.map((p) => `${p.name}:${p.type}:${p.fmt}`).join(' ');

t.test('table shape', async (t) => {
  t.equal(EVENTS.length, PPM_EVENT_MAX);
  t.equal(PPM_EVENT_MAX, 454);
  EVENTS.forEach((e, i) => {
    if (e.id !== i) t.fail(`id ${e.id} at index ${i}`);
    if (e.enter !== (i % 2 === 0)) t.fail(`direction of ${i}`);
    if ((e.sysdigParams !== undefined) !== (i < PPM_EVENT_MAX_0293)) t.fail(`sysdigParams presence of ${i}`);
  });
  t.equal(eventInfo(-1), undefined);
  t.equal(eventInfo(PPM_EVENT_MAX), undefined);
  t.equal(eventInfo(3)?.name, 'open');
  t.equal(EVENTS[PPME.SYSCALL_OPEN_X], eventInfo(3));
  t.equal(PPME.SYSCALL_EXECVE_19_X, 293);
  t.equal(PPME.SYSDIGEVENT_E, PPME.SCAPEVENT_E);
  t.equal(EVENTS[PPME.SYSCALL_KEYCTL_X]!.name, 'keyctl');
  t.equal(EVENTS[17]!.name, 'NA1', '0.29.3 names kept for unused ids');
  t.equal(EVENTS[196]!.name, 'sysdigevent');
});

t.test('open / openat params', async (t) => {
  const ox = eventInfo(PPME.SYSCALL_OPEN_X)!;
  t.equal(ox.enter, false);
  t.equal(sig(ox.params.slice(0, 5)), [
    `fd:${PT.FD}:${PF.DEC}`, `name:${PT.FSPATH}:${PF.NA}`, `flags:${PT.FLAGS32}:${PF.HEX}`,
    `mode:${PT.UINT32}:${PF.OCT}`, `dev:${PT.UINT32}:${PF.HEX}`,
  ].join(' '));
  t.equal(ox.sysdigParams, 5);
  t.equal(ox.params[5]?.name, 'ino', 'param appended by newer libs');
  t.equal(ox.params[2]!.flags, FILE_FLAGS);
  t.equal(legacyCategory(ox.category), EC.FILE);
  t.equal(ox.category & EC.SYSCALL, EC.SYSCALL);
  t.equal(ox.flags & (EF.CREATES_FD | EF.MODIFIES_STATE), EF.CREATES_FD | EF.MODIFIES_STATE);
  const oe = eventInfo(PPME.SYSCALL_OPEN_E)!;
  t.equal(sig(oe.params), `name:${PT.FSPATH}:${PF.NA} flags:${PT.FLAGS32}:${PF.HEX} mode:${PT.UINT32}:${PF.OCT}`);
  const at = eventInfo(PPME.SYSCALL_OPENAT_2_X)!;
  t.same(at.params.map((p) => p.name), ['fd', 'dirfd', 'name', 'flags', 'mode', 'dev', 'ino']);
  t.equal(at.params[2]!.type, PT.FSRELPATH);
  t.equal(at.params[2]!.dirfd, 1);
  t.equal(at.params[1]!.type, PT.FD);
});

t.test('execve versions', async (t) => {
  t.same(eventTypesByName('execve'), [12, 13, 154, 155, 172, 173, 214, 215, 230, 231, 282, 283, 288, 289, 292, 293]);
  t.same(eventTypesByName('no such event'), []);
  const x = eventInfo(293)!;
  t.same(x.params.slice(0, 8).map((p) => p.name), ['res', 'exe', 'args', 'tid', 'pid', 'ptid', 'cwd', 'fdlimit']);
  t.equal(x.sysdigParams, 20);
  t.equal(x.params[17]!.name, 'pgid', '0.29.3 name (newer libs: vpgid)');
  t.equal(x.params[18]!.type, PT.INT32, '0.29.3 type of loginuid');
  t.equal(x.params[19]!.name, 'flags');
  t.equal(x.params[19]!.flags && flagTableName(x.params[19]!.flags), 'EXECVE_FLAGS');
  t.equal(x.params[x.params.length - 1]!.name, 'filename');
  t.equal(eventInfo(12)!.flags & EF.OLD_VERSION, EF.OLD_VERSION);
  t.equal(eventInfo(292)!.flags & EF.OLD_VERSION, 0);
});

t.test('flag tables and dynamic params', async (t) => {
  const noTable: string[] = [];
  const noDirfd: string[] = [];
  for (const e of EVENTS) {
    e.params.forEach((p, i) => {
      const flagsType = p.type === PT.FLAGS8 || p.type === PT.FLAGS16 || p.type === PT.FLAGS32 || p.type === PT.MODE ||
        p.type === PT.ENUMFLAGS8 || p.type === PT.ENUMFLAGS16 || p.type === PT.ENUMFLAGS32;
      if (flagsType && !Array.isArray(p.flags)) t.fail(`${e.id} ${e.name}.${p.name} has no table`);
      if (flagsType && p.flags === NO_FLAGS) noTable.push(`${e.id}.${i}`);
      if (!flagsType && p.flags) t.fail(`${e.id} ${e.name}.${p.name} has a table but is not a flags type`);
      if (p.flags && flagTableName(p.flags) === undefined) t.fail(`${e.id}.${p.name}: table not exported`);
      if ((p.type === PT.DYN) !== (p.dyn !== undefined)) t.fail(`${e.id} ${e.name}.${p.name} dyn mismatch`);
      if (p.type === PT.FSRELPATH && p.dirfd === undefined) noDirfd.push(`${e.id}.${i}`);
      if (p.dirfd !== undefined && (p.type !== PT.FSRELPATH || p.dirfd >= e.params.length)) {
        t.fail(`${e.id} ${e.name}.${p.name} dirfd`);
      }
    });
  }
  // The four 0.29.3 FLAGS params that have no table there (rendered as a bare number).
  t.same(noTable, ['62.1', '126.2', '136.1', '138.0']);
  // every FSRELPATH param names the param holding its dirfd (openat's and execveat's
  // enter events too: sysdig 0.29.3 resolves their paths against it)
  t.same(noDirfd, []);
  t.equal(eventInfo(326)!.params[1]!.dirfd, 1, '0.29.3 links openat2 enter name to itself');
  t.equal(eventInfo(18)!.params[0]!.flags, SOCKET_FAMILIES);
  t.equal(eventInfo(19)!.params[4]!.flags, FILE_FLAGS_HEAD, 'params of newer libs use the newer table');
  t.equal(eventInfo(15)!.params[8]!.flags, CLONE_FLAGS);
  t.notOk(CLONE_FLAGS.some((f) => f.name === 'CLONE_CHILD_IN_PIDNS'));
  t.ok(CLONE_FLAGS_HEAD.some((f) => f.name === 'CLONE_CHILD_IN_PIDNS'));
  t.equal(eventInfo(329)!.params[3]!.flags, PROT_FLAGS);
  const ptraceX = eventInfo(PPME.SYSCALL_PTRACE_X)!;
  t.equal(ptraceX.params[1]!.dyn, DYN_TABLES.PTRACE_DYN);
  t.same(ptraceX.params[1]!.dyn!.map((p) => [p.type, p.fmt]), [[PT.UINT64, PF.HEX], [PT.SIGTYPE, PF.DEC]]);
  t.same(eventInfo(45)!.params[4]!.dyn!.map((p) => p.type),
    [PT.BYTEBUF, PT.ERRNO, PT.UINT32, PT.UINT64, PT.RELTIME]);
  t.equal(eventInfo(297)!.params[0]!.dyn, DYN_TABLES.BPF_DYN);
  t.equal(Object.keys(FLAG_TABLES)[1], 'SOCKET_FAMILIES');
  t.same(FILE_FLAGS.slice(0, 3).map((f) => f.name), ['O_LARGEFILE', 'O_DIRECTORY', 'O_DIRECT']);
  t.equal(resolveFlags(FILE_FLAGS, 0x1007), 'O_CREAT|O_RDWR|O_CLOEXEC');
  t.equal(resolveFlags(FILE_FLAGS, 1), 'O_RDONLY');
  t.equal(resolveFlags(FILE_FLAGS, 0), 'O_NONE');
  t.equal(resolveFlags(SOCKET_FAMILIES, 2), 'AF_INET');
  t.equal(resolveFlags(NO_FLAGS, 5), '');
});

t.test('errno, signals', async (t) => {
  t.equal(errnoName(2), 'ENOENT');
  t.equal(errnoName(11), 'EAGAIN');
  t.equal(errnoName(41), undefined);
  t.equal(errnoName(512), 'ERESTARTSYS');
  t.equal(errnoResolve(-2), 'ENOENT');
  t.equal(errnoResolve(-13n), 'EACCES');
  t.equal(errnoResolve(2), undefined);
  t.equal(errnoResolve(0), undefined);
  t.equal(errnoResolve(-126), undefined, 'unknown codes show the bare number');
  t.equal(signalName(9), 'SIGKILL');
  t.equal(signalName(29), 'SIGIO');
  t.equal(signalName(0), undefined);
  t.equal(signalName(34), undefined);
});

t.test('syscall ids', async (t) => {
  t.equal(PPM_SC_MAX_0293, 329);
  t.equal(PPM_SC_MAX, 454);
  t.equal(syscallName(3), 'read');
  t.equal(syscallName(0), '<unknown>');
  t.equal(syscallName(298), 'sigreturn', '0.29.3 spelling');
  t.same(syscallIdArg(3), { value: '3', resolved: 'read' });
  t.same(syscallIdArg(PPM_SC_MAX_0293), { value: '<unknown syscall>' });
  t.equal(syscallCategory(3), EC.IO_READ);
  t.equal(syscallCategory(400), undefined);
  t.equal(nativeSyscallName(0), 'read');
  t.equal(nativeSyscallName(59), 'execve');
  t.equal(nativeSyscallName(335), 'uretprobe');
  t.equal(nativeSyscallName(400), undefined);
  t.equal(nativeToPpmSc(0), 3);
  t.equal(nativeToPpmSc(15), 298, 'rt_sigreturn');
  t.equal(nativeToPpmSc(154), ppmScByName('modify_ldt'), 'modify_ldt');
  t.ok(nativeToPpmSc(154) >= PPM_SC_MAX_0293);
  t.equal(nativeToPpmSc0293(154), 0);
  t.equal(nativeToPpmSc0293(134), 52, 'uselib');
  t.equal(nativeEnterEvent0293(2), PPME.SYSCALL_OPEN_E);
  t.equal(nativeEnterEvent0293(59), PPME.SYSCALL_EXECVE_19_E);
  t.equal(nativeEnterEvent0293(39), PPME.GENERIC_E, 'getpid has no event of its own');
  t.equal(evtTypeName(PPME.GENERIC_X, nativeToPpmSc0293(39)), 'getpid');
  t.equal(evtTypeName(PPME.SYSCALL_OPEN_X), 'open');
});

t.test('sysdig -L', async (t) => {
  const golden = readFileSync(resolve(__dirname, '../fixtures/golden/sysdig-L.txt'), 'utf8');
  const ours = renderEventList();
  t.ok(ours.endsWith('\n'));
  const known = EVENTS.filter((e) => e.id < PPM_EVENT_MAX_0293 && isListed(e)).map((e) => eventListLine(e) + '\n');
  t.equal(known.join(''), golden, 'lines for ids sysdig 0.29.3 knows equal its output');
  t.ok(ours.startsWith(golden), 'and come first in our listing');
  t.ok(ours.includes('< close_range(ERRNO res, UINT32 first, UINT32 last, FLAGS32 flags)\n'));
  t.notOk(ours.includes(' NA('));
  t.notOk(ours.includes('< execve(ERRNO res, CHARBUF exe, BYTEBUF args, PID tid, PID pid, PID ptid, CHARBUF cwd, UINT64 fdlimit)\n'),
    'old versions are not listed');
});
