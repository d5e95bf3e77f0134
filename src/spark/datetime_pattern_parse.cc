// Parsing with Spark's datetime patterns (java.time's DateTimeFormatter in strict mode, as
// Spark builds it for parsing), then java.time's STRICT resolution and Spark's defaults.
#include <algorithm>
#include <array>
#include <optional>

#include "spark/datetime_pattern.h"
#include "spark/datetime_pattern_internal.h"

namespace sluice::spark {

using datetime_internal::EqualsIgnoreCaseAt;
using datetime_internal::IsDigit;
using datetime_internal::kMonths;
using datetime_internal::kMonthsShort;
using datetime_internal::OffsetColon;
using datetime_internal::OffsetStyle;
using Item = DatetimePattern::Item;
using Sign = Item::Sign;

namespace {

// Fields read so far, by the letter of their ChronoField (M for month, o for the offset).
class Fields {
 public:
  // java.time's setParsedField: a second, different value of a field is a conflict.
  bool Set(char field, int64_t value) {
    const auto i = static_cast<unsigned char>(field) & 127;
    if (set_[i]) return values_[i] == value;
    set_[i] = true;
    values_[i] = value;
    return true;
  }
  std::optional<int64_t> Get(char field) const {
    const auto i = static_cast<unsigned char>(field) & 127;
    if (!set_[i]) return std::nullopt;
    return values_[i];
  }

