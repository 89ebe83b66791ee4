/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * scry's kernel probe.
 *
 * Raw tracepoint programs on sys_enter/sys_exit, on the scheduler's
 * process fork/exec/exit and context switch tracepoints and on signal
 * delivery write scap event records (the libs event schema) into one BPF
 * ring buffer per CPU. The dispatchers look the syscall
 * up in sc_table and tail-call the program registered for its event id in
 * `tails` (section "tail/<id>"); when there is none the syscall is recorded
 * as a generic event.
 *
 * Build: npm run build:bpf (clang -target bpf); the object is committed.
 * Loaded by scry's own loader (native/src, lib/live/probe.ts).
 */
#include "bpf_defs.h"
#include "event_ids.h"
#include "config.h"
#include "ppm.h"
#include "syscall_table.h"
#include "builder.h"
#include "kernel.h"
#include "params.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define STR_(x) #x
#define XSTR(x) STR_(x)

/* tails[evt] handles event evt; slots from TAIL_EXTRA on continue big events */
SCRY_MAP(tails, BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 1024, 0);
/* tgid -> 1 (waiting for its execve) or 2 (traced), used when cfg:filter is set */
SCRY_MAP(procs, BPF_MAP_TYPE_HASH, 4, 4, 65536, 0);
/* tid -> syscall id of an execve/execveat in progress (to name the event at sched_process_exec) */
SCRY_MAP(execs, BPF_MAP_TYPE_LRU_HASH, 4, 8, 16384, 0);

#define TAIL_EXTRA 512 /* first continuation slot; the numbers below must be literals */
#define T_CLONE_2 512
#define T_EXEC_2 513
#define T_EXEC_3 514

#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define NR_CLONE 56
#define NR_FORK 57
#define NR_VFORK 58
#define NR_CLONE3 435

/* ---- which tasks are recorded ---- */

INLINE int skip_tgid(u32 tgid, u64 id, int enter)
{
	if (tgid == (u32)CFG(OWN_TGID))
		return 1;
	if (!CFG(FILTER))
		return 0;
	u32 *st = bpf_map_lookup_elem(&procs, &tgid);
	if (!st)
		return 1;
	if (*st == 2)
		return 0;
	if (enter && (id == NR_EXECVE || id == NR_EXECVEAT)) {
		*st = 2;
		return 0;
	}
	return 1;
}

/* pt_regs from r10 through orig_ax: r10 r9 r8 ax cx dx si di orig_ax */
struct regs_tail {
	u64 r10, r9, r8, ax, cx, dx, si, di, orig_ax;
};

/* saves the six argument registers; returns orig_ax (the syscall number) */
INLINE u64 save_args(struct scratch *s, u64 regs)
{
	struct regs_tail r;
	__builtin_memset(&r, 0, sizeof(r));
	bpf_probe_read_kernel(&r, sizeof(r), (void *)(regs + CFG(R_R10)));
	s->args[0] = r.di;
	s->args[1] = r.si;
	s->args[2] = r.dx;
	s->args[3] = r.r10;
	s->args[4] = r.r8;
	s->args[5] = r.r9;
	return r.orig_ax;
}

/*
 * cfg:sysdig_compat (for .scap files): syscalls that the current schema
 * records with events newer than sysdig 0.29.3's table (it skips those) get
 * the older event of the same syscall that it does know; the others such
 * syscalls become generic events, as 0.29.3's own driver recorded them.
 */
INLINE u32 compat_event(u64 id, u32 evt, u32 exit)
{
	switch (id) {
	case 32: case 33: case 292: return EV_SYSCALL_DUP_E + exit;   /* dup, dup2, dup3 */
	case 166: return EV_SYSCALL_UMOUNT_E + exit;                  /* umount2 */
	case 288: return EV_SOCKET_ACCEPT4_5_E + exit;                /* accept4 */
	case 289: return EV_SYSCALL_SIGNALFD_E + exit;                /* signalfd4 */
	case 290: return EV_SYSCALL_EVENTFD_E + exit;                 /* eventfd2 */
	case 293: return EV_SYSCALL_PIPE_E + exit;                    /* pipe2 */
	case 294: return EV_SYSCALL_INOTIFY_INIT_E + exit;            /* inotify_init1 */
	case 321: return EV_SYSCALL_BPF_E + exit;                     /* bpf */
	default: return evt < EV_MAX_0293 ? evt : exit;               /* generic: 0 or 1 */
	}
}

