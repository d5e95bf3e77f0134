#include "delta/write.h"

#include <gtest/gtest.h>

#include "delta/change_data_feed.h"
#include "delta/history.h"
#include "delta/log_validator.h"
#include "delta/optimize.h"
#include "delta/protocol.h"
#include "delta/scan.h"
#include "delta/stats.h"
#include "delta/table_test_fixture.h"
#include "delta/transaction.h"
#include "delta/vacuum.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

class WriteTest : public DeltaTableTest {
 protected:
  WriteResult Write(const std::string& sql, WriteOptions options = {}) {
    auto result = WriteTable(context_, root_, sql, options);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : WriteResult{};
  }
  // The table's rows minus `expected_sql`'s and the other way round; both empty = equal.
  void ExpectRows(const std::string& expected_sql, std::optional<int64_t> version = {}) {
    auto snapshot = LoadSnapshot(context_, root_, version);
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

const char* kAllTypes =
    "SELECT i::BIGINT AS l, i::INTEGER AS n, i::SMALLINT AS s, i::TINYINT AS b, "
    "(i / 3)::FLOAT AS f, (i / 7)::DOUBLE AS d, i % 2 = 0 AS flag, 'text ' || i AS str, "
    "('\\x' || lpad(i::VARCHAR, 2, '0'))::BLOB AS bin, (i * 1.25)::DECIMAL(12, 2) AS dec, "
    "DATE '2024-02-28' + i::INTEGER AS day, "
    "TIMESTAMPTZ '2024-01-01 00:00:00.123456+00' + to_seconds(i) AS ts, "
    "{'x': i, 'y': 'nested'} AS st, [i, i + 1] AS arr, MAP {'k': i} AS m "
    "FROM range(50) t(i)";

TEST_F(WriteTest, EveryTypeRoundTrips) {
  WriteResult result = Write(kAllTypes);
  EXPECT_EQ(result.version, 0);
  EXPECT_EQ(result.rows_written, 50);
  ExpectRows(kAllTypes);
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->protocol().min_reader_version, 1);
  EXPECT_EQ(snapshot->protocol().min_writer_version, 2);
  EXPECT_EQ(snapshot->total_records(), 50);
  auto stats = ParseStats(*snapshot->files().front().stats);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->min_values.Find({"l"})->text, "0");
  EXPECT_EQ(stats->max_values.Find({"l"})->text, "49");
  EXPECT_EQ(stats->min_values.Find({"day"})->text, "2024-02-28");
  EXPECT_EQ(stats->min_values.Find({"st", "x"})->text, "0");
  EXPECT_EQ(*stats->null_count.Find({"str"}), 0);
}

TEST_F(WriteTest, TimestampNtzNeedsFeature) {
  Write("SELECT TIMESTAMP '2024-01-01 10:00:00' AS t");
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->protocol().min_reader_version, 3);
  ASSERT_TRUE(snapshot->protocol().reader_features.has_value());
  EXPECT_NE(std::find(snapshot->protocol().reader_features->begin(),
                      snapshot->protocol().reader_features->end(), "timestampNtz"),
            snapshot->protocol().reader_features->end());
  ExpectRows("SELECT TIMESTAMP '2024-01-01 10:00:00' AS t");
}

TEST_F(WriteTest, PartitionsWithNullsAndSpecialCharacters) {
  const std::string rows =
      "SELECT i AS id, CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN 'a b/c:d%e=f' WHEN 2 THEN 'é' "
      "ELSE 'plain' END AS p, DATE '2024-01-01' + (i % 3)::INTEGER AS day FROM range(48) t(i)";
  WriteOptions options;
  options.partition_by = {"p", "day"};
  Write(rows, options);
  ExpectRows(rows);
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->files().size(), 12u);
  bool saw_null = false;
  for (const AddFile& file : snapshot->files()) {
    ASSERT_EQ(file.partition_values.size(), 2u);
    saw_null |= !file.partition_values.at("p").has_value();
    EXPECT_EQ(file.path.find(' '), std::string::npos) << "paths are URI-encoded: " << file.path;
  }
  EXPECT_TRUE(saw_null);
  ScanOptions filter;
  filter.filter = "p IS NULL";
  auto plan = PlanScan(context_, *snapshot, filter);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->files_to_read, 3u);
  EXPECT_TRUE(ReleaseScan(*connection_, *plan).ok());
}

