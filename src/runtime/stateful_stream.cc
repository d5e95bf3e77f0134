#include "runtime/stateful_stream.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/sync_point.h"
#include "runtime/spark_sql.h"
#include "spark/parser.h"
#include "sql/diagnostics.h"

namespace sluice::runtime {
namespace {

constexpr const char* kRowsTable = "__sluice_stateful_rows";
constexpr const char* kOutputTable = "__sluice_stateful_output";
constexpr const char* kStateTable = "__sluice_stateful_state";
constexpr const char* kNewRowsTable = "__sluice_stateful_new";
// A batch's partial aggregates (PutBatchPartials).
constexpr const char* kBatchPartialsTable = "__sluice_stateful_batch";
// Session windows with a gap computed per row: the end of a row's own session (microseconds).
constexpr const char* kSessionEndColumn = "__session_end_us";

std::string Column(int index) { return spark::RowColumnName(static_cast<size_t>(index)); }

int64_t FloorMod(int64_t a, int64_t b) {
  const int64_t r = a % b;
  return r < 0 ? r + b : r;
}

// What the partial aggregates of an aggregation depend on: the text of its select list,
// WHERE, GROUP BY, HAVING and QUALIFY, without case and spaces, hashed (FNV-1a).
std::string AggregationSignature(const spark::SelectBody& select, const std::string& source) {
  std::string text;
  auto add = [&](const spark::Expr* expr) {
    if (expr == nullptr) return;
    for (size_t i = expr->span.begin; i < expr->span.end && i < source.size(); ++i) {
      const char c = source[i];
      if (!std::isspace(static_cast<unsigned char>(c))) {
        text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
    }
    text += '\x1f';
  };
  for (const spark::SelectItem& item : select.items) add(item.expr.get());
  add(select.where.get());
  for (const spark::GroupingElement& element : select.group_by) {
    add(element.expr.get());
    for (const auto& set : element.sets) {
      for (const spark::ExprPtr& e : set) add(e.get());
    }
  }
  add(select.having.get());
  add(select.qualify.get());
  uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

}  // namespace

std::optional<std::string> LateRowsTable(const graph::Dataset& target,
                                         const std::map<std::string, std::string>& conf,
                                         const spec::PipelineSettings& settings) {
  const std::string key = "pipelines.lateRows.table";
  for (const auto* values : {&target.definition.properties, &conf, &settings.configuration}) {
    for (const auto& [name, value] : *values) {
      if (EqualsIgnoreCase(name, key) && !Trim(value).empty()) return Trim(value);
    }
  }
  return std::nullopt;
}

bool ReadsTheSameEachTime(const graph::Graph& graph, const graph::Flow& flow) {
  if (IsNondeterministic(flow.query.text)) return false;
  if (flow.cdc) {
    for (const auto* expression :
         {&flow.cdc->sequence_by, &flow.cdc->delete_condition, &flow.cdc->truncate_condition}) {
      if (*expression && IsNondeterministic((*expression)->text)) return false;
    }
  }
  for (const graph::Input& input : flow.inputs) {
    if (input.kind != sql::ReferenceKind::kDataset) continue;
    const graph::Dataset* dataset = graph.FindDataset(input.dataset);
    if (dataset == nullptr || !dataset->is_table()) return false;
  }
  return true;
}

Result<std::unique_ptr<StatefulStream>> StatefulStream::Make(
    const graph::Flow& flow, spark::StatefulOperator op, std::string checkpoint_dir,
    const std::map<std::string, std::string>& conf, bool repeatable_input, int operator_index) {
  std::unique_ptr<StatefulStream> stream(
      new StatefulStream(flow, op, checkpoint_dir + "/state/" + std::to_string(operator_index)));
  stream->repeatable_input_ = repeatable_input;
  for (const auto& [key, value] : conf) {
    if (EqualsIgnoreCase(key, "spark.sql.streaming.multipleWatermarkPolicy")) {
      stream->max_policy_ = EqualsIgnoreCase(Trim(value), "max");
    }
  }
  const spark::ParsedQuery& parsed = *flow.query.parsed;
  if (op.kind == spark::StatefulOperator::Kind::kAggregation) {
    SLUICE_ASSIGN_OR_RETURN(stream->window_, spark::FindTimeWindow(*op.select, *parsed.source));
    if (stream->IsSession()) SLUICE_RETURN_IF_ERROR(stream->PlanSessions(parsed));
  } else if (op.kind == spark::StatefulOperator::Kind::kDistinct &&
             op.select != parsed.query->select.get()) {
    return NotSupported(sql::FormatDiagnostic(
        parsed.source->Locate(op.span),
        "SELECT DISTINCT over a stream must be the query's outermost SELECT"));
  }
  return stream;
}

Status StatefulStream::PlanSessions(const spark::ParsedQuery& parsed) {
  auto refuse = [&](const spark::Span& at, const std::string& message) {
    return NotSupported(sql::FormatDiagnostic(parsed.source->Locate(at), message));
  };
  if (!window_->gap_micros) {
    // A gap computed per row (or counting months): each row's session end is computed once,
    // when it enters the state, from the event time column.
    const spark::Expr& time = *window_->call->args.at(0);
    if (time.kind != spark::ExprKind::kColumn ||
        !EqualsIgnoreCase(time.parts.back(), op_.event_time)) {
      return refuse(time.span,
                    "a streaming session window with a gap computed per row must be over the "
                    "watermark's column '" +
                        op_.event_time + "'");
    }
    const spark::Span& gap = window_->call->args.at(1)->span;
    dynamic_gap_ = parsed.source->text.substr(gap.begin, gap.end - gap.begin);
  }
  // The session's other grouping keys: sessions are merged per value of them.
  for (const spark::GroupingElement& element : op_.select->group_by) {
    if (!element.expr) return refuse(op_.span, "session windows with grouping sets");
    const spark::Expr& expr = *element.expr;
    if (&expr == window_->call) continue;
    if (expr.kind == spark::ExprKind::kColumn &&
        EqualsIgnoreCase(expr.parts.back(), "session_window")) {
      continue;
    }
    if (expr.kind == spark::ExprKind::kFunction && expr.parts.size() == 1 &&
        EqualsIgnoreCase(expr.parts[0], "session_window")) {
      continue;
    }
    if (expr.kind != spark::ExprKind::kColumn) {
      return refuse(expr.span,
                    "a streaming session window is grouped with columns only; compute this key "
                    "in the query the aggregation reads");
    }
    session_key_names_.push_back(expr.parts.back());
  }
  return Status::OK();
}

Result<std::vector<std::string>> StatefulStream::SessionKeys() const {
  std::vector<std::string> keys;
  for (const std::string& name : session_key_names_) {
    int index = -1;
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (EqualsIgnoreCase(columns_[i].name, name)) index = static_cast<int>(i);
    }
    if (index < 0) {
      return InvalidArgument("the session key '" + name +
                             "' is not a column of the rows the aggregation reads");
    }
    keys.push_back(Column(index));
  }
  return keys;
}

Status StatefulStream::RemoveClosedSessions(int64_t new_us) {
  // The sessions of the state's rows, merged as the translator merges them (a row whose
  // time is after the end of the session so far starts a new one); the rows of sessions
  // that end at or before the watermark leave.
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> keys, SessionKeys());
  const std::string partition = keys.empty() ? "" : "PARTITION BY " + Join(keys, ", ") + " ";
  const std::string us = EventMicros();
  const std::string sessions =
      "WITH s AS (SELECT " + std::string(streaming::kRowIdColumn) + " AS id, " +
      (keys.empty() ? "" : Join(keys, ", ") + ", ") + us + " AS t, " + SessionEndMicros() +
      " AS e FROM " + kStateTable + " WHERE " + Column(event_column_) +
      " IS NOT NULL), m AS (SELECT *, max(e) OVER (" + partition +
      "ORDER BY t, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM s), "
      "g AS (SELECT *, sum(CASE WHEN prev IS NULL OR t > prev THEN 1 ELSE 0 END) OVER (" +
      partition +
      "ORDER BY t, id ROWS UNBOUNDED PRECEDING) AS sid FROM m) SELECT id FROM g "
      "QUALIFY max(e) OVER (" +
      (keys.empty() ? "PARTITION BY sid" : "PARTITION BY " + Join(keys, ", ") + ", sid") +
      ") <= " + std::to_string(new_us);
  return store_->Remove(sessions);
}

Result<StatefulMetrics> StatefulStream::CommittedMetrics(io::FileSystem& fs,
                                                         int64_t batch_id) const {
  // The version the batch wrote (its number is the batch's plus one).
  const std::string path = dir_ + "/" + std::to_string(batch_id + 1) + ".json";
  SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  nlohmann::json info = nlohmann::json::parse(text, nullptr, false);
  if (info.is_discarded() || !info.is_object()) {
    return Corruption("the state file " + path + " is corrupt");
  }
  StatefulMetrics metrics;
  metrics.state_rows = info.value("rows", int64_t{0});
  metrics.state_bytes = info.value("bytes", int64_t{0});
  if (info.contains("metadata") && info["metadata"].is_object()) {
    const nlohmann::json& metadata = info["metadata"];
    metrics.late_rows = metadata.value("late_rows", int64_t{0});
    metrics.state_rows = metadata.value("state_rows", metrics.state_rows);
    if (metadata.contains("watermark") && metadata["watermark"].is_object()) {
      metrics.watermark_ms = metadata["watermark"].value("watermark_ms", int64_t{0});
    }
  }
  return metrics;
}

Result<std::string> StatefulStream::RenderInput(InputRenderer& renderer) {
  SLUICE_ASSIGN_OR_RETURN(
      spark::Translation rows,
      renderer.RenderRelationRows(flow_.query, *op_.input, flow_.inputs, flow_.conf));
  columns_ = rows.columns;
  qualifiers_ = rows.qualifiers;
  event_column_ = -1;
  given_watermarks_.reset();
  if (op_.watermark != nullptr) {
    int named = 0;
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (EqualsIgnoreCase(columns_[i].name, op_.event_time)) {
        if (event_column_ < 0) event_column_ = static_cast<int>(i);
        ++named;
      }
    }
    if (named > 1 && op_.over_join) {
      return InvalidArgument(sql::FormatDiagnostic(
          flow_.query.parsed->source->Locate(op_.span),
          "the join's rows have " + std::to_string(named) + " columns named '" + op_.event_time +
              "', the event time the aggregation groups by; select one of them under its own "
              "name"));
    }
    if (event_column_ < 0 || !columns_[event_column_].type.IsTimestamp()) {
      return InvalidArgument(sql::FormatDiagnostic(
          flow_.query.parsed->source->Locate(op_.watermark->span),
          "the watermark's column '" + op_.event_time +
              "' is not a timestamp column of the rows the stateful operator reads"));
    }
  }
  input_sql_ = rows.sql;
  if (dynamic_gap_) {
    SLUICE_ASSIGN_OR_RETURN(input_sql_, WithSessionEnds(renderer, rows.sql));
  }
  return input_sql_;
}

