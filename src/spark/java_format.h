// Java's number and text formatting as Spark's format_number (java.text.DecimalFormat,
// Locale.US, HALF_EVEN) and format_string / printf (java.util.Formatter, Locale.US) use it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::spark::internal {

// A DecimalFormat pattern of the plain kind: prefix, integer digits ('#', '0', ','), an
// optional '.' and fraction digits ('0', '#'), suffix. Others are NotSupported.
class JavaDecimalFormat {
 public:
  static Result<JavaDecimalFormat> Parse(std::string_view pattern);
  // DecimalFormat.format(double): the shortest digits of the double, rounded half-even
  // (a tie in those digits is broken by the double's exact value).
  Result<std::string> FormatDouble(double value) const;
  // DecimalFormat.format(long / BigDecimal) of a decimal written as plain text.
  std::string FormatExact(std::string_view decimal) const;

 private:
  std::string Format(bool negative, std::string digits, int point, int tie) const;
  std::string prefix_, suffix_;
  int min_integer_ = 0;
  int min_fraction_ = 0, max_fraction_ = 0;
  int grouping_ = 0;  // 0: no grouping
};

// One argument of format_string, as Spark hands it to java.util.Formatter.
struct FormatArgument {
  enum Kind { kNull, kString, kByte, kShort, kInt, kLong, kFloat, kDouble, kBoolean, kDecimal };
  Kind kind = kNull;
  std::string text;  // strings, and decimals as plain text
  int64_t integer = 0;
  double real = 0;
  bool boolean = false;
};

// Formatter.format(Locale.US, format, args): InvalidArgument for what Java rejects,
// NotSupported for conversions sluice does not write (dates, hash codes, hexadecimal floats).
Result<std::string> JavaFormatString(std::string_view format,
                                     const std::vector<FormatArgument>& args);

// Serializes format_string's arguments into one string (for the native function) and back.
Result<std::vector<FormatArgument>> DecodeFormatArguments(std::string_view encoded);

}  // namespace sluice::spark::internal
