/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* Identity, security, signals, resources. Included by probe.bpf.c. */

/* ---- user and group ids ---- */

EVENT(EV_SYSCALL_SETUID_E, 1) { UNUSED; p_u32(s, (u32)a0); }
EVENT(EV_SYSCALL_SETUID_X, 2) { UNUSED; p_s64(s, ret); p_u32(s, (u32)a0); }
EVENT(EV_SYSCALL_SETGID_E, 1) { UNUSED; p_u32(s, (u32)a0); }
EVENT(EV_SYSCALL_SETGID_X, 2) { UNUSED; p_s64(s, ret); p_u32(s, (u32)a0); }
EVENT(EV_SYSCALL_SETRESUID_E, 3) { UNUSED; p_u32(s, (u32)a0); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_SETRESUID_X, 4) { UNUSED; p_s64(s, ret); p_u32(s, (u32)a0); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_SETRESGID_E, 3) { UNUSED; p_u32(s, (u32)a0); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_SETRESGID_X, 4) { UNUSED; p_s64(s, ret); p_u32(s, (u32)a0); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_SETREUID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_SETREUID_X, 3) { UNUSED; p_s64(s, ret); p_u32(s, (u32)a0); p_u32(s, (u32)a1); }
EVENT(EV_SYSCALL_SETREGID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_SETREGID_X, 3) { UNUSED; p_s64(s, ret); p_u32(s, (u32)a0); p_u32(s, (u32)a1); }

EVENT(EV_SYSCALL_GETUID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_GETUID_X, 1) { UNUSED; p_u32(s, (u32)ret); }
EVENT(EV_SYSCALL_GETEUID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_GETEUID_X, 1) { UNUSED; p_u32(s, (u32)ret); }
EVENT(EV_SYSCALL_GETGID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_GETGID_X, 1) { UNUSED; p_u32(s, (u32)ret); }
EVENT(EV_SYSCALL_GETEGID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_GETEGID_X, 1) { UNUSED; p_u32(s, (u32)ret); }

INLINE u32 uread32(u64 p)
{
	u32 v = 0;
	if (p)
		bpf_probe_read_user(&v, 4, (void *)p);
	return v;
}

EVENT(EV_SYSCALL_GETRESUID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_GETRESUID_X, 4) { UNUSED; p_s64(s, ret); p_u32(s, uread32(a0)); p_u32(s, uread32(a1)); p_u32(s, uread32(a2)); }
EVENT(EV_SYSCALL_GETRESGID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_GETRESGID_X, 4) { UNUSED; p_s64(s, ret); p_u32(s, uread32(a0)); p_u32(s, uread32(a1)); p_u32(s, uread32(a2)); }

EVENT(EV_SYSCALL_CAPSET_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_CAPSET_X, 4)
{
	UNUSED;
	u64 cred = task_cred(cur_task());
	p_s64(s, ret);
	p_u64(s, rd64(cred, CFG(CRED_CAP_INH)));
	p_u64(s, rd64(cred, CFG(CRED_CAP_PRM)));
	p_u64(s, rd64(cred, CFG(CRED_CAP_EFF)));
}

/* ---- ptrace ---- */

EVENT(EV_SYSCALL_PTRACE_E, 2) { UNUSED; p_u16(s, ptrace_req_to_scap(a0)); p_s64(s, (s64)(s32)a1); }
EVENT(EV_SYSCALL_PTRACE_X, 5)
{
	UNUSED;
	u16 req = ptrace_req_to_scap(a0);
	p_s64(s, ret);
	u8 *b = p_ptr(s, 9);
	if (b) {
		b[0] = 0; /* PPM_PTRACE_IDX_UINT64 */
		*(u64 *)(b + 1) = ret < 0 ? 0 : a2;
		set_len(s, 9);
	} else {
		p_empty(s);
	}
	b = p_ptr(s, 9);
	if (b) {
		if (ret < 0) {
			b[0] = 0;
			*(u64 *)(b + 1) = 0;
			set_len(s, 9);
		} else if (req == 2 || req == 3 || req == 4) { /* PEEK*: the word read */
			u64 v = 0;
			bpf_probe_read_user(&v, 8, (void *)a3);
			b[0] = 0;
			*(u64 *)(b + 1) = v;
			set_len(s, 9);
		} else if (req == 8 || req == 10 || req == 12 || req == 13) { /* CONT, SINGLESTEP, DETACH, SYSCALL: a signal */
			b[0] = 1; /* PPM_PTRACE_IDX_SIGTYPE */
			b[1] = (u8)a3;
			set_len(s, 2);
		} else {
			b[0] = 0;
			*(u64 *)(b + 1) = a3;
			set_len(s, 9);
		}
	} else {
		p_empty(s);
	}
	p_u16(s, req);
	p_s64(s, (s64)(s32)a1);
}

