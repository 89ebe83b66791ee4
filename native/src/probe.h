// scry's BPF object loader and ring buffer reader.
//
// Reads the probe object (an ELF file made by clang -target bpf), creates its
// maps, patches map references into the instructions, loads every program
// through bpf(2), registers tail programs and attaches the raw tracepoint
// programs. Events are read from one BPF ring buffer per CPU and merged by
// timestamp into scap event blocks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scry {

struct MapSpec {
  std::string name;
  uint64_t offset = 0;  // offset of the definition in the "maps" section
  uint32_t type = 0, key = 0, value = 0, entries = 0, flags = 0, inner = 0, per_cpu = 0;
  int fd = -1;
};

struct DataSection {
  std::string name;
  int shndx = -1;
  std::vector<uint8_t> data;
  bool readonly = false;
  int fd = -1;
};

struct Reloc {
  uint64_t insn;    // instruction index
  int target;       // -1: map, otherwise index in data_
  uint64_t addend;  // map offset in "maps" or symbol value in the data section
};

struct Program {
  std::string section;  // "raw_tp/<tracepoint>", "opt_raw_tp/<tracepoint>" (optional) or "tail/<slot>"
  std::string name;
  std::vector<uint64_t> insns;
  std::vector<Reloc> relocs;
  int fd = -1;
};

// One CPU's event ring (see native/bpf/builder.h): segments of the mmapped
// ring_segs map and the head/tail pair in the mmapped ring_ctl map.
struct Ring {
  int cpu = 0;
  uint8_t *segs = nullptr;      // this CPU's first segment
  uint64_t *head = nullptr;     // written by the probe
  uint64_t *tail = nullptr;     // written by us
  uint64_t pos = 0;             // our read position (bytes ever consumed)
  uint64_t end = 0;             // head seen by the current drain
};

struct CpuStats {
  uint64_t events, drops_full, drops_big, drops_noscratch;
};

struct LoadResult {
  int programs = 0;
  int tails = 0;
  std::vector<std::string> warnings;
  std::vector<std::pair<std::string, double>> timings;  // verification time per program, ms
};

class Probe {
 public:
  ~Probe();

  bool Open(const std::string &path, std::string &err);
  std::vector<std::string> CfgNames() const { return cfg_names_; }
  std::vector<std::string> ProgramSections() const;
  bool SetGlobal(const std::string &symbol, const uint8_t *data, size_t len, std::string &err);
  // ring_segments: 1 MiB segments per CPU (a power of two)
  bool Load(uint32_t ring_segments, LoadResult &res, std::string &err);
  // Attaches every raw_tp program but those of the tracepoints in `skip`.
  bool Attach(const std::vector<std::string> &skip, std::string &err);
  void Detach();
  void Close();

  // Moves events into out as scap EV_BLOCK_TYPE_V2 blocks, merged by timestamp
  // across CPUs; stops before exceeding cap bytes. Returns bytes written.
  size_t Drain(uint8_t *out, size_t cap, uint64_t *events);
  // Per event type, the most parameters an event keeps when drained (255: all);
  // empty: events are drained as written. See TrimParams in probe.cc.
  void SetParamLimits(std::vector<uint8_t> limits) { param_limits_ = std::move(limits); }
  size_t Pending() const;
  // Waits up to timeout_ms for a ring buffer wakeup. Returns true on data.
  bool Wait(int timeout_ms);

  bool Stats(std::vector<CpuStats> &out, std::string &err);
  bool Track(uint32_t tgid, uint32_t state, std::string &err);
  bool Untrack(uint32_t tgid);

  int ncpus() const { return ncpus_; }
  bool loaded() const { return loaded_; }
  bool attached() const { return !links_.empty(); }

  static int PossibleCpus();

 private:
  MapSpec *FindMap(const std::string &name);
  bool CreateMaps(uint32_t ring_segments, std::string &err);
  bool MapRings(std::string &err);

  std::vector<uint8_t> elf_;
  std::vector<MapSpec> maps_;
  std::vector<DataSection> data_;
  std::vector<Program> progs_;
  std::vector<std::string> cfg_names_;
  std::string license_;
  struct Symbol {
    std::string name;
    int shndx;
    uint64_t value, size;
  };
  std::vector<Symbol> objects_;  // data symbols, for SetGlobal
  std::vector<int> links_;
  std::vector<Ring> rings_;
  uint8_t *segs_map_ = nullptr;
  size_t segs_len_ = 0;
  uint8_t *ctl_map_ = nullptr;
  size_t ctl_len_ = 0;
  size_t seg_stride_ = 0;
  uint32_t ring_segments_ = 0;
  int ncpus_ = 0;
  bool loaded_ = false;
  std::vector<uint8_t> param_limits_;
};

}  // namespace scry
