// Spark 2's datetime parser, java.text.SimpleDateFormat (not lenient), as far as Spark 3
// needs it: when its own parser fails, Spark (spark.sql.legacy.timeParserPolicy EXCEPTION)
// asks whether the old parser reads the text, and fails the query if it does.
//
// SimpleDateFormat.parse(String) reads the pattern's fields in order, skipping spaces and
// tabs before each field, reading numbers with an optional minus sign and any number of
// digits (exactly the pattern's count when another field follows with no literal between),
// names case-insensitively, and literal characters exactly; text after the pattern is
// ignored. The non-lenient calendar then rejects any field out of its range and any date
// or time whose fields disagree (February 30, 13 AM with HH a, a wrong day name).
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "spark/datetime_pattern.h"

namespace sluice::spark {
namespace {

struct LegacyItem {
  bool field = false;
  char letter = 0;
  int count = 0;
  std::string literal;
};

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool MatchesIgnoreCase(std::string_view text, size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[pos + i]) != Lower(word[i])) return false;
  }
  return true;
}

// SimpleDateFormat's compiled pattern; nullopt for a pattern it rejects.
std::optional<std::vector<LegacyItem>> CompileLegacy(std::string_view pattern) {
  static constexpr std::string_view kLetters = "GyMdkHmsSEDFwWahKzZYuXL";
  std::vector<LegacyItem> items;
  auto literal = [&](char c) {
    if (items.empty() || items.back().field) items.emplace_back();
    items.back().literal += c;
  };
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal('\'');
        i += 2;
        continue;
      }
      size_t j = i + 1;
      for (; j < pattern.size(); ++j) {
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            literal('\'');
            ++j;
            continue;
          }
          break;
        }
        literal(pattern[j]);
      }
      if (j >= pattern.size()) return std::nullopt;  // unterminated quote
      i = j + 1;
      continue;
    }
    if (IsLetter(c)) {
      if (kLetters.find(c) == std::string_view::npos) return std::nullopt;
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      LegacyItem item;
      item.field = true;
      item.letter = c;
      item.count = static_cast<int>(j - i);
      items.push_back(item);
      i = j;
      continue;
    }
    literal(c);
    ++i;
  }
  return items;
}

// DecimalFormat's integer parse: an optional '-', then digits (up to `limit`, an end
// position). Returns false when there are no digits.
bool ParseInteger(std::string_view text, size_t* pos, size_t limit, int64_t* value) {
  size_t i = *pos;
  const size_t end = std::min(limit, text.size());
  bool negative = false;
  if (i < end && text[i] == '-') {
    negative = true;
    ++i;
  }
  const size_t digits_start = i;
  int64_t total = 0;
  while (i < end && IsDigit(text[i])) {
    if (total < 100000000000LL) total = total * 10 + (text[i] - '0');
    ++i;
  }
  if (i == digits_start) return false;
  *value = negative ? -total : total;
  *pos = i;
  return true;
}

// The longest of `words` at `pos`, case-insensitively; -1 when none.
int MatchWord(std::string_view text, size_t* pos, const std::vector<std::string>& words) {
  int best = -1;
  size_t best_length = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].size() > best_length && MatchesIgnoreCase(text, *pos, words[i])) {
      best = static_cast<int>(i);
      best_length = words[i].size();
    }
  }
  if (best >= 0) *pos += best_length;
  return best;
}

const std::vector<std::string>& MonthNames() {
  static const std::vector<std::string> names = {
      "January",   "February", "March",    "April",    "May", "June", "July", "August",
      "September", "October",  "November", "December", "Jan", "Feb",  "Mar",  "Apr",
      "May",       "Jun",      "Jul",      "Aug",      "Sep", "Oct",  "Nov",  "Dec"};
  return names;
}

// Sunday first, as java.util.Calendar numbers days.
const std::vector<std::string>& DayNames() {
  static const std::vector<std::string> names = {
      "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
      "Sun",    "Mon",    "Tue",     "Wed",       "Thu",      "Fri",    "Sat"};
  return names;
}

// "hh[:]mm" after a sign (subParseNumericZone); count 1 reads hours only.
bool ParseNumericZone(std::string_view text, size_t* pos, int count, bool colon) {
  size_t i = *pos;
  auto digit = [&](size_t k) { return k < text.size() && IsDigit(text[k]); };
  if (!digit(i)) return false;
  int hours = text[i++] - '0';
  if (digit(i)) {
    hours = hours * 10 + (text[i++] - '0');
  } else if (count > 0 || !colon) {
    return false;
  }
  if (hours > 23) return false;
  if (count != 1) {
    if (colon) {
      if (i >= text.size() || text[i] != ':') return false;
      ++i;
    }
    if (!digit(i) || !digit(i + 1)) return false;
    if ((text[i] - '0') * 10 + (text[i + 1] - '0') > 59) return false;
    i += 2;
  }
  *pos = i;
  return true;
}

// General time zones (z, Z): GMT[+-]h[h][:mm], RFC 822 [+-]hhmm, or a zone name.
bool ParseGeneralZone(std::string_view text, size_t* pos) {
  const char c = text[*pos];
  if (c == '+' || c == '-') {
    ++*pos;
    return ParseNumericZone(text, pos, 0, false);
  }
  if (MatchesIgnoreCase(text, *pos, "GMT")) {
    *pos += 3;
    if (*pos < text.size() && (text[*pos] == '+' || text[*pos] == '-')) {
      ++*pos;
      return ParseNumericZone(text, pos, 0, true);
    }
    return true;
  }
  static const std::vector<std::string> kNames = {
      "UTC", "PST",  "PDT", "MST", "MDT", "CST", "CDT", "EST",  "EDT",  "CET",  "CEST",
      "EET", "EEST", "JST", "KST", "IST", "BST", "HST", "AKST", "AKDT", "AEST", "AEDT"};
  return MatchWord(text, pos, kNames) >= 0;
}

