// Expressions, by precedence (Spark's documented order, loosest first): OR, AND, NOT,
// predicates (BETWEEN, IN, LIKE, RLIKE, IS ...), comparisons, |, ^, &, shifts, + - ||,
// * / % DIV, unary - + ~, then postfix . [] :: and the Databricks JSON path `:`.
#include <cctype>

#include "common/strings.h"
#include "spark/parser_internal.h"

namespace sluice::spark::internal {
namespace {

ExprPtr NewExpr(ExprKind kind, const Span& span) {
  auto expr = std::make_unique<Expr>();
  expr->kind = kind;
  expr->span = span;
  return expr;
}

}  // namespace

Result<ExprPtr> Parser::ParseExpression() {
  DepthGuard guard(*this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  return Or();
}

Result<ExprPtr> Parser::BinaryNode(std::string op, ExprPtr left, ExprPtr right, size_t first) {
  ExprPtr node = NewExpr(ExprKind::kBinary, SpanFrom(first));
  node->span.begin = left->span.begin;
  node->span.line = left->span.line;
  node->span.column = left->span.column;
  node->op = std::move(op);
  node->args.push_back(std::move(left));
  node->args.push_back(std::move(right));
  return node;
}

// One left-associative level: operands from `operand` joined by any of `symbols` or by
// `keyword`, so that a - b + c is (a - b) + c. == and != are read as = and <>.
Result<ExprPtr> Parser::LeftAssociative(Result<ExprPtr> (Parser::*operand)(),
                                        std::initializer_list<const char*> symbols,
                                        const char* keyword) {
  const size_t first = i_;
  SLUICE_ASSIGN_OR_RETURN(ExprPtr left, (this->*operand)());
  while (!AtEnd()) {
    std::string op;
    for (const char* candidate : symbols) {
      if (Peek().IsSymbol(candidate)) op = candidate;
    }
    if (op.empty() && keyword != nullptr && Peek().IsKeyword(keyword)) op = keyword;
    if (op.empty()) break;
    ++i_;
    if (op == "==") op = "=";
    if (op == "!=") op = "<>";
    SLUICE_ASSIGN_OR_RETURN(ExprPtr right, (this->*operand)());
    SLUICE_ASSIGN_OR_RETURN(left, BinaryNode(op, std::move(left), std::move(right), first));
  }
  return left;
}

Result<ExprPtr> Parser::Or() { return LeftAssociative(&Parser::And, {}, "OR"); }

Result<ExprPtr> Parser::And() { return LeftAssociative(&Parser::Not, {}, "AND"); }

Result<ExprPtr> Parser::Not() {
  const size_t first = i_;
  if (Accept("NOT") || AcceptSymbol("!")) {
    DepthGuard guard(*this);
    SLUICE_RETURN_IF_ERROR(guard.Enter());
    SLUICE_ASSIGN_OR_RETURN(ExprPtr operand, Not());
    ExprPtr node = NewExpr(ExprKind::kUnary, SpanFrom(first));
    node->op = "NOT";
    node->args.push_back(std::move(operand));
    return node;
  }
  return Predicate();
}

Result<ExprPtr> Parser::Predicate() {
  const size_t first = i_;
  SLUICE_ASSIGN_OR_RETURN(ExprPtr left, Comparison());
  while (true) {
    const size_t at = i_;
    const bool negated = Accept("NOT");
    if (Accept("BETWEEN")) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr low, Comparison());
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("AND"));
      SLUICE_ASSIGN_OR_RETURN(ExprPtr high, Comparison());
      ExprPtr node = NewExpr(ExprKind::kBetween, SpanFrom(first));
      node->negated = negated;
      node->args.push_back(std::move(left));
      node->args.push_back(std::move(low));
      node->args.push_back(std::move(high));
      left = std::move(node);
      continue;
    }
    if (Accept("IN")) {
      SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
      ExprPtr node = NewExpr(ExprKind::kIn, SpanOf(t_[first]));
      node->negated = negated;
      node->args.push_back(std::move(left));
      if (QueryAhead(0) && !Peek().IsKeyword("TABLE")) {
        SLUICE_ASSIGN_OR_RETURN(node->subquery, ParseQuery());
      } else {
        while (true) {
          SLUICE_ASSIGN_OR_RETURN(ExprPtr item, ParseExpression());
          node->args.push_back(std::move(item));
          if (!AcceptSymbol(",")) break;
        }
      }
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
      node->span = SpanFrom(first);
      left = std::move(node);
      continue;
    }
    std::string like;
    if (Accept("LIKE")) {
      like = "LIKE";
    } else if (Accept("ILIKE")) {
      like = "ILIKE";
    } else if (Accept("RLIKE") || Accept("REGEXP")) {
      like = "RLIKE";
    }
    if (!like.empty()) {
      ExprPtr node = NewExpr(ExprKind::kLike, SpanOf(t_[first]));
      node->op = like;
      node->negated = negated;
      node->args.push_back(std::move(left));
      if (like != "RLIKE" &&
          (Peek().IsKeyword("ANY") || Peek().IsKeyword("SOME") || Peek().IsKeyword("ALL")) &&
          Peek(1).IsSymbol("(")) {
        node->quantifier = Peek().IsKeyword("ALL") ? "ALL" : "ANY";
        i_ += 2;
        while (true) {
          SLUICE_ASSIGN_OR_RETURN(ExprPtr pattern, ParseExpression());
          node->args.push_back(std::move(pattern));
          if (!AcceptSymbol(",")) break;
        }
        SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
      } else {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr pattern, Comparison());
        node->args.push_back(std::move(pattern));
        if (like != "RLIKE" && Accept("ESCAPE")) {
          SLUICE_ASSIGN_OR_RETURN(node->escape, Primary());
        }
      }
      node->span = SpanFrom(first);
      left = std::move(node);
      continue;
    }
    if (negated) {
      i_ = at;
      break;
    }
    if (Accept("IS")) {
      const bool is_not = Accept("NOT");
      ExprPtr node;
      if (Accept("NULL")) {
        node = NewExpr(ExprKind::kIsNull, SpanFrom(first));
      } else if (Accept("TRUE") || Accept("FALSE") || Accept("UNKNOWN")) {
        node = NewExpr(ExprKind::kIsBool, SpanFrom(first));
        node->op = ToUpper(t_[i_ - 1].raw);
      } else if (AcceptWords({"DISTINCT", "FROM"})) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr right, Comparison());
        node = NewExpr(ExprKind::kIsDistinct, SpanFrom(first));
        node->args.push_back(std::move(left));
        node->args.push_back(std::move(right));
        node->negated = is_not;
        left = std::move(node);
        continue;
      } else {
        return Expected("NULL, TRUE, FALSE, UNKNOWN or DISTINCT FROM after IS");
      }
      node->negated = is_not;
      node->args.push_back(std::move(left));
      left = std::move(node);
      continue;
    }
    break;
  }
  return left;
}

