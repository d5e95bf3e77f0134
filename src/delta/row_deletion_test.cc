// Deleting rows with deletion vectors (merge-on-read): DELETE and MERGE on a table with
// delta.enableDeletionVectors keep the touched file and mark its rows, the table reads back
// as with copy-on-write, the log stays valid, the change feed has exactly the deleted rows,
// VACUUM keeps the DV files live files use, and two writers marking one file conflict.
#include "delta/row_deletion.h"

#include <gtest/gtest.h>

#include "common/sync_point.h"
#include "delta/change_data_feed.h"
#include "delta/deletion_vector.h"
#include "delta/history.h"
#include "delta/log_validator.h"
#include "delta/merge.h"
#include "delta/optimize.h"
#include "delta/scan.h"
#include "delta/stats.h"
#include "delta/table_test_fixture.h"
#include "delta/vacuum.h"
#include "delta/write.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

class RowDeletionTest : public DeltaTableTest {
 protected:
  // One file of ids 0..rows-1 (value 'v<id>'), with deletion vectors on (and the change
  // feed when asked).
  void Create(int rows, bool change_feed = false) {
    WriteOptions options;
    options.table_properties["delta.enableDeletionVectors"] = "true";
    if (change_feed) options.table_properties["delta.enableChangeDataFeed"] = "true";
    auto result = WriteTable(
        context_, root_,
        "SELECT i AS id, 'v' || i AS value FROM range(" + std::to_string(rows) + ") t(i)", options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }
  DeleteResult Delete(const std::string& predicate) {
    auto result = DeleteRows(context_, root_, predicate);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : DeleteResult{};
  }
  // The only live file of the table.
  AddFile OnlyFile() {
    SnapshotPtr snapshot = Latest();
    EXPECT_EQ(snapshot->files().size(), 1u);
    return snapshot->files().empty() ? AddFile{} : snapshot->files()[0];
  }
  std::string Ids() {
    auto rows = ScanAll(context_, *Latest(), {});
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<int64_t> ids;
    for (const auto& row : rows->rows()) ids.push_back(std::get<int64_t>(row[0].data));
    std::sort(ids.begin(), ids.end());
    std::string text;
    for (int64_t id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
    return text;
  }
};

TEST_F(RowDeletionTest, DeleteMarksRowsInTheFileItKeeps) {
  Create(10);
  const AddFile before = OnlyFile();
  DeleteResult first = Delete("id = 3");
  EXPECT_EQ(first.rows_deleted, 1);
  EXPECT_EQ(first.rows_copied, 0);
  EXPECT_EQ(first.files_removed, 0);
  EXPECT_EQ(first.files_added, 0);
  AddFile marked = OnlyFile();
  EXPECT_EQ(marked.path, before.path);  // the same data file, not rewritten
  ASSERT_TRUE(marked.deletion_vector.has_value());
  EXPECT_EQ(marked.deletion_vector->storage_type, 'i');  // small: inline in the log
  EXPECT_EQ(marked.deletion_vector->cardinality, 1);
  // Stats cover the deleted row too: bounds only.
  EXPECT_EQ(ParseStats(*marked.stats)->tight_bounds, false);
  EXPECT_EQ(ParseStats(*marked.stats)->num_records, 10);
  EXPECT_EQ(Ids(), "0,1,2,4,5,6,7,8,9");
  EXPECT_EQ(Latest()->total_records(), 9);
  EXPECT_EQ(Metrics(1).at("numDeletionVectorsAdded"), "1");
  EXPECT_EQ(Metrics(1).at("numDeletedRows"), "1");

  // A second delete in the file updates its DV with both rows.
  Delete("id IN (3, 7)");
  marked = OnlyFile();
  EXPECT_EQ(marked.path, before.path);
  EXPECT_EQ(marked.deletion_vector->cardinality, 2);
  EXPECT_EQ(Ids(), "0,1,2,4,5,6,8,9");
  EXPECT_EQ(Metrics(2).at("numDeletionVectorsUpdated"), "1");
  EXPECT_EQ(Metrics(2).at("numDeletedRows"), "1");

  // Past half of its rows the file is rewritten without a DV.
  DeleteResult most = Delete("id < 6");
  EXPECT_EQ(most.rows_deleted, 5);
  EXPECT_EQ(most.rows_copied, 3);
  AddFile rewritten = OnlyFile();
  EXPECT_NE(rewritten.path, before.path);
  EXPECT_FALSE(rewritten.deletion_vector.has_value());
  EXPECT_EQ(Ids(), "6,8,9");
  EXPECT_EQ(Metrics(3).at("numDeletionVectorsRemoved"), "1");
}

TEST_F(RowDeletionTest, LargeDeletionVectorsGoToAFileVacuumKeeps) {
  Create(10000);
  Delete("id % 10 = 3");  // 1,000 scattered rows: too large to inline
  const AddFile marked = OnlyFile();
  ASSERT_TRUE(marked.deletion_vector.has_value());
  EXPECT_EQ(marked.deletion_vector->storage_type, 'u');
  EXPECT_EQ(marked.deletion_vector->cardinality, 1000);
  auto dv_path = DeletionVectorFilePath(root_, *marked.deletion_vector);
  ASSERT_TRUE(dv_path.ok()) << dv_path.status().ToString();
  EXPECT_TRUE(context_.fs->Exists(*dv_path));
  auto counted = ScanAll(context_, *Latest(), {});
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->row_count(), 9000u);

  // VACUUM with no retention keeps the DV file the live file uses.
  VacuumOptions vacuum;
  vacuum.retention_ms = 0;
  vacuum.allow_short_retention = true;
  auto vacuumed = Vacuum(context_, root_, vacuum);
  ASSERT_TRUE(vacuumed.ok()) << vacuumed.status().ToString();
  EXPECT_TRUE(context_.fs->Exists(*dv_path));
  // Once the file is rewritten, the DV file is no longer used and goes.
  Delete("id < 8000");
  vacuumed = Vacuum(context_, root_, vacuum);
  ASSERT_TRUE(vacuumed.ok()) << vacuumed.status().ToString();
  EXPECT_FALSE(context_.fs->Exists(*dv_path));
  auto left = ScanAll(context_, *Latest(), {});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->row_count(), 1800u);  // 8000..9999 less the 200 ending in 3
}

