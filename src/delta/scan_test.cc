#include "delta/scan.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "delta/table_test_fixture.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

using testing::ConformancePath;

class ScanTest : public DeltaTableTest {
 protected:
  SnapshotPtr Load(const std::string& root, std::optional<int64_t> version = std::nullopt) {
    auto snapshot = LoadSnapshot(context_, root, version);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    return snapshot.ok() ? *snapshot : nullptr;
  }
  int64_t Count(const Snapshot& snapshot, const ScanOptions& options, ScanPlan* plan_out) {
    auto plan = PlanScan(context_, snapshot, options);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    if (!plan.ok()) return -1;
    auto rows = connection_->Query("SELECT count(*) FROM (" + plan->sql + ")");
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_TRUE(ReleaseScan(*connection_, *plan).ok());
    if (plan_out) *plan_out = *plan;
    return rows.ok() ? std::get<int64_t>(rows->at(0, 0).data) : -1;
  }
};

const std::string kPartitioned = "dat-v0.0.2/reader_tests/basic_partitioned/delta";

TEST_F(ScanTest, PartitionFilterSkipsFiles) {
  SnapshotPtr snapshot = Load(ConformancePath(kPartitioned));
  ScanPlan plan;
  int64_t all = Count(*snapshot, {}, &plan);
  EXPECT_EQ(plan.files_to_read, snapshot->files().size());
  ScanOptions options;
  options.filter = "letter = 'a'";
  int64_t matching = Count(*snapshot, options, &plan);
  EXPECT_GT(all, matching);
  EXPECT_GT(matching, 0);
  EXPECT_LT(plan.files_to_read, plan.files_in_snapshot);

  options.filter = "letter IS NULL";
  EXPECT_EQ(Count(*snapshot, options, &plan), 1);
}

TEST_F(ScanTest, StatisticsSkipFilesWithoutChangingResults) {
  SnapshotPtr snapshot = Load(
      ConformancePath("delta-kernel-rs/golden_data/data-skipping-partition-and-data-column/delta"));
  ASSERT_NE(snapshot, nullptr);
  ASSERT_GT(snapshot->files().size(), 1u);
  const std::string column = snapshot->schema()->fields().back().name;
  for (const std::string& filter :
       {column + " > 1000000", column + " < -1000000", column + " = 1", column + " IS NULL"}) {
    ScanOptions options;
    options.filter = filter;
    ScanPlan plan;
    int64_t skipped = Count(*snapshot, options, &plan);
    auto expected = connection_->Query("SELECT count(*) FROM (" +
                                       std::move(PlanScan(context_, *snapshot)).value().sql +
                                       ") WHERE " + filter);
    ASSERT_TRUE(expected.ok()) << expected.status().ToString();
    EXPECT_EQ(skipped, std::get<int64_t>(expected->at(0, 0).data)) << filter;
  }
}

TEST_F(ScanTest, ProjectsColumnsAndNamesUnknownOnes) {
  SnapshotPtr snapshot = Load(ConformancePath(kPartitioned));
  ScanOptions options;
  options.columns = {"number", "letter"};
  auto rows = ScanAll(context_, *snapshot, options);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->column_count(), 2u);
  EXPECT_EQ(rows->column_name(0), "number");

  options.columns = {"nope"};
  auto bad = PlanScan(context_, *snapshot, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'nope' does not exist"), std::string::npos);
  EXPECT_NE(bad.status().message().find("letter"), std::string::npos);
}

TEST_F(ScanTest, TimeTravelByVersion) {
  std::string root = ConformancePath("dat-v0.0.2/reader_tests/basic_append/delta");
  auto v0 = ScanAll(context_, *Load(root, 0));
  auto v1 = ScanAll(context_, *Load(root, 1));
  ASSERT_TRUE(v0.ok() && v1.ok());
  EXPECT_LT(v0->row_count(), v1->row_count());
}

TEST_F(ScanTest, DeletionVectorsDropRows) {
  auto rows = ScanAll(context_, *Load(ConformancePath("delta-kernel-rs/data/table-with-dv-small")));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->row_count(), 8u);
}

TEST_F(ScanTest, MissingDataFileIsNamed) {
  testing::TempDir dir;
  testing::CopyTree(ConformancePath(kPartitioned), dir.Child("t"));
  SnapshotPtr snapshot = Load(dir.Child("t"));
  std::string victim = dir.Child("t/") + snapshot->files().front().path;
  std::filesystem::remove_all(std::filesystem::path(victim).parent_path());
  auto rows = ScanAll(context_, *snapshot);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().IsNotFound());
  EXPECT_NE(rows.status().message().find("is referenced by version"), std::string::npos)
      << rows.status().message();
}

TEST_F(ScanTest, TruncatedCommitIsCorruptionNamingFileAndLine) {
  testing::TempDir dir;
  testing::CopyTree(ConformancePath(kPartitioned), dir.Child("t"));
  std::string commit = dir.Child("t/_delta_log/00000000000000000001.json");
  std::string text = std::move(io::LocalFileSystem()->ReadFile(commit)).value();
  ASSERT_TRUE(io::LocalFileSystem()->WriteFile(commit, text.substr(0, text.size() - 20)).ok());
  auto snapshot = LoadSnapshot(context_, dir.Child("t"));
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.status().code(), StatusCode::kCorruption);
  EXPECT_NE(snapshot.status().message().find("00000000000000000001.json line"), std::string::npos)
      << snapshot.status().message();
}

TEST_F(ScanTest, UnknownReaderFeatureIsRefusedByName) {
  auto snapshot = LoadSnapshot(
      context_,
      ConformancePath("delta-kernel-rs/golden_data/deltalog-invalid-protocol-version/delta"));
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.status().code(), StatusCode::kNotSupported);
  EXPECT_NE(snapshot.status().message().find("99"), std::string::npos)
      << snapshot.status().message();

  testing::TempDir dir;
  testing::CopyTree(ConformancePath(kPartitioned), dir.Child("t"));
  ASSERT_TRUE(io::LocalFileSystem()
                  ->WriteFile(dir.Child("t/_delta_log/00000000000000000002.json"),
                              R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,)"
                              R"("readerFeatures":["catalogManaged"],"writerFeatures":[]}})"
                              "\n")
                  .ok());
  auto refused = LoadSnapshot(context_, dir.Child("t"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("catalogManaged"), std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace sluice::delta