struct LegacyFields {
  std::optional<int64_t> year, month, day, doy, hour_of_day, hour, ampm, minute, second, millis,
      day_of_week;
  bool two_digit_year = false;
};

bool ParseField(const LegacyItem& item, bool obey_count, std::string_view text, size_t* pos,
                LegacyFields& f) {
  const size_t start = *pos;
  while (*pos < text.size() && (text[*pos] == ' ' || text[*pos] == '\t')) ++*pos;
  if (*pos >= text.size()) return false;
  const size_t limit = obey_count ? start + item.count : text.size();
  if (obey_count && limit > text.size()) return false;
  int64_t value = 0;
  auto number = [&]() { return ParseInteger(text, pos, limit, &value); };
  switch (item.letter) {
    case 'G': {
      static const std::vector<std::string> kEras = {"BC", "AD"};
      return MatchWord(text, pos, kEras) >= 0;
    }
    case 'y': {
      const size_t actual = *pos;
      if (!number()) return false;
      f.year = value;
      f.two_digit_year = item.count <= 2 && *pos - actual == 2 && IsDigit(text[actual]) &&
                         IsDigit(text[actual + 1]);
      return true;
    }
    case 'M':
    case 'L':
      if (item.count <= 2) {
        if (!number()) return false;
        f.month = value;
        return true;
      } else {
        const int index = MatchWord(text, pos, MonthNames());
        if (index < 0) return false;
        f.month = index % 12 + 1;
        return true;
      }
    case 'E': {
      const int index = MatchWord(text, pos, DayNames());
      if (index < 0) return false;
      f.day_of_week = index % 7;
      return true;
    }
    case 'a': {
      static const std::vector<std::string> kAmPm = {"AM", "PM"};
      const int index = MatchWord(text, pos, kAmPm);
      if (index < 0) return false;
      f.ampm = index;
      return true;
    }
    case 'X': {
      if (text[*pos] == 'Z') {
        ++*pos;
        return true;
      }
      if (text[*pos] != '+' && text[*pos] != '-') return false;
      ++*pos;
      return ParseNumericZone(text, pos, item.count, item.count == 3);
    }
    case 'z':
    case 'Z':
      return ParseGeneralZone(text, pos);
    default:
      break;
  }
  if (!number()) return false;
  switch (item.letter) {
    case 'd':
      f.day = value;
      break;
    case 'D':
      f.doy = value;
      break;
    case 'H':
      f.hour_of_day = value;
      break;
    case 'k':
      if (value < 1 || value > 24) return false;
      f.hour_of_day = value == 24 ? 0 : value;
      break;
    case 'h':
      if (value < 1 || value > 12) return false;
      f.hour = value == 12 ? 0 : value;
      break;
    case 'K':
      f.hour = value;
      break;
    case 'm':
      f.minute = value;
      break;
    case 's':
      f.second = value;
      break;
    case 'S':
      f.millis = value;
      break;
    default:
      break;  // week and day-in-week numbers: not checked further
  }
  return true;
}

bool Within(const std::optional<int64_t>& value, int64_t low, int64_t high) {
  return !value || (*value >= low && *value <= high);
}

// The non-lenient GregorianCalendar's checks of the fields read.
bool Valid(LegacyFields f) {
  if (f.year && f.two_digit_year) {
    // Two-digit years fall in the 100 years starting 80 years ago.
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    const int64_t start = utc.tm_year + 1900 - 80;
    *f.year += start / 100 * 100 + (*f.year < start % 100 ? 100 : 0);
  }
  if (!Within(f.year, 1, 292278994) || !Within(f.month, 1, 12) || !Within(f.day, 1, 31) ||
      !Within(f.doy, 1, 366) || !Within(f.hour_of_day, 0, 23) || !Within(f.hour, 0, 11) ||
      !Within(f.minute, 0, 59) || !Within(f.second, 0, 59) || !Within(f.millis, 0, 999)) {
    return false;
  }
  const int64_t year = f.year.value_or(1970);
  const int month = static_cast<int>(f.month.value_or(1));
  const int day = static_cast<int>(f.day.value_or(1));
  if (day > DaysInMonth(year, month)) return false;
  int64_t days = DaysFromCivil(year, month, day);
  if (f.doy) {
    const int64_t from_doy = DaysFromCivil(year, 1, 1) + *f.doy - 1;
    if (*f.doy > (DaysInMonth(year, 2) == 29 ? 366 : 365)) return false;
    if ((f.month || f.day) && from_doy != days) return false;
    days = from_doy;
  }
  if (f.day_of_week && ((days % 7 + 7 + 4) % 7) != *f.day_of_week) return false;
  if (f.hour_of_day && f.ampm && (*f.hour_of_day >= 12 ? 1 : 0) != *f.ampm) return false;
  if (f.hour_of_day && f.hour && *f.hour_of_day % 12 != *f.hour) return false;
  return true;
}

}  // namespace

bool LegacyParserAccepts(std::string_view pattern, std::string_view text) {
  const auto items = CompileLegacy(pattern);
  if (!items) return false;
  LegacyFields fields;
  size_t pos = 0;
  for (size_t i = 0; i < items->size(); ++i) {
    const LegacyItem& item = (*items)[i];
    if (!item.field) {
      for (char c : item.literal) {
        if (pos >= text.size() || text[pos] != c) return false;
        ++pos;
      }
      continue;
    }
    const bool obey_count = i + 1 < items->size() && (*items)[i + 1].field;
    if (!ParseField(item, obey_count, text, &pos, fields)) return false;
  }
  return Valid(fields);
}

}  // namespace sluice::spark
