// Datetime functions that convert: datetime patterns (date_format, from_unixtime,
// unix_timestamp, to_date and to_timestamp with a pattern), epochs (timestamp_seconds,
// unix_seconds, unix_date, ...), time zones (from_utc_timestamp, to_utc_timestamp,
// convert_timezone) and the current time.
#include <functional>

#include "common/strings.h"
#include "spark/datetime_pattern.h"
#include "spark/datetime_zone.h"
#include "spark/functions_datetime_internal.h"

namespace sluice::spark::internal {
namespace {

const DataType kString = DataType::Of(TypeId::kString);
const DataType kLong = DataType::Of(TypeId::kLong);
const DataType kDate = DataType::Of(TypeId::kDate);
const DataType kTimestamp = DataType::Of(TypeId::kTimestamp);
const DataType kTimestampNtz = DataType::Of(TypeId::kTimestampNtz);

constexpr const char* kDefaultPattern = "'yyyy-MM-dd HH:mm:ss'";

// The session zone's id as java.time names it (what pattern letter V prints).
std::string ZoneIdSql(const Call& call) {
  const std::string& zone = call.options().session_time_zone;
  auto resolved = ResolveSparkZone(zone);
  if (resolved.ok() && !resolved->region.empty()) return QuoteLiteral(resolved->region);
  return QuoteLiteral(zone);
}

// ---- Formatting ----------------------------------------------------------------------------

Result<Typed> DateFormatFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Timestamp()));
  SLUICE_RETURN_IF_ERROR(CheckPatternArg(call, 1, false));
  return call.Result("spark_format_instant(" + call.args[0].sql + ", " + ZoneIdSql(call) + ", " +
                         call.args[1].sql + ")",
                     kString);
}

Result<Typed> FromUnixtimeFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Long()));
  std::string pattern = kDefaultPattern;
  if (call.args.size() > 1) {
    SLUICE_RETURN_IF_ERROR(CheckPatternArg(call, 1, false));
    pattern = call.args[1].sql;
  }
  Typed out = call.Result("spark_format_instant(make_timestamptz(" + call.args[0].sql +
                              " * 1000000), " + ZoneIdSql(call) + ", " + pattern + ")",
                          kString);
  if (call.args.size() == 1)
    out.name = "from_unixtime(" + call.args[0].name + ", yyyy-MM-dd HH:mm:ss)";
  return out;
}

// ---- Parsing -------------------------------------------------------------------------------

// What GetTimestamp gives for argument 0 read with the pattern SQL `pattern`: a TIMESTAMP
// (TIMESTAMPTZ) or TIMESTAMP_NTZ (TIMESTAMP). Strings are parsed (NULL when they do not
// match, an error in ANSI mode unless `try_mode`); dates are their start in the session
// zone; timestamps keep their microseconds.
// The full parser's answer for the text `text` (full(text) is its SQL), texts of a
// fixed-width pattern's form read first by spark_fixed_datetime: the same answer for
// those, without the full parser's cost.
std::string WithFixedWidthParse(const std::string& text, const std::optional<std::string>& pattern,
                                bool ntz,
                                const std::function<std::string(const std::string&)>& full) {
  std::optional<std::string> form;
  if (pattern) {
    auto compiled = DatetimePattern::Compile(*pattern, PatternUse::kParse);
    if (compiled.ok()) form = compiled->FixedWidth();
  }
  if (!form) return full(text);
  std::string read = FixedDatetimeSql(text, {*form});
  if (!ntz) read = "spark_local_to_instant(" + read + ")";
  return "coalesce(" + read + ", " + full(text) + ")";
}

Result<std::string> GetTimestampSql(Call& call, const std::string& pattern,
                                    const std::optional<std::string>& pattern_text, bool ntz,
                                    bool try_mode) {
  Typed& x = call.args[0];
  switch (x.type.id) {
    case TypeId::kDate:
      return ntz ? "CAST(" + x.sql + " AS TIMESTAMP)"
                 : "spark_local_to_instant(CAST(" + x.sql + " AS TIMESTAMP))";
    case TypeId::kTimestamp:
      return ntz ? "make_timestamp(epoch_us(" + x.sql + "))" : x.sql;
    case TypeId::kTimestampNtz:
      return ntz ? x.sql : "make_timestamptz(epoch_us(" + x.sql + "))";
    default:
      break;
  }
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
  if (call.options().time_parser_policy == "LEGACY") {
    return call.Error(
        "spark.sql.legacy.timeParserPolicy = LEGACY (Spark 2's lenient SimpleDateFormat parsing) "
        "is not supported; use CORRECTED or EXCEPTION");
  }
  const int flags = (call.options().ansi && !try_mode ? 1 : 0) | (ntz ? 2 : 0) |
                    (call.options().time_parser_policy == "CORRECTED" ? 4 : 0);
  return WithFixedWidthParse(call.args[0].sql, pattern_text, ntz, [&](const std::string& text) {
    return std::string(ntz ? "spark_parsed_timestamp_ntz(" : "spark_parsed_timestamp(") +
           "spark_datetime_parse(" + text + ", " + pattern + ", " + std::to_string(flags) + "))";
  });
}