Status StatefulStream::ReadJoinOutput(InputRenderer& renderer, const std::string& rows,
                                      int64_t old_us, int64_t new_us) {
  input_sql_ = rows;
  if (dynamic_gap_) {
    SLUICE_ASSIGN_OR_RETURN(input_sql_, WithSessionEnds(renderer, rows));
  }
  given_watermarks_ = std::make_pair(old_us, new_us);
  return Status::OK();
}

Result<std::string> StatefulStream::WithSessionEnds(InputRenderer& renderer,
                                                    const std::string& rows) {
  const spark::TranslateOptions options = SparkOptions(renderer.settings(), flow_.conf);
  const std::string file = flow_.location.file;
  auto fail = [&](const std::string& message) {
    return InvalidArgument(
        sql::FormatDiagnostic(flow_.query.parsed->source->Locate(window_->call->args.at(1)->span),
                              "the session gap: " + message));
  };
  // The gap over the input's columns by their names: a string is cast to an interval per
  // row, as Spark's dynamic gap is.
  auto gap = spark::ParseExpressionText(*dynamic_gap_, file);
  if (!gap.ok()) return fail(gap.status().message());
  auto gap_type = spark::TranslateExpression(*gap, columns_, options);
  if (!gap_type.ok()) return fail(gap_type.status().message());
  const spark::DataType& type = gap_type->columns.at(0).type;
  std::string interval = "(" + *dynamic_gap_ + ")";
  if (type.is(spark::TypeId::kString)) {
    interval = "CAST(" + interval + " AS INTERVAL)";
  } else if (!type.IsInterval()) {
    return fail(
        "Gap duration expression used in session window must be CalendarIntervalType, "
        "but got " +
        type.Sql());
  }
  const std::string time = QuoteSparkIdentifier(columns_[event_column_].name);
  auto end = spark::ParseExpressionText(time + " + " + interval, file);
  if (!end.ok()) return fail(end.status().message());
  auto end_sql = spark::TranslateExpression(*end, columns_, options);
  if (!end_sql.ok()) return fail(end_sql.status().message());
  // The rows with their columns named, then back as c0, c1, ... with the session end; a row
  // whose gap is NULL or not positive has none and opens no session (as in Spark).
  std::vector<std::string> named, numbered;
  for (size_t i = 0; i < columns_.size(); ++i) {
    named.push_back(Column(static_cast<int>(i)) + " AS " + QuoteIdentifier(columns_[i].name));
    numbered.push_back(QuoteIdentifier(columns_[i].name) + " AS " + Column(static_cast<int>(i)));
  }
  const std::string end_us = "epoch_us(" + end_sql->sql + ")";
  const std::string start_us = "epoch_us(" + QuoteIdentifier(columns_[event_column_].name) + ")";
  return "SELECT " + Join(numbered, ", ") + ", CASE WHEN " + end_us + " > " + start_us + " THEN " +
         end_us + " END AS " + kSessionEndColumn + " FROM (SELECT " + Join(named, ", ") +
         " FROM (" + rows + ")) AS __sluice_named";
}

