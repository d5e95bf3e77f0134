#include "runtime/aggregate_refresh.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "delta/scan.h"
#include "runtime/checkpoint.h"
#include "runtime/file_tree.h"
#include "runtime/incremental_aggregate.h"
#include "runtime/inputs.h"
#include "runtime/spark_sql.h"

namespace sluice::runtime {
namespace {

// The version of what PlanIncrementalAggregate recognizes: a definition found not to
// qualify is planned again by a planner that recognizes more.
constexpr int kPlannerVersion = 2;

// aggregate.json: which view version and definition the checkpoint's state belongs to.
struct AggregateState {
  std::string definition;
  bool qualifies = true;  // false: this definition is recomputed in full, do not plan again
  int64_t table_version = -1;
  int64_t batch_id = -1;
  int planner = kPlannerVersion;  // the planner that decided `qualifies`
};

std::string StatePath(const std::string& dir) { return dir + "/aggregate.json"; }

std::string PairsPath(const std::string& dir, int64_t batch, size_t column) {
  return dir + "/state/" + std::to_string(batch) + "-" + std::to_string(column) + ".parquet";
}

std::optional<AggregateState> ReadState(io::FileSystem& fs, const std::string& dir) {
  auto text = fs.ReadFile(StatePath(dir));
  if (!text.ok()) return std::nullopt;
  const nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  AggregateState state;
  state.definition = doc.value("definition", "");
  state.qualifies = doc.value("qualifies", true);
  state.table_version = doc.value("table_version", int64_t{-1});
  state.batch_id = doc.value("batch_id", int64_t{-1});
  state.planner = doc.value("planner", 1);
  return state;
}

Status WriteState(io::FileSystem& fs, const std::string& dir, const AggregateState& state) {
  nlohmann::ordered_json doc;
  doc["definition"] = state.definition;
  doc["qualifies"] = state.qualifies;
  doc["table_version"] = state.table_version;
  doc["batch_id"] = state.batch_id;
  doc["planner"] = state.planner;
  return fs.WriteFile(StatePath(dir), doc.dump() + "\n");
}

bool SameNames(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!EqualsIgnoreCase(a[i], b[i])) return false;
  }
  return true;
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

struct Columns {
  std::vector<std::string> names;
  std::vector<std::string> types;
};

Result<Columns> Describe(engine::Connection& connection, const std::string& sql) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                          connection.Query("DESCRIBE SELECT * FROM (" + sql + ")"));
  Columns columns;
  for (size_t row = 0; row < described.row_count(); ++row) {
    columns.names.push_back(described.at(row, 0).ToString());
    columns.types.push_back(described.at(row, 1).ToString());
  }
  return columns;
}

// One attempt at refreshing: incremental when `incremental`, else from the whole source.
class Attempt {
 public:
  Attempt(const AggregateRefresh& request, FlowCheckpoint& checkpoint)
      : request_(request),
        connection_(*request.context->connection),
        checkpoint_(checkpoint),
        renderer_(*request.context, *request.graph, *request.settings, &batch_) {
    batch_.checkpoint = &checkpoint_;
    batch_.offsets.batch_id = checkpoint_.next_batch_id();
  }
  ~Attempt() { Cleanup(); }

  // Renders the source and plans; InvalidArgument when the source cannot be read
  // incrementally (rows changed, table replaced).
  Status Prepare();
  const std::optional<AggregatePlan>& plan() const { return plan_; }
  bool new_data() const { return batch_.new_data; }
  // Refreshes from the new rows; false when the view's current rows do not fit the
  // query any more (its columns changed), so that it must start over.
  Result<bool> RunIncremental(int64_t& table_version);
  Status RunInitial(int64_t& table_version);

 private:
  Status Finish(int64_t table_version);
  void Cleanup();

  const AggregateRefresh& request_;
  engine::Connection& connection_;
  FlowCheckpoint& checkpoint_;
  StreamBatch batch_;
  InputRenderer renderer_;
  std::string relation_;
  std::string sql_;  // the view's query over the rows this batch reads
  Columns columns_;
  std::optional<AggregatePlan> plan_;
  std::vector<std::string> temp_tables_;
  std::optional<delta::ScanPlan> current_scan_;
};

Status Attempt::Prepare() {
  const graph::Flow& flow = *request_.flow;
  graph::Input input = flow.inputs[0];
  input.streaming = true;
  SLUICE_ASSIGN_OR_RETURN(spark::BoundRelation source,
                          renderer_.Relation(input, flow.query.references[0]));
  relation_ = source.sql;
  // The query over a placeholder name standing for its source, for the planner to read.
  const std::string placeholder = "__sluice_ref_0__";
  source.sql = placeholder;
  SLUICE_ASSIGN_OR_RETURN(
      spark::Translation translation,
      TranslateWithRelations(flow.query, {source}, SparkOptions(*request_.settings, flow.conf)));
  const std::string translated = translation.sql;
  sql_ = translated;
  ReplaceAll(sql_, placeholder, relation_);
  SLUICE_ASSIGN_OR_RETURN(columns_, Describe(connection_, sql_));
  SLUICE_ASSIGN_OR_RETURN(
      plan_, PlanIncrementalAggregate(connection_, translated, placeholder, columns_.names));
  if (plan_) {
    for (auto& [column, pairs] : plan_->distinct_pairs_sql)
      ReplaceAll(pairs, placeholder, relation_);
  }
  return Status::OK();
}

