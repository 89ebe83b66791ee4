// Scanning a buffer of .scap blocks for version-2 event blocks: the per-event
// loop of replaying a plain .scap file (block framing, event header and
// parameter-length checks), done in C++ over a whole buffer per call.
// lib/sources/scap/reader.ts does the same checks in TypeScript when the
// addon is not built, and handles every other block type itself.
//
//   scanEventBlocks(buf, start, end, known, out) -> count
//
// known: Uint8Array(65536), per event type 0 = unknown id (skipped, as libs
// skips ids newer than its table), 1 = known, 2 = known with u32 parameter
// lengths (EF_LARGE_PAYLOAD). out: Int32Array of 11*k entries receiving, per
// event, [block offset, record offset, cpu, block flags, ts lo, ts hi,
// tid lo, tid hi, len, type, nparams] (u32 values as their int32 bits). Scanning stops at
// the first block that is not a v2 event block, at an incomplete block, when
// `out` is full, or at a damaged block. The return value is the number of
// events; out[out.length - 2] receives the offset where scanning stopped and
// out[out.length - 1] the reason: 0 other block/end of data, 1 out full,
// or a negative ScanError for the damaged block at that offset.
#include <napi.h>

#include <cstdint>
#include <cstring>

#include "scap_scan.h"

namespace {

constexpr uint32_t kEvV2 = 0x216, kEvfV2 = 0x217, kEvV2Large = 0x221, kEvfV2Large = 0x222;
constexpr uint32_t kMaxBlock = 256u * 1024 * 1024;
constexpr uint32_t kHeaderLen = 26;
// out entries per event: block offset, record offset, cpu, flags, ts lo/hi, tid lo/hi, len, type, nparams
constexpr size_t kStride = 11;

inline uint16_t get16(const uint8_t *b) { uint16_t v; std::memcpy(&v, b, 2); return v; }
inline uint32_t get32(const uint8_t *b) { uint32_t v; std::memcpy(&v, b, 4); return v; }

// Codes match lib/sources/scap/scan.ts ScanStop.
enum Stop : int32_t {
  kOther = 0,
  kFull = 1,
  kBadHeader = -1,     // total < 12 or > 256 MiB
  kBadTrailer = -2,    // trailer differs from the length
  kShortBlock = -3,    // event block too short for an event header
  kShortEvent = -4,    // event length shorter than its header
  kPastBlock = -5,     // event length exceeds its block
  kTooManyParams = -6, // parameter lengths do not fit
  kParamsPastEnd = -7, // parameters exceed the event length
};

Napi::Value ScanEventBlocks(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5 || !info[0].IsTypedArray() || !info[1].IsNumber() || !info[2].IsNumber() ||
      !info[3].IsTypedArray() || !info[4].IsTypedArray()) {
    Napi::TypeError::New(env, "scanEventBlocks: bad arguments").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Uint8Array bufA = info[0].As<Napi::Uint8Array>();
  Napi::Uint8Array knownA = info[3].As<Napi::Uint8Array>();
  Napi::Int32Array outA = info[4].As<Napi::Int32Array>();
  const uint8_t *b = bufA.Data();
  const size_t blen = bufA.ByteLength();
  size_t p = size_t(info[1].As<Napi::Number>().Int64Value());
  size_t end = size_t(info[2].As<Napi::Number>().Int64Value());
  if (end > blen || knownA.ByteLength() < 65536 || outA.ElementLength() < 6) {
    Napi::RangeError::New(env, "scanEventBlocks: bad arguments").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const uint8_t *known = knownA.Data();
  int32_t *out = outA.Data();
  const size_t cap = (outA.ElementLength() - 2) / kStride;
  size_t n = 0;
  int32_t stop = kOther;
  while (p + 8 <= end) {
    const uint32_t type = get32(b + p);
    const uint32_t total = get32(b + p + 4);
    if (type != kEvV2 && type != kEvfV2 && type != kEvV2Large && type != kEvfV2Large) break;
    if (total < 12 || total > kMaxBlock) { stop = kBadHeader; break; }
    if (p + total > end) break;
    if (get32(b + p + total - 4) != total) { stop = kBadTrailer; break; }
    const bool flagged = type == kEvfV2 || type == kEvfV2Large;
    const size_t start = p + 8;
    const size_t off = start + (flagged ? 6 : 2);
    const size_t bend = p + total - 4;
    if (off > bend || bend - off < kHeaderLen) { stop = kShortBlock; break; }
    const uint8_t k = known[get16(b + off + 20)];
    if (k != 0) {
      if (n == cap) { stop = kFull; break; }
      const uint32_t len = get32(b + off + 16);
      if (len < kHeaderLen) { stop = kShortEvent; break; }
      if (len > bend - off) { stop = kPastBlock; break; }
      const uint64_t np = get32(b + off + 22);
      const uint64_t ls = k == 2 ? 4 : 2;
      uint64_t q = kHeaderLen + np * ls;
      if (q > len) { stop = kTooManyParams; break; }
      const uint8_t *lp = b + off + kHeaderLen;
      if (ls == 2) {
        for (uint64_t i = 0; i < np; i++, lp += 2) q += get16(lp);
      } else {
        for (uint64_t i = 0; i < np; i++, lp += 4) q += get32(lp);
      }
      if (q > len) { stop = kParamsPastEnd; break; }
      int32_t *o = out + n * kStride;
      o[0] = int32_t(p);
      o[1] = int32_t(off);
      o[2] = int32_t(get16(b + start));
      o[3] = flagged ? int32_t(get32(b + start + 2)) : 0;
      // the record header, so JavaScript need not decode it byte by byte
      std::memcpy(o + 4, b + off, 16);   // ts (lo, hi), tid (lo, hi)
      o[8] = int32_t(len);
      o[9] = int32_t(get16(b + off + 20));
      o[10] = int32_t(np);
      n++;
    }
    p += total;
  }
  out[outA.ElementLength() - 2] = int32_t(p);
  out[outA.ElementLength() - 1] = stop;
  return Napi::Number::New(env, double(n));
}

}  // namespace

namespace scry {

void InitScan(Napi::Env env, Napi::Object exports) {
  exports.Set("scanEventBlocks", Napi::Function::New(env, ScanEventBlocks));
}

}  // namespace scry
