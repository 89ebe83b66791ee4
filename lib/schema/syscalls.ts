// Syscall identities.
//
// PT_SYSCALLID params (the ID of the generic 'syscall' event) hold a ppm_sc
// code, the libs' own architecture-independent syscall number, in every era:
// drivers of 0.29.3 and current ones both map the native number to it (current
// libs additionally store the native number as 'nativeID' in the exit event
// too). Codes 0..328 keep their meaning across eras; later libs only appended.
// sysdig 0.29.3 names a code from its own table, which is the one below for
// 0..328 (a few spellings differ from current libs). It shows the param as
// the number with the name in parentheses, and codes past its table as
// '<unknown syscall>'; evt.type of a generic event is the name alone.

import { eventInfo } from './events';

/** Number of ppm_sc codes sysdig 0.29.3 knows. */
export const PPM_SC_MAX_0293 = 329;

// ppm_sc codes 0.., as name/category (the category sysdig 0.29.3 gives generic events).
const SC_0293 = `
  <unknown>/other restart_syscall/system exit/process read/io_read write/io_write open/file
  close/file creat/file link/file unlink/file chdir/file time/time mknod/file chmod/file stat/file
  lseek/file getpid/process mount/file ptrace/other alarm/time fstat/file pause/wait utime/time
  access/file sync/io_other kill/ipc rename/file mkdir/file rmdir/file dup/io_other pipe/ipc
  times/time brk/memory acct/process ioctl/io_other fcntl/wait setpgid/process umask/process
  chroot/ipc ustat/file dup2/io_other getppid/process getpgrp/process setsid/process
  sethostname/system setrlimit/process getrusage/process gettimeofday/time settimeofday/time
  symlink/file lstat/file readlink/file uselib/process swapon/process reboot/system mmap/file
  munmap/file truncate/file ftruncate/file fchmod/file getpriority/process setpriority/process
  statfs/file fstatfs/file syslog/system setitimer/time getitimer/time uname/system vhangup/other
  wait4/wait swapoff/system sysinfo/system fsync/io_other setdomainname/system adjtimex/system
  mprotect/memory init_module/system delete_module/system quotactl/system getpgid/process
  fchdir/file sysfs/system personality/process getdents/file select/wait flock/file msync/io_other
  readv/io_read writev/io_write getsid/process fdatasync/io_other mlock/memory munlock/memory
  mlockall/memory munlockall/memory sched_setparam/process sched_getparam/process
  sched_setscheduler/process sched_getscheduler/process sched_yield/sleep
  sched_get_priority_max/process sched_get_priority_min/process sched_rr_get_interval/process
  nanosleep/sleep mremap/file poll/wait prctl/process rt_sigaction/signal rt_sigprocmask/signal
  rt_sigpending/signal rt_sigtimedwait/signal rt_sigqueueinfo/signal rt_sigsuspend/signal
  getcwd/file capget/process capset/process sendfile/file getrlimit/process lchown/file
  getuid/user getgid/user geteuid/user getegid/user setreuid/user setregid/user getgroups/user
  setgroups/user fchown/file setresuid/user getresuid/user setresgid/user getresgid/user
  chown/file setuid/user setgid/user setfsuid/user setfsgid/user pivot_root/process mincore/memory
  madvise/memory gettid/process setxattr/file lsetxattr/file fsetxattr/file getxattr/file
  lgetxattr/file fgetxattr/file listxattr/file llistxattr/file flistxattr/file removexattr/file
  lremovexattr/file fremovexattr/file tkill/signal futex/ipc sched_setaffinity/process
  sched_getaffinity/process set_thread_area/process get_thread_area/process io_setup/io_other
  io_destroy/io_other io_getevents/io_other io_submit/io_other io_cancel/io_other
  exit_group/io_other epoll_create/wait epoll_ctl/wait epoll_wait/wait remap_file_pages/file
  set_tid_address/process timer_create/time timer_settime/time timer_gettime/time
  timer_getoverrun/time timer_delete/time clock_settime/time clock_gettime/time clock_getres/time
  clock_nanosleep/sleep tgkill/signal utimes/file mq_open/ipc mq_unlink/ipc mq_timedsend/ipc
  mq_timedreceive/ipc mq_notify/ipc mq_getsetattr/ipc kexec_load/system waitid/wait add_key/system
  request_key/system keyctl/system ioprio_set/process ioprio_get/process inotify_init/ipc
  inotify_add_watch/ipc inotify_rm_watch/ipc openat/file mkdirat/file mknodat/file fchownat/file
  futimesat/file unlinkat/file renameat/file linkat/file symlinkat/file readlinkat/file
  fchmodat/file faccessat/file pselect6/wait ppoll/wait unshare/process set_robust_list/process
  get_robust_list/process splice/ipc tee/ipc vmsplice/ipc getcpu/process epoll_pwait/wait
  utimensat/file signalfd/signal timerfd_create/time eventfd/ipc timerfd_settime/time
  timerfd_gettime/time signalfd4/signal eventfd2/ipc epoll_create1/wait dup3/io_other pipe2/ipc
  inotify_init1/ipc preadv/io_read pwritev/io_write rt_tgsigqueueinfo/other perf_event_open/other
  fanotify_init/ipc prlimit64/process clock_adjtime/other syncfs/file setns/process getdents64/ipc
  socket/net bind/net connect/net listen/net accept/net getsockname/net getpeername/net
  socketpair/net sendto/net recvfrom/net shutdown/net setsockopt/net getsockopt/net sendmsg/net
  sendmmsg/net recvmsg/net recvmmsg/net accept4/net semop/ipc semget/ipc semctl/ipc msgsnd/ipc
  msgrcv/ipc msgget/ipc msgctl/ipc shmdt/ipc shmget/ipc shmctl/ipc statfs64/file fstatfs64/file
  fstatat64/file sendfile64/file ugetrlimit/process bdflush/other sigprocmask/signal ipc/ipc
  socketcall/net stat64/file lstat64/file fstat64/file fcntl64/file mmap2/file newselect/wait
  sgetmask/signal ssetmask/signal sigpending/signal olduname/system umount/file signal/signal
  nice/process stime/time llseek/file waitpid/wait pread64/file pwrite64/file arch_prctl/process
  shmat/ipc sigreturn/signal fallocate/io_other newfstatat/io_other process_vm_readv/io_other
  process_vm_writev/io_other fork/io_other vfork/io_other setuid/io_other getuid/io_other
  setgid/io_other geteuid/io_other getgid/io_other setresuid/io_other setresgid/io_other
  getresuid/io_other getresgid/io_other finit_module/system bpf/other seccomp/other
  sigaltstack/io_other getrandom/io_other fadvise64/io_other renameat2/file userfaultfd/file
  openat2/file umount2/file execve/system execveat/system copy_file_range/file clone/process
  clone3/process
`;

