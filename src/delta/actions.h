// The actions of a Delta log (PROTOCOL.md "Actions"; ../shared/reference/delta-protocol.md,
// section 2) as plain structs. One commit file or checkpoint is a sequence of Actions.
//
// Field names follow the JSON keys in snake_case. Optional JSON fields are std::optional
// (or an empty container where absent and empty mean the same thing), so that a parsed action
// re-serializes to the same set of keys. The JSON codec lives in action_json.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::delta {

// Partition column (physical name under column mapping) -> value as text; nullopt = null.
using PartitionValues = std::map<std::string, std::optional<std::string>>;
using StringMap = std::map<std::string, std::string>;

// "protocol": the reader and writer versions and, at 3 / 7, the explicit feature lists.
struct Protocol {
  int32_t min_reader_version = 1;
  int32_t min_writer_version = 2;
  // Present iff the reader version is 3 / the writer version is 7 (kept as written).
  std::optional<std::vector<std::string>> reader_features;
  std::optional<std::vector<std::string>> writer_features;

  bool operator==(const Protocol&) const = default;
};

// "metaData".format
struct Format {
  std::string provider = "parquet";
  StringMap options;

  bool operator==(const Format&) const = default;
};

// "metaData": the table's identity, schema, partitioning and properties.
struct Metadata {
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  Format format;
  // The schema as JSON text (schema.h parses it). Required by the protocol, but a real
  // DLT log has a placeholder metaData without it, so absence is representable.
  std::optional<std::string> schema_string;
  std::vector<std::string> partition_columns;
  StringMap configuration;              // table properties, e.g. "delta.appendOnly" -> "true"
  std::optional<int64_t> created_time;  // ms since the epoch

  bool operator==(const Metadata&) const = default;
};

// "deletionVector" of add/remove: where the rows deleted from one data file are stored.
struct DeletionVectorDescriptor {
  // 'u': on disk, path_or_inline_dv = [random prefix] + 20 Z85 chars of a UUID, the file
  //      <table root>/[prefix/]deletion_vector_<uuid>.bin;
  // 'p': on disk, path_or_inline_dv = an absolute path (URI);
  // 'i': inline, path_or_inline_dv = the Z85-encoded bitmap.
  char storage_type = 'u';
  std::string path_or_inline_dv;
  std::optional<int32_t> offset;  // byte offset of the DV inside its file; absent for 'i'
  int32_t size_in_bytes = 0;      // size of the serialized bitmap
  int64_t cardinality = 0;        // number of deleted rows

  // storage_type + path_or_inline_dv [+ "@" + offset]: identifies the DV within a table.
  // Together with the file path it is the key of a logical file in log replay.
  std::string UniqueId() const;

  bool operator==(const DeletionVectorDescriptor&) const = default;
};

// "add": a data file (or a new DV for one) becomes part of the table.
struct AddFile {
  std::string path;  // URI-encoded, relative to the table root or absolute
  PartitionValues partition_values;
  int64_t size = 0;
  int64_t modification_time = 0;  // ms since the epoch
  bool data_change = true;
  std::optional<std::string> stats;  // JSON text (stats.h)
  std::optional<StringMap> tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> clustering_provider;

  bool operator==(const AddFile&) const = default;
};

// "remove": a data file (or one DV of it) leaves the table; kept as a tombstone.
struct RemoveFile {
  std::string path;
  std::optional<int64_t> deletion_timestamp;  // ms since the epoch
  bool data_change = true;
  // true means partition_values and size are present.
  std::optional<bool> extended_file_metadata;
  std::optional<PartitionValues> partition_values;
  std::optional<int64_t> size;
  std::optional<StringMap> tags;
  std::optional<DeletionVectorDescriptor> deletion_vector;
  std::optional<int64_t> base_row_id;
  std::optional<int64_t> default_row_commit_version;
  std::optional<std::string> stats;

