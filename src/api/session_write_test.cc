#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sluice/table.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

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

// Column `column` of the latest version, sorted.
std::vector<std::string> Read(Session& session, const std::string& table,
                              const std::string& column) {
  ScanRequest request;
  request.columns = {column};
  Result<ScanResult> scan = session.Scan(table, request);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) return {};
  return SortedColumn(scan->rows, 0);
}

WriteRequest Mode(WriteRequest::Mode mode) {
  WriteRequest request;
  request.mode = mode;
  return request;
}

class SessionWriteTest : public ::testing::Test {
 protected:
  std::unique_ptr<Session> session_ = OpenSession();
  testing::TempDir dir_;
  std::string table_ = dir_.Child("t");
};

TEST_F(SessionWriteTest, CreatesAPartitionedTableAndReadsItBack) {
  WriteRequest request;
  request.partition_by = {"part"};
  request.properties = {{"delta.appendOnly", "false"}};
  Result<WriteResult> written = session_->Write(
      table_, "SELECT i AS id, i % 2 AS part, 'v' || i AS name FROM range(10) t(i)", request);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->version, 0);
  EXPECT_EQ(written->rows, 10);
  EXPECT_EQ(written->files_added, 2);
  EXPECT_EQ(written->files_removed, 0);

  Result<TableDescription> table = session_->Describe(table_);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(table->partition_columns, std::vector<std::string>{"part"});
  EXPECT_EQ(table->properties.at("delta.appendOnly"), "false");
  EXPECT_EQ(table->num_records, 10);
  EXPECT_EQ(table->columns.rows[0][1].ToString(), "long");

  ScanRequest scan_request;
  scan_request.where = "part = 1";
  Result<ScanResult> scan = session_->Scan(table_, scan_request);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_EQ(scan->rows.rows.size(), 5u);
  EXPECT_EQ(scan->files_read, 1);
  EXPECT_EQ(scan->files_in_snapshot, 2);
}

TEST_F(SessionWriteTest, AppendsOverwritesAndTravelsBack) {
  ASSERT_TRUE(session_->Write(table_, "SELECT 1::BIGINT AS x").ok());
  ASSERT_TRUE(session_->Write(table_, "SELECT 2::BIGINT AS x").ok());
  EXPECT_EQ(Read(*session_, table_, "x"), (std::vector<std::string>{"1", "2"}));
  Result<WriteResult> overwritten =
      session_->Write(table_, "SELECT 3::BIGINT AS x", Mode(WriteRequest::Mode::kOverwrite));
  ASSERT_TRUE(overwritten.ok()) << overwritten.status().ToString();
  EXPECT_EQ(overwritten->version, 2);
  EXPECT_EQ(overwritten->files_removed, 2);
  EXPECT_EQ(Read(*session_, table_, "x"), std::vector<std::string>{"3"});

  ScanRequest at_one;
  at_one.at.version = 1;
  Result<ScanResult> old = session_->Scan(table_, at_one);
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(SortedColumn(old->rows, 0), (std::vector<std::string>{"1", "2"}));

  Result<Rows> history = session_->History(table_);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->rows.size(), 3u);
  EXPECT_EQ(history->rows[0][0].ToString(), "2");
  EXPECT_EQ(history->rows[0][2].ToString(), "WRITE");
  EXPECT_NE(history->rows[0][3].ToString().find("Overwrite"), std::string::npos)
      << history->rows[0][3].ToString();
}

TEST_F(SessionWriteTest, ErrorAndIgnoreModesLeaveAnExistingTable) {
  ASSERT_TRUE(session_->Write(table_, "SELECT 1 AS x").ok());
  Result<WriteResult> error =
      session_->Write(table_, "SELECT 2 AS x", Mode(WriteRequest::Mode::kErrorIfExists));
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), StatusCode::kAlreadyExists) << error.status().ToString();
  Result<WriteResult> ignored =
      session_->Write(table_, "SELECT 2 AS x", Mode(WriteRequest::Mode::kIgnore));
  ASSERT_TRUE(ignored.ok()) << ignored.status().ToString();
  EXPECT_EQ(ignored->version, -1);
  EXPECT_EQ(Read(*session_, table_, "x"), std::vector<std::string>{"1"});
}

