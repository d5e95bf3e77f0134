#include "spark/interval.h"

#include <cctype>
#include <cmath>
#include <vector>

#include "common/strings.h"

namespace sluice::spark {

Result<IntervalUnit> ParseIntervalUnit(std::string_view word) {
  std::string w = ToLower(word);
  if (w.size() > 1 && w.back() == 's') w.pop_back();
  if (w == "year") return IntervalUnit::kYear;
  if (w == "month") return IntervalUnit::kMonth;
  if (w == "week") return IntervalUnit::kWeek;
  if (w == "day") return IntervalUnit::kDay;
  if (w == "hour") return IntervalUnit::kHour;
  if (w == "minute") return IntervalUnit::kMinute;
  if (w == "second") return IntervalUnit::kSecond;
  if (w == "millisecond") return IntervalUnit::kMillisecond;
  if (w == "microsecond") return IntervalUnit::kMicrosecond;
  return InvalidArgument("'" + std::string(word) + "' is not an interval unit");
}

bool IsYearMonthUnit(IntervalUnit unit) {
  return unit == IntervalUnit::kYear || unit == IntervalUnit::kMonth;
}

IntervalField FieldOfUnit(IntervalUnit unit) {
  switch (unit) {
    case IntervalUnit::kYear:
      return IntervalField::kYear;
    case IntervalUnit::kMonth:
      return IntervalField::kMonth;
    case IntervalUnit::kWeek:
    case IntervalUnit::kDay:
      return IntervalField::kDay;
    case IntervalUnit::kHour:
      return IntervalField::kHour;
    case IntervalUnit::kMinute:
      return IntervalField::kMinute;
    default:
      return IntervalField::kSecond;
  }
}

namespace {

// A decimal number as an integer part and a fraction in microseconds-of-one (6 digits).
struct Decimal {
  bool negative = false;
  int64_t whole = 0;
  int64_t fraction_micros = 0;  // 0..999999 of one unit
  bool has_fraction = false;
};

Result<Decimal> ParseDecimal(std::string_view text) {
  std::string s = Trim(text);
  Decimal d;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.negative = s[i++] == '-';
  const size_t digits_start = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    if (d.whole > (INT64_MAX - 9) / 10) return InvalidArgument("interval value out of range");
    d.whole = d.whole * 10 + (s[i++] - '0');
  }
  if (i < s.size() && s[i] == '.') {
    d.has_fraction = true;
    ++i;
    int64_t scale = 100000;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      d.fraction_micros += (s[i++] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != s.size() || (i == digits_start && !d.has_fraction)) {
    return InvalidArgument("'" + std::string(text) + "' is not a number");
  }
  return d;
}

int64_t Signed(const Decimal& d, int64_t value) { return d.negative ? -value : value; }

}  // namespace

Result<IntervalValue> IntervalOfUnit(std::string_view value, IntervalUnit unit) {
  SLUICE_ASSIGN_OR_RETURN(Decimal d, ParseDecimal(value));
  IntervalValue out;
  auto micros_of = [&](int64_t unit_micros) {
    return Signed(d, d.whole * unit_micros + d.fraction_micros * unit_micros / kMicrosPerSecond);
  };
  if (d.has_fraction && unit != IntervalUnit::kSecond && unit != IntervalUnit::kMillisecond) {
    if (unit == IntervalUnit::kYear || unit == IntervalUnit::kMonth) {
      return InvalidArgument("a " + std::string(unit == IntervalUnit::kYear ? "year" : "month") +
                             " interval must be a whole number");
    }
  }
  switch (unit) {
    case IntervalUnit::kYear:
      out.months = Signed(d, d.whole * 12);
      break;
    case IntervalUnit::kMonth:
      out.months = Signed(d, d.whole);
      break;
    case IntervalUnit::kWeek:
      out.days = Signed(d, d.whole * 7);
      out.micros = Signed(d, d.fraction_micros * 7 * kMicrosPerDay / kMicrosPerSecond);
      break;
    case IntervalUnit::kDay:
      out.days = Signed(d, d.whole);
      out.micros = Signed(d, d.fraction_micros * kMicrosPerDay / kMicrosPerSecond);
      break;
    case IntervalUnit::kHour:
      out.micros = micros_of(kMicrosPerHour);
      break;
    case IntervalUnit::kMinute:
      out.micros = micros_of(kMicrosPerMinute);
      break;
    case IntervalUnit::kSecond:
      out.micros = micros_of(kMicrosPerSecond);
      break;
    case IntervalUnit::kMillisecond:
      out.micros = micros_of(1000);
      break;
    case IntervalUnit::kMicrosecond:
      out.micros = Signed(d, d.whole);
      break;
  }
  return out;
}

Result<IntervalValue> ParseIntervalString(std::string_view text) {
  std::vector<std::string> words;
  for (const std::string& word : Split(Trim(text), ' ')) {
    if (!word.empty()) words.push_back(word);
  }
  size_t i = 0;
  if (i < words.size() && EqualsIgnoreCase(words[i], "interval")) ++i;
  if (i >= words.size()) {
    return InvalidArgument("'" + std::string(text) + "' is not an interval");
  }
  IntervalValue total;
  while (i < words.size()) {
    std::string number = words[i++];
    std::string unit_word;
    // "1day" is allowed: the unit may follow the number directly.
    size_t split = 0;
    while (split < number.size() &&
           (std::isdigit(static_cast<unsigned char>(number[split])) || number[split] == '.' ||
            number[split] == '-' || number[split] == '+')) {
      ++split;
    }
    if (split < number.size()) {
      unit_word = number.substr(split);
      number = number.substr(0, split);
    } else {
      if (i >= words.size()) {
        return InvalidArgument("'" + std::string(text) + "' is not an interval: a unit is missing");
      }
      unit_word = words[i++];
    }
    auto unit = ParseIntervalUnit(unit_word);
    if (!unit.ok()) return InvalidArgument("'" + std::string(text) + "' is not an interval");
    auto part = IntervalOfUnit(number, *unit);
    if (!part.ok()) return InvalidArgument("'" + std::string(text) + "' is not an interval");
    total += *part;
  }
  return total;
}

Result<IntervalValue> ParseIntervalFields(std::string_view text, IntervalField start,
                                          IntervalField end) {
  std::string s = Trim(text);
  auto bad = [&]() {
    return InvalidArgument("'" + std::string(text) + "' does not match the interval fields");
  };
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s = s.substr(1);
  }
  auto sign = [&](IntervalValue v) {
    if (negative) {
      v.months = -v.months;
      v.days = -v.days;
      v.micros = -v.micros;
    }
    return v;
  };
  IntervalValue out;
  if (start == IntervalField::kYear || start == IntervalField::kMonth) {
    if (start == end) {
      auto d = ParseInt64(s);
      if (!d) return bad();
      out.months = start == IntervalField::kYear ? *d * 12 : *d;
      return sign(out);
    }
    const size_t dash = s.find('-');
    if (dash == std::string::npos) return bad();
    auto years = ParseInt64(s.substr(0, dash));
    auto months = ParseInt64(s.substr(dash + 1));
    if (!years || !months || *months > 11 || *months < 0) return bad();
    out.months = *years * 12 + *months;
    return sign(out);
  }
  // Day-time: split "d h:m:s.f" into its fields from `start` to `end`.
  std::vector<std::string> parts;
  std::string current;
  for (char c : s) {
    if (c == ' ' || c == ':') {
      parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(current);
  const int first = static_cast<int>(start), last = static_cast<int>(end);
  if (static_cast<int>(parts.size()) != last - first + 1) return bad();
  int64_t micros = 0;
  for (int field = first; field <= last; ++field) {
    const std::string& part = parts[field - first];
    if (field == static_cast<int>(IntervalField::kSecond)) {
      auto d = ParseDecimal(part);
      if (!d.ok() || d->negative) return bad();
      micros += d->whole * kMicrosPerSecond + d->fraction_micros;
      continue;
    }
    auto v = ParseInt64(part);
    if (!v || *v < 0) return bad();
    if (field != first) {
      const int64_t limit = field == static_cast<int>(IntervalField::kHour) ? 23 : 59;
      if (*v > limit) return bad();
    }
    switch (static_cast<IntervalField>(field)) {
      case IntervalField::kDay:
        out.days = *v;
        break;
      case IntervalField::kHour:
        micros += *v * kMicrosPerHour;
        break;
      case IntervalField::kMinute:
        micros += *v * kMicrosPerMinute;
        break;
      default:
        break;
    }
  }
  out.micros = micros;
  return sign(out);
}

}  // namespace sluice::spark
