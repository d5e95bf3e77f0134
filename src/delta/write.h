// Table-level writes: create, append, overwrite (with schema evolution) and delete by
// predicate. Each call is one atomic commit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::delta {

enum class WriteMode {
  kAppend,         // add rows; create the table if it does not exist
  kOverwrite,      // replace all rows; create the table if it does not exist
  kErrorIfExists,  // create the table; AlreadyExists if it exists
  kIgnore,         // create the table; do nothing if it exists
};

struct WriteOptions {
  WriteMode mode = WriteMode::kAppend;
  // For a new table: partition columns, properties (delta.*), name and description.
  std::vector<std::string> partition_by;
  std::map<std::string, std::string> table_properties;
  std::optional<std::string> table_name;
  std::optional<std::string> description;
  // Schema evolution: add new columns of the source to the table (nested fields too).
  bool merge_schema = false;
  // With kOverwrite: replace the schema (and partitioning) by the source's.
  bool overwrite_schema = false;
  // Idempotent writers: commit `txn(app_id, version)` with the data, and skip the write
  // when the table already holds a version >= this one for the app id.
  std::optional<std::string> app_id;
  int64_t app_version = 0;
  // commitInfo.operation; Spark's names ("WRITE", "STREAMING UPDATE", "CREATE TABLE").
  std::string operation = "WRITE";
};

struct WriteResult {
  int64_t version = -1;  // the committed version; -1 when nothing was committed
  bool skipped = false;  // the idempotent writer's batch was already committed, or kIgnore
  int64_t rows_written = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
  int64_t bytes_written = 0;
};

// Writes the rows of `source_sql` (a DuckDB query on the context's connection) to the
// table at `table_root`.
Result<WriteResult> WriteTable(const DeltaContext& context, const std::string& table_root,
                               const std::string& source_sql, const WriteOptions& options);

struct DeleteResult {
  int64_t version = -1;  // -1 when no row matched and nothing was committed
  int64_t rows_deleted = 0;
  int64_t rows_copied = 0;  // rows of touched files written again
  int64_t files_removed = 0;
  int64_t files_added = 0;
};

// Deletes the rows for which `predicate` (SQL over logical column names) is true, by
// rewriting only the files that hold such rows (copy-on-write). An empty predicate
// deletes everything.
Result<DeleteResult> DeleteRows(const DeltaContext& context, const std::string& table_root,
                                const std::string& predicate);

}  // namespace sluice::delta
