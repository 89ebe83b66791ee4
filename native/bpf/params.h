/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Composite parameters: socket addresses and tuples, paths built from dentry
 * chains, argv/env arrays, cgroup lists, and the process description shared
 * by clone/fork/execve exit events.
 */
#ifndef SCRY_PARAMS_H
#define SCRY_PARAMS_H

/* ---- low-level appends inside one parameter (cur is an absolute position) ---- */

INLINE u32 raw_kstr(struct scratch *s, u32 cur, u64 ptr, u32 max)
{
	if (!ptr || cur >= BUF_HALF)
		return 0;
	long n = bpf_probe_read_kernel_str(&s->buf[cur & BUF_MASK], max & 0xfff, (void *)ptr);
	return n > 0 ? (u32)n : 0;
}

INLINE u32 raw_ustr(struct scratch *s, u32 cur, u64 ptr, u32 max)
{
	if (!ptr || cur >= BUF_HALF)
		return 0;
	long n = bpf_probe_read_user_str(&s->buf[cur & BUF_MASK], max & 0x1fff, (void *)ptr);
	return n > 0 ? (u32)n : 0;
}

INLINE void raw_char(struct scratch *s, u32 cur, u8 c)
{
	if (cur < BUF_HALF)
		s->buf[cur & BUF_MASK] = c;
}

/* closes a parameter that was appended to in place from s->pos to cur */
INLINE void end_param(struct scratch *s, u32 cur)
{
	u32 start = s->pos;
	set_len(s, cur > start ? cur - start : 0);
}

/* ---- sockets ---- */

#define K_AF_UNIX 1
#define K_AF_INET 2
#define K_AF_INET6 10

static inline u16 bswap16(u16 v) { return (u16)((v >> 8) | (v << 8)); }

/* PT_SOCKADDR from a user sockaddr: family, then address and port (host order) */
INLINE void p_sockaddr(struct scratch *s, u64 uaddr, u64 addrlen)
{
	u8 *b = p_ptr(s, 1 + 110);
	if (!b || !uaddr || addrlen < 2) { p_empty(s); return; }
	u16 fam = 0;
	bpf_probe_read_user(&fam, 2, (void *)uaddr);
	if (fam == K_AF_INET) {
		u32 ip = 0;
		u16 port = 0;
		bpf_probe_read_user(&port, 2, (void *)(uaddr + 2));
		bpf_probe_read_user(&ip, 4, (void *)(uaddr + 4));
		b[0] = family_to_scap(fam);
		*(u32 *)(b + 1) = ip;
		*(u16 *)(b + 5) = bswap16(port);
		set_len(s, 7);
	} else if (fam == K_AF_INET6) {
		u16 port = 0;
		bpf_probe_read_user(&port, 2, (void *)(uaddr + 2));
		b[0] = family_to_scap(fam);
		bpf_probe_read_user(b + 1, 16, (void *)(uaddr + 8));
		*(u16 *)(b + 17) = bswap16(port);
		set_len(s, 19);
	} else if (fam == K_AF_UNIX) {
		b[0] = family_to_scap(fam);
		u8 first = 0;
		bpf_probe_read_user(&first, 1, (void *)(uaddr + 2));
		u64 path = uaddr + 2 + (first == 0 ? 1 : 0); /* abstract names start with NUL */
		long n = bpf_probe_read_user_str(b + 1, 108, (void *)path);
		set_len(s, 1 + (n > 0 ? (u32)n : 0));
	} else {
		p_empty(s);
	}
}

#define OUTBOUND 0
#define INBOUND 1

/*
 * PT_SOCKTUPLE from the kernel socket behind fd. Outbound: local then remote;
 * inbound: remote then local. uaddr (may be 0) supplies the peer when the
 * kernel has none (unconnected UDP sendto).
 */
