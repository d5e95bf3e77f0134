#include "eventlog/event_log.h"

#include <algorithm>
#include <atomic>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/uuid.h"
#include "delta/write.h"
#include "engine/engine.h"

namespace sluice::eventlog {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string SequenceJson(const std::string& instance, int64_t seq_no,
                         int64_t control_plane_seq_no) {
  Json data_plane = Json::object();
  data_plane["instance"] = instance;
  data_plane["seq_no"] = seq_no;
  Json json = Json::object();
  json["data_plane_id"] = std::move(data_plane);
  json["control_plane_seq_no"] = control_plane_seq_no;
  return Dump(json);
}

// The staging table's columns: the event log's, with the time as microseconds.
constexpr const char* kStagingColumns =
    "id VARCHAR, sequence VARCHAR, origin VARCHAR, timestamp_us BIGINT, message VARCHAR, "
    "level VARCHAR, maturity_level VARCHAR, error VARCHAR, details VARCHAR, event_type VARCHAR";

}  // namespace

std::string OriginJson(const Origin& origin) {
  Json json = Json::object();
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) json[key] = value;
  };
  put("pipeline_id", origin.pipeline_id);
  put("pipeline_name", origin.pipeline_name);
  put("update_id", origin.update_id);
  put("dataset_name", origin.dataset_name);
  put("flow_id", origin.flow_id);
  put("flow_name", origin.flow_name);
  if (origin.batch_id) json["batch_id"] = *origin.batch_id;
  return Dump(json);
}

EventLogWriter::EventLogWriter(delta::DeltaContext context, std::string table_root,
                               std::string pipeline_id)
    : context_(context),
      table_root_(std::move(table_root)),
      pipeline_id_(std::move(pipeline_id)),
      instance_(NewUuid()) {}

void EventLogWriter::Add(Event event) {
  if (event.id.empty()) event.id = NewUuid();
  if (event.origin.pipeline_id.empty()) event.origin.pipeline_id = pipeline_id_;
  const int64_t now = context_.clock->NowMicros();
  std::lock_guard<std::mutex> lock(mutex_);
  if (event.timestamp_us == 0) event.timestamp_us = std::max(now, last_timestamp_us_);
  last_timestamp_us_ = std::max(last_timestamp_us_, event.timestamp_us);
  last_control_plane_seq_no_ = std::max(now, last_control_plane_seq_no_ + 1);
  buffer_.push_back(Buffered{std::move(event), next_seq_no_++, last_control_plane_seq_no_});
}

size_t EventLogWriter::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buffer_.size();
}

Status EventLogWriter::Flush() {
  std::lock_guard<std::mutex> flush_lock(flush_mutex_);
  std::vector<Buffered> events;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events.swap(buffer_);
  }
  if (events.empty()) return Status::OK();
  Status written = Write(events);
  if (!written.ok()) {
    // Keep the events, ahead of those added meanwhile, for the next flush.
    std::lock_guard<std::mutex> lock(mutex_);
    events.insert(events.end(), std::make_move_iterator(buffer_.begin()),
                  std::make_move_iterator(buffer_.end()));
    buffer_.swap(events);
  }
  return written;
}

Status EventLogWriter::Write(const std::vector<Buffered>& events) {
  engine::Connection& connection = *context_.connection;
  if (!timestamp_ntz_) {
    auto snapshot = delta::LoadSnapshot(context_, table_root_);
    if (!snapshot.ok() && !snapshot.status().IsNotFound()) return snapshot.status();
    bool ntz = false;
    if (snapshot.ok() && (*snapshot)->schema() != nullptr) {
      const delta::StructField* field = (*snapshot)->schema()->Find("timestamp");
      ntz = field != nullptr && field->type->kind() == delta::TypeKind::kTimestampNtz;
    }
    timestamp_ntz_ = ntz;
  }

  // The rows go through an appender into a temporary table (fast for any number of
  // events, no SQL text to escape), then into the Delta table in one commit.
  static std::atomic<int64_t> next_table{0};
  const std::string table = "__sluice_events_" + std::to_string(next_table++);
  SLUICE_RETURN_IF_ERROR(
      connection.Execute("CREATE TEMP TABLE " + table + " (" + kStagingColumns + ")"));
  auto stage = [&]() -> Status {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Appender> appender,
                            connection.MakeAppender(table));
    for (const Buffered& buffered : events) {
      const Event& e = buffered.event;
      const engine::Value values[] = {
          engine::Value::Text(e.id),
          engine::Value::Text(
              SequenceJson(instance_, buffered.seq_no, buffered.control_plane_seq_no)),
          engine::Value::Text(OriginJson(e.origin)),
          engine::Value::Int(e.timestamp_us),
          engine::Value::Text(e.message),
          engine::Value::Text(e.level),
          engine::Value::Text(e.maturity_level),
          e.error_json ? engine::Value::Text(*e.error_json) : engine::Value::Null(),
          engine::Value::Text(e.details_json),
          engine::Value::Text(e.event_type)};
      for (const engine::Value& value : values) SLUICE_RETURN_IF_ERROR(appender->Append(value));
      SLUICE_RETURN_IF_ERROR(appender->EndRow());
    }
    return appender->Close();
  };
  Status status = stage();
  if (status.ok()) {
    // A Delta `timestamp` is an instant in UTC (DuckDB TIMESTAMP WITH TIME ZONE), as in
    // Databricks' event log, and needs no table feature.
    const std::string time = *timestamp_ntz_ ? "make_timestamp(timestamp_us)"
                                             : "timezone('UTC', make_timestamp(timestamp_us))";
    delta::WriteOptions options;
    options.mode = delta::WriteMode::kAppend;
    options.table_name = "event_log";
    options.description = "The pipeline's event log";
    options.operation = "WRITE";
    status = delta::WriteTable(context_, table_root_,
                               "SELECT id, sequence, origin, " + time +
                                   " AS \"timestamp\", message, level, maturity_level, error, "
                                   "details, event_type FROM " +
                                   table,
                               options)
                 .status();
  }
  (void)connection.Execute("DROP TABLE IF EXISTS " + table);
  if (!status.ok()) return status.WithContext("event log " + table_root_);
  return Status::OK();
}

Result<EventLogScan> PlanEventLogScan(const delta::DeltaContext& context,
                                      const std::string& table_root,
                                      std::optional<int64_t> version) {
  auto snapshot = delta::LoadSnapshot(context, table_root, version);
  if (!snapshot.ok()) {
    if (snapshot.status().IsNotFound() && !version) {
      return NotFound(table_root, ": no event log yet (no update has written events)");
    }
    return snapshot.status();
  }
  EventLogScan scan;
  scan.snapshot = std::move(*snapshot);
  SLUICE_ASSIGN_OR_RETURN(scan.plan, delta::PlanScan(context, *scan.snapshot));
  return scan;
}

Status ReleaseEventLogScan(engine::Connection& connection, const EventLogScan& scan) {
  return delta::ReleaseScan(connection, scan.plan);
}

}  // namespace sluice::eventlog
