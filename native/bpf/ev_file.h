/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* File and file-descriptor syscalls. Included by probe.bpf.c. */

/* fd, dev and inode of a newly opened file, plus the "created" flag */
INLINE u32 opened_flags(u64 task, s64 fd, u32 flags, u32 *dev, u64 *ino)
{
	*dev = 0;
	*ino = 0;
	if (fd < 0)
		return flags;
	u64 file = fd_to_file(task, fd);
	if (!file)
		return flags;
	file_dev_ino(file, dev, ino);
	if (RD32(file, F_MODE) & K_FMODE_CREATED)
		flags |= S_O_F_CREATED;
	return flags;
}

EVENT(EV_SYSCALL_OPEN_E, 3)
{
	UNUSED;
	p_ustr(s, a0, MAX_PATH);
	p_u32(s, open_flags_to_scap((u32)a1));
	p_u32(s, open_mode_to_scap((u32)a1, a2));
}

EVENT(EV_SYSCALL_OPEN_X, 6)
{
	UNUSED;
	p_s64(s, ret);
	p_ustr(s, a0, MAX_PATH);
	u32 dev;
	u64 ino;
	p_u32(s, opened_flags(cur_task(), ret, open_flags_to_scap((u32)a1), &dev, &ino));
	p_u32(s, open_mode_to_scap((u32)a1, a2));
	p_u32(s, dev);
	p_u64(s, ino);
}

EVENT(EV_SYSCALL_OPENAT_2_E, 4)
{
	UNUSED;
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, open_flags_to_scap((u32)a2));
	p_u32(s, open_mode_to_scap((u32)a2, a3));
}

EVENT(EV_SYSCALL_OPENAT_2_X, 7)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	u32 dev;
	u64 ino;
	p_u32(s, opened_flags(cur_task(), ret, open_flags_to_scap((u32)a2), &dev, &ino));
	p_u32(s, open_mode_to_scap((u32)a2, a3));
	p_u32(s, dev);
	p_u64(s, ino);
}

/* struct open_how { u64 flags, mode, resolve; } */
INLINE u32 resolve_to_scap(u64 r)
{
	u32 x = 0;
	if (r & 0x01) x |= 1u << 4; /* RESOLVE_NO_XDEV */
	if (r & 0x02) x |= 1u << 2; /* RESOLVE_NO_MAGICLINKS */
	if (r & 0x04) x |= 1u << 3; /* RESOLVE_NO_SYMLINKS */
	if (r & 0x08) x |= 1u << 0; /* RESOLVE_BENEATH */
	if (r & 0x10) x |= 1u << 1; /* RESOLVE_IN_ROOT */
	if (r & 0x20) x |= 1u << 5; /* RESOLVE_CACHED */
	return x;
}

struct open_how_k {
	u64 flags, mode, resolve;
};

EVENT(EV_SYSCALL_OPENAT2_E, 5)
{
	UNUSED;
	struct open_how_k how = {0, 0, 0};
	bpf_probe_read_user(&how, sizeof(how), (void *)a2);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, open_flags_to_scap((u32)how.flags));
	p_u32(s, open_mode_to_scap((u32)how.flags, how.mode));
	p_u32(s, resolve_to_scap(how.resolve));
}

EVENT(EV_SYSCALL_OPENAT2_X, 8)
{
	UNUSED;
	struct open_how_k how = {0, 0, 0};
	bpf_probe_read_user(&how, sizeof(how), (void *)a2);
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	u32 dev;
	u64 ino;
	p_u32(s, opened_flags(cur_task(), ret, open_flags_to_scap((u32)how.flags), &dev, &ino));
	p_u32(s, open_mode_to_scap((u32)how.flags, how.mode));
	p_u32(s, resolve_to_scap(how.resolve));
	p_u32(s, dev);
	p_u64(s, ino);
}

EVENT(EV_SYSCALL_CREAT_E, 2)
{
	UNUSED;
	p_ustr(s, a0, MAX_PATH);
	p_u32(s, mode_to_scap(a1));
}