/*
 * Generic event: ID is the schema's syscall code, nativeID the x86_64 number.
 * Codes at or above cfg:ppm_sc_limit are written as 0 (unknown): sysdig 0.29.3
 * indexes its syscall table with the code unchecked and crashes past its end
 * (329 codes); nativeID still names the syscall. Outside sysdig-compatible
 * files, the exit also carries the return value (`res`, a scry addition to
 * the libs table, which has none for generic syscalls).
 */
INLINE void emit_generic(struct scratch *s, u32 type, u64 id)
{
	u16 sc = id < SC_TABLE_SIZE ? sc_table[id & (SC_TABLE_SIZE - 1)].ppm_sc : 0;
	if (sc >= CFG(SC_LIMIT))
		sc = 0;
	int with_res = type == EV_GENERIC_X && !CFG(COMPAT);
	ev_begin(s, type, with_res ? 3 : 2);
	p_u16(s, sc);
	p_u16(s, (u16)id);
	if (with_res)
		p_u64(s, (u64)s->ret);
	ev_submit(s);
}

SEC("raw_tp/sys_enter")
int sys_enter(struct raw_tp_args *ctx)
{
	u64 id = ctx->args[1];
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (skip_tgid(tgid, id, 1))
		return 0;
	struct scratch *s = get_scratch();
	if (!s) {
		struct stats *st = get_stats();
		if (st) st->drops_noscratch++;
		return 0;
	}
	s->id = id;
	s->ret = 0;
	s->regs = ctx->args[0];
	save_args(s, ctx->args[0]);
	if (id < SC_TABLE_SIZE) {
		u32 evt = sc_table[id & (SC_TABLE_SIZE - 1)].enter;
		if (CFG(COMPAT))
			evt = compat_event(id, evt, 0);
		if (evt)
			bpf_tail_call(ctx, &tails, evt);
	}
	emit_generic(s, EV_GENERIC_E, id);
	return 0;
}

SEC("raw_tp/sys_exit")
int sys_exit(struct raw_tp_args *ctx)
{
	u64 regs = ctx->args[0];
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (skip_tgid(tgid, 0, 0))
		return 0;
	struct scratch *s = get_scratch();
	if (!s) {
		struct stats *st = get_stats();
		if (st) st->drops_noscratch++;
		return 0;
	}
	u64 id = save_args(s, regs);
	s->id = id;
	s->ret = (s64)ctx->args[1];
	s->regs = regs;
	s->aux[0] = 0;
	if (id < SC_TABLE_SIZE) {
		u32 evt = sc_table[id & (SC_TABLE_SIZE - 1)].exit;
		if (CFG(COMPAT))
			evt = compat_event(id, evt, 1);
		if (evt > 1)
			bpf_tail_call(ctx, &tails, evt);
	}
	emit_generic(s, EV_GENERIC_X, id);
	return 0;
}

/*
 * EVENT(evt, n) { ... } defines the tail program for event `evt` with `n`
 * parameters. The body sees the scratch `s`, the syscall arguments a0..a5 and
 * (for exit events) the return value `ret`.
 */
#define EVENT(evt, n)                                                                              \
	INLINE void fill_##evt(struct scratch *s, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, \
			       s64 ret);                                                           \
	SEC("tail/" XSTR(evt)) int tail_##evt(void *ctx)                                           \
	{                                                                                          \
		struct scratch *s = get_scratch();                                                 \
		if (!s)                                                                            \
			return 0;                                                                  \
		ev_begin(s, evt, n);                                                               \
		fill_##evt(s, s->args[0], s->args[1], s->args[2], s->args[3], s->args[4],          \
			   s->args[5], s->ret);                                                     \
		ev_submit(s);                                                                      \
		return 0;                                                                          \
	}                                                                                          \
	INLINE void fill_##evt(struct scratch *s, u64 a0, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, \
			       s64 ret)

#define UNUSED (void)a0; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5; (void)ret

INLINE u32 snaplen(void) { return (u32)CFG(SNAPLEN); }

/* data buffer of read-like calls: min(snaplen, ret) bytes when ret > 0 */
INLINE void p_rdata(struct scratch *s, u64 buf, s64 ret)
{
	if (ret <= 0) { p_empty(s); return; }
	u64 n = snaplen();
	if ((u64)ret < n) n = (u64)ret;
	p_ubytes(s, buf, n);
}

/* data buffer of write-like calls: min(snaplen, ret > 0 ? ret : size) bytes */
INLINE void p_wdata(struct scratch *s, u64 buf, s64 ret, u64 size)
{
	u64 n = snaplen();
	u64 want = ret > 0 ? (u64)ret : size;
	if (want < n) n = want;
	p_ubytes(s, buf, n);
}

#include "ev_file.h"
#include "ev_net.h"
#include "ev_proc.h"
#include "ev_misc.h"
#include "ev_sched.h"
