/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Reading kernel structures through the offsets the loader resolved from the
 * running kernel's BTF (see config.h). Every read goes through
 * bpf_probe_read_kernel, so a NULL or stale pointer reads as zero.
 */
#ifndef SCRY_KERNEL_H
#define SCRY_KERNEL_H

INLINE u64 rd64(u64 base, u64 off)
{
	u64 v = 0;
	if (base)
		bpf_probe_read_kernel(&v, sizeof(v), (void *)(base + off));
	return v;
}

INLINE u32 rd32(u64 base, u64 off)
{
	u32 v = 0;
	if (base)
		bpf_probe_read_kernel(&v, sizeof(v), (void *)(base + off));
	return v;
}

INLINE u16 rd16(u64 base, u64 off)
{
	u16 v = 0;
	if (base)
		bpf_probe_read_kernel(&v, sizeof(v), (void *)(base + off));
	return v;
}

INLINE u8 rd8(u64 base, u64 off)
{
	u8 v = 0;
	if (base)
		bpf_probe_read_kernel(&v, sizeof(v), (void *)(base + off));
	return v;
}

#define RDP(base, field) rd64((base), CFG(field))
#define RD32(base, field) rd32((base), CFG(field))

INLINE u64 cur_task(void) { return bpf_get_current_task(); }

/* ---- files ---- */

INLINE u64 fd_to_file(u64 task, s64 fd)
{
	if (fd < 0)
		return 0;
	u64 files = RDP(task, T_FILES);
	u64 fdt = RDP(files, FILES_FDT);
	if (!fdt)
		return 0;
	u32 max = RD32(fdt, FDT_MAX_FDS);
	if ((u64)fd >= max)
		return 0;
	u64 arr = RDP(fdt, FDT_FD);
	if (!arr)
		return 0;
	return rd64(arr, (u64)fd * 8);
}

INLINE u64 file_inode(u64 file) { return RDP(file, F_INODE); }

/* userspace dev_t encoding of a kernel dev_t (MINORBITS 20) */
INLINE u32 encode_dev(u32 kdev)
{
	u32 major = kdev >> 20, minor = kdev & 0xfffff;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

INLINE void file_dev_ino(u64 file, u32 *dev, u64 *ino)
{
	u64 inode = file_inode(file);
	if (!inode) {
		*dev = 0;
		*ino = 0;
		return;
	}
	u64 sb = RDP(inode, I_SB);
	*dev = encode_dev(RD32(sb, SB_DEV));
	*ino = RDP(inode, I_INO);
}

#define K_S_IFMT 0170000
#define K_S_IFSOCK 0140000

/* struct sock * behind a socket fd, or 0 */
INLINE u64 fd_to_sock(u64 task, s64 fd)
{
	u64 file = fd_to_file(task, fd);
	if (!file)
		return 0;
	u64 inode = file_inode(file);
	u16 mode = rd16(inode, CFG(I_MODE));
	if ((mode & K_S_IFMT) != K_S_IFSOCK)
		return 0;
	u64 sock = RDP(file, F_PRIV);
	return RDP(sock, SOCK_SK);
}

/* ---- credentials ---- */

INLINE u64 task_cred(u64 task) { return RDP(task, T_CRED); }

INLINE u64 cap_read(u64 cred, u64 off) { return rd64(cred, off); }

/* ---- pids ---- */

/* pid number of `pid` as seen from its own (deepest) namespace */
INLINE u32 pid_vnr(u64 pid)
{
	if (!pid)
		return 0;
	u32 level = RD32(pid, PID_LEVEL);
	return rd32(pid, CFG(PID_NUMBERS) + (u64)level * CFG(UPID_SIZE));
}

INLINE u32 pid_nr(u64 pid)
{
	if (!pid)
		return 0;
	return rd32(pid, CFG(PID_NUMBERS));
}

INLINE u64 pid_ns_of(u64 pid)
{
	if (!pid)
		return 0;
	u32 level = RD32(pid, PID_LEVEL);
	return rd64(pid, CFG(PID_NUMBERS) + (u64)level * CFG(UPID_SIZE) + CFG(UPID_NS));
}

/* struct pid * of the group's pgid/sid (signal->pids[type]) */
INLINE u64 task_group_pid(u64 task, u64 type)
{
	u64 sig = RDP(task, T_SIGNAL);
	return rd64(sig, CFG(SIG_PIDS) + type * 8);
}

/* vtid/vpid: thread_pid seen from its own namespace; vpid from the leader */
INLINE u32 task_vtid(u64 task) { return pid_vnr(RDP(task, T_THREAD_PID)); }

INLINE u32 task_vpid(u64 task)
{
	u64 leader = RDP(task, T_GROUP_LEADER);
	return pid_vnr(RDP(leader, T_THREAD_PID));
}

INLINE u32 task_ptid(u64 task)
{
	u64 parent = RDP(task, T_REAL_PARENT);
	return RD32(parent, T_PID);
}

INLINE u32 task_loginuid(u64 task)
{
	if (CFG(T_LOGINUID) == NO_OFF)
		return 0xffffffff;
	return RD32(task, T_LOGINUID);
}

INLINE u64 task_fdlimit(u64 task)
{
	u64 sig = RDP(task, T_SIGNAL);
	/* rlim[RLIMIT_NOFILE=7].rlim_cur; struct rlimit is two unsigned longs */
	return rd64(sig, CFG(SIG_RLIM) + 7 * 16);
}

INLINE u32 task_tty(u64 task)
{
	u64 sig = RDP(task, T_SIGNAL);
	u64 tty = RDP(sig, SIG_TTY);
	if (!tty)
		return 0;
	u64 drv = RDP(tty, TTY_DRIVER);
	if (!drv)
		return 0;
	u32 index = RD32(tty, TTY_INDEX);
	u32 major = RD32(drv, TTYD_MAJOR);
	u32 minor = RD32(drv, TTYD_MINOR_START) + index;
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* ---- memory ---- */

INLINE u64 mm_counter(u64 mm, u64 which)
{
	s64 v;
	if (CFG(RSS_OLD))
		v = (s64)rd64(mm, CFG(MM_RSS_STAT) + which * 8);
	else
		v = (s64)rd64(mm, CFG(MM_RSS_STAT) + which * CFG(PCPU_SIZE) + CFG(PCPU_COUNT));
	return v > 0 ? (u64)v : 0;
}

INLINE u32 pages_kb(u64 pages) { return (u32)(pages << CFG(PAGE_SHIFT_KB)); }

INLINE u32 mm_vm_size(u64 mm) { return mm ? pages_kb(RDP(mm, MM_TOTAL_VM)) : 0; }

INLINE u32 mm_vm_rss(u64 mm)
{
	if (!mm)
		return 0;
	return pages_kb(mm_counter(mm, CFG(MM_FILEPAGES)) + mm_counter(mm, CFG(MM_ANONPAGES)) +
			mm_counter(mm, CFG(MM_SHMEMPAGES)));
}

INLINE u32 mm_vm_swap(u64 mm) { return mm ? pages_kb(mm_counter(mm, CFG(MM_SWAPENTS))) : 0; }

#endif
