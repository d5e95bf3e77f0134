#include "delta/log_segment.h"

#include <algorithm>
#include <map>

#include "common/strings.h"

namespace sluice::delta {
namespace {

bool IsDigits(std::string_view text, size_t length) {
  if (text.size() != length) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Versions are written as 20 digits; accept any run of digits when reading.
std::optional<int64_t> ParseVersion(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return ParseInt64(text);
}

struct CheckpointCandidate {
  int64_t version = -1;
  std::vector<LogFile> files;
};

// The newest complete checkpoint at or below `max_version`. A multi-part checkpoint is
// complete when all of its parts are listed; a classic or v2 checkpoint is one file.
std::optional<CheckpointCandidate> NewestCompleteCheckpoint(const std::vector<LogFile>& files,
                                                            int64_t max_version) {
  // version -> (kind key -> files); kind key distinguishes classic, v2 (per file) and
  // multi-part sets of different sizes.
  std::map<int64_t, std::map<std::string, std::vector<LogFile>>, std::greater<>> by_version;
  for (const LogFile& file : files) {
    if (file.version > max_version) continue;
    switch (file.kind) {
      case LogFileKind::kClassicCheckpoint:
        by_version[file.version]["classic"].push_back(file);
        break;
      case LogFileKind::kV2Checkpoint:
        by_version[file.version]["v2:" + file.path].push_back(file);
        break;
      case LogFileKind::kMultiPartCheckpoint:
        by_version[file.version]["multi:" + std::to_string(file.num_parts)].push_back(file);
        break;
      default:
        break;
    }
  }
  for (auto& [version, sets] : by_version) {
    // Prefer a v2 or classic checkpoint, then any complete multi-part set.
    for (auto& [key, set] : sets) {
      if (StartsWith(key, "multi:")) continue;
      return CheckpointCandidate{version, {set.front()}};
    }
    for (auto& [key, set] : sets) {
      std::sort(set.begin(), set.end(),
                [](const LogFile& a, const LogFile& b) { return a.part < b.part; });
      int expected = set.front().num_parts;
      bool complete = static_cast<int>(set.size()) == expected;
      for (int i = 0; complete && i < expected; ++i) complete = set[i].part == i + 1;
      if (complete) return CheckpointCandidate{version, set};
    }
  }
  return std::nullopt;
}

Result<std::vector<LogFile>> ListLogFiles(io::FileSystem& fs, const std::string& table_root) {
  std::string log_dir = LogDirectory(table_root);
  Result<std::vector<io::FileInfo>> entries = fs.ListDirectory(log_dir);
  if (!entries.ok()) {
    if (entries.status().IsNotFound()) {
      return NotFound("not a Delta table: ", table_root, " has no _delta_log directory");
    }
    return entries.status();
  }
  std::vector<LogFile> files;
  for (const io::FileInfo& entry : *entries) {
    if (entry.is_directory) continue;
    std::optional<LogFile> file = ParseLogFileName(entry.name);
    if (!file) continue;
    file->path = io::JoinPath(log_dir, entry.name);
    file->size = entry.size;
    file->modification_time_ms = entry.modification_time_ms;
    files.push_back(std::move(*file));
  }
  std::sort(files.begin(), files.end(), [](const LogFile& a, const LogFile& b) {
    return a.version != b.version ? a.version < b.version : a.path < b.path;
  });
  return files;
}

}  // namespace

std::string LogDirectory(const std::string& table_root) {
  return io::JoinPath(table_root, "_delta_log");
}

std::string CommitFilePath(const std::string& table_root, int64_t version) {
  return io::JoinPath(LogDirectory(table_root), PadNumber(version, 20) + ".json");
}

std::optional<LogFile> ParseLogFileName(const std::string& name) {
  std::vector<std::string> parts = Split(name, '.');
  if (parts.size() < 2) return std::nullopt;
  std::optional<int64_t> version = ParseVersion(parts[0]);
  if (!version) return std::nullopt;
  LogFile file;
  file.version = *version;
  if (parts.size() == 2 && parts[1] == "json") {
    file.kind = LogFileKind::kCommit;
  } else if (parts.size() == 2 && parts[1] == "crc") {
    file.kind = LogFileKind::kChecksum;
  } else if (parts.size() == 3 && parts[1] == "checkpoint" && parts[2] == "parquet") {
    file.kind = LogFileKind::kClassicCheckpoint;
  } else if (parts.size() == 5 && parts[1] == "checkpoint" && IsDigits(parts[2], 10) &&
             IsDigits(parts[3], 10) && parts[4] == "parquet") {
    file.kind = LogFileKind::kMultiPartCheckpoint;
    file.part = static_cast<int>(*ParseInt64(parts[2]));
    file.num_parts = static_cast<int>(*ParseInt64(parts[3]));
    if (file.part < 1 || file.num_parts < 1 || file.part > file.num_parts) return std::nullopt;
  } else if (parts.size() == 4 && parts[1] == "checkpoint" &&
             (parts[3] == "json" || parts[3] == "parquet") && parts[2].size() >= 32) {
    file.kind = LogFileKind::kV2Checkpoint;
  } else if (parts.size() == 4 && parts[2] == "compacted" && parts[3] == "json") {
    std::optional<int64_t> end = ParseVersion(parts[1]);
    if (!end || *end < *version) return std::nullopt;
    file.kind = LogFileKind::kCompaction;
    file.end_version = *end;
  } else {
    return std::nullopt;
  }
  return file;
}

Result<std::vector<LogFile>> ListCommits(io::FileSystem& fs, const std::string& table_root) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<LogFile> files, ListLogFiles(fs, table_root));
  std::vector<LogFile> commits;
  for (LogFile& file : files) {
    if (file.kind == LogFileKind::kCommit) commits.push_back(std::move(file));
  }
  return commits;
}

