#include "delta/merge.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "common/sync_point.h"
#include "delta/change_data_feed.h"
#include "delta/history.h"
#include "delta/log_validator.h"
#include "delta/scan.h"
#include "delta/stats.h"
#include "delta/table_test_fixture.h"
#include "delta/write.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

class MergeTest : public DeltaTableTest {
 protected:
  void Write(const std::string& sql, WriteOptions options = {}) {
    auto result = WriteTable(context_, root_, sql, options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }
  MergeResult Merge(const MergeOptions& options) {
    auto result = MergeRows(context_, root_, options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : MergeResult{};
  }
  static MergeOptions ByKey(std::vector<std::string> keys, std::string keys_sql,
                            std::string rows_sql) {
    MergeOptions options;
    options.key_columns = std::move(keys);
    options.keys_sql = std::move(keys_sql);
    options.rows_sql = std::move(rows_sql);
    return options;
  }
  std::set<std::string> FilePaths() {
    std::set<std::string> paths;
    SnapshotPtr snapshot = Latest();
    for (const AddFile& file : snapshot->files()) paths.insert(file.path);
    return paths;
  }
  // The table's rows minus `expected_sql`'s and the other way round; both empty = equal.
  void ExpectRows(const std::string& expected_sql) {
    auto snapshot = LoadSnapshot(context_, root_);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    auto plan = PlanScan(context_, **snapshot);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    for (const auto& [a, b] : {std::pair{plan->sql, expected_sql}, {expected_sql, plan->sql}}) {
      auto diff = connection_->Query("SELECT count(*) FROM ((" + a + ") EXCEPT ALL (" + b + "))");
      ASSERT_TRUE(diff.ok()) << diff.status().ToString();
      EXPECT_EQ(diff->at(0, 0), engine::Value::Int(0)) << a << "\n  vs\n" << b;
    }
    EXPECT_TRUE(ReleaseScan(*connection_, *plan).ok());
  }
};

TEST_F(MergeTest, ReplacesKeysAndInsertsNewRows) {
  Write("SELECT i AS id, 'v' || i AS name FROM range(10) t(i)");
  MergeOptions options =
      ByKey({"id"}, "SELECT * FROM (VALUES (3), (7), (42)) t(id)",
            "SELECT * FROM (VALUES (3, 'new3'), (7, 'new7'), (42, 'new42')) t(id, name)");
  options.extra_metrics = {{"numTargetRowsUpdated", 2}, {"numTargetRowsInserted", 1}};
  MergeResult result = Merge(options);
  EXPECT_EQ(result.version, 1);
  EXPECT_EQ(result.rows_removed, 2);
  EXPECT_EQ(result.rows_copied, 8);
  EXPECT_EQ(result.rows_written, 3);
  EXPECT_EQ(result.files_removed, 1);
  EXPECT_EQ(result.files_added, 2);
  EXPECT_GT(result.bytes_written, 0);
  ExpectRows(
      "SELECT i AS id, 'v' || i AS name FROM range(10) t(i) WHERE i NOT IN (3, 7) "
      "UNION ALL SELECT * FROM (VALUES (3, 'new3'), (7, 'new7'), (42, 'new42'))");

  auto history = std::move(ReadHistory(*context_.fs, root_)).value();
  const CommitInfo& info = *history[0].commit_info;
  EXPECT_EQ(info.operation(), "MERGE");
  EXPECT_NE(info.operation_parameters()->at("predicate").find("IS NOT DISTINCT FROM"),
            std::string::npos);
  auto metrics = Metrics(1);
  EXPECT_EQ(metrics.at("numTargetRowsDeleted"), "2");
  EXPECT_EQ(metrics.at("numTargetRowsCopied"), "8");
  EXPECT_EQ(metrics.at("numTargetFilesRemoved"), "1");
  EXPECT_EQ(metrics.at("numTargetFilesAdded"), "2");
  EXPECT_EQ(metrics.at("numOutputRows"), "11");
  EXPECT_EQ(metrics.at("numTargetRowsUpdated"), "2");
  EXPECT_EQ(metrics.at("numTargetRowsInserted"), "1");
}

TEST_F(MergeTest, RewritesOnlyFilesHoldingKeys) {
  for (int i = 0; i < 5; ++i) {  // file i holds ids 10i .. 10i+9
    Write("SELECT i AS id FROM range(" + std::to_string(10 * i) + ", " +
          std::to_string(10 * i + 10) + ") t(i)");
  }
  std::vector<std::string> before;
  SnapshotPtr snapshot = Latest();
  for (const AddFile& file : snapshot->files()) before.push_back(file.path);
  ASSERT_EQ(before.size(), 5u);
  // The keys' range 12..47 rules out the file of ids 0-9 by its statistics: hide it, so that
  // reading it would fail. The files of 20-29 and 30-39 are read but hold no key.
  std::string first_path;
  for (const AddFile& file : snapshot->files()) {
    auto stats = ParseStats(*file.stats);
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    if (stats->min_values.Find({"id"})->text == "0") first_path = file.path;
  }
  ASSERT_FALSE(first_path.empty());
  std::string hidden = root_ + "/" + first_path;
  std::filesystem::rename(hidden, hidden + ".hidden");
  MergeResult result = Merge(ByKey({"id"}, "SELECT * FROM (VALUES (12), (15), (47)) t(id)",
                                   "SELECT * FROM (VALUES (12), (47)) t(id)"));
  std::filesystem::rename(hidden + ".hidden", hidden);
  EXPECT_EQ(result.files_removed, 2);
  EXPECT_EQ(result.rows_removed, 3);
  EXPECT_EQ(result.rows_copied, 17);
  std::set<std::string> after = FilePaths();
  int kept = 0;
  for (const std::string& path : before) kept += after.count(path);
  EXPECT_EQ(kept, 3) << "the files without a key are untouched";
  ExpectRows("SELECT i AS id FROM range(50) t(i) WHERE i <> 15");
}

TEST_F(MergeTest, NullKeysMatchNullKeys) {
  Write("SELECT * FROM (VALUES (NULL, 'a'), (1, 'b'), (2, 'c'), (NULL, 'd')) t(id, name)");
  MergeResult result =
      Merge(ByKey({"id"}, "SELECT NULL::INTEGER AS id", "SELECT NULL::INTEGER AS id, 'z' AS name"));
  EXPECT_EQ(result.rows_removed, 2);
  ExpectRows("SELECT * FROM (VALUES (NULL, 'z'), (1, 'b'), (2, 'c')) t(id, name)");
  // A NULL key beside non-null ones: the range filter must keep files with nulls.
  result = Merge(
      ByKey({"id"}, "SELECT * FROM (VALUES (NULL), (2)) t(id)", "SELECT 5 AS id, 'e' AS name"));
  EXPECT_EQ(result.rows_removed, 2);
  ExpectRows("SELECT * FROM (VALUES (1, 'b'), (5, 'e')) t(id, name)");
}

TEST_F(MergeTest, CompositeKeysMatchEveryColumn) {
  Write("SELECT a, b, a * 10 + b AS v FROM range(4) t(a), range(4) u(b)");
  Write("SELECT 9 AS a, NULL::BIGINT AS b, -1 AS v");
  MergeResult result = Merge(ByKey({"a", "b"},
                                   "SELECT * FROM (VALUES (1, 2), (2, 3), (9, NULL), (3, 9)) "
                                   "t(a, b)",
                                   "SELECT 1 AS a, 2 AS b, 100 AS v"));
  EXPECT_EQ(result.rows_removed, 3);
  ExpectRows(
      "SELECT a, b, a * 10 + b AS v FROM range(4) t(a), range(4) u(b) "
      "WHERE NOT ((a = 1 AND b = 2) OR (a = 2 AND b = 3)) UNION ALL SELECT 1, 2, 100");
}

TEST_F(MergeTest, PartitionedTable) {
  WriteOptions create;
  create.partition_by = {"p"};
  Write("SELECT i AS id, i % 3 AS p FROM range(30) t(i)", create);
  ASSERT_EQ(Latest()->files().size(), 3u);

  // Keys not on the partition column: only partition 1's file holds them.
  MergeResult result =
      Merge(ByKey({"id"}, "SELECT * FROM (VALUES (4), (7)) t(id)", "SELECT 4 AS id, 2 AS p"));
  EXPECT_EQ(result.files_removed, 1);
  EXPECT_EQ(result.rows_removed, 2);
  EXPECT_EQ(result.rows_copied, 8);
  ExpectRows(
      "SELECT i AS id, i % 3 AS p FROM range(30) t(i) WHERE i NOT IN (4, 7) "
      "UNION ALL SELECT 4, 2");

  // Keys with the partition column: partition 0 loses every row, so its file is removed and
  // not rewritten; the key (4, 1) no longer exists.
  result = Merge(ByKey({"p", "id"},
                       "SELECT i AS id, 0 AS p FROM range(0, 30, 3) t(i) UNION ALL SELECT 4, 1",
                       "SELECT 100 AS id, 0 AS p"));
  EXPECT_EQ(result.files_removed, 1);
  EXPECT_EQ(result.rows_removed, 10);
  EXPECT_EQ(result.rows_copied, 0);
  EXPECT_EQ(result.files_added, 1);
  ExpectRows(
      "SELECT i AS id, i % 3 AS p FROM range(30) t(i) WHERE i NOT IN (4, 7) AND i % 3 <> 0 "
      "UNION ALL SELECT 4, 2 UNION ALL SELECT 100, 0");
  SnapshotPtr snapshot = Latest();
  for (const AddFile& file : snapshot->files()) {
    EXPECT_TRUE(file.partition_values.at("p").has_value()) << file.path;
  }
}

TEST_F(MergeTest, NewColumnsEvolveTheSchema) {
  Write("SELECT i AS id, 'n' || i AS name FROM range(4) t(i)");
  // rows_sql adds `extra` and lacks `name`: rewritten rows get NULL extra, new rows NULL name.
  MergeResult result = Merge(ByKey({"id"}, "SELECT 1 AS id", "SELECT 1 AS id, TRUE AS extra"));
  EXPECT_EQ(result.rows_copied, 3);
  SnapshotPtr snapshot = Latest();
  ASSERT_NE(snapshot->schema()->Find("extra"), nullptr);
  ExpectRows(
      "SELECT * FROM (VALUES (0, 'n0', NULL::BOOLEAN), (2, 'n2', NULL), (3, 'n3', NULL), "
      "(1, NULL, TRUE)) t(id, name, extra)");
  for (const AddFile& file : snapshot->files()) {
    auto columns = connection_->Query("SELECT name FROM parquet_schema('" + root_ + "/" +
                                      file.path + "') WHERE name = 'extra'");
    ASSERT_TRUE(columns.ok()) << columns.status().ToString();
    EXPECT_EQ(columns->row_count(), 1u) << "rewritten files have the new column: " << file.path;
  }

  auto refused = MergeRows(context_, root_, ByKey({"id"}, "SELECT 1 AS id", "SELECT 'x' AS id"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find(root_), std::string::npos)
      << refused.status().message();
}

TEST_F(MergeTest, SameTransactionIsSkippedOnRerun) {
  Write("SELECT i AS id FROM range(3) t(i)");
  MergeOptions options = ByKey({"id"}, "SELECT 1 AS id", "SELECT 1 AS id");
  options.app_id = "flow-a";
  options.app_version = 7;
  MergeResult first = Merge(options);
  EXPECT_EQ(first.version, 1);
  EXPECT_FALSE(first.skipped);
  options.rows_sql = "SELECT 1 AS id UNION ALL SELECT 10";
  MergeResult again = Merge(options);
  EXPECT_TRUE(again.skipped);
  EXPECT_EQ(again.version, -1);
  EXPECT_EQ(Latest()->version(), 1);
  EXPECT_EQ(Latest()->TransactionVersion("flow-a"), 7);
  ExpectRows("SELECT i AS id FROM range(3) t(i)");
}

TEST_F(MergeTest, ReplaceAllRemovesEveryRow) {
  Write("SELECT i AS id FROM range(5) t(i)");
  Write("SELECT i AS id FROM range(5, 8) t(i)");
  MergeOptions options;
  options.replace_all = true;
  options.rows_sql = "SELECT 100 AS id";
  MergeResult result = Merge(options);
  EXPECT_EQ(result.rows_removed, 8);
  EXPECT_EQ(result.files_removed, 2);
  EXPECT_EQ(result.rows_written, 1);
  ExpectRows("SELECT 100 AS id");

  // A truncate: no rows, still a commit.
  options.rows_sql = "SELECT 1 AS id WHERE false";
  result = Merge(options);
  EXPECT_EQ(result.version, 3);
  EXPECT_EQ(result.rows_removed, 1);
  EXPECT_TRUE(Latest()->files().empty());
}

TEST_F(MergeTest, CreatesTheTableAndCommitsNothingForNothing) {
  MergeOptions options =
      ByKey({"id"}, "SELECT 1 AS id", "SELECT i AS id, i % 2 AS p FROM range(6) t(i)");
  options.partition_by = {"p"};
  options.table_properties = {{"delta.appendOnly", "false"}};
  options.table_name = "events";
  options.app_id = "flow-c";
  options.app_version = 0;
  MergeResult created = Merge(options);
  EXPECT_EQ(created.version, 0);
  EXPECT_EQ(created.rows_written, 6);
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->partition_columns(), std::vector<std::string>{"p"});
  EXPECT_EQ(snapshot->metadata().name, "events");
  EXPECT_EQ(snapshot->TransactionVersion("flow-c"), 0);
  ExpectRows("SELECT i AS id, i % 2 AS p FROM range(6) t(i)");

  MergeResult nothing =
      Merge(ByKey({"id"}, "SELECT 1 AS id WHERE false", "SELECT 1 AS id, 1 AS p WHERE false"));
  EXPECT_EQ(nothing.version, -1);
  nothing = Merge(ByKey({"id"}, "SELECT 99 AS id", ""));  // a key no row has
  EXPECT_EQ(nothing.version, -1);
  EXPECT_EQ(Latest()->version(), 0);

  MergeResult deleted = Merge(ByKey({"id"}, "SELECT 3 AS id", ""));
  EXPECT_EQ(deleted.version, 1);
  EXPECT_EQ(deleted.rows_removed, 1);
  ExpectRows("SELECT i AS id, i % 2 AS p FROM range(6) t(i) WHERE i <> 3");
}

TEST_F(MergeTest, ErrorsNameTheTable) {
  Write("SELECT 1 AS id");
  auto unknown = MergeRows(context_, root_, ByKey({"nope"}, "SELECT 1 AS nope", ""));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find(root_), std::string::npos);
  EXPECT_NE(unknown.status().message().find("nope"), std::string::npos);
  auto bad_keys = MergeRows(context_, root_, ByKey({"id"}, "SELECT x FROM nowhere", ""));
  ASSERT_FALSE(bad_keys.ok());
  EXPECT_NE(bad_keys.status().message().find(root_), std::string::npos);
  EXPECT_EQ(Latest()->version(), 0);
}

TEST_F(MergeTest, ConcurrentDeleteOfTouchedFileConflicts) {
  Write("SELECT i AS id FROM range(10) t(i)");
  Write("SELECT i AS id FROM range(10, 20) t(i)");
  bool fired = false;
  SyncPoints::Get().Set("delta.commit.before_put", [&]() -> Status {
    if (fired) return Status::OK();
    fired = true;  // another writer deletes from the file the merge rewrites
    auto deleted = DeleteRows(context_, root_, "id = 5");
    EXPECT_TRUE(deleted.ok()) << deleted.status().ToString();
    return Status::OK();
  });
  auto result = MergeRows(context_, root_, ByKey({"id"}, "SELECT 3 AS id", "SELECT 3 AS id"));
  SyncPoints::Get().ClearAll();
  ASSERT_TRUE(fired);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsConflict()) << result.status().ToString();
  EXPECT_NE(result.status().message().find(root_), std::string::npos);
  EXPECT_EQ(Latest()->version(), 2) << "only the delete landed";
  ExpectRows("SELECT i AS id FROM range(20) t(i) WHERE i <> 5");

