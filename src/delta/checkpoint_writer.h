// Writing classic Parquet checkpoints (delta-protocol.md section 7) and `_last_checkpoint`.
//
// The checkpoint file appears under its final name only when complete: it is written under
// a temporary name in `_delta_log` and renamed into place, so a crash at any step leaves
// either no checkpoint or a whole one; `_last_checkpoint` is replaced atomically after it.
// Readers never need either (they fall back to the commits).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/actions.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace sluice::delta {

// Writes `_delta_log/<version>.checkpoint.parquet` holding `actions` (the reconciled state:
// protocol, metaData, txns, domains, live adds, unexpired removes) in the checkpoint schema
// Spark writes, then `_last_checkpoint`. Kill points: "delta.checkpoint.before_parquet",
// "delta.checkpoint.before_rename", "delta.checkpoint.before_last_checkpoint".
Status WriteCheckpoint(io::FileSystem& fs, engine::Connection& connection,
                       const std::string& table_root, int64_t version,
                       const std::vector<Action>& actions);

}  // namespace sluice::delta
