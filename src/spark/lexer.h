// The tokenizer of Spark SQL as Spark 3.5/4 reads it: identifiers, `backquoted`
// identifiers, 'strings' and "strings" (Spark's backslash escapes; R'raw' strings without
// them), numbers with Spark's suffixes (1L, 2S, 3Y, 1.5D, 1.5F, 1.5BD, 1E10) as one token,
// operators, and -- / /* */ comments (skipped; /* */ nests, as in Spark). Every token knows
// where it starts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::spark {

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
  size_t end_offset() const { return offset + raw.size(); }
};

// The index of the `)` closing the `(` at `open`, searching before `end`; `end` when the
// parenthesis is not closed there.
size_t MatchingParenthesis(const std::vector<Token>& tokens, size_t open, size_t end);

struct LexerOptions {
  // spark.sql.parser.escapedStringLiterals: backslashes in strings are kept as written.
  bool escaped_string_literals = false;
};

// Tokenizes `text`; the last token is kEnd. An unterminated string, quoted identifier or
// comment is an error at its start: `file:line:col: ...`.
Result<std::vector<Token>> Tokenize(std::string_view text, std::string_view file,
                                    const LexerOptions& options = {});

// Decodes the body of a Spark string literal (between its quotes) as Spark's parser does:
// \b \n \r \t \Z \0, \uXXXX, \UXXXXXXXX, three-digit octal escapes; `\%` and `\_` keep their
// backslash (LIKE patterns); any other escaped character stands for itself.
std::string UnescapeSparkString(std::string_view body);

}  // namespace sluice::spark
