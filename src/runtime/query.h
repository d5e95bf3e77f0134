// Ad-hoc queries over a pipeline's datasets: every table by name (its latest snapshot),
// views by their queries, `event_log`, and time travel with `name VERSION AS OF n` or
// `name TIMESTAMP AS OF 'ts'`. Spark SQL functions work as in pipeline queries.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"
#include "engine/engine.h"
#include "python/pipeline_files.h"
#include "runtime/flow_runner.h"

namespace sluice::runtime {

Result<engine::QueryResult> QueryPipeline(const RuntimeEnv& env, const std::string& sql);

// A Spark SQL query over what `sluice query` reads (the pipeline's tables and views, Delta
// paths, files), translated for the connection of `context`: its DuckDB SQL and columns.
// The scans it reads stay open until it is destroyed.
class PipelineQuery {
 public:
  // `file` names the query's source in error messages.
  static Result<std::unique_ptr<PipelineQuery>> Translate(const RuntimeEnv& env,
                                                          delta::DeltaContext& context,
                                                          const std::string& sql,
                                                          const std::string& file);
  ~PipelineQuery();
  const std::string& sql() const { return sql_; }
  const std::vector<spark::Column>& columns() const { return columns_; }

 private:
  struct Resolver;
  PipelineQuery() = default;
  std::unique_ptr<Resolver> resolver_;
  std::string sql_;
  std::vector<spark::Column> columns_;
};

// What Python code run during an update (a snapshot function) learns about the schemas of
// the DataFrames it builds: their queries are bound as `sluice query` binds them.
class UpdateSchemas : public python::SchemaOracle {
 public:
  explicit UpdateSchemas(const RuntimeEnv& env) : env_(env) {}
  Result<std::vector<spark::Column>> Describe(
      const std::string& query, bool streaming,
      const std::vector<std::pair<std::string, std::string>>& python_sources) override;
  Status FunctionDefined(const std::shared_ptr<python::PythonUdf>& udf) override;

 private:
  const RuntimeEnv& env_;
};

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
