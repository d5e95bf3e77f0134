// Kafka sinks (docs/kafka.md#sinks): the rows of a batch written as Kafka records, with
// Spark's Kafka sink columns: value (STRING or BINARY, required), key, topic (unless the
// sink's `topic` option names it), partition and headers. Each record also carries the
// headers sluice.flow and sluice.batch_id. Writes are at least once: a batch is committed
// to the checkpoint after the cluster acknowledged every record, so a crash before that
// writes the batch again.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "engine/engine.h"
#include "graph/graph.h"

namespace sluice::runtime {

// Writes the rows of `rows_sql` to `sink` and returns how many it wrote.
Result<int64_t> WriteKafkaSink(engine::Connection& connection, const graph::Dataset& sink,
                               const std::string& rows_sql, const std::string& flow,
                               int64_t batch_id);

}  // namespace sluice::runtime
