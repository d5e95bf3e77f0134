#include "quality/expectations.h"

#include <atomic>

#include "common/strings.h"

namespace sluice::quality {
namespace {

std::atomic<int64_t> next_table{0};

std::string RuleColumn(size_t index) { return "__sluice_rule_" + std::to_string(index); }

Status RuleError(const Rule& rule, const Status& cause) {
  return InvalidArgument("expectation '" + rule.name + "' (" + rule.condition +
                         "): " + cause.message());
}

}  // namespace

Status ValidateRules(engine::Connection& connection, const std::string& input_sql,
                     const std::vector<Rule>& rules) {
  for (const Rule& rule : rules) {
    Status status = connection.Execute("DESCRIBE SELECT (" + rule.condition + ")::BOOLEAN FROM (" +
                                       input_sql + ") LIMIT 0");
    if (!status.ok()) return RuleError(rule, status);
  }
  return Status::OK();
}

Result<CheckResult> CheckExpectations(engine::Connection& connection, const std::string& input_sql,
                                      const std::vector<Rule>& rules,
                                      const std::string& temp_name_prefix) {
  CheckResult result;
  if (rules.empty()) {
    result.output_sql = input_sql;
    return result;
  }
  SLUICE_RETURN_IF_ERROR(ValidateRules(connection, input_sql, rules));
  std::string prefix;
  for (char c : temp_name_prefix) prefix += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  const std::string table = prefix + "_" + std::to_string(next_table++);
  std::vector<std::string> flags;
  for (size_t i = 0; i < rules.size(); ++i) {
    // NULL passes: only a definite false is a violation.
    flags.push_back("coalesce((" + rules[i].condition + ")::BOOLEAN, true) AS " + RuleColumn(i));
  }
  SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE TEMP TABLE " + QuoteIdentifier(table) +
                                            " AS SELECT *, " + Join(flags, ", ") + " FROM (" +
                                            input_sql + ")"));
  result.temp_tables.push_back(table);
  std::vector<std::string> counts{"count(*)"};
  std::vector<std::string> drop_conditions;
  for (size_t i = 0; i < rules.size(); ++i) {
    counts.push_back("count(*) FILTER (WHERE NOT " + RuleColumn(i) + ")");
    if (rules[i].action == Action::kDrop) drop_conditions.push_back(RuleColumn(i));
  }
  const std::string keep = drop_conditions.empty() ? "true" : Join(drop_conditions, " AND ");
  counts.push_back("count(*) FILTER (WHERE NOT (" + keep + "))");
  auto totals =
      connection.Query("SELECT " + Join(counts, ", ") + " FROM " + QuoteIdentifier(table));
  if (!totals.ok()) {
    (void)ReleaseCheck(connection, result);
    return totals.status();
  }
  const auto& row = totals->row(0);
  result.input_rows = std::get<int64_t>(row[0].data);
  for (size_t i = 0; i < rules.size(); ++i) {
    RuleMetrics metrics;
    metrics.name = rules[i].name;
    metrics.action = rules[i].action;
    metrics.failed_records = std::get<int64_t>(row[i + 1].data);
    metrics.passed_records = result.input_rows - metrics.failed_records;
    result.metrics.push_back(metrics);
  }
  result.dropped_records = std::get<int64_t>(row[rules.size() + 1].data);
  result.output_rows = result.input_rows - result.dropped_records;
  std::vector<std::string> rule_columns;
  for (size_t i = 0; i < rules.size(); ++i) rule_columns.push_back(RuleColumn(i));
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].action != Action::kFail || result.metrics[i].failed_records == 0) continue;
    auto offending = connection.Query(
        "SELECT to_json(t)::VARCHAR FROM (SELECT * EXCLUDE (" + Join(rule_columns, ", ") +
        ") FROM " + QuoteIdentifier(table) + " WHERE NOT " + RuleColumn(i) + " LIMIT 1) t");
    Violation violation{rules[i].name, rules[i].condition, ""};
    if (offending.ok() && offending->row_count() == 1) {
      violation.row_json = offending->at(0, 0).ToString();
    }
    result.failure = violation;
    break;
  }
  result.output_sql = "SELECT * EXCLUDE (" + Join(rule_columns, ", ") + ") FROM " +
                      QuoteIdentifier(table) + " WHERE " + keep;
  return result;
}

Status ReleaseCheck(engine::Connection& connection, const CheckResult& result) {
  Status first = Status::OK();
  for (const std::string& table : result.temp_tables) {
    Status status = connection.Execute("DROP TABLE IF EXISTS " + QuoteIdentifier(table));
    if (first.ok()) first = status;
  }
  return first;
}

std::string FailureMessage(const Violation& violation, const std::string& dataset) {
  return "expectation '" + violation.rule + "' (" + violation.condition + ") on '" + dataset +
         "' failed (ON VIOLATION FAIL UPDATE); nothing was written. Offending row: " +
         violation.row_json;
}

}  // namespace sluice::quality
