#include "delta/snapshot.h"

#include <algorithm>
#include <unordered_map>

#include "delta/checkpoint_reader.h"
#include "delta/paths.h"
#include "delta/stats.h"
#include "delta/table_properties.h"

namespace sluice::delta {
namespace {

// A logical file is identified by its canonical path and its deletion vector.
struct FileKey {
  std::string path;
  std::string dv_id;
  bool operator==(const FileKey&) const = default;
};

struct FileKeyHash {
  size_t operator()(const FileKey& key) const {
    return std::hash<std::string>()(key.path) * 31 + std::hash<std::string>()(key.dv_id);
  }
};

template <typename FileAction>
Result<FileKey> KeyOf(const std::string& table_root, const FileAction& action) {
  SLUICE_ASSIGN_OR_RETURN(std::string path, ResolveDataFilePath(table_root, action.path));
  return FileKey{std::move(path),
                 action.deletion_vector ? action.deletion_vector->UniqueId() : std::string()};
}

}  // namespace

// Replays actions in log order: checkpoint first, then each commit.
class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(const DeltaContext& context) : context_(context) {}

  Status Apply(std::vector<Action>& actions, const std::string& table_root) {
    for (Action& action : actions) {
      if (auto* add = std::get_if<AddFile>(&action)) {
        SLUICE_ASSIGN_OR_RETURN(FileKey key, KeyOf(table_root, *add));
        removed_.erase(key);
        live_[std::move(key)] = std::move(*add);
      } else if (auto* remove = std::get_if<RemoveFile>(&action)) {
        SLUICE_ASSIGN_OR_RETURN(FileKey key, KeyOf(table_root, *remove));
        live_.erase(key);
        removed_[std::move(key)] = std::move(*remove);
      } else if (auto* protocol = std::get_if<Protocol>(&action)) {
        protocol_ = std::move(*protocol);
      } else if (auto* metadata = std::get_if<Metadata>(&action)) {
        metadata_ = std::move(*metadata);
      } else if (auto* txn = std::get_if<SetTransaction>(&action)) {
        transactions_[txn->app_id] = std::move(*txn);
      } else if (auto* domain = std::get_if<DomainMetadata>(&action)) {
        domains_[domain->domain] = std::move(*domain);
      }
    }
    return Status::OK();
  }

  Result<SnapshotPtr> Finish(LogSegment segment, std::optional<CommitInfo> commit_info) {
    const std::string& root = segment.table_root;
    if (!protocol_) {
      return Corruption(root, ": version ", segment.version,
                        " has no protocol action in its log (checkpoint or commits)");
    }
    if (!metadata_) {
      return Corruption(root, ": version ", segment.version,
                        " has no metaData action in its log (checkpoint or commits)");
    }
    SLUICE_RETURN_IF_ERROR(CheckReadable(*protocol_, root));

    auto snapshot = std::make_shared<Snapshot>();
    snapshot->table_root_ = root;
    snapshot->version_ = segment.version;
    snapshot->protocol_ = std::move(*protocol_);
    snapshot->metadata_ = std::move(*metadata_);
    if (snapshot->metadata_.schema_string) {
      Result<Schema> schema = ParseSchema(*snapshot->metadata_.schema_string);
      if (!schema.ok()) {
        return Corruption(root, ": the table schema of version ", segment.version,
                          " is invalid: ", schema.status().message());
      }
      snapshot->schema_ = std::move(*schema);
    }
    Result<ColumnMappingMode> mode = GetColumnMappingMode(snapshot->protocol_, snapshot->metadata_);
    if (!mode.ok()) return mode.status().WithContext(root);
    snapshot->column_mapping_mode_ = *mode;

    const Configuration& configuration = snapshot->metadata_.configuration;
    int64_t now = context_.clock->NowMillis();
    int64_t tombstone_cutoff = now - DeletedFileRetentionMillis(configuration);
    int64_t txn_retention = TransactionRetentionMillis(configuration);

    snapshot->files_.reserve(live_.size());
    for (auto& [key, add] : live_) snapshot->files_.push_back(std::move(add));
    std::sort(snapshot->files_.begin(), snapshot->files_.end(),
              [](const AddFile& a, const AddFile& b) { return a.path < b.path; });
    for (auto& [key, remove] : removed_) {
      if (remove.deletion_timestamp.value_or(now) >= tombstone_cutoff) {
        snapshot->tombstones_.push_back(std::move(remove));
      }
    }
    std::sort(snapshot->tombstones_.begin(), snapshot->tombstones_.end(),
              [](const RemoveFile& a, const RemoveFile& b) { return a.path < b.path; });
    for (auto& [app_id, txn] : transactions_) {
      if (txn_retention >= 0 && txn.last_updated && *txn.last_updated < now - txn_retention) {
        continue;
      }
      snapshot->transactions_[app_id] = std::move(txn);
    }
    for (auto& [name, domain] : domains_) {
      if (!domain.removed) snapshot->domains_[name] = std::move(domain);
    }

    // The version's timestamp: its in-commit timestamp if the table records them,
    // otherwise the commit file's modification time.
    if (!segment.commits.empty()) {
      snapshot->timestamp_ms_ = segment.commits.back().modification_time_ms;
    } else if (!segment.checkpoint.empty()) {
      snapshot->timestamp_ms_ = segment.checkpoint.front().modification_time_ms;
    }
    if (commit_info && InCommitTimestampsEnabled(configuration) &&
        commit_info->in_commit_timestamp()) {
      snapshot->timestamp_ms_ = *commit_info->in_commit_timestamp();
    }
    snapshot->last_commit_info_ = std::move(commit_info);
    snapshot->segment_ = std::move(segment);
    return SnapshotPtr(std::move(snapshot));
  }

