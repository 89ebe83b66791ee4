// Where sysdig's reader is in a capture file as it reads each event block:
// what its -P progress and a chisel's sysdig.get_read_progress() report.
//
// sysdig reads every capture through zlib's gzread and reports gzoffset().
// For a gzip file that is the compressed bytes inflate has taken from the
// file; for any other file gzread passes the bytes through ("copy" mode) and
// it is the file position. Either way it depends on how gzread buffers:
// - gzip: it reads the file 8 KiB at a time and inflates into a 16 KiB output
//   buffer, or straight into the caller's buffer for a read of 16 KiB or more
//   that finds the output buffer empty; an output buffer ends at the end of
//   each gzip member; a backward seek starts the stream over and skips on.
// - copy: it serves reads from a 16 KiB buffer refilled from the file, except
//   that a read of 16 KiB or more with the buffer empty goes straight from
//   the file; a seek goes straight to its target and empties the buffer.
// scap seeks back once it meets the first event block (and again to the
// next event block after any other block found among the events), then
// reads each event block as its 8-byte header and the rest. ReadPositions
// replays that sequence of reads, as far as it is asked, and records the
// offset after each event block.

#include "read_positions.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace scry {
namespace {

constexpr unsigned kInSize = 8192;          // gzread's default buffer size
constexpr uint32_t kMaxBlock = 256u << 20;  // longer blocks are damage (as scry's reader says)
constexpr unsigned kOutSize = kInSize * 2;  // its output buffer

// A file as gzread reads it: gzip members inflated, anything else copied.
class GzRead {
 public:
  explicit GzRead(int fd) : fd_(fd) {
    std::memset(&strm_, 0, sizeof strm_);
    ok_ = inflateInit2(&strm_, 15 + 16) == Z_OK;
  }
  ~GzRead() { if (ok_) inflateEnd(&strm_); }
  GzRead(const GzRead&) = delete;
  GzRead& operator=(const GzRead&) = delete;

  bool ok() const { return ok_ && !failed_; }
  /** Position in the uncompressed stream. */
  uint64_t pos() const { return pos_; }
  /** gzoffset(): file bytes read less those waiting in the input buffer. */
  uint64_t offset() const { return fileRead_ - strm_.avail_in; }

  /** Moves to stream position `at`, as a backward seek of gzseek does. */
  void SeekBack(uint64_t at) {
    have_ = 0;
    eof_ = false;
    strm_.avail_in = 0;
    if (copy_) {
      lseek(fd_, static_cast<off_t>(at), SEEK_SET);
      fileRead_ = pos_ = at;
      return;
    }
    lseek(fd_, 0, SEEK_SET);
    fileRead_ = 0;
    look_ = true;
    pos_ = 0;
    Skip(at);
  }

  /** Moves forward n bytes of the stream through the output buffer. */
  void Skip(uint64_t n) {
    while (n > 0 && ok()) {
      if (have_ > 0) {
        unsigned k = have_ < n ? have_ : static_cast<unsigned>(n);
        Consume(k);
        n -= k;
      } else if (eof_ && strm_.avail_in == 0) {
        return;
      } else {
        Fetch();
      }
    }
  }

  /** Reads n bytes into dst (nullptr: a scratch buffer); returns how many came. */
  uint64_t Read(uint8_t* dst, uint64_t n) {
    if (dst == nullptr) {
      if (scratch_.size() < n) scratch_.resize(n);
      dst = scratch_.data();
    }
    uint64_t got = 0;
    while (n > 0 && ok()) {
      if (have_ > 0) {
        unsigned k = have_ < n ? have_ : static_cast<unsigned>(n);
        std::memcpy(dst, out_ + next_, k);
        Consume(k);
        dst += k; n -= k; got += k;
      } else if (eof_ && strm_.avail_in == 0) {
        break;
      } else if (look_ || n < kOutSize) {
        Fetch();
      } else {
        // a large read with the output buffer empty fills the caller's buffer
        unsigned want = n > 0x7fffffff ? 0x7fffffff : static_cast<unsigned>(n);
        unsigned k = copy_ ? LoadInto(dst, want) : Inflate(dst, want);
        pos_ += k;
        dst += k; n -= k; got += k;
        if (k == 0) break;
      }
    }
    return got;
  }

 private:
  void Consume(unsigned k) { have_ -= k; next_ += k; pos_ += k; }

