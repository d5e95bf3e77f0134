#include "eventlog/event_log.h"

#include <atomic>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/uuid.h"
#include "delta/write.h"
#include "engine/engine.h"

namespace sluice::eventlog {

std::string OriginJson(const Origin& origin) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  auto put = [&](const char* key, const std::string& value) {
    if (!value.empty()) json[key] = value;
  };
  put("pipeline_id", origin.pipeline_id);
  put("pipeline_name", origin.pipeline_name);
  put("update_id", origin.update_id);
  put("flow_id", origin.flow_id);
  put("flow_name", origin.flow_name);
  put("dataset_name", origin.dataset_name);
  if (origin.batch_id) json["batch_id"] = *origin.batch_id;
  return json.dump();
}

std::string ErrorJson(std::string_view class_name, std::string_view message, bool fatal) {
  nlohmann::ordered_json exception;
  exception["class_name"] = class_name;
  exception["message"] = message;
  nlohmann::ordered_json json;
  json["exceptions"] = nlohmann::ordered_json::array({exception});
  json["fatal"] = fatal;
  return json.dump();
}

EventLogWriter::EventLogWriter(delta::DeltaContext context, std::string table_root)
    : context_(context), table_root_(std::move(table_root)), instance_(NewUuid()) {}

void EventLogWriter::Add(Event event) {
  if (event.id.empty()) event.id = NewUuid();
  if (event.timestamp_us == 0) event.timestamp_us = context_.clock->NowMicros();
  std::lock_guard<std::mutex> lock(mutex_);
  buffer_.push_back(std::move(event));
  sequences_.push_back(next_sequence_++);
}

Status EventLogWriter::Flush() {
  std::vector<Event> events;
  std::vector<int64_t> sequences;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    events.swap(buffer_);
    sequences.swap(sequences_);
  }
  if (events.empty()) return Status::OK();
  // The rows go through an appender into a scratch table (fast for any number of events),
  // then into the Delta table in one commit.
  static std::atomic<int64_t> next_table{0};
  const std::string table = "__sluice_events_" + std::to_string(next_table++);
  engine::Connection& connection = *context_.connection;
  Status staged = connection.Execute(
      "CREATE TABLE " + table +
      " (id VARCHAR, sequence VARCHAR, origin VARCHAR, timestamp_us BIGINT, message VARCHAR, "
      "level VARCHAR, maturity_level VARCHAR, error VARCHAR, details VARCHAR, "
      "event_type VARCHAR)");
  if (staged.ok()) {
    auto appender = connection.MakeAppender(table);
    staged = appender.status();
    for (size_t i = 0; staged.ok() && i < events.size(); ++i) {
      const Event& e = events[i];
      nlohmann::ordered_json sequence;
      sequence["data_plane_id"] = {{"instance", instance_}, {"seq_no", sequences[i]}};
      sequence["control_plane_seq_no"] = sequences[i];
      const engine::Value values[] = {
          engine::Value::Text(e.id),
          engine::Value::Text(sequence.dump()),
          engine::Value::Text(OriginJson(e.origin)),
          engine::Value::Int(e.timestamp_us),
          engine::Value::Text(e.message),
          engine::Value::Text(e.level),
          engine::Value::Text(e.maturity_level),
          e.error_json ? engine::Value::Text(*e.error_json) : engine::Value::Null(),
          engine::Value::Text(e.details_json),
          engine::Value::Text(e.event_type)};
      for (const engine::Value& value : values) {
        if (staged.ok()) staged = (*appender)->Append(value);
      }
      if (staged.ok()) staged = (*appender)->EndRow();
    }
    if (staged.ok()) staged = (*appender)->Close();
  }
  Result<delta::WriteResult> written = delta::WriteResult{};
  if (!staged.ok()) written = staged;
  if (staged.ok()) {
    delta::WriteOptions options;
    options.mode = delta::WriteMode::kAppend;
    options.table_name = "event_log";
    options.description = "The pipeline's event log";
    options.operation = "WRITE";
    written = delta::WriteTable(
        context_, table_root_,
        "SELECT id, sequence, origin, make_timestamp(timestamp_us) AS \"timestamp\", message, "
        "level, maturity_level, error, details, event_type FROM " +
            table,
        options);
  }
  (void)connection.Execute("DROP TABLE IF EXISTS " + table);
  if (!written.ok()) {
    // Keep the events for the next flush.
    std::lock_guard<std::mutex> lock(mutex_);
    events.insert(events.end(), buffer_.begin(), buffer_.end());
    sequences.insert(sequences.end(), sequences_.begin(), sequences_.end());
    buffer_.swap(events);
    sequences_.swap(sequences);
    return written.status();
  }
  return Status::OK();
}

}  // namespace sluice::eventlog
