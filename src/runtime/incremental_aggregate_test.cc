#include "runtime/incremental_aggregate.h"

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "runtime/flow_runner.h"

namespace sluice::runtime {
namespace {

using Kind = AggregateKind;

class IncrementalAggregateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = engine::Database::Open();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(*database);
    ASSERT_TRUE(InstallSparkCompat(*database_).ok());
    auto connection = database_->Connect();
    ASSERT_TRUE(connection.ok());
    connection_ = std::move(*connection);
    ASSERT_TRUE(connection_
                    ->Execute("CREATE TABLE src AS SELECT * FROM (VALUES "
                              "('a', 1, 'x'), ('a', 2, 'y'), (NULL, 3, 'x'), ('b', NULL, NULL)) "
                              "t(shop, amount, customer)")
                    .ok());
  }

  // The plan of `sql` (reading `src`), or nullopt; `names` are its output columns.
  std::optional<AggregatePlan> Plan(const std::string& sql) {
    auto described = connection_->Query("DESCRIBE " + sql);
    EXPECT_TRUE(described.ok()) << described.status().ToString();
    std::vector<std::string> names;
    for (size_t row = 0; row < described->row_count(); ++row) {
      names.push_back(described->at(row, 0).ToString());
    }
    auto plan = PlanIncrementalAggregate(*connection_, sql, "src", names);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? *plan : std::nullopt;
  }

  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
};

TEST_F(IncrementalAggregateTest, GroupedAggregatesQualify) {
  auto plan = Plan(
      "SELECT shop, count(*) AS n, count(amount), sum(amount) AS s, min(amount), max(customer), "
      "count(DISTINCT customer) AS c FROM src WHERE amount > 0 GROUP BY shop");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->columns, (std::vector<Kind>{Kind::kKey, Kind::kCount, Kind::kCount, Kind::kSum,
                                              Kind::kMin, Kind::kMax, Kind::kCountDistinct}));
  ASSERT_EQ(plan->distinct_pairs_sql.size(), 1u);
  // The pairs query reads the same source with the same filter.
  auto pairs =
      connection_->Query("SELECT * FROM (" + plan->distinct_pairs_sql.at(6) + ") ORDER BY ALL");
  ASSERT_TRUE(pairs.ok()) << pairs.status().ToString() << "\n" << plan->distinct_pairs_sql.at(6);
  ASSERT_EQ(pairs->row_count(), 3u);  // (a, x), (a, y), (NULL, x)
  EXPECT_EQ(pairs->names(), (std::vector<std::string>{"shop", "__sluice_value"}));
}

TEST_F(IncrementalAggregateTest, KeysByOrdinalAliasOrExpression) {
  auto ordinal = Plan("SELECT upper(shop) AS s, sum(amount) FROM src GROUP BY 1");
  ASSERT_TRUE(ordinal);
  EXPECT_EQ(ordinal->columns, (std::vector<Kind>{Kind::kKey, Kind::kSum}));
  auto alias = Plan("SELECT sum(amount), upper(shop) AS s FROM src GROUP BY s");
  ASSERT_TRUE(alias);
  EXPECT_EQ(alias->columns, (std::vector<Kind>{Kind::kSum, Kind::kKey}));
  auto expression = Plan("SELECT upper(shop) AS s, max(amount) FROM src GROUP BY upper(shop)");
  ASSERT_TRUE(expression);
  EXPECT_EQ(expression->columns, (std::vector<Kind>{Kind::kKey, Kind::kMax}));
  auto global = Plan("SELECT count(*), sum(amount) FROM src");
  ASSERT_TRUE(global);
  EXPECT_EQ(global->columns, (std::vector<Kind>{Kind::kCount, Kind::kSum}));
}

TEST_F(IncrementalAggregateTest, SparkSumsQualify) {
  // What the Spark front-end makes of sum over longs and over DECIMAL(10, 2).
  auto plan = Plan(
      "SELECT shop, spark_wrap_long_huge(sum(CAST(amount AS HUGEINT))) AS n, "
      "TRY_CAST(sum(CAST(amount AS DECIMAL(10,2))) AS DECIMAL(20,2)) AS s FROM src GROUP BY shop");
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->columns, (std::vector<Kind>{Kind::kKey, Kind::kSum, Kind::kSum}));
  // A sum of 38 digits may overflow to NULL: recomputed.
  EXPECT_FALSE(Plan(
      "SELECT shop, TRY_CAST(sum(CAST(amount AS DECIMAL(28,2))) AS DECIMAL(38,2)) FROM src GROUP "
      "BY shop"));
}

TEST_F(IncrementalAggregateTest, OtherShapesAreRecomputed) {
  for (const char* sql : {
           "SELECT shop, avg(amount) FROM src GROUP BY shop",
           "SELECT shop, sum(DISTINCT amount) FROM src GROUP BY shop",
           "SELECT shop, sum(amount) FROM src GROUP BY shop HAVING sum(amount) > 1",
           "SELECT shop, sum(amount) FROM src GROUP BY shop ORDER BY 2 LIMIT 1",
           "SELECT DISTINCT shop, sum(amount) FROM src GROUP BY shop",
           "SELECT sum(amount) FROM src GROUP BY shop",  // the key is not in the output
           "SELECT shop, sum(amount) + 1 FROM src GROUP BY shop",
           "SELECT shop, sum(amount) FILTER (WHERE amount > 1) FROM src GROUP BY shop",
           "SELECT shop, sum(amount) FROM src GROUP BY ROLLUP (shop)",
           "SELECT shop, count(*) FROM src WHERE amount > (SELECT 1) GROUP BY shop",
           "SELECT shop, amount FROM src",
           "SELECT s.shop, count(*) FROM src s JOIN src t USING (shop) GROUP BY s.shop",
           "SELECT shop, row_number() OVER () FROM src GROUP BY shop",
       }) {
    EXPECT_FALSE(Plan(sql)) << sql;
  }
}

TEST_F(IncrementalAggregateTest, MergeAddsCountsAndSumsAndComparesExtremes) {
  const std::string sql =
      "SELECT shop, count(*) AS n, sum(amount) AS s, min(amount) AS lo, max(amount) AS hi "
      "FROM src GROUP BY shop";
  auto plan = Plan(sql);
  ASSERT_TRUE(plan);
  const std::vector<std::string> names{"shop", "n", "s", "lo", "hi"};
  const std::vector<std::string> types{"VARCHAR", "BIGINT", "HUGEINT", "INTEGER", "INTEGER"};
  // Current rows: a (2 rows, 1..2), NULL key (3), b (NULL amount). New: a 5, b 4, c 7.
  const std::string delta =
      "SELECT shop, count(*) AS n, sum(amount) AS s, min(amount) AS lo, max(amount) AS hi FROM "
      "(VALUES ('a', 5), ('b', 4), ('c', 7)) t(shop, amount) GROUP BY shop";
  const std::string merged = MergeAggregatesSql(*plan, names, types, "(" + sql + ")", delta, {});
  auto rows = connection_->Query("SELECT * FROM (" + merged + ") ORDER BY shop NULLS LAST");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString() << "\n" << merged;
  ASSERT_EQ(rows->row_count(), 4u);
  const std::vector<std::string> expected{"a|3|8|1|5", "b|2|4|4|4", "c|1|7|7|7", "NULL|1|3|3|3"};
  for (size_t row = 0; row < 4; ++row) {
    std::string line;
    for (size_t column = 0; column < 5; ++column) {
      line += (column ? "|" : "") + rows->at(row, column).ToString();
    }
    EXPECT_EQ(line, expected[row]);
  }
}

}  // namespace
}  // namespace sluice::runtime
