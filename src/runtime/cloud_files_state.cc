#include "runtime/cloud_files_state.h"

#include <map>

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

Result<std::string> CloudFilesStateRelation(const RuntimeEnv& env, const spark::Relation& call) {
  // cloud_files_state('flow') or cloud_files_state(TABLE(t)).
  std::string name;
  if (call.args.size() == 1) {
    const spark::Expr& arg = *call.args[0];
    if (arg.kind == spark::ExprKind::kLiteral && arg.literal.type.is(spark::TypeId::kString)) {
      name = arg.literal.text;
    } else if (arg.kind == spark::ExprKind::kFunction &&
               EqualsIgnoreCase(arg.parts.back(), "table") && arg.args.size() == 1 &&
               arg.args[0]->kind == spark::ExprKind::kColumn) {
      name = arg.args[0]->parts.back();
    }
  }
  if (name.empty()) {
    return InvalidArgument("cloud_files_state takes a flow name ('flow') or a table (TABLE(t))");
  }
  return StateRelation(env, name);
}

}  // namespace sluice::runtime
