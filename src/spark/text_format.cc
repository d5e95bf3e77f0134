#include "spark/text_format.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace sluice::spark {
namespace {

template <typename T>
void ShortestDigitsOf(T value, std::string* digits, int* exponent) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), std::fabs(value),
                              std::chars_format::scientific);
  const std::string text(buffer, result.ptr);
  // d.ddddde[+-]xx
  const size_t e = text.find('e');
  digits->clear();
  for (size_t i = 0; i < e; ++i) {
    if (text[i] >= '0' && text[i] <= '9') *digits += text[i];
  }
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  *exponent = std::atoi(text.c_str() + e + 1) + 1;
}

// 0.<digits> x 10^exponent written without an exponent; ".0" ends a whole number.
std::string PlainDigits(const std::string& digits, int exponent) {
  if (exponent <= 0) return "0." + std::string(-exponent, '0') + digits;
  if (static_cast<int>(digits.size()) <= exponent) {
    return digits + std::string(exponent - digits.size(), '0') + ".0";
  }
  return digits.substr(0, exponent) + "." + digits.substr(exponent);
}

template <typename T>
std::string JavaString(T value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  std::string out = value < 0 ? "-" : "";
  const T magnitude = std::fabs(value);
  std::string digits;
  int exponent = 0;
  ShortestDigits(magnitude, &digits, &exponent);
  if (magnitude >= T(1e-3) && magnitude < T(1e7)) return out + PlainDigits(digits, exponent);
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0");
  out += "E" + std::to_string(exponent - 1);
  return out;
}

bool IsSpace(char c) { return static_cast<unsigned char>(c) <= ' '; }

std::string_view TrimAll(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max digits at *i; returns -1 when there are none.
int64_t Digits(std::string_view s, size_t* i, int min, int max) {
  int64_t value = 0;
  int count = 0;
  while (*i < s.size() && IsDigit(s[*i]) && count < max) {
    value = value * 10 + (s[*i] - '0');
    ++*i;
    ++count;
  }
  if (count < min) return -1;
  return value;
}

// [+-]yyyy[-[m]m[-[d]d]] at *i.
bool ReadDate(std::string_view s, size_t* i, int64_t* y, int64_t* m, int64_t* d) {
  bool negative = false;
  if (*i < s.size() && (s[*i] == '+' || s[*i] == '-')) {
    negative = s[*i] == '-';
    ++*i;
  }
  *y = Digits(s, i, 4, 7);
  if (*y < 0) return false;
  if (negative) *y = -*y;
  *m = 1;
  *d = 1;
  if (*i < s.size() && s[*i] == '-') {
    ++*i;
    *m = Digits(s, i, 1, 2);
    if (*m < 0) return false;
    if (*i < s.size() && s[*i] == '-') {
      ++*i;
      *d = Digits(s, i, 1, 2);
      if (*d < 0) return false;
    }
  }
  return ValidDate(*y, *m, *d);
}

bool ReadZone(std::string_view zone, std::string* out) {
  if (zone.empty()) return true;
  if (zone == "Z" || zone == "UTC" || zone == "GMT" || zone == "UT") {
    *out = "+00:00";
    return true;
  }
  std::string_view offset = zone;
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (offset.size() > prefix.size() && offset.substr(0, prefix.size()) == prefix &&
        (offset[prefix.size()] == '+' || offset[prefix.size()] == '-')) {
      offset.remove_prefix(prefix.size());
      break;
    }
  }
  if (!offset.empty() && (offset[0] == '+' || offset[0] == '-')) {
    const char sign = offset[0];
    size_t i = 1;
    const int64_t hours = Digits(offset, &i, 1, 2);
    if (hours < 0 || hours > 18) return false;
    int64_t minutes = 0, seconds = 0;
    if (i < offset.size()) {
      if (offset[i] == ':') ++i;
      minutes = Digits(offset, &i, 2, 2);
      if (minutes < 0 || minutes > 59) return false;
      if (i < offset.size()) {
        if (offset[i] == ':') ++i;
        seconds = Digits(offset, &i, 2, 2);
        if (seconds < 0 || seconds > 59) return false;
      }
    }
    if (i != offset.size()) return false;
    char buffer[32];
    if (seconds != 0) {
      std::snprintf(buffer, sizeof(buffer), "%c%02lld:%02lld:%02lld", sign,
                    static_cast<long long>(hours), static_cast<long long>(minutes),
                    static_cast<long long>(seconds));
    } else {
      std::snprintf(buffer, sizeof(buffer), "%c%02lld:%02lld", sign, static_cast<long long>(hours),
                    static_cast<long long>(minutes));
    }
    *out = buffer;
    return true;
  }
  // A region id: letters, digits, '/', '_', '-', '+'.
  for (char c : zone) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+')) {
      return false;
    }
  }
  if (!std::isalpha(static_cast<unsigned char>(zone[0]))) return false;
  *out = std::string(zone);
  return true;
}

}  // namespace