EVENT(EV_SYSCALL_CREAT_X, 6)
{
	UNUSED;
	u32 dev;
	u64 ino;
	opened_flags(cur_task(), ret, 0, &dev, &ino);
	p_s64(s, ret);
	p_ustr(s, a0, MAX_PATH);
	p_u32(s, mode_to_scap(a1));
	p_u32(s, dev);
	p_u64(s, ino);
	p_u16(s, 0); /* creat_flags: overlay layers are not detected */
}

EVENT(EV_SYSCALL_CLOSE_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_CLOSE_X, 2) { UNUSED; p_s64(s, ret); p_fd(s, a0); }

/* ---- read / write family ---- */

EVENT(EV_SYSCALL_READ_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_READ_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_rdata(s, a1, ret);
	p_fd(s, a0);
	p_u32(s, (u32)a2);
}

EVENT(EV_SYSCALL_WRITE_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_WRITE_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_wdata(s, a1, ret, a2);
	p_fd(s, a0);
	p_u32(s, (u32)a2);
}

EVENT(EV_SYSCALL_PREAD_E, 3) { UNUSED; p_fd(s, a0); p_u32(s, (u32)a2); p_u64(s, a3); }
EVENT(EV_SYSCALL_PREAD_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_rdata(s, a1, ret);
	p_fd(s, a0);
	p_u32(s, (u32)a2);
	p_u64(s, a3);
}

EVENT(EV_SYSCALL_PWRITE_E, 3) { UNUSED; p_fd(s, a0); p_u32(s, (u32)a2); p_u64(s, a3); }
EVENT(EV_SYSCALL_PWRITE_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_wdata(s, a1, ret, a2);
	p_fd(s, a0);
	p_u32(s, (u32)a2);
	p_u64(s, a3);
}

#define MAX_IOV 16

struct iovec_k {
	u64 base, len;
};

INLINE u64 iov_total(u64 iov, u64 cnt)
{
	u64 total = 0;
	int i;
#pragma unroll
	for (i = 0; i < MAX_IOV; i++) {
		if ((u64)i >= cnt)
			break;
		struct iovec_k v = {0, 0};
		bpf_probe_read_user(&v, sizeof(v), (void *)(iov + (u64)i * 16));
		total += v.len;
	}
	return total;
}

/* the first `limit` bytes spread over an iovec array, as one parameter */
#define MAX_IOV_DATA 16383
INLINE void p_iov_data(struct scratch *s, u64 iov, u64 cnt, u64 limit)
{
	u32 start = s->pos;
	u32 total = 0;
	int i;
	if (start >= BUF_HALF || limit == 0 || !iov) {
		p_empty(s);
		return;
	}
	if (limit > MAX_IOV_DATA)
		limit = MAX_IOV_DATA;
	for (i = 0; i < MAX_IOV; i++) {
		if ((u64)i >= cnt || total >= limit)
			break;
		struct iovec_k v = {0, 0};
		bpf_probe_read_user(&v, sizeof(v), (void *)(iov + (u64)i * 16));
		u64 room = limit - total;
		u32 n = (u32)(v.len < room ? v.len : room);
		n &= MAX_IOV_DATA;
		if (bpf_probe_read_user(&s->buf[(start + total) & BUF_MASK], n, (void *)v.base))
			break;
		total += n;
	}
	set_len(s, total);
}

INLINE u64 rlimit_of(s64 ret)
{
	u64 n = snaplen();
	if (ret > 0 && (u64)ret < n)
		n = (u64)ret;
	return ret > 0 ? n : 0;
}

INLINE u64 wlimit_of(s64 ret, u64 size)
{
	u64 n = snaplen();
	u64 want = ret > 0 ? (u64)ret : size;
	return want < n ? want : n;
}

EVENT(EV_SYSCALL_READV_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_READV_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_u32(s, (u32)iov_total(a1, a2));
	p_iov_data(s, a1, a2, rlimit_of(ret));
	p_fd(s, a0);
}

