/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Encodings the scap event schema uses for flag and enum parameters, and the
 * conversions from the x86_64 kernel ABI values. Where the schema's bits equal
 * the kernel's (permission bits, AF_*, MS_*, capabilities, ...) the value is
 * passed through, masked to the known bits.
 */
#ifndef SCRY_PPM_H
#define SCRY_PPM_H

/* ---- open(2) flags ---- */
#define K_O_ACCMODE 03
#define K_O_WRONLY 01
#define K_O_RDWR 02
#define K_O_CREAT 0100
#define K_O_EXCL 0200
#define K_O_TRUNC 01000
#define K_O_APPEND 02000
#define K_O_NONBLOCK 04000
#define K_O_DSYNC 010000
#define K_O_DIRECT 040000
#define K_O_LARGEFILE 0100000
#define K_O_DIRECTORY 0200000
#define K_O_CLOEXEC 02000000
#define K_O_SYNC 04010000
#define K_O_TMPFILE 020200000

#define S_O_RDONLY (1u << 0)
#define S_O_WRONLY (1u << 1)
#define S_O_RDWR (S_O_RDONLY | S_O_WRONLY)
#define S_O_CREAT (1u << 2)
#define S_O_APPEND (1u << 3)
#define S_O_DSYNC (1u << 4)
#define S_O_EXCL (1u << 5)
#define S_O_NONBLOCK (1u << 6)
#define S_O_SYNC (1u << 7)
#define S_O_TRUNC (1u << 8)
#define S_O_DIRECT (1u << 9)
#define S_O_DIRECTORY (1u << 10)
#define S_O_LARGEFILE (1u << 11)
#define S_O_CLOEXEC (1u << 12)
#define S_O_TMPFILE (1u << 13)
#define S_O_F_CREATED (1u << 14)

#define K_FMODE_CREATED 0x100000 /* f_mode bit set when open created the file */

INLINE u32 open_flags_to_scap(u32 f)
{
	u32 r;
	switch (f & K_O_ACCMODE) {
	case K_O_WRONLY: r = S_O_WRONLY; break;
	case K_O_RDWR: r = S_O_RDWR; break;
	default: r = S_O_RDONLY; break;
	}
	if (f & K_O_CREAT) r |= S_O_CREAT;
	if ((f & K_O_TMPFILE) == K_O_TMPFILE) r |= S_O_TMPFILE;
	if (f & K_O_APPEND) r |= S_O_APPEND;
	if (f & K_O_DSYNC) r |= S_O_DSYNC;
	if (f & K_O_EXCL) r |= S_O_EXCL;
	if (f & K_O_NONBLOCK) r |= S_O_NONBLOCK;
	if ((f & K_O_SYNC) == K_O_SYNC) r |= S_O_SYNC;
	if (f & K_O_TRUNC) r |= S_O_TRUNC;
	if (f & K_O_DIRECT) r |= S_O_DIRECT;
	if (f & K_O_DIRECTORY) r |= S_O_DIRECTORY;
	if (f & K_O_LARGEFILE) r |= S_O_LARGEFILE;
	if (f & K_O_CLOEXEC) r |= S_O_CLOEXEC;
	return r;
}

/* permission bits: the schema's S_* bits equal the kernel's */
INLINE u32 mode_to_scap(u64 mode) { return (u32)(mode & 07777); }

/* the mode of open/openat is meaningful only when a file may be created */
INLINE u32 open_mode_to_scap(u32 flags, u64 mode)
{
	if (!(flags & K_O_CREAT) && (flags & K_O_TMPFILE) != K_O_TMPFILE)
		return 0;
	return mode_to_scap(mode);
}

#define S_IFMT_K 0170000
INLINE u32 mknod_mode_to_scap(u32 mode)
{
	u32 r = mode_to_scap(mode);
	u32 t = mode & S_IFMT_K;
	switch (t) {
	case 0: r |= 0100000; break; /* no type means regular file */
	case 0100000: case 0020000: case 0060000: case 0010000: case 0140000: r |= t; break;
	default: break;
	}
	return r;
}

