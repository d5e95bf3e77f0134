// Incremental refresh of aggregate materialized views.
//
// A materialized view of the form
//   SELECT k1, ..., agg1, ... FROM <one table> [WHERE ...] GROUP BY k1, ...
// whose aggregates are count(*), count(x), sum(x), min(x), max(x) or count(DISTINCT x) can
// be refreshed from the rows its source appended since the last refresh: the new rows are
// aggregated on their own and merged with the view's current rows by key (counts and sums
// add, min/max take the smaller/larger). count(DISTINCT x) keeps its state: the distinct
// (keys, x) pairs seen so far, so that only pairs not seen before are counted.
//
// Everything else (joins, several sources, HAVING, DISTINCT, windows, ORDER BY/LIMIT,
// avg and other aggregates) is recomputed in full, as is any view after its source
// changed rows other than by appending.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::runtime {

enum class AggregateKind { kKey, kCount, kSum, kMin, kMax, kCountDistinct };

struct AggregatePlan {
  std::vector<AggregateKind> columns;  // one per output column, in order
  // For each count(DISTINCT x) column (by output index): a query returning the distinct
  // (key columns..., __sluice_value) pairs of its source, reading the source through
  // `source_placeholder`.
  std::map<size_t, std::string> distinct_pairs_sql;
};

// Decides whether `sql` (DuckDB SQL reading its one source as the table named
// `source_placeholder`) can be refreshed incrementally, and how. `names` are the query's
// output column names in order. std::nullopt: it cannot (recompute in full).
Result<std::optional<AggregatePlan>> PlanIncrementalAggregate(
    engine::Connection& connection, const std::string& sql, const std::string& source_placeholder,
    const std::vector<std::string>& names);

// The merged contents of the view: `current` (a relation with the view's rows, typed as
// `types`) merged with `delta` (the query over the new rows only). `increments` gives,
// for each count(DISTINCT) column, a relation of (key columns..., __sluice_increment)
// counting the pairs not seen before.
std::string MergeAggregatesSql(const AggregatePlan& plan, const std::vector<std::string>& names,
                               const std::vector<std::string>& types, const std::string& current,
                               const std::string& delta,
                               const std::map<size_t, std::string>& increments);

// The key columns of `plan`, quoted, in output order.
std::vector<std::string> AggregateKeyColumns(const AggregatePlan& plan,
                                             const std::vector<std::string>& names);

}  // namespace sluice::runtime
