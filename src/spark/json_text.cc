#include "spark/json_text.h"

#include <cmath>
#include <cstdlib>
#include <memory>

#include "spark/text_format.h"

namespace sluice::spark {
namespace {

constexpr int kMaxDepth = 1000;            // Jackson's StreamReadConstraints.maxNestingDepth
constexpr size_t kMaxNumberLength = 1000;  // and maxNumberLength

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(uint32_t code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

class Reader {
 public:
  Reader(std::string_view text, const JsonReadOptions& options) : t_(text), o_(options) {}

  JsonRead Read(JsonValue* out) {
    if (!SkipSpace()) return JsonRead::kMalformed;
    if (p_ >= t_.size()) return JsonRead::kEmpty;
    return Value(out, 0, true) ? JsonRead::kValue : JsonRead::kMalformed;
  }

 private:
  // White space between tokens: only space, tab, CR and LF; other control characters are
  // errors.
  bool SkipSpace() {
    while (p_ < t_.size()) {
      const unsigned char c = t_[p_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++p_;
      } else if (c < 0x20) {
        return false;
      } else {
        return true;
      }
    }
    return true;
  }

  bool At(char c) const { return p_ < t_.size() && t_[p_] == c; }

  // A keyword ends where an identifier would not continue (Jackson's _checkMatchEnd).
  bool Keyword(std::string_view word) {
    if (t_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    if (p_ >= t_.size()) return true;
    const unsigned char c = t_[p_];
    if (c < '0' || c == ']' || c == '}') return true;
    return !(std::isalnum(c) || c == '_' || c >= 0x80);
  }

  bool NonNumeric(std::string_view word, JsonValue* out) {
    if (!o_.non_numeric_numbers || !Keyword(word)) return false;
    out->kind = JsonValue::Kind::kFloat;
    out->text = std::string(word);
    return true;
  }

  bool Value(JsonValue* out, int depth, bool root) {
    if (p_ >= t_.size()) return false;
    const char c = t_[p_];
    switch (c) {
      case '{':
        return Object(out, depth + 1);
      case '[':
        return Array(out, depth + 1);
      case '"':
        out->kind = JsonValue::Kind::kString;
        return String('"', &out->text);
      case '\'':
        if (!o_.single_quotes) return false;
        out->kind = JsonValue::Kind::kString;
        return String('\'', &out->text);
      case 't':
        out->kind = JsonValue::Kind::kTrue;
        return Keyword("true");
      case 'f':
        out->kind = JsonValue::Kind::kFalse;
        return Keyword("false");
      case 'n':
        out->kind = JsonValue::Kind::kNull;
        return Keyword("null");
      case 'N':
        return NonNumeric("NaN", out);
      case 'I':
        return NonNumeric("Infinity", out);
      case '+':
        return NonNumeric("+INF", out) || NonNumeric("+Infinity", out);
      default:
        if (c == '-' || IsDigit(c)) return Number(out, root);
        return false;
    }
  }

  bool Number(JsonValue* out, bool root) {
    const size_t start = p_;
    if (At('-')) {
      ++p_;
      if (At('I')) {
        p_ = start;
        return NonNumeric("-INF", out) || NonNumeric("-Infinity", out);
      }
    }
    if (p_ >= t_.size() || !IsDigit(t_[p_])) return false;
    if (t_[p_] == '0' && p_ + 1 < t_.size() && IsDigit(t_[p_ + 1]) && !o_.leading_zeros) {
      return false;
    }
    while (p_ < t_.size() && IsDigit(t_[p_])) ++p_;
    bool fraction = false;
    if (At('.')) {
      fraction = true;
      ++p_;
      if (p_ >= t_.size() || !IsDigit(t_[p_])) return false;
      while (p_ < t_.size() && IsDigit(t_[p_])) ++p_;
    }
    if (At('e') || At('E')) {
      fraction = true;
      ++p_;
      if (At('+') || At('-')) ++p_;
      if (p_ >= t_.size() || !IsDigit(t_[p_])) return false;
      while (p_ < t_.size() && IsDigit(t_[p_])) ++p_;
    }
    if (p_ - start > kMaxNumberLength) return false;
    // A number at the top level must be followed by white space (or the end).
    if (root && p_ < t_.size()) {
      const char next = t_[p_];
      if (next != ' ' && next != '\t' && next != '\n' && next != '\r') return false;
    }
    out->kind = fraction ? JsonValue::Kind::kFloat : JsonValue::Kind::kInt;
    out->text = std::string(t_.substr(start, p_ - start));
    return true;
  }

  bool Hex4(uint32_t* code) {
    if (p_ + 4 > t_.size()) return false;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = t_[p_++];
      value <<= 4;
      if (h >= '0' && h <= '9') {
        value |= h - '0';
      } else if (h >= 'a' && h <= 'f') {
        value |= h - 'a' + 10;
      } else if (h >= 'A' && h <= 'F') {
        value |= h - 'A' + 10;
      } else {
        return false;
      }
    }
    *code = value;
    return true;
  }

  bool String(char quote, std::string* out) {
    ++p_;
    while (true) {
      if (p_ >= t_.size()) return false;
      const unsigned char c = t_[p_];
      if (c == static_cast<unsigned char>(quote)) {
        ++p_;
        return true;
      }
      if (c == '\\') {
        ++p_;
        if (p_ >= t_.size()) return false;
        const char e = t_[p_++];
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out->push_back(e);
            break;
          case 'b':
            out->push_back('\b');
            break;
          case 'f':
            out->push_back('\f');
            break;
          case 'n':
            out->push_back('\n');
            break;
          case 'r':
            out->push_back('\r');
            break;
          case 't':
            out->push_back('\t');
            break;
          case 'u': {
            uint32_t code = 0;
            if (!Hex4(&code)) return false;
            if (code >= 0xD800 && code <= 0xDBFF && t_.substr(p_, 2) == "\\u") {
              const size_t save = p_;
              p_ += 2;
              uint32_t low = 0;
              if (Hex4(&low) && low >= 0xDC00 && low <= 0xDFFF) {
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
              } else {
                p_ = save;
              }
            }
            if (code >= 0xD800 && code <= 0xDFFF) code = 0xFFFD;  // a lone surrogate
            AppendUtf8(code, out);
            break;
          }
          default:
            if ((e == '\'' && o_.single_quotes) || o_.backslash_escaping_any) {
              out->push_back(e);
              break;
            }
            return false;
        }
        continue;
      }
      if (c < 0x20 && !o_.unescaped_control_chars) return false;
      out->push_back(static_cast<char>(c));
      ++p_;
    }
  }

  bool Object(JsonValue* out, int depth) {
    if (depth > kMaxDepth) return false;
    out->kind = JsonValue::Kind::kObject;
    ++p_;
    if (!SkipSpace()) return false;
    if (At('}')) {
      ++p_;
      return true;
    }
    while (true) {
      std::string name;
      if (At('"')) {
        if (!String('"', &name)) return false;
      } else if (At('\'') && o_.single_quotes) {
        if (!String('\'', &name)) return false;
      } else {
        return false;
      }
      if (!SkipSpace() || !At(':')) return false;
      ++p_;
      if (!SkipSpace()) return false;
      JsonValue value;
      if (!Value(&value, depth, false)) return false;
      out->fields.emplace_back(std::move(name), std::move(value));
      if (!SkipSpace()) return false;
      if (At(',')) {
        ++p_;
        if (!SkipSpace()) return false;
        continue;
      }
      if (At('}')) {
        ++p_;
        return true;
      }
      return false;
    }
  }

  bool Array(JsonValue* out, int depth) {
    if (depth > kMaxDepth) return false;
    out->kind = JsonValue::Kind::kArray;
    ++p_;
    if (!SkipSpace()) return false;
    if (At(']')) {
      ++p_;
      return true;
    }
    while (true) {
      JsonValue value;
      if (!Value(&value, depth, false)) return false;
      out->items.push_back(std::move(value));
      if (!SkipSpace()) return false;
      if (At(',')) {
        ++p_;
        if (!SkipSpace()) return false;
        continue;
      }
      if (At(']')) {
        ++p_;
        return true;
      }
      return false;
    }
  }

  std::string_view t_;
  const JsonReadOptions& o_;
  size_t p_ = 0;
};

}  // namespace

JsonReadOptions HiveJsonOptions() {
  JsonReadOptions options;
  options.single_quotes = true;
  options.unescaped_control_chars = true;
  return options;
}

JsonReadOptions SparkJsonOptions() {
  JsonReadOptions options;
  options.single_quotes = true;
  options.non_numeric_numbers = true;
  return options;
}

JsonRead ReadJson(std::string_view text, const JsonReadOptions& options, JsonValue* out) {
  *out = JsonValue();
  return Reader(text, options).Read(out);
}

std::string JacksonString(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  return out + "\"";
}

std::string CanonicalInteger(const std::string& text) {
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  while (i + 1 < text.size() && text[i] == '0') ++i;
  const std::string digits = text.substr(i);
  if (digits == "0") return "0";
  return (negative ? "-" : "") + digits;
}

namespace {

// Jackson's writeNumber(double): Double.toString, non-finite values as quoted strings.
std::string DoubleText(const JsonValue& value) {
  double d;
  const std::string& t = value.text;
  if (t == "NaN") {
    d = std::nan("");
  } else if (t == "Infinity" || t == "+Infinity" || t == "+INF") {
    d = HUGE_VAL;
  } else if (t == "-Infinity" || t == "-INF") {
    d = -HUGE_VAL;
  } else {
    d = std::strtod(t.c_str(), nullptr);
  }
  if (std::isnan(d)) return "\"NaN\"";
  if (std::isinf(d)) return d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  return JavaDoubleString(d);
}

}  // namespace

void WriteJackson(const JsonValue& value, std::string* out) {
  switch (value.kind) {
    case JsonValue::Kind::kNull:
      *out += "null";
      return;
    case JsonValue::Kind::kTrue:
      *out += "true";
      return;
    case JsonValue::Kind::kFalse:
      *out += "false";
      return;
    case JsonValue::Kind::kInt:
      *out += CanonicalInteger(value.text);
      return;
    case JsonValue::Kind::kFloat:
      *out += DoubleText(value);
      return;
    case JsonValue::Kind::kString:
      *out += JacksonString(value.text);
      return;
    case JsonValue::Kind::kArray:
      out->push_back('[');
      for (size_t i = 0; i < value.items.size(); ++i) {
        if (i > 0) out->push_back(',');
        WriteJackson(value.items[i], out);
      }
      out->push_back(']');
      return;
    case JsonValue::Kind::kObject:
      out->push_back('{');
      for (size_t i = 0; i < value.fields.size(); ++i) {
        if (i > 0) out->push_back(',');
        *out += JacksonString(value.fields[i].first);
        out->push_back(':');
        WriteJackson(value.fields[i].second, out);
      }
      out->push_back('}');
      return;
  }
}

std::string JacksonText(const JsonValue& value) {
  std::string out;
  WriteJackson(value, &out);
  return out;
}

// ---- get_json_object ---------------------------------------------------------------------

namespace {

// Spark's JsonPathParser instructions.
struct PathStep {
  enum class Kind { kSubscript, kWildcard, kKey, kIndex, kNamed } kind;
  std::string name = "";  // kNamed
  uint64_t index = 0;     // kIndex
};
using Path = std::vector<PathStep>;

// Spark's path grammar (Scala RegexParsers): '$' then `.name`, `['name']`, `[n]`, `[*]`,
// `.*` or `['*']`. Character tokens do not skip white space; strings and patterns do.
class PathParser {
 public:
  explicit PathParser(std::string_view text) : t_(text) {}