Result<ExprPtr> Parser::Comparison() {
  return LeftAssociative(&Parser::BitOr, {"=", "==", "<>", "!=", "<", "<=", ">", ">=", "<=>"},
                         nullptr);
}

Result<ExprPtr> Parser::BitOr() { return LeftAssociative(&Parser::BitXor, {"|"}, nullptr); }

Result<ExprPtr> Parser::BitXor() { return LeftAssociative(&Parser::BitAnd, {"^"}, nullptr); }

Result<ExprPtr> Parser::BitAnd() { return LeftAssociative(&Parser::Shift, {"&"}, nullptr); }

Result<ExprPtr> Parser::Shift() {
  return LeftAssociative(&Parser::Additive, {"<<", ">>", ">>>"}, nullptr);
}

Result<ExprPtr> Parser::Additive() {
  return LeftAssociative(&Parser::Multiplicative, {"+", "-", "||"}, nullptr);
}

Result<ExprPtr> Parser::Multiplicative() {
  return LeftAssociative(&Parser::Unary, {"*", "/", "%"}, "DIV");
}

Result<ExprPtr> Parser::Unary() {
  const size_t first = i_;
  if (Peek().IsSymbol("-") || Peek().IsSymbol("+") || Peek().IsSymbol("~")) {
    const std::string op(Next().raw);
    // -<number> is a negative literal, as Spark's grammar reads it.
    if (op == "-" && Peek().kind == Token::Kind::kNumber &&
        t_[i_ - 1].end_offset() == Peek().offset) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr literal, NumberLiteral());
      if (literal->literal.type.IsIntegral() && literal->literal.text == "2147483648") {
        literal->literal.type = DataType::Of(TypeId::kInt);
      }
      if (literal->literal.text == "9223372036854775808") {
        literal->literal.type = DataType::Of(TypeId::kLong);
      }
      literal->literal.text = "-" + literal->literal.text;
      literal->span = SpanFrom(first);
      // Postfix operators bind tighter than the sign: -1::STRING is -(1::STRING) in Spark,
      // which gives the same value for literals.
      return literal;
    }
    DepthGuard guard(*this);
    SLUICE_RETURN_IF_ERROR(guard.Enter());
    SLUICE_ASSIGN_OR_RETURN(ExprPtr operand, Unary());
    ExprPtr node = NewExpr(ExprKind::kUnary, SpanFrom(first));
    node->op = op;
    node->args.push_back(std::move(operand));
    return node;
  }
  return Postfix();
}

