// Implementation of scry::Probe (see probe.h).
#include "probe.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>

#include "bpf_sys.h"

namespace scry {

namespace {

const uint8_t kLdImm64 = 0x18;  // BPF_LD | BPF_IMM | BPF_DW
const uint8_t kPseudoMapFd = 1;
const uint8_t kPseudoMapValue = 2;
const uint32_t kEvBlockV2 = 0x216;
const size_t kEventHeader = 26;

std::string errno_str(const std::string &what) {
  return what + ": " + strerror(errno);
}

template <typename T>
bool read_at(const std::vector<uint8_t> &b, uint64_t off, T &out) {
  if (off + sizeof(T) > b.size()) return false;
  memcpy(&out, b.data() + off, sizeof(T));
  return true;
}

// CPU list syntax of /sys/devices/system/cpu/possible: "0-3,5"
int parse_cpu_count(const std::string &s) {
  int max = -1;
  size_t i = 0;
  while (i < s.size()) {
    char *end = nullptr;
    long a = strtol(s.c_str() + i, &end, 10);
    if (end == s.c_str() + i) break;
    long b = a;
    i = end - s.c_str();
    if (i < s.size() && s[i] == '-') {
      b = strtol(s.c_str() + i + 1, &end, 10);
      i = end - s.c_str();
    }
    if (b > max) max = (int)b;
    if (i < s.size() && s[i] == ',') i++;
    else break;
  }
  return max + 1;
}

inline uint64_t load_acquire64(const void *p) {
  return __atomic_load_n(reinterpret_cast<const uint64_t *>(p), __ATOMIC_ACQUIRE);
}
inline uint32_t load_acquire32(const void *p) {
  return __atomic_load_n(reinterpret_cast<const uint32_t *>(p), __ATOMIC_ACQUIRE);
}
inline void store_release64(void *p, uint64_t v) {
  __atomic_store_n(reinterpret_cast<uint64_t *>(p), v, __ATOMIC_RELEASE);
}

}  // namespace

int Probe::PossibleCpus() {
  std::ifstream f("/sys/devices/system/cpu/possible");
  std::string s;
  if (f && std::getline(f, s)) {
    int n = parse_cpu_count(s);
    if (n > 0) return n;
  }
  long n = sysconf(_SC_NPROCESSORS_CONF);
  return n > 0 ? (int)n : 1;
}

Probe::~Probe() { Close(); }

bool Probe::Open(const std::string &path, std::string &err) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    err = "cannot open " + path;
    return false;
  }
  elf_.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  Elf64_Ehdr eh;
  if (!read_at(elf_, 0, eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_machine != EM_BPF) {
    err = path + ": not a 64-bit BPF ELF object";
    return false;
  }
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  for (int i = 0; i < eh.e_shnum; i++) {
    if (!read_at(elf_, eh.e_shoff + (uint64_t)i * eh.e_shentsize, sh[i])) {
      err = path + ": truncated section table";
      return false;
    }
  }
  auto sec_name = [&](const Elf64_Shdr &s) -> std::string {
    const Elf64_Shdr &str = sh[eh.e_shstrndx];
    uint64_t off = str.sh_offset + s.sh_name;
    if (off >= elf_.size()) return "";
    return std::string(reinterpret_cast<const char *>(elf_.data() + off));
  };
  auto sec_bytes = [&](const Elf64_Shdr &s) -> std::vector<uint8_t> {
    if (s.sh_type == SHT_NOBITS || s.sh_offset + s.sh_size > elf_.size()) return std::vector<uint8_t>(s.sh_size, 0);
    return std::vector<uint8_t>(elf_.begin() + s.sh_offset, elf_.begin() + s.sh_offset + s.sh_size);
  };

  int symtab = -1, maps_sec = -1;
  std::map<int, size_t> data_index;  // section index -> data_ entry
  std::map<int, size_t> prog_index;  // section index -> progs_ entry
  for (int i = 0; i < eh.e_shnum; i++) {
    std::string name = sec_name(sh[i]);
    if (sh[i].sh_type == SHT_SYMTAB) symtab = i;
    else if (name == "maps") maps_sec = i;
    else if (name == "license") {
      std::vector<uint8_t> b = sec_bytes(sh[i]);
      license_.assign(b.begin(), std::find(b.begin(), b.end(), 0));
    } else if (name == ".scry.cfg") {
      std::vector<uint8_t> b = sec_bytes(sh[i]);
      std::string cur;
      for (uint8_t c : b) {
        if (c == 0) {
          if (!cur.empty()) cfg_names_.push_back(cur);
          cur.clear();
        } else {
          cur.push_back((char)c);
        }
      }
    } else if (name == ".rodata" || name.rfind(".rodata.", 0) == 0 || name == ".data" || name == ".bss") {
      if (sh[i].sh_size == 0) continue;
      DataSection d;
      d.name = name;
      d.shndx = i;
      d.data = sec_bytes(sh[i]);
      d.readonly = name.rfind(".rodata", 0) == 0;
      data_index[i] = data_.size();
      data_.push_back(std::move(d));
    } else if ((sh[i].sh_flags & SHF_EXECINSTR) && sh[i].sh_size > 0 &&
               (name.rfind("raw_tp/", 0) == 0 || name.rfind("opt_raw_tp/", 0) == 0 || name.rfind("tail/", 0) == 0)) {
      Program p;
      p.section = name;
      std::vector<uint8_t> b = sec_bytes(sh[i]);
      p.insns.resize(b.size() / 8);
      memcpy(p.insns.data(), b.data(), p.insns.size() * 8);
      prog_index[i] = progs_.size();
      progs_.push_back(std::move(p));
    } else if ((sh[i].sh_flags & SHF_EXECINSTR) && sh[i].sh_size > 0) {
      err = path + ": unexpected code section " + name + " (subprograms are not supported; inline them)";
      return false;
    }
  }
  if (symtab < 0) {
    err = path + ": no symbol table";
    return false;
  }
  const Elf64_Shdr &st = sh[symtab];
  const Elf64_Shdr &strs = sh[st.sh_link];
  size_t nsyms = st.sh_size / sizeof(Elf64_Sym);
  std::vector<Elf64_Sym> syms(nsyms);
  for (size_t i = 0; i < nsyms; i++) read_at(elf_, st.sh_offset + i * sizeof(Elf64_Sym), syms[i]);
  auto sym_name = [&](const Elf64_Sym &s) -> std::string {
    uint64_t off = strs.sh_offset + s.st_name;
    if (off >= elf_.size()) return "";
    return std::string(reinterpret_cast<const char *>(elf_.data() + off));
  };

  for (const Elf64_Sym &s : syms) {
    std::string name = sym_name(s);
    if (maps_sec >= 0 && s.st_shndx == maps_sec && ELF64_ST_TYPE(s.st_info) == STT_OBJECT) {
      MapSpec m;
      m.name = name;
      m.offset = s.st_value;
      uint32_t def[7] = {0, 0, 0, 0, 0, 0, 0};
      size_t n = std::min<size_t>(sizeof(def), s.st_size ? s.st_size : 24);
      if (s.st_value + n > sh[maps_sec].sh_size) {
        err = "map " + name + ": definition out of bounds";
        return false;
      }
      memcpy(def, elf_.data() + sh[maps_sec].sh_offset + s.st_value, n);
      m.type = def[0];
      m.key = def[1];
      m.value = def[2];
      m.entries = def[3];
      m.flags = def[4];
      m.inner = def[5];
      m.per_cpu = def[6];
      maps_.push_back(m);
    } else if (data_index.count(s.st_shndx) && ELF64_ST_TYPE(s.st_info) == STT_OBJECT) {
      objects_.push_back({name, (int)s.st_shndx, s.st_value, s.st_size});
    } else if (prog_index.count(s.st_shndx) && ELF64_ST_TYPE(s.st_info) == STT_FUNC && s.st_value == 0) {
      progs_[prog_index[s.st_shndx]].name = name;
    }
  }
  std::sort(maps_.begin(), maps_.end(), [](const MapSpec &a, const MapSpec &b) { return a.offset < b.offset; });

  // relocations: only 64-bit immediate loads of maps and global data
  for (int i = 0; i < eh.e_shnum; i++) {
    if (sh[i].sh_type != SHT_REL) continue;
    auto pi = prog_index.find((int)sh[i].sh_info);
    if (pi == prog_index.end()) continue;
    Program &p = progs_[pi->second];
    size_t n = sh[i].sh_size / sizeof(Elf64_Rel);
    for (size_t k = 0; k < n; k++) {
      Elf64_Rel r;
      read_at(elf_, sh[i].sh_offset + k * sizeof(Elf64_Rel), r);
      uint32_t si = ELF64_R_SYM(r.r_info);
      if (si >= syms.size()) {
        err = p.section + ": bad relocation symbol";
        return false;
      }
      const Elf64_Sym &s = syms[si];
      Reloc rel;
      rel.insn = r.r_offset / 8;
      if (rel.insn + 1 >= p.insns.size() || (p.insns[rel.insn] & 0xff) != kLdImm64) {
        err = p.section + ": relocation on an instruction that is not a 64-bit load (" + sym_name(s) + ")";
        return false;
      }
      if (maps_sec >= 0 && s.st_shndx == maps_sec) {
        rel.target = -1;
        rel.addend = s.st_value;
      } else if (data_index.count(s.st_shndx)) {
        rel.target = (int)data_index[s.st_shndx];
        int32_t imm;
        memcpy(&imm, reinterpret_cast<uint8_t *>(&p.insns[rel.insn]) + 4, 4);
        rel.addend = s.st_value + (uint32_t)imm;
      } else {
        err = p.section + ": relocation against unsupported symbol " + sym_name(s);
        return false;
      }
      p.relocs.push_back(rel);
    }
  }
  if (progs_.empty()) {
    err = path + ": no programs";
    return false;
  }
  return true;
}

