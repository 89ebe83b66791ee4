// Thin wrappers over the bpf(2) syscall: just what scry's loader uses.
// No libbpf and no uapi bpf header: the attr layouts below are the kernel's
// stable ABI.
#pragma once

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#ifndef __NR_bpf
#if defined(__x86_64__)
#define __NR_bpf 321
#elif defined(__aarch64__)
#define __NR_bpf 280
#endif
#endif

#define SCRY_BPF_F_RDONLY_PROG (1U << 7)
#define SCRY_BPF_RINGBUF_BUSY (1U << 31)
#define SCRY_BPF_RINGBUF_DISCARD (1U << 30)
#define SCRY_BPF_RINGBUF_HDR 8

namespace scry {

// Values of enum bpf_map_type / bpf_prog_type / bpf_cmd the loader needs;
// numeric so that an old uapi header still compiles.
enum : uint32_t {
  kMapHash = 1,
  kMapArray = 2,
  kMapProgArray = 3,
  kMapPercpuArray = 6,
  kMapLruHash = 9,
  kMapArrayOfMaps = 12,
  kMapRingbuf = 27,
  kProgRawTracepoint = 17,
  kCmdMapCreate = 0,
  kCmdMapLookup = 1,
  kCmdMapUpdate = 2,
  kCmdMapDelete = 3,
  kCmdProgLoad = 5,
  kCmdRawTracepointOpen = 17,
  kCmdMapFreeze = 22,
};

// The subset of union bpf_attr used here, laid out as the kernel expects
// (the kernel accepts a shorter attr as long as the tail is zero).
union Attr {
  struct {
    uint32_t map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node;
    char map_name[16];
  } map;
  struct {
    uint32_t map_fd;
    uint32_t pad;
    uint64_t key;
    uint64_t value;
    uint64_t flags;
  } elem;
  struct {
    uint32_t prog_type, insn_cnt;
    uint64_t insns, license;
    uint32_t log_level, log_size;
    uint64_t log_buf;
    uint32_t kern_version, prog_flags;
    char prog_name[16];
  } prog;
  struct {
    uint64_t name;
    uint32_t prog_fd;
  } raw_tp;
  uint8_t bytes[128];
};

inline long sys_bpf(uint32_t cmd, Attr *attr) {
  return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

inline int map_create(uint32_t type, uint32_t key, uint32_t value, uint32_t entries, uint32_t flags,
                      int inner_fd, const std::string &name) {
  Attr a;
  memset(&a, 0, sizeof(a));
  a.map.map_type = type;
  a.map.key_size = key;
  a.map.value_size = value;
  a.map.max_entries = entries;
  a.map.map_flags = flags;
  a.map.inner_map_fd = inner_fd > 0 ? (uint32_t)inner_fd : 0;
  size_t n = 0;
  for (char c : name) {
    if (n >= 15) break;
    a.map.map_name[n++] = (isalnum((unsigned char)c) || c == '_' || c == '.') ? c : '_';
  }
  return (int)sys_bpf(kCmdMapCreate, &a);
}

inline int map_update(int fd, const void *key, const void *value, uint64_t flags) {
  Attr a;
  memset(&a, 0, sizeof(a));
  a.elem.map_fd = (uint32_t)fd;
  a.elem.key = (uint64_t)(uintptr_t)key;
  a.elem.value = (uint64_t)(uintptr_t)value;
  a.elem.flags = flags;
  return (int)sys_bpf(kCmdMapUpdate, &a);
}

inline int map_lookup(int fd, const void *key, void *value) {
  Attr a;
  memset(&a, 0, sizeof(a));
  a.elem.map_fd = (uint32_t)fd;
  a.elem.key = (uint64_t)(uintptr_t)key;
  a.elem.value = (uint64_t)(uintptr_t)value;
  return (int)sys_bpf(kCmdMapLookup, &a);
}

inline int map_delete(int fd, const void *key) {
  Attr a;
  memset(&a, 0, sizeof(a));
  a.elem.map_fd = (uint32_t)fd;
  a.elem.key = (uint64_t)(uintptr_t)key;
  return (int)sys_bpf(kCmdMapDelete, &a);
}

inline int map_freeze(int fd) {
  Attr a;
  memset(&a, 0, sizeof(a));
  a.elem.map_fd = (uint32_t)fd;
  return (int)sys_bpf(kCmdMapFreeze, &a);
}

inline int prog_load(const void *insns, uint32_t count, const char *license, const std::string &name,
                     char *log, uint32_t log_size, uint32_t log_level) {
  Attr a;
  memset(&a, 0, sizeof(a));
  a.prog.prog_type = kProgRawTracepoint;
  a.prog.insn_cnt = count;
  a.prog.insns = (uint64_t)(uintptr_t)insns;
  a.prog.license = (uint64_t)(uintptr_t)license;
  a.prog.log_level = log_level;
  a.prog.log_size = log ? log_size : 0;
  a.prog.log_buf = (uint64_t)(uintptr_t)log;
  size_t n = 0;
  for (char c : name) {
    if (n >= 15) break;
    a.prog.prog_name[n++] = (isalnum((unsigned char)c) || c == '_' || c == '.') ? c : '_';
  }
  // The verifier gives up with EAGAIN when a signal is pending; in a process
  // that gets signals often (a profiler's SIGPROF every millisecond) a long
  // verification would never finish. Signals wait while it runs.
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &saved);
  int fd;
  int attempts = 0;
  do {
    fd = (int)sys_bpf(kCmdProgLoad, &a);
  } while (fd < 0 && errno == EAGAIN && ++attempts < 5);
  int e = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  errno = e;
  return fd;
}

inline int raw_tracepoint_open(const char *tp, int prog_fd) {
  Attr a;
  memset(&a, 0, sizeof(a));
  a.raw_tp.name = (uint64_t)(uintptr_t)tp;
  a.raw_tp.prog_fd = (uint32_t)prog_fd;
  return (int)sys_bpf(kCmdRawTracepointOpen, &a);
}

}  // namespace scry
