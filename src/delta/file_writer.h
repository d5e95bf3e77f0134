// Writing data files: the rows of a query become Parquet files under a table root, written
// by DuckDB, and the `add` actions that describe them, with Spark-compatible statistics
// taken from what DuckDB reports while writing (the data is never read back).
//
// Files get unique names (part-<uuid>.parquet, in Hive-style partition folders) and are
// complete when this returns; until a commit references them they are invisible garbage
// that VACUUM removes, so a crash during a write never exposes a partial file.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/actions.h"
#include "delta/schema.h"
#include "engine/engine.h"

namespace sluice::delta {

struct DataFileOptions {
  const Schema* schema = nullptr;  // the table's logical schema (required)
  std::vector<std::string> partition_columns;
  ColumnMappingMode column_mapping_mode = ColumnMappingMode::kNone;
  // Table properties: delta.targetFileSize, delta.dataSkippingNumIndexedCols,
  // delta.dataSkippingStatsColumns.
  std::map<std::string, std::string> configuration;
  // Overrides delta.targetFileSize when set (> 0).
  int64_t target_file_size = 0;
  std::string compression = "zstd";
  bool data_change = true;
  // Files go to this folder under the table root (e.g. "_change_data"); "" = the root.
  std::string subdirectory;
  // Columns of the source written as they are after the table's columns (e.g.
  // "_change_type" in change-data files); they get no statistics.
  std::vector<std::string> extra_columns;
  // The source's column names when the caller already described it (saves binding the
  // source once more); empty: described here.
  std::vector<std::string> source_columns;
  // The table supports allowColumnDefaults: a column whose field has CURRENT_DEFAULT metadata
  // must get its default where the data lacks it. sluice does not evaluate defaults, so such
  // a column missing from the data is refused instead of written as NULL.
  bool column_defaults = false;
};

// Writes the rows of `source_sql` (its columns are matched to the schema by name,
// case-insensitively, and cast to the schema's types; a missing nullable column is NULL, one
// with a default under `column_defaults` an error).
// Returns one AddFile per file written, with paths relative to `table_root`; no file for
// no rows.
Result<std::vector<AddFile>> WriteDataFiles(engine::Connection& connection,
                                            const std::string& table_root,
                                            const std::string& source_sql,
                                            const DataFileOptions& options);

}  // namespace sluice::delta