std::string StatefulStream::SessionEndMicros() const {
  if (dynamic_gap_) return kSessionEndColumn;
  return "(" + EventMicros() + " + " + std::to_string(*window_->gap_micros) + ")";
}

Result<std::string> StatefulStream::Deduplicate(InputRenderer& renderer,
                                                engine::Connection& connection,
                                                const std::string& late) {
  // The key columns of the input rows, and the state's names for them (k0, k1, ...).
  std::vector<std::string> keys, conditions, items;
  bool event_time_is_key = false;
  for (const std::string& name : op_.keys) {
    int index = -1;
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (EqualsIgnoreCase(columns_[i].name, name)) index = static_cast<int>(i);
    }
    if (index < 0) return Internal("the deduplication key '" + name + "' is not an input column");
    if (index == event_column_) event_time_is_key = true;
    const std::string key = "k" + std::to_string(keys.size());
    conditions.push_back("s." + key + " IS NOT DISTINCT FROM r." + Column(index));
    items.push_back(Column(index) + " AS " + key);
    keys.push_back(Column(index));
  }
  std::string sql = "SELECT * FROM " + std::string(kRowsTable) + " AS r WHERE NOT (" + late + ")";
  if (store_->has_table()) {
    sql += " AND NOT EXISTS (SELECT 1 FROM " + std::string(kStateTable) + " AS s WHERE " +
           Join(conditions, " AND ") + ")";
  }
  SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                            std::string(kNewRowsTable) + " AS " + sql));
  spark::SubstituteRelation fresh;
  fresh.columns = columns_;
  fresh.qualifiers = qualifiers_;
  fresh.sql = kNewRowsTable;
  SLUICE_ASSIGN_OR_RETURN(
      std::string output,
      renderer.Render(flow_.query, flow_.inputs, flow_.conf, [&](spark::TranslateOptions& options) {
        options.substitutes[op_.input] = fresh;
      }));
  SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                            std::string(kOutputTable) + " AS " + output));
  // How long a key stays: dropDuplicatesWithinWatermark until the watermark passes its
  // first event time plus the delay; dropDuplicates until the watermark passes the event
  // time when that is a key column, else for ever (as in Spark).
  std::string expiry = "CAST(NULL AS BIGINT)";
  if (op_.within_watermark) {
    expiry = "min(" + EventMicros() + ") + " + std::to_string(op_.watermark->delay_micros);
  } else if (event_time_is_key) {
    expiry = "max(" + EventMicros() + ")";
  }
  SLUICE_RETURN_IF_ERROR(store_->Put("SELECT " + Join(items, ", ") + ", " + expiry + " AS " +
                                     streaming::kExpiresColumn + " FROM " + kNewRowsTable +
                                     " GROUP BY " + Join(keys, ", ")));
  return "SELECT * FROM " + std::string(kOutputTable);
}

