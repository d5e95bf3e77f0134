#include "runtime/cloud_files_state.h"

#include <map>
#include <regex>

#include "common/strings.h"
#include "common/time_format.h"
#include "runtime/checkpoint.h"

namespace sluice::runtime {
namespace {

// The flows named by the argument: a flow, or every flow into a table of that name.
Result<std::vector<const graph::Flow*>> FlowsNamed(const graph::Graph& graph,
                                                   const std::string& name) {
  std::vector<const graph::Flow*> flows;
  for (const graph::Flow& flow : graph.flows()) {
    if (EqualsIgnoreCase(flow.name, name)) return std::vector<const graph::Flow*>{&flow};
  }
  for (const graph::Flow& flow : graph.flows()) {
    if (EqualsIgnoreCase(flow.target, name)) flows.push_back(&flow);
  }
  if (flows.empty()) {
    std::vector<std::string> names;
    for (const graph::Flow& flow : graph.flows()) names.push_back(flow.name);
    std::string message = "cloud_files_state: no flow or table named '" + name + "'";
    const std::string nearest = NearestName(name, names);
    if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
    return InvalidArgument(message);
  }
  return flows;
}

std::string TimestampLiteral(int64_t millis) {
  return "make_timestamp(" + std::to_string(millis) + " * 1000)::TIMESTAMPTZ";
}

Result<std::string> StateRelation(const RuntimeEnv& env, const std::string& name) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<const graph::Flow*> flows, FlowsNamed(*env.graph, name));
  std::vector<std::string> rows;
  for (const graph::Flow* flow : flows) {
    const std::string dir = CheckpointDir(*env.settings, flow->name);
    if (!env.fs->Exists(dir + "/metadata.json")) continue;
    SLUICE_ASSIGN_OR_RETURN(FlowCheckpoint checkpoint,
                            FlowCheckpoint::Open(*env.fs, dir, flow->name));
    // A batch's commit time is its commit marker's time, looked up once per batch.
    std::map<int64_t, std::string> commit_times;
    auto commit_time_of = [&](int64_t batch) -> const std::string& {
      auto it = commit_times.find(batch);
      if (it != commit_times.end()) return it->second;
      auto commit = env.fs->Stat(dir + "/commits/" + std::to_string(batch) + ".json");
      return commit_times[batch] =
                 commit.ok() ? TimestampLiteral(commit->modification_time_ms) : "NULL::TIMESTAMPTZ";
    };
    for (const auto& [key, files] : checkpoint.seen_files()) {
      const std::string source = StartsWith(key, "files:") ? key.substr(6) : key;
      for (const auto& [path, seen] : files) {
        const std::string& commit_time = commit_time_of(seen.batch_id);
        rows.push_back("(" + QuoteLiteral(path) + ", " + std::to_string(seen.file.size) +
                       "::BIGINT, " + TimestampLiteral(seen.file.modification_time_ms) + ", " +
                       commit_time + ", " + std::to_string(seen.batch_id) + "::BIGINT, " +
                       QuoteLiteral(flow->name) + ", " + QuoteLiteral(source) + ")");
      }
    }
  }
  const std::string columns = "path, size, create_time, commit_time, batch_id, flow, source";
  if (rows.empty()) {
    return std::string(
        "(SELECT NULL::VARCHAR AS path, NULL::BIGINT AS size, NULL::TIMESTAMPTZ AS "
        "create_time, NULL::TIMESTAMPTZ AS commit_time, NULL::BIGINT AS batch_id, "
        "NULL::VARCHAR AS flow, NULL::VARCHAR AS source WHERE false)");
  }
  return "(SELECT * FROM (VALUES " + Join(rows, ", ") + ") AS __state(" + columns + "))";
}

}  // namespace

Result<std::string> ExpandCloudFilesState(const RuntimeEnv& env, const std::string& sql) {
  static const std::regex kCall(
      R"(cloud_files_state\s*\(\s*(?:'([^']*)'|TABLE\s*\(\s*`?([A-Za-z0-9_.]+)`?\s*\))\s*\))",
      std::regex::icase);
  std::string out;
  auto begin = std::sregex_iterator(sql.begin(), sql.end(), kCall);
  size_t position = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& match = *it;
    std::string name = match[1].matched ? match[1].str() : match[2].str();
    if (const size_t dot = name.rfind('.'); dot != std::string::npos) name = name.substr(dot + 1);
    SLUICE_ASSIGN_OR_RETURN(std::string relation, StateRelation(env, name));
    out += sql.substr(position, match.position(0) - position) + relation;
    position = match.position(0) + match.length(0);
  }
  out += sql.substr(position);
  return out;
}

}  // namespace sluice::runtime
