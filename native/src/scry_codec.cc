// Rebuilding scap event records from a .scry frame's columns (docs/format.md,
// "Event columns"): the hot loop of reading a .scry file, in C++ because
// it is byte shuffling that JavaScript does at a fraction of memcpy speed.
// lib/sources/scry/codec.ts holds the same algorithm in TypeScript (used when
// the addon is not built) and the tests check both give the same bytes.
//
//   rebuildColumns(n, raw, out, offs, cpus, flags,
//                  ts, tid, ty, cpu, np, esc, ln, keys, data, fl, xl, d8)
//     -> undefined, or a message saying what is inconsistent
//
// `out` (raw bytes) receives the records; offs/cpus/flags (Int32Array,
// Uint16Array, Uint32Array, n entries) their offsets, cpus and block flags.
// `data` is modified: streams listed in d8 are un-delta'd in place.
#include <napi.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "scry_codec.h"

namespace {

constexpr uint32_t kMaxKeyType = 2047;
constexpr uint32_t kMaxKeyParam = 32;
constexpr uint32_t kMiscKey = 65535;
constexpr uint32_t kTailKey = 65534;
constexpr uint32_t kNumKeys = 65536;
constexpr uint32_t kHeaderLen = 26;

// Sequential reader of one column; reading past its end yields zeros and
// sets `over`, checked once at the end of the frame.
struct Column {
  const uint8_t *p;
  size_t len;
  size_t pos = 0;
  bool over = false;

  explicit Column(const scry::Bytes &s) : p(s.p), len(s.len) {}

  inline uint64_t varint() {
    if (__builtin_expect(pos < len && p[pos] < 128, 1)) return p[pos++];
    return varintSlow();
  }

  uint64_t varintSlow() {
    uint64_t v = 0;
    unsigned shift = 0;
    for (;;) {
      if (pos >= len) { over = true; return 0; }
      uint8_t x = p[pos++];
      if (shift < 64) v |= uint64_t(x & 127) << shift;
      if (x < 128) return v;
      shift += 7;
    }
  }
};

inline void put32(uint8_t *b, uint32_t v) { std::memcpy(b, &v, 4); }  // x86/arm64 little-endian hosts
inline void put64(uint8_t *b, uint64_t v) { std::memcpy(b, &v, 8); }
inline uint16_t get16(const uint8_t *b) { uint16_t v; std::memcpy(&v, b, 2); return v; }
inline uint32_t get32(const uint8_t *b) { uint32_t v; std::memcpy(&v, b, 4); return v; }
inline uint64_t get64(const uint8_t *b) { uint64_t v; std::memcpy(&v, b, 8); return v; }

inline int64_t unzigzag(uint64_t z) { return (z & 1) ? -int64_t((z + 1) >> 1) : int64_t(z >> 1); }

// Stream cursors by key, per thread (readers decode in worker threads too).
struct Cursors {
  std::vector<int64_t> cur = std::vector<int64_t>(kNumKeys, -1);
  std::vector<int64_t> lim = std::vector<int64_t>(kNumKeys, 0);
  std::vector<uint64_t> lastTid = std::vector<uint64_t>(65536);
  std::vector<uint8_t> tidSet = std::vector<uint8_t>(65536);
};
thread_local Cursors cursors;

}  // namespace

