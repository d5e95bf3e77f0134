#include "quality/expectations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::quality {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Orders: (1, 5, 'a'), (2, -1, 'b'), (3, NULL, 'c'), (4, 7, NULL), (5, -3, 'e').
class ExpectationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = engine::Database::Open();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(*database);
    auto connection = database_->Connect();
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    connection_ = std::move(*connection);
    ASSERT_TRUE(connection_
                    ->Execute("CREATE TABLE orders AS SELECT * FROM (VALUES (1, 5, 'a'), "
                              "(2, -1, 'b'), (3, NULL, 'c'), (4, 7, NULL), (5, -3, 'e')) "
                              "v(id, amount, code)")
                    .ok());
  }

  CheckResult Check(const std::vector<Rule>& rules, const std::string& input = kInput) {
    auto result = CheckExpectations(*connection_, input, rules, "check");
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : CheckResult{};
  }

  // The ids of the rows `output_sql` selects, ascending.
  std::vector<int64_t> Ids(const CheckResult& result) {
    auto rows = connection_->Query("SELECT id FROM (" + result.output_sql + ") ORDER BY id");
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<int64_t> ids;
    if (!rows.ok()) return ids;
    for (const auto& row : rows->rows()) ids.push_back(std::get<int64_t>(row[0].data));
    return ids;
  }

  static constexpr const char* kInput = "SELECT * FROM orders";
  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
};

