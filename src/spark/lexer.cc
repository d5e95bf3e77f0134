#include "spark/lexer.h"

#include <cctype>

#include "common/strings.h"
#include "spark/diagnostics.h"

namespace sluice::spark {

bool Token::IsKeyword(std::string_view word) const {
  return kind == Kind::kIdentifier && EqualsIgnoreCase(raw, word);
}

size_t MatchingParenthesis(const std::vector<Token>& tokens, size_t open, size_t end) {
  int depth = 0;
  for (size_t i = open; i < end; ++i) {
    if (tokens[i].IsSymbol("(")) ++depth;
    if (tokens[i].IsSymbol(")") && --depth == 0) return i;
  }
  return end;
}

namespace {

bool IsIdentifierStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80);
}
bool IsIdentifierPart(char c) {
  return IsIdentifierStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

void AppendUtf8(uint32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

bool ParseHex(std::string_view digits, uint32_t* out) {
  uint32_t value = 0;
  for (char c : digits) {
    value <<= 4;
    if (c >= '0' && c <= '9') {
      value |= c - '0';
    } else if (c >= 'a' && c <= 'f') {
      value |= c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      value |= c - 'A' + 10;
    } else {
      return false;
    }
  }
  *out = value;
  return true;
}

}  // namespace

std::string UnescapeSparkString(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c != '\\' || i + 1 >= body.size()) {
      out += c;
      continue;
    }
    const char e = body[i + 1];
    uint32_t code = 0;
    if (e == 'u' && i + 6 <= body.size() && ParseHex(body.substr(i + 2, 4), &code)) {
      // A surrogate pair written as two \u escapes is one character.
      if (code >= 0xD800 && code < 0xDC00 && i + 12 <= body.size() && body[i + 6] == '\\' &&
          body[i + 7] == 'u') {
        uint32_t low = 0;
        if (ParseHex(body.substr(i + 8, 4), &low) && low >= 0xDC00 && low < 0xE000) {
          AppendUtf8(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), out);
          i += 11;
          continue;
        }
      }
      AppendUtf8(code, out);
      i += 5;
      continue;
    }
    if (e == 'U' && i + 10 <= body.size() && ParseHex(body.substr(i + 2, 8), &code)) {
      AppendUtf8(code, out);
      i += 9;
      continue;
    }
    if (i + 3 < body.size() && e >= '0' && e <= '1' && body[i + 2] >= '0' && body[i + 2] <= '7' &&
        body[i + 3] >= '0' && body[i + 3] <= '7') {
      AppendUtf8((e - '0') * 64 + (body[i + 2] - '0') * 8 + (body[i + 3] - '0'), out);
      i += 3;
      continue;
    }
    switch (e) {
      case '0':
        out += '\0';
        break;
      case 'b':
        out += '\b';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'Z':
        out += '\x1A';
        break;
      case '%':
        out += "\\%";
        break;
      case '_':
        out += "\\_";
        break;
      default:
        out += e;
    }
    ++i;
  }
  return out;
}

