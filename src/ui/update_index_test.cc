// The web UI's update index: summaries brought up to date by reading only new events must
// equal those of a whole read of the event log, for finished updates and for one that is
// still running, and the time bounds it gives queries must not lose any event they select.
#include "ui/update_index.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice::ui {
namespace {

class UpdateIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteTextFile(dir_.Child("p/pipeline.yml"), "name: p\n");
    testing::WriteTextFile(
        dir_.Child("p/p.sql"),
        "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
        "'json', schema => 'v BIGINT');\n"
        "CREATE MATERIALIZED VIEW total AS SELECT sum(v) AS s FROM raw;\n");
    AddFile(0);
    auto reader = Pipeline::Open(dir_.Child("p"));
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    reader_ = std::move(*reader);
  }

  void AddFile(int n) {
    testing::WriteTextFile(dir_.Child("p/data/" + std::to_string(n) + ".json"),
                           "{\"v\": " + std::to_string(n) + "}\n{\"v\": 1}\n");
  }

  std::string Run(RunOptions options = {}) {
    auto pipeline = Pipeline::Open(dir_.Child("p"));
    EXPECT_TRUE(pipeline.ok());
    auto report = (*pipeline)->Run(options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    EXPECT_EQ(report->state, "COMPLETED");
    return report->update_id;
  }

  int64_t Count(const std::string& where) {
    auto rows =
        reader_->Query("SELECT count(*) FROM event_log" + (where.empty() ? "" : " WHERE " + where));
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? std::get<int64_t>(rows->rows.at(0).at(0).value) : -1;
  }

  // Summaries of a whole read of the log.
  std::vector<UpdateSummary> FullRead() {
    UpdateIndex index;
    EXPECT_TRUE(index.Refresh(*reader_).ok());
    return index.updates();
  }

  static void ExpectSame(const std::vector<UpdateSummary>& incremental,
                         const std::vector<UpdateSummary>& full) {
    ASSERT_EQ(incremental.size(), full.size());
    for (size_t i = 0; i < full.size(); ++i) {
      SCOPED_TRACE(full[i].update_id);
      EXPECT_EQ(incremental[i].update_id, full[i].update_id);
      EXPECT_EQ(incremental[i].state, full[i].state);
      EXPECT_EQ(incremental[i].cause, full[i].cause);
      EXPECT_EQ(incremental[i].full_refresh, full[i].full_refresh);
      EXPECT_EQ(incremental[i].start_us, full[i].start_us);
      EXPECT_EQ(incremental[i].end_us, full[i].end_us);
      EXPECT_EQ(incremental[i].output_rows, full[i].output_rows);
      EXPECT_EQ(incremental[i].flows, full[i].flows);
      EXPECT_EQ(incremental[i].failed_flows, full[i].failed_flows);
      EXPECT_EQ(incremental[i].events, full[i].events);
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<Pipeline> reader_;
};

TEST_F(UpdateIndexTest, SummariesAreTheEventLogsNumbers) {
  UpdateIndex index;
  ASSERT_TRUE(index.Refresh(*reader_).ok());
  EXPECT_TRUE(index.updates().empty());  // no event log yet
  const std::string id = Run();
  ASSERT_TRUE(index.Refresh(*reader_).ok());
  ASSERT_EQ(index.updates().size(), 1u);
  const UpdateSummary& update = index.updates()[0];
  EXPECT_EQ(update.update_id, id);
  EXPECT_EQ(update.state, "COMPLETED");
  EXPECT_EQ(update.cause, "USER_ACTION");
  EXPECT_EQ(update.flows, 2);
  EXPECT_EQ(update.failed_flows, 0);
  EXPECT_EQ(update.output_rows, 3);  // raw: 2 rows, total: 1 row
  EXPECT_EQ(update.events, Count("origin.update_id = '" + id + "'"));
  EXPECT_EQ(Count(UpdateIndex::EventsOf(update)), update.events);
}

TEST_F(UpdateIndexTest, IncrementalRefreshEqualsAWholeRead) {
  UpdateIndex index;
  Run();
  ASSERT_TRUE(index.Refresh(*reader_).ok());
  AddFile(1);
  Run();
  AddFile(2);
  Run();
  ASSERT_TRUE(index.Refresh(*reader_).ok());
  ASSERT_EQ(index.updates().size(), 3u);
  ExpectSame(index.updates(), FullRead());
  EXPECT_GT(index.updates()[0].start_us, index.updates()[1].start_us);  // newest first
}

TEST_F(UpdateIndexTest, RunningUpdateIsSummarizedAgainWhenItEnds) {
  UpdateIndex index;
  Run();
  ASSERT_TRUE(index.Refresh(*reader_).ok());
  AddFile(1);
  // While `raw` runs, the index is refreshed until it has this update, RUNNING (the update
  // appends its events about every second; at most 15 s).
  std::string seen_state;
  RunOptions options;
  options.on_progress = [&](const ProgressEvent& event) {
    if (event.kind != ProgressEvent::Kind::kFlow || event.flow != "raw" ||
        event.state != "RUNNING") {
      return;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      ASSERT_TRUE(index.Refresh(*reader_).ok());
      if (const UpdateSummary* running = index.Find(event.update_id)) {
        seen_state = running->state;
        if (seen_state == "RUNNING") return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  const std::string id = Run(options);
  EXPECT_EQ(seen_state, "RUNNING");
  ASSERT_TRUE(index.Refresh(*reader_).ok());
  ASSERT_NE(index.Find(id), nullptr);
  EXPECT_EQ(index.Find(id)->state, "COMPLETED");
  ExpectSame(index.updates(), FullRead());
}

TEST_F(UpdateIndexTest, BoundsKeepEveryEventTheySelect) {
  Run();
  AddFile(1);
  Run();
  AddFile(2);
  Run();
  UpdateIndex index;
  ASSERT_TRUE(index.Refresh(*reader_).ok());
  ASSERT_EQ(index.updates().size(), 3u);
  const int64_t all = Count("");
  // The newest N events are the same with the bound as without it.
  for (const int64_t n : {int64_t{1}, index.updates()[0].events, index.updates()[0].events + 1,
                          all - 1, all, all + 1}) {
    SCOPED_TRACE(n);
    const std::string bound = index.AtLeastNewestEvents(n);
    if (n > all) EXPECT_EQ(bound, "");
    auto newest = [&](const std::string& where) {
      auto rows =
          reader_->Query("SELECT collect_list(id) FROM (SELECT id FROM event_log" +
                         (where.empty() ? "" : " WHERE " + where) +
                         " ORDER BY timestamp DESC, sequence.control_plane_seq_no DESC LIMIT " +
                         std::to_string(n) + ")");
      EXPECT_TRUE(rows.ok()) << rows.status().ToString();
      return rows.ok() ? rows->rows.at(0).at(0).ToString() : "";
    };
    EXPECT_EQ(newest(bound), newest(""));
    if (!bound.empty()) EXPECT_GE(Count(bound), n);
  }
  // The newest K updates' events are all within EventsOfNewest(K).
  for (size_t k = 1; k <= 3; ++k) {
    int64_t events = 0;
    std::string ids;
    for (size_t i = 0; i < k; ++i) {
      events += index.updates()[i].events;
      ids += (ids.empty() ? "'" : ", '") + index.updates()[i].update_id + "'";
    }
    const std::string bound = index.EventsOfNewest(k);
    EXPECT_EQ(bound.empty(), k == 3);
    EXPECT_EQ(Count("origin.update_id IN (" + ids + ")" + (bound.empty() ? "" : " AND " + bound)),
              events);
  }
}

}  // namespace
}  // namespace sluice::ui