TEST_F(SessionWriteTest, SchemaChangesNeedOptions) {
  ASSERT_TRUE(session_->Write(table_, "SELECT 1 AS x").ok());
  EXPECT_FALSE(session_->Write(table_, "SELECT 2 AS x, 'a' AS y").ok());
  WriteRequest merge;
  merge.merge_schema = true;
  ASSERT_TRUE(session_->Write(table_, "SELECT 2 AS x, 'a' AS y", merge).ok());
  EXPECT_EQ(Read(*session_, table_, "y"), (std::vector<std::string>{"", "a"}));

  WriteRequest bad;
  bad.overwrite_schema = true;  // without kOverwrite
  Result<WriteResult> refused = session_->Write(table_, "SELECT 'z' AS z", bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);

  WriteRequest replace = Mode(WriteRequest::Mode::kOverwrite);
  replace.overwrite_schema = true;
  ASSERT_TRUE(session_->Write(table_, "SELECT 'z' AS z", replace).ok());
  Result<TableDescription> table = session_->Describe(table_);
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->columns.rows.size(), 1u);
  EXPECT_EQ(table->columns.rows[0][0].ToString(), "z");
}

TEST_F(SessionWriteTest, BadSqlFailsNamingTheTable) {
  Result<WriteResult> written = session_->Write(table_, "SELECT nonsense FROM nowhere");
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.status().message().find(table_), std::string::npos)
      << written.status().message();
}

TEST_F(SessionWriteTest, DeletesMatchingRows) {
  ASSERT_TRUE(session_->Write(table_, "SELECT i AS id FROM range(6) t(i)").ok());
  Result<DeleteResult> deleted = session_->Delete(table_, "id >= 4");
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(deleted->version, 1);
  EXPECT_EQ(deleted->rows_deleted, 2);
  EXPECT_EQ(deleted->rows_copied, 4);
  EXPECT_EQ(Read(*session_, table_, "id"), (std::vector<std::string>{"0", "1", "2", "3"}));

  Result<DeleteResult> none = session_->Delete(table_, "id > 100");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->version, -1);
  EXPECT_EQ(none->rows_deleted, 0);
}

TEST_F(SessionWriteTest, DeleteOnAMissingTableNamesIt) {
  Result<DeleteResult> deleted = session_->Delete(table_, "true");
  ASSERT_FALSE(deleted.ok());
  EXPECT_NE(deleted.status().message().find(table_), std::string::npos)
      << deleted.status().message();
}

TEST_F(SessionWriteTest, OptimizeCompactsAndVacuumDeletesOldFiles) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(session_->Write(table_, "SELECT " + std::to_string(i) + " AS x").ok());
  }
  Result<OptimizeResult> optimized = session_->Optimize(table_);
  ASSERT_TRUE(optimized.ok()) << optimized.status().ToString();
  EXPECT_EQ(optimized->version, 3);
  EXPECT_EQ(optimized->files_removed, 3);
  EXPECT_EQ(optimized->files_added, 1);
  EXPECT_GT(optimized->bytes_removed, 0);
  EXPECT_EQ(Read(*session_, table_, "x"), (std::vector<std::string>{"0", "1", "2"}));
  Result<OptimizeResult> again = session_->Optimize(table_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->version, -1);

  // The default retention (7 days) keeps the removed files; a shorter one needs force.
  Result<VacuumResult> kept = session_->Vacuum(table_, std::nullopt, /*dry_run=*/true);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_TRUE(kept->files.empty());
  EXPECT_FALSE(session_->Vacuum(table_, 0.0, /*dry_run=*/true).ok());
  Result<VacuumResult> listed = session_->Vacuum(table_, 0.0, /*dry_run=*/true, /*force=*/true);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_TRUE(listed->dry_run);
  EXPECT_EQ(listed->files.size(), 3u);
  Result<VacuumResult> vacuumed = session_->Vacuum(table_, 0.0, /*dry_run=*/false, true);
  ASSERT_TRUE(vacuumed.ok()) << vacuumed.status().ToString();
  EXPECT_FALSE(vacuumed->dry_run);
  EXPECT_EQ(vacuumed->files, listed->files);
  EXPECT_EQ(vacuumed->bytes, optimized->bytes_removed);
  EXPECT_EQ(Read(*session_, table_, "x"), (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_FALSE(session_->Vacuum(table_, -1.0, true, true).ok());
}

}  // namespace
}  // namespace sluice
