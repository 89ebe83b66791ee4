// Decoding a .scry chunk's frames off the main thread: zstd, the frame's
// msgpack map, and the record rebuild, on libuv's thread pool, so that
// reading a .scry file decodes the next chunks while JavaScript hands out
// the current one.
//
//   decodeEventFrame(zstdBytes, recycle?, opts?) -> Promise<NativeFrame>
//
// The frame is a zstd frame of a msgpack map whose `e` holds event columns
// (or nil) (docs/format.md): frame B is { e }, frame A { s, e, p }. The
// result holds the rebuilt events in `store` (see lib/native/addon.ts).
// `recycle`, an ArrayBuffer from an earlier result's store that the caller
// no longer uses, is written over when it is large enough. With opts.from
// and opts.to (BigInt ns), events outside that window are left out (their
// offset is -1). With opts.keepFrame the decompressed frame comes back too
// (`frame`), with the byte ranges of its `s` value and of the payload of its
// `p` bin, for the caller to read the state records; opts.events false
// skips the rebuild.
// The promise rejects with a message when the frame cannot be decoded.
#include <napi.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#define ZSTD_STATIC_LINKING_ONLY
#include "zstd.h"

#include "scry_codec.h"
#include "scry_decode.h"

namespace {

// Frames larger than this are refused (a damaged header would otherwise ask
// for any size).
constexpr uint64_t kMaxFrame = 1ull << 31;

// A reader of the plain MessagePack the .scry writer produces.
struct Msgpack {
  const uint8_t *p;
  size_t len;
  size_t pos = 0;
  bool bad = false;

  uint64_t be(size_t n) {
    if (pos + n > len) { bad = true; return 0; }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) v = (v << 8) | p[pos + i];
    pos += n;
    return v;
  }

  // Map header: entry count, or -1.
  int64_t mapLen() {
    if (pos >= len) { bad = true; return -1; }
    uint8_t t = p[pos++];
    if (t >= 0x80 && t <= 0x8f) return t & 15;
    if (t == 0xde) return int64_t(be(2));
    if (t == 0xdf) return int64_t(be(4));
    bad = true;
    return -1;
  }

  // A string key.
  bool str(std::string &out) {
    if (pos >= len) { bad = true; return false; }
    uint8_t t = p[pos++];
    size_t n;
    if (t >= 0xa0 && t <= 0xbf) n = t & 31;
    else if (t == 0xd9) n = size_t(be(1));
    else if (t == 0xda) n = size_t(be(2));
    else if (t == 0xdb) n = size_t(be(4));
    else { bad = true; return false; }
    if (bad || pos + n > len) { bad = true; return false; }
    out.assign(reinterpret_cast<const char *>(p + pos), n);
    pos += n;
    return true;
  }

  enum Kind { kNil, kNum, kBin, kOther };
  struct Value {
    Kind kind = kOther;
    double num = 0;
    scry::Bytes bin;
  };

  // One value; nested maps and arrays are skipped (reported as kOther).
  Value value() {
    Value v;
    if (pos >= len) { bad = true; return v; }
    uint8_t t = p[pos++];
    if (t <= 0x7f) { v.kind = kNum; v.num = t; return v; }
    if (t >= 0xe0) { v.kind = kNum; v.num = int8_t(t); return v; }
    switch (t) {
      case 0xc0: v.kind = kNil; return v;
      case 0xc2: case 0xc3: return v;
      case 0xcc: v.kind = kNum; v.num = double(be(1)); return v;
      case 0xcd: v.kind = kNum; v.num = double(be(2)); return v;
      case 0xce: v.kind = kNum; v.num = double(be(4)); return v;
      case 0xcf: v.kind = kNum; v.num = double(be(8)); return v;
      case 0xd0: v.kind = kNum; v.num = int8_t(be(1)); return v;
      case 0xd1: v.kind = kNum; v.num = int16_t(be(2)); return v;
      case 0xd2: v.kind = kNum; v.num = int32_t(be(4)); return v;
      case 0xd3: v.kind = kNum; v.num = double(int64_t(be(8))); return v;
      case 0xcb: {
        uint64_t bits = be(8);
        double d;
        std::memcpy(&d, &bits, 8);
        v.kind = kNum;
        v.num = d;
        return v;
      }
      case 0xca: {
        uint32_t bits = uint32_t(be(4));
        float f;
        std::memcpy(&f, &bits, 4);
        v.kind = kNum;
        v.num = f;
        return v;
      }
      case 0xc4: case 0xc5: case 0xc6: {
        size_t n = size_t(be(t == 0xc4 ? 1 : t == 0xc5 ? 2 : 4));
        if (bad || pos + n > len) { bad = true; return v; }
        v.kind = kBin;
        v.bin.p = const_cast<uint8_t *>(p + pos);
        v.bin.len = n;
        pos += n;
        return v;
      }
      default:
        pos--;
        skip();
        return v;
    }
  }

