// sluice's public C++ API for Delta tables: open, inspect, scan, time travel, write,
// delete, optimize and vacuum, on the local file system with an embedded DuckDB.
//
// A Session owns one DuckDB database and is used by one thread at a time. Every call
// returns a Status or Result; messages name the table path and the problem.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status.h"

namespace sluice {

// One value of a result. Numbers and booleans are typed; values of nested types (STRUCT,
// MAP, LIST, ARRAY) are JSON text; every other SQL type (decimal, date, timestamp, blob) is
// DuckDB's text for it.
struct Cell {
  std::variant<std::monostate, bool, int64_t, double, std::string> value;
  bool is_null() const { return std::holds_alternative<std::monostate>(value); }
  std::string ToString() const;  // "" for NULL
};

// A small, fully materialized table of results.
struct Rows {
  std::vector<std::string> column_names;
  // DuckDB SQL type names. "JSON" marks a text cell that holds one JSON value (History's
  // operationParameters and operationMetrics), so that JSON output can embed it as is.
  std::vector<std::string> column_types;
  std::vector<std::vector<Cell>> rows;
};

// Which version of a table to read: the latest, a version, or the version current at
// a timestamp ("2024-01-01 12:00:00", ISO-8601, UTC unless an offset is given).
struct TableVersion {
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
};

struct TableDescription {
  std::string path;
  int64_t version = 0;
  std::string id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::string schema_json;
  Rows columns;  // name, type, nullable, partition
  std::vector<std::string> partition_columns;
  std::map<std::string, std::string> properties;
  int32_t min_reader_version = 0;
  int32_t min_writer_version = 0;
  std::vector<std::string> reader_features;
  std::vector<std::string> writer_features;
  int64_t num_files = 0;
  int64_t size_bytes = 0;
  int64_t num_records = -1;  // -1 when some file has no stats
  int64_t created_time_ms = 0;
  int64_t last_commit_ms = 0;
};

struct ScanRequest {
  TableVersion at;
  std::vector<std::string> columns;  // empty = all
  std::string where;                 // SQL filter, also used for data skipping
  std::optional<int64_t> limit;
};

struct ScanResult {
  Rows rows;
  int64_t files_in_snapshot = 0;
  int64_t files_read = 0;
};

struct OptimizeResult {
  int64_t version = -1;  // -1 when nothing needed compaction
  int64_t files_removed = 0;
  int64_t files_added = 0;
  int64_t bytes_removed = 0;
  int64_t bytes_added = 0;
};

struct VacuumResult {
  std::vector<std::string> files;  // deleted, or that would be deleted with dry_run
  int64_t bytes = 0;
  bool dry_run = false;
};

struct WriteRequest {
  enum class Mode { kAppend, kOverwrite, kErrorIfExists, kIgnore };
  Mode mode = Mode::kAppend;
  std::vector<std::string> partition_by;          // for a new table
  std::map<std::string, std::string> properties;  // for a new table, e.g. delta.appendOnly
  bool merge_schema = false;                      // add the query's new columns
  bool overwrite_schema = false;                  // with kOverwrite: replace the schema
};

struct WriteResult {
  int64_t version = -1;  // -1 when nothing was committed
  int64_t rows = 0;
  int64_t files_added = 0;
  int64_t files_removed = 0;
};

struct DeleteResult {
  int64_t version = -1;  // -1 when no row matched
  int64_t rows_deleted = 0;
  int64_t rows_copied = 0;
  int64_t files_removed = 0;
  int64_t files_added = 0;
};

// sluice's release, e.g. "0.1.0", and that of the embedded DuckDB, e.g. "v1.4.4".
std::string Version();
std::string EngineVersion();

class Session {
 public:
  struct Options {
    int threads = 0;  // DuckDB threads; 0 = all cores
  };
  static Result<std::unique_ptr<Session>> Open(const Options& options);
  static Result<std::unique_ptr<Session>> Open() { return Open(Options{}); }
  ~Session();

  // The commits still in the log, newest first (at most `limit`), as the columns version,
  // timestamp (ISO-8601 UTC), operation, operationParameters (JSON), readVersion,
  // isBlindAppend, engineInfo, operationMetrics (JSON); NULL where the commit has no value.
  Result<Rows> History(const std::string& path, std::optional<int64_t> limit = std::nullopt);
  // The table at `at`. A timestamp that does not parse, or that is before the first or
  // after the last commit, is InvalidArgument naming it; a missing version is NotFound.
  Result<TableDescription> Describe(const std::string& path, const TableVersion& at = {});
  // The rows of the table at `request.at` (resolved as for Describe), in no particular
  // order. `where` also skips files whose partition values or statistics rule it out;
  // `files_read` counts the files left.
  Result<ScanResult> Scan(const std::string& path, const ScanRequest& request);
  // Writes the rows of a query (DuckDB SQL, e.g. "SELECT * FROM read_csv('x.csv')").
  Result<WriteResult> Write(const std::string& path, const std::string& sql,
                            const WriteRequest& request = {});
  // Deletes the rows matching `where` (all rows when empty), touching only affected files:
  // with delta.enableDeletionVectors their rows are marked in deletion vectors, otherwise
  // the files are rewritten.
  Result<DeleteResult> Delete(const std::string& path, const std::string& where);
  // Compacts small files of each partition (or of those matching `where`) into files of
  // the target size; a dataChange=false commit that readers of the data ignore.
  Result<OptimizeResult> Optimize(const std::string& path, const std::string& where = "",
                                  std::optional<int64_t> target_file_size = std::nullopt);
  // REORG TABLE ... APPLY (PURGE): rewrites the files with deletion vectors (of the
  // partitions matching `where`) so that no deleted row is left in them; a "REORG" commit
  // with dataChange=false.
  Result<OptimizeResult> ReorgPurge(const std::string& path, const std::string& where = "");
  // Deletes files no version within the retention period references. Refuses a
  // retention below the table's deletedFileRetentionDuration unless `force`.
  Result<VacuumResult> Vacuum(const std::string& path, std::optional<double> retention_hours,
                              bool dry_run, bool force = false);
  // The Change Data Feed between two versions (inclusive; `end` absent = latest): the
  // table's columns plus _change_type, _commit_version and _commit_timestamp.
  Result<Rows> Changes(const std::string& path, int64_t start,
                       std::optional<int64_t> end = std::nullopt);
  // Runs SQL on the session's DuckDB (for writing tables from queries and for tests).
  Result<Rows> Query(const std::string& sql);

 private:
  struct Impl;
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sluice