Result<ExprPtr> Parser::JsonPath(ExprPtr base, size_t first) {
  // After `:`. The path: name | [..], then .name | [..] ...
  std::string path = "$";
  bool any = false;
  while (true) {
    if (Peek().IsSymbol("[")) {
      ++i_;
      if (Peek().kind == Token::Kind::kNumber) {
        path += "[" + Next().value + "]";
      } else if (Peek().kind == Token::Kind::kString) {
        std::string key = Next().value;
        std::string escaped;
        for (char c : key) {
          if (c == '\'' || c == '\\') escaped += '\\';
          escaped += c;
        }
        path += "['" + escaped + "']";
      } else if (AcceptSymbol("*")) {
        path += "[*]";
      } else {
        return Expected("an index, a quoted key or * in the JSON path");
      }
      SLUICE_RETURN_IF_ERROR(ExpectSymbol("]"));
    } else if (!any || Peek().IsSymbol(".")) {
      if (any) ++i_;
      if (!Peek().IsName() && !(Peek().kind == Token::Kind::kNumber)) {
        return Expected("a field name in the JSON path");
      }
      path += "." + Next().value;
    } else {
      break;
    }
    any = true;
    if (!Peek().IsSymbol(".") && !Peek().IsSymbol("[")) break;
  }
  ExprPtr node = NewExpr(ExprKind::kJsonPath, SpanFrom(first));
  node->name = path;
  node->args.push_back(std::move(base));
  return node;
}

Result<ExprPtr> Parser::Postfix() {
  const size_t first = i_;
  SLUICE_ASSIGN_OR_RETURN(ExprPtr expr, Primary());
  while (!AtEnd()) {
    if (AcceptSymbol("[")) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr index, ParseExpression());
      SLUICE_RETURN_IF_ERROR(ExpectSymbol("]"));
      ExprPtr node = NewExpr(ExprKind::kSubscript, SpanFrom(first));
      node->args.push_back(std::move(expr));
      node->args.push_back(std::move(index));
      expr = std::move(node);
    } else if (Peek().IsSymbol(".") && Peek(1).IsName()) {
      ++i_;
      std::string field = Next().value;
      if (expr->kind == ExprKind::kColumn) {
        expr->parts.push_back(std::move(field));
        expr->span = SpanFrom(first);
      } else {
        ExprPtr node = NewExpr(ExprKind::kField, SpanFrom(first));
        node->name = std::move(field);
        node->args.push_back(std::move(expr));
        expr = std::move(node);
      }
    } else if (AcceptSymbol("::")) {
      SLUICE_ASSIGN_OR_RETURN(DataType type, ParseType());
      ExprPtr node = NewExpr(ExprKind::kCast, SpanFrom(first));
      node->type = std::move(type);
      node->args.push_back(std::move(expr));
      expr = std::move(node);
    } else if (Peek().IsSymbol(":") && (Peek(1).IsName() || Peek(1).IsSymbol("["))) {
      ++i_;
      SLUICE_ASSIGN_OR_RETURN(expr, JsonPath(std::move(expr), first));
    } else {
      break;
    }
  }
  return expr;
}

bool Parser::QueryAhead(size_t ahead) const {
  while (Peek(ahead).IsSymbol("(")) ++ahead;
  const Token& token = Peek(ahead);
  return token.IsKeyword("SELECT") || token.IsKeyword("WITH") || token.IsKeyword("VALUES") ||
         token.IsKeyword("TABLE");
}