/* pipe2/dup3/accept4/socket type flags: only CLOEXEC, NONBLOCK, DIRECT */
INLINE u32 fdflags_to_scap(s64 f)
{
	u32 r = 0;
	if (f < 0) return 0;
	if (f & K_O_CLOEXEC) r |= S_O_CLOEXEC;
	if (f & K_O_NONBLOCK) r |= S_O_NONBLOCK;
	if (f & K_O_DIRECT) r |= S_O_DIRECT;
	return r;
}

/* ---- clone(2) flags ---- */
INLINE u32 clone_flags_to_scap(u64 f)
{
	u32 r = 0;
	if (f & 0x00000400) r |= 1u << 0;  /* CLONE_FILES */
	if (f & 0x00000200) r |= 1u << 1;  /* CLONE_FS */
	if (f & 0x80000000) r |= 1u << 2;  /* CLONE_IO */
	if (f & 0x08000000) r |= 1u << 3;  /* CLONE_NEWIPC */
	if (f & 0x40000000) r |= 1u << 4;  /* CLONE_NEWNET */
	if (f & 0x00020000) r |= 1u << 5;  /* CLONE_NEWNS */
	if (f & 0x20000000) r |= 1u << 6;  /* CLONE_NEWPID */
	if (f & 0x04000000) r |= 1u << 7;  /* CLONE_NEWUTS */
	if (f & 0x00008000) r |= 1u << 8;  /* CLONE_PARENT */
	if (f & 0x00100000) r |= 1u << 9;  /* CLONE_PARENT_SETTID */
	if (f & 0x00002000) r |= 1u << 10; /* CLONE_PTRACE */
	if (f & 0x00000800) r |= 1u << 11; /* CLONE_SIGHAND */
	if (f & 0x00040000) r |= 1u << 12; /* CLONE_SYSVSEM */
	if (f & 0x00010000) r |= 1u << 13; /* CLONE_THREAD */
	if (f & 0x00800000) r |= 1u << 14; /* CLONE_UNTRACED */
	if (f & 0x00000100) r |= 1u << 15; /* CLONE_VM */
	if (f & 0x10000000) r |= 1u << 20; /* CLONE_NEWUSER */
	if (f & 0x00200000) r |= 1u << 23; /* CLONE_CHILD_CLEARTID */
	if (f & 0x01000000) r |= 1u << 24; /* CLONE_CHILD_SETTID */
	if (f & 0x00080000) r |= 1u << 25; /* CLONE_SETTLS */
	if (f & 0x00004000) r |= 1u << 27; /* CLONE_VFORK */
	if (f & 0x02000000) r |= 1u << 28; /* CLONE_NEWCGROUP */
	return r;
}
#define S_CL_CHILD_IN_PIDNS (1u << 29)

/* ---- sockets ---- */
INLINE u8 family_to_scap(u32 fam) { return fam <= 39 && fam != 27 && fam != 28 ? (u8)fam : 0; }

INLINE u8 shutdown_how_to_scap(u64 how) { return how <= 2 ? (u8)how : 0xff; }

INLINE u8 sockopt_level_to_scap(s32 level)
{
	if (level == 1) return 1;  /* SOL_SOCKET */
	if (level == 6) return 2;  /* SOL_TCP */
	return 0;
}