std::string StatefulStream::EventMicros() const {
  return "epoch_us(" + Column(event_column_) + ")";
}

std::string StatefulStream::ExpirySql() const {
  if (event_column_ < 0) return "CAST(NULL AS BIGINT)";
  const std::string us = EventMicros();
  if (!window_) return us;
  // A session row's own session, [t, t + gap), before it merges with others.
  if (IsSession()) return SessionEndMicros();
  // The end of the row's last window: the row leaves the state when that window closes.
  const std::string slide = std::to_string(window_->slide_micros);
  return "(" + us + " - spark_floor_mod(" + us + " - " + std::to_string(window_->start_micros) +
         ", " + slide + ") + " + std::to_string(window_->duration_micros) + ")";
}

std::string StatefulStream::LateSql(int64_t old_us) const {
  if (event_column_ < 0) return "false";
  // The row's expiry (ExpirySql) at or before the watermark, as a bound on its time.
  int64_t bound = old_us;  // late: time <= bound
  if (dynamic_gap_) {
    // The row's own session ends at or before the watermark.
    return "coalesce(" + std::string(kSessionEndColumn) + " <= " + std::to_string(old_us) +
           ", false)";
  }
  if (IsSession()) {
    bound = old_us - *window_->gap_micros;
  } else if (window_) {
    // The last window holding time t starts at s(t) = t - (t - start) mod slide, which grows
    // with t: s(t) + duration <= old until t reaches the first window start after
    // old - duration.
    const int64_t slide = window_->slide_micros;
    const int64_t last = old_us - window_->duration_micros;
    const int64_t first_start_after = last - FloorMod(last - window_->start_micros, slide) + slide;
    bound = first_start_after - 1;
  }
  return "coalesce(" + EventMicros() + " <= " + std::to_string(bound) + ", false)";
}