std::vector<std::string> Probe::ProgramSections() const {
  std::vector<std::string> out;
  for (const Program &p : progs_) out.push_back(p.section);
  return out;
}

bool Probe::SetGlobal(const std::string &symbol, const uint8_t *bytes, size_t len, std::string &err) {
  if (loaded_) {
    err = "the probe is already loaded";
    return false;
  }
  for (const Symbol &s : objects_) {
    if (s.name != symbol) continue;
    for (DataSection &d : data_) {
      if (d.shndx != s.shndx) continue;
      if (len > s.size || s.value + len > d.data.size()) {
        err = "value too large for " + symbol;
        return false;
      }
      memcpy(d.data.data() + s.value, bytes, len);
      return true;
    }
  }
  err = "no global named " + symbol;
  return false;
}

MapSpec *Probe::FindMap(const std::string &name) {
  for (MapSpec &m : maps_)
    if (m.name == name) return &m;
  return nullptr;
}

const uint32_t kSegShift = 20;  // SEG_SHIFT of native/bpf/builder.h
const uint32_t kPerCpuOne = 1, kPerCpuSegments = 2;

bool Probe::CreateMaps(uint32_t ring_segments, std::string &err) {
  ncpus_ = PossibleCpus();
  ring_segments_ = ring_segments;
  for (size_t i = 0; i < maps_.size(); i++) {
    MapSpec &m = maps_[i];
    uint32_t entries = m.entries;
    if (m.per_cpu == kPerCpuOne) entries = (uint32_t)ncpus_;
    else if (m.per_cpu == kPerCpuSegments) entries = (uint32_t)ncpus_ * ring_segments;
    else if (entries == 0) entries = (uint32_t)ncpus_;
    int inner = -1;
    if (m.inner) {
      if (m.inner - 1 >= maps_.size() || maps_[m.inner - 1].fd < 0) {
        err = "map " + m.name + ": inner map must be defined before it";
        return false;
      }
      inner = maps_[m.inner - 1].fd;
    }
    m.fd = map_create(m.type, m.key, m.value, entries, m.flags, inner, m.name);
    if (m.fd < 0) {
      err = errno_str("creating map " + m.name);
      return false;
    }
    m.entries = entries;
  }
  for (DataSection &d : data_) {
    d.fd = map_create(kMapArray, 4, (uint32_t)d.data.size(), 1, d.readonly ? SCRY_BPF_F_RDONLY_PROG : 0, -1,
                      d.name);
    if (d.fd < 0) {
      err = errno_str("creating map for " + d.name);
      return false;
    }
    uint32_t zero = 0;
    if (map_update(d.fd, &zero, d.data.data(), 0) < 0) {
      err = errno_str("filling " + d.name);
      return false;
    }
    if (d.readonly && map_freeze(d.fd) < 0) {
      err = errno_str("freezing " + d.name);
      return false;
    }
  }
  return true;
}

