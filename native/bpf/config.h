/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Load-time configuration of the probe.
 *
 * Every value the program needs from userspace -- settings and kernel
 * structure offsets -- lives in one read-only array, scry_cfg[], stored in
 * .rodata. The names of its slots are stored, in order and NUL-separated, in
 * the ".scry.cfg" section, which the kernel never sees. The loader
 * (lib/live/probe.ts) resolves each name and fills the array before the
 * programs are loaded:
 *
 *   "cfg:NAME"           a setting (see lib/live/probe.ts)
 *   "STRUCT.a.b"         byte offset of member a.b of struct STRUCT, from the
 *                        running kernel's BTF (/sys/kernel/btf/vmlinux);
 *                        "x|y" tries member names in order
 *   "?STRUCT.a"          same, but optional: NO_OFF when absent
 *   "sizeof:STRUCT"      size of a struct
 *   "enum:NAME"          value of an enumerator
 */
#ifndef SCRY_CONFIG_H
#define SCRY_CONFIG_H

#define NO_OFF 0xffffffffULL

#define CFG_LIST(X) \
	X(MONO_NS, "cfg:mono_offset_ns") \
	X(OWN_TGID, "cfg:own_tgid") \
	X(SNAPLEN, "cfg:snaplen") \
	X(FILTER, "cfg:filter") \
	X(RING_SEGS, "cfg:ring_segments") \
	X(RSS_OLD, "cfg:rss_old_layout") \
	X(PAGE_SHIFT_KB, "cfg:page_shift_kb") \
	X(SC_LIMIT, "cfg:ppm_sc_limit") \
	X(COMPAT, "cfg:sysdig_compat") \
	X(ENTER_EVENTS, "cfg:enter_events") \
	/* pt_regs */ \
	X(R_R10, "pt_regs.r10") \
	X(R_ORIG_AX, "pt_regs.orig_ax") \
	X(R_IP, "pt_regs.ip") \
	/* task_struct */ \
	X(T_PID, "task_struct.pid") \
	X(T_TGID, "task_struct.tgid") \
	X(T_REAL_PARENT, "task_struct.real_parent") \
	X(T_GROUP_LEADER, "task_struct.group_leader") \
	X(T_MM, "task_struct.mm") \
	X(T_FILES, "task_struct.files") \
	X(T_FS, "task_struct.fs") \
	X(T_CRED, "task_struct.cred") \
	X(T_SIGNAL, "task_struct.signal") \
	X(T_CGROUPS, "task_struct.cgroups") \
	X(T_COMM, "task_struct.comm") \
	X(T_MAJ_FLT, "task_struct.maj_flt") \
	X(T_MIN_FLT, "task_struct.min_flt") \
	X(T_LOGINUID, "?task_struct.loginuid") \
	X(T_EXIT_CODE, "task_struct.exit_code") \
	X(T_FLAGS, "task_struct.flags") \
	X(T_THREAD_PID, "task_struct.thread_pid") \
	X(T_CHILDREN, "task_struct.children") \
	X(T_NSPROXY, "task_struct.nsproxy") \
	X(T_START_TIME, "task_struct.start_time") \
	X(T_THREAD_NODE, "task_struct.thread_node") \
	/* mm_struct */ \
	X(MM_ARG_START, "mm_struct.arg_start") \
	X(MM_ARG_END, "mm_struct.arg_end") \
	X(MM_ENV_START, "mm_struct.env_start") \
	X(MM_ENV_END, "mm_struct.env_end") \
	X(MM_TOTAL_VM, "mm_struct.total_vm") \
	X(MM_RSS_STAT, "mm_struct.rss_stat") \
	X(MM_EXE_FILE, "mm_struct.exe_file") \
	X(PCPU_COUNT, "?percpu_counter.count") \
	X(PCPU_SIZE, "?sizeof:percpu_counter") \
	X(MM_FILEPAGES, "enum:MM_FILEPAGES") \
	X(MM_ANONPAGES, "enum:MM_ANONPAGES") \
	X(MM_SWAPENTS, "enum:MM_SWAPENTS") \
	X(MM_SHMEMPAGES, "enum:MM_SHMEMPAGES") \
	/* files */ \
	X(FILES_FDT, "files_struct.fdt") \
	X(FDT_MAX_FDS, "fdtable.max_fds") \
	X(FDT_FD, "fdtable.fd") \
	X(F_INODE, "file.f_inode") \
	X(F_MODE, "file.f_mode") \
	X(F_PRIV, "file.private_data") \
	X(F_PATH_DENTRY, "file.f_path.dentry") \
	X(F_PATH_MNT, "file.f_path.mnt") \
	X(I_INO, "inode.i_ino") \
	X(I_MODE, "inode.i_mode") \
	X(I_SB, "inode.i_sb") \
	X(I_UID, "inode.i_uid") \
	X(I_GID, "inode.i_gid") \
	X(I_CTIME_SEC, "?inode.i_ctime_sec") \
	X(I_CTIME_NSEC, "?inode.i_ctime_nsec") \
	X(I_MTIME_SEC, "?inode.i_mtime_sec") \
	X(I_MTIME_NSEC, "?inode.i_mtime_nsec") \
	X(SB_DEV, "super_block.s_dev") \
	X(SB_MAGIC, "super_block.s_magic") \
	/* paths */ \
	X(FS_PWD_DENTRY, "fs_struct.pwd.dentry") \
	X(FS_PWD_MNT, "fs_struct.pwd.mnt") \
	X(D_NAME, "dentry.d_name.name") \
	X(D_PARENT, "dentry.d_parent") \
	X(MNT_MNT, "mount.mnt") \
	X(MNT_PARENT, "mount.mnt_parent") \
	X(MNT_MOUNTPOINT, "mount.mnt_mountpoint") \
	X(VFSMNT_ROOT, "vfsmount.mnt_root") \
	/* signal / creds */ \
	X(SIG_RLIM, "signal_struct.rlim") \
	X(SIG_TTY, "signal_struct.tty") \
	X(SIG_PIDS, "signal_struct.pids") \
	X(SIG_THREAD_HEAD, "signal_struct.thread_head") \
	X(TTY_DRIVER, "tty_struct.driver") \
	X(TTY_INDEX, "tty_struct.index") \
	X(TTYD_MAJOR, "tty_driver.major") \
	X(TTYD_MINOR_START, "tty_driver.minor_start") \
	X(CRED_UID, "cred.uid") \
	X(CRED_GID, "cred.gid") \
	X(CRED_EUID, "cred.euid") \
	X(CRED_EGID, "cred.egid") \
	X(CRED_SUID, "cred.suid") \
	X(CRED_SGID, "cred.sgid") \
	X(CRED_CAP_INH, "cred.cap_inheritable") \
	X(CRED_CAP_PRM, "cred.cap_permitted") \
	X(CRED_CAP_EFF, "cred.cap_effective") \
	/* pids and namespaces */ \
	X(PID_LEVEL, "pid.level") \
	X(PID_NUMBERS, "pid.numbers") \
	X(UPID_SIZE, "sizeof:upid") \
	X(UPID_NS, "upid.ns") \
	X(PIDNS_LEVEL, "pid_namespace.level") \
	X(PIDNS_REAPER, "pid_namespace.child_reaper") \
	X(NSP_PIDNS_CHILDREN, "nsproxy.pid_ns_for_children") \
	X(PIDTYPE_PGID, "enum:PIDTYPE_PGID") \
	X(PIDTYPE_SID, "enum:PIDTYPE_SID") \
	/* cgroups */ \
	X(CSS_SUBSYS, "css_set.subsys") \
	X(CSS_CGROUP, "cgroup_subsys_state.cgroup") \
	X(CSS_SS, "cgroup_subsys_state.ss") \
	X(SS_NAME, "cgroup_subsys.name") \
	X(CG_KN, "cgroup.kn") \
	X(KN_NAME, "kernfs_node.name") \
	X(KN_PARENT, "kernfs_node.__parent|parent") \
	X(CG_CPUSET, "?enum:cpuset_cgrp_id") \
	X(CG_CPU, "?enum:cpu_cgrp_id") \
	X(CG_CPUACCT, "?enum:cpuacct_cgrp_id") \
	X(CG_IO, "?enum:io_cgrp_id") \
	X(CG_MEMORY, "?enum:memory_cgrp_id") \
	/* sockets */ \
	X(SOCK_SK, "socket.sk") \
	X(SK_FAMILY, "sock.__sk_common.skc_family") \
	X(SK_DADDR, "sock.__sk_common.skc_daddr") \
	X(SK_RCV_SADDR, "sock.__sk_common.skc_rcv_saddr") \
	X(SK_DPORT, "sock.__sk_common.skc_dport") \
	X(SK_NUM, "sock.__sk_common.skc_num") \
	X(SK_V6_DADDR, "sock.__sk_common.skc_v6_daddr") \
	X(SK_V6_RCV_SADDR, "sock.__sk_common.skc_v6_rcv_saddr") \
	X(SK_ACK_BACKLOG, "sock.sk_ack_backlog") \
	X(SK_MAX_ACK_BACKLOG, "sock.sk_max_ack_backlog") \
	X(SK_TYPE, "sock.sk_type") \
	X(SK_PROTOCOL, "sock.sk_protocol") \
	X(INET_SADDR, "inet_sock.inet_saddr") \
	X(INET_SPORT, "inet_sock.inet_sport") \
	X(UNIX_ADDR, "unix_sock.addr") \
	X(UNIX_PEER, "unix_sock.peer") \
	X(UNIX_ADDR_NAME, "unix_address.name") \
	/* exec */ \
	X(BPRM_FILENAME, "linux_binprm.filename") \
	X(BPRM_FILE, "linux_binprm.file")

enum cfg_idx {
#define CFG_ENUM(n, s) CFG_##n,
	CFG_LIST(CFG_ENUM)
#undef CFG_ENUM
	CFG_COUNT
};

const volatile u64 scry_cfg[CFG_COUNT] = {0};

#define CFG_NAME(n, s) s "\0"
char scry_cfg_names[] SEC(".scry.cfg") = CFG_LIST(CFG_NAME);
#undef CFG_NAME

#define CFG(n) (scry_cfg[CFG_##n])

#endif
