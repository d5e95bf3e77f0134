// Which files of `_delta_log` make up one version of a table (PROTOCOL.md "Log Replay";
// ../shared/reference/delta-protocol.md sections 1 and 6).
//
// A version is rebuilt from the newest complete checkpoint at or below it plus every
// commit after that checkpoint, with no gaps. `_last_checkpoint` is only a hint: the
// directory listing is the truth, so a missing, stale, empty or corrupt hint is harmless.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "io/file_system.h"

namespace sluice::delta {

enum class LogFileKind {
  kCommit,               // 00000000000000000007.json
  kClassicCheckpoint,    // 00000000000000000010.checkpoint.parquet
  kMultiPartCheckpoint,  // 00000000000000000010.checkpoint.0000000001.0000000002.parquet
  kV2Checkpoint,         // 00000000000000000010.checkpoint.<uuid>.json|parquet
  kCompaction,           // 00000000000000000001.00000000000000000004.compacted.json
  kChecksum,             // 00000000000000000007.crc
};

struct LogFile {
  std::string path;  // full path
  LogFileKind kind = LogFileKind::kCommit;
  int64_t version = 0;
  int part = 0;             // multi-part checkpoints: 1-based part number
  int num_parts = 0;        // multi-part checkpoints: number of parts
  int64_t end_version = 0;  // compactions: last version covered
  int64_t size = 0;
  int64_t modification_time_ms = 0;
};

// Parses a file name of `_delta_log`; nullopt for names that are not log files (temp
// files, Hadoop `.crc` files, `_last_checkpoint`, directories).
std::optional<LogFile> ParseLogFileName(const std::string& name);

struct LogSegment {
  std::string table_root;
  std::string log_dir;
  int64_t version = -1;                  // the version this segment rebuilds
  int64_t checkpoint_version = -1;       // -1 when there is no checkpoint to start from
  std::vector<LogFile> checkpoint;       // all parts of the chosen checkpoint (empty if none)
  std::vector<LogFile> commits;          // checkpoint_version+1 .. version, in order
  int64_t earliest_commit_version = -1;  // oldest commit file still present (-1 if none)
};

// The files that rebuild `version` (the latest when absent). Errors:
//  NotFound: no `_delta_log` ("not a Delta table"), no commits, or `version` newer than
//            the latest;
//  Corruption: a gap in the commit versions that a rebuild needs;
//  NotFound: `version` older than what the remaining commits and checkpoints allow.
Result<LogSegment> BuildLogSegment(io::FileSystem& fs, const std::string& table_root,
                                   std::optional<int64_t> version = std::nullopt);

// Every commit file present in `_delta_log`, ordered by version (for history and
// time travel by timestamp). NotFound if the table has no log.
Result<std::vector<LogFile>> ListCommits(io::FileSystem& fs, const std::string& table_root);

// Path helpers.
std::string LogDirectory(const std::string& table_root);
std::string CommitFilePath(const std::string& table_root, int64_t version);

}  // namespace sluice::delta
