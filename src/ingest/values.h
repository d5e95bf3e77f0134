// Field text converted to column types, as Spark's JSON and CSV readers convert it. Each
// function returns false when the text does not fit the type; the caller then rescues the
// value (it never becomes NULL silently).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice::ingest {

// Integers in range of the type's bits (8, 16, 32 or 64); an optional sign; no fraction,
// exponent or surrounding spaces ("1.0" does not fit a long, as in Spark).
bool ParseInteger(std::string_view text, int bits, int64_t* out);
// Decimal or scientific notation with an optional sign, ignoring surrounding bytes up to
// ' ' (as Java's Double.parseDouble); out of range is +-Infinity or 0. Also the spellings
// of Java and of Spark's readers: "NaN" ("+NaN", "-NaN"), "Infinity", "Inf" and "INF",
// each with an optional sign. Not "inf", "nan" or hexadecimal.
bool ParseDouble(std::string_view text, double* out);
// "true" / "false", ignoring ASCII case.
bool ParseBoolean(std::string_view text, bool* out);
// A decimal that fits decimal(precision, scale) after rounding half-up to `scale`
// digits; `out` gets its canonical text ("-12.30" for decimal(4,2); zero is never
// negative). The text is java.math.BigDecimal's syntax: an optional sign, digits with an
// optional point, an optional exponent ("1.5E-3"). Precision is 1..38, scale 0..precision.
bool ParseDecimal(std::string_view text, int precision, int scale, std::string* out);

// Declared ahead of DateTimePattern, which befriends them; described below it.
class DateTimePattern;
bool ParseDate(std::string_view text, const DateTimePattern* pattern, int32_t* days);
bool ParseTimestamp(std::string_view text, const DateTimePattern* pattern, int64_t* micros);

// A Spark datetime pattern (https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html)
// compiled for parsing. Supported letters: y (yyyy, yy = 2000-2099), M or L (M, MM, MMM,
// MMMM), d, H, h, m, s, S (fraction: 1 up to as many digits as letters, at most 9), a
// (AM/PM), E (day names, checked for spelling only), X/x/Z (offsets: Z, +01, +0100,
// +01:00), z/VV/ZZZZ (UTC, GMT or UT, optionally followed by an offset, or an offset);
// D (day of year) and other letters are not. 'literal', '' for a quote, [optional
// sections]; any other non-letter is a literal. Two letters take exactly two digits, one
// letter one or two; a number directly followed by another ("yyyyMMdd") takes exactly as
// many digits as letters. Names, AM/PM and literals match ignoring ASCII case. Fields the
// pattern lacks default to 1970-01-01 00:00:00 UTC; a 12-hour h without a is before noon.
class DateTimePattern {
 public:
  // InvalidArgument naming the pattern and what is wrong: an unsupported letter (count),
  // an unclosed quote or an unmatched bracket.
  static Result<DateTimePattern> Compile(std::string_view pattern);
  const std::string& text() const { return text_; }

 private:
  friend bool ParseDate(std::string_view, const DateTimePattern*, int32_t*);
  friend bool ParseTimestamp(std::string_view, const DateTimePattern*, int64_t*);
  std::string text_;
  std::string program_;  // the compiled pattern; format private to values_datetime.cc
};

// Days since 1970-01-01. Without a pattern: as Spark's default (stringToDate), surrounding
// spaces ignored, "2024-01-31", "2024-1-5", "2024-01", "2024" (4 to 7 year digits, optional
// sign), and a date followed by ' ' or 'T' and anything ("2024-01-31T10:00:00" ->
// 2024-01-31). With a pattern the whole text must match and time fields must be valid.
bool ParseDate(std::string_view text, const DateTimePattern* pattern, int32_t* days);
// Microseconds since the epoch, UTC. Without a pattern: ISO 8601 "2024-01-31T10:00:00",
// a space instead of T, seconds optional, optional fraction (up to 9 digits, truncated to
// micros), optional zone right after the time: "Z", "+01:00", "+0100", "+01", "UTC",
// "GMT+01:00"; a bare date (as ParseDate's ISO forms) is midnight. Values without a zone
// are UTC (sluice runs sessions in UTC). Region ids ("Europe/Paris") are not supported.
bool ParseTimestamp(std::string_view text, const DateTimePattern* pattern, int64_t* micros);

}  // namespace sluice::ingest
