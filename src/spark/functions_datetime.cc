// Datetime functions: fields of dates, timestamps and intervals (year ... second, extract,
// date_part), date arithmetic (date_add, datediff, add_months, months_between, last_day,
// next_day) and truncation (trunc, date_trunc). The group's other functions are in
// functions_datetime_convert.cc and functions_datetime_make.cc.
#include <algorithm>
#include <map>

#include "common/strings.h"
#include "spark/datetime_pattern.h"
#include "spark/datetime_zone.h"
#include "spark/functions_datetime_internal.h"

namespace sluice::spark::internal {

// ---- Shared helpers ----------------------------------------------------------------------

std::string SessionZoneSql(const Call& call) {
  return QuoteLiteral(call.options().session_time_zone);
}

namespace {

std::string FixedLocal(const std::string& instant, const std::string& offset_seconds) {
  return "make_timestamp(epoch_us(" + instant + ") + CAST(" + offset_seconds +
         " AS BIGINT) * 1000000)";
}
std::string FixedInstant(const std::string& local, const std::string& offset_seconds) {
  return "make_timestamptz(epoch_us(" + local + ") - CAST(" + offset_seconds +
         " AS BIGINT) * 1000000)";
}

// Both conversions for argument `zone`: `fixed` for an offset zone, `region` for a region.
template <typename Fixed, typename Region>
Result<std::string> ZoneSql(Call& call, size_t zone, const DataType& result, Fixed fixed,
                            Region region) {
  const Typed& arg = call.args[zone];
  if (auto text = arg.StringValue()) {
    auto resolved = ResolveSparkZone(*text);
    if (!resolved.ok()) return call.ArgError(zone, resolved.status().message());
    if (resolved->offset_seconds) return fixed(std::to_string(*resolved->offset_seconds));
    return region(QuoteLiteral(resolved->region));
  }
  if (arg.IsNullLiteral()) return As("NULL", result);
  return "CASE WHEN spark_zone_offset(" + arg.sql + ") IS NOT NULL THEN " +
         fixed("spark_zone_offset(" + arg.sql + ")") + " ELSE " +
         region("spark_zone_region(" + arg.sql + ")") + " END";
}

}  // namespace

Result<std::string> LocalInZone(Call& call, size_t zone, const std::string& instant) {
  SLUICE_RETURN_IF_ERROR(Expect(call, zone, String()));
  return ZoneSql(
      call, zone, DataType::Of(TypeId::kTimestampNtz),
      [&](const std::string& offset) { return FixedLocal(instant, offset); },
      [&](const std::string& region) { return "timezone(" + region + ", " + instant + ")"; });
}

Result<std::string> InstantInZone(Call& call, size_t zone, const std::string& local) {
  SLUICE_RETURN_IF_ERROR(Expect(call, zone, String()));
  return ZoneSql(
      call, zone, DataType::Of(TypeId::kTimestamp),
      [&](const std::string& offset) { return FixedInstant(local, offset); },
      [&](const std::string& region) {
        return "spark_local_to_instant_in(" + region + ", " + local + ")";
      });
}

Status CheckPatternArg(Call& call, size_t i, bool parsing) {
  SLUICE_RETURN_IF_ERROR(Expect(call, i, String()));
  auto text = call.args[i].StringValue();
  if (!text) return Status::OK();
  auto pattern =
      DatetimePattern::Compile(*text, parsing ? PatternUse::kParse : PatternUse::kFormat);
  if (!pattern.ok()) {
    if (pattern.status().code() == StatusCode::kNotSupported) {
      return call.translator.UnsupportedAt(call.raw[i]->span, pattern.status().message());
    }
    return call.ArgError(i,
                         "invalid datetime pattern '" + *text + "': " + pattern.status().message());
  }
  Status zone = pattern->CheckZone(call.options().session_time_zone);
  if (!zone.ok()) return call.translator.UnsupportedAt(call.raw[i]->span, zone.message());
  return Status::OK();
}

namespace {

const DataType kInt = DataType::Of(TypeId::kInt);
const DataType kDate = DataType::Of(TypeId::kDate);
const DataType kTimestamp = DataType::Of(TypeId::kTimestamp);

// ---- Fields --------------------------------------------------------------------------------

// A field of a date: `sql` with {0} for the date.
ScalarFn DateField(std::string sql) {
  return [sql = std::move(sql)](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(Expect(call, 0, Date()));
    return call.Result(As(Fill(sql, call.args), kInt), kInt);
  };
}

// A field of a timestamp (TIMESTAMP in the session zone, or TIMESTAMP_NTZ).
ScalarFn TimeField(std::string sql) {
  return [sql = std::move(sql)](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyOf(Accepts::kTimestamp)));
    if (call.args[0].type.is(TypeId::kTimestamp)) {
      call.args[0].sql = "spark_instant_to_local(" + call.args[0].sql + ")";
    }
    return call.Result(As(Fill(sql, call.args), kInt), kInt);
  };
}

