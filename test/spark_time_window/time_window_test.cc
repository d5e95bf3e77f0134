// Time windows as the streaming runtime uses them: FindTimeWindow and LastWindowEnd on
// parsed queries, and TranslateOptions::time_window_end_bounds on queries run by DuckDB.
#include "spark/time_window.h"

#include <gtest/gtest.h>

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

using spark::TimeWindowKind;
using spark::TimeWindowSpec;

constexpr int64_t kMinute = 60'000'000;
// 2021-01-01 00:00:00 UTC in microseconds since the epoch.
constexpr int64_t kNewYear = 1'609'459'200'000'000;

spark::ParsedQuery Parse(const std::string& sql) {
  auto parsed = spark::ParseQueryText(sql, "q.sql");
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return std::move(*parsed);
}

Result<std::optional<TimeWindowSpec>> Find(const spark::ParsedQuery& query) {
  return spark::FindTimeWindow(*query.query->select, *query.source);
}

std::string TextOf(const spark::ParsedQuery& query, const spark::Expr& expr) {
  return query.source->text.substr(expr.span.begin, expr.span.end - expr.span.begin);
}

TEST(FindTimeWindow, ReadsSlidingWindows) {
  const auto query = Parse(
      "SELECT k, window.start, count(*) FROM events "
      "GROUP BY k, window(event_time, '10 minutes', '5 minutes', '1 minute')");
  auto found = Find(query);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  const TimeWindowSpec& spec = **found;
  EXPECT_EQ(spec.kind, TimeWindowKind::kSliding);
  EXPECT_EQ(TextOf(query, *spec.time_column), "event_time");
  EXPECT_EQ(TextOf(query, *spec.call), "window(event_time, '10 minutes', '5 minutes', '1 minute')");
  EXPECT_EQ(spec.duration_micros, 10 * kMinute);
  EXPECT_EQ(spec.slide_micros, 5 * kMinute);
  EXPECT_EQ(spec.start_micros, kMinute);
  EXPECT_FALSE(spec.gap_micros.has_value());
}

TEST(FindTimeWindow, ReadsTumblingWindowsInTheSelectList) {
  const auto query = Parse(
      "SELECT window(ts, INTERVAL 5 MINUTES) AS w, count(*) FROM events "
      "GROUP BY window(ts, INTERVAL 5 MINUTES)");
  auto found = Find(query);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->kind, TimeWindowKind::kTumbling);
  EXPECT_EQ((*found)->duration_micros, 5 * kMinute);
  EXPECT_EQ((*found)->slide_micros, 5 * kMinute);
  EXPECT_EQ((*found)->start_micros, 0);
}

TEST(FindTimeWindow, ReadsSessionGaps) {
  auto fixed = Find(Parse("SELECT count(*) FROM e GROUP BY k, session_window(ts, '10 minutes')"));
  ASSERT_TRUE(fixed.ok()) << fixed.status().message();
  ASSERT_TRUE(fixed->has_value());
  EXPECT_EQ((*fixed)->kind, TimeWindowKind::kSession);
  EXPECT_EQ((*fixed)->gap_micros, 10 * kMinute);

  auto dynamic = Find(
      Parse("SELECT count(*) FROM e "
            "GROUP BY session_window(ts, CASE WHEN k = 'a' THEN '1 minute' ELSE '5 minutes' END)"));
  ASSERT_TRUE(dynamic.ok()) << dynamic.status().message();
  ASSERT_TRUE(dynamic->has_value());
  EXPECT_EQ((*dynamic)->kind, TimeWindowKind::kSession);
  EXPECT_FALSE((*dynamic)->gap_micros.has_value());
}

