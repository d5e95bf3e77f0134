#include "spark/datetime_pattern.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "spark/datetime_pattern_internal.h"

namespace sluice::spark {

namespace datetime_internal {

const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};
const char* const kMonthsShort[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsIgnoreCaseAt(std::string_view text, size_t pos, std::string_view word) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  if (pos + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (lower(text[pos + i]) != lower(word[i])) return false;
  }
  return true;
}

void OffsetStyle(char letter, int count, int* type, std::string* no_offset) {
  if (letter == 'Z') {
    *type = count == 5 ? 6 : 3;
    *no_offset = count == 5 ? "Z" : "+0000";
    return;
  }
  *type = count == 1 ? 1 : count + 1;
  if (letter == 'X') {
    *no_offset = "Z";
  } else {
    *no_offset = count == 1 ? "+00" : (count % 2 == 0 ? "+0000" : "+00:00");
  }
}

bool OffsetColon(int type) { return type == 2 || type == 4 || type == 6 || type == 8; }

}  // namespace datetime_internal

namespace {

using datetime_internal::EqualsIgnoreCaseAt;
using datetime_internal::IsDigit;
using datetime_internal::kMonths;
using datetime_internal::kMonthsShort;
using datetime_internal::OffsetColon;
using datetime_internal::OffsetStyle;

using Item = DatetimePattern::Item;
using Sign = Item::Sign;

constexpr int64_t kNanosPerMicro = 1000;
constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

// ISO order: Monday first.
const char* const kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                             "Friday", "Saturday", "Sunday"};
const char* const kDaysShort[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char* const kQuarters[] = {"1st quarter", "2nd quarter", "3rd quarter", "4th quarter"};

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string Pad(int64_t value, int width) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  if (static_cast<int>(digits.size()) < width) out += std::string(width - digits.size(), '0');
  return out + digits;
}

std::string Letter(char c) { return std::string(1, c); }

// Spark's checks (DateTimeFormatterHelper.convertIncompatiblePattern) on the unquoted parts.
Status SparkPatternChecks(std::string_view pattern, PatternUse use) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : pattern) {
    if (c == '\'') {
      quoted = !quoted;
      if (!quoted) parts.emplace_back();
      continue;
    }
    if (!quoted) parts.back() += c;
  }
  for (const std::string& part : parts) {
    for (char c : part) {
      if (std::string_view("YWwuec").find(c) != std::string_view::npos) {
        return InvalidArgument(
            "All week-based patterns are unsupported since Spark 3.0, detected: ", Letter(c),
            ", Please use the SQL function EXTRACT instead");
      }
    }
    for (char c : part) {
      if (std::string_view("ABnNp").find(c) != std::string_view::npos ||
          (use == PatternUse::kParse &&
           std::string_view("EFqQ").find(c) != std::string_view::npos)) {
        return InvalidArgument("Illegal pattern character: ", Letter(c));
      }
    }
    for (const char* style : {"GGGGG", "MMMMM", "LLLLL", "EEEEE", "QQQQQ", "qqqqq", "yyyyyyy"}) {
      if (part.find(style) != std::string::npos) {
        return InvalidArgument("Too many pattern letters: ", Letter(style[0]));
      }
    }
  }
  return Status::OK();
}

bool HasEra(std::string_view pattern) {
  bool quoted = false;
  for (char c : pattern) {
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == 'G') return true;
  }
  return false;
}

Item Numeric(char letter, int count, int min, int max, Sign sign) {
  Item item;
  item.kind = Item::Kind::kField;
  item.letter = letter;
  item.count = count;
  item.numeric = true;
  item.min_width = min;
  item.max_width = max;
  item.sign = sign;
  return item;
}

Item Field(char letter, int count) {
  Item item;
  item.kind = Item::Kind::kField;
  item.letter = letter;
  item.count = count;
  return item;
}

