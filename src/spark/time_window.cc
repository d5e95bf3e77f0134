// Spark's time windows, window(time, duration[, slide[, start]]) and session_window(time,
// gap), as Spark 3.5 defines them: the TimeWindowing and SessionWindowing analyzer rules
// (which give each row its windows before the operator that calls them) and the merging of
// sessions by a batch aggregation (rows sorted by time per group; a row whose time is at or
// before the end of the current session extends it).
#include "spark/time_window.h"

#include <cctype>
#include <cstdlib>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "spark/arithmetic.h"
#include "spark/functions.h"
#include "spark/interval.h"
#include "spark/time_window_internal.h"

namespace sluice::spark {
namespace {

bool IsTimeWindowCall(const Expr& expr) {
  return expr.kind == ExprKind::kFunction && expr.parts.size() == 1 && !expr.window &&
         (EqualsIgnoreCase(expr.parts[0], "window") ||
          EqualsIgnoreCase(expr.parts[0], "session_window"));
}

bool IsSessionCall(const Expr& expr) {
  return IsTimeWindowCall(expr) && EqualsIgnoreCase(expr.parts[0], "session_window");
}

// Calls of window(...) and session_window(...) in an expression (not in subqueries).
void CollectCalls(const Expr& expr, std::vector<const Expr*>* out) {
  if (IsTimeWindowCall(expr)) {
    out->push_back(&expr);
    return;
  }
  for (const ExprPtr& arg : expr.args) {
    if (arg) CollectCalls(*arg, out);
  }
}

// The time window calls of a SELECT: those of its select list and GROUP BY, as Spark's
// rules find them in the operator that computes the select list and groups.
std::vector<const Expr*> TimeWindowCalls(const SelectBody& body) {
  std::vector<const Expr*> calls;
  for (const SelectItem& item : body.items) CollectCalls(*item.expr, &calls);
  for (const GroupingElement& element : body.group_by) {
    if (element.expr) CollectCalls(*element.expr, &calls);
    for (const auto& set : element.sets) {
      for (const ExprPtr& e : set) CollectCalls(*e, &calls);
    }
  }
  return calls;
}

int64_t FloorMod(int64_t a, int64_t b) {
  const int64_t r = a % b;
  return r < 0 ? r + b : r;
}

// A duration argument of window(): an interval string ('5 minutes'), an interval literal
// without months, or a number of microseconds. Errors are unlocated.
Result<int64_t> DurationOfLiteral(const Literal& literal, std::string_view what) {
  if (literal.type.IsIntegral()) return std::stoll(literal.text);
  IntervalValue value;
  if (literal.type.is(TypeId::kString)) {
    SLUICE_ASSIGN_OR_RETURN(value, ParseIntervalString(literal.text));
  } else if (literal.type.IsInterval()) {
    value = IntervalValue{literal.months, literal.days, literal.micros};
  } else {
    return InvalidArgument("the ", what,
                           " of window must be an interval string such as '5 minutes'");
  }
  if (value.months != 0) {
    return InvalidArgument("Intervals greater than a month is not supported (", literal.text, ").");
  }
  return value.days * kMicrosPerDay + value.micros;
}

// Spark's checks of a window's durations (TimeWindow). Errors are unlocated.
Status CheckWindowDurations(int64_t duration, int64_t slide, int64_t start) {
  if (duration <= 0) {
    return InvalidArgument("The window duration (", duration, ") must be greater than 0.");
  }
  if (slide <= 0) {
    return InvalidArgument("The slide duration (", slide, ") must be greater than 0.");
  }
  if (slide > duration) {
    return InvalidArgument("The slide duration (", slide,
                           ") must be less than or equal to the windowDuration (", duration, ").");
  }
  if (std::abs(start) >= slide) {
    return InvalidArgument("The absolute value of start time (", start,
                           ") must be less than the slideDuration (", slide, ").");
  }
  return Status::OK();
}

// The interval of a literal session gap (a string or an interval), or nullopt when it is
// NULL or a string that is not an interval: then every row's session end is NULL and Spark
// drops the row.
std::optional<IntervalValue> GapOfLiteral(const Literal& literal) {
  if (literal.type.IsInterval()) return IntervalValue{literal.months, literal.days, literal.micros};
  if (!literal.type.is(TypeId::kString)) return std::nullopt;
  auto value = ParseIntervalString(literal.text);
  if (!value.ok()) return std::nullopt;
  return *value;
}

// Source text compared as Spark compares expressions here: case and spaces aside.
std::string Normalized(const SourceText& source, const Span& span) {
  std::string out;
  for (size_t i = span.begin; i < span.end && i < source.text.size(); ++i) {
    const char c = source.text[i];
    if (!std::isspace(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

}  // namespace

Result<std::optional<TimeWindowSpec>> FindTimeWindow(const SelectBody& body,
                                                     const SourceText& source) {
  auto error = [&](const Span& at, std::string_view message) -> Status {
    if (at.line == 0) return InvalidArgument(std::string(message));
    return InvalidArgument(FormatDiagnostic(source.Locate(at), message));
  };
  std::optional<TimeWindowSpec> found;
  for (const Expr* call : TimeWindowCalls(body)) {
    const bool session = IsSessionCall(*call);
    const size_t n = call->args.size();
    if (session ? n != 2 : (n < 2 || n > 4)) {
      return error(call->span,
                   session ? "session_window takes 2 arguments" : "window takes 2 to 4 arguments");
    }
    TimeWindowSpec spec;
    spec.call = call;
    spec.time_column = call->args[0].get();
    if (session) {
      spec.kind = TimeWindowKind::kSession;
      const Expr& gap = *call->args[1];
      if (gap.kind == ExprKind::kLiteral) {
        auto value = GapOfLiteral(gap.literal);
        if (value && value->months == 0)
          spec.gap_micros = value->days * kMicrosPerDay + value->micros;
      }
    } else {
      static const char* kWhat[] = {"window duration", "slide duration", "start time"};
      int64_t values[3] = {0, 0, 0};
      for (size_t i = 1; i < n; ++i) {
        const Expr& arg = *call->args[i];
        if (arg.kind != ExprKind::kLiteral || arg.literal.type.is(TypeId::kNull)) {
          return error(arg.span, std::string("the ") + kWhat[i - 1] +
                                     " of window must be a literal such as '5 minutes'");
        }
        auto value = DurationOfLiteral(arg.literal, kWhat[i - 1]);
        if (!value.ok()) return error(arg.span, value.status().message());
        values[i - 1] = *value;
      }
      spec.duration_micros = values[0];
      spec.slide_micros = n > 2 ? values[1] : values[0];
      spec.start_micros = n > 3 ? values[2] : 0;
      Status check =
          CheckWindowDurations(spec.duration_micros, spec.slide_micros, spec.start_micros);
      if (!check.ok()) return error(call->span, check.message());
      spec.kind = spec.slide_micros < spec.duration_micros ? TimeWindowKind::kSliding
                                                           : TimeWindowKind::kTumbling;
    }
    if (!found) {
      found = spec;
      continue;
    }
    const bool same = found->kind == spec.kind && found->duration_micros == spec.duration_micros &&
                      found->slide_micros == spec.slide_micros &&
                      found->start_micros == spec.start_micros &&
                      Normalized(source, found->time_column->span) ==
                          Normalized(source, spec.time_column->span) &&
                      (!session || Normalized(source, found->call->args[1]->span) ==
                                       Normalized(source, call->args[1]->span));
    if (!same) {
      return error(call->span,
                   "multiple time/session window expressions would result in a cartesian "
                   "product of rows; they are not supported");
    }
  }
  return found;
}

int64_t LastWindowEnd(const TimeWindowSpec& spec, int64_t event_time_micros) {
  return event_time_micros - FloorMod(event_time_micros - spec.start_micros, spec.slide_micros) +
         spec.duration_micros;
}

namespace internal {
namespace {

// The relation that holds a SELECT's window column is qualified by this prefix and the
// window's key (no written name can match it), so that the window call finds its column.
constexpr char kKeyPrefix[] = "\x01time window ";

// A time window call bound to the rows of a SELECT.
struct BoundWindow {
  TimeWindowKind kind = TimeWindowKind::kTumbling;
  DataType type;       // the time's type: TIMESTAMP or TIMESTAMP_NTZ
  std::string time;    // the row's time
  std::string micros;  // the row's time in microseconds since the epoch (BIGINT)
  int64_t duration = 0;
  int64_t slide = 0;
  int64_t start = 0;
  // Session windows: the end of the row's own session, t + gap, in microseconds (NULL when
  // the gap is NULL or not an interval).
  std::string end_micros;
  std::string key;  // equal keys, equal windows
  std::string column = "window";
  Span span;
};

std::string MakeTime(const DataType& type, const std::string& micros) {
  return std::string(type.is(TypeId::kTimestampNtz) ? "make_timestamp(" : "make_timestamptz(") +
         micros + ")";
}

DataType WindowType(const DataType& time) {
  auto field = [&](const char* name) {
    return StructField{name, std::make_shared<DataType>(time), true, std::nullopt};
  };
  return DataType::Struct({field("start"), field("end")});
}

// The window struct of times given as microseconds.
std::string WindowSql(const DataType& type, const std::string& start, const std::string& end) {
  return "struct_pack(\"start\" := " + MakeTime(type, start) +
         ", \"end\" := " + MakeTime(type, end) + ")";
}

// The time argument: a timestamp, or the window column of an earlier time window, whose
// time is its last microsecond (window_time), as Spark reads it.
Status BindTime(Call& call) {
  const DataType& type = call.args[0].type;
  if (type.is(TypeId::kStruct)) {
    const StructField* end = type.FindField("end");
    if (end != nullptr && type.FindField("start") != nullptr &&
        (end->type->is(TypeId::kTimestamp) || end->type->is(TypeId::kTimestampNtz))) {
      const DataType time = *end->type;
      Typed& arg = call.args[0];
      arg.sql = MakeTime(time, "epoch_us(struct_extract(" + arg.sql + ", 'end')) - 1");
      arg.type = time;
      return Status::OK();
    }
  }
  return Expect(call, 0, AnyOf(Accepts::kTimestamp));
}

Result<int64_t> DurationArg(Call& call, size_t i, const char* what) {
  const Typed& arg = call.args[i];
  if (!arg.literal || arg.IsNullLiteral()) {
    return call.ArgError(i, std::string("the ") + what + " of " + call.name +
                                " must be a literal such as '5 minutes'");
  }
  auto value = DurationOfLiteral(*arg.literal, what);
  if (!value.ok()) return call.ArgError(i, value.status().message());
  return *value;
}

// The session end t + gap of a row, in microseconds: `gap` is a literal or an expression
// of strings or intervals (Spark's dynamic gap, cast to an interval per row).
Result<std::string> SessionEndMicros(Call& call) {
  Translator& t = call.translator;
  const Typed& time = call.args[0];
  const Typed& gap = call.args[1];
  const DataType calendar = DataType::Of(TypeId::kCalendarInterval);
  Typed interval;
  if (gap.literal && !gap.IsNullLiteral()) {
    auto value = GapOfLiteral(*gap.literal);
    if (!value && !gap.type.is(TypeId::kString)) {
      return call.ArgError(1,
                           "Gap duration expression used in session window must be "
                           "CalendarIntervalType, but got " +
                               gap.type.Sql());
    }
    if (!value) return std::string("CAST(NULL AS BIGINT)");
    if (value->months == 0) {
      return "(epoch_us(" + time.sql + ") + " +
             std::to_string(value->days * kMicrosPerDay + value->micros) + ")";
    }
    interval.sql = "(to_months(" + std::to_string(value->months) + ") + to_days(" +
                   std::to_string(value->days) + ") + to_microseconds(" +
                   std::to_string(value->micros) + "))";
    interval.type = calendar;
  } else if (gap.type.is(TypeId::kString)) {
    SLUICE_ASSIGN_OR_RETURN(interval.sql, t.CastSql(gap, calendar, true, call.raw[1]->span));
    interval.type = calendar;
  } else if (gap.type.IsInterval()) {
    interval = gap;
  } else if (gap.type.is(TypeId::kNull)) {
    return std::string("CAST(NULL AS BIGINT)");
  } else {
    return call.ArgError(1,
                         "Gap duration expression used in session window must be "
                         "CalendarIntervalType, but got " +
                             gap.type.Sql());
  }
  SLUICE_ASSIGN_OR_RETURN(
      Typed end, BinaryArithmetic(t, "+", time, interval, ModeOf(t), call.node.span, Typed{}));
  return "epoch_us(" + end.sql + ")";
}

// Checks and reads the arguments of window(...) or session_window(...).
Result<BoundWindow> BindWindow(Call& call) {
  const bool session = call.name == "session_window";
  const size_t n = call.args.size();
  if (session ? n != 2 : (n < 2 || n > 4)) {
    return call.Error(call.name +
                      (session ? " takes 2 arguments, not " : " takes 2 to 4 arguments, not ") +
                      std::to_string(n));
  }
  SLUICE_RETURN_IF_ERROR(BindTime(call));
  BoundWindow w;
  w.type = call.args[0].type;
  w.time = call.args[0].sql;
  w.micros = "epoch_us(" + call.args[0].sql + ")";
  w.span = call.node.span;
  if (session) {
    w.kind = TimeWindowKind::kSession;
    w.column = "session_window";
    SLUICE_ASSIGN_OR_RETURN(w.end_micros, SessionEndMicros(call));
    w.key = "session_window(" + call.args[0].sql + ", " + w.end_micros + ")";
    return w;
  }
  SLUICE_ASSIGN_OR_RETURN(w.duration, DurationArg(call, 1, "window duration"));
  w.slide = w.duration;
  if (n > 2) {
    SLUICE_ASSIGN_OR_RETURN(w.slide, DurationArg(call, 2, "slide duration"));
  }
  if (n > 3) {
    SLUICE_ASSIGN_OR_RETURN(w.start, DurationArg(call, 3, "start time"));
  }
  Status check = CheckWindowDurations(w.duration, w.slide, w.start);
  if (!check.ok()) return call.Error(check.message());
  w.kind = w.slide < w.duration ? TimeWindowKind::kSliding : TimeWindowKind::kTumbling;
  w.key = "window(" + call.args[0].sql + ", " + std::to_string(w.duration) + ", " +
          std::to_string(w.slide) + ", " + std::to_string(w.start) + ")";
  return w;
}

// BindWindow of a call as written, its arguments translated in `scope`.
Result<BoundWindow> BindCall(Translator& t, const Expr& expr, const Scope& scope) {
  ExprContext plain;
  plain.aggregates_allowed = false;
  plain.windows_allowed = false;
  Call call{t, expr, scope, ToLower(expr.parts[0]), {}, {}, "", "", false, std::nullopt};
  for (const ExprPtr& arg : expr.args) {
    SLUICE_ASSIGN_OR_RETURN(Typed value, t.Translate(*arg, scope, plain));
    call.args.push_back(std::move(value));
    call.raw.push_back(arg.get());
  }
  return BindWindow(call);
}

// The window of a tumbling window's row, computed from its time.
std::string TumblingSql(const BoundWindow& w) {
  const std::string start = "(" + w.micros + " - spark_floor_mod(" + w.micros + " - " +
                            std::to_string(w.start) + ", " + std::to_string(w.slide) + "))";
  return WindowSql(w.type, start, start + " + " + std::to_string(w.duration));
}

// The window column ApplyTimeWindow added to `scope` for the window of `key`, if any.
const ScopeColumn* Registered(const Scope& scope, const std::string& key) {
  const std::string qualifier = kKeyPrefix + key;
  for (const ScopeRelation& relation : scope.relations) {
    for (const auto& q : relation.qualifiers) {
      if (q.size() == 1 && q[0] == qualifier && !relation.columns.empty()) {
        return &relation.columns[0];
      }
    }
  }
  return nullptr;
}

Result<Typed> WindowValue(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(BoundWindow w, BindWindow(call));
  Typed out;
  if (const ScopeColumn* column = Registered(call.scope, w.key)) {
    out = call.Result(column->sql, column->type);
  } else if (w.kind == TimeWindowKind::kTumbling) {
    out = call.Result(TumblingSql(w), WindowType(w.type));
  } else {
    return call.Error(
        w.kind == TimeWindowKind::kSession
            ? "session_window(...) is allowed only in the select list or GROUP BY of a query, "
              "which it gives the column session_window"
            : "a sliding window(...) (slide shorter than the duration) is allowed only in the "
              "select list or GROUP BY of a query, whose rows it repeats once per window");
  }
  out.name = w.column;
  return out;
}

// Moves the rows of a SELECT's FROM clause into a derived table `alias`: the select items
// that carry each column of `scope` through it (as __c0, __c1, ...), with `scope` changed
// to read them from `alias`.
std::vector<std::string> CarryColumns(Scope* scope, const std::string& alias) {
  std::vector<std::string> items;
  int i = 0;
  for (ScopeRelation& relation : scope->relations) {
    for (ScopeColumn& column : relation.columns) {
      const std::string name = QuoteIdentifier("__c" + std::to_string(i++));
      items.push_back(column.sql + " AS " + name);
      column.sql = alias + "." + name;
    }
  }
  return items;
}

std::string FromClause(const std::string& from_sql) {
  return from_sql.empty() ? "" : " FROM " + from_sql;
}

// Sliding windows: each row once per window [s, s + duration) with s <= t, s = start + k *
// slide; there are ceil((duration - r) / slide) of them, r = (t - start) mod slide, the
// last starting at t - r. A NULL time has none.
// With `start_column` (merging partial rows), the derived table has the window's start in
// microseconds, "__start", instead of the window, and the result is that column.
std::string ExpandSliding(Translator& t, const BoundWindow& w, std::string* from_sql, Scope* scope,
                          bool start_column = false) {
  const std::string alias = t.NewAlias();
  std::vector<std::string> items = CarryColumns(scope, alias);
  const std::string r = "spark_floor_mod(" + w.micros + " - " + std::to_string(w.start) + ", " +
                        std::to_string(w.slide) + ")";
  items.push_back("(" + w.micros + " - " + r + ") AS \"__last\"");
  // A cross join with the most windows a row is in, less those beyond its own count, is
  // cheaper in DuckDB than unnesting a list per row.
  const std::string index = t.NewAlias();
  items.push_back(index + ".\"__i\" AS \"__i\"");
  const std::string most = std::to_string((w.duration + w.slide - 1) / w.slide);
  const std::string windows_sql = "range(" + most + ") AS " + index + "(\"__i\")";
  std::string rows = "SELECT " + Join(items, ", ") +
                     (from_sql->empty() ? " FROM " + windows_sql
                                        : " FROM " + *from_sql + " CROSS JOIN " + windows_sql);
  // When the slide divides the duration, every row is in duration / slide windows.
  if (w.duration % w.slide == 0) {
    rows += " WHERE " + w.micros + " IS NOT NULL";
  } else {
    rows += " WHERE " + index + ".\"__i\" < (" + std::to_string(w.duration + w.slide - 1) + " - " +
            r + ") // " + std::to_string(w.slide);
  }
  const std::string start = "(\"__last\" - \"__i\" * " + std::to_string(w.slide) + ")";
  if (start_column) {
    *from_sql = "(SELECT *, " + start + " AS \"__start\" FROM (" + rows + ")) AS " + alias;
    return alias + ".\"__start\"";
  }
  const std::string windows = "SELECT *, " +
                              WindowSql(w.type, start, start + " + " + std::to_string(w.duration)) +
                              " AS \"window\" FROM (" + rows + ")";
  *from_sql = "(" + windows + ") AS " + alias;
  return alias + ".\"window\"";
}

bool IsSimpleName(const Expr& e) { return e.kind == ExprKind::kColumn && e.parts.size() == 1; }

// The 1-based select-list position an integer literal of GROUP BY names, or 0.
size_t Position(const SelectBody& body, const Expr& e) {
  if (e.kind != ExprKind::kLiteral || !e.literal.type.IsIntegral()) return 0;
  const long long p = std::stoll(e.literal.text);
  return p >= 1 && p <= static_cast<long long>(body.items.size()) ? static_cast<size_t>(p) : 0;
}

// The GROUP BY keys other than the session window, when the SELECT groups by its session
// window (nullopt when it does not: then each row keeps its own [t, t + gap)). A key may
// be a select-list position or alias, as in GROUP BY.
Result<std::optional<std::vector<std::string>>> SessionKeys(Translator& t, const SelectBody& body,
                                                            const BoundWindow& w,
                                                            const Scope& scope) {
  ExprContext plain;
  plain.aggregates_allowed = false;
  plain.windows_allowed = false;
  auto unresolved = [&](const Expr& e) { return !t.ResolveColumn(e, scope).ok(); };
  auto aliased = [&](const Expr& e) -> const Expr* {
    for (const SelectItem& item : body.items) {
      if (item.alias && EqualsIgnoreCase(*item.alias, e.parts[0])) return item.expr.get();
    }
    return nullptr;
  };
  // What a GROUP BY element stands for.
  auto meaning = [&](const Expr& e) -> const Expr* {
    if (size_t p = Position(body, e)) return body.items[p - 1].expr.get();
    if (IsSimpleName(e) && unresolved(e)) {
      if (const Expr* item = aliased(e)) return item;
    }
    return &e;
  };
  bool grouped = false;
  std::vector<std::string> keys;
  if (body.group_by_all) {
    for (const SelectItem& item : body.items) {
      const Expr& e = *item.expr;
      if (e.kind == ExprKind::kStar) {
        return t.UnsupportedAt(e.span, "GROUP BY ALL with * and session_window is not supported");
      }
      if (IsSessionCall(e)) {
        grouped = true;
        continue;
      }
      std::vector<const Expr*> nested;
      CollectCalls(e, &nested);
      if (!nested.empty()) continue;
      auto value = t.Translate(e, scope, ExprContext{});
      // An item that names the session window's column is not a key of the sessions.
      if (!value.ok() || value->aggregate || value->window || value->literal) continue;
      keys.push_back(value->sql);
    }
  }
  for (const GroupingElement& element : body.group_by) {
    if (element.kind != GroupingElement::Kind::kExpr) {
      return t.UnsupportedAt(w.span,
                             "session_window with GROUPING SETS, ROLLUP or CUBE is not supported");
    }
    const Expr& e = *element.expr;
    const Expr* key = meaning(e);
    if (IsSessionCall(*key) ||
        (IsSimpleName(e) && unresolved(e) && EqualsIgnoreCase(e.parts[0], "session_window"))) {
      grouped = true;
      continue;
    }
    std::vector<const Expr*> nested;
    CollectCalls(*key, &nested);
    if (!nested.empty() || key->kind == ExprKind::kLiteral) continue;
    SLUICE_ASSIGN_OR_RETURN(Typed value, t.Translate(*key, scope, plain));
    keys.push_back(value.sql);
  }
  if (!grouped) return std::optional<std::vector<std::string>>();
  return std::optional<std::vector<std::string>>(std::move(keys));
}

// Session windows: the rows that pass WHERE, without those whose time is NULL or whose
// session end is not after it, each with [t, t + gap) or, grouped by the session window,
// the session it merges into: per value of the other keys, in order of time, a row starts
// a new session when its time is after the end of every earlier row's [t, t + gap).
Result<std::string> SessionRows(Translator& t, const SelectBody& body, const BoundWindow& w,
                                std::string* from_sql, Scope* scope) {
  std::string where;
  if (body.where) {
    ExprContext plain;
    plain.aggregates_allowed = false;
    plain.windows_allowed = false;
    SLUICE_ASSIGN_OR_RETURN(Typed condition, t.Condition(*body.where, *scope, plain, "WHERE"));
    where = condition.sql;
  }
  SLUICE_ASSIGN_OR_RETURN(auto keys, SessionKeys(t, body, w, *scope));
  const std::string alias = t.NewAlias();
  std::vector<std::string> items = CarryColumns(scope, alias);
  items.push_back(w.micros + " AS \"__ts\"");
  items.push_back(w.end_micros + " AS \"__end\"");
  std::vector<std::string> partition;
  if (keys) {
    for (size_t i = 0; i < keys->size(); ++i) {
      const std::string name = QuoteIdentifier("__k" + std::to_string(i));
      items.push_back((*keys)[i] + " AS " + name);
      partition.push_back(name);
    }
  }
  std::string rows = "SELECT " + Join(items, ", ") + FromClause(*from_sql) +
                     (where.empty() ? "" : " WHERE " + where);
  rows = "SELECT * FROM (" + rows + ") WHERE \"__ts\" IS NOT NULL AND \"__end\" > \"__ts\"";
  std::string start = "\"__ts\"", end = "\"__end\"";
  if (keys) {
    // Ties in time are one session (each row's interval holds the others' start), so the
    // frames are ranges of time, not rows.
    const std::string by = partition.empty() ? "" : "PARTITION BY " + Join(partition, ", ") + " ";
    rows = "SELECT *, CASE WHEN \"__ts\" <= max(\"__end\") OVER (" + by +
           "ORDER BY \"__ts\" RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 "
           "END AS \"__new\" FROM (" +
           rows + ")";
    rows = "SELECT *, sum(\"__new\") OVER (" + by +
           "ORDER BY \"__ts\" RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS \"__session\" "
           "FROM (" +
           rows + ")";
    partition.push_back("\"__session\"");
    const std::string session = " OVER (PARTITION BY " + Join(partition, ", ") + ")";
    start = "min(\"__ts\")" + session;
    end = "max(\"__end\")" + session;
  }
  rows =
      "SELECT *, " + WindowSql(w.type, start, end) + " AS \"session_window\" FROM (" + rows + ")";
  *from_sql = "(" + rows + ") AS " + alias;
  return alias + ".\"session_window\"";
}

}  // namespace

Result<TimeWindowRewrite> ApplyTimeWindow(Translator& t, const SelectBody& body,
                                          std::string* from_sql, Scope* scope) {
  TimeWindowRewrite out;
  const std::vector<const Expr*> calls = TimeWindowCalls(body);
  if (calls.empty()) return out;
  std::optional<BoundWindow> window;
  for (const Expr* expr : calls) {
    SLUICE_ASSIGN_OR_RETURN(BoundWindow bound, BindCall(t, *expr, *scope));
    if (window && window->key != bound.key) {
      return t.ErrorAt(expr->span,
                       "multiple time/session window expressions would result in a cartesian "
                       "product of rows; they are not supported");
    }
    if (!window) window = std::move(bound);
  }
  out.time = window->time;
  const bool split = t.partial != nullptr && t.partial->select == &body;
  if (split && window->kind == TimeWindowKind::kSession) {
    return t.UnsupportedAt(window->span, "partial aggregates of session windows");
  }
  if (split && !t.partial->merge) {
    // Partial aggregates are computed per pane: the tumbling window as long as the greatest
    // common divisor of the duration and slide, on the same time axis.
    const int64_t pane = std::gcd(window->duration, window->slide);
    out.pane_micros = "(" + window->micros + " - spark_floor_mod(" + window->micros + " - " +
                      std::to_string(window->start) + ", " + std::to_string(pane) + "))";
    out.pane_start = MakeTime(window->type, out.pane_micros);
    out.column =
        WindowSql(window->type, out.pane_micros, out.pane_micros + " + " + std::to_string(pane));
    out.filter = window->time + " IS NOT NULL";
    ScopeRelation relation;
    relation.qualifiers.push_back({kKeyPrefix + window->key});
    ScopeColumn value{window->column, WindowType(window->type), true, out.column};
    value.hidden = true;
    relation.columns.push_back(std::move(value));
    scope->relations.push_back(std::move(relation));
    return out;
  }
  std::string column;
  std::string end_micros;  // the window's end in microseconds, when simpler than from column
  switch (window->kind) {
    case TimeWindowKind::kTumbling:
      if (split) {
        // Partial rows hold their pane's start, which for a tumbling window is the window's.
        column = "struct_pack(\"start\" := " + window->time + ", \"end\" := " +
                 MakeTime(window->type, window->micros + " + " + std::to_string(window->duration)) +
                 ")";
        out.filter = window->time + " IS NOT NULL";
        out.group_key = window->time;
        end_micros = "(" + window->micros + " + " + std::to_string(window->duration) + ")";
        break;
      }
      column = TumblingSql(*window);
      out.filter = "struct_extract(" + column + ", 'start') IS NOT NULL";
      break;
    case TimeWindowKind::kSliding:
      if (split) {
        // Grouped by the window's start, a number, rather than by the window.
        out.group_key = ExpandSliding(t, *window, from_sql, scope, true);
        column = WindowSql(window->type, out.group_key,
                           out.group_key + " + " + std::to_string(window->duration));
        end_micros = "(" + out.group_key + " + " + std::to_string(window->duration) + ")";
        break;
      }
      column = ExpandSliding(t, *window, from_sql, scope);
      break;
    case TimeWindowKind::kSession:
      SLUICE_ASSIGN_OR_RETURN(column, SessionRows(t, body, *window, from_sql, scope));
      out.where_applied = true;
      break;
  }
  std::string key = window->key;
  if (window->kind != TimeWindowKind::kTumbling) {
    // The call now reads the columns of the derived table.
    SLUICE_ASSIGN_OR_RETURN(BoundWindow rebound, BindCall(t, *calls[0], *scope));
    key = rebound.key;
  }
  ScopeRelation relation;
  relation.qualifiers.push_back({kKeyPrefix + key});
  ScopeColumn value{window->column, WindowType(window->type), true, column};
  value.hidden = true;  // not in *: Spark expands * before it adds the column
  relation.columns.push_back(std::move(value));
  scope->relations.push_back(std::move(relation));
  out.column = column;
  if (const auto& bounds = t.options().time_window_end_bounds) {
    const std::string end =
        end_micros.empty() ? "epoch_us(struct_extract(" + column + ", 'end'))" : end_micros;
    const std::string kept = end + " > " + std::to_string(bounds->first) + " AND " + end +
                             " <= " + std::to_string(bounds->second);
    out.filter = out.filter.empty() ? kept : out.filter + " AND " + kept;
  }
  return out;
}

Result<Typed> WindowFn(Call& call) { return WindowValue(call); }

Result<Typed> SessionWindowFn(Call& call) { return WindowValue(call); }

// window_time(window): the window's last instant (its end less a microsecond).
Result<Typed> WindowTimeFn(Call& call) {
  const DataType& type = call.args[0].type;
  const StructField* end = type.is(TypeId::kStruct) ? type.FindField("end") : nullptr;
  if (end == nullptr || type.FindField("start") == nullptr ||
      !(end->type->is(TypeId::kTimestamp) || end->type->is(TypeId::kTimestampNtz))) {
    return call.ArgError(0, "window_time needs the window column of a time window");
  }
  return call.Result(
      MakeTime(*end->type, "epoch_us(struct_extract(" + call.args[0].sql + ", 'end')) - 1"),
      *end->type);
}

}  // namespace internal
}  // namespace sluice::spark
