#include "spark/json_convert.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "spark/text_format.h"

namespace sluice::spark {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// ---- Calendar arithmetic (proleptic Gregorian) -------------------------------------------

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp + (mp < 10 ? 3 : -9);
  *y = yoe + era * 400 + (*m <= 2);
}

std::string TimeText(int64_t h, int64_t mi, int64_t s, int64_t micros) {
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), " %02lld:%02lld:%02lld.%06lld", static_cast<long long>(h),
                static_cast<long long>(mi), static_cast<long long>(s),
                static_cast<long long>(micros));
  return buffer;
}

// A zone for DuckDB's timestamp text: offsets follow the time directly, names after a space.
std::string ZoneSuffix(const std::string& zone) {
  if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) return zone;
  return " " + zone;
}

// ---- Decimals (java.math.BigDecimal text, HALF_UP rounding) ------------------------------

// A decimal read from `text` (BigDecimal's grammar), rounded half up to `scale`, as plain
// text with `scale` fraction digits; nullopt when it is not a number or needs more than
// `precision` digits.
std::optional<std::string> DecimalText(const std::string& text, int precision, int scale) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;
  int64_t fraction = 0;
  bool any = false;
  while (i < text.size() && IsDigit(text[i])) digits.push_back(text[i++]), any = true;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) digits.push_back(text[i++]), ++fraction, any = true;
  }
  if (!any) return std::nullopt;
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool minus = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) minus = text[i++] == '-';
    if (i >= text.size()) return std::nullopt;
    while (i < text.size() && IsDigit(text[i])) {
      exponent = exponent * 10 + (text[i++] - '0');
      if (exponent > INT_MAX) return std::nullopt;
    }
    if (minus) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;
  // value = digits * 10^-(fraction - exponent)
  size_t lead = 0;
  while (lead + 1 < digits.size() && digits[lead] == '0') ++lead;
  digits = digits.substr(lead);
  int64_t value_scale = fraction - exponent;
  if (digits == "0") value_scale = scale;
  if (value_scale < scale) {
    if (static_cast<int64_t>(digits.size()) + (scale - value_scale) > precision)
      return std::nullopt;
    digits.append(static_cast<size_t>(scale - value_scale), '0');
  } else if (value_scale > scale) {
    const int64_t drop = value_scale - scale;
    if (drop > static_cast<int64_t>(digits.size())) {
      digits = "0";
    } else {
      const bool up = digits[digits.size() - drop] >= '5';
      digits = digits.substr(0, digits.size() - drop);
      if (digits.empty()) digits = "0";
      if (up) {
        int k = static_cast<int>(digits.size()) - 1;
        while (k >= 0 && digits[k] == '9') digits[k--] = '0';
        if (k < 0) {
          digits.insert(digits.begin(), '1');
        } else {
          ++digits[k];
        }
      }
    }
  }
  lead = 0;
  while (lead + 1 < digits.size() && digits[lead] == '0') ++lead;
  digits = digits.substr(lead);
  if (static_cast<int>(digits.size()) > precision) return std::nullopt;
  if (static_cast<int>(digits.size()) <= scale) {
    digits.insert(0, static_cast<size_t>(scale + 1 - digits.size()), '0');
  }
  std::string out = digits.substr(0, digits.size() - scale);
  if (scale > 0) out += "." + digits.substr(digits.size() - scale);
  const bool zero = digits.find_first_not_of('0') == std::string::npos;
  return (negative && !zero ? "-" : "") + out;
}

// ---- Integers ----------------------------------------------------------------------------

// The integer a JSON integer token holds, when it fits 64 bits.
std::optional<int64_t> Int64(const std::string& text) {
  const std::string canonical = CanonicalInteger(text);
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(canonical.c_str(), &end, 10);
  if (errno == ERANGE || *end != '\0') return std::nullopt;
  return value;
}

double SpecialDouble(const std::string& text) {
  if (text == "NaN") return std::nan("");
  if (text[0] == '-' && (text == "-INF" || text == "-Infinity")) return -HUGE_VAL;
  if (text == "Infinity" || text == "+Infinity" || text == "+INF") return HUGE_VAL;
  return std::strtod(text.c_str(), nullptr);
}

bool IsSpecial(const std::string& text) { return !text.empty() && !IsDigit(text.back()); }

std::string FloatingJson(double value) {
  if (std::isnan(value)) return "\"NaN\"";
  if (std::isinf(value)) return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  return JavaDoubleString(value);
}

}  // namespace

// ---- Datetime patterns -------------------------------------------------------------------