// The item of `count` letters `c` (java.time's DateTimeFormatterBuilder.parseField), or
// Spark's / java.time's error.
Result<Item> MakeField(char c, int count, PatternUse use) {
  auto too_many = [&]() { return InvalidArgument("Too many pattern letters: ", Letter(c)); };
  auto not_supported = [&](std::string_view why) {
    return NotSupported("datetime pattern letter '", Letter(c), "' is not supported", why);
  };
  const bool parsing = use == PatternUse::kParse;
  switch (c) {
    case 'G':
      if (parsing) return not_supported(" for parsing (eras)");
      return Field(c, count);
    case 'y':
    case 'u':
      if (c == 'y' && parsing) return not_supported(" for parsing together with an era (G)");
      if (count == 2) {
        Item item = Numeric(c, count, 2, 2, Sign::kNotNegative);
        item.reduced = true;
        return item;
      }
      return Numeric(c, count, count, 19, count < 4 ? Sign::kNormal : Sign::kExceedsPad);
    case 'M':
    case 'L':
      if (count == 1) return Numeric(c, count, 1, 19, Sign::kNormal);
      if (count == 2) return Numeric(c, count, 2, 2, Sign::kNotNegative);
      return Field(c, count);
    case 'd':
    case 'H':
    case 'h':
    case 'k':
    case 'K':
    case 'm':
    case 's':
      if (count == 1) return Numeric(c, count, 1, 19, Sign::kNormal);
      if (count == 2) return Numeric(c, count, 2, 2, Sign::kNotNegative);
      return too_many();
    case 'D':
      if (count == 1) return Numeric(c, count, 1, 19, Sign::kNormal);
      if (count == 2) return Numeric(c, count, 2, 3, Sign::kNotNegative);
      if (count == 3) return Numeric(c, count, 3, 3, Sign::kNotNegative);
      return too_many();
    case 'Q':
    case 'q':
    case 'E':
      return Field(c, count);
    case 'a':
      if (count != 1) return too_many();
      return Field(c, count);
    case 'S':
      if (count > 9) return too_many();
      return Field(c, count);
    case 'V':
      if (count != 2) return InvalidArgument("Pattern letter count must be 2: V");
      if (parsing) return not_supported(" for parsing (zone ids)");
      return Field(c, count);
    case 'z':
      if (count > 4) return too_many();
      if (parsing) return not_supported(" for parsing (zone names)");
      if (count == 4)
        return not_supported(" as zzzz (full zone names differ between Java versions)");
      return Field(c, count);
    case 'O':
      if (count != 1 && count != 4)
        return InvalidArgument("Pattern letter count must be 1 or 4: O");
      return Field(c, count);
    case 'X':
    case 'x':
    case 'Z':
      if (count > 5) return too_many();
      return Field(c, count);
    case 'F':
      return not_supported(" (its meaning differs between Java versions)");
    case 'v':
    case 'g':
    case 'B':
      return not_supported("");
    default:
      break;
  }
  return InvalidArgument("Unknown pattern letter: ", Letter(c));
}

// java.time's adjacent value parsing: a fixed-width number right after another number
// reserves its width from the first one.
void AppendValue(std::vector<Item>& items, Item item, int* active) {
  if (*active >= 0) {
    Item& base = items[*active];
    if (item.min_width == item.max_width && item.sign == Sign::kNotNegative) {
      base.subsequent_width += item.max_width;
      item.subsequent_width = -1;
      items.push_back(std::move(item));
      return;
    }
    base.subsequent_width = -1;
  }
  items.push_back(std::move(item));
  *active = static_cast<int>(items.size()) - 1;
}

// ---- Zones -------------------------------------------------------------------------------

struct ZoneNames {
  const char* ids;  // '|'-separated zone ids
  int standard_offset;
  const char* standard;
  const char* daylight;
};