  // nullopt: not a path (NULL). Sets *overflow when an index is beyond Java's long.
  std::optional<Path> Parse(bool* overflow) {
    if (!Char('$')) return std::nullopt;
    Path path;
    while (true) {
      const size_t save = p_;
      if (Literal(".*") || Literal("['*']")) {
        path.push_back({PathStep::Kind::kWildcard});
        continue;
      }
      p_ = save;
      if (Named(&path)) continue;
      p_ = save;
      const int subscript = Subscript(&path, overflow);
      if (subscript < 0) return std::nullopt;
      if (subscript > 0) continue;
      p_ = save;
      break;
    }
    SkipSpace();
    if (p_ != t_.size()) return std::nullopt;
    return path;
  }

 private:
  void SkipSpace() {
    while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  bool Char(char c) {
    if (p_ < t_.size() && t_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool Literal(std::string_view text) {
    SkipSpace();
    if (t_.substr(p_, text.size()) != text) return false;
    p_ += text.size();
    return true;
  }
  // A run of characters other than `stop` (after white space), at least one.
  bool Run(std::string_view stop, std::string* out) {
    SkipSpace();
    const size_t start = p_;
    while (p_ < t_.size() && stop.find(t_[p_]) == std::string_view::npos) ++p_;
    *out = std::string(t_.substr(start, p_ - start));
    return p_ > start;
  }
  bool Named(Path* path) {
    std::string name;
    const size_t save = p_;
    if (Char('.') && Run(".[", &name)) {
      path->push_back({PathStep::Kind::kKey});
      path->push_back({PathStep::Kind::kNamed, name});
      return true;
    }
    p_ = save;
    if (Literal("['") && Run("'?", &name) && Literal("']")) {
      path->push_back({PathStep::Kind::kKey});
      path->push_back({PathStep::Kind::kNamed, name});
      return true;
    }
    return false;
  }
  // 1: parsed; 0: not a subscript; -1: an index too large.
  int Subscript(Path* path, bool* overflow) {
    if (!Char('[')) return 0;
    if (Char('*')) {
      if (!Char(']')) return 0;
      path->push_back({PathStep::Kind::kSubscript});
      path->push_back({PathStep::Kind::kWildcard});
      return 1;
    }
    SkipSpace();
    const size_t start = p_;
    while (p_ < t_.size() && IsDigit(t_[p_])) ++p_;
    if (p_ == start) return 0;
    const std::string digits(t_.substr(start, p_ - start));
    const std::string canonical = CanonicalInteger(digits);
    if (canonical.size() > 19 || (canonical.size() == 19 && canonical > "9223372036854775807")) {
      *overflow = true;
      return -1;
    }
    if (!Char(']')) return 0;
    path->push_back({PathStep::Kind::kSubscript});
    path->push_back({PathStep::Kind::kIndex, "", std::stoull(canonical)});
    return 1;
  }

  std::string_view t_;
  size_t p_ = 0;
};

enum class Style { kRaw, kQuoted, kFlatten };

// Jackson's JsonGenerator as get_json_object drives it: commas between array elements,
// a space between top-level values; raw text writes no separator.
class Generator {
 public:
  std::string out;

  void StartArray() {
    BeforeValue();
    out.push_back('[');
    counts_.push_back(0);
  }
  void EndArray() {
    out.push_back(']');
    counts_.pop_back();
  }
  void Raw(const std::string& text) { out += text; }
  void RawValue(const std::string& text) {
    BeforeValue();
    out += text;
  }
  void Copy(const JsonValue& value) {
    BeforeValue();
    WriteJackson(value, &out);
  }

 private:
  void BeforeValue() {
    int& count = counts_.back();
    if (count > 0) out.push_back(counts_.size() == 1 ? ' ' : ',');
    ++count;
  }
  std::vector<int> counts_{0};  // values written per open array; [0] is the top level
};

bool Is(const Path& path, size_t at, PathStep::Kind kind) {
  return at < path.size() && path[at].kind == kind;
}

// GetJsonObject.evaluatePath on a value, the path from `at`: whether anything was written.
bool Evaluate(const JsonValue& v, Generator& g, Style style, const Path& path, size_t at) {
  using Kind = JsonValue::Kind;
  const bool end = at == path.size();
  if (end && v.kind == Kind::kString && style == Style::kRaw) {
    g.Raw(v.text);
    return true;
  }
  if (end && v.kind == Kind::kArray && style == Style::kFlatten) {
    bool dirty = false;
    for (const JsonValue& item : v.items) dirty |= Evaluate(item, g, style, path, at);
    return dirty;
  }
  if (end) {
    g.Copy(v);
    return true;
  }
  if (v.kind == Kind::kObject && Is(path, at, PathStep::Kind::kKey)) {
    // Fields: the first that matches (and is not null) wins.
    for (const auto& [name, value] : v.fields) {
      const size_t next = at + 1;
      if (Is(path, next, PathStep::Kind::kNamed) && path[next].name == name) {
        if (value.kind != Kind::kNull && Evaluate(value, g, style, path, next + 1)) return true;
      } else if (Is(path, next, PathStep::Kind::kWildcard)) {
        if (Evaluate(value, g, style, path, next + 1)) return true;
      }
    }
    return false;
  }
  if (v.kind != Kind::kArray || !Is(path, at, PathStep::Kind::kSubscript)) return false;
  const size_t after = at + 2;
  if (Is(path, at + 1, PathStep::Kind::kWildcard)) {
    if (Is(path, after, PathStep::Kind::kSubscript) &&
        Is(path, after + 1, PathStep::Kind::kWildcard)) {
      // Hive's non-structure-preserving double wildcard.
      bool dirty = false;
      g.StartArray();
      for (const JsonValue& item : v.items) {
        dirty |= Evaluate(item, g, Style::kFlatten, path, after + 2);
      }
      g.EndArray();
      return dirty;
    }
    if (style != Style::kQuoted) {
      // Matches are buffered; one match is written without the array around it.
      Generator buffer;
      buffer.StartArray();
      int dirty = 0;
      const Style next = style == Style::kRaw ? Style::kQuoted : Style::kFlatten;
      for (const JsonValue& item : v.items) dirty += Evaluate(item, buffer, next, path, after);
      buffer.EndArray();
      if (dirty > 1) {
        g.RawValue(buffer.out);
      } else if (dirty == 1) {
        g.RawValue(buffer.out.substr(1, buffer.out.size() - 2));
      }
      return dirty > 0;
    }
    bool dirty = false;
    g.StartArray();
    for (const JsonValue& item : v.items) dirty |= Evaluate(item, g, Style::kQuoted, path, after);
    g.EndArray();
    return dirty;
  }
  if (Is(path, at + 1, PathStep::Kind::kIndex)) {
    const uint64_t index = path[at + 1].index;
    if (index >= v.items.size()) return false;
    const bool quoted = Is(path, after, PathStep::Kind::kSubscript) &&
                        Is(path, after + 1, PathStep::Kind::kWildcard);
    return Evaluate(v.items[index], g, quoted ? Style::kQuoted : style, path, after);
  }
  return false;
}

}  // namespace

std::optional<std::string> GetJsonObject(std::string_view json, std::string_view path_text,
                                         std::string* error) {
  bool overflow = false;
  auto path = PathParser(path_text).Parse(&overflow);
  if (overflow) {
    *error = "For input string: \"" + std::string(path_text) + "\" (an index out of range)";
    return std::nullopt;
  }
  if (!path) return std::nullopt;
  JsonValue value;
  if (ReadJson(json, HiveJsonOptions(), &value) != JsonRead::kValue) return std::nullopt;
  Generator g;
  if (!Evaluate(value, g, Style::kRaw, *path, 0)) return std::nullopt;
  return g.out;
}

}  // namespace sluice::spark
