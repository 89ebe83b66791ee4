/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Process lifecycle: clone family, execve/execveat, procexit, and the
 * scheduler tracepoints. Included by probe.bpf.c.
 *
 * The big exit events are built across tail calls (slots TAIL_EXTRA + n):
 * builder state lives in the per-CPU scratch, so each stage appends to the
 * record the previous one left.
 */


/* ---- clone, fork, vfork, clone3 ---- */

EVENT(EV_SYSCALL_CLONE_20_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_FORK_20_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_VFORK_20_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_CLONE3_E, 0) { UNUSED; }

/* one program for the four exits (registered in all four slots): the event
 * id follows the syscall */
SEC("tail/" XSTR(EV_SYSCALL_CLONE_20_X) "," XSTR(EV_SYSCALL_FORK_20_X) "," XSTR(EV_SYSCALL_VFORK_20_X) "," XSTR(EV_SYSCALL_CLONE3_X))
int clone_x(void *ctx)
{
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	u64 task = cur_task();
	s64 ret = s->ret;
	u32 evt = s->id == NR_FORK ? EV_SYSCALL_FORK_20_X : s->id == NR_VFORK ? EV_SYSCALL_VFORK_20_X :
		  s->id == NR_CLONE3 ? EV_SYSCALL_CLONE3_X : EV_SYSCALL_CLONE_20_X;
	ev_begin(s, evt, 21);
	p_s64(s, ret);
	p_proc_head(s, task, ret >= 0, 0);
	bpf_tail_call(ctx, &tails, T_CLONE_2);
	ev_submit(s); /* continuation missing: the rest goes empty */
	return 0;
}

INLINE u32 pidns_flag(u64 task)
{
	u64 pid = RDP(task, T_THREAD_PID);
	u64 ns = pid_ns_of(pid);
	if (RD32(ns, PIDNS_LEVEL) != 0)
		return S_CL_CHILD_IN_PIDNS;
	u64 nsp = RDP(task, T_NSPROXY);
	u64 children = RDP(nsp, NSP_PIDNS_CHILDREN);
	if (children && children != ns)
		return S_CL_CHILD_IN_PIDNS;
	return 0;
}

SEC("tail/" XSTR(T_CLONE_2))
int clone_x_2(void *ctx)
{
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	u64 task = cur_task();
	s64 ret = s->ret;
	p_cgroups(s, task);
	u64 kflags = 0;
	if (s->id == NR_CLONE)
		kflags = s->args[0];
	else if (s->id == NR_CLONE3 && s->args[0])
		bpf_probe_read_user(&kflags, 8, (void *)s->args[0]); /* clone_args.flags */
	p_u32(s, clone_flags_to_scap(kflags) | pidns_flag(task));
	u64 cred = task_cred(task);
	p_u32(s, RD32(cred, CRED_EUID));
	p_u32(s, RD32(cred, CRED_EGID));
	p_s64(s, task_vtid(task));
	p_s64(s, task_vpid(task));
	u64 start = 0;
	if (ret == 0) {
		u64 ns = pid_ns_of(RDP(task, T_THREAD_PID));
		start = RDP(RDP(ns, PIDNS_REAPER), T_START_TIME);
	}
	p_u64(s, start);
	ev_submit(s);
	return 0;
}

/* ---- execve, execveat ---- */

INLINE void remember_exec(u64 id)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	bpf_map_update_elem(&execs, &tid, &id, 0);
}

EVENT(EV_SYSCALL_EXECVE_19_E, 1)
{
	UNUSED;
	remember_exec(NR_EXECVE);
	p_ustr(s, a0, MAX_PATH);
}

EVENT(EV_SYSCALL_EXECVEAT_E, 3)
{
	UNUSED;
	remember_exec(NR_EXECVEAT);
	p_s64(s, dirfd_to_scap(a0));
	u32 before = s->pos;
	p_ustr(s, a1, MAX_PATH);
	/*
	 * sysdig 0.29.3 copies the directory of dirfd over an empty pathname of
	 * an AT_EMPTY_PATH execveat (runc does those) and corrupts its memory:
	 * in sysdig-compatible files the pathname is the file dirfd refers to.
	 */
	if (CFG(COMPAT) && (a4 & K_AT_EMPTY_PATH) && s->pos - before <= 1) {
		u64 file = fd_to_file(cur_task(), (s32)a0);
		if (file) {
			s->idx--;
			s->pos = before;
			end_param(s, put_dpath(s, s->pos, RDP(file, F_PATH_DENTRY), RDP(file, F_PATH_MNT)));
		}
	}
	p_u32(s, execveat_flags_to_scap(a4));
}

#define EXEC_OK 1
#define EXEC_FAILED 2

/*
 * aux[0]: EXEC_OK (set by sched_process_exec) or 0, aux[1]: user envp
 * (failure), aux[2]: filename pointer. One program serves execve and
 * execveat, from sys_exit (failures only: a success is reported when the new
 * image is in place, at sched_process_exec, which tail-calls it too).
 */