bool Parser::AtLambda() const {
  if (Peek().IsName() && Peek(1).IsSymbol("->")) return true;
  if (!Peek().IsSymbol("(")) return false;
  size_t k = 1;
  while (true) {
    if (!Peek(k).IsName()) return false;
    ++k;
    if (Peek(k).IsSymbol(")")) return Peek(k + 1).IsSymbol("->");
    if (!Peek(k).IsSymbol(",")) return false;
    ++k;
  }
}

Result<ExprPtr> Parser::Lambda() {
  const size_t first = i_;
  ExprPtr node = NewExpr(ExprKind::kLambda, SpanOf(Peek()));
  if (AcceptSymbol("(")) {
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(std::string name, Identifier("a lambda parameter"));
      node->names.push_back(std::move(name));
      if (AcceptSymbol(")")) break;
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
    }
  } else {
    SLUICE_ASSIGN_OR_RETURN(std::string name, Identifier("a lambda parameter"));
    node->names.push_back(std::move(name));
  }
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("->"));
  SLUICE_ASSIGN_OR_RETURN(ExprPtr body, ParseExpression());
  node->args.push_back(std::move(body));
  node->span = SpanFrom(first);
  return node;
}

Result<ExprPtr> Parser::Parenthesized() {
  // At '('.
  const size_t first = i_;
  if (QueryAhead(1) && !Peek(1).IsKeyword("TABLE")) {
    ++i_;
    ExprPtr node = NewExpr(ExprKind::kSubquery, SpanOf(t_[first]));
    SLUICE_ASSIGN_OR_RETURN(node->subquery, ParseQuery());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    node->span = SpanFrom(first);
    return node;
  }
  ++i_;
  SLUICE_ASSIGN_OR_RETURN(ExprPtr inner, ParseExpression());
  if (AcceptSymbol(")")) return inner;
  // (a, b, ...): a row constructor, a struct of its values.
  ExprPtr node = NewExpr(ExprKind::kStruct, SpanOf(t_[first]));
  node->args.push_back(std::move(inner));
  node->aliases.push_back("");
  while (AcceptSymbol(",")) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr item, ParseExpression());
    node->args.push_back(std::move(item));
    node->aliases.push_back("");
  }
  SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  node->span = SpanFrom(first);
  return node;
}

Result<ExprPtr> Parser::Case() {
  // After CASE.
  const size_t first = i_ - 1;
  ExprPtr node = NewExpr(ExprKind::kCase, SpanOf(t_[first]));
  if (!Peek().IsKeyword("WHEN")) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr operand, ParseExpression());
    node->args.push_back(std::move(operand));
    node->has_operand = true;
  }
  bool any = false;
  while (Accept("WHEN")) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr when, ParseExpression());
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("THEN"));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr then, ParseExpression());
    node->args.push_back(std::move(when));
    node->args.push_back(std::move(then));
    any = true;
  }
  if (!any) return Expected("WHEN");
  if (Accept("ELSE")) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr otherwise, ParseExpression());
    node->args.push_back(std::move(otherwise));
    node->has_else = true;
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("END"));
  node->span = SpanFrom(first);
  return node;
}

Result<ExprPtr> Parser::Cast(bool try_cast) {
  // After CAST / TRY_CAST.
  const size_t first = i_ - 1;
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  SLUICE_ASSIGN_OR_RETURN(ExprPtr operand, ParseExpression());
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
  SLUICE_ASSIGN_OR_RETURN(DataType type, ParseType());
  SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  ExprPtr node = NewExpr(ExprKind::kCast, SpanFrom(first));
  node->try_cast = try_cast;
  node->type = std::move(type);
  node->args.push_back(std::move(operand));
  return node;
}

Result<std::vector<SortItem>> Parser::SortList() {
  std::vector<SortItem> items;
  while (true) {
    SortItem item;
    SLUICE_ASSIGN_OR_RETURN(item.expr, ParseExpression());
    if (Accept("DESC")) {
      item.ascending = false;
    } else {
      Accept("ASC");
    }
    if (Accept("NULLS")) {
      if (Accept("FIRST")) {
        item.nulls_first = true;
      } else if (Accept("LAST")) {
        item.nulls_first = false;
      } else {
        return Expected("FIRST or LAST");
      }
    }
    items.push_back(std::move(item));
    if (!AcceptSymbol(",")) return items;
  }
}

