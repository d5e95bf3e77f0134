#include "runtime/cloud_files_state.h"

#include <map>

#include "common/strings.h"
#include "common/time_format.h"
#include "runtime/checkpoint.h"

namespace sluice::runtime {
namespace {

// The flows named by the argument of `function`: a flow, or every flow into a table of that
// name.
Result<std::vector<const graph::Flow*>> FlowsNamed(const graph::Graph& graph,
                                                   const std::string& function,
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
    std::string message = function + ": no flow or table named '" + name + "'";
    const std::string nearest = NearestName(name, names);
    if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
    return InvalidArgument(message);
  }
  return flows;
}

std::string TimestampLiteral(int64_t millis) {
  return "make_timestamp(" + std::to_string(millis) + " * 1000)::TIMESTAMPTZ";
}

// The flow or table name a call names: 'flow' or TABLE(t).
Result<std::string> NameArgument(const spark::Relation& call, const std::string& function) {
  if (call.args.size() == 1) {
    const spark::Expr& arg = *call.args[0];
    if (arg.kind == spark::ExprKind::kLiteral && arg.literal.type.is(spark::TypeId::kString)) {
      return arg.literal.text;
    }
    if (arg.kind == spark::ExprKind::kFunction && EqualsIgnoreCase(arg.parts.back(), "table") &&
        arg.args.size() == 1 && arg.args[0]->kind == spark::ExprKind::kColumn) {
      return arg.args[0]->parts.back();
    }
  }
  return InvalidArgument(function + " takes a flow name ('flow') or a table (TABLE(t))");
}

// A parenthesized query of `rows` (VALUES tuples) with `columns`, or of none when empty
// (`empty` then gives the typed columns).
std::string ValuesRelation(const std::vector<std::string>& rows, const std::string& columns,
                           const std::string& empty) {
  if (rows.empty()) return "(SELECT " + empty + " WHERE false)";
  return "(SELECT * FROM (VALUES " + Join(rows, ", ") + ") AS __state(" + columns + "))";
}

std::string IntOrNull(std::optional<int64_t> value) {
  return value ? std::to_string(*value) + "::BIGINT" : "NULL::BIGINT";
}

std::string TextOrNull(const std::optional<std::string>& value) {
  return value ? QuoteLiteral(*value) : "NULL::VARCHAR";
}

struct NamedCheckpoint {
  const graph::Flow* flow;
  std::string dir;
  FlowCheckpoint checkpoint;
};

// The checkpoints of the flows `function`'s argument names (flows without one are left out).
Result<std::vector<NamedCheckpoint>> CheckpointsNamed(const RuntimeEnv& env,
                                                      const std::string& function,
                                                      const std::string& name) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<const graph::Flow*> flows,
                          FlowsNamed(*env.graph, function, name));
  std::vector<NamedCheckpoint> out;
  for (const graph::Flow* flow : flows) {
    std::string dir = CheckpointDir(*env.settings, flow->name);
    if (!env.fs->Exists(dir + "/metadata.json")) continue;
    SLUICE_ASSIGN_OR_RETURN(FlowCheckpoint checkpoint,
                            FlowCheckpoint::Open(*env.fs, dir, flow->name));
    out.push_back({flow, std::move(dir), std::move(checkpoint)});
  }
  return out;
}

Result<std::string> StateRelation(const RuntimeEnv& env, const std::string& name) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<NamedCheckpoint> checkpoints,
                          CheckpointsNamed(env, "cloud_files_state", name));
  std::vector<std::string> rows;
  for (const auto& [flow, dir, checkpoint] : checkpoints) {
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
  return ValuesRelation(
      rows, "path, size, create_time, commit_time, batch_id, flow, source",
      "NULL::VARCHAR AS path, NULL::BIGINT AS size, NULL::TIMESTAMPTZ AS create_time, "
      "NULL::TIMESTAMPTZ AS commit_time, NULL::BIGINT AS batch_id, NULL::VARCHAR AS flow, "
      "NULL::VARCHAR AS source");
}

Result<std::string> OffsetsRelation(const RuntimeEnv& env, const std::string& name) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<NamedCheckpoint> checkpoints,
                          CheckpointsNamed(env, "checkpoint_offsets", name));
  std::vector<std::string> rows;
  for (const auto& [flow, dir, checkpoint] : checkpoints) {
    if (!checkpoint.last_committed()) continue;
    const std::string batch = std::to_string(*checkpoint.last_committed()) + "::BIGINT";
    auto row = [&](const std::string& source, const char* type, const SourceOffset& offset,
                   const PartitionRange* partition, std::optional<int64_t> files) {
      const bool delta = offset.end_version >= 0 && !IsKafkaSourceKey(source);
      rows.push_back(
          "(" + QuoteLiteral(flow->name) + ", " + batch + ", " + QuoteLiteral(source) + ", '" +
          type + "', " + TextOrNull(partition ? std::optional(partition->topic) : std::nullopt) +
          ", " +
          (partition ? std::to_string(partition->partition) + "::INTEGER" : "NULL::INTEGER") +
          ", " + IntOrNull(partition ? std::optional(partition->end) : std::nullopt) + ", " +
          IntOrNull(delta ? std::optional(offset.end_version) : std::nullopt) + ", " +
          IntOrNull(files) + ", " + TextOrNull(offset.up_to) + ")");
    };
    for (const auto& [key, offset] : checkpoint.committed_sources()) {
      if (IsKafkaSourceKey(key)) {
        for (const PartitionRange& partition : offset.partitions) {
          row(key, "kafka", offset, &partition, std::nullopt);
        }
      } else if (IsJdbcSourceKey(key)) {
        row(key, "jdbc", offset, nullptr, std::nullopt);
      } else if (StartsWith(key, "files:")) {
        auto seen = checkpoint.seen_files().find(key);
        const int64_t files =
            seen == checkpoint.seen_files().end() ? 0 : static_cast<int64_t>(seen->second.size());
        row(key, "files", offset, nullptr, files);
      } else {
        row(key, "delta", offset, nullptr, std::nullopt);
      }
    }
  }
  return ValuesRelation(
      rows,
      "flow, batch_id, source, source_type, topic, \"partition\", next_offset, delta_version, "
      "files, up_to",
      "NULL::VARCHAR AS flow, NULL::BIGINT AS batch_id, NULL::VARCHAR AS source, NULL::VARCHAR "
      "AS source_type, NULL::VARCHAR AS topic, NULL::INTEGER AS \"partition\", NULL::BIGINT AS "
      "next_offset, NULL::BIGINT AS delta_version, NULL::BIGINT AS files, NULL::VARCHAR AS "
      "up_to");
}

}  // namespace

Result<std::string> CloudFilesStateRelation(const RuntimeEnv& env, const spark::Relation& call) {
  SLUICE_ASSIGN_OR_RETURN(std::string name, NameArgument(call, "cloud_files_state"));
  return StateRelation(env, name);
}

Result<std::string> CheckpointOffsetsRelation(const RuntimeEnv& env, const spark::Relation& call) {
  SLUICE_ASSIGN_OR_RETURN(std::string name, NameArgument(call, "checkpoint_offsets"));
  return OffsetsRelation(env, name);
}

}  // namespace sluice::runtime