TEST_F(ExpectationsTest, WarnKeepsFailingRowsAndCountsThem) {
  CheckResult result = Check({{"positive", "amount > 0", Action::kWarn}});
  EXPECT_EQ(result.input_rows, 5);
  EXPECT_EQ(result.output_rows, 5);
  EXPECT_EQ(result.dropped_records, 0);
  ASSERT_EQ(result.metrics.size(), 1u);
  EXPECT_EQ(result.metrics[0].name, "positive");
  EXPECT_EQ(result.metrics[0].action, Action::kWarn);
  EXPECT_EQ(result.metrics[0].failed_records, 2);  // ids 2 and 5
  EXPECT_EQ(result.metrics[0].passed_records, 3);  // 1, 4 and the NULL amount of 3
  EXPECT_FALSE(result.failure);
  EXPECT_EQ(Ids(result), (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, OutputHasTheInputColumnsOnly) {
  CheckResult result = Check({{"positive", "amount > 0", Action::kDrop}});
  auto rows = connection_->Query("SELECT * FROM (" + result.output_sql + ") ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->names(), (std::vector<std::string>{"id", "amount", "code"}));
  ASSERT_EQ(rows->row_count(), 3u);
  EXPECT_EQ(rows->at(0, 2).ToString(), "a");
  EXPECT_TRUE(rows->at(1, 1).is_null());  // id 3 keeps its NULL amount
  EXPECT_TRUE(rows->at(2, 2).is_null());  // id 4 keeps its NULL code
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, DropRemovesFailingRowsAndCountsThem) {
  CheckResult result = Check({{"positive", "amount > 0", Action::kDrop}});
  EXPECT_EQ(result.input_rows, 5);
  EXPECT_EQ(result.dropped_records, 2);  // 2 and 5; 3's NULL amount passes
  EXPECT_EQ(result.output_rows, 3);
  EXPECT_EQ(result.metrics[0].failed_records, 2);
  EXPECT_EQ(result.metrics[0].passed_records, 3);
  EXPECT_EQ(Ids(result), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, ARowFailingTwoDropRulesIsDroppedOnce) {
  // Id 2 fails both rules, 3 and 5 only the first, 1 only the second.
  CheckResult result =
      Check({{"positive", "amount > 0", Action::kDrop}, {"late_id", "id > 2", Action::kDrop}});
  EXPECT_EQ(result.metrics[0].failed_records, 2);  // 2, 5
  EXPECT_EQ(result.metrics[1].failed_records, 2);  // 1, 2
  EXPECT_EQ(result.dropped_records, 3);            // 1, 2, 5: rows, not violations
  EXPECT_EQ(result.output_rows, 2);
  EXPECT_EQ(Ids(result), (std::vector<int64_t>{3, 4}));
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, MetricsOfSeveralRulesComeInRuleOrder) {
  CheckResult result = Check({{"small_id", "id < 4", Action::kWarn},
                              {"positive", "amount > 0", Action::kDrop},
                              {"has_code", "code IS NOT NULL", Action::kWarn},
                              {"sane", "id > 0", Action::kFail}});
  ASSERT_EQ(result.metrics.size(), 4u);
  const std::vector<std::string> names{"small_id", "positive", "has_code", "sane"};
  const std::vector<Action> actions{Action::kWarn, Action::kDrop, Action::kWarn, Action::kFail};
  const std::vector<int64_t> failed{2, 2, 1, 0};
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(result.metrics[i].name, names[i]);
    EXPECT_EQ(result.metrics[i].action, actions[i]);
    EXPECT_EQ(result.metrics[i].failed_records, failed[i]) << names[i];
    EXPECT_EQ(result.metrics[i].passed_records, 5 - failed[i]) << names[i];
  }
  // Warn rules never remove rows, whatever else fails.
  EXPECT_EQ(result.dropped_records, 2);
  EXPECT_EQ(Ids(result), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_FALSE(result.failure);
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, NullResultsPassForEveryAction) {
  // Only id 3 has a NULL amount; `amount > 0` is NULL for it.
  const std::string input = "SELECT * FROM orders WHERE id = 3";
  for (Action action : {Action::kWarn, Action::kDrop, Action::kFail}) {
    CheckResult result = Check({{"positive", "amount > 0", action}}, input);
    EXPECT_EQ(result.metrics[0].passed_records, 1) << ActionName(action);
    EXPECT_EQ(result.metrics[0].failed_records, 0) << ActionName(action);
    EXPECT_EQ(result.dropped_records, 0) << ActionName(action);
    EXPECT_FALSE(result.failure) << ActionName(action);
    EXPECT_EQ(Ids(result), (std::vector<int64_t>{3})) << ActionName(action);
    EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
  }
}

TEST_F(ExpectationsTest, IsNotNullMakesNullsFail) {
  CheckResult result = Check({{"positive", "amount IS NOT NULL AND amount > 0", Action::kDrop}});
  EXPECT_EQ(result.metrics[0].failed_records, 3);  // 2, 3 (NULL), 5
  EXPECT_EQ(Ids(result), (std::vector<int64_t>{1, 4}));
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());

  CheckResult failed = Check({{"positive", "amount IS NOT NULL AND amount > 0", Action::kFail}},
                             "SELECT * FROM orders WHERE id = 3");
  ASSERT_TRUE(failed.failure);
  EXPECT_EQ(failed.failure->row_json, R"({"id":3,"amount":null,"code":"c"})");
  EXPECT_TRUE(ReleaseCheck(*connection_, failed).ok());
}

TEST_F(ExpectationsTest, IsNullLetsNullsThrough) {
  CheckResult result = Check({{"null_or_positive", "amount IS NULL OR amount > 0", Action::kDrop}});
  EXPECT_EQ(result.metrics[0].failed_records, 2);  // 2, 5
  EXPECT_EQ(Ids(result), (std::vector<int64_t>{1, 3, 4}));
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, FailReportsTheRuleAndAnOffendingRow) {
  CheckResult result = Check({{"positive", "amount > 0", Action::kWarn},
                              {"small_id", "id < 5", Action::kFail},
                              {"non_negative", "amount >= 0", Action::kFail}});
  ASSERT_TRUE(result.failure);
  // The first failing fail rule in rule order, and the only row failing it.
  EXPECT_EQ(result.failure->rule, "small_id");
  EXPECT_EQ(result.failure->condition, "id < 5");
  EXPECT_EQ(result.failure->row_json, R"({"id":5,"amount":-3,"code":"e"})");
  // Every rule still has its counts.
  EXPECT_EQ(result.metrics[1].failed_records, 1);
  EXPECT_EQ(result.metrics[2].failed_records, 2);  // 2, 5; 3's NULL passes
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, FailureMessageNamesExpectationConditionDatasetAndRow) {
  Violation violation{"valid_id", "id IS NOT NULL", R"({"id":null,"item":"pear"})"};
  EXPECT_EQ(FailureMessage(violation, "orders"),
            "[EXPECTATION_VIOLATION.VERBOSITY_OUTPUT] Flow 'orders' failed to meet the "
            "expectation. Violated expectations: 'valid_id' (id IS NOT NULL). Output record: "
            "'{\"id\":null,\"item\":\"pear\"}'. Nothing was written to 'orders'.");
  const std::string with_flow = FailureMessage(violation, "orders", "backfill");
  EXPECT_THAT(with_flow, HasSubstr("Flow 'backfill' failed"));
  EXPECT_THAT(with_flow, HasSubstr("Nothing was written to 'orders'"));
}

TEST_F(ExpectationsTest, NoRulesPassTheInputThroughWithoutReadingIt) {
  // Reading a row of this input would fail.
  const std::string input = "SELECT id, error('rows were read') AS boom FROM orders";
  auto result = CheckExpectations(*connection_, input, {}, "check");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->output_sql, input);
  EXPECT_TRUE(result->temp_tables.empty());
  EXPECT_TRUE(result->metrics.empty());
  EXPECT_FALSE(result->failure);
  EXPECT_TRUE(ReleaseCheck(*connection_, *result).ok());
}

TEST_F(ExpectationsTest, EmptyInputCountsNothing) {
  CheckResult result =
      Check({{"positive", "amount > 0", Action::kFail}}, "SELECT * FROM orders WHERE false");
  EXPECT_EQ(result.input_rows, 0);
  EXPECT_EQ(result.output_rows, 0);
  EXPECT_EQ(result.metrics[0].passed_records, 0);
  EXPECT_FALSE(result.failure);
  EXPECT_TRUE(Ids(result).empty());
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
}

TEST_F(ExpectationsTest, ReleaseDropsTheMaterializedRows) {
  CheckResult result = Check({{"positive", "amount > 0", Action::kDrop}});
  ASSERT_EQ(result.temp_tables.size(), 1u);
  EXPECT_TRUE(connection_->Query("SELECT count(*) FROM (" + result.output_sql + ")").ok());
  EXPECT_TRUE(ReleaseCheck(*connection_, result).ok());
  EXPECT_FALSE(connection_->Query("SELECT count(*) FROM (" + result.output_sql + ")").ok());
}

TEST_F(ExpectationsTest, ChecksOnOneConnectionDoNotCollide) {
  auto first = CheckExpectations(*connection_, kInput, {{"a", "id < 3", Action::kDrop}},
                                 "__sluice_check_my flow.v2");
  auto second = CheckExpectations(*connection_, kInput, {{"b", "id > 3", Action::kDrop}},
                                  "__sluice_check_my flow.v2");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(first->temp_tables, second->temp_tables);
  EXPECT_EQ(Ids(*first), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Ids(*second), (std::vector<int64_t>{4, 5}));
  EXPECT_TRUE(ReleaseCheck(*connection_, *first).ok());
  EXPECT_EQ(Ids(*second), (std::vector<int64_t>{4, 5}));
  EXPECT_TRUE(ReleaseCheck(*connection_, *second).ok());
}

TEST_F(ExpectationsTest, UnknownColumnNamesTheRuleAndTheColumn) {
  const std::vector<Rule> rules{{"positive", "amount > 0", Action::kWarn},
                                {"typo", "amont > 0", Action::kDrop}};
  auto checked = CheckExpectations(*connection_, kInput, rules, "check");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(checked.status().message(), HasSubstr("expectation 'typo' (amont > 0)"));
  EXPECT_THAT(checked.status().message(), HasSubstr("amont"));
  EXPECT_THAT(checked.status().message(), Not(HasSubstr("'positive'")));
  Status validated = ValidateRules(*connection_, kInput, rules);
  EXPECT_EQ(validated.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(validated.message(), HasSubstr("expectation 'typo'"));
  EXPECT_THAT(validated.message(), HasSubstr("Binder Error"));
  EXPECT_THAT(validated.message(), HasSubstr("\"amont\""));
  // Nothing of the SQL built around the condition leaks into the message.
  EXPECT_THAT(validated.message(), Not(HasSubstr("LINE 1")));
  EXPECT_THAT(validated.message(), Not(HasSubstr("__sluice")));
}

TEST_F(ExpectationsTest, SyntaxErrorNamesTheRule) {
  auto checked =
      CheckExpectations(*connection_, kInput, {{"broken", "amount >", Action::kWarn}}, "check");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(checked.status().message(), HasSubstr("expectation 'broken' (amount >)"));
}

TEST_F(ExpectationsTest, NonBooleanConditionNamesTheRuleAndType) {
  const std::vector<Rule> rules{{"code_only", "code", Action::kWarn}};
  Status validated = ValidateRules(*connection_, kInput, rules);
  EXPECT_EQ(validated.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(validated.message(), HasSubstr("expectation 'code_only' (code)"));
  EXPECT_THAT(validated.message(), HasSubstr("VARCHAR, not a boolean"));
  EXPECT_FALSE(CheckExpectations(*connection_, kInput, rules, "check").ok());
  // DuckDB would read a number as a boolean; Spark refuses it, and so does a check.
  auto checked =
      CheckExpectations(*connection_, kInput, {{"amount_only", "amount", Action::kDrop}}, "check");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(checked.status().message(),
              HasSubstr("expectation 'amount_only' (amount): the condition is INTEGER"));
}

TEST_F(ExpectationsTest, ConditionFailingWhileRunningNamesTheRule) {
  auto checked = CheckExpectations(*connection_, kInput,
                                   {{"fine", "id > 0", Action::kWarn},
                                    {"numeric_code", "CAST(code AS INTEGER) > 0", Action::kWarn}},
                                   "check");
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(checked.status().message(), HasSubstr("expectation 'numeric_code'"));
  EXPECT_THAT(checked.status().message(), HasSubstr("Conversion Error"));
  EXPECT_THAT(checked.status().message(), Not(HasSubstr("LINE 1")));
}

TEST_F(ExpectationsTest, BrokenInputIsNotBlamedOnARule) {
  const std::string input = "SELECT * FROM no_such_table";
  const std::vector<Rule> rules{{"positive", "amount > 0", Action::kWarn}};
  auto checked = CheckExpectations(*connection_, input, rules, "check");
  ASSERT_FALSE(checked.ok());
  EXPECT_THAT(checked.status().message(), HasSubstr("no_such_table"));
  EXPECT_THAT(checked.status().message(), Not(HasSubstr("expectation 'positive'")));
  Status validated = ValidateRules(*connection_, input, rules);
  EXPECT_THAT(validated.message(), HasSubstr("no_such_table"));
  EXPECT_THAT(validated.message(), Not(HasSubstr("expectation 'positive'")));
}

TEST_F(ExpectationsTest, ValidationReadsNoRows) {
  const std::string input = "SELECT *, error('rows were read') AS boom FROM orders";
  EXPECT_TRUE(ValidateRules(*connection_, input,
                            {{"positive", "amount > 0", Action::kWarn},
                             {"has_code", "code IS NOT NULL", Action::kFail}})
                  .ok());
  EXPECT_TRUE(ValidateRules(*connection_, input, {}).ok());
}

}  // namespace
}  // namespace sluice::quality