 private:
  std::array<int64_t, 128> values_{};
  std::array<bool, 128> set_{};
};

char FieldOf(char letter) { return letter == 'L' ? 'M' : letter; }

// NumberPrinterParser.parse in strict mode; returns the position after, or -1.
int64_t ParseNumber(const Item& item, std::string_view text, size_t position, Fields& fields) {
  const size_t length = text.size();
  if (position >= length) return -1;
  bool negative = false, positive = false;
  if (text[position] == '+' || text[position] == '-') {
    const bool plus = text[position] == '+';
    bool allowed = false;
    switch (item.sign) {
      case Sign::kNormal:
        allowed = !plus;
        break;
      case Sign::kExceedsPad:
        allowed = true;
        break;
      case Sign::kNotNegative:
        allowed = false;
        break;
    }
    if (!allowed) return -1;
    (plus ? positive : negative) = true;
    ++position;
  }
  const int eff_min = item.min_width;
  int eff_max = item.max_width + std::max(item.subsequent_width, 0);
  const size_t min_end = position + eff_min;
  if (min_end > length) return -1;
  int64_t total = 0;
  size_t pos = position;
  bool big = false;
  for (int pass = 0; pass < 2; ++pass) {
    const size_t max_end = std::min(pos + eff_max, length);
    while (pos < max_end) {
      const char ch = text[pos++];
      if (!IsDigit(ch)) {
        --pos;
        if (pos < min_end) return -1;
        break;
      }
      if (pos - position > 18) {
        big = true;
      } else {
        total = total * 10 + (ch - '0');
      }
    }
    if (item.subsequent_width > 0 && pass == 0) {
      const int parse_len = static_cast<int>(pos - position);
      eff_max = std::max(eff_min, parse_len - item.subsequent_width);
      pos = position;
      total = 0;
      big = false;
    } else {
      break;
    }
  }
  if (big) return -1;  // beyond every field's range
  if (negative) {
    if (total == 0) return -1;  // minus zero is not allowed
    total = -total;
  } else if (item.sign == Sign::kExceedsPad) {
    const size_t parse_len = pos - position;
    if (positive ? parse_len <= static_cast<size_t>(item.min_width)
                 : parse_len > static_cast<size_t>(item.min_width)) {
      return -1;
    }
  }
  if (item.reduced && pos - position == 2 && total >= 0) total += 2000;
  if (!fields.Set(FieldOf(item.letter), total)) return -1;
  return static_cast<int64_t>(pos);
}

// Case-insensitive text: the first (longest-first) of `words` at `position`.
int64_t ParseText(std::string_view text, size_t position, const char* const* words, int count,
                  int* index) {
  int best = -1;
  size_t best_length = 0;
  for (int i = 0; i < count; ++i) {
    const size_t n = std::char_traits<char>::length(words[i]);
    if (n > best_length && EqualsIgnoreCaseAt(text, position, words[i])) {
      best = i;
      best_length = n;
    }
  }
  if (best < 0) return -1;
  *index = best;
  return static_cast<int64_t>(position + best_length);
}

// Two digits (0-59) at array[0], after a colon when `colon` (OffsetIdPrinterParser).
bool OffsetDigits(std::string_view text, bool colon, int index, int* array) {
  int pos = array[0];
  if (pos < 0) return true;
  if (colon && index != 1) {
    if (pos + 1 > static_cast<int>(text.size()) || text[pos] != ':') return false;
    ++pos;
  }
  if (pos + 2 > static_cast<int>(text.size())) return false;
  const char a = text[pos], b = text[pos + 1];
  if (!IsDigit(a) || !IsDigit(b)) return false;
  const int value = (a - '0') * 10 + (b - '0');
  if (value > 59) return false;
  array[index] = value;
  array[0] = pos + 2;
  return true;
}

int64_t ParseOffset(const Item& item, std::string_view text, size_t position, Fields& fields) {
  int type = 0;
  std::string no_offset;
  OffsetStyle(item.letter, item.count, &type, &no_offset);
  if (position >= text.size()) return -1;
  if (EqualsIgnoreCaseAt(text, position, no_offset)) {
    return fields.Set('o', 0) ? static_cast<int64_t>(position + no_offset.size()) : -1;
  }
  const char sign = text[position];
  if (sign != '+' && sign != '-') return -1;
  const bool colon = OffsetColon(type);
  int array[4] = {static_cast<int>(position) + 1, 0, 0, 0};
  auto required = [&](int index) {
    if (!OffsetDigits(text, colon, index, array)) array[0] = ~array[0];
  };
  auto optional = [&](int index) { OffsetDigits(text, colon, index, array); };
  required(1);
  if (type == 1 || type == 2) optional(2);
  if (type >= 3) required(2);
  if (type == 5 || type == 6) optional(3);
  if (type == 7 || type == 8) required(3);
  if (array[0] <= 0) return -1;
  if (array[1] > 23) return -1;
  const int64_t seconds = (sign == '-' ? -1 : 1) * (array[1] * 3600LL + array[2] * 60LL + array[3]);
  return fields.Set('o', seconds) ? array[0] : -1;
}

int Digit(std::string_view text, size_t pos) {
  return pos < text.size() && IsDigit(text[pos]) ? text[pos] - '0' : -1;
}

// LocalizedOffsetIdPrinterParser: GMT, GMT+8, GMT+08:00.
int64_t ParseLocalizedOffset(bool full, std::string_view text, size_t position, Fields& fields) {
  if (!EqualsIgnoreCaseAt(text, position, "GMT")) return -1;
  size_t pos = position + 3;
  const size_t end = text.size();
  int negative = 0;
  if (pos < end && text[pos] == '+') negative = 1;
  if (pos < end && text[pos] == '-') negative = -1;
  if (negative == 0) return fields.Set('o', 0) ? static_cast<int64_t>(pos) : -1;
  ++pos;
  int h = 0, m = 0, s = 0;
  if (full) {
    const int h1 = Digit(text, pos), h2 = Digit(text, pos + 1);
    if (h1 < 0 || h2 < 0 || pos + 2 >= end || text[pos + 2] != ':') return -1;
    const int m1 = Digit(text, pos + 3), m2 = Digit(text, pos + 4);
    if (m1 < 0 || m2 < 0) return -1;
    h = h1 * 10 + h2;
    m = m1 * 10 + m2;
    pos += 5;
    if (pos + 2 < end && text[pos] == ':' && Digit(text, pos + 1) >= 0 &&
        Digit(text, pos + 2) >= 0) {
      s = Digit(text, pos + 1) * 10 + Digit(text, pos + 2);
      pos += 3;
    }
  } else {
    h = Digit(text, pos++);
    if (h < 0) return -1;
    if (pos < end) {
      if (Digit(text, pos) >= 0) h = h * 10 + Digit(text, pos++);
      if (pos + 2 < end && text[pos] == ':' && Digit(text, pos + 1) >= 0 &&
          Digit(text, pos + 2) >= 0) {
        m = Digit(text, pos + 1) * 10 + Digit(text, pos + 2);
        pos += 3;
        if (pos + 2 < end && text[pos] == ':' && Digit(text, pos + 1) >= 0 &&
            Digit(text, pos + 2) >= 0) {
          s = Digit(text, pos + 1) * 10 + Digit(text, pos + 2);
          pos += 3;
        }
      }
    }
  }
  const int64_t seconds = negative * (h * 3600LL + m * 60LL + s);
  return fields.Set('o', seconds) ? static_cast<int64_t>(pos) : -1;
}

// FractionPrinterParser with widths 1..count, as Spark builds it for parsing.
int64_t ParseFraction(const Item& item, std::string_view text, size_t position, Fields& fields) {
  if (position >= text.size()) return -1;
  size_t pos = position;
  int64_t total = 0;
  const size_t max_end = std::min(position + item.count, text.size());
  while (pos < max_end && IsDigit(text[pos])) total = total * 10 + (text[pos++] - '0');
  for (size_t k = pos - position; k < 9; ++k) total *= 10;
  return fields.Set('S', total) ? static_cast<int64_t>(pos) : -1;
}

size_t MatchingEnd(const std::vector<Item>& items, size_t start) {
  int depth = 0;
  for (size_t i = start; i < items.size(); ++i) {
    if (items[i].kind == Item::Kind::kOptionalStart) ++depth;
    if (items[i].kind == Item::Kind::kOptionalEnd && --depth == 0) return i;
  }
  return items.size();
}

int64_t ParseItems(const std::vector<Item>& items, size_t begin, size_t end, std::string_view text,
                   size_t position, Fields& fields) {
  for (size_t i = begin; i < end; ++i) {
    const Item& item = items[i];
    int64_t next = -1;
    switch (item.kind) {
      case Item::Kind::kLiteral:
        next = EqualsIgnoreCaseAt(text, position, item.literal)
                   ? static_cast<int64_t>(position + item.literal.size())
                   : -1;
        break;
      case Item::Kind::kOptionalStart: {
        const size_t close = MatchingEnd(items, i);
        Fields saved = fields;
        const int64_t after = ParseItems(items, i + 1, close, text, position, fields);
        if (after < 0) {
          fields = saved;
          next = static_cast<int64_t>(position);
        } else {
          next = after;
        }
        i = close;
        break;
      }
      case Item::Kind::kOptionalEnd:
        next = static_cast<int64_t>(position);
        break;
      case Item::Kind::kField: {
        if (item.numeric) {
          next = ParseNumber(item, text, position, fields);
          break;
        }
        int index = 0;
        switch (item.letter) {
          case 'M':
          case 'L':
            next = ParseText(text, position, item.count == 3 ? kMonthsShort : kMonths, 12, &index);
            if (next >= 0 && !fields.Set('M', index + 1)) next = -1;
            break;
          case 'a': {
            const char* const kAmPm[] = {"AM", "PM"};
            next = ParseText(text, position, kAmPm, 2, &index);
            if (next >= 0 && !fields.Set('a', index)) next = -1;
            break;
          }
          case 'S':
            next = ParseFraction(item, text, position, fields);
            break;
          case 'O':
            next = ParseLocalizedOffset(item.count == 4, text, position, fields);
            break;
          case 'Z':
            next = item.count == 4 ? ParseLocalizedOffset(true, text, position, fields)
                                   : ParseOffset(item, text, position, fields);
            break;
          case 'X':
          case 'x':
            next = ParseOffset(item, text, position, fields);
            break;
          default:
            next = -1;
        }
        break;
      }
    }
    if (next < 0) return -1;
    position = static_cast<size_t>(next);
  }
  return static_cast<int64_t>(position);
}

bool InRange(std::optional<int64_t> value, int64_t low, int64_t high) {
  return !value || (*value >= low && *value <= high);
}

// java.time's STRICT resolution, then Spark's defaults for missing fields (year 1970,
// January, day 1, midnight; an hour of AM/PM alone is AM; PM alone is noon).
std::optional<ParsedDatetime> Resolve(const Fields& f) {
  const auto year = f.Get('u'), month = f.Get('M'), day = f.Get('d'), doy = f.Get('D');
  const auto hod = f.Get('H'), clock_hod = f.Get('k'), hoa = f.Get('K'), clock_hoa = f.Get('h');
  const auto ampm = f.Get('a'), minute = f.Get('m'), second = f.Get('s');
  if (!InRange(year, -999999999, 999999999) || !InRange(month, 1, 12) || !InRange(day, 1, 31) ||
      !InRange(doy, 1, 366) || !InRange(hod, 0, 23) || !InRange(clock_hod, 1, 24) ||
      !InRange(hoa, 0, 11) || !InRange(clock_hoa, 1, 12) || !InRange(minute, 0, 59) ||
      !InRange(second, 0, 59)) {
    return std::nullopt;
  }
  ParsedDatetime out;
  LocalDateTime& t = out.local;
  t.year = year.value_or(1970);
  if (doy) {
    const int64_t length = DaysInMonth(t.year, 2) == 29 ? 366 : 365;
    if (*doy > length) return std::nullopt;
    CivilFromDays(DaysFromCivil(t.year, 1, 1) + *doy - 1, &t.year, &t.month, &t.day);
    if ((month && *month != t.month) || (day && *day != t.day)) return std::nullopt;
  } else {
    t.month = static_cast<int>(month.value_or(1));
    t.day = static_cast<int>(day.value_or(1));
    if (t.day > DaysInMonth(t.year, t.month)) return std::nullopt;
  }
  // Hours: k and h become H and K; K with AM/PM becomes H; each derived value must agree
  // with one read directly.
  std::optional<int64_t> hour = hod;
  auto merge = [&](std::optional<int64_t>& into, int64_t value) {
    if (into && *into != value) return false;
    into = value;
    return true;
  };
  if (clock_hod && !merge(hour, *clock_hod == 24 ? 0 : *clock_hod)) return std::nullopt;
  std::optional<int64_t> hour_of_ampm = hoa;
  if (clock_hoa && !merge(hour_of_ampm, *clock_hoa == 12 ? 0 : *clock_hoa)) return std::nullopt;
  if (ampm && hour_of_ampm && !merge(hour, *ampm * 12 + *hour_of_ampm)) return std::nullopt;
  if (hour && ampm && *hour / 12 != *ampm) return std::nullopt;
  if (hour && hour_of_ampm && *hour % 12 != *hour_of_ampm) return std::nullopt;
  t.hour = static_cast<int>(hour ? *hour : hour_of_ampm ? *hour_of_ampm : (ampm == 1 ? 12 : 0));
  t.minute = static_cast<int>(minute.value_or(0));
  t.second = static_cast<int>(second.value_or(0));
  t.nanos = f.Get('S').value_or(0);
  if (auto offset = f.Get('o')) out.offset_seconds = static_cast<int>(*offset);
  return out;
}

}  // namespace

std::optional<ParsedDatetime> DatetimePattern::Parse(std::string_view text) const {
  Fields fields;
  const int64_t end = ParseItems(items_, 0, items_.size(), text, 0, fields);
  if (end < 0 || static_cast<size_t>(end) != text.size()) return std::nullopt;
  return Resolve(fields);
}

}  // namespace sluice::spark
