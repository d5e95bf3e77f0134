#include "delta/change_data_feed.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "delta/log_segment.h"
#include "delta/table_test_fixture.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

using testing::ConformancePath;

std::string Table(const std::string& name) {
  return ConformancePath("delta-kernel-rs/data/" + name);
}

std::string ExpectedCsv(const std::string& table, const std::string& file) {
  return Table(table) + "/expected_transcribed/" + file;
}

class ChangeDataFeedTest : public DeltaTableTest {
 protected:
  // Compares the feed of `table` over [start, end] with a transcribed CSV as unordered
  // multisets. Every result column but _commit_timestamp (the CSVs leave it out) must be in
  // the CSV; CSV cells are cast to the result column's type, and an empty cell is NULL (or,
  // for strings, '').
  Status CompareWithCsv(const std::string& table, int64_t start, std::optional<int64_t> end,
                        const std::string& csv_file) {
    SLUICE_ASSIGN_OR_RETURN(ChangeFeedPlan plan,
                            PlanChangeDataFeed(context_, Table(table), start, end));
    Status status = CompareRows(plan.sql, ExpectedCsv(table, csv_file));
    Status released = ReleaseChangeDataFeed(*connection_, plan);
    SLUICE_RETURN_IF_ERROR(status);
    return released;
  }

  Status CompareRows(const std::string& actual_sql, const std::string& csv_path) {
    std::string expected_source =
        "read_csv(" + QuoteLiteral(csv_path) + ", all_varchar = true, header = true, nullstr = '')";
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult actual_columns,
                            connection_->Query("DESCRIBE (" + actual_sql + ")"));
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult expected_columns,
                            connection_->Query("DESCRIBE SELECT * FROM " + expected_source));
    std::set<std::string> expected_names;
    for (const auto& row : expected_columns.rows()) expected_names.insert(row[0].ToString());

    std::vector<std::string> actual_list;
    std::vector<std::string> expected_list;
    for (const auto& row : actual_columns.rows()) {
      std::string name = row[0].ToString();
      if (name == kCommitTimestampColumn) continue;
      if (!expected_names.erase(name)) {
        return InvalidArgument("result column ", name, " is not in ", csv_path);
      }
      std::string type = row[1].ToString();
      std::string actual_expr = QuoteIdentifier(name);
      std::string expected_expr = "CAST(" + QuoteIdentifier(name) + " AS " + type + ")";
      if (type == "VARCHAR") {
        // An empty cell stands for NULL and for '' alike (cdf-table-with-cdc-and-dvs stores
        // empty strings), so the two compare equal on both sides.
        actual_expr = "NULLIF(" + actual_expr + ", '')";
        expected_expr = "NULLIF(" + expected_expr + ", '')";
      }
      actual_list.push_back(actual_expr + " AS " + QuoteIdentifier(name));
      expected_list.push_back(expected_expr + " AS " + QuoteIdentifier(name));
    }
    if (!expected_names.empty()) {
      return InvalidArgument("column ", *expected_names.begin(), " of ", csv_path,
                             " is missing from the result");
    }
    std::string actual = "SELECT " + Join(actual_list, ", ") + " FROM (" + actual_sql + ")";
    std::string expected = "SELECT " + Join(expected_list, ", ") + " FROM " + expected_source;
    std::string missing = "(" + expected + ") EXCEPT ALL (" + actual + ")";
    std::string extra = "(" + actual + ") EXCEPT ALL (" + expected + ")";
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult missing_rows, connection_->Query(missing));
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult extra_rows, connection_->Query(extra));
    if (missing_rows.row_count() == 0 && extra_rows.row_count() == 0) return Status::OK();
    return InvalidArgument(missing_rows.row_count(), " expected rows missing:\n",
                           Render(missing_rows), extra_rows.row_count(), " unexpected rows:\n",
                           Render(extra_rows));
  }

  static std::string Render(const engine::QueryResult& rows) {
    std::string out;
    for (const auto& row : rows.rows()) {
      std::vector<std::string> cells;
      for (const auto& cell : row) cells.push_back(cell.ToString());
      out += "  (" + Join(cells, ", ") + ")\n";
    }
    return out;
  }

  int64_t TempTableCount() {
    auto rows = connection_->Query(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '\\_\\_sluice%' ESCAPE '\\'");
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? std::get<int64_t>(rows->at(0, 0).data) : -1;
  }
};

#define EXPECT_FEED(table, start, end, csv)                         \
  do {                                                              \
    Status status = CompareWithCsv(table, start, end, csv);         \
    EXPECT_TRUE(status.ok()) << table << ": " << status.ToString(); \
  } while (0)

