// The translator's side of time windows (time_window.cc): Spark's TimeWindowing and
// SessionWindowing analyzer rules, which give a SELECT's rows the window its select list or
// GROUP BY calls for, and the catalog entries window, session_window and window_time.
#pragma once

#include <string>

#include "spark/translator_internal.h"

namespace sluice::spark::internal {

// What a SELECT's time window changes besides its FROM clause.
struct TimeWindowRewrite {
  std::string filter;          // a condition to AND into the WHERE clause (empty: none)
  bool where_applied = false;  // the SELECT's WHERE is applied inside the new FROM clause
  std::string column;          // the SQL of the window column (empty: no time window)
  std::string time;            // the SQL of the time the window reads
  // Partial aggregation (the SELECT whose partial aggregates are computed): the window is
  // the pane holding the row's time (see TranslatePartialAggregate), never a session, and
  // these are the pane's start in microseconds and as a timestamp of the time's type.
  std::string pane_micros;
  std::string pane_start;
  // Merging partial rows: what GROUP BY groups the window by instead of its column (the
  // window's start, of which the column is an expression).
  std::string group_key;
};

// When `body` calls window(...) or session_window(...) in its select list or GROUP BY,
// makes its rows those Spark's rules make, before the WHERE clause and aggregation:
//  * a tumbling window adds the column `window` (struct<start, end>) to `scope`, and a
//    filter drops rows whose time is NULL;
//  * a sliding window repeats each row once per window holding its time (a derived table
//    replaces `from_sql`; the columns of `scope` now read from it), with the column
//    `window`; rows whose time is NULL have no window;
//  * a session window adds the column `session_window`: [t, t + gap) per row when GROUP BY
//    does not group by it; merged into sessions per value of the other GROUP BY keys when
//    it does. The SELECT's WHERE is applied first (inside the derived table); rows whose
//    time is NULL or whose gap is not positive are dropped.
// Later translations of the same call in `scope` read the column. Several different calls
// are an error, as in Spark. With TranslateOptions::time_window_end_bounds, the filter also
// keeps only the windows that end within the bounds (but for partial aggregation).
Result<TimeWindowRewrite> ApplyTimeWindow(Translator& translator, const SelectBody& body,
                                          std::string* from_sql, Scope* scope);

// Catalog entries (AddDatetimeMakeFunctions).
Result<Typed> WindowFn(Call& call);
Result<Typed> SessionWindowFn(Call& call);
Result<Typed> WindowTimeFn(Call& call);

}  // namespace sluice::spark::internal