 private:
  const DeltaContext& context_;
  std::unordered_map<FileKey, AddFile, FileKeyHash> live_;
  std::unordered_map<FileKey, RemoveFile, FileKeyHash> removed_;
  std::optional<Protocol> protocol_;
  std::optional<Metadata> metadata_;
  std::map<std::string, SetTransaction> transactions_;
  std::map<std::string, DomainMetadata> domains_;
};

std::optional<int64_t> Snapshot::TransactionVersion(const std::string& app_id) const {
  auto it = transactions_.find(app_id);
  if (it == transactions_.end()) return std::nullopt;
  return it->second.version;
}

int64_t Snapshot::total_bytes() const {
  int64_t total = 0;
  for (const AddFile& file : files_) total += file.size;
  return total;
}

int64_t Snapshot::total_records() const {
  int64_t total = 0;
  for (const AddFile& file : files_) {
    std::optional<int64_t> records = NumRecords(file);
    if (!records) return -1;
    total += *records - (file.deletion_vector ? file.deletion_vector->cardinality : 0);
  }
  return total;
}

std::vector<Action> CheckpointActions(const Snapshot& snapshot) {
  std::vector<Action> actions;
  actions.reserve(snapshot.files().size() + snapshot.tombstones().size() + 2);
  actions.emplace_back(snapshot.protocol());
  actions.emplace_back(snapshot.metadata());
  for (const auto& [app_id, txn] : snapshot.transactions()) actions.emplace_back(txn);
  for (const auto& [name, domain] : snapshot.domains()) actions.emplace_back(domain);
  for (const AddFile& file : snapshot.files()) actions.emplace_back(file);
  for (const RemoveFile& tombstone : snapshot.tombstones()) {
    RemoveFile copy = tombstone;
    copy.stats.reset();
    copy.tags.reset();
    actions.emplace_back(std::move(copy));
  }
  return actions;
}

RemoveFile RemoveFor(const AddFile& file, int64_t timestamp_ms, bool data_change) {
  RemoveFile remove;
  remove.path = file.path;
  remove.deletion_timestamp = timestamp_ms;
  remove.data_change = data_change;
  remove.extended_file_metadata = true;
  remove.partition_values = file.partition_values;
  remove.size = file.size;
  remove.deletion_vector = file.deletion_vector;
  remove.base_row_id = file.base_row_id;
  remove.default_row_commit_version = file.default_row_commit_version;
  remove.stats = file.stats;
  return remove;
}

std::optional<int64_t> NumRecords(const AddFile& file) {
  if (!file.stats) return std::nullopt;
  Result<FileStats> stats = ParseStats(*file.stats);
  if (!stats.ok()) return std::nullopt;
  return stats->num_records;
}

Result<std::vector<Action>> ReadCommit(io::FileSystem& fs, const std::string& table_root,
                                       int64_t version) {
  std::string path = CommitFilePath(table_root, version);
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return ParseActions(text, path);
}

Result<SnapshotPtr> LoadSnapshot(const DeltaContext& context, const std::string& table_root,
                                 std::optional<int64_t> version) {
  SLUICE_ASSIGN_OR_RETURN(LogSegment segment, BuildLogSegment(*context.fs, table_root, version));
  SnapshotBuilder builder(context);
  {
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions,
                            ReadCheckpointActions(*context.fs, *context.connection, segment));
    SLUICE_RETURN_IF_ERROR(builder.Apply(actions, table_root));
  }
  std::optional<CommitInfo> last_commit_info;
  for (const LogFile& commit : segment.commits) {
    Result<std::string> text = context.fs->ReadFile(commit.path);
    if (!text.ok()) {
      return text.status().WithContext("reading commit " + std::to_string(commit.version) + " of " +
                                       table_root);
    }
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions, ParseActions(*text, commit.path));
    last_commit_info.reset();
    for (const Action& action : actions) {
      if (const auto* info = std::get_if<CommitInfo>(&action)) last_commit_info = *info;
    }
    SLUICE_RETURN_IF_ERROR(builder.Apply(actions, table_root));
  }
  return builder.Finish(std::move(segment), std::move(last_commit_info));
}

}  // namespace sluice::delta