  bool operator==(const RemoveFile&) const = default;
};

// "cdc": a change-data file of this commit (Change Data Feed).
struct AddCdcFile {
  std::string path;
  PartitionValues partition_values;
  int64_t size = 0;
  bool data_change = false;  // always false by the protocol
  std::optional<StringMap> tags;

  bool operator==(const AddCdcFile&) const = default;
};

// "txn": the latest version an application (a streaming flow) committed.
struct SetTransaction {
  std::string app_id;
  int64_t version = 0;
  std::optional<int64_t> last_updated;  // ms since the epoch

  bool operator==(const SetTransaction&) const = default;
};

// Typed view of the well-known keys of a commitInfo. Maps hold string values unchanged and
// any other JSON value as its compact JSON text (Spark writes strings, others may not).
struct CommitInfoFields {
  std::optional<int64_t> in_commit_timestamp;
  std::optional<int64_t> timestamp;
  std::optional<std::string> operation;
  std::optional<StringMap> operation_parameters;
  std::optional<int64_t> read_version;
  std::optional<std::string> isolation_level;
  std::optional<bool> is_blind_append;
  std::optional<StringMap> operation_metrics;
  std::optional<std::string> engine_info;
  std::optional<std::string> txn_id;

  bool operator==(const CommitInfoFields&) const = default;
};

// "commitInfo": free-form provenance. The whole object is kept as JSON text, so keys sluice
// does not know survive a rewrite; the accessors parse that text on each call (commitInfo is
// rarely read, so parsing is deferred until someone asks).
class CommitInfo {
 public:
  CommitInfo() : json_("{}") {}
  // `json` must be one JSON object; the parser guarantees this for parsed actions.
  explicit CommitInfo(std::string json) : json_(std::move(json)) {}

  // A commitInfo with exactly the set fields, in Spark's key order.
  static CommitInfo FromFields(const CommitInfoFields& fields);

  const std::string& json() const { return json_; }

  // All well-known keys at once; a key whose value has another type reads as absent.
  CommitInfoFields Fields() const;
  std::optional<int64_t> timestamp() const { return Fields().timestamp; }
  std::optional<int64_t> in_commit_timestamp() const { return Fields().in_commit_timestamp; }
  std::optional<std::string> operation() const { return Fields().operation; }
  std::optional<StringMap> operation_parameters() const { return Fields().operation_parameters; }
  std::optional<int64_t> read_version() const { return Fields().read_version; }
  std::optional<bool> is_blind_append() const { return Fields().is_blind_append; }
  std::optional<StringMap> operation_metrics() const { return Fields().operation_metrics; }
  std::optional<std::string> engine_info() const { return Fields().engine_info; }

  // Equal JSON text (key order matters).
  bool operator==(const CommitInfo&) const = default;

 private:
  std::string json_;
};

// "domainMetadata": configuration owned by a named domain; removed = tombstone.
struct DomainMetadata {
  std::string domain;
  std::string configuration;
  bool removed = false;

  bool operator==(const DomainMetadata&) const = default;
};

// "sidecar" (v2 checkpoints only): a Parquet file in _delta_log/_sidecars/ with file actions.
struct Sidecar {
  std::string path;
  int64_t size_in_bytes = 0;
  int64_t modification_time = 0;
  std::optional<StringMap> tags;

  bool operator==(const Sidecar&) const = default;
};

// "checkpointMetadata" (v2 checkpoints only).
struct CheckpointMetadata {
  int64_t version = 0;
  std::optional<StringMap> tags;

  bool operator==(const CheckpointMetadata&) const = default;
};

using Action = std::variant<Protocol, Metadata, AddFile, RemoveFile, AddCdcFile, SetTransaction,
                            CommitInfo, DomainMetadata, Sidecar, CheckpointMetadata>;

// The JSON key of an action ("add", "metaData", ...).
std::string_view ActionName(const Action& action);

}  // namespace sluice::delta