std::string SecondsDecimal(const std::string& micros) {
  return "CAST(CAST(" + micros + " AS DECIMAL(18,0)) * 0.000001 AS DECIMAL(8,6))";
}

enum class Part {
  kYear,
  kYearOfWeek,
  kQuarter,
  kMonth,
  kWeek,
  kDay,
  kDayOfWeek,
  kDayOfWeekIso,
  kDayOfYear,
  kHour,
  kMinute,
  kSecond
};

// DatePart.parseExtractField's field names.
std::optional<Part> ParsePart(const std::string& field) {
  static const std::map<std::string, Part> kParts = {{"YEAR", Part::kYear},
                                                     {"Y", Part::kYear},
                                                     {"YEARS", Part::kYear},
                                                     {"YR", Part::kYear},
                                                     {"YRS", Part::kYear},
                                                     {"YEAROFWEEK", Part::kYearOfWeek},
                                                     {"QUARTER", Part::kQuarter},
                                                     {"QTR", Part::kQuarter},
                                                     {"MONTH", Part::kMonth},
                                                     {"MON", Part::kMonth},
                                                     {"MONS", Part::kMonth},
                                                     {"MONTHS", Part::kMonth},
                                                     {"WEEK", Part::kWeek},
                                                     {"W", Part::kWeek},
                                                     {"WEEKS", Part::kWeek},
                                                     {"DAY", Part::kDay},
                                                     {"D", Part::kDay},
                                                     {"DAYS", Part::kDay},
                                                     {"DAYOFWEEK", Part::kDayOfWeek},
                                                     {"DOW", Part::kDayOfWeek},
                                                     {"DAYOFWEEK_ISO", Part::kDayOfWeekIso},
                                                     {"DOW_ISO", Part::kDayOfWeekIso},
                                                     {"DOY", Part::kDayOfYear},
                                                     {"HOUR", Part::kHour},
                                                     {"H", Part::kHour},
                                                     {"HOURS", Part::kHour},
                                                     {"HR", Part::kHour},
                                                     {"HRS", Part::kHour},
                                                     {"MINUTE", Part::kMinute},
                                                     {"M", Part::kMinute},
                                                     {"MIN", Part::kMinute},
                                                     {"MINS", Part::kMinute},
                                                     {"MINUTES", Part::kMinute},
                                                     {"SECOND", Part::kSecond},
                                                     {"S", Part::kSecond},
                                                     {"SEC", Part::kSecond},
                                                     {"SECONDS", Part::kSecond},
                                                     {"SECS", Part::kSecond}};
  auto it = kParts.find(ToUpper(field));
  if (it == kParts.end()) return std::nullopt;
  return it->second;
}

