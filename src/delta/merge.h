// MERGE by key, copy-on-write: one atomic commit removes the current rows whose key is in a
// set of keys and adds new rows (an upsert when the keys are the new rows' keys; a delete when
// there are no new rows). The building block of AUTO CDC and incremental materialized views.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::delta {

struct MergeOptions {
  // Logical column names identifying a row (equality is NULL-safe: IS NOT DISTINCT FROM).
  // Required with keys_sql; each must be a column of the table.
  std::vector<std::string> key_columns;
  // A DuckDB query returning the keys (columns named as key_columns, cast to the table's
  // types) whose current rows are removed. May be empty of rows; duplicates are fine.
  // "" = no keys (only add rows).
  std::string keys_sql;
  // A DuckDB query returning the rows to add (the table's columns; new columns are added to
  // the schema as WriteOptions::merge_schema does; missing columns are NULL).
  // "" = no rows (only remove keys); then the table must exist.
  std::string rows_sql;
  // Remove every current row first (a full refresh or a truncate), ignoring keys_sql.
  bool replace_all = false;
  // Idempotent writers, as in WriteOptions: commit txn(app_id, app_version) with the data and
  // skip everything when the table already has app_version or later for app_id.
  std::optional<std::string> app_id;
  int64_t app_version = 0;
  // Used only when the table does not exist yet: it is created with rows_sql's schema.
  std::vector<std::string> partition_by;
  std::map<std::string, std::string> table_properties;
  std::optional<std::string> table_name;
  std::optional<std::string> description;
  // Added to commitInfo.operationMetrics (e.g. numTargetRowsInserted, numTargetRowsUpdated).
  std::map<std::string, int64_t> extra_metrics;
  std::string operation = "MERGE";
};

struct MergeResult {
  int64_t version = -1;      // committed version; -1 if nothing committed
  bool skipped = false;      // txn already applied
  int64_t rows_removed = 0;  // current rows whose key was in keys_sql
  int64_t rows_copied = 0;   // other rows of touched files, written again
  int64_t rows_written = 0;  // rows of rows_sql
  int64_t files_removed = 0;
  int64_t files_added = 0;  // new files: rows_sql's and the rewritten ones
  int64_t bytes_written = 0;
};

// One atomic commit: the rows whose key is in keys_sql are removed and the rows of rows_sql
// added. Only data files that can hold one of the keys are read and rewritten (copy-on-write):
// candidate files are pruned by partition values and min/max stats of the key columns (a range
// filter from the keys' min and max, through the scan's data skipping), then the candidates
// actually holding a key are found with one semi-join query over them; other files are
// untouched. A touched file is removed and its other rows are written again, projected onto
// the (possibly evolved) schema; rows hidden by deletion vectors stay deleted.
//
// A table that does not exist is created by WriteTable with rows_sql (even with no rows, so
// that it has a schema), the create fields above and the txn; its commit is a
// "CREATE TABLE AS SELECT" without extra_metrics. On an existing table nothing is committed
// (version -1, and no txn is recorded) when no file would be removed or added, unless
// replace_all.
//
// Concurrency: the transaction reads the whole table (as DeleteRows does), so a concurrent
// commit that adds data or removes a file it read makes it fail with a Conflict; nothing is
// committed then and the caller retries.
//
// Change Data Feed: when the table has it on and the merge rewrites files, the commit carries
// change-data files with the removed rows as 'delete' and rows_sql's as 'insert' (readers then
// use only those). Without rewrites, readers derive the changes from the adds and removes.
//
// Errors name the table path: InvalidArgument for a key column the table lacks, keys_sql
// without key columns, no rows_sql for a table that does not exist, or columns of rows_sql that do
// not fit the table's types; the engine's errors for bad queries; Conflict as above.
Result<MergeResult> MergeRows(const DeltaContext& context, const std::string& table_root,
                              const MergeOptions& options);

}  // namespace sluice::delta