Status StatefulStream::Load(engine::Connection& connection, io::FileSystem& fs, int64_t batch_id) {
  if (store_ && store_->info().version == batch_id) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(streaming::StateStore store,
                          streaming::StateStore::Load(fs, connection, dir_, kStateTable, batch_id));
  std::string watermark;
  nlohmann::json metadata = nlohmann::json::parse(store.info().metadata, nullptr, false);
  if (!metadata.is_discarded() && metadata.contains("watermark")) {
    watermark = metadata["watermark"].dump();
  }
  SLUICE_ASSIGN_OR_RETURN(tracker_, streaming::WatermarkTracker::FromJson(watermark, max_policy_));
  // A new state takes its form at its first batch; a state keeps the form it has.
  form_ = StateForm::kUndecided;
  state_rows_ = store.info().rows;
  if (store.info().version > 0) {
    form_ = StateForm::kRows;
    if (!metadata.is_discarded() && metadata.contains("partial_columns")) {
      form_ = StateForm::kPartials;
      stored_partial_columns_ = metadata.value("partial_columns", size_t{0});
      signature_ = metadata.value("partial_signature", std::string());
      state_rows_ = metadata.value("state_rows", int64_t{0});
    }
  }
  store_.emplace(std::move(store));
  return Status::OK();
}

Result<bool> StatefulStream::PutBatchPartials(InputRenderer& renderer,
                                              engine::Connection& connection,
                                              const std::string* late_sql, int64_t* late_rows,
                                              int64_t* added) {
  if (op_.kind != spark::StatefulOperator::Kind::kAggregation || !window_ || IsSession() ||
      event_column_ < 0 || late_sql != nullptr || op_.watermarked_inputs.size() > 1 ||
      op_.select->where != nullptr || given_watermarks_) {
    return false;
  }
  // Rows without an event time are in no window (Spark drops them); they are not late.
  SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> partial,
                          PartialRows(renderer,
                                      "SELECT * FROM (" + input_sql_ + ") AS " + kRowsTable +
                                          " WHERE " + Column(event_column_) + " IS NOT NULL",
                                      /*time_max=*/true));
  if (!partial) return false;
  const std::string batch = kBatchPartialsTable;
  SLUICE_RETURN_IF_ERROR(
      connection.Execute("CREATE OR REPLACE TEMP TABLE " + batch + " AS SELECT *, " + ExpirySql() +
                         " AS " + streaming::kExpiresColumn + " FROM (" + *partial + ")"));
  // A partial row's time is its pane's start, late exactly when its rows are.
  const std::string late = LateSql(tracker_.watermark_us());
  const std::string counted = std::string(spark::kPartialRowsColumn);
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult stats,
      connection.Query("SELECT CAST(coalesce(sum(" + counted + ") FILTER (WHERE " + late +
                       "), 0) AS BIGINT), CAST(coalesce(sum(" + counted + ") FILTER (WHERE NOT (" +
                       late + ")), 0) AS BIGINT), max(" + spark::kPartialTimeMaxColumn + ") FROM " +
                       batch));
  *late_rows = std::get<int64_t>(stats.at(0, 0).data);
  *added = std::get<int64_t>(stats.at(0, 1).data);
  if (!stats.at(0, 2).is_null()) {
    tracker_.Observe(op_.event_time, std::get<int64_t>(stats.at(0, 2).data),
                     op_.watermark->delay_micros);
  }
  tracker_.Advance();
  SLUICE_RETURN_IF_ERROR(store_->Put("SELECT * EXCLUDE (" +
                                     std::string(spark::kPartialTimeMaxColumn) + ") FROM " + batch +
                                     " WHERE NOT (" + late + ")"));
  // The table stays until the next batch replaces it: dropping it costs a statement.
  return true;
}