  // Run again, the merge sees the delete and lands.
  MergeResult retried = Merge(ByKey({"id"}, "SELECT 3 AS id", "SELECT 3 AS id"));
  EXPECT_EQ(retried.version, 3);
  ExpectRows("SELECT i AS id FROM range(20) t(i) WHERE i <> 5");
}

TEST_F(MergeTest, ConcurrentAppendConflicts) {
  Write("SELECT i AS id FROM range(10) t(i)");
  bool fired = false;
  SyncPoints::Get().Set("delta.commit.before_put", [&]() -> Status {
    if (fired) return Status::OK();
    fired = true;  // the appended row has a key the merge removes
    EXPECT_TRUE(WriteTable(context_, root_, "SELECT 3::BIGINT AS id", {}).ok());
    return Status::OK();
  });
  auto result = MergeRows(context_, root_, ByKey({"id"}, "SELECT 3 AS id", "SELECT 3 AS id"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("ConcurrentAppendException"), std::string::npos)
      << result.status().message();
}

TEST_F(MergeTest, RecordsChangeDataWhenFeedIsOn) {
  WriteOptions create;
  create.table_properties = {{"delta.enableChangeDataFeed", "true"}};
  Write("SELECT i AS id, 'a' AS name FROM range(10) t(i)", create);
  MergeResult result = Merge(ByKey({"id"}, "SELECT * FROM (VALUES (3), (4)) t(id)",
                                   "SELECT * FROM (VALUES (3, 'b'), (11, 'c')) t(id, name)"));
  ASSERT_EQ(result.rows_copied, 8);
  auto changes = ReadChangeDataFeed(context_, root_, result.version, result.version);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  std::multiset<std::string> seen;
  for (const auto& row : changes->rows()) {
    seen.insert(row[0].ToString() + " " + row[1].ToString() + " " + row[2].ToString());
  }
  EXPECT_EQ(seen,
            (std::multiset<std::string>{"3 a delete", "4 a delete", "3 b insert", "11 c insert"}))
      << "only the removed and the new rows, not the copied ones";
}

TEST_F(MergeTest, DeletionVectorRowsStayDeleted) {
  // Values 0-9 in one file; a deletion vector hides 0 and 9.
  testing::CopyTree(testing::ConformancePath("delta-kernel-rs/data/table-with-dv-small"), root_);
  MergeResult result =
      Merge(ByKey({"value"}, "SELECT * FROM (VALUES (5), (9)) t(value)", "SELECT 50 AS value"));
  EXPECT_EQ(result.rows_removed, 1) << "9 was already deleted";
  // The table has delta.enableDeletionVectors: the file stays, its DV now hides 0, 5 and 9.
  EXPECT_EQ(result.rows_copied, 0);
  EXPECT_EQ(result.files_removed, 0);
  SnapshotPtr snapshot = Latest();
  ASSERT_EQ(snapshot->files().size(), 2u);  // the marked file and the new row's
  int64_t marked = 0;
  for (const AddFile& file : snapshot->files()) {
    if (file.deletion_vector) marked = file.deletion_vector->cardinality;
  }
  EXPECT_EQ(marked, 3);
  ExpectRows("SELECT i::INTEGER AS value FROM range(1, 9) t(i) WHERE i <> 5 UNION ALL SELECT 50");

  MergeResult nothing = Merge(ByKey({"value"}, "SELECT 0 AS value", ""));
  EXPECT_EQ(nothing.version, -1) << "0 is deleted too";
}

TEST_F(MergeTest, ReplaceAllCountsRowsLeftByDeletionVectors) {
  testing::CopyTree(testing::ConformancePath("delta-kernel-rs/data/table-with-dv-small"), root_);
  MergeOptions replace;
  replace.replace_all = true;
  replace.rows_sql = "SELECT 1 AS value";
  EXPECT_EQ(Merge(replace).rows_removed, 8);
  ExpectRows("SELECT 1 AS value");
}

}  // namespace
}  // namespace sluice::delta
