#include "delta/checkpoint_reader.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "common/strings.h"

namespace sluice::delta {
namespace {

// Action columns of the checkpoint schema, in the order replay expects nothing of.
constexpr const char* kActionColumns[] = {
    "protocol",       "metaData",           "txn",    "add", "remove",
    "domainMetadata", "checkpointMetadata", "sidecar"};

std::string ParquetList(const std::vector<std::string>& paths) {
  std::vector<std::string> quoted;
  quoted.reserve(paths.size());
  for (const std::string& path : paths) quoted.push_back(QuoteLiteral(path));
  return "[" + Join(quoted, ", ") + "]";
}

// Actions of classic Parquet checkpoints already read in this process. A checkpoint file
// is never changed once written (writing the same version again writes the same state),
// so, as Delta's own snapshot cache does with log segments, a checkpoint is known by each
// part's path, size and modification time. Small and bounded: the last few checkpoints,
// and none larger than a limit.
class CheckpointCache {
 public:
  using Actions = std::shared_ptr<const std::vector<Action>>;

  static CheckpointCache& Instance() {
    static CheckpointCache cache;
    return cache;
  }

  // "" when the parts lack the facts that identify them.
  static std::string KeyOf(const std::vector<LogFile>& parts) {
    std::string key;
    for (const LogFile& part : parts) {
      if (!EndsWith(part.path, ".parquet") || part.size <= 0 || part.modification_time_ms <= 0) {
        return "";
      }
      key += part.path + '\n' + std::to_string(part.size) + '\n' +
             std::to_string(part.modification_time_ms) + '\n';
    }
    return key;
  }

  Actions Find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    it->second.last_use = ++clock_;
    return it->second.actions;
  }

  void Put(const std::string& key, const std::vector<Action>& actions) {
    if (actions.size() > kMaxActions) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (entries_.size() >= kMaxEntries) {
      auto oldest = entries_.begin();
      for (auto it = entries_.begin(); it != entries_.end(); ++it) {
        if (it->second.last_use < oldest->second.last_use) oldest = it;
      }
      entries_.erase(oldest);
    }
    entries_[key] = Entry{std::make_shared<const std::vector<Action>>(actions), ++clock_};
  }

 private:
  static constexpr size_t kMaxEntries = 64;
  static constexpr size_t kMaxActions = 100000;
  struct Entry {
    Actions actions;
    uint64_t last_use = 0;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  uint64_t clock_ = 0;
};

}  // namespace

Result<std::vector<Action>> ReadParquetActions(engine::Connection& connection,
                                               const std::vector<std::string>& paths) {
  if (paths.empty()) return std::vector<Action>{};
  // Parts of a multi-part checkpoint or sidecars may differ in columns; one file needs no
  // schema unification (which costs a footer read per file at bind time).
  std::string source =
      "read_parquet(" + ParquetList(paths) + (paths.size() > 1 ? ", union_by_name = true)" : ")");
  std::string where = paths.size() == 1 ? paths.front() : paths.front() + " and others";

  Result<engine::QueryResult> columns = connection.Query("DESCRIBE SELECT * FROM " + source);
  if (!columns.ok()) {
    return Corruption(where, ": cannot read checkpoint: ", columns.status().message());
  }
  std::set<std::string> present;
  for (const auto& row : columns->rows()) present.insert(row[0].ToString());

  // One pass over the files: each row holds exactly one non-null action column.
  std::vector<std::string> cases;
  for (const char* column : kActionColumns) {
    if (!present.count(column)) continue;
    std::string quoted = QuoteIdentifier(column);
    cases.push_back("WHEN " + quoted + " IS NOT NULL THEN json_object(" + QuoteLiteral(column) +
                    ", " + quoted + ")::VARCHAR");
  }
  if (cases.empty()) {
    return Corruption(where, ": not a Delta checkpoint: it has none of the action columns");
  }
  Result<engine::QueryResult> rows =
      connection.Query("SELECT action FROM (SELECT CASE " + Join(cases, " ") +
                       " END AS action FROM " + source + ") WHERE action IS NOT NULL");
  if (!rows.ok()) {
    return Corruption(where, ": cannot read checkpoint: ", rows.status().message());
  }
  std::string lines;
  for (const auto& row : rows->rows()) {
    lines += row[0].ToString();
    lines += '\n';
  }
  return ParseActions(lines, where);
}

Result<std::vector<Action>> ReadCheckpointActions(io::FileSystem& fs,
                                                  engine::Connection& connection,
                                                  const LogSegment& segment) {
  if (segment.checkpoint.empty()) return std::vector<Action>{};
  const LogFile& first = segment.checkpoint.front();
  std::vector<Action> actions;
  if (first.kind == LogFileKind::kV2Checkpoint && EndsWith(first.path, ".json")) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(first.path));
    SLUICE_ASSIGN_OR_RETURN(actions, ParseActions(text, first.path));
  } else {
    const std::string key = CheckpointCache::KeyOf(segment.checkpoint);
    if (!key.empty()) {
      if (CheckpointCache::Actions cached = CheckpointCache::Instance().Find(key)) return *cached;
    }
    std::vector<std::string> paths;
    for (const LogFile& part : segment.checkpoint) paths.push_back(part.path);
    SLUICE_ASSIGN_OR_RETURN(actions, ReadParquetActions(connection, paths));
    const bool has_sidecars = std::any_of(actions.begin(), actions.end(), [](const Action& a) {
      return std::holds_alternative<Sidecar>(a);
    });
    if (!key.empty() && !has_sidecars) CheckpointCache::Instance().Put(key, actions);
  }

  // A v2 checkpoint (UUID-named, or classic-named on a v2Checkpoint table) may keep its
  // add and remove actions in sidecar files that it lists.
  std::vector<std::string> sidecars;
  for (const Action& action : actions) {
    if (const auto* sidecar = std::get_if<Sidecar>(&action)) {
      std::string path =
          sidecar->path.find('/') != std::string::npos
              ? sidecar->path
              : io::JoinPath(io::JoinPath(segment.log_dir, "_sidecars"), sidecar->path);
      if (!fs.Exists(path)) {
        return NotFound(first.path, ": sidecar file ", path, " is missing");
      }
      sidecars.push_back(path);
    }
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<Action> file_actions,
                          ReadParquetActions(connection, sidecars));
  actions.insert(actions.end(), std::make_move_iterator(file_actions.begin()),
                 std::make_move_iterator(file_actions.end()));
  return actions;
}

}  // namespace sluice::delta