TEST(FindTimeWindow, IgnoresQueriesWithoutOneAndSubqueries) {
  auto none = Find(Parse("SELECT k, count(*) FROM e GROUP BY k"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto outer =
      Find(Parse("SELECT window.start, n FROM (SELECT window, count(*) AS n FROM e "
                 "GROUP BY window(ts, '5 minutes'))"));
  ASSERT_TRUE(outer.ok());
  EXPECT_FALSE(outer->has_value());
}

TEST(FindTimeWindow, RefusesSeveralWindowsAndComputedDurations) {
  auto several = Find(Parse(
      "SELECT window(ts, '5 minutes').start, count(*) FROM e GROUP BY window(ts, '10 minutes')"));
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.status().message().find("q.sql:1:"), std::string::npos);
  EXPECT_NE(several.status().message().find("multiple time/session window expressions"),
            std::string::npos);

  auto computed = Find(Parse("SELECT count(*) FROM e GROUP BY window(ts, d)"));
  ASSERT_FALSE(computed.ok());
  EXPECT_NE(computed.status().message().find("must be a literal"), std::string::npos);

  auto slide = Find(Parse("SELECT count(*) FROM e GROUP BY window(ts, '5 minutes', '10 minutes')"));
  ASSERT_FALSE(slide.ok());
  EXPECT_NE(slide.status().message().find("must be less than or equal to the windowDuration"),
            std::string::npos);
}

TEST(LastWindowEnd, IsTheEndOfTheLatestWindowHoldingTheTime) {
  TimeWindowSpec tumbling;
  tumbling.duration_micros = tumbling.slide_micros = 5 * kMinute;
  EXPECT_EQ(spark::LastWindowEnd(tumbling, kNewYear + 7 * kMinute), kNewYear + 10 * kMinute);
  EXPECT_EQ(spark::LastWindowEnd(tumbling, kNewYear + 5 * kMinute), kNewYear + 10 * kMinute);
  EXPECT_EQ(spark::LastWindowEnd(tumbling, kNewYear + 5 * kMinute - 1), kNewYear + 5 * kMinute);

  TimeWindowSpec sliding;
  sliding.kind = TimeWindowKind::kSliding;
  sliding.duration_micros = 10 * kMinute;
  sliding.slide_micros = 5 * kMinute;
  EXPECT_EQ(spark::LastWindowEnd(sliding, kNewYear + 7 * kMinute), kNewYear + 15 * kMinute);
  sliding.start_micros = 2 * kMinute;
  EXPECT_EQ(spark::LastWindowEnd(sliding, kNewYear + 7 * kMinute), kNewYear + 17 * kMinute);
  EXPECT_EQ(spark::LastWindowEnd(sliding, kNewYear + 6 * kMinute), kNewYear + 12 * kMinute);
  // Before 1970: -2 seconds is in windows starting at -5 s (and -10 s).
  sliding.duration_micros = 10'000'000;
  sliding.slide_micros = 5'000'000;
  sliding.start_micros = 0;
  EXPECT_EQ(spark::LastWindowEnd(sliding, -2'000'000), 5'000'000);
}

class TimeWindowBounds : public SparkOnDuckDb {
 protected:
  // The rows of a Spark SQL query translated with `options`, cells joined by " | ".
  Result<std::vector<std::string>> Rows(const std::string& sql,
                                        const spark::TranslateOptions& options) {
    SLUICE_ASSIGN_OR_RETURN(spark::ParsedQuery query, spark::ParseQueryText(sql, "q.sql"));
    spark::AnnotateReferences(*query.query);
    NoTables tables;
    SLUICE_ASSIGN_OR_RETURN(spark::Translation translation,
                            spark::TranslateQuery(query, tables, options));
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, connection_->Query(translation.sql));
    std::vector<std::string> rows;
    for (size_t r = 0; r < result.row_count(); ++r) {
      std::vector<std::string> cells;
      for (size_t c = 0; c < result.column_count(); ++c) {
        cells.push_back(result.at(r, c).ToString());
      }
      rows.push_back(Join(cells, " | "));
    }
    return rows;
  }

  static spark::TranslateOptions Bounded(int64_t low_minutes, int64_t high_minutes) {
    spark::TranslateOptions options;
    options.time_window_end_bounds =
        std::make_pair(kNewYear + low_minutes * kMinute, kNewYear + high_minutes * kMinute);
    return options;
  }
};

constexpr char kEvents[] =
    "VALUES (TIMESTAMP'2021-01-01 00:01:00', 'a'), (TIMESTAMP'2021-01-01 00:06:00', 'a'), "
    "(TIMESTAMP'2021-01-01 00:11:00', 'a') AS t(ts, k)";

TEST_F(TimeWindowBounds, KeepTumblingWindowsEndingWithinThem) {
  const std::string sql = std::string("SELECT CAST(window.end AS STRING), count(*) FROM ") +
                          kEvents + " GROUP BY window(ts, '5 minutes') ORDER BY 1";
  auto all = Rows(sql, spark::TranslateOptions{});
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(*all, (std::vector<std::string>{"2021-01-01 00:05:00 | 1", "2021-01-01 00:10:00 | 1",
                                            "2021-01-01 00:15:00 | 1"}));
  // (00:05, 00:10]: the window ending at 00:05 is out, the one ending at 00:10 in.
  auto closed = Rows(sql, Bounded(5, 10));
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(*closed, (std::vector<std::string>{"2021-01-01 00:10:00 | 1"}));
}

