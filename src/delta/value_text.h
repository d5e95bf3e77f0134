// Text forms of scalar values shared by partition values and statistics: parsing the text that
// Delta logs and DuckDB produce, and writing the text Spark writes. Internal to delta/.
//
// Dates and timestamps use the proleptic Gregorian calendar; timestamps are microseconds since
// 1970-01-01 00:00:00 (UTC for zoned timestamps, wall-clock for timestamp_ntz).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::delta::value_text {

// Days since 1970-01-01 of a valid date, or nullopt for an impossible one (2021-02-30).
std::optional<int64_t> DaysFromCivil(int64_t year, int month, int day);
void CivilFromDays(int64_t days, int64_t* year, int* month, int* day);

// "YYYY-MM-DD" (4 or more year digits, optional sign) -> days since the epoch.
std::optional<int64_t> ParseDate(std::string_view text);
// "YYYY-MM-DD"; years beyond 9999 get a '+' and years before 0 a '-' (as Java prints them).
std::string FormatDate(int64_t days);

struct ParsedTimestamp {
  int64_t micros = 0;     // UTC if has_zone (the offset is applied), else wall-clock
  bool has_zone = false;  // a "Z" or numeric offset was given
};

// "YYYY-MM-DD[ |T]HH:MM[:SS[.fraction]][Z|+HH|+HH:MM|+HH:MM:SS|+HHMM]" or a bare date (midnight).
// Fraction digits beyond microseconds are truncated toward the past. Nullopt if malformed.
std::optional<ParsedTimestamp> ParseTimestamp(std::string_view text);

enum class FractionStyle {
  kMicros,   // always ".ffffff"
  kMillis,   // always ".fff", truncated toward the past
  kTrimmed,  // ".ffffff" without trailing zeros, nothing when zero (Spark's cast to string)
};
// Date, `separator` (' ' or 'T'), "HH:MM:SS", fraction per `style`, then `suffix` ("Z", "").
std::string FormatTimestamp(int64_t micros, char separator, FractionStyle style,
                            std::string_view suffix);

// Java's Double.toString / Float.toString (what Spark writes for floating point values):
// "1.0", "3.14", "1.0E20", "1.0E-5", "NaN", "Infinity", "-Infinity", "-0.0". Digits are the
// shortest that round-trip.
std::string JavaDoubleString(double value);
std::string JavaFloatString(float value);

// Parses Java or DuckDB floating point text ("1.5", "1e+20", "NaN", "nan", "Infinity", "inf").
std::optional<double> ParseDouble(std::string_view text);

// A decimal number split into digits: value = (negative ? -1 : 1) * unscaled * 10^-scale.
struct DecimalText {
  bool negative = false;
  std::string unscaled;  // decimal digits without leading zeros ("0" for zero)
  int scale = 0;         // may be negative for "1E+3"
};
// Accepts "12", "-1.50", "+.5", "1E-18", "1.2e3". Nullopt if malformed.
std::optional<DecimalText> ParseDecimal(std::string_view text);
// The number rescaled to exactly `scale` fraction digits ("12" at scale 2 -> "12.00"), or
// nullopt if it needs more than `precision` digits or has non-zero digits beyond `scale`.
std::optional<std::string> DecimalToPlain(const DecimalText& decimal, int precision, int scale);
// Java's BigDecimal.toString of the value with `scale` (Jackson writes decimals this way):
// "123.45", "0.00", "1E-18", "0E-18".
std::string JavaBigDecimalString(const DecimalText& decimal);

// Decodes the UTF-8 code point at text[*pos] and advances *pos past it; false (leaving *pos)
// for an invalid, overlong or surrogate encoding.
bool NextCodePoint(std::string_view text, size_t* pos, uint32_t* code_point);
bool IsValidUtf8(std::string_view text);
void AppendUtf8(std::string* out, uint32_t code_point);

// Parses a whole decimal integer in [min, max] (sign allowed).
std::optional<int64_t> ParseIntegerInRange(std::string_view text, int64_t min, int64_t max);

}  // namespace sluice::delta::value_text
