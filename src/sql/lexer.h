// A tokenizer for Spark SQL as pipeline files use it: identifiers, `backquoted` and
// "double-quoted" identifiers, 'strings' (with '' and backslash escapes), numbers,
// operators, and -- / /* */ comments (skipped). Every token knows where it starts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::sql {

struct Token {
  enum class Kind { kIdentifier, kQuotedIdentifier, kString, kNumber, kSymbol, kEnd };
  Kind kind = Kind::kEnd;
  std::string_view raw;  // the token as written
  std::string value;     // identifiers and strings decoded; symbols and numbers as written
  size_t offset = 0;     // byte offset in the text
  int line = 1;
  int column = 1;

  bool IsKeyword(std::string_view word) const;  // an unquoted identifier equal to `word`
  bool IsSymbol(std::string_view symbol) const { return kind == Kind::kSymbol && raw == symbol; }
  bool IsName() const { return kind == Kind::kIdentifier || kind == Kind::kQuotedIdentifier; }
};

// The index of the `)` closing the `(` at `open`, searching before `end`; `end` when the
// parenthesis is not closed there.
size_t MatchingParenthesis(const std::vector<Token>& tokens, size_t open, size_t end);

// Tokenizes `text`; the last token is kEnd. An unterminated string, quoted identifier or
// comment is an error at its start: `file:line:col: ...`.
Result<std::vector<Token>> Tokenize(std::string_view text, std::string_view file);

}  // namespace sluice::sql
