// The recursive-descent parser behind parser.h, split over parser.cc (cursor, literals,
// types), parser_expr.cc (expressions) and parser_query.cc (queries and relations).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "spark/ast.h"
#include "spark/lexer.h"

namespace sluice::spark::internal {

class Parser {
 public:
  Parser(std::shared_ptr<const SourceText> source, const std::vector<Token>& tokens, size_t begin,
         size_t end)
      : source_(std::move(source)), t_(tokens), i_(begin), begin_(begin), end_(end) {}

  Result<QueryPtr> QueryStatement();  // a query, then the end (a `;` may close it)
  Result<ExprPtr> ExpressionStatement();
  Result<DataType> TypeStatement();
  Result<std::vector<StructField>> ColumnsStatement();

  // Parsing pieces, used by the pipeline dialect's parser too.
  Result<QueryPtr> ParseQuery();
  Result<ExprPtr> ParseExpression();
  Result<DataType> ParseType();
  Result<StructField> FieldDefinition(const char* what);
  // One relation; without an alias when `alias` is false (what follows is not an alias).
  Result<RelationPtr> ParseRelation(bool alias) {
    no_alias_ = !alias;
    return RelationPrimary();
  }
  size_t position() const { return i_; }

 private:
  friend class DepthGuard;

  // Cursor.
  const Token& Peek(size_t ahead = 0) const {
    return i_ + ahead < end_ ? t_[i_ + ahead] : t_[end_];
  }
  const Token& Next() { return t_[i_ < end_ ? i_++ : end_]; }
  bool AtEnd() const { return i_ >= end_; }
  bool Accept(std::string_view keyword);
  bool AcceptSymbol(std::string_view symbol);
  bool AcceptWords(std::initializer_list<std::string_view> words);  // all of them, in order
  Status ExpectKeyword(std::string_view keyword);
  Status ExpectSymbol(std::string_view symbol);
  Status Expected(std::string_view what) const;
  Status Error(const Token& at, std::string_view message) const;
  Status Unsupported(const Token& at, std::string_view message) const;
  Span SpanOf(const Token& token) const;
  // The span from token index `first` to the last consumed token.
  Span SpanFrom(size_t first) const;
  Status EnterNested();
  void LeaveNested() { --depth_; }

  // Names.
  Result<std::string> Identifier(std::string_view what = "a name");
  Result<std::vector<std::string>> QualifiedName();
  Result<std::vector<std::string>> IdentifierList();  // (a, b, ...)
  bool IsReservedForAlias(const Token& token) const;
  bool AtAlias() const;  // a name that may be an alias without AS here
  Result<std::optional<std::string>> OptionalAlias();
  Result<std::string> StringLiteral(std::string_view what);  // adjacent strings concatenate

  // Literals (parser.cc).
  Result<ExprPtr> NumberLiteral();
  Result<ExprPtr> TypedLiteral();  // DATE '...', TIMESTAMP '...', X'...'
  Result<ExprPtr> IntervalLiteral();
  ExprPtr MakeLiteral(DataType type, std::string text, const Span& span) const;

  // Types (parser.cc).
  Result<DataType> PrimitiveType(const Token& name);
  bool AcceptTypeClose();  // '>' also from a '>>' or '>>>' token
  int pending_closes_ = 0;

  // Expressions (parser_expr.cc), from the loosest binding to the tightest.
  Result<ExprPtr> LeftAssociative(Result<ExprPtr> (Parser::*operand)(),
                                  std::initializer_list<const char*> symbols, const char* keyword);
  Result<ExprPtr> Or();
  Result<ExprPtr> And();
  Result<ExprPtr> Not();
  Result<ExprPtr> Predicate();
  Result<ExprPtr> Comparison();
  Result<ExprPtr> BitOr();
  Result<ExprPtr> BitXor();
  Result<ExprPtr> BitAnd();
  Result<ExprPtr> Shift();
  Result<ExprPtr> Additive();
  Result<ExprPtr> Multiplicative();
  Result<ExprPtr> Unary();
  Result<ExprPtr> Postfix();
  Result<ExprPtr> Primary();
  Result<ExprPtr> Parenthesized();
  Result<ExprPtr> Case();
  Result<ExprPtr> Cast(bool try_cast);
  Result<ExprPtr> FunctionCall(std::vector<std::string> name, size_t first);
  Result<ExprPtr> SpecialForm(const std::string& name, size_t first);  // EXTRACT, TRIM, ...
  Result<ExprPtr> Lambda();
  Result<ExprPtr> JsonPath(ExprPtr base, size_t first);
  bool AtLambda() const;
  // Whether the tokens from `ahead` (after any number of opening parentheses) start a query.
  bool QueryAhead(size_t ahead) const;
  Result<std::unique_ptr<WindowSpec>> WindowSpecification();
  Result<FrameBound> Bound();
  Result<std::vector<SortItem>> SortList();
  Result<ExprPtr> BinaryNode(std::string op, ExprPtr left, ExprPtr right, size_t first);

  // Queries (parser_query.cc).
  Result<QueryPtr> QueryNoWith();
  Result<QueryPtr> SetOperand(int level);
  Result<QueryPtr> QueryPrimary();
  Result<QueryPtr> Select(size_t first);
  Result<QueryPtr> Values(size_t first);
  Status QueryTail(Query& query);
  Status SelectList(SelectBody& body);
  Status GroupBy(SelectBody& body);
  Result<std::vector<ExprPtr>> ExpressionList();  // e1, e2, ... or (e1, e2)
  Result<RelationPtr> FromItem();
  Result<RelationPtr> JoinChain(RelationPtr left);
  Result<RelationPtr> RelationPrimary();
  Result<RelationPtr> FunctionRelation(size_t first);
  Result<RelationPtr> TableReference(size_t first);
  Result<RelationPtr> StreamReference(size_t first);
  Status RelationSuffixes(Relation& relation);
  Status WatermarkClause(Relation& relation);
  Result<RelationPtr> PivotClause(RelationPtr input, size_t first);
  Result<RelationPtr> UnpivotClause(RelationPtr input, size_t first);
  Result<LateralView> LateralViewClause();
  Status Options(std::map<std::string, std::string>& options);

  std::shared_ptr<const SourceText> source_;
  const std::vector<Token>& t_;
  size_t i_;
  size_t begin_;
  size_t end_;
  int depth_ = 0;
  bool no_alias_ = false;
};

// Counts nesting so that hostile input cannot exhaust the stack.
class DepthGuard {
 public:
  explicit DepthGuard(Parser& parser) : parser_(parser) {}
  ~DepthGuard() {
    if (entered_) parser_.LeaveNested();
  }
  Status Enter() {
    Status status = parser_.EnterNested();
    entered_ = status.ok();
    return status;
  }

 private:
  Parser& parser_;
  bool entered_ = false;
};

}  // namespace sluice::spark::internal
