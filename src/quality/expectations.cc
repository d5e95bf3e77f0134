#include "quality/expectations.h"

#include <atomic>
#include <cctype>

#include "common/strings.h"

namespace sluice::quality {
namespace {

std::atomic<int64_t> next_table{0};

std::string RuleColumn(size_t index) { return "__sluice_rule_" + std::to_string(index); }

std::string RuleColumns(size_t count) {
  std::vector<std::string> columns;
  for (size_t i = 0; i < count; ++i) columns.push_back(RuleColumn(i));
  return Join(columns, ", ");
}

// DuckDB's message without the "LINE 1: ..." excerpt, which quotes the SQL built here
// rather than anything the user wrote.
std::string BriefMessage(const Status& status) {
  std::string message = status.message();
  const size_t excerpt = message.find("\nLINE ");
  if (excerpt != std::string::npos) message.erase(excerpt);
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) {
    message.pop_back();
  }
  return message;
}

Status RuleError(const Rule& rule, std::string_view problem) {
  return InvalidArgument("expectation '", rule.name, "' (", rule.Display(), "): ", problem);
}

Status RuleError(const Rule& rule, const Status& cause) {
  return RuleError(rule, BriefMessage(cause));
}

Status NotBoolean(const Rule& rule, const std::string& type) {
  return RuleError(rule, "the condition is " + type + ", not a boolean");
}

// Binds the conditions against the input (reading no rows) and returns their types.
Result<engine::QueryResult> DescribeConditions(engine::Connection& connection,
                                               const std::string& input_sql,
                                               const std::vector<const Rule*>& rules) {
  std::vector<std::string> columns;
  for (size_t i = 0; i < rules.size(); ++i) {
    columns.push_back("(" + rules[i]->condition + ") AS " + RuleColumn(i));
  }
  return connection.Query("DESCRIBE SELECT " + Join(columns, ", ") + " FROM (" + input_sql +
                          ") LIMIT 0");
}

bool IsBooleanType(const std::string& type) { return type == "BOOLEAN"; }

// Finds the rule that made a failed materialization fail and returns its error, or
// `cause` when the input itself is at fault. Reads the input again, once per rule at most:
// this runs only after a failure.
Status BlameRule(engine::Connection& connection, const std::string& input_sql,
                 const std::vector<Rule>& rules, const Status& cause) {
  SLUICE_RETURN_IF_ERROR(ValidateRules(connection, input_sql, rules));
  if (!connection.Query("SELECT count(*) FROM (" + input_sql + ")").ok()) return cause;
  for (const Rule& rule : rules) {
    auto evaluated = connection.Query("SELECT count(*) FILTER (WHERE (" + rule.condition +
                                      ") IS FALSE) FROM (" + input_sql + ")");
    if (!evaluated.ok()) return RuleError(rule, evaluated.status());
  }
  return cause;
}

std::string SanitizedPrefix(const std::string& prefix) {
  std::string out;
  for (char c : prefix) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out.empty() ? "__sluice_check" : out;
}

int64_t IntAt(const engine::QueryResult& result, size_t column) {
  const engine::Value& value = result.at(0, column);
  return value.is_null() ? 0 : std::get<int64_t>(value.data);
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kWarn:
      return "warn";
    case Action::kDrop:
      return "drop";
    case Action::kFail:
      return "fail";
  }
  return "warn";
}

