#include "delta/predicate_lexer.h"

#include <algorithm>
#include <array>

#include "common/strings.h"

namespace sluice::delta::predicate_internal {
namespace {

bool IsIdentifierStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
bool IsIdentifierPart(unsigned char c) {
  return IsIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Longest first, so that "<=>" wins over "<=" and "<".
constexpr std::array<std::string_view, 19> kMultiCharSymbols = {
    "<=>", "->>", "<>", "<=", ">=", "!=", "==", "::", "||", "->",
    "=>",  ":=",  "**", "//", "<<", ">>", "~~", "!~", "@>"};
constexpr std::string_view kSingleCharSymbols = "=<>(),.+-*/%[]{}:^&|~!;?@$";

// Reads a quoted run starting at sql[*pos] == quote, where a doubled quote stands for one.
// Leaves *pos after the closing quote.
bool ReadQuoted(std::string_view sql, size_t* pos, char quote, std::string* out) {
  size_t i = *pos + 1;
  while (i < sql.size()) {
    if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        out->push_back(quote);
        i += 2;
        continue;
      }
      *pos = i + 1;
      return true;
    }
    out->push_back(sql[i]);
    ++i;
  }
  return false;
}

}  // namespace

bool Tokenize(std::string_view sql, std::vector<Token>* tokens, LexError* error) {
  tokens->clear();
  size_t i = 0;
  while (true) {
    // Skip white space and comments.
    while (i < sql.size()) {
      char c = sql[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++i;
      } else if (sql.substr(i, 2) == "--") {
        while (i < sql.size() && sql[i] != '\n') ++i;
      } else if (sql.substr(i, 2) == "/*") {
        size_t close = sql.find("*/", i + 2);
        if (close == std::string_view::npos) {
          *error = {i, "unterminated comment"};
          return false;
        }
        i = close + 2;
      } else {
        break;
      }
    }
    Token token;
    token.begin = i;
    if (i >= sql.size()) {
      token.kind = TokenKind::kEnd;
      token.end = i;
      tokens->push_back(std::move(token));
      return true;
    }
    char c = sql[i];
    if (IsIdentifierStart(static_cast<unsigned char>(c))) {
      size_t j = i + 1;
      while (j < sql.size() && IsIdentifierPart(static_cast<unsigned char>(sql[j]))) ++j;
      token.kind = TokenKind::kIdentifier;
      token.text = std::string(sql.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '`') {
      token.kind = TokenKind::kQuotedIdentifier;
      if (!ReadQuoted(sql, &i, c, &token.text)) {
        *error = {token.begin, "unterminated quoted identifier"};
        return false;
      }
    } else if (c == '\'') {
      token.kind = TokenKind::kString;
      if (!ReadQuoted(sql, &i, c, &token.text)) {
        *error = {token.begin, "unterminated string"};
        return false;
      }
    } else if (IsDigit(c) || (c == '.' && i + 1 < sql.size() && IsDigit(sql[i + 1]))) {
      size_t j = i;
      while (j < sql.size() && IsDigit(sql[j])) ++j;
      if (j < sql.size() && sql[j] == '.') {
        ++j;
        while (j < sql.size() && IsDigit(sql[j])) ++j;
      }
      if (j < sql.size() && (sql[j] == 'e' || sql[j] == 'E')) {
        size_t k = j + 1;
        if (k < sql.size() && (sql[k] == '+' || sql[k] == '-')) ++k;
        if (k < sql.size() && IsDigit(sql[k])) {
          while (k < sql.size() && IsDigit(sql[k])) ++k;
          j = k;
        }
      }
      token.kind = TokenKind::kNumber;
      token.text = std::string(sql.substr(i, j - i));
      i = j;
    } else {
      token.kind = TokenKind::kSymbol;
      for (std::string_view symbol : kMultiCharSymbols) {
        if (sql.substr(i, symbol.size()) == symbol) {
          token.text = std::string(symbol);
          break;
        }
      }
      if (token.text.empty()) {
        if (kSingleCharSymbols.find(c) == std::string_view::npos) {
          // Show a whole UTF-8 character, not its first byte.
          size_t j = i + 1;
          while (j < sql.size() && (static_cast<unsigned char>(sql[j]) & 0xC0) == 0x80) ++j;
          *error = {i, "unexpected character '" + std::string(sql.substr(i, j - i)) + "'"};
          return false;
        }
        token.text = std::string(1, c);
      }
      i += token.text.size();
    }
    token.end = i;
    tokens->push_back(std::move(token));
  }
}

bool IsReservedWord(std::string_view word) {
  // DuckDB 1.4's reserved keywords (duckdb_keywords() WHERE keyword_category = 'reserved'),
  // then words this grammar reads as operators after an operand.
  static constexpr std::string_view kWords[] = {
      "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "both", "case",
      "cast", "check", "collate", "column", "constraint", "create", "default", "deferrable", "desc",
      "describe", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
      "from", "group", "having", "in", "initially", "intersect", "into", "lambda", "lateral",
      "leading", "limit", "not", "null", "offset", "on", "only", "or", "order", "pivot",
      "pivot_longer", "pivot_wider", "placing", "primary", "qualify", "references", "returning",
      "select", "show", "some", "summarize", "symmetric", "table", "then", "to", "trailing", "true",
      "union", "unique", "unpivot", "using", "variadic", "when", "where", "window", "with",
      // Infix words of the filter grammar.
      "between", "escape", "glob", "ilike", "is", "isnull", "like", "notnull", "similar"};
  std::string lower = ToLower(word);
  return std::find(std::begin(kWords), std::end(kWords), lower) != std::end(kWords);
}

}  // namespace sluice::delta::predicate_internal