std::optional<std::vector<DatetimePatternItem>> ParseDatetimePattern(const std::string& pattern) {
  std::vector<DatetimePatternItem> items;
  auto literal = [&](const std::string& text) {
    if (!items.empty() && items.back().letter == 0) {
      items.back().literal += text;
    } else {
      items.push_back(DatetimePatternItem{0, 0, text});
    }
  };
  for (size_t i = 0; i < pattern.size();) {
    const char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal("'");
        i += 2;
        continue;
      }
      std::string text;
      size_t k = i + 1;
      while (true) {
        if (k >= pattern.size()) return std::nullopt;
        if (pattern[k] == '\'') {
          if (k + 1 < pattern.size() && pattern[k + 1] == '\'') {
            text += '\'';
            k += 2;
            continue;
          }
          break;
        }
        text += pattern[k++];
      }
      literal(text);
      i = k + 1;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c))) {
      int count = 0;
      while (i < pattern.size() && pattern[i] == c) ++count, ++i;
      const bool ok = (c == 'y' && count == 4) ||
                      (std::string("MdHms").find(c) != std::string::npos && count <= 2) ||
                      (c == 'S' && count <= 6);
      if (!ok) return std::nullopt;
      items.push_back(DatetimePatternItem{c, count, ""});
      continue;
    }
    if (c == '[' || c == ']' || c == '{' || c == '}' || c == '#') return std::nullopt;
    literal(std::string(1, c));
    ++i;
  }
  return items;
}

std::string StrftimeFormat(const std::vector<DatetimePatternItem>& pattern) {
  std::string out;
  for (const DatetimePatternItem& item : pattern) {
    if (item.letter == 0) {
      for (char c : item.literal) out += c == '%' ? std::string("%%") : std::string(1, c);
      continue;
    }
    const bool two = item.count == 2;
    switch (item.letter) {
      case 'y':
        out += "%Y";
        break;
      case 'M':
        out += two ? "%m" : "%-m";
        break;
      case 'd':
        out += two ? "%d" : "%-d";
        break;
      case 'H':
        out += two ? "%H" : "%-H";
        break;
      case 'm':
        out += two ? "%M" : "%-M";
        break;
      case 's':
        out += two ? "%S" : "%-S";
        break;
      case 'S':
        out += item.count == 3 ? "%g" : "%f";  // callers allow only SSS and SSSSSS
        break;
    }
  }
  return out;
}

namespace {

struct DatetimeFields {
  int64_t year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
};

// Reads `text` with a pattern as Spark's (non-lenient) formatter does: literals ignoring
// case, two-letter fields exactly two digits, the whole text consumed; missing fields take
// 1970-01-01 00:00:00.
std::optional<DatetimeFields> ReadDatetime(const std::vector<DatetimePatternItem>& pattern,
                                           const std::string& text) {
  DatetimeFields f;
  size_t p = 0;
  auto digits = [&](int min, int max, int64_t* value) {
    int n = 0;
    int64_t v = 0;
    while (n < max && p < text.size() && IsDigit(text[p])) v = v * 10 + (text[p++] - '0'), ++n;
    if (n < min) return false;
    *value = v;
    return true;
  };
  for (const DatetimePatternItem& item : pattern) {
    if (item.letter == 0) {
      for (char c : item.literal) {
        if (p >= text.size() || std::tolower(static_cast<unsigned char>(text[p])) !=
                                    std::tolower(static_cast<unsigned char>(c))) {
          return std::nullopt;
        }
        ++p;
      }
      continue;
    }
    const int min = item.letter == 'S' || item.letter == 'y' ? item.count : item.count;
    const int max = item.letter == 'S' || item.letter == 'y' ? item.count : 2;
    int64_t value = 0;
    if (!digits(min, max, &value)) return std::nullopt;
    switch (item.letter) {
      case 'y':
        f.year = value;
        break;
      case 'M':
        f.month = value;
        break;
      case 'd':
        f.day = value;
        break;
      case 'H':
        f.hour = value;
        break;
      case 'm':
        f.minute = value;
        break;
      case 's':
        f.second = value;
        break;
      case 'S':
        for (int k = item.count; k < 6; ++k) value *= 10;
        f.micros = value;
        break;
    }
  }
  if (p != text.size() || f.year == 0 || !ValidDate(f.year, f.month, f.day) || f.hour > 23 ||
      f.minute > 59 || f.second > 59) {
    return std::nullopt;
  }
  return f;
}

// ---- from_json ---------------------------------------------------------------------------

class Converter {
 public:
  explicit Converter(const JsonConvertOptions& options) : o_(options) {
    if (!o_.timestamp_format.empty()) timestamp_ = ParseDatetimePattern(o_.timestamp_format);
    if (!o_.timestamp_ntz_format.empty()) ntz_ = ParseDatetimePattern(o_.timestamp_ntz_format);
    if (!o_.date_format.empty()) date_ = ParseDatetimePattern(o_.date_format);
  }

