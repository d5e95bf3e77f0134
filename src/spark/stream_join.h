// A join of two streams (Spark's stream-stream join): its sides, their watermarks, and
// when each side's buffered rows may leave the state, derived from the join condition as
// Spark derives its state watermarks (StreamingJoinHelper):
//
//  * a join key equal to a watermarked column (l.ts = r.ts, or a window of them is not
//    recognized): rows of both sides leave when their key is at or before the watermark;
//  * otherwise, for a side with a watermark, the conjuncts that bound its event time below
//    by the other side's watermarked event time (`l.t >= r.t - INTERVAL 1 HOUR`,
//    `l.t BETWEEN r.t AND r.t + INTERVAL 5 MINUTES`, `<`, `<=`, `>`, `>=` of sums of
//    the two columns and day-time intervals): with the watermark W (ms), a conjunct that
//    solves to `tX > W + c` lets rows with tX <= trunc((W * 1000 + c) / 1000) ms leave,
//    one millisecond less for `>=`; the smallest such bound wins.
//
// Joins are refused as Spark refuses them: without an equality between the sides, outer
// joins whose null-padded rows could never be emitted, semi, anti and cross joins.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "spark/ast.h"

namespace sluice::spark {

// One range conjunct bounding a side's event time below: rows may leave at or before
// trunc((W * 1000 + offset_us) / 1000) - (inclusive ? 1 : 0) milliseconds.
struct JoinStateBound {
  int64_t offset_us = 0;
  bool inclusive = false;
};

struct StreamJoinSide {
  const Relation* relation = nullptr;
  const Watermark* watermark = nullptr;  // the side's WATERMARK clause; null: none
  std::string event_time;                // the column it defines
  // The names that qualify the side's columns (aliases and table names in it).
  std::vector<std::string> qualifiers;
  // The side's column of the join key that carries the watermark (empty: none): rows
  // leave when it is at or before the watermark.
  std::string key_column;
  std::vector<JoinStateBound> bounds;  // otherwise: rows leave by event time
  // Whether the side's rows ever leave the state.
  bool Evictable() const {
    return !key_column.empty() || (watermark != nullptr && !bounds.empty());
  }
};

struct StreamJoin {
  const Relation* join = nullptr;
  JoinType type = JoinType::kInner;
  StreamJoinSide left, right;
};

// Analyzes a join both of whose sides read streams (ReadsStream). Errors name the join.
Result<StreamJoin> AnalyzeStreamJoin(const Relation& join, const SourceText& source);

// The state watermark of a side (milliseconds) under the watermark `watermark_ms`: rows whose
// event time is at or before it may leave. `bounds` must not be empty.
int64_t JoinStateWatermarkMs(const std::vector<JoinStateBound>& bounds, int64_t watermark_ms);

}  // namespace sluice::spark
