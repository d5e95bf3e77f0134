// Ad-hoc queries over a pipeline's datasets: every table by name (its latest snapshot),
// views by their queries, `event_log`, and time travel with `name VERSION AS OF n` or
// `name TIMESTAMP AS OF 'ts'`. Spark SQL functions work as in pipeline queries.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/status.h"
#include "engine/engine.h"
#include "runtime/flow_runner.h"

namespace sluice::runtime {

Result<engine::QueryResult> QueryPipeline(const RuntimeEnv& env, const std::string& sql);

// Events of the event log in order, optionally of one update ("latest" for the last one) and
// one type, at most `limit`: timestamp, event_type, level, message, details, error, origin
// and id, with details, error and origin as their JSON text.
struct EventFilter {
  std::string update;
  std::string type;
  std::optional<int64_t> limit;
};
Result<engine::QueryResult> ReadEvents(const RuntimeEnv& env, const EventFilter& filter);

// The pipeline configuration the last update recorded (its create_update event), or an
// empty map when there is no update yet.
Result<std::map<std::string, std::string>> LastUpdateConfiguration(
    io::FileSystem& fs, engine::Database& database, const spec::PipelineSettings& settings);

}  // namespace sluice::runtime
