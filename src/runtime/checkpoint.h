// Streaming checkpoints: what each streaming flow has read, batch by batch.
//
// Layout under <storage>/checkpoints/<flow>/ (docs/checkpoints.md):
//   metadata.json      {"id": "<uuid>", "flow": "<name>"}; the id is the flow's `txn` appId
//   offsets/<n>.json   batch n's planned input: per source, the Delta versions, the files or
//                      the Kafka offsets
//   commits/<n>.json   written after batch n's data is committed
//   compact/<n>.json   every 100 batches: the state folded from batches 0..n (the last
//                      offsets per source and every file read); offsets of batches more
//                      than 10 before it and older compactions are deleted
//
// Protocol (exactly once): a batch's offsets are written before its data; its data commits
// with txn(appId = id, version = n); only then is commits/<n> written. After a crash the
// last offsets without a commit is either already in the table (its txn version is there:
// the commit marker is written and nothing is redone) or is run again with the very same
// offsets. Resetting a checkpoint makes a new id, so old txn versions never hide new batches.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "io/file_system.h"

namespace sluice::runtime {

// A file a batch read: its identity when it was listed (a file rewritten later has another
// size or time; allowOverwrites reads it again).
struct SourceFile {
  std::string path;  // absolute
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  bool operator==(const SourceFile&) const = default;
};

// A file of a committed batch, as cloud_files_state lists it.
struct SeenFile {
  SourceFile file;
  int64_t batch_id = 0;
};

// Kafka sources: what a batch read of one partition, offsets [start, end).
struct PartitionRange {
  std::string topic;
  int32_t partition = 0;
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const PartitionRange&) const = default;
};

// What one batch read from one source.
struct SourceOffset {
  // Delta sources: the versions read, (start_version, end_version]; start_version -1 with
  // `initial_snapshot` means the whole snapshot at end_version.
  std::string table_id;
  int64_t start_version = -1;
  int64_t end_version = -1;
  bool initial_snapshot = false;
  // File sources: the files of this batch.
  std::vector<SourceFile> files;
  // File sources: the schema version the batch was read with (`_schemas/<n>.json`), -1 for
  // none stored.
  int64_t schema_version = -1;
  // Kafka sources ("kafka:..." keys): every partition known when the batch was planned,
  // with the offsets it read (start == end: none); the next batch starts at the ends.
  std::vector<PartitionRange> partitions;
  // Kafka sources: when the batch was planned (ms since the epoch), for
  // minOffsetsPerTrigger's maxTriggerDelay.
  int64_t planned_at_ms = 0;
  // PostgreSQL sources read by pipelines.incremental.column ("jdbc:..." keys): the rows
  // after `after` (none: from the first) up to `up_to`, as PostgreSQL writes the values.
  std::optional<std::string> after;
  std::optional<std::string> up_to;
};

// Whether a source key names a PostgreSQL source.
inline bool IsJdbcSourceKey(const std::string& key) { return key.rfind("jdbc:", 0) == 0; }

// Whether a source key names a Kafka source.
inline bool IsKafkaSourceKey(const std::string& key) { return key.rfind("kafka:", 0) == 0; }

struct BatchOffsets {
  int64_t batch_id = 0;
  // By source key ("dataset:x", "files:/p", "kafka:subscribe=t").
  std::map<std::string, SourceOffset> sources;
};

class FlowCheckpoint {
 public:
  // Opens (creating when absent) the checkpoint of `flow` at `dir`.
  static Result<FlowCheckpoint> Open(io::FileSystem& fs, const std::string& dir,
                                     const std::string& flow);
  // Deletes the checkpoint folder (reset checkpoint / full refresh).
  static Status Reset(io::FileSystem& fs, const std::string& dir);

  const std::string& id() const { return id_; }
  // The last batch whose commit marker exists, if any.
  std::optional<int64_t> last_committed() const { return last_committed_; }
  // A batch whose offsets were written but not its commit marker (a crash in between).
  const std::optional<BatchOffsets>& pending() const { return pending_; }
  // The last committed batch's offsets per source (where the next batch starts).
  const std::map<std::string, SourceOffset>& committed_sources() const { return committed_; }
  // Every file of every committed batch, per file source key, by path (the last batch that
  // read a path wins).
  const std::map<std::string, std::map<std::string, SeenFile>>& seen_files() const {
    return seen_files_;
  }
  const std::string& dir() const { return dir_; }
  int64_t next_batch_id() const { return last_committed_ ? *last_committed_ + 1 : 0; }

  Status WriteOffsets(const BatchOffsets& offsets);
  // Marks a batch committed and folds its offsets into the state.
  Status Commit(const BatchOffsets& offsets, int64_t table_version);

 private:
  FlowCheckpoint(io::FileSystem& fs, std::string dir) : fs_(&fs), dir_(std::move(dir)) {}
  Status Load(const std::string& flow);
  void Fold(const BatchOffsets& offsets);
  // Writes the folded state after `batch` as compact/<batch>.json and deletes what it
  // makes redundant, so that opening a long-lived checkpoint reads a bounded number of
  // files.
  Status Compact(int64_t batch);
  Status LoadCompacted(const std::string& path);

  io::FileSystem* fs_;
  std::string dir_;
  std::string id_;
  std::optional<int64_t> last_committed_;
  std::optional<BatchOffsets> pending_;
  std::map<std::string, SourceOffset> committed_;
  std::map<std::string, std::map<std::string, SeenFile>> seen_files_;
};

}  // namespace sluice::runtime
