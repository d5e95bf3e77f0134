// Windowed streaming aggregation against a reference: random events (random keys, values,
// event times drifting forward by random steps, some far behind the watermark, some on
// window and millisecond boundaries, NULL keys, values and times) arrive as one JSON file
// per update. A model of Spark's append mode computes, after every update, the windows
// written so far and each one's aggregate, the watermark and the late rows; the tumbling
// and the sliding aggregation of the pipeline must hold exactly those rows (as multisets)
// and report that watermark and those late rows in flow_progress, whether their state keeps
// partial aggregates or (with a distinct count beside) input rows.
//
// The model: batch B starts with watermark W_B (W_0 = 0). A row of B adds to each window w
// that holds its event time and ends after W_B; a row with no such window is late. After
// the batch W_{B+1} = max(W_B, max event time of B in ms (truncated) - delay), and every
// window with W_B < end <= W_{B+1} is written once with what was added to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "reference_checks.h"
#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::Difference;
using testing::Lines;

constexpr int64_t kMinute = 60'000'000;  // microseconds
constexpr int64_t kDelayMs = 10 * 60'000;
constexpr int64_t kStart = 1'704'067'200'000'000;  // 2024-01-01 00:00:00 UTC

struct Event {
  std::optional<std::string> key;
  std::optional<int64_t> time_us;
  std::optional<int64_t> value;
};

int64_t FloorMod(int64_t a, int64_t b) { return ((a % b) + b) % b; }

std::string TimestampText(int64_t us, const char* separator, int fraction_digits) {
  const std::time_t seconds = static_cast<std::time_t>(us / 1'000'000);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02d%s%02d:%02d:%02d", parts.tm_year + 1900,
                parts.tm_mon + 1, parts.tm_mday, separator, parts.tm_hour, parts.tm_min,
                parts.tm_sec);
  std::string text = buffer;
  if (fraction_digits > 0) {
    char fraction[16];
    std::snprintf(fraction, sizeof(fraction), ".%06d", static_cast<int>(us % 1'000'000));
    text += std::string(fraction).substr(0, 1 + fraction_digits);
  }
  return text;
}

// flow_progress's watermark: "2024-01-01T10:00:00.000Z".
std::string WatermarkText(int64_t ms) { return TimestampText(ms * 1000, "T", 3) + "Z"; }

std::string ToJson(const Event& event) {
  std::string out = "{\"k\": " + (event.key ? "\"" + *event.key + "\"" : std::string("null"));
  out += ", \"ts\": ";
  if (event.time_us) {
    const bool whole_second = *event.time_us % 1'000'000 == 0;
    out += "\"" + TimestampText(*event.time_us, " ", whole_second ? 0 : 6) + "\"";
  } else {
    out += "null";
  }
  out += ", \"v\": " + (event.value ? std::to_string(*event.value) : std::string("null"));
  return out + "}\n";
}

// One batch of events around `clock`: most within the last 20 minutes (so many are late
// for windows the watermark closed), a few hours behind, some on minute boundaries or a
// microsecond or millisecond either side of one (where truncation to milliseconds and
// the inclusive window end decide).
std::vector<Event> RandomBatch(std::mt19937& random, int64_t clock) {
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int> rows(3, 40);
  std::uniform_int_distribution<int> key(0, 3);
  std::uniform_int_distribution<int64_t> value(-50, 500);
  std::uniform_int_distribution<int64_t> recent(-20 * kMinute, 2 * kMinute);
  std::uniform_int_distribution<int64_t> old(-180 * kMinute, -20 * kMinute);
  const std::vector<int64_t> nudges{0, 0, 1, -1, 999, -999, 1000, -1000};
  std::uniform_int_distribution<size_t> nudge(0, nudges.size() - 1);
  std::vector<Event> out;
  const int n = rows(random);
  for (int i = 0; i < n; ++i) {
    Event event;
    if (percent(random) >= 5) event.key = std::string(1, static_cast<char>('a' + key(random)));
    if (percent(random) >= 5) event.value = value(random);
    if (percent(random) >= 3) {
      int64_t time = clock + (percent(random) < 5 ? old(random) : recent(random));
      const int grain = percent(random);
      if (grain < 30) {
        time = time - FloorMod(time, kMinute) + nudges[nudge(random)];
      } else if (grain < 65) {
        time -= FloorMod(time, 1'000'000);
      }
      event.time_us = time;
    }
    out.push_back(event);
  }
  if (percent(random) < 40) {
    // The batch's largest event time on a minute boundary or just off it: the watermark
    // lands on a window's end, or a microsecond or a millisecond either side of it.
    const int64_t time = clock + 3 * kMinute;
    out.push_back({"a", time - FloorMod(time, kMinute) + nudges[nudge(random)], value(random)});
  }
  return out;
}

