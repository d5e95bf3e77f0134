// The dataflow graph of a pipeline: its datasets, the flows that write them, and the
// order to run them in.
//
// Every dataset with a query has one implicit flow of the same name; CREATE FLOW adds
// more flows into streaming tables. Temporary views have no flow: they are inlined into
// their readers, so a flow depends on whatever the views it reads depend on. Names are
// matched case-insensitively (as in Spark); a dataset keeps the spelling of its definition.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/strings.h"
#include "spec/settings.h"
#include "sql/ast.h"

namespace sluice::graph {

// What one reference of a flow's (or view's) query resolves to.
struct Input {
  sql::ReferenceKind kind = sql::ReferenceKind::kDataset;
  std::string dataset;  // kDataset: the canonical dataset name
  std::string
      path;  // kDeltaPath / kReadFiles: the path, absolute; kKafka, kJdbc: 'kafka:...', 'jdbc:...'
  bool streaming = false;
  // A table of the settings' catalog map read by name: its name, and for files the
  // read_files options it is read with (format included). kKafka, kJdbc: the function's options.
  std::string catalog_name;
  std::map<std::string, std::string> options;
};

struct Dataset {
  sql::DatasetStatement definition;
  std::vector<std::string> flows;  // names of the flows writing it (none for views)
  // Views: what their query reads, one per reference (tables have this on their flows).
  std::vector<Input> view_inputs;
  // SET values in effect where the dataset was defined.
  std::map<std::string, std::string> conf;
  // Tables and sinks: the absolute folder of their Delta table (LOCATION, a sink's path or
  // catalog table, else the pipeline's storage); empty for views.
  std::string storage_path;

  const std::string& name() const { return definition.name; }
  sql::DatasetKind kind() const { return definition.kind; }
  bool is_table() const {
    return kind() == sql::DatasetKind::kStreamingTable ||
           kind() == sql::DatasetKind::kMaterializedView;
  }
  bool is_sink() const { return kind() == sql::DatasetKind::kSink; }
  // A sink that writes Kafka records (USING kafka) rather than a Delta table.
  bool is_kafka_sink() const {
    return is_sink() && EqualsIgnoreCase(definition.sink_format, "kafka");
  }
  // Written to a Delta table: tables and Delta sinks.
  bool is_stored() const { return is_table() || (is_sink() && !is_kafka_sink()); }
};

struct Flow {
  std::string name;
  std::string target;  // the dataset written
  // Its STREAM inputs are read incrementally: flows into streaming tables, except ONCE
  // flows and AUTO CDC FROM SNAPSHOT flows (which read their source in full).
  bool streaming = false;
  bool once = false;      // INSERT INTO ONCE: runs once, then again only on full refresh
  bool implicit = false;  // the dataset's own query (not a CREATE FLOW)
  std::optional<std::string> comment;
  // AUTO CDC flows: `SELECT * FROM <source>` (see sql::AutoCdc); inputs[0] is the source.
  sql::Query query;
  std::vector<Input> inputs;  // one per query reference, same order
  // Present for AUTO CDC / APPLY CHANGES flows: the query's rows are changes to merge into
  // the target by key (SCD type 1 or 2), not rows to append. Checked by BuildGraph.
  std::optional<sql::AutoCdc> cdc;
  std::map<std::string, std::string> conf;
  sql::SourceLocation location;
};

class Graph {
 public:
  // Datasets and flows in an order where everything comes after what it reads.
  const std::vector<Dataset>& datasets() const { return datasets_; }
  const std::vector<Flow>& flows() const { return flows_; }

  const Dataset* FindDataset(std::string_view name) const;
  const Flow* FindFlow(std::string_view name) const;

  // The flows whose output `flow` reads, directly or through temporary views.
  const std::vector<std::string>& UpstreamFlows(std::string_view flow) const;
  // The tables and external sources (paths) a flow's query reads, through views: the
  // lineage reported in flow_definition events.
  std::vector<std::string> InputDatasets(std::string_view flow) const;

  // Things in the definitions that have no effect, each naming its place (a SET of a Spark
  // or pipeline setting sluice does not have).
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Secret values the definitions read (dbutils.secrets.get): never written to the event
  // log or printed.
  const std::vector<std::string>& secrets() const { return secrets_; }
  void AddSecret(std::string value) { secrets_.push_back(std::move(value)); }

 private:
  friend class GraphBuilder;
  std::vector<Dataset> datasets_;
  std::vector<Flow> flows_;
  std::map<std::string, size_t> dataset_index_;  // lowercase name -> index
  std::map<std::string, size_t> flow_index_;
  std::map<std::string, std::vector<std::string>> upstream_;  // flow -> upstream flows
  std::vector<std::string> warnings_;
  std::vector<std::string> secrets_;
};

// The input for a reference to a table of the settings' `catalog` map (by its name as
// written, qualified or not), or nullopt when the map does not list it.
std::optional<Input> CatalogTableInput(const spec::PipelineSettings& settings,
                                       const sql::Reference& reference);

// A path written in a pipeline (a Delta table, files, a LOCATION): `file:` prefixes dropped,
// relative paths resolved against the settings folder.
std::string ResolveSourcePath(const spec::PipelineSettings& settings, std::string path);

// Whether sluice applies the Spark, Databricks or pipeline setting `key` when a pipeline
// file SETs it (keys of other forms are configuration values for ${key}).
bool IsAppliedSetting(std::string_view key);
// Whether `key` names a Spark, Databricks or pipeline setting (spark.*, pipelines.*).
bool IsEngineSetting(std::string_view key);

// Builds and checks the graph: duplicate names, flows into missing or non-streaming
// targets, unknown datasets (with the nearest name as a hint), streaming reads of
// materialized views, streaming tables without a streaming source, and cycles (listing
// their members). AUTO CDC flows also get the rules of their own (auto_cdc_checks.h): a
// target declared without a query and written only by AUTO CDC flows that agree on KEYS
// and SCD type, STREAM sources (none for FROM SNAPSHOT), SEQUENCE BY, clauses that fit the
// SCD type, and KEYS and __START_AT/__END_AT among the target's declared columns. Errors
// carry the file, line and column with a caret. Relative paths of external sources are
// resolved against the settings folder.
Result<Graph> BuildGraph(std::vector<sql::Script> scripts, const spec::PipelineSettings& settings);

// Which flows an update runs, and which of their targets it resets first.
struct Selection {
  std::set<std::string> run;  // flow names
  // Dataset names to truncate and whose flows' checkpoints to reset (sinks: checkpoints only).
  std::set<std::string> full_refresh;
  std::set<std::string> excluded;  // flows not selected
};

// Resolves refresh selections (dataset names, case-insensitive): nothing selected = every
// flow; `refresh`/`full_refresh` = the flows writing those datasets, others excluded;
// `full_refresh_all` = every flow, every table and sink reset. Unknown names are InvalidArgument
// with a hint.
Result<Selection> SelectFlows(const Graph& graph, bool full_refresh_all,
                              const std::vector<std::string>& full_refresh,
                              const std::vector<std::string>& refresh);

}  // namespace sluice::graph