Result<FrameBound> Parser::Bound() {
  FrameBound bound;
  if (Accept("UNBOUNDED")) {
    if (Accept("PRECEDING")) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
    } else if (Accept("FOLLOWING")) {
      bound.kind = FrameBoundKind::kUnboundedFollowing;
    } else {
      return Expected("PRECEDING or FOLLOWING");
    }
    return bound;
  }
  if (AcceptWords({"CURRENT", "ROW"})) {
    bound.kind = FrameBoundKind::kCurrentRow;
    return bound;
  }
  SLUICE_ASSIGN_OR_RETURN(bound.offset, Additive());
  if (Accept("PRECEDING")) {
    bound.kind = FrameBoundKind::kPreceding;
  } else if (Accept("FOLLOWING")) {
    bound.kind = FrameBoundKind::kFollowing;
  } else {
    return Expected("PRECEDING or FOLLOWING");
  }
  return bound;
}

Result<std::unique_ptr<WindowSpec>> Parser::WindowSpecification() {
  // After OVER, or after a name AS in a WINDOW clause.
  auto spec = std::make_unique<WindowSpec>();
  const size_t first = i_;
  if (Peek().IsName() && !Peek().IsSymbol("(")) {
    spec->base = Next().value;
    spec->span = SpanFrom(first);
    return spec;
  }
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  if (Peek().IsName() && !Peek().IsKeyword("PARTITION") && !Peek().IsKeyword("DISTRIBUTE") &&
      !Peek().IsKeyword("ORDER") && !Peek().IsKeyword("SORT") && !Peek().IsKeyword("ROWS") &&
      !Peek().IsKeyword("RANGE") && !Peek().IsKeyword("CLUSTER")) {
    spec->base = Next().value;
  }
  if (AcceptWords({"PARTITION", "BY"}) || AcceptWords({"DISTRIBUTE", "BY"}) ||
      AcceptWords({"CLUSTER", "BY"})) {
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr e, ParseExpression());
      spec->partition_by.push_back(std::move(e));
      if (!AcceptSymbol(",")) break;
    }
  }
  if (AcceptWords({"ORDER", "BY"}) || AcceptWords({"SORT", "BY"})) {
    SLUICE_ASSIGN_OR_RETURN(spec->order_by, SortList());
  }
  if (Peek().IsKeyword("ROWS") || Peek().IsKeyword("RANGE")) {
    WindowFrame frame;
    frame.rows = Next().IsKeyword("ROWS");
    if (Accept("BETWEEN")) {
      SLUICE_ASSIGN_OR_RETURN(frame.start, Bound());
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("AND"));
      SLUICE_ASSIGN_OR_RETURN(frame.end, Bound());
    } else {
      SLUICE_ASSIGN_OR_RETURN(frame.start, Bound());
      frame.end.kind = FrameBoundKind::kCurrentRow;
    }
    spec->frame = std::move(frame);
  }
  SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  spec->span = SpanFrom(first);
  return spec;
}

