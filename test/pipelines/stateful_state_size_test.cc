// The state of a windowed aggregation stays flat under a steady stream: many small updates,
// each one minute of event time later than the one before, into a 5-minute tumbling
// window under a 10-minute watermark. The watermark evicts what it closes, so the state's
// rows and bytes (flow_progress num_state_rows, state_bytes) and the files in its folder
// (old versions cleaned up after each snapshot) reach a plateau instead of growing with the
// number of batches. The 200-batch run is labelled slow.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

constexpr int kRowsPerBatch = 20;
constexpr int64_t kStartSeconds = 1'704'067'200;  // 2024-01-01 00:00:00 UTC

std::string TimestampText(int64_t seconds) {
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec);
  return buffer;
}

// Batch i: 20 rows 3 seconds apart in minute i.
std::string Batch(int i) {
  std::string out;
  for (int j = 0; j < kRowsPerBatch; ++j) {
    out += "{\"k\": \"" + std::string(1, static_cast<char>('a' + j % 4)) + "\", \"ts\": \"" +
           TimestampText(kStartSeconds + 60 * i + 3 * j) + "\", \"v\": " + std::to_string(j) +
           "}\n";
  }
  return out;
}

std::vector<std::vector<int64_t>> Numbers(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString() << "\n" << sql;
  std::vector<std::vector<int64_t>> out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    std::vector<int64_t> numbers;
    for (const Cell& cell : row)
      numbers.push_back(cell.is_null() ? -1 : std::stoll(cell.ToString()));
    out.push_back(numbers);
  }
  return out;
}

int64_t Max(const std::vector<int64_t>& values, size_t from, size_t to) {
  return *std::max_element(values.begin() + from, values.begin() + to);
}

// Runs `batches` updates of one batch each and compares the second half's state with the
// state from a tenth of the way to half of the way.
void RunSteadyStream(int batches) {
  testing::TempDir temp;
  const fs::path root(temp.path());
  testing::WriteTextFile((root / "pipeline.yml").string(), "name: flat_state\n");
  testing::WriteTextFile(
      (root / "p.sql").string(),
      "CREATE STREAMING TABLE events AS SELECT * FROM STREAM read_files('data', format => "
      "'json', schema => 'k STRING, ts TIMESTAMP, v BIGINT');\n"
      "CREATE STREAMING TABLE agg AS\n"
      "SELECT window.start AS ws, window.end AS we, k, count(*) AS n, sum(v) AS s\n"
      "FROM STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS e\n"
      "GROUP BY window(ts, '5 minutes'), k;\n");
  auto pipeline = Pipeline::Open(root.string());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  const fs::path state_dir =
      fs::path((*pipeline)->storage()) / "checkpoints" / "agg" / "state" / "0";

  std::vector<int64_t> files;
  for (int i = 0; i < batches; ++i) {
    testing::WriteTextFile((root / "data" / (std::to_string(i) + ".json")).string(), Batch(i));
    auto report = (*pipeline)->Run();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->state, "COMPLETED") << "update " << i;
    ASSERT_TRUE(fs::is_directory(state_dir)) << state_dir;
    files.push_back(std::distance(fs::directory_iterator(state_dir), fs::directory_iterator()));
  }

  const std::string metric = "CAST(details:flow_progress.metrics.";
  const auto progress =
      Numbers(**pipeline, "SELECT " + metric + "num_state_rows AS BIGINT), " + metric +
                              "state_bytes AS BIGINT), " + metric +
                              "num_rows_dropped_by_watermark AS BIGINT) FROM event_log WHERE "
                              "event_type = 'flow_progress' AND origin.flow_name = 'agg' AND "
                              "details:flow_progress.status = 'COMPLETED' "
                              "ORDER BY timestamp, sequence.control_plane_seq_no");
  ASSERT_EQ(progress.size(), static_cast<size_t>(batches));
  std::vector<int64_t> rows;
  std::vector<int64_t> bytes;
  for (const auto& event : progress) {
    rows.push_back(event[0]);
    bytes.push_back(event[1]);
    EXPECT_EQ(event[2], 0) << "a steady stream has no late rows";
  }

  const size_t warm = batches / 10;
  const size_t half = batches / 2;
  const size_t end = batches;
  SCOPED_TRACE("state rows per batch from " + std::to_string(warm) + ": " + [&] {
    std::string text;
    for (size_t i = warm; i < end; ++i) text += std::to_string(rows[i]) + " ";
    return text;
  }());
  // The watermark trails the newest row by 10 minutes and a window is 5: the state holds
  // at most the rows of the last 16 minutes, whatever the number of batches.
  EXPECT_GT(Max(rows, warm, half), 0);
  EXPECT_LE(Max(rows, half, end), Max(rows, warm, half) + kRowsPerBatch);
  EXPECT_LE(Max(rows, half, end), 16 * kRowsPerBatch);
  EXPECT_LE(Max(bytes, half, end), Max(bytes, warm, half) * 3 / 2);
  // Versions before the newest snapshot's predecessor are deleted.
  EXPECT_LE(Max(files, half, end), Max(files, warm, half) + 2);
  EXPECT_LE(Max(files, half, end), 48);

  // What the watermark closed was written once, with every row: no row is lost or late.
  const int64_t watermark = kStartSeconds + 60 * (batches - 1) + 3 * (kRowsPerBatch - 1) - 600;
  int64_t closed_rows = 0;
  for (int i = 0; i < batches; ++i) {
    for (int j = 0; j < kRowsPerBatch; ++j) {
      const int64_t time = kStartSeconds + 60 * i + 3 * j;
      if (time - time % 300 + 300 <= watermark) ++closed_rows;
    }
  }
  const auto written =
      Numbers(**pipeline, "SELECT count(*), coalesce(sum(n), 0), count(DISTINCT ws, k) FROM agg");
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0][1], closed_rows);
  EXPECT_EQ(written[0][0], written[0][2]) << "a window written twice";
}

TEST(StatefulStateSizeTest, StateStaysFlatOverSixtyBatches) { RunSteadyStream(60); }

TEST(StatefulStateSizeTest, SlowStateStaysFlatOverTwoHundredBatches) { RunSteadyStream(200); }

}  // namespace
}  // namespace sluice
