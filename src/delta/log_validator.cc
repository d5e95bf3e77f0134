#include "delta/log_validator.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"
#include "delta/action_json.h"
#include "delta/checkpoint_reader.h"
#include "delta/log_segment.h"
#include "delta/partition_values.h"
#include "delta/paths.h"
#include "delta/protocol.h"
#include "delta/schema.h"
#include "delta/stats.h"
#include "delta/table_properties.h"

namespace sluice::delta {
namespace {

const std::set<std::string> kActionKeys = {
    "add",        "remove", "metaData",       "protocol",           "txn",
    "commitInfo", "cdc",    "domainMetadata", "checkpointMetadata", "sidecar"};

// Table state needed to check later actions.
struct State {
  std::optional<Metadata> metadata;
  std::optional<Protocol> protocol;
  std::optional<Schema> schema;
  ColumnMappingMode mode = ColumnMappingMode::kNone;
  std::set<std::string> added_paths;
  bool history_complete = true;  // false when the first commits were cleaned up
  std::optional<int64_t> last_in_commit_timestamp;
};

class Validator {
 public:
  Validator(io::FileSystem& fs, engine::Connection& connection, std::string root)
      : fs_(fs), connection_(connection), root_(std::move(root)) {}

  std::vector<LogViolation> violations;

  void Add(const std::string& file, int line, const std::string& rule, const std::string& message) {
    violations.push_back({file, line, rule, message});
  }

  void UpdateMode() {
    if (!state_.protocol || !state_.metadata) return;
    Result<ColumnMappingMode> mode = GetColumnMappingMode(*state_.protocol, *state_.metadata);
    state_.mode = mode.ok() ? *mode : ColumnMappingMode::kNone;
  }

  void CheckProtocol(const Protocol& protocol, const std::string& file, int line) {
    bool reader3 = protocol.min_reader_version == 3;
    bool writer7 = protocol.min_writer_version == 7;
    if (reader3 != protocol.reader_features.has_value()) {
      Add(file, line, "protocol.readerFeatures",
          "readerFeatures must be present exactly when minReaderVersion is 3");
    }
    if (writer7 != protocol.writer_features.has_value()) {
      Add(file, line, "protocol.writerFeatures",
          "writerFeatures must be present exactly when minWriterVersion is 7");
    }
    if (reader3 && !writer7) {
      Add(file, line, "protocol.versions", "minReaderVersion 3 requires minWriterVersion 7");
    }
    if (protocol.min_reader_version < 1 || protocol.min_reader_version > 3 ||
        protocol.min_writer_version < 1 || protocol.min_writer_version > 7) {
      Add(file, line, "protocol.versions", "versions out of range");
    }
  }

  void CheckMetadata(const Metadata& metadata, const std::string& file, int line) {
    if (metadata.id.empty()) Add(file, line, "metaData.id", "id is empty");
    if (metadata.format.provider != "parquet") {
      Add(file, line, "metaData.format", "format.provider must be parquet");
    }
    if (!metadata.schema_string) return;  // a placeholder (seen in DLT logs)
    Result<Schema> schema = ParseSchema(*metadata.schema_string);
    if (!schema.ok()) {
      Add(file, line, "metaData.schemaString", schema.status().message());
      return;
    }
    for (const std::string& column : metadata.partition_columns) {
      const StructField* field = schema->Find(column);
      if (field == nullptr) {
        Add(file, line, "metaData.partitionColumns",
            "partition column '" + column + "' is not in the schema");
      } else if (field->type->is_nested()) {
        Add(file, line, "metaData.partitionColumns",
            "partition column '" + column + "' must have a primitive type");
      }
    }
  }

