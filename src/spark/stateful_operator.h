// The stateful operator of a streaming query: what Spark's planner turns into a state
// store (an aggregation or a SELECT DISTINCT over a stream), found in the query tree and
// checked as Spark checks queries written with append output, the only output mode of
// streaming tables.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "spark/ast.h"
#include "spark/parser.h"
#include "spark/stream_join.h"

namespace sluice::spark {

struct StatefulOperator {
  // kDeduplicate: Spark's dropDuplicates / dropDuplicatesWithinWatermark, which Python
  // compiles to `SELECT first(struct(<all columns>)) AS __sluice_dedup ... GROUP BY <keys>`
  // (alias __sluice_dedup_within_watermark for the latter) read by a projection of its
  // fields: the first row of each key, keys seen kept in state.
  // kJoin: a join of two streams (`stream_join`), with stateless projections and filters
  // of its rows around it.
  enum class Kind { kNone, kAggregation, kDistinct, kDeduplicate, kJoin };
  Kind kind = Kind::kNone;
  bool within_watermark = false;  // kDeduplicate: dropDuplicatesWithinWatermark
  std::vector<std::string> keys;  // kDeduplicate: the key columns, as the input names them
  // The aggregating (or SELECT DISTINCT) body, and its one FROM item: the rows the state
  // keeps. Queries around it are stateless projections and filters of its output.
  const SelectBody* select = nullptr;
  const Relation* input = nullptr;
  // The WATERMARK clause on `input` or on a relation inside it (null when none), and the
  // column it defines, as `input`'s rows name it.
  const Watermark* watermark = nullptr;
  std::string event_time;
  // Every relation inside `input` with a WATERMARK clause (a union of watermarked streams
  // has several), all defining `event_time`; the flow's watermark combines theirs
  // (spark.sql.streaming.multipleWatermarkPolicy).
  std::vector<const Relation*> watermarked_inputs;
  Span span;               // where the operator is written, for errors
  StreamJoin stream_join;  // kJoin, and kAggregation with over_join
  // kAggregation of the rows of a join of two streams in its FROM item (Spark 3.4+ chains
  // stateful operators): the join runs as kJoin does, and the aggregation reads the rows
  // it writes, with the join's output watermark (docs/streaming.md). `event_time` is the
  // join side's watermark column the aggregation groups by.
  bool over_join = false;
};

// Finds the stateful operator of `query`, whose streaming relations are those read with
// STREAM. Kind::kNone when the query is stateless. Refused, naming the place:
//  * an aggregation of a stream without a watermark, or whose grouping does not use the
//    watermark's column (directly or in window / session_window): Spark's append-mode
//    error, with the fix;
//  * more than one stateful operator (a join of two streams is one), except an aggregation
//    whose FROM item is a join of two streams (over_join); a stateful operator inside a join
//    or a set operation; watermarked inputs of one aggregation that define
//    different event-time columns;
//  * a join of two streams that Spark refuses (spark/stream_join.h), or one outside the
//    query's main chain of SELECTs and joins;
//  * UNION (distinct) of streams, ORDER BY or LIMIT over a stream.
Result<StatefulOperator> FindStatefulOperator(const ParsedQuery& query);

// Whether a relation reads a stream (STREAM t, or a subquery or join that does).
bool ReadsStream(const Relation& relation);

}  // namespace sluice::spark
