// Exactly once across crashes for windowed aggregations, a stream-stream join and an
// aggregation of a join: a process killed during an update at one step of a stateful batch
// (after its offsets are written, after the state version's files are written, after the
// state version is committed, inside and after the Delta commit of its rows, before the
// checkpoint's commit marker), then rerun and followed by a further update, leaves the same
// windows and joined rows as three updates that never crashed, and valid Delta logs. Where
// only the flow fails at the point and the update goes on (Kill::kFlow), the late-row totals
// and the watermark in flow_progress are the crash-free run's too: a batch run again after
// a crash reports its metrics again, as Spark's progress of a restarted batch does. Kill
// points exist in Debug builds.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <tuple>

#include "common/sync_point.h"
#include "reference_checks.h"
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

// The windowed aggregations and a left outer join of the stream with itself: each event
// with the events of its key in the 5 minutes after it (NULLs when none came).
const std::string kPipeline =
    std::string(testing::kWindowedPipeline) +
    "CREATE STREAMING TABLE followers AS\n"
    "SELECT a.k, a.ts, b.ts AS next_ts\n"
    "FROM STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS a\n"
    "LEFT JOIN STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS b\n"
    "  ON a.k = b.k AND b.ts > a.ts AND b.ts <= a.ts + INTERVAL 5 MINUTES;\n"
    // The inner join's pairs counted per 5-minute window of the first event: two stateful
    // operators in one flow, committing their states one after the other.
    "CREATE STREAMING TABLE follower_windows AS\n"
    "SELECT window.start AS ws, window.end AS we, count(*) AS n FROM (\n"
    "  SELECT a.k, a.ts, b.ts AS next_ts\n"
    "  FROM STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS a\n"
    "  JOIN STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS b\n"
    "    ON a.k = b.k AND b.ts > a.ts AND b.ts <= a.ts + INTERVAL 5 MINUTES)\n"
    "GROUP BY window(ts, '5 minutes');\n";

// Update 1 ends at watermark 10:02 (a sliding window closes); update 2 brings a late row,
// an on-time one for an open window and moves the watermark to 10:10 (windows close);
// update 3 brings a row late for the tumbling window but not for the last sliding one, and
// moves the watermark to 10:35.
const char* kFiles[] = {
    "{\"k\": \"a\", \"ts\": \"2024-01-01 10:01:00\", \"v\": 1}\n"
    "{\"k\": \"a\", \"ts\": \"2024-01-01 10:03:00\", \"v\": 2}\n"
    "{\"k\": \"b\", \"ts\": \"2024-01-01 10:04:00\", \"v\": 3}\n"
    "{\"k\": \"a\", \"ts\": \"2024-01-01 10:06:00\", \"v\": 4}\n"
    "{\"k\": \"b\", \"ts\": \"2024-01-01 10:12:00\", \"v\": 5}\n",
    "{\"k\": \"a\", \"ts\": \"2024-01-01 10:02:00\", \"v\": 10}\n"
    "{\"k\": \"b\", \"ts\": \"2024-01-01 09:50:00\", \"v\": 20}\n"
    "{\"k\": \"a\", \"ts\": \"2024-01-01 10:20:00\", \"v\": 30}\n"
    "{\"k\": \"c\", \"ts\": \"2024-01-01 10:17:30\", \"v\": 40}\n",
    "{\"k\": \"a\", \"ts\": \"2024-01-01 10:07:00\", \"v\": 100}\n"
    "{\"k\": \"b\", \"ts\": \"2024-01-01 10:14:00\", \"v\": 200}\n"
    "{\"k\": \"a\", \"ts\": \"2024-01-01 10:45:00\", \"v\": 300}\n",
};

void AddFile(const fs::path& root, int update) {
  Write(root / "data" / (std::to_string(update) + ".json"), kFiles[update - 1]);
}

// The query's rows as "a:b c:d ".
std::string Text(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
  std::string out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += (i > 0 ? ":" : "") + (row[i].is_null() ? std::string("NULL") : row[i].ToString());
    }
    out += " ";
  }
  return out;
}

Result<UpdateReport> RunOnce(const fs::path& root) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Pipeline> pipeline, Pipeline::Open(root.string()));
  return pipeline->Run();
}

// What a pipeline holds after the three updates: each aggregation's rows, its late rows
// summed over the COMPLETED flow_progress events and its last reported watermark. A failed
// flow reports no metrics, so every batch must be reported by the update that completes
// it, as Spark's progress reports a batch run again after a restart.
struct Outcome {
  std::string events;
  std::string tumbling;
  std::string sliding;
  std::string followers;
  std::string follower_windows;
  std::string late;
  std::string watermarks;
};