EVENT(EV_SYSCALL_WRITEV_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, (u32)iov_total(a1, a2)); }
EVENT(EV_SYSCALL_WRITEV_X, 4)
{
	UNUSED;
	u64 size = iov_total(a1, a2);
	p_s64(s, ret);
	p_iov_data(s, a1, a2, wlimit_of(ret, size));
	p_fd(s, a0);
	p_u32(s, (u32)size);
}

EVENT(EV_SYSCALL_PREADV_E, 2) { UNUSED; p_fd(s, a0); p_u64(s, a3); }
EVENT(EV_SYSCALL_PREADV_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_u32(s, (u32)iov_total(a1, a2));
	p_iov_data(s, a1, a2, rlimit_of(ret));
	p_fd(s, a0);
	p_u64(s, a3);
}

EVENT(EV_SYSCALL_PWRITEV_E, 3) { UNUSED; p_fd(s, a0); p_u32(s, (u32)iov_total(a1, a2)); p_u64(s, a3); }
EVENT(EV_SYSCALL_PWRITEV_X, 5)
{
	UNUSED;
	u64 size = iov_total(a1, a2);
	p_s64(s, ret);
	p_iov_data(s, a1, a2, wlimit_of(ret, size));
	p_fd(s, a0);
	p_u32(s, (u32)size);
	p_u64(s, a3);
}

EVENT(EV_SYSCALL_LSEEK_E, 3) { UNUSED; p_fd(s, a0); p_u64(s, a1); p_u8(s, whence_to_scap(a2)); }
EVENT(EV_SYSCALL_LSEEK_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_fd(s, a0);
	p_u64(s, a1);
	p_u8(s, whence_to_scap(a2));
}

EVENT(EV_SYSCALL_SENDFILE_E, 4)
{
	UNUSED;
	u64 off = 0;
	if (a2)
		bpf_probe_read_user(&off, 8, (void *)a2);
	p_fd(s, a0);
	p_fd(s, a1);
	p_u64(s, off);
	p_u64(s, a3);
}
EVENT(EV_SYSCALL_SENDFILE_X, 5)
{
	UNUSED;
	u64 off = 0;
	if (a2)
		bpf_probe_read_user(&off, 8, (void *)a2);
	p_s64(s, ret);
	p_u64(s, off);
	p_fd(s, a0);
	p_fd(s, a1);
	p_u64(s, a3);
}

EVENT(EV_SYSCALL_SPLICE_E, 4) { UNUSED; p_fd(s, a0); p_fd(s, a2); p_u64(s, a4); p_u32(s, splice_flags_to_scap(a5)); }
EVENT(EV_SYSCALL_SPLICE_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_fd(s, a0);
	p_fd(s, a2);
	p_u64(s, a4);
	p_u32(s, splice_flags_to_scap(a5));
}

INLINE u64 uread64(u64 p)
{
	u64 v = 0;
	if (p)
		bpf_probe_read_user(&v, 8, (void *)p);
	return v;
}

EVENT(EV_SYSCALL_COPY_FILE_RANGE_E, 3) { UNUSED; p_fd(s, a0); p_u64(s, uread64(a1)); p_u64(s, a4); }
EVENT(EV_SYSCALL_COPY_FILE_RANGE_X, 6)
{
	UNUSED;
	p_s64(s, ret);
	p_fd(s, a2);
	p_u64(s, uread64(a3));
	p_fd(s, a0);
	p_u64(s, uread64(a1));
	p_u64(s, a4);
}

/* ---- namespace operations ---- */

EVENT(EV_SYSCALL_UNLINK_2_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_UNLINK_2_X, 2) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); }

EVENT(EV_SYSCALL_UNLINKAT_2_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_UNLINKAT_2_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, unlinkat_flags_to_scap(a2));
}

EVENT(EV_SYSCALL_RENAME_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_RENAME_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_ustr(s, a1, MAX_PATH); }

