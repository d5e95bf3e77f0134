#include "runtime/stateful_operators.h"

#include <map>

#include "runtime/flow_runner.h"
#include "spark/stateful_operator.h"

namespace sluice::runtime {

Result<StatefulOperators> StatefulOperators::Make(const graph::Graph& graph,
                                                  const graph::Flow& flow,
                                                  const std::string& checkpoint_dir,
                                                  const spec::PipelineSettings& settings) {
  StatefulOperators chain;
  if (flow.once || flow.cdc || flow.query.parsed == nullptr) return chain;
  SLUICE_ASSIGN_OR_RETURN(spark::StatefulOperator op,
                          spark::FindStatefulOperator(*flow.query.parsed));
  if (op.kind == spark::StatefulOperator::Kind::kNone) return chain;
  std::map<std::string, std::string> conf = settings.configuration;
  for (const auto& [key, value] : flow.conf) conf[key] = value;
  if (op.kind == spark::StatefulOperator::Kind::kJoin || op.over_join) {
    SLUICE_ASSIGN_OR_RETURN(chain.join_, StreamingJoin::Make(flow, op, checkpoint_dir, conf));
  }
  if (op.kind != spark::StatefulOperator::Kind::kJoin) {
    // Over a join, the aggregation is the flow's second operator and reads its rows.
    SLUICE_ASSIGN_OR_RETURN(chain.aggregation_,
                            StatefulStream::Make(flow, op, checkpoint_dir, conf,
                                                 !op.over_join && ReadsTheSameEachTime(graph, flow),
                                                 op.over_join ? 1 : 0));
  }
  return chain;
}

Result<std::string> StatefulOperators::RenderInput(InputRenderer& renderer) {
  if (!join_) return aggregation_->RenderInput(renderer);
  SLUICE_ASSIGN_OR_RETURN(std::string rendered, join_->RenderInput(renderer));
  if (!aggregation_) return rendered;
  return aggregation_->RenderInput(renderer);
}

Result<std::string> StatefulOperators::Apply(InputRenderer& renderer,
                                             engine::Connection& connection, io::FileSystem& fs,
                                             int64_t batch_id, StatefulMetrics* metrics,
                                             std::string* late_sql) {
  if (!join_) return aggregation_->Apply(renderer, connection, fs, batch_id, metrics, late_sql);
  StatefulMetrics joined;
  SLUICE_ASSIGN_OR_RETURN(std::string rows,
                          join_->Apply(renderer, connection, fs, batch_id, &joined, late_sql));
  if (!aggregation_) {
    *metrics = joined;
    return rows;
  }
  const auto [old_ms, new_ms] = join_->batch_watermarks_ms();
  SLUICE_RETURN_IF_ERROR(aggregation_->ReadJoinOutput(renderer, rows,
                                                      join_->OutputWatermarkMs(old_ms) * 1000,
                                                      join_->OutputWatermarkMs(new_ms) * 1000));
  StatefulMetrics aggregated;
  SLUICE_ASSIGN_OR_RETURN(std::string output, aggregation_->Apply(renderer, connection, fs,
                                                                  batch_id, &aggregated, nullptr));
  *metrics = AddOperatorMetrics(joined, aggregated);
  return output;
}

Result<StatefulMetrics> StatefulOperators::CommittedMetrics(io::FileSystem& fs,
                                                            int64_t batch_id) const {
  if (!join_) return aggregation_->CommittedMetrics(fs, batch_id);
  SLUICE_ASSIGN_OR_RETURN(StatefulMetrics joined, join_->CommittedMetrics(fs, batch_id));
  if (!aggregation_) return joined;
  SLUICE_ASSIGN_OR_RETURN(StatefulMetrics aggregated, aggregation_->CommittedMetrics(fs, batch_id));
  return AddOperatorMetrics(joined, aggregated);
}

}  // namespace sluice::runtime
