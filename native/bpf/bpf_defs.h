/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Minimal self-contained definitions for scry's BPF program: fixed-width
 * types, helper function prototypes (by their stable uapi ids), the legacy
 * map definition understood by scry's own loader (native/src/loader.cc) and
 * a few kernel ABI constants. No kernel or libbpf headers are needed.
 */
#ifndef SCRY_BPF_DEFS_H
#define SCRY_BPF_DEFS_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;

#define SEC(name) __attribute__((section(name), used))
#define INLINE static __attribute__((always_inline)) inline
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define NULL ((void *)0)

/* ---- helpers (ids from the kernel's __BPF_FUNC_MAPPER order) ---- */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_map_update_elem)(void *map, const void *key, const void *value, u64 flags) = (void *)2;
static long (*bpf_map_delete_elem)(void *map, const void *key) = (void *)3;
static u32 (*bpf_get_smp_processor_id)(void) = (void *)8;
static long (*bpf_tail_call)(void *ctx, void *prog_array, u32 index) = (void *)12;
static u64 (*bpf_get_current_pid_tgid)(void) = (void *)14;
static u64 (*bpf_get_current_uid_gid)(void) = (void *)15;
static u64 (*bpf_get_current_task)(void) = (void *)35;
static long (*bpf_probe_read_user)(void *dst, u32 size, const void *unsafe_ptr) = (void *)112;
static long (*bpf_probe_read_kernel)(void *dst, u32 size, const void *unsafe_ptr) = (void *)113;
static long (*bpf_probe_read_user_str)(void *dst, u32 size, const void *unsafe_ptr) = (void *)114;
static long (*bpf_probe_read_kernel_str)(void *dst, u32 size, const void *unsafe_ptr) = (void *)115;
static u64 (*bpf_ktime_get_ns)(void) = (void *)5; /* CLOCK_MONOTONIC: cheaper than the boot clock */
static long (*bpf_ringbuf_output)(void *ringbuf, void *data, u64 size, u64 flags) = (void *)130;
static u64 (*bpf_ringbuf_query)(void *ringbuf, u64 flags) = (void *)134;

/* ringbuf flags */
#define BPF_RB_NO_WAKEUP 1ULL
#define BPF_RB_FORCE_WAKEUP 2ULL
#define BPF_RB_AVAIL_DATA 0ULL
#define BPF_RB_RING_SIZE 1ULL

/* map types (uapi enum bpf_map_type) */
#define BPF_MAP_TYPE_HASH 1
#define BPF_MAP_TYPE_ARRAY 2
#define BPF_MAP_TYPE_PROG_ARRAY 3
#define BPF_MAP_TYPE_PERCPU_ARRAY 6
#define BPF_MAP_TYPE_LRU_HASH 9
#define BPF_MAP_TYPE_ARRAY_OF_MAPS 12
#define BPF_MAP_TYPE_RINGBUF 27

/*
 * Map definition read by scry's loader from the "maps" section. The symbol
 * name is the map's name. max_entries == 0 means "one per possible CPU";
 * for the ring buffer template it is replaced by the configured ring size.
 */
struct scry_map_def {
	u32 type;
	u32 key_size;
	u32 value_size;
	u32 max_entries;
	u32 map_flags;
	u32 inner_map; /* 1 + index of the inner template map in "maps", or 0 */
	u32 per_cpu;   /* MAP_PER_CPU_*: max_entries = possible CPUs x this */
};

#define MAP_PER_CPU_ONE 1        /* one entry per CPU */
#define MAP_PER_CPU_SEGMENTS 2   /* ring segments per CPU (the loader's ring size / segment size) */

#define BPF_F_MMAPABLE (1U << 10)

#define SCRY_MAP(name, t, k, v, n, f) \
	struct scry_map_def name SEC("maps") = {.type = (t), .key_size = (k), .value_size = (v), .max_entries = (n), .map_flags = (f)}
#define SCRY_CPU_MAP(name, t, k, v, f, pc) \
	struct scry_map_def name SEC("maps") = {.type = (t), .key_size = (k), .value_size = (v), .max_entries = 0, .map_flags = (f), .per_cpu = (pc)}

/* raw tracepoint context: the tracepoint's arguments as u64 */
struct raw_tp_args {
	u64 args[6];
};

/* Clamps x with a mask in a way the compiler cannot drop, so that the
 * verifier sees the bound right where the value is used. */
#define BOUND(x, mask) asm volatile("%[v] &= " #mask : [v] "+r"(x))

#define READ_KERN(dst, src) bpf_probe_read_kernel(&(dst), sizeof(dst), (const void *)(src))

#endif