namespace scry {

std::string RebuildColumns(const RebuildInput &in, RebuildOutput &out) {
  const uint64_t n = in.n, raw = in.raw;
  if (out.buf.len < raw) return "output buffer too small";
  if (in.ty.len < n * 2 || in.cpu.len < n * 2) return "short type/cpu column";
  auto &cur = cursors.cur;
  auto &lim = cursors.lim;
  uint8_t *data = const_cast<uint8_t *>(in.data.p);
  std::vector<uint16_t> used;
  int64_t dp = 0;
  for (size_t k = 0; k + 6 <= in.keys.len; k += 6) {
    uint16_t key = get16(in.keys.p + k);
    uint32_t l = get32(in.keys.p + k + 2);
    cur[key] = dp;
    dp += l;
    lim[key] = dp;
    used.push_back(key);
  }
  struct Reset {
    std::vector<uint16_t> &keys;
    std::vector<int64_t> &cur;
    ~Reset() { for (uint16_t k : keys) cur[k] = -1; }
  } reset{used, cur};
  if (dp > int64_t(in.data.len)) return "parameter streams exceed their data";
  for (size_t i = 0; i + 2 <= in.d8.len; i += 2) {
    uint16_t key = get16(in.d8.p + i);
    int64_t st = cur[key];
    if (st < 0 || (lim[key] - st) % 8 != 0) return "bad delta stream";
    uint64_t prev = 0;
    for (int64_t j = st; j < lim[key]; j += 8) {
      prev += get64(data + j);
      put64(data + j, prev);
    }
  }

  Column ts(in.ts), tid(in.tid), np(in.np), ln(in.ln), fl(in.fl), xl(in.xl);
  const bool hasFl = in.fl.p != nullptr, hasXl = in.xl.p != nullptr;
  size_t escp = 0;
  uint64_t tsv = 0;
  // last thread id per cpu (thread-local tables: fetched once, not per event)
  uint64_t *const lastTid = cursors.lastTid.data();
  uint8_t *const tidSet = cursors.tidSet.data();
  int64_t *const curp = cur.data();
  const int64_t *const limp = lim.data();
  std::vector<uint16_t> touched;
  struct ResetTid {
    std::vector<uint16_t> &cpus;
    uint8_t *set;
    ~ResetTid() { for (uint16_t c : cpus) set[c] = 0; }
  } resetTid{touched, tidSet};
  const uint64_t dataLen = in.data.len;

  uint8_t *ob = out.buf.p;
  uint64_t o = 0;
  for (uint64_t i = 0; i < n; i++) {
    if (o + kHeaderLen > raw) return "records exceed their declared size";
    out.offs[i] = int32_t(o);
    const uint16_t type = get16(in.ty.p + i * 2);
    const uint16_t cp = get16(in.cpu.p + i * 2);
    out.cpus[i] = cp;
    out.flags[i] = hasFl ? uint32_t(fl.varint()) : 0;
    // timestamp
    uint64_t v = ts.varint();
    if (v == 1) {
      if (escp + 8 > in.esc.len) return "escape stream too short";
      tsv = get64(in.esc.p + escp);
      escp += 8;
    } else {
      tsv += uint64_t(unzigzag(v >> 1));
    }
    put64(ob + o, tsv);
    // thread id
    v = tid.varint();
    if (v != 0) {
      uint64_t t;
      if (v == 1) {
        if (escp + 8 > in.esc.len) return "escape stream too short";
        t = get64(in.esc.p + escp);
        escp += 8;
      } else {
        t = uint64_t(unzigzag((v - 2) >> 1));
      }
      if (!tidSet[cp]) { tidSet[cp] = 1; touched.push_back(cp); }
      lastTid[cp] = t;
    } else if (!tidSet[cp]) {
      return "thread id refers to an unknown cpu";
    }
    put64(ob + o + 8, lastTid[cp]);
    std::memcpy(ob + o + 20, in.ty.p + i * 2, 2);
    v = np.varint();
    const uint32_t large = uint32_t(v & 1);
    const uint64_t nparams = v >> 1;
    const uint32_t ls = large ? 4 : 2;
    if (nparams > 0xffffffffu) return "records exceed their declared size";
    put32(ob + o + 22, uint32_t(nparams));
    uint64_t lp = o + kHeaderLen;
    uint64_t p = lp + nparams * ls;
    if (p > raw) return "records exceed their declared size";
    const int64_t kbase = type <= kMaxKeyType ? int64_t(type) << 5 : -1;
    for (uint64_t k = 0; k < nparams; k++) {
      const uint64_t l = ln.varint();
      if (large) { put32(ob + lp, uint32_t(l)); lp += 4; }
      else { ob[lp] = uint8_t(l); ob[lp + 1] = uint8_t(l >> 8); lp += 2; }
      if (l) {
        const uint32_t key = kbase >= 0 && k < kMaxKeyParam ? uint32_t(kbase | int64_t(k)) : kMiscKey;
        const int64_t s = curp[key];
        if (s < 0 || uint64_t(s) + l > uint64_t(limp[key]) || p + l > raw) return "parameter stream too short";
        // Short values (most parameters) move as one 16-byte copy when both
        // sides have room: the bytes past l belong to records not written yet.
        // Streams are read front to back, but hundreds are interleaved: more
        // than the hardware prefetchers follow. Ask for this one's next lines.
        __builtin_prefetch(data + s + 128);
        if (l <= 16 && p + 16 <= raw && uint64_t(s) + 16 <= dataLen) std::memcpy(ob + p, data + s, 16);
        else std::memcpy(ob + p, data + s, l);
        curp[key] = s + int64_t(l);
        p += l;
      }
    }
    if (hasXl) {
      const uint64_t e = xl.varint();
      if (e) {
        const int64_t s = cur[kTailKey];
        if (s < 0 || uint64_t(s) + e > uint64_t(lim[kTailKey]) || p + e > raw) return "tail stream too short";
        std::memcpy(ob + p, data + s, e);
        cur[kTailKey] = s + int64_t(e);
        p += e;
      }
    }
    put32(ob + o + 16, uint32_t(p - o));
    if (out.hdr) {
      int32_t *h = out.hdr + i * kHeaderFields;
      std::memcpy(h, ob + o, 16);  // ts, tid
      h[4] = int32_t(p - o);
      h[5] = int32_t(type);
      h[6] = int32_t(nparams);
    }
    if (in.windowed && (tsv < in.from || tsv > in.to)) out.offs[i] = -1;
    else o = p;
  }
  if (ts.over || tid.over || np.over || ln.over || fl.over || xl.over) return "a column is shorter than its events";
  if (in.windowed ? o > raw : o != raw) return "rebuilt " + std::to_string(o) + " bytes, expected " + std::to_string(raw);
  return "";
}

}  // namespace scry

