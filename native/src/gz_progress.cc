// sysdig's -P progress on a gzip capture, computed ahead of a replay.
//
// sysdig reads captures through zlib's gzread and reports gzoffset(): the
// compressed bytes the decompressor has taken from the file. That depends on
// how gzread buffers: it reads the file 8 KiB at a time, inflates into a
// 16 KiB output buffer (or straight into the caller's buffer for a read of 16
// KiB or more that finds the output buffer empty), ends an output buffer at
// the end of each gzip member, and a backward seek starts the stream over and
// skips forward. scap seeks back once it meets the first event block (and
// again after any other block found among the events), then reads each event
// block as its 8-byte header and the rest. This file replays that sequence of
// reads against zlib's inflate and records gzoffset after each event block.

#include "gz_progress.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <vector>

namespace scry {
namespace {

constexpr unsigned kInSize = 8192;          // gzread's default buffer size
constexpr uint32_t kMaxBlock = 256u << 20;  // longer blocks are damage (as scry's reader says)
constexpr unsigned kOutSize = kInSize * 2;  // its output buffer

bool IsEventBlock(uint32_t t) {
  switch (t) {
    case 0x204: case 0x8010abcd: case 0x216: case 0x221:  // EV, EV_INT, EV_V2, EV_V2_LARGE
    case 0x208: case 0x217: case 0x222:                   // EVF, EVF_V2, EVF_V2_LARGE
      return true;
    default:
      return false;
  }
}

// The reading side of a gzip file as gzread sees it.
class GzReader {
 public:
  explicit GzReader(int fd) : fd_(fd) {
    std::memset(&strm_, 0, sizeof strm_);
    ok_ = inflateInit2(&strm_, 15 + 16) == Z_OK;
  }
  ~GzReader() { if (ok_) inflateEnd(&strm_); }

  bool ok() const { return ok_ && !failed_; }
  uint64_t pos() const { return pos_; }
  /** gzoffset(): file bytes read less those waiting in the input buffer. */
  uint64_t offset() const { return fileRead_ - strm_.avail_in; }

  /** Starts the stream over (a backward seek). */
  void Rewind() {
    lseek(fd_, 0, SEEK_SET);
    fileRead_ = 0;
    strm_.avail_in = 0;
    have_ = 0;
    eof_ = false;
    look_ = true;
    pos_ = 0;
  }

  /** Moves forward n bytes of the uncompressed stream through the output buffer. */
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
        // a large read with the output buffer empty inflates into the caller's buffer
        unsigned want = n > 0x7fffffff ? 0x7fffffff : static_cast<unsigned>(n);
        unsigned k = Inflate(dst, want);
        pos_ += k;
        dst += k; n -= k; got += k;
        if (k == 0) break;
      }
    }
    return got;
  }

 private:
  void Consume(unsigned k) { have_ -= k; next_ += k; pos_ += k; }

  /** Tops the input buffer up from the file (what is left moves to its start). */
  void Load() {
    if (eof_) return;
    if (strm_.avail_in > 0) std::memmove(in_, strm_.next_in, strm_.avail_in);
    unsigned filled = strm_.avail_in;
    while (filled < kInSize) {
      ssize_t r = read(fd_, in_ + filled, kInSize - filled);
      if (r < 0) { failed_ = true; break; }
      if (r == 0) { eof_ = true; break; }
      filled += static_cast<unsigned>(r);
      fileRead_ += static_cast<uint64_t>(r);
    }
    strm_.avail_in = filled;
    strm_.next_in = in_;
  }

  /** At the start of a member: a gzip header follows, or the data is over. */
  void Look() {
    if (strm_.avail_in < 2) {
      Load();
      if (strm_.avail_in == 0) return;
    }
    if (strm_.avail_in > 1 && strm_.next_in[0] == 31 && strm_.next_in[1] == 139) {
      inflateReset(&strm_);
      look_ = false;
      return;
    }
    // bytes after the last member are ignored
    strm_.avail_in = 0;
    eof_ = true;
    have_ = 0;
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

  /** Refills the output buffer. */
  void Fetch() {
    do {
      if (look_) {
        Look();
        if (look_) return;
      } else {
        have_ = Inflate(out_, kOutSize);
        next_ = 0;
      }
    } while (have_ == 0 && ok() && (!eof_ || strm_.avail_in > 0));
  }

  int fd_;
  z_stream strm_;
  bool ok_ = false, failed_ = false, eof_ = false, look_ = true;
  uint8_t in_[kInSize];
  uint8_t out_[kOutSize];
  unsigned have_ = 0, next_ = 0;
  uint64_t fileRead_ = 0, pos_ = 0;
  std::vector<uint8_t> scratch_;
};

/** Reads block headers from the reader's position until an event block; returns its offset, or -1. */
int64_t NextEventBlock(GzReader& r) {
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

// gzipProgress(path): Float64Array of pairs (uncompressed end of an event
// block, gzoffset after sysdig read it), one pair each time the offset
// changes; or a string saying why not.
Napi::Value GzipProgress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = info[0].As<Napi::String>().Utf8Value();
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Napi::String::New(env, std::string("cannot open: ") + std::strerror(errno));
  std::vector<double> out;
  {
    GzReader r(fd);
    int64_t at = NextEventBlock(r);
    uint8_t h[8];
    uint64_t last = UINT64_MAX;
    while (at >= 0 && r.ok()) {
      // scap seeks back over the header it read: the stream starts over
      r.Rewind();
      r.Skip(static_cast<uint64_t>(at));
      at = -1;
      while (r.ok()) {
        if (r.Read(h, 8) != 8) break;
        uint32_t type, len;
        std::memcpy(&type, h, 4);
        std::memcpy(&len, h + 4, 4);
        if (len < 12 || len > kMaxBlock) break;
        if (!IsEventBlock(type)) {
          // sysdig reopens the header section there: after its blocks, the
          // next event block is sought back to again
          r.Skip(len - 8);
          at = NextEventBlock(r);
          break;
        }
        if (r.Read(nullptr, len - 8) != len - 8) break;
        uint64_t off = r.offset();
        if (off != last) {
          out.push_back(static_cast<double>(r.pos()));
          out.push_back(static_cast<double>(off));
          last = off;
        }
      }
    }
  }
  close(fd);
  Napi::Float64Array a = Napi::Float64Array::New(env, out.size());
  if (!out.empty()) std::memcpy(a.Data(), out.data(), out.size() * sizeof(double));
  return a;
}

}  // namespace

void InitGzProgress(Napi::Env env, Napi::Object exports) {
  exports.Set("gzipProgress", Napi::Function::New(env, GzipProgress));
}

}  // namespace scry