Result<LogSegment> BuildLogSegment(io::FileSystem& fs, const std::string& table_root,
                                   std::optional<int64_t> version) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<LogFile> files, ListLogFiles(fs, table_root));
  LogSegment segment;
  segment.table_root = table_root;
  segment.log_dir = LogDirectory(table_root);

  std::map<int64_t, const LogFile*> commits;
  int64_t latest = -1;
  for (const LogFile& file : files) {
    if (file.kind == LogFileKind::kCommit) {
      commits[file.version] = &file;
      latest = std::max(latest, file.version);
    } else if (file.kind == LogFileKind::kClassicCheckpoint ||
               file.kind == LogFileKind::kMultiPartCheckpoint ||
               file.kind == LogFileKind::kV2Checkpoint) {
      latest = std::max(latest, file.version);
    }
  }
  if (latest < 0) {
    return NotFound("not a Delta table: ", segment.log_dir, " holds no commits");
  }
  if (!commits.empty()) segment.earliest_commit_version = commits.begin()->first;
  int64_t target = version.value_or(latest);
  if (target < 0) return InvalidArgument("version must not be negative, got ", target);
  if (target > latest) {
    return NotFound("version ", target, " of ", table_root, " does not exist: the latest is ",
                    latest);
  }
  segment.version = target;

  std::optional<CheckpointCandidate> checkpoint = NewestCompleteCheckpoint(files, target);
  int64_t first_needed = 0;
  if (checkpoint) {
    segment.checkpoint_version = checkpoint->version;
    segment.checkpoint = std::move(checkpoint->files);
    first_needed = checkpoint->version + 1;
  }
  for (int64_t v = first_needed; v <= target; ++v) {
    auto it = commits.find(v);
    if (it != commits.end()) {
      segment.commits.push_back(*it->second);
      continue;
    }
    if (commits.empty() || v < commits.begin()->first) {
      return NotFound("version ", target, " of ", table_root, " cannot be rebuilt: commit ", v,
                      " was cleaned up and no checkpoint covers it (earliest commit: ",
                      commits.empty() ? -1 : commits.begin()->first, ")");
    }
    return Corruption(segment.log_dir, ": commit versions are not contiguous: ", PadNumber(v, 20),
                      ".json is missing");
  }
  return segment;
}

}  // namespace sluice::delta
