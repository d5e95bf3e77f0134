#include <sys/stat.h>
#include <utime.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/time_format.h"
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

std::vector<std::string> SortedColumn(const Rows& rows, size_t column) {
  std::vector<std::string> values;
  for (const std::vector<Cell>& row : rows.rows) values.push_back(row[column].ToString());
  std::sort(values.begin(), values.end());
  return values;
}

ScanRequest At(std::optional<int64_t> version, std::optional<std::string> timestamp = {}) {
  ScanRequest request;
  request.at.version = version;
  request.at.timestamp = std::move(timestamp);
  return request;
}

ScanRequest Limit(int64_t limit) {
  ScanRequest request;
  request.limit = limit;
  return request;
}

ScanRequest Columns(std::vector<std::string> columns) {
  ScanRequest request;
  request.columns = std::move(columns);
  return request;
}

ScanRequest Where(std::string where) {
  ScanRequest request;
  request.where = std::move(where);
  return request;
}

TableVersion AtTime(std::string timestamp) {
  TableVersion at;
  at.timestamp = std::move(timestamp);
  return at;
}

void SetModificationTime(const std::string& path, const std::string& timestamp) {
  std::optional<int64_t> millis = ParseTimestampMillis(timestamp);
  ASSERT_TRUE(millis.has_value()) << timestamp;
  struct utimbuf times;
  times.actime = *millis / 1000;
  times.modtime = *millis / 1000;
  ASSERT_EQ(utime(path.c_str(), &times), 0) << path;
}

TEST(SessionScanTest, ReadsTheLatestVersion) {
  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(BasicAppend(), {});
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->rows.column_names, (std::vector<std::string>{"letter", "number", "a_float"}));
  EXPECT_EQ(SortedColumn(scan->rows, 0), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(SortedColumn(scan->rows, 2),
            (std::vector<std::string>{"1.1", "2.2", "3.3", "4.4", "5.5"}));
  EXPECT_EQ(scan->files_in_snapshot, 2);
  EXPECT_EQ(scan->files_read, 2);
}

TEST(SessionScanTest, TravelsToAVersion) {
  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(BasicAppend(), At(0));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(SortedColumn(scan->rows, 1), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(SessionScanTest, ProjectsFiltersAndSkipsFiles) {
  auto session = OpenSession();
  ScanRequest request;
  request.columns = {"number"};
  request.where = "number > 3";
  Result<ScanResult> scan = session->Scan(BasicAppend(), request);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->rows.column_names, std::vector<std::string>{"number"});
  EXPECT_EQ(scan->rows.column_types, std::vector<std::string>{"BIGINT"});
  EXPECT_EQ(SortedColumn(scan->rows, 0), (std::vector<std::string>{"4", "5"}));
  EXPECT_EQ(scan->files_in_snapshot, 2);
  EXPECT_EQ(scan->files_read, 1);  // the first file's max(number) is 3
}

TEST(SessionScanTest, Limits) {
  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(BasicAppend(), Limit(2));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->rows.rows.size(), 2u);
  scan = session->Scan(BasicAppend(), Limit(0));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->rows.rows.size(), 0u);
  EXPECT_EQ(scan->rows.column_names.size(), 3u);
  EXPECT_FALSE(session->Scan(BasicAppend(), Limit(-1)).ok());
}

TEST(SessionScanTest, ReadsPartitionedTablesWithDeletionVectors) {
  auto session = OpenSession();
  std::string table =
      ConformancePath("delta-kernel-rs/golden_data/dv-partitioned-with-checkpoint/delta");
  Result<ScanResult> all = session->Scan(table, {});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  Result<Rows> expected = session->Query(
      "SELECT count(*) FROM read_parquet('" +
      ConformancePath("delta-kernel-rs/golden_data/dv-partitioned-with-checkpoint/expected") +
      "/*.parquet')");
  ASSERT_TRUE(expected.ok()) << expected.status().ToString();
  EXPECT_EQ(std::to_string(all->rows.rows.size()), expected->rows[0][0].ToString());
}

TEST(SessionScanTest, NestedValuesAreJson) {
  auto session = OpenSession();
  ScanRequest request = Where("pk = 1");
  Result<ScanResult> scan =
      session->Scan(ConformancePath("dat-v0.0.2/reader_tests/nested_types/delta"), request);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  ASSERT_EQ(scan->rows.rows.size(), 1u);
  EXPECT_EQ(scan->rows.column_names, (std::vector<std::string>{"pk", "struct", "array", "map"}));
  const std::vector<Cell>& row = scan->rows.rows[0];
  EXPECT_EQ(row[1].ToString(), R"({"float64":1,"bool":false})");
  EXPECT_EQ(row[2].ToString(), "[0,1]");
  EXPECT_EQ(row[3].ToString(), R"({"0":0})");
}

TEST(SessionScanTest, UnknownColumnAndBadFilterFail) {
  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(BasicAppend(), Columns({"nope"}));
  ASSERT_FALSE(scan.ok());
  EXPECT_NE(scan.status().message().find("nope"), std::string::npos) << scan.status().message();
  EXPECT_FALSE(session->Scan(BasicAppend(), Where("no_such_column = 1")).ok());
}

TEST(SessionScanTest, VersionBeyondTheLatestIsNotFound) {
  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(BasicAppend(), At(7));
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), StatusCode::kNotFound) << scan.status().ToString();
}

TEST(SessionScanTest, VersionAndTimestampTogetherAreRefused) {
  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(BasicAppend(), At(0, "2023-01-01"));
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), StatusCode::kInvalidArgument);
}

TEST(SessionScanTest, UnparsableTimestampIsNamed) {
  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(BasicAppend(), At(std::nullopt, "yesterday"));
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(scan.status().message().find("'yesterday'"), std::string::npos)
      << scan.status().message();
}

TEST(SessionScanTest, TravelsToATimestamp) {
  // Commit times come from the commit files' modification times (the table has no
  // in-commit timestamps), so set them on a copy.
  testing::TempDir dir;
  std::string table = dir.Child("t");
  testing::CopyTree(BasicAppend(), table);
  SetModificationTime(table + "/_delta_log/00000000000000000000.json", "2024-01-01 00:00:00");
  SetModificationTime(table + "/_delta_log/00000000000000000001.json", "2024-01-02 00:00:00");

  auto session = OpenSession();
  Result<ScanResult> scan = session->Scan(table, At(std::nullopt, "2024-01-01T12:00:00Z"));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->rows.rows.size(), 3u);
  scan = session->Scan(table, At(std::nullopt, "2024-01-02"));
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->rows.rows.size(), 5u);

  Result<TableDescription> before = session->Describe(table, AtTime("2023-12-31"));
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(before.status().message().find("2023-12-31"), std::string::npos)
      << before.status().message();
}

}  // namespace
}  // namespace sluice
