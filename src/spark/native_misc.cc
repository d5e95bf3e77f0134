// Native functions of the aggregate and misc groups.
#include <algorithm>
#include <cstdint>
#include <string>

#include "spark/functions_misc_internal.h"
#include "spark/native_groups.h"

namespace sluice::spark::internal {
namespace {

// A decimal's text ("-12.340") as its unscaled magnitude, sign and scale; false when the
// text is not a decimal of at most 38 digits.
bool ParseDecimal(const std::string& text, unsigned __int128* magnitude, bool* negative,
                  int* scale) {
  *magnitude = 0;
  *negative = false;
  *scale = 0;
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) *negative = text[i++] == '-';
  bool point = false;
  int digits = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9' || ++digits > 38) return false;
    *magnitude = *magnitude * 10 + static_cast<unsigned>(c - '0');
    if (point) ++*scale;
  }
  return digits > 0;
}

std::string DigitsOf(unsigned __int128 value) {
  if (value == 0) return "0";
  std::string out;
  while (value > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  return out;
}

// Adds one at the last digit of a digit string, carrying; returns whether it grew a digit.
bool Increment(std::string& digits) {
  for (size_t i = digits.size(); i-- > 0;) {
    if (digits[i] != '9') {
      ++digits[i];
      return false;
    }
    digits[i] = '0';
  }
  digits.insert(digits.begin(), '1');
  return true;
}

// sum / count as Spark's avg of decimals computes it: Decimal division (rounded half up to
// 38 significant digits), then rounded half up to `scale` places; NULL when the result
// needs more than `precision` digits.
Result<NativeValue> DecimalAverage(const std::vector<NativeValue>& a) {
  unsigned __int128 magnitude;
  bool negative;
  int input_scale;
  if (!ParseDecimal(std::get<std::string>(a[0]), &magnitude, &negative, &input_scale)) {
    return InvalidArgument("spark_decimal_average: not a decimal: ", std::get<std::string>(a[0]));
  }
  const int64_t count = std::get<int64_t>(a[1]);
  const auto precision = static_cast<size_t>(std::get<int64_t>(a[2]));
  const auto scale = static_cast<size_t>(std::get<int64_t>(a[3]));
  if (count <= 0) return NativeValue(std::monostate{});
  const auto divisor = static_cast<unsigned __int128>(count);
  // The digits of magnitude / count, more generated on demand, with leading zeros so that
  // the quotient's decimal point (after the input scale) falls after digit `point` >= 1.
  std::string digits = DigitsOf(magnitude / divisor);
  unsigned __int128 remainder = magnitude % divisor;
  const int64_t raw_point = static_cast<int64_t>(digits.size()) - input_scale;
  if (raw_point < 1) digits.insert(0, static_cast<size_t>(1 - raw_point), '0');
  size_t point = static_cast<size_t>(std::max<int64_t>(raw_point, 1));
  auto digit_at = [&](size_t index) {
    while (digits.size() <= index) {
      remainder *= 10;
      digits.push_back(static_cast<char>('0' + static_cast<int>(remainder / divisor)));
      remainder %= divisor;
    }
    return digits[index];
  };
  // A quotient below half a unit of the last place (all digits through the first dropped
  // one zero) is zero, whatever the first rounding does further right.
  size_t first = 0;
  while (first <= point + scale && digit_at(first) == '0') ++first;
  std::string kept;
  if (first > point + scale) {
    kept = std::string(point + scale, '0');
  } else {
    const size_t cut = first + 38;
    const bool up = digit_at(cut) >= '5';
    kept = digits.substr(0, cut);
    if (up && Increment(kept)) ++point;
    if (kept.size() < point + scale + 1) kept.resize(point + scale + 1, '0');
    const bool round_up = kept[point + scale] >= '5';
    kept.resize(point + scale);
    if (round_up && Increment(kept)) ++point;
  }
  std::string whole = kept.substr(0, point);
  const std::string fraction = kept.substr(point);
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  if (whole != "0" && whole.size() + scale > precision) return NativeValue(std::monostate{});
  const bool zero = whole == "0" && fraction.find_first_not_of('0') == std::string::npos;
  return NativeValue(std::string(negative && !zero ? "-" : "") + whole +
                     (scale > 0 ? "." + fraction : ""));
}

}  // namespace

void AddAesNatives(std::vector<NativeFunction>& out);  // native_aes.cc

void AddMiscNatives(std::vector<NativeFunction>& out) {
  AddAesNatives(out);
  out.push_back({"spark_decimal_average",
                 {"VARCHAR", "BIGINT", "INTEGER", "INTEGER"},
                 "VARCHAR",
                 DecimalAverage});
  // A LIKE pattern read from data, checked as Spark checks it (an error when invalid).
  out.push_back({"spark_like_pattern",
                 {"VARCHAR", "VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   const std::string& pattern = std::get<std::string>(a[0]);
                   const std::string& escape = std::get<std::string>(a[1]);
                   SLUICE_RETURN_IF_ERROR(
                       CheckLikePattern(pattern, escape.empty() ? '\\' : escape[0]));
                   return NativeValue(pattern);
                 }});
  // bitmap_count: the number of bits set.
  out.push_back({"spark_bitmap_count",
                 {"BLOB"},
                 "BIGINT",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   int64_t count = 0;
                   for (unsigned char byte : std::get<std::string>(a[0])) {
                     count += __builtin_popcount(byte);
                   }
                   return NativeValue(count);
                 }});
}

}  // namespace sluice::spark::internal
