#include "sql/lexer.h"

#include <cctype>

#include "common/strings.h"
#include "sql/diagnostics.h"

namespace sluice::sql {

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

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view text, std::string_view file) {
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
      const size_t end = text.find("*/", i + 2);
      if (end == std::string_view::npos) {
        return error(i, line, line_start, "unterminated /* comment");
      }
      advance_lines(i, end + 2);
      i = end + 2;
      continue;
    }
    Token token;
    token.offset = i;
    token.line = line;
    token.column = static_cast<int>(i - line_start) + 1;
    const int start_line = line;
    const size_t start_line_start = line_start;
    if (c == '\'' || c == '"' || c == '`') {
      // Strings: '' or \x escapes; identifiers: doubled quote escapes.
      size_t k = i + 1;
      std::string value;
      bool closed = false;
      while (k < text.size()) {
        if (c == '\'' && text[k] == '\\' && k + 1 < text.size()) {
          const char e = text[k + 1];
          value += e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
          k += 2;
          continue;
        }
        if (text[k] == c) {
          if (k + 1 < text.size() && text[k + 1] == c) {
            value += c;
            k += 2;
            continue;
          }
          closed = true;
          ++k;
          break;
        }
        value += text[k++];
      }
      if (!closed) {
        return error(i, start_line, start_line_start,
                     c == '\'' ? "unterminated string" : "unterminated quoted identifier");
      }
      advance_lines(i, k);
      token.kind = c == '\'' ? Token::Kind::kString : Token::Kind::kQuotedIdentifier;
      token.raw = text.substr(i, k - i);
      token.value = std::move(value);
      i = k;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < text.size() &&
                std::isdigit(static_cast<unsigned char>(text[i + 1])))) {
      size_t k = i;
      while (k < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[k])) || text[k] == '.' ||
              ((text[k] == '+' || text[k] == '-') && k > i &&
               (text[k - 1] == 'e' || text[k - 1] == 'E')))) {
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
      static const char* kLong[] = {"=>", ":=", "<=>", "<=", ">=",  "<>",
                                    "!=", "==", "||",  "::", "->>", "->"};
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

}  // namespace sluice::sql
