// Tokens of filter text, for predicate_parser.cc. Internal to src/delta.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::delta::predicate_internal {

enum class TokenKind {
  kIdentifier,        // bare word, including keywords; `text` as written
  kQuotedIdentifier,  // "..." or `...`; `text` unquoted
  kString,            // '...'; `text` unquoted
  kNumber,            // digits with optional fraction and exponent; `text` as written
  kSymbol,            // operator or punctuation; `text` is the symbol
  kEnd,               // after the last token
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  size_t begin = 0;  // byte offsets into the filter text
  size_t end = 0;
};

struct LexError {
  size_t offset = 0;
  std::string message;
};

// Splits `sql` into tokens ending with one kEnd token. Comments (`-- ...`, `/* ... */`) and
// white space separate tokens. Returns false and sets `error` on an unterminated string,
// quoted identifier or comment, or a character no filter can contain.
bool Tokenize(std::string_view sql, std::vector<Token>* tokens, LexError* error);

// Whether `word` (any case) must be quoted to be read as a column name: DuckDB's reserved
// keywords plus the infix words of the filter grammar (IS, LIKE, BETWEEN...).
bool IsReservedWord(std::string_view word);

}  // namespace sluice::delta::predicate_internal
