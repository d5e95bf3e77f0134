#include <algorithm>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "sluice/table.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

using ::sluice::testing::ConformancePath;

std::string CdfSimple() { return ConformancePath("delta-kernel-rs/data/cdf-table-simple"); }

std::unique_ptr<Session> OpenSession() {
  Result<std::unique_ptr<Session>> session = Session::Open(Session::Options{.threads = 1});
  EXPECT_TRUE(session.ok()) << session.status().ToString();
  return std::move(session).value();
}

int ColumnIndex(const Rows& rows, const std::string& name) {
  auto it = std::find(rows.column_names.begin(), rows.column_names.end(), name);
  return it == rows.column_names.end() ? -1 : static_cast<int>(it - rows.column_names.begin());
}

// "id,_change_type,_commit_version" of every row, sorted (as the expected CSV files are).
std::vector<std::string> Changes(const Rows& rows) {
  int id = ColumnIndex(rows, "id");
  int type = ColumnIndex(rows, "_change_type");
  int version = ColumnIndex(rows, "_commit_version");
  EXPECT_GE(id, 0);
  EXPECT_GE(type, 0);
  EXPECT_GE(version, 0);
  std::vector<std::string> lines;
  if (id < 0 || type < 0 || version < 0) return lines;
  for (const std::vector<Cell>& row : rows.rows) {
    lines.push_back(row[id].ToString() + "," + row[type].ToString() + "," +
                    row[version].ToString());
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(SessionChangesTest, ReadsAVersionRange) {
  auto session = OpenSession();
  Result<Rows> rows = session->Changes(CdfSimple(), 2, 2);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Changes(*rows), (std::vector<std::string>{"20,insert,2", "21,insert,2", "22,insert,2",
                                                      "23,insert,2", "24,insert,2"}));
  EXPECT_EQ(rows->column_names.back(), "_commit_timestamp");
}

TEST(SessionChangesTest, EndDefaultsToTheLatest) {
  auto session = OpenSession();
  Result<Rows> all = session->Changes(CdfSimple(), 0);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<std::string> changes = Changes(*all);
  EXPECT_EQ(changes.size(), 25u);
  EXPECT_EQ(std::count_if(changes.begin(), changes.end(),
                          [](const std::string& line) {
                            return line.find(",delete,1") != std::string::npos;
                          }),
            10);
}

TEST(SessionChangesTest, BadRangesFail) {
  auto session = OpenSession();
  Result<Rows> reversed = session->Changes(CdfSimple(), 1, 0);
  ASSERT_FALSE(reversed.ok());
  EXPECT_EQ(reversed.status().code(), StatusCode::kInvalidArgument);
  Result<Rows> beyond = session->Changes(CdfSimple(), 3, 4);
  ASSERT_FALSE(beyond.ok());
  EXPECT_NE(beyond.status().message().find(CdfSimple()), std::string::npos)
      << beyond.status().message();
}

TEST(SessionChangesTest, TablesWrittenWithTheFeedEnabled) {
  auto session = OpenSession();
  testing::TempDir dir;
  std::string table = dir.Child("t");
  WriteRequest create;
  create.properties = {{"delta.enableChangeDataFeed", "true"}};
  ASSERT_TRUE(session->Write(table, "SELECT i AS id FROM range(3) t(i)", create).ok());
  ASSERT_TRUE(session->Write(table, "SELECT 3::BIGINT AS id").ok());
  // Removes the second commit's file as a whole.
  Result<DeleteResult> deleted = session->Delete(table, "id = 3");
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  EXPECT_EQ(deleted->rows_copied, 0);
  Result<Rows> rows = session->Changes(table, 0);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Changes(*rows), (std::vector<std::string>{"0,insert,0", "1,insert,0", "2,insert,0",
                                                      "3,delete,2", "3,insert,1"}));
}

}  // namespace
}  // namespace sluice
