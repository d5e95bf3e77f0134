#include "eventlog/event_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "delta/log_validator.h"
#include "delta/write.h"
#include "support/temp_dir.h"

namespace sluice::eventlog {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr int64_t kJan2At030405 = 1767323045123456;  // 2026-01-02 03:04:05.123456 UTC

Event MakeEvent(std::string event_type, std::string details, std::string flow = "") {
  Event event;
  event.event_type = std::move(event_type);
  event.details_json = std::move(details);
  event.message = "m";
  event.origin.flow_name = std::move(flow);
  return event;
}

std::string Progress(std::string status, std::optional<int64_t> rows = std::nullopt) {
  FlowProgressInfo info;
  info.status = std::move(status);
  info.num_output_rows = rows;
  return FlowProgressDetails(info);
}

class EventLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = engine::Database::Open();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(*database);
    auto connection = database_->Connect();
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    connection_ = std::move(*connection);
    context_ = delta::DeltaContext{io::LocalFileSystem(), connection_.get(), Clock::Real()};
    root_ = dir_.path() + "/system/events";
  }
  // Every event log a test wrote must be a valid Delta table for other readers.
  void TearDown() override {
    if (!context_.fs->Exists(root_ + "/_delta_log")) return;
    auto violations = delta::ValidateLog(*context_.fs, *connection_, root_);
    ASSERT_TRUE(violations.ok()) << violations.status().ToString();
    for (const delta::LogViolation& violation : *violations) ADD_FAILURE() << violation.ToString();
  }

  // Runs `sql` with `$events` standing for the event log (at `version`, or the latest).
  engine::QueryResult Read(const std::string& sql, std::optional<int64_t> version = {}) {
    auto scan = PlanEventLogScan(context_, root_, version);
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    if (!scan.ok()) return {};
    std::string text = sql;
    const std::string relation = "(" + scan->plan.sql + ") AS event_log";
    for (size_t at = text.find("$events"); at != std::string::npos; at = text.find("$events")) {
      text.replace(at, 7, relation);
    }
    auto rows = connection_->Query(text);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_TRUE(ReleaseEventLogScan(*connection_, *scan).ok());
    return rows.ok() ? std::move(*rows) : engine::QueryResult{};
  }

  int64_t Version() {
    auto snapshot = delta::LoadSnapshot(context_, root_);
    return snapshot.ok() ? (*snapshot)->version() : -1;
  }

  // seq_no of every row of `version`, ascending.
  std::vector<int64_t> SeqNos(std::optional<int64_t> version = {}) {
    engine::QueryResult rows =
        Read("SELECT (sequence->>'$.data_plane_id.seq_no')::BIGINT AS s FROM $events ORDER BY s",
             version);
    std::vector<int64_t> out;
    for (const auto& row : rows.rows()) out.push_back(std::get<int64_t>(row[0].data));
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
  delta::DeltaContext context_;
  std::string root_;
};

TEST_F(EventLogTest, FlushCreatesTheTableThenAppendsOneCommitEach) {
  EventLogWriter writer(context_, root_, "p1");
  writer.Add(MakeEvent("create_update", CreateUpdateDetails({})));
  writer.Add(MakeEvent("update_progress", UpdateProgressDetails("INITIALIZING")));
  EXPECT_EQ(writer.pending(), 2u);
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(writer.pending(), 0u);
  EXPECT_EQ(Version(), 0);
  writer.Add(MakeEvent("update_progress", UpdateProgressDetails("COMPLETED")));
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(Version(), 1);
  ASSERT_TRUE(writer.Flush().ok());  // nothing buffered: no commit
  EXPECT_EQ(Version(), 1);
  EXPECT_EQ(Read("SELECT count(*) FROM $events").at(0, 0).ToString(), "3");

  // Databricks' columns, in order; a Delta `timestamp` needs no table feature.
  auto snapshot = delta::LoadSnapshot(context_, root_);
  ASSERT_TRUE(snapshot.ok());
  ASSERT_NE((*snapshot)->schema(), nullptr);
  std::vector<std::string> names;
  for (const delta::StructField& field : (*snapshot)->schema()->fields()) {
    names.push_back(field.name);
    EXPECT_EQ(field.type->ToString(), field.name == "timestamp" ? "timestamp" : "string")
        << field.name;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"id", "sequence", "origin", "timestamp", "message", "level",
                                      "maturity_level", "error", "details", "event_type"}));
  EXPECT_EQ((*snapshot)->protocol().min_reader_version, 1);
  EXPECT_EQ((*snapshot)->protocol().min_writer_version, 2);
  EXPECT_EQ((*snapshot)->metadata().name, "event_log");
}