Result<ExprPtr> Parser::FunctionCall(std::vector<std::string> name, size_t first) {
  // At '('.
  ++i_;
  ExprPtr node = NewExpr(ExprKind::kFunction, SpanOf(t_[first]));
  node->parts = std::move(name);
  const bool is_struct = node->parts.size() == 1 && EqualsIgnoreCase(node->parts[0], "struct");
  if (!AcceptSymbol(")")) {
    if (Accept("DISTINCT")) {
      node->distinct = true;
    } else {
      Accept("ALL");
    }
    while (true) {
      if (Peek().IsSymbol("*") && (Peek(1).IsSymbol(")") || Peek(1).IsSymbol(","))) {
        node->args.push_back(NewExpr(ExprKind::kStar, SpanOf(Next())));
      } else if (Peek().IsName() && (Peek(1).IsSymbol("=>") || Peek(1).IsSymbol(":="))) {
        ExprPtr named = NewExpr(ExprKind::kNamedArg, SpanOf(Peek()));
        named->name = Next().value;
        ++i_;
        SLUICE_ASSIGN_OR_RETURN(ExprPtr value, ParseExpression());
        named->args.push_back(std::move(value));
        named->span = SpanFrom(i_ - 1);
        node->args.push_back(std::move(named));
      } else if (AtLambda()) {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr lambda, Lambda());
        node->args.push_back(std::move(lambda));
      } else {
        SLUICE_ASSIGN_OR_RETURN(ExprPtr arg, ParseExpression());
        node->args.push_back(std::move(arg));
      }
      std::string alias;
      if (is_struct) {
        SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> given, OptionalAlias());
        if (given) alias = *given;
      }
      node->aliases.push_back(alias);
      if (Accept("IGNORE")) {
        SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULLS"));
        node->ignore_nulls = true;
      } else if (Accept("RESPECT")) {
        SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULLS"));
        node->ignore_nulls = false;
      }
      if (AcceptSymbol(")")) break;
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
    }
  }
  if (AcceptWords({"WITHIN", "GROUP"})) {
    SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("ORDER"));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("BY"));
    SLUICE_ASSIGN_OR_RETURN(node->within_group, SortList());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  }
  if (Accept("FILTER")) {
    SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("WHERE"));
    SLUICE_ASSIGN_OR_RETURN(node->filter, ParseExpression());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  }
  if (Accept("IGNORE")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULLS"));
    node->ignore_nulls = true;
  } else if (Accept("RESPECT")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULLS"));
    node->ignore_nulls = false;
  }
  if (Accept("OVER")) {
    SLUICE_ASSIGN_OR_RETURN(node->window, WindowSpecification());
  }
  node->span = SpanFrom(first);
  return node;
}