namespace {

bool ViewOf(const Napi::Value &v, scry::Bytes &out) {
  if (v.IsNull() || v.IsUndefined()) { out = {}; return true; }
  if (!v.IsTypedArray()) return false;
  Napi::TypedArray a = v.As<Napi::TypedArray>();
  Napi::ArrayBuffer ab = a.ArrayBuffer();
  out.p = static_cast<uint8_t *>(ab.Data()) + a.ByteOffset();
  out.len = a.ByteLength();
  return true;
}

Napi::Value RebuildColumnsJs(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 18 || !info[0].IsNumber() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "rebuildColumns: bad arguments").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  scry::RebuildInput in;
  scry::RebuildOutput out;
  in.n = uint64_t(info[0].As<Napi::Number>().DoubleValue());
  in.raw = uint64_t(info[1].As<Napi::Number>().DoubleValue());
  scry::Bytes offs, cpus, flags;
  scry::Bytes *cols[] = {&in.ts, &in.tid, &in.ty, &in.cpu, &in.np, &in.esc, &in.ln, &in.keys, &in.data, &in.fl, &in.xl, &in.d8};
  bool ok = ViewOf(info[2], out.buf) && ViewOf(info[3], offs) && ViewOf(info[4], cpus) && ViewOf(info[5], flags);
  for (int i = 0; ok && i < 12; i++) ok = ViewOf(info[6 + i], *cols[i]);
  if (!ok || offs.len < in.n * 4 || cpus.len < in.n * 2 || flags.len < in.n * 4) {
    Napi::TypeError::New(env, "rebuildColumns: bad arguments").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  out.offs = reinterpret_cast<int32_t *>(offs.p);
  out.cpus = reinterpret_cast<uint16_t *>(cpus.p);
  out.flags = reinterpret_cast<uint32_t *>(flags.p);
  std::string err = scry::RebuildColumns(in, out);
  if (err.empty()) return env.Undefined();
  return Napi::String::New(env, err);
}

}  // namespace

namespace scry {

void InitCodec(Napi::Env env, Napi::Object exports) {
  exports.Set("rebuildColumns", Napi::Function::New(env, RebuildColumnsJs));
}

}  // namespace scry