INLINE u8 sockopt_optname_to_scap(s32 level, s32 name)
{
	if (level != 1) return 0;
	switch (name) {
	case 1: return 1;   /* SO_DEBUG */
	case 2: return 2;   /* SO_REUSEADDR */
	case 3: return 3;   /* SO_TYPE */
	case 4: return 4;   /* SO_ERROR */
	case 5: return 5;   /* SO_DONTROUTE */
	case 6: return 6;   /* SO_BROADCAST */
	case 7: return 7;   /* SO_SNDBUF */
	case 8: return 8;   /* SO_RCVBUF */
	case 32: return 32; /* SO_SNDBUFFORCE */
	case 33: return 33; /* SO_RCVBUFFORCE */
	case 9: return 9;   /* SO_KEEPALIVE */
	case 10: return 10; /* SO_OOBINLINE */
	case 11: return 11; /* SO_NO_CHECK */
	case 12: return 12; /* SO_PRIORITY */
	case 13: return 13; /* SO_LINGER */
	case 14: return 14; /* SO_BSDCOMPAT */
	case 15: return 15; /* SO_REUSEPORT */
	case 16: return 16; /* SO_PASSCRED */
	case 17: return 17; /* SO_PEERCRED */
	case 18: return 18; /* SO_RCVLOWAT */
	case 19: return 19; /* SO_SNDLOWAT */
	case 20: return 20; /* SO_RCVTIMEO_OLD */
	case 21: return 21; /* SO_SNDTIMEO_OLD */
	case 22: return 22; /* SO_SECURITY_AUTHENTICATION */
	case 23: return 23;
	case 24: return 24;
	case 25: return 25; /* SO_BINDTODEVICE */
	case 26: return 26; /* SO_ATTACH_FILTER */
	case 27: return 27; /* SO_DETACH_FILTER */
	case 28: return 28; /* SO_PEERNAME */
	case 29: return 29; /* SO_TIMESTAMP_OLD */
	case 30: return 30; /* SO_ACCEPTCONN */
	case 31: return 31; /* SO_PEERSEC */
	case 34: return 34; /* SO_PASSSEC */
	case 35: return 35; /* SO_TIMESTAMPNS_OLD */
	case 36: return 36; /* SO_MARK */
	case 37: return 37; /* SO_TIMESTAMPING_OLD */
	case 38: return 38; /* SO_PROTOCOL */
	case 39: return 39; /* SO_DOMAIN */
	case 40: return 40; /* SO_RXQ_OVFL */
	case 41: return 41; /* SO_WIFI_STATUS */
	case 42: return 42; /* SO_PEEK_OFF */
	case 43: return 43; /* SO_NOFCS */
	case 44: return 44; /* SO_LOCK_FILTER */
	case 45: return 45; /* SO_SELECT_ERR_QUEUE */
	case 46: return 46; /* SO_BUSY_POLL */
	case 47: return 47; /* SO_MAX_PACING_RATE */
	case 48: return 48; /* SO_BPF_EXTENSIONS */
	case 49: return 49; /* SO_INCOMING_CPU */
	case 50: return 50; /* SO_ATTACH_BPF */
	case 51: return 51; /* SO_PEERGROUPS */
	case 52: return 52; /* SO_MEMINFO */
	case 53: return 53; /* SO_COOKIE */
	default: return 0;
	}
}

/* ---- memory ---- */
INLINE u32 prot_to_scap(u64 p)
{
	u32 r = 0;
	if (p & 1) r |= 1u << 0;           /* PROT_READ */
	if (p & 2) r |= 1u << 1;           /* PROT_WRITE */
	if (p & 4) r |= 1u << 2;           /* PROT_EXEC */
	if (p & 8) r |= 1u << 3;           /* PROT_SEM */
	if (p & 0x01000000) r |= 1u << 4;  /* PROT_GROWSDOWN */
	if (p & 0x02000000) r |= 1u << 5;  /* PROT_GROWSUP */
	return r;
}

INLINE u32 mmap_flags_to_scap(u64 f)
{
	u32 r = 0;
	if (f & 0x01) r |= 1u << 0;     /* MAP_SHARED */
	if (f & 0x02) r |= 1u << 1;     /* MAP_PRIVATE */
	if (f & 0x10) r |= 1u << 2;     /* MAP_FIXED */
	if (f & 0x20) r |= 1u << 3;     /* MAP_ANONYMOUS */
	if (f & 0x40) r |= 1u << 4;     /* MAP_32BIT */
	if (f & 0x4000) r |= 1u << 6;   /* MAP_NORESERVE */
	if (f & 0x8000) r |= 1u << 7;   /* MAP_POPULATE */
	if (f & 0x10000) r |= 1u << 8;  /* MAP_NONBLOCK */
	if (f & 0x0100) r |= 1u << 9;   /* MAP_GROWSDOWN */
	if (f & 0x0800) r |= 1u << 10;  /* MAP_DENYWRITE */
	if (f & 0x1000) r |= 1u << 11;  /* MAP_EXECUTABLE */
	if (f & 0x2000) r |= 1u << 14;  /* MAP_LOCKED */
	return r;
}

