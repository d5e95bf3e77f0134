// A Snapshot is the state of a Delta table at one version: protocol, metadata, schema,
// live data files, tombstones, application transactions and domain metadata, rebuilt by
// replaying the log (delta-protocol.md section 6). Snapshots are immutable and shared
// between readers as shared_ptr<const Snapshot>.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "delta/action_json.h"
#include "delta/actions.h"
#include "delta/log_segment.h"
#include "delta/protocol.h"
#include "delta/schema.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace sluice::delta {

// What the Delta layer needs from its caller: where files live, a DuckDB connection for
// Parquet, and the time. Borrowed; the caller keeps them alive while the layer runs.
struct DeltaContext {
  io::FileSystem* fs = nullptr;
  engine::Connection* connection = nullptr;
  Clock* clock = Clock::Real();
};

class Snapshot {
 public:
  const std::string& table_root() const { return table_root_; }
  int64_t version() const { return version_; }
  const Protocol& protocol() const { return protocol_; }
  const Metadata& metadata() const { return metadata_; }
  // The table schema; null when the metadata has none (a table created empty by DLT).
  const Schema* schema() const { return schema_ ? &*schema_ : nullptr; }
  const std::vector<std::string>& partition_columns() const { return metadata_.partition_columns; }
  const std::map<std::string, std::string>& configuration() const {
    return metadata_.configuration;
  }
  ColumnMappingMode column_mapping_mode() const { return column_mapping_mode_; }

  // Live data files, ordered by path.
  const std::vector<AddFile>& files() const { return files_; }
  // Removed files still within their retention (for VACUUM and conflict checks).
  const std::vector<RemoveFile>& tombstones() const { return tombstones_; }
  // The latest version committed by an idempotent writer, if any.
  std::optional<int64_t> TransactionVersion(const std::string& app_id) const;
  const std::map<std::string, SetTransaction>& transactions() const { return transactions_; }
  // Live domains (removed ones are dropped).
  const std::map<std::string, DomainMetadata>& domains() const { return domains_; }

  // Commit timestamp of this version in ms: its in-commit timestamp when the table has
  // them, else the commit file's modification time.
  int64_t timestamp_ms() const { return timestamp_ms_; }
  // The commitInfo of the last commit read (absent when the version comes from a
  // checkpoint alone or the commit has none).
  const std::optional<CommitInfo>& last_commit_info() const { return last_commit_info_; }
  const LogSegment& segment() const { return segment_; }

  // Sum of live file sizes, and of live records: numRecords less the rows deletion vectors
  // mark (-1 when some file has no numRecords).
  int64_t total_bytes() const;
  int64_t total_records() const;

 private:
  friend class SnapshotBuilder;
  std::string table_root_;
  int64_t version_ = -1;
  Protocol protocol_;
  Metadata metadata_;
  std::optional<Schema> schema_;
  ColumnMappingMode column_mapping_mode_ = ColumnMappingMode::kNone;
  std::vector<AddFile> files_;
  std::vector<RemoveFile> tombstones_;
  std::map<std::string, SetTransaction> transactions_;
  std::map<std::string, DomainMetadata> domains_;
  int64_t timestamp_ms_ = 0;
  std::optional<CommitInfo> last_commit_info_;
  LogSegment segment_;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

// Rebuilds the table at `version` (latest when absent). Fails before any data is read
// when the protocol needs a reader feature sluice lacks, or when protocol or metadata
// are missing. Errors name the table and the file at fault.
Result<SnapshotPtr> LoadSnapshot(const DeltaContext& context, const std::string& table_root,
                                 std::optional<int64_t> version = std::nullopt);

// The state of a snapshot as the actions of a checkpoint: protocol, metadata, txns, live
// domains, live files and unexpired tombstones (without stats and tags).
std::vector<Action> CheckpointActions(const Snapshot& snapshot);

// The remove action that takes `file` out of the table at `timestamp_ms`, with the
// extended file metadata Spark writes.
RemoveFile RemoveFor(const AddFile& file, int64_t timestamp_ms, bool data_change = true);

// numRecords from a file's stats; nullopt when it has none.
std::optional<int64_t> NumRecords(const AddFile& file);

// The actions of one commit file, parsed. NotFound if it does not exist.
Result<std::vector<Action>> ReadCommit(io::FileSystem& fs, const std::string& table_root,
                                       int64_t version);

}  // namespace sluice::delta