// A field of an interval (ExtractIntervalPart.parseExtractField).
Result<Typed> IntervalPart(Call& call, Part part, const std::string& field, const Typed& source) {
  const DataType& type = source.type;
  const std::string& i = source.sql;
  auto unsupported = [&]() {
    return call.Error("[LITERAL_TYPE_UNSUPPORTED_FOR_SOURCE_TYPE] The field '" + field +
                      "' cannot be extracted from " + type.Sql());
  };
  auto in_range = [&](IntervalField f) {
    return static_cast<int>(type.start_field) <= static_cast<int>(f) &&
           static_cast<int>(f) <= static_cast<int>(type.end_field);
  };
  const DataType byte = DataType::Of(TypeId::kByte);
  const std::string months = "spark_interval_months(" + i + ")";
  if (type.is(TypeId::kYearMonthInterval) || type.is(TypeId::kCalendarInterval)) {
    const bool calendar = type.is(TypeId::kCalendarInterval);
    if (part == Part::kYear && (calendar || in_range(IntervalField::kYear))) {
      return call.Result(As(months + " // 12", kInt), kInt);
    }
    if (part == Part::kMonth && (calendar || in_range(IntervalField::kMonth))) {
      return call.Result(As(months + " % 12", byte), byte);
    }
    if (!calendar) return unsupported();
  }
  const bool calendar = type.is(TypeId::kCalendarInterval);
  // Day-time intervals: all microseconds; calendar intervals: days apart from the time.
  const std::string micros =
      calendar ? "(spark_interval_micros(" + i + ") - date_part('day', " + i + ") * 86400000000)"
               : "spark_interval_micros(" + i + ")";
  switch (part) {
    case Part::kDay:
      if (calendar) return call.Result(As("date_part('day', " + i + ")", kInt), kInt);
      if (!in_range(IntervalField::kDay)) return unsupported();
      return call.Result(As(micros + " // 86400000000", kInt), kInt);
    case Part::kHour:
      if (calendar) return call.Result("spark_wrap_byte(" + micros + " // 3600000000)", byte);
      if (!in_range(IntervalField::kHour)) return unsupported();
      return call.Result(As("(" + micros + " // 3600000000) % 24", byte), byte);
    case Part::kMinute:
      if (!calendar && !in_range(IntervalField::kMinute)) return unsupported();
      return call.Result(As("(" + micros + " // 60000000) % 60", byte), byte);
    case Part::kSecond:
      if (!calendar && !in_range(IntervalField::kSecond)) return unsupported();
      return call.Result(SecondsDecimal(micros + " % 60000000"), DataType::Decimal(8, 6));
    default:
      return unsupported();
  }
}

Result<Typed> ExtractPart(Call& call, const std::string& field) {
  auto part = ParsePart(field);
  Typed& source = call.args[1];
  if (source.type.IsInterval()) {
    if (!part) {
      return call.Error("[LITERAL_TYPE_UNSUPPORTED_FOR_SOURCE_TYPE] The field '" + field +
                        "' cannot be extracted from " + source.type.Sql());
    }
    return IntervalPart(call, *part, field, source);
  }
  if (!part) {
    return call.Error("[INVALID_EXTRACT_FIELD] Cannot extract " + field + " from " + source.name +
                      ".");
  }
  const bool time = *part == Part::kHour || *part == Part::kMinute || *part == Part::kSecond;
  SLUICE_RETURN_IF_ERROR(Expect(call, 1, time ? AnyOf(Accepts::kTimestamp) : Date()));
  const std::string& x = call.args[1].sql;
  std::string sql;
  switch (*part) {
    case Part::kYear:
      sql = "year(" + x + ")";
      break;
    case Part::kYearOfWeek:
      sql = "isoyear(" + x + ")";
      break;
    case Part::kQuarter:
      sql = "quarter(" + x + ")";
      break;
    case Part::kMonth:
      sql = "month(" + x + ")";
      break;
    case Part::kWeek:
      sql = "week(" + x + ")";
      break;
    case Part::kDay:
      sql = "day(" + x + ")";
      break;
    case Part::kDayOfWeek:
      sql = "(dayofweek(" + x + ") + 1)";
      break;
    case Part::kDayOfWeekIso:
      sql = "isodow(" + x + ")";
      break;
    case Part::kDayOfYear:
      sql = "dayofyear(" + x + ")";
      break;
    case Part::kHour:
      sql = "hour(" + x + ")";
      break;
    case Part::kMinute:
      sql = "minute(" + x + ")";
      break;
    case Part::kSecond:
      return call.Result(SecondsDecimal("date_part('microseconds', " + x + ")"),
                         DataType::Decimal(8, 6));
  }
  return call.Result(As(sql, kInt), kInt);
}

// extract(field FROM source) (the parser passes the field as a string), date_part and
// datepart(field, source).
Result<Typed> ExtractFn(Call& call) {
  auto field = call.args[0].StringValue();
  if (!field) return call.ArgError(0, "the field of " + call.name + " must be a string literal");
  const std::string source_name = call.args[1].name;
  SLUICE_ASSIGN_OR_RETURN(Typed out, ExtractPart(call, *field));
  out.name = call.name == "extract" ? "extract(" + *field + " FROM " + source_name + ")"
                                    : call.name + "(" + *field + ", " + source_name + ")";
  return out;
}

