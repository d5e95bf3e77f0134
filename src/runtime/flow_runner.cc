#include "runtime/flow_runner.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/sync_point.h"
#include "delta/schema.h"
#include "delta/write.h"
#include "runtime/aggregate_refresh.h"
#include "runtime/auto_cdc.h"
#include "runtime/checkpoint.h"
#include "runtime/inputs.h"
#include "runtime/kafka_sink.h"
#include "runtime/query.h"
#include "runtime/spark_functions.h"
#include "runtime/spark_sql.h"
#include "runtime/stateful_operators.h"
#include "spark/parser.h"
#include "sql/diagnostics.h"

namespace sluice::runtime {
namespace {

quality::Action ToAction(sql::ViolationAction action) {
  switch (action) {
    case sql::ViolationAction::kWarn:
      return quality::Action::kWarn;
    case sql::ViolationAction::kDrop:
      return quality::Action::kDrop;
    case sql::ViolationAction::kFail:
      return quality::Action::kFail;
  }
  return quality::Action::kWarn;
}

// The declared column list applied to a query: the columns in order, cast to their types
// with Spark's CAST.
Result<std::string> ApplyColumnList(engine::Connection& connection, const graph::Dataset& dataset,
                                    const std::string& sql,
                                    const spark::TranslateOptions& options) {
  const auto& columns = dataset.definition.columns;
  if (columns.empty()) return sql;
  SLUICE_ASSIGN_OR_RETURN(spark::BoundRelation relation,
                          DescribeRelation(connection, "(" + sql + ")"));
  std::vector<std::string> items;
  for (const sql::ColumnDefinition& column : columns) {
    if (column.type.empty()) {
      items.push_back(QuoteIdentifier(column.name));
      continue;
    }
    auto cast = spark::ParseExpressionText(
        "CAST(" + QuoteSparkIdentifier(column.name) + " AS " + column.type + ")",
        column.location.file);
    if (!cast.ok()) {
      return InvalidArgument(sql::FormatDiagnostic(
          column.location, "column '" + column.name + "': " + cast.status().message()));
    }
    auto translated =
        spark::TranslateExpression(*cast, relation.columns, options, relation.source_types);
    if (!translated.ok()) {
      return InvalidArgument(sql::FormatDiagnostic(
          column.location, "column '" + column.name + "': " + translated.status().message()));
    }
    items.push_back(translated->sql + " AS " + QuoteIdentifier(column.name));
  }
  return "SELECT " + Join(items, ", ") + " FROM (" + sql + ") AS __sluice_query";
}

class FlowExecution {
 public:
  FlowExecution(const RuntimeEnv& env, const FlowRequest& request,
                const std::function<void(const std::string&)>& on_state)
      : env_(env),
        request_(request),
        flow_(*request.flow),
        target_(*env.graph->FindDataset(flow_.target)),
        on_state_(on_state) {}

  Status Run(FlowOutcome& outcome);

 private:
  Status RunStreaming(FlowOutcome& outcome);
  Status RunStreamBatch(FlowCheckpoint& checkpoint, StreamBatch& batch, FlowOutcome& outcome,
                        bool* grew);
  // Stores the grown schema of every file source that met new columns; sets *grew then.
  Status GrowSchemas(const InputRenderer& renderer, const std::string& dir, bool* grew);
  Status RunBatch(FlowOutcome& outcome);
  // Checks expectations and NOT NULL columns on `sql`, writes what passes.
  // AUTO CDC: checks the target's expectations on the batch's change events and applies
  // them (auto_cdc.h).
  Status ApplyCdc(const std::string& events_sql, const std::string& app_id, int64_t batch_id,
                  FlowOutcome& outcome, int64_t snapshot_version = 0);
  // AUTO CDC FROM SNAPSHOT: applies the source's current version when it is new.
  Status RunSnapshotCdc(FlowOutcome& outcome);
  // ... FROM SNAPSHOT FUNCTION: applies each snapshot the Python function gives, in order.
  Status RunSnapshotFunction(FlowOutcome& outcome);
  Result<std::vector<quality::Rule>> Rules(const std::string& sql);
  // Checks the target's expectations on `sql`; a failed FAIL UPDATE rule is Aborted with
  // Databricks' message (nothing to release then). Release the result after use.
  Result<quality::CheckResult> CheckRules(const std::string& sql);
  // The warn and drop rules' metrics and the dropped rows, into the outcome.
  static void RecordChecks(const quality::CheckResult& check, FlowOutcome& outcome);
  Status CheckAndWrite(const std::string& sql, FlowOutcome& outcome,
                       const delta::WriteOptions& write_options);
  delta::WriteOptions TargetWriteOptions() const;
  // Appends to an existing table take its column types (a later file inferred as BIGINT
  // where the table has DOUBLE); new columns pass through for schema evolution.
  Result<std::string> ConformToTable(const std::string& sql);
  bool SinkMergesSchema() const;
  // pipelines.lateRows.table: the target's property, else the flow's or pipeline's setting.
  std::optional<std::string> LateRowsTable() const;
  Status WriteLateRows(const std::string& table, const std::string& sql, const std::string& app_id,
                       int64_t batch_id);
  const std::string& TablePath() const { return target_.storage_path; }
  spark::TranslateOptions Options() const { return SparkOptions(*env_.settings, flow_.conf); }

