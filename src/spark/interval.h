// Spark's interval values: reading interval literals and interval strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "spark/types.h"

namespace sluice::spark {

// An interval as months, days and microseconds (DuckDB's INTERVAL holds the same three).
struct IntervalValue {
  int64_t months = 0;
  int64_t days = 0;
  int64_t micros = 0;
  IntervalValue& operator+=(const IntervalValue& other) {
    months += other.months;
    days += other.days;
    micros += other.micros;
    return *this;
  }
};

inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr int64_t kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// The field a unit name stands for: YEAR(S), MONTH(S), DAY(S), HOUR(S), MINUTE(S),
// SECOND(S); WEEK(S), MILLISECOND(S) and MICROSECOND(S) are units of multi-unit literals.
enum class IntervalUnit {
  kYear,
  kMonth,
  kWeek,
  kDay,
  kHour,
  kMinute,
  kSecond,
  kMillisecond,
  kMicrosecond
};
Result<IntervalUnit> ParseIntervalUnit(std::string_view word);
bool IsYearMonthUnit(IntervalUnit unit);
IntervalField FieldOfUnit(IntervalUnit unit);  // weeks are days, millis and micros seconds

// `value` (a number, possibly signed or with a fraction) of one unit, as in INTERVAL 2 HOURS
// or INTERVAL '1.5' SECOND.
Result<IntervalValue> IntervalOfUnit(std::string_view value, IntervalUnit unit);

// Spark's interval strings: "1 day 2 hours", "interval 3 minutes", "-1 week 2 days",
// "1 year 2 months 3 weeks 4 days 5 hours 6 minutes 7.5 seconds 8 milliseconds".
Result<IntervalValue> ParseIntervalString(std::string_view text);

// The string of an INTERVAL 'text' start TO end literal: '1-2' YEAR TO MONTH,
// '1 02:03:04.5' DAY TO SECOND, '02:03' HOUR TO MINUTE, ... (or one field when start == end).
Result<IntervalValue> ParseIntervalFields(std::string_view text, IntervalField start,
                                          IntervalField end);

}  // namespace sluice::spark
