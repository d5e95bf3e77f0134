// The time window of a query, as the streaming runtime needs to know it: Spark's
// window(time, duration[, slide[, start]]) and session_window(time, gap).
//
// A SELECT that calls one of them in its select list or GROUP BY gives each row its
// window (a struct<start, end> column named `window` or `session_window`) and, grouped by
// it, aggregates per window. The translator (translator.h) computes the windows itself;
// this header lets a caller read a query's window from its parse tree, e.g. to know which
// windows a watermark has closed (TranslateOptions::time_window_end_bounds) and when a
// row's last window ends.
#pragma once

#include <cstdint>
#include <optional>

#include "common/status.h"
#include "spark/ast.h"

namespace sluice::spark {

enum class TimeWindowKind {
  kTumbling,  // window(t, d) or window(t, d, d[, start]): one window per row
  kSliding,   // window(t, d, slide[, start]) with slide < d: ceil(d / slide) windows at most
  kSession,   // session_window(t, gap): rows whose [t, t + gap) overlap make one window
};

struct TimeWindowSpec {
  TimeWindowKind kind = TimeWindowKind::kTumbling;
  const Expr* call = nullptr;         // the window(...) or session_window(...) call
  const Expr* time_column = nullptr;  // its first argument (the event time), as written
  // Tumbling and sliding windows are [s, s + duration) for every s = start + k * slide
  // (k any integer), in microseconds; a row at time t is in each window with s <= t < s +
  // duration. Tumbling windows have slide == duration.
  int64_t duration_micros = 0;
  int64_t slide_micros = 0;
  int64_t start_micros = 0;
  // Session windows: the gap, when it is a literal without months (a row of time t opens
  // or extends a session to at least t + gap); nullopt when it is computed per row (Spark's
  // dynamic gap) or counts months.
  std::optional<int64_t> gap_micros;
};

// The time window of `body`: the window(...) or session_window(...) call in its select list
// or GROUP BY (subqueries are not searched; they are SELECTs of their own), or nullopt when
// it has none. Fails, naming the place in `source`, when it calls several different ones
// (Spark refuses those too) or when a duration is not a literal Spark accepts.
Result<std::optional<TimeWindowSpec>> FindTimeWindow(const SelectBody& body,
                                                     const SourceText& source);

// The end of the last window holding event time `event_time_micros`: the window with the
// latest start s <= t, which ends at s + duration. Every window of the row ends at or
// before it. Tumbling and sliding windows only (`spec.kind` is not kSession).
int64_t LastWindowEnd(const TimeWindowSpec& spec, int64_t event_time_micros);

}  // namespace sluice::spark
