#include "common/strings.h"
#include "graph/graph.h"
#include "sql/diagnostics.h"

namespace sluice::graph {
namespace {

// The dataset named `name` (case-insensitive), or an error with a hint.
Result<const Dataset*> SelectedDataset(const Graph& graph, const std::string& name,
                                       std::string_view option) {
  const Dataset* dataset = graph.FindDataset(Trim(name));
  if (dataset != nullptr) return dataset;
  std::vector<std::string> names;
  for (const Dataset& candidate : graph.datasets()) names.push_back(candidate.name());
  std::string message = std::string(option) + ": the pipeline has no dataset '" + Trim(name) + "'";
  const std::string nearest = sql::NearestName(Trim(name), names);
  if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
  return InvalidArgument(message);
}

}  // namespace

Result<Selection> SelectFlows(const Graph& graph, bool full_refresh_all,
                              const std::vector<std::string>& full_refresh,
                              const std::vector<std::string>& refresh) {
  if (full_refresh_all && (!full_refresh.empty() || !refresh.empty())) {
    return InvalidArgument(
        "--full-refresh-all cannot be combined with --full-refresh or --refresh");
  }
  Selection selection;
  if (full_refresh.empty() && refresh.empty()) {
    for (const Flow& flow : graph.flows()) selection.run.insert(flow.name);
    if (full_refresh_all) {
      for (const Dataset& dataset : graph.datasets()) {
        if (dataset.is_stored()) selection.full_refresh.insert(dataset.name());
      }
    }
    return selection;
  }
  std::set<std::string> selected;
  for (const std::string& name : full_refresh) {
    SLUICE_ASSIGN_OR_RETURN(const Dataset* dataset, SelectedDataset(graph, name, "--full-refresh"));
    if (!dataset->is_stored()) {
      return InvalidArgument("--full-refresh: '" + dataset->name() +
                             "' is a view; only tables and sinks can be refreshed");
    }
    selection.full_refresh.insert(dataset->name());
    selected.insert(dataset->name());
  }
  for (const std::string& name : refresh) {
    SLUICE_ASSIGN_OR_RETURN(const Dataset* dataset, SelectedDataset(graph, name, "--refresh"));
    if (!dataset->is_stored()) {
      return InvalidArgument("--refresh: '" + dataset->name() +
                             "' is a view; only tables and sinks can be refreshed");
    }
    selected.insert(dataset->name());
  }
  for (const Flow& flow : graph.flows()) {
    if (selected.count(flow.target)) {
      selection.run.insert(flow.name);
    } else {
      selection.excluded.insert(flow.name);
    }
  }
  return selection;
}

}  // namespace sluice::graph
