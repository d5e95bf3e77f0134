// Dates and timestamps of ingest/values.h: Spark datetime patterns compiled to a small
// program of tokens, and Spark's lenient ISO forms.
#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "common/strings.h"
#include "ingest/values.h"

namespace sluice::ingest {
namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Whether `text` continues at `pos` with `word`, ignoring ASCII case (Spark builds its
// formatters with parseCaseInsensitive); moves `pos` past it if so.
bool ConsumeIgnoreCase(std::string_view text, size_t& pos, std::string_view word) {
  if (text.size() - pos < word.size()) return false;
  if (!EqualsIgnoreCase(text.substr(pos, word.size()), word)) return false;
  pos += word.size();
  return true;
}

// Java's String.trim: drops bytes up to ' ' at both ends.
std::string_view TrimJava(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  return text;
}

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's
// days_from_civil; exact for every int64 year that does not overflow).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;                                    // [0, 399]
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
  return era * 146097 + doe - 719468;
}

bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

// What a parse found; defaults are Spark's for fields a pattern lacks.
struct DateTimeFields {
  int64_t year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;        // H
  int clock_hour = 0;  // h
  int minute = 0;
  int second = 0;
  int64_t nanos = 0;
  int pm = -1;  // a: 0 AM, 1 PM, -1 absent
  bool has_hour = false;
  bool has_clock_hour = false;
  int64_t offset_seconds = 0;
};

bool ToDays(const DateTimeFields& f, int64_t* days) {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > DaysInMonth(f.year, f.month)) {
    return false;
  }
  *days = DaysFromCivil(f.year, f.month, f.day);
  return true;
}

bool ToMicrosOfDay(const DateTimeFields& f, int64_t* micros) {
  int hour = f.hour;
  if (f.has_hour) {
    // As java.time's strict resolver: an AM/PM marker must agree with a 24-hour hour.
    if (f.pm >= 0 && (f.hour >= 12) != (f.pm == 1)) return false;
  } else if (f.has_clock_hour) {
    if (f.clock_hour < 1 || f.clock_hour > 12) return false;
    hour = f.clock_hour % 12 + (f.pm == 1 ? 12 : 0);
  }
  if (hour > 23 || f.minute > 59 || f.second > 59) return false;
  *micros = ((hour * int64_t{60} + f.minute) * 60 + f.second) * kMicrosPerSecond + f.nanos / 1000;
  return true;
}

// days * kMicrosPerDay + micros_of_day - offset, false when it leaves int64.
bool ToEpochMicros(int64_t days, int64_t micros_of_day, int64_t offset_seconds, int64_t* out) {
  int64_t micros;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &micros)) return false;
  if (__builtin_add_overflow(micros, micros_of_day, &micros)) return false;
  if (__builtin_sub_overflow(micros, offset_seconds * kMicrosPerSecond, &micros)) return false;
  *out = micros;
  return true;
}

// Reads min..max digits at `pos` (as many as there are, up to max).
bool ReadDigits(std::string_view text, size_t& pos, int min, int max, int64_t* value,
                int* count = nullptr) {
  int64_t v = 0;
  int k = 0;
  while (k < max && pos < text.size() && IsDigit(text[pos])) {
    v = v * 10 + (text[pos++] - '0');
    ++k;
  }
  if (k < min) return false;
  *value = v;
  if (count != nullptr) *count = k;
  return true;
}

// "+HH", "+H", "+HHMM", "+HH:MM", optionally with seconds ("+HHMMSS", "+HH:MM:SS"), or
// the same with '-'; at most 18 hours, as java.time.ZoneOffset.
bool ReadSignedOffset(std::string_view text, size_t& pos, int64_t* seconds) {
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  const bool negative = text[pos++] == '-';
  int64_t hours = 0, minutes = 0, secs = 0;
  int hour_digits = 0;
  if (!ReadDigits(text, pos, 1, 2, &hours, &hour_digits)) return false;
  // Minutes and seconds: two digits each, after a colon or directly after two-digit hours.
  auto read_part = [&](int64_t* part) {
    size_t p = pos;
    if (p < text.size() && text[p] == ':') {
      ++p;
    } else if (hour_digits != 2) {
      return;
    }
    if (p + 2 <= text.size() && IsDigit(text[p]) && IsDigit(text[p + 1])) {
      *part = (text[p] - '0') * 10 + (text[p + 1] - '0');
      pos = p + 2;
    }
  };
  const size_t before_minutes = pos;
  read_part(&minutes);
  if (pos != before_minutes) read_part(&secs);
  if (hours > 18 || minutes > 59 || secs > 59) return false;
  const int64_t total = hours * 3600 + minutes * 60 + secs;
  if (total > 18 * 3600) return false;
  *seconds = negative ? -total : total;
  return true;
}

