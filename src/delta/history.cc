#include "delta/history.h"

#include <algorithm>

#include "common/strings.h"
#include "delta/log_segment.h"

namespace sluice::delta {
namespace {

// The commitInfo of a commit file, parsing only its line (Spark writes it first or last).
Result<std::optional<CommitInfo>> ReadCommitInfo(io::FileSystem& fs, const LogFile& commit) {
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(commit.path));
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    if (line.find("\"commitInfo\"") != std::string_view::npos &&
        StartsWith(Trim(line), "{\"commitInfo\"")) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseActions(line, commit.path));
      for (Action& action : actions) {
        if (auto* info = std::get_if<CommitInfo>(&action)) return std::optional(std::move(*info));
      }
    }
    start = end + 1;
  }
  return std::optional<CommitInfo>();
}

// All commits with their timestamps, oldest first.
Result<std::vector<HistoryEntry>> ReadAll(io::FileSystem& fs, const std::string& table_root) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<LogFile> commits, ListCommits(fs, table_root));
  if (commits.empty()) return NotFound("not a Delta table: ", table_root, " has no commits");
  std::vector<HistoryEntry> entries;
  int64_t previous = INT64_MIN;
  for (const LogFile& commit : commits) {
    HistoryEntry entry;
    entry.version = commit.version;
    SLUICE_ASSIGN_OR_RETURN(entry.commit_info, ReadCommitInfo(fs, commit));
    std::optional<int64_t> ict =
        entry.commit_info ? entry.commit_info->in_commit_timestamp() : std::nullopt;
    entry.timestamp_ms = ict ? *ict : commit.modification_time_ms;
    if (previous != INT64_MIN && entry.timestamp_ms <= previous) {
      entry.timestamp_ms = previous + 1;
    }
    previous = entry.timestamp_ms;
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace

Result<std::vector<HistoryEntry>> ReadHistory(io::FileSystem& fs, const std::string& table_root,
                                              std::optional<int64_t> limit) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<HistoryEntry> entries, ReadAll(fs, table_root));
  std::reverse(entries.begin(), entries.end());
  if (limit && *limit >= 0 && static_cast<size_t>(*limit) < entries.size()) {
    entries.resize(*limit);
  }
  return entries;
}

Result<int64_t> VersionAtTimestamp(io::FileSystem& fs, const std::string& table_root,
                                   int64_t timestamp_ms) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<HistoryEntry> entries, ReadAll(fs, table_root));
  if (timestamp_ms < entries.front().timestamp_ms) {
    return InvalidArgument("timestamp ", timestamp_ms, " ms is before the earliest commit of ",
                           table_root, " (version ", entries.front().version, " at ",
                           entries.front().timestamp_ms, " ms)");
  }
  if (timestamp_ms > entries.back().timestamp_ms) {
    return InvalidArgument("timestamp ", timestamp_ms, " ms is after the latest commit of ",
                           table_root, " (version ", entries.back().version, " at ",
                           entries.back().timestamp_ms, " ms)");
  }
  auto it =
      std::upper_bound(entries.begin(), entries.end(), timestamp_ms,
                       [](int64_t t, const HistoryEntry& entry) { return t < entry.timestamp_ms; });
  return std::prev(it)->version;
}

}  // namespace sluice::delta