Result<std::optional<std::string>> StatefulStream::PartialRows(InputRenderer& renderer,
                                                               const std::string& kept,
                                                               bool time_max) {
  if (form_ == StateForm::kRows) return std::optional<std::string>();
  if (form_ == StateForm::kUndecided && (!window_ || IsSession() || event_column_ < 0)) {
    form_ = StateForm::kRows;
    return std::optional<std::string>();
  }
  spark::SubstituteRelation rows;
  rows.columns = columns_;
  rows.qualifiers = qualifiers_;
  rows.sql = "(" + kept + ")";
  auto partial = renderer.RenderPartialAggregate(flow_.query, *op_.select, flow_.inputs, flow_.conf,
                                                 [&](spark::TranslateOptions& options) {
                                                   options.substitutes[op_.input] = rows;
                                                   options.partial_time_max = time_max;
                                                 });
  const std::string signature = AggregationSignature(*op_.select, flow_.query.parsed->source->text);
  if (form_ == StateForm::kUndecided) {
    // Aggregates that do not split keep the rows (the aggregation reports its own errors).
    if (!partial.ok()) {
      form_ = StateForm::kRows;
      return std::optional<std::string>();
    }
    form_ = StateForm::kPartials;
    signature_ = signature;
    // The partial columns, less the count of rows that ends them (and the greatest time).
    stored_partial_columns_ = partial->columns.size() - columns_.size() - 1 - (time_max ? 1 : 0);
  }
  if (!partial.ok()) return partial.status();
  if (signature != signature_ || partial->columns.size() != columns_.size() +
                                                                stored_partial_columns_ + 1 +
                                                                (time_max ? 1 : 0)) {
    return InvalidArgument(
        "the aggregation of flow '" + flow_.name +
        "' changed since its state was written (the state keeps its partial aggregates, in " +
        dir_ + "); fully refresh the table or reset the flow's checkpoint to start over");
  }
  partial_columns_.assign(partial->columns.begin() + static_cast<long>(columns_.size()),
                          partial->columns.end() - (time_max ? 1 : 0));
  return std::optional<std::string>(partial->sql);
}

