// The Delta conformance suite: cases over the tables in ../shared/conformance, each with
// the answer a correct reader gives (README there). Results are compared as unordered
// multisets of values, in DuckDB.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::conformance {

struct Case {
  std::string name;
  std::function<Status(delta::DeltaContext&)> run;
  // Non-empty: the expected result is known to be wrong (the reason); a failure of the
  // case is then reported as skipped.
  std::string skip_reason;
};

// All cases, in a stable order.
std::vector<Case> AllCases();

// Compares the rows of `actual_sql` with those of `expected_sql` as unordered multisets.
// Expected columns are matched to actual ones by name (case-insensitive) and cast to the
// actual column's type; `columns` restricts the comparison (empty = all actual columns).
// With `empty_is_null`, an empty string equals NULL on both sides (transcribed CSVs cannot
// tell them apart). Returns InvalidArgument describing the first differences.
Status CompareRows(engine::Connection& connection, const std::string& actual_sql,
                   const std::string& expected_sql, const std::vector<std::string>& columns = {},
                   bool empty_is_null = false);

// SQL reading the expected Parquet part files of a directory (Spark's output layout).
std::string ExpectedParquet(const std::string& directory);
// SQL reading a transcribed CSV (all VARCHAR; an empty cell is NULL).
std::string ExpectedCsv(const std::string& path);

}  // namespace sluice::conformance
