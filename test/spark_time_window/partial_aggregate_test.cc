// Partial aggregation (spark::TranslatePartialAggregate and TranslateOptions::merge_partials)
// on DuckDB: an aggregation's partial rows, computed batch by batch and merged, give the rows
// and column types the aggregation gives over all input rows at once; aggregations whose
// partial values do not combine exactly are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "common/strings.h"
#include "engine/engine.h"
#include "runtime/spark_functions.h"
#include "spark/parser.h"
#include "spark/references.h"
#include "spark/translator.h"
#include "spark_on_duckdb.h"

namespace sluice {
namespace {

// Input rows in three batches; NULL times and values, repeated keys, sums that overflow a
// LONG (Spark wraps them around), times before the epoch.
constexpr char kRows[] =
    "CREATE TABLE events AS SELECT * FROM (VALUES "
    "(0, 'a', TIMESTAMP '2021-01-01 00:01:00', 1, 1.50::DECIMAL(10, 2), 0.1::DOUBLE, true), "
    "(0, 'a', TIMESTAMP '2021-01-01 00:04:59', 2, 2.25, 0.2, false), "
    "(0, 'b', TIMESTAMP '2021-01-01 00:06:00', NULL, NULL, 0.3, NULL), "
    "(0, NULL, TIMESTAMP '2021-01-01 00:07:30', 4, 4.00, NULL, true), "
    "(0, 'a', NULL, 5, 5.00, 0.5, true), "
    "(1, 'a', TIMESTAMP '2021-01-01 00:02:00', 9223372036854775000, 1.00, 0.6, true), "
    "(1, 'a', TIMESTAMP '2021-01-01 00:03:00', 9223372036854775000, 1.00, 0.7, true), "
    "(1, 'b', TIMESTAMP '2021-01-01 00:09:59', 7, 7.77, 0.8, false), "
    "(1, NULL, TIMESTAMP '2021-01-01 00:12:00', 8, -8.00, 0.9, NULL), "
    "(1, 'c', TIMESTAMP '1969-12-31 23:58:00', -3, 0.01, 1.0, true), "
    "(2, 'a', TIMESTAMP '2021-01-01 00:01:30', 10, 10.10, 1.1, false), "
    "(2, 'b', TIMESTAMP '2021-01-01 00:06:30', 11, 11.11, 1.2, true), "
    "(2, 'b', TIMESTAMP '2021-01-01 00:14:00', -12, 12.12, 1.3, true), "
    "(2, NULL, NULL, NULL, NULL, NULL, NULL), "
    "(2, 'c', TIMESTAMP '1969-12-31 23:59:59', 3, 0.02, 1.4, false)"
    ") AS t(batch, k, ts, v, d, x, f)";

constexpr char kColumns[] = "k, ts, v, d, x, f";

class PartialAggregate : public SparkOnDuckDb {
 protected:
  void SetUp() override {
    SparkOnDuckDb::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(connection_->Execute(kRows).ok());
  }

  static std::vector<spark::Column> InputColumns() {
    auto column = [](const char* name, spark::DataType type) {
      return spark::Column{name, std::move(type), true};
    };
    return {column("k", spark::DataType::Of(spark::TypeId::kString)),
            column("ts", spark::DataType::Of(spark::TypeId::kTimestampNtz)),
            column("v", spark::DataType::Of(spark::TypeId::kLong)),
            column("d", spark::DataType::Decimal(10, 2)),
            column("x", spark::DataType::Of(spark::TypeId::kDouble)),
            column("f", spark::DataType::Of(spark::TypeId::kBoolean))};
  }

  // The innermost SELECT of `query` that reads `events` (the one aggregating it).
  static const spark::SelectBody* AggregatingSelect(const spark::Query& query) {
    const spark::SelectBody* select = query.select.get();
    while (select != nullptr && select->from.size() == 1 && select->from[0]->query) {
      select = select->from[0]->query->select.get();
    }
    return select;
  }