// [start, end) in microseconds.
using Window = std::pair<int64_t, int64_t>;

struct Aggregation {
  const char* table;
  int64_t duration;
  int64_t slide;
};

// tumbling and sliding keep partial aggregates in their state; sliding_rows, whose distinct
// count does not combine from parts, keeps input rows.
const Aggregation kAggregations[] = {{"tumbling", 5 * kMinute, 5 * kMinute},
                                     {"sliding", 5 * kMinute, kMinute},
                                     {"sliding_rows", 5 * kMinute, kMinute}};

std::vector<Window> WindowsOf(const Aggregation& aggregation, int64_t time) {
  std::vector<Window> out;
  const int64_t last = time - FloorMod(time, aggregation.slide);
  for (int64_t start = last; start > time - aggregation.duration; start -= aggregation.slide) {
    out.push_back({start, start + aggregation.duration});
  }
  return out;
}

struct Totals {
  int64_t n = 0;
  std::optional<int64_t> sum;
};

// Spark's append mode over the batches so far, for one aggregation.
class Model {
 public:
  explicit Model(const Aggregation& aggregation) : aggregation_(aggregation) {}

  // Adds a batch; returns its late rows.
  int64_t AddBatch(const std::vector<Event>& batch) {
    int64_t late = 0;
    std::optional<int64_t> max_time;
    for (const Event& event : batch) {
      if (!event.time_us) continue;
      max_time = std::max(max_time.value_or(INT64_MIN), *event.time_us);
      bool contributed = false;
      for (const Window& window : WindowsOf(aggregation_, *event.time_us)) {
        if (window.second <= watermark_ms_ * 1000) continue;
        contributed = true;
        Totals& totals = windows_[{window, event.key}];
        ++totals.n;
        if (event.value) totals.sum = totals.sum.value_or(0) + *event.value;
      }
      if (!contributed) ++late;
    }
    if (max_time) watermark_ms_ = std::max(watermark_ms_, *max_time / 1000 - kDelayMs);
    return late;
  }

  int64_t watermark_ms() const { return watermark_ms_; }

  // The rows written so far: the windows that ended at or before the watermark.
  std::vector<std::string> Written() const {
    std::vector<std::string> out;
    for (const auto& [group, totals] : windows_) {
      const auto& [window, key] = group;
      if (window.second > watermark_ms_ * 1000) continue;
      out.push_back(std::to_string(window.first) + " | " + std::to_string(window.second) + " | " +
                    key.value_or("NULL") + " | " + std::to_string(totals.n) + " | " +
                    (totals.sum ? std::to_string(*totals.sum) : "NULL"));
    }
    return out;
  }

 private:
  const Aggregation& aggregation_;
  int64_t watermark_ms_ = 0;
  std::map<std::pair<Window, std::optional<std::string>>, Totals> windows_;
};

const std::string kPipeline =
    std::string(testing::kWindowedPipeline) +
    "CREATE STREAMING TABLE sliding_rows AS\n"
    "SELECT window.start AS ws, window.end AS we, k, count(*) AS n, sum(v) AS s,\n"
    "  count(DISTINCT v) AS distinct_values\n"
    "FROM STREAM events WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS e\n"
    "GROUP BY window(ts, '5 minutes', '1 minute'), k;\n";

