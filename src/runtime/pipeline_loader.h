// Loading a pipeline's definition: settings -> source files -> ${key} substitution ->
// parsed statements -> checked graph. Nothing is read but the settings and sources.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "graph/graph.h"
#include "io/file_system.h"
#include "runtime/flow_runner.h"
#include "spec/settings.h"

namespace sluice::runtime {

struct LoadedPipeline {
  std::vector<std::string> sources;  // the source files read
  graph::Graph graph;
};

Result<LoadedPipeline> LoadPipeline(io::FileSystem& fs, const spec::PipelineSettings& settings);

// Binds every flow's query and every expectation against the schemas its inputs would
// have, in dependency order, without reading or writing data. Flows whose file sources
// have no files yet cannot be bound and are left out (with their readers). Errors name
// the flow's file, line and column.
// With `skip_input_errors` (an update's analysis), a flow whose inputs fail to open (a file
// that cannot be read, a schema that grows) is left out with its readers, as one without
// files yet: its flow reports the error when it runs.
Status BindQueries(const RuntimeEnv& env, bool skip_input_errors = false);

}  // namespace sluice::runtime
