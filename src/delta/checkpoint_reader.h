// Reads the actions of a checkpoint: classic and multi-part Parquet checkpoints, and v2
// checkpoints (a JSON or Parquet manifest plus the sidecar files it lists).
//
// Parquet is read through the engine: each non-null action column of a row is turned into
// the JSON of that action and parsed by the same code as commit files, so a checkpoint and
// the commits it summarizes decode identically.
#pragma once

#include <vector>

#include "common/status.h"
#include "delta/action_json.h"
#include "delta/actions.h"
#include "delta/log_segment.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace sluice::delta {

// All actions of the segment's checkpoint (empty if it has none). Errors name the
// checkpoint file: Corruption for unreadable or malformed files, NotFound for a missing
// sidecar.
Result<std::vector<Action>> ReadCheckpointActions(io::FileSystem& fs,
                                                  engine::Connection& connection,
                                                  const LogSegment& segment);

// The actions stored in Parquet checkpoint or sidecar files (all files must share the
// checkpoint schema; missing action columns are treated as all-null).
Result<std::vector<Action>> ReadParquetActions(engine::Connection& connection,
                                               const std::vector<std::string>& paths);

}  // namespace sluice::delta
