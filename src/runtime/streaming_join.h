// A join of two streams (spark/stream_join.h), run batch by batch with Spark Structured
// Streaming's semantics (docs/streaming.md, "Joins of two streams"):
//
//  * each side's rows are kept in state (state/0/left, state/0/right) until the watermark
//    proves that no row of the other side can still match them: by the state watermark
//    the join condition gives (a range of event times, or a watermarked join key);
//  * a batch drops each side's late rows (event time at or before the watermark the batch
//    started with), then joins its new left rows with the right rows in state, and the
//    left rows in state (with the new ones kept) with its new right rows: every matching
//    pair is written once;
//  * left semi joins: a left row is written once, when it first matches; a left row that
//    matches on arrival is not kept (state/0/left-matched keeps the ids of kept rows that
//    matched since);
//  * outer joins: the rows of the preserved side remember whether they ever matched
//    (state/0/left-matched, state/0/right-matched, the ids of matched rows); a row that
//    leaves the state unmatched is written with NULLs for the other side, as is a new row
//    that can never match (it fails the condition's conjuncts on its own side, or is
//    already below its side's state watermark). Like the windows of an aggregation, rows
//    leave by the watermark the batch produced (Spark's data batch and its no-data batch).
//
// The four stores commit their versions before the batch's rows, as StatefulStream's do.
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
#include "runtime/stateful_stream.h"
#include "spark/stateful_operator.h"
#include "streaming/state_store.h"
#include "streaming/watermark.h"

namespace sluice::runtime {

class StreamingJoin {
 public:
  // For a flow whose stateful operator is a join of two streams; `checkpoint_dir` is the
  // flow's checkpoint folder, `conf` its settings (spark.sql.streaming.multipleWatermarkPolicy).
  static Result<std::unique_ptr<StreamingJoin>> Make(
      const graph::Flow& flow, spark::StatefulOperator op, const std::string& checkpoint_dir,
      const std::map<std::string, std::string>& conf);

  // Renders both sides' rows of this batch through `renderer` (which plans the batch's
  // offsets); returns the SQL of the left side's rows.
  Result<std::string> RenderInput(InputRenderer& renderer);

  // Runs the batch: loads the state it starts from, commits the next versions, and returns
  // the SQL of the rows the batch appends (a temporary table, kept until the next batch).
  // Late rows are counted; `late_sql` must be null (a late-rows table is refused for joins).
  Result<std::string> Apply(InputRenderer& renderer, engine::Connection& connection,
                            io::FileSystem& fs, int64_t batch_id, StatefulMetrics* metrics,
                            std::string* late_sql);

  // The metrics of a batch whose state versions and rows were committed by an update that
  // crashed before its commit marker.
  Result<StatefulMetrics> CommittedMetrics(io::FileSystem& fs, int64_t batch_id) const;

  // A join under an aggregation (op.over_join) writes the rows of the aggregation's FROM
  // item, not the query's. Its output watermark under the watermark `watermark_ms` is the
  // least of it and the sides' state watermarks (Spark's StreamingSymmetricHashJoinExec):
  // no row it writes later is older. 0 (no watermark yet) stays 0.
  int64_t OutputWatermarkMs(int64_t watermark_ms) const;
  // The flow's watermark before and after the last Apply, in milliseconds.
  std::pair<int64_t, int64_t> batch_watermarks_ms() const { return batch_watermarks_ms_; }

 private:
  struct Side {
    const spark::StreamJoinSide* spec = nullptr;
    std::string name;                    // "left" or "right"
    bool outer = false;                  // its unmatched rows are written with NULLs
    bool tracks_matches = false;         // keeps the ids of its rows that matched (outer, semi)
    std::vector<spark::Column> columns;  // its rows' columns (c0, c1, ...)
    std::string rows_sql;
    int event_column = -1;                         // index of its watermark's column, -1: none
    int key_column = -1;                           // index of its watermarked join key, -1: none
    std::optional<streaming::StateStore> rows;     // its rows in state
    std::optional<streaming::StateStore> matched;  // outer: ids of rows that matched
    std::string Table(const char* part) const { return "__sluice_join_" + name + "_" + part; }
    std::string ColumnList() const;
    // The event time (microseconds) by which its rows leave, as SQL; NULL when they never do.
    std::string ExpirySql() const;
    // The state watermark under `watermark_ms`, in microseconds; none when rows never leave.
    std::optional<int64_t> Threshold(int64_t watermark_ms) const;
  };

  StreamingJoin(const graph::Flow& flow, spark::StatefulOperator op, std::string dir)
      : flow_(flow), op_(std::move(op)), dir_(std::move(dir)) {}
  Status Load(engine::Connection& connection, io::FileSystem& fs, int64_t batch_id);
  // The rows of `side` in state, or none when it has none yet.
  std::string StateRows(const Side& side) const;
  // The ids of `side`'s rows in `rows_table` that pass the condition's conjuncts on that side
  // alone (Spark's pre-join filter), as a temporary table.
  Status PreFilter(InputRenderer& renderer, engine::Connection& connection, const Side& side,
                   const Side& other, const std::string& rows_table, const std::string& into);
  // The query over the given rows of each side, with the join run as `type` on the
  // `conjuncts` of its condition.
  Result<std::string> RenderOutput(InputRenderer& renderer, const std::string& left_rows,
                                   const std::string& right_rows, spark::JoinType type,
                                   spark::TranslateOptions::JoinOverride::Conjuncts conjuncts =
                                       spark::TranslateOptions::JoinOverride::Conjuncts::kAll);
  // The ids of `side`'s kept rows that matched in earlier batches.
  std::string MatchedBefore(const Side& side) const;
  // A left semi join's rows of this batch, after the left side's pairs with the right
  // rows in state are in the pairs table.
  Result<std::string> SemiJoin(InputRenderer& renderer, engine::Connection& connection,
                               const std::string& right_fresh);
  // One row of NULLs in `side`'s columns.
  std::string NullRow(const Side& side) const;
  // The (left id, right id) pairs of matching rows among the given rows, as a table.
  Status MatchPairs(InputRenderer& renderer, engine::Connection& connection,
                    const std::string& left_rows, const std::string& right_rows,
                    const std::string& into);

  const graph::Flow& flow_;
  spark::StatefulOperator op_;
  std::string dir_;
  bool max_policy_ = false;
  bool semi_ = false;  // a left semi join: a left row is written once, when it first matches
  Side left_, right_;
  streaming::WatermarkTracker tracker_;
  int64_t loaded_version_ = -1;
  bool over_join_ = false;  // op_.over_join: the output is the aggregation's input rows
  std::pair<int64_t, int64_t> batch_watermarks_ms_{0, 0};
};

}  // namespace sluice::runtime
