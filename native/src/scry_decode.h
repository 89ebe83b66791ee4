// Decoding .scry event frames on libuv's thread pool (see scry_decode.cc).
#pragma once

#include <napi.h>

namespace scry {

/** Adds decodeEventFrame to the addon's exports. */
void InitDecode(Napi::Env env, Napi::Object exports);

}  // namespace scry
