// The pipeline event log: a Delta table at <storage>/system/events in Databricks' shape
// (docs/event-log.md). Columns: id, sequence (JSON), origin (JSON), timestamp (UTC),
// message, level, maturity_level, error (JSON or NULL), details (JSON), event_type.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::eventlog {

struct Origin {
  std::string pipeline_id;
  std::string pipeline_name;
  std::string update_id;
  std::string flow_id;
  std::string flow_name;
  std::string dataset_name;
  std::optional<int64_t> batch_id;
};

struct Event {
  std::string id;  // filled by the writer when empty
  std::string event_type;
  std::string level = "INFO";  // INFO, WARN, ERROR, METRICS
  std::string maturity_level = "STABLE";
  int64_t timestamp_us = 0;  // filled by the writer when 0
  std::string message;
  Origin origin;
  std::string details_json;
  std::optional<std::string> error_json;
};

// Buffers events and appends them to the event log table, creating it on first use.
// Add may be called from several threads; events keep the order of Add in `sequence`.
class EventLogWriter {
 public:
  EventLogWriter(delta::DeltaContext context, std::string table_root);

  void Add(Event event);
  // Appends every buffered event in one commit (nothing when the buffer is empty). The
  // context's connection must not be used by another thread meanwhile.
  Status Flush();

 private:
  delta::DeltaContext context_;
  std::string table_root_;
  std::string instance_;  // data_plane_id.instance of this writer
  std::mutex mutex_;
  std::vector<Event> buffer_;
  int64_t next_sequence_ = 0;
  std::vector<int64_t> sequences_;
};

// JSON text of `origin` (empty fields left out).
std::string OriginJson(const Origin& origin);
// {"exceptions": [{"class_name": ..., "message": ...}], "fatal": ...}
std::string ErrorJson(std::string_view class_name, std::string_view message, bool fatal);

}  // namespace sluice::eventlog
