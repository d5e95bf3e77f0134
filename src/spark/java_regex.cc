#include "spark/java_regex.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "common/strings.h"
#include "spark/utf8.h"

namespace sluice::spark::internal {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr int kMaxRepeat = 1000;  // RE2's limit on counted repetition

// A set of code points as sorted, disjoint ranges.
class RangeSet {
 public:
  void Add(char32_t lo, char32_t hi) { ranges_.emplace_back(lo, hi); }
  void AddAll(const RangeSet& other) {
    ranges_.insert(ranges_.end(), other.ranges_.begin(), other.ranges_.end());
  }
  void Normalize() {
    std::sort(ranges_.begin(), ranges_.end());
    std::vector<std::pair<char32_t, char32_t>> merged;
    for (const auto& r : ranges_) {
      if (!merged.empty() && r.first <= merged.back().second + 1) {
        merged.back().second = std::max(merged.back().second, r.second);
      } else {
        merged.push_back(r);
      }
    }
    ranges_ = std::move(merged);
  }
  RangeSet Complement() const {
    RangeSet copy = *this;
    copy.Normalize();
    RangeSet out;
    char32_t next = 0;
    for (const auto& [lo, hi] : copy.ranges_) {
      if (lo > next) out.Add(next, lo - 1);
      next = hi + 1;
    }
    if (next <= kMaxCodePoint) out.Add(next, kMaxCodePoint);
    return out;
  }
  // Java's CASE_INSENSITIVE without UNICODE_CASE: ASCII letters match either case.
  void FoldAsciiCase() {
    const auto ranges = ranges_;
    for (const auto& [lo, hi] : ranges) {
      for (char32_t base : {U'a', U'A'}) {
        const char32_t from = std::max<char32_t>(lo, base), to = std::min<char32_t>(hi, base + 25);
        if (from <= to) Add(from ^ 0x20, to ^ 0x20);
      }
    }
  }
  bool empty() const { return ranges_.empty(); }
  std::string Items() const {
    std::string out;
    auto hex = [](char32_t cp) {
      char buffer[16];
      snprintf(buffer, sizeof(buffer), "\\x{%X}", static_cast<unsigned>(cp));
      return std::string(buffer);
    };
    for (const auto& [lo, hi] : ranges_) out += lo == hi ? hex(lo) : hex(lo) + "-" + hex(hi);
    return out;
  }

