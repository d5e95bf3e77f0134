// The Delta conformance suite: cases over the tables in ../shared/conformance, each with
// the answer a correct reader gives (README there). Results are compared as unordered
// multisets of values, in DuckDB, and every compared column must have the expected type.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::conformance {

struct Case {
  std::string name;
  // OK when the reader gives the expected answer.
  std::function<Status(delta::DeltaContext&)> run;
  // Only for a case whose stored expectation is known to be wrong: `skip_reason` says how,
  // and `known_difference` returns OK when `run` failed for that difference alone (every
  // other column and value matching). The case is then reported as skipped; any other
  // failure is a failure.
  std::string skip_reason = {};
  std::function<Status(delta::DeltaContext&)> known_difference = {};
};

// The conformance tables' root folder (../shared/conformance/ unless set, e.g. by a test of
// the suite itself). Ends with '/'.
const std::string& Root();
void SetRoot(std::string root);

// All cases, in a stable order.
std::vector<Case> AllCases();

// Names of the cases listed in a manifest file: one a line, `#` comments and blank lines
// ignored. NotFound when the file cannot be read.
Result<std::vector<std::string>> ReadManifest(const std::string& path);

// What differs between the cases a manifest lists and those found: one message per case
// listed but not found (its table or expected files are missing) and per case found but
// not listed. Empty when they are the same.
std::vector<std::string> CompareWithManifest(const std::vector<std::string>& listed,
                                             const std::vector<std::string>& found);

struct CompareOptions {
  // Compare only these columns of the expected result (each must be in the actual result);
  // empty: every expected column, and the actual result may have no others.
  std::vector<std::string> columns;
  // The expected result has meaningful column types (Parquet written by Spark): each
  // compared actual column must be of the same type, up to the units of timestamps and
  // their time zone flag (Spark writes INT96 or microseconds; see SameTypeKind). False for
  // transcribed CSVs, which are all text.
  bool expected_typed = true;
  // DuckDB types the actual columns must have exactly (lower-case name -> type), e.g.
  // those the table's Delta schema declares. Columns not listed are not checked here.
  std::map<std::string, std::string> declared_types;
  // An empty string equals NULL on both sides (transcribed CSVs cannot tell them apart).
  bool empty_is_null = false;
  // A value of the expected result known to be wrong: in `column`, an expected value whose
  // text (once cast to the actual column's type) is `wrong` is compared as `right`, the
  // value a correct reader returns.
  struct Correction {
    std::string column;
    std::string wrong;
    std::string right;
  };
  std::vector<Correction> corrections;
};

// Compares the rows of `actual_sql` with those of `expected_sql` as unordered multisets.
// Expected columns are matched to actual ones by name (case-insensitive) and cast to the
// actual column's type once the types are found to agree. Returns InvalidArgument naming
// a missing, extra or mistyped column, or describing the first differing rows.
Status CompareRows(engine::Connection& connection, const std::string& actual_sql,
                   const std::string& expected_sql, const CompareOptions& options = {});

// Whether two DuckDB type names (as DESCRIBE prints them) are the same type for the
// suite: equal once every timestamp type (TIMESTAMP, TIMESTAMP WITH TIME ZONE, _S, _MS,
// _NS), at any depth, is read as one kind.
bool SameTypeKind(const std::string& actual, const std::string& expected);

// The DuckDB types (as DESCRIBE prints them) of a Delta schema's columns, by lower-case
// name: what a scan of the table must return.
Result<std::map<std::string, std::string>> DeclaredTypes(engine::Connection& connection,
                                                         const delta::Schema& schema);

// SQL reading the expected Parquet part files of a directory (Spark's output layout).
std::string ExpectedParquet(const std::string& directory);
// SQL reading a transcribed CSV (all VARCHAR; an empty cell is NULL).
std::string ExpectedCsv(const std::string& path);

}  // namespace sluice::conformance