  Status error;

  // The value of `v` as `type` (normalized JSON); false when Spark fails to convert it.
  bool Convert(const JsonValue& v, const DataType& type, std::string* out) {
    using Kind = JsonValue::Kind;
    if (v.kind == Kind::kNull) {
      *out = "null";
      return true;
    }
    switch (type.id) {
      case TypeId::kStruct:
        return v.kind == Kind::kObject && Struct(v, type, false, out);
      case TypeId::kArray: {
        if (v.kind != Kind::kArray) return false;
        *out = "[";
        for (size_t i = 0; i < v.items.size(); ++i) {
          std::string item;
          if (!Convert(v.items[i], *type.element, &item)) return false;
          if (i > 0) *out += ",";
          *out += item;
        }
        *out += "]";
        return true;
      }
      case TypeId::kMap: {
        if (v.kind != Kind::kObject) return false;
        std::set<std::string> keys;
        *out = "{";
        for (size_t i = 0; i < v.fields.size(); ++i) {
          if (!keys.insert(v.fields[i].first).second && error.ok()) {
            error = InvalidArgument("from_json read the key '" + v.fields[i].first +
                                    "' twice into one map, which a DuckDB map cannot hold");
          }
          std::string value;
          if (!Convert(v.fields[i].second, *type.value, &value)) return false;
          if (i > 0) *out += ",";
          *out += JacksonString(v.fields[i].first) + ":" + value;
        }
        *out += "}";
        return true;
      }
      default:
        return Atomic(v, type, out);
    }
  }

