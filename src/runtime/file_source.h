// read_files / cloud_files sources (docs/auto-loader.md): which files a read takes, with
// which schema, and how their rows become a relation.
//
//  * Listing: a path names a file, a folder (every file below it, recursively, skipping
//    names that start with '.' or '_') or a glob (`*`, `?`, `[...]`, `{a,b}`; a file is
//    taken when the glob matches it or one of its folders). Folders named `key=value`
//    below the root give Hive partition values.
//  * Streaming: a batch takes the files not read before (by path; with allowOverwrites, a
//    file whose size or time changed is read again), oldest first, up to
//    maxFilesPerTrigger files and about maxBytesPerTrigger bytes (at least one file); what
//    is left is the backlog, read by the next batches of the same update. With
//    includeExistingFiles = false, the files present at the stream's first start are
//    recorded and never read.
//  * Schema: declared with the `schema` option, or inferred at the stream's first batch
//    from a sample of files (schemaHints applied) and kept in the checkpoint, versioned:
//    <checkpoint>/_schemas/<n>.json. A batch that meets new columns (addNewColumns) stores
//    the grown schema as the next version (SaveGrownSchema) and the flow reads it again.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "delta/schema.h"
#include "engine/engine.h"
#include "ingest/file_reader.h"
#include "ingest/options.h"
#include "io/file_system.h"
#include "runtime/checkpoint.h"

namespace sluice::runtime {

// Every file `path` names, sorted by path, with its partition values.
Result<std::vector<ingest::InputFile>> ListSourceFiles(io::FileSystem& fs, const std::string& path);

// Whether `path` contains glob characters.
bool IsGlob(const std::string& path);

// A file source's stored schema: the latest version for `key` in `checkpoint_dir`.
struct StoredSchema {
  int64_t version = -1;
  delta::Schema schema;
  std::vector<std::string> partition_columns;
  std::vector<delta::DataTypePtr> partition_types;  // one per partition column
};
Result<std::optional<StoredSchema>> LoadStoredSchema(io::FileSystem& fs,
                                                     const std::string& checkpoint_dir,
                                                     const std::string& key);
// Stores `schema` as version `stored.version` (put-if-absent; a version that exists with
// the same content is fine).
Status SaveStoredSchema(io::FileSystem& fs, const std::string& checkpoint_dir,
                        const std::string& key, const StoredSchema& stored);

// What the planner left unread after a batch, per source.
struct Backlog {
  int64_t files = 0;
  int64_t bytes = 0;
  int64_t records = 0;  // Kafka sources: offsets not read yet
};

// One read of a file source, ready to be a relation.
struct PlannedFileRead {
  std::string key;
  ingest::FileFormat format = ingest::FileFormat::kJson;
  ingest::SourceOptions options;
  std::vector<ingest::InputFile> files;  // what this read takes
  StoredSchema schema;                   // data columns and partition columns
  std::string rescued_column;
  Backlog backlog;
};

// A registered file source: the relation's SQL and what it found once read.
class FileRead {
 public:
  ~FileRead();
  const std::string& sql() const { return sql_; }
  const PlannedFileRead& plan() const { return plan_; }
  // New columns the last scan met (addNewColumns), else empty.
  std::vector<delta::StructField> NewFields() const;
  int64_t dropped_malformed() const;

  // Builds the relation for `plan` on `connection`'s database. JSON, CSV and text files go
  // through an ingest::FileBatchSource; Parquet files through DuckDB's reader.
  static Result<std::unique_ptr<FileRead>> Make(io::FileSystem& fs, engine::Connection& connection,
                                                PlannedFileRead plan, bool with_metadata);

 private:
  FileRead() = default;
  PlannedFileRead plan_;
  std::string sql_;
  std::shared_ptr<ingest::FileBatchSource> source_;
  int64_t source_id_ = -1;
  std::vector<delta::StructField> parquet_new_fields_;
};

// Infers the schema of `files` (a sample) for `options`: data columns and partition columns,
// hints applied, partition columns removed from the data columns.
Result<StoredSchema> InferSourceSchema(io::FileSystem& fs, engine::Connection& connection,
                                       ingest::FileFormat format,
                                       const ingest::SourceOptions& options,
                                       const std::vector<ingest::InputFile>& files);

// The types of the partition columns over the values `files` have.
std::vector<delta::DataTypePtr> PartitionTypes(const std::vector<std::string>& columns,
                                               const std::vector<ingest::InputFile>& files,
                                               const ingest::SourceOptions& options);

// Which of `candidates` a batch takes (oldest first, within the limits) and the backlog.
std::vector<ingest::InputFile> TakeBatch(std::vector<ingest::InputFile> candidates,
                                         const ingest::SourceOptions& options, Backlog* backlog);

}  // namespace sluice::runtime