  void CheckAdd(const AddFile& add, const std::string& file, int line) {
    if (add.path.empty()) return Add(file, line, "add.path", "path is empty");
    bool absolute = add.path.find(':') != std::string::npos || StartsWith(add.path, "/");
    if (!absolute) {
      Result<std::string> decoded = DecodeAddPath(add.path);
      if (!decoded.ok() || EncodeAddPath(*decoded) != add.path) {
        Add(file, line, "add.path", "path '" + add.path + "' is not URI-encoded");
      }
    }
    live_[add.path] = {file, line};
    if (add.size < 0) Add(file, line, "add.size", "size is negative");
    if (add.modification_time <= 0) {
      Add(file, line, "add.modificationTime", "modificationTime must be positive");
    }
    if (state_.schema && state_.metadata) {
      std::set<std::string> expected;
      for (const std::string& column : state_.metadata->partition_columns) {
        const StructField* field = state_.schema->Find(column);
        if (field == nullptr) continue;
        std::string physical = PhysicalName(*field, state_.mode);
        expected.insert(physical);
        auto it = add.partition_values.find(physical);
        if (it == add.partition_values.end()) continue;
        Result<std::string> literal = PartitionValueToSql(it->second, *field->type, column);
        if (!literal.ok()) {
          Add(file, line, "add.partitionValues", literal.status().message());
        }
      }
      std::set<std::string> actual;
      for (const auto& [key, value] : add.partition_values) actual.insert(key);
      if (actual != expected) {
        Add(file, line, "add.partitionValues",
            "keys {" + Join({actual.begin(), actual.end()}, ", ") +
                "} differ from the partition columns {" +
                Join({expected.begin(), expected.end()}, ", ") + "}");
      }
    }
    if (add.stats) CheckStats(*add.stats, file, line);
    state_.added_paths.insert(add.path);
  }

  void CheckStats(const std::string& text, const std::string& file, int line) {
    Result<FileStats> stats = ParseStats(text);
    if (!stats.ok()) return Add(file, line, "add.stats", stats.status().message());
    if (stats->num_records && *stats->num_records < 0) {
      Add(file, line, "add.stats", "numRecords is negative");
    }
    std::set<std::string> partition_physical;
    if (state_.schema && state_.metadata) {
      for (const std::string& column : state_.metadata->partition_columns) {
        if (const StructField* field = state_.schema->Find(column)) {
          partition_physical.insert(PhysicalName(*field, state_.mode));
        }
      }
    }
    for (const auto& [path, count] : stats->null_count.entries()) {
      if (stats->num_records && count > *stats->num_records) {
        Add(file, line, "add.stats",
            "nullCount of " + ColumnPathToString(path) + " exceeds numRecords");
      }
      if (path.size() == 1 && partition_physical.count(path.front())) {
        Add(file, line, "add.stats", "statistics for partition column " + path.front());
      }
    }
  }

