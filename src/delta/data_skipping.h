// Data skipping: which data files of a scan may hold rows matching a filter.
//
// The scan builder loads one row per data file into a DuckDB table (the "files table"):
// typed partition values and typed min/max/nullCount statistics from the Delta log
// (delta-protocol.md sections 3-4). SkippingCondition turns a filter into a SQL boolean
// over that table which is FALSE only when the file certainly holds no matching row, and
// TRUE or NULL when it may:
//
//   SELECT file_index FROM files WHERE coalesce(<condition>, true)
//
// Comparisons run in DuckDB, so dates, decimals, timestamps and strings compare exactly as
// they do when the filter is applied to the rows. Skipping only ever drops files; the full
// filter is always applied to the rows as well.
#pragma once

#include <string>
#include <vector>

#include "delta/predicate.h"

namespace sluice::delta {

// What a column's statistics can be trusted for.
enum class SkippingType {
  kNumeric,    // integers and decimals: min/max are exact bounds
  kFloat,      // float, double: NaN sorts above every number in DuckDB, but writers may leave
               // NaN out of max, so max is not used
  kString,     // min/max may be cut to a 32-character prefix (the max then is no bound)
  kDate,       // exact bounds
  kTimestamp,  // timestamp and timestamp_ntz: min/max are cut to milliseconds
  kBoolean,    // exact bounds when present (Spark writes none)
  kOther,      // binary, nested, anything else: min/max are not used
};

// One logical column as the files table describes it. Column names are names of files-table
// columns (quoted by SkippingCondition); an empty name means the table has no such column.
struct SkippingColumn {
  std::vector<std::string> path;  // logical column path; {"a", "b"} for struct field a.b
  SkippingType type = SkippingType::kOther;
  bool is_partition = false;
  // Partition columns: the typed partition value, SQL NULL for a null partition.
  std::string value_column;
  // Data columns: typed min and max (NULL where the file has none), and the null count.
  std::string min_column;
  std::string max_column;
  std::string null_count_column;
};

struct SkippingLayout {
  std::vector<SkippingColumn> columns;
  std::string num_records_column;  // numRecords of each file; empty if not loaded

  // The column with this path (case-insensitive, as SQL names are), or null.
  const SkippingColumn* Find(const std::vector<std::string>& path) const;
};

// The condition above, or "TRUE" when the filter allows no file to be skipped. Parts of the
// filter over partition columns and constants only are evaluated exactly (a null partition
// value is SQL NULL: `p = 'a'` does not hold for it, `p IS NULL` does); comparisons of a data
// column with a constant use its statistics; anything else (function calls, arithmetic,
// columns the layout does not describe) counts as "may match".
std::string SkippingCondition(const Expression& filter, const SkippingLayout& layout);

}  // namespace sluice::delta