TEST_F(EventLogTest, ColumnsHoldWhatWasAdded) {
  EventLogWriter writer(context_, root_);
  Event event;
  event.id = "e-1";
  event.event_type = "flow_progress";
  event.level = "ERROR";
  event.maturity_level = "EVOLVING";
  event.timestamp_us = kJan2At030405;
  event.message = "Flow 'silver' has FAILED: it's broken";
  event.origin = Origin{"p1", "retail", "u1", "p1:silver", "silver", "silver", 4};
  event.details_json = Progress("FAILED");
  event.error_json = ErrorJson("FlowFailed", "it's broken", false);
  writer.Add(event);
  writer.Add(MakeEvent("update_progress", UpdateProgressDetails("FAILED")));
  ASSERT_TRUE(writer.Flush().ok());

  engine::QueryResult rows = Read(
      "SELECT id, origin, message, level, maturity_level, error, details, event_type, "
      "(sequence->>'$.data_plane_id.seq_no')::BIGINT AS s FROM $events ORDER BY s");
  ASSERT_EQ(rows.row_count(), 2u);
  EXPECT_EQ(rows.at(0, 0).ToString(), "e-1");
  EXPECT_EQ(Json::parse(rows.at(0, 1).ToString()),
            Json::parse(R"({"pipeline_id":"p1","pipeline_name":"retail","update_id":"u1",
                            "dataset_name":"silver","flow_id":"p1:silver","flow_name":"silver",
                            "batch_id":4})"));
  EXPECT_EQ(rows.at(0, 2).ToString(), "Flow 'silver' has FAILED: it's broken");
  EXPECT_EQ(rows.at(0, 3).ToString(), "ERROR");
  EXPECT_EQ(rows.at(0, 4).ToString(), "EVOLVING");
  EXPECT_EQ(Json::parse(rows.at(0, 5).ToString())["exceptions"][0]["message"], "it's broken");
  EXPECT_EQ(rows.at(0, 6).ToString(), R"({"flow_progress":{"status":"FAILED"}})");
  EXPECT_EQ(rows.at(0, 7).ToString(), "flow_progress");
  // Defaults of the second event: a UUID, INFO, STABLE, no error, an origin of `{}`.
  EXPECT_EQ(rows.at(1, 0).ToString().size(), 36u);
  EXPECT_EQ(rows.at(1, 1).ToString(), "{}");
  EXPECT_EQ(rows.at(1, 3).ToString(), "INFO");
  EXPECT_EQ(rows.at(1, 4).ToString(), "STABLE");
  EXPECT_TRUE(rows.at(1, 5).is_null());
}

TEST_F(EventLogTest, TimestampIsAnInstantInUtc) {
  EventLogWriter writer(context_, root_);
  Event event = MakeEvent("update_progress", UpdateProgressDetails("RUNNING"));
  event.timestamp_us = kJan2At030405;
  writer.Add(event);
  ASSERT_TRUE(writer.Flush().ok());
  engine::QueryResult rows = Read(
      "SELECT typeof(\"timestamp\"), epoch_us(\"timestamp\"), "
      "strftime(\"timestamp\" AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M:%S.%f') FROM $events");
  EXPECT_EQ(rows.at(0, 0).ToString(), "TIMESTAMP WITH TIME ZONE");
  EXPECT_EQ(rows.at(0, 1).ToString(), std::to_string(kJan2At030405));
  EXPECT_EQ(rows.at(0, 2).ToString(), "2026-01-02 03:04:05.123456");
  // The same instant whatever the session's time zone.
  ASSERT_TRUE(connection_->Execute("SET TimeZone = 'Asia/Tokyo'").ok());
  EXPECT_EQ(Read("SELECT epoch_us(\"timestamp\") FROM $events").at(0, 0).ToString(),
            std::to_string(kJan2At030405));
  EXPECT_EQ(Read("SELECT hour(\"timestamp\") FROM $events").at(0, 0).ToString(), "12");
  ASSERT_TRUE(connection_->Execute("SET TimeZone = 'UTC'").ok());
}