  void CheckCommit(const LogFile& commit, bool first_present) {
    Result<std::string> text = fs_.ReadFile(commit.path);
    if (!text.ok()) return Add(commit.path, 0, "commit.read", text.status().message());
    bool ict = state_.metadata && InCommitTimestampsEnabled(state_.metadata->configuration);
    int metadata_count = 0, protocol_count = 0;
    std::set<std::string> txn_ids, add_keys, remove_keys;
    bool saw_protocol = false, saw_metadata = false;
    int line_number = 0;
    size_t start = 0;
    while (start < text->size()) {
      size_t end = text->find('\n', start);
      if (end == std::string::npos) end = text->size();
      std::string_view line(text->data() + start, end - start);
      start = end + 1;
      ++line_number;
      if (Trim(line).empty()) continue;
      nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
      if (!object.is_object() || object.size() != 1 || !kActionKeys.count(object.begin().key())) {
        Add(commit.path, line_number, "line", "a line must be one object with one action key");
        continue;
      }
      Result<std::vector<Action>> parsed = ParseActions(line, commit.path);
      if (!parsed.ok() || parsed->size() != 1) {
        Add(commit.path, line_number, "action",
            parsed.ok() ? "not one action" : parsed.status().message());
        continue;
      }
      Action& action = parsed->front();
      if (auto* protocol = std::get_if<Protocol>(&action)) {
        ++protocol_count;
        saw_protocol = true;
        CheckProtocol(*protocol, commit.path, line_number);
        state_.protocol = *protocol;
        UpdateMode();
      } else if (auto* metadata = std::get_if<Metadata>(&action)) {
        ++metadata_count;
        saw_metadata = true;
        CheckMetadata(*metadata, commit.path, line_number);
        state_.metadata = *metadata;
        state_.schema.reset();
        if (metadata->schema_string) {
          Result<Schema> schema = ParseSchema(*metadata->schema_string);
          if (schema.ok()) state_.schema = std::move(*schema);
        }
        UpdateMode();
      } else if (auto* add = std::get_if<AddFile>(&action)) {
        std::string key =
            add->path + "#" + (add->deletion_vector ? add->deletion_vector->UniqueId() : "");
        if (!add_keys.insert(key).second) {
          Add(commit.path, line_number, "add.unique", "the commit adds " + add->path + " twice");
        }
        CheckAdd(*add, commit.path, line_number);
      } else if (auto* remove = std::get_if<RemoveFile>(&action)) {
        std::string key = remove->path + "#" +
                          (remove->deletion_vector ? remove->deletion_vector->UniqueId() : "");
        if (!remove_keys.insert(key).second) {
          Add(commit.path, line_number, "remove.unique",
              "the commit removes " + remove->path + " twice");
        }
        live_.erase(remove->path);
        if (!remove->deletion_timestamp) {
          Add(commit.path, line_number, "remove.deletionTimestamp", "deletionTimestamp missing");
        }
        if (state_.history_complete && !state_.added_paths.count(remove->path)) {
          Add(commit.path, line_number, "remove.path",
              "removes " + remove->path + ", which no earlier version added");
        }
      } else if (auto* txn = std::get_if<SetTransaction>(&action)) {
        if (!txn_ids.insert(txn->app_id).second) {
          Add(commit.path, line_number, "txn.unique", "two txn actions for " + txn->app_id);
        }
      } else if (auto* info = std::get_if<CommitInfo>(&action)) {
        std::optional<int64_t> timestamp = info->in_commit_timestamp();
        if (ict) {
          if (line_number != 1) {
            Add(commit.path, line_number, "commitInfo.first",
                "with in-commit timestamps commitInfo must be the first action");
          }
          if (!timestamp) {
            Add(commit.path, line_number, "commitInfo.inCommitTimestamp", "missing");
          } else if (state_.last_in_commit_timestamp &&
                     *timestamp <= *state_.last_in_commit_timestamp) {
            Add(commit.path, line_number, "commitInfo.inCommitTimestamp",
                "in-commit timestamps must increase");
          }
        }
        if (timestamp) state_.last_in_commit_timestamp = timestamp;
      } else if (std::holds_alternative<Sidecar>(action) ||
                 std::holds_alternative<CheckpointMetadata>(action)) {
        Add(commit.path, line_number, "commit.checkpointOnly",
            "sidecar and checkpointMetadata belong in checkpoints only");
      }
    }
    if (metadata_count > 1) Add(commit.path, 0, "metaData.unique", "more than one metaData");
    if (protocol_count > 1) Add(commit.path, 0, "protocol.unique", "more than one protocol");
    if (commit.version == 0 && first_present && (!saw_protocol || !saw_metadata)) {
      Add(commit.path, 0, "version0", "version 0 must contain protocol and metaData");
    }
  }

  void CheckCheckpoint(const std::string& path) {
    Result<std::vector<Action>> actions = ReadParquetActions(connection_, {path});
    if (!actions.ok()) return Add(path, 0, "checkpoint.read", actions.status().message());
    int protocols = 0, metadatas = 0;
    bool v2 = false;
    for (const Action& action : *actions) {
      protocols += std::holds_alternative<Protocol>(action);
      metadatas += std::holds_alternative<Metadata>(action);
      v2 |= std::holds_alternative<Sidecar>(action) ||
            std::holds_alternative<CheckpointMetadata>(action);
      if (std::holds_alternative<CommitInfo>(action) ||
          std::holds_alternative<AddCdcFile>(action)) {
        Add(path, 0, "checkpoint.actions", "a checkpoint holds no commitInfo or cdc actions");
      }
    }
    if (protocols != 1 || metadatas != 1) {
      Add(path, 0, "checkpoint.state", "a checkpoint holds exactly one protocol and one metaData");
    }
    (void)v2;
  }

