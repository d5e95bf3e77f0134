// Exactly once with a Kafka source: records a producer writes while updates run are each
// read once, and a process killed during an update at any step of a batch (after its
// offsets are written, inside or after the Delta commit, before the commit marker) and
// rerun leaves the table with exactly the records of the topic: nothing lost, nothing
// twice.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "common/sync_point.h"
#include "sluice/pipeline.h"
#include "support/crash_child.h"
#include "support/delta_log_check.h"
#include "support/kafka_broker.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::KafkaBroker;
using testing::KafkaTestRecord;

void MakeProject(const fs::path& dir, const KafkaBroker& kafka, const std::string& extra = "") {
  testing::WriteTextFile((dir / "pipeline.yml").string(),
                         std::string("name: kafka_once\n") + testing::kNoPeriodicEventFlush);
  testing::WriteTextFile(
      (dir / "p.sql").string(),
      "CREATE STREAMING TABLE raw AS SELECT partition, offset, CAST(value AS STRING) AS v\n"
      "FROM STREAM read_kafka(bootstrapServers => '" +
          kafka.bootstrap_servers() + "', subscribe => 'events', startingOffsets => 'earliest'" +
          extra + ");\n");
}

Result<UpdateReport> RunOnce(const fs::path& root) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Pipeline> pipeline, Pipeline::Open(root.string()));
  return pipeline->Run();
}

// The table's values, and how many (partition, offset) pairs it holds more than once.
struct TableContent {
  std::multiset<std::string> values;
  int64_t repeated_offsets = -1;
};

TableContent Read(const fs::path& root) {
  TableContent content;
  auto pipeline = Pipeline::Open(root.string());
  EXPECT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  if (!pipeline.ok()) return content;
  auto rows = (*pipeline)->Query("SELECT v FROM raw");
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  if (rows.ok()) {
    for (const auto& row : rows->rows) content.values.insert(row[0].ToString());
  }
  auto repeated =
      (*pipeline)->Query("SELECT count(*) - count(DISTINCT (partition, offset)) FROM raw");
  if (repeated.ok() && !repeated->rows.empty()) {
    content.repeated_offsets = std::stoll(repeated->rows[0][0].ToString());
  }
  return content;
}

std::string Produce(KafkaBroker& kafka, int partition, const std::string& value) {
  KafkaTestRecord record;
  record.partition = partition;
  record.value = value;
  return kafka.Produce("events", record);
}

