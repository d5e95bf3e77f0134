#include "eventlog/event_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "delta/scan.h"
#include "support/temp_dir.h"

namespace sluice::eventlog {
namespace {

TEST(EventLogTest, WritesEventsThatJsonOperatorsRead) {
  testing::TempDir dir;
  auto database = engine::Database::Open();
  auto connection = (*database)->Connect();
  delta::DeltaContext context{io::LocalFileSystem(), connection->get(), Clock::Real()};
  const std::string root = dir.path() + "/events";
  EventLogWriter writer(context, root);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&writer, t] {
      for (int i = 0; i < 10; ++i) {
        Event event;
        event.event_type = "flow_progress";
        event.message = "m";
        event.origin.flow_name = "f" + std::to_string(t);
        event.details_json =
            R"({"flow_progress": {"status": "COMPLETED", "data_quality": {"expectations": [{"name": "e", "dataset": "d", "passed_records": 3, "failed_records": 1}]}}})";
        writer.Add(std::move(event));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(writer.Flush().ok());
  Event failed;
  failed.event_type = "update_progress";
  failed.level = "ERROR";
  failed.details_json = R"({"update_progress": {"state": "FAILED"}})";
  failed.error_json = ErrorJson("FlowFailed", "boom", true);
  writer.Add(failed);
  ASSERT_TRUE(writer.Flush().ok());
  ASSERT_TRUE(writer.Flush().ok());  // nothing buffered: no commit

  auto snapshot = delta::LoadSnapshot(context, root);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 1);
  auto plan = delta::PlanScan(context, **snapshot);
  ASSERT_TRUE(plan.ok());
  auto rows = (*connection)
                  ->Query(
                      "SELECT count(*), count(DISTINCT id), "
                      "max((sequence->>'$.data_plane_id.seq_no')::BIGINT), "
                      "sum((details->'$.flow_progress.data_quality.expectations[0].failed_records')"
                      "::BIGINT), "
                      "max(error->>'$.exceptions[0].message'), "
                      "min(typeof(\"timestamp\")) FROM (" +
                      plan->sql + ")");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->at(0, 0).ToString(), "41");
  EXPECT_EQ(rows->at(0, 1).ToString(), "41");
  EXPECT_EQ(rows->at(0, 2).ToString(), "40");
  EXPECT_EQ(rows->at(0, 3).ToString(), "40");
  EXPECT_EQ(rows->at(0, 4).ToString(), "boom");
  EXPECT_EQ(rows->at(0, 5).ToString(), "TIMESTAMP");
  EXPECT_TRUE(delta::ReleaseScan(**connection, *plan).ok());
}

TEST(EventLogTest, OriginLeavesOutEmptyFields) {
  Origin origin;
  origin.pipeline_id = "p";
  origin.flow_name = "f";
  origin.batch_id = 3;
  EXPECT_EQ(OriginJson(origin), R"({"pipeline_id":"p","flow_name":"f","batch_id":3})");
}

}  // namespace
}  // namespace sluice::eventlog
