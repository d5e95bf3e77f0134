// AUTO CDC against references: random change streams (out of order across batches, repeated
// deliveries, deletes of live and of unknown keys, NULL values) arrive over several updates;
// after each update the SCD type 1 target equals the last event per key (absent when it is a
// delete), the SCD type 2 target equals the versions derived with window functions in one
// plain SQL query over the whole change log, and the SCD type 2 target with TRACK HISTORY on
// a subset equals the versions of a model that applies each key's events one at a time in
// sequence order (as if none were late).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "reference_checks.h"
#include "sluice/pipeline.h"
#include "support/delta_log_check.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;
using testing::Difference;

struct Event {
  int id;
  int seq;
  bool is_delete;
  std::string city;   // "" = NULL; tracked
  std::string email;  // "" = NULL; untracked in scd2_track
};

std::string JsonText(const std::string& text) {
  return text.empty() ? std::string("null") : "\"" + text + "\"";
}

std::string ToJson(const Event& event) {
  return "{\"id\": " + std::to_string(event.id) + ", \"seq\": " + std::to_string(event.seq) +
         ", \"op\": \"" + (event.is_delete ? "D" : "U") + "\", \"city\": " + JsonText(event.city) +
         ", \"email\": " + JsonText(event.email) + "}\n";
}

// Events with sequences unique per key, shuffled over `batches` batches; some events are
// delivered twice. A key keeps its city for about half of its events, so that versions
// absorb events that change only the email, which late events of another city then split.
std::vector<std::vector<Event>> RandomBatches(std::mt19937& random, int keys, int events_per_key,
                                              int batches) {
  std::vector<Event> events;
  std::uniform_int_distribution<int> percent(0, 99);
  const std::vector<std::string> cities{"", "Oslo", "Rome", "Lima"};
  std::uniform_int_distribution<int> city(0, static_cast<int>(cities.size()) - 1);
  for (int id = 0; id < keys; ++id) {
    std::string previous_city = cities[city(random)];
    for (int seq = 1; seq <= events_per_key; ++seq) {
      if (percent(random) < 30) continue;  // gaps in the sequence
      if (percent(random) < 50) previous_city = cities[city(random)];
      const std::string email = percent(random) < 15 ? "" : "m" + std::to_string(seq * 10);
      events.push_back({id, seq * 10, percent(random) < 20, previous_city, email});
    }
  }
  std::shuffle(events.begin(), events.end(), random);
  std::vector<std::vector<Event>> out(batches);
  std::uniform_int_distribution<int> batch(0, batches - 1);
  for (const Event& event : events) {
    out[batch(random)].push_back(event);
    if (percent(random) < 10) out[batch(random)].push_back(event);  // delivered again
  }
  return out;
}

// A version of the TRACK HISTORY ON (city) target: [start, end) and the values it holds.
struct Version {
  int id = 0;
  int start = 0;
  std::optional<int> end;
  std::string city;
  std::string email;      // of the latest event in [start, end)
  int seq = 0;            // likewise: the sequence column is an untracked column
  std::vector<int> seqs;  // the upserts in [start, end)
};

// The model: each key's events applied one at a time in sequence order. An upsert with no
// current version opens one; an upsert of another city closes the current version and opens
// one; an upsert of the same city updates the current version in place (email and seq); a
// delete closes the current version.
std::vector<Version> ModelVersions(const std::map<std::pair<int, int>, Event>& events) {
  std::vector<Version> versions;
  std::optional<size_t> current;
  int current_id = -1;
  for (const auto& [id_seq, event] : events) {
    if (event.id != current_id) current.reset();
    current_id = event.id;
    if (event.is_delete) {
      if (current) versions[*current].end = event.seq;
      current.reset();
    } else if (current && versions[*current].city == event.city) {
      versions[*current].email = event.email;
      versions[*current].seq = event.seq;
      versions[*current].seqs.push_back(event.seq);
    } else {
      if (current) versions[*current].end = event.seq;
      versions.push_back(
          {event.id, event.seq, std::nullopt, event.city, event.email, event.seq, {event.seq}});
      current = versions.size() - 1;
    }
  }
  return versions;
}

std::string Line(const Version& version) {
  auto text = [](const std::string& value) { return value.empty() ? "NULL" : value; };
  return std::to_string(version.id) + " | " + std::to_string(version.start) + " | " +
         (version.end ? std::to_string(*version.end) : "NULL") + " | " + text(version.city) +
         " | " + text(version.email) + " | " + std::to_string(version.seq);
}

