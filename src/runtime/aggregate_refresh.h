// Refreshing an aggregate materialized view from what its source appended
// (incremental_aggregate.h says which views qualify and how rows are merged).
//
// The view's flow keeps a streaming checkpoint over its source (checkpoints/<flow>/):
// the first refresh reads the whole source and records the version read; later ones read
// only the files committed since, aggregate them and merge them with the view's current
// rows. count(DISTINCT) state lives beside it in state/<batch>-<column>.parquet, and
// aggregate.json records which view version and definition the state belongs to.
//
// Anything unexpected (a changed definition, a view written by someone else, a source
// that changed rows other than by appending or was replaced, a crash between the view's
// commit and the checkpoint's) makes the refresh start over from the whole source, so the
// view is always what a full recompute would give.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "delta/snapshot.h"
#include "graph/graph.h"
#include "spec/settings.h"

namespace sluice::runtime {

struct AggregateRefresh {
  const delta::DeltaContext* context = nullptr;
  const graph::Graph* graph = nullptr;
  const spec::PipelineSettings* settings = nullptr;
  const graph::Flow* flow = nullptr;
  std::string checkpoint_dir;
  std::string table_path;
  std::string definition;  // the view's definition: a change starts over
  bool replace_target = false;
  // Checks the expectations of the view's rows given by `sql` and replaces the view's
  // contents with them; returns the table version written.
  std::function<Result<int64_t>(const std::string& sql)> write;
};

struct AggregateRefreshResult {
  bool handled = false;      // false: the view does not qualify; recompute it as usual
  bool incremental = false;  // merged new rows into the current ones (not a full read)
  int64_t table_version = -1;
  // Why the view was not refreshed incrementally (an issue type of the planning_information
  // event, docs/event-log.md), empty when it was.
  std::string issue;
};

Result<AggregateRefreshResult> RefreshAggregateView(const AggregateRefresh& request);

}  // namespace sluice::runtime
