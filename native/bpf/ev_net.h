/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* Network syscalls. Included by probe.bpf.c. */

#define K_EINPROGRESS 115

EVENT(EV_SOCKET_SOCKET_E, 3) { UNUSED; p_u32(s, family_to_scap((u32)a0)); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SOCKET_SOCKET_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_u32(s, family_to_scap((u32)a0));
	p_u32(s, (u32)a1);
	p_u32(s, (u32)a2);
	p_u32(s, fdflags_to_scap((s64)(s32)(a1 & (K_O_NONBLOCK | K_O_CLOEXEC))));
}

EVENT(EV_SOCKET_SOCKETPAIR_E, 3) { UNUSED; p_u32(s, family_to_scap((u32)a0)); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SOCKET_SOCKETPAIR_X, 8)
{
	UNUSED;
	s32 pair[2] = {-1, -1};
	u64 src = 0, peer = 0;
	if (ret >= 0) {
		bpf_probe_read_user(pair, sizeof(pair), (void *)a3);
		u64 sk = fd_to_sock(cur_task(), pair[0]);
		src = sk;
		peer = RDP(sk, UNIX_PEER);
	}
	p_s64(s, ret);
	p_s64(s, (s64)pair[0]);
	p_s64(s, (s64)pair[1]);
	p_u64(s, src);
	p_u64(s, peer);
	p_u32(s, family_to_scap((u32)a0));
	p_u32(s, (u32)a1);
	p_u32(s, (u32)a2);
}

EVENT(EV_SOCKET_CONNECT_E, 2) { UNUSED; p_fd(s, a0); p_sockaddr(s, a1, a2); }
EVENT(EV_SOCKET_CONNECT_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	if (ret == 0 || ret == -K_EINPROGRESS)
		p_socktuple(s, cur_task(), (s32)a0, OUTBOUND, a1);
	else
		p_empty(s);
	p_fd(s, a0);
	p_sockaddr(s, a1, a2);
}

INLINE void p_accept_tail(struct scratch *s, u64 lfd, s64 ret)
{
	u32 qlen = 0, qmax = 0;
	u8 pct = 0;
	if (ret >= 0) {
		p_socktuple(s, cur_task(), ret, INBOUND, 0);
		u64 lsk = fd_to_sock(cur_task(), (s32)lfd);
		if (lsk) {
			qlen = RD32(lsk, SK_ACK_BACKLOG);
			qmax = RD32(lsk, SK_MAX_ACK_BACKLOG);
			if (qlen && qmax)
				pct = (u8)((u64)qlen * 100 / qmax);
		}
	} else {
		p_empty(s);
	}
	p_u8(s, pct);
	p_u32(s, qlen);
	p_u32(s, qmax);
}

EVENT(EV_SOCKET_ACCEPT_5_E, 0) { UNUSED; }
EVENT(EV_SOCKET_ACCEPT_5_X, 5) { UNUSED; p_s64(s, ret); p_accept_tail(s, a0, ret); }

EVENT(EV_SOCKET_ACCEPT4_6_E, 1) { UNUSED; p_u32(s, fdflags_to_scap((s64)(s32)a3)); }
EVENT(EV_SOCKET_ACCEPT4_6_X, 6)
{
	UNUSED;
	p_s64(s, ret);
	p_accept_tail(s, a0, ret);
	/* flags: PT_INT32 */
	u32 f = fdflags_to_scap((s64)(s32)a3);
	p_u32(s, f);
}

/* accept4 in sysdig-compatible files */
EVENT(EV_SOCKET_ACCEPT4_5_E, 1) { UNUSED; p_u32(s, fdflags_to_scap((s64)(s32)a3)); }
EVENT(EV_SOCKET_ACCEPT4_5_X, 5) { UNUSED; p_s64(s, ret); p_accept_tail(s, a0, ret); }

