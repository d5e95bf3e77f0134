// Controlling updates through the public API: a second update of a pipeline while one
// runs is refused naming the running process; a continuous update reads files arriving
// between its cycles and, asked to stop, ends CANCELED between cycles with its data
// complete; a triggered update asked to stop starts no more flows and ends CANCELED; a
// running update's events can be read from the event log while it still runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "sluice/pipeline.h"
#include "support/delta_log_check.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  testing::WriteTextFile(path.string(), text);
}

void MakeProject(const fs::path& dir, const std::string& settings) {
  Write(dir / "pipeline.yml", settings);
  Write(dir / "p.sql",
        "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
        "'json');\n");
  Write(dir / "data" / "1.json", "{\"v\": 1}\n{\"v\": 2}\n");
}

TEST(RunControlTest, SecondRunWhileOneRunsIsRefusedNamingTheProcess) {
  testing::TempDir dir;
  MakeProject(dir.path(), "name: lock\n");
  auto first = Pipeline::Open(dir.path());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  bool tried = false;
  Status second_status;
  RunOptions options;
  options.on_progress = [&](const ProgressEvent& event) {
    if (tried || event.kind != ProgressEvent::Kind::kFlow) return;
    tried = true;
    auto second = Pipeline::Open(dir.path());
    second_status = second.ok() ? (*second)->Run().status() : second.status();
  };
  auto report = (*first)->Run(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->state, "COMPLETED");
  ASSERT_TRUE(tried) << "no flow progress was reported";
  EXPECT_FALSE(second_status.ok());
  EXPECT_NE(second_status.message().find("another update of this pipeline is running"),
            std::string::npos)
      << second_status.ToString();
  EXPECT_NE(second_status.message().find("process " + std::to_string(getpid())), std::string::npos)
      << second_status.ToString();
  // Once the first update ended, the next one runs.
  auto again = Pipeline::Open(dir.path());
  ASSERT_TRUE(again.ok());
  auto next = (*again)->Run();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->state, "COMPLETED");
}

TEST(RunControlTest, ContinuousRunStopsCleanlyWhenAsked) {
  testing::TempDir dir;
  MakeProject(dir.path(),
              "name: continuous\nconfiguration:\n  pipelines.trigger.interval: 20 ms\n");
  auto pipeline = Pipeline::Open(dir.path());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  std::atomic<bool> stop{false};
  int completed_cycles = 0;
  RunOptions options;
  options.continuous = true;
  options.stop = &stop;
  options.max_cycles = 20;  // ends the test should the stop request be ignored
  options.on_progress = [&](const ProgressEvent& event) {
    // Ask to stop once the second cycle's flow ended (IDLE: it found nothing new).
    if (event.kind == ProgressEvent::Kind::kFlow &&
        (event.state == "COMPLETED" || event.state == "IDLE") && ++completed_cycles == 2) {
      stop.store(true);
    }
  };
  auto report = (*pipeline)->Run(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->state, "CANCELED");
  EXPECT_EQ(report->updates, 2);
  auto rows = (*pipeline)->Query("SELECT count(*) FROM raw");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->rows.at(0).at(0).ToString(), "2");
  auto states = (*pipeline)->Query(
      "SELECT details:update_progress.state FROM event_log "
      "WHERE event_type = 'update_progress' ORDER BY timestamp DESC LIMIT 1");
  ASSERT_TRUE(states.ok()) << states.status().ToString();
  EXPECT_EQ(states->rows.at(0).at(0).ToString(), "CANCELED");
}

TEST(RunControlTest, ContinuousRunReadsFilesArrivingBetweenCycles) {
  testing::TempDir dir;
  MakeProject(dir.path(),
              "name: continuous\nconfiguration:\n  pipelines.trigger.interval: 20 ms\n");
  auto pipeline = Pipeline::Open(dir.path());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  std::atomic<bool> stop{false};
  int cycles = 0;
  int64_t second_cycle_rows = -1;
  RunOptions options;
  options.continuous = true;
  options.stop = &stop;
  options.max_cycles = 20;  // ends the test should the stop request be ignored
  options.on_progress = [&](const ProgressEvent& event) {
    if (event.kind != ProgressEvent::Kind::kFlow ||
        (event.state != "COMPLETED" && event.state != "IDLE")) {
      return;
    }
    ++cycles;
    if (cycles == 1) Write(fs::path(dir.path()) / "data" / "2.json", "{\"v\": 3}\n");
    if (cycles == 2) {
      second_cycle_rows = event.output_rows;
      stop.store(true);
    }
  };
  auto report = (*pipeline)->Run(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->state, "CANCELED");
  EXPECT_EQ(second_cycle_rows, 1);
  ASSERT_EQ(report->flows.size(), 1u);
  EXPECT_EQ(report->flows[0].output_rows, 3);
  auto rows = (*pipeline)->Query("SELECT count(*) FROM raw");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->rows.at(0).at(0).ToString(), "3");
}

