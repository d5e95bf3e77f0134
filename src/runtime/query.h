// Ad-hoc queries over a pipeline's datasets: every table by name (its latest snapshot),
// views by their queries, `event_log`, and time travel with `name VERSION AS OF n` or
// `name TIMESTAMP AS OF 'ts'`. Spark SQL functions work as in pipeline queries.
#pragma once

#include <string>

#include "common/status.h"
#include "engine/engine.h"
#include "runtime/flow_runner.h"

namespace sluice::runtime {

Result<engine::QueryResult> QueryPipeline(const RuntimeEnv& env, const std::string& sql);

}  // namespace sluice::runtime