EVENT(EV_SOCKET_BIND_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SOCKET_BIND_X, 3) { UNUSED; p_s64(s, ret); p_sockaddr(s, a1, a2); p_fd(s, a0); }

EVENT(EV_SOCKET_LISTEN_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, (u32)a1); }
EVENT(EV_SOCKET_LISTEN_X, 3) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u32(s, (u32)a1); }

EVENT(EV_SOCKET_SHUTDOWN_E, 2) { UNUSED; p_fd(s, a0); p_u8(s, shutdown_how_to_scap(a1)); }
EVENT(EV_SOCKET_SHUTDOWN_X, 3) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u8(s, shutdown_how_to_scap(a1)); }

EVENT(EV_SOCKET_SENDTO_E, 3)
{
	UNUSED;
	p_fd(s, a0);
	p_u32(s, (u32)a2);
	p_socktuple(s, cur_task(), (s32)a0, OUTBOUND, a4);
}
EVENT(EV_SOCKET_SENDTO_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_wdata(s, a1, ret, a2);
	p_fd(s, a0);
	p_u32(s, (u32)a2);
	if (ret >= 0)
		p_socktuple(s, cur_task(), (s32)a0, OUTBOUND, a4);
	else
		p_empty(s);
}

EVENT(EV_SOCKET_RECVFROM_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, (u32)a2); }
EVENT(EV_SOCKET_RECVFROM_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	if (ret >= 0) {
		p_rdata(s, a1, ret);
		p_socktuple(s, cur_task(), (s32)a0, INBOUND, a4);
	} else {
		p_empty(s);
		p_empty(s);
	}
	p_fd(s, a0);
	p_u32(s, (u32)a2);
}

/* struct user_msghdr: name, namelen(+pad), iov, iovlen, control, controllen, flags */
struct msghdr_k {
	u64 name;
	u32 namelen, pad;
	u64 iov;
	u64 iovlen;
	u64 control;
	u64 controllen;
	u32 flags, pad2;
};

EVENT(EV_SOCKET_SENDMSG_E, 3)
{
	UNUSED;
	struct msghdr_k m;
	__builtin_memset(&m, 0, sizeof(m));
	bpf_probe_read_user(&m, sizeof(m), (void *)a1);
	p_fd(s, a0);
	p_u32(s, (u32)iov_total(m.iov, m.iovlen));
	p_socktuple(s, cur_task(), (s32)a0, OUTBOUND, m.name);
}
EVENT(EV_SOCKET_SENDMSG_X, 5)
{
	UNUSED;
	struct msghdr_k m;
	__builtin_memset(&m, 0, sizeof(m));
	bpf_probe_read_user(&m, sizeof(m), (void *)a1);
	u64 size = iov_total(m.iov, m.iovlen);
	p_s64(s, ret);
	p_iov_data(s, m.iov, m.iovlen, wlimit_of(ret, size));
	p_fd(s, a0);
	p_u32(s, (u32)size);
	if (ret >= 0)
		p_socktuple(s, cur_task(), (s32)a0, OUTBOUND, m.name);
	else
		p_empty(s);
}

EVENT(EV_SOCKET_RECVMSG_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SOCKET_RECVMSG_X, 6)
{
	UNUSED;
	struct msghdr_k m;
	__builtin_memset(&m, 0, sizeof(m));
	bpf_probe_read_user(&m, sizeof(m), (void *)a1);
	p_s64(s, ret);
	if (ret >= 0) {
		p_u32(s, (u32)ret);
		p_iov_data(s, m.iov, m.iovlen, rlimit_of(ret));
		p_socktuple(s, cur_task(), (s32)a0, INBOUND, m.name);
		/* msgcontrol: the control buffer the kernel filled */
		u64 clen = 0;
		bpf_probe_read_user(&clen, 8, (void *)(a1 + 40));
		if (m.control && clen)
			p_ubytes(s, m.control, clen > 512 ? 512 : clen);
		else
			p_empty(s);
	} else {
		/* size: current libs leave it empty; sysdig 0.29.3's kmod wrote the
		 * buffers' total size (and 0.29.3 reads an empty UINT32 past its end) */
		if (CFG(COMPAT))
			p_u32(s, (u32)iov_total(m.iov, m.iovlen));
		else
			p_empty(s);
		p_empty(s);
		p_empty(s);
		p_empty(s);
	}
	p_fd(s, a0);
}