Result<ExprPtr> Parser::SpecialForm(const std::string& name, size_t first) {
  // At '(' after EXTRACT, POSITION, TRIM, SUBSTRING / SUBSTR or OVERLAY, when the arguments
  // use the keyword syntax. Returns nullptr when they do not.
  auto call = [&](std::string function) {
    ExprPtr node = NewExpr(ExprKind::kFunction, SpanOf(t_[first]));
    node->parts = {std::move(function)};
    return node;
  };
  auto string_literal = [&](std::string text, const Span& span) {
    return MakeLiteral(DataType::Of(TypeId::kString), std::move(text), span);
  };
  const size_t open = i_;
  if (name == "TIMESTAMPADD" || name == "DATEADD" || name == "DATE_ADD" ||
      name == "TIMESTAMPDIFF" || name == "DATEDIFF" || name == "DATE_DIFF") {
    // f(unit, a, b) with a datetime unit keyword: timestampadd / timestampdiff, the unit
    // passed as a string. Other forms (date_add(date, days)) are ordinary calls.
    static const char* const kUnits[] = {"YEAR",   "QUARTER",     "MONTH",      "WEEK",
                                         "DAY",    "DAYOFYEAR",   "HOUR",       "MINUTE",
                                         "SECOND", "MILLISECOND", "MICROSECOND"};
    const Token& unit = Peek(1);
    if (unit.kind != Token::Kind::kIdentifier || !Peek(2).IsSymbol(",")) return ExprPtr();
    bool is_unit = false;
    for (const char* u : kUnits) is_unit = is_unit || unit.IsKeyword(u);
    if (!is_unit) return ExprPtr();
    i_ += 3;
    SLUICE_ASSIGN_OR_RETURN(ExprPtr first_arg, ParseExpression());
    if (!AcceptSymbol(",")) {
      i_ = open;
      return ExprPtr();
    }
    SLUICE_ASSIGN_OR_RETURN(ExprPtr second_arg, ParseExpression());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    const bool add = name == "TIMESTAMPADD" || name == "DATEADD" || name == "DATE_ADD";
    ExprPtr node = call(add ? "timestampadd" : "timestampdiff");
    node->args.push_back(string_literal(ToUpper(unit.raw), SpanOf(unit)));
    node->args.push_back(std::move(first_arg));
    node->args.push_back(std::move(second_arg));
    node->span = SpanFrom(first);
    return node;
  }
  if (name == "EXTRACT" || name == "DATE_PART") {
    if (!(Peek(1).IsName() && Peek(2).IsKeyword("FROM"))) return ExprPtr();
    ++i_;
    const Token& field = Next();
    ++i_;  // FROM
    SLUICE_ASSIGN_OR_RETURN(ExprPtr source, ParseExpression());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    ExprPtr node = call("extract");
    node->args.push_back(string_literal(field.value, SpanOf(field)));
    node->args.push_back(std::move(source));
    node->span = SpanFrom(first);
    return node;
  }
  if (name == "TRIM") {
    ++i_;
    std::string mode = "BOTH";
    bool keyword = false;
    if (Accept("BOTH") || Accept("LEADING") || Accept("TRAILING")) {
      mode = ToUpper(t_[i_ - 1].raw);
      keyword = true;
    }
    ExprPtr chars;
    if (Accept("FROM")) {
      keyword = true;
    } else {
      SLUICE_ASSIGN_OR_RETURN(chars, ParseExpression());
      if (Accept("FROM")) {
        keyword = true;
      } else if (!keyword) {
        i_ = open;
        return ExprPtr();
      }
    }
    ExprPtr node = call(mode == "BOTH" ? "trim" : mode == "LEADING" ? "ltrim" : "rtrim");
    node->op = "FROM";  // arguments are (str[, chars]), whatever the function's own order
    if (keyword && !chars) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr source, ParseExpression());
      node->args.push_back(std::move(source));
    } else if (chars && t_[i_ - 1].IsKeyword("FROM")) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr source, ParseExpression());
      node->args.push_back(std::move(source));
      node->args.push_back(std::move(chars));
    } else {
      // TRIM(BOTH str): the string itself.
      node->args.push_back(std::move(chars));
    }
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    node->span = SpanFrom(first);
    return node;
  }
  // POSITION(a IN b), SUBSTRING(s FROM p [FOR l]), OVERLAY(s PLACING r FROM p [FOR l]):
  // find the keyword after the first argument.
  ++i_;
  SLUICE_ASSIGN_OR_RETURN(ExprPtr first_arg, Additive());
  if (name == "POSITION" && Accept("IN")) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr in, ParseExpression());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    ExprPtr node = call("position");
    node->args.push_back(std::move(first_arg));
    node->args.push_back(std::move(in));
    node->span = SpanFrom(first);
    return node;
  }
  if ((name == "SUBSTRING" || name == "SUBSTR") && Accept("FROM")) {
    ExprPtr node = call("substring");
    node->args.push_back(std::move(first_arg));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr position, ParseExpression());
    node->args.push_back(std::move(position));
    if (Accept("FOR")) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr length, ParseExpression());
      node->args.push_back(std::move(length));
    }
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    node->span = SpanFrom(first);
    return node;
  }
  if (name == "OVERLAY" && Accept("PLACING")) {
    ExprPtr node = call("overlay");
    node->args.push_back(std::move(first_arg));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr replacement, ParseExpression());
    node->args.push_back(std::move(replacement));
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("FROM"));
    SLUICE_ASSIGN_OR_RETURN(ExprPtr position, ParseExpression());
    node->args.push_back(std::move(position));
    if (Accept("FOR")) {
      SLUICE_ASSIGN_OR_RETURN(ExprPtr length, ParseExpression());
      node->args.push_back(std::move(length));
    }
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    node->span = SpanFrom(first);
    return node;
  }
  i_ = open;
  return ExprPtr();
}

