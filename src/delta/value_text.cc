#include "delta/value_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "common/strings.h"

namespace sluice::delta::value_text {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads between min_digits and max_digits decimal digits at text[*pos].
std::optional<int64_t> ReadDigits(std::string_view text, size_t* pos, int min_digits,
                                  int max_digits) {
  int64_t value = 0;
  int count = 0;
  while (*pos < text.size() && IsDigit(text[*pos]) && count < max_digits) {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
    ++count;
  }
  if (count < min_digits) return std::nullopt;
  return value;
}

bool Consume(std::string_view text, size_t* pos, char c) {
  if (*pos < text.size() && text[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Parses the date at the start of `text`, leaving *pos after it.
std::optional<int64_t> ParseDatePrefix(std::string_view text, size_t* pos) {
  bool negative = false;
  if (*pos < text.size() && (text[*pos] == '-' || text[*pos] == '+')) {
    negative = text[*pos] == '-';
    ++*pos;
  }
  auto year = ReadDigits(text, pos, 4, 6);
  if (!year || !Consume(text, pos, '-')) return std::nullopt;
  auto month = ReadDigits(text, pos, 1, 2);
  if (!month || !Consume(text, pos, '-')) return std::nullopt;
  auto day = ReadDigits(text, pos, 1, 2);
  if (!day) return std::nullopt;
  return DaysFromCivil(negative ? -*year : *year, static_cast<int>(*month), static_cast<int>(*day));
}

// Splits the shortest round-trip digits of a finite non-zero |value| and the decimal exponent
// of its first digit: 1234.5 -> ("12345", 3).
template <typename Float>
void ShortestDigits(Float value, std::string* digits, int* exponent) {
  char buffer[64];
  auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string_view text(buffer, result.ptr - buffer);  // "d.ddde+XX" or "de-XX"
  size_t e = text.find('e');
  digits->clear();
  for (char c : text.substr(0, e)) {
    if (IsDigit(c)) digits->push_back(c);
  }
  *exponent = static_cast<int>(std::strtol(std::string(text.substr(e + 1)).c_str(), nullptr, 10));
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
}

template <typename Float>
std::string JavaFloatingString(Float value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  std::string out = std::signbit(value) ? "-" : "";
  if (value == 0) return out + "0.0";
  std::string digits;
  int exponent = 0;
  ShortestDigits(std::fabs(value), &digits, &exponent);
  Float magnitude = std::fabs(value);
  if (magnitude >= static_cast<Float>(1e-3) && magnitude < static_cast<Float>(1e7)) {
    if (exponent >= 0) {
      size_t integer_digits = static_cast<size_t>(exponent) + 1;
      if (digits.size() <= integer_digits) {
        out += digits + std::string(integer_digits - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
      }
    } else {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
    return out;
  }
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0");
  out += "E" + std::to_string(exponent);
  return out;
}

}  // namespace

std::optional<int64_t> DaysFromCivil(int64_t year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return std::nullopt;
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int limit = kDaysInMonth[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day > limit) return std::nullopt;
  // Days from civil, counting years from March so that the leap day ends the year.
  int64_t y = year - (month <= 2 ? 1 : 0);
  int64_t era = FloorDiv(y, 400);
  int64_t year_of_era = y - era * 400;
  int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  int64_t z = days + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t day_of_era = z - era * 146097;
  int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t shifted_month = (5 * day_of_year + 2) / 153;
  *day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  *month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

std::optional<int64_t> ParseDate(std::string_view text) {
  size_t pos = 0;
  auto days = ParseDatePrefix(text, &pos);
  if (!days || pos != text.size()) return std::nullopt;
  return days;
}

std::string FormatDate(int64_t days) {
  int64_t year = 0;
  int month = 0;
  int day = 0;
  CivilFromDays(days, &year, &month, &day);
  std::string out;
  if (year < 0) {
    out += "-";
  } else if (year > 9999) {
    out += "+";
  }
  out += PadNumber(static_cast<uint64_t>(year < 0 ? -year : year), 4);
  out += "-" + PadNumber(static_cast<uint64_t>(month), 2);
  out += "-" + PadNumber(static_cast<uint64_t>(day), 2);
  return out;
}

std::optional<ParsedTimestamp> ParseTimestamp(std::string_view text) {
  size_t pos = 0;
  auto days = ParseDatePrefix(text, &pos);
  if (!days) return std::nullopt;
  ParsedTimestamp result;
  result.micros = *days * kMicrosPerDay;
  if (pos == text.size()) return result;
  if (text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
  ++pos;
  auto hour = ReadDigits(text, &pos, 1, 2);
  if (!hour || *hour > 23 || !Consume(text, &pos, ':')) return std::nullopt;
  auto minute = ReadDigits(text, &pos, 2, 2);
  if (!minute || *minute > 59) return std::nullopt;
  int64_t second = 0;
  int64_t fraction_micros = 0;
  if (Consume(text, &pos, ':')) {
    auto s = ReadDigits(text, &pos, 2, 2);
    if (!s || *s > 59) return std::nullopt;
    second = *s;
    if (Consume(text, &pos, '.')) {
      int count = 0;
      while (pos < text.size() && IsDigit(text[pos])) {
        if (count < 6) fraction_micros = fraction_micros * 10 + (text[pos] - '0');
        ++count;
        ++pos;
      }
      if (count == 0 || count > 9) return std::nullopt;
      for (int i = count; i < 6; ++i) fraction_micros *= 10;
    }
  }
  result.micros += ((*hour * 60 + *minute) * 60 + second) * kMicrosPerSecond + fraction_micros;
  if (pos == text.size()) return result;
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    result.has_zone = true;
    return result;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  int sign = text[pos] == '-' ? -1 : 1;
  ++pos;
  auto offset_hours = ReadDigits(text, &pos, 2, 2);
  if (!offset_hours || *offset_hours > 18) return std::nullopt;
  int64_t offset_seconds = *offset_hours * 3600;
  bool colon = Consume(text, &pos, ':');
  if (pos < text.size()) {
    auto offset_minutes = ReadDigits(text, &pos, 2, 2);
    if (!offset_minutes || *offset_minutes > 59) return std::nullopt;
    offset_seconds += *offset_minutes * 60;
    if (colon && Consume(text, &pos, ':')) {
      auto offset_secs = ReadDigits(text, &pos, 2, 2);
      if (!offset_secs || *offset_secs > 59) return std::nullopt;
      offset_seconds += *offset_secs;
    }
  } else if (colon) {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  result.micros -= sign * offset_seconds * kMicrosPerSecond;
  result.has_zone = true;
  return result;
}

std::string FormatTimestamp(int64_t micros, char separator, FractionStyle style,
                            std::string_view suffix) {
  int64_t days = FloorDiv(micros, kMicrosPerDay);
  int64_t time_of_day = micros - days * kMicrosPerDay;
  int64_t seconds = time_of_day / kMicrosPerSecond;
  int64_t fraction = time_of_day % kMicrosPerSecond;
  std::string out = FormatDate(days);
  out.push_back(separator);
  out += PadNumber(static_cast<uint64_t>(seconds / 3600), 2) + ":" +
         PadNumber(static_cast<uint64_t>(seconds / 60 % 60), 2) + ":" +
         PadNumber(static_cast<uint64_t>(seconds % 60), 2);
  switch (style) {
    case FractionStyle::kMicros:
      out += "." + PadNumber(static_cast<uint64_t>(fraction), 6);
      break;
    case FractionStyle::kMillis:
      out += "." + PadNumber(static_cast<uint64_t>(fraction / 1000), 3);
      break;
    case FractionStyle::kTrimmed:
      if (fraction != 0) {
        std::string digits = PadNumber(static_cast<uint64_t>(fraction), 6);
        while (digits.back() == '0') digits.pop_back();
        out += "." + digits;
      }
      break;
  }
  out += suffix;
  return out;
}

std::string JavaDoubleString(double value) { return JavaFloatingString(value); }
std::string JavaFloatString(float value) { return JavaFloatingString(value); }

std::optional<double> ParseDouble(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body.front() == '+' || body.front() == '-')) {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(body, "nan")) return std::nan("");
  if (EqualsIgnoreCase(body, "infinity") || EqualsIgnoreCase(body, "inf")) {
    return negative ? -HUGE_VAL : HUGE_VAL;
  }
  if (body.empty() || !(IsDigit(body.front()) || body.front() == '.')) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (end != body.data() + body.size()) return std::nullopt;
  // Out-of-range text saturates like Java's parser instead of failing.
  if (error == std::errc::result_out_of_range) {
    value = std::strtod(std::string(body).c_str(), nullptr);
  } else if (error != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

std::optional<DecimalText> ParseDecimal(std::string_view text) {
  DecimalText result;
  size_t pos = 0;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    result.negative = text[pos] == '-';
    ++pos;
  }
  std::string digits;
  int fraction_digits = 0;
  bool any_digit = false;
  while (pos < text.size() && IsDigit(text[pos])) {
    digits.push_back(text[pos++]);
    any_digit = true;
  }
  if (Consume(text, &pos, '.')) {
    while (pos < text.size() && IsDigit(text[pos])) {
      digits.push_back(text[pos++]);
      ++fraction_digits;
      any_digit = true;
    }
  }
  if (!any_digit) return std::nullopt;
  int64_t exponent = 0;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    bool exponent_negative = false;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      exponent_negative = text[pos] == '-';
      ++pos;
    }
    auto value = ReadDigits(text, &pos, 1, 4);
    if (!value) return std::nullopt;
    exponent = exponent_negative ? -*value : *value;
  }
  if (pos != text.size()) return std::nullopt;
  size_t first_nonzero = digits.find_first_not_of('0');
  result.unscaled = first_nonzero == std::string::npos ? "0" : digits.substr(first_nonzero);
  result.scale = static_cast<int>(fraction_digits - exponent);
  if (result.unscaled == "0") result.negative = false;
  return result;
}

std::optional<std::string> DecimalToPlain(const DecimalText& decimal, int precision, int scale) {
  std::string unscaled = decimal.unscaled;
  if (decimal.scale < scale) {
    if (unscaled != "0") unscaled.append(static_cast<size_t>(scale - decimal.scale), '0');
  } else if (decimal.scale > scale) {
    size_t drop = static_cast<size_t>(decimal.scale - scale);
    if (unscaled == "0") {
      // Zero at any scale stays zero.
    } else if (drop >= unscaled.size() ||
               unscaled.find_first_not_of('0', unscaled.size() - drop) != std::string::npos) {
      return std::nullopt;  // non-zero digits beyond the scale
    } else {
      unscaled.resize(unscaled.size() - drop);
    }
  }
  if (unscaled == "0") unscaled = std::string(static_cast<size_t>(scale) + 1, '0');
  if (unscaled.size() < static_cast<size_t>(scale) + 1) {
    unscaled.insert(0, static_cast<size_t>(scale) + 1 - unscaled.size(), '0');
  }
  size_t integer_digits = unscaled.size() - static_cast<size_t>(scale);
  std::string integer_part = unscaled.substr(0, integer_digits);
  size_t first_nonzero = integer_part.find_first_not_of('0');
  size_t significant_integer_digits =
      first_nonzero == std::string::npos ? 0 : integer_part.size() - first_nonzero;
  if (significant_integer_digits > static_cast<size_t>(precision - scale)) return std::nullopt;
  integer_part = first_nonzero == std::string::npos ? "0" : integer_part.substr(first_nonzero);
  std::string out = decimal.negative ? "-" : "";
  out += integer_part;
  if (scale > 0) out += "." + unscaled.substr(integer_digits);
  return out;
}

std::string JavaBigDecimalString(const DecimalText& decimal) {
  const std::string& coefficient = decimal.unscaled;
  std::string out = decimal.negative ? "-" : "";
  int64_t length = static_cast<int64_t>(coefficient.size());
  int64_t adjusted = -static_cast<int64_t>(decimal.scale) + (length - 1);
  if (decimal.scale == 0) return out + coefficient;
  if (decimal.scale > 0 && adjusted >= -6) {
    if (length > decimal.scale) {
      size_t point = static_cast<size_t>(length - decimal.scale);
      return out + coefficient.substr(0, point) + "." + coefficient.substr(point);
    }
    return out + "0." + std::string(static_cast<size_t>(decimal.scale - length), '0') + coefficient;
  }
  out += coefficient.substr(0, 1);
  if (length > 1) out += "." + coefficient.substr(1);
  if (adjusted != 0) out += std::string("E") + (adjusted > 0 ? "+" : "") + std::to_string(adjusted);
  return out;
}

bool NextCodePoint(std::string_view text, size_t* pos, uint32_t* code_point) {
  if (*pos >= text.size()) return false;
  auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  uint8_t lead = byte(*pos);
  int length = 0;
  uint32_t value = 0;
  uint32_t min_value = 0;
  if (lead < 0x80) {
    *code_point = lead;
    ++*pos;
    return true;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
    min_value = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
    min_value = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
    min_value = 0x10000;
  } else {
    return false;
  }
  if (*pos + length > text.size()) return false;
  for (int i = 1; i < length; ++i) {
    uint8_t next = byte(*pos + i);
    if ((next & 0xC0) != 0x80) return false;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < min_value || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return false;
  }
  *code_point = value;
  *pos += length;
  return true;
}

bool IsValidUtf8(std::string_view text) {
  size_t pos = 0;
  uint32_t code_point = 0;
  while (pos < text.size()) {
    if (!NextCodePoint(text, &pos, &code_point)) return false;
  }
  return true;
}

void AppendUtf8(std::string* out, uint32_t code_point) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::optional<int64_t> ParseIntegerInRange(std::string_view text, int64_t min, int64_t max) {
  std::string_view digits = text;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
  if (digits.empty() || !IsDigit(digits.front())) return std::nullopt;
  auto value = ParseInt64(text);
  if (!value || *value < min || *value > max) return std::nullopt;
  return value;
}

}  // namespace sluice::delta::value_text
