#include "quality/expectations.h"

#include <gtest/gtest.h>

namespace sluice::quality {
namespace {

class ExpectationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::move(*engine::Database::Open());
    connection_ = std::move(*database_->Connect());
    ASSERT_TRUE(connection_
                    ->Execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 5), (2, -1), (3, NULL), "
                              "(4, 7)) v(id, amount)")
                    .ok());
  }
  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
};

TEST_F(ExpectationsTest, WarnDropAndNullCounting) {
  auto result = CheckExpectations(
      *connection_, "SELECT * FROM t",
      {{"positive", "amount > 0", Action::kDrop}, {"small_id", "id < 4", Action::kWarn}}, "check");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->input_rows, 4);
  EXPECT_EQ(result->dropped_records, 1);  // id 2; the NULL amount passes
  EXPECT_EQ(result->metrics[0].failed_records, 1);
  EXPECT_EQ(result->metrics[0].passed_records, 3);
  EXPECT_EQ(result->metrics[1].failed_records, 1);
  EXPECT_FALSE(result->failure);
  auto rows = connection_->Query("SELECT id FROM (" + result->output_sql + ") ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->row_count(), 3u);
  EXPECT_EQ(rows->column_count(), 1u);
  EXPECT_TRUE(ReleaseCheck(*connection_, *result).ok());
}

TEST_F(ExpectationsTest, FailShowsTheOffendingRow) {
  auto result = CheckExpectations(*connection_, "SELECT * FROM t",
                                  {{"non_negative", "amount >= 0", Action::kFail}}, "check");
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(result->failure);
  EXPECT_EQ(result->failure->rule, "non_negative");
  EXPECT_EQ(result->failure->row_json, "{\"id\":2,\"amount\":-1}");
  const std::string message = FailureMessage(*result->failure, "orders");
  EXPECT_NE(message.find("expectation 'non_negative'"), std::string::npos);
  EXPECT_NE(message.find("'orders'"), std::string::npos);
  (void)ReleaseCheck(*connection_, *result);
}

TEST_F(ExpectationsTest, NoRulesPassThroughAndBadConditionsNameTheRule) {
  auto result = CheckExpectations(*connection_, "SELECT * FROM t", {}, "check");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->output_sql, "SELECT * FROM t");
  EXPECT_TRUE(result->temp_tables.empty());
  auto bad = CheckExpectations(*connection_, "SELECT * FROM t", {{"typo", "amont > 0"}}, "c");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("expectation 'typo'"), std::string::npos);
  EXPECT_NE(bad.status().message().find("amont"), std::string::npos);
}

}  // namespace
}  // namespace sluice::quality
