// Raw natives: the fast paths translated SQL tries first (see NativeRawFunction).
//
//  * spark_fixed_datetime(text, format): the wall-clock time in microseconds that a text
//    of a fixed-width pattern (DatetimePattern::FixedWidth's format: %Y, %m, %d, %H, %M,
//    %S and separators) holds; NULL when the text does not have exactly that form, when a
//    field is out of range or the date does not exist, and for year 0. Spark's parser
//    reads every text of that form to the same time; everything else is left to it.
//  * spark_double_unscaled(x, scale): the unscaled value of CAST(x AS DECIMAL(_, scale))
//    as Spark computes it, from the shortest decimal text of x (Double.toString) rounded
//    half up; NULL for NaN, infinities and results of 18 digits or more.
#include <cmath>
#include <cstring>

#include "spark/datetime_pattern.h"
#include "spark/native.h"
#include "spark/text_format.h"

namespace sluice::spark {
namespace {

// Reads `width` digits at text[*at]; -1 unless all are digits.
int64_t FixedDigits(std::string_view text, size_t* at, int width) {
  if (*at + static_cast<size_t>(width) > text.size()) return -1;
  int64_t value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[*at + i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  *at += static_cast<size_t>(width);
  return value;
}

std::optional<int64_t> FixedDatetime(std::string_view text, std::string_view format) {
  int64_t year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
  size_t at = 0;
  for (size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      if (at >= text.size() || text[at] != format[i]) return std::nullopt;
      ++at;
      continue;
    }
    const char field = format[++i];
    const int64_t value = FixedDigits(text, &at, field == 'Y' ? 4 : 2);
    if (value < 0) return std::nullopt;
    switch (field) {
      case 'Y':
        year = value;
        break;
      case 'm':
        month = value;
        break;
      case 'd':
        day = value;
        break;
      case 'H':
        hour = value;
        break;
      case 'M':
        minute = value;
        break;
      case 'S':
        second = value;
        break;
      default:
        return std::nullopt;
    }
  }
  if (at != text.size() || year < 1 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, static_cast<int>(month)) || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  LocalDateTime local;
  local.year = year;
  local.month = static_cast<int>(month);
  local.day = static_cast<int>(day);
  local.hour = static_cast<int>(hour);
  local.minute = static_cast<int>(minute);
  local.second = static_cast<int>(second);
  return MicrosFromLocal(local);
}

std::optional<int64_t> DoubleUnscaled(double value, int64_t scale) {
  constexpr int64_t kLimit = 1000000000000000000;  // 10^18
  if (!std::isfinite(value) || scale < 0 || scale > 38) return std::nullopt;
  if (value == 0) return 0;
  // Most values are not near a tie: then the value scaled in binary rounds as its shortest
  // text does. y is within 2^-50 |y| of the shortest text scaled (half an ulp of the value
  // and half an ulp of the product); a fraction further than 2^-48 |y| from one half rounds
  // the same way for both. (Powers of ten up to 10^22 are exact doubles.)
  static constexpr double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (scale <= 22) {
    const double y = std::fabs(value) * kPowers[scale];
    if (y < 1e15) {
      const double whole = std::floor(y);
      const double fraction = y - whole;
      if (std::fabs(fraction - 0.5) > y * 0x1p-48) {
        const int64_t unscaled = static_cast<int64_t>(whole) + (fraction > 0.5 ? 1 : 0);
        return value < 0 ? -unscaled : unscaled;
      }
    }
  }
  // From the shortest digits: |value| = 0.digits x 10^exponent (at most 17 digits).
  std::string text;
  int exponent = 0;
  ShortestDigits(value, &text, &exponent);
  int64_t digits = 0;
  for (char c : text) digits = digits * 10 + (c - '0');
  const int count = static_cast<int>(text.size());
  // unscaled = digits x 10^(exponent - count + scale).
  const int64_t shift = static_cast<int64_t>(exponent) - count + scale;
  int64_t unscaled;
  if (shift >= 0) {
    unscaled = digits;
    for (int64_t i = 0; i < shift; ++i) {
      if (unscaled >= kLimit / 10) return std::nullopt;
      unscaled *= 10;
    }
  } else if (-shift > count) {
    unscaled = 0;
  } else {
    int64_t divisor = 1;
    for (int64_t i = 0; i < -shift; ++i) divisor *= 10;
    unscaled = digits / divisor;
    // Half up: the dropped digits are at least half of the last kept digit's unit.
    if ((digits % divisor) * 2 >= divisor) ++unscaled;
  }
  if (unscaled >= kLimit) return std::nullopt;
  return value < 0 ? -unscaled : unscaled;
}

}  // namespace

const std::vector<NativeRawFunction>& NativeRawFunctions() {
  static const auto* functions = new std::vector<NativeRawFunction>{
      {"spark_fixed_datetime",
       {"VARCHAR", "VARCHAR"},
       [](const NativeRawArgument* a) { return FixedDatetime(a[0].text, a[1].text); }},
      {"spark_double_unscaled",
       {"DOUBLE", "BIGINT"},
       [](const NativeRawArgument* a) { return DoubleUnscaled(a[0].real, a[1].integer); }},
  };
  return *functions;
}

}  // namespace sluice::spark