/* ---- signals ---- */

EVENT(EV_SYSCALL_KILL_E, 2) { UNUSED; p_s64(s, (s64)(s32)a0); p_u8(s, (u8)a1); }
EVENT(EV_SYSCALL_KILL_X, 3) { UNUSED; p_s64(s, ret); p_s64(s, (s64)(s32)a0); p_u8(s, (u8)a1); }
EVENT(EV_SYSCALL_TKILL_E, 2) { UNUSED; p_s64(s, (s64)(s32)a0); p_u8(s, (u8)a1); }
EVENT(EV_SYSCALL_TKILL_X, 3) { UNUSED; p_s64(s, ret); p_s64(s, (s64)(s32)a0); p_u8(s, (u8)a1); }
EVENT(EV_SYSCALL_TGKILL_E, 3) { UNUSED; p_s64(s, (s64)(s32)a0); p_s64(s, (s64)(s32)a1); p_u8(s, (u8)a2); }
EVENT(EV_SYSCALL_TGKILL_X, 4) { UNUSED; p_s64(s, ret); p_s64(s, (s64)(s32)a0); p_s64(s, (s64)(s32)a1); p_u8(s, (u8)a2); }

/* ---- prctl, seccomp, bpf, modules ---- */

EVENT(EV_SYSCALL_PRCTL_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_PRCTL_X, 4)
{
	UNUSED;
	u32 opt = (u32)a0;
	p_s64(s, ret);
	p_u32(s, opt);
	if (opt == 15 || opt == 16) { /* PR_SET_NAME, PR_GET_NAME */
		p_ustr(s, a1, 16);
		p_s64(s, 0);
	} else if (opt == 37) { /* PR_GET_CHILD_SUBREAPER */
		p_empty(s);
		p_s64(s, (s64)(s32)uread32(a1));
	} else {
		p_empty(s);
		p_s64(s, (s64)a1);
	}
}

EVENT(EV_SYSCALL_SECCOMP_E, 2) { UNUSED; p_u64(s, a0); p_u64(s, a1); }
EVENT(EV_SYSCALL_SECCOMP_X, 3) { UNUSED; p_s64(s, ret); p_u64(s, a0); p_u64(s, a1); }

EVENT(EV_SYSCALL_BPF_2_E, 1) { UNUSED; p_s64(s, (s64)a0); }
EVENT(EV_SYSCALL_BPF_2_X, 2) { UNUSED; p_s64(s, ret); p_u32(s, (u32)a0); }

/* bpf in sysdig-compatible files: res_or_fd is an fd for the commands that make one */
EVENT(EV_SYSCALL_BPF_E, 1) { UNUSED; p_s64(s, (s64)a0); }
EVENT(EV_SYSCALL_BPF_X, 1)
{
	UNUSED;
	u8 *b = p_ptr(s, 9);
	if (!b) { p_empty(s); return; }
	/* BPF_MAP_CREATE 0, BPF_PROG_LOAD 5: index 0 (fd) on success, else 1 (res) */
	b[0] = ((a0 == 0 || a0 == 5) && ret >= 0) ? 0 : 1;
	*(s64 *)(b + 1) = ret;
	set_len(s, 9);
}

EVENT(EV_SYSCALL_INIT_MODULE_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_INIT_MODULE_X, 4)
{
	UNUSED;
	u64 n = snaplen();
	if (a1 < n)
		n = a1;
	p_s64(s, ret);
	p_ubytes(s, a0, n);
	p_u64(s, a1);
	p_ustr(s, a2, MAX_PATH);
}

EVENT(EV_SYSCALL_FINIT_MODULE_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_FINIT_MODULE_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_fd(s, a0);
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, finit_module_flags_to_scap(a2));
}

EVENT(EV_SYSCALL_DELETE_MODULE_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_DELETE_MODULE_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, 64); p_u32(s, delete_module_flags_to_scap(a1)); }

/* ---- namespaces and roots ---- */