// Codes appended by newer libs, from PPM_SC_MAX_0293 on ('-': unassigned).
const SC_NEWER = `
  open_by_handle_at io_uring_setup io_uring_enter io_uring_register mlock2 getegid32 fsconfig
  fspick fsmount fsopen open_tree move_mount mount_setattr memfd_create memfd_secret ioperm
  kexec_file_load pidfd_getfd pidfd_open pidfd_send_signal pkey_alloc pkey_mprotect pkey_free
  landlock_create_ruleset quotactl_fd landlock_restrict_self landlock_add_rule epoll_pwait2
  migrate_pages move_pages preadv2 pwritev2 kcmp sched_setattr mbind epoll_ctl_old lookup_dcookie
  modify_ldt statx set_mempolicy io_pgetevents set_mempolicy_home_node semtimedop get_kernel_syms
  readahead futex_waitv getpmsg name_to_handle_at process_mrelease nfsservctl epoll_wait_old rseq
  create_module - sched_getattr faccessat2 _sysctl query_module get_mempolicy sync_file_range
  process_madvise membarrier iopl close_range fanotify_mark recv send sched_process_exit
  sched_switch page_fault_user page_fault_kernel signal_deliver timerfd s390_pci_mmio_read
  sigaction s390_pci_mmio_write readdir s390_sthyi sigsuspend idle s390_runtime_instr sigreturn
  s390_guarded_storage cachestat fchmodat2 map_shadow_stack riscv_flush_icache riscv_hwprobe
  futex_wake futex_requeue futex_wait oldstat switch_endian multiplexer oldlstat spu_create
  sync_file_range2 oldfstat spu_run swapcontext pciconfig_write rtas pciconfig_read
  sys_debug_setcontext vm86 oldolduname subpage_prot pciconfig_iobase listmount statmount
  lsm_get_self_attr lsm_set_self_attr lsm_list_modules mseal uretprobe removexattrat listxattrat
  getxattrat setxattrat open_tree_attr file_getattr file_setattr listns uprobe rseq_slice_yield
`;

