#include "delta/log_validator.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

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

  // The actions of one checkpoint: a classic file, the parts of a multi-part one, or a
  // UUID-named v2 manifest (JSON or Parquet); sidecars are not followed here.
  Result<std::vector<Action>> ReadCheckpointFiles(const std::vector<LogFile>& parts) {
    const LogFile& first = parts.front();
    if (first.kind == LogFileKind::kV2Checkpoint && EndsWith(first.path, ".json")) {
      SLUICE_ASSIGN_OR_RETURN(std::string text, fs_.ReadFile(first.path));
      return ParseActions(text, first.path);
    }
    std::vector<std::string> paths;
    for (const LogFile& part : parts) paths.push_back(part.path);
    return ReadParquetActions(connection_, paths);
  }

  static bool HasV2CheckpointFeature(const Protocol& protocol) {
    for (const auto* features : {&protocol.reader_features, &protocol.writer_features}) {
      if (!features->has_value()) return false;
      const std::vector<std::string>& list = **features;
      if (std::find(list.begin(), list.end(), "v2Checkpoint") == list.end()) return false;
    }
    return true;
  }

  // A sidecar of a v2 checkpoint: a file of `_delta_log/_sidecars` that exists, has the size
  // the checkpoint records and holds only add and remove actions.
  void CheckSidecar(const Sidecar& sidecar, const std::string& checkpoint) {
    Result<std::string> name = DecodeAddPath(sidecar.path);
    std::string path = io::JoinPath(io::JoinPath(LogDirectory(root_), "_sidecars"),
                                    name.ok() ? *name : sidecar.path);
    if (sidecar.path.find('/') != std::string::npos) {
      path = sidecar.path;  // a full path (allowed, though a file name is recommended)
      if (StartsWith(path, "file:")) path = path.substr(5);
    }
    Result<io::FileInfo> info = fs_.Stat(path);
    if (!info.ok()) {
      return Add(checkpoint, 0, "checkpoint.v2.sidecar",
                 "sidecar file '" + sidecar.path + "' does not exist");
    }
    if (info->size != sidecar.size_in_bytes) {
      Add(checkpoint, 0, "checkpoint.v2.sidecar",
          "sidecar '" + sidecar.path + "' has " + std::to_string(info->size) +
              " bytes; the checkpoint says sizeInBytes " + std::to_string(sidecar.size_in_bytes));
    }
    Result<std::vector<Action>> actions = ReadParquetActions(connection_, {path});
    if (!actions.ok()) return Add(path, 0, "checkpoint.v2.sidecar", actions.status().message());
    for (const Action& action : *actions) {
      if (!std::holds_alternative<AddFile>(action) && !std::holds_alternative<RemoveFile>(action)) {
        return Add(path, 0, "checkpoint.v2.sidecar", "a sidecar holds only add and remove actions");
      }
    }
  }

  // One checkpoint (all parts of a multi-part one). A v2 checkpoint is one that is
  // UUID-named or holds a checkpointMetadata or sidecar action (a classic name may hold
  // either spec); it needs the v2Checkpoint feature and exactly one checkpointMetadata
  // action for its own version, and its sidecars must be there. Tables with that feature
  // write no multi-part checkpoints.
  void CheckCheckpoint(const std::vector<LogFile>& parts) {
    const LogFile& first = parts.front();
    const std::string& path = first.path;
    Result<std::vector<Action>> actions = ReadCheckpointFiles(parts);
    if (!actions.ok()) return Add(path, 0, "checkpoint.read", actions.status().message());
    int protocols = 0, metadatas = 0, checkpoint_metadatas = 0;
    std::optional<Protocol> protocol;
    std::vector<Sidecar> sidecars;
    for (const Action& action : *actions) {
      if (const auto* p = std::get_if<Protocol>(&action)) {
        ++protocols;
        protocol = *p;
      }
      metadatas += std::holds_alternative<Metadata>(action);
      if (const auto* marker = std::get_if<CheckpointMetadata>(&action)) {
        ++checkpoint_metadatas;
        if (marker->version != first.version) {
          Add(path, 0, "checkpoint.v2.checkpointMetadata",
              "checkpointMetadata.version is " + std::to_string(marker->version) +
                  " in the checkpoint of version " + std::to_string(first.version));
        }
      }
      if (const auto* sidecar = std::get_if<Sidecar>(&action)) sidecars.push_back(*sidecar);
      if (std::holds_alternative<CommitInfo>(action) ||
          std::holds_alternative<AddCdcFile>(action)) {
        Add(path, 0, "checkpoint.actions", "a checkpoint holds no commitInfo or cdc actions");
      }
    }
    if (protocols != 1 || metadatas != 1) {
      Add(path, 0, "checkpoint.state", "a checkpoint holds exactly one protocol and one metaData");
    }
    const bool uuid_named = first.kind == LogFileKind::kV2Checkpoint;
    const bool v2 = uuid_named || checkpoint_metadatas > 0 || !sidecars.empty();
    if (v2 && checkpoint_metadatas != 1) {
      Add(path, 0, "checkpoint.v2.checkpointMetadata",
          std::string(uuid_named ? "a UUID-named checkpoint is a v2 checkpoint: it"
                                 : "a v2 checkpoint (it lists sidecars)") +
              " must hold exactly one checkpointMetadata action; it holds " +
              std::to_string(checkpoint_metadatas));
    }
    if (v2 && protocol && !HasV2CheckpointFeature(*protocol)) {
      Add(path, 0, "checkpoint.v2.feature",
          "a v2 checkpoint needs the v2Checkpoint reader and writer feature");
    }
    if (first.kind == LogFileKind::kMultiPartCheckpoint && protocol &&
        HasV2CheckpointFeature(*protocol)) {
      Add(path, 0, "checkpoint.multiPart",
          "multi-part checkpoints are forbidden on tables with the v2Checkpoint feature");
    }
    for (const Sidecar& sidecar : sidecars) CheckSidecar(sidecar, path);
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
    // Each checkpoint's files: one, or every part of a multi-part one (by version and count).
    std::map<std::tuple<int64_t, int, std::string>, std::vector<LogFile>> checkpoints;
    for (const io::FileInfo& entry : entries) {
      std::optional<LogFile> file = ParseLogFileName(entry.name);
      if (!file) continue;
      if (file->kind == LogFileKind::kClassicCheckpoint ||
          file->kind == LogFileKind::kMultiPartCheckpoint ||
          file->kind == LogFileKind::kV2Checkpoint) {
        checkpoint_versions.insert(file->version);
      }
      if (file->kind == LogFileKind::kClassicCheckpoint ||
          file->kind == LogFileKind::kMultiPartCheckpoint ||
          file->kind == LogFileKind::kV2Checkpoint) {
        file->path = io::JoinPath(LogDirectory(root_), entry.name);
        // A multi-part checkpoint's parts share a key; any other checkpoint is its own.
        std::string key = file->kind == LogFileKind::kMultiPartCheckpoint ? "" : entry.name;
        checkpoints[{file->version, file->num_parts, key}].push_back(*file);
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
    for (auto& [key, parts] : checkpoints) {
      if (static_cast<int>(parts.size()) < std::max(1, std::get<1>(key))) {
        continue;  // an incomplete multi-part set, which readers ignore
      }
      std::sort(parts.begin(), parts.end(),
                [](const LogFile& a, const LogFile& b) { return a.part < b.part; });
      CheckCheckpoint(parts);
    }
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