// ---- Date arithmetic -----------------------------------------------------------------------

Result<Typed> DateAddFn(Call& call, bool subtract) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Date(), Int()}));
  return call.Result(
      "CAST(" + call.args[0].sql + (subtract ? " - " : " + ") + call.args[1].sql + " AS DATE)",
      kDate);
}

Result<Typed> MonthsBetweenFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Timestamp(), Timestamp(), Boolean()}));
  const std::string round = call.args.size() > 2 ? call.args[2].sql : "true";
  return call.Result(
      "spark_months_between_ts(" + call.args[0].sql + ", " + call.args[1].sql + ", " + round + ")",
      DataType::Of(TypeId::kDouble));
}

Result<Typed> NextDayFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Date(), String()}));
  const char* macro = call.options().ansi ? "spark_next_day_strict(" : "spark_next_day(";
  return call.Result(macro + call.args[0].sql + ", " + call.args[1].sql + ")", kDate);
}

// Truncation levels (DateTimeUtils.parseTruncLevel) as DuckDB's date_trunc parts; "" for
// MICROSECOND (nothing to truncate).
std::optional<std::string> TruncUnit(const std::string& format, bool dates_only) {
  static const std::map<std::string, std::string> kLevels = {
      {"MICROSECOND", ""},  {"MILLISECOND", "millisecond"},
      {"SECOND", "second"}, {"MINUTE", "minute"},
      {"HOUR", "hour"},     {"DAY", "day"},
      {"DD", "day"},        {"WEEK", "week"},
      {"MON", "month"},     {"MONTH", "month"},
      {"MM", "month"},      {"QUARTER", "quarter"},
      {"YEAR", "year"},     {"YYYY", "year"},
      {"YY", "year"}};
  auto it = kLevels.find(ToUpper(format));
  if (it == kLevels.end()) return std::nullopt;
  static const char* const kDateLevels[] = {"week", "month", "quarter", "year"};
  if (dates_only && std::find(std::begin(kDateLevels), std::end(kDateLevels), it->second) ==
                        std::end(kDateLevels)) {
    return std::nullopt;
  }
  return it->second;
}

// The truncation of `value` by format argument `format`: an unknown format gives NULL.
std::string TruncSql(Call& call, size_t format, const std::string& value, bool dates_only,
                     const DataType& type) {
  auto unit_sql = [&](const std::string& unit) {
    if (unit.empty()) return value;
    if (type.is(TypeId::kTimestamp)) {
      return As("spark_trunc_instant('" + unit + "', " + value + ")", type);
    }
    return As("date_trunc('" + unit + "', " + value + ")", type);
  };
  if (auto text = call.args[format].StringValue()) {
    auto unit = TruncUnit(*text, dates_only);
    return unit ? unit_sql(*unit) : As("NULL", type);
  }
  std::string sql = "CASE upper(" + call.args[format].sql + ")";
  for (const char* level : {"MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "DD",
                            "WEEK", "MON", "MONTH", "MM", "QUARTER", "YEAR", "YYYY", "YY"}) {
    if (auto unit = TruncUnit(level, dates_only)) {
      sql += " WHEN '" + std::string(level) + "' THEN " + unit_sql(*unit);
    }
  }
  return sql + " END";
}

Result<Typed> TruncFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Date(), String()}));
  return call.Result(TruncSql(call, 1, call.args[0].sql, true, kDate), kDate);
}

Result<Typed> DateTruncFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), Timestamp()}));
  return call.Result(TruncSql(call, 0, call.args[1].sql, false, kTimestamp), kTimestamp);
}

}  // namespace