  // A struct: fields named in the schema (exactly) are read, the last of repeated ones
  // kept. At the top level a field that fails to convert is NULL; below it, the failure
  // fails the enclosing value.
  bool Struct(const JsonValue& v, const DataType& type, bool root, std::string* out) {
    std::vector<std::optional<std::string>> values(type.fields.size());
    for (const auto& [name, value] : v.fields) {
      for (size_t i = 0; i < type.fields.size(); ++i) {
        if (type.fields[i].name != name) continue;
        std::string converted;
        if (Convert(value, *type.fields[i].type, &converted)) {
          values[i] = std::move(converted);
        } else if (!root) {
          return false;
        }
        break;
      }
    }
    *out = "{";
    bool first = true;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!values[i]) continue;
      if (!first) *out += ",";
      first = false;
      *out += JacksonString(type.fields[i].name) + ":" + *values[i];
    }
    *out += "}";
    return true;
  }

 private:
  bool Atomic(const JsonValue& v, const DataType& type, std::string* out) {
    using Kind = JsonValue::Kind;
    const bool number = v.IsNumber();
    switch (type.id) {
      case TypeId::kBoolean:
        if (v.kind != Kind::kTrue && v.kind != Kind::kFalse) return false;
        *out = v.kind == Kind::kTrue ? "true" : "false";
        return true;
      case TypeId::kByte:
      case TypeId::kShort:
      case TypeId::kInt:
      case TypeId::kLong: {
        if (v.kind != Kind::kInt) return false;
        auto value = Int64(v.text);
        if (!value) return false;
        int64_t x = *value;
        // Jackson's getByteValue takes -128..255 (wrapping the upper half).
        if (type.is(TypeId::kByte)) {
          if (x < -128 || x > 255) return false;
          x = static_cast<int8_t>(static_cast<uint8_t>(x & 0xFF));
        }
        if (type.is(TypeId::kShort) && (x < -32768 || x > 32767)) return false;
        if (type.is(TypeId::kInt) && (x < INT32_MIN || x > INT32_MAX)) return false;
        *out = std::to_string(x);
        return true;
      }
      case TypeId::kFloat:
      case TypeId::kDouble: {
        const bool single = type.is(TypeId::kFloat);
        double value;
        if (number) {
          if (IsSpecial(v.text)) {
            value = SpecialDouble(v.text);
          } else if (single) {
            value = std::strtof(v.text.c_str(), nullptr);
          } else {
            value = std::strtod(v.text.c_str(), nullptr);
          }
        } else if (v.kind == Kind::kString && o_.read.non_numeric_numbers &&
                   (v.text == "NaN" || v.text == "+INF" || v.text == "+Infinity" ||
                    v.text == "Infinity" || v.text == "-INF" || v.text == "-Infinity")) {
          value = SpecialDouble(v.text);
        } else {
          return false;
        }
        *out = FloatingJson(value);
        return true;
      }
      case TypeId::kDecimal: {
        std::string text;
        if (number && !IsSpecial(v.text)) {
          text = v.text;
        } else if (v.kind == Kind::kString && !v.text.empty()) {
          for (char c : v.text) {
            if (c != ',') text.push_back(c);
          }
        } else {
          return false;
        }
        auto decimal = DecimalText(text, type.precision, type.scale);
        if (!decimal) return false;
        *out = "\"" + *decimal + "\"";
        return true;
      }
      case TypeId::kString:
        *out = JacksonString(v.kind == Kind::kString ? v.text : JacksonText(v));
        return true;
      case TypeId::kDate:
        return v.kind == Kind::kString && !v.text.empty() && Date(v.text, out);
      case TypeId::kTimestamp:
        if (v.kind == Kind::kInt) {
          auto seconds = Int64(v.text);
          if (!seconds || *seconds > INT64_MAX / 1000000 || *seconds < INT64_MIN / 1000000) {
            return false;
          }
          *out = "\"" + UtcText(*seconds * 1000000) + "\"";
          return true;
        }
        return v.kind == Kind::kString && !v.text.empty() && Timestamp(v.text, true, out);
      case TypeId::kTimestampNtz:
        return v.kind == Kind::kString && !v.text.empty() && Timestamp(v.text, false, out);
      default:
        return false;
    }
  }

  static std::string WithoutGmt(const std::string& text) {
    std::string out = text;
    for (size_t at; (at = out.find("GMT")) != std::string::npos;) out.erase(at, 3);
    return out;
  }

  bool Date(const std::string& text, std::string* out) {
    if (!o_.date_format.empty()) {
      if (!date_) return false;
      auto f = ReadDatetime(*date_, text);
      if (!f) return false;
      *out = "\"" + DateString(f->year, f->month, f->day) + "\"";
      return true;
    }
    if (auto date = NormalizeDateText(WithoutGmt(text))) {
      *out = "\"" + *date + "\"";
      return true;
    }
    // Spark 1.5 wrote dates as days since the epoch.
    char* end = nullptr;
    errno = 0;
    const long long days = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE || days < INT32_MIN || days > INT32_MAX ||
        std::isspace(static_cast<unsigned char>(text[0])) || days < -141427) {
      return false;
    }
    int64_t y, m, d;
    CivilFromDays(days, &y, &m, &d);
    *out = "\"" + DateString(y, m, d) + "\"";
    return true;
  }

  static std::string UtcText(int64_t micros) {
    int64_t days = micros / 86400000000LL;
    int64_t rest = micros % 86400000000LL;
    if (rest < 0) rest += 86400000000LL, --days;
    int64_t y, m, d;
    CivilFromDays(days, &y, &m, &d);
    return DateString(y, m, d) +
           TimeText(rest / 3600000000LL, rest / 60000000 % 60, rest / 1000000 % 60,
                    rest % 1000000) +
           "+00:00";
  }

  bool Timestamp(const std::string& text, bool ltz, std::string* out) {
    const std::string& format = ltz ? o_.timestamp_format : o_.timestamp_ntz_format;
    if (!format.empty()) {
      const auto& pattern = ltz ? timestamp_ : ntz_;
      if (!pattern) return false;
      auto f = ReadDatetime(*pattern, text);
      if (!f) return false;
      std::string local =
          DateString(f->year, f->month, f->day) + TimeText(f->hour, f->minute, f->second, f->micros);
      *out = "\"" + local + (ltz ? ZoneSuffix(o_.session_time_zone) : "") + "\"";
      return true;
    }
    bool has_zone = false;
    auto normalized = NormalizeTimestampText(text, &has_zone);
    if (!normalized && ltz) normalized = NormalizeTimestampText(WithoutGmt(text), &has_zone);
    if (!normalized) return false;
    if (!ltz) {
      if (has_zone) return false;
      *out = "\"" + *normalized + "\"";
      return true;
    }
    // "yyyy-mm-dd hh:mm:ss.ffffff[ zone]"
    const size_t zone_at = has_zone ? normalized->rfind(' ') : std::string::npos;
    const std::string local = normalized->substr(0, zone_at);
    const std::string zone =
        zone_at == std::string::npos ? o_.session_time_zone : normalized->substr(zone_at + 1);
    *out = "\"" + local + ZoneSuffix(zone) + "\"";
    return true;
  }

  const JsonConvertOptions& o_;
  std::optional<std::vector<DatetimePatternItem>> timestamp_, ntz_, date_;
};

}  // namespace