// Whether the newest version of a flow's state keeps partial aggregates.
bool KeepsPartialAggregates(const fs::path& storage, const std::string& flow) {
  const fs::path dir = storage / "checkpoints" / flow / "state" / "0";
  int64_t newest = -1;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 5 && name.substr(name.size() - 5) == ".json") {
      newest = std::max<int64_t>(newest, std::stoll(name.substr(0, name.size() - 5)));
    }
  }
  EXPECT_GE(newest, 1) << dir;
  std::ifstream in(dir / (std::to_string(newest) + ".json"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.find("\"partial_columns\":") != std::string::npos;
}

struct Progress {
  int64_t late = 0;
  std::string watermark;
  int events = 0;
};

// The flow's COMPLETED flow_progress events of one update.
Progress FlowProgress(Pipeline& pipeline, const std::string& update_id, const std::string& flow) {
  const std::vector<std::string> lines =
      Lines(pipeline,
            "SELECT CAST(details:flow_progress.metrics.num_rows_dropped_by_watermark AS BIGINT), "
            "CAST(details:flow_progress.metrics.watermark AS STRING) FROM event_log "
            "WHERE event_type = 'flow_progress' AND origin.update_id = '" +
                update_id + "' AND origin.flow_name = '" + flow +
                "' AND details:flow_progress.status = 'COMPLETED' "
                "ORDER BY timestamp, sequence.control_plane_seq_no");
  Progress progress;
  for (const std::string& line : lines) {
    const size_t bar = line.find(" | ");
    const std::string late = line.substr(0, bar);
    if (late != "NULL") progress.late += std::stoll(late);
    progress.watermark = line.substr(bar + 3);
    ++progress.events;
  }
  return progress;
}

void RunSeed(unsigned seed) {
  testing::TempDir temp;
  const fs::path root(temp.path());
  testing::WriteTextFile((root / "pipeline.yml").string(), "name: stateful_reference\n");
  testing::WriteTextFile((root / "p.sql").string(), kPipeline);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> updates_distribution(10, 20);
  std::uniform_int_distribution<int> percent(0, 99);
  std::uniform_int_distribution<int64_t> step(0, 9 * kMinute);
  std::uniform_int_distribution<int64_t> jump(20 * kMinute, 40 * kMinute);
  const int updates = updates_distribution(random);

  std::vector<Model> models;
  for (const Aggregation& aggregation : kAggregations) models.emplace_back(aggregation);
  std::vector<int64_t> late_totals(models.size(), 0);
  int64_t clock = kStart + 7 * kMinute;
  int64_t events = 0;
  auto pipeline = Pipeline::Open(root.string());
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  for (int u = 0; u < updates; ++u) {
    SCOPED_TRACE("update " + std::to_string(u));
    const int64_t advance = percent(random) < 10 ? jump(random) : step(random);
    clock += advance - FloorMod(advance, 1'000'000);
    const std::vector<Event> batch = RandomBatch(random, clock);
    std::string json;
    for (const Event& event : batch) json += ToJson(event);
    testing::WriteTextFile((root / "data" / (std::to_string(u) + ".json")).string(), json);
    events += static_cast<int64_t>(batch.size());

    auto report = (*pipeline)->Run();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->state, "COMPLETED");
    ASSERT_EQ(Lines(**pipeline, "SELECT count(*) FROM events"),
              std::vector<std::string>{std::to_string(events)});

    for (size_t a = 0; a < models.size(); ++a) {
      const std::string table = kAggregations[a].table;
      SCOPED_TRACE(table);
      const int64_t late = models[a].AddBatch(batch);
      late_totals[a] += late;
      const std::vector<std::string> stored =
          Lines(**pipeline, "SELECT unix_micros(ws), unix_micros(we), k, n, s FROM " + table);
      EXPECT_EQ(Difference(stored, models[a].Written()), 0u)
          << "watermark " << WatermarkText(models[a].watermark_ms());
      const Progress progress = FlowProgress(**pipeline, report->update_id, table);
      EXPECT_GE(progress.events, 1);
      EXPECT_EQ(progress.late, late);
      EXPECT_EQ(progress.watermark, WatermarkText(models[a].watermark_ms()));
    }
  }
  // Over all updates: the late rows reported equal the rows whose windows had all ended.
  for (size_t a = 0; a < models.size(); ++a) {
    const std::string table = kAggregations[a].table;
    const std::vector<std::string> total = Lines(
        **pipeline,
        "SELECT coalesce(sum(CAST(details:flow_progress.metrics.num_rows_dropped_by_watermark "
        "AS BIGINT)), 0) FROM event_log WHERE event_type = 'flow_progress' AND "
        "origin.flow_name = '" +
            table + "' AND details:flow_progress.status = 'COMPLETED'");
    EXPECT_EQ(total, std::vector<std::string>{std::to_string(late_totals[a])}) << table;
  }
  EXPECT_TRUE(KeepsPartialAggregates((*pipeline)->storage(), "tumbling"));
  EXPECT_TRUE(KeepsPartialAggregates((*pipeline)->storage(), "sliding"));
  EXPECT_FALSE(KeepsPartialAggregates((*pipeline)->storage(), "sliding_rows"));
  // The streams must exercise what the model is for: late rows, and windows written.
  EXPECT_GT(late_totals[0], 0);
  EXPECT_GT(models[0].Written().size(), 5u);
}

TEST(StatefulReferenceTest, RandomStreamsMatchSparkAppendMode) {
  for (unsigned seed : {11u, 2024u, 77031u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RunSeed(seed);
    if (HasFailure()) break;
  }
}

}  // namespace
}  // namespace sluice
