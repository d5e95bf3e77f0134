// Adding up the batches of one flow's update, and the stateful operators of one batch
// (flow_runner.h).
#include <algorithm>

#include "runtime/flow_runner.h"

namespace sluice::runtime {

void AddRuleMetrics(const std::vector<quality::RuleMetrics>& part,
                    std::vector<quality::RuleMetrics>& total) {
  for (const quality::RuleMetrics& metrics : part) {
    auto it = std::find_if(total.begin(), total.end(),
                           [&](const quality::RuleMetrics& m) { return m.name == metrics.name; });
    if (it == total.end()) {
      total.push_back(metrics);
    } else {
      it->passed_records += metrics.passed_records;
      it->failed_records += metrics.failed_records;
    }
  }
}

void MergeBatchOutcome(const FlowOutcome& part, FlowOutcome& outcome, bool first) {
  if (first) {
    outcome = part;
    return;
  }
  outcome.state = part.state == "IDLE" ? outcome.state : part.state;
  if (part.state == "IDLE" || part.state == "COMPLETED") return;  // nothing read
  outcome.output_rows += part.output_rows;
  outcome.dropped_records += part.dropped_records;
  outcome.dropped_malformed += part.dropped_malformed;
  AddRuleMetrics(part.metrics, outcome.metrics);
  if (part.upserted_rows)
    outcome.upserted_rows = outcome.upserted_rows.value_or(0) + *part.upserted_rows;
  if (part.deleted_rows)
    outcome.deleted_rows = outcome.deleted_rows.value_or(0) + *part.deleted_rows;
  outcome.batch_id = part.batch_id;
  outcome.wrote = outcome.wrote || part.wrote;
  if (part.table_version >= 0) outcome.table_version = part.table_version;
  if (part.stateful) {
    StatefulMetrics total = outcome.stateful.value_or(StatefulMetrics{});
    total.watermark_ms = part.stateful->watermark_ms;
    total.state_rows = part.stateful->state_rows;
    total.state_bytes = part.stateful->state_bytes;
    total.late_rows += part.stateful->late_rows;
    total.state_time_ms += part.stateful->state_time_ms;
    total.rows_added += part.stateful->rows_added;
    total.rows_evicted += part.stateful->rows_evicted;
    outcome.stateful = total;
  }
}

StatefulMetrics AddOperatorMetrics(const StatefulMetrics& first, const StatefulMetrics& second) {
  StatefulMetrics total = first;  // the first operator's watermark is the flow's
  total.state_rows += second.state_rows;
  total.state_bytes += second.state_bytes;
  total.late_rows += second.late_rows;
  total.state_time_ms += second.state_time_ms;
  total.rows_added += second.rows_added;
  total.rows_evicted += second.rows_evicted;
  return total;
}

}  // namespace sluice::runtime
