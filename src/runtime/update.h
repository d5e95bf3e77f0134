// An update of a pipeline: select flows, reset what a full refresh resets, run flows in
// dependency order (independent ones in parallel), record everything in the event log.
//
// Flow states follow Databricks: QUEUED -> STARTING -> RUNNING -> COMPLETED | FAILED, or
// SKIPPED (an upstream flow failed), EXCLUDED (not selected), IDLE (continuous mode,
// nothing new). A failed flow fails the update, but independent flows still complete.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/flow_runner.h"

namespace sluice::runtime {

struct UpdateRequest {
  bool full_refresh_all = false;
  std::vector<std::string> full_refresh;
  std::vector<std::string> refresh;
  std::vector<std::string> reset_checkpoint;
  bool continuous = false;
  const std::atomic<bool>* stop = nullptr;  // continuous mode ends when this becomes true
  int max_cycles = 0;                       // continuous mode: 0 = until stopped
  int max_parallel_flows = 4;
};

struct Progress {
  bool is_flow = false;
  std::string update_id;
  std::string flow;
  std::string dataset;
  std::string state;
  int64_t output_rows = 0;
  double seconds = 0;
  std::string message;
};

struct FlowResult {
  std::string flow;
  std::string dataset;
  std::string state;
  int64_t output_rows = 0;
  int64_t dropped_records = 0;
  std::vector<quality::RuleMetrics> metrics;
  double seconds = 0;
  std::string error;
};

struct UpdateResult {
  std::string update_id;
  std::string state;              // COMPLETED, FAILED, CANCELED
  std::vector<FlowResult> flows;  // per flow, summed over continuous cycles
  double seconds = 0;
  int cycles = 0;
};

// Runs an update. Errors are failures to start (another update holds the lock, unknown
// selections, unwritable storage); flow failures are in the result.
Result<UpdateResult> RunUpdate(const RuntimeEnv& env, const UpdateRequest& request,
                               const std::function<void(const Progress&)>& on_progress);

}  // namespace sluice::runtime
