#include "spark/datetime_pattern.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>

namespace sluice::spark {
namespace {

using Item = DatetimePattern::Item;
using Sign = Item::Sign;

constexpr int64_t kNanosPerMicro = 1000;
constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

const char* const kMonths[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};
const char* const kMonthsShort[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
// ISO order: Monday first.
const char* const kDays[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                             "Friday", "Saturday", "Sunday"};
const char* const kDaysShort[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char* const kQuarters[] = {"1st quarter", "2nd quarter", "3rd quarter", "4th quarter"};

bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCaseAt(std::string_view text, size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[pos + i]) != Lower(word[i])) return false;
  }
  return true;
}

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
Result<Item> MakeField(char c, int count, PatternUse use, bool era) {
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
  (void)era;
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

// The OffsetIdPrinterParser type and no-offset text of X, x and Z.
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
      SLUICE_ASSIGN_OR_RETURN(Item item, MakeField(letter, count, use, out.era_));
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

// ---- Parsing -------------------------------------------------------------------------------

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

std::string NewParserFailureMessage(std::string_view text) {
  return "[INCONSISTENT_BEHAVIOR_CROSS_VERSION.PARSE_DATETIME_BY_NEW_PARSER] You may get a "
         "different result due to the upgrading to Spark >= 3.0: Fail to parse '" +
         std::string(text) +
         "' in the new parser. You can set \"spark.sql.legacy.timeParserPolicy\" to \"LEGACY\" "
         "to restore the behavior before Spark 3.0, or set to \"CORRECTED\" and treat it as an "
         "invalid datetime string.";
}

}  // namespace sluice::spark