void AddDatetimeFunctions(FunctionMap& map) {
  const char* g = kDatetimeGroup;
  Define(map, "year", FunctionKind::kScalar, 1, 1, DateField("year({0})"), g);
  Define(map, "quarter", FunctionKind::kScalar, 1, 1, DateField("quarter({0})"), g);
  Define(map, "month", FunctionKind::kScalar, 1, 1, DateField("month({0})"), g);
  Define(map, "day", FunctionKind::kScalar, 1, 1, DateField("day({0})"), g);
  Alias(map, "dayofmonth", "day");
  Define(map, "dayofyear", FunctionKind::kScalar, 1, 1, DateField("dayofyear({0})"), g);
  // 1 = Sunday ... 7 = Saturday.
  Define(map, "dayofweek", FunctionKind::kScalar, 1, 1, DateField("(dayofweek({0}) + 1)"), g);
  // 0 = Monday ... 6 = Sunday.
  Define(map, "weekday", FunctionKind::kScalar, 1, 1, DateField("(isodow({0}) - 1)"), g);
  // ISO 8601 weeks: Monday first, week 1 has the year's first Thursday.
  Define(map, "weekofyear", FunctionKind::kScalar, 1, 1, DateField("week({0})"), g);
  Define(map, "hour", FunctionKind::kScalar, 1, 1, TimeField("hour({0})"), g);
  Define(map, "minute", FunctionKind::kScalar, 1, 1, TimeField("minute({0})"), g);
  Define(map, "second", FunctionKind::kScalar, 1, 1, TimeField("second({0})"), g);
  Define(map, "extract", FunctionKind::kScalar, 2, 2, ExtractFn, g);
  Alias(map, "date_part", "extract");
  Alias(map, "datepart", "extract");

  Define(
      map, "date_add", FunctionKind::kScalar, 2, 2,
      [](Call& call) { return DateAddFn(call, false); }, g);
  Alias(map, "dateadd", "date_add");
  Define(
      map, "date_sub", FunctionKind::kScalar, 2, 2,
      [](Call& call) { return DateAddFn(call, true); }, g);
  Define(map, "datediff", FunctionKind::kScalar, 2, 2,
         Template({Date(), Date()}, "CAST({0} - {1} AS INTEGER)", kInt), g);
  Alias(map, "date_diff", "datediff");
  // Java's LocalDate.plusMonths: the day is clamped to the end of a shorter month.
  Define(map, "add_months", FunctionKind::kScalar, 2, 2,
         Template({Date(), Int()}, "CAST({0} + to_months({1}) AS DATE)", kDate), g);
  Define(map, "last_day", FunctionKind::kScalar, 1, 1,
         Template({Date()}, "CAST(last_day({0}) AS DATE)", kDate), g);
  Define(map, "next_day", FunctionKind::kScalar, 2, 2, NextDayFn, g);
  Define(map, "months_between", FunctionKind::kScalar, 2, 3, MonthsBetweenFn, g);
  Define(map, "trunc", FunctionKind::kScalar, 2, 2, TruncFn, g);
  Define(map, "date_trunc", FunctionKind::kScalar, 2, 2, DateTruncFn, g);

  AddDatetimeConvertFunctions(map);
  AddDatetimeMakeFunctions(map);
}