INLINE void p_socktuple(struct scratch *s, u64 task, s64 fd, int dir, u64 uaddr)
{
	u8 *b = p_ptr(s, 1 + 16 + 16 + 108 + 4);
	u64 sk = fd_to_sock(task, fd);
	if (!b || !sk) { p_empty(s); return; }
	u16 fam = rd16(sk, CFG(SK_FAMILY));
	if (fam == K_AF_INET) {
		u32 lip = rd32(sk, CFG(INET_SADDR));
		u16 lport = bswap16(rd16(sk, CFG(INET_SPORT)));
		u32 rip = rd32(sk, CFG(SK_DADDR));
		u16 rport = bswap16(rd16(sk, CFG(SK_DPORT)));
		if (rport == 0 && uaddr) {
			u16 p = 0;
			bpf_probe_read_user(&p, 2, (void *)(uaddr + 2));
			bpf_probe_read_user(&rip, 4, (void *)(uaddr + 4));
			rport = bswap16(p);
		}
		b[0] = family_to_scap(fam);
		if (dir == OUTBOUND) {
			*(u32 *)(b + 1) = lip; *(u16 *)(b + 5) = lport;
			*(u32 *)(b + 7) = rip; *(u16 *)(b + 11) = rport;
		} else {
			*(u32 *)(b + 1) = rip; *(u16 *)(b + 5) = rport;
			*(u32 *)(b + 7) = lip; *(u16 *)(b + 11) = lport;
		}
		set_len(s, 13);
	} else if (fam == K_AF_INET6) {
		u8 lip[16], rip[16];
		u64 pinet6 = 0;
		__builtin_memset(lip, 0, 16);
		__builtin_memset(rip, 0, 16);
		/* the local address is in sk_common too (skc_v6_rcv_saddr) */
		bpf_probe_read_kernel(lip, 16, (void *)(sk + CFG(SK_V6_RCV_SADDR)));
		bpf_probe_read_kernel(rip, 16, (void *)(sk + CFG(SK_V6_DADDR)));
		u16 lport = bswap16(rd16(sk, CFG(INET_SPORT)));
		u16 rport = bswap16(rd16(sk, CFG(SK_DPORT)));
		if (rport == 0 && uaddr) {
			u16 p = 0;
			bpf_probe_read_user(&p, 2, (void *)(uaddr + 2));
			bpf_probe_read_user(rip, 16, (void *)(uaddr + 8));
			rport = bswap16(p);
		}
		(void)pinet6;
		b[0] = family_to_scap(fam);
		if (dir == OUTBOUND) {
			__builtin_memcpy(b + 1, lip, 16); *(u16 *)(b + 17) = lport;
			__builtin_memcpy(b + 19, rip, 16); *(u16 *)(b + 35) = rport;
		} else {
			__builtin_memcpy(b + 1, rip, 16); *(u16 *)(b + 17) = rport;
			__builtin_memcpy(b + 19, lip, 16); *(u16 *)(b + 35) = lport;
		}
		set_len(s, 37);
	} else if (fam == K_AF_UNIX) {
		u64 peer = RDP(sk, UNIX_PEER);
		u64 path = 0;
		b[0] = family_to_scap(fam);
		if (dir == OUTBOUND) {
			*(u64 *)(b + 1) = peer;
			*(u64 *)(b + 9) = sk;
			u64 addr = RDP(peer, UNIX_ADDR);
			if (addr)
				path = addr + CFG(UNIX_ADDR_NAME) + 2;
			else if (uaddr)
				path = 0; /* filled from the user address below */
		} else {
			*(u64 *)(b + 1) = sk;
			*(u64 *)(b + 9) = peer;
			u64 addr = RDP(sk, UNIX_ADDR);
			if (addr)
				path = addr + CFG(UNIX_ADDR_NAME) + 2;
		}
		long n = 0;
		if (path) {
			u8 first = rd8(path, 0);
			n = bpf_probe_read_kernel_str(b + 17, 108, (void *)(path + (first == 0 ? 1 : 0)));
		} else if (dir == OUTBOUND && uaddr) {
			u8 first = 0;
			bpf_probe_read_user(&first, 1, (void *)(uaddr + 2));
			n = bpf_probe_read_user_str(b + 17, 108, (void *)(uaddr + 2 + (first == 0 ? 1 : 0)));
		}
		if (n <= 0) {
			b[17] = 0;
			n = 1;
		}
		set_len(s, 17 + (u32)n);
	} else {
		p_empty(s);
	}
}