TEST_F(WriteTest, TargetFileSizeHoldsInsidePartitions) {
  WriteOptions options;
  options.partition_by = {"p"};
  options.table_properties = {{"delta.targetFileSize", "200000"}};
  const std::string rows =
      "SELECT i AS id, i % 2 AS p, md5(i::VARCHAR) AS payload FROM range(200000) t(i)";
  Write(rows, options);
  ExpectRows(rows);
  SnapshotPtr snapshot = Latest();
  EXPECT_GT(snapshot->files().size(), 4u) << "large partitions are split into several files";
  for (const AddFile& file : snapshot->files()) {
    EXPECT_LT(file.size, 200000 * 3) << file.path;
    EXPECT_TRUE(file.partition_values.at("p").has_value());
  }
  EXPECT_EQ(snapshot->total_records(), 200000);
}

TEST_F(WriteTest, AppendOverwriteAndTimeTravel) {
  Write("SELECT 1 AS id");
  Write("SELECT 2 AS id");
  WriteOptions overwrite;
  overwrite.mode = WriteMode::kOverwrite;
  WriteResult result = Write("SELECT 3 AS id", overwrite);
  EXPECT_EQ(result.files_removed, 2);
  ExpectRows("SELECT 3::BIGINT AS id");
  ExpectRows("SELECT 1::BIGINT AS id UNION ALL SELECT 2", 1);
  auto history = std::move(ReadHistory(*context_.fs, root_)).value();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].commit_info->operation(), "WRITE");
  EXPECT_EQ(history[0].commit_info->operation_parameters()->at("mode"), "Overwrite");
  EXPECT_EQ(history[2].commit_info->operation(), "CREATE TABLE AS SELECT");
}

TEST_F(WriteTest, ErrorIfExistsAndIgnore) {
  Write("SELECT 1 AS id");
  WriteOptions options;
  options.mode = WriteMode::kErrorIfExists;
  auto result = WriteTable(context_, root_, "SELECT 2 AS id", options);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsAlreadyExists());
  options.mode = WriteMode::kIgnore;
  EXPECT_TRUE(Write("SELECT 2 AS id", options).skipped);
  ExpectRows("SELECT 1::INTEGER AS id");
}

TEST_F(WriteTest, SchemaEvolutionAddsColumnsAndRefusesTypeChanges) {
  Write("SELECT 1 AS id, 'a' AS name");
  auto refused = WriteTable(context_, root_, "SELECT 2 AS id, 'b' AS name, 3 AS extra", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("extra"), std::string::npos)
      << refused.status().message();

  WriteOptions merge;
  merge.merge_schema = true;
  Write("SELECT 2 AS id, 'b' AS name, 3 AS extra", merge);
  ExpectRows("SELECT 1 AS id, 'a' AS name, NULL::INTEGER AS extra UNION ALL SELECT 2, 'b', 3");

  auto bad_type = WriteTable(context_, root_, "SELECT 'x' AS id", merge);
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.status().message().find("id"), std::string::npos)
      << bad_type.status().message();
  EXPECT_EQ(Latest()->version(), 1) << "a refused write commits nothing";
}