// to_timestamp, to_timestamp_ltz, to_timestamp_ntz, try_to_timestamp and to_date: a cast
// without a pattern, GetTimestamp with one.
ScalarFn ParseTo(TypeId result, bool try_mode) {
  return [result, try_mode](Call& call) -> Result<Typed> {
    const DataType type = DataType::Of(result);
    if (call.args.size() == 1) {
      SLUICE_ASSIGN_OR_RETURN(
          std::string sql, call.translator.CastSql(call.args[0], type, try_mode, call.node.span));
      return call.Result(sql, type);
    }
    SLUICE_RETURN_IF_ERROR(CheckPatternArg(call, 1, true));
    const bool ntz = result == TypeId::kTimestampNtz;
    if (ntz) {
      if (auto text = call.args[1].StringValue()) {
        auto pattern = DatetimePattern::Compile(*text, PatternUse::kParse);
        if (pattern.ok() && pattern->HasZone()) {
          return call.translator.UnsupportedAt(
              call.raw[1]->span, "to_timestamp_ntz with a pattern that reads a zone or offset");
        }
      }
    }
    SLUICE_ASSIGN_OR_RETURN(
        std::string sql,
        GetTimestampSql(call, call.args[1].sql, call.args[1].StringValue(), ntz, try_mode));
    if (result == TypeId::kDate) sql = "spark_instant_to_date(" + sql + ")";
    return call.Result(sql, type);
  };
}

// unix_timestamp / to_unix_timestamp: seconds since the epoch (rounded toward zero).
Result<Typed> UnixTimestampFn(Call& call) {
  if (call.args.empty()) {
    return call.Result("(epoch_us(get_current_timestamp()) // 1000000)", kLong);
  }
  std::string pattern = kDefaultPattern;
  std::optional<std::string> pattern_text = "yyyy-MM-dd HH:mm:ss";
  if (call.args.size() > 1) {
    SLUICE_RETURN_IF_ERROR(CheckPatternArg(call, 1, true));
    pattern = call.args[1].sql;
    pattern_text = call.args[1].StringValue();
  }
  SLUICE_ASSIGN_OR_RETURN(std::string instant,
                          GetTimestampSql(call, pattern, pattern_text, false, false));
  Typed out = call.Result("(epoch_us(" + instant + ") // 1000000)", kLong);
  if (call.args.size() == 1) {
    out.name = call.name + "(" + call.args[0].name + ", yyyy-MM-dd HH:mm:ss)";
  }
  return out;
}

// ---- Epochs --------------------------------------------------------------------------------

// timestamp_seconds: integral seconds exactly; decimals must have at most 6 fraction digits
// (Spark's BigDecimal.longValueExact); doubles are truncated, NaN and infinities are NULL.
Result<Typed> TimestampSecondsFn(Call& call) {
  Typed& x = call.args[0];
  if (x.type.is(TypeId::kString) || x.type.is(TypeId::kNull)) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
  }
  if (!x.type.IsNumeric()) {
    return call.ArgError(0, "argument 1 of timestamp_seconds must be a number, but '" + x.name +
                                "' is " + x.type.Sql());
  }
  std::string sql;
  if (x.type.IsIntegral()) {
    sql = "make_timestamptz(CAST(" + x.sql + " AS BIGINT) * 1000000)";
  } else if (x.type.is(TypeId::kDecimal)) {
    const std::string micros =
        "(CAST(" + x.sql + " AS DECIMAL(38," + std::to_string(x.type.scale) + ")) * 1000000)";
    sql = "CASE WHEN " + micros + " <> trunc(" + micros +
          ") THEN CAST(error('Rounding necessary') AS TIMESTAMP WITH TIME ZONE) ELSE "
          "make_timestamptz(CAST(" +
          micros + " AS BIGINT)) END";
  } else {
    const std::string d = "CAST(" + x.sql + " AS DOUBLE)";
    sql = "CASE WHEN isnan(" + d + ") OR isinf(" + d +
          ") THEN NULL ELSE make_timestamptz(CAST(trunc(" + d + " * 1000000) AS BIGINT)) END";
  }
  return call.Result(sql, kTimestamp);
}

// ---- Time zones ----------------------------------------------------------------------------

// from_utc_timestamp: the instant whose UTC wall clock is `ts`'s wall clock in `zone`.
Result<Typed> FromUtcTimestampFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Timestamp()));
  SLUICE_ASSIGN_OR_RETURN(std::string local, LocalInZone(call, 1, call.args[0].sql));
  return call.Result("make_timestamptz(epoch_us(" + local + "))", kTimestamp);
}

// to_utc_timestamp: the instant whose wall clock in `zone` is `ts`'s UTC wall clock.
Result<Typed> ToUtcTimestampFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Timestamp()));
  SLUICE_ASSIGN_OR_RETURN(
      std::string instant,
      InstantInZone(call, 1, "make_timestamp(epoch_us(" + call.args[0].sql + "))"));
  return call.Result(instant, kTimestamp);
}

