// Data-quality expectations: each rule is a SQL boolean evaluated on every output row of a
// flow before it is written (docs/expectations.md).
//  * warn (no ON VIOLATION): the row is kept and counted as failed;
//  * drop (DROP ROW): the row is not written; counted as failed and in dropped_records;
//  * fail (FAIL UPDATE): one failing row fails the flow; nothing is written.
// A rule whose result is NULL counts as passed, as in Databricks (a NULL is not a
// violation, like SQL CHECK constraints).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::quality {

enum class Action { kWarn, kDrop, kFail };

struct Rule {
  std::string name;
  std::string condition;  // DuckDB SQL over the output's columns
  Action action = Action::kWarn;
};

struct RuleMetrics {
  std::string name;
  Action action = Action::kWarn;
  int64_t passed_records = 0;
  int64_t failed_records = 0;
};

// A row that failed a FAIL UPDATE rule.
struct Violation {
  std::string rule;
  std::string condition;
  std::string row_json;  // the offending row as a JSON object
};

struct CheckResult {
  // The rows to write: the input's columns only, dropped rows removed. Valid on the
  // connection until ReleaseCheck.
  std::string output_sql;
  int64_t input_rows = 0;
  int64_t output_rows = 0;
  int64_t dropped_records = 0;
  std::vector<RuleMetrics> metrics;  // one per rule, in rule order
  std::optional<Violation> failure;
  std::vector<std::string> temp_tables;
};

// Evaluates every rule on every row of `input_sql` with one materialization. With no
// rules the input passes through untouched (no extra pass). A condition that does not
// compile is InvalidArgument naming the rule.
Result<CheckResult> CheckExpectations(engine::Connection& connection, const std::string& input_sql,
                                      const std::vector<Rule>& rules,
                                      const std::string& temp_name_prefix);
Status ReleaseCheck(engine::Connection& connection, const CheckResult& result);

// Checks that the rules compile against the input's columns, reading no rows.
Status ValidateRules(engine::Connection& connection, const std::string& input_sql,
                     const std::vector<Rule>& rules);

// The failure message of a FAIL UPDATE rule: names the expectation, its condition, the
// dataset and the offending row.
std::string FailureMessage(const Violation& violation, const std::string& dataset);

}  // namespace sluice::quality
