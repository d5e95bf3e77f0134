// Native functions of the datetime group: Spark's datetime patterns, the calendar
// arithmetic of months_between and timestampdiff, and Spark's time zone ids.
#include <cmath>
#include <map>
#include <memory>

#include "spark/datetime_pattern.h"
#include "spark/datetime_zone.h"
#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }
int64_t Int(const NativeValue& value) { return std::get<int64_t>(value); }

// Compiled patterns, per thread, by use and text (patterns are nearly always constants).
Result<const DatetimePattern*> CompiledPattern(const std::string& text, PatternUse use) {
  struct Entry {
    std::unique_ptr<DatetimePattern> pattern;
    Status status;
  };
  thread_local std::map<std::string, Entry> caches[2];
  auto& cache = caches[use == PatternUse::kParse ? 1 : 0];
  auto it = cache.find(text);
  if (it == cache.end()) {
    if (cache.size() > 256) cache.clear();
    Entry entry;
    auto compiled = DatetimePattern::Compile(text, use);
    if (compiled.ok()) {
      entry.pattern = std::make_unique<DatetimePattern>(std::move(*compiled));
    } else {
      entry.status = compiled.status();
    }
    it = cache.emplace(text, std::move(entry)).first;
  }
  if (!it->second.status.ok()) return it->second.status;
  return it->second.pattern.get();
}

// Flags of spark_datetime_parse.
constexpr int64_t kAnsi = 1;    // a text that does not parse fails the query
constexpr int64_t kNoZone = 2;  // TIMESTAMP_NTZ: the pattern may not read a zone
// spark.sql.legacy.timeParserPolicy = CORRECTED: a text Spark 2 would have read is invalid
// like any other (no INCONSISTENT_BEHAVIOR_CROSS_VERSION error).
constexpr int64_t kCorrected = 4;

// Timestamps Spark can hold: microseconds since the epoch fit a long.
bool InTimestampRange(const LocalDateTime& t) { return t.year >= -290307 && t.year <= 294246; }

Result<NativeValue> Parse(const std::vector<NativeValue>& a) {
  const std::string& text = Text(a[0]);
  const std::string& pattern_text = Text(a[1]);
  const int64_t flags = Int(a[2]);
  SLUICE_ASSIGN_OR_RETURN(const DatetimePattern* pattern,
                          CompiledPattern(pattern_text, PatternUse::kParse));
  if ((flags & kNoZone) && pattern->HasZone()) {
    return NotSupported("a TIMESTAMP_NTZ cannot be parsed with a pattern that reads a zone: ",
                        pattern_text);
  }
  if (auto parsed = pattern->Parse(text)) {
    if (!InTimestampRange(parsed->local)) return InvalidArgument("long overflow");
    const int64_t local = MicrosFromLocal(parsed->local);
    if (parsed->offset_seconds) {
      return NativeValue("U" + std::to_string(local - *parsed->offset_seconds * 1000000LL));
    }
    return NativeValue("L" + std::to_string(local));
  }
  if (!(flags & kCorrected) && LegacyParserAccepts(pattern_text, text)) {
    return InvalidArgument(NewParserFailureMessage(text));
  }
  if (flags & kAnsi) {
    return InvalidArgument("[CANNOT_PARSE_TIMESTAMP] Text '", text,
                           "' could not be parsed with the pattern '", pattern_text,
                           "'. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to "
                           "bypass this error.");
  }
  return NativeValue(std::monostate{});
}

// DateTimeUtils.monthsBetween on local dates and seconds since the start of each day.
double MonthsBetween(int64_t days1, int64_t seconds1, int64_t days2, int64_t seconds2,
                     bool round_off) {
  int64_t y1, y2;
  int m1, m2, d1, d2;
  CivilFromDays(days1, &y1, &m1, &d1);
  CivilFromDays(days2, &y2, &m2, &d2);
  const double month_diff = static_cast<double>((y1 * 12 + m1) - (y2 * 12 + m2));
  const bool last1 = d1 == DaysInMonth(y1, m1), last2 = d2 == DaysInMonth(y2, m2);
  if (d1 == d2 || (last1 && last2)) return month_diff;
  const int64_t seconds_diff = (d1 - d2) * 86400LL + seconds1 - seconds2;
  const double diff = month_diff + static_cast<double>(seconds_diff) / (31.0 * 86400);
  if (!round_off) return diff;
  // Math.round: the closest long, ties toward positive infinity.
  const double scaled = diff * 1e8;
  double rounded = std::floor(scaled);
  if (scaled - rounded >= 0.5) rounded += 1;
  return rounded / 1e8;
}