Outcome Collect(const fs::path& root) {
  auto pipeline = Pipeline::Open(root.string());
  EXPECT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  Outcome outcome;
  if (!pipeline.ok()) return outcome;
  Pipeline& p = **pipeline;
  outcome.events = Text(p, "SELECT k, ts, v FROM events ORDER BY ts, k");
  for (const char* table : {"tumbling", "sliding"}) {
    const std::string rows =
        Text(p, std::string("SELECT ws, we, k, n, s FROM ") + table + " ORDER BY ws, k");
    (std::string(table) == "tumbling" ? outcome.tumbling : outcome.sliding) = rows;
  }
  outcome.followers = Text(p, "SELECT k, ts, next_ts FROM followers ORDER BY ts, k, next_ts");
  outcome.follower_windows = Text(p, "SELECT ws, we, n FROM follower_windows ORDER BY ws");
  const std::string metric = "details:flow_progress.metrics.";
  outcome.late = Text(p, "SELECT origin.flow_name, sum(CAST(" + metric +
                             "num_rows_dropped_by_watermark AS BIGINT)) FROM event_log "
                             "WHERE event_type = 'flow_progress' AND "
                             "details:flow_progress.status = 'COMPLETED' AND origin.flow_name "
                             "IN ('tumbling', 'sliding', 'followers', 'follower_windows') "
                             "GROUP BY 1 ORDER BY 1");
  outcome.watermarks = Text(p, "SELECT origin.flow_name, max(CAST(" + metric +
                                   "watermark AS STRING)) FROM event_log WHERE event_type = "
                                   "'flow_progress' AND details:flow_progress.status = "
                                   "'COMPLETED' AND origin.flow_name IN ('tumbling', 'sliding', "
                                   "'followers', 'follower_windows') GROUP BY 1 ORDER BY 1");
  return outcome;
}

void ExpectSame(const Outcome& got, const Outcome& want, bool metrics) {
  EXPECT_EQ(got.events, want.events);
  EXPECT_EQ(got.tumbling, want.tumbling);
  EXPECT_EQ(got.sliding, want.sliding);
  EXPECT_EQ(got.followers, want.followers);
  EXPECT_EQ(got.follower_windows, want.follower_windows);
  if (!metrics) return;
  EXPECT_EQ(got.late, want.late) << "late rows per flow";
  EXPECT_EQ(got.watermarks, want.watermarks);
}

void RunUpdate(const fs::path& root) {
  auto update = RunOnce(root);
  ASSERT_TRUE(update.ok()) << update.status().ToString();
  ASSERT_EQ(update->state, "COMPLETED");
}

// Writes the project and runs the updates before `update`, then adds its file.
void Prepare(const fs::path& root, int update) {
  Write(root / "pipeline.yml",
        std::string("name: stateful_crash\n") + testing::kNoPeriodicEventFlush);
  Write(root / "p.sql", kPipeline);
  for (int u = 1; u < update; ++u) {
    AddFile(root, u);
    RunUpdate(root);
  }
  AddFile(root, update);
}

const Outcome& CrashFree() {
  static const Outcome outcome = [] {
    testing::TempDir dir;
    Prepare(dir.path(), 3);
    RunUpdate(dir.path());
    return Collect(dir.path());
  }();
  return outcome;
}

// How often the `update`-th update of a crash-free run passes the point.
int CountHits(const std::string& point, int update) {
  testing::TempDir dir;
  Prepare(dir.path(), update);
  std::atomic<int> hits{0};
  SyncPoints::Get().Set(point, [&hits] {
    ++hits;
    return Status::OK();
  });
  auto run = RunOnce(dir.path());
  SyncPoints::Get().Clear(point);
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  return hits.load();
}

// How a test stops an update at a point.
enum class Kill {
  // The process running the update dies there: nothing after the point runs, and the
  // event log loses what the update had not flushed, so flows' metrics are not compared.
  kProcess,
  // Only the `skip`+1-th hit fails (the status-returning kill point): the flow that passes
  // it fails and the rest of the update (the other flows, the event log) goes on, so that
  // the event log holds every other flow's progress and the metrics of the batches run
  // again can be compared with a crash-free run's.
  kFlow,
};

void KillOnce(const std::string& point, int skip) {
  auto hits = std::make_shared<std::atomic<int>>(0);
  SyncPoints::Get().Set(point, [point, skip, hits]() -> Status {
    return hits->fetch_add(1) == skip ? Aborted("killed at ", point) : Status::OK();
  });
}

