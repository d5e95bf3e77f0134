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
// Decimal or scientific notation, and Spark's "NaN", "Infinity", "-Infinity", "+Infinity".
bool ParseDouble(std::string_view text, double* out);
// "true" / "false", ignoring ASCII case.
bool ParseBoolean(std::string_view text, bool* out);
// A decimal that fits decimal(precision, scale) after rounding half-up to `scale`
// digits; `out` gets its canonical text ("-12.30" for decimal(4,2)).
bool ParseDecimal(std::string_view text, int precision, int scale, std::string* out);

// A Spark datetime pattern (https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html)
// compiled for parsing. Supported letters: y (yyyy, yy), M (M, MM, MMM, MMMM), d, D is not,
// H, h, m, s, S (fraction, 1-9 digits), a (AM/PM), E (day names, ignored), X/x/Z (offsets:
// Z, +01, +0100, +01:00), z/VV (UTC, GMT or an offset), 'literal' and '' for a quote; any
// other non-letter is a literal.
class DateTimePattern {
 public:
  // InvalidArgument naming the pattern and the unsupported letter.
  static Result<DateTimePattern> Compile(std::string_view pattern);
  const std::string& text() const { return text_; }

 private:
  friend bool ParseDate(std::string_view, const DateTimePattern*, int32_t*);
  friend bool ParseTimestamp(std::string_view, const DateTimePattern*, int64_t*);
  std::string text_;
  std::string program_;  // the compiled pattern; format private to values.cc
};

// Days since 1970-01-01. Without a pattern: ISO forms "2024-01-31", "2024-1-5", and a
// timestamp's date part ("2024-01-31T10:00:00" -> 2024-01-31), as Spark's default.
bool ParseDate(std::string_view text, const DateTimePattern* pattern, int32_t* days);
// Microseconds since the epoch, UTC. Without a pattern: ISO 8601 "2024-01-31T10:00:00",
// a space instead of T, optional fraction (up to 9 digits, truncated to micros), optional
// zone "Z", "+01:00", "+0100", "+01", "UTC"; a bare date is midnight. Values without a
// zone are UTC (sluice runs sessions in UTC).
bool ParseTimestamp(std::string_view text, const DateTimePattern* pattern, int64_t* micros);

}  // namespace sluice::ingest