EVENT(EV_SYSCALL_RENAMEAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_RENAMEAT_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_s64(s, dirfd_to_scap(a2));
	p_ustr(s, a3, MAX_PATH);
}

EVENT(EV_SYSCALL_RENAMEAT2_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_RENAMEAT2_X, 6)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_s64(s, dirfd_to_scap(a2));
	p_ustr(s, a3, MAX_PATH);
	p_u32(s, renameat2_flags_to_scap(a4));
}

EVENT(EV_SYSCALL_MKDIR_2_E, 1) { UNUSED; p_u32(s, (u32)a1); }
EVENT(EV_SYSCALL_MKDIR_2_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_u32(s, (u32)a1); }

EVENT(EV_SYSCALL_MKDIRAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_MKDIRAT_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, (u32)a2);
}

EVENT(EV_SYSCALL_RMDIR_2_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_RMDIR_2_X, 2) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); }

EVENT(EV_SYSCALL_LINK_2_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_LINK_2_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_ustr(s, a1, MAX_PATH); }

EVENT(EV_SYSCALL_LINKAT_2_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_LINKAT_2_X, 6)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_s64(s, dirfd_to_scap(a2));
	p_ustr(s, a3, MAX_PATH);
	p_u32(s, linkat_flags_to_scap(a4));
}

EVENT(EV_SYSCALL_SYMLINK_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_SYMLINK_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_ustr(s, a1, MAX_PATH); }

EVENT(EV_SYSCALL_SYMLINKAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_SYMLINKAT_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_ustr(s, a0, MAX_PATH);
	p_s64(s, dirfd_to_scap(a1));
	p_ustr(s, a2, MAX_PATH);
}

EVENT(EV_SYSCALL_CHMOD_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_CHMOD_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_u32(s, mode_to_scap(a1)); }

EVENT(EV_SYSCALL_FCHMOD_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_FCHMOD_X, 3) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u32(s, mode_to_scap(a1)); }

EVENT(EV_SYSCALL_FCHMODAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_FCHMODAT_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, mode_to_scap(a2));
}

EVENT(EV_SYSCALL_CHOWN_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_CHOWN_X, 4) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_LCHOWN_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_LCHOWN_X, 4) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_FCHOWN_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_FCHOWN_X, 4) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u32(s, (u32)a1); p_u32(s, (u32)a2); }
EVENT(EV_SYSCALL_FCHOWNAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_FCHOWNAT_X, 6)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, (u32)a2);
	p_u32(s, (u32)a3);
	p_u32(s, fchownat_flags_to_scap(a4));
}

EVENT(EV_SYSCALL_MKNOD_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_MKNOD_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_ustr(s, a0, MAX_PATH);
	p_u32(s, mknod_mode_to_scap((u32)a1));
	p_u32(s, encode_dev((u32)a2));
}

EVENT(EV_SYSCALL_MKNODAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_MKNODAT_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, mknod_mode_to_scap((u32)a2));
	p_u32(s, encode_dev((u32)a3));
}

/* ---- stat family, access, directory ---- */

EVENT(EV_SYSCALL_STAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_STAT_X, 2) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); }
EVENT(EV_SYSCALL_LSTAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_LSTAT_X, 2) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); }
EVENT(EV_SYSCALL_FSTAT_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_FSTAT_X, 2) { UNUSED; p_s64(s, ret); p_fd(s, a0); }

INLINE u32 newfstatat_flags_to_scap(u64 f)
{
	u32 r = 0;
	if (f & K_AT_SYMLINK_NOFOLLOW) r |= 0x100;
	if (f & K_AT_EMPTY_PATH) r |= 0x1000;
	if (f & 0x800) r |= 0x800; /* AT_NO_AUTOMOUNT */
	return r;
}

EVENT(EV_SYSCALL_NEWFSTATAT_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_NEWFSTATAT_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_s64(s, dirfd_to_scap(a0));
	p_ustr(s, a1, MAX_PATH);
	p_u32(s, newfstatat_flags_to_scap(a3));
}

