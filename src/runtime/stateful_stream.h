// The stateful operator of a streaming flow (spark::FindStatefulOperator), run batch by
// batch with Spark Structured Streaming's append-mode semantics (docs/streaming.md):
//
//  * windowed aggregation (tumbling, sliding and session windows): what the windows still
//    open hold is kept in the state store; a batch adds its rows, except those whose windows
//    all ended at or before the watermark the batch started with (late rows, counted and
//    dropped); the watermark then advances with the batch's largest event time, and the windows
//    that end after the old watermark and at or before the new one are aggregated and written,
//    once; what they held leaves the state. That is Spark's data batch followed by its no-data
//    batch. When every aggregate splits into partial aggregates (spark's
//    TranslatePartialAggregate: counts, exact sums, min, max...) and the windows are tumbling
//    or sliding, the state keeps one row of partial aggregates per key, pane and batch, and
//    closed windows merge them; otherwise (count(DISTINCT), collect_set, percentiles, first,
//    sessions...) it keeps the input rows. A state keeps the form its first version took.
//  * SELECT DISTINCT: the distinct rows seen are kept (with a watermark on an output
//    column, until the watermark passes them); a batch writes the rows not seen before.
//  * deduplication by keys (Python's dropDuplicates, dropDuplicatesWithinWatermark): the
//    keys seen are kept; a batch writes the first row of each key not seen before. Rows at
//    or before the watermark are late.
//
// The state is a versioned store (streaming/state_store.h) in the flow's checkpoint
// folder, state/<operator>/, whose version n is the state after batch n - 1. A batch
// commits its state version before its rows; a crash in between reruns the batch from the
// version before, so the state and the table always agree.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"
#include "graph/graph.h"
#include "io/file_system.h"
#include "runtime/inputs.h"
#include "spark/stateful_operator.h"
#include "spark/time_window.h"
#include "spec/settings.h"
#include "streaming/state_store.h"
#include "streaming/watermark.h"

namespace sluice::runtime {

// What flow_progress reports of a stateful batch (docs/event-log.md).
struct StatefulMetrics {
  int64_t watermark_ms = 0;   // after the batch
  int64_t state_rows = 0;     // input rows the state holds (or its partial rows stand for)
  int64_t state_bytes = 0;    // bytes of the files that load the state
  int64_t late_rows = 0;      // input rows dropped as late
  int64_t state_time_ms = 0;  // time spent reading and writing the state
  int64_t rows_added = 0;     // rows the batch added to the state
  int64_t rows_evicted = 0;   // rows the watermark removed from it
};

// pipelines.lateRows.table of a flow into `target`: the target's property, else the flow's
// setting (`conf`), else the pipeline's; the table is stored as the pipeline's tables are.
std::optional<std::string> LateRowsTable(const graph::Dataset& target,
                                         const std::map<std::string, std::string>& conf,
                                         const spec::PipelineSettings& settings);

// Whether reading a flow's batch twice gives the same rows: its query reads tables and
// files only (no views, which may compute anything) and calls no nondeterministic function,
// nor do an AUTO CDC flow's SEQUENCE BY and APPLY AS conditions.
bool ReadsTheSameEachTime(const graph::Graph& graph, const graph::Flow& flow);

class StatefulStream {
 public:
  // For a flow whose query has a stateful operator. `checkpoint_dir` is the flow's
  // checkpoint folder; `conf` its settings (spark.sql.streaming.multipleWatermarkPolicy).
  // `repeatable_input`: reading the batch's input rows twice gives the same rows (the query
  // reads tables and files only and calls no nondeterministic function), so that a windowed
  // aggregation may scan them where they are instead of copying them first.
  // `operator_index` numbers the flow's stateful operators: the state is in
  // state/<operator_index>/ of the checkpoint folder.
  static Result<std::unique_ptr<StatefulStream>> Make(
      const graph::Flow& flow, spark::StatefulOperator op, std::string checkpoint_dir,
      const std::map<std::string, std::string>& conf, bool repeatable_input = false,
      int operator_index = 0);

  // An aggregation over a join of two streams (op.over_join): the batch's input rows are
  // the join's output `rows` (a relation with the columns RenderInput gave), and its
  // watermarks are the join's output watermarks (microseconds) before the batch, for late
  // rows, and after it, for the windows it closes, instead of its own (Spark's watermark
  // propagation). Call after RenderInput, before Apply.
  Status ReadJoinOutput(InputRenderer& renderer, const std::string& rows, int64_t old_us,
                        int64_t new_us);

  // The SQL of the operator's input rows in this batch (the rows of its FROM item),
  // resolving the query's references through `renderer` (which plans the batch's offsets).
  Result<std::string> RenderInput(InputRenderer& renderer);

  // Runs the batch whose input RenderInput gave: loads the state the batch starts from
  // (unless loaded), updates and commits the state's next version, and returns the SQL of
  // the rows the batch appends (a temporary table, kept until the next batch). `late_sql`,
  // when not null, receives the SQL of the late rows (valid as long as the output).
  // The metrics of a batch whose state version and rows were committed in an update that
  // crashed before its commit marker (the rerun only writes the marker).
  Result<StatefulMetrics> CommittedMetrics(io::FileSystem& fs, int64_t batch_id) const;