TEST(RunControlTest, TriggeredRunStopsItsQueuedFlowsWhenAsked) {
  testing::TempDir dir;
  MakeProject(dir.path(), "name: stopped\n");
  // A second dataset reads the first: asked to stop while `raw` runs, `counted` never starts.
  Write(fs::path(dir.path()) / "p.sql",
        "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
        "'json');\n"
        "CREATE MATERIALIZED VIEW counted AS SELECT count(*) AS n FROM raw;\n");
  auto pipeline = Pipeline::Open(dir.path());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  std::atomic<bool> stop{false};
  RunOptions options;
  options.stop = &stop;
  options.on_progress = [&](const ProgressEvent& event) {
    if (event.kind == ProgressEvent::Kind::kFlow && event.flow == "raw" &&
        event.state == "STARTING") {
      stop.store(true);
    }
  };
  auto report = (*pipeline)->Run(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->state, "CANCELED");
  std::map<std::string, std::string> states;
  for (const FlowReport& flow : report->flows) states[flow.name] = flow.state;
  EXPECT_EQ(states["raw"], "COMPLETED");  // the running flow ends as it would
  EXPECT_EQ(states["counted"], "STOPPED");
  auto events = (*pipeline)->Query(
      "SELECT details:flow_progress.status FROM event_log WHERE event_type = 'flow_progress' "
      "AND origin.flow_name = 'counted' ORDER BY timestamp DESC LIMIT 1");
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(events->rows.at(0).at(0).ToString(), "STOPPED");
  // The next update runs what the stopped one left.
  auto next = (*pipeline)->Run();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->state, "COMPLETED");
}

TEST(RunControlTest, RunningUpdateAppendsItsEventsAsItGoes) {
  testing::TempDir dir;
  MakeProject(dir.path(), "name: live\n");
  auto pipeline = Pipeline::Open(dir.path());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  // While `raw` runs, another reader of the pipeline polls the event log (for at most 15 s)
  // until it sees this update running and the flow's RUNNING progress.
  std::string seen_while_running;
  RunOptions options;
  options.on_progress = [&](const ProgressEvent& event) {
    if (event.kind != ProgressEvent::Kind::kFlow || event.flow != "raw" ||
        event.state != "RUNNING") {
      return;
    }
    auto reader = Pipeline::Open(dir.path());
    if (!reader.ok()) return;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      auto rows = (*reader)->Query(
          "SELECT event_type || ':' || coalesce(details:update_progress.state, "
          "details:flow_progress.status) FROM event_log WHERE origin.update_id = '" +
          event.update_id +
          "' AND (event_type = 'update_progress' OR (event_type = 'flow_progress' AND "
          "origin.flow_name = 'raw')) ORDER BY timestamp");
      if (rows.ok()) {
        seen_while_running.clear();
        for (const auto& row : rows->rows) {
          seen_while_running += (seen_while_running.empty() ? "" : ",") + row.at(0).ToString();
        }
        if (seen_while_running.find("flow_progress:RUNNING") != std::string::npos) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  auto report = (*pipeline)->Run(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->state, "COMPLETED");
  EXPECT_EQ(seen_while_running,
            "update_progress:INITIALIZING,update_progress:SETTING_UP_TABLES,"
            "update_progress:RUNNING,flow_progress:QUEUED,flow_progress:STARTING,"
            "flow_progress:RUNNING");
  // Appending as it goes writes every event once.
  auto counts = (*pipeline)->Query(
      "SELECT count(*), count(DISTINCT id), max(details:update_progress.state) FILTER "
      "(WHERE event_type = 'update_progress' AND details:update_progress.state = "
      "'COMPLETED') FROM event_log");
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->rows.at(0).at(0).ToString(), counts->rows.at(0).at(1).ToString());
  EXPECT_EQ(counts->rows.at(0).at(2).ToString(), "COMPLETED");
  // The event log, appended to commit by commit, is a valid Delta table.
  EXPECT_EQ(testing::ValidateDeltaLogs(dir.path()), std::vector<std::string>{});
}

TEST(RunControlTest, EventFlushIntervalZeroAppendsEventsOnlyAtTheEnd) {
  testing::TempDir dir;
  MakeProject(dir.path(),
              "name: quiet\nconfiguration:\n  pipelines.eventLog.flushInterval: \"0\"\n");
  auto pipeline = Pipeline::Open(dir.path());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  // While `raw` runs for 2.5 s, the event log does not exist yet.
  std::string while_running = "not asked";
  RunOptions options;
  options.on_progress = [&](const ProgressEvent& event) {
    if (event.kind != ProgressEvent::Kind::kFlow || event.flow != "raw" ||
        event.state != "RUNNING") {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    auto reader = Pipeline::Open(dir.path());
    if (!reader.ok()) return;
    auto rows = (*reader)->Query("SELECT count(*) FROM event_log");
    while_running = rows.ok() ? rows->rows.at(0).at(0).ToString() : rows.status().ToString();
  };
  auto report = (*pipeline)->Run(options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_NE(while_running.find("has no data yet"), std::string::npos) << while_running;
  auto counted = (*pipeline)->Query(
      "SELECT count(*) FROM event_log WHERE event_type = 'update_progress' AND "
      "details:update_progress.state = 'COMPLETED'");
  ASSERT_TRUE(counted.ok()) << counted.status().ToString();
  EXPECT_EQ(counted->rows.at(0).at(0).ToString(), "1");

  // A value that is not an interval stops the update before anything runs, naming the key.
  testing::TempDir bad;
  MakeProject(bad.path(), "name: bad\nconfiguration:\n  pipelines.eventLog.flushInterval: soon\n");
  auto refused = Pipeline::Open(bad.path());
  ASSERT_TRUE(refused.ok()) << refused.status().ToString();
  auto run = (*refused)->Run();
  ASSERT_FALSE(run.ok());
  EXPECT_NE(run.status().message().find("pipelines.eventLog.flushInterval: 'soon' is not an "
                                        "interval"),
            std::string::npos)
      << run.status().ToString();
}

}  // namespace
}  // namespace sluice