// New upserts of `batch` that split a version of `before` whose untracked values came from
// an event after the split: the cases where each part must hold the values of its own range.
int SplittingEvents(const std::vector<Version>& before, const std::vector<Event>& batch,
                    const std::map<std::pair<int, int>, Event>& seen) {
  int splits = 0;
  std::set<std::pair<int, int>> counted;  // a repeat within the batch counts once
  for (const Event& event : batch) {
    if (event.is_delete || seen.count({event.id, event.seq}) > 0 ||
        !counted.insert({event.id, event.seq}).second) {
      continue;
    }
    for (const Version& version : before) {
      if (version.id == event.id && version.start < event.seq &&
          (!version.end || event.seq < *version.end) && version.city != event.city &&
          version.seqs.back() > event.seq) {
        ++splits;
      }
    }
  }
  return splits;
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
    "SELECT id, city, email FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq "
    "DESC) AS r FROM changes) WHERE r = 1 AND op = 'U'";

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

// Runs the batches through the three flows, one update each, checking every target against
// its reference after each update; `min_splits` is how many late splits of versions the
// batches must hold at least.
void CheckAgainstReferences(const std::vector<std::vector<Event>>& batches, int min_splits) {
  testing::TempDir temp;
  const fs::path root(temp.path());
  testing::WriteTextFile((root / "pipeline.yml").string(), "name: reference\n");
  testing::WriteTextFile(
      (root / "p.sql").string(),
      "CREATE STREAMING TABLE changes AS SELECT CAST(id AS BIGINT) AS id, CAST(seq AS BIGINT) "
      "AS seq, CAST(op AS STRING) AS op, CAST(city AS STRING) AS city, CAST(email AS STRING) AS "
      "email FROM STREAM read_files('data', format => 'json');\n"
      "CREATE STREAMING TABLE scd1;\n"
      "CREATE FLOW scd1_cdc AS AUTO CDC INTO scd1 FROM STREAM(changes) KEYS (id)\n"
      "  APPLY AS DELETE WHEN op = 'D' SEQUENCE BY seq COLUMNS * EXCEPT (op, seq);\n"
      "CREATE STREAMING TABLE scd2;\n"
      "CREATE FLOW scd2_cdc AS AUTO CDC INTO scd2 FROM STREAM(changes) KEYS (id)\n"
      "  APPLY AS DELETE WHEN op = 'D' SEQUENCE BY seq COLUMNS * EXCEPT (op, seq, email)\n"
      "  STORED AS SCD TYPE 2;\n"
      "CREATE STREAMING TABLE scd2_track;\n"
      "CREATE FLOW scd2_track_cdc AS AUTO CDC INTO scd2_track FROM STREAM(changes) KEYS (id)\n"
      "  APPLY AS DELETE WHEN op = 'D' SEQUENCE BY seq COLUMNS * EXCEPT (op)\n"
      "  STORED AS SCD TYPE 2 TRACK HISTORY ON (city);\n");
  std::map<std::pair<int, int>, Event> seen;  // by key and sequence: repeats are equal
  int splits = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    SCOPED_TRACE("batch " + std::to_string(i));
    if (batches[i].empty()) continue;
    std::string json;
    for (const Event& event : batches[i]) json += ToJson(event);
    testing::WriteTextFile((root / "data" / (std::to_string(i) + ".json")).string(), json);
    splits += SplittingEvents(ModelVersions(seen), batches[i], seen);
    for (const Event& event : batches[i]) seen.insert({{event.id, event.seq}, event});

    auto pipeline = Pipeline::Open(root.string());
    ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    auto report = (*pipeline)->Run();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->state, "COMPLETED");
    EXPECT_EQ(Difference(**pipeline, "SELECT id, city, email FROM scd1", kScd1Reference), 0);
    EXPECT_EQ(
        Difference(**pipeline, "SELECT id, city, __START_AT, __END_AT FROM scd2", kScd2Reference),
        0);
    EXPECT_GT(Count(**pipeline, "SELECT count(*) FROM scd2"), 0);

    auto tracked =
        (*pipeline)->Query("SELECT id, __START_AT, __END_AT, city, email, seq FROM scd2_track");
    ASSERT_TRUE(tracked.ok()) << tracked.status().ToString();
    std::vector<std::string> stored;
    for (const auto& row : tracked->rows) {
      std::string line;
      for (size_t column = 0; column < row.size(); ++column) {
        line += (column == 0 ? "" : " | ") +
                (row[column].is_null() ? std::string("NULL") : row[column].ToString());
      }
      stored.push_back(line);
    }
    std::vector<std::string> expected;
    for (const Version& version : ModelVersions(seen)) expected.push_back(Line(version));
    EXPECT_EQ(Difference(stored, expected), 0u);
  }
  // The streams must exercise what the model is for.
  EXPECT_GT(splits, min_splits);
  EXPECT_EQ(testing::ValidateDeltaLogs(root.string()), std::vector<std::string>{});
}

TEST(AutoCdcReferenceTest, RandomChangeStreamsMatchTheReferences) {
  std::mt19937 random(4242);
  CheckAgainstReferences(RandomBatches(random, 400, 15, 8), 50);
}

// A first batch with one event per key (an upsert or a delete, as an initial snapshot with
// some deletes) takes the bulk path of a first load; the state it writes must serve the
// later batches exactly as the general path's would.
TEST(AutoCdcReferenceTest, FirstBatchWithOneEventPerKeyThenRandomStreams) {
  std::mt19937 random(777);
  std::vector<std::vector<Event>> batches = RandomBatches(random, 400, 15, 6);
  std::map<int, Event> first;  // per key, one of its events
  std::vector<std::vector<Event>> later(batches.size());
  for (size_t i = 0; i < batches.size(); ++i) {
    for (const Event& event : batches[i]) {
      if (first.count(event.id) == 0) {
        first.emplace(event.id, event);
      } else {
        later[i].push_back(event);
      }
    }
  }
  std::vector<std::vector<Event>> ordered{{}};
  for (const auto& [id, event] : first) ordered[0].push_back(event);
  ordered.insert(ordered.end(), later.begin(), later.end());
  CheckAgainstReferences(ordered, 20);
}

}  // namespace
}  // namespace sluice
