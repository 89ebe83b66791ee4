// Rebuilding scap event records from .scry event columns (see scry_codec.cc).
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace scry {

/** A byte range; p is null for an absent (nil) column. */
struct Bytes {
  uint8_t *p = nullptr;
  size_t len = 0;
};

struct RebuildInput {
  uint64_t n = 0;    // events
  uint64_t raw = 0;  // bytes of the rebuilt records
  Bytes ts, tid, ty, cpu, np, esc, ln, keys, data, fl, xl, d8;
  // When windowed, events with timestamps outside [from, to] are not kept:
  // their offset is -1 and the next record is written over them.
  bool windowed = false;
  uint64_t from = 0, to = 0;
};

struct RebuildOutput {
  Bytes buf;
  int32_t *offs = nullptr;
  uint16_t *cpus = nullptr;
  uint32_t *flags = nullptr;
  // Optional: per event, the header fields as int32s (kHeaderFields of them:
  // ts lo, ts hi, tid lo, tid hi, len, type, nparams), so readers need not
  // decode them again from the record.
  int32_t *hdr = nullptr;
};

constexpr size_t kHeaderFields = 7;

/** Rebuilds the records; returns "" or what is inconsistent. Un-deltas data's d8 streams in place. */
std::string RebuildColumns(const RebuildInput &in, RebuildOutput &out);

/** Adds rebuildColumns to the addon's exports. */
void InitCodec(Napi::Env env, Napi::Object exports);

}  // namespace scry
