// Controlling updates through the public API: a second update of a pipeline while one
// runs is refused naming the running process; a continuous update reads files arriving
// between its cycles and, asked to stop, ends CANCELED between cycles with its data
// complete; a triggered update asked to stop starts no more flows and ends CANCELED.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>

#include "sluice/pipeline.h"
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

}  // namespace
}  // namespace sluice
