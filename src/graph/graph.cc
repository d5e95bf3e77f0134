#include "graph/graph.h"

#include <algorithm>
#include <functional>

#include "common/strings.h"
#include "graph/auto_cdc_checks.h"
#include "spark/stateful_operator.h"
#include "sql/diagnostics.h"
#include "sql/parser.h"

namespace sluice::graph {

namespace {

// A table of the settings' catalog map as an input: a Delta table, or files read with its
// options (its format from the settings or the path's extension; Delta otherwise).
Input CatalogInput(const spec::CatalogTable& table, const sql::Reference& reference) {
  Input input;
  input.streaming = reference.streaming;
  input.catalog_name = table.name;
  input.path = table.path;
  std::string format = table.format;
  if (format.empty()) {
    const std::string lower = ToLower(table.path);
    if (EndsWith(lower, ".parquet")) format = "parquet";
    if (EndsWith(lower, ".csv")) format = "csv";
    if (EndsWith(lower, ".json") || EndsWith(lower, ".jsonl")) format = "json";
    if (EndsWith(lower, ".txt")) format = "text";
    if (format.empty()) format = "delta";
  }
  if (format == "delta") {
    input.kind = sql::ReferenceKind::kDeltaPath;
    return input;
  }
  input.kind = sql::ReferenceKind::kReadFiles;
  input.options = table.options;
  input.options["format"] = format;
  return input;
}

}  // namespace

std::optional<Input> CatalogTableInput(const spec::PipelineSettings& settings,
                                       const sql::Reference& reference) {
  if (EqualsIgnoreCase(reference.qualifier, "LIVE")) return std::nullopt;
  const std::string written =
      reference.qualifier.empty() ? reference.name : reference.qualifier + "." + reference.name;
  for (const spec::CatalogTable& table : settings.catalog_tables) {
    if (EqualsIgnoreCase(table.name, written)) return CatalogInput(table, reference);
  }
  return std::nullopt;
}

std::string ResolveSourcePath(const spec::PipelineSettings& settings, std::string path) {
  if (StartsWith(path, "file://")) path = path.substr(7);
  if (StartsWith(path, "file:")) path = path.substr(5);
  if (!path.empty() && path[0] == '/') return path;
  if (StartsWith(path, "./")) path = path.substr(2);
  return settings.root_dir + "/" + path;
}

bool IsEngineSetting(std::string_view key) {
  const std::string lower = ToLower(key);
  return StartsWith(lower, "spark.") || StartsWith(lower, "pipelines.");
}

bool IsAppliedSetting(std::string_view key) {
  const std::string lower = ToLower(key);
  static const char* const kApplied[] = {
      "spark.sql.ansi.enabled", "spark.sql.session.timezone", "spark.sql.legacy.timeparserpolicy",
      "pipelines.trigger.interval", "pipelines.cdc.tombstonegcthresholdinseconds"};
  for (const char* applied : kApplied) {
    if (lower == applied) return true;
  }
  // Auto Loader's session settings are the defaults of read_files options.
  return StartsWith(lower, "spark.databricks.cloudfiles.");
}

namespace {

Status DefinitionError(const sql::SourceLocation& at, std::string_view message) {
  return InvalidArgument(sql::FormatDiagnostic(at, message));
}

std::string Where(const sql::SourceLocation& at) { return at.file + ":" + std::to_string(at.line); }

// Why `path` cannot be a folder sluice writes (it is in cloud or remote storage), as
// "'<path>' is in <scheme>: storage, ..."; nullopt for a local path.
std::optional<std::string> RemoteFolder(const std::string& path) {
  const std::string_view scheme = sql::RemoteStorageScheme(path);
  if (scheme.empty()) return std::nullopt;
  return "'" + path + "' is in " + std::string(scheme) +
         ": storage, and sluice writes local folders only; give a local path";
}

// The Delta table a sink writes: its `path` option, or its `tableName` when the settings'
// catalog map lists it. Kafka sinks and other formats are refused by name.
Result<std::string> SinkPath(const spec::PipelineSettings& settings,
                             const sql::DatasetStatement& sink) {
  auto error = [&](const std::string& message) {
    return InvalidArgument(
        sql::FormatDiagnostic(sink.location, "sink '" + sink.name + "': " + message));
  };
  const std::string format = ToLower(sink.sink_format);
  if (format == "kafka") {
    // A Kafka sink has no table; its options name the cluster (and the topic, unless each
    // row has a topic column).
    for (const auto& [key, value] : sink.sink_options) {
      if (EqualsIgnoreCase(key, "kafka.bootstrap.servers") && !value.empty()) return std::string();
    }
    return error("a Kafka sink needs the option kafka.bootstrap.servers");
  }
  if (format != "delta") {
    return error("unknown format '" + sink.sink_format + "'; a sink's format is delta or kafka");
  }
  std::optional<std::string> path, table_name;
  for (const auto& [key, value] : sink.sink_options) {
    if (EqualsIgnoreCase(key, "path")) path = value;
    if (EqualsIgnoreCase(key, "tableName")) table_name = value;
  }
  if (path && table_name) return error("give the option path or tableName, not both");
  if (path) {
    if (path->empty()) return error("the option path is empty");
    if (auto remote = RemoteFolder(*path)) return error("the path " + *remote);
    return ResolveSourcePath(settings, *path);
  }
  if (!table_name) {
    return error(
        "a Delta sink needs the option path (a folder) or tableName (a table of the "
        "settings' catalog map)");
  }
  for (const spec::CatalogTable& table : settings.catalog_tables) {
    if (!EqualsIgnoreCase(table.name, *table_name)) continue;
    if (!table.format.empty() && !EqualsIgnoreCase(table.format, "delta")) {
      return error("catalog table '" + table.name + "' is " + table.format +
                   " files; a Delta sink writes a Delta table");
    }
    return table.path;
  }
  return error("table '" + *table_name +
               "' is not in the `catalog` map of the pipeline settings; add it there with its "
               "path, or give the sink a path option");
}

}  // namespace

// Collects the graph while checking names; orders it afterwards.
class GraphBuilder {
 public:
  explicit GraphBuilder(const spec::PipelineSettings& settings) : settings_(settings) {}