// x86_64 native syscall numbers, as runs [first number, names].
const NATIVE_RUNS: readonly (readonly [number, string])[] = [
  [0, `read write open close stat fstat lstat poll lseek mmap mprotect munmap brk rt_sigaction
    rt_sigprocmask rt_sigreturn ioctl pread64 pwrite64 readv writev access pipe select
    sched_yield mremap msync mincore madvise shmget shmat shmctl dup dup2 pause nanosleep
    getitimer alarm setitimer getpid sendfile socket connect accept sendto recvfrom sendmsg
    recvmsg shutdown bind listen getsockname getpeername socketpair setsockopt getsockopt clone
    fork vfork execve exit wait4 kill uname semget semop semctl shmdt msgget msgsnd msgrcv
    msgctl fcntl flock fsync fdatasync truncate ftruncate getdents getcwd chdir fchdir rename
    mkdir rmdir creat link unlink symlink readlink chmod fchmod chown fchown lchown umask
    gettimeofday getrlimit getrusage sysinfo times ptrace getuid syslog getgid setuid setgid
    geteuid getegid setpgid getppid getpgrp setsid setreuid setregid getgroups setgroups
    setresuid getresuid setresgid getresgid getpgid setfsuid setfsgid getsid capget capset
    rt_sigpending rt_sigtimedwait rt_sigqueueinfo rt_sigsuspend sigaltstack utime mknod uselib
    personality ustat statfs fstatfs sysfs getpriority setpriority sched_setparam sched_getparam
    sched_setscheduler sched_getscheduler sched_get_priority_max sched_get_priority_min
    sched_rr_get_interval mlock munlock mlockall munlockall vhangup modify_ldt pivot_root
    _sysctl prctl arch_prctl adjtimex setrlimit chroot sync acct settimeofday mount umount2
    swapon swapoff reboot sethostname setdomainname iopl ioperm create_module init_module
    delete_module get_kernel_syms query_module quotactl nfsservctl getpmsg putpmsg afs_syscall
    tuxcall security gettid readahead setxattr lsetxattr fsetxattr getxattr lgetxattr fgetxattr
    listxattr llistxattr flistxattr removexattr lremovexattr fremovexattr tkill time futex
    sched_setaffinity sched_getaffinity set_thread_area io_setup io_destroy io_getevents
    io_submit io_cancel get_thread_area lookup_dcookie epoll_create epoll_ctl_old epoll_wait_old
    remap_file_pages getdents64 set_tid_address restart_syscall semtimedop fadvise64
    timer_create timer_settime timer_gettime timer_getoverrun timer_delete clock_settime
    clock_gettime clock_getres clock_nanosleep exit_group epoll_wait epoll_ctl tgkill utimes
    vserver mbind set_mempolicy get_mempolicy mq_open mq_unlink mq_timedsend mq_timedreceive
    mq_notify mq_getsetattr kexec_load waitid add_key request_key keyctl ioprio_set ioprio_get
    inotify_init inotify_add_watch inotify_rm_watch migrate_pages openat mkdirat mknodat
    fchownat futimesat newfstatat unlinkat renameat linkat symlinkat readlinkat fchmodat
    faccessat pselect6 ppoll unshare set_robust_list get_robust_list splice tee sync_file_range
    vmsplice move_pages utimensat epoll_pwait signalfd timerfd_create eventfd fallocate
    timerfd_settime timerfd_gettime accept4 signalfd4 eventfd2 epoll_create1 dup3 pipe2
    inotify_init1 preadv pwritev rt_tgsigqueueinfo perf_event_open recvmmsg fanotify_init
    fanotify_mark prlimit64 name_to_handle_at open_by_handle_at clock_adjtime syncfs sendmmsg
    setns getcpu process_vm_readv process_vm_writev kcmp finit_module sched_setattr
    sched_getattr renameat2 seccomp getrandom memfd_create kexec_file_load bpf execveat
    userfaultfd membarrier mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect pkey_alloc
    pkey_free statx io_pgetevents rseq uretprobe uprobe`],
  [424, `pidfd_send_signal io_uring_setup io_uring_enter io_uring_register open_tree move_mount
    fsopen fsconfig fsmount fspick pidfd_open clone3 close_range openat2 pidfd_getfd faccessat2
    process_madvise epoll_pwait2 mount_setattr quotactl_fd landlock_create_ruleset
    landlock_add_rule landlock_restrict_self memfd_secret process_mrelease futex_waitv
    set_mempolicy_home_node cachestat fchmodat2 map_shadow_stack futex_wake futex_wait
    futex_requeue statmount listmount lsm_get_self_attr lsm_set_self_attr lsm_list_modules mseal
    setxattrat getxattrat listxattrat removexattrat open_tree_attr file_getattr file_setattr
    listns rseq_slice_yield`],
];