std::optional<DataType> FromJsonUnsupported(const DataType& type) {
  switch (type.id) {
    case TypeId::kStruct:
      for (const StructField& field : type.fields) {
        if (auto bad = FromJsonUnsupported(*field.type)) return bad;
      }
      return std::nullopt;
    case TypeId::kArray:
      return FromJsonUnsupported(*type.element);
    case TypeId::kMap:
      if (!type.key->is(TypeId::kString)) return type;
      return FromJsonUnsupported(*type.value);
    case TypeId::kBoolean:
    case TypeId::kByte:
    case TypeId::kShort:
    case TypeId::kInt:
    case TypeId::kLong:
    case TypeId::kFloat:
    case TypeId::kDouble:
    case TypeId::kDecimal:
    case TypeId::kString:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampNtz:
      return std::nullopt;
    default:
      return type;
  }
}

Result<std::optional<std::string>> FromJsonNormalize(const std::string& json,
                                                     const DataType& schema,
                                                     const JsonConvertOptions& options) {
  JsonValue value;
  const JsonRead read = ReadJson(json, options.read, &value);
  if (read == JsonRead::kEmpty) return std::optional<std::string>();
  const bool is_struct = schema.is(TypeId::kStruct);
  // A malformed record: a struct of NULLs (PERMISSIVE mode), else NULL.
  const std::optional<std::string> bad =
      is_struct ? std::optional<std::string>("{}") : std::optional<std::string>();
  if (read == JsonRead::kMalformed) return bad;
  Converter converter(options);
  std::string out;
  bool ok = false;
  if (is_struct) {
    ok = value.kind == JsonValue::Kind::kObject && converter.Struct(value, schema, true, &out);
  } else if (schema.is(TypeId::kArray) && value.kind == JsonValue::Kind::kObject &&
             schema.element->is(TypeId::kStruct)) {
    // An object read as an array of structs is an array of that one struct.
    ok = converter.Struct(value, *schema.element, false, &out);
    out = "[" + out + "]";
  } else if (value.kind != JsonValue::Kind::kNull &&
             (value.kind == JsonValue::Kind::kArray) == schema.is(TypeId::kArray) &&
             (value.kind == JsonValue::Kind::kObject) == schema.is(TypeId::kMap)) {
    ok = converter.Convert(value, schema, &out);
  }
  if (!converter.error.ok()) return converter.error;
  if (!ok) return bad;
  return std::optional<std::string>(out);
}

// ---- Options as text ---------------------------------------------------------------------

std::string EncodeJsonOptions(const JsonConvertOptions& o) {
  auto flag = [](bool b) { return b ? "true" : "false"; };
  return std::string("{\"single_quotes\":") + flag(o.read.single_quotes) +
         ",\"control_chars\":" + flag(o.read.unescaped_control_chars) +
         ",\"non_numeric\":" + flag(o.read.non_numeric_numbers) +
         ",\"leading_zeros\":" + flag(o.read.leading_zeros) +
         ",\"escape_any\":" + flag(o.read.backslash_escaping_any) +
         ",\"timestamp\":" + JacksonString(o.timestamp_format) +
         ",\"timestamp_ntz\":" + JacksonString(o.timestamp_ntz_format) +
         ",\"date\":" + JacksonString(o.date_format) +
         ",\"zone\":" + JacksonString(o.session_time_zone) + "}";
}

JsonConvertOptions DecodeJsonOptions(const std::string& text) {
  JsonConvertOptions o;
  JsonValue value;
  if (ReadJson(text, JsonReadOptions(), &value) != JsonRead::kValue) return o;
  for (const auto& [name, field] : value.fields) {
    const bool on = field.kind == JsonValue::Kind::kTrue;
    if (name == "single_quotes") o.read.single_quotes = on;
    if (name == "control_chars") o.read.unescaped_control_chars = on;
    if (name == "non_numeric") o.read.non_numeric_numbers = on;
    if (name == "leading_zeros") o.read.leading_zeros = on;
    if (name == "escape_any") o.read.backslash_escaping_any = on;
    if (name == "timestamp") o.timestamp_format = field.text;
    if (name == "timestamp_ntz") o.timestamp_ntz_format = field.text;
    if (name == "date") o.date_format = field.text;
    if (name == "zone") o.session_time_zone = field.text;
  }
  return o;
}

}  // namespace sluice::spark