  // Skips any one value.
  void skip() {
    if (pos >= len) { bad = true; return; }
    uint8_t t = p[pos++];
    if (t <= 0x7f || t >= 0xe0 || t == 0xc0 || t == 0xc2 || t == 0xc3) return;
    if (t >= 0x80 && t <= 0x8f) { for (int i = 0; i < (t & 15) * 2 && !bad; i++) skip(); return; }
    if (t >= 0x90 && t <= 0x9f) { for (int i = 0; i < (t & 15) && !bad; i++) skip(); return; }
    if (t >= 0xa0 && t <= 0xbf) { pos += t & 31; if (pos > len) bad = true; return; }
    size_t n = 0;
    switch (t) {
      case 0xcc: case 0xd0: n = 1; break;
      case 0xcd: case 0xd1: n = 2; break;
      case 0xce: case 0xd2: case 0xca: n = 4; break;
      case 0xcf: case 0xd3: case 0xcb: n = 8; break;
      case 0xd4: n = 2; break;
      case 0xd5: n = 3; break;
      case 0xd6: n = 5; break;
      case 0xd7: n = 9; break;
      case 0xd8: n = 17; break;
      case 0xc4: case 0xd9: n = size_t(be(1)); break;
      case 0xc5: case 0xda: n = size_t(be(2)); break;
      case 0xc6: case 0xdb: n = size_t(be(4)); break;
      case 0xc7: n = size_t(be(1)) + 1; break;
      case 0xc8: n = size_t(be(2)) + 1; break;
      case 0xc9: n = size_t(be(4)) + 1; break;
      case 0xdc: { uint64_t k = be(2); for (uint64_t i = 0; i < k && !bad; i++) skip(); return; }
      case 0xdd: { uint64_t k = be(4); for (uint64_t i = 0; i < k && !bad; i++) skip(); return; }
      case 0xde: { uint64_t k = be(2) * 2; for (uint64_t i = 0; i < k && !bad; i++) skip(); return; }
      case 0xdf: { uint64_t k = be(4) * 2; for (uint64_t i = 0; i < k && !bad; i++) skip(); return; }
      default: bad = true; return;
    }
    if (bad || pos + n > len) { bad = true; return; }
    pos += n;
  }
};

struct ThreadState {
  ZSTD_DCtx *dctx = nullptr;
  std::vector<uint8_t> frame;
  ~ThreadState() { if (dctx) ZSTD_freeDCtx(dctx); }
};
thread_local ThreadState threadState;

inline size_t align8(size_t v) { return (v + 7) & ~size_t(7); }