TEST_F(EventLogTest, DuckDbJsonOperatorsReadTheColumns) {
  EventLogWriter writer(context_, root_, "p1");
  CreateUpdateInfo update;
  update.refresh_selection = {"gold"};
  writer.Add(MakeEvent("create_update", CreateUpdateDetails(update)));
  FlowDefinitionInfo definition;
  definition.output_dataset = "gold";
  definition.input_datasets = {"silver", "customers"};
  writer.Add(MakeEvent("flow_definition", FlowDefinitionDetails(definition), "gold"));
  FlowProgressInfo silver;
  silver.status = "COMPLETED";
  silver.num_output_rows = 8;
  silver.dropped_records = 2;
  silver.expectations = {{"positive", "silver", 8, 2}, {"known", "silver", 9, 1}};
  writer.Add(MakeEvent("flow_progress", FlowProgressDetails(silver), "silver"));
  FlowProgressInfo silver2 = silver;  // a second batch
  silver2.num_output_rows = 5;
  silver2.dropped_records = 0;
  silver2.expectations = {{"positive", "silver", 5, 0}, {"known", "silver", 3, 2}};
  writer.Add(MakeEvent("flow_progress", FlowProgressDetails(silver2), "silver"));
  writer.Add(MakeEvent("flow_progress", Progress("COMPLETED", 1), "gold"));
  ASSERT_TRUE(writer.Flush().ok());

  engine::QueryResult arrays = Read(
      "SELECT origin->>'$.flow_name' AS flow, "
      "details->'$.flow_progress.data_quality.expectations' AS e FROM $events "
      "WHERE event_type = 'flow_progress' ORDER BY (sequence->>'$.data_plane_id.seq_no')::INT");
  ASSERT_EQ(arrays.row_count(), 3u);
  EXPECT_EQ(Json::parse(arrays.at(0, 1).ToString())[1]["name"], "known");
  EXPECT_TRUE(arrays.at(2, 1).is_null());  // gold has no expectations

  // The expectation metrics query of docs/event-log.md.
  engine::QueryResult metrics = Read(
      "SELECT e.dataset, e.name, sum(e.passed_records) AS passed, "
      "sum(e.failed_records) AS failed "
      "FROM (SELECT unnest(from_json(details->'$.flow_progress.data_quality.expectations', "
      "'[{\"name\":\"VARCHAR\",\"dataset\":\"VARCHAR\",\"passed_records\":\"BIGINT\","
      "\"failed_records\":\"BIGINT\"}]')) AS e FROM $events "
      "WHERE event_type = 'flow_progress') GROUP BY ALL ORDER BY ALL");
  ASSERT_EQ(metrics.row_count(), 2u);
  EXPECT_EQ(metrics.column_type(2), "HUGEINT");
  std::vector<std::string> got;
  for (const auto& row : metrics.rows()) {
    got.push_back(row[0].ToString() + " " + row[1].ToString() + " " + row[2].ToString() + " " +
                  row[3].ToString());
  }
  EXPECT_EQ(got, (std::vector<std::string>{"silver known 12 3", "silver positive 13 2"}));

  EXPECT_EQ(Read("SELECT sum((details->'$.flow_progress.data_quality.dropped_records')::BIGINT) "
                 "FROM $events")
                .at(0, 0)
                .ToString(),
            "2");
  EXPECT_EQ(Read("SELECT details->>'$.flow_definition.input_datasets[1]', "
                 "json_array_length(details->'$.flow_definition.input_datasets') "
                 "FROM $events WHERE event_type = 'flow_definition'")
                .row(0),
            (std::vector<engine::Value>{engine::Value::Text("customers"), engine::Value::Int(2)}));
  EXPECT_EQ(
      Read("SELECT (details->'$.create_update.refresh_selection')::VARCHAR, "
           "origin->>'$.pipeline_id' FROM $events WHERE event_type = 'create_update'")
          .row(0),
      (std::vector<engine::Value>{engine::Value::Text(R"(["gold"])"), engine::Value::Text("p1")}));
  EXPECT_EQ(Read("SELECT count(*) FROM $events WHERE (details->>'$.flow_progress.status') = "
                 "'COMPLETED' AND (origin->>'$.flow_name') = 'silver'")
                .at(0, 0)
                .ToString(),
            "2");
}