EVENT(EV_SYSCALL_ACCESS_E, 1) { UNUSED; p_u32(s, access_mode_to_scap(a1)); }
EVENT(EV_SYSCALL_ACCESS_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_u32(s, access_mode_to_scap(a1)); }

EVENT(EV_SYSCALL_GETDENTS_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_GETDENTS_X, 2) { UNUSED; p_s64(s, ret); p_fd(s, a0); }
EVENT(EV_SYSCALL_GETDENTS64_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_GETDENTS64_X, 2) { UNUSED; p_s64(s, ret); p_fd(s, a0); }

EVENT(EV_SYSCALL_GETCWD_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_GETCWD_X, 2)
{
	UNUSED;
	p_s64(s, ret);
	if (ret > 0)
		p_ustr(s, a0, MAX_PATH);
	else
		p_empty(s);
}

EVENT(EV_SYSCALL_CHDIR_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_CHDIR_X, 2) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); }
EVENT(EV_SYSCALL_FCHDIR_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_FCHDIR_X, 2) { UNUSED; p_s64(s, ret); p_fd(s, a0); }

EVENT(EV_SYSCALL_FLOCK_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, (u32)(a1 & 0xf)); }
EVENT(EV_SYSCALL_FLOCK_X, 3) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u32(s, (u32)(a1 & 0xf)); }

/* ---- descriptor plumbing ---- */

/* dup/dup2/dup3 in sysdig-compatible files */
EVENT(EV_SYSCALL_DUP_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_DUP_X, 1) { UNUSED; p_s64(s, ret); }

EVENT(EV_SYSCALL_DUP_1_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_DUP_1_X, 2) { UNUSED; p_s64(s, ret); p_fd(s, a0); }
EVENT(EV_SYSCALL_DUP2_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_DUP2_X, 3) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_fd(s, a1); }
EVENT(EV_SYSCALL_DUP3_E, 1) { UNUSED; p_fd(s, a0); }
EVENT(EV_SYSCALL_DUP3_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_fd(s, a0);
	p_fd(s, a1);
	p_u32(s, a2 & K_O_CLOEXEC ? S_O_CLOEXEC : 0);
}

INLINE void p_pipe_tail(struct scratch *s, u64 fds, s64 ret)
{
	s32 pair[2] = {-1, -1};
	if (ret >= 0 && fds)
		bpf_probe_read_user(pair, sizeof(pair), (void *)fds);
	p_s64(s, (s64)pair[0]);
	p_s64(s, (s64)pair[1]);
	u32 dev;
	u64 ino = 0;
	if (ret >= 0) {
		u64 file = fd_to_file(cur_task(), pair[0]);
		file_dev_ino(file, &dev, &ino);
	}
	p_u64(s, ino);
}

EVENT(EV_SYSCALL_PIPE_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_PIPE_X, 4) { UNUSED; p_s64(s, ret); p_pipe_tail(s, a0, ret); }
EVENT(EV_SYSCALL_PIPE2_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_PIPE2_X, 5) { UNUSED; p_s64(s, ret); p_pipe_tail(s, a0, ret); p_u32(s, fdflags_to_scap((s64)(s32)a1)); }

EVENT(EV_SYSCALL_FCNTL_E, 2) { UNUSED; p_fd(s, a0); p_u8(s, fcntl_cmd_to_scap(a1)); }
EVENT(EV_SYSCALL_FCNTL_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_fd(s, a0);
	p_u8(s, fcntl_cmd_to_scap(a1));
	p_u64(s, a2);
}

EVENT(EV_SYSCALL_CLOSE_RANGE_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_CLOSE_RANGE_X, 4)
{
	UNUSED;
	p_s64(s, ret);
	p_u32(s, (u32)a0);
	p_u32(s, (u32)a1);
	p_u32(s, close_range_flags_to_scap(a2));
}

