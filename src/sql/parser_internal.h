// Shared by the statement parser, the AUTO CDC parser and the reference finder.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/ast.h"
#include "sql/diagnostics.h"
#include "sql/lexer.h"

namespace sluice::sql::internal {

// The references of a parsed query (its external relations, numbered in place by
// spark::AnnotateReferences) as the pipeline dialect describes them; byte offsets relative
// to `query_offset`. Options of read_files and cloud_files must be literals.
Result<std::vector<Reference>> ReferencesOf(spark::Query& query, const spark::SourceText& source,
                                            size_t query_offset);

SourceLocation TokenLocation(std::string_view text, std::string_view file, const Token& token);

// A position in the tokens [begin, end) of one statement, with the helpers every part of
// the parser uses. Tokens past `end` read as the token at `end` (`;` or kEnd).
class TokenCursor {
 public:
  TokenCursor(std::shared_ptr<const spark::SourceText> source, const std::vector<Token>& tokens,
              size_t begin, size_t end)
      : source_(std::move(source)),
        text_(source_->text),
        file_(source_->file),
        t_(tokens),
        i_(begin),
        end_(end) {}

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

  // A query of the statement [begin, end) of the tokens, parsed as Spark SQL, with its
  // references.
  Result<Query> ParseQueryTokens(size_t begin, size_t end) const;
  // An expression of tokens [begin, end), parsed as Spark SQL.
  Result<std::shared_ptr<const spark::ParsedExpression>> ParseExpressionTokens(size_t begin,
                                                                               size_t end) const;

  std::shared_ptr<const spark::SourceText> source_;
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
Status ParseAutoCdc(std::shared_ptr<const spark::SourceText> source,
                    const std::vector<Token>& tokens, size_t begin, size_t end,
                    const std::optional<std::string>& target, FlowStatement& flow);

}  // namespace sluice::sql::internal