void AddDatetimeMacros(std::vector<MacroDef>& out) {
  // Offsets (microseconds east of UTC) at an instant in zone z (spark_offset_us, for the
  // session zone, is a core macro).
  out.push_back({"spark_offset_in_us(z, t)", "epoch_us(timezone(z, t)) - epoch_us(t)"});
  // spark_local_to_instant (core) in zone z.
  out.push_back({"spark_earlier_instant_in(z, lu, d)",
                 "CASE WHEN spark_offset_in_us(z, make_timestamptz(epoch_us(d) - 10800000000)) > "
                 "spark_offset_in_us(z, d) AND spark_offset_in_us(z, make_timestamptz(lu - "
                 "spark_offset_in_us(z, make_timestamptz(epoch_us(d) - 10800000000)))) = "
                 "spark_offset_in_us(z, make_timestamptz(epoch_us(d) - 10800000000)) THEN "
                 "make_timestamptz(lu - spark_offset_in_us(z, make_timestamptz(epoch_us(d) - "
                 "10800000000))) ELSE d END"});
  out.push_back({"spark_local_to_instant_in(z, l)",
                 "spark_earlier_instant_in(z, epoch_us(l), timezone(z, l))"});
  // months_between on the dates and the seconds since the start of each day, in the
  // session zone.
  out.push_back({"spark_seconds_in_day(t)",
                 "(epoch_us(t) - epoch_us(CAST(CAST(t AS DATE) AS TIMESTAMP WITH TIME ZONE))) "
                 "// 1000000"});
  out.push_back({"spark_months_between_ts(a, b, r)",
                 "spark_months_between(CAST(CAST(a AS DATE) - DATE '1970-01-01' AS BIGINT), "
                 "spark_seconds_in_day(a), CAST(CAST(b AS DATE) - DATE '1970-01-01' AS BIGINT), "
                 "spark_seconds_in_day(b), r)"});
  // next_day's day names (DateTimeUtils.getDayOfWeekFromString) as ISO days (1 = Monday).
  out.push_back({"spark_iso_day_of_week(s)",
                 "CASE upper(s) WHEN 'MO' THEN 1 WHEN 'MON' THEN 1 WHEN 'MONDAY' THEN 1 "
                 "WHEN 'TU' THEN 2 WHEN 'TUE' THEN 2 WHEN 'TUESDAY' THEN 2 WHEN 'WE' THEN 3 "
                 "WHEN 'WED' THEN 3 WHEN 'WEDNESDAY' THEN 3 WHEN 'TH' THEN 4 WHEN 'THU' THEN 4 "
                 "WHEN 'THURSDAY' THEN 4 WHEN 'FR' THEN 5 WHEN 'FRI' THEN 5 WHEN 'FRIDAY' THEN 5 "
                 "WHEN 'SA' THEN 6 WHEN 'SAT' THEN 6 WHEN 'SATURDAY' THEN 6 WHEN 'SU' THEN 7 "
                 "WHEN 'SUN' THEN 7 WHEN 'SUNDAY' THEN 7 END"});
  out.push_back({"spark_next_day(d, s)",
                 "CAST(d + CAST((spark_iso_day_of_week(s) - isodow(d) + 6) % 7 + 1 AS INTEGER) "
                 "AS DATE)"});
  out.push_back({"spark_next_day_strict(d, s)",
                 "CASE WHEN d IS NOT NULL AND s IS NOT NULL AND spark_iso_day_of_week(s) IS NULL "
                 "THEN CAST(error('[ILLEGAL_DAY_OF_WEEK] Illegal input for day of week: ' || s || "
                 "'.') AS DATE) ELSE spark_next_day(d, s) END"});
  // Datetime patterns: formatting an instant in the session zone, reading a parsed value.
  out.push_back({"spark_format_instant(t, z, f)",
                 "spark_datetime_format(epoch_us(CAST(t AS TIMESTAMP)), CAST(spark_offset_us(t) "
                 "// 1000000 AS INTEGER), z, f)"});
  // (list_transform binds the parsed value once: the parser runs once per row.)
  out.push_back({"spark_parsed_timestamp(p)",
                 "list_transform([p], lambda __p: CASE WHEN substr(__p, 1, 1) = 'U' THEN "
                 "make_timestamptz(CAST(substr(__p, 2) AS BIGINT)) ELSE "
                 "spark_local_to_instant(make_timestamp(CAST(substr(__p, 2) AS BIGINT))) END)[1]"});
  out.push_back({"spark_parsed_timestamp_ntz(p)", "make_timestamp(CAST(substr(p, 2) AS BIGINT))"});
  // make_date: NULL for a date that does not exist.
  out.push_back({"spark_days_in_month(y, m)",
                 "CASE WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN "
                 "29 ELSE 28 END WHEN m IN (4, 6, 9, 11) THEN 30 ELSE 31 END"});
  out.push_back({"spark_make_date(y, m, d)",
                 "CASE WHEN m BETWEEN 1 AND 12 AND d >= 1 AND d <= spark_days_in_month(y, m) THEN "
                 "make_date(y, m, d) END"});
  // make_timestamp's wall clock: seconds 60 (with no fraction) are the next minute.
  out.push_back(
      {"spark_make_local_timestamp(y, mo, d, h, mi, s)",
       "CASE WHEN spark_make_date(y, mo, d) IS NOT NULL AND h BETWEEN 0 AND 23 AND mi "
       "BETWEEN 0 AND 59 AND s >= 0 AND s <= 60 THEN make_timestamp(epoch_us(CAST("
       "spark_make_date(y, mo, d) AS TIMESTAMP)) + CAST(h AS BIGINT) * 3600000000 + CAST(mi AS "
       "BIGINT) * 60000000 + "
       "CAST(s * 1000000 AS BIGINT)) END"});
}

}  // namespace sluice::spark::internal
