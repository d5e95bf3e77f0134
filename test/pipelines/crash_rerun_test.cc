// Exactly once across crashes: an update killed at each step of a streaming batch (after
// its offsets are written, inside the Delta commit, after the commit before the
// checkpoint's commit marker) and then rerun holds exactly the rows of a run that never
// crashed: nothing lost, nothing twice.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/sync_point.h"
#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

void MakeProject(const fs::path& dir) {
  Write(dir / "pipeline.yml", "name: crash\n");
  Write(dir / "p.sql",
        "CREATE STREAMING TABLE bronze AS SELECT * FROM STREAM read_files('data', format => "
        "'json');\n"
        "CREATE STREAMING TABLE silver AS SELECT id, v * 2 AS v FROM STREAM(bronze);\n");
  Write(dir / "data" / "1.json", "{\"id\": 1, \"v\": 10}\n{\"id\": 2, \"v\": 20}\n");
}

std::string Rows(Pipeline& pipeline, const std::string& table) {
  auto rows = pipeline.Query("SELECT id, v FROM " + table + " ORDER BY id, v");
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::string out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) out += row[0].ToString() + ":" + row[1].ToString() + " ";
  return out;
}

class CrashRerunTest : public ::testing::TestWithParam<std::pair<const char*, int>> {
 protected:
  void TearDown() override { SyncPoints::Get().ClearAll(); }
};

TEST_P(CrashRerunTest, RerunGivesTheRowsOfACrashFreeRun) {
  const auto [point, skip] = GetParam();
  testing::TempDir dir;
  const fs::path root = dir.path();
  MakeProject(root);
  {
    auto pipeline = Pipeline::Open(root.string());
    ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    ASSERT_EQ((*pipeline)->Run()->state, "COMPLETED");
  }
  Write(root / "data" / "2.json", "{\"id\": 3, \"v\": 30}\n");
  ArmKillPoint(point, skip);
  {
    auto pipeline = Pipeline::Open(root.string());
    ASSERT_TRUE(pipeline.ok());
    // A crash in a flow fails the flow; a crash while writing the event log fails the run.
    auto report = (*pipeline)->Run();
    if (report.ok()) {
      EXPECT_EQ(report->state, "FAILED") << "the kill point " << point << " was not reached";
    } else {
      EXPECT_NE(report.status().message().find("killed at"), std::string::npos)
          << report.status().ToString();
    }
  }
  SyncPoints::Get().ClearAll();
  auto pipeline = Pipeline::Open(root.string());
  ASSERT_TRUE(pipeline.ok());
  auto report = (*pipeline)->Run();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->state, "COMPLETED");
  EXPECT_EQ(Rows(**pipeline, "bronze"), "1:10 2:20 3:30 ");
  EXPECT_EQ(Rows(**pipeline, "silver"), "1:20 2:40 3:60 ");
  // A further run finds nothing new.
  auto again = (*pipeline)->Run();
  ASSERT_TRUE(again.ok());
  for (const FlowReport& flow : again->flows) EXPECT_EQ(flow.output_rows, 0) << flow.name;
}

INSTANTIATE_TEST_SUITE_P(
    KillPoints, CrashRerunTest,
    ::testing::Values(
        std::make_pair("checkpoint.offsets_written", 0),
        std::make_pair("checkpoint.offsets_written", 1),
        // Commits of the second update: 0 the event log, 1 bronze, 2 silver.
        std::make_pair("delta.commit.before_put", 0), std::make_pair("delta.commit.before_put", 1),
        std::make_pair("delta.commit.before_put", 2), std::make_pair("delta.commit.after_put", 1),
        std::make_pair("delta.commit.after_put", 2), std::make_pair("flow.data_committed", 0),
        std::make_pair("flow.data_committed", 1)));

}  // namespace
}  // namespace sluice