  const RuntimeEnv& env_;
  const FlowRequest& request_;
  const graph::Flow& flow_;
  const graph::Dataset& target_;
  const std::function<void(const std::string&)>& on_state_;
  std::unique_ptr<engine::Connection> connection_;
  delta::DeltaContext context_;
  int64_t batches_written_ = 0;  // streaming batches committed by this run
  StatefulOperators stateful_;
  std::optional<StatefulMetrics> recovered_;  // of a batch committed before a crash
};

std::optional<std::string> FlowExecution::LateRowsTable() const {
  return runtime::LateRowsTable(target_, flow_.conf, *env_.settings);
}

Status FlowExecution::WriteLateRows(const std::string& table, const std::string& sql,
                                    const std::string& app_id, int64_t batch_id) {
  // Exactly once, as the batch's rows: the batch id is the txn version of the late table.
  delta::WriteOptions options;
  options.mode = delta::WriteMode::kAppend;
  options.merge_schema = true;
  options.app_id = app_id;
  options.app_version = batch_id;
  options.operation = "STREAMING UPDATE";
  options.table_name = table;
  options.description = "rows of '" + target_.name() + "' dropped as late by the watermark";
  return delta::WriteTable(context_, env_.settings->TablePath(table), sql, options).status();
}

delta::WriteOptions FlowExecution::TargetWriteOptions() const {
  delta::WriteOptions options;
  // A sink's table belongs to whoever else uses it: no pipeline name or comment in it.
  if (target_.is_sink()) return options;
  const sql::DatasetStatement& definition = target_.definition;
  options.partition_by = definition.partition_by;
  options.table_properties = env_.settings->DefaultTableProperties();
  for (const auto& [key, value] : definition.properties) options.table_properties[key] = value;
  if (!definition.cluster_by.empty()) {
    options.table_properties["clusterByColumns"] = Join(definition.cluster_by, ",");
  }
  options.table_name = target_.name();
  options.description = definition.comment;
  return options;
}

Result<std::string> FlowExecution::ConformToTable(const std::string& sql) {
  auto table = delta::LoadSnapshot(context_, TablePath());
  if (!table.ok() || (*table)->schema() == nullptr) return sql;
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult columns,
                          connection_->Query("DESCRIBE SELECT * FROM (" + sql + ")"));
  std::map<std::string, std::string> table_types;
  for (const delta::StructField& field : (*table)->schema()->fields()) {
    table_types[ToLower(field.name)] = delta::ToDuckDbType(*field.type);
  }
  std::vector<std::string> items;
  std::vector<std::string> new_columns;
  bool changed = false;
  for (size_t row = 0; row < columns.row_count(); ++row) {
    const std::string name = columns.at(row, 0).ToString();
    const std::string type = columns.at(row, 1).ToString();
    auto it = table_types.find(ToLower(name));
    if (it == table_types.end()) new_columns.push_back(name);
    if (it != table_types.end() && !EqualsIgnoreCase(it->second, type)) {
      items.push_back("CAST(" + QuoteIdentifier(name) + " AS " + it->second + ") AS " +
                      QuoteIdentifier(name));
      changed = true;
    } else {
      items.push_back(QuoteIdentifier(name));
    }
  }
  // A pipeline's own tables evolve their schema; an external table written by a sink takes
  // new columns only when asked, as Spark's Delta writer does.
  if (target_.is_sink() && !new_columns.empty() && !SinkMergesSchema()) {
    return InvalidArgument("sink '" + target_.name() +
                           "': the rows have columns that the Delta table at " + TablePath() +
                           " does not: " + Join(new_columns, ", ") +
                           " (a schema mismatch, as Spark's Delta writer reports it); set the "
                           "sink option mergeSchema to true to add them to the table");
  }
  if (!changed) return sql;
  return "SELECT " + Join(items, ", ") + " FROM (" + sql + ")";
}

bool FlowExecution::SinkMergesSchema() const {
  for (const auto& [key, value] : target_.definition.sink_options) {
    if (EqualsIgnoreCase(key, "mergeSchema")) return EqualsIgnoreCase(Trim(value), "true");
  }
  return false;
}

Status FlowExecution::Run(FlowOutcome& outcome) {
  SLUICE_ASSIGN_OR_RETURN(connection_, env_.database->Connect());
  context_ = delta::DeltaContext{env_.fs, connection_.get(), env_.clock};
  // The flow's queries see timestamps in the session time zone (spark.sql.session.timeZone):
  // DuckDB formats and splits TIMESTAMP WITH TIME ZONE values in the connection's zone.
  SLUICE_RETURN_IF_ERROR(UseSessionTimeZone(*connection_, Options()));
  if (flow_.cdc && flow_.cdc->from_snapshot) return RunSnapshotCdc(outcome);
  if (flow_.streaming || flow_.once) return RunStreaming(outcome);
  return RunBatch(outcome);
}

Status FlowExecution::RunStreaming(FlowOutcome& outcome) {
  const std::string dir = CheckpointDir(*env_.settings, flow_.name);
  SLUICE_ASSIGN_OR_RETURN(FlowCheckpoint checkpoint,
                          FlowCheckpoint::Open(*env_.fs, dir, flow_.name));
  SLUICE_ASSIGN_OR_RETURN(stateful_,
                          StatefulOperators::Make(*env_.graph, flow_, dir, *env_.settings));
  // A triggered update reads everything available: file sources with rate limits leave a
  // backlog that the next batches take, each committed on its own. A batch that meets
  // new columns (addNewColumns) grows the stored schema and runs again, once.
  bool first = true;
  bool retried = false;
  std::map<std::string, std::optional<KafkaEnds>> kafka_ends;
  while (true) {
    FlowOutcome part;
    StreamBatch batch;
    batch.kafka_ends = &kafka_ends;
    bool grew = false;
    Status status = RunStreamBatch(checkpoint, batch, part, &grew);
    if (!status.ok()) {
      if (grew && !retried) {
        retried = true;
        continue;
      }
      return status;
    }
    retried = false;
    MergeBatchOutcome(part, outcome, first);
    first = false;
    outcome.lost_offsets += batch.lost_offsets;
    int64_t files_left = 0, bytes_left = 0, records_left = 0;
    bool reads_files = false, reads_kafka = false;
    for (const auto& [key, backlog] : batch.backlog) {
      files_left += backlog.files;
      bytes_left += backlog.bytes;
      records_left += backlog.records;
      (IsKafkaSourceKey(key) ? reads_kafka : reads_files) = true;
    }
    if (reads_files) {
      outcome.files_outstanding = part.files_outstanding = files_left;
      outcome.bytes_outstanding = part.bytes_outstanding = bytes_left;
    }
    if (reads_kafka) outcome.records_outstanding = part.records_outstanding = records_left;
    const bool more = files_left > 0 || records_left > 0;
    if (more && part.state == "RUNNING_BATCH" && request_.on_batch) request_.on_batch(part);
    // A replayed batch read the files chosen before; what arrived since is not known until
    // the next batch plans.
    if (part.state != "RUNNING_BATCH" || (!more && !batch.replay)) break;
  }
  if (outcome.state == "RUNNING_BATCH") outcome.state = "COMPLETED";
  if (recovered_) {
    if (!outcome.stateful) {
      outcome.stateful = recovered_;
    } else {
      outcome.stateful->late_rows += recovered_->late_rows;
    }
  }
  return Status::OK();
}

Status FlowExecution::GrowSchemas(const InputRenderer& renderer, const std::string& dir,
                                  bool* grew) {
  for (const std::unique_ptr<FileRead>& read : renderer.file_reads()) {
    std::vector<delta::StructField> added = read->NewFields();
    if (added.empty()) continue;
    StoredSchema grown = read->plan().schema;
    std::vector<delta::StructField> fields = grown.schema.fields();
    for (delta::StructField& field : added) {
      if (grown.schema.Find(field.name) == nullptr) fields.push_back(std::move(field));
    }
    grown.schema = delta::Schema(std::move(fields));
    grown.version += 1;
    SLUICE_RETURN_IF_ERROR(SaveStoredSchema(*env_.fs, dir, read->plan().key, grown));
    *grew = true;
  }
  return Status::OK();
}

// One streaming batch. part.state is RUNNING_BATCH when a batch was written (so that the
// caller may go on with the backlog), else COMPLETED or IDLE.
Status FlowExecution::RunStreamBatch(FlowCheckpoint& checkpoint, StreamBatch& batch,
                                     FlowOutcome& outcome, bool* grew) {
  batch.checkpoint = &checkpoint;
  if (checkpoint.pending()) {
    // A crash after the batch's offsets were written: if its data is in the table, only
    // the commit marker is missing; otherwise the same offsets are read again.
    const BatchOffsets& pending = *checkpoint.pending();
    // A Kafka sink has no table to tell: its batch is written again (at least once).
    auto snapshot = target_.is_kafka_sink() ? Result<delta::SnapshotPtr>(NotFound("no table"))
                                            : delta::LoadSnapshot(context_, TablePath());
    std::optional<int64_t> committed;
    if (flow_.cdc) {
      // An AUTO CDC batch is complete once its state commit (the second) exists.
      committed = CdcCommittedBatch(context_, CdcStatePath(env_.settings->storage, target_.name()),
                                    checkpoint.id());
    } else if (snapshot.ok()) {
      committed = (*snapshot)->TransactionVersion(checkpoint.id());
    }
    if (committed && *committed >= pending.batch_id && snapshot.ok()) {
      SLUICE_RETURN_IF_ERROR(checkpoint.Commit(pending, (*snapshot)->version()));
      if (!stateful_.empty()) {
        // The batch's late rows and watermark were not reported by the update that crashed.
        auto recovered = stateful_.CommittedMetrics(*env_.fs, pending.batch_id);
        if (recovered.ok()) recovered_ = *recovered;
      }
    } else {
      batch.offsets = pending;
      batch.replay = true;
    }
  }
  const std::string idle = request_.continuous ? "IDLE" : "COMPLETED";
  if (flow_.once && checkpoint.last_committed()) {
    outcome.state = idle;
    return Status::OK();
  }
  if (!batch.replay) batch.offsets.batch_id = checkpoint.next_batch_id();

  InputRenderer renderer(context_, *env_.graph, *env_.settings, flow_.once ? nullptr : &batch);
  auto fail = [&](Status status) -> Status {
    SLUICE_RETURN_IF_ERROR(GrowSchemas(renderer, checkpoint.dir(), grew));
    return status;
  };
  auto rendered = !stateful_.empty() ? stateful_.RenderInput(renderer)
                                     : renderer.Render(flow_.query, flow_.inputs, flow_.conf);
  if (!rendered.ok()) {
    // A stream whose source table does not exist yet simply has nothing to read.
    if (rendered.status().code() == StatusCode::kNotFound && !flow_.once &&
        rendered.status().message() == kNoDataYet) {
      outcome.state = idle;
      return Status::OK();
    }
    return fail(rendered.status());
  }
  if (!flow_.once && !batch.new_data && !batch.replay) {
    outcome.state = idle;
    return Status::OK();
  }
  if (!batch.replay) SLUICE_RETURN_IF_ERROR(checkpoint.WriteOffsets(batch.offsets));
  on_state_("RUNNING");
  std::string query_sql = *rendered;
  if (!stateful_.empty()) {
    // The state's next version is committed before the rows, with the late rows' table.
    StatefulMetrics metrics;
    std::string late_sql;
    const std::optional<std::string> late_table = LateRowsTable();
    std::string* late_out = late_table ? &late_sql : nullptr;
    auto output = stateful_.Apply(renderer, *connection_, *env_.fs, batch.offsets.batch_id,
                                  &metrics, late_out);
    if (!output.ok()) return fail(output.status());
    query_sql = *output;
    outcome.stateful = metrics;
    if (late_table) {
      Status written =
          WriteLateRows(*late_table, late_sql, checkpoint.id(), batch.offsets.batch_id);
      if (!written.ok()) return fail(written);
    }
  }
  SLUICE_ASSIGN_OR_RETURN(std::string sql,
                          ApplyColumnList(*connection_, target_, query_sql, Options()));
  delta::WriteOptions options = TargetWriteOptions();
  const bool replace = request_.replace_target && batches_written_ == 0;
  options.mode = replace ? delta::WriteMode::kOverwrite : delta::WriteMode::kAppend;
  options.overwrite_schema = replace;
  options.merge_schema = !replace;
  options.app_id = checkpoint.id();
  options.app_version = batch.offsets.batch_id;
  options.operation = "STREAMING UPDATE";
  outcome.batch_id = batch.offsets.batch_id;
  if (flow_.cdc) {
    Status applied = ApplyCdc(*rendered, checkpoint.id(), batch.offsets.batch_id, outcome);
    if (!applied.ok()) return fail(applied);
  } else if (target_.is_kafka_sink()) {
    auto written = WriteKafkaSink(*connection_, target_, sql, flow_.name, batch.offsets.batch_id);
    if (!written.ok()) return fail(written.status());
    outcome.output_rows = *written;
    outcome.wrote = *written > 0;
  } else {
    Status written = CheckAndWrite(sql, outcome, options);
    if (!written.ok()) return fail(written);
  }
  for (const std::unique_ptr<FileRead>& read : renderer.file_reads()) {
    outcome.dropped_malformed += read->dropped_malformed();
  }
  SLUICE_SYNC_POINT("flow.data_committed");
  SLUICE_RETURN_IF_ERROR(checkpoint.Commit(batch.offsets, outcome.table_version));
  ++batches_written_;
  outcome.state = "RUNNING_BATCH";
  return renderer.Release();
}

Status FlowExecution::RunBatch(FlowOutcome& outcome) {
  // A materialized view is recomputed only when what it reads (or its definition) changed;
  // deciding that reads only Delta logs and folder listings.
  const std::string dir = CheckpointDir(*env_.settings, flow_.name);
  const std::string state_path = dir + "/refresh.json";
  std::string definition = "query=" + flow_.query.text + "\n";
  for (const sql::Expectation& e : target_.definition.expectations) {
    definition +=
        "expect=" + e.name + ":" + e.condition + ":" + sql::ViolationActionName(e.action) + "\n";
  }
  for (const sql::ColumnDefinition& c : target_.definition.columns) {
    definition += "column=" + c.name + ":" + c.type + (c.not_null ? ":not null" : "") + "\n";
  }
  for (const auto& [key, value] : target_.definition.properties) {
    definition += "property=" + key + "=" + value + "\n";
  }
  SLUICE_ASSIGN_OR_RETURN(std::string fingerprint,
                          InputVersions(context_, *env_.graph, *env_.settings, flow_.inputs));
  fingerprint += definition;
  const bool deterministic = !IsNondeterministic(flow_.query.text);
  auto table = delta::LoadSnapshot(context_, TablePath());
  if (deterministic && table.ok() && !request_.replace_target) {
    auto previous = env_.fs->ReadFile(state_path);
    const std::string expected = std::to_string((*table)->version()) + "\n" + fingerprint;
    if (previous.ok() && *previous == expected) {
      outcome.up_to_date = true;
      outcome.table_version = (*table)->version();
      if (request_.continuous) outcome.state = "IDLE";
      return Status::OK();
    }
  }
  on_state_("RUNNING");
  delta::WriteOptions options = TargetWriteOptions();
  options.mode = delta::WriteMode::kOverwrite;
  options.overwrite_schema = true;
  options.operation = "CREATE OR REPLACE TABLE AS SELECT";
  auto remember = [&](int64_t version) -> Status {
    SLUICE_RETURN_IF_ERROR(env_.fs->CreateDirectories(dir));
    return env_.fs->WriteFile(state_path, std::to_string(version) + "\n" + fingerprint);
  };

  if (deterministic) {
    AggregateRefresh refresh;
    refresh.context = &context_;
    refresh.graph = env_.graph;
    refresh.settings = env_.settings;
    refresh.flow = &flow_;
    refresh.checkpoint_dir = dir;
    refresh.table_path = TablePath();
    refresh.definition = definition;
    refresh.replace_target = request_.replace_target;
    refresh.write = [&](const std::string& sql) -> Result<int64_t> {
      SLUICE_ASSIGN_OR_RETURN(std::string listed,
                              ApplyColumnList(*connection_, target_, sql, Options()));
      SLUICE_RETURN_IF_ERROR(CheckAndWrite(listed, outcome, options));
      return outcome.table_version;
    };
    SLUICE_ASSIGN_OR_RETURN(AggregateRefreshResult refreshed, RefreshAggregateView(refresh));
    if (refreshed.handled) {
      outcome.table_version = refreshed.table_version;
      outcome.maintenance_type = refreshed.incremental ? "MAINTENANCE_TYPE_ROW_BASED"
                                                       : "MAINTENANCE_TYPE_COMPLETE_RECOMPUTE";
      outcome.incrementalization_issue = refreshed.issue;
      return remember(refreshed.table_version);
    }
    outcome.incrementalization_issue = refreshed.issue;
  } else {
    outcome.incrementalization_issue = "PLAN_NOT_DETERMINISTIC";
  }
  outcome.maintenance_type = "MAINTENANCE_TYPE_COMPLETE_RECOMPUTE";

  InputRenderer renderer(context_, *env_.graph, *env_.settings, nullptr);
  SLUICE_ASSIGN_OR_RETURN(std::string rendered,
                          renderer.Render(flow_.query, flow_.inputs, flow_.conf));
  SLUICE_ASSIGN_OR_RETURN(std::string sql,
                          ApplyColumnList(*connection_, target_, rendered, Options()));
  SLUICE_RETURN_IF_ERROR(CheckAndWrite(sql, outcome, options));
  SLUICE_RETURN_IF_ERROR(remember(outcome.table_version));
  return renderer.Release();
}

Result<std::vector<quality::Rule>> FlowExecution::Rules(const std::string& sql) {
  std::vector<quality::Rule> rules;
  if (target_.definition.expectations.empty()) return rules;
  // Described once for every expectation (binding a translated query is not free).
  SLUICE_ASSIGN_OR_RETURN(spark::BoundRelation relation,
                          DescribeRelation(*connection_, "(" + sql + ")"));
  for (const sql::Expectation& expectation : target_.definition.expectations) {
    auto condition = spark::TranslateExpression(*expectation.parsed, relation.columns, Options(),
                                                relation.source_types);
    if (!condition.ok()) {
      return InvalidArgument(sql::FormatDiagnostic(
          expectation.location,
          "expectation '" + expectation.name + "': " + condition.status().message()));
    }
    rules.push_back(quality::Rule{expectation.name, condition->sql, ToAction(expectation.action),
                                  expectation.condition});
  }
  return rules;
}

Result<quality::CheckResult> FlowExecution::CheckRules(const std::string& sql) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<quality::Rule> rules, Rules(sql));
  SLUICE_ASSIGN_OR_RETURN(
      quality::CheckResult check,
      quality::CheckExpectations(*connection_, sql, rules, "__sluice_check_" + flow_.name));
  if (check.failure) {
    (void)quality::ReleaseCheck(*connection_, check);
    return Aborted(quality::FailureMessage(*check.failure, target_.name()));
  }
  return check;
}

