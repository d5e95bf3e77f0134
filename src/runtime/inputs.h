// Turning a flow's query into runnable DuckDB SQL: every reference becomes a temporary view
// on the flow's connection that reads exactly what this batch may read.
//
//  * a table read in full: a scan of its latest snapshot;
//  * a table read as a stream: the files its new commits added since the flow's checkpoint
//    (or its whole snapshot on the first batch); a commit that removes data fails the flow
//    unless the source has skipChangeCommits, which skips such commits;
//  * read_files: every matching file, or as a stream only files not seen before;
//  * read_kafka: the offsets a batch read chooses, or a stream's next offsets
//    (runtime/kafka_source.h);
//  * read_jdbc: the whole PostgreSQL relation, or a stream's rows by its incremental
//    column (runtime/jdbc_source.h);
//  * a temporary view: its own query, rendered the same way and inlined.
// Temporary views are named after the dataset they stand for, so qualified column names
// (`orders.id`) keep working.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "delta/scan.h"
#include "delta/snapshot.h"
#include "graph/graph.h"
#include "runtime/checkpoint.h"
#include "runtime/file_source.h"
#include "runtime/kafka_source.h"
#include "spark/translator.h"
#include "spec/settings.h"

namespace sluice::runtime {

// The message of the NotFound a render returns when a streaming source has nothing to
// read at all yet (its table does not exist, its folder has no files): no new data.
extern const char* const kNoDataYet;

// Streaming state of the batch being planned: where the checkpoint left off, and the
// offsets chosen (or, when replaying a batch after a crash, the offsets to read again).
struct StreamBatch {
  const FlowCheckpoint* checkpoint = nullptr;
  BatchOffsets offsets;
  bool replay = false;
  bool new_data = false;  // some streaming source has rows (files) to read
  // File and Kafka sources: what is left for later batches after this one, by source key.
  std::map<std::string, Backlog> backlog;
  // Kafka sources with failOnDataLoss false: offsets found gone from Kafka.
  int64_t lost_offsets = 0;
  // Kafka sources: where the update's first batch found each source ending, by source key
  // (kept by the flow across the batches of one update).
  std::map<std::string, std::optional<KafkaEnds>>* kafka_ends = nullptr;
};

// A dataset's definition as analysis binds it: a temporary view holding its flows' queries
// and, once a reader asked, that view's columns.
struct DefinedDataset {
  std::string view;  // unquoted name
  std::optional<spark::BoundRelation> relation;
  // Makes the view (and those it reads) when it does not exist yet: analysis makes views
  // only when a statement binds them.
  std::function<Status()> make_view;
};

class InputRenderer {
 public:
  InputRenderer(const delta::DeltaContext& context, const graph::Graph& graph,
                const spec::PipelineSettings& settings, StreamBatch* stream)
      : context_(context), graph_(graph), settings_(settings), stream_(stream) {}
  ~InputRenderer();

  const spec::PipelineSettings& settings() const { return settings_; }

  // The DuckDB SQL of `query`, whose references resolved to `inputs`: the query translated
  // from Spark SQL with the settings `conf` (the SET values before its definition) and the
  // pipeline's, reading a view for each reference. read_files takes the defaults of its
  // options from spark.databricks.cloudFiles.<option> settings.
  Result<std::string> Render(const sql::Query& query, const std::vector<graph::Input>& inputs,
                             const std::map<std::string, std::string>& conf);
  // The same, with the settings of the pipeline alone (no SET values).
  Result<std::string> Render(const sql::Query& query, const std::vector<graph::Input>& inputs);
  // The same, with the translation's options adjusted by `adjust` (stateful streaming:
  // relations read from the state, the time windows a watermark closed).
  Result<std::string> Render(const sql::Query& query, const std::vector<graph::Input>& inputs,
                             const std::map<std::string, std::string>& conf,
                             const std::function<void(spark::TranslateOptions&)>& adjust);
  // The rows of one FROM item of `query` (spark::TranslateRelationRows), its references
  // read as Render reads them.
  Result<spark::Translation> RenderRelationRows(const sql::Query& query,
                                                const spark::Relation& relation,
                                                const std::vector<graph::Input>& inputs,
                                                const std::map<std::string, std::string>& conf);
  // The same, with the translation's options adjusted by `adjust`.
  Result<spark::Translation> RenderRelationRows(
      const sql::Query& query, const spark::Relation& relation,
      const std::vector<graph::Input>& inputs, const std::map<std::string, std::string>& conf,
      const std::function<void(spark::TranslateOptions&)>& adjust);

  // The partial aggregates of the aggregating SELECT `select` of `query`
  // (spark::TranslatePartialAggregate), with the translation's options adjusted by `adjust`.
  Result<spark::Translation> RenderPartialAggregate(
      const sql::Query& query, const spark::SelectBody& select,
      const std::vector<graph::Input>& inputs, const std::map<std::string, std::string>& conf,
      const std::function<void(spark::TranslateOptions&)>& adjust);