// allowColumnDefaults: a writer must fill a column that has a default (CURRENT_DEFAULT) when
// the data lacks it. sluice writes the table as long as the data gives every such column, and
// refuses a write that leaves one out rather than writing NULL there.
TEST_F(WriteTest, ColumnDefaultsFeatureIsWrittenWhenTheDataGivesEveryDefaultedColumn) {
  WriteOptions options;
  options.table_properties = {{"delta.feature.allowColumnDefaults", "enabled"},
                              {"quality", "gold"}};
  Write("SELECT 1 AS id, 'a' AS status", options);
  SnapshotPtr created = Latest();
  EXPECT_EQ(created->protocol().min_reader_version, 1);
  EXPECT_EQ(created->protocol().min_writer_version, 7);
  EXPECT_TRUE(SupportsWriterFeature(created->protocol(), "allowColumnDefaults"));
  // The property asks for the feature; Spark keeps it out of the configuration.
  EXPECT_EQ(created->configuration(), (StringMap{{"quality", "gold"}}));

  // status gets a default, as ALTER TABLE ... ALTER COLUMN status SET DEFAULT 'new' gives it.
  auto txn = Transaction::Begin(context_, root_);
  ASSERT_TRUE(txn.ok()) << txn.status().ToString();
  Metadata metadata = created->metadata();
  metadata.schema_string =
      R"({"type":"struct","fields":[{"name":"id","type":"integer","nullable":true,)"
      R"("metadata":{}},{"name":"status","type":"string","nullable":true,)"
      R"("metadata":{"CURRENT_DEFAULT":"'new'"}}]})";
  (*txn)->SetMetadata(metadata);
  (*txn)->SetOperation("CHANGE COLUMN");
  ASSERT_TRUE((*txn)->Commit().ok());

  Write("SELECT 2 AS id, 'b' AS status");
  auto missing = WriteTable(context_, root_, "SELECT 3 AS id", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(missing.status().message().find("column 'status' has a default value ('new')"),
            std::string::npos)
      << missing.status().message();
  ExpectRows("SELECT 1 AS id, 'a' AS status UNION ALL SELECT 2, 'b'");
  EXPECT_EQ(Latest()->version(), 2) << "a refused write commits nothing";
}

TEST_F(WriteTest, IdempotentWriterSkipsCommittedBatches) {
  WriteOptions options;
  options.app_id = "flow-a";
  options.app_version = 0;
  EXPECT_FALSE(Write("SELECT 1 AS id", options).skipped);
  EXPECT_TRUE(Write("SELECT 1 AS id", options).skipped);
  options.app_version = 1;
  EXPECT_FALSE(Write("SELECT 2 AS id", options).skipped);
  ExpectRows("SELECT 1::INTEGER AS id UNION ALL SELECT 2");
  EXPECT_EQ(Latest()->TransactionVersion("flow-a"), 1);
}

TEST_F(WriteTest, DeleteRewritesOnlyAffectedFiles) {
  WriteOptions options;
  options.partition_by = {"p"};
  Write("SELECT i AS id, i % 3 AS p FROM range(30) t(i)", options);
  SnapshotPtr before = Latest();
  ASSERT_EQ(before->files().size(), 3u);

  auto nothing = DeleteRows(context_, root_, "id > 1000");
  ASSERT_TRUE(nothing.ok()) << nothing.status().ToString();
  EXPECT_EQ(nothing->version, -1);

  auto result = DeleteRows(context_, root_, "id = 4 OR id = 7");  // both in partition p = 1
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->rows_deleted, 2);
  EXPECT_EQ(result->files_removed, 1);
  EXPECT_EQ(result->files_added, 1);
  EXPECT_EQ(result->rows_copied, 8);
  ExpectRows("SELECT i AS id, i % 3 AS p FROM range(30) t(i) WHERE i NOT IN (4, 7)");

  auto whole = DeleteRows(context_, root_, "p = 0");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->files_added, 0) << "a file whose rows all match is removed, not rewritten";
  ExpectRows("SELECT i AS id, i % 3 AS p FROM range(30) t(i) WHERE i NOT IN (4, 7) AND i % 3 <> 0");

  auto history = std::move(ReadHistory(*context_.fs, root_)).value();
  EXPECT_EQ(history[0].commit_info->operation(), "DELETE");
  EXPECT_EQ(history[0].commit_info->operation_metrics()->at("numDeletedRows"), "10");
}