bool Probe::MapRings(std::string &err) {
  MapSpec *segs = FindMap("ring_segs");
  MapSpec *ctl = FindMap("ring_ctl");
  if (!segs || !ctl) {
    err = "probe has no ring_segs/ring_ctl maps";
    return false;
  }
  long page = sysconf(_SC_PAGESIZE);
  auto page_round = [&](size_t n) { return (n + page - 1) / page * page; };
  seg_stride_ = ((size_t)segs->value + 7) & ~(size_t)7;
  segs_len_ = page_round(seg_stride_ * segs->entries);
  ctl_len_ = page_round((((size_t)ctl->value + 7) & ~(size_t)7) * ctl->entries);
  void *a = mmap(nullptr, segs_len_, PROT_READ, MAP_SHARED, segs->fd, 0);
  if (a == MAP_FAILED) {
    err = errno_str("mapping the event rings");
    return false;
  }
  segs_map_ = static_cast<uint8_t *>(a);
  void *b = mmap(nullptr, ctl_len_, PROT_READ | PROT_WRITE, MAP_SHARED, ctl->fd, 0);
  if (b == MAP_FAILED) {
    err = errno_str("mapping the ring positions");
    return false;
  }
  ctl_map_ = static_cast<uint8_t *>(b);
  size_t ctl_stride = ((size_t)ctl->value + 7) & ~(size_t)7;
  for (int cpu = 0; cpu < ncpus_; cpu++) {
    Ring r;
    r.cpu = cpu;
    r.segs = segs_map_ + seg_stride_ * ring_segments_ * (size_t)cpu;
    r.head = reinterpret_cast<uint64_t *>(ctl_map_ + ctl_stride * cpu);
    r.tail = reinterpret_cast<uint64_t *>(ctl_map_ + ctl_stride * cpu + 64);
    r.pos = load_acquire64(r.head);
    store_release64(r.tail, r.pos);
    rings_.push_back(r);
  }
  return true;
}

