// Where sysdig's reader is in a capture file as it reads each event block
// (see read_positions.cc).
#pragma once

#include <napi.h>

namespace scry {

/** Adds the ReadPositions class to the addon's exports. */
void InitReadPositions(Napi::Env env, Napi::Object exports);

}  // namespace scry
