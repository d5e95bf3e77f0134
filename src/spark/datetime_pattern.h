// Spark's datetime patterns (the "Datetime Patterns" page of Spark 3): formatting and
// parsing with java.time's DateTimeFormatter as Spark builds it (Locale.US, case-insensitive
// parsing, the STRICT resolver, 'y' read as the proleptic year, a variable-length second
// fraction when parsing), and the check Spark makes when its parser fails: whether Spark 2's
// parser (SimpleDateFormat) would have read the text (spark.sql.legacy.timeParserPolicy
// EXCEPTION, the default, then fails the query instead of returning NULL).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::spark {

// Proleptic Gregorian calendar arithmetic (java.time's ISO calendar, with a year 0).
int64_t DaysFromCivil(int64_t year, int month, int day);
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);
int DaysInMonth(int64_t year, int month);

// A wall-clock date and time.
struct LocalDateTime {
  int64_t year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t nanos = 0;
};

// The local date-time of microseconds since 1970-01-01 00:00:00 (of the same wall clock).
LocalDateTime LocalFromMicros(int64_t micros);
int64_t MicrosFromLocal(const LocalDateTime& local);

// What a pattern read: the local date-time, and the offset when the text had one.
struct ParsedDatetime {
  LocalDateTime local;
  std::optional<int> offset_seconds;
};

enum class PatternUse { kFormat, kParse };

class DatetimePattern {
 public:
  // Compiles `pattern` as Spark does for formatting or parsing. A pattern Spark rejects
  // fails with InvalidArgument and Spark's reason (week-based letters, illegal letters,
  // too many letters); letters Spark accepts that are not implemented here fail with
  // NotSupported naming the letter.
  static Result<DatetimePattern> Compile(std::string_view pattern, PatternUse use);

  // Whether formatting in `zone_id` is supported (zone names 'z' are known for a list of
  // common zones only).
  Status CheckZone(std::string_view zone_id) const;

  // Formats a local date-time of a zone whose offset from UTC is `offset_seconds`.
  Result<std::string> Format(const LocalDateTime& local, int offset_seconds,
                             std::string_view zone_id) const;

  // Parses `text` with Spark 3's parser; nullopt when the text does not match exactly.
  std::optional<ParsedDatetime> Parse(std::string_view text) const;

  // For a parsing pattern made of yyyy, MM and dd and optionally HH, HH and mm, or HH, mm
  // and ss, each once and between separators: its form for spark_fixed_datetime (native_raw.cc),
  // the pattern with strptime's directives for the fields. nullopt for other patterns.
  std::optional<std::string> FixedWidth() const;

  // Whether the pattern reads an offset or zone.
  bool HasZone() const { return has_zone_; }
  const std::string& text() const { return pattern_; }

  struct Item {
    enum class Kind { kLiteral, kField, kOptionalStart, kOptionalEnd };
    Kind kind = Kind::kLiteral;
    std::string literal;
    char letter = 0;  // Spark's letter, after 'y' became 'u' (no era in the pattern)
    int count = 0;
    // Numeric fields as java.time's NumberPrinterParser reads them.
    bool numeric = false;
    int min_width = 0;
    int max_width = 0;
    enum class Sign { kNormal, kNotNegative, kExceedsPad } sign = Sign::kNormal;
    int subsequent_width = 0;  // -1: fixed width (adjacent value parsing)
    bool reduced = false;      // two-digit year, base 2000
  };

 private:
  std::string pattern_;
  std::vector<Item> items_;
  bool has_zone_ = false;
  bool has_zone_name_ = false;
  bool era_ = false;
};

// Whether Spark 2's parser (java.text.SimpleDateFormat, not lenient, trailing text ignored)
// reads `text` with `pattern`.
bool LegacyParserAccepts(std::string_view pattern, std::string_view text);

// The message of Spark's SparkUpgradeException for text the new parser cannot read but the
// legacy parser can.
std::string NewParserFailureMessage(std::string_view text);

}  // namespace sluice::spark
