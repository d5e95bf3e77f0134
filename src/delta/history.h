// A table's commit history and time travel by timestamp (delta-protocol.md section 13).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/action_json.h"
#include "delta/actions.h"
#include "io/file_system.h"

namespace sluice::delta {

struct HistoryEntry {
  int64_t version = 0;
  // The commit's timestamp: its in-commit timestamp when it has one, else the commit
  // file's modification time, made strictly increasing over versions as Spark does.
  int64_t timestamp_ms = 0;
  std::optional<CommitInfo> commit_info;
};

// Commits still present in the log, newest first; at most `limit` (all when absent).
Result<std::vector<HistoryEntry>> ReadHistory(io::FileSystem& fs, const std::string& table_root,
                                              std::optional<int64_t> limit = std::nullopt);

// The latest version whose commit timestamp is at or before `timestamp_ms`.
// InvalidArgument when the time is before the earliest commit still present or after the
// latest commit (naming both bounds).
Result<int64_t> VersionAtTimestamp(io::FileSystem& fs, const std::string& table_root,
                                   int64_t timestamp_ms);

}  // namespace sluice::delta
