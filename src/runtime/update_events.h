// The events one update writes to the pipeline's event log (docs/event-log.md).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "eventlog/event_log.h"
#include "graph/graph.h"
#include "runtime/flow_runner.h"

namespace sluice::runtime {

struct UpdateRequest;

class UpdateEvents {
 public:
  UpdateEvents(const RuntimeEnv& env, engine::Connection& connection, std::string update_id);
  UpdateEvents(const UpdateEvents&) = delete;
  UpdateEvents& operator=(const UpdateEvents&) = delete;
  ~UpdateEvents();

  void CreateUpdate(const UpdateRequest& request);
  void UpdateProgress(std::string_view state, std::string_view message = "");
  void DatasetDefinition(const graph::Dataset& dataset);
  void FlowDefinition(const graph::Flow& flow);
  // A flow's state change; `outcome` carries metrics for terminal states.
  void FlowProgress(const graph::Flow& flow, std::string_view status, const FlowOutcome* outcome);
  void Warning(std::string_view message, const graph::Flow* flow = nullptr);
  // How a materialized view was refreshed: incrementally or in full, and why.
  void PlanningInformation(const graph::Flow& flow, const FlowOutcome& outcome);

  // Appends the buffered events to the event log table (one commit).
  Status Flush();

  // From now on, a background thread appends buffered events every `interval` while
  // there are any, so that readers of the event log (the web UI, a query in another
  // process) follow a running update within about that long. An update that ends within
  // `interval` still writes its events in one commit. A failed background flush keeps
  // its events for the next flush, whose status the update reports.
  void StartPeriodicFlush(std::chrono::milliseconds interval);
  // Stops and joins the background thread; idempotent. The destructor calls it.
  void StopPeriodicFlush();

 private:
  eventlog::Origin MakeOrigin(const graph::Flow* flow) const;
  std::string Redact(std::string text) const;
  void Add(std::string event_type, std::string level, std::string message, eventlog::Origin origin,
           std::string details, std::optional<std::string> error = std::nullopt);

  const RuntimeEnv& env_;
  std::string update_id_;
  std::unique_ptr<eventlog::EventLogWriter> writer_;

  std::mutex flusher_mutex_;  // guards stop_flusher_
  std::condition_variable flusher_wake_;
  bool stop_flusher_ = false;
  std::thread flusher_;
};

}  // namespace sluice::runtime