// Stops the `update`-th update at the `skip`+1-th hit of the point, reruns it with no new
// data (so that every flow's batches are the crash-free run's), runs the remaining updates
// and compares.
void CrashAndRerun(const std::string& point, int update, int skip, Kill kill) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  Prepare(root, update);
  bool log_whole = false;
  if (kill == Kill::kProcess) {
    Status killed = testing::RunInChildKilledAt(point, skip, [&root] { (void)RunOnce(root); });
    ASSERT_TRUE(killed.ok()) << killed.ToString();
  } else {
    KillOnce(point, skip);
    auto killed = RunOnce(root);
    SyncPoints::Get().ClearAll();
    // A kill inside a flow fails the flow; a kill while writing the event log fails the
    // run, and the events of the update it had not written yet (its flows' progress) are
    // lost: the metrics are compared only when the log is whole.
    log_whole = killed.ok();
    if (killed.ok()) {
      EXPECT_EQ(killed->state, "FAILED") << "the kill point was not reached";
    } else {
      EXPECT_NE(killed.status().message().find("killed at"), std::string::npos)
          << killed.status().ToString();
    }
  }
  RunUpdate(root);
  for (int u = update + 1; u <= 3; ++u) {
    AddFile(root, u);
    RunUpdate(root);
  }
  // A further update finds nothing new.
  auto again = RunOnce(root);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->state, "COMPLETED");
  for (const FlowReport& flow : again->flows) EXPECT_EQ(flow.output_rows, 0) << flow.name;
  ExpectSame(Collect(root), CrashFree(), log_whole);
  EXPECT_EQ(testing::ValidateDeltaLogs(root.string()), std::vector<std::string>{});
}

class StatefulCrashTest : public ::testing::TestWithParam<std::tuple<const char*, int, Kill>> {
 protected:
  void TearDown() override { SyncPoints::Get().ClearAll(); }
};

// Every hit of the point in the update is a separate crash: each flow's batch and commits,
// the state store's writes, the event log's commits.
TEST_P(StatefulCrashTest, RerunGivesTheWindowsOfACrashFreeRun) {
#ifndef SLUICE_SYNC_POINTS
  GTEST_SKIP() << "kill points exist in Debug builds only";
#endif
  const auto [point, update, kill] = GetParam();
  // The crash-free run holds what the test is about: windows written, rows dropped as late.
  ASSERT_NE(CrashFree().tumbling, "");
  ASSERT_NE(CrashFree().sliding, "");
  ASSERT_NE(CrashFree().followers, "");
  // Pairs (first event, next within 5 minutes): a 10:01-10:03, a 10:01-10:06 and
  // a 10:03-10:06 in update 1, b 10:12-10:14 in update 3. The join's output watermark is the
  // flow's less 5 minutes and 1 ms (its left side's state watermark): 10:04:59.999 after
  // update 2, so [10:00, 10:05) closes only in update 3 (watermark 10:29:59.999), with
  // [10:10, 10:15).
  ASSERT_EQ(CrashFree().follower_windows,
            "2024-01-01 10:00:00:2024-01-01 10:05:00:3 2024-01-01 10:10:00:2024-01-01 "
            "10:15:00:1 ");
  // The joins count a row late on each side it is late on.
  ASSERT_EQ(CrashFree().late, "follower_windows:6 followers:6 sliding:1 tumbling:2 ");
  const int hits = CountHits(point, update);
  ASSERT_GT(hits, 0) << "update " << update << " never passes " << point;
  for (int skip = 0; skip < hits; ++skip) {
    SCOPED_TRACE("killed in update " + std::to_string(update) + " at hit " + std::to_string(skip) +
                 " of " + point);
    CrashAndRerun(point, update, skip, kill);
  }
}

std::string ParamName(const ::testing::TestParamInfo<std::tuple<const char*, int, Kill>>& info) {
  std::string name = std::get<0>(info.param);
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name + "_update" + std::to_string(std::get<1>(info.param)) +
         (std::get<2>(info.param) == Kill::kFlow ? "_flow_fails" : "");
}

// The steps of a stateful batch, in the update that has state to load: the process dies.
INSTANTIATE_TEST_SUITE_P(
    KillPoints, StatefulCrashTest,
    ::testing::Values(
        std::make_tuple("state.files_written", 2, Kill::kProcess),   // before the version's JSON
        std::make_tuple("flow.state_committed", 2, Kill::kProcess),  // before the rows
        std::make_tuple("flow.data_committed", 2, Kill::kProcess),   // before the marker
        // The flow alone fails and the update goes on, so that the metrics of the batch run
        // again are compared too.
        std::make_tuple("flow.state_committed", 2, Kill::kFlow)),
    ParamName);

// The generic points (every flow's batch, every commit, the event log's) and the last update.
INSTANTIATE_TEST_SUITE_P(
    SlowKillPoints, StatefulCrashTest,
    ::testing::Values(std::make_tuple("checkpoint.offsets_written", 2, Kill::kProcess),
                      std::make_tuple("delta.commit.before_put", 2, Kill::kProcess),
                      std::make_tuple("delta.commit.after_put", 2, Kill::kProcess),
                      std::make_tuple("state.files_written", 3, Kill::kProcess),
                      std::make_tuple("flow.state_committed", 3, Kill::kProcess),
                      std::make_tuple("flow.data_committed", 3, Kill::kProcess),
                      std::make_tuple("state.files_written", 2, Kill::kFlow),
                      std::make_tuple("flow.data_committed", 2, Kill::kFlow)),
    ParamName);

}  // namespace
}  // namespace sluice