 private:
  std::vector<std::pair<char32_t, char32_t>> ranges_;
};

RangeSet Ranges(std::initializer_list<std::pair<char32_t, char32_t>> ranges) {
  RangeSet out;
  for (const auto& [lo, hi] : ranges) out.Add(lo, hi);
  return out;
}

// Java's predefined classes (without UNICODE_CHARACTER_CLASS).
std::optional<RangeSet> Predefined(char32_t letter) {
  RangeSet set;
  switch (std::tolower(static_cast<int>(letter))) {
    case 'd':
      set = Ranges({{'0', '9'}});
      break;
    case 'w':
      set = Ranges({{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}});
      break;
    case 's':
      set = Ranges({{'\t', '\r'}, {' ', ' '}});
      break;
    case 'h':
      set = Ranges({{' ', ' '},
                    {'\t', '\t'},
                    {0xA0, 0xA0},
                    {0x1680, 0x1680},
                    {0x180E, 0x180E},
                    {0x2000, 0x200A},
                    {0x202F, 0x202F},
                    {0x205F, 0x205F},
                    {0x3000, 0x3000}});
      break;
    case 'v':
      set = Ranges({{'\n', '\r'}, {0x85, 0x85}, {0x2028, 0x2029}});
      break;
    default:
      return std::nullopt;
  }
  if (letter >= 'A' && letter <= 'Z') return set.Complement();
  return set;
}

// A POSIX property (\p{Alpha}), US-ASCII only as in Java.
std::optional<RangeSet> PosixProperty(const std::string& name) {
  if (name == "Lower") return Ranges({{'a', 'z'}});
  if (name == "Upper") return Ranges({{'A', 'Z'}});
  if (name == "ASCII") return Ranges({{0, 0x7F}});
  if (name == "Alpha") return Ranges({{'a', 'z'}, {'A', 'Z'}});
  if (name == "Digit") return Ranges({{'0', '9'}});
  if (name == "Alnum") return Ranges({{'a', 'z'}, {'A', 'Z'}, {'0', '9'}});
  if (name == "Punct") return Ranges({{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}});
  if (name == "Graph") return Ranges({{'!', '~'}});
  if (name == "Print") return Ranges({{' ', '~'}});
  if (name == "Blank") return Ranges({{' ', ' '}, {'\t', '\t'}});
  if (name == "Cntrl") return Ranges({{0, 0x1F}, {0x7F, 0x7F}});
  if (name == "XDigit") return Ranges({{'0', '9'}, {'a', 'f'}, {'A', 'F'}});
  if (name == "Space") return Ranges({{'\t', '\r'}, {' ', ' '}});
  return std::nullopt;
}

bool IsCategory(const std::string& name) {
  static const char* kCategories[] = {"L",  "Lu", "Ll", "Lt", "Lm", "Lo", "M",  "Mn", "Mc",
                                      "Me", "N",  "Nd", "Nl", "No", "P",  "Pc", "Pd", "Ps",
                                      "Pe", "Pi", "Pf", "Po", "S",  "Sm", "Sc", "Sk", "So",
                                      "Z",  "Zs", "Zl", "Zp", "Cc", "Cf", "Co"};
  for (const char* category : kCategories) {
    if (name == category) return true;
  }
  return false;
}

std::optional<std::string> Script(const std::string& name) {
  static const char* kScripts[] = {"Latin",    "Greek",      "Cyrillic", "Armenian", "Hebrew",
                                   "Arabic",   "Devanagari", "Bengali",  "Gurmukhi", "Gujarati",
                                   "Oriya",    "Tamil",      "Telugu",   "Kannada",  "Malayalam",
                                   "Sinhala",  "Thai",       "Lao",      "Tibetan",  "Myanmar",
                                   "Georgian", "Hangul",     "Ethiopic", "Khmer",    "Mongolian",
                                   "Hiragana", "Katakana",   "Han",      "Common",   "Inherited"};
  for (const char* script : kScripts) {
    if (EqualsIgnoreCase(name, script)) return std::string(script);
  }
  return std::nullopt;
}

bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsOctal(char32_t c) { return c >= '0' && c <= '7'; }
int HexValue(char32_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string LiteralRe2(char32_t cp) {
  if ((cp >= '0' && cp <= '9') || IsAsciiLetter(cp)) return std::string(1, static_cast<char>(cp));
  char buffer[16];
  snprintf(buffer, sizeof(buffer), "\\x{%X}", static_cast<unsigned>(cp));
  return buffer;
}

struct Flags {
  bool case_insensitive = false;  // i
  bool multiline = false;         // m
  bool dotall = false;            // s
  bool comments = false;          // x
  bool unix_lines = false;        // d
};

// A translated piece: `prefix` (literal text a quantifier does not apply to, from \Q..\E)
// then `text`, a single RE2 atom when it can be quantified.
struct Node {
  std::string prefix;
  std::string text;
  bool nullable = false;
  bool consumes = true;    // can match a non-empty string
  bool assertion = false;  // zero-width: an anchor or boundary
  bool captures = false;   // contains a capturing group
  bool empty = false;      // nothing to match (an inline flag group, an empty quote)
};

// What an escape sequence stands for.
struct Escape {
  enum Kind { kChar, kSet, kProperty, kNode, kQuote } kind = kChar;
  char32_t cp = 0;
  RangeSet set;
  std::string property;  // an RE2 \p{..} or \P{..} item
  Node node;
  std::vector<char32_t> quote;
};

class Parser {
 public:
  explicit Parser(std::string_view pattern) : p_(DecodeUtf8(pattern)) {}

  Result<JavaRegex> Run() {
    SLUICE_ASSIGN_OR_RETURN(Node node, Alternation());
    if (i_ < p_.size()) return Syntax("Unmatched closing ')'");
    out_.re2 = node.prefix + node.text;
    out_.nullable = node.nullable;
    out_.consumes = node.consumes;
    return out_;
  }

 private:
  Status Syntax(std::string_view message) const {
    return InvalidArgument(
        "[INVALID_PARAMETER_VALUE.PATTERN] the Java regular expression is "
        "invalid: ",
        message, " near index ", std::to_string(i_));
  }
  static Status Unsupported(std::string_view what) {
    return NotSupported("Java regular expressions with ", what,
                        " are not supported (DuckDB's RE2 engine cannot match them as Java does)");
  }

  bool AtEnd() const { return i_ >= p_.size(); }
  bool IsLineTerminator(char32_t c) const {
    if (flags_.unix_lines) return c == '\n';
    return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
  }
  // In COMMENTS mode whitespace and #-comments between tokens are ignored.
  void SkipComments() {
    if (!flags_.comments) return;
    while (i_ < p_.size()) {
      const char32_t c = p_[i_];
      if (c == ' ' || (c >= '\t' && c <= '\r')) {
        ++i_;
      } else if (c == '#') {
        while (i_ < p_.size() && !IsLineTerminator(p_[i_])) ++i_;
      } else {
        break;
      }
    }
  }
  std::optional<char32_t> Peek() {
    SkipComments();
    if (AtEnd()) return std::nullopt;
    return p_[i_];
  }

  Result<Node> Alternation() {
    std::vector<std::string> branches;
    bool nullable = false, consumes = false, captures = false;
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(Node branch, Sequence());
      branches.push_back(branch.prefix + branch.text);
      nullable = nullable || branch.nullable;
      consumes = consumes || branch.consumes;
      captures = captures || branch.captures;
      if (Peek() == U'|') {
        ++i_;
        continue;
      }
      break;
    }
    Node out;
    out.text = Join(branches, "|");
    out.nullable = nullable;
    out.consumes = consumes;
    out.captures = captures;
    return out;
  }

  Result<Node> Sequence() {
    Node out;
    out.nullable = true;
    out.consumes = false;
    while (true) {
      auto c = Peek();
      if (!c || *c == '|' || *c == ')') break;
      SLUICE_ASSIGN_OR_RETURN(Node atom, Atom());
      if (atom.empty) continue;
      SLUICE_ASSIGN_OR_RETURN(atom, Quantify(std::move(atom)));
      out.text += atom.prefix + atom.text;
      out.nullable = out.nullable && atom.nullable;
      out.consumes = out.consumes || atom.consumes || !atom.prefix.empty();
      out.captures = out.captures || atom.captures;
    }
    return out;
  }

  Result<Node> Quantify(Node atom) {
    auto c = Peek();
    if (!c || (*c != '*' && *c != '+' && *c != '?' && *c != '{')) return atom;
    if (atom.assertion) return Unsupported("a quantifier on an anchor or a boundary");
    int64_t min = 0, max = -1;
    std::string quantifier;
    ++i_;
    if (*c == '*') {
      quantifier = "*";
    } else if (*c == '+') {
      min = 1;
      quantifier = "+";
    } else if (*c == '?') {
      max = 1;
      quantifier = "?";
    } else {
      auto number = [&]() -> std::optional<int64_t> {
        if (AtEnd() || p_[i_] < '0' || p_[i_] > '9') return std::nullopt;
        int64_t value = 0;
        while (!AtEnd() && p_[i_] >= '0' && p_[i_] <= '9') {
          value = std::min<int64_t>(value * 10 + (p_[i_] - '0'), 1LL << 40);
          ++i_;
        }
        return value;
      };
      auto first = number();
      if (!first) return Syntax("Illegal repetition");
      min = max = *first;
      if (!AtEnd() && p_[i_] == ',') {
        ++i_;
        auto second = number();
        max = second ? *second : -1;
      }
      if (AtEnd() || p_[i_] != '}') return Syntax("Unclosed counted closure");
      ++i_;
      if (max >= 0 && max < min) return Syntax("Illegal repetition range");
      if (min > kMaxRepeat || max > kMaxRepeat) {
        return Unsupported("a counted repetition above 1000");
      }
      quantifier = "{" + std::to_string(min) + (max == min ? "" : ",") +
                   (max > min ? std::to_string(max) : "") + "}";
    }
    auto next = Peek();
    if (next == U'+') return Unsupported("possessive quantifiers");
    if (next == U'?') {
      ++i_;
      quantifier += "?";
    }
    atom.text += quantifier;
    if (atom.captures && atom.nullable && (max < 0 || max > 1)) out_.capture_in_empty_loop = true;
    atom.nullable = min == 0 || atom.nullable;
    atom.consumes = atom.consumes && max != 0;
    return atom;
  }

  Result<Node> Atom() {
    const char32_t c = p_[i_];
    Node node;
    switch (c) {
      case '(':
        return Group();
      case '[': {
        ++i_;
        SLUICE_ASSIGN_OR_RETURN(node.text, Class());
        return node;
      }
      case '.':
        ++i_;
        node.text = flags_.dotall       ? "(?s:.)"
                    : flags_.unix_lines ? "[^\\n]"
                                        : "[^\\n\\r\\x{85}\\x{2028}\\x{2029}]";
        return node;
      case '^':
        ++i_;
        return Caret();
      case '$':
        ++i_;
        return Dollar();
      case '\\': {
        SLUICE_ASSIGN_OR_RETURN(Escape e, ParseEscape(false));
        return EscapeNode(std::move(e));
      }
      case '*':
      case '+':
      case '?':
        return Syntax("Dangling meta character '" + std::string(1, static_cast<char>(c)) + "'");
      case '{':
        return Syntax("Illegal repetition");
      default:
        ++i_;
        node.text = CharText(c);
        return node;
    }
  }

  std::string CharText(char32_t c) const {
    if (flags_.case_insensitive && IsAsciiLetter(c)) {
      return "[" + std::string(1, static_cast<char>(c | 0x20)) +
             std::string(1, static_cast<char>(c & ~0x20)) + "]";
    }
    return LiteralRe2(c);
  }

  Node Assertion(std::string text) {
    Node node;
    node.text = std::move(text);
    node.nullable = true;
    node.consumes = false;
    node.assertion = true;
    return node;
  }

  Node Caret() {
    if (!flags_.multiline) return Assertion("\\A");
    out_.guards |=
        flags_.unix_lines ? kGuardFinalNewline : kGuardLineTerminators | kGuardFinalNewline;
    return Assertion("(?m:^)");
  }

  Node Dollar() {
    if (!flags_.multiline) {
      out_.guards |= kGuardFinalTerminator;
      return Assertion("\\z");
    }
    if (!flags_.unix_lines) out_.guards |= kGuardLineTerminators;
    return Assertion("(?m:$)");
  }

  Result<Node> EscapeNode(Escape e) {
    Node node;
    switch (e.kind) {
      case Escape::kChar:
        node.text = CharText(e.cp);
        return node;
      case Escape::kSet:
        if (flags_.case_insensitive) e.set.FoldAsciiCase();
        e.set.Normalize();
        node.text = "[" + e.set.Items() + "]";
        return node;
      case Escape::kProperty:
        node.text = e.property;
        return node;
      case Escape::kNode:
        return e.node;
      case Escape::kQuote:
        if (e.quote.empty()) {
          node.empty = true;
          return node;
        }
        for (size_t k = 0; k + 1 < e.quote.size(); ++k) node.prefix += CharText(e.quote[k]);
        node.text = CharText(e.quote.back());
        return node;
    }
    return node;
  }

  Result<Node> Group() {
    ++i_;  // (
    const Flags saved = flags_;
    std::string open = "(";
    if (!AtEnd() && p_[i_] == '?') {
      ++i_;
      if (AtEnd()) return Syntax("Unknown group type");
      const char32_t kind = p_[i_];
      if (kind == ':') {
        ++i_;
        open = "(?:";
      } else if (kind == '=' || kind == '!') {
        return Unsupported("lookahead");
      } else if (kind == '>') {
        return Unsupported("atomic groups");
      } else if (kind == '<') {
        ++i_;
        if (!AtEnd() && (p_[i_] == '=' || p_[i_] == '!')) return Unsupported("lookbehind");
        std::string name;
        while (!AtEnd() &&
               (IsAsciiLetter(p_[i_]) || (!name.empty() && p_[i_] >= '0' && p_[i_] <= '9'))) {
          name += static_cast<char>(p_[i_++]);
        }
        if (name.empty() || AtEnd() || p_[i_] != '>') {
          return Syntax("capturing group name does not start with a Latin letter");
        }
        ++i_;
        if (out_.names.count(name))
          return Syntax("Named capturing group <" + name + "> is already defined");
        out_.names[name] = ++out_.groups;
        open = "(?P<" + name + ">";
      } else {
        SLUICE_ASSIGN_OR_RETURN(bool scoped, InlineFlags());
        if (!scoped) {
          Node node;
          node.empty = true;  // the flags hold until the end of the enclosing group
          return node;
        }
        open = "(?:";
      }
    } else {
      ++out_.groups;
    }
    SLUICE_ASSIGN_OR_RETURN(Node inner, Alternation());
    if (Peek() != U')') return Syntax("Unclosed group");
    ++i_;
    flags_ = saved;
    Node node;
    node.text = open + inner.prefix + inner.text + ")";
    node.nullable = inner.nullable;
    node.consumes = inner.consumes;
    node.captures = inner.captures || open == "(" || StartsWith(open, "(?P<");
    return node;
  }

  // After "(?": flags up to ')' (a flag group; returns false) or ':' (returns true).
  Result<bool> InlineFlags() {
    bool on = true;
    while (!AtEnd()) {
      const char32_t c = p_[i_++];
      switch (c) {
        case 'i':
          flags_.case_insensitive = on;
          break;
        case 'm':
          flags_.multiline = on;
          break;
        case 's':
          flags_.dotall = on;
          break;
        case 'x':
          flags_.comments = on;
          break;
        case 'd':
          flags_.unix_lines = on;
          break;
        case 'u':
          if (on) return Unsupported("UNICODE_CASE (?u)");
          break;
        case 'U':
          if (on) return Unsupported("UNICODE_CHARACTER_CLASS (?U)");
          break;
        case 'c':
          if (on) return Unsupported("CANON_EQ (?c)");
          break;
        case '-':
          on = false;
          break;
        case ')':
          return false;
        case ':':
          return true;
        default:
          return Syntax("Unknown inline modifier");
      }
    }
    return Syntax("Unknown inline modifier");
  }

  Result<Escape> ParseEscape(bool in_class) {
    ++i_;  // backslash
    if (AtEnd()) return Syntax("Unexpected internal error");
    const char32_t c = p_[i_++];
    Escape e;
    auto character = [&](char32_t cp) {
      e.kind = Escape::kChar;
      e.cp = cp;
      return e;
    };
    switch (c) {
      case '0': {
        if (AtEnd() || !IsOctal(p_[i_])) return Syntax("Illegal octal escape sequence");
        char32_t value = p_[i_++] - '0';
        if (!AtEnd() && IsOctal(p_[i_])) {
          const char32_t second = p_[i_++] - '0';
          if (value <= 3 && !AtEnd() && IsOctal(p_[i_])) {
            value = value * 64 + second * 8 + (p_[i_++] - '0');
          } else {
            value = value * 8 + second;
          }
        }
        return character(value);
      }
      case 'a':
        return character(0x07);
      case 'e':
        return character(0x1B);
      case 'f':
        return character(0x0C);
      case 'n':
        return character(0x0A);
      case 'r':
        return character(0x0D);
      case 't':
        return character(0x09);
      case 'c':
        if (AtEnd()) return Syntax("Illegal control escape sequence");
        return character(p_[i_++] ^ 64);
      case 'x':
        return HexEscape(e);
      case 'u':
        return UnicodeEscape(e);
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
      case 'h':
      case 'H':
      case 'v':
      case 'V':
        e.kind = Escape::kSet;
        e.set = *Predefined(c);
        return e;
      case 'p':
      case 'P':
        return Property(e, c == 'P');
      case 'Q': {
        e.kind = Escape::kQuote;
        while (!AtEnd() && !(p_[i_] == '\\' && i_ + 1 < p_.size() && p_[i_ + 1] == 'E')) {
          e.quote.push_back(p_[i_++]);
        }
        if (!AtEnd()) i_ += 2;
        return e;
      }
      default:
        break;
    }
    if (c >= '1' && c <= '9') return Unsupported("backreferences");
    if (!in_class) {
      e.kind = Escape::kNode;
      switch (c) {
        case 'b':
        case 'B':
          if (!AtEnd() && p_[i_] == '{') return Unsupported("\\b{g}");
          out_.guards |= kGuardNonAsciiWord;
          e.node = Assertion(c == 'b' ? "\\b" : "\\B");
          return e;
        case 'A':
          e.node = Assertion("\\A");
          return e;
        case 'z':
          e.node = Assertion("\\z");
          return e;
        case 'Z': {
          out_.guards |= kGuardFinalTerminator;
          e.node = Assertion("\\z");
          return e;
        }
        case 'G':
          return Unsupported("\\G");
        case 'R':
          return Unsupported("\\R");
        case 'X':
          return Unsupported("\\X");
        case 'N':
          return Unsupported("\\N{name}");
        case 'k':
          return Unsupported("backreferences");
        default:
          break;
      }
    }
    if (IsAsciiLetter(c)) return Syntax("Illegal/unsupported escape sequence");
    return character(c);
  }

  Result<Escape> HexEscape(Escape& e) {
    char32_t value = 0;
    if (!AtEnd() && p_[i_] == '{') {
      ++i_;
      int digits = 0;
      while (!AtEnd() && HexValue(p_[i_]) >= 0) {
        value = value * 16 + HexValue(p_[i_++]);
        if (value > kMaxCodePoint) return Syntax("Hexadecimal codepoint is too big");
        ++digits;
      }
      if (digits == 0 || AtEnd() || p_[i_] != '}')
        return Syntax("Unclosed hexadecimal escape sequence");
      ++i_;
    } else {
      for (int k = 0; k < 2; ++k) {
        if (AtEnd() || HexValue(p_[i_]) < 0) return Syntax("Illegal hexadecimal escape sequence");
        value = value * 16 + HexValue(p_[i_++]);
      }
    }
    if (value >= 0xD800 && value <= 0xDFFF) return Unsupported("surrogate code units");
    e.kind = Escape::kChar;
    e.cp = value;
    return e;
  }

  Result<Escape> UnicodeEscape(Escape& e) {
    auto four = [&]() -> std::optional<char32_t> {
      char32_t value = 0;
      for (int k = 0; k < 4; ++k) {
        if (AtEnd() || HexValue(p_[i_]) < 0) return std::nullopt;
        value = value * 16 + HexValue(p_[i_++]);
      }
      return value;
    };
    auto unit = four();
    if (!unit) return Syntax("Illegal Unicode escape sequence");
    char32_t value = *unit;
    if (value >= 0xD800 && value <= 0xDBFF && i_ + 1 < p_.size() && p_[i_] == '\\' &&
        p_[i_ + 1] == 'u') {
      const size_t back = i_;
      i_ += 2;
      auto low = four();
      if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
        value = 0x10000 + ((value - 0xD800) << 10) + (*low - 0xDC00);
      } else {
        i_ = back;
      }
    }
    if (value >= 0xD800 && value <= 0xDFFF) return Unsupported("surrogate code units");
    e.kind = Escape::kChar;
    e.cp = value;
    return e;
  }

