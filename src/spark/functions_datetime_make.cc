// Datetime functions that build values: make_date, make_timestamp(_ltz/_ntz),
// make_interval, make_dt_interval, make_ym_interval; timestampadd / timestampdiff (the
// parser's reading of dateadd / datediff with a unit). The time windows (window,
// session_window, window_time) are time_window.cc's.
#include <algorithm>
#include <cstdlib>
#include <map>

#include "common/strings.h"
#include "spark/functions_datetime_internal.h"
#include "spark/interval.h"
#include "spark/time_window_internal.h"

namespace sluice::spark::internal {
namespace {

const DataType kInt = DataType::Of(TypeId::kInt);
const DataType kLong = DataType::Of(TypeId::kLong);
const DataType kDate = DataType::Of(TypeId::kDate);
const DataType kTimestamp = DataType::Of(TypeId::kTimestamp);
const DataType kTimestampNtz = DataType::Of(TypeId::kTimestampNtz);

// `sql`, or (ANSI mode) an error where it is NULL but none of `args` is.
std::string OrAnsiError(const Call& call, const std::string& sql, size_t args,
                        const std::string& message, const DataType& type) {
  if (!call.options().ansi) return sql;
  std::vector<std::string> present;
  for (size_t i = 0; i < args; ++i) present.push_back(call.args[i].sql + " IS NOT NULL");
  return "CASE WHEN (" + sql + ") IS NULL AND " + Join(present, " AND ") + " THEN CAST(error(" +
         QuoteLiteral(message) + ") AS " + ToDuckDbType(type) + ") ELSE " + sql + " END";
}

// ---- Dates and timestamps ------------------------------------------------------------------

Result<Typed> MakeDateFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Int()}));
  const std::string sql = "spark_make_date(" + call.args[0].sql + ", " + call.args[1].sql + ", " +
                          call.args[2].sql + ")";
  return call.Result(OrAnsiError(call, sql, 3,
                                 "[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid date. If necessary set "
                                 "\"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                                 kDate),
                     kDate);
}

// make_timestamp(year, month, day, hour, min, sec[, zone]): a wall-clock time in the zone
// (the session's by default); NULL for a time that does not exist.
ScalarFn MakeTimestamp(bool ntz) {
  return [ntz](Call& call) -> Result<Typed> {
    if (ntz && call.args.size() > 6) return call.Error("make_timestamp_ntz takes 6 arguments");
    SLUICE_RETURN_IF_ERROR(ExpectAll(
        call, {Int(), Int(), Int(), Int(), Int(), Exact(DataType::Decimal(16, 6)), String()}));
    std::vector<std::string> parts;
    for (size_t i = 0; i < 6; ++i) parts.push_back(call.args[i].sql);
    const std::string local = "spark_make_local_timestamp(" + Join(parts, ", ") + ")";
    std::string sql;
    if (ntz) {
      sql = local;
    } else if (call.args.size() > 6) {
      SLUICE_ASSIGN_OR_RETURN(sql, InstantInZone(call, 6, local));
    } else {
      sql = "spark_local_to_instant(" + local + ")";
    }
    const DataType type = ntz ? kTimestampNtz : kTimestamp;
    return call.Result(OrAnsiError(call, sql, 6,
                                   "[DATETIME_FIELD_OUT_OF_BOUNDS] Invalid date or time. If "
                                   "necessary set \"spark.sql.ansi.enabled\" to \"false\" to "
                                   "bypass this error.",
                                   type),
                       type);
  };
}

// ---- Intervals -----------------------------------------------------------------------------

// The SQL of argument i, or `fallback` when the call has fewer arguments.
std::string ArgOr(const Call& call, size_t i, const char* fallback) {
  return i < call.args.size() ? call.args[i].sql : fallback;
}