// Native syscalls for which the 0.29.3 driver emits a dedicated event, as native:enter event id
// (the exit event is the next id); every other syscall yields generic 'syscall' events.
const NATIVE_EVENTS_0293 = `
  0:6 1:8 2:2 3:4 4:66 5:70 6:68 7:80 8:86 9:160 10:328 11:164 12:158 16:170 17:112 18:114 19:116
  20:118 21:264 22:60 23:82 32:124 33:124 35:134 40:188 41:18 42:22 43:246 44:30 45:34 46:48 47:52
  48:36 49:20 50:24 51:38 52:40 53:42 54:44 55:46 56:222 57:224 58:226 59:292 62:128 64:262 65:250
  66:252 72:150 73:242 78:236 79:92 80:94 81:96 82:174 83:276 84:278 85:58 86:308 87:300 88:178
  90:314 91:316 97:140 101:168 102:202 104:206 105:198 106:200 107:204 108:208 109:294 112:274
  117:192 118:210 119:194 120:212 160:142 161:266 165:256 166:258 179:190 200:130 202:64 217:238
  232:78 234:132 253:138 257:306 258:304 263:302 264:176 265:310 266:180 268:312 271:254 272:284
  275:166 282:126 283:136 284:62 288:248 289:126 290:62 292:124 293:60 294:138 295:120 296:122
  299:54 302:144 307:50 308:240 316:318 317:298 321:296 322:330 323:320 326:332 435:334 437:326
`;

const CATEGORY: Readonly<Record<string, number>> = {
  other: 1, file: 2, net: 3, ipc: 4, memory: 5, process: 6, sleep: 7, system: 8, signal: 9,
  user: 10, time: 11, io_read: 32, io_write: 33, io_other: 34, wait: 64,
};

const words = (s: string): string[] => s.trim().split(/\s+/);

const SC_NAMES: string[] = [];
const SC_CATEGORIES: number[] = [];
for (const item of words(SC_0293)) {
  const slash = item.lastIndexOf('/');
  SC_NAMES.push(item.slice(0, slash));
  SC_CATEGORIES.push(CATEGORY[item.slice(slash + 1)] ?? 0);
}
for (const item of words(SC_NEWER)) SC_NAMES.push(item === '-' ? '' : item);

const NATIVE_NAMES: string[] = [];
for (const [first, names] of NATIVE_RUNS) {
  words(names).forEach((n, i) => {
    NATIVE_NAMES[first + i] = n;
  });
}