TEST_F(TimeWindowBounds, KeepWholeSlidingWindows) {
  const std::string sql = std::string("SELECT CAST(window.end AS STRING), count(*) FROM ") +
                          kEvents + " GROUP BY window(ts, '10 minutes', '5 minutes') ORDER BY 1";
  auto all = Rows(sql, spark::TranslateOptions{});
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(*all, (std::vector<std::string>{"2021-01-01 00:05:00 | 1", "2021-01-01 00:10:00 | 2",
                                            "2021-01-01 00:15:00 | 2", "2021-01-01 00:20:00 | 1"}));
  auto closed = Rows(sql, Bounded(5, 15));
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(*closed,
            (std::vector<std::string>{"2021-01-01 00:10:00 | 2", "2021-01-01 00:15:00 | 2"}));
}

TEST_F(TimeWindowBounds, KeepMergedSessionsByTheirEnd) {
  // a: [00:00, 00:05) and [00:03, 00:08) merge into [00:00, 00:08); [00:20, 00:25) alone.
  // b: [00:01, 00:06).
  const std::string sql =
      "SELECT k, CAST(session_window.start AS STRING), CAST(session_window.end AS STRING), "
      "count(*) FROM VALUES (TIMESTAMP'2021-01-01 00:00:00', 'a'), "
      "(TIMESTAMP'2021-01-01 00:03:00', 'a'), (TIMESTAMP'2021-01-01 00:20:00', 'a'), "
      "(TIMESTAMP'2021-01-01 00:01:00', 'b') AS t(ts, k) "
      "GROUP BY k, session_window(ts, '5 minutes') ORDER BY 1, 2";
  auto all = Rows(sql, spark::TranslateOptions{});
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(*all, (std::vector<std::string>{"a | 2021-01-01 00:00:00 | 2021-01-01 00:08:00 | 2",
                                            "a | 2021-01-01 00:20:00 | 2021-01-01 00:25:00 | 1",
                                            "b | 2021-01-01 00:01:00 | 2021-01-01 00:06:00 | 1"}));
  // The bound applies to the merged session's end (00:08), not to a row's own (00:05).
  auto closed = Rows(sql, Bounded(6, 10));
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(*closed,
            (std::vector<std::string>{"a | 2021-01-01 00:00:00 | 2021-01-01 00:08:00 | 2"}));
}

TEST_F(TimeWindowBounds, LeaveQueriesWithoutTimeWindows) {
  auto rows =
      Rows(std::string("SELECT k, count(*) FROM ") + kEvents + " GROUP BY k", Bounded(5, 10));
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, (std::vector<std::string>{"a | 3"}));
}

TEST_F(TimeWindowBounds, ApplyInsideSubqueries) {
  const std::string sql = std::string("SELECT CAST(window_time(window) AS STRING), n FROM ") +
                          "(SELECT window, count(*) AS n FROM " + kEvents +
                          " GROUP BY window(ts, '5 minutes'))";
  auto rows = Rows(sql, Bounded(10, 15));
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(*rows, (std::vector<std::string>{"2021-01-01 00:14:59.999999 | 1"}));
}

TEST_F(TimeWindowBounds, ErrorsNameTheCall) {
  auto several = Rows(std::string("SELECT window(ts, '5 minutes').start, "
                                  "session_window(ts, '5 minutes').start FROM ") +
                          kEvents,
                      spark::TranslateOptions{});
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.status().message().find("q.sql:1:"), std::string::npos);
  EXPECT_NE(several.status().message().find("multiple time/session window expressions"),
            std::string::npos);

  auto in_where = Rows(std::string("SELECT k FROM ") + kEvents +
                           " WHERE window(ts, '10 minutes', '5 minutes').start IS NOT NULL",
                       spark::TranslateOptions{});
  ASSERT_FALSE(in_where.ok());
  EXPECT_NE(in_where.status().message().find(
                "a sliding window(...) (slide shorter than the duration) is allowed only in the "
                "select list or GROUP BY"),
            std::string::npos);

  auto gap = Rows(std::string("SELECT session_window(ts, 1.0) FROM ") + kEvents,
                  spark::TranslateOptions{});
  ASSERT_FALSE(gap.ok());
  EXPECT_NE(gap.status().message().find(
                "Gap duration expression used in session window must be CalendarIntervalType, "
                "but got DECIMAL(2,1)"),
            std::string::npos)
      << gap.status().message();

  auto rollup = Rows(std::string("SELECT count(*) FROM ") + kEvents +
                         " GROUP BY ROLLUP(k), session_window(ts, '5 minutes')",
                     spark::TranslateOptions{});
  ASSERT_FALSE(rollup.ok());
  EXPECT_EQ(rollup.status().code(), StatusCode::kNotSupported);
}

}  // namespace
}  // namespace sluice
