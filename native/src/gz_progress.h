// sysdig's -P progress values for gzip captures (see gz_progress.cc).
#pragma once

#include <napi.h>

namespace scry {

/** Adds gzipProgress to the addon's exports. */
void InitGzProgress(Napi::Env env, Napi::Object exports);

}  // namespace scry