  Result<std::string> Apply(InputRenderer& renderer, engine::Connection& connection,
                            io::FileSystem& fs, int64_t batch_id, StatefulMetrics* metrics,
                            std::string* late_sql);

 private:
  StatefulStream(const graph::Flow& flow, spark::StatefulOperator op, std::string dir)
      : flow_(flow), op_(op), dir_(std::move(dir)) {}
  Status Load(engine::Connection& connection, io::FileSystem& fs, int64_t batch_id);
  // Several watermarked inputs (a union of streams): records each one's largest event time
  // of the batch under its own name, so the tracker combines them by the policy.
  Status ObserveInputs(InputRenderer& renderer, engine::Connection& connection);
  bool IsSession() const { return window_ && window_->kind == spark::TimeWindowKind::kSession; }
  // Session windows: checks the gap and grouping, and lists the other grouping keys.
  Status PlanSessions(const spark::ParsedQuery& parsed);
  // The session keys as columns of the input rows (c0, c1, ...).
  Result<std::vector<std::string>> SessionKeys() const;
  Status RemoveClosedSessions(int64_t new_us);
  // Session windows with a gap computed per row: `rows` (the input rows) with the end of
  // each row's own session, [t, t + gap), as a last column.
  Result<std::string> WithSessionEnds(InputRenderer& renderer, const std::string& rows);
  // The SQL of the end of a session row's own session, in microseconds.
  std::string SessionEndMicros() const;
  // The event time of a row, in microseconds, as SQL over the input columns.
  std::string EventMicros() const;
  // The SQL of the event time after which a row may leave the state.
  std::string ExpirySql() const;
  // The SQL of whether an input row is late under the watermark `old_us`: its expiry is at or
  // before it (a bound on its time, which is cheaper).
  std::string LateSql(int64_t old_us) const;
  // `rows`: the SQL of the batch's input rows (a table, or the input scanned again).
  Result<std::string> Aggregate(InputRenderer& renderer, engine::Connection& connection,
                                int64_t old_us, int64_t new_us, const std::string& rows);
  // The SQL of the partial aggregates of the rows `kept` when the state keeps partial
  // aggregates (deciding so for a new state); nullopt when it keeps rows. With `time_max`,
  // the rows end with spark::kPartialTimeMaxColumn.
  Result<std::optional<std::string>> PartialRows(InputRenderer& renderer, const std::string& kept,
                                                 bool time_max = false);
  // A windowed aggregation of tumbling or sliding windows that keeps partial aggregates,
  // reads one watermarked input and has no WHERE clause and no late-rows table (`late_sql`
  // null) reads its batch once: the partial aggregates of all of its rows, each with the
  // greatest event time of its rows, give the late rows (lateness is the same for every
  // time of a pane) and the batch's largest event time. Then the watermark advances and
  // the partial rows that are not late go to the state. Returns false, having done
  // nothing, for other operators (or a state that keeps rows).
  Result<bool> PutBatchPartials(InputRenderer& renderer, engine::Connection& connection,
                                const std::string* late_sql, int64_t* late_rows, int64_t* added);
  Result<std::string> Distinct(InputRenderer& renderer, engine::Connection& connection,
                               const std::string& late);
  Result<std::string> Deduplicate(InputRenderer& renderer, engine::Connection& connection,
                                  const std::string& late);

  const graph::Flow& flow_;
  spark::StatefulOperator op_;
  std::optional<spark::TimeWindowSpec> window_;
  std::string dir_;
  bool max_policy_ = false;
  bool repeatable_input_ = false;
  std::vector<std::string> session_key_names_;  // session windows: the other GROUP BY keys
  std::optional<std::string> dynamic_gap_;  // session windows: a gap computed per row, as written
  std::vector<spark::Column> columns_;      // the input rows' columns (c0, c1, ...)
  std::vector<spark::ColumnQualifiers> qualifiers_;  // theirs in the FROM item (a join's sides)
  int event_column_ = -1;  // index of the event time in columns_, -1: none
  std::string input_sql_;
  // ReadJoinOutput's watermarks (old, new), in microseconds.
  std::optional<std::pair<int64_t, int64_t>> given_watermarks_;
  std::optional<streaming::StateStore> store_;
  streaming::WatermarkTracker tracker_;
  std::string rows_table_;
  std::string output_table_;
  // What a windowed aggregation's state keeps (in its versions' metadata: partial_columns
  // and partial_signature when it keeps partial aggregates).
  enum class StateForm { kUndecided, kRows, kPartials };
  StateForm form_ = StateForm::kUndecided;
  std::string signature_;                       // kPartials: of the aggregation the state is for
  std::vector<spark::Column> partial_columns_;  // kPartials: the partial columns and types
  size_t stored_partial_columns_ = 0;           // kPartials: how many the state has
  // The input rows the state holds, or (kPartials) its partial rows stand for.
  int64_t state_rows_ = 0;
};

}  // namespace sluice::runtime