TEST_F(WriteTest, DeleteRecordsChangeDataWhenFeedIsOn) {
  WriteOptions options;
  options.table_properties = {{"delta.enableChangeDataFeed", "true"}};
  Write("SELECT i AS id FROM range(10) t(i)", options);
  auto deleted = DeleteRows(context_, root_, "id IN (3, 4)");
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  auto changes = ReadChangeDataFeed(context_, root_, deleted->version, deleted->version);
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->row_count(), 2u) << "only the deleted rows, not the copied ones";
  for (const auto& row : changes->rows()) {
    EXPECT_EQ(row[1].ToString(), "delete");
  }
  auto commit = ReadCommit(*context_.fs, root_, deleted->version);
  ASSERT_TRUE(commit.ok());
  int cdc_files = 0;
  for (const Action& action : *commit) {
    if (const auto* cdc = std::get_if<AddCdcFile>(&action)) {
      ++cdc_files;
      EXPECT_EQ(cdc->path.rfind("_change_data/", 0), 0u) << cdc->path;
    }
  }
  EXPECT_EQ(cdc_files, 1);
  SnapshotPtr snapshot = Latest();
  EXPECT_TRUE(std::find(snapshot->protocol().writer_features->begin(),
                        snapshot->protocol().writer_features->end(),
                        "changeDataFeed") != snapshot->protocol().writer_features->end());
}

TEST_F(WriteTest, OptimizeCompactsWithoutChangingData) {
  for (int i = 0; i < 5; ++i) {
    Write("SELECT " + std::to_string(i) + " AS id, 'x' AS name");
  }
  ASSERT_EQ(Latest()->files().size(), 5u);
  auto metrics = Optimize(context_, root_);
  ASSERT_TRUE(metrics.ok()) << metrics.status().ToString();
  EXPECT_EQ(metrics->files_removed, 5);
  EXPECT_EQ(metrics->files_added, 1);
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->files().size(), 1u);
  EXPECT_FALSE(snapshot->files().front().data_change);
  ExpectRows("SELECT i AS id, 'x' AS name FROM range(5) t(i)");
  auto again = Optimize(context_, root_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, -1) << "nothing left to compact";
}

TEST_F(WriteTest, VacuumDeletesOnlyUnreferencedOldFiles) {
  Write("SELECT 1 AS id");
  WriteOptions overwrite;
  overwrite.mode = WriteMode::kOverwrite;
  Write("SELECT 2 AS id", overwrite);
  ASSERT_TRUE(context_.fs->WriteFile(root_ + "/stray.parquet", "junk").ok());

  VacuumOptions refuse;
  refuse.retention_ms = 0;
  auto refused = Vacuum(context_, root_, refuse);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--force"), std::string::npos);

  VacuumOptions dry;
  dry.retention_ms = 0;
  dry.allow_short_retention = true;
  dry.dry_run = true;
  auto listed = Vacuum(context_, root_, dry);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  // The overwritten file and the stray file; the live file and the log stay.
  EXPECT_EQ(listed->files.size(), 2u);
  EXPECT_TRUE(context_.fs->Exists(root_ + "/stray.parquet"));

  VacuumOptions real = dry;
  real.dry_run = false;
  ASSERT_TRUE(Vacuum(context_, root_, real).ok());
  EXPECT_FALSE(context_.fs->Exists(root_ + "/stray.parquet"));
  ExpectRows("SELECT 2::INTEGER AS id");

  VacuumOptions kept;
  auto nothing = Vacuum(context_, root_, kept);
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->files.empty()) << "default retention keeps recent files";
}

TEST_F(WriteTest, CheckpointedTableReadsBackAndValidates) {
  WriteOptions options;
  options.partition_by = {"p"};
  for (int i = 0; i < 12; ++i) {
    Write("SELECT " + std::to_string(i) + " AS id, " + std::to_string(i % 2) + " AS p", options);
  }
  ASSERT_TRUE(DeleteRows(context_, root_, "id = 3").ok());
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->segment().checkpoint_version, 10);
  ExpectRows("SELECT i AS id, i % 2 AS p FROM range(12) t(i) WHERE i <> 3");
}

TEST_F(WriteTest, EmptyResultCommitsNoFile) {
  WriteResult result = Write("SELECT 1 AS id WHERE false");
  EXPECT_EQ(result.version, 0);
  EXPECT_EQ(result.files_added, 0);
  SnapshotPtr snapshot = Latest();
  EXPECT_TRUE(snapshot->files().empty());
  ASSERT_NE(snapshot->schema(), nullptr);
  ExpectRows("SELECT 1 AS id WHERE false");
}

}  // namespace
}  // namespace sluice::delta