Result<std::string> StatefulStream::Apply(InputRenderer& renderer, engine::Connection& connection,
                                          io::FileSystem& fs, int64_t batch_id,
                                          StatefulMetrics* metrics, std::string* late_sql) {
  const auto started = std::chrono::steady_clock::now();
  SLUICE_RETURN_IF_ERROR(Load(connection, fs, batch_id));
  const int64_t old_us = given_watermarks_ ? given_watermarks_->first : tracker_.watermark_us();
  // Late rows: for a windowed aggregation those whose every window has ended at or before
  // the watermark; for deduplication those at or before it (Spark's predicates).
  const std::string late = LateSql(old_us);
  int64_t late_rows = 0, added = 0;
  std::string rows = kRowsTable;
  std::string output;
  SLUICE_ASSIGN_OR_RETURN(bool partials_scanned,
                          PutBatchPartials(renderer, connection, late_sql, &late_rows, &added));
  if (!partials_scanned) {
    // A windowed aggregation whose input reads the same each time, and whose late rows go
    // nowhere, scans the input twice (for the watermark, then for the state) instead of
    // copying it: a copy costs more than a scan.
    const bool scan_input = repeatable_input_ && late_sql == nullptr &&
                            op_.kind == spark::StatefulOperator::Kind::kAggregation;
    if (scan_input) {
      rows = "(" + input_sql_ + ") AS " + kRowsTable;
    } else {
      SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                                std::string(kRowsTable) + " AS " + input_sql_));
    }
    // One scan of the batch: its late rows, the others, and its largest event time.
    const std::string max_us_sql = event_column_ >= 0 ? "max(" + EventMicros() + ")" : "NULL";
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult stats,
        connection.Query("SELECT count(*) FILTER (WHERE " + late +
                         "), count(*) FILTER (WHERE NOT (" + late + ")), CAST(" + max_us_sql +
                         " AS BIGINT) FROM " + rows));
    late_rows = std::get<int64_t>(stats.at(0, 0).data);
    added = std::get<int64_t>(stats.at(0, 1).data);
    if (given_watermarks_) {
      // The join's output watermark, which its state decides.
    } else if (op_.watermarked_inputs.size() > 1) {
      SLUICE_RETURN_IF_ERROR(ObserveInputs(renderer, connection));
    } else if (event_column_ >= 0 && !stats.at(0, 2).is_null()) {
      tracker_.Observe(op_.event_time, std::get<int64_t>(stats.at(0, 2).data),
                       op_.watermark->delay_micros);
    }
    tracker_.Advance();
  }
  const int64_t new_us = given_watermarks_ ? given_watermarks_->second : tracker_.watermark_us();
  const int64_t rows_before = state_rows_;

  if (op_.kind == spark::StatefulOperator::Kind::kAggregation) {
    if (!partials_scanned) {
      // Rows without an event time are in no window (Spark drops them).
      // Session rows leave by their session's end (RemoveClosedSessions), not their own.
      const std::string expiry = IsSession() ? "CAST(NULL AS BIGINT)" : ExpirySql();
      // Session rows have ids, by which RemoveClosedSessions removes them.
      const std::string row_id = IsSession() ? ", CAST(" + std::to_string(batch_id) +
                                                   " AS BIGINT) * 4294967296 + row_number() "
                                                   "OVER () AS " +
                                                   streaming::kRowIdColumn
                                             : std::string();
      const std::string where =
          " WHERE NOT (" + late + ")" +
          (event_column_ >= 0 ? " AND " + Column(event_column_) + " IS NOT NULL" : std::string()) +
          (dynamic_gap_ ? " AND " + std::string(kSessionEndColumn) + " IS NOT NULL"
                        : std::string());
      SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> partial,
                              PartialRows(renderer, "SELECT * FROM " + rows + where));
      if (partial) {
        // A partial row's time is its pane's start, in the same windows as the pane's rows.
        SLUICE_RETURN_IF_ERROR(store_->Put("SELECT *, " + expiry + " AS " +
                                           streaming::kExpiresColumn + " FROM (" + *partial + ")"));
      } else {
        SLUICE_RETURN_IF_ERROR(store_->Put("SELECT *, " + expiry + " AS " +
                                           streaming::kExpiresColumn + row_id + " FROM " + rows +
                                           where));
      }
    }
    SLUICE_ASSIGN_OR_RETURN(output, Aggregate(renderer, connection, old_us, new_us, rows));
  } else if (op_.kind == spark::StatefulOperator::Kind::kDeduplicate) {
    SLUICE_ASSIGN_OR_RETURN(output, Deduplicate(renderer, connection, late));
  } else {
    SLUICE_ASSIGN_OR_RETURN(output, Distinct(renderer, connection, late));
  }
  if (IsSession()) {
    if (new_us > old_us && store_->has_table()) {
      SLUICE_RETURN_IF_ERROR(RemoveClosedSessions(new_us));
    }
  } else if (event_column_ >= 0) {
    SLUICE_RETURN_IF_ERROR(store_->Evict(new_us));
  }
  // Partial rows stand for the input rows they count.
  if (form_ == StateForm::kPartials && store_->has_table()) {
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult counted,
        connection.Query("SELECT CAST(coalesce(sum(" + std::string(spark::kPartialRowsColumn) +
                         "), 0) AS BIGINT) FROM " + kStateTable));
    SLUICE_ASSIGN_OR_RETURN(engine::Value value, counted.Scalar());
    state_rows_ = std::get<int64_t>(value.data);
  }
  nlohmann::json metadata;
  metadata["watermark"] = nlohmann::json::parse(tracker_.ToJson());
  metadata["batch_id"] = batch_id;
  metadata["late_rows"] = late_rows;
  if (form_ == StateForm::kPartials) {
    metadata["partial_columns"] = stored_partial_columns_;
    metadata["partial_signature"] = signature_;
    metadata["state_rows"] = state_rows_;
  }
  SLUICE_RETURN_IF_ERROR(store_->Commit(metadata.dump()));
  SLUICE_SYNC_POINT("flow.state_committed");
  if (form_ != StateForm::kPartials) state_rows_ = store_->info().rows;
  if (late_sql != nullptr) {
    std::vector<std::string> items;
    for (size_t i = 0; i < columns_.size(); ++i) {
      items.push_back(Column(static_cast<int>(i)) + " AS " + QuoteIdentifier(columns_[i].name));
    }
    *late_sql = "SELECT " + Join(items, ", ") + " FROM " + rows + " WHERE " + late;
  }
  if (metrics != nullptr) {
    metrics->watermark_ms = new_us / 1000;
    metrics->state_rows = state_rows_;
    metrics->state_bytes = store_->info().bytes;
    metrics->late_rows = late_rows;
    metrics->rows_added = op_.kind == spark::StatefulOperator::Kind::kAggregation ? added : 0;
    metrics->rows_evicted = std::max<int64_t>(0, rows_before + metrics->rows_added - state_rows_);
    metrics->state_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
  }
  return output;
}