// Java's short zone names (Locale.US) of common zones.
const ZoneNames kZoneNames[] = {
    {"UTC|Etc/UTC|Etc/UCT|UCT|Universal|Zulu|Etc/Universal|Etc/Zulu", 0, "UTC", "UTC"},
    {"GMT|Etc/GMT|Etc/GMT0|GMT0|Greenwich|Etc/Greenwich", 0, "GMT", "GMT"},
    {"America/Los_Angeles|US/Pacific|PST", -8 * 3600, "PST", "PDT"},
    {"America/Denver|US/Mountain", -7 * 3600, "MST", "MDT"},
    {"America/Phoenix|US/Arizona", -7 * 3600, "MST", "MST"},
    {"America/Chicago|US/Central|CST", -6 * 3600, "CST", "CDT"},
    {"America/New_York|US/Eastern", -5 * 3600, "EST", "EDT"},
    {"America/Anchorage|US/Alaska", -9 * 3600, "AKST", "AKDT"},
    {"Pacific/Honolulu|US/Hawaii", -10 * 3600, "HST", "HST"},
    {"Europe/London", 0, "GMT", "BST"},
    {"CET|Europe/Paris|Europe/Berlin|Europe/Brussels|Europe/Amsterdam|Europe/Madrid|Europe/Rome|"
     "Europe/Vienna|Europe/Zurich|Europe/Stockholm|Europe/Oslo|Europe/Copenhagen|Europe/Prague|"
     "Europe/Warsaw|Europe/Budapest|Europe/Luxembourg|ECT",
     3600, "CET", "CEST"},
    {"EET|Europe/Helsinki|Europe/Athens|Europe/Bucharest|Europe/Sofia|Europe/Riga|Europe/Vilnius|"
     "Europe/Tallinn",
     7200, "EET", "EEST"},
    {"Asia/Tokyo|JST|Japan", 9 * 3600, "JST", "JST"},
    {"Asia/Seoul|ROK", 9 * 3600, "KST", "KST"},
    {"Asia/Shanghai|PRC|CTT", 8 * 3600, "CST", "CST"},
    {"Asia/Hong_Kong|Hongkong", 8 * 3600, "HKT", "HKT"},
    {"Asia/Singapore|Singapore", 8 * 3600, "SGT", "SGT"},
    {"Asia/Kolkata|Asia/Calcutta|IST", 19800, "IST", "IST"},
    {"Australia/Sydney|Australia/Melbourne|Australia/Canberra|AET", 10 * 3600, "AEST", "AEDT"},
    {"Australia/Brisbane", 10 * 3600, "AEST", "AEST"},
};

const ZoneNames* FindZoneNames(std::string_view zone) {
  for (const ZoneNames& names : kZoneNames) {
    std::string_view ids = names.ids;
    while (!ids.empty()) {
      const size_t bar = ids.find('|');
      if (ids.substr(0, bar) == zone) return &names;
      if (bar == std::string_view::npos) break;
      ids.remove_prefix(bar + 1);
    }
  }
  return nullptr;
}

// A fixed offset zone id (+08:00, -05:30, Z): Java prints its id as its name.
bool IsOffsetZone(std::string_view zone) {
  return zone == "Z" || (!zone.empty() && (zone[0] == '+' || zone[0] == '-'));
}

std::string OffsetText(int total, int type, std::string_view no_offset, bool colon) {
  if (total == 0) return std::string(no_offset);
  const int hours = std::abs((total / 3600) % 100);
  const int minutes = std::abs((total / 60) % 60);
  const int seconds = std::abs(total % 60);
  std::string out = total < 0 ? "-" : "+";
  out += Pad(hours, 2);
  if ((type >= 3 && type <= 8) || (type >= 1 && minutes > 0)) {
    if (colon) out += ':';
    out += Pad(minutes, 2);
    if (type == 7 || type == 8 || (type >= 5 && seconds > 0)) {
      if (colon) out += ':';
      out += Pad(seconds, 2);
    }
  }
  return out;
}

std::string LocalizedOffset(int total, bool full) {
  if (total == 0) return "GMT";
  const int hours = std::abs(total / 3600);
  const int minutes = std::abs((total / 60) % 60);
  const int seconds = std::abs(total % 60);
  std::string out = std::string("GMT") + (total < 0 ? "-" : "+");
  if (full) {
    out += Pad(hours, 2) + ":" + Pad(minutes, 2);
    if (seconds != 0) out += ":" + Pad(seconds, 2);
    return out;
  }
  out += std::to_string(hours);
  if (minutes != 0 || seconds != 0) {
    out += ":" + Pad(minutes, 2);
    if (seconds != 0) out += ":" + Pad(seconds, 2);
  }
  return out;
}

}  // namespace

// ---- Calendar ----------------------------------------------------------------------------

int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* year, int* month, int* day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

int DaysInMonth(int64_t year, int month) {
  static const int kLengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return kLengths[month - 1] + (month == 2 && leap ? 1 : 0);
}

LocalDateTime LocalFromMicros(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  LocalDateTime out;
  CivilFromDays(days, &out.year, &out.month, &out.day);
  out.hour = static_cast<int>(rest / 3600000000LL);
  out.minute = static_cast<int>(rest / 60000000 % 60);
  out.second = static_cast<int>(rest / 1000000 % 60);
  out.nanos = rest % 1000000 * kNanosPerMicro;
  return out;
}

int64_t MicrosFromLocal(const LocalDateTime& local) {
  const int64_t days = DaysFromCivil(local.year, local.month, local.day);
  return days * kMicrosPerDay + local.hour * 3600000000LL + local.minute * 60000000LL +
         local.second * 1000000LL + local.nanos / kNanosPerMicro;
}

