// Checks a table's log against the rules of the Delta protocol that other readers rely on
// (delta-protocol.md sections 1-5 and 7): naming and contiguity of commits, one action per
// line, required actions and fields, paths, partition values, statistics, protocol
// feature lists, checkpoints (classic, multi-part, and v2: UUID-named ones are v2, a v2
// checkpoint needs the v2Checkpoint feature and holds exactly one checkpointMetadata for
// its version, its sidecars exist with their recorded size and hold only file actions)
// and `_last_checkpoint`. Tests run it on every table sluice writes, so that Spark and
// other Delta readers can open them.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace sluice::delta {

struct LogViolation {
  std::string file;  // the log file (or data file) at fault
  int line = 0;      // 1-based line in a commit file; 0 when not about a line
  std::string rule;  // short name of the rule, e.g. "add.partitionValues"
  std::string message;

  std::string ToString() const;
};

// Every violation found (empty = valid). Fails only when the log cannot be listed.
Result<std::vector<LogViolation>> ValidateLog(io::FileSystem& fs, engine::Connection& connection,
                                              const std::string& table_root);

}  // namespace sluice::delta