/* ---- fcntl ---- */
INLINE u8 fcntl_cmd_to_scap(u64 cmd)
{
	switch (cmd) {
	case 0: return 1;     /* F_DUPFD */
	case 1: return 2;     /* F_GETFD */
	case 2: return 3;     /* F_SETFD */
	case 3: return 4;     /* F_GETFL */
	case 4: return 5;     /* F_SETFL */
	case 5: return 6;     /* F_GETLK */
	case 6: return 8;     /* F_SETLK */
	case 7: return 9;     /* F_SETLKW */
	case 8: return 10;    /* F_SETOWN */
	case 9: return 12;    /* F_GETOWN */
	case 10: return 13;   /* F_SETSIG */
	case 11: return 15;   /* F_GETSIG */
	case 15: return 21;   /* F_SETOWN_EX */
	case 16: return 22;   /* F_GETOWN_EX */
	case 1024: return 23; /* F_SETLEASE */
	case 1025: return 24; /* F_GETLEASE */
	case 1029: return 25; /* F_CANCELLK */
	case 1030: return 26; /* F_DUPFD_CLOEXEC */
	case 1026: return 27; /* F_NOTIFY */
	case 1031: return 28; /* F_SETPIPE_SZ */
	case 1032: return 29; /* F_GETPIPE_SZ */
	case 36: return 30;   /* F_OFD_GETLK */
	case 37: return 31;   /* F_OFD_SETLK */
	case 38: return 32;   /* F_OFD_SETLKW */
	default: return 0;
	}
}

/* ---- *at() flags ---- */
#define K_AT_FDCWD (-100)
#define K_AT_SYMLINK_NOFOLLOW 0x100
#define K_AT_REMOVEDIR 0x200
#define K_AT_SYMLINK_FOLLOW 0x400
#define K_AT_EMPTY_PATH 0x1000

INLINE s64 dirfd_to_scap(s64 fd) { return (s32)fd == K_AT_FDCWD ? -100 : (s64)(s32)fd; }
INLINE u32 unlinkat_flags_to_scap(u64 f) { return f & K_AT_REMOVEDIR ? 0x200 : 0; }
INLINE u32 linkat_flags_to_scap(u64 f) { return (u32)(f & (K_AT_SYMLINK_FOLLOW | K_AT_EMPTY_PATH)); }
INLINE u32 fchownat_flags_to_scap(u64 f) { return (u32)(f & (K_AT_SYMLINK_NOFOLLOW | K_AT_EMPTY_PATH)); }
INLINE u32 execveat_flags_to_scap(u64 f)
{
	u32 r = 0;
	if (f & K_AT_EMPTY_PATH) r |= 1u << 0;
	if (f & K_AT_SYMLINK_NOFOLLOW) r |= 1u << 1;
	return r;
}
/* RENAME_NOREPLACE/EXCHANGE/WHITEOUT share their bits with the schema */
INLINE u32 renameat2_flags_to_scap(u64 f) { return (u32)(f & 7); }

/* ---- mount ---- */
INLINE u32 mount_flags_to_scap(u64 f)
{
	if ((f & 0xffff0000u) == 0xC0ED0000u) /* MS_MGC_VAL magic in the high half */
		f &= 0xffff;
	return (u32)f;
}
INLINE u32 umount2_flags_to_scap(u64 f) { return (u32)(f & 0xf); }