  /** Reads from the file into dst until n bytes or the end of the file (gz_load). */
  unsigned LoadInto(uint8_t* dst, unsigned n) {
    unsigned filled = 0;
    while (filled < n) {
      ssize_t r = read(fd_, dst + filled, n - filled);
      if (r < 0) { failed_ = true; break; }
      if (r == 0) { eof_ = true; break; }
      filled += static_cast<unsigned>(r);
      fileRead_ += static_cast<uint64_t>(r);
    }
    return filled;
  }

  /** Tops the input buffer up from the file (what is left moves to its start). */
  void Load() {
    if (eof_) return;
    if (strm_.avail_in > 0) std::memmove(in_, strm_.next_in, strm_.avail_in);
    strm_.avail_in += LoadInto(in_ + strm_.avail_in, kInSize - strm_.avail_in);
    strm_.next_in = in_;
  }

  /** At the start of a member: a gzip header follows, or the data is over (gz_look). */
  void Look() {
    if (strm_.avail_in < 2) {
      Load();
      if (strm_.avail_in == 0) return;
    }
    if (strm_.avail_in > 1 && strm_.next_in[0] == 31 && strm_.next_in[1] == 139) {
      inflateReset(&strm_);
      look_ = false;
      gzip_ = true;
      return;
    }
    if (gzip_) {
      // bytes after the last member are ignored
      strm_.avail_in = 0;
      eof_ = true;
      have_ = 0;
      return;
    }
    // not gzip: copy mode, starting with what the look read
    std::memcpy(out_, strm_.next_in, strm_.avail_in);
    have_ = strm_.avail_in;
    next_ = 0;
    strm_.avail_in = 0;
    copy_ = true;
    look_ = false;
  }

  /** Inflates into dst until it is full or the member ends; returns the bytes made. */
  unsigned Inflate(uint8_t* dst, unsigned n) {
    strm_.next_out = dst;
    strm_.avail_out = n;
    int ret = Z_OK;
    do {
      if (strm_.avail_in == 0) Load();
      if (strm_.avail_in == 0) break;  // the file ends inside the member
      ret = inflate(&strm_, Z_NO_FLUSH);
      if (ret == Z_STREAM_ERROR || ret == Z_NEED_DICT || ret == Z_DATA_ERROR || ret == Z_MEM_ERROR) {
        failed_ = true;
        break;
      }
    } while (strm_.avail_out > 0 && ret != Z_STREAM_END);
    if (ret == Z_STREAM_END) look_ = true;
    return n - strm_.avail_out;
  }

  /** Refills the output buffer (gz_fetch). */
  void Fetch() {
    do {
      if (look_) {
        Look();
        if (look_) return;
      } else if (copy_) {
        have_ = LoadInto(out_, kOutSize);
        next_ = 0;
        return;
      } else {
        have_ = Inflate(out_, kOutSize);
        next_ = 0;
      }
    } while (have_ == 0 && ok() && (!eof_ || strm_.avail_in > 0));
  }

  int fd_;
  z_stream strm_;
  bool ok_ = false, failed_ = false, eof_ = false, look_ = true;
  bool gzip_ = false, copy_ = false;  // what the first look found
  uint8_t in_[kInSize];
  uint8_t out_[kOutSize];
  unsigned have_ = 0, next_ = 0;
  uint64_t fileRead_ = 0, pos_ = 0;
  std::vector<uint8_t> scratch_;
};

// new ReadPositions(path, eventBlockTypes): at(blockEnd) gives the file
// offset sysdig's reader reports once it has read the event block ending at
// stream offset blockEnd (-1: unknown: the file cannot be read, the block is
// past damage, or before one asked already); at(headerEnd) for a block header
// with an impossible length gives the offset once sysdig has read that header
// (where it stops). The replay runs only as far as the blocks asked for.
class ReadPositions : public Napi::ObjectWrap<ReadPositions> {
 public:
  static void Init(Napi::Env env, Napi::Object exports) {
    exports.Set("ReadPositions", DefineClass(env, "ReadPositions", {
        InstanceMethod("at", &ReadPositions::At),
        InstanceMethod("rest", &ReadPositions::Rest),
        InstanceMethod("close", &ReadPositions::Close),
    }));
  }

  explicit ReadPositions(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ReadPositions>(info) {
    if (info.Length() < 2 || !info[0].IsString() || !info[1].IsTypedArray()) {
      Napi::TypeError::New(info.Env(), "ReadPositions(path, eventBlockTypes)").ThrowAsJavaScriptException();
      done_ = true;
      return;
    }
    Napi::Uint32Array types = info[1].As<Napi::Uint32Array>();
    eventTypes_.assign(types.Data(), types.Data() + types.ElementLength());
    std::string path = info[0].As<Napi::String>().Utf8Value();
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) { done_ = true; return; }
    reader_ = new GzRead(fd_);
    seekTo_ = NextEventBlock();
    if (seekTo_ < 0) Finish();
  }