EVENT(EV_SYSCALL_UNSHARE_E, 1) { UNUSED; p_u32(s, clone_flags_to_scap(a0)); }
EVENT(EV_SYSCALL_UNSHARE_X, 2) { UNUSED; p_s64(s, ret); p_u32(s, clone_flags_to_scap(a0)); }
EVENT(EV_SYSCALL_SETNS_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, clone_flags_to_scap(a1)); }
EVENT(EV_SYSCALL_SETNS_X, 3) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u32(s, clone_flags_to_scap(a1)); }
EVENT(EV_SYSCALL_CHROOT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_CHROOT_X, 2) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); }

/* ---- sessions ---- */

EVENT(EV_SYSCALL_SETSID_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_SETSID_X, 1) { UNUSED; p_s64(s, ret); }
EVENT(EV_SYSCALL_SETPGID_E, 2) { UNUSED; p_s64(s, (s64)(s32)a0); p_s64(s, (s64)(s32)a1); }
EVENT(EV_SYSCALL_SETPGID_X, 3) { UNUSED; p_s64(s, ret); p_s64(s, (s64)(s32)a0); p_s64(s, (s64)(s32)a1); }

/* ---- resources ---- */

INLINE void p_rlim_pair(struct scratch *s, u64 uptr)
{
	s64 v[2] = {-1, -1};
	if (uptr)
		bpf_probe_read_user(v, sizeof(v), (void *)uptr);
	p_s64(s, v[0]);
	p_s64(s, v[1]);
}

EVENT(EV_SYSCALL_GETRLIMIT_E, 1) { UNUSED; p_u8(s, rlimit_resource_to_scap(a0)); }
EVENT(EV_SYSCALL_GETRLIMIT_X, 4) { UNUSED; p_s64(s, ret); p_rlim_pair(s, ret >= 0 ? a1 : 0); p_u8(s, rlimit_resource_to_scap(a0)); }
EVENT(EV_SYSCALL_SETRLIMIT_E, 1) { UNUSED; p_u8(s, rlimit_resource_to_scap(a0)); }
EVENT(EV_SYSCALL_SETRLIMIT_X, 4) { UNUSED; p_s64(s, ret); p_rlim_pair(s, a1); p_u8(s, rlimit_resource_to_scap(a0)); }
EVENT(EV_SYSCALL_PRLIMIT_E, 2) { UNUSED; p_s64(s, (s64)(s32)a0); p_u8(s, rlimit_resource_to_scap(a1)); }
EVENT(EV_SYSCALL_PRLIMIT_X, 7)
{
	UNUSED;
	p_s64(s, ret);
	p_rlim_pair(s, a2);
	p_rlim_pair(s, ret >= 0 ? a3 : 0);
	p_s64(s, (s64)(s32)a0);
	p_u8(s, rlimit_resource_to_scap(a1));
}

/* ---- time, waiting ---- */

INLINE u64 timespec_ns(u64 uptr)
{
	s64 ts[2] = {0, 0};
	if (uptr)
		bpf_probe_read_user(ts, sizeof(ts), (void *)uptr);
	return (u64)ts[0] * 1000000000ULL + (u64)ts[1];
}

EVENT(EV_SYSCALL_NANOSLEEP_E, 1) { UNUSED; p_u64(s, timespec_ns(a0)); }
EVENT(EV_SYSCALL_NANOSLEEP_X, 2) { UNUSED; p_s64(s, ret); p_u64(s, timespec_ns(a0)); }

EVENT(EV_SYSCALL_EPOLLWAIT_E, 1) { UNUSED; p_s64(s, (s64)(s32)a2); }
EVENT(EV_SYSCALL_EPOLLWAIT_X, 2) { UNUSED; p_s64(s, ret); p_s64(s, (s64)(s32)a2); }

/* ---- pidfd, userfaultfd ---- */

EVENT(EV_SYSCALL_PIDFD_OPEN_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_PIDFD_OPEN_X, 3) { UNUSED; p_s64(s, ret); p_s64(s, (s64)(s32)a0); p_u32(s, pidfd_open_flags_to_scap(a1)); }
EVENT(EV_SYSCALL_PIDFD_GETFD_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_PIDFD_GETFD_X, 4) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_fd(s, a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_USERFAULTFD_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_USERFAULTFD_X, 2) { UNUSED; p_s64(s, ret); p_u32(s, (u32)(a0 & (K_O_NONBLOCK | K_O_CLOEXEC)) ? fdflags_to_scap((s64)a0) : 0); }