Result<bool> Attempt::RunIncremental(int64_t& table_version) {
  const std::string& dir = request_.checkpoint_dir;
  const int64_t previous = *checkpoint_.last_committed();
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr current,
                          delta::LoadSnapshot(*request_.context, request_.table_path));
  SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan scan, delta::PlanScan(*request_.context, *current));
  current_scan_ = std::move(scan);
  SLUICE_ASSIGN_OR_RETURN(Columns stored, Describe(connection_, current_scan_->sql));
  if (!SameNames(stored.names, columns_.names)) return false;
  for (const auto& [column, pairs] : plan_->distinct_pairs_sql) {
    if (!request_.context->fs->Stat(PairsPath(dir, previous, column)).ok()) return false;
  }

  SLUICE_RETURN_IF_ERROR(checkpoint_.WriteOffsets(batch_.offsets));
  const std::vector<std::string> keys = AggregateKeyColumns(*plan_, columns_.names);
  std::map<size_t, std::string> increments;
  for (const auto& [column, pairs] : plan_->distinct_pairs_sql) {
    // Pairs not seen before: they raise the distinct count and join the state.
    const std::string seen = "read_parquet(" + QuoteLiteral(PairsPath(dir, previous, column)) + ")";
    const std::string fresh = "__sluice_fresh_pairs_" + std::to_string(column);
    SLUICE_RETURN_IF_ERROR(connection_.Execute("CREATE OR REPLACE TEMP TABLE " + fresh + " AS (" +
                                               pairs + ") EXCEPT SELECT * FROM " + seen));
    temp_tables_.push_back(fresh);
    SLUICE_RETURN_IF_ERROR(connection_.Execute(
        "COPY (SELECT * FROM " + seen + " UNION ALL SELECT * FROM " + fresh + ") TO " +
        QuoteLiteral(PairsPath(dir, batch_.offsets.batch_id, column)) +
        " (FORMAT parquet, COMPRESSION zstd)"));
    std::string counted = "SELECT " + (keys.empty() ? "" : Join(keys, ", ") + ", ") +
                          "count(__sluice_value) AS __sluice_increment FROM " + fresh;
    if (!keys.empty()) counted += " GROUP BY " + Join(keys, ", ");
    increments[column] = counted;
  }
  const std::string merged = MergeAggregatesSql(*plan_, columns_.names, stored.types,
                                                "(" + current_scan_->sql + ")", sql_, increments);
  SLUICE_ASSIGN_OR_RETURN(table_version, request_.write(merged));
  SLUICE_RETURN_IF_ERROR(Finish(table_version));
  return true;
}

Status Attempt::RunInitial(int64_t& table_version) {
  SLUICE_RETURN_IF_ERROR(checkpoint_.WriteOffsets(batch_.offsets));
  for (const auto& [column, pairs] : plan_->distinct_pairs_sql) {
    SLUICE_RETURN_IF_ERROR(connection_.Execute(
        "COPY (" + pairs + ") TO " +
        QuoteLiteral(PairsPath(request_.checkpoint_dir, batch_.offsets.batch_id, column)) +
        " (FORMAT parquet, COMPRESSION zstd)"));
  }
  SLUICE_ASSIGN_OR_RETURN(table_version, request_.write(sql_));
  return Finish(table_version);
}

Status Attempt::Finish(int64_t table_version) {
  io::FileSystem& fs = *request_.context->fs;
  const std::string& dir = request_.checkpoint_dir;
  SLUICE_RETURN_IF_ERROR(checkpoint_.Commit(batch_.offsets, table_version));
  SLUICE_RETURN_IF_ERROR(WriteState(
      fs, dir, AggregateState{request_.definition, true, table_version, batch_.offsets.batch_id}));
  // State of earlier batches is no longer needed once this batch is committed.
  auto listing = fs.ListDirectory(dir + "/state");
  if (listing.ok()) {
    const std::string keep = std::to_string(batch_.offsets.batch_id) + "-";
    for (const io::FileInfo& file : *listing) {
      const std::string name = file.name.substr(file.name.find_last_of('/') + 1);
      if (name.rfind(keep, 0) != 0) (void)fs.DeleteFile(dir + "/state/" + name);
    }
  }
  return Status::OK();
}

void Attempt::Cleanup() {
  for (const std::string& table : temp_tables_) {
    (void)connection_.Execute("DROP TABLE IF EXISTS " + table);
  }
  temp_tables_.clear();
  if (current_scan_) (void)delta::ReleaseScan(connection_, *current_scan_);
  current_scan_.reset();
  (void)renderer_.Release();
}