TEST_F(EventLogTest, SequenceNumbersTimestampsAndControlPlaneNumbersIncrease) {
  ManualClock clock(1'700'000'000'000);
  context_.clock = &clock;
  EventLogWriter writer(context_, root_);
  for (int i = 0; i < 5; ++i) {
    writer.Add(MakeEvent("update_progress", UpdateProgressDetails("RUNNING")));
    if (i == 2) clock.AdvanceMillis(3);
  }
  ASSERT_TRUE(writer.Flush().ok());
  engine::QueryResult rows = Read(
      "SELECT (sequence->>'$.data_plane_id.seq_no')::BIGINT AS s, "
      "(sequence->>'$.control_plane_seq_no')::BIGINT, epoch_us(\"timestamp\"), "
      "sequence->>'$.data_plane_id.instance' FROM $events ORDER BY s");
  ASSERT_EQ(rows.row_count(), 5u);
  const int64_t start = 1'700'000'000'000'000;
  const std::vector<int64_t> control{start, start + 1, start + 2, start + 3000, start + 3001};
  const std::vector<int64_t> times{start, start, start, start + 3000, start + 3000};
  for (size_t i = 0; i < rows.row_count(); ++i) {
    EXPECT_EQ(std::get<int64_t>(rows.at(i, 0).data), static_cast<int64_t>(i));
    EXPECT_EQ(std::get<int64_t>(rows.at(i, 1).data), control[i]) << i;
    EXPECT_EQ(std::get<int64_t>(rows.at(i, 2).data), times[i]) << i;
    EXPECT_EQ(rows.at(i, 3).ToString(), rows.at(0, 3).ToString());
  }
}

TEST_F(EventLogTest, AFollowingWriterContinuesTheControlPlaneSequence) {
  ManualClock clock(1'700'000'000'000);
  context_.clock = &clock;
  {
    EventLogWriter first(context_, root_);
    for (int i = 0; i < 3; ++i) first.Add(MakeEvent("e", "{}", "first"));
    ASSERT_TRUE(first.Flush().ok());
  }
  clock.AdvanceMillis(1);
  EventLogWriter second(context_, root_);
  for (int i = 0; i < 2; ++i) second.Add(MakeEvent("e", "{}", "second"));
  ASSERT_TRUE(second.Flush().ok());
  engine::QueryResult rows = Read(
      "SELECT origin->>'$.flow_name', (sequence->>'$.data_plane_id.seq_no')::BIGINT, "
      "count(DISTINCT sequence->>'$.data_plane_id.instance') OVER () "
      "FROM $events ORDER BY (sequence->>'$.control_plane_seq_no')::BIGINT");
  ASSERT_EQ(rows.row_count(), 5u);
  std::vector<std::string> order;
  for (const auto& row : rows.rows()) order.push_back(row[0].ToString() + row[1].ToString());
  EXPECT_EQ(order, (std::vector<std::string>{"first0", "first1", "first2", "second0", "second1"}));
  EXPECT_EQ(rows.at(0, 2).ToString(), "2");  // one instance per writer
}

