// The pipeline event log: a Delta table (at <storage>/system/events) in the shape of
// Databricks' pipeline event log (docs/event-log.md). Columns, in order: id STRING,
// sequence STRING (JSON), origin STRING (JSON), timestamp TIMESTAMP (UTC), message STRING,
// level STRING, maturity_level STRING, error STRING (JSON or NULL), details STRING (JSON),
// event_type STRING. The JSON of `details` and `error` comes from eventlog/details.h.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/scan.h"
#include "delta/snapshot.h"
#include "eventlog/details.h"

namespace sluice::eventlog {

// Where an event comes from. Empty fields are left out of the JSON.
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
  std::string id;              // filled by the writer (a UUID) when empty
  std::string event_type;      // create_update, update_progress, flow_progress...
  std::string level = "INFO";  // INFO, WARN, ERROR, METRICS
  std::string maturity_level = "STABLE";
  int64_t timestamp_us = 0;  // microseconds since the epoch, UTC; filled when 0
  std::string message;
  Origin origin;
  std::string details_json;               // {"<event_type>": {...}}
  std::optional<std::string> error_json;  // ErrorJson(...), or NULL
};

// JSON text of an origin, in Databricks' field order (empty fields left out).
std::string OriginJson(const Origin& origin);

// Buffers events and appends them to the event log table, creating it on first use.
//
// Add is thread-safe and cheap. Each added event gets the next sequence number of this
// writer (`sequence.data_plane_id.seq_no`, from 0), a `control_plane_seq_no` that orders
// the events of successive writers too (the clock's microseconds at Add, made strictly
// increasing within the writer), and, when it has none, a timestamp that never decreases
// in sequence order.
//
// Flush appends everything buffered in one commit. Flushes are serialized, so commits
// hold sequence numbers in order; a failed flush keeps its events, ahead of newer ones,
// for the next flush. Flush runs on the context's connection: no other thread may use
// that connection meanwhile.
class EventLogWriter {
 public:
  // `pipeline_id` fills origin.pipeline_id of events that have none.
  EventLogWriter(delta::DeltaContext context, std::string table_root, std::string pipeline_id);
  EventLogWriter(delta::DeltaContext context, std::string table_root)
      : EventLogWriter(context, std::move(table_root), "") {}
  EventLogWriter(const EventLogWriter&) = delete;
  EventLogWriter& operator=(const EventLogWriter&) = delete;

  void Add(Event event);
  // Nothing buffered: no commit.
  Status Flush();

  // Events added but not yet written.
  size_t pending() const;
  const std::string& table_root() const { return table_root_; }

 private:
  struct Buffered {
    Event event;
    int64_t seq_no = 0;
    int64_t control_plane_seq_no = 0;
  };
  Status Write(const std::vector<Buffered>& events);

  const delta::DeltaContext context_;
  const std::string table_root_;
  const std::string pipeline_id_;
  const std::string instance_;  // sequence.data_plane_id.instance: this writer's UUID

  mutable std::mutex mutex_;  // guards the members below
  std::vector<Buffered> buffer_;
  int64_t next_seq_no_ = 0;
  int64_t last_control_plane_seq_no_ = 0;
  int64_t last_timestamp_us_ = 0;

  std::mutex flush_mutex_;  // held for a whole flush
  // Tables written before the event log's `timestamp` became a Delta `timestamp` have a
  // `timestamp_ntz` column; appends to them keep that type. Known after the first flush.
  std::optional<bool> timestamp_ntz_;
};

// A planned read of the event log's current snapshot (or of `version`): `plan.sql` is a
// relation of the table's columns, valid on the context's connection until
// ReleaseEventLogScan. The snapshot is kept alive because the plan points into it.
struct EventLogScan {
  delta::SnapshotPtr snapshot;
  delta::ScanPlan plan;
};

// NotFound("<root>: no event log yet ...") when the table does not exist (no update has
// flushed events); other errors as delta::LoadSnapshot and delta::PlanScan give them.
Result<EventLogScan> PlanEventLogScan(const delta::DeltaContext& context,
                                      const std::string& table_root,
                                      std::optional<int64_t> version = std::nullopt);
Status ReleaseEventLogScan(engine::Connection& connection, const EventLogScan& scan);

}  // namespace sluice::eventlog
