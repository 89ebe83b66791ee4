/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Context switches (switch), signal deliveries (signaldeliver) and, with
 * --page-faults, page faults (page_fault), as sysdig's drivers record them
 * beside the system calls.
 *
 * Their records are small and built on the stack, not in the CPU's scratch
 * buffer: a context switch may come while another program of this CPU is
 * between building a record there and submitting it.
 *
 * Sections "opt_raw_tp/": the loader goes on without a program of these that
 * the kernel refuses (the capture then lacks those events). The page fault
 * programs are attached only when asked for (lib/live/capture.ts).
 */
#ifndef SCRY_EV_SCHED_H
#define SCRY_EV_SCHED_H

#define SMALL_REC SMALL_COPY

/*
 * Starts a small record of the current task in b (SMALL_REC bytes, zeroed):
 * its header. Returns the CPU's stats to submit it with, or NULL when the
 * task is not traced.
 */
INLINE struct stats *small_begin(u8 *b, u32 type, u32 nparams, u32 len)
{
	u64 pt = bpf_get_current_pid_tgid();
	if (skip_tgid(pt >> 32, 0, 0))
		return 0;
	struct stats *st = get_stats();
	if (!st)
		return 0;
	__builtin_memset(b, 0, SMALL_REC);
	*(u64 *)&b[0] = now_ns();
	*(u64 *)&b[8] = (u32)pt;
	*(u32 *)&b[16] = len;
	*(u16 *)&b[20] = (u16)type;
	*(u32 *)&b[22] = nparams;
	return st;
}

/*
 * switch (PPME_SCHEDSWITCH_6_E), in the context of the task leaving the CPU:
 * next (the tid of the task coming in), that task's page faults and memory.
 * Layout: header, 6 lengths, u64 next, u64 pgft_maj, u64 pgft_min, u32
 * vm_size, u32 vm_rss, u32 vm_swap.
 */
#define SWITCH_LEN (HDR_LEN + 6 * 2 + 3 * 8 + 3 * 4)

SEC("opt_raw_tp/sched_switch")
int sched_switch(struct raw_tp_args *ctx)
{
	u8 b[SMALL_REC];
	struct stats *st = small_begin(b, EV_SCHEDSWITCH_6_E, 6, SWITCH_LEN);
	if (!st)
		return 0;
	u64 prev = ctx->args[1];
	u64 next = ctx->args[2];
	u32 p = HDR_LEN;
	*(u16 *)&b[p] = 8; *(u16 *)&b[p + 2] = 8; *(u16 *)&b[p + 4] = 8;
	*(u16 *)&b[p + 6] = 4; *(u16 *)&b[p + 8] = 4; *(u16 *)&b[p + 10] = 4;
	p += 12;
	u64 mm = RDP(prev, T_MM);
	*(s64 *)&b[p] = (s64)(s32)RD32(next, T_PID);
	*(u64 *)&b[p + 8] = RDP(prev, T_MAJ_FLT);
	*(u64 *)&b[p + 16] = RDP(prev, T_MIN_FLT);
	*(u32 *)&b[p + 24] = mm_vm_size(mm);
	*(u32 *)&b[p + 28] = mm_vm_rss(mm);
	*(u32 *)&b[p + 32] = mm_vm_swap(mm);
	ring_put(st, b, SWITCH_LEN);
	return 0;
}

/*
 * signaldeliver (PPME_SIGNALDELIVER_E), in the context of the task the
 * signal is delivered to: spid (the sender, where the signal's siginfo
 * names one, as sysdig reads it), dpid (this task's tid), sig.
 * Layout: header, 3 lengths, u64 spid, u64 dpid, u8 sig.
 */
