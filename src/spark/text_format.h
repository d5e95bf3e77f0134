// Text forms of values the way the JVM and Spark write and read them: Java's
// Double.toString / Float.toString, and Spark's date and timestamp strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::spark {

// Java's Double.toString: the shortest digits that read back as `value`, in plain notation
// with at least one fraction digit for 1e-3 <= |value| < 1e7 ("1.0", "0.001", "1234567.5"),
// else computerized scientific notation ("1.0E7", "1.234E-5"); "NaN", "Infinity".
std::string JavaDoubleString(double value);
// The shortest digits that read back as |value| (finite, non-zero), without trailing zeros,
// and the decimal exponent: |value| = 0.digits x 10^exponent. The float overload gives a
// float's own shortest digits.
void ShortestDigits(double value, std::string* digits, int* exponent);
void ShortestDigits(float value, std::string* digits, int* exponent);
std::string JavaFloatString(float value);
// The digits of JavaDoubleString without an exponent, as BigDecimal(d.toString)
// .toPlainString() ("1.0E-5" is "0.000010", "1.5E10" is "15000000000"); finite values only.
std::string JavaDoublePlainString(double value);

// Proleptic Gregorian calendar: leap years, valid year/month/day, and a date's text
// "yyyy-mm-dd" ("-yyyy-mm-dd" before year 0).
bool LeapYear(int64_t y);
bool ValidDate(int64_t y, int64_t m, int64_t d);
std::string DateString(int64_t y, int64_t m, int64_t d);

// Spark's reading of a date string (CAST(s AS DATE), DATE '...'): surrounding whitespace
// ignored; `[+-]yyyy[-[m]m[-[d]d]]`, optionally followed by a space or 'T' and anything.
// Returns "yyyy-mm-dd" (a valid calendar date) or nullopt.
std::optional<std::string> NormalizeDateText(std::string_view text);

// Spark's reading of a timestamp string (CAST(s AS TIMESTAMP), TIMESTAMP '...'):
// `[+-]yyyy[-[m]m[-[d]d]][( |T)[h]h[:[m]m[:[s]s[.fraction]]]][zone]`, or a time alone
// after 'T'. The zone is Z, UTC, GMT, UT, (UTC|GMT|UT)?[+-]h[h][[:]mm[[:]ss]], or a region
// such as America/Los_Angeles. Returns "yyyy-mm-dd hh:mm:ss.ffffff" followed by "+hh:mm"
// or " Region/Name" when a zone was given, or nullopt when the text is not a timestamp.
// A timestamp without a zone is a time in the session time zone.
std::optional<std::string> NormalizeTimestampText(std::string_view text, bool* has_zone = nullptr);

}  // namespace sluice::spark