// An offset or "Z" (X, x, Z letters).
bool ReadOffset(std::string_view text, size_t& pos, int64_t* seconds) {
  if (ConsumeIgnoreCase(text, pos, "Z")) {
    *seconds = 0;
    return true;
  }
  return ReadSignedOffset(text, pos, seconds);
}

// A zone: "UTC", "GMT" or "UT", optionally followed by an offset ("GMT+01:00"), or an
// offset or "Z" alone. Region ids ("Europe/Paris") are not supported.
bool ReadZone(std::string_view text, size_t& pos, int64_t* seconds) {
  for (std::string_view prefix : {"UTC", "GMT", "UT"}) {
    if (ConsumeIgnoreCase(text, pos, prefix)) {
      *seconds = 0;
      if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        return ReadSignedOffset(text, pos, seconds);
      }
      return true;
    }
  }
  return ReadOffset(text, pos, seconds);
}

// The compiled form of a pattern (DateTimePattern::program_): a sequence of tokens, each
// an op byte and two argument bytes, then for kLiteral `a` bytes of text and for
// kOptional a body of a | b << 8 bytes, itself a sequence of tokens.
enum Op : char {
  kLiteral,
  kOptional,
  kYear,       // a..b digits
  kYear2,      // two digits, 2000-2099
  kMonth,      // a..b digits
  kMonthName,  // a = 1 full name, else short
  kDay,
  kHour,
  kClockHour,
  kMinute,
  kSecond,
  kFraction,  // a..b digits of a second
  kAmPm,
  kDayName,  // a = 1 full name, else short; checked for spelling only
  kOffset,   // Z or an offset
  kZone,     // UTC, GMT, UT, Z or an offset
};

constexpr std::string_view kMonthNames[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
constexpr std::string_view kDayNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                          "Friday", "Saturday", "Sunday"};

