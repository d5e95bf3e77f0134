#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sluice/table.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

using ::sluice::testing::ConformancePath;

std::string BasicAppend() { return ConformancePath("dat-v0.0.2/reader_tests/basic_append/delta"); }

std::unique_ptr<Session> OpenSession() {
  Result<std::unique_ptr<Session>> session = Session::Open(Session::Options{.threads = 1});
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return std::move(session).value();
}

TEST(CellTest, RendersEachKindAsText) {
  EXPECT_EQ(Cell{}.ToString(), "");
  EXPECT_TRUE(Cell{}.is_null());
  EXPECT_EQ(Cell{true}.ToString(), "true");
  EXPECT_EQ(Cell{int64_t{-42}}.ToString(), "-42");
  EXPECT_EQ(Cell{1.1}.ToString(), "1.1");
  EXPECT_EQ(Cell{0.1 + 0.2}.ToString(), "0.30000000000000004");
  EXPECT_EQ(Cell{std::string("abc")}.ToString(), "abc");
}

TEST(SessionTest, QueryReturnsTypedCells) {
  auto session = OpenSession();
  Result<Rows> rows = session->Query(
      "SELECT 1::BIGINT AS a, 'x' AS b, NULL AS c, 2.5::DOUBLE AS d, true AS e, "
      "DATE '2024-01-02' AS f");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(rows->column_names, (std::vector<std::string>{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(rows->column_types[0], "BIGINT");
  const std::vector<Cell>& row = rows->rows[0];
  EXPECT_EQ(std::get<int64_t>(row[0].value), 1);
  EXPECT_EQ(std::get<std::string>(row[1].value), "x");
  EXPECT_TRUE(row[2].is_null());
  EXPECT_EQ(std::get<double>(row[3].value), 2.5);
  EXPECT_EQ(std::get<bool>(row[4].value), true);
  EXPECT_EQ(row[5].ToString(), "2024-01-02");
}

TEST(SessionTest, QueryReportsBadSql) {
  auto session = OpenSession();
  Result<Rows> rows = session->Query("SELEC 1");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kInvalidArgument);
}

TEST(SessionTest, VersionsAreKnown) {
  EXPECT_FALSE(Version().empty());
  EXPECT_EQ(EngineVersion().rfind("v1.", 0), 0u) << EngineVersion();
}

TEST(SessionHistoryTest, ListsCommitsNewestFirst) {
  auto session = OpenSession();
  Result<Rows> history = session->History(BasicAppend());
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_EQ(
      history->column_names,
      (std::vector<std::string>{"version", "timestamp", "operation", "operationParameters",
                                "readVersion", "isBlindAppend", "engineInfo", "operationMetrics"}));
  ASSERT_EQ(history->rows.size(), 2u);
  const std::vector<Cell>& newest = history->rows[0];
  EXPECT_EQ(newest[0].ToString(), "1");
  EXPECT_EQ(newest[2].ToString(), "WRITE");
  EXPECT_EQ(newest[3].ToString(), R"({"mode":"Append","partitionBy":"[]"})");
  EXPECT_EQ(newest[4].ToString(), "0");
  EXPECT_EQ(newest[5].ToString(), "true");
  EXPECT_EQ(newest[6].ToString(), "Apache-Spark/3.3.1 Delta-Lake/2.1.1");
  EXPECT_EQ(newest[7].ToString(), R"({"numFiles":"1","numOutputRows":"2","numOutputBytes":"984"})");
  const std::vector<Cell>& oldest = history->rows[1];
  EXPECT_EQ(oldest[0].ToString(), "0");
  EXPECT_TRUE(oldest[4].is_null());  // the first commit read no version
  EXPECT_EQ(oldest[3].ToString(), R"({"mode":"ErrorIfExists","partitionBy":"[]"})");
  // ISO-8601 UTC.
  EXPECT_EQ(newest[1].ToString().size(), std::string("2023-01-25T01:50:22.877Z").size());
  EXPECT_EQ(newest[1].ToString().back(), 'Z');
}

TEST(SessionHistoryTest, LimitKeepsTheNewest) {
  auto session = OpenSession();
  Result<Rows> history = session->History(BasicAppend(), 1);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->rows.size(), 1u);
  EXPECT_EQ(history->rows[0][0].ToString(), "1");
  EXPECT_FALSE(session->History(BasicAppend(), -1).ok());
}

TEST(SessionHistoryTest, KeepsParameterValueTypes) {
  auto session = OpenSession();
  Result<Rows> history = session->History(
      ConformancePath("delta-golden-extra/commit-info-containing-arbitrary-operationParams-types"));
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->rows.size(), 3u);
  EXPECT_EQ(history->rows[0][2].ToString(), "OPTIMIZE");
  EXPECT_NE(history->rows[0][3].ToString().find(R"("auto":false)"), std::string::npos)
      << history->rows[0][3].ToString();
  EXPECT_NE(history->rows[2][3].ToString().find(R"("description":null)"), std::string::npos);
}