SEC("tail/" XSTR(EV_SYSCALL_EXECVE_19_X) "," XSTR(EV_SYSCALL_EXECVEAT_X))
int exec_x(void *ctx)
{
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	int ok = s->aux[0] == EXEC_OK;
	int at = s->id == NR_EXECVEAT;
	u64 argv = 0;
	if (!ok) {
		if (s->ret == 0)
			return 0;
		s->aux[0] = EXEC_FAILED;
		s->aux[1] = at ? s->args[3] : s->args[2];
		s->aux[2] = at ? 0 : s->args[0];
		argv = at ? s->args[2] : s->args[1];
	}
	u32 evt = at ? EV_SYSCALL_EXECVEAT_X : EV_SYSCALL_EXECVE_19_X;
	ev_begin(s, evt, at ? 30 : 31);
	p_s64(s, ok ? 0 : s->ret);
	p_proc_head(s, cur_task(), ok, argv);
	bpf_tail_call(ctx, &tails, T_EXEC_2);
	ev_submit(s);
	return 0;
}

INLINE u64 inode_time(u64 inode, u64 sec_off, u64 nsec_off)
{
	if (sec_off == NO_OFF || nsec_off == NO_OFF || !inode)
		return 0;
	u64 sec = rd64(inode, sec_off);
	u32 nsec = rd32(inode, nsec_off);
	return sec * 1000000000ULL + nsec;
}

#define CAP_DAC_OVERRIDE_BIT (1ULL << 1)

INLINE u32 exe_flags(u64 task, u64 exe_file, u64 inode)
{
	u32 flags = 0;
	if (inode) {
		u64 cred = task_cred(task);
		u32 euid = RD32(cred, CRED_EUID), egid = RD32(cred, CRED_EGID);
		u32 iuid = RD32(inode, I_UID), igid = RD32(inode, I_GID);
		u16 mode = rd16(inode, CFG(I_MODE));
		int w;
		if (euid == iuid)
			w = mode & 0200;
		else if (egid == igid)
			w = mode & 0020;
		else
			w = mode & 0002;
		if (!w && (rd64(cred, CFG(CRED_CAP_EFF)) & CAP_DAC_OVERRIDE_BIT))
			w = 1;
		if (w)
			flags |= S_EXE_WRITABLE;
	}
	/* memfd files are named "memfd:..." */
	u64 dentry = RDP(exe_file, F_PATH_DENTRY);
	u64 name = RDP(dentry, D_NAME);
	char pfx[6] = {0};
	if (name)
		bpf_probe_read_kernel(pfx, 6, (void *)name);
	if (pfx[0] == 'm' && pfx[1] == 'e' && pfx[2] == 'm' && pfx[3] == 'f' && pfx[4] == 'd' && pfx[5] == ':')
		flags |= S_EXE_FROM_MEMFD;
	return flags;
}

SEC("tail/" XSTR(T_EXEC_2))
int exec_x_2(void *ctx)
{
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	u64 task = cur_task();
	int ok = s->aux[0] == EXEC_OK;
	u64 mm = RDP(task, T_MM);
	p_cgroups(s, task);
	if (ok) {
		u64 es = RDP(mm, MM_ENV_START), ee = RDP(mm, MM_ENV_END);
		u64 n = ee > es ? ee - es : 0;
		if (n > MAX_ARGS_BYTES)
			n = MAX_ARGS_BYTES;
		p_ubytes_strs(s, es, n);
	} else {
		p_argv(s, s->aux[1], 0, MAX_ARGS_BYTES);
	}
	p_u32(s, task_tty(task));
	p_s64(s, pid_vnr(task_group_pid(task, CFG(PIDTYPE_PGID))));
	p_u32(s, task_loginuid(task));
	u64 exe_file = RDP(mm, MM_EXE_FILE);
	u64 inode = file_inode(exe_file);
	p_u32(s, exe_flags(task, exe_file, inode));
	u64 cred = task_cred(task);
	p_u64(s, rd64(cred, CFG(CRED_CAP_INH)));
	p_u64(s, rd64(cred, CFG(CRED_CAP_PRM)));
	p_u64(s, rd64(cred, CFG(CRED_CAP_EFF)));
	p_u64(s, RDP(inode, I_INO));
	p_u64(s, inode_time(inode, CFG(I_CTIME_SEC), CFG(I_CTIME_NSEC)));
	p_u64(s, inode_time(inode, CFG(I_MTIME_SEC), CFG(I_MTIME_NSEC)));
	p_u32(s, RD32(cred, CRED_EUID));
	bpf_tail_call(ctx, &tails, T_EXEC_3);
	ev_submit(s);
	return 0;
}