  Result<Escape> Property(Escape& e, bool negated) {
    std::string name;
    if (AtEnd()) return Syntax("Illegal character property");
    if (p_[i_] == '{') {
      ++i_;
      while (!AtEnd() && p_[i_] != '}') name += static_cast<char>(p_[i_++] & 0x7F);
      if (AtEnd()) return Syntax("Unclosed character property");
      ++i_;
    } else {
      name = std::string(1, static_cast<char>(p_[i_++] & 0x7F));
    }
    if (auto posix = PosixProperty(name)) {
      if (flags_.case_insensitive && (name == "Lower" || name == "Upper")) {
        return Unsupported("\\p{Lower} or \\p{Upper} in case-insensitive mode");
      }
      e.kind = Escape::kSet;
      e.set = negated ? posix->Complement() : *posix;
      return e;
    }
    std::string category;
    std::string value = name;
    for (const char* prefix : {"general_category=", "gc=", "script=", "sc="}) {
      if (StartsWith(name, prefix)) value = name.substr(std::string(prefix).size());
    }
    const bool script_key = StartsWith(name, "script=") || StartsWith(name, "sc=");
    const bool is_prefix = StartsWith(name, "Is");
    if (is_prefix) value = name.substr(2);
    if ((is_prefix || script_key) && Script(value)) {
      category = *Script(value);
    } else if (!script_key && IsCategory(value)) {
      if (flags_.case_insensitive && (value == "Lu" || value == "Ll" || value == "Lt")) {
        return Unsupported("case categories in case-insensitive mode");
      }
      category = value;
    } else {
      return Unsupported("the character property {" + name + "}");
    }
    e.kind = Escape::kProperty;
    e.property = std::string(negated ? "\\P{" : "\\p{") + category + "}";
    return e;
  }