#define SIGDELIVER_LEN (HDR_LEN + 3 * 2 + 2 * 8 + 1)
#define SIGINFO_CODE 8   /* siginfo_t.si_code (UAPI layout, 64-bit) */
#define SIGINFO_PID 16   /* si_pid of _kill, _rt and _sigchld alike */
#define K_SIGHUP 1
#define K_SIGINT 2
#define K_SIGQUIT 3
#define K_SIGKILL 9
#define K_SIGTERM 15
#define K_SIGCHLD 17
#define K_SIGTSTP 20
#define K_SIGRTMIN 32
#define K_SIGRTMAX 64
#define K_SI_USER 0
#define K_SI_QUEUE (-1)

SEC("opt_raw_tp/signal_deliver")
int signal_deliver(struct raw_tp_args *ctx)
{
	u8 b[SMALL_REC];
	struct stats *st = small_begin(b, EV_SIGNALDELIVER_E, 3, SIGDELIVER_LEN);
	if (!st)
		return 0;
	s32 sig = (s32)ctx->args[0];
	u64 info = ctx->args[1];
	s64 spid = 0;
	/* SEND_SIG_NOINFO (0) and SEND_SIG_PRIV (1) are no siginfo */
	if (info > 1) {
		if (sig == K_SIGKILL || sig == K_SIGCHLD || (sig >= K_SIGRTMIN && sig <= K_SIGRTMAX)) {
			spid = (s32)rd32(info, SIGINFO_PID);
		} else if (sig == K_SIGTERM || sig == K_SIGHUP || sig == K_SIGINT || sig == K_SIGTSTP || sig == K_SIGQUIT) {
			s32 code = (s32)rd32(info, SIGINFO_CODE);
			if (code == K_SI_USER || code == K_SI_QUEUE || code <= 0)
				spid = (s32)rd32(info, SIGINFO_PID);
		}
	}
	u32 p = HDR_LEN;
	*(u16 *)&b[p] = 8; *(u16 *)&b[p + 2] = 8; *(u16 *)&b[p + 4] = 1;
	p += 6;
	*(s64 *)&b[p] = spid;
	*(s64 *)&b[p + 8] = (s64)*(u64 *)&b[8]; /* dpid: this task */
	b[p + 16] = (u8)sig;
	ring_put(st, b, SIGDELIVER_LEN);
	return 0;
}

/*
 * page_fault (PPME_PAGE_FAULT_E), user and kernel faults alike: the address,
 * the faulting instruction, and the x86 error code as the schema's pf_flags.
 * Layout: header, 3 lengths, u64 addr, u64 ip, u32 error.
 */
#define PF_LEN (HDR_LEN + 3 * 2 + 2 * 8 + 4)

INLINE u32 pf_flags(u64 code)
{
	u32 f = (code & 0x1) ? (1 << 0) : (1 << 1); /* protection violation : page not present */
	f |= (code & 0x2) ? (1 << 2) : (1 << 3);    /* write : read */
	f |= (code & 0x4) ? (1 << 4) : (1 << 5);    /* user : supervisor */
	if (code & 0x8)
		f |= 1 << 6;                        /* reserved page */
	if (code & 0x10)
		f |= 1 << 7;                        /* instruction fetch */
	return f;
}

INLINE int page_fault(struct raw_tp_args *ctx)
{
	u8 b[SMALL_REC];
	struct stats *st = small_begin(b, EV_PAGE_FAULT_E, 3, PF_LEN);
	if (!st)
		return 0;
	u32 p = HDR_LEN;
	*(u16 *)&b[p] = 8; *(u16 *)&b[p + 2] = 8; *(u16 *)&b[p + 4] = 4;
	p += 6;
	*(u64 *)&b[p] = ctx->args[0];
	*(u64 *)&b[p + 8] = rd64(ctx->args[1], CFG(R_IP));
	*(u32 *)&b[p + 16] = pf_flags(ctx->args[2]);
	ring_put(st, b, PF_LEN);
	return 0;
}

SEC("opt_raw_tp/page_fault_user")
int page_fault_user(struct raw_tp_args *ctx) { return page_fault(ctx); }

SEC("opt_raw_tp/page_fault_kernel")
int page_fault_kernel(struct raw_tp_args *ctx) { return page_fault(ctx); }

#endif