TEST(SessionHistoryTest, MissingTableNamesThePath) {
  auto session = OpenSession();
  testing::TempDir dir;
  Result<Rows> history = session->History(dir.Child("nothing"));
  ASSERT_FALSE(history.ok());
  EXPECT_NE(history.status().message().find(dir.Child("nothing")), std::string::npos)
      << history.status().message();
}

TEST(SessionDescribeTest, DescribesTheLatestVersion) {
  auto session = OpenSession();
  Result<TableDescription> table = session->Describe(BasicAppend() + "/");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->path, BasicAppend());
  EXPECT_EQ(table->version, 1);
  EXPECT_EQ(table->id, "9f760748-1ae1-4ac5-bc9f-b8905ba72d80");
  EXPECT_EQ(table->min_reader_version, 1);
  EXPECT_EQ(table->min_writer_version, 2);
  EXPECT_EQ(table->num_files, 2);
  EXPECT_EQ(table->size_bytes, 996 + 984);
  EXPECT_EQ(table->num_records, 5);
  EXPECT_EQ(table->created_time_ms, 1674611410834);
  EXPECT_TRUE(table->partition_columns.empty());
  EXPECT_NE(table->schema_json.find("\"a_float\""), std::string::npos);
  EXPECT_EQ(table->columns.column_names,
            (std::vector<std::string>{"name", "type", "nullable", "partition"}));
  ASSERT_EQ(table->columns.rows.size(), 3u);
  EXPECT_EQ(table->columns.rows[1][0].ToString(), "number");
  EXPECT_EQ(table->columns.rows[1][1].ToString(), "long");
  EXPECT_EQ(table->columns.rows[1][2].ToString(), "true");
  EXPECT_EQ(table->columns.rows[1][3].ToString(), "false");
}

TEST(SessionDescribeTest, TravelsToAVersion) {
  auto session = OpenSession();
  Result<TableDescription> table = session->Describe(BasicAppend(), TableVersion{0, std::nullopt});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->version, 0);
  EXPECT_EQ(table->num_files, 1);
  EXPECT_EQ(table->num_records, 3);
}

TEST(SessionDescribeTest, MarksPartitionColumns) {
  auto session = OpenSession();
  Result<TableDescription> table =
      session->Describe(ConformancePath("dat-v0.0.2/reader_tests/basic_partitioned/delta"));
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->partition_columns, std::vector<std::string>{"letter"});
  int found = 0;
  for (const std::vector<Cell>& column : table->columns.rows) {
    if (column[0].ToString() == "letter") {
      EXPECT_EQ(column[3].ToString(), "true");
      ++found;
    } else {
      EXPECT_EQ(column[3].ToString(), "false");
    }
  }
  EXPECT_EQ(found, 1);
}

}  // namespace
}  // namespace sluice