Result<std::vector<Token>> Tokenize(std::string_view text, std::string_view file,
                                    const LexerOptions& options) {
  std::vector<Token> tokens;
  size_t i = 0;
  int line = 1;
  size_t line_start = 0;
  auto error = [&](size_t at, int at_line, size_t at_line_start, std::string_view message) {
    return InvalidArgument(FormatDiagnostic(
        LocationAt(text, file, at, at_line, static_cast<int>(at - at_line_start) + 1), message));
  };
  auto advance_lines = [&](size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
      if (text[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    }
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      // Bracketed comments nest in Spark.
      size_t k = i + 2;
      int depth = 1;
      while (k + 1 < text.size() && depth > 0) {
        if (text[k] == '/' && text[k + 1] == '*') {
          ++depth;
          k += 2;
        } else if (text[k] == '*' && text[k + 1] == '/') {
          --depth;
          k += 2;
        } else {
          ++k;
        }
      }
      if (depth > 0) return error(i, line, line_start, "unterminated /* comment");
      advance_lines(i, k);
      i = k;
      continue;
    }
    Token token;
    token.offset = i;
    token.line = line;
    token.column = static_cast<int>(i - line_start) + 1;
    const int start_line = line;
    const size_t start_line_start = line_start;
    const bool raw_string = (c == 'r' || c == 'R') && i + 1 < text.size() &&
                            (text[i + 1] == '\'' || text[i + 1] == '"');
    if (c == '\'' || c == '"' || c == '`' || raw_string) {
      const size_t open = raw_string ? i + 1 : i;
      const char quote = text[open];
      // Strings: backslash escapes (none in raw strings) and a doubled quote; identifiers:
      // a doubled backquote.
      size_t k = open + 1;
      std::string body;
      bool closed = false;
      while (k < text.size()) {
        if (quote != '`' && text[k] == '\\' && k + 1 < text.size()) {
          body += text[k];
          body += text[k + 1];
          k += 2;
          continue;
        }
        if (text[k] == quote) {
          if (k + 1 < text.size() && text[k + 1] == quote) {
            body += quote;
            k += 2;
            continue;
          }
          closed = true;
          ++k;
          break;
        }
        body += text[k++];
      }
      if (!closed) {
        return error(i, start_line, start_line_start,
                     quote == '`' ? "unterminated quoted identifier" : "unterminated string");
      }
      advance_lines(i, k);
      if (quote == '`') {
        token.kind = Token::Kind::kQuotedIdentifier;
        token.value = std::move(body);
      } else {
        token.kind = Token::Kind::kString;
        token.value = raw_string || options.escaped_string_literals ? std::move(body)
                                                                    : UnescapeSparkString(body);
      }
      token.raw = text.substr(i, k - i);
      i = k;
    } else if (IsDigit(c) || (c == '.' && i + 1 < text.size() && IsDigit(text[i + 1]))) {
      // Digits, a fraction, an exponent, then a suffix (L, S, Y, D, F, BD); letters right
      // after make it one token, which the parser then checks.
      auto exponent_sign = [&](size_t k) {
        return (text[k] == '+' || text[k] == '-') && k >= i + 2 &&
               (text[k - 1] == 'e' || text[k - 1] == 'E') &&
               (IsDigit(text[k - 2]) || text[k - 2] == '.') && k + 1 < text.size() &&
               IsDigit(text[k + 1]);
      };
      size_t k = i;
      while (k < text.size() && (std::isalnum(static_cast<unsigned char>(text[k])) ||
                                 text[k] == '_' || text[k] == '.' || exponent_sign(k))) {
        ++k;
      }
      token.kind = Token::Kind::kNumber;
      token.raw = text.substr(i, k - i);
      token.value = std::string(token.raw);
      i = k;
    } else if (IsIdentifierStart(c)) {
      size_t k = i;
      while (k < text.size() && IsIdentifierPart(text[k])) ++k;
      token.kind = Token::Kind::kIdentifier;
      token.raw = text.substr(i, k - i);
      token.value = std::string(token.raw);
      i = k;
    } else {
      static const char* kLong[] = {"=>", ":=", "<=>", "<=", ">=", "<>", "!=", "==",
                                    "||", "::", "->>", "->", "<<", ">>", ">>>"};
      size_t length = 1;
      for (const char* op : kLong) {
        const size_t n = std::string_view(op).size();
        if (text.substr(i, n) == op && n > length) length = n;
      }
      token.kind = Token::Kind::kSymbol;
      token.raw = text.substr(i, length);
      token.value = std::string(token.raw);
      i += length;
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.kind = Token::Kind::kEnd;
  end.offset = text.size();
  end.line = line;
  end.column = static_cast<int>(text.size() - line_start) + 1;
  tokens.push_back(end);
  return tokens;
}

}  // namespace sluice::spark