// ChronoUnit.between of two local date-times (microseconds of the same wall clock).
Result<int64_t> LocalDiff(const std::string& unit, int64_t start, int64_t end) {
  static const std::map<std::string, int64_t> kTimeUnits = {{"MICROSECOND", 1},
                                                            {"MILLISECOND", 1000},
                                                            {"SECOND", 1000000},
                                                            {"MINUTE", 60LL * 1000000},
                                                            {"HOUR", 3600LL * 1000000}};
  auto time_unit = kTimeUnits.find(unit);
  if (time_unit != kTimeUnits.end()) return (end - start) / time_unit->second;
  const LocalDateTime a = LocalFromMicros(start), b = LocalFromMicros(end);
  int64_t start_days = DaysFromCivil(a.year, a.month, a.day);
  int64_t end_days = DaysFromCivil(b.year, b.month, b.day);
  const int64_t start_time = start - start_days * 86400000000LL;
  const int64_t end_time = end - end_days * 86400000000LL;
  if (end_days > start_days && end_time < start_time) --end_days;
  if (end_days < start_days && end_time > start_time) ++end_days;
  if (unit == "DAY") return end_days - start_days;
  if (unit == "WEEK") return (end_days - start_days) / 7;
  int64_t y;
  int m, d;
  CivilFromDays(end_days, &y, &m, &d);
  const int64_t packed1 = (a.year * 12 + a.month - 1) * 32 + a.day;
  const int64_t packed2 = (y * 12 + m - 1) * 32 + d;
  const int64_t months = (packed2 - packed1) / 32;
  if (unit == "MONTH") return months;
  if (unit == "QUARTER") return months / 3;
  if (unit == "YEAR") return months / 12;
  return InvalidArgument("unknown timestampdiff unit ", unit);
}

}  // namespace

void AddDatetimeNatives(std::vector<NativeFunction>& out) {
  // spark_datetime_format(local microseconds, offset seconds, zone id, pattern).
  out.push_back({"spark_datetime_format",
                 {"BIGINT", "INTEGER", "VARCHAR", "VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(const DatetimePattern* pattern,
                                           CompiledPattern(Text(a[3]), PatternUse::kFormat));
                   SLUICE_ASSIGN_OR_RETURN(
                       std::string text, pattern->Format(LocalFromMicros(Int(a[0])),
                                                         static_cast<int>(Int(a[1])), Text(a[2])));
                   return NativeValue(std::move(text));
                 }});
  // spark_datetime_parse(text, pattern, flags): "L<local microseconds>" for a text without
  // a zone, "U<microseconds since the epoch>" for one with an offset, NULL when the text
  // does not parse (or an error: see Parse).
  out.push_back({"spark_datetime_parse", {"VARCHAR", "VARCHAR", "BIGINT"}, "VARCHAR", Parse});
  // spark_months_between(days1, seconds1, days2, seconds2, round off).
  out.push_back({"spark_months_between",
                 {"BIGINT", "BIGINT", "BIGINT", "BIGINT", "BOOLEAN"},
                 "DOUBLE",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(MonthsBetween(Int(a[0]), Int(a[1]), Int(a[2]), Int(a[3]),
                                                    std::get<bool>(a[4])));
                 }});
  // spark_local_diff(unit, start, end): timestampdiff of local date-times.
  out.push_back({"spark_local_diff",
                 {"VARCHAR", "BIGINT", "BIGINT"},
                 "BIGINT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(int64_t diff,
                                           LocalDiff(Text(a[0]), Int(a[1]), Int(a[2])));
                   return NativeValue(diff);
                 }});
  // A Spark zone id as DuckDB uses it: its fixed offset in seconds (NULL for a region) and
  // its region ('UTC' for a fixed offset).
  out.push_back({"spark_zone_offset",
                 {"VARCHAR"},
                 "INTEGER",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(SparkZone zone, ResolveSparkZone(Text(a[0])));
                   if (!zone.offset_seconds) return NativeValue(std::monostate{});
                   return NativeValue(static_cast<int64_t>(*zone.offset_seconds));
                 }});
  out.push_back({"spark_zone_region",
                 {"VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   SLUICE_ASSIGN_OR_RETURN(SparkZone zone, ResolveSparkZone(Text(a[0])));
                   return NativeValue(zone.region.empty() ? std::string("UTC") : zone.region);
                 }});
}

}  // namespace sluice::spark::internal