void FlowExecution::RecordChecks(const quality::CheckResult& check, FlowOutcome& outcome) {
  outcome.dropped_records = check.dropped_records;
  for (const quality::RuleMetrics& metrics : check.metrics) {
    if (metrics.action != quality::Action::kFail) outcome.metrics.push_back(metrics);
  }
}

// pipelines.cdc.tombstoneGCThresholdInSeconds: the target's property, else the flow's or
// the pipeline's configuration, else two days.
int64_t TombstoneThresholdMillis(const graph::Dataset& target, const graph::Flow& flow,
                                 const spec::PipelineSettings& settings) {
  const std::string key = "pipelines.cdc.tombstoneGCThresholdInSeconds";
  std::optional<std::string> value;
  for (const auto& [name, text] : target.definition.properties) {
    if (EqualsIgnoreCase(name, key)) value = text;
  }
  if (!value) {
    for (const auto* conf : {&flow.conf, &settings.configuration}) {
      for (const auto& [name, text] : *conf) {
        if (!value && EqualsIgnoreCase(name, key)) value = text;
      }
    }
  }
  if (value) {
    if (auto seconds = ParseInt64(Trim(*value))) return *seconds * 1000;
  }
  return 2LL * 24 * 3600 * 1000;
}

Status FlowExecution::RunSnapshotFunction(FlowOutcome& outcome) {
  const std::string dir = CheckpointDir(*env_.settings, flow_.name);
  SLUICE_ASSIGN_OR_RETURN(FlowCheckpoint checkpoint,
                          FlowCheckpoint::Open(*env_.fs, dir, flow_.name));
  std::shared_ptr<python::SnapshotFunction> function;
  if (env_.snapshot_functions != nullptr) {
    auto found = env_.snapshot_functions->find(ToLower(flow_.name));
    if (found != env_.snapshot_functions->end()) function = found->second;
  }
  if (function == nullptr) {
    return Internal("the snapshot function of flow '" + flow_.name +
                    "' is not loaded (open the pipeline from its Python files)");
  }
  // The version last applied is the txn version of the target's CDC state; a full refresh
  // starts over from the first snapshot.
  std::optional<int64_t> latest;
  if (!request_.replace_target) {
    latest = CdcCommittedBatch(context_, CdcStatePath(env_.settings->storage, target_.name()),
                               checkpoint.id());
  }
  UpdateSchemas schemas(env_);
  int64_t applied = 0;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(std::optional<python::SnapshotFunction::Snapshot> next,
                            function->Next(latest, env_.settings->configuration, schemas));
    if (!next) break;
    if (latest && next->version <= *latest) {
      return InvalidArgument("the snapshot function of flow '" + flow_.name +
                             "' returned version " + std::to_string(next->version) +
                             ", which is not newer than the version applied last (" +
                             std::to_string(*latest) + "); snapshot versions must increase");
    }
    if (applied == 0) on_state_("RUNNING");
    SLUICE_ASSIGN_OR_RETURN(
        std::unique_ptr<PipelineQuery> query,
        PipelineQuery::Translate(env_, context_, next->query, flow_.location.file));
    FlowOutcome part;
    SLUICE_RETURN_IF_ERROR(
        ApplyCdc(query->sql(), checkpoint.id(), next->version, part, next->version));
    ++batches_written_;
    ++applied;
    outcome.output_rows += part.output_rows;
    outcome.upserted_rows = outcome.upserted_rows.value_or(0) + part.upserted_rows.value_or(0);
    outcome.deleted_rows = outcome.deleted_rows.value_or(0) + part.deleted_rows.value_or(0);
    AddRuleMetrics(part.metrics, outcome.metrics);
    outcome.dropped_records += part.dropped_records;
    outcome.wrote = outcome.wrote || part.wrote;
    outcome.table_version = part.table_version;
    outcome.batch_id = next->version;
    latest = next->version;
  }
  if (applied == 0) {
    outcome.up_to_date = true;
    if (request_.continuous) outcome.state = "IDLE";
  }
  return Status::OK();
}

