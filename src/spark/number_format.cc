#include "spark/number_format.h"

#include <algorithm>

#include "spark/utf8.h"

namespace sluice::spark::internal {
namespace {

using Kind = NumberFormat::Kind;
using Token = NumberFormat::Token;

int DigitCount(const Token& group) {
  int n = 0;
  for (const Token& t : group.group) {
    if (t.kind == Kind::kExactDigits || t.kind == Kind::kAtMostDigits) n += t.digits;
  }
  return n;
}

bool SameToken(const Token& a, const Token& b) {
  if (a.kind == Kind::kGroups || b.kind == Kind::kGroups) return a.kind == b.kind;
  return a.kind == b.kind;
}

// Appends c; if a space precedes it, c moves left past the spaces.
void AppendMovingLeft(std::string& out, char c) {
  out += c;
  for (size_t i = out.size() - 1; i >= 1 && out[i - 1] == ' ' && out[i] == c; --i) {
    out[i] = ' ';
    out[i - 1] = c;
  }
}

// Appends a space; a sign or '<' before it moves right, next to the digits.
void AppendSpace(std::string& out) {
  out += ' ';
  for (size_t i = out.size() - 1;
       i >= 1 && (out[i - 1] == '+' || out[i - 1] == '-' || out[i - 1] == '<') && out[i] == ' ';
       --i) {
    out[i] = out[i - 1];
    out[i - 1] = ' ';
  }
}

void StripLoneDecimalPoint(std::string& out) {
  const size_t i = out.find('.');
  if (i != std::string::npos && (i == out.size() - 1 || out[i + 1] == ' ')) out[i] = ' ';
}

}  // namespace

Result<NumberFormat> NumberFormat::Parse(std::string_view format) {
  NumberFormat out;
  out.format_ = std::string(format);
  auto invalid = [&](std::string_view why) {
    return InvalidArgument("[INVALID_FORMAT.", why, "] The format is invalid: '",
                           std::string(format), "'.");
  };
  if (format.empty()) return invalid("EMPTY");
  std::vector<Token> tokens;
  bool reached_point = false;
  for (size_t i = 0; i < format.size();) {
    const char c = format[i];
    if (c == '0' || c == '9') {
      const size_t start = i;
      do {
        ++i;
      } while (i < format.size() && (format[i] == '0' || format[i] == '9'));
      const bool exact = c == '0' && !reached_point;
      tokens.push_back(
          {exact ? Kind::kExactDigits : Kind::kAtMostDigits, static_cast<int>(i - start)});
      continue;
    }
    if (c == '.' || c == 'D') {
      tokens.push_back({Kind::kDecimalPoint});
      reached_point = true;
    } else if (c == ',' || c == 'G') {
      tokens.push_back({Kind::kSeparator});
    } else if (c == '$') {
      tokens.push_back({Kind::kDollar});
    } else if (c == 'S') {
      tokens.push_back({Kind::kPlusMinus});
    } else if (c == 'M' && i + 1 < format.size() && format[i + 1] == 'I') {
      tokens.push_back({Kind::kMinus});
      ++i;
    } else if (c == 'P' && i + 1 < format.size() && format[i + 1] == 'R') {
      tokens.insert(tokens.begin(), Token{Kind::kOpenBracket});
      tokens.push_back({Kind::kCloseBracket});
      ++i;
    } else {
      tokens.push_back({Kind::kInvalid});
    }
    ++i;
  }
  // Consecutive digits and separators form one group, kept right to left.
  std::vector<Token> grouped;
  Token current{Kind::kGroups};
  auto flush = [&]() {
    if (current.group.empty()) return;
    std::reverse(current.group.begin(), current.group.end());
    grouped.push_back(current);
    current = Token{Kind::kGroups};
  };
  for (const Token& t : tokens) {
    if (t.kind == Kind::kExactDigits || t.kind == Kind::kAtMostDigits ||
        t.kind == Kind::kSeparator) {
      current.group.push_back(t);
    } else {
      flush();
      grouped.push_back(t);
    }
  }
  flush();
  out.tokens_ = grouped;

  int point = -1, first_digits = -1, first_dollar = -1;
  for (size_t i = 0; i < grouped.size(); ++i) {
    if (grouped[i].kind == Kind::kDecimalPoint && point < 0) point = static_cast<int>(i);
    if (grouped[i].kind == Kind::kGroups && first_digits < 0) first_digits = static_cast<int>(i);
    if (grouped[i].kind == Kind::kDollar && first_dollar < 0) first_dollar = static_cast<int>(i);
    if (grouped[i].kind == Kind::kGroups) {
      out.precision_ += DigitCount(grouped[i]);
      if (point >= 0) out.scale_ += DigitCount(grouped[i]);
    }
  }
  if (first_digits < 0) return invalid("WRONG_NUM_DIGIT");
  if (first_digits < first_dollar) return invalid("CUR_MUST_BEFORE_DIGIT");
  if (point >= 0 && point < first_dollar) return invalid("CUR_MUST_BEFORE_DEC");
  for (size_t i = 0; i < grouped.size(); ++i) {
    if (grouped[i].kind != Kind::kGroups) continue;
    const auto& g = grouped[i].group;
    const bool after_point = point >= 0 && static_cast<int>(i) > point;
    for (size_t j = 0; j < g.size(); ++j) {
      if (g[j].kind != Kind::kSeparator) continue;
      if (after_point) return invalid("THOUSANDS_SEPS_MUST_BEFORE_DEC");
      if (j == 0 || j == g.size() - 1 || g[j - 1].kind == Kind::kSeparator ||
          g[j + 1].kind == Kind::kSeparator) {
        return invalid("CONT_THOUSANDS_SEPS");
      }
    }
  }
  for (Kind unique :
       {Kind::kDecimalPoint, Kind::kPlusMinus, Kind::kMinus, Kind::kDollar, Kind::kCloseBracket}) {
    if (std::count_if(grouped.begin(), grouped.end(),
                      [&](const Token& t) { return t.kind == unique; }) > 1) {
      return invalid("WRONG_NUM_TOKEN");
    }
  }
  const std::vector<std::vector<Kind>> order = {
      {Kind::kOpenBracket},  {Kind::kMinus, Kind::kPlusMinus},
      {Kind::kDollar},       {Kind::kGroups},
      {Kind::kDecimalPoint}, {Kind::kGroups},
      {Kind::kDollar},       {Kind::kMinus, Kind::kPlusMinus, Kind::kCloseBracket}};
  size_t next = 0;
  for (const auto& allowed : order) {
    if (next < grouped.size() &&
        std::find(allowed.begin(), allowed.end(), grouped[next].kind) != allowed.end()) {
      ++next;
    }
  }
  if (next < grouped.size()) return invalid("UNEXPECTED_TOKEN");
  (void)SameToken;
  return out;
}

std::string NumberFormat::Format(std::string_view decimal) const {
  const bool negative = !decimal.empty() && decimal[0] == '-' &&
                        decimal.find_first_of("123456789") != std::string_view::npos;
  const size_t dot = decimal.find('.');
  std::string before(decimal.substr(0, dot));
  std::string after(dot == std::string_view::npos ? "" : decimal.substr(dot + 1));
  before.erase(0, before.find_first_not_of("-0") == std::string::npos
                      ? before.size()
                      : before.find_first_not_of("-0"));
  while (!after.empty() && after.back() == '0') after.pop_back();
  int digits_before = 0, digits_after = 0;
  bool reached = false;
  for (const Token& t : tokens_) {
    if (t.kind == Kind::kDecimalPoint) reached = true;
    if (t.kind == Kind::kGroups) (reached ? digits_after : digits_before) += DigitCount(t);
  }
  if (digits_before < static_cast<int>(before.size()) ||
      digits_after < static_cast<int>(after.size())) {
    before = std::string(digits_before, '#');
    after = std::string(digits_after, '#');
  }
  before = std::string(digits_before - before.size(), ' ') + before;
  after += std::string(digits_after - after.size(), '0');

  std::string out;
  size_t before_index = 0, after_index = 0;
  reached = false;
  for (const Token& t : tokens_) {
    switch (t.kind) {
      case Kind::kGroups:
        for (auto it = t.group.rbegin(); it != t.group.rend(); ++it) {
          if (it->kind == Kind::kSeparator) {
            if (!out.empty() && std::isdigit(static_cast<unsigned char>(out.back()))) {
              out += ',';
            } else {
              AppendSpace(out);
            }
            continue;
          }
          for (int k = 0; k < it->digits; ++k) {
            if (reached) {
              out += after[after_index++];
              continue;
            }
            const char c = before[before_index++];
            if (c == ' ' && it->kind == Kind::kExactDigits) {
              out += '0';
            } else if (c == ' ') {
              AppendSpace(out);
            } else {
              out += c;
            }
          }
        }
        break;
      case Kind::kDecimalPoint:
        if (!out.empty() && out.back() == ' ') out.back() = '0';
        out += '.';
        reached = true;
        break;
      case Kind::kDollar:
        out += '$';
        break;
      case Kind::kPlusMinus:
        StripLoneDecimalPoint(out);
        AppendMovingLeft(out, negative ? '-' : '+');
        break;
      case Kind::kMinus:
        if (negative) {
          StripLoneDecimalPoint(out);
          AppendMovingLeft(out, '-');
        } else {
          out += ' ';
        }
        break;
      case Kind::kOpenBracket:
        if (negative) out += '<';
        break;
      case Kind::kCloseBracket:
        StripLoneDecimalPoint(out);
        if (negative) {
          AppendMovingLeft(out, '>');
        } else {
          out += "  ";
        }
        break;
      default:
        break;
    }
  }
  StripLoneDecimalPoint(out);
  if (out.empty() || out == "+" || out == "-") return "0";
  return out;
}

std::optional<std::string> NumberFormat::ParseNumber(std::string_view input) const {
  const std::vector<char32_t> text = DecodeUtf8(input);
  std::string before, after;
  bool reached_point = false, opened = false, closed = false, negate = false;
  size_t index = 0;
  auto at = [&]() -> std::optional<char32_t> {
    if (index < text.size()) return text[index];
    return std::nullopt;
  };
  for (const Token& t : tokens_) {
    const auto c = at();
    switch (t.kind) {
      case Kind::kGroups: {
        std::vector<int> sizes;  // right to left
        int in_group = 0;
        bool stopped = false;
        while (index < text.size()) {
          const char32_t ch = text[index];
          if (IsJavaWhitespace(ch)) {
            ++index;
          } else if (ch >= '0' && ch <= '9') {
            ++in_group;
            (reached_point ? after : before) += static_cast<char>(ch);
            ++index;
          } else if (ch == ',') {
            sizes.insert(sizes.begin(), in_group);
            in_group = 0;
            ++index;
          } else {
            sizes.insert(sizes.begin(), in_group);
            stopped = true;
            break;
          }
        }
        if (!stopped) sizes.insert(sizes.begin(), in_group);
        std::vector<const Token*> expected;
        for (const Token& d : t.group) {
          if (d.kind != Kind::kSeparator) expected.push_back(&d);
        }
        if (sizes.size() > expected.size()) return std::nullopt;
        for (size_t k = 0; k < expected.size(); ++k) {
          const int actual = k < sizes.size() ? sizes[k] : 0;
          if (expected[k]->kind == Kind::kExactDigits && actual != expected[k]->digits) {
            return std::nullopt;
          }
          if (expected[k]->kind == Kind::kAtMostDigits && actual > expected[k]->digits) {
            return std::nullopt;
          }
        }
        break;
      }
      case Kind::kDecimalPoint:
        if (c == U'.') {
          reached_point = true;
          ++index;
        }
        break;
      case Kind::kDollar:
        if (c) {
          if (*c != '$') return std::nullopt;
          ++index;
        }
        break;
      case Kind::kPlusMinus:
        if (c == U'+') {
          ++index;
        } else if (c == U'-') {
          negate = !negate;
          ++index;
        }
        break;
      case Kind::kMinus:
        if (c == U'-') {
          negate = !negate;
          ++index;
        }
        break;
      case Kind::kOpenBracket:
        if (c == U'<') {
          if (opened) return std::nullopt;
          opened = true;
          ++index;
        }
        break;
      case Kind::kCloseBracket:
        if (c == U'>') {
          if (!opened) return std::nullopt;
          closed = true;
          negate = !negate;
          ++index;
        }
        break;
      default:
        break;
    }
  }
  if (index < text.size() || opened != closed) return std::nullopt;
  if (before.empty() && after.empty()) return std::nullopt;
  after += std::string(std::max<int>(0, scale_ - static_cast<int>(after.size())), '0');
  std::string out = negate ? "-" : "";
  out += before.empty() ? "0" : before;
  if (!after.empty()) out += "." + after;
  return out;
}

}  // namespace sluice::spark::internal