TEST_F(EventLogTest, PipelineIdFillsOriginsWithoutOne) {
  EventLogWriter writer(context_, root_, "p1");
  writer.Add(MakeEvent("e", "{}"));
  Event own = MakeEvent("e", "{}");
  own.origin.pipeline_id = "other";
  writer.Add(own);
  ASSERT_TRUE(writer.Flush().ok());
  engine::QueryResult rows = Read(
      "SELECT origin->>'$.pipeline_id' FROM $events "
      "ORDER BY (sequence->>'$.data_plane_id.seq_no')::BIGINT");
  ASSERT_EQ(rows.row_count(), 2u);
  EXPECT_EQ(rows.at(0, 0).ToString(), "p1");
  EXPECT_EQ(rows.at(1, 0).ToString(), "other");
}

TEST_F(EventLogTest, EachCommitHoldsTheNextSequenceNumbers) {
  EventLogWriter writer(context_, root_);
  for (int flush = 0; flush < 3; ++flush) {
    for (int i = 0; i < 4; ++i) writer.Add(MakeEvent("e", "{}"));
    ASSERT_TRUE(writer.Flush().ok());
  }
  for (int64_t version = 0; version <= 2; ++version) {
    std::vector<int64_t> expected(4 * (version + 1));
    for (size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<int64_t>(i);
    EXPECT_EQ(SeqNos(version), expected) << "version " << version;
  }
}

TEST_F(EventLogTest, ThreadsAddWhileTwoThreadsFlush) {
  EventLogWriter writer(context_, root_);
  constexpr int kThreads = 8;
  constexpr int kEach = 50;
  std::atomic<int> adders_done{0};
  std::vector<std::thread> adders;
  for (int t = 0; t < kThreads; ++t) {
    adders.emplace_back([&writer, &adders_done, t] {
      for (int i = 0; i < kEach; ++i) {
        Event event = MakeEvent("flow_progress", "{}", "t" + std::to_string(t));
        event.message = std::to_string(i);
        writer.Add(std::move(event));
      }
      ++adders_done;
    });
  }
  // Two flushing threads: their commits must still come in sequence order.
  std::atomic<bool> flush_failed{false};
  auto flusher = [&] {
    while (adders_done.load() < kThreads) {
      if (!writer.Flush().ok()) flush_failed = true;
    }
  };
  std::thread flusher1(flusher);
  std::thread flusher2(flusher);
  for (std::thread& adder : adders) adder.join();
  flusher1.join();
  flusher2.join();
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_FALSE(flush_failed);
  EXPECT_EQ(writer.pending(), 0u);

  std::vector<int64_t> all(kThreads * kEach);
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
  EXPECT_EQ(SeqNos(), all);
  EXPECT_EQ(Read("SELECT count(DISTINCT id) FROM $events").at(0, 0).ToString(),
            std::to_string(kThreads * kEach));
  // Every commit adds the next numbers: each version holds 0..n-1.
  for (int64_t version = 0; version <= Version(); ++version) {
    std::vector<int64_t> seq = SeqNos(version);
    for (size_t i = 0; i < seq.size(); ++i) {
      ASSERT_EQ(seq[i], static_cast<int64_t>(i)) << "version " << version;
    }
  }
  // Each thread's events are numbered in the order it added them.
  engine::QueryResult order = Read(
      "SELECT origin->>'$.flow_name' AS t, message::INT AS i FROM $events "
      "ORDER BY (sequence->>'$.data_plane_id.seq_no')::BIGINT");
  std::map<std::string, int> last;
  for (const auto& row : order.rows()) {
    const std::string thread = row[0].ToString();
    const int i = static_cast<int>(std::get<int64_t>(row[1].data));
    EXPECT_EQ(i, last.count(thread) ? last[thread] + 1 : 0) << thread;
    last[thread] = i;
  }
  EXPECT_EQ(last.size(), static_cast<size_t>(kThreads));
}

TEST_F(EventLogTest, AFailedFlushKeepsItsEventsForTheNextOne) {
  const std::string blocker = dir_.path() + "/blocked";
  { std::ofstream(blocker) << "a file where a directory should be"; }
  root_ = blocker + "/events";
  EventLogWriter writer(context_, root_);
  for (int i = 0; i < 3; ++i) writer.Add(MakeEvent("e", "{}"));
  Status failed = writer.Flush();
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.message(), HasSubstr(root_));
  EXPECT_EQ(writer.pending(), 3u);
  writer.Add(MakeEvent("e", "{}"));
  EXPECT_EQ(writer.pending(), 4u);

  std::filesystem::remove(blocker);
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(writer.pending(), 0u);
  EXPECT_EQ(Version(), 0);
  EXPECT_EQ(SeqNos(), (std::vector<int64_t>{0, 1, 2, 3}));
}

