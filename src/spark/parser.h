// The parser of Spark SQL queries and expressions (Spark 3.5/4's grammar), producing ast.h.
//
// Errors are InvalidArgument formatted by FormatDiagnostic: `file:line:col: message` with
// the line and a caret; NotSupported for recognised but unsupported forms.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "spark/ast.h"
#include "spark/lexer.h"

namespace sluice::spark {

// A parsed query with the text it came from.
struct ParsedQuery {
  std::shared_ptr<const SourceText> source;
  QueryPtr query;
};

// A parsed expression with the text it came from.
struct ParsedExpression {
  std::shared_ptr<const SourceText> source;
  ExprPtr expr;
};

// Parses the query made of tokens [begin, end) of `tokens`, which came from `text`
// (a whole file, for instance); spans are offsets in `text`.
Result<ParsedQuery> ParseQuery(std::shared_ptr<const SourceText> source,
                               const std::vector<Token>& tokens, size_t begin, size_t end);
// Parses one expression from tokens [begin, end).
Result<ParsedExpression> ParseExpression(std::shared_ptr<const SourceText> source,
                                         const std::vector<Token>& tokens, size_t begin,
                                         size_t end);

// Parses one FROM-clause relation (a table, STREAM(...), a table function; with an alias
// when `alias`) starting at token `begin`, before `end`; returns it with the index of the
// token after it.
Result<std::pair<RelationPtr, size_t>> ParseRelationAt(
    const std::shared_ptr<const SourceText>& source, const std::vector<Token>& tokens, size_t begin,
    size_t end, bool alias = true);

// A query reading one relation: SELECT * FROM relation.
ParsedQuery SelectAllFrom(std::shared_ptr<const SourceText> source, RelationPtr relation);

// Tokenizes and parses a whole text as one query (a trailing `;` is allowed).
Result<ParsedQuery> ParseQueryText(std::string_view text, std::string_view file,
                                   const LexerOptions& options = {});
// Tokenizes and parses a whole text as one expression.
Result<ParsedExpression> ParseExpressionText(std::string_view text, std::string_view file,
                                             const LexerOptions& options = {});

// Parses Spark type syntax: INT, BIGINT, LONG, STRING, VARCHAR(n), CHAR(n), DECIMAL(p, s),
// ARRAY<T>, MAP<K, V>, STRUCT<a: T, b T COMMENT 'c'>, INTERVAL DAY TO SECOND, ...
Result<DataType> ParseDataType(std::string_view text);

// Parses a DDL column list: `a INT, b STRING NOT NULL COMMENT 'x'` (as from_json and
// schemas take), or a type: STRUCT<...> gives its fields.
Result<std::vector<StructField>> ParseDdlColumns(std::string_view text);

}  // namespace sluice::spark