// Current libs' spelling of the codes 0.29.3 names differently.
const NEWER_SPELLING: Readonly<Record<number, string>> = {
  0: 'unknown', 283: '_newselect', 292: '_llseek', 298: 'rt_sigreturn', 305: 'setuid32',
  306: 'getuid32', 307: 'setgid32', 308: 'geteuid32', 309: 'getgid32', 310: 'setresuid32',
  311: 'setresgid32', 312: 'getresuid32', 313: 'getresgid32',
};

// A native syscall maps to the ppm_sc code of the same (current) name: that is
// how both eras' routing tables pair them.
const SC_BY_NAME = new Map<string, number>();
SC_NAMES.forEach((n, code) => {
  const name = NEWER_SPELLING[code] ?? n;
  if (code > 0 && name !== '') SC_BY_NAME.set(name, code);
});

const NATIVE_EVENT_0293: number[] = [];
for (const item of words(NATIVE_EVENTS_0293)) {
  const [n, ev] = item.split(':');
  NATIVE_EVENT_0293[Number(n)] = Number(ev);
}

/** Number of ppm_sc codes in current libs. */
export const PPM_SC_MAX = SC_NAMES.length;

/** ppm_sc names indexed by code ('' for unassigned codes); 0.29.3 spellings for its codes. */
export const PPM_SC_NAMES: readonly string[] = Object.freeze(SC_NAMES);

/** x86_64 native syscall names indexed by syscall number (holes for unassigned numbers). */
export const NATIVE_SYSCALL_NAMES: readonly (string | undefined)[] = Object.freeze(NATIVE_NAMES);

/**
 * Name of a ppm_sc code as evt.type / syscall.type show it for generic events:
 * sysdig 0.29.3's name for its codes, current libs' name for later ones,
 * undefined for codes no table assigns.
 */
export function syscallName(code: number): string | undefined {
  const n = SC_NAMES[code];
  return n === undefined || n === '' ? undefined : n;
}

/**
 * A PT_SYSCALLID value as sysdig 0.29.3 renders it: `value` is the param text,
 * `resolved` what it adds in parentheses (absent for codes past its table).
 */
export function syscallIdArg(code: number): { value: string; resolved?: string } {
  if (code >= PPM_SC_MAX_0293 || code < 0) return { value: '<unknown syscall>' };
  return { value: String(code), resolved: SC_NAMES[code]! };
}

/** Category (EC value) sysdig 0.29.3 gives a generic event with this code; undefined past its table. */
export function syscallCategory(code: number): number | undefined {
  return SC_CATEGORIES[code];
}

/** Name of an x86_64 native syscall number (59 -> 'execve'), undefined when unassigned. */
export function nativeSyscallName(n: number): string | undefined {
  return NATIVE_NAMES[n];
}

/** ppm_sc code current libs store for an x86_64 native syscall number (0 = unknown). */
export function nativeToPpmSc(n: number): number {
  const name = NATIVE_NAMES[n];
  return name === undefined ? 0 : SC_BY_NAME.get(name) ?? 0;
}

/** ppm_sc code the 0.29.3 driver stores for an x86_64 native syscall number (0 = unknown). */
export function nativeToPpmSc0293(n: number): number {
  const code = nativeToPpmSc(n);
  return code < PPM_SC_MAX_0293 ? code : 0;
}

/**
 * Enter event id the 0.29.3 driver emits for an x86_64 native syscall number
 * (exit = enter + 1); 0 (generic 'syscall') when it has no dedicated event.
 */
export function nativeEnterEvent0293(n: number): number {
  return NATIVE_EVENT_0293[n] ?? 0;
}

/** ppm_sc code of a syscall name (current libs' spelling), undefined if none. */
export function ppmScByName(name: string): number | undefined {
  return SC_BY_NAME.get(name);
}

/** Event name of a generic or dedicated event, as evt.type shows it (generic: the syscall's name). */
export function evtTypeName(type: number, syscallIdParam?: number): string | undefined {
  if ((type === 0 || type === 1) && syscallIdParam !== undefined) return syscallName(syscallIdParam);
  return eventInfo(type)?.name;
}