EVENT(EV_SYSCALL_IOCTL_3_E, 3) { UNUSED; p_fd(s, a0); p_u64(s, a1); p_u64(s, a2); }
EVENT(EV_SYSCALL_IOCTL_3_X, 4) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u64(s, a1); p_u64(s, a2); }

/* special file descriptors */
/* also eventfd2 in sysdig-compatible files: flags are then its second argument */
#define EFD_FLAGS (s->id == 290 ? (u32)efd_flags_to_scap(a1) : 0)
INLINE u16 efd_flags_to_scap(u64 f);
EVENT(EV_SYSCALL_EVENTFD_E, 2) { UNUSED; p_u64(s, a0); p_u32(s, EFD_FLAGS); }
EVENT(EV_SYSCALL_EVENTFD_X, 3) { UNUSED; p_s64(s, ret); p_u64(s, a0); p_u32(s, EFD_FLAGS); }

INLINE u16 efd_flags_to_scap(u64 f)
{
	u16 r = 0;
	if (f & 1) r |= 1u << 0;           /* EFD_SEMAPHORE */
	if (f & K_O_NONBLOCK) r |= 1u << 1; /* EFD_NONBLOCK */
	if (f & K_O_CLOEXEC) r |= 1u << 2;  /* EFD_CLOEXEC */
	return r;
}
EVENT(EV_SYSCALL_EVENTFD2_E, 1) { UNUSED; p_u64(s, a0); }
EVENT(EV_SYSCALL_EVENTFD2_X, 3) { UNUSED; p_s64(s, ret); p_u16(s, efd_flags_to_scap(a1)); p_u64(s, a0); }

EVENT(EV_SYSCALL_EPOLL_CREATE_E, 1) { UNUSED; p_s64(s, (s64)(s32)a0); }
EVENT(EV_SYSCALL_EPOLL_CREATE_X, 2) { UNUSED; p_s64(s, ret); p_s64(s, (s64)(s32)a0); }
EVENT(EV_SYSCALL_EPOLL_CREATE1_E, 1) { UNUSED; p_u32(s, epoll_create1_flags_to_scap(a0)); }
EVENT(EV_SYSCALL_EPOLL_CREATE1_X, 2) { UNUSED; p_s64(s, ret); p_u32(s, epoll_create1_flags_to_scap(a0)); }

/* also inotify_init1 in sysdig-compatible files */
#define IN_FLAGS (s->id == 294 ? (u8)in1_flags_to_scap(a0) : 0)
INLINE u16 in1_flags_to_scap(u64 f);
EVENT(EV_SYSCALL_INOTIFY_INIT_E, 1) { UNUSED; p_u8(s, IN_FLAGS); }
EVENT(EV_SYSCALL_INOTIFY_INIT_X, 2) { UNUSED; p_s64(s, ret); p_u8(s, IN_FLAGS); }
INLINE u16 in1_flags_to_scap(u64 f)
{
	u16 r = 0;
	if (f & K_O_NONBLOCK) r |= 1u << 0;
	if (f & K_O_CLOEXEC) r |= 1u << 1;
	return r;
}
EVENT(EV_SYSCALL_INOTIFY_INIT1_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_INOTIFY_INIT1_X, 2) { UNUSED; p_s64(s, ret); p_u16(s, in1_flags_to_scap(a0)); }

EVENT(EV_SYSCALL_TIMERFD_CREATE_E, 2) { UNUSED; p_u8(s, 0); p_u8(s, 0); }
EVENT(EV_SYSCALL_TIMERFD_CREATE_X, 3) { UNUSED; p_s64(s, ret); p_u8(s, 0); p_u8(s, 0); }

