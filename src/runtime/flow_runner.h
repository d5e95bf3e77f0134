// Runs one flow of an update: render its query, check its expectations, write its target,
// advance its checkpoint.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "engine/engine.h"
#include "graph/graph.h"
#include "io/file_system.h"
#include "python/snapshot_function.h"
#include "quality/expectations.h"
#include "runtime/stateful_stream.h"
#include "spec/settings.h"

namespace sluice::runtime {

// What every flow of an update shares. The database outlives the update.
struct RuntimeEnv {
  io::FileSystem* fs = nullptr;
  engine::Database* database = nullptr;
  const spec::PipelineSettings* settings = nullptr;
  const graph::Graph* graph = nullptr;
  Clock* clock = Clock::Real();
  // The Python functions that give snapshot AUTO CDC flows their snapshots, by lower-case
  // flow name (LoadedPipeline::snapshot_functions).
  const std::map<std::string, std::shared_ptr<python::SnapshotFunction>>* snapshot_functions =
      nullptr;
};

struct FlowOutcome;

struct FlowRequest {
  const graph::Flow* flow = nullptr;
  // The target was truncated by a full refresh in this update and this is its first write:
  // replace the table (and its schema) rather than append.
  bool replace_target = false;
  // Continuous mode: a flow with nothing new reports IDLE instead of COMPLETED.
  bool continuous = false;
  // Called after each streaming batch that leaves a backlog for later batches of the same
  // run, with that batch's rows, batch id and backlog (files_outstanding, ...).
  std::function<void(const FlowOutcome& batch)> on_batch;
};

struct FlowOutcome {
  std::string state = "COMPLETED";  // COMPLETED, FAILED or IDLE
  int64_t output_rows = 0;
  int64_t dropped_records = 0;
  std::vector<quality::RuleMetrics> metrics;  // warn and drop rules
  std::string error;
  std::optional<int64_t> batch_id;  // streaming flows: the batch written
  // AUTO CDC flows: change events applied as upserts and as deletes.
  std::optional<int64_t> upserted_rows;
  std::optional<int64_t> deleted_rows;
  // File sources: malformed records dropped (mode DROPMALFORMED), and what is left unread
  // after the last batch (set when the flow reads files).
  int64_t dropped_malformed = 0;
  std::optional<int64_t> files_outstanding;
  std::optional<int64_t> bytes_outstanding;
  // Kafka sources: offsets left unread after the last batch (maxOffsetsPerTrigger), and
  // offsets found gone from Kafka and skipped (failOnDataLoss false).
  std::optional<int64_t> records_outstanding;
  int64_t lost_offsets = 0;
  int64_t table_version = -1;  // the target's version after the write, -1 if none
  bool wrote = false;          // a commit was made
  bool up_to_date = false;     // a materialized view whose inputs had not changed
  // Materialized views that were refreshed: how (Databricks' maintenance types,
  // MAINTENANCE_TYPE_ROW_BASED or MAINTENANCE_TYPE_COMPLETE_RECOMPUTE) and, for a complete
  // recompute, why not incrementally (an issue type; docs/event-log.md).
  std::string maintenance_type;
  std::string incrementalization_issue;
  // Flows with a stateful operator (watermarks, windows, deduplication): its metrics.
  std::optional<StatefulMetrics> stateful;
};

// Adds the outcome of one batch (`part`) to that of the flow's update so far; the first
// batch's is taken as it is. A batch that read nothing changes only the state.
void MergeBatchOutcome(const FlowOutcome& part, FlowOutcome& outcome, bool first);
// The metrics of a batch of two chained stateful operators (a join of two streams, then an
// aggregation of its rows): the first's watermark, the sums of the rest.
StatefulMetrics AddOperatorMetrics(const StatefulMetrics& first, const StatefulMetrics& second);
// Adds the expectation metrics of one batch to those of the batches before it.
void AddRuleMetrics(const std::vector<quality::RuleMetrics>& part,
                    std::vector<quality::RuleMetrics>& total);

// Runs the flow; errors of the flow itself (bad query, failed expectation, unreadable
// input) come back as a FAILED outcome with the message.
FlowOutcome RunFlow(const RuntimeEnv& env, const FlowRequest& request,
                    const std::function<void(const std::string& state)>& on_state);

// The folder of a flow's checkpoint.
std::string CheckpointDir(const spec::PipelineSettings& settings, const std::string& flow);

// Installs the Spark functions translated queries call (spark_functions.h) in `database`;
// once, before any flow runs.
Status InstallSparkCompat(engine::Database& database);

}  // namespace sluice::runtime