class DecodeEventFrame : public Napi::AsyncWorker {
 public:
  DecodeEventFrame(Napi::Env env, Napi::Uint8Array src, Napi::Value recycle, bool keepFrame, bool events,
                   bool windowed, uint64_t from, uint64_t to)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), keepFrame_(keepFrame), events_(events),
        windowed_(windowed), from_(from), to_(to) {
    srcRef_ = Napi::Persistent(src.As<Napi::Object>());
    src_ = src.Data();
    srcLen_ = src.ByteLength();
    if (recycle.IsArrayBuffer()) {
      Napi::ArrayBuffer ab = recycle.As<Napi::ArrayBuffer>();
      recycleRef_ = Napi::Persistent(ab.As<Napi::Object>());
      recycle_ = static_cast<uint8_t *>(ab.Data());
      recycleLen_ = ab.ByteLength();
    }
  }

  ~DecodeEventFrame() override {
    if (owned_) std::free(owned_);
    if (frameOwned_) std::free(frameOwned_);
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    ThreadState &ts = threadState;
    if (!ts.dctx) ts.dctx = ZSTD_createDCtx();
    if (!ts.dctx) { SetError("out of memory"); return; }
    const unsigned long long size = ZSTD_getFrameContentSize(src_, srcLen_);
    if (size == ZSTD_CONTENTSIZE_ERROR) { SetError("not a zstd frame"); return; }
    if (size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxFrame) { SetError("zstd frame without a usable content size"); return; }
    uint8_t *frame;
    if (keepFrame_) {
      frameOwned_ = static_cast<uint8_t *>(std::malloc(size ? size : 1));
      if (!frameOwned_) { SetError("out of memory"); return; }
      frame = frameOwned_;
      frameLen_ = size;
    } else {
      if (ts.frame.size() < size) ts.frame.resize(size);
      frame = ts.frame.data();
    }
    const size_t got = ZSTD_decompressDCtx(ts.dctx, frame, size, src_, srcLen_);
    if (ZSTD_isError(got)) { SetError(std::string("zstd: ") + ZSTD_getErrorName(got)); return; }
    if (got != size) { SetError("zstd frame shorter than its content size"); return; }

    Msgpack m{frame, got};
    scry::RebuildInput in;
    bool haveCols = false, nilCols = false;
    double n = -1, raw = -1;
    int64_t top = m.mapLen();
    std::string key;
    for (int64_t i = 0; i < top && !m.bad; i++) {
      if (!m.str(key)) break;
      if (key == "s") {
        sStart_ = int64_t(m.pos);
        m.skip();
        sEnd_ = int64_t(m.pos);
        continue;
      }
      if (key == "p") {
        Msgpack::Value v = m.value();
        if (v.kind == Msgpack::kBin) { pStart_ = int64_t(v.bin.p - frame); pEnd_ = pStart_ + int64_t(v.bin.len); }
        continue;
      }
      if (key != "e") { m.skip(); continue; }
      if (m.pos < m.len && m.p[m.pos] == 0xc0) { m.pos++; nilCols = true; continue; }
      int64_t cols = m.mapLen();
      haveCols = cols >= 0;
      for (int64_t j = 0; j < cols && !m.bad; j++) {
        if (!m.str(key)) break;
        Msgpack::Value v = m.value();
        if (key == "n" && v.kind == Msgpack::kNum) n = v.num;
        else if (key == "raw" && v.kind == Msgpack::kNum) raw = v.num;
        else if (v.kind == Msgpack::kBin) {
          scry::Bytes *dst = key == "ts" ? &in.ts : key == "tid" ? &in.tid : key == "ty" ? &in.ty : key == "cpu" ? &in.cpu
                            : key == "fl" ? &in.fl : key == "np" ? &in.np : key == "xl" ? &in.xl : key == "esc" ? &in.esc
                            : key == "ln" ? &in.ln : key == "keys" ? &in.keys : key == "data" ? &in.data : key == "d8" ? &in.d8
                            : nullptr;
          if (dst) *dst = v.bin;
        }
      }
    }
    if (m.bad || top < 0) { SetError("bad msgpack in event frame"); return; }
    if (!events_ || nilCols || !haveCols) {
      // no events wanted, or none in the frame (a frame A without state events)
      if (!haveCols && !nilCols && events_ && !keepFrame_) { SetError("event frame without events"); return; }
      n = 0;
      raw = 0;
    } else {
      if (!(n >= 0 && raw >= 0 && n <= 4294967295.0 && raw <= double(kMaxFrame))) { SetError("event columns: bad counts"); return; }
      // A missing column: the frame is damaged.
      for (scry::Bytes *c : {&in.ts, &in.tid, &in.ty, &in.cpu, &in.np, &in.esc, &in.ln, &in.keys, &in.data}) {
        if (!c->p) { SetError("event columns: a column is missing"); return; }
      }
    }
    in.n = uint64_t(n);
    in.raw = uint64_t(raw);
    in.windowed = windowed_;
    in.from = from_;
    in.to = to_;
    n_ = in.n;
    // one block: records, then offsets (i32), flags (u32), cpus (u16), header fields (i32 x7)
    offOff_ = align8(in.raw);
    flagsOff_ = offOff_ + align8(n_ * 4);
    cpuOff_ = flagsOff_ + align8(n_ * 4);
    hdrOff_ = cpuOff_ + align8(n_ * 2);
    total_ = hdrOff_ + n_ * 4 * scry::kHeaderFields + 8;
    uint8_t *block;
    if (recycle_ && recycleLen_ >= total_) {
      block = recycle_;
      storeLen_ = recycleLen_;
    } else {
      owned_ = static_cast<uint8_t *>(std::malloc(total_));
      if (!owned_) { SetError("out of memory"); return; }
      block = owned_;
      storeLen_ = total_;
    }
    scry::RebuildOutput out;
    out.buf.p = block;
    out.buf.len = in.raw;
    out.offs = reinterpret_cast<int32_t *>(block + offOff_);
    out.flags = reinterpret_cast<uint32_t *>(block + flagsOff_);
    out.cpus = reinterpret_cast<uint16_t *>(block + cpuOff_);
    out.hdr = reinterpret_cast<int32_t *>(block + hdrOff_);
    if (in.n == 0 && in.raw == 0) return;
    std::string err = scry::RebuildColumns(in, out);
    if (!err.empty()) SetError("event columns: " + err);
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::ArrayBuffer store;
    if (owned_) {
      store = Napi::ArrayBuffer::New(env, owned_, storeLen_, [](Napi::Env, void *data) { std::free(data); });
      owned_ = nullptr;
    } else {
      store = recycleRef_.Value().As<Napi::ArrayBuffer>();
    }
    Napi::Object r = Napi::Object::New(env);
    r.Set("n", Napi::Number::New(env, double(n_)));
    r.Set("store", store);
    r.Set("offOffset", Napi::Number::New(env, double(offOff_)));
    r.Set("flagsOffset", Napi::Number::New(env, double(flagsOff_)));
    r.Set("cpuOffset", Napi::Number::New(env, double(cpuOff_)));
    r.Set("hdrOffset", Napi::Number::New(env, double(hdrOff_)));
    if (frameOwned_) {
      r.Set("frame", Napi::ArrayBuffer::New(env, frameOwned_, frameLen_ ? frameLen_ : 1, [](Napi::Env, void *data) { std::free(data); }));
      frameOwned_ = nullptr;
      r.Set("sStart", Napi::Number::New(env, double(sStart_)));
      r.Set("sEnd", Napi::Number::New(env, double(sEnd_)));
      r.Set("pStart", Napi::Number::New(env, double(pStart_)));
      r.Set("pEnd", Napi::Number::New(env, double(pEnd_)));
    }
    deferred_.Resolve(r);
  }

  void OnError(const Napi::Error &e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference srcRef_;
  Napi::ObjectReference recycleRef_;
  const uint8_t *src_ = nullptr;
  size_t srcLen_ = 0;
  uint8_t *recycle_ = nullptr;
  size_t recycleLen_ = 0;
  uint8_t *owned_ = nullptr;
  size_t storeLen_ = 0;
  uint64_t n_ = 0;
  size_t offOff_ = 0, flagsOff_ = 0, cpuOff_ = 0, hdrOff_ = 0, total_ = 0;
  bool keepFrame_ = false;
  bool events_ = true;
  bool windowed_ = false;
  uint64_t from_ = 0, to_ = 0;
  uint8_t *frameOwned_ = nullptr;
  size_t frameLen_ = 0;
  int64_t sStart_ = -1, sEnd_ = -1, pStart_ = -1, pEnd_ = -1;
};

