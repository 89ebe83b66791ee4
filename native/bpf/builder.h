/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Building scap event records in a per-CPU scratch buffer and handing them to
 * the per-CPU ring buffer.
 *
 * Record layout (little endian): u64 ts, u64 tid, u32 len, u16 type,
 * u32 nparams, u16 len[nparams], then the parameters back to back.
 */
#ifndef SCRY_BUILDER_H
#define SCRY_BUILDER_H

#define HDR_LEN 26
#define BUF_HALF (1 << 16)          /* an event never exceeds 64 KiB */
#define BUF_MASK (BUF_HALF - 1)
#define MAX_PARAMS 32
#define MAX_PATH 4096
#define MAX_ARGS_BYTES 4096
#define TMP_SIZE 4096

struct scratch {
	u8 buf[2 * BUF_HALF];   /* record under construction; writes start below BUF_HALF */
	u8 tmp[2 * TMP_SIZE + 512]; /* staging for paths built right to left (+ slack for masked writes) */
	/* builder state, kept here so it survives tail calls */
	u32 pos;                /* next data byte */
	u32 idx;                /* next parameter index */
	u32 nparams;
	u32 type;
	/* syscall context saved by the dispatchers */
	u64 id;
	s64 ret;
	u64 regs;
	u64 args[6];
	u64 task;
	u64 aux[4];             /* handler-specific values carried across tail calls */
	u32 rpath;              /* start of the path being built in tmp[] */
	u32 pad2;
};

struct stats {
	u64 events;        /* records written to the ring buffer */
	u64 drops_full;    /* ring buffer full */
	u64 drops_big;     /* record larger than the event size limit */
	u64 drops_noscratch;
};

/*
 * The per-CPU event rings, shared with userspace (mmapped, no helper call
 * or lock per event): CPU c owns segments c*S .. c*S+S-1 of ring_segs (S =
 * cfg:ring_segments, a power of two) and the positions in ring_ctl[c].
 * head (bytes ever written) is advanced by the probe after a record is
 * complete, tail (bytes consumed) by the reader. Records are whole scap
 * event records, 8-byte aligned, never split across segments: when one does
 * not fit in the rest of a segment, a u64 0 there (no event has timestamp
 * 0) sends the reader to the next segment. Ordering of the data before the
 * head store relies on x86's ordered stores (the probe is x86_64 only).
 */
#define SEG_SHIFT 20
#define SEG_SIZE (1u << SEG_SHIFT)
#define SEG_MASK (SEG_SIZE - 1)
#define SMALL_COPY 128

struct ring_ctl {
	u64 head;
	u64 pad1[7];
	u64 tail; /* written by the reader */
	u64 pad2[7];
};

SCRY_CPU_MAP(scratch_map, BPF_MAP_TYPE_ARRAY, 4, sizeof(struct scratch), 0, MAP_PER_CPU_ONE);
SCRY_MAP(stats_map, BPF_MAP_TYPE_PERCPU_ARRAY, 4, sizeof(struct stats), 1, 0);
SCRY_CPU_MAP(ring_segs, BPF_MAP_TYPE_ARRAY, 4, SEG_SIZE + BUF_HALF, BPF_F_MMAPABLE, MAP_PER_CPU_SEGMENTS);
SCRY_CPU_MAP(ring_ctl, BPF_MAP_TYPE_ARRAY, 4, sizeof(struct ring_ctl), BPF_F_MMAPABLE, MAP_PER_CPU_ONE);

INLINE struct scratch *get_scratch(void)
{
	u32 cpu = bpf_get_smp_processor_id();
	return bpf_map_lookup_elem(&scratch_map, &cpu);
}

INLINE struct stats *get_stats(void)
{
	u32 zero = 0;
	return bpf_map_lookup_elem(&stats_map, &zero);
}

/* epoch ns: the monotonic clock plus the offset the loader measured */
INLINE u64 now_ns(void) { return bpf_ktime_get_ns() + CFG(MONO_NS); }