  Status Add(sql::Script& script) {
    std::map<std::string, std::string> conf;
    for (sql::Statement& statement : script.statements) {
      if (auto* set = std::get_if<sql::SetStatement>(&statement)) {
        if (set->reset) {
          conf.erase(set->key);
          continue;
        }
        conf[set->key] = set->value;
        if (IsEngineSetting(set->key) && !IsAppliedSetting(set->key)) {
          warnings_.push_back(Where(set->location) + ": SET " + set->key +
                              " has no effect: sluice does not have this setting");
        }
      } else if (auto* dataset = std::get_if<sql::DatasetStatement>(&statement)) {
        SLUICE_RETURN_IF_ERROR(AddDataset(std::move(*dataset), conf));
      } else if (auto* flow = std::get_if<sql::FlowStatement>(&statement)) {
        SLUICE_RETURN_IF_ERROR(AddFlow(std::move(*flow), conf));
      }
    }
    return Status::OK();
  }

  Result<Graph> Finish();

 private:
  Status AddDataset(sql::DatasetStatement definition,
                    const std::map<std::string, std::string>& conf) {
    const std::string key = ToLower(definition.name);
    if (auto it = datasets_.find(key); it != datasets_.end()) {
      return DefinitionError(definition.location, "dataset '" + definition.name +
                                                      "' is already defined at " +
                                                      Where(it->second.definition.location));
    }
    Dataset dataset;
    dataset.conf = conf;
    if (definition.kind == sql::DatasetKind::kSink) {
      SLUICE_ASSIGN_OR_RETURN(dataset.storage_path, SinkPath(settings_, definition));
    } else if (definition.storage_location) {
      if (definition.storage_location->empty()) {
        return DefinitionError(definition.location,
                               "'" + definition.name + "': the LOCATION is empty");
      }
      if (auto remote = RemoteFolder(*definition.storage_location)) {
        return DefinitionError(definition.location,
                               "'" + definition.name + "': the LOCATION " + *remote);
      }
      dataset.storage_path = ResolveSourcePath(settings_, *definition.storage_location);
    } else if (definition.kind == sql::DatasetKind::kStreamingTable ||
               definition.kind == sql::DatasetKind::kMaterializedView) {
      dataset.storage_path = settings_.TablePath(definition.name);
    }
    if (definition.query && definition.kind != sql::DatasetKind::kTemporaryView &&
        definition.kind != sql::DatasetKind::kView) {
      Flow flow;
      flow.name = definition.name;
      flow.target = definition.name;
      flow.implicit = true;
      flow.streaming = definition.kind == sql::DatasetKind::kStreamingTable;
      flow.query = *definition.query;
      flow.conf = conf;
      flow.location = definition.location;
      SLUICE_RETURN_IF_ERROR(AddFlowRecord(std::move(flow)));
    }
    if (!definition.query && definition.kind != sql::DatasetKind::kStreamingTable &&
        definition.kind != sql::DatasetKind::kSink) {
      return DefinitionError(definition.location,
                             "'" + definition.name + "' needs a query (AS SELECT ...)");
    }
    dataset.definition = std::move(definition);
    order_.push_back(key);
    datasets_.emplace(key, std::move(dataset));
    return Status::OK();
  }