TEST_F(ChangeDataFeedTest, PartitionedTableWithUpdatesMovingRowsAndDelete) {
  EXPECT_FEED("cdf-table", 0, std::nullopt, "cdf_start0_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, NonPartitionedTable) {
  EXPECT_FEED("cdf-table-non-partitioned", 0, std::nullopt, "cdf_start0_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, InlineDeletionVectorChangesWithoutCdcFiles) {
  EXPECT_FEED("cdf-table-with-dv", 0, std::nullopt, "cdf_start0_endlatest.csv");
  EXPECT_EQ(TempTableCount(), 0);
}

TEST_F(ChangeDataFeedTest, CdcFilesAndDeletionVectors) {
  EXPECT_FEED("cdf-table-with-cdc-and-dvs", 0, std::nullopt, "cdf_start0_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, SimpleTableRanges) {
  EXPECT_FEED("cdf-table-simple", 0, 0, "cdf_start0_end0.csv");
  EXPECT_FEED("cdf-table-simple", 0, 2, "cdf_start0_end2.csv");
  EXPECT_FEED("cdf-table-simple", 1, 1, "cdf_start1_end1.csv");
  EXPECT_FEED("cdf-table-simple", 2, 2, "cdf_start2_end2.csv");
}

TEST_F(ChangeDataFeedTest, NonStandardUpdateLabelsPassThrough) {
  EXPECT_FEED("cdf-table-update-ops", 0, 2, "cdf_start0_end2.csv");
}

TEST_F(ChangeDataFeedTest, DataChangeFalseCommitYieldsNothing) {
  EXPECT_FEED("cdf-table-data-change", 0, 1, "cdf_start0_end1.csv");
  auto rows = ReadChangeDataFeed(context_, Table("cdf-table-data-change"), 1, 1);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->row_count(), 0u);
}

TEST_F(ChangeDataFeedTest, PartitionedCdcFiles) {
  EXPECT_FEED("cdf-table-partitioned", 0, 2, "cdf_start0_end2.csv");
}

TEST_F(ChangeDataFeedTest, RemovesWithoutPartitionValuesTakeThemFromThePath) {
  testing::TempDir dir;
  std::string root = dir.Child("t");
  testing::CopyTree(Table("cdf-table-partitioned"), root);
  // Old writers left partitionValues out of removes; version 2 deletes partition part=0.
  std::string path = CommitFilePath(root, 2);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  std::string content = text.str();
  const std::string extended =
      "\"extendedFileMetadata\":true,\"partitionValues\":{\"part\":\"0\"},";
  for (size_t at = content.find(extended); at != std::string::npos; at = content.find(extended)) {
    content.erase(at, extended.size());
  }
  ASSERT_EQ(content.find("partitionValues"), std::string::npos);
  std::ofstream(path, std::ios::trunc) << content;

  auto plan = PlanChangeDataFeed(context_, root, 0, 2);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  Status status =
      CompareRows(plan->sql, ExpectedCsv("cdf-table-partitioned", "cdf_start0_end2.csv"));
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(ReleaseChangeDataFeed(*connection_, *plan).ok());
}

TEST_F(ChangeDataFeedTest, DotsAndBackticksInColumnNames) {
  EXPECT_FEED("cdf-table-backtick-column-names", 0, std::nullopt, "cdf_start0_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, UnconditionalDelete) {
  EXPECT_FEED("cdf-table-delete-unconditional", 0, std::nullopt, "cdf_start0_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, ConditionalDeleteOfAllRows) {
  EXPECT_FEED("cdf-table-delete-conditional-all-rows", 0, std::nullopt, "cdf_start0_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, ConditionalDeleteOfTwoRows) {
  EXPECT_FEED("cdf-table-delete-conditional-two-rows", 0, std::nullopt, "cdf_start0_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, ColumnMappingNameMode) {
  EXPECT_FEED("cdf-column-mapping-name-mode", 1, std::nullopt, "cdf_start1_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, ColumnMappingIdMode) {
  EXPECT_FEED("cdf-column-mapping-id-mode", 1, std::nullopt, "cdf_start1_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, ColumnMappingNameModeWithTableFeatures) {
  EXPECT_FEED("cdf-column-mapping-name-mode-3-7", 1, std::nullopt, "cdf_start1_endlatest.csv");
}

TEST_F(ChangeDataFeedTest, ResultColumnsAndTypes) {
  auto rows = ReadChangeDataFeed(context_, Table("cdf-table"), 0, 0);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->column_count(), 6u);
  std::vector<std::string> names = rows->names();
  EXPECT_EQ(names, (std::vector<std::string>{"id", "name", "birthday", "_change_type",
                                             "_commit_version", "_commit_timestamp"}));
  EXPECT_EQ(rows->column_type(0), "INTEGER");
  EXPECT_EQ(rows->column_type(2), "DATE");
  EXPECT_EQ(rows->column_type(3), "VARCHAR");
  EXPECT_EQ(rows->column_type(4), "BIGINT");
  EXPECT_EQ(rows->column_type(5), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(rows->row_count(), 10u);
}

TEST_F(ChangeDataFeedTest, CommitTimestampIsTheCommitFileTime) {
  std::string root = Table("cdf-table-simple");
  auto plan = PlanChangeDataFeed(context_, root, 0, 0);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto rows =
      connection_->Query("SELECT DISTINCT epoch_ms(_commit_timestamp) FROM (" + plan->sql + ")");
  ASSERT_TRUE(ReleaseChangeDataFeed(*connection_, *plan).ok());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  auto info = context_.fs->Stat(CommitFilePath(root, 0));
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(rows->row_count(), 1u);
  EXPECT_EQ(std::get<int64_t>(rows->at(0, 0).data), info->modification_time_ms);
}

TEST_F(ChangeDataFeedTest, CommitTimestampPrefersInCommitTimestamp) {
  testing::TempDir dir;
  std::string root = dir.Child("t");
  testing::CopyTree(Table("cdf-table-simple"), root);
  // Give commit 1 an in-commit timestamp.
  std::string path = CommitFilePath(root, 1);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  std::string content = text.str();
  const std::string key = "{\"commitInfo\":{";
  ASSERT_EQ(content.find(key), 0u);
  content.insert(key.size(), "\"inCommitTimestamp\":1700000000123,");
  std::ofstream(path, std::ios::trunc) << content;

  auto plan = PlanChangeDataFeed(context_, root, 1, 1);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto rows =
      connection_->Query("SELECT DISTINCT epoch_ms(_commit_timestamp) FROM (" + plan->sql + ")");
  ASSERT_TRUE(ReleaseChangeDataFeed(*connection_, *plan).ok());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->row_count(), 1u);
  EXPECT_EQ(std::get<int64_t>(rows->at(0, 0).data), 1700000000123);
}

TEST_F(ChangeDataFeedTest, StartAfterEndFails) {
  auto rows = ReadChangeDataFeed(context_, Table("cdf-table-simple"), 1, 0);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().code() == StatusCode::kInvalidArgument) << rows.status().ToString();
  EXPECT_NE(rows.status().message().find("cdf-table-simple"), std::string::npos);
  EXPECT_NE(rows.status().message().find("start version 1 is after its end version 0"),
            std::string::npos)
      << rows.status().ToString();
}

TEST_F(ChangeDataFeedTest, StartAfterLatestVersionFails) {
  for (std::optional<int64_t> end : {std::optional<int64_t>(4), std::optional<int64_t>()}) {
    auto rows = ReadChangeDataFeed(context_, Table("cdf-table-simple"), 3, end);
    ASSERT_FALSE(rows.ok());
    EXPECT_TRUE(rows.status().code() == StatusCode::kInvalidArgument) << rows.status().ToString();
    EXPECT_NE(rows.status().message().find("start version 3 is after the latest version 2"),
              std::string::npos)
        << rows.status().ToString();
  }
}

TEST_F(ChangeDataFeedTest, EndAfterLatestVersionFails) {
  auto rows = ReadChangeDataFeed(context_, Table("cdf-table-simple"), 0, 3);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().code() == StatusCode::kInvalidArgument) << rows.status().ToString();
  EXPECT_NE(rows.status().message().find("end version 3 is after the latest version 2"),
            std::string::npos)
      << rows.status().ToString();
}

TEST_F(ChangeDataFeedTest, NegativeStartFails) {
  auto rows = ReadChangeDataFeed(context_, Table("cdf-table-simple"), -1, 0);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().code() == StatusCode::kInvalidArgument) << rows.status().ToString();
}

TEST_F(ChangeDataFeedTest, RangeWithCommitsBeforeFeedWasEnabledFails) {
  // Version 0 wrote rows before delta.enableChangeDataFeed was set at version 1.
  auto rows = ReadChangeDataFeed(context_, Table("cdf-column-mapping-name-mode"), 0);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().code() == StatusCode::kInvalidArgument) << rows.status().ToString();
  EXPECT_NE(rows.status().message().find("version 0 changes data while "
                                         "delta.enableChangeDataFeed is not true"),
            std::string::npos)
      << rows.status().ToString();
  EXPECT_NE(rows.status().message().find("cdf-column-mapping-name-mode"), std::string::npos);
  EXPECT_EQ(TempTableCount(), 0);
}

}  // namespace
}  // namespace sluice::delta