/* ---- paths built right to left in s->tmp ---- */

#define TMP_MASK (2 * TMP_SIZE - 1)
#define TMP_END (2 * TMP_SIZE)   /* the path ends here; tmp[0..255] stages one name */
#define NAME_MAX_K 255

/*
 * The start of the path being built is kept in scratch memory (s->rpath), not
 * in a register: the verifier then treats every loop iteration alike instead
 * of following each possible length separately.
 */
INLINE void rpath_start(struct scratch *s)
{
	s->tmp[(TMP_END - 1) & TMP_MASK] = 0;
	s->rpath = TMP_END - 1;
}

/* prepends "/name" to the path being built */
INLINE void rpath_push(struct scratch *s, u64 name)
{
	if (!name)
		return;
	long n = bpf_probe_read_kernel_str(&s->tmp[0], NAME_MAX_K + 1, (void *)name);
	if (n <= 1)
		return;
	u32 len = (u32)(n - 1) & NAME_MAX_K;
	u32 at = s->rpath;
	if (at < NAME_MAX_K + 2 + len || at >= TMP_END)
		return; /* full: keep the deepest components */
	u32 dst = at - len;
	bpf_probe_read_kernel(&s->tmp[dst & TMP_MASK], len, &s->tmp[0]);
	dst--;
	s->tmp[dst & TMP_MASK] = '/';
	s->rpath = dst;
}

/* copies the finished path (with its NUL) to buf at cur; returns the new cur */
INLINE u32 rpath_emit(struct scratch *s, u32 cur)
{
	u32 at = s->rpath;
	if (at == TMP_END - 1) {
		at--;
		s->tmp[at & TMP_MASK] = '/';
	}
	u32 len = (TMP_END - at) & TMP_MASK;
	if (cur >= BUF_HALF || len == 0)
		return cur;
	if (bpf_probe_read_kernel(&s->buf[cur & BUF_MASK], len, &s->tmp[at & TMP_MASK]))
		return cur;
	return cur + len;
}

#define MAX_PATH_DEPTH 16

/* Absolute path of (dentry, vfsmount), crossing mount points; appended at cur. */
INLINE u32 put_dpath(struct scratch *s, u32 cur, u64 dentry, u64 vfsmnt)
{
	u64 mnt = vfsmnt - CFG(MNT_MNT);
	int i;
	rpath_start(s);
	for (i = 0; i < MAX_PATH_DEPTH; i++) {
		if (!dentry)
			break;
		u64 mnt_root = RDP(vfsmnt, VFSMNT_ROOT);
		u64 up = RDP(dentry, D_PARENT);
		if (dentry == mnt_root) {
			u64 parent = RDP(mnt, MNT_PARENT);
			if (!parent || parent == mnt)
				break; /* global root */
			dentry = RDP(mnt, MNT_MOUNTPOINT);
			mnt = parent;
			vfsmnt = parent + CFG(MNT_MNT);
			continue;
		}
		rpath_push(s, RDP(dentry, D_NAME));
		if (up == dentry)
			break; /* a pseudo file (memfd, pipe, ...): its own root, named "/name" */
		dentry = up;
	}
	return rpath_emit(s, cur);
}

/* ---- cgroups: "subsys=/path" strings, NUL-separated ---- */

#define MAX_CG_DEPTH 16

INLINE u32 put_cgroup(struct scratch *s, u32 cur, u64 cgset, u64 sid)
{
	if (sid == NO_OFF)
		return cur;
	u64 css = rd64(cgset, CFG(CSS_SUBSYS) + (sid & 63) * 8);
	if (!css)
		return cur;
	u64 ss = RDP(css, CSS_SS);
	u32 n = raw_kstr(s, cur, RDP(ss, SS_NAME), 32);
	if (n == 0)
		return cur;
	cur += n - 1;
	raw_char(s, cur, '=');
	cur++;
	u64 kn = RDP(RDP(css, CSS_CGROUP), CG_KN);
	int i;
	rpath_start(s);
	for (i = 0; i < MAX_CG_DEPTH; i++) {
		if (!kn)
			break;
		u64 parent = RDP(kn, KN_PARENT);
		if (!parent)
			break; /* the root node's name is empty */
		rpath_push(s, RDP(kn, KN_NAME));
		kn = parent;
	}
	return rpath_emit(s, cur);
}