// make_interval(years, months, weeks, days, hours, mins, secs): months and days must fit an
// INT (else NULL; an error in ANSI mode).
Result<Typed> MakeIntervalFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(
      ExpectAll(call, {Int(), Int(), Int(), Int(), Int(), Int(), Exact(DataType::Decimal(18, 6))}));
  const std::string months =
      "(CAST(" + ArgOr(call, 0, "0") + " AS BIGINT) * 12 + " + ArgOr(call, 1, "0") + ")";
  const std::string days =
      "(CAST(" + ArgOr(call, 2, "0") + " AS BIGINT) * 7 + " + ArgOr(call, 3, "0") + ")";
  const std::string micros = "(CAST(" + ArgOr(call, 6, "0") + " * 1000000 AS BIGINT) + CAST(" +
                             ArgOr(call, 4, "0") + " AS BIGINT) * 3600000000 + CAST(" +
                             ArgOr(call, 5, "0") + " AS BIGINT) * 60000000)";
  const std::string fits = months + " BETWEEN -2147483648 AND 2147483647 AND " + days +
                           " BETWEEN -2147483648 AND 2147483647";
  const std::string value =
      "to_months(" + months + ") + to_days(" + days + ") + to_microseconds(" + micros + ")";
  const DataType type = DataType::Of(TypeId::kCalendarInterval);
  std::string sql = "CASE WHEN " + fits + " THEN " + value + " END";
  if (call.options().ansi) {
    sql = "CASE WHEN " + months + " IS NULL OR " + days + " IS NULL OR " + micros +
          " IS NULL THEN NULL WHEN " + fits + " THEN " + value +
          " ELSE CAST(error('[ARITHMETIC_OVERFLOW] integer overflow.') AS INTERVAL) END";
  }
  return call.Result(sql, type);
}

// make_dt_interval(days, hours, mins, secs): overflow is an error in every mode.
Result<Typed> MakeDtIntervalFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Int(), Int(), Int(), Exact(DataType::Decimal(18, 6))}));
  const std::string micros = "CAST(" + ArgOr(call, 3, "0") + " * 1000000 AS BIGINT) + CAST(" +
                             ArgOr(call, 0, "0") + " AS BIGINT) * 86400000000 + CAST(" +
                             ArgOr(call, 1, "0") + " AS BIGINT) * 3600000000 + CAST(" +
                             ArgOr(call, 2, "0") + " AS BIGINT) * 60000000";
  return call.Result("to_microseconds(" + micros + ")",
                     DataType::DayTimeInterval(IntervalField::kDay, IntervalField::kSecond));
}

// make_ym_interval(years, months): overflow is an error in every mode.
Result<Typed> MakeYmIntervalFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Int(), Int()}));
  const std::string months =
      "(CAST(" + ArgOr(call, 0, "0") + " AS BIGINT) * 12 + " + ArgOr(call, 1, "0") + ")";
  return call.Result("CASE WHEN " + months + " IS NULL THEN NULL WHEN " + months +
                         " BETWEEN -2147483648 AND 2147483647 THEN to_months(" + months +
                         ") ELSE CAST(error('[ARITHMETIC_OVERFLOW] integer overflow.') AS "
                         "INTERVAL) END",
                     DataType::YearMonthInterval(IntervalField::kYear, IntervalField::kMonth));
}

// ---- timestampadd / timestampdiff ----------------------------------------------------------

// timestampadd(unit, quantity, timestamp), as DateTimeUtils.timestampAdd: months and days
// move the wall clock; time units add days on the wall clock, then the rest.
Result<Typed> TimestampAddFn(Call& call) {
  auto unit = call.args[0].StringValue();
  if (!unit) return call.ArgError(0, "the unit of timestampadd must be a keyword such as DAY");
  SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
  SLUICE_RETURN_IF_ERROR(Expect(call, 2, AnyOf(Accepts::kTimestamp)));
  const std::string n = "CAST(" + call.args[1].sql + " AS BIGINT)";
  const std::string& ts = call.args[2].sql;
  static const std::map<std::string, const char*> kTimeUnits = {{"MICROSECOND", "1"},
                                                                {"MILLISECOND", "1000"},
                                                                {"SECOND", "1000000"},
                                                                {"MINUTE", "60000000"},
                                                                {"HOUR", "3600000000"}};
  std::string sql;
  if (auto it = kTimeUnits.find(*unit); it != kTimeUnits.end()) {
    const std::string total = "(" + n + " * " + it->second + ")";
    sql = "((" + ts + " + to_days(" + total + " // 86400000000)) + to_microseconds(" + total +
          " % 86400000000))";
  } else if (*unit == "DAY" || *unit == "DAYOFYEAR") {
    sql = "(" + ts + " + to_days(" + n + "))";
  } else if (*unit == "WEEK") {
    sql = "(" + ts + " + to_days(" + n + " * 7))";
  } else if (*unit == "MONTH" || *unit == "QUARTER" || *unit == "YEAR") {
    const char* factor = *unit == "MONTH" ? "1" : *unit == "QUARTER" ? "3" : "12";
    sql = "(" + ts + " + to_months(" + n + " * " + factor + "))";
  } else {
    return call.ArgError(
        0, "[INVALID_PARAMETER_VALUE.DATETIME_UNIT] invalid unit " + *unit + " for timestampadd");
  }
  const DataType type = call.args[2].type;
  Typed out = call.Result(As(sql, type), type);
  out.name = "timestampadd(" + *unit + ", " + call.args[1].name + ", " + call.args[2].name + ")";
  return out;
}

