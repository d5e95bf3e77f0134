// Reading a snapshot's logical rows through DuckDB (delta-protocol.md section 6, step 6).
//
// A scan is planned into one SQL query over `read_parquet` of the live data files:
// partition values come from the log (never from directory names), columns are matched by
// physical name under column mapping, columns a file lacks read as NULL, every column is
// cast to its Delta type, and rows marked in deletion vectors are dropped. When a filter
// is given, files whose partition values or min/max statistics rule it out are skipped
// before anything is read, and the filter is applied to the rows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::delta {

struct ScanOptions {
  // Logical top-level columns to return, in this order; empty = all, in schema order.
  std::vector<std::string> columns;
  // A SQL boolean expression over logical column names (DuckDB dialect); empty = all rows.
  std::string filter;
  // Read exactly these files (of the snapshot) instead of all live files; no skipping.
  std::optional<std::vector<const AddFile*>> files;
  // Adds a column `__sluice_file` with each row's resolved data file path.
  bool include_file_path = false;
  // Adds a column `__sluice_row_index` (BIGINT) with each row's 0-based position in its file
  // (the index deletion vectors use).
  bool include_row_index = false;
  // Adds a column `__sluice_file_index` (INTEGER) with the position of each row's file in
  // ScanPlan::files: cheaper to group and join on than the path.
  bool include_file_index = false;
  // Columns of the files themselves that are not table columns (such as `_change_type` in
  // change data files), added last under their names in the file, as stored; NULL (VARCHAR)
  // where no file has them.
  std::vector<std::string> file_columns;
};

// A planned scan. `sql` is valid on the connection it was planned with until Release().
struct ScanPlan {
  std::string sql;
  size_t files_in_snapshot = 0;
  size_t files_to_read = 0;              // after data skipping
  std::vector<const AddFile*> files;     // the files read (pointers into the snapshot)
  std::vector<std::string> file_paths;   // their resolved paths, as in `__sluice_file`
  std::vector<std::string> temp_tables;  // deletion-vector rows, dropped by Release
};

// Plans a scan. Errors: NotFound naming a data or DV file that is missing,
// InvalidArgument for an unknown column, Corruption for unreadable files.
Result<ScanPlan> PlanScan(const DeltaContext& context, const Snapshot& snapshot,
                          const ScanOptions& options = {});

// Drops the temporary tables of a plan.
Status ReleaseScan(engine::Connection& connection, const ScanPlan& plan);

// Plans, runs and releases a scan, returning every row (for tests and small tables).
Result<engine::QueryResult> ScanAll(const DeltaContext& context, const Snapshot& snapshot,
                                    const ScanOptions& options = {});

}  // namespace sluice::delta