// Why the checkpoint's state cannot be carried forward (empty when it can): the same
// definition, the view unchanged since the last refresh, and no batch left half done.
std::string ContinuationIssue(const AggregateRefresh& request, const FlowCheckpoint& checkpoint) {
  if (request.replace_target) return "FULL_REFRESH";
  auto state = ReadState(*request.context->fs, request.checkpoint_dir);
  if (!state || !checkpoint.last_committed()) return "NO_PREVIOUS_STATE";
  if (state->definition != request.definition) return "QUERY_FINGERPRINT_CHANGED";
  if (checkpoint.pending() || state->batch_id != *checkpoint.last_committed()) {
    return "INTERRUPTED_REFRESH";
  }
  auto table = delta::LoadSnapshot(*request.context, request.table_path);
  if (!table.ok() || (*table)->version() != state->table_version) return "TARGET_CHANGED";
  return "";
}

// Why the view's flow cannot be refreshed incrementally whatever its query (empty if it
// may be).
std::string DefinitionIssue(const AggregateRefresh& request) {
  const graph::Flow& flow = *request.flow;
  if (flow.inputs.size() != 1 || flow.query.references.size() != 1) return "MULTIPLE_SOURCES";
  const graph::Input& input = flow.inputs[0];
  if (input.streaming) return "PLAN_NOT_INCREMENTALIZABLE";
  if (input.kind == sql::ReferenceKind::kDataset) {
    const graph::Dataset* source = request.graph->FindDataset(input.dataset);
    if (source == nullptr || !source->is_table()) return "SOURCE_NOT_A_TABLE";
  } else if (input.kind != sql::ReferenceKind::kDeltaPath) {
    return "SOURCE_NOT_A_TABLE";
  }
  // A dropped row would be missing from the current rows the new ones merge into.
  const graph::Dataset* target = request.graph->FindDataset(flow.target);
  if (target == nullptr) return "PLAN_NOT_INCREMENTALIZABLE";
  for (const sql::Expectation& expectation : target->definition.expectations) {
    if (expectation.action == sql::ViolationAction::kDrop) return "DROP_EXPECTATIONS";
  }
  return "";
}

}  // namespace

// A source that does not exist yet: the usual recompute reports it.
bool NoDataYet(const Status& status) {
  return status.code() == StatusCode::kNotFound && status.message() == kNoDataYet;
}

Result<AggregateRefreshResult> RefreshAggregateView(const AggregateRefresh& request) {
  AggregateRefreshResult result;
  result.issue = DefinitionIssue(request);
  if (!result.issue.empty()) return result;
  io::FileSystem& fs = *request.context->fs;
  const std::string& dir = request.checkpoint_dir;
  std::optional<AggregateState> state = ReadState(fs, dir);
  result.issue = "PLAN_NOT_INCREMENTALIZABLE";
  if (state && !state->qualifies && state->definition == request.definition &&
      state->planner == kPlannerVersion) {
    return result;
  }
  auto not_qualified = [&]() -> Result<AggregateRefreshResult> {
    SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir));
    SLUICE_RETURN_IF_ERROR(WriteState(fs, dir, AggregateState{request.definition, false, -1, -1}));
    return result;
  };
  SLUICE_ASSIGN_OR_RETURN(FlowCheckpoint checkpoint,
                          FlowCheckpoint::Open(fs, dir, request.flow->name));
  std::string issue = ContinuationIssue(request, checkpoint);
  if (issue.empty()) {
    Attempt attempt(request, checkpoint);
    Status prepared = attempt.Prepare();
    if (NoDataYet(prepared)) return result;
    if (!prepared.ok() && prepared.code() != StatusCode::kInvalidArgument) return prepared;
    issue = "SOURCE_NOT_APPEND_ONLY";  // rows updated or deleted, or the table replaced
    if (prepared.ok()) {
      if (!attempt.plan()) return not_qualified();
      result.handled = true;
      result.issue.clear();
      if (!attempt.new_data()) {
        // Nothing appended (the source's new commits only reorganized files).
        result.incremental = true;
        result.table_version = ReadState(fs, dir)->table_version;
        return result;
      }
      SLUICE_ASSIGN_OR_RETURN(bool merged, attempt.RunIncremental(result.table_version));
      if (merged) {
        result.incremental = true;
        return result;
      }
      issue = "SCHEMA_CHANGED";
    }
  }
  // From the whole source, with a new checkpoint.
  SLUICE_RETURN_IF_ERROR(FlowCheckpoint::Reset(fs, dir));
  SLUICE_ASSIGN_OR_RETURN(checkpoint, FlowCheckpoint::Open(fs, dir, request.flow->name));
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(dir + "/state"));
  Attempt attempt(request, checkpoint);
  Status prepared = attempt.Prepare();
  if (NoDataYet(prepared)) return result;
  SLUICE_RETURN_IF_ERROR(prepared);
  if (!attempt.plan()) return not_qualified();
  result.handled = true;
  result.incremental = false;
  result.issue = issue;
  SLUICE_RETURN_IF_ERROR(attempt.RunInitial(result.table_version));
  return result;
}

}  // namespace sluice::runtime