  // The result of `sql`, rows sorted, each as "type=value | ..." so that types count too.
  Result<std::vector<std::string>> Run(const std::string& sql) {
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, connection_->Query(sql));
    std::vector<std::string> rows;
    for (size_t r = 0; r < result.row_count(); ++r) {
      std::vector<std::string> cells;
      for (size_t c = 0; c < result.column_count(); ++c) {
        cells.push_back(result.column_type(c) + "=" + result.at(r, c).ToString());
      }
      rows.push_back(Join(cells, " | "));
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  // The query over all rows at once.
  Result<std::vector<std::string>> Whole(const std::string& sql) {
    SLUICE_ASSIGN_OR_RETURN(spark::ParsedQuery query, spark::ParseQueryText(sql, "q.sql"));
    spark::AnnotateReferences(*query.query);
    const spark::SelectBody* select = AggregatingSelect(*query.query);
    spark::TranslateOptions options;
    options.substitutes[select->from[0].get()] = spark::SubstituteRelation{
        std::string("(SELECT ") + kColumns + " FROM events)", InputColumns()};
    NoTables tables;
    SLUICE_ASSIGN_OR_RETURN(spark::Translation translation,
                            spark::TranslateQuery(query, tables, options));
    return Run(translation.sql);
  }

  // The query's partial rows, one batch at a time (in `order`), merged.
  Result<std::vector<std::string>> Split(const std::string& sql,
                                         const std::vector<int>& order = {0, 1, 2}) {
    SLUICE_ASSIGN_OR_RETURN(spark::ParsedQuery query, spark::ParseQueryText(sql, "q.sql"));
    spark::AnnotateReferences(*query.query);
    const spark::SelectBody* select = AggregatingSelect(*query.query);
    NoTables tables;
    std::vector<spark::Column> columns;
    SLUICE_RETURN_IF_ERROR(connection_->Execute("DROP TABLE IF EXISTS partials"));
    for (size_t i = 0; i < order.size(); ++i) {
      spark::TranslateOptions options;
      options.substitutes[select->from[0].get()] = spark::SubstituteRelation{
          std::string("(SELECT ") + kColumns +
              " FROM events WHERE batch = " + std::to_string(order[i]) + ")",
          InputColumns()};
      SLUICE_ASSIGN_OR_RETURN(spark::Translation partial,
                              spark::TranslatePartialAggregate(query, *select, tables, options));
      columns = partial.columns;
      SLUICE_RETURN_IF_ERROR(connection_->Execute(
          (i == 0 ? "CREATE TABLE partials AS " : "INSERT INTO partials ") + partial.sql));
    }
    spark::TranslateOptions options;
    options.substitutes[select->from[0].get()] = spark::SubstituteRelation{"partials", columns};
    options.merge_partials =
        spark::TranslateOptions::MergePartials{select, columns.size() - InputColumns().size() - 1};
    SLUICE_ASSIGN_OR_RETURN(spark::Translation merged,
                            spark::TranslateQuery(query, tables, options));
    return Run(merged.sql);
  }

  void ExpectSame(const std::string& sql) {
    SCOPED_TRACE(sql);
    auto whole = Whole(sql);
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    EXPECT_FALSE(whole->empty());
    for (const std::vector<int>& order : {std::vector<int>{0, 1, 2}, {2, 0, 1}}) {
      auto split = Split(sql, order);
      ASSERT_TRUE(split.ok()) << split.status().message();
      EXPECT_EQ(*split, *whole);
    }
  }

  void ExpectRefused(const std::string& sql, const std::string& reason) {
    SCOPED_TRACE(sql);
    auto split = Split(sql);
    ASSERT_FALSE(split.ok());
    EXPECT_EQ(split.status().code(), StatusCode::kNotSupported) << split.status().message();
    EXPECT_NE(split.status().message().find(reason), std::string::npos) << split.status().message();
  }
};

TEST_F(PartialAggregate, TumblingWindowsGiveTheSameRowsAndTypes) {
  ExpectSame(
      "SELECT window.start AS ws, window.end AS we, k, count(*) AS n, count(v), sum(v) AS s, "
      "avg(v), min(v), max(ts), min(k), sum(d), avg(d), count_if(v > 3), bool_and(f), "
      "bool_or(f), bit_or(v), bit_xor(v), try_sum(v), count(k, v), max(v + 1) "
      "FROM events GROUP BY window(ts, '5 minutes'), k");
}

TEST_F(PartialAggregate, SlidingWindowsAreMergedPerWindowFromPanes) {
  ExpectSame(
      "SELECT window, k, count(*), sum(v), avg(d), max(x) FROM events "
      "GROUP BY k, window(ts, '10 minutes', '5 minutes')");
  // Durations that are not multiples of the slide, and a start offset: panes of 1 minute.
  ExpectSame(
      "SELECT window.start, window.end, count(*), sum(v), min(ts) FROM events "
      "GROUP BY window(ts, '7 minutes', '3 minutes', '1 minute')");
}

TEST_F(PartialAggregate, WhereHavingFiltersAndQueriesAroundTheAggregation) {
  ExpectSame(
      "SELECT window.start AS ws, k, sum(v) FILTER (WHERE f) AS s, count(*) AS n FROM events "
      "WHERE v IS NULL OR v < 100 GROUP BY window(ts, '5 minutes'), k HAVING count(*) > 1 "
      "OR sum(d) > 10");
  ExpectSame(
      "SELECT ws, n * 2 AS twice, concat(k, '!') FROM (SELECT window.start AS ws, k, "
      "count(*) AS n FROM events GROUP BY window(ts, '5 minutes', '1 minute'), k) "
      "WHERE n > 0");
}

TEST_F(PartialAggregate, GroupingByTheTimeItself) {
  ExpectSame("SELECT ts, k, count(*), sum(v) FROM events GROUP BY ts, k");
}

TEST_F(PartialAggregate, PartialRowsHoldTheirPaneStartAndOnlyTheirKeys) {
  auto query = spark::ParseQueryText(
      "SELECT window, count(*) FROM events WHERE v > 0 GROUP BY window(ts, '10 minutes', "
      "'4 minutes'), k",
      "q.sql");
  ASSERT_TRUE(query.ok());
  spark::AnnotateReferences(*query->query);
  const spark::SelectBody* select = query->query->select.get();
  spark::TranslateOptions options;
  options.substitutes[select->from[0].get()] = spark::SubstituteRelation{
      std::string("(SELECT ") + kColumns + " FROM events WHERE batch = 0)", InputColumns()};
  NoTables tables;
  auto partial = spark::TranslatePartialAggregate(*query, *select, tables, options);
  ASSERT_TRUE(partial.ok()) << partial.status().message();
  ASSERT_EQ(partial->columns.size(), InputColumns().size() + 2);
  EXPECT_EQ(partial->columns[InputColumns().size()].name, spark::PartialColumnName(0));
  EXPECT_EQ(partial->columns.back().name, spark::kPartialRowsColumn);
  auto rows = Run("SELECT CAST(c0 AS VARCHAR), CAST(c1 AS VARCHAR), c2, c3, c4, c5, " +
                  spark::PartialColumnName(0) + " FROM (" + partial->sql + ")");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  auto counted =
      Run(std::string("SELECT sum(") + spark::kPartialRowsColumn + ") FROM (" + partial->sql + ")");
  ASSERT_TRUE(counted.ok()) << counted.status().message();
  EXPECT_EQ(*counted, std::vector<std::string>{"HUGEINT=3"});
  // Panes of gcd(10, 4) = 2 minutes; v > 0 drops b's NULL; the NULL time has no pane; the
  // grouping column keeps its value, the others are NULL.
  const std::string others = " | BIGINT=NULL | DECIMAL(10,2)=NULL | DOUBLE=NULL | BOOLEAN=NULL";
  EXPECT_EQ(*rows, (std::vector<std::string>{
                       "VARCHAR=NULL | VARCHAR=2021-01-01 00:06:00" + others + " | BIGINT=1",
                       "VARCHAR=a | VARCHAR=2021-01-01 00:00:00" + others + " | BIGINT=1",
                       "VARCHAR=a | VARCHAR=2021-01-01 00:04:00" + others + " | BIGINT=1",
                   }));
}

TEST_F(PartialAggregate, AggregatesThatDoNotCombineExactlyAreRefused) {
  const std::string tail = " FROM events GROUP BY window(ts, '5 minutes'), k";
  ExpectRefused("SELECT count(DISTINCT v)" + tail, "DISTINCT");
  ExpectRefused("SELECT collect_set(v)" + tail, "collect_set");
  ExpectRefused("SELECT first(v)" + tail, "first");
  ExpectRefused("SELECT percentile(v, 0.5)" + tail, "percentile");
  ExpectRefused("SELECT sum(x)" + tail, "floating-point");
  ExpectRefused("SELECT avg(x)" + tail, "floating-point");
  ExpectRefused("SELECT sum(CAST(d AS DECIMAL(30, 2)))" + tail, "DECIMAL(30,2)");
  ExpectRefused("SELECT max_by(v, ts)" + tail, "max_by");
  ExpectRefused("SELECT count(*) FROM events GROUP BY session_window(ts, '5 minutes'), k",
                "session");
  ExpectRefused("SELECT count(*) FROM events GROUP BY window(ts, '5 minutes'), upper(k)",
                "grouped by an expression");
  ExpectRefused("SELECT count(*) FROM events GROUP BY GROUPING SETS ((k), ())", "grouping sets");
  ExpectRefused("SELECT k, count(*) FROM events GROUP BY ALL", "GROUP BY ALL");
}

}  // namespace
}  // namespace sluice