TEST_F(EventLogTest, ManyEventsAreOneCommit) {
  EventLogWriter writer(context_, root_);
  for (int i = 0; i < 5000; ++i) {
    writer.Add(MakeEvent("flow_progress", Progress("RUNNING")));
  }
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(Version(), 0);
  EXPECT_EQ(Read("SELECT count(*), count(DISTINCT id) FROM $events").row(0),
            (std::vector<engine::Value>{engine::Value::Int(5000), engine::Value::Int(5000)}));
}

TEST_F(EventLogTest, NoEventLogBeforeAnyFlushIsNotFound) {
  auto missing = PlanEventLogScan(context_, root_);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr(root_ + ": no event log yet"));
  {
    EventLogWriter writer(context_, root_);
    ASSERT_TRUE(writer.Flush().ok());  // nothing to write: no table either
  }
  EXPECT_EQ(PlanEventLogScan(context_, root_).status().code(), StatusCode::kNotFound);
}

TEST_F(EventLogTest, ScanReadsAnEarlierVersion) {
  EventLogWriter writer(context_, root_);
  writer.Add(MakeEvent("e", "{}"));
  ASSERT_TRUE(writer.Flush().ok());
  writer.Add(MakeEvent("e", "{}"));
  writer.Add(MakeEvent("e", "{}"));
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(Read("SELECT count(*) FROM $events", 0).at(0, 0).ToString(), "1");
  EXPECT_EQ(Read("SELECT count(*) FROM $events").at(0, 0).ToString(), "3");
  auto scan = PlanEventLogScan(context_, root_, 1);
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->snapshot->version(), 1);
  EXPECT_EQ(scan->plan.files.size(), 2u);
  EXPECT_TRUE(ReleaseEventLogScan(*connection_, *scan).ok());
  EXPECT_EQ(PlanEventLogScan(context_, root_, 7).status().code(), StatusCode::kNotFound);
}

TEST_F(EventLogTest, AppendsToATableWithATimestampNtzColumnKeepItsType) {
  // An event log written when `timestamp` was a DuckDB TIMESTAMP (Delta timestamp_ntz).
  delta::WriteOptions options;
  ASSERT_TRUE(delta::WriteTable(context_, root_,
                                "SELECT 'old' AS id, '{}' AS sequence, '{}' AS origin, "
                                "make_timestamp(0::BIGINT) AS \"timestamp\", 'm' AS message, "
                                "'INFO' AS level, 'STABLE' AS maturity_level, "
                                "NULL::VARCHAR AS error, '{}' AS details, 'e' AS event_type",
                                options)
                  .ok());
  EventLogWriter writer(context_, root_);
  Event event = MakeEvent("e", "{}");
  event.timestamp_us = kJan2At030405;
  writer.Add(event);
  ASSERT_TRUE(writer.Flush().ok());
  engine::QueryResult rows =
      Read("SELECT id, typeof(\"timestamp\"), epoch_us(\"timestamp\") FROM $events ORDER BY 3");
  ASSERT_EQ(rows.row_count(), 2u);
  EXPECT_EQ(rows.at(1, 1).ToString(), "TIMESTAMP");
  EXPECT_EQ(rows.at(1, 2).ToString(), std::to_string(kJan2At030405));
}

TEST(OriginJsonTest, LeavesOutEmptyFields) {
  Origin origin;
  origin.pipeline_id = "p";
  origin.flow_name = "f";
  origin.batch_id = 3;
  EXPECT_EQ(OriginJson(origin), R"({"pipeline_id":"p","flow_name":"f","batch_id":3})");
  EXPECT_EQ(OriginJson(Origin{}), "{}");
}

}  // namespace
}  // namespace sluice::eventlog