Status FlowExecution::RunSnapshotCdc(FlowOutcome& outcome) {
  if (!flow_.cdc->snapshot_function.empty()) return RunSnapshotFunction(outcome);
  const std::string dir = CheckpointDir(*env_.settings, flow_.name);
  SLUICE_ASSIGN_OR_RETURN(FlowCheckpoint checkpoint,
                          FlowCheckpoint::Open(*env_.fs, dir, flow_.name));
  const graph::Input& input = flow_.inputs.at(0);
  const graph::Dataset* source_dataset =
      input.kind == sql::ReferenceKind::kDataset ? env_.graph->FindDataset(input.dataset) : nullptr;
  const std::string source = source_dataset != nullptr ? source_dataset->storage_path : input.path;
  auto snapshot = delta::LoadSnapshot(context_, source);
  if (!snapshot.ok()) {
    if (snapshot.status().code() != StatusCode::kNotFound) return snapshot.status();
    return NotFound("the snapshot source '" + (input.dataset.empty() ? input.path : input.dataset) +
                    "' has no data yet");
  }
  // Each version of the source is applied once: its version is the batch's txn version.
  const int64_t version = (*snapshot)->version();
  std::optional<int64_t> applied = CdcCommittedBatch(
      context_, CdcStatePath(env_.settings->storage, target_.name()), checkpoint.id());
  if (!request_.replace_target && applied && *applied >= version) {
    outcome.up_to_date = true;
    if (request_.continuous) outcome.state = "IDLE";
    return Status::OK();
  }
  on_state_("RUNNING");
  InputRenderer renderer(context_, *env_.graph, *env_.settings, nullptr);
  SLUICE_ASSIGN_OR_RETURN(std::string rendered,
                          renderer.Render(flow_.query, flow_.inputs, flow_.conf));
  outcome.batch_id = version;
  SLUICE_RETURN_IF_ERROR(ApplyCdc(rendered, checkpoint.id(), version, outcome, version));
  return renderer.Release();
}

