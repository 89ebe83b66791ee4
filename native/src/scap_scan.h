// Scanning .scap event blocks (see scap_scan.cc).
#pragma once

#include <napi.h>

namespace scry {

/** Adds scanEventBlocks to the addon's exports. */
void InitScan(Napi::Env env, Napi::Object exports);

}  // namespace scry