TEST_F(RowDeletionTest, ReorgPurgeAndOptimizeRewriteMarkedFiles) {
  Create(10);
  Delete("id = 4");
  const AddFile marked = OnlyFile();
  ASSERT_TRUE(marked.deletion_vector.has_value());
  OptimizeOptions purge;
  purge.purge = true;
  auto purged = Optimize(context_, root_, purge);
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(purged->files_removed, 1);
  EXPECT_EQ(purged->files_added, 1);
  const AddFile clean = OnlyFile();
  EXPECT_NE(clean.path, marked.path);
  EXPECT_FALSE(clean.deletion_vector.has_value());
  EXPECT_EQ(ParseStats(*clean.stats)->num_records, 9);
  EXPECT_EQ(Ids(), "0,1,2,3,5,6,7,8,9");
  auto history = std::move(ReadHistory(*context_.fs, root_)).value();
  EXPECT_EQ(history.front().commit_info->operation(), "REORG");
  // Nothing is left to purge.
  auto again = Optimize(context_, root_, purge);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, -1);
  // OPTIMIZE purges too.
  Delete("id = 5");
  ASSERT_TRUE(OnlyFile().deletion_vector.has_value());
  auto optimized = Optimize(context_, root_, {});
  ASSERT_TRUE(optimized.ok()) << optimized.status().ToString();
  EXPECT_FALSE(OnlyFile().deletion_vector.has_value());
  EXPECT_EQ(Ids(), "0,1,2,3,6,7,8,9");
}

