// Exact decimal arithmetic on decimal text, for what DuckDB's 38-digit decimals cannot do
// exactly: Spark's decimal results of wide operands (computed exactly, then rounded to the
// result type), and Java's BigDecimal rounding of doubles and decimals.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spark/native.h"

namespace sluice::spark::internal {

// java.math.RoundingMode values Spark uses.
enum class Rounding { kHalfUp, kHalfEven, kCeiling, kFloor, kDown };

// A decimal number: sign, digits of its unscaled value (most significant first, no leading
// zeros; empty for zero) and scale (digits after the point; may be negative).
struct DecimalDigits {
  bool negative = false;
  std::string digits;
  int scale = 0;
};

// Reads "-12.345", "1.5E-7", "0", "+3." (Java's BigDecimal text); nullopt if malformed.
std::optional<DecimalDigits> ParseDecimal(std::string_view text);

// The value rounded to `scale` digits after the point (setScale(scale, mode)).
DecimalDigits Rescale(const DecimalDigits& value, int scale, Rounding mode);

// Plain text: "-12.345", "0.00", "1200" (for a negative scale, the zeros written out).
std::string DecimalText(const DecimalDigits& value);

// The number of digits before the point (0 for |value| < 1).
int IntegralDigits(const DecimalDigits& value);

void AddDecimalNatives(std::vector<NativeFunction>& out);

}  // namespace sluice::spark::internal