EVENT(EV_SYSCALL_SIGNALFD_E, 3) { UNUSED; p_fd(s, a0); p_u32(s, 0); p_u8(s, 0); }
EVENT(EV_SYSCALL_SIGNALFD_X, 4) { UNUSED; p_s64(s, ret); p_fd(s, a0); p_u32(s, 0); p_u8(s, 0); }
EVENT(EV_SYSCALL_SIGNALFD4_E, 2) { UNUSED; p_fd(s, a0); p_u32(s, 0); }
EVENT(EV_SYSCALL_SIGNALFD4_X, 4)
{
	UNUSED;
	u16 f = 0;
	if (a3 & K_O_NONBLOCK) f |= 1u << 0;
	if (a3 & K_O_CLOEXEC) f |= 1u << 1;
	p_s64(s, ret);
	p_u16(s, f);
	p_fd(s, a0);
	p_u32(s, 0);
}

EVENT(EV_SYSCALL_MEMFD_CREATE_E, 0) { UNUSED; }
EVENT(EV_SYSCALL_MEMFD_CREATE_X, 3)
{
	UNUSED;
	p_s64(s, ret);
	p_ustr(s, a0, 256);
	p_u32(s, memfd_flags_to_scap(a1));
}

/* ---- memory ---- */

INLINE void p_vm(struct scratch *s)
{
	u64 mm = RDP(cur_task(), T_MM);
	p_u32(s, mm_vm_size(mm));
	p_u32(s, mm_vm_rss(mm));
	p_u32(s, mm_vm_swap(mm));
}

EVENT(EV_SYSCALL_MMAP_E, 6)
{
	UNUSED;
	p_u64(s, a0);
	p_u64(s, a1);
	p_u32(s, prot_to_scap(a2));
	p_u32(s, mmap_flags_to_scap(a3));
	p_fd(s, a4);
	p_u64(s, a5);
}

EVENT(EV_SYSCALL_MMAP_X, 10)
{
	UNUSED;
	p_s64(s, ret);
	p_vm(s);
	p_u64(s, a0);
	p_u64(s, a1);
	p_u32(s, prot_to_scap(a2));
	p_u32(s, mmap_flags_to_scap(a3));
	p_fd(s, a4);
	p_u64(s, a5);
}

EVENT(EV_SYSCALL_MUNMAP_E, 2) { UNUSED; p_u64(s, a0); p_u64(s, a1); }
EVENT(EV_SYSCALL_MUNMAP_X, 6) { UNUSED; p_s64(s, ret); p_vm(s); p_u64(s, a0); p_u64(s, a1); }

EVENT(EV_SYSCALL_MPROTECT_E, 3) { UNUSED; p_u64(s, a0); p_u64(s, a1); p_u32(s, prot_to_scap(a2)); }
EVENT(EV_SYSCALL_MPROTECT_X, 4) { UNUSED; p_s64(s, ret); p_u64(s, a0); p_u64(s, a1); p_u32(s, prot_to_scap(a2)); }

EVENT(EV_SYSCALL_BRK_4_E, 1) { UNUSED; p_u64(s, a0); }
EVENT(EV_SYSCALL_BRK_4_X, 5) { UNUSED; p_u64(s, (u64)ret); p_vm(s); p_u64(s, a0); }

/* ---- mounts ---- */

EVENT(EV_SYSCALL_MOUNT_E, 1) { UNUSED; p_u32(s, mount_flags_to_scap(a3)); }
EVENT(EV_SYSCALL_MOUNT_X, 5)
{
	UNUSED;
	p_s64(s, ret);
	p_ustr(s, a0, MAX_PATH);
	p_ustr(s, a1, MAX_PATH);
	p_ustr(s, a2, 256);
	p_u32(s, mount_flags_to_scap(a3));
}

/* umount2 in sysdig-compatible files */
EVENT(EV_SYSCALL_UMOUNT_E, 1) { UNUSED; p_u32(s, umount2_flags_to_scap(a1)); }
EVENT(EV_SYSCALL_UMOUNT_X, 2) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); }

EVENT(EV_SYSCALL_UMOUNT2_E, 1) { UNUSED; p_u32(s, umount2_flags_to_scap(a1)); }
EVENT(EV_SYSCALL_UMOUNT2_X, 3) { UNUSED; p_s64(s, ret); p_ustr(s, a0, MAX_PATH); p_u32(s, umount2_flags_to_scap(a1)); }