/* Starts a record of `type` with `nparams` parameters for the current thread. */
INLINE void ev_begin(struct scratch *s, u32 type, u32 nparams)
{
	u64 ts = now_ns();
	u64 tid = (u32)bpf_get_current_pid_tgid();
	/* parameters a handler leaves out stay empty: clear every length slot
	 * (8-byte stores from offset 24 cover the slots at 26..95) */
	u64 *lens = (u64 *)&s->buf[24];
	lens[0] = 0; lens[1] = 0; lens[2] = 0; lens[3] = 0;
	lens[4] = 0; lens[5] = 0; lens[6] = 0; lens[7] = 0; lens[8] = 0;
	*(u64 *)&s->buf[0] = ts;
	*(u64 *)&s->buf[8] = tid;
	*(u16 *)&s->buf[20] = (u16)type;
	*(u32 *)&s->buf[22] = nparams;
	s->type = type;
	s->nparams = nparams;
	s->idx = 0;
	s->pos = HDR_LEN + 2 * (nparams & (MAX_PARAMS - 1));
}

/* Same, for a record about another thread (tracepoints). */
INLINE void ev_begin_tid(struct scratch *s, u32 type, u32 nparams, u64 tid)
{
	ev_begin(s, type, nparams);
	*(u64 *)&s->buf[8] = tid;
}

INLINE void set_len(struct scratch *s, u32 len)
{
	u32 i = s->idx;
	if (i < MAX_PARAMS)
		*(u16 *)&s->buf[(HDR_LEN + 2 * i) & 0xff] = (u16)len;
	s->idx = i + 1;
	s->pos += len;
}

INLINE void p_empty(struct scratch *s) { set_len(s, 0); }

INLINE void p_u8(struct scratch *s, u8 v)
{
	u32 p = s->pos;
	if (p >= BUF_HALF) { p_empty(s); return; }
	s->buf[p & BUF_MASK] = v;
	set_len(s, 1);
}

INLINE void p_u16(struct scratch *s, u16 v)
{
	u32 p = s->pos;
	if (p >= BUF_HALF) { p_empty(s); return; }
	*(u16 *)&s->buf[p & BUF_MASK] = v;
	set_len(s, 2);
}

INLINE void p_u32(struct scratch *s, u32 v)
{
	u32 p = s->pos;
	if (p >= BUF_HALF) { p_empty(s); return; }
	*(u32 *)&s->buf[p & BUF_MASK] = v;
	set_len(s, 4);
}

INLINE void p_u64(struct scratch *s, u64 v)
{
	u32 p = s->pos;
	if (p >= BUF_HALF) { p_empty(s); return; }
	*(u64 *)&s->buf[p & BUF_MASK] = v;
	set_len(s, 8);
}

#define p_s64(s, v) p_u64((s), (u64)(s64)(v))
/* PT_FD parameters are s64; syscall fds arrive as int */
#define p_fd(s, v) p_u64((s), (u64)(s64)(s32)(v))

/* NUL-terminated string from user memory (length includes the NUL). A NULL
 * pointer is written as "(NULL)", as sysdig's kernel module writes it (an
 * empty string as an event's last parameter makes sysdig 0.29.3 print what
 * follows it in its buffer). */
INLINE void p_ustr(struct scratch *s, u64 ptr, u32 max)
{
	u32 p = s->pos;
	long n = 0;
	if (!ptr && p < BUF_HALF) {
		const char null_text[8] = "(NULL)";
		for (int i = 0; i < 7; i++)
			s->buf[(p + i) & (2 * BUF_HALF - 1)] = null_text[i];
		set_len(s, 7);
		return;
	}
	if (ptr && p < BUF_HALF)
		n = bpf_probe_read_user_str(&s->buf[p & BUF_MASK], max & (BUF_HALF - 1), (void *)ptr);
	set_len(s, n > 0 ? (u32)n : 0);
}

/* NUL-terminated string from kernel memory. */
INLINE void p_kstr(struct scratch *s, u64 ptr, u32 max)
{
	u32 p = s->pos;
	long n = 0;
	if (ptr && p < BUF_HALF)
		n = bpf_probe_read_kernel_str(&s->buf[p & BUF_MASK], max & (BUF_HALF - 1), (void *)ptr);
	set_len(s, n > 0 ? (u32)n : 0);
}