  Status AddFlow(sql::FlowStatement statement, const std::map<std::string, std::string>& conf) {
    Flow flow;
    flow.name = statement.name;
    flow.target = statement.target;
    flow.once = statement.once;
    flow.comment = statement.comment;
    flow.query = std::move(statement.query);
    flow.cdc = std::move(statement.cdc);
    flow.conf = conf;
    flow.location = statement.location;
    return AddFlowRecord(std::move(flow));
  }

  Status AddFlowRecord(Flow flow) {
    const std::string key = ToLower(flow.name);
    if (auto it = flows_.find(key); it != flows_.end()) {
      return DefinitionError(flow.location, "flow '" + flow.name + "' is already defined at " +
                                                Where(it->second.location));
    }
    flow_order_.push_back(key);
    flows_.emplace(key, std::move(flow));
    return Status::OK();
  }

  Status ResolveInputs(const sql::Query& query, bool reader_is_streaming_table,
                       const std::string& reader, std::vector<Input>& inputs);
  Status CheckFlows();
  Status Order(Graph& graph);

  const spec::PipelineSettings& settings_;
  std::map<std::string, Dataset> datasets_;  // lowercase name -> dataset
  std::vector<std::string> order_;           // definition order
  std::map<std::string, Flow> flows_;
  std::vector<std::string> flow_order_;
  std::map<std::string, std::vector<Input>> view_inputs_;  // lowercase view name -> inputs