SEC("tail/" XSTR(T_EXEC_3))
int exec_x_3(void *ctx)
{
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	u64 task = cur_task();
	int ok = s->aux[0] == EXEC_OK;
	u64 mm = RDP(task, T_MM);
	u64 exe_file = RDP(mm, MM_EXE_FILE);
	/* trusted_exepath */
	if (exe_file) {
		u32 cur = put_dpath(s, s->pos, RDP(exe_file, F_PATH_DENTRY), RDP(exe_file, F_PATH_MNT));
		end_param(s, cur);
	} else {
		p_empty(s);
	}
	p_s64(s, pid_nr(task_group_pid(task, CFG(PIDTYPE_PGID))));
	u64 cred = task_cred(task);
	p_u32(s, RD32(cred, CRED_EGID));
	if (s->type == EV_SYSCALL_EXECVE_19_X) {
		if (ok)
			p_kstr(s, s->aux[2], MAX_PATH);
		else
			p_ustr(s, s->aux[2], MAX_PATH);
	}
	ev_submit(s);
	return 0;
}

/* successful exec: the new image is in place, arguments come from its mm */
SEC("raw_tp/sched_process_exec")
int sched_exec(struct raw_tp_args *ctx)
{
	u64 pt = bpf_get_current_pid_tgid();
	u32 old_pid = (u32)ctx->args[1];
	u64 bprm = ctx->args[2];
	/*
	 * With enter events, sys_enter noted whether execve or execveat runs.
	 * Exit events only (cfg:enter_events = 0, sys_enter not attached): an
	 * execve exit for both, as libs' drivers write, and the exec is what
	 * turns a process waiting for it into a traced one.
	 */
	u64 nr = NR_EXECVE;
	if (CFG(ENTER_EVENTS)) {
		u64 *id = bpf_map_lookup_elem(&execs, &old_pid);
		if (id) {
			nr = *id;
			bpf_map_delete_elem(&execs, &old_pid);
		}
	}
	if (skip_tgid(pt >> 32, NR_EXECVE, !CFG(ENTER_EVENTS)))
		return 0;
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	s->id = nr;
	s->ret = 0;
	s->aux[0] = EXEC_OK;
	s->aux[1] = 0;
	s->aux[2] = RDP(bprm, BPRM_FILENAME);
	bpf_tail_call(ctx, &tails, EV_SYSCALL_EXECVE_19_X);
	s->aux[0] = 0;
	return 0;
}

/* ---- fork: extend the traced set to children ---- */

SEC("raw_tp/sched_process_fork")
int sched_fork(struct raw_tp_args *ctx)
{
	if (!CFG(FILTER))
		return 0;
	u64 parent = ctx->args[0], child = ctx->args[1];
	u32 ptgid = RD32(parent, T_TGID);
	u32 *st = bpf_map_lookup_elem(&procs, &ptgid);
	if (!st || *st != 2)
		return 0;
	u32 ctgid = RD32(child, T_TGID);
	u32 two = 2;
	bpf_map_update_elem(&procs, &ctgid, &two, 0);
	return 0;
}

/* ---- exit ---- */

#define PF_EXITING_K 0x00000004
#define MAX_THREAD_SCAN 16

/* a live thread of the group other than `task`, to inherit its children */
INLINE u32 alive_sibling(u64 task)
{
	/* the group's threads are linked through task->thread_node; the list head
	 * is signal_struct.thread_head */
	u64 headp = RDP(task, T_SIGNAL) + CFG(SIG_THREAD_HEAD);
	u64 node = RDP(task, T_THREAD_NODE); /* next */
	int i;
#pragma unroll
	for (i = 0; i < MAX_THREAD_SCAN; i++) {
		if (!node)
			break;
		u64 t = node - CFG(T_THREAD_NODE);
		if (t != task && node != headp) {
			u32 pid = RD32(t, T_PID);
			u32 flags = RD32(t, T_FLAGS);
			if (pid && !(flags & PF_EXITING_K))
				return pid;
		}
		node = rd64(node, 0);
		if (node == task + CFG(T_THREAD_NODE))
			break;
	}
	return 0;
}

SEC("raw_tp/sched_process_exit")
int sched_exit(struct raw_tp_args *ctx)
{
	u64 task = ctx->args[0];
	u64 pt = bpf_get_current_pid_tgid();
	if (skip_tgid(pt >> 32, 0, 0))
		return 0;
	struct scratch *s = get_scratch();
	if (!s)
		return 0;
	s32 code = (s32)RD32(task, T_EXIT_CODE);
	ev_begin_tid(s, EV_PROCEXIT_1_E, 5, RD32(task, T_PID));
	p_s64(s, code);
	p_s64(s, W_EXITSTATUS(code));
	p_u8(s, W_IFSIGNALED(code) ? W_TERMSIG(code) : 0);
	p_u8(s, W_COREDUMP(code) ? 1 : 0);
	/* reaper: only meaningful when the dying task has children */
	s64 reaper = 0;
	u64 head = task + CFG(T_CHILDREN);
	if (rd64(head, 0) != head) {
		reaper = alive_sibling(task);
		if (!reaper) {
			u64 ns = pid_ns_of(RDP(task, T_THREAD_PID));
			u64 init = RDP(ns, PIDNS_REAPER);
			reaper = init == task ? 0 : RD32(init, T_PID);
		}
	}
	p_s64(s, reaper);
	ev_submit(s);
	return 0;
}