Status ValidateRules(engine::Connection& connection, const std::string& input_sql,
                     const std::vector<Rule>& rules) {
  if (rules.empty()) return Status::OK();
  std::vector<const Rule*> all;
  for (const Rule& rule : rules) all.push_back(&rule);
  auto described = DescribeConditions(connection, input_sql, all);
  if (!described.ok()) {
    // Say which rule is at fault, unless it is the input.
    Status input = connection.Execute("DESCRIBE SELECT * FROM (" + input_sql + ") LIMIT 0");
    if (!input.ok()) return input;
    for (const Rule& rule : rules) {
      auto single = DescribeConditions(connection, input_sql, {&rule});
      if (!single.ok()) return RuleError(rule, single.status());
    }
    return described.status();
  }
  for (size_t i = 0; i < rules.size() && i < described->row_count(); ++i) {
    const std::string type = described->at(i, 1).ToString();
    if (!IsBooleanType(type)) return NotBoolean(rules[i], type);
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
  const std::string table_name =
      SanitizedPrefix(temp_name_prefix) + "_" + std::to_string(next_table++);
  const std::string table = QuoteIdentifier(table_name);
  std::vector<std::string> results;
  for (size_t i = 0; i < rules.size(); ++i) {
    results.push_back("(" + rules[i].condition + ") AS " + RuleColumn(i));
  }
  // Rules are not bound beforehand: binding the input can cost as much as reading it (file
  // listings, schema inference), so a rule's error is looked for only when this fails.
  Status made = connection.Execute("CREATE TEMP TABLE " + table + " AS SELECT *, " +
                                   Join(results, ", ") + " FROM (" + input_sql + ")");
  if (!made.ok()) return BlameRule(connection, input_sql, rules, made);
  result.temp_tables.push_back(table_name);
  auto fail = [&](Status status) -> Status {
    (void)ReleaseCheck(connection, result);
    return status;
  };

  // The rule columns are the table's last ones; each must be a boolean.
  auto columns = connection.Query("DESCRIBE " + table);
  if (!columns.ok()) return fail(columns.status());
  const size_t first_rule_column = columns->row_count() - rules.size();
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string type = columns->at(first_rule_column + i, 1).ToString();
    if (!IsBooleanType(type)) return fail(NotBoolean(rules[i], type));
  }

  // Only a false result is a violation: a NULL result passes, as on Databricks
  // (docs/expectations.md gives the evidence).
  std::vector<std::string> counts{"count(*)"};
  std::vector<std::string> drop_violations;
  std::vector<std::string> drop_passes;
  for (size_t i = 0; i < rules.size(); ++i) {
    counts.push_back("count(*) FILTER (WHERE " + RuleColumn(i) + " IS FALSE)");
    if (rules[i].action == Action::kDrop) {
      drop_violations.push_back(RuleColumn(i) + " IS FALSE");
      drop_passes.push_back(RuleColumn(i) + " IS NOT FALSE");
    }
  }
  counts.push_back(drop_violations.empty()
                       ? "0::BIGINT"
                       : "count(*) FILTER (WHERE " + Join(drop_violations, " OR ") + ")");
  auto totals = connection.Query("SELECT " + Join(counts, ", ") + " FROM " + table);
  if (!totals.ok()) return fail(totals.status());
  result.input_rows = IntAt(*totals, 0);
  for (size_t i = 0; i < rules.size(); ++i) {
    RuleMetrics metrics;
    metrics.name = rules[i].name;
    metrics.action = rules[i].action;
    metrics.failed_records = IntAt(*totals, i + 1);
    metrics.passed_records = result.input_rows - metrics.failed_records;
    result.metrics.push_back(std::move(metrics));
  }
  result.dropped_records = IntAt(*totals, rules.size() + 1);
  result.output_rows = result.input_rows - result.dropped_records;

  const std::string rule_columns = RuleColumns(rules.size());
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].action != Action::kFail || result.metrics[i].failed_records == 0) continue;
    Violation violation{rules[i].name, rules[i].Display(), ""};
    auto offending =
        connection.Query("SELECT to_json(r)::VARCHAR FROM (SELECT * EXCLUDE (" + rule_columns +
                         ") FROM " + table + " WHERE " + RuleColumn(i) + " IS FALSE LIMIT 1) r");
    if (offending.ok() && offending->row_count() == 1) {
      violation.row_json = offending->at(0, 0).ToString();
    }
    result.failure = std::move(violation);
    break;
  }
  result.output_sql = "SELECT * EXCLUDE (" + rule_columns + ") FROM " + table;
  if (!drop_passes.empty()) result.output_sql += " WHERE " + Join(drop_passes, " AND ");
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
  return FailureMessage(violation, dataset, dataset);
}

std::string FailureMessage(const Violation& violation, const std::string& dataset,
                           const std::string& flow) {
  return "[EXPECTATION_VIOLATION.VERBOSITY_OUTPUT] Flow '" + flow +
         "' failed to meet the expectation. Violated expectations: '" + violation.rule + "' (" +
         violation.condition + "). Output record: '" + violation.row_json +
         "'. Nothing was written to '" + dataset + "'.";
}

}  // namespace sluice::quality