Result<ExprPtr> Parser::Primary() {
  DepthGuard guard(*this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  const size_t first = i_;
  const Token& token = Peek();
  if (AtEnd()) return Expected("an expression");
  if (token.kind == Token::Kind::kNumber) return NumberLiteral();
  if (token.kind == Token::Kind::kString) {
    SLUICE_ASSIGN_OR_RETURN(std::string value, StringLiteral("a string"));
    return MakeLiteral(DataType::Of(TypeId::kString), std::move(value), SpanFrom(first));
  }
  if (token.IsSymbol("(")) {
    if (AtLambda()) return Lambda();
    return Parenthesized();
  }
  if (token.IsSymbol("*")) {
    ++i_;
    ExprPtr star = NewExpr(ExprKind::kStar, SpanOf(token));
    return star;
  }
  if (token.IsSymbol("?")) {
    return Unsupported(token, "parameter markers are not supported in pipeline queries");
  }
  if (!token.IsName()) return Expected("an expression");
  if (AtLambda()) return Lambda();
  if (token.kind == Token::Kind::kIdentifier) {
    const std::string word = ToUpper(token.raw);
    const Token& next = Peek(1);
    if (word == "NULL") {
      ++i_;
      return MakeLiteral(DataType::Null(), "NULL", SpanOf(token));
    }
    if (word == "TRUE" || word == "FALSE") {
      ++i_;
      return MakeLiteral(DataType::Of(TypeId::kBoolean), word == "TRUE" ? "true" : "false",
                         SpanOf(token));
    }
    if (word == "CASE") {
      ++i_;
      return Case();
    }
    if ((word == "CAST" || word == "TRY_CAST") && next.IsSymbol("(")) {
      ++i_;
      return Cast(word == "TRY_CAST");
    }
    // EXISTS (query) is a predicate; exists(array, x -> ...) is the higher-order function.
    const std::string after =
        Peek(2).kind == Token::Kind::kIdentifier ? ToUpper(Peek(2).raw) : std::string();
    if (word == "EXISTS" && next.IsSymbol("(") &&
        (Peek(2).IsSymbol("(") || after == "SELECT" || after == "WITH" || after == "VALUES" ||
         after == "FROM" || after == "TABLE")) {
      i_ += 2;
      ExprPtr node = NewExpr(ExprKind::kExists, SpanOf(token));
      SLUICE_ASSIGN_OR_RETURN(node->subquery, ParseQuery());
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
      node->span = SpanFrom(first);
      return node;
    }
    if (word == "INTERVAL" &&
        (next.kind == Token::Kind::kString || next.kind == Token::Kind::kNumber ||
         (next.IsSymbol("-") &&
          (Peek(2).kind == Token::Kind::kNumber || Peek(2).kind == Token::Kind::kString)))) {
      ++i_;
      return IntervalLiteral();
    }
    if ((word == "DATE" || word == "TIMESTAMP" || word == "TIMESTAMP_LTZ" ||
         word == "TIMESTAMP_NTZ" || word == "BINARY") &&
        next.kind == Token::Kind::kString) {
      return TypedLiteral();
    }
    // X'...' is a binary literal, with or without space before the string, as in Spark.
    if (word == "X" && next.kind == Token::Kind::kString) {
      return TypedLiteral();
    }
    if ((word == "EXTRACT" || word == "DATE_PART" || word == "POSITION" || word == "TRIM" ||
         word == "SUBSTRING" || word == "SUBSTR" || word == "OVERLAY" || word == "TIMESTAMPADD" ||
         word == "DATEADD" || word == "DATE_ADD" || word == "TIMESTAMPDIFF" || word == "DATEDIFF" ||
         word == "DATE_DIFF") &&
        next.IsSymbol("(")) {
      ++i_;
      SLUICE_ASSIGN_OR_RETURN(ExprPtr special, SpecialForm(word, first));
      if (special) return special;
      return FunctionCall({std::string(token.value)}, first);
    }
    if ((word == "CURRENT_DATE" || word == "CURRENT_TIMESTAMP" || word == "CURRENT_USER" ||
         word == "CURRENT_TIME" || word == "LOCALTIMESTAMP" || word == "USER" ||
         word == "SESSION_USER" || word == "CURRENT_CATALOG" || word == "CURRENT_SCHEMA") &&
        !next.IsSymbol("(") && !next.IsSymbol(".")) {
      ++i_;
      ExprPtr node = NewExpr(ExprKind::kFunction, SpanOf(token));
      node->parts = {ToLower(word)};
      // Spark's parser (without enforceReservedKeywords) reads these as column names, and
      // only a name that is no column is the function.
      node->column_first = word == "CURRENT_DATE" || word == "CURRENT_TIMESTAMP" ||
                           word == "CURRENT_USER" || word == "USER" || word == "SESSION_USER";
      return node;
    }
  }
  // A name: a column, t.*, or a function call.
  std::vector<std::string> parts{Next().value};
  while (Peek().IsSymbol(".") && !AtEnd()) {
    if (Peek(1).IsSymbol("*")) {
      i_ += 2;
      ExprPtr star = NewExpr(ExprKind::kStar, SpanFrom(first));
      star->parts = std::move(parts);
      return star;
    }
    if (!Peek(1).IsName()) break;
    // a.b(...) is a qualified function name only when a call follows.
    ++i_;
    parts.push_back(Next().value);
  }
  if (Peek().IsSymbol("(") && !AtEnd()) return FunctionCall(std::move(parts), first);
  ExprPtr column = NewExpr(ExprKind::kColumn, SpanFrom(first));
  column->parts = std::move(parts);
  return column;
}

}  // namespace sluice::spark::internal