Result<std::string> StatefulStream::Aggregate(InputRenderer& renderer,
                                              engine::Connection& connection, int64_t old_us,
                                              int64_t new_us, const std::string& rows) {
  // The windows the watermark closed: those ending in (old, new], aggregated over the state
  // rows that may be in them (a window ending at or before `new` holds times before it).
  spark::SubstituteRelation state;
  state.columns = columns_;
  state.qualifiers = qualifiers_;
  const bool partials = form_ == StateForm::kPartials;
  if (partials) {
    state.columns.insert(state.columns.end(), partial_columns_.begin(), partial_columns_.end());
  }
  std::string filter = "false";
  if (new_us > old_us && store_->has_table()) {
    // Sessions need every row of their key; a time window ending at or before `new` holds
    // times before it; grouping by the time itself takes the times in (old, new].
    filter = IsSession() ? Column(event_column_) + " IS NOT NULL"
             : window_   ? EventMicros() + " < " + std::to_string(new_us)
                       : EventMicros() + " > " + std::to_string(old_us) + " AND " + EventMicros() +
                             " <= " + std::to_string(new_us);
  }
  state.sql = "(SELECT * FROM " + (store_->has_table() ? std::string(kStateTable) : rows) +
              " WHERE " + filter + ")";
  SLUICE_ASSIGN_OR_RETURN(
      std::string sql,
      renderer.Render(flow_.query, flow_.inputs, flow_.conf, [&](spark::TranslateOptions& options) {
        options.substitutes[op_.input] = state;
        if (window_) options.time_window_end_bounds = std::make_pair(old_us, new_us);
        if (partials) {
          options.merge_partials =
              spark::TranslateOptions::MergePartials{op_.select, stored_partial_columns_};
        }
      }));
  SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                            std::string(kOutputTable) + " AS " + sql));
  return "SELECT * FROM " + std::string(kOutputTable);
}

Result<std::string> StatefulStream::Distinct(InputRenderer& renderer,
                                             engine::Connection& connection,
                                             const std::string& late) {
  spark::SubstituteRelation batch;
  batch.columns = columns_;
  batch.qualifiers = qualifiers_;
  batch.sql = "(SELECT * FROM " + std::string(kRowsTable) + " WHERE NOT (" + late + "))";
  SLUICE_ASSIGN_OR_RETURN(
      std::string distinct,
      renderer.Render(flow_.query, flow_.inputs, flow_.conf, [&](spark::TranslateOptions& options) {
        options.substitutes[op_.input] = batch;
      }));
  SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                            std::string(kOutputTable) + " AS " + distinct));
  // The rows not seen in earlier batches (EXCEPT compares NULLs as equal, as Spark's
  // deduplication does).
  if (store_->has_table()) {
    SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                              std::string(kOutputTable) + " AS SELECT * FROM " +
                                              kOutputTable + " EXCEPT SELECT * EXCLUDE (" +
                                              streaming::kExpiresColumn + ") FROM " + kStateTable));
  }
  // The output column that carries the event time bounds the state.
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                          connection.Query("DESCRIBE SELECT * FROM " + std::string(kOutputTable)));
  std::string expiry = "CAST(NULL AS BIGINT)";
  for (size_t row = 0; row < described.row_count(); ++row) {
    const std::string name = described.at(row, 0).ToString();
    if (event_column_ >= 0 && EqualsIgnoreCase(name, op_.event_time)) {
      expiry = "epoch_us(" + QuoteIdentifier(name) + ")";
    }
  }
  SLUICE_RETURN_IF_ERROR(store_->Put("SELECT *, " + expiry + " AS " + streaming::kExpiresColumn +
                                     " FROM " + kOutputTable));
  return "SELECT * FROM " + std::string(kOutputTable);
}

Status StatefulStream::ObserveInputs(InputRenderer& renderer, engine::Connection& connection) {
  // The rows a union gives do not tell its inputs apart: each watermarked input's largest
  // event time is read from its own rows, as Spark's EventTimeWatermark nodes each observe
  // theirs.
  for (size_t i = 0; i < op_.watermarked_inputs.size(); ++i) {
    const spark::Relation& input = *op_.watermarked_inputs[i];
    SLUICE_ASSIGN_OR_RETURN(
        spark::Translation rows,
        renderer.RenderRelationRows(flow_.query, input, flow_.inputs, flow_.conf));
    int column = -1;
    for (size_t c = 0; c < rows.columns.size(); ++c) {
      if (EqualsIgnoreCase(rows.columns[c].name, op_.event_time)) column = static_cast<int>(c);
    }
    if (column < 0 || !rows.columns[column].type.IsTimestamp()) {
      return InvalidArgument(sql::FormatDiagnostic(
          flow_.query.parsed->source->Locate(input.watermark->span),
          "the watermark's column '" + op_.event_time + "' is not a timestamp column"));
    }
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult max,
                            connection.Query("SELECT CAST(max(epoch_us(" + Column(column) +
                                             ")) AS BIGINT) FROM (" + rows.sql + ")"));
    if (max.at(0, 0).is_null()) continue;
    tracker_.Observe(std::to_string(i) + ":" + op_.event_time, std::get<int64_t>(max.at(0, 0).data),
                     input.watermark->delay_micros);
  }
  return Status::OK();
}

}  // namespace sluice::runtime