bool Probe::Load(uint32_t ring_segments, LoadResult &res, std::string &err) {
  if (loaded_) {
    err = "already loaded";
    return false;
  }
  if (ring_segments == 0 || (ring_segments & (ring_segments - 1))) {
    err = "ring segments must be a power of two";
    return false;
  }
  if (!CreateMaps(ring_segments, err)) return false;
  if (!MapRings(err)) return false;
  MapSpec *tails = FindMap("tails");
  // patch map references, then verify the programs on several threads: the
  // verifier dominates start-up time
  std::vector<std::vector<uint64_t>> patched(progs_.size());
  for (size_t k = 0; k < progs_.size(); k++) {
    Program &p = progs_[k];
    std::vector<uint64_t> &insns = patched[k];
    insns = p.insns;
    for (const Reloc &r : p.relocs) {
      uint8_t *ins = reinterpret_cast<uint8_t *>(&insns[r.insn]);
      int32_t fd;
      int32_t off = 0;
      if (r.target < 0) {
        MapSpec *m = nullptr;
        for (MapSpec &x : maps_)
          if (x.offset == r.addend) m = &x;
        if (!m) {
          err = p.section + ": relocation to unknown map";
          return false;
        }
        fd = m->fd;
        ins[1] = (uint8_t)((ins[1] & 0x0f) | (kPseudoMapFd << 4));
      } else {
        fd = data_[r.target].fd;
        off = (int32_t)r.addend;
        ins[1] = (uint8_t)((ins[1] & 0x0f) | (kPseudoMapValue << 4));
      }
      memcpy(ins + 4, &fd, 4);
      memcpy(ins + 8 + 4, &off, 4);
    }
  }
  std::vector<int> errs(progs_.size(), 0);
  std::vector<double> ms(progs_.size(), 0);
  std::atomic<size_t> next(0);
  auto worker = [&]() {
    for (;;) {
      size_t k = next.fetch_add(1);
      if (k >= progs_.size()) return;
      struct timespec t0, t1;
      clock_gettime(CLOCK_MONOTONIC, &t0);
      // SCRY_BPF_STATS=1: ask the verifier for its statistics (instructions processed)
      static const bool stats = getenv("SCRY_BPF_STATS") != nullptr;
      std::vector<char> slog(stats ? 4096 : 0, 0);
      int fd = prog_load(patched[k].data(), (uint32_t)patched[k].size(), license_.c_str(), progs_[k].name,
                         stats ? slog.data() : nullptr, stats ? 4096 : 0, stats ? 4 : 0);
      clock_gettime(CLOCK_MONOTONIC, &t1);
      ms[k] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
      if (stats) {
        const char *q = strstr(slog.data(), "processed ");
        if (q) ms[k] = -atof(q + 10);  // negative: instructions processed instead of ms
      }
      if (fd < 0) errs[k] = errno;
      progs_[k].fd = fd;
    }
  };
  unsigned nthreads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < nthreads; t++) pool.emplace_back(worker);
  worker();
  for (std::thread &t : pool) t.join();

  std::vector<char> log;
  for (size_t k = 0; k < progs_.size(); k++) {
    Program &p = progs_[k];
    res.timings.push_back({p.section, ms[k]});
    if (p.fd < 0) {
      int e = errs[k];
      // load again with the verifier's log, to say why
      log.assign(4 << 20, 0);
      prog_load(patched[k].data(), (uint32_t)patched[k].size(), license_.c_str(), p.name, log.data(),
                (uint32_t)log.size(), 1);
      std::string text(log.data());
      if (text.size() > 3000) text = "..." + text.substr(text.size() - 3000);
      std::string msg = "loading " + p.section + " (" + p.name + "): " + strerror(e) + "\n" + text;
      if (p.section.rfind("tail/", 0) == 0 || p.section.rfind("opt_raw_tp/", 0) == 0) {
        // a tail: the syscall falls back to a generic event; an optional tracepoint: its events are missing
        res.warnings.push_back(msg);
        continue;
      }
      err = msg;
      return false;
    }
    res.programs++;
    if (p.section.rfind("tail/", 0) == 0) {
      if (!tails) {
        err = "tail program without a 'tails' map";
        return false;
      }
      // "tail/N" or "tail/N,M,...": one program may serve several slots
      const char *q = p.section.c_str() + 5;
      while (*q) {
        char *end = nullptr;
        uint32_t slot = (uint32_t)strtoul(q, &end, 10);
        if (end == q) break;
        uint32_t val = (uint32_t)p.fd;
        if (map_update(tails->fd, &slot, &val, 0) < 0) {
          err = errno_str("registering " + p.section);
          return false;
        }
        res.tails++;
        q = *end == ',' ? end + 1 : end;
      }
    }
  }
  loaded_ = true;
  return true;
}