/* PT_DYN socket option value: index byte, then the value */
INLINE void p_sockopt_val(struct scratch *s, s32 level, s32 name, u64 optval, u32 optlen)
{
	u8 *b = p_ptr(s, 1 + 256);
	if (!b) { p_empty(s); return; }
	if (level == 1) {
		s32 v32 = 0;
		u64 v64 = 0;
		switch (name) {
		case 4: /* SO_ERROR: stored as a negative errno */
			bpf_probe_read_user(&v32, 4, (void *)optval);
			b[0] = 1;
			*(s64 *)(b + 1) = -(s64)v32;
			set_len(s, 9);
			return;
		case 20: case 21: case 66: case 67: { /* SO_RCVTIMEO/SO_SNDTIMEO (old/new): timeval as ns */
			u64 tv[2] = {0, 0};
			bpf_probe_read_user(tv, 16, (void *)optval);
			b[0] = 4;
			*(u64 *)(b + 1) = tv[0] * 1000000000ULL + tv[1] * 1000ULL;
			set_len(s, 9);
			return;
		}
		case 57: /* SO_COOKIE */
			bpf_probe_read_user(&v64, 8, (void *)optval);
			b[0] = 3;
			*(u64 *)(b + 1) = v64;
			set_len(s, 9);
			return;
		case 13: case 17: case 26: case 28: case 50: case 51: case 52:
			break; /* structures: raw bytes below */
		default:
			if (name >= 1 && name <= 49) {
				bpf_probe_read_user(&v32, 4, (void *)optval);
				b[0] = 2;
				*(u32 *)(b + 1) = (u32)v32;
				set_len(s, 5);
				return;
			}
			break;
		}
	}
	b[0] = 0;
	u32 n = optlen > 255 ? 255 : optlen;
	BOUND(n, 0xff);
	if (n && optval && !bpf_probe_read_user(b + 1, n, (void *)optval))
		set_len(s, 1 + n);
	else
		set_len(s, 1);
}

EVENT(EV_SOCKET_SETSOCKOPT_E, 0) { UNUSED; }
EVENT(EV_SOCKET_SETSOCKOPT_X, 6)
{
	UNUSED;
	p_s64(s, ret);
	p_fd(s, a0);
	p_u8(s, sockopt_level_to_scap((s32)a1));
	p_u8(s, sockopt_optname_to_scap((s32)a1, (s32)a2));
	p_sockopt_val(s, (s32)a1, (s32)a2, a3, (u32)a4);
	p_u32(s, (u32)a4);
}

EVENT(EV_SOCKET_GETSOCKOPT_E, 0) { UNUSED; }
EVENT(EV_SOCKET_GETSOCKOPT_X, 6)
{
	UNUSED;
	u32 optlen = 0;
	bpf_probe_read_user(&optlen, 4, (void *)a4);
	p_s64(s, ret);
	p_fd(s, a0);
	p_u8(s, sockopt_level_to_scap((s32)a1));
	p_u8(s, sockopt_optname_to_scap((s32)a1, (s32)a2));
	p_sockopt_val(s, (s32)a1, (s32)a2, a3, optlen);
	p_u32(s, optlen);
}

EVENT(EV_SOCKET_GETSOCKNAME_E, 0) { UNUSED; }
EVENT(EV_SOCKET_GETSOCKNAME_X, 0) { UNUSED; }
EVENT(EV_SOCKET_GETPEERNAME_E, 0) { UNUSED; }
EVENT(EV_SOCKET_GETPEERNAME_X, 0) { UNUSED; }
