// Loading a pipeline's definition: settings -> source files -> ${key} substitution ->
// parsed statements -> checked graph. Nothing is read but the settings and sources.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"
#include "graph/graph.h"
#include "io/file_system.h"
#include "python/udf.h"
#include "runtime/flow_runner.h"
#include "spark/translator.h"
#include "spec/settings.h"

namespace sluice::runtime {

struct LoadedPipeline {
  std::vector<std::string> sources;  // the source files read
  graph::Graph graph;
  std::vector<std::string> warnings;  // from running the Python files
  // The pipeline SQL each Python file compiled to: (file, text).
  std::vector<std::pair<std::string, std::string>> compiled;
  // The Python files' UDFs: registered on the database given to LoadPipeline; to use
  // another, register them there (python::PythonUdf::Register).
  std::vector<std::shared_ptr<python::PythonUdf>> udfs;
  // The callable sources of snapshot AUTO CDC flows, by lower-case flow name.
  std::map<std::string, std::shared_ptr<python::SnapshotFunction>> snapshot_functions;
};

// `database`, when given, binds what Python files ask to know while they run (the schema
// of a DataFrame); without one, a database is opened when a file first asks.
Result<LoadedPipeline> LoadPipeline(io::FileSystem& fs, const spec::PipelineSettings& settings,
                                    engine::Database* database = nullptr);

// Binds every flow's query and every expectation against the schemas its inputs would
// have, in dependency order, without reading or writing data. Flows whose file sources
// have no files yet cannot be bound and are left out (with their readers). Errors name
// the flow's file, line and column.
// With `skip_input_errors` (an update's analysis), a flow whose inputs fail to open (a file
// that cannot be read, a schema that grows) is left out with its readers, as one without
// files yet: its flow reports the error when it runs.
Status BindQueries(const RuntimeEnv& env, bool skip_input_errors = false);

struct BindOptions {
  bool skip_input_errors = false;  // as above
  bool save_memo = false;          // keep what bound for the next analysis
  // Expectations are checked too; describing a query needs only the columns it reads, so
  // an expectation in error is left for the pipeline's own analysis to report.
  bool check_expectations = true;
  // When given: the relation of every dataset that bound, by name, and why each dataset
  // that could not be bound was left out (its inputs have no files yet, ...).
  std::map<std::string, spark::BoundRelation>* relations = nullptr;
  std::map<std::string, std::string>* unbound = nullptr;
};
Status BindQueries(const RuntimeEnv& env, const BindOptions& options);

}  // namespace sluice::runtime