  // The relation standing for one reference, as Render uses it: a quoted view name with
  // its columns.
  Result<spark::BoundRelation> Relation(const graph::Input& input, const sql::Reference& reference);

  // Validation: tables read the given views (dataset -> view holding its definition's
  // query) instead of their Delta snapshots; a table missing from the map is NotFound. The
  // views' schemas are described once and kept in the map for every renderer sharing it.
  void UseDefinitions(std::map<std::string, DefinedDataset>* definitions) {
    definitions_ = definitions;
  }

  // File sources read stored schemas (and never store them) from this checkpoint folder
  // when the renderer has no streaming batch (validation, batch reads).
  void UseStoredSchemas(std::string checkpoint_dir) { schema_dir_ = std::move(checkpoint_dir); }

  // The file sources of the rendered query, for what they found once read.
  const std::vector<std::unique_ptr<FileRead>>& file_reads() const { return file_reads_; }

  // The relations the references of every Render so far resolved to, in order.
  const std::vector<spark::BoundRelation>& resolved() const { return resolved_; }

  // Whether opening a reference's input failed in the last Render (as opposed to the
  // query's translation).
  bool input_failed() const { return input_failed_; }
  void MarkInputFailed() { input_failed_ = true; }

  // Called by the reference resolver around Relation: the relation it resolves (for
  // filter pushdown into PostgreSQL sources).
  void SetResolving(const spark::Relation* relation) { resolving_ = relation; }

  // Drops the temporary views and scan tables; called by the destructor too.
  Status Release();

 private:
  Result<spark::Translation> Translate(const sql::Query& query,
                                       const std::vector<graph::Input>& inputs,
                                       const std::map<std::string, std::string>& conf,
                                       const spark::Relation* rows_of,
                                       const std::function<void(spark::TranslateOptions&)>* adjust);
  Result<std::string> RelationFor(const graph::Input& input, const sql::Reference& reference);
  Result<std::string> TableRelation(const std::string& key, const std::string& root,
                                    const std::string& display, bool streaming,
                                    bool skip_change_commits);
  Result<std::string> FilesRelation(const std::string& key, const sql::Reference& reference,
                                    const graph::Input& input, bool streaming);
  Result<std::string> KafkaRelation(const std::string& key, const graph::Input& input);
  Result<std::string> JdbcRelation(const graph::Input& input);
  Result<std::string> ApplyViewExpectations(const graph::Dataset& view, const std::string& rows);
  Result<std::string> ViewRelation(const graph::Dataset& view);
  Result<std::string> MakeView(std::string name, const std::string& sql);
  // A name for a view standing for `display`, unique on the connection when needed.
  std::string ViewName(const std::string& display);
  Result<SourceOffset> PlanTableStream(const std::string& key, const delta::Snapshot& latest,
                                       bool skip_change_commits, const std::string& display);
  Result<std::vector<delta::AddFile>> FilesOfRange(const delta::Snapshot& end,
                                                   const SourceOffset& offset,
                                                   bool skip_change_commits,
                                                   const std::string& display);

  const delta::DeltaContext& context_;
  const graph::Graph& graph_;
  const spec::PipelineSettings& settings_;
  StreamBatch* stream_;
  std::vector<std::string> views_;
  std::vector<std::string> tables_;  // temporary tables (Kafka records read)
  std::vector<delta::ScanPlan> scans_;
  std::vector<std::vector<delta::AddFile>> scan_files_;  // files the stream scans point at
  std::map<std::string, std::string> rendered_views_;    // lowercase dataset -> view name
  std::map<std::string, DefinedDataset>* definitions_ = nullptr;
  std::vector<std::unique_ptr<FileRead>> file_reads_;
  std::string schema_dir_;
  bool mentions_metadata_ = false;
  const std::map<std::string, std::string>* conf_ = nullptr;  // of the query being rendered
  bool input_failed_ = false;
  std::vector<spark::BoundRelation> resolved_;
  const spark::SelectBody* partial_of_ = nullptr;  // RenderPartialAggregate's SELECT
  // Filter pushdown into PostgreSQL sources: the query Render translates (not set for the
  // rows of one FROM item or partial aggregates, which read without its WHERE), and the
  // relation being resolved.
  const spark::Query* pushdown_query_ = nullptr;
  const spark::Relation* resolving_ = nullptr;
};

// What `inputs` read, as text that changes whenever they change: table ids and versions,
// and file listings (names, sizes, times); views are followed to what they read. Only Delta
// logs and folder listings are read, so this is cheap enough to decide whether a
// materialized view must be recomputed.
Result<std::string> InputVersions(const delta::DeltaContext& context, const graph::Graph& graph,
                                  const spec::PipelineSettings& settings,
                                  const std::vector<graph::Input>& inputs);

}  // namespace sluice::runtime
