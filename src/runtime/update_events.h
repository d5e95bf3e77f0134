// The events one update writes to the pipeline's event log (docs/event-log.md).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "eventlog/event_log.h"
#include "graph/graph.h"
#include "runtime/flow_runner.h"

namespace sluice::runtime {

struct UpdateRequest;

class UpdateEvents {
 public:
  UpdateEvents(const RuntimeEnv& env, engine::Connection& connection, std::string update_id);

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

 private:
  eventlog::Origin MakeOrigin(const graph::Flow* flow) const;
  std::string Redact(std::string text) const;
  void Add(std::string event_type, std::string level, std::string message, eventlog::Origin origin,
           std::string details, std::optional<std::string> error = std::nullopt);

  const RuntimeEnv& env_;
  std::string update_id_;
  std::unique_ptr<eventlog::EventLogWriter> writer_;
};

}  // namespace sluice::runtime
