// AUTO CDC against a reference computed by one plain SQL query over the whole change log:
// random change streams (out of order across batches, repeated deliveries, deletes of live
// and of unknown keys, NULL values) arrive over several updates; after each update the SCD
// type 1 target equals the last event per key (absent when it is a delete) and the SCD type 2
// target equals the versions derived with window functions.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <vector>

#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

struct Event {
  int id;
  int seq;
  bool is_delete;
  std::string city;  // "" = NULL
};

std::string ToJson(const Event& event) {
  return "{\"id\": " + std::to_string(event.id) + ", \"seq\": " + std::to_string(event.seq) +
         ", \"op\": \"" + (event.is_delete ? "D" : "U") +
         "\", \"city\": " + (event.city.empty() ? std::string("null") : "\"" + event.city + "\"") +
         "}\n";
}

// Events with sequences unique per key, shuffled over `batches` batches; some events are
// delivered twice.
std::vector<std::string> RandomBatches(std::mt19937& random, int keys, int events_per_key,
                                       int batches) {
  std::vector<Event> events;
  std::uniform_int_distribution<int> percent(0, 99);
  const std::vector<std::string> cities{"", "Oslo", "Rome", "Lima"};
  std::uniform_int_distribution<int> city(0, static_cast<int>(cities.size()) - 1);
  for (int id = 0; id < keys; ++id) {
    for (int seq = 1; seq <= events_per_key; ++seq) {
      if (percent(random) < 30) continue;  // gaps in the sequence
      events.push_back({id, seq * 10, percent(random) < 20, cities[city(random)]});
    }
  }
  std::shuffle(events.begin(), events.end(), random);
  std::vector<std::string> out(batches);
  std::uniform_int_distribution<int> batch(0, batches - 1);
  for (const Event& event : events) {
    const int first = batch(random);
    out[first] += ToJson(event);
    if (percent(random) < 10) out[batch(random)] += ToJson(event);  // delivered again
  }
  return out;
}

int64_t Count(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString() << "\n" << sql;
  if (!rows.ok() || rows->rows.size() != 1) return -1;
  return std::get<int64_t>(rows->rows[0][0].value);
}

// Rows in one query's result and not the other's, both ways; the first few are printed.
int64_t Difference(Pipeline& pipeline, const std::string& a, const std::string& b) {
  const std::string only_a = "SELECT 'stored' AS side, * FROM ((" + a + ") EXCEPT ALL (" + b + "))";
  const std::string only_b =
      "SELECT 'expected' AS side, * FROM ((" + b + ") EXCEPT ALL (" + a + "))";
  auto rows = pipeline.Query("SELECT * FROM (" + only_a + " UNION ALL " + only_b +
                             ") ORDER BY 2, 4, 1 LIMIT 12");
  if (rows.ok()) {
    for (const auto& row : rows->rows) {
      std::string line;
      for (const Cell& cell : row) line += cell.ToString() + " | ";
      ADD_FAILURE() << line;
    }
  }
  return Count(pipeline, "SELECT count(*) FROM ((" + only_a + ") UNION ALL (" + only_b + "))");
}

// The last event per key, unless it is a delete.
const char* kScd1Reference =
    "SELECT id, city FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq DESC) AS r "
    "FROM changes) WHERE r = 1 AND op = 'U'";

// Versions: an upsert starts one after a delete (or at first) or when the city changes; it
// ends at the next start or delete.
const char* kScd2Reference =
    "WITH e AS (SELECT DISTINCT id, seq, op, city FROM changes), "
    "m AS (SELECT *, op = 'U' AND (lag(op) OVER w IS DISTINCT FROM 'U' "
    "  OR lag(city) OVER w IS DISTINCT FROM city) AS starts FROM e WINDOW w AS (PARTITION BY id "
    "  ORDER BY seq)), "
    "b AS (SELECT *, min(CASE WHEN starts OR op = 'D' THEN seq END) OVER (PARTITION BY id ORDER BY "
    "  seq ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS ends FROM m) "
    "SELECT id, city, seq AS __START_AT, ends AS __END_AT FROM b WHERE starts";

TEST(AutoCdcReferenceTest, RandomChangeStreamsMatchOneQueryOverTheLog) {
  testing::TempDir temp;
  const fs::path root(temp.path());
  testing::WriteTextFile((root / "pipeline.yml").string(), "name: reference\n");
  testing::WriteTextFile(
      (root / "p.sql").string(),
      "CREATE STREAMING TABLE changes AS SELECT CAST(id AS BIGINT) AS id, CAST(seq AS BIGINT) "
      "AS seq, CAST(op AS STRING) AS op, CAST(city AS STRING) AS city FROM STREAM "
      "read_files('data', format => 'json');\n"
      "CREATE STREAMING TABLE scd1;\n"
      "CREATE FLOW scd1_cdc AS AUTO CDC INTO scd1 FROM STREAM(changes) KEYS (id)\n"
      "  APPLY AS DELETE WHEN op = 'D' SEQUENCE BY seq COLUMNS * EXCEPT (op, seq);\n"
      "CREATE STREAMING TABLE scd2;\n"
      "CREATE FLOW scd2_cdc AS AUTO CDC INTO scd2 FROM STREAM(changes) KEYS (id)\n"
      "  APPLY AS DELETE WHEN op = 'D' SEQUENCE BY seq COLUMNS * EXCEPT (op, seq)\n"
      "  STORED AS SCD TYPE 2;\n");
  std::mt19937 random(4242);
  const std::vector<std::string> batches = RandomBatches(random, 400, 15, 8);
  for (size_t i = 0; i < batches.size(); ++i) {
    SCOPED_TRACE("batch " + std::to_string(i));
    if (batches[i].empty()) continue;
    testing::WriteTextFile((root / "data" / (std::to_string(i) + ".json")).string(), batches[i]);
    auto pipeline = Pipeline::Open(root.string());
    ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    auto report = (*pipeline)->Run();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->state, "COMPLETED");
    EXPECT_EQ(Difference(**pipeline, "SELECT id, city FROM scd1", kScd1Reference), 0);
    EXPECT_EQ(
        Difference(**pipeline, "SELECT id, city, __START_AT, __END_AT FROM scd2", kScd2Reference),
        0);
    EXPECT_GT(Count(**pipeline, "SELECT count(*) FROM scd2"), 0);
  }
}

}  // namespace
}  // namespace sluice