// ---- Compiling -----------------------------------------------------------------------------

std::optional<std::string> DatetimePattern::FixedWidth() const {
  struct Field {
    char letter;
    int count;
    const char* directive;
  };
  static const Field kFields[] = {{'u', 4, "%Y"}, {'M', 2, "%m"}, {'d', 2, "%d"},
                                  {'H', 2, "%H"}, {'m', 2, "%M"}, {'s', 2, "%S"}};
  std::string form;
  bool after_field = false;
  for (const Item& item : items_) {
    if (item.kind == Item::Kind::kLiteral) {
      if (item.literal.empty()) return std::nullopt;
      for (char c : item.literal) {
        // Separators only: the same in any case.
        if (std::string_view(" -/:,_T").find(c) == std::string_view::npos) return std::nullopt;
        form += c;
      }
      after_field = false;
      continue;
    }
    if (item.kind != Item::Kind::kField || after_field) return std::nullopt;
    const Field* field = nullptr;
    for (const Field& candidate : kFields) {
      if (candidate.letter == item.letter && candidate.count == item.count) field = &candidate;
    }
    if (field == nullptr || form.find(field->directive) != std::string::npos) return std::nullopt;
    form += field->directive;
    after_field = true;
  }
  // A date in full, and of the time the hour, hour and minute or all three.
  auto has = [&](const char* directive) { return form.find(directive) != std::string::npos; };
  if (!has("%Y") || !has("%m") || !has("%d")) return std::nullopt;
  if ((has("%M") && !has("%H")) || (has("%S") && !has("%M"))) return std::nullopt;
  return form;
}

Result<DatetimePattern> DatetimePattern::Compile(std::string_view pattern, PatternUse use) {
  SLUICE_RETURN_IF_ERROR(SparkPatternChecks(pattern, use));
  DatetimePattern out;
  out.pattern_ = std::string(pattern);
  out.era_ = HasEra(pattern);
  int active = -1;  // the number adjacent values are reserved from
  int depth = 0;
  auto literal = [&](std::string text) {
    active = -1;
    if (!out.items_.empty() && out.items_.back().kind == Item::Kind::kLiteral) {
      out.items_.back().literal += text;
      return;
    }
    Item item;
    item.literal = std::move(text);
    out.items_.push_back(std::move(item));
  };
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (IsLetter(c)) {
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      const int count = static_cast<int>(j - i);
      i = j;
      const char letter = c == 'y' && !out.era_ ? 'u' : c;
      SLUICE_ASSIGN_OR_RETURN(Item item, MakeField(letter, count, use));
      if (std::string_view("XxZOVz").find(letter) != std::string_view::npos) out.has_zone_ = true;
      if (letter == 'z') out.has_zone_name_ = true;
      if (item.numeric) {
        AppendValue(out.items_, std::move(item), &active);
      } else {
        active = -1;
        out.items_.push_back(std::move(item));
      }
      continue;
    }
    if (c == '\'') {
      size_t j = i + 1;
      std::string text;
      for (;; ++j) {
        if (j >= pattern.size()) {
          return InvalidArgument("Pattern ends with an incomplete string literal: ", pattern);
        }
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            text += '\'';
            ++j;
            continue;
          }
          break;
        }
        text += pattern[j];
      }
      literal(j == i + 1 ? "'" : text);
      i = j + 1;
      continue;
    }
    if (c == '[' || c == ']') {
      if (c == ']' && depth == 0) {
        return InvalidArgument("Pattern invalid as it contains ] without previous [");
      }
      depth += c == '[' ? 1 : -1;
      active = -1;
      Item item;
      item.kind = c == '[' ? Item::Kind::kOptionalStart : Item::Kind::kOptionalEnd;
      out.items_.push_back(std::move(item));
      ++i;
      continue;
    }
    if (c == '{' || c == '}' || c == '#') {
      return InvalidArgument("Pattern includes reserved character: '", Letter(c), "'");
    }
    literal(Letter(c));
    ++i;
  }
  for (; depth > 0; --depth) {
    Item item;
    item.kind = Item::Kind::kOptionalEnd;
    out.items_.push_back(std::move(item));
  }
  return out;
}

Status DatetimePattern::CheckZone(std::string_view zone_id) const {
  if (!has_zone_name_ || IsOffsetZone(zone_id) || FindZoneNames(zone_id) != nullptr) {
    return Status::OK();
  }
  return NotSupported("datetime pattern letter 'z' (zone names) is not supported in time zone ",
                      zone_id, " (its name is known for common zones only)");
}