Status FlowExecution::ApplyCdc(const std::string& events_sql, const std::string& app_id,
                               int64_t batch_id, FlowOutcome& outcome, int64_t snapshot_version) {
  SLUICE_ASSIGN_OR_RETURN(quality::CheckResult check, CheckRules(events_sql));
  auto release = [&] { (void)quality::ReleaseCheck(*connection_, check); };
  CdcBatch batch;
  batch.context = &context_;
  batch.flow = &flow_;
  batch.target_path = TablePath();
  batch.state_path = CdcStatePath(env_.settings->storage, target_.name());
  batch.events_sql = check.output_sql;
  batch.snapshot_version = snapshot_version;
  batch.repeatable_events = ReadsTheSameEachTime(*env_.graph, flow_);
  batch.replace = request_.replace_target && batches_written_ == 0;
  batch.app_id = app_id;
  batch.batch_id = batch_id;
  batch.now_ms = env_.clock->NowMillis();
  batch.tombstone_gc_threshold_ms = TombstoneThresholdMillis(target_, flow_, *env_.settings);
  batch.target_options = TargetWriteOptions();
  batch.options = Options();
  for (const sql::ColumnDefinition& column : target_.definition.columns) {
    batch.declared_columns.push_back(column.name);
  }
  auto applied = ApplyChanges(batch);
  release();
  if (!applied.ok()) return applied.status();
  outcome.output_rows = applied->upserted_rows + applied->deleted_rows;
  outcome.upserted_rows = applied->upserted_rows;
  outcome.deleted_rows = applied->deleted_rows;
  RecordChecks(check, outcome);
  outcome.wrote = applied->wrote;
  outcome.table_version = applied->target_version;
  return Status::OK();
}