  ~ReadPositions() override { Finish(); }

 private:
  bool IsEventBlock(uint32_t t) const {
    return std::find(eventTypes_.begin(), eventTypes_.end(), t) != eventTypes_.end();
  }

  /** Reads block headers from the reader's position up to an event block; returns its offset, or -1. */
  int64_t NextEventBlock() {
    GzRead& r = *reader_;
    uint8_t h[8];
    while (r.ok()) {
      uint64_t at = r.pos();
      if (r.Read(h, 8) != 8) return -1;
      uint32_t type, len;
      std::memcpy(&type, h, 4);
      std::memcpy(&len, h + 4, 4);
      if (IsEventBlock(type)) return static_cast<int64_t>(at);
      if (len < 12 || len > kMaxBlock) return -1;
      r.Skip(len - 8);
    }
    return -1;
  }

  /** Replays the reading of one more block; false once there is no more. */
  bool Step() {
    if (done_) return false;
    GzRead& r = *reader_;
    if (seekTo_ >= 0) {
      // scap seeks back over the header it read
      r.SeekBack(static_cast<uint64_t>(seekTo_));
      seekTo_ = -1;
    }
    uint8_t h[8];
    uint32_t type = 0, len = 0;
    uint64_t headerAt = r.pos();
    bool whole = r.Read(h, 8) == 8;
    if (whole) {
      std::memcpy(&type, h, 4);
      std::memcpy(&len, h + 4, 4);
      whole = len >= 12 && len <= kMaxBlock;
      // a header with an impossible length: sysdig stops there, having read it
      if (!whole) {
        blockEnd_ = headerAt + 8;
        uint64_t off = r.offset();
        if (pairs_.empty() || pairs_.back() != static_cast<double>(off)) {
          pairs_.push_back(static_cast<double>(blockEnd_));
          pairs_.push_back(static_cast<double>(off));
        }
      }
    }
    if (!whole) { Finish(); return false; }
    if (!IsEventBlock(type)) {
      // sysdig reopens the header section there: after its blocks, the next
      // event block is sought back to again
      r.Skip(len - 8);
      seekTo_ = NextEventBlock();
      if (seekTo_ < 0) Finish();
      return !done_;
    }
    if (r.Read(nullptr, len - 8) != len - 8) { Finish(); return false; }
    blockEnd_ = r.pos();
    uint64_t off = r.offset();
    if (pairs_.empty() || pairs_.back() != static_cast<double>(off)) {
      pairs_.push_back(static_cast<double>(blockEnd_));
      pairs_.push_back(static_cast<double>(off));
    }
    return true;
  }

  void Finish() {
    done_ = true;
    delete reader_;
    reader_ = nullptr;
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  Napi::Value At(const Napi::CallbackInfo& info) {
    double end = info[0].As<Napi::Number>().DoubleValue();
    while (!done_ && static_cast<double>(blockEnd_) < end) Step();
    // the last pair at or before end (pairs are in stream order)
    size_t n = pairs_.size() / 2, lo = 0, hi = n, found = n;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (pairs_[mid * 2] <= end) { found = mid; lo = mid + 1; } else hi = mid;
    }
    if (found == n) return Napi::Number::New(info.Env(), -1);
    double off = pairs_[found * 2 + 1];
    // events come in stream order: the pairs before this one are done with
    pairs_.erase(pairs_.begin(), pairs_.begin() + static_cast<std::ptrdiff_t>(found * 2));
    return Napi::Number::New(info.Env(), off);
  }

  // rest(): runs the replay to its end and returns the pairs (block end,
  // offset) not yet done with: the whole table when nothing was asked.
  Napi::Value Rest(const Napi::CallbackInfo& info) {
    while (Step()) {}
    Napi::Float64Array a = Napi::Float64Array::New(info.Env(), pairs_.size());
    if (!pairs_.empty()) std::memcpy(a.Data(), pairs_.data(), pairs_.size() * sizeof(double));
    return a;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Finish();
    return info.Env().Undefined();
  }

  int fd_ = -1;
  GzRead* reader_ = nullptr;
  std::vector<uint32_t> eventTypes_;
  int64_t seekTo_ = -1;
  uint64_t blockEnd_ = 0;
  bool done_ = false;
  std::vector<double> pairs_;
};

}  // namespace

void InitReadPositions(Napi::Env env, Napi::Object exports) {
  ReadPositions::Init(env, exports);
}

}  // namespace scry