bool Probe::Attach(const std::vector<std::string> &skip, std::string &err) {
  for (const Program &p : progs_) {
    const bool optional = p.section.rfind("opt_raw_tp/", 0) == 0;
    if ((!optional && p.section.rfind("raw_tp/", 0) != 0) || p.fd < 0) continue;
    std::string tp = p.section.substr(p.section.find('/') + 1);
    if (std::find(skip.begin(), skip.end(), tp) != skip.end()) continue;
    int fd = raw_tracepoint_open(tp.c_str(), p.fd);
    if (fd < 0 && optional) continue;  // (a kernel without it: the capture lacks those events)
    if (fd < 0) {
      err = errno_str("attaching to tracepoint " + tp);
      Detach();
      return false;
    }
    links_.push_back(fd);
  }
  return true;
}

void Probe::Detach() {
  for (int fd : links_) close(fd);
  links_.clear();
}

void Probe::Close() {
  Detach();
  rings_.clear();
  if (segs_map_) munmap(segs_map_, segs_len_);
  if (ctl_map_) munmap(ctl_map_, ctl_len_);
  segs_map_ = ctl_map_ = nullptr;
  for (Program &p : progs_) {
    if (p.fd >= 0) close(p.fd);
    p.fd = -1;
  }
  for (MapSpec &m : maps_) {
    if (m.fd >= 0) close(m.fd);
    m.fd = -1;
  }
  for (DataSection &d : data_) {
    if (d.fd >= 0) close(d.fd);
    d.fd = -1;
  }
  loaded_ = false;
}

size_t Probe::Pending() const {
  size_t n = 0;
  for (const Ring &r : rings_) n += load_acquire64(r.head) - r.pos;
  return n;
}