TEST(KafkaExactlyOnce, RecordsWrittenWhileUpdatesRunAreReadOnce) {
  KafkaBroker kafka(3);
  ASSERT_EQ(kafka.start_error(), "");
  ASSERT_EQ(kafka.CreateTopic("events", 4), "");
  testing::TempDir dir;
  // Small batches, so that updates run several, some while records arrive.
  MakeProject(dir.path(), kafka, ", maxOffsetsPerTrigger => 7");
  constexpr int kPerPartition = 60;
  std::atomic<bool> produced{false};
  std::atomic<int> updates{0};
  std::string producer_error;
  // The second half of the records is written once the first update has ended, while the
  // next ones run, however slow the machine (bounded wait).
  std::thread producer([&] {
    for (int i = 0; i < kPerPartition && producer_error.empty(); ++i) {
      if (i == kPerPartition / 2) {
        for (int wait = 0; wait < 1200 && updates.load() == 0; ++wait) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
      for (int p = 0; p < 4 && producer_error.empty(); ++p) {
        producer_error = Produce(kafka, p, "p" + std::to_string(p) + "-" + std::to_string(i));
      }
      if (i % 10 == 9) std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    produced = true;
  });
  while (!produced.load() && updates.load() < 200) {
    auto update = RunOnce(dir.path());
    if (!update.ok() || update->state != "COMPLETED") {
      producer.join();
      FAIL() << (update.ok() ? update->state : update.status().ToString());
    }
    ++updates;
  }
  producer.join();
  ASSERT_EQ(producer_error, "");
  auto last = RunOnce(dir.path());
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  ASSERT_EQ(last->state, "COMPLETED");

  std::multiset<std::string> expected;
  for (int p = 0; p < 4; ++p) {
    for (int i = 0; i < kPerPartition; ++i) {
      expected.insert("p" + std::to_string(p) + "-" + std::to_string(i));
    }
  }
  const TableContent content = Read(dir.path());
  EXPECT_EQ(content.values, expected);
  EXPECT_EQ(content.repeated_offsets, 0);
  EXPECT_GT(updates.load(), 1) << "the producer finished before a second update";
}

class KafkaCrashRerunTest : public ::testing::TestWithParam<const char*> {
 protected:
  void TearDown() override { SyncPoints::Get().ClearAll(); }
};

// A first update reads 3 records; 2 more arrive; the process running the next update is
// killed at the `skip`+1-th hit of the point; 1 more arrives; reruns then hold exactly the
// 6 records.
void CrashAndRerun(const std::string& point, int skip, int* hits) {
  KafkaBroker kafka;
  ASSERT_EQ(kafka.start_error(), "");
  ASSERT_EQ(kafka.CreateTopic("events", 2), "");
  testing::TempDir dir;
  const fs::path root = dir.path();
  MakeProject(root, kafka);
  for (const char* value : {"a", "b", "c"}) ASSERT_EQ(Produce(kafka, value[0] % 2, value), "");
  auto first = RunOnce(root);
  ASSERT_TRUE(first.ok() && first->state == "COMPLETED");
  ASSERT_EQ(Produce(kafka, 0, "d"), "");
  ASSERT_EQ(Produce(kafka, 1, "e"), "");
  if (hits != nullptr) {  // count the hits of a crash-free update
    std::atomic<int> count{0};
    SyncPoints::Get().Set(point, [&count] {
      ++count;
      return Status::OK();
    });
    auto update = RunOnce(root);
    SyncPoints::Get().Clear(point);
    ASSERT_TRUE(update.ok());
    *hits = count.load();
    return;
  }
  // The update runs in a child process that dies at the point: nothing after it runs.
  Status killed = testing::RunInChildKilledAt(point, skip, [&root] { (void)RunOnce(root); });
  ASSERT_TRUE(killed.ok()) << killed.ToString();
  ASSERT_EQ(Produce(kafka, 0, "f"), "");
  for (int i = 0; i < 2; ++i) {
    auto rerun = RunOnce(root);
    ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
    EXPECT_EQ(rerun->state, "COMPLETED");
  }
  const TableContent content = Read(root);
  EXPECT_EQ(content.values, (std::multiset<std::string>{"a", "b", "c", "d", "e", "f"}));
  EXPECT_EQ(content.repeated_offsets, 0);
  EXPECT_EQ(testing::ValidateDeltaLogs(root.string()), std::vector<std::string>{});
}

TEST_P(KafkaCrashRerunTest, RerunReadsEachRecordOnce) {
#ifndef SLUICE_SYNC_POINTS
  GTEST_SKIP() << "kill points exist in Debug builds only";
#endif
  const std::string point = GetParam();
  int hits = 0;
  CrashAndRerun(point, 0, &hits);
  ASSERT_GT(hits, 0) << "an update never passes " << point;
  for (int skip = 0; skip < hits; ++skip) {
    SCOPED_TRACE("killed at hit " + std::to_string(skip) + " of " + point);
    CrashAndRerun(point, skip, nullptr);
  }
}

std::string PointName(const ::testing::TestParamInfo<const char*>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(KillPoints, KafkaCrashRerunTest,
                         ::testing::Values("checkpoint.offsets_written", "delta.commit.before_put",
                                           "delta.commit.after_put", "flow.data_committed"),
                         PointName);

}  // namespace
}  // namespace sluice