bool LeapYear(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool ValidDate(int64_t y, int64_t m, int64_t d) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  const int max = kDays[m - 1] + (m == 2 && LeapYear(y) ? 1 : 0);
  return d <= max;
}

std::string DateString(int64_t y, int64_t m, int64_t d) {
  char buffer[32];
  if (y < 0) {
    std::snprintf(buffer, sizeof(buffer), "-%04lld-%02lld-%02lld", static_cast<long long>(-y),
                  static_cast<long long>(m), static_cast<long long>(d));
  } else {
    std::snprintf(buffer, sizeof(buffer), "%04lld-%02lld-%02lld", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d));
  }
  return buffer;
}

void ShortestDigits(double value, std::string* digits, int* exponent) {
  ShortestDigitsOf(value, digits, exponent);
}
void ShortestDigits(float value, std::string* digits, int* exponent) {
  ShortestDigitsOf(value, digits, exponent);
}

std::string JavaDoubleString(double value) { return JavaString(value); }
std::string JavaFloatString(float value) { return JavaString(value); }

std::string JavaDoublePlainString(double value) {
  if (value == 0) return "0.0";
  std::string digits;
  int exponent = 0;
  ShortestDigits(std::fabs(value), &digits, &exponent);
  return (value < 0 ? "-" : "") + PlainDigits(digits, exponent);
}

std::optional<std::string> NormalizeDateText(std::string_view text) {
  std::string_view s = TrimAll(text);
  size_t i = 0;
  int64_t y, m, d;
  if (!ReadDate(s, &i, &y, &m, &d)) return std::nullopt;
  if (i != s.size() && s[i] != ' ' && s[i] != 'T') return std::nullopt;
  return DateString(y, m, d);
}

std::optional<std::string> NormalizeTimestampText(std::string_view text, bool* has_zone) {
  std::string_view s = TrimAll(text);
  size_t i = 0;
  int64_t y = 1970, mo = 1, d = 1;
  // A time alone: T followed by the time (the date is today in Spark; not supported).
  if (!ReadDate(s, &i, &y, &mo, &d)) return std::nullopt;
  int64_t h = 0, mi = 0, sec = 0, micros = 0;
  if (i < s.size() && (s[i] == ' ' || s[i] == 'T')) {
    const size_t time_start = i + 1;
    size_t k = time_start;
    h = Digits(s, &k, 1, 2);
    if (h < 0) {
      // "yyyy-mm-dd " followed by a zone only is not a timestamp; a trailing 'T' or space
      // alone is allowed.
      if (k == s.size()) {
        i = k;
      } else {
        return std::nullopt;
      }
    } else {
      i = k;
      if (h > 23) return std::nullopt;
      if (i < s.size() && s[i] == ':') {
        ++i;
        mi = Digits(s, &i, 1, 2);
        if (mi < 0 || mi > 59) return std::nullopt;
        if (i < s.size() && s[i] == ':') {
          ++i;
          sec = Digits(s, &i, 1, 2);
          if (sec < 0 || sec > 59) return std::nullopt;
          if (i < s.size() && s[i] == '.') {
            ++i;
            int count = 0;
            int64_t fraction = 0;
            while (i < s.size() && IsDigit(s[i])) {
              if (count < 6) {
                fraction = fraction * 10 + (s[i] - '0');
                ++count;
              } else if (count < 9) {
                ++count;  // nanoseconds are dropped
              } else {
                return std::nullopt;
              }
              ++i;
            }
            const int kept = std::min(count, 6);
            for (int k2 = kept; k2 < 6; ++k2) fraction *= 10;
            micros = fraction;
          }
        }
      }
    }
  }
  std::string_view zone_text = s.substr(i);
  while (!zone_text.empty() && zone_text.front() == ' ') zone_text.remove_prefix(1);
  std::string zone;
  if (!ReadZone(zone_text, &zone)) return std::nullopt;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), " %02lld:%02lld:%02lld.%06lld", static_cast<long long>(h),
                static_cast<long long>(mi), static_cast<long long>(sec),
                static_cast<long long>(micros));
  std::string out = DateString(y, mo, d) + buffer;
  // DuckDB reads an offset right after the time, a region after a space.
  if (!zone.empty()) out += (zone[0] == '+' || zone[0] == '-' ? "" : " ") + zone;
  if (has_zone != nullptr) *has_zone = !zone.empty();
  return out;
}

}  // namespace sluice::spark
