// Data-quality expectations: each rule is a SQL boolean evaluated on every output row of a
// flow before it is written (docs/expectations.md).
//  * warn (no ON VIOLATION): the row is kept and counted as failed;
//  * drop (DROP ROW): the row is not written; counted as failed and in dropped_records;
//  * fail (FAIL UPDATE): one failing row fails the flow; nothing is written.
// A row violates a rule only when the condition is false: a NULL result passes, as a
// Databricks pipeline judges it (docs/expectations.md gives the evidence).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::quality {

enum class Action { kWarn, kDrop, kFail };

// "warn", "drop" or "fail".
std::string_view ActionName(Action action);

struct Rule {
  std::string name;
  std::string condition;  // a DuckDB boolean expression over the input's columns
  Action action = Action::kWarn;
  // The condition as the user wrote it, for messages; empty: `condition`.
  std::string written = {};
  const std::string& Display() const { return written.empty() ? condition : written; }
};

struct RuleMetrics {
  std::string name;
  Action action = Action::kWarn;
  int64_t passed_records = 0;  // rows for which the condition was true or NULL
  int64_t failed_records = 0;  // rows for which it was false
};

// A row that failed a FAIL UPDATE rule.
struct Violation {
  std::string rule;
  std::string condition;  // as the user wrote it
  std::string row_json;   // the offending row (input columns only) as a JSON object
};

struct CheckResult {
  // The rows to write: the input's columns only, dropped rows removed. Valid on the
  // connection until ReleaseCheck.
  std::string output_sql;
  // Row counts; all 0 when there are no rules (the input is not read then).
  int64_t input_rows = 0;
  int64_t output_rows = 0;
  int64_t dropped_records = 0;       // rows failing at least one drop rule, each counted once
  std::vector<RuleMetrics> metrics;  // one per rule, in rule order (fail rules included)
  // Set when a fail rule failed on some row (the first such rule in rule order): the
  // flow must fail and write nothing.
  std::optional<Violation> failure;
  std::vector<std::string> temp_tables;  // dropped by ReleaseCheck
};

// Evaluates every rule on every row of `input_sql` (a DuckDB query) with one
// materialization: a temporary table of the input's columns plus one boolean column per
// rule, then one aggregate query for every count. With no rules the input passes through
// untouched and nothing is read. A condition that does not bind, is not a boolean or
// fails while running is InvalidArgument naming the rule. Temporary table names start
// with `temp_name_prefix` (sanitized) and are unique in the process.
Result<CheckResult> CheckExpectations(engine::Connection& connection, const std::string& input_sql,
                                      const std::vector<Rule>& rules,
                                      const std::string& temp_name_prefix);
Status ReleaseCheck(engine::Connection& connection, const CheckResult& result);

// Checks that the rules bind against the input's columns and are booleans, reading no
// rows. The error names the first bad rule, its condition and DuckDB's binder message
// (which names an unknown column); an input that does not bind itself is reported as is.
Status ValidateRules(engine::Connection& connection, const std::string& input_sql,
                     const std::vector<Rule>& rules);

// The error of a FAIL UPDATE violation, in the form of Databricks' EXPECTATION_VIOLATION
// error, with the condition added:
//   [EXPECTATION_VIOLATION.VERBOSITY_OUTPUT] Flow 'orders' failed to meet the expectation.
//   Violated expectations: 'valid_id' (id IS NOT NULL). Output record: '{"id":null}'.
//   Nothing was written to 'orders'.
// The two-argument form names the flow after its dataset (a table's default flow).
std::string FailureMessage(const Violation& violation, const std::string& dataset);
std::string FailureMessage(const Violation& violation, const std::string& dataset,
                           const std::string& flow);

}  // namespace sluice::quality
