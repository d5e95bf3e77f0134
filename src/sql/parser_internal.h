// Shared by the statement parser, the AUTO CDC parser and the reference finder.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"
#include "sql/diagnostics.h"
#include "sql/lexer.h"

namespace sluice::sql::internal {

// Finds the table references of the query made of tokens [begin, end) of a file whose text
// is `text`; offsets in the result are relative to `query_offset`.
Result<std::vector<Reference>> FindReferences(std::string_view text, std::string_view file,
                                              const std::vector<Token>& tokens, size_t begin,
                                              size_t end, size_t query_offset);

// Reads the one table reference starting at token `*i` (a name, `delta.`path``,
// read_files(...), each possibly in STREAM(...) / after STREAM, with WITH options) exactly
// as FindReferences does inside a FROM clause, and advances `*i` past it. Offsets are
// relative to `query_offset`. Returns no reference when the tokens are not one (a
// subquery, another table function); `*i` is then unchanged.
Result<std::optional<Reference>> ReadReference(std::string_view text, std::string_view file,
                                               const std::vector<Token>& tokens, size_t* i,
                                               size_t end, size_t query_offset);

SourceLocation TokenLocation(std::string_view text, std::string_view file, const Token& token);

// A position in the tokens [begin, end) of one statement, with the helpers every part of
// the parser uses. Tokens past `end` read as the token at `end` (`;` or kEnd).
class TokenCursor {
 public:
  TokenCursor(std::string_view text, std::string_view file, const std::vector<Token>& tokens,
              size_t begin, size_t end)
      : text_(text), file_(file), t_(tokens), i_(begin), end_(end) {}

 protected:
  const Token& Peek(size_t ahead = 0) const {
    return i_ + ahead < end_ ? t_[i_ + ahead] : t_[end_];
  }
  bool AtEnd() const { return i_ >= end_; }
  bool Accept(std::string_view keyword) {
    if (Peek().IsKeyword(keyword)) {
      ++i_;
      return true;
    }
    return false;
  }
  bool AcceptSymbol(std::string_view symbol) {
    if (Peek().IsSymbol(symbol)) {
      ++i_;
      return true;
    }
    return false;
  }
  SourceLocation Location(const Token& token) const { return TokenLocation(text_, file_, token); }
  Status Error(const Token& at, std::string_view message) const {
    return InvalidArgument(FormatDiagnostic(Location(at), message));
  }
  // "expected <what> but found '<token>'" (or "the end of the statement") at the cursor.
  Status Expected(std::string_view what) const;
  Status ExpectKeyword(std::string_view keyword) {
    if (Accept(keyword)) return Status::OK();
    return Expected(keyword);
  }
  Status ExpectSymbol(std::string_view symbol) {
    if (AcceptSymbol(symbol)) return Status::OK();
    return Expected("'" + std::string(symbol) + "'");
  }
  // A possibly qualified name; returns its last part.
  Result<std::string> Name(SourceLocation* location);
  Result<std::string> StringLiteral(std::string_view what);
  // `(name, ...)`; at least one name.
  Result<std::vector<std::string>> ColumnNameList(std::vector<SourceLocation>* locations = nullptr);
  // Text of the source between tokens [from, to).
  std::string Text(size_t from, size_t to) const;
  size_t Matching(size_t open) const { return MatchingParenthesis(t_, open, end_); }

  std::string_view text_;
  std::string_view file_;
  const std::vector<Token>& t_;
  size_t i_;
  size_t end_;
};

// Parses an AUTO CDC flow from tokens [begin, end), which start at AUTO CDC or APPLY
// CHANGES (`AUTO CDC INTO target FROM ...`); or, when `target` is given (the FLOW clause of
// CREATE STREAMING TABLE target), at AUTO CDC followed directly by FROM. Fills the flow's
// target, query and cdc; the caller names it.
Status ParseAutoCdc(std::string_view text, std::string_view file, const std::vector<Token>& tokens,
                    size_t begin, size_t end, const std::optional<std::string>& target,
                    FlowStatement& flow);

}  // namespace sluice::sql::internal