Status FlowExecution::CheckAndWrite(const std::string& sql, FlowOutcome& outcome,
                                    const delta::WriteOptions& write_options) {
  SLUICE_ASSIGN_OR_RETURN(quality::CheckResult check, CheckRules(sql));
  auto release = [&] { (void)quality::ReleaseCheck(*connection_, check); };
  for (const sql::ColumnDefinition& column : target_.definition.columns) {
    if (!column.not_null) continue;
    auto nulls = connection_->Query("SELECT count(*) FROM (" + check.output_sql + ") WHERE " +
                                    QuoteIdentifier(column.name) + " IS NULL");
    if (!nulls.ok()) {
      release();
      return nulls.status();
    }
    auto count = nulls->Scalar();
    if (count.ok() && !count->is_null() && std::get<int64_t>(count->data) > 0) {
      release();
      return Aborted("column '" + column.name + "' of '" + target_.name() +
                     "' is declared NOT NULL, but " + count->ToString() + " rows have NULL");
    }
  }
  std::string output_sql = check.output_sql;
  if (write_options.mode == delta::WriteMode::kAppend) {
    auto conformed = ConformToTable(output_sql);
    if (!conformed.ok()) {
      release();
      return conformed.status();
    }
    output_sql = *conformed;
  }
  auto written = delta::WriteTable(context_, TablePath(), output_sql, write_options);
  release();
  if (!written.ok()) return written.status();
  outcome.output_rows = written->skipped ? 0 : written->rows_written;
  RecordChecks(check, outcome);
  outcome.wrote = !written->skipped;
  outcome.table_version = written->version;
  if (written->skipped) {
    auto snapshot = delta::LoadSnapshot(context_, TablePath());
    if (snapshot.ok()) outcome.table_version = (*snapshot)->version();
  }
  return Status::OK();
}

}  // namespace

std::string CheckpointDir(const spec::PipelineSettings& settings, const std::string& flow) {
  return settings.checkpoints_dir() + "/" + flow;
}

Status InstallSparkCompat(engine::Database& database) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> connection, database.Connect());
  return InstallSparkFunctions(*connection);
}

FlowOutcome RunFlow(const RuntimeEnv& env, const FlowRequest& request,
                    const std::function<void(const std::string& state)>& on_state) {
  FlowOutcome outcome;
  FlowExecution execution(env, request, on_state);
  Status status = execution.Run(outcome);
  if (!status.ok()) {
    outcome.state = "FAILED";
    // A secret a query read may be quoted by its error (a failed cast, say).
    outcome.error = RedactSecrets(status.message());
  }
  return outcome;
}

}  // namespace sluice::runtime