// ---- Formatting ----------------------------------------------------------------------------

Result<std::string> DatetimePattern::Format(const LocalDateTime& t, int offset_seconds,
                                            std::string_view zone_id) const {
  std::string out;
  const int64_t days = DaysFromCivil(t.year, t.month, t.day);
  const int iso_dow = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 0 = Monday
  for (const Item& item : items_) {
    if (item.kind == Item::Kind::kLiteral) {
      out += item.literal;
      continue;
    }
    if (item.kind != Item::Kind::kField) continue;
    const int n = item.count;
    switch (item.letter) {
      case 'u':
      case 'y': {
        const int64_t year = item.letter == 'y' && t.year < 1 ? 1 - t.year : t.year;
        if (item.reduced) {
          out += Pad((year < 0 ? -year : year) % 100, 2);
        } else if (item.sign == Sign::kExceedsPad && year >= 0 && n < 19) {
          int64_t limit = 1;
          for (int k = 0; k < n; ++k) limit *= 10;
          out += (year >= limit ? "+" : "") + Pad(year, n);
        } else {
          out += Pad(year, n);
        }
        break;
      }
      case 'G':
        out +=
            n == 4 ? (t.year >= 1 ? "Anno Domini" : "Before Christ") : (t.year >= 1 ? "AD" : "BC");
        break;
      case 'M':
      case 'L':
        out += n <= 2 ? Pad(t.month, n) : (n == 3 ? kMonthsShort : kMonths)[t.month - 1];
        break;
      case 'Q':
      case 'q': {
        const int quarter = (t.month - 1) / 3 + 1;
        out += n <= 2   ? Pad(quarter, n)
               : n == 3 ? "Q" + std::to_string(quarter)
                        : std::string(kQuarters[quarter - 1]);
        break;
      }
      case 'd':
        out += Pad(t.day, n);
        break;
      case 'D':
        out += Pad(days - DaysFromCivil(t.year, 1, 1) + 1, n);
        break;
      case 'E':
        out += (n == 4 ? kDays : kDaysShort)[iso_dow];
        break;
      case 'a':
        out += t.hour < 12 ? "AM" : "PM";
        break;
      case 'H':
        out += Pad(t.hour, n);
        break;
      case 'k':
        out += Pad(t.hour == 0 ? 24 : t.hour, n);
        break;
      case 'K':
        out += Pad(t.hour % 12, n);
        break;
      case 'h':
        out += Pad(t.hour % 12 == 0 ? 12 : t.hour % 12, n);
        break;
      case 'm':
        out += Pad(t.minute, n);
        break;
      case 's':
        out += Pad(t.second, n);
        break;
      case 'S': {
        char digits[16];
        std::snprintf(digits, sizeof(digits), "%09lld", static_cast<long long>(t.nanos));
        out += std::string(digits, n);
        break;
      }
      case 'V':
        out += zone_id;
        break;
      case 'z': {
        if (IsOffsetZone(zone_id)) {
          out += zone_id;
          break;
        }
        const ZoneNames* names = FindZoneNames(zone_id);
        if (names == nullptr) return CheckZone(zone_id);
        out += offset_seconds == names->standard_offset ? names->standard : names->daylight;
        break;
      }
      case 'O':
        out += LocalizedOffset(offset_seconds, n == 4);
        break;
      case 'X':
      case 'x':
      case 'Z': {
        if (item.letter == 'Z' && n == 4) {
          out += LocalizedOffset(offset_seconds, true);
          break;
        }
        int type = 0;
        std::string no_offset;
        OffsetStyle(item.letter, n, &type, &no_offset);
        out += OffsetText(offset_seconds, type, no_offset, OffsetColon(type));
        break;
      }
      default:
        return Internal("unexpected datetime pattern letter ", Letter(item.letter));
    }
  }
  return out;
}

std::string NewParserFailureMessage(std::string_view text) {
  return "[INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER] You may get a "
         "different result due to the upgrading to Spark >= 3.0: Fail to parse '" +
         std::string(text) +
         "' in the new parser. You can set \"spark.sql.legacy.timeParserPolicy\" to \"LEGACY\" "
         "to restore the behavior before Spark 3.0, or set to \"CORRECTED\" and treat it as an "
         "invalid datetime string.";
}

}  // namespace sluice::spark