  void CheckLastCheckpoint(const std::set<int64_t>& checkpoint_versions) {
    std::string path = io::JoinPath(LogDirectory(root_), "_last_checkpoint");
    Result<std::string> text = fs_.ReadFile(path);
    if (!text.ok()) return;  // optional
    nlohmann::json hint = nlohmann::json::parse(*text, nullptr, false);
    if (!hint.is_object() || !hint.contains("version") || !hint["version"].is_number_integer() ||
        !hint.contains("size")) {
      return Add(path, 0, "_last_checkpoint", "must be an object with version and size");
    }
    if (!checkpoint_versions.count(hint["version"].get<int64_t>())) {
      Add(path, 0, "_last_checkpoint", "names a checkpoint that does not exist");
    }
  }

  Status Run() {
    SLUICE_ASSIGN_OR_RETURN(std::vector<LogFile> commits, ListCommits(fs_, root_));
    SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries,
                            fs_.ListDirectory(LogDirectory(root_)));
    std::set<int64_t> checkpoint_versions;
    std::vector<std::string> classic_checkpoints;
    for (const io::FileInfo& entry : entries) {
      std::optional<LogFile> file = ParseLogFileName(entry.name);
      if (!file) continue;
      if (file->kind == LogFileKind::kClassicCheckpoint ||
          file->kind == LogFileKind::kMultiPartCheckpoint ||
          file->kind == LogFileKind::kV2Checkpoint) {
        checkpoint_versions.insert(file->version);
      }
      if (file->kind == LogFileKind::kClassicCheckpoint) {
        classic_checkpoints.push_back(io::JoinPath(LogDirectory(root_), entry.name));
      }
      if (file->kind == LogFileKind::kCommit && entry.name.size() != 25) {
        Add(entry.name, 0, "commit.name", "commit file names have 20 digits");
      }
    }
    if (commits.empty()) return Status::OK();
    state_.history_complete = commits.front().version == 0;
    if (!state_.history_complete) {
      // Start from the state of the checkpoint the remaining commits build on.
      Result<LogSegment> segment = BuildLogSegment(fs_, root_, commits.front().version - 1);
      if (segment.ok()) {
        Result<std::vector<Action>> actions = ReadCheckpointActions(fs_, connection_, *segment);
        if (actions.ok()) {
          for (Action& action : *actions) {
            if (auto* metadata = std::get_if<Metadata>(&action)) state_.metadata = *metadata;
            if (auto* protocol = std::get_if<Protocol>(&action)) state_.protocol = *protocol;
            if (auto* add = std::get_if<AddFile>(&action)) {
              state_.added_paths.insert(add->path);
              live_[add->path] = {segment->checkpoint.front().path, 0};
            }
          }
          UpdateMode();
          if (state_.metadata && state_.metadata->schema_string) {
            Result<Schema> schema = ParseSchema(*state_.metadata->schema_string);
            if (schema.ok()) state_.schema = std::move(*schema);
          }
        }
      }
    }
    for (size_t i = 0; i < commits.size(); ++i) {
      if (i > 0 && commits[i].version != commits[i - 1].version + 1) {
        Add(commits[i].path, 0, "commit.contiguous",
            "commit " + std::to_string(commits[i - 1].version + 1) + " is missing");
      }
      CheckCommit(commits[i], i == 0);
    }
    // Files of the latest version must exist (older ones may have been vacuumed).
    for (const auto& [path, where] : live_) {
      Result<std::string> local = ResolveDataFilePath(root_, path);
      if (!local.ok() || !fs_.Exists(*local)) {
        Add(where.first, where.second, "add.file", "data file '" + path + "' does not exist");
      }
    }
    for (const std::string& path : classic_checkpoints) CheckCheckpoint(path);
    CheckLastCheckpoint(checkpoint_versions);
    return Status::OK();
  }

 private:
  io::FileSystem& fs_;
  engine::Connection& connection_;
  std::string root_;
  State state_;
  std::map<std::string, std::pair<std::string, int>> live_;  // add path -> (file, line)
};

}  // namespace

std::string LogViolation::ToString() const {
  std::string out = file;
  if (line > 0) out += " line " + std::to_string(line);
  return out + ": " + rule + ": " + message;
}

Result<std::vector<LogViolation>> ValidateLog(io::FileSystem& fs, engine::Connection& connection,
                                              const std::string& table_root) {
  Validator validator(fs, connection, table_root);
  SLUICE_RETURN_IF_ERROR(validator.Run());
  return std::move(validator.violations);
}

}  // namespace sluice::delta