 public:
  std::vector<std::string> warnings_;
};

Status GraphBuilder::ResolveInputs(const sql::Query& query, bool reader_is_streaming_table,
                                   const std::string& reader, std::vector<Input>& inputs) {
  for (const sql::Reference& reference : query.references) {
    Input input;
    input.kind = reference.kind;
    input.streaming = reference.streaming;
    if (reference.kind == sql::ReferenceKind::kKafka ||
        reference.kind == sql::ReferenceKind::kJdbc) {
      input.path = reference.name;
      input.options = reference.options;
      inputs.push_back(std::move(input));
      continue;
    }
    if (reference.kind != sql::ReferenceKind::kDataset) {
      input.path = ResolveSourcePath(settings_, reference.name);
      // A pipeline table read by its path still orders its reader after its writers.
      if (reference.kind == sql::ReferenceKind::kDeltaPath) {
        for (const auto& [key, dataset] : datasets_) {
          if (dataset.is_stored() && dataset.storage_path == input.path) {
            input.dataset = dataset.name();
          }
        }
      }
      inputs.push_back(std::move(input));
      continue;
    }
    auto it = datasets_.find(ToLower(reference.name));
    const std::string written =
        reference.qualifier.empty() ? reference.name : reference.qualifier + "." + reference.name;
    // A name the catalog map lists is a table outside the pipeline (a pipeline dataset of
    // the same unqualified name wins).
    if (it == datasets_.end() || !reference.qualifier.empty()) {
      if (auto external = CatalogTableInput(settings_, reference)) {
        inputs.push_back(std::move(*external));
        continue;
      }
    }
    if (it == datasets_.end()) {
      std::vector<std::string> names;
      for (const std::string& key : order_) names.push_back(datasets_.at(key).name());
      std::string message = "unknown dataset '" + written + "'";
      const std::string nearest = sql::NearestName(reference.name, names);
      if (!nearest.empty()) {
        message += "; did you mean '" + nearest + "'?";
      } else {
        message +=
            " (tables outside the pipeline are read by path, delta.`/path/to/table`, or "
            "by a name listed in the `catalog` map of the pipeline settings)";
      }
      return DefinitionError(reference.location, message);
    }
    const Dataset& dataset = it->second;
    if (dataset.is_sink()) {
      return DefinitionError(reference.location,
                             "'" + reader + "' reads '" + dataset.name() +
                                 "', which is a sink: flows write to sinks, and queries of the "
                                 "pipeline cannot read them (read its Delta table by path, "
                                 "delta.`" +
                                 dataset.storage_path + "`)");
    }
    if (reference.streaming && dataset.kind() == sql::DatasetKind::kMaterializedView) {
      return DefinitionError(reference.location,
                             "'" + reader + "' reads materialized view '" + dataset.name() +
                                 "' as a stream; a materialized view can only be read in full "
                                 "(remove STREAM)");
    }
    if (reference.streaming && !reader_is_streaming_table) {
      return DefinitionError(reference.location,
                             "'" + reader + "' reads '" + dataset.name() +
                                 "' as a stream, but only streaming tables and their flows "
                                 "read incrementally (remove STREAM or make '" +
                                 reader + "' a STREAMING TABLE)");
    }
    input.dataset = dataset.name();
    inputs.push_back(std::move(input));
  }
  return Status::OK();
}

Status GraphBuilder::CheckFlows() {
  for (const std::string& key : flow_order_) {
    Flow& flow = flows_.at(key);
    auto target = datasets_.find(ToLower(flow.target));
    if (target == datasets_.end()) {
      std::vector<std::string> names;
      for (const std::string& name : order_) names.push_back(datasets_.at(name).name());
      std::string message =
          "flow '" + flow.name + "' writes to unknown dataset '" + flow.target + "'";
      const std::string nearest = sql::NearestName(flow.target, names);
      if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
      return DefinitionError(flow.location, message);
    }
    Dataset& dataset = target->second;
    if (dataset.is_sink() && flow.cdc) {
      return DefinitionError(flow.location,
                             "flow '" + flow.name + "' applies changes to sink '" + dataset.name() +
                                 "'; only append flows write to sinks (AUTO CDC flows write "
                                 "streaming tables)");
    }
    if (flow.cdc) {
      SLUICE_RETURN_IF_ERROR(internal::CheckAutoCdcTarget(flow, dataset));
      SLUICE_RETURN_IF_ERROR(internal::CheckAutoCdcFlow(flow));
    }
    const bool appends = dataset.kind() == sql::DatasetKind::kStreamingTable || dataset.is_sink();
    if (!flow.implicit && !appends) {
      return DefinitionError(flow.location,
                             "flow '" + flow.name + "' writes to '" + dataset.name() +
                                 "', but flows can only write streaming tables and sinks");
    }
    flow.target = dataset.name();
    flow.streaming = appends && !flow.once && !(flow.cdc && flow.cdc->from_snapshot);
    dataset.flows.push_back(flow.name);
    SLUICE_RETURN_IF_ERROR(ResolveInputs(flow.query, flow.streaming, flow.name, flow.inputs));
    const bool reads_stream = std::any_of(flow.inputs.begin(), flow.inputs.end(),
                                          [](const Input& input) { return input.streaming; });
    if (flow.streaming && !reads_stream && dataset.is_sink()) {
      return DefinitionError(flow.query.location,
                             "flow '" + flow.name + "' into sink '" + dataset.name() +
                                 "' must read at least one source incrementally, such as "
                                 "STREAM(name); a flow that writes a batch query runs ONCE");
    }
    if (flow.streaming && !reads_stream) {
      return DefinitionError(
          flow.query.location,
          "streaming table '" + dataset.name() +
              "' must read at least one source incrementally, such as STREAM(name) or "
              "STREAM read_files(...); use a MATERIALIZED VIEW to recompute a query in full");
    }
    if (flow.streaming && !flow.cdc && flow.query.parsed != nullptr) {
      // Refused stateful shapes (an aggregation without a watermark, ...) fail at load.
      SLUICE_RETURN_IF_ERROR(spark::FindStatefulOperator(*flow.query.parsed).status());
    }
  }
  for (const std::string& key : order_) {
    SLUICE_RETURN_IF_ERROR(internal::CheckAutoCdcWriters(datasets_.at(key), flows_));
  }
  for (const std::string& key : order_) {
    const Dataset& dataset = datasets_.at(key);
    const bool view = dataset.kind() == sql::DatasetKind::kTemporaryView ||
                      dataset.kind() == sql::DatasetKind::kView;
    if (!view) continue;
    std::vector<Input> inputs;
    // A view read by a streaming table may itself read streams; it inherits its reader's
    // mode, so streaming references are allowed here.
    SLUICE_RETURN_IF_ERROR(ResolveInputs(*dataset.definition.query, true, dataset.name(), inputs));
    view_inputs_[key] = inputs;
    datasets_.at(key).view_inputs = std::move(inputs);
  }
  return Status::OK();
}

// Orders flows so that each comes after the flows writing what it reads (through views),
// and reports a cycle with its members.
Status GraphBuilder::Order(Graph& graph) {
  // Dependencies of every node (flows, and views as pass-through nodes), by lowercase name.
  // Node names: "f:<flow>" and "v:<view>"; a dataset's writers are its flows.
  std::map<std::string, std::vector<std::string>> edges;
  auto input_nodes = [&](const std::vector<Input>& inputs) {
    std::vector<std::string> nodes;
    for (const Input& input : inputs) {
      if (input.dataset.empty()) continue;
      const Dataset& dataset = datasets_.at(ToLower(input.dataset));
      if (!dataset.is_stored()) {
        nodes.push_back("v:" + ToLower(dataset.name()));
      } else {
        for (const std::string& writer : dataset.flows) nodes.push_back("f:" + ToLower(writer));
      }
    }
    return nodes;
  };
  for (const std::string& key : flow_order_) edges["f:" + key] = input_nodes(flows_.at(key).inputs);
  for (const auto& [key, inputs] : view_inputs_) edges["v:" + key] = input_nodes(inputs);

  enum class Mark { kNone, kActive, kDone };
  std::map<std::string, Mark> marks;
  std::vector<std::string> stack;
  std::vector<std::string> sorted;
  auto display = [&](const std::string& node) {
    const std::string key = node.substr(2);
    if (node[0] == 'f') return flows_.at(key).target;
    return datasets_.at(key).name();
  };
  std::function<Status(const std::string&)> visit = [&](const std::string& node) -> Status {
    Mark& mark = marks[node];
    if (mark == Mark::kDone) return Status::OK();
    if (mark == Mark::kActive) {
      auto start = std::find(stack.begin(), stack.end(), node);
      std::vector<std::string> members;
      for (auto it = start; it != stack.end(); ++it) {
        std::string name = display(*it);
        if (members.empty() || members.back() != name) members.push_back(name);
      }
      members.push_back(display(node));
      const sql::SourceLocation& at = node[0] == 'f'
                                          ? flows_.at(node.substr(2)).location
                                          : datasets_.at(node.substr(2)).definition.location;
      return DefinitionError(at, "the pipeline has a cycle: " + Join(members, " -> "));
    }
    mark = Mark::kActive;
    stack.push_back(node);
    for (const std::string& next : edges[node]) SLUICE_RETURN_IF_ERROR(visit(next));
    stack.pop_back();
    marks[node] = Mark::kDone;
    sorted.push_back(node);
    return Status::OK();
  };
  for (const std::string& key : flow_order_) SLUICE_RETURN_IF_ERROR(visit("f:" + key));
  for (const auto& [key, inputs] : view_inputs_) SLUICE_RETURN_IF_ERROR(visit("v:" + key));

  // Upstream flows of each flow, through views (names kept: flows are moved out below).
  std::map<std::string, std::string> flow_names;
  for (const auto& [key, flow] : flows_) flow_names[key] = flow.name;
  std::function<void(const std::string&, std::set<std::string>&)> collect =
      [&](const std::string& node, std::set<std::string>& out) {
        for (const std::string& next : edges[node]) {
          if (next[0] == 'f')
            out.insert(flow_names.at(next.substr(2)));
          else
            collect(next, out);
        }
      };
  std::set<std::string> placed_datasets;
  for (const std::string& node : sorted) {
    const std::string key = node.substr(2);
    std::string dataset_key = key;
    if (node[0] == 'f') {
      Flow& flow = flows_.at(key);
      std::set<std::string> upstream;
      collect(node, upstream);
      graph.upstream_[flow.name] = {upstream.begin(), upstream.end()};
      graph.flow_index_[key] = graph.flows_.size();
      dataset_key = ToLower(flow.target);
      graph.flows_.push_back(std::move(flow));
    }
    if (placed_datasets.insert(dataset_key).second) {
      graph.dataset_index_[dataset_key] = graph.datasets_.size();
      graph.datasets_.push_back(std::move(datasets_.at(dataset_key)));
    }
  }
  // Streaming tables without any flow, and unread views, in definition order.
  for (const std::string& key : order_) {
    if (placed_datasets.insert(key).second) {
      graph.dataset_index_[key] = graph.datasets_.size();
      graph.datasets_.push_back(std::move(datasets_.at(key)));
    }
  }
  return Status::OK();
}

Result<Graph> GraphBuilder::Finish() {
  bool has_table = false;
  for (const auto& [key, dataset] : datasets_) has_table = has_table || dataset.is_stored();
  if (!has_table) {
    return InvalidArgument(settings_.settings_file +
                           ": the pipeline defines no tables (a pipeline needs at least one "
                           "STREAMING TABLE or MATERIALIZED VIEW); sources read: " +
                           std::to_string(order_.size()) + " datasets");
  }
  SLUICE_RETURN_IF_ERROR(CheckFlows());
  Graph graph;
  SLUICE_RETURN_IF_ERROR(Order(graph));
  graph.warnings_ = warnings_;
  return graph;
}

const Dataset* Graph::FindDataset(std::string_view name) const {
  auto it = dataset_index_.find(ToLower(name));
  return it == dataset_index_.end() ? nullptr : &datasets_[it->second];
}

const Flow* Graph::FindFlow(std::string_view name) const {
  auto it = flow_index_.find(ToLower(name));
  return it == flow_index_.end() ? nullptr : &flows_[it->second];
}

const std::vector<std::string>& Graph::UpstreamFlows(std::string_view flow) const {
  static const std::vector<std::string> kNone;
  const Flow* found = FindFlow(flow);
  if (found == nullptr) return kNone;
  auto it = upstream_.find(found->name);
  return it == upstream_.end() ? kNone : it->second;
}

std::vector<std::string> Graph::InputDatasets(std::string_view flow_name) const {
  std::vector<std::string> out;
  const Flow* flow = FindFlow(flow_name);
  if (flow == nullptr) return out;
  // Views are not stored: what they read is the lineage.
  std::function<void(const std::vector<Input>&, int)> collect =
      [&](const std::vector<Input>& inputs, int depth) {
        for (const Input& input : inputs) {
          if (input.kind == sql::ReferenceKind::kDataset) {
            const Dataset* dataset = FindDataset(input.dataset);
            if (dataset != nullptr && !dataset->is_stored() && depth < 64) {
              collect(dataset->view_inputs, depth + 1);
              continue;
            }
          }
          std::string name =
              input.kind == sql::ReferenceKind::kDataset ? input.dataset : input.path;
          if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
        }
      };
  collect(flow->inputs, 0);
  return out;
}

Result<Graph> BuildGraph(std::vector<sql::Script> scripts, const spec::PipelineSettings& settings) {
  GraphBuilder builder(settings);
  for (sql::Script& script : scripts) SLUICE_RETURN_IF_ERROR(builder.Add(script));
  return builder.Finish();
}

}  // namespace sluice::graph
