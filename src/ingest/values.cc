#include "ingest/values.h"

#include <charconv>
#include <cstdlib>
#include <limits>
#include <string>

#include "common/strings.h"

namespace sluice::ingest {
namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Java's String.trim: drops bytes up to ' ' at both ends.
std::string_view TrimJava(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

bool ParseInteger(std::string_view text, int bits, int64_t* out) {
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64) return false;
  if (!text.empty() && text[0] == '+') {
    text.remove_prefix(1);  // from_chars takes only '-'
    if (!text.empty() && text[0] == '-') return false;
  }
  if (text.empty()) return false;
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return false;
  if (bits < 64) {
    const int64_t max = (int64_t{1} << (bits - 1)) - 1;
    if (value > max || value < -max - 1) return false;
  }
  *out = value;
  return true;
}

bool ParseDouble(std::string_view text, double* out) {
  // Java's Double.parseDouble, which Spark's CSV reader calls, ignores surrounding spaces.
  text = TrimJava(text);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  struct Spelling {
    std::string_view text;
    double value;
  };
  // Java's spellings, plus Spark's CSV defaults (nanValue, positiveInf, negativeInf) and
  // the JSON reader's INF forms.
  static constexpr Spelling kSpellings[] = {
      {"NaN", std::numeric_limits<double>::quiet_NaN()},
      {"+NaN", std::numeric_limits<double>::quiet_NaN()},
      {"-NaN", std::numeric_limits<double>::quiet_NaN()},
      {"Infinity", kInf},
      {"+Infinity", kInf},
      {"-Infinity", -kInf},
      {"Inf", kInf},
      {"+Inf", kInf},
      {"-Inf", -kInf},
      {"INF", kInf},
      {"+INF", kInf},
      {"-INF", -kInf},
  };
  if (text.empty()) return false;
  const char first = text[0];
  if (first == 'N' || first == 'I' || first == '+' || first == '-') {
    for (const Spelling& spelling : kSpellings) {
      if (text == spelling.text) {
        *out = spelling.value;
        return true;
      }
    }
  }
  bool negative = false;
  std::string_view body = text;
  if (first == '+' || first == '-') {
    negative = first == '-';
    body.remove_prefix(1);
  }
  // from_chars would also take "inf", "nan" and a second sign; Java takes none of them.
  if (body.empty() || !(IsDigit(body[0]) || body[0] == '.')) return false;
  double value = 0;
  const char* end = body.data() + body.size();
  auto [ptr, ec] = std::from_chars(body.data(), end, value, std::chars_format::general);
  if (ptr != end) return false;
  if (ec == std::errc::result_out_of_range) {
    // Java gives infinity or zero where from_chars reports the range; strtod does the same.
    value = std::strtod(std::string(body).c_str(), nullptr);
  } else if (ec != std::errc()) {
    return false;
  }
  *out = negative ? -value : value;
  return true;
}

bool ParseBoolean(std::string_view text, bool* out) {
  if (EqualsIgnoreCase(text, "true")) {
    *out = true;
    return true;
  }
  if (EqualsIgnoreCase(text, "false")) {
    *out = false;
    return true;
  }
  return false;
}

bool ParseDecimal(std::string_view text, int precision, int scale, std::string* out) {
  if (precision < 1 || precision > 38 || scale < 0 || scale > precision) return false;
  // The value is sign * digits * 10^exponent, as java.math.BigDecimal reads it: an
  // optional sign, digits with an optional point, an optional exponent.
  size_t i = 0;
  const size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;  // without leading zeros; empty for zero
  int64_t exponent = 0;
  bool any_digit = false;
  for (; i < n && IsDigit(text[i]); ++i) {
    any_digit = true;
    if (!digits.empty() || text[i] != '0') digits.push_back(text[i]);
  }
  if (i < n && text[i] == '.') {
    for (++i; i < n && IsDigit(text[i]); ++i) {
      any_digit = true;
      --exponent;
      if (!digits.empty() || text[i] != '0') digits.push_back(text[i]);
    }
  }
  if (!any_digit) return false;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) exponent_negative = text[i++] == '-';
    if (i == n || !IsDigit(text[i])) return false;
    int64_t written = 0;
    for (; i < n && IsDigit(text[i]); ++i) {
      // Saturates: beyond a billion the value is zero or out of any precision anyway.
      if (written < 1'000'000'000) written = written * 10 + (text[i] - '0');
    }
    exponent += exponent_negative ? -written : written;
  }
  if (i != n) return false;

  // The unscaled value: digits * 10^(exponent + scale), rounded half-up to an integer.
  std::string unscaled;
  const int64_t shift = exponent + scale;
  const int64_t size = static_cast<int64_t>(digits.size());
  if (digits.empty()) {
    // zero
  } else if (shift >= 0) {
    if (size + shift > precision) return false;
    unscaled = digits;
    unscaled.append(static_cast<size_t>(shift), '0');
  } else if (-shift <= size) {
    const size_t keep = static_cast<size_t>(size + shift);
    unscaled = digits.substr(0, keep);
    if (digits[keep] >= '5') {
      size_t k = unscaled.size();
      while (k > 0 && unscaled[k - 1] == '9') unscaled[--k] = '0';
      if (k == 0) {
        unscaled.insert(unscaled.begin(), '1');
      } else {
        ++unscaled[k - 1];
      }
    }
  }
  // else: every digit is below the scale's last place and the first dropped one is 0.
  if (static_cast<int>(unscaled.size()) > precision) return false;
  if (unscaled.empty()) negative = false;  // BigDecimal has no negative zero
  if (unscaled.size() < static_cast<size_t>(scale) + 1) {
    unscaled.insert(0, static_cast<size_t>(scale) + 1 - unscaled.size(), '0');
  }
  out->clear();
  if (negative) out->push_back('-');
  const size_t integer_digits = unscaled.size() - static_cast<size_t>(scale);
  out->append(unscaled, 0, integer_digits);
  if (scale > 0) {
    out->push_back('.');
    out->append(unscaled, integer_digits, std::string::npos);
  }
  return true;
}

}  // namespace sluice::ingest