// convert_timezone([source zone,] target zone, timestamp_ntz).
Result<Typed> ConvertTimezoneFn(Call& call) {
  const size_t ts = call.args.size() - 1;
  const std::string name = call.args[ts].name;
  call.args[ts] = call.translator.Coerce(call.args[ts], kTimestampNtz);
  call.args[ts].name = name;
  if (call.args[ts].type.id != TypeId::kTimestampNtz) {
    return call.ArgError(ts, "the timestamp of convert_timezone must be a TIMESTAMP_NTZ");
  }
  std::string instant;
  if (ts == 2) {
    SLUICE_ASSIGN_OR_RETURN(instant, InstantInZone(call, 0, call.args[ts].sql));
  } else {
    instant = "spark_local_to_instant(" + call.args[ts].sql + ")";
  }
  SLUICE_ASSIGN_OR_RETURN(std::string local, LocalInZone(call, ts - 1, instant));
  Typed out = call.Result(local, kTimestampNtz);
  if (ts == 1) {
    out.name = "convert_timezone(current_timezone(), " + call.args[0].name + ", " + name + ")";
  }
  return out;
}

// ---- The current time ----------------------------------------------------------------------

ScalarFn Now(std::string sql, DataType type) {
  return [sql = std::move(sql), type = std::move(type)](Call& call) -> Result<Typed> {
    return call.Result(sql, type, false);
  };
}

}  // namespace

void AddDatetimeConvertFunctions(FunctionMap& map) {
  const char* g = kDatetimeGroup;
  Define(map, "date_format", FunctionKind::kScalar, 2, 2, DateFormatFn, g);
  Define(map, "from_unixtime", FunctionKind::kScalar, 1, 2, FromUnixtimeFn, g);
  Define(map, "unix_timestamp", FunctionKind::kScalar, 0, 2, UnixTimestampFn, g);
  Define(map, "to_unix_timestamp", FunctionKind::kScalar, 1, 2, UnixTimestampFn, g);
  Define(map, "to_timestamp", FunctionKind::kScalar, 1, 2, ParseTo(TypeId::kTimestamp, false), g);
  Alias(map, "to_timestamp_ltz", "to_timestamp");
  Define(map, "to_timestamp_ntz", FunctionKind::kScalar, 1, 2,
         ParseTo(TypeId::kTimestampNtz, false), g);
  Define(map, "try_to_timestamp", FunctionKind::kScalar, 1, 2, ParseTo(TypeId::kTimestamp, true),
         g);
  Define(map, "to_date", FunctionKind::kScalar, 1, 2, ParseTo(TypeId::kDate, false), g);

  Define(map, "timestamp_seconds", FunctionKind::kScalar, 1, 1, TimestampSecondsFn, g);
  Define(map, "timestamp_millis", FunctionKind::kScalar, 1, 1,
         Template({AnyIntegral()}, "make_timestamptz(CAST({0} AS BIGINT) * 1000)", kTimestamp), g);
  Define(map, "timestamp_micros", FunctionKind::kScalar, 1, 1,
         Template({AnyIntegral()}, "make_timestamptz(CAST({0} AS BIGINT))", kTimestamp), g);
  Define(map, "unix_seconds", FunctionKind::kScalar, 1, 1,
         Template({Timestamp()}, "spark_floor_div(epoch_us({0}), 1000000)", kLong), g);
  Define(map, "unix_millis", FunctionKind::kScalar, 1, 1,
         Template({Timestamp()}, "spark_floor_div(epoch_us({0}), 1000)", kLong), g);
  Define(map, "unix_micros", FunctionKind::kScalar, 1, 1,
         Template({Timestamp()}, "epoch_us({0})", kLong), g);
  Define(map, "unix_date", FunctionKind::kScalar, 1, 1,
         Template({Date()}, "CAST({0} - DATE '1970-01-01' AS INTEGER)", DataType::Of(TypeId::kInt)),
         g);
  Define(map, "date_from_unix_date", FunctionKind::kScalar, 1, 1,
         Template({Int()}, "CAST(DATE '1970-01-01' + {0} AS DATE)", kDate), g);

  Define(map, "from_utc_timestamp", FunctionKind::kScalar, 2, 2, FromUtcTimestampFn, g);
  Define(map, "to_utc_timestamp", FunctionKind::kScalar, 2, 2, ToUtcTimestampFn, g);
  Define(map, "convert_timezone", FunctionKind::kScalar, 2, 3, ConvertTimezoneFn, g);

  Define(map, "current_date", FunctionKind::kScalar, 0, 0, Now("current_date", kDate), g);
  Alias(map, "curdate", "current_date");
  Define(map, "current_timestamp", FunctionKind::kScalar, 0, 0,
         Now("get_current_timestamp()", kTimestamp), g);
  Alias(map, "now", "current_timestamp");
  Define(map, "localtimestamp", FunctionKind::kScalar, 0, 0,
         Now("CAST(get_current_timestamp() AS TIMESTAMP)", kTimestampNtz), g);
  Define(
      map, "current_timezone", FunctionKind::kScalar, 0, 0,
      [](Call& call) -> Result<Typed> { return call.Result(SessionZoneSql(call), kString, false); },
      g);
}

}  // namespace sluice::spark::internal
