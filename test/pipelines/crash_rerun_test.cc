// Exactly once across crashes: a process killed during an update at each step of a
// streaming batch (after its offsets are written, inside a Delta commit, after the data
// commit and before the checkpoint's commit marker) and then rerun holds exactly the rows
// of a run that never crashed: nothing lost, nothing twice, and valid Delta logs. Kill
// points exist in Debug builds only.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "common/sync_point.h"
#include "sluice/pipeline.h"
#include "support/crash_child.h"
#include "support/delta_log_check.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  testing::WriteTextFile(path.string(), text);
}

void MakeProject(const fs::path& dir) {
  Write(dir / "pipeline.yml", std::string("name: crash\n") + testing::kNoPeriodicEventFlush);
  Write(dir / "p.sql",
        "CREATE STREAMING TABLE bronze AS SELECT * FROM STREAM read_files('data', format => "
        "'json');\n"
        "CREATE STREAMING TABLE silver AS SELECT id, v * 2 AS v FROM STREAM(bronze);\n"
        "CREATE MATERIALIZED VIEW gold AS SELECT count(*) AS n, sum(v) AS total FROM silver;\n"
        "CREATE STREAMING TABLE latest;\n"
        "CREATE FLOW latest_cdc AS AUTO CDC INTO latest FROM STREAM(bronze) KEYS (k)\n"
        "  SEQUENCE BY id;\n"
        "CREATE STREAMING TABLE history;\n"
        "CREATE FLOW history_cdc AS AUTO CDC INTO history FROM STREAM(bronze) KEYS (k)\n"
        "  SEQUENCE BY id COLUMNS k, v STORED AS SCD TYPE 2;\n");
  Write(dir / "data" / "1.json",
        "{\"id\": 1, \"k\": 1, \"v\": 10}\n{\"id\": 2, \"k\": 2, \"v\": 20}\n");
}

// The query's rows as "a:b c:d ".
std::string Text(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
  std::string out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i > 0 ? ":" : "") + row[i].ToString();
    out += " ";
  }
  return out;
}

Result<UpdateReport> RunOnce(const fs::path& root) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Pipeline> pipeline, Pipeline::Open(root.string()));
  return pipeline->Run();
}

// Writes the project, runs a first update, then adds a file for the next update.
void Prepare(const fs::path& root) {
  MakeProject(root);
  auto first = RunOnce(root);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->state, "COMPLETED");
  Write(root / "data" / "2.json", "{\"id\": 3, \"k\": 1, \"v\": 30}\n");
}

// How often the second update of a crash-free run passes the point.
int CountHits(const std::string& point) {
  testing::TempDir dir;
  Prepare(dir.path());
  std::atomic<int> hits{0};
  SyncPoints::Get().Set(point, [&hits] {
    ++hits;
    return Status::OK();
  });
  auto update = RunOnce(dir.path());
  SyncPoints::Get().Clear(point);
  EXPECT_TRUE(update.ok()) << update.status().ToString();
  return hits.load();
}

// Kills the process running the second update at the `skip`+1-th hit of the point,
// reruns, and checks the rows and that every table's log is valid.
void CrashAndRerun(const std::string& point, int skip) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  Prepare(root);
  // The update runs in a child process that dies at the point: nothing after it runs.
  Status killed = testing::RunInChildKilledAt(point, skip, [&root] { (void)RunOnce(root); });
  ASSERT_TRUE(killed.ok()) << killed.ToString();

  // More data arrives before the rerun; updates run until nothing is left to read.
  Write(root / "data" / "3.json", "{\"id\": 4, \"k\": 2, \"v\": 40}\n");
  auto rerun = RunOnce(root);
  ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
  EXPECT_EQ(rerun->state, "COMPLETED");
  auto settle = RunOnce(root);
  ASSERT_TRUE(settle.ok()) << settle.status().ToString();
  EXPECT_EQ(settle->state, "COMPLETED");

  auto pipeline = Pipeline::Open(root.string());
  ASSERT_TRUE(pipeline.ok());
  EXPECT_EQ(Text(**pipeline, "SELECT id, v FROM bronze ORDER BY id, v"), "1:10 2:20 3:30 4:40 ");
  EXPECT_EQ(Text(**pipeline, "SELECT id, v FROM silver ORDER BY id, v"), "1:20 2:40 3:60 4:80 ");
  EXPECT_EQ(Text(**pipeline, "SELECT n, total FROM gold"), "4:200 ");
  EXPECT_EQ(Text(**pipeline, "SELECT k, id, v FROM latest ORDER BY k"), "1:3:30 2:4:40 ");
  EXPECT_EQ(Text(**pipeline, "SELECT k, v, __START_AT, __END_AT FROM history ORDER BY k, 3"),
            "1:10:1:3 1:30:3: 2:20:2:4 2:40:4: ");
  // A further update finds nothing new.
  auto again = (*pipeline)->Run();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->state, "COMPLETED");
  for (const FlowReport& flow : again->flows) EXPECT_EQ(flow.output_rows, 0) << flow.name;
  EXPECT_EQ(testing::ValidateDeltaLogs(root.string()), std::vector<std::string>{});
}

class CrashRerunTest : public ::testing::TestWithParam<const char*> {
 protected:
  void TearDown() override { SyncPoints::Get().ClearAll(); }
};

// Every hit of the point in the update is a separate crash: each streaming flow's batch,
// the materialized view's recompute, the AUTO CDC flows' target and state commits, the
// event log's commit.
TEST_P(CrashRerunTest, RerunGivesTheRowsOfACrashFreeRun) {
#ifndef SLUICE_SYNC_POINTS
  GTEST_SKIP() << "kill points exist in Debug builds only";
#endif
  const std::string point = GetParam();
  const int hits = CountHits(point);
  ASSERT_GT(hits, 0) << "an update never passes " << point;
  for (int skip = 0; skip < hits; ++skip) {
    SCOPED_TRACE("killed at hit " + std::to_string(skip) + " of " + point);
    CrashAndRerun(point, skip);
  }
}

std::string PointName(const ::testing::TestParamInfo<const char*>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(KillPoints, CrashRerunTest,
                         ::testing::Values("checkpoint.offsets_written",  // before the data
                                           "delta.commit.before_put",     // inside a commit
                                           "delta.commit.after_put",      // after a commit
                                           "flow.data_committed"),        // before the marker
                         PointName);

}  // namespace
}  // namespace sluice