Napi::Value DecodeEventFrameJs(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, "decodeEventFrame(bytes, recycle?): bytes expected").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  bool keepFrame = false, events = true, windowed = false;
  uint64_t from = 0, to = ~uint64_t(0);
  if (info.Length() > 2 && info[2].IsObject()) {
    Napi::Object o = info[2].As<Napi::Object>();
    keepFrame = o.Get("keepFrame").ToBoolean();
    Napi::Value ev = o.Get("events");
    if (!ev.IsUndefined()) events = ev.ToBoolean();
    bool lossless = true;
    Napi::Value f = o.Get("from"), t = o.Get("to");
    if (f.IsBigInt()) { windowed = true; from = f.As<Napi::BigInt>().Uint64Value(&lossless); }
    if (t.IsBigInt()) { windowed = true; to = t.As<Napi::BigInt>().Uint64Value(&lossless); }
  }
  auto *w = new DecodeEventFrame(env, info[0].As<Napi::Uint8Array>(), info.Length() > 1 ? info[1] : env.Undefined(), keepFrame, events,
                                 windowed, from, to);
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

}  // namespace

namespace scry {

void InitDecode(Napi::Env env, Napi::Object exports) {
  exports.Set("decodeEventFrame", Napi::Function::New(env, DecodeEventFrameJs));
}

}  // namespace scry