  // After '[': a class of ranges, single characters, predefined classes and properties.
  Result<std::string> Class() {
    bool negated = false;
    if (!AtEnd() && p_[i_] == '^') {
      negated = true;
      ++i_;
    }
    RangeSet set;
    std::vector<std::string> properties;
    bool any = false;
    auto peek = [&]() -> std::optional<char32_t> {
      SkipComments();
      if (AtEnd()) return std::nullopt;
      return p_[i_];
    };
    while (true) {
      auto c = peek();
      if (!c) return Syntax("Unclosed character class");
      if (*c == ']' && any) {
        ++i_;
        break;
      }
      if (*c == '[') return Unsupported("nested character classes");
      if (*c == '&' && i_ + 1 < p_.size() && p_[i_ + 1] == '&') {
        return Unsupported("character class intersections");
      }
      any = true;
      char32_t lo;
      if (*c == '\\') {
        SLUICE_ASSIGN_OR_RETURN(Escape e, ParseEscape(true));
        if (e.kind == Escape::kSet) {
          set.AddAll(e.set);
          continue;
        }
        if (e.kind == Escape::kProperty) {
          properties.push_back(e.property);
          continue;
        }
        if (e.kind == Escape::kQuote) {
          for (char32_t q : e.quote) set.Add(q, q);
          continue;
        }
        lo = e.cp;
      } else {
        lo = *c;
        ++i_;
      }
      char32_t hi = lo;
      if (peek() == U'-' && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        ++i_;
        auto end = peek();
        if (!end) return Syntax("Unclosed character class");
        if (*end == '[') return Unsupported("nested character classes");
        if (*end == '\\') {
          SLUICE_ASSIGN_OR_RETURN(Escape e, ParseEscape(true));
          if (e.kind != Escape::kChar) return Syntax("Illegal character range");
          hi = e.cp;
        } else {
          hi = *end;
          ++i_;
        }
        if (hi < lo) return Syntax("Illegal character range");
      }
      set.Add(lo, hi);
    }
    if (flags_.case_insensitive) set.FoldAsciiCase();
    set.Normalize();
    if (properties.empty()) {
      if (negated) {
        set = set.Complement();
        negated = false;
      }
      if (set.empty()) return std::string("[^\\x{0}-\\x{10FFFF}]");
    }
    return "[" + std::string(negated ? "^" : "") + set.Items() + Join(properties, "") + "]";
  }

  std::vector<char32_t> p_;
  size_t i_ = 0;
  Flags flags_;
  JavaRegex out_;
};

}  // namespace

Result<JavaRegex> TranslateJavaRegex(std::string_view pattern) { return Parser(pattern).Run(); }

}  // namespace sluice::spark::internal