TEST_F(RowDeletionTest, MergeMarksReplacedRows) {
  Create(10);
  MergeOptions options;
  options.key_columns = {"id"};
  options.keys_sql = "SELECT * FROM (VALUES (2), (5)) t(id)";
  options.rows_sql = "SELECT * FROM (VALUES (2, 'new2'), (5, 'new5')) t(id, value)";
  auto result = MergeRows(context_, root_, options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows_removed, 2);
  EXPECT_EQ(result->rows_copied, 0);
  EXPECT_EQ(result->files_removed, 0);
  EXPECT_EQ(result->files_added, 1);  // the new rows
  SnapshotPtr snapshot = Latest();
  ASSERT_EQ(snapshot->files().size(), 2u);
  auto rows = ScanAll(context_, *snapshot, {});
  ASSERT_TRUE(rows.ok());
  std::map<int64_t, std::string> values;
  for (const auto& row : rows->rows()) {
    values[std::get<int64_t>(row[0].data)] = row[1].ToString();
  }
  EXPECT_EQ(values.size(), 10u);
  EXPECT_EQ(values[2], "new2");
  EXPECT_EQ(values[5], "new5");
  EXPECT_EQ(values[6], "v6");
}

TEST_F(RowDeletionTest, ChangeFeedHasExactlyTheDeletedRows) {
  Create(10, /*change_feed=*/true);
  Delete("id IN (1, 8)");
  auto changes = ReadChangeDataFeed(context_, root_, 1, 1);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  std::set<std::string> seen;
  for (const auto& row : changes->rows()) {
    seen.insert(row[0].ToString() + ":" + row[2].ToString());
  }
  EXPECT_EQ(seen, (std::set<std::string>{"1:delete", "8:delete"}));
}

TEST_F(RowDeletionTest, TwoWritersMarkingOneFileConflict) {
  Create(10);
  // The second delete reads the table before the first commits.
  auto second = Transaction::Begin(context_, root_);
  ASSERT_TRUE(second.ok());
  SnapshotPtr read = Latest();
  Delete("id = 1");
  (*second)->ReadEverything();
  TouchedFiles touched(true);
  ASSERT_TRUE(touched.Find(context_, *read, {&read->files()[0]}, {}, "__t.id = 2").ok());
  ASSERT_EQ(touched.marked().size(), 1u);
  ASSERT_TRUE(touched.Stage(context_, *read, 0, **second).ok());
  (*second)->SetOperation("DELETE");
  auto committed = (*second)->Commit();
  ASSERT_FALSE(committed.ok());
  EXPECT_TRUE(committed.status().IsConflict()) << committed.status().ToString();
  EXPECT_EQ(Ids(), "0,2,3,4,5,6,7,8,9");
}

// DuckDB's virtual column file_index, which the scan keys deleted rows by, is hidden by a
// data column of that name: the scan must still drop exactly the marked rows of each file.
TEST_F(RowDeletionTest, ColumnNamedFileIndexDoesNotConfuseDeletedRows) {
  for (int part = 0; part < 2; ++part) {
    WriteOptions options;
    options.mode = part == 0 ? WriteMode::kErrorIfExists : WriteMode::kAppend;
    options.table_properties["delta.enableDeletionVectors"] = "true";
    auto result = WriteTable(
        context_, root_,
        "SELECT " + std::to_string(part * 10) + " + i AS id, 7 AS file_index FROM range(10) t(i)",
        options);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
  }
  Delete("id IN (1, 12)");
  Delete("id IN (3, 14)");
  SnapshotPtr snapshot = Latest();
  ASSERT_EQ(snapshot->files().size(), 2u);
  for (const AddFile& file : snapshot->files()) EXPECT_TRUE(file.deletion_vector.has_value());
  EXPECT_EQ(Ids(), "0,2,4,5,6,7,8,9,10,11,13,15,16,17,18,19");
}

}  // namespace
}  // namespace sluice::delta