INLINE void p_cgroups(struct scratch *s, u64 task)
{
	u64 cgset = RDP(task, T_CGROUPS);
	u32 cur = s->pos;
	cur = put_cgroup(s, cur, cgset, CFG(CG_CPUSET));
	cur = put_cgroup(s, cur, cgset, CFG(CG_CPU));
	cur = put_cgroup(s, cur, cgset, CFG(CG_CPUACCT));
	cur = put_cgroup(s, cur, cgset, CFG(CG_IO));
	cur = put_cgroup(s, cur, cgset, CFG(CG_MEMORY));
	end_param(s, cur);
}

/* ---- argv / env ---- */

#define MAX_ARGV 64

/*
 * Strings of a user char *array[] starting at index `first`, each with its
 * NUL, as one parameter, at most `max` bytes.
 */
INLINE void p_argv(struct scratch *s, u64 argv, u32 first, u32 max)
{
	u32 start = s->pos, cur = start;
	int i;
	if (!argv) { p_empty(s); return; }
	for (i = 0; i < MAX_ARGV; i++) {
		if ((u32)i < first)
			continue;
		u64 p = 0;
		bpf_probe_read_user(&p, 8, (void *)(argv + (u64)i * 8));
		if (!p)
			break;
		if (cur - start >= max)
			break;
		u32 n = raw_ustr(s, cur, p, 4096);
		if (!n)
			break;
		cur += n;
	}
	if (cur - start > max)
		cur = start + max;
	end_param(s, cur);
}

/* argv[0] of a user array as a string parameter */
INLINE void p_argv0(struct scratch *s, u64 argv)
{
	u64 p = 0;
	if (argv)
		bpf_probe_read_user(&p, 8, (void *)argv);
	p_ustr(s, p, MAX_PATH);
}

/* ---- process description (params 2..14 of clone/execve exits) ---- */

INLINE void p_proc_head(struct scratch *s, u64 task, int from_mm, u64 argv)
{
	u64 mm = RDP(task, T_MM);
	if (from_mm && mm) {
		u64 as = RDP(mm, MM_ARG_START), ae = RDP(mm, MM_ARG_END);
		u32 before = s->pos;
		p_ustr(s, as, MAX_PATH);                      /* exe = argv[0] */
		u32 el = s->pos - before;
		if (ae > as + el) {
			u64 n = ae - as - el;
			if (n > MAX_ARGS_BYTES)
				n = MAX_ARGS_BYTES;
			p_ubytes_strs(s, as + el, n);         /* args */
		} else {
			p_empty(s);
		}
	} else if (argv) {
		p_argv0(s, argv);
		p_argv(s, argv, 1, MAX_ARGS_BYTES);
	} else {
		p_empty(s);
		p_empty(s);
	}
	p_s64(s, RD32(task, T_PID));                          /* tid */
	p_s64(s, RD32(task, T_TGID));                         /* pid */
	p_s64(s, task_ptid(task));                            /* ptid */
	u64 fs = RDP(task, T_FS);                             /* cwd */
	if (fs)
		end_param(s, put_dpath(s, s->pos, RDP(fs, FS_PWD_DENTRY), RDP(fs, FS_PWD_MNT)));
	else
		p_empty(s);
	p_u64(s, task_fdlimit(task));
	p_u64(s, RDP(task, T_MAJ_FLT));
	p_u64(s, RDP(task, T_MIN_FLT));
	p_u32(s, mm_vm_size(mm));
	p_u32(s, mm_vm_rss(mm));
	p_u32(s, mm_vm_swap(mm));
	p_kstr(s, task + CFG(T_COMM), 16);
}

#endif