/* ---- misc ---- */
INLINE u32 access_mode_to_scap(u64 m) { return (u32)(m & 7); } /* R_OK/W_OK/X_OK share bits */
INLINE u8 whence_to_scap(u64 w) { return w <= 2 ? (u8)w : 0; }
INLINE u32 memfd_flags_to_scap(u64 f) { return (u32)(f & 7); }
INLINE u32 epoll_create1_flags_to_scap(u64 f) { return f & K_O_CLOEXEC ? 1 : 0; }
INLINE u32 mlockall_flags_to_scap(u64 f) { return (u32)(f & 7); }
INLINE u32 finit_module_flags_to_scap(u64 f) { return (u32)(f & 7); }
INLINE u32 delete_module_flags_to_scap(u64 f)
{
	u32 r = 0;
	if (f & K_O_TRUNC) r |= 1;
	if (f & K_O_NONBLOCK) r |= 2;
	return r;
}
INLINE u32 pidfd_open_flags_to_scap(u64 f) { return f & K_O_NONBLOCK ? 1 : 0; }
INLINE u32 close_range_flags_to_scap(u64 f) { return (u32)(f & 6); }
INLINE u32 splice_flags_to_scap(u64 f) { return (u32)(f & 0xf); }

INLINE u8 rlimit_resource_to_scap(u64 r) { return r <= 15 ? (u8)r : 255; }

INLINE u16 ptrace_req_to_scap(u64 r)
{
	switch (r) {
	case 0: return 1;  /* TRACEME */
	case 1: return 2;  /* PEEKTEXT */
	case 2: return 3;  /* PEEKDATA */
	case 3: return 4;  /* PEEKUSR */
	case 4: return 5;  /* POKETEXT */
	case 5: return 6;  /* POKEDATA */
	case 6: return 7;  /* POKEUSR */
	case 7: return 8;  /* CONT */
	case 8: return 9;  /* KILL */
	case 9: return 10; /* SINGLESTEP */
	case 16: return 11; /* ATTACH */
	case 17: return 12; /* DETACH */
	case 24: return 13; /* SYSCALL */
	case 0x4200: return 14; /* SETOPTIONS */
	case 0x4201: return 15; /* GETEVENTMSG */
	case 0x4202: return 16; /* GETSIGINFO */
	case 0x4203: return 17; /* SETSIGINFO */
	case 0x4204: return 18; /* GETREGSET */
	case 0x4205: return 19; /* SETREGSET */
	case 0x4206: return 20; /* SEIZE */
	case 0x4207: return 21; /* INTERRUPT */
	case 0x4208: return 22; /* LISTEN */
	case 0x4209: return 23; /* PEEKSIGINFO */
	case 0x420a: return 24; /* GETSIGMASK */
	case 0x420b: return 25; /* SETSIGMASK */
	case 12: return 26; /* GETREGS */
	case 13: return 27; /* SETREGS */
	case 14: return 28; /* GETFPREGS */
	case 15: return 29; /* SETFPREGS */
	case 18: return 30; /* GETFPXREGS */
	case 19: return 31; /* SETFPXREGS */
	case 21: return 32; /* OLDSETOPTIONS */
	case 25: return 33; /* GET_THREAD_AREA */
	case 26: return 34; /* SET_THREAD_AREA */
	case 30: return 35; /* ARCH_PRCTL */
	case 31: return 36; /* SYSEMU */
	case 32: return 37; /* SYSEMU_SINGLESTEP */
	case 33: return 38; /* SINGLEBLOCK */
	default: return 0;
	}
}

/* exit status decoding (wait(2) layout) */
#define W_EXITSTATUS(s) (((s) & 0xff00) >> 8)
#define W_TERMSIG(s) ((s) & 0x7f)
#define W_IFSIGNALED(s) (((s8)(((s) & 0x7f) + 1) >> 1) > 0)
#define W_COREDUMP(s) ((s) & 0x80)

/* execve flags */
#define S_EXE_WRITABLE (1u << 0)
#define S_EXE_UPPER_LAYER (1u << 1)
#define S_EXE_FROM_MEMFD (1u << 2)
#define S_EXE_LOWER_LAYER (1u << 3)

#endif