bool Probe::Wait(int timeout_ms) {
  // the probe never wakes us: poll
  for (int waited = 0;; waited += 2) {
    if (Pending() > 0) return true;
    if (waited >= timeout_ms) return false;
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
}

// Drops the parameters past `limit` of the event record at rec (u16
// parameter lengths): its data moves up over the lengths it no longer has.
// Returns the record's new length. For sysdig-compatible captures, whose
// readers (sysdig 0.29.3) know fewer parameters than current libs' exit
// events carry, and apply their own rules only to events of their shape.
static uint32_t TrimParams(uint8_t *rec, uint32_t len, uint32_t limit) {
  uint32_t n;
  memcpy(&n, rec + 22, 4);
  if (n <= limit || kEventHeader + n * 2 > len) return len;
  uint32_t keep = 0;
  for (uint32_t i = 0; i < limit; i++) {
    uint16_t l;
    memcpy(&l, rec + kEventHeader + i * 2, 2);
    keep += l;
  }
  uint32_t from = kEventHeader + n * 2, to = kEventHeader + limit * 2;
  if (from + keep > len) return len;  // lengths do not add up: leave it as it is
  memmove(rec + to, rec + from, keep);
  uint32_t nlen = to + keep;
  memcpy(rec + 16, &nlen, 4);
  memcpy(rec + 22, &limit, 4);
  return nlen;
}

size_t Probe::Drain(uint8_t *out, size_t cap, uint64_t *events) {
  size_t used = 0;
  uint64_t count = 0;
  const uint64_t seg_size = 1ULL << kSegShift;
  for (Ring &r : rings_) r.end = load_acquire64(r.head);
  // the record at a ring position (nullptr past the end); skips segment ends
  auto at = [&](Ring &r) -> const uint8_t * {
    while (r.pos < r.end) {
      uint64_t off = r.pos & (seg_size - 1);
      const uint8_t *p = r.segs + seg_stride_ * ((r.pos >> kSegShift) & (ring_segments_ - 1)) + off;
      uint64_t ts;
      memcpy(&ts, p, 8);
      if (ts == 0) {
        r.pos += seg_size - off;  // the rest of this segment is unused
        continue;
      }
      return p;
    }
    return nullptr;
  };
  for (;;) {
    Ring *best = nullptr;
    const uint8_t *best_rec = nullptr;
    uint64_t best_ts = UINT64_MAX;
    for (Ring &r : rings_) {
      const uint8_t *p = at(r);
      if (!p) continue;
      uint64_t ts;
      memcpy(&ts, p, 8);
      if (ts < best_ts) {
        best_ts = ts;
        best = &r;
        best_rec = p;
      }
    }
    if (!best) break;
    uint32_t len;
    memcpy(&len, best_rec + 16, 4);
    if (len < kEventHeader || len >= seg_size) {  // cannot happen: skip the rest of what is there
      best->pos = best->end;
      continue;
    }
    size_t block = (8 + 2 + len + 4 + 3) & ~(size_t)3;
    if (used + block > cap) break;
    uint8_t *o = out + used;
    memcpy(o + 10, best_rec, len);
    uint32_t rlen = len;
    if (!param_limits_.empty()) {
      uint16_t etype;
      memcpy(&etype, best_rec + 20, 2);
      uint8_t limit = param_limits_[etype];
      if (limit != 255) {
        rlen = TrimParams(o + 10, len, limit);
        block = (8 + 2 + rlen + 4 + 3) & ~(size_t)3;
      }
    }
    uint32_t type = kEvBlockV2, total = (uint32_t)block;
    uint16_t cpu = (uint16_t)best->cpu;
    memcpy(o, &type, 4);
    memcpy(o + 4, &total, 4);
    memcpy(o + 8, &cpu, 2);
    size_t p = 10 + rlen;
    while (p < block - 4) o[p++] = 0;
    memcpy(o + block - 4, &total, 4);
    used += block;
    count++;
    best->pos += (len + 7) & ~7ULL;
  }
  for (Ring &r : rings_) store_release64(r.tail, r.pos);
  if (events) *events = count;
  return used;
}

bool Probe::Stats(std::vector<CpuStats> &out, std::string &err) {
  MapSpec *m = FindMap("stats_map");
  if (!m || m->fd < 0) {
    err = "probe not loaded";
    return false;
  }
  size_t stride = (m->value + 7) & ~7u;
  std::vector<uint8_t> buf(stride * (size_t)ncpus_, 0);
  uint32_t zero = 0;
  if (map_lookup(m->fd, &zero, buf.data()) < 0) {
    err = errno_str("reading stats");
    return false;
  }
  out.clear();
  for (int c = 0; c < ncpus_; c++) {
    CpuStats s;
    memset(&s, 0, sizeof(s));
    memcpy(&s, buf.data() + stride * c, std::min(sizeof(s), (size_t)m->value));
    out.push_back(s);
  }
  return true;
}

bool Probe::Track(uint32_t tgid, uint32_t state, std::string &err) {
  MapSpec *m = FindMap("procs");
  if (!m || m->fd < 0) {
    err = "probe not loaded";
    return false;
  }
  if (map_update(m->fd, &tgid, &state, 0) < 0) {
    err = errno_str("tracking process");
    return false;
  }
  return true;
}

bool Probe::Untrack(uint32_t tgid) {
  MapSpec *m = FindMap("procs");
  if (!m || m->fd < 0) return false;
  return map_delete(m->fd, &tgid) == 0;
}

}  // namespace scry