// timestampdiff(unit, start, end): whole units between the wall clocks (the session zone's
// for TIMESTAMPs), as ChronoUnit.between of LocalDateTimes.
Result<Typed> TimestampDiffFn(Call& call) {
  auto unit = call.args[0].StringValue();
  if (!unit) return call.ArgError(0, "the unit of timestampdiff must be a keyword such as DAY");
  static const char* const kUnits[] = {"MICROSECOND", "MILLISECOND", "SECOND", "MINUTE",  "HOUR",
                                       "DAY",         "WEEK",        "MONTH",  "QUARTER", "YEAR"};
  if (std::find(std::begin(kUnits), std::end(kUnits), *unit) == std::end(kUnits)) {
    return call.ArgError(
        0, "[INVALID_PARAMETER_VALUE.DATETIME_UNIT] invalid unit " + *unit + " for timestampdiff");
  }
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), AnyOf(Accepts::kTimestamp)}));
  const bool ntz =
      call.args[1].type.is(TypeId::kTimestampNtz) && call.args[2].type.is(TypeId::kTimestampNtz);
  std::vector<std::string> locals;
  for (size_t i = 1; i < 3; ++i) {
    if (ntz) {
      locals.push_back("epoch_us(" + call.args[i].sql + ")");
    } else {
      const Typed ts = call.translator.Coerce(call.args[i], kTimestamp);
      locals.push_back("epoch_us(CAST(" + ts.sql + " AS TIMESTAMP))");
    }
  }
  Typed out = call.Result(
      "spark_local_diff(" + QuoteLiteral(*unit) + ", " + locals[0] + ", " + locals[1] + ")", kLong);
  out.name = "timestampdiff(" + *unit + ", " + call.args[1].name + ", " + call.args[2].name + ")";
  return out;
}

}  // namespace

void AddDatetimeMakeFunctions(FunctionMap& map) {
  const char* g = kDatetimeGroup;
  Define(map, "make_date", FunctionKind::kScalar, 3, 3, MakeDateFn, g);
  Define(map, "make_timestamp", FunctionKind::kScalar, 6, 7, MakeTimestamp(false), g);
  Alias(map, "make_timestamp_ltz", "make_timestamp");
  Define(map, "make_timestamp_ntz", FunctionKind::kScalar, 6, 6, MakeTimestamp(true), g);
  Define(map, "make_interval", FunctionKind::kScalar, 0, 7, MakeIntervalFn, g);
  Define(map, "make_dt_interval", FunctionKind::kScalar, 0, 4, MakeDtIntervalFn, g);
  Define(map, "make_ym_interval", FunctionKind::kScalar, 0, 2, MakeYmIntervalFn, g);
  Define(map, "timestampadd", FunctionKind::kScalar, 3, 3, TimestampAddFn, g);
  Define(map, "timestampdiff", FunctionKind::kScalar, 3, 3, TimestampDiffFn, g);
  Define(map, "window", FunctionKind::kScalar, 2, 4, WindowFn, g);
  Define(map, "window_time", FunctionKind::kScalar, 1, 1, WindowTimeFn, g);
  Define(map, "session_window", FunctionKind::kScalar, 2, 2, SessionWindowFn, g);
}

}  // namespace sluice::spark::internal
