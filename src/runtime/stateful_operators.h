// The stateful operators of one streaming flow, run as a chain: a join of two streams
// (streaming_join.h), an aggregation, distinct or deduplication (stateful_stream.h), or a
// join whose output rows an aggregation reads. Each operator keeps its own state in the
// flow's checkpoint folder; the chain gives the flow one batch's output rows and metrics.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "engine/engine.h"
#include "graph/graph.h"
#include "io/file_system.h"
#include "runtime/inputs.h"
#include "runtime/stateful_stream.h"
#include "runtime/streaming_join.h"
#include "spec/settings.h"

namespace sluice::runtime {

class StatefulOperators {
 public:
  // The operators of `flow`'s query (none for a stateless query, a once flow or AUTO CDC),
  // with state under `checkpoint_dir`.
  static Result<StatefulOperators> Make(const graph::Graph& graph, const graph::Flow& flow,
                                        const std::string& checkpoint_dir,
                                        const spec::PipelineSettings& settings);

  bool empty() const { return !join_ && !aggregation_; }

  // The SQL of the batch's input rows as the chain reads them (the operators' RenderInput);
  // call only when !empty().
  Result<std::string> RenderInput(InputRenderer& renderer);

  // Runs the batch through the chain, each operator's state version committed before the
  // flow's rows; returns the SQL of the rows the batch appends. The aggregation after a
  // join reads the join's rows with the join's output watermark: the one before the batch
  // for late rows, the one after it for the windows it closes. `late_sql` (when not null)
  // receives the SQL of the rows dropped as late by the first operator.
  Result<std::string> Apply(InputRenderer& renderer, engine::Connection& connection,
                            io::FileSystem& fs, int64_t batch_id, StatefulMetrics* metrics,
                            std::string* late_sql);

  // The metrics of batch `batch_id` as its committed state versions recorded them (for a
  // batch whose update crashed after committing).
  Result<StatefulMetrics> CommittedMetrics(io::FileSystem& fs, int64_t batch_id) const;

 private:
  std::unique_ptr<StreamingJoin> join_;
  std::unique_ptr<StatefulStream> aggregation_;
};

}  // namespace sluice::runtime