/* Up to `len` bytes of user memory (len is clamped to half the buffer). */
INLINE void p_ubytes(struct scratch *s, u64 ptr, u64 len)
{
	u32 p = s->pos;
	u32 n = len > (BUF_HALF / 2) ? (BUF_HALF / 2) : (u32)len;
	if (!ptr || p >= BUF_HALF || n == 0) { p_empty(s); return; }
	n &= BUF_MASK; /* no-op, but gives the verifier its bound */
	if (bpf_probe_read_user(&s->buf[p & BUF_MASK], n, (void *)ptr)) { p_empty(s); return; }
	set_len(s, n);
}

/* Up to `len` bytes of NUL-separated strings (argv, environ): the last byte
 * read is made a NUL, so that a list cut at the limit still ends its last
 * string (as sysdig's drivers do; readers take each item as a C string). */
INLINE void p_ubytes_strs(struct scratch *s, u64 ptr, u64 len)
{
	u32 p = s->pos;
	p_ubytes(s, ptr, len);
	u32 n = s->pos - p;
	if (n)
		s->buf[(p + n - 1) & BUF_MASK] = 0;
}

/* Pointer to where the next parameter's data goes, or NULL when full. The
 * caller writes at most `room` bytes there and then calls set_len(). */
INLINE u8 *p_ptr(struct scratch *s, u32 room)
{
	u32 p = s->pos;
	if (p + room > BUF_HALF)
		return NULL;
	return &s->buf[p & BUF_MASK];
}

/*
 * Writes a complete record of len bytes (its length field set) to this CPU's
 * ring buffer, counting drops. rec must be readable for at least SMALL_COPY
 * bytes (the small-record copy reads that much).
 */
INLINE void ring_put(struct stats *st, u8 *rec, u32 len)
{
	u32 cpu = bpf_get_smp_processor_id();
	struct ring_ctl *c = bpf_map_lookup_elem(&ring_ctl, &cpu);
	if (!c) {
		st->drops_full++;
		return;
	}
	u64 segs = CFG(RING_SEGS);
	u64 head = c->head;
	u64 tail = *(volatile u64 *)&c->tail;
	u32 size = (len + 7) & ~7u;
	u32 off = (u32)head & SEG_MASK;
	u32 pad = off + size > SEG_SIZE ? SEG_SIZE - off : 0;
	/* small records are copied 128 bytes at a time: keep that much free */
	u32 room = size < SMALL_COPY ? SMALL_COPY : size;
	if (head + pad + room - tail > (segs << SEG_SHIFT)) {
		st->drops_full++;
		return;
	}
	u32 idx;
	u8 *seg;
	if (pad) {
		/* not enough room left in this segment: mark its end, use the next */
		idx = cpu * (u32)segs + ((u32)(head >> SEG_SHIFT) & ((u32)segs - 1));
		seg = bpf_map_lookup_elem(&ring_segs, &idx);
		if (!seg) {
			st->drops_full++;
			return;
		}
		*(u64 *)&seg[off & SEG_MASK] = 0;
		head += pad;
	}
	idx = cpu * (u32)segs + ((u32)(head >> SEG_SHIFT) & ((u32)segs - 1));
	seg = bpf_map_lookup_elem(&ring_segs, &idx);
	if (!seg) {
		st->drops_full++;
		return;
	}
	if (len <= SMALL_COPY) {
		/* inline copy: cheaper than a helper call for the common small record
		 * (the bytes past it land in free space, or in the segment's slack) */
		u64 *d = (u64 *)&seg[(u32)head & SEG_MASK];
		u64 *q = (u64 *)rec;
#pragma unroll
		for (int k = 0; k < SMALL_COPY / 8; k++)
			d[k] = q[k];
	} else if (bpf_probe_read_kernel(&seg[(u32)head & SEG_MASK], len & (BUF_HALF - 1), rec)) {
		st->drops_full++;
		return;
	}
	asm volatile("" ::: "memory");
	c->head = head + size;
	st->events++;
}

/* Writes the scratch's record to this CPU's ring buffer, counting drops. */
INLINE void ev_submit(struct scratch *s)
{
	struct stats *st = get_stats();
	u32 len = s->pos;
	if (!st)
		return;
	if (len >= BUF_HALF) {
		st->drops_big++;
		return;
	}
	*(u32 *)&s->buf[16] = len;
	ring_put(st, s->buf, len);
}

#endif
