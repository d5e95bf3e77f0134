// Recursive-descent parser for filters (see predicate.h).
//
// Precedence, loosest first, as in DuckDB (and PostgreSQL):
//   OR; AND; NOT; IS [NOT] NULL / DISTINCT FROM / TRUE / FALSE; comparisons;
//   [NOT] IN / BETWEEN / LIKE / ILIKE / GLOB; other operators (|| & | << >>); + -;
//   * / % //; ^ **; unary - + ~; postfix :: [] .field; primaries.
// Text this grammar does not model, inside the parentheses of a function call, an IN list
// or a subquery, is kept verbatim as an OpaqueExpr rather than rejected.
#include "delta/predicate_parser.h"

#include <cctype>
#include <optional>

namespace sluice::delta {
namespace predicate_internal {
namespace {

// 1-based column of byte `offset`, counting UTF-8 characters.
size_t ColumnOf(std::string_view sql, size_t offset) {
  size_t column = 1;
  for (size_t i = 0; i < offset && i < sql.size(); ++i) {
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

Status FilterError(std::string_view sql, size_t offset, std::string_view message) {
  std::string line(sql);
  for (char& c : line) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') c = ' ';
  }
  size_t column = ColumnOf(sql, offset);
  return InvalidArgument("filter: ", message, " at column ", column, "\n  ", line, "\n  ",
                         std::string(column - 1, ' '), "^");
}

}  // namespace

Result<ExpressionPtr> Parser::ParseAll() {
  ExpressionPtr expr = ParseOr();
  if (expr && Peek().kind != TokenKind::kEnd) expr = Unexpected();
  if (!expr) return FilterError(sql_, tokens_[error_->token].begin, error_->message);
  return expr;
}

ExpressionPtr Parser::Fail(std::string message) {
  if (!error_) error_ = Error{pos_, std::move(message)};
  return nullptr;
}

ExpressionPtr Parser::Expected(std::string_view what) {
  return Fail("expected " + std::string(what) + ", found " + Describe(Peek()));
}

bool Parser::ExpectKeyword(std::string_view keyword) {
  if (AcceptKeyword(keyword)) return true;
  Expected(keyword);
  return false;
}

bool Parser::ExpectSymbol(std::string_view symbol) {
  if (AcceptSymbol(symbol)) return true;
  Expected("'" + std::string(symbol) + "'");
  return false;
}

std::optional<size_t> Parser::MatchingClose(size_t open) const {
  int depth = 0;
  for (size_t i = open; i < tokens_.size(); ++i) {
    const Token& token = tokens_[i];
    if (token.kind != TokenKind::kSymbol) continue;
    if (token.text == "(" || token.text == "[" || token.text == "{") ++depth;
    if (token.text == ")" || token.text == "]" || token.text == "}") {
      if (--depth == 0) return i;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Parser::TakeBracketed() {
  std::optional<size_t> close = MatchingClose(pos_);
  if (!close) {
    Fail(Describe(Peek()) + " is never closed");
    return std::nullopt;
  }
  std::string text(Source(pos_, *close));
  pos_ = *close + 1;
  return text;
}

bool Parser::CanKeepVerbatim(size_t open) const {
  if (!error_) return false;
  const Token& at = tokens_[error_->token];
  if (at.kind == TokenKind::kEnd) return false;
  if (at.kind == TokenKind::kSymbol &&
      (at.text == ")" || at.text == "," || at.text == "]" || at.text == "}")) {
    return false;
  }
  return MatchingClose(open).has_value();
}

bool Parser::StartsSubquery(size_t ahead) const {
  return IsKeyword("select", ahead) || IsKeyword("with", ahead) || IsKeyword("values", ahead) ||
         IsKeyword("from", ahead) || IsKeyword("table", ahead);
}

ExpressionPtr Parser::ParseOr() {
  DepthGuard guard(&depth_);
  if (guard.exceeded()) return Fail("filter nested too deeply");
  ExpressionPtr first = ParseAnd();
  if (!first || !IsKeyword("or")) return first;
  OrExpr disjunction;
  disjunction.operands.push_back(std::move(first));
  while (AcceptKeyword("or")) {
    ExpressionPtr next = ParseAnd();
    if (!next) return nullptr;
    disjunction.operands.push_back(std::move(next));
  }
  return MakeExpression(std::move(disjunction));
}

ExpressionPtr Parser::ParseAnd() {
  ExpressionPtr first = ParseNot();
  if (!first || !IsKeyword("and")) return first;
  AndExpr conjunction;
  conjunction.operands.push_back(std::move(first));
  while (AcceptKeyword("and")) {
    ExpressionPtr next = ParseNot();
    if (!next) return nullptr;
    conjunction.operands.push_back(std::move(next));
  }
  return MakeExpression(std::move(conjunction));
}

ExpressionPtr Parser::ParseNot() {
  DepthGuard guard(&depth_);
  if (guard.exceeded()) return Fail("filter nested too deeply");
  if (!AcceptKeyword("not")) return ParseIs();
  ExpressionPtr operand = ParseNot();
  if (!operand) return nullptr;
  return MakeExpression(NotExpr{std::move(operand)});
}

ExpressionPtr Parser::ParseIs() {
  ExpressionPtr left = ParseComparison();
  while (left) {
    if (AcceptKeyword("isnull")) {
      left = MakeExpression(IsNullExpr{std::move(left), false});
    } else if (AcceptKeyword("notnull")) {
      left = MakeExpression(IsNullExpr{std::move(left), true});
    } else if (AcceptKeyword("is")) {
      bool negated = AcceptKeyword("not");
      if (AcceptKeyword("null")) {
        left = MakeExpression(IsNullExpr{std::move(left), negated});
      } else if (AcceptKeyword("distinct")) {
        if (!ExpectKeyword("FROM")) return nullptr;
        ExpressionPtr right = ParseComparison();
        if (!right) return nullptr;
        CompareOp op = negated ? CompareOp::kNullSafeEqual : CompareOp::kDistinct;
        left = MakeExpression(CompareExpr{op, std::move(left), std::move(right)});
      } else if (IsKeyword("true") || IsKeyword("false") || IsKeyword("unknown")) {
        std::string suffix = std::string(negated ? " IS NOT " : " IS ") + ToLower(Peek().text);
        ++pos_;
        for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        left = OpaqueBuilder(Precedence::kPredicate, false)
                   .Child(std::move(left))
                   .Text(suffix)
                   .Build();
      } else {
        return Expected("NULL, TRUE, FALSE or DISTINCT FROM after IS");
      }
    } else {
      break;
    }
  }
  return left;
}

std::optional<CompareOp> Parser::PeekCompareOp() const {
  const Token& token = Peek();
  if (token.kind != TokenKind::kSymbol) return std::nullopt;
  const std::string& s = token.text;
  if (s == "=" || s == "==") return CompareOp::kEqual;
  if (s == "!=" || s == "<>") return CompareOp::kNotEqual;
  if (s == "<") return CompareOp::kLess;
  if (s == "<=") return CompareOp::kLessEqual;
  if (s == ">") return CompareOp::kGreater;
  if (s == ">=") return CompareOp::kGreaterEqual;
  if (s == "<=>") return CompareOp::kNullSafeEqual;
  return std::nullopt;
}

ExpressionPtr Parser::ParseComparison() {
  ExpressionPtr left = ParseRange();
  while (left) {
    std::optional<CompareOp> op = PeekCompareOp();
    if (!op) break;
    ++pos_;
    ExpressionPtr right = ParseRange();
    if (!right) return nullptr;
    left = MakeExpression(CompareExpr{*op, std::move(left), std::move(right)});
  }
  return left;
}

ExpressionPtr Parser::ParseRange() {
  ExpressionPtr operand = ParseOtherOperators();
  if (!operand) return nullptr;
  bool negated = false;
  if (IsKeyword("not") && (IsKeyword("in", 1) || IsKeyword("between", 1) || IsKeyword("like", 1) ||
                           IsKeyword("ilike", 1) || IsKeyword("glob", 1))) {
    negated = true;
    ++pos_;
  }
  if (AcceptKeyword("in")) return ParseInList(std::move(operand), negated);
  if (AcceptKeyword("between")) {
    ExpressionPtr low = ParseOtherOperators();
    if (!low || !ExpectKeyword("AND")) return nullptr;
    ExpressionPtr high = ParseOtherOperators();
    if (!high) return nullptr;
    return MakeExpression(
        BetweenExpr{std::move(operand), std::move(low), std::move(high), negated});
  }
  if (IsKeyword("like") || IsKeyword("ilike")) {
    bool case_insensitive = IsKeyword("ilike");
    ++pos_;
    ExpressionPtr pattern = ParseOtherOperators();
    if (!pattern) return nullptr;
    ExpressionPtr escape;
    if (AcceptKeyword("escape")) {
      escape = ParseOtherOperators();
      if (!escape) return nullptr;
    }
    return MakeExpression(LikeExpr{std::move(operand), std::move(pattern), std::move(escape),
                                   negated, case_insensitive});
  }
  if (AcceptKeyword("glob")) {
    ExpressionPtr pattern = ParseOtherOperators();
    if (!pattern) return nullptr;
    return OpaqueBuilder(Precedence::kPredicate, false)
        .Child(std::move(operand))
        .Text(negated ? " NOT GLOB " : " GLOB ")
        .Child(std::move(pattern))
        .Build();
  }
  return operand;
}

ExpressionPtr Parser::ParseInList(ExpressionPtr operand, bool negated) {
  if (!IsSymbol("(")) return Expected("'(' after IN");
  size_t open = pos_;
  if (!StartsSubquery(1)) {
    ++pos_;
    InExpr in{std::move(operand), {}, negated};
    while (true) {
      ExpressionPtr value = ParseOr();
      if (!value) break;
      in.values.push_back(std::move(value));
      if (AcceptSymbol(",")) continue;
      if (AcceptSymbol(")")) return MakeExpression(std::move(in));
      Expected("',' or ')' in the IN list");
      break;
    }
    if (!CanKeepVerbatim(open)) return nullptr;
    error_.reset();
    pos_ = open;
    operand = std::move(in.operand);
  }
  std::optional<std::string> list = TakeBracketed();
  if (!list) return nullptr;
  return OpaqueBuilder(Precedence::kPredicate, false)
      .Child(std::move(operand))
      .Text(negated ? " NOT IN " : " IN ")
      .Text(*list)
      .Build();
}

ExpressionPtr Parser::ParseOtherOperators() {
  return ParseBinaryLevel({"||", "&", "|", "<<", ">>"}, [this] {
    return ParseBinaryLevel({"+", "-"}, [this] {
      return ParseBinaryLevel({"*", "/", "%", "//"}, [this] {
        return ParseBinaryLevel({"^", "**"}, [this] { return ParseUnary(); });
      });
    });
  });
}

template <typename Next>
ExpressionPtr Parser::ParseBinaryLevel(std::initializer_list<std::string_view> ops,
                                       const Next& next) {
  ExpressionPtr first = next();
  if (!first) return nullptr;
  auto peek_op = [&]() -> std::optional<std::string> {
    if (Peek().kind != TokenKind::kSymbol) return std::nullopt;
    for (std::string_view op : ops) {
      if (Peek().text == op) return std::string(op);
    }
    return std::nullopt;
  };
  std::optional<std::string> op = peek_op();
  if (!op) return first;
  OpaqueBuilder builder(Precedence::kArithmetic, false);
  builder.Child(std::move(first));
  while (op) {
    ++pos_;
    ExpressionPtr operand = next();
    if (!operand) return nullptr;
    builder.Text(" " + *op + " ").Child(std::move(operand));
    op = peek_op();
  }
  return builder.Build();
}

ExpressionPtr Parser::ParseUnary() {
  DepthGuard guard(&depth_);
  if (guard.exceeded()) return Fail("filter nested too deeply");
  if (IsSymbol("-") && Peek(1).kind == TokenKind::kNumber) {
    ++pos_;
    ExpressionPtr number = ParsePostfix();
    if (!number) return nullptr;
    if (auto* literal = number->As<LiteralExpr>()) {
      literal->text = "-" + literal->text;
      return number;
    }
    return OpaqueBuilder(Precedence::kArithmetic, false).Text("-").Child(std::move(number)).Build();
  }
  if (IsSymbol("-") || IsSymbol("+") || IsSymbol("~")) {
    std::string op = Peek().text;
    ++pos_;
    ExpressionPtr operand = ParseUnary();
    if (!operand) return nullptr;
    return OpaqueBuilder(Precedence::kArithmetic, false).Text(op).Child(std::move(operand)).Build();
  }
  return ParsePostfix();
}

ExpressionPtr Parser::ParsePostfix() {
  ExpressionPtr expr = ParsePrimary();
  while (expr) {
    if (AcceptSymbol("::")) {
      std::optional<std::string> type = ParseShortType();
      if (!type) return nullptr;
      expr = MakeExpression(CastExpr{std::move(expr), *type, false});
    } else if (IsSymbol("[")) {
      std::optional<std::string> subscript = TakeBracketed();
      if (!subscript) return nullptr;
      expr =
          OpaqueBuilder(Precedence::kAtom, false).Child(std::move(expr)).Text(*subscript).Build();
    } else if (IsSymbol(".") && (Peek(1).kind == TokenKind::kIdentifier ||
                                 Peek(1).kind == TokenKind::kQuotedIdentifier)) {
      // A field of something that is not a column, e.g. a function's struct result.
      ++pos_;
      std::string field(Source(pos_, pos_));
      ++pos_;
      expr =
          OpaqueBuilder(Precedence::kAtom, false).Child(std::move(expr)).Text("." + field).Build();
    } else {
      break;
    }
  }
  return expr;
}

std::optional<std::string> Parser::ParseShortType() {
  if (Peek().kind != TokenKind::kIdentifier && Peek().kind != TokenKind::kQuotedIdentifier) {
    Expected("a type after '::'");
    return std::nullopt;
  }
  size_t first = pos_++;
  size_t last = first;
  if (IsSymbol("(")) {
    std::optional<size_t> close = MatchingClose(pos_);
    if (!close) {
      Fail(Describe(Peek()) + " is never closed");
      return std::nullopt;
    }
    last = *close;
    pos_ = last + 1;
  }
  while (IsSymbol("[") && IsSymbol("]", 1)) {
    last = pos_ + 1;
    pos_ += 2;
  }
  return std::string(Source(first, last));
}

}  // namespace predicate_internal

Result<ExpressionPtr> ParsePredicate(std::string_view sql) {
  std::vector<predicate_internal::Token> tokens;
  predicate_internal::LexError lex_error;
  if (!predicate_internal::Tokenize(sql, &tokens, &lex_error)) {
    return predicate_internal::FilterError(sql, lex_error.offset, lex_error.message);
  }
  return predicate_internal::Parser(sql, std::move(tokens)).ParseAll();
}

}  // namespace sluice::delta