// The index of the name (full, or its first three letters) that `text` continues with.
template <size_t N>
int ReadName(std::string_view text, size_t& pos, const std::string_view (&names)[N], bool full) {
  for (size_t i = 0; i < N; ++i) {
    if (ConsumeIgnoreCase(text, pos, full ? names[i] : names[i].substr(0, 3))) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool IsNumericOp(char op) {
  switch (op) {
    case kYear:
    case kYear2:
    case kMonth:
    case kDay:
    case kHour:
    case kClockHour:
    case kMinute:
    case kSecond:
    case kFraction:
      return true;
    default:
      return false;
  }
}

// Matches `program` against text from `pos`; on success `pos` is past what it matched.
bool Match(std::string_view program, std::string_view text, size_t& pos, DateTimeFields& f) {
  size_t i = 0;
  while (i < program.size()) {
    const char op = program[i];
    const int a = static_cast<unsigned char>(program[i + 1]);
    const int b = static_cast<unsigned char>(program[i + 2]);
    i += 3;
    int64_t v = 0;
    switch (op) {
      case kLiteral: {
        if (!ConsumeIgnoreCase(text, pos, program.substr(i, a))) return false;
        i += a;
        break;
      }
      case kOptional: {
        const size_t size = static_cast<size_t>(a | b << 8);
        // An optional section either matches whole or is skipped, as in java.time.
        size_t trial_pos = pos;
        DateTimeFields trial = f;
        if (Match(program.substr(i, size), text, trial_pos, trial)) {
          pos = trial_pos;
          f = trial;
        }
        i += size;
        break;
      }
      case kYear:
        if (!ReadDigits(text, pos, a, b, &v) || v == 0) return false;  // no year of era 0
        f.year = v;
        break;
      case kYear2:
        if (!ReadDigits(text, pos, 2, 2, &v)) return false;
        f.year = 2000 + v;
        break;
      case kMonth:
        if (!ReadDigits(text, pos, a, b, &v)) return false;
        f.month = static_cast<int>(v);
        break;
      case kMonthName: {
        const int month = ReadName(text, pos, kMonthNames, a == 1);
        if (month < 0) return false;
        f.month = month + 1;
        break;
      }
      case kDay:
        if (!ReadDigits(text, pos, a, b, &v)) return false;
        f.day = static_cast<int>(v);
        break;
      case kHour:
        if (!ReadDigits(text, pos, a, b, &v)) return false;
        f.hour = static_cast<int>(v);
        f.has_hour = true;
        break;
      case kClockHour:
        if (!ReadDigits(text, pos, a, b, &v)) return false;
        f.clock_hour = static_cast<int>(v);
        f.has_clock_hour = true;
        break;
      case kMinute:
        if (!ReadDigits(text, pos, a, b, &v)) return false;
        f.minute = static_cast<int>(v);
        break;
      case kSecond:
        if (!ReadDigits(text, pos, a, b, &v)) return false;
        f.second = static_cast<int>(v);
        break;
      case kFraction: {
        int count = 0;
        if (!ReadDigits(text, pos, a, b, &v, &count)) return false;
        for (int k = count; k < 9; ++k) v *= 10;
        f.nanos = v;
        break;
      }
      case kAmPm:
        if (ConsumeIgnoreCase(text, pos, "AM")) {
          f.pm = 0;
        } else if (ConsumeIgnoreCase(text, pos, "PM")) {
          f.pm = 1;
        } else {
          return false;
        }
        break;
      case kDayName:
        if (ReadName(text, pos, kDayNames, a == 1) < 0) return false;
        break;
      case kOffset:
        if (!ReadOffset(text, pos, &f.offset_seconds)) return false;
        break;
      case kZone:
        if (!ReadZone(text, pos, &f.offset_seconds)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

struct Token {
  explicit Token(char op_in = kLiteral, int a_in = 0, int b_in = 0) : op(op_in), a(a_in), b(b_in) {}
  char op;
  int a;
  int b;
  std::string payload;  // kLiteral: the text; kOptional: the body's program
};

// Turns a pattern into a program (see Op). Adjacent numeric fields ("yyyyMMdd") take
// exactly their letter count of digits, as java.time's adjacent value parsing does.
class PatternCompiler {
 public:
  explicit PatternCompiler(std::string_view pattern) : pattern_(pattern) {}

  Status Compile(std::string* program) {
    SLUICE_RETURN_IF_ERROR(CompileSequence(/*depth=*/0, program));
    if (pos_ < pattern_.size()) return Error("']' without a matching '['");
    return Status::OK();
  }

 private:
  Status Error(std::string_view what) const {
    return InvalidArgument("datetime pattern \"", pattern_, "\": ", what);
  }

  // Compiles up to the end of the pattern, or up to (and past) the ']' closing an optional
  // section when depth > 0.
  Status CompileSequence(int depth, std::string* out) {
    std::vector<Token> tokens;
    auto add_literal = [&](std::string_view text) {
      if (!tokens.empty() && tokens.back().op == kLiteral) {
        tokens.back().payload.append(text);
      } else {
        tokens.emplace_back(kLiteral).payload = std::string(text);
      }
    };
    while (pos_ < pattern_.size()) {
      const char c = pattern_[pos_];
      if (c == ']') {
        if (depth == 0) return Error("']' without a matching '['");
        ++pos_;
        return Serialize(tokens, out);
      }
      if (c == '[') {
        ++pos_;
        Token optional{kOptional};
        SLUICE_RETURN_IF_ERROR(CompileSequence(depth + 1, &optional.payload));
        if (optional.payload.size() > 0xFFFF) return Error("optional section too long");
        tokens.push_back(std::move(optional));
        continue;
      }
      if (c == '\'') {
        std::string literal;
        SLUICE_RETURN_IF_ERROR(ReadQuoted(&literal));
        add_literal(literal);
        continue;
      }
      if (!IsAsciiLetter(c)) {
        add_literal(pattern_.substr(pos_++, 1));
        continue;
      }
      int count = 0;
      while (pos_ < pattern_.size() && pattern_[pos_] == c) ++pos_, ++count;
      Token token{kLiteral};
      SLUICE_RETURN_IF_ERROR(LetterToken(c, count, &token));
      tokens.push_back(std::move(token));
    }
    if (depth > 0) return Error("'[' without a matching ']'");
    return Serialize(tokens, out);
  }

  // A quoted literal at pos_: 'text' with '' for a quote inside, or '' alone for a quote.
  Status ReadQuoted(std::string* literal) {
    ++pos_;
    if (pos_ < pattern_.size() && pattern_[pos_] == '\'') {
      ++pos_;
      literal->push_back('\'');
      return Status::OK();
    }
    while (pos_ < pattern_.size()) {
      if (pattern_[pos_] == '\'') {
        if (pos_ + 1 < pattern_.size() && pattern_[pos_ + 1] == '\'') {
          literal->push_back('\'');
          pos_ += 2;
          continue;
        }
        ++pos_;
        return Status::OK();
      }
      literal->push_back(pattern_[pos_++]);
    }
    return Error("unclosed quote");
  }

  Status LetterToken(char letter, int count, Token* token) {
    auto unsupported = [&]() {
      return Error(StrCat("unsupported pattern letter '", std::string(count, letter), "'"));
    };
    auto numeric = [&](Op op, int max_count) {
      if (count > max_count) return unsupported();
      *token = Token{op, count, 2};  // "d": 1 or 2 digits, "dd": exactly 2
      return Status::OK();
    };
    switch (letter) {
      case 'y':
        if (count == 2) {
          *token = Token{kYear2, 2, 2};
        } else {
          if (count > 9) return unsupported();
          *token = Token{kYear, count, 9};
        }
        return Status::OK();
      case 'M':
      case 'L':
        if (count >= 3 && count <= 4) {
          *token = Token{kMonthName, count == 4 ? 1 : 0};
          return Status::OK();
        }
        return numeric(kMonth, 2);
      case 'd':
        return numeric(kDay, 2);
      case 'H':
        return numeric(kHour, 2);
      case 'h':
        return numeric(kClockHour, 2);
      case 'm':
        return numeric(kMinute, 2);
      case 's':
        return numeric(kSecond, 2);
      case 'S':
        if (count > 9) return unsupported();
        *token = Token{kFraction, 1, count};  // Spark takes 1 up to count digits
        return Status::OK();
      case 'a':
        if (count != 1) return unsupported();
        *token = Token{kAmPm};
        return Status::OK();
      case 'E':
        if (count > 4) return unsupported();
        *token = Token{kDayName, count == 4 ? 1 : 0};
        return Status::OK();
      case 'X':
      case 'x':
      case 'Z':
        if (count > 5) return unsupported();
        // ZZZZ is the localized form "GMT+01:00".
        *token = Token{letter == 'Z' && count == 4 ? kZone : kOffset};
        return Status::OK();
      case 'z':
        if (count > 4) return unsupported();
        *token = Token{kZone};
        return Status::OK();
      case 'V':
        if (count != 2) return unsupported();
        *token = Token{kZone};
        return Status::OK();
      default:
        return unsupported();
    }
  }

  static Status Serialize(std::vector<Token>& tokens, std::string* out) {
    for (size_t i = 0; i < tokens.size(); ++i) {
      Token& token = tokens[i];
      if (token.op != kFraction && IsNumericOp(token.op) && i + 1 < tokens.size() &&
          IsNumericOp(tokens[i + 1].op)) {
        token.b = token.a;
      }
      if (token.op == kLiteral) {
        // Long literals become several tokens of at most 255 bytes.
        std::string_view text = token.payload;
        while (!text.empty()) {
          const size_t size = std::min<size_t>(text.size(), 255);
          out->push_back(kLiteral);
          out->push_back(static_cast<char>(size));
          out->push_back(0);
          out->append(text.substr(0, size));
          text.remove_prefix(size);
        }
        continue;
      }
      out->push_back(token.op);
      if (token.op == kOptional) {
        out->push_back(static_cast<char>(token.payload.size() & 0xFF));
        out->push_back(static_cast<char>(token.payload.size() >> 8));
        out->append(token.payload);
      } else {
        out->push_back(static_cast<char>(token.a));
        out->push_back(static_cast<char>(token.b));
      }
    }
    return Status::OK();
  }

  std::string_view pattern_;
  size_t pos_ = 0;
};

// Spark's lenient ISO date (DateTimeUtils.stringToDate): [+-]yyyy[y..] with 4 to 7 year
// digits, then optionally -[m]m and -[d]d. Moves `pos` past it; `has_day` says whether the
// day was written (only then may a time part follow).
bool ReadIsoDate(std::string_view text, size_t& pos, DateTimeFields& f, bool* has_day) {
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) negative = text[pos++] == '-';
  int64_t v = 0;
  int count = 0;
  if (!ReadDigits(text, pos, 4, 7, &v, &count) || (pos < text.size() && IsDigit(text[pos]))) {
    return false;
  }
  f.year = negative ? -v : v;
  *has_day = false;
  if (pos == text.size() || text[pos] != '-') return true;
  ++pos;
  if (!ReadDigits(text, pos, 1, 2, &v)) return false;
  f.month = static_cast<int>(v);
  if (pos == text.size() || text[pos] != '-') return true;
  ++pos;
  if (!ReadDigits(text, pos, 1, 2, &v)) return false;
  f.day = static_cast<int>(v);
  *has_day = true;
  return true;
}

}  // namespace

Result<DateTimePattern> DateTimePattern::Compile(std::string_view pattern) {
  DateTimePattern result;
  result.text_ = std::string(pattern);
  PatternCompiler compiler(pattern);
  SLUICE_RETURN_IF_ERROR(compiler.Compile(&result.program_));
  return result;
}

bool ParseDate(std::string_view text, const DateTimePattern* pattern, int32_t* days) {
  DateTimeFields f;
  if (pattern != nullptr) {
    size_t pos = 0;
    if (!Match(pattern->program_, text, pos, f) || pos != text.size()) return false;
    // The time fields must be valid even though a date does not keep them.
    int64_t unused;
    if (!ToMicrosOfDay(f, &unused)) return false;
  } else {
    text = TrimJava(text);
    size_t pos = 0;
    bool has_day = false;
    if (!ReadIsoDate(text, pos, f, &has_day)) return false;
    // Spark's stringToDate ignores whatever follows "yyyy-mm-dd " or "yyyy-mm-ddT".
    if (pos != text.size() && !(has_day && (text[pos] == ' ' || text[pos] == 'T'))) {
      return false;
    }
  }
  int64_t result = 0;
  if (!ToDays(f, &result)) return false;
  if (result < std::numeric_limits<int32_t>::min() ||
      result > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  *days = static_cast<int32_t>(result);
  return true;
}

bool ParseTimestamp(std::string_view text, const DateTimePattern* pattern, int64_t* micros) {
  DateTimeFields f;
  if (pattern != nullptr) {
    size_t pos = 0;
    if (!Match(pattern->program_, text, pos, f) || pos != text.size()) return false;
  } else {
    text = TrimJava(text);
    size_t pos = 0;
    bool has_day = false;
    if (!ReadIsoDate(text, pos, f, &has_day)) return false;
    if (pos != text.size()) {
      if (!has_day || (text[pos] != ' ' && text[pos] != 'T')) return false;
      ++pos;
      int64_t v = 0;
      if (!ReadDigits(text, pos, 1, 2, &v)) return false;
      f.hour = static_cast<int>(v);
      f.has_hour = true;
      if (pos == text.size() || text[pos++] != ':') return false;
      if (!ReadDigits(text, pos, 1, 2, &v)) return false;
      f.minute = static_cast<int>(v);
      if (pos < text.size() && text[pos] == ':') {
        ++pos;
        if (!ReadDigits(text, pos, 1, 2, &v)) return false;
        f.second = static_cast<int>(v);
        if (pos < text.size() && text[pos] == '.') {
          ++pos;
          int count = 0;
          if (!ReadDigits(text, pos, 1, 9, &v, &count)) return false;
          for (int k = count; k < 9; ++k) v *= 10;
          f.nanos = v;
        }
      }
      if (pos < text.size() && !ReadZone(text, pos, &f.offset_seconds)) return false;
      if (pos != text.size()) return false;
    }
  }
  int64_t days = 0;
  int64_t micros_of_day = 0;
  if (!ToDays(f, &days) || !ToMicrosOfDay(f, &micros_of_day)) return false;
  return ToEpochMicros(days, micros_of_day, f.offset_seconds, micros);
}

}  // namespace sluice::ingest
