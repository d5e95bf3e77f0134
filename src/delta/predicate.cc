#include "delta/predicate.h"

#include <algorithm>

#include "common/strings.h"
#include "delta/predicate_lexer.h"

namespace sluice::delta {
namespace {

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

using ColumnPrinter = std::function<std::string(const ColumnExpr&)>;

std::string Print(const Expression& expr, const ColumnPrinter& columns);

// `expr` printed where the context needs at least `needed`; parenthesized if it binds less.
std::string Operand(const Expression& expr, Precedence needed, const ColumnPrinter& columns) {
  std::string sql = Print(expr, columns);
  if (expr.precedence() < needed) return "(" + sql + ")";
  return sql;
}

std::string_view CompareOpSql(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual:
      return "=";
    case CompareOp::kNotEqual:
      return "<>";
    case CompareOp::kLess:
      return "<";
    case CompareOp::kLessEqual:
      return "<=";
    case CompareOp::kGreater:
      return ">";
    case CompareOp::kGreaterEqual:
      return ">=";
    case CompareOp::kNullSafeEqual:
      return "IS NOT DISTINCT FROM";
    case CompareOp::kDistinct:
      return "IS DISTINCT FROM";
  }
  return "=";
}

std::string LiteralSql(const LiteralExpr& literal) {
  switch (literal.kind) {
    case LiteralExpr::Kind::kNull:
      return "NULL";
    case LiteralExpr::Kind::kBoolean:
      return EqualsIgnoreCase(literal.text, "true") ? "TRUE" : "FALSE";
    case LiteralExpr::Kind::kInteger:
    case LiteralExpr::Kind::kDecimal:
    case LiteralExpr::Kind::kFloat:
      return literal.text;
    case LiteralExpr::Kind::kString:
      return QuoteLiteral(literal.text);
    case LiteralExpr::Kind::kTyped:
      return literal.type + " " + QuoteLiteral(literal.text);
  }
  return "NULL";
}

std::string JoinOperands(const std::vector<ExpressionPtr>& operands, std::string_view separator,
                         Precedence needed, const ColumnPrinter& columns) {
  std::string sql;
  for (size_t i = 0; i < operands.size(); ++i) {
    if (i > 0) sql += separator;
    sql += Operand(*operands[i], needed, columns);
  }
  return sql;
}

std::string Print(const Expression& expr, const ColumnPrinter& columns) {
  constexpr Precedence kValue = Precedence::kArithmetic;
  return std::visit(
      Overloaded{
          [&](const ColumnExpr& column) { return columns(column); },
          [&](const LiteralExpr& literal) { return LiteralSql(literal); },
          [&](const CastExpr& cast) {
            return std::string(cast.is_try ? "TRY_CAST(" : "CAST(") +
                   Operand(*cast.operand, Precedence::kOr, columns) + " AS " + cast.type + ")";
          },
          [&](const CompareExpr& compare) {
            return Operand(*compare.left, kValue, columns) + " " +
                   std::string(CompareOpSql(compare.op)) + " " +
                   Operand(*compare.right, kValue, columns);
          },
          [&](const IsNullExpr& is_null) {
            return Operand(*is_null.operand, kValue, columns) +
                   (is_null.negated ? " IS NOT NULL" : " IS NULL");
          },
          [&](const InExpr& in) {
            return Operand(*in.operand, kValue, columns) + (in.negated ? " NOT IN (" : " IN (") +
                   JoinOperands(in.values, ", ", Precedence::kOr, columns) + ")";
          },
          [&](const BetweenExpr& between) {
            return Operand(*between.operand, kValue, columns) +
                   (between.negated ? " NOT BETWEEN " : " BETWEEN ") +
                   Operand(*between.low, kValue, columns) + " AND " +
                   Operand(*between.high, kValue, columns);
          },
          [&](const LikeExpr& like) {
            std::string sql = Operand(*like.operand, kValue, columns);
            sql += like.negated ? " NOT" : "";
            sql += like.case_insensitive ? " ILIKE " : " LIKE ";
            sql += Operand(*like.pattern, kValue, columns);
            if (like.escape) sql += " ESCAPE " + Operand(*like.escape, kValue, columns);
            return sql;
          },
          [&](const AndExpr& conjunction) {
            return JoinOperands(conjunction.operands, " AND ", Precedence::kNot, columns);
          },
          [&](const OrExpr& disjunction) {
            return JoinOperands(disjunction.operands, " OR ", Precedence::kNot, columns);
          },
          [&](const NotExpr& negation) {
            return "NOT " + Operand(*negation.operand, Precedence::kAtom, columns);
          },
          [&](const OpaqueExpr& opaque) {
            std::string sql;
            for (size_t i = 0; i < opaque.text.size(); ++i) {
              sql += opaque.text[i];
              if (i < opaque.children.size()) {
                sql += opaque.delimited ? Print(*opaque.children[i], columns)
                                        : Operand(*opaque.children[i], Precedence::kAtom, columns);
              }
            }
            return sql;
          },
      },
      expr.node());
}

ExpressionPtr CloneOrNull(const ExpressionPtr& expr) { return expr ? expr->Clone() : nullptr; }

std::vector<ExpressionPtr> CloneAll(const std::vector<ExpressionPtr>& exprs) {
  std::vector<ExpressionPtr> copies;
  copies.reserve(exprs.size());
  for (const ExpressionPtr& expr : exprs) copies.push_back(expr->Clone());
  return copies;
}

}  // namespace

void ForEachChild(const Expression& expr, const std::function<void(const Expression&)>& visit) {
  auto one = [&](const ExpressionPtr& child) {
    if (child) visit(*child);
  };
  auto all = [&](const std::vector<ExpressionPtr>& children) {
    for (const ExpressionPtr& child : children) one(child);
  };
  std::visit(Overloaded{
                 [](const ColumnExpr&) {},
                 [](const LiteralExpr&) {},
                 [&](const CastExpr& e) { one(e.operand); },
                 [&](const CompareExpr& e) {
                   one(e.left);
                   one(e.right);
                 },
                 [&](const IsNullExpr& e) { one(e.operand); },
                 [&](const InExpr& e) {
                   one(e.operand);
                   all(e.values);
                 },
                 [&](const BetweenExpr& e) {
                   one(e.operand);
                   one(e.low);
                   one(e.high);
                 },
                 [&](const LikeExpr& e) {
                   one(e.operand);
                   one(e.pattern);
                   one(e.escape);
                 },
                 [&](const AndExpr& e) { all(e.operands); },
                 [&](const OrExpr& e) { all(e.operands); },
                 [&](const NotExpr& e) { one(e.operand); },
                 [&](const OpaqueExpr& e) { all(e.children); },
             },
             expr.node());
}

namespace {

void CollectColumns(const Expression& expr, std::vector<std::vector<std::string>>* out) {
  if (const auto* column = expr.As<ColumnExpr>()) {
    if (std::find(out->begin(), out->end(), column->path) == out->end()) {
      out->push_back(column->path);
    }
    return;
  }
  ForEachChild(expr, [&](const Expression& child) { CollectColumns(child, out); });
}

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(letter || (digit && i > 0))) return false;
  }
  return true;
}

}  // namespace

std::string Expression::ToSql() const {
  return Print(*this, [](const ColumnExpr& column) { return ColumnPathToSql(column.path); });
}

std::string Expression::ToSql(
    const std::function<std::string(const ColumnExpr&)>& column_sql) const {
  return Print(*this, column_sql);
}

Precedence Expression::precedence() const {
  return std::visit(Overloaded{
                        [](const ColumnExpr&) { return Precedence::kAtom; },
                        [](const LiteralExpr&) { return Precedence::kAtom; },
                        [](const CastExpr&) { return Precedence::kAtom; },
                        [](const CompareExpr&) { return Precedence::kPredicate; },
                        [](const IsNullExpr&) { return Precedence::kPredicate; },
                        [](const InExpr&) { return Precedence::kPredicate; },
                        [](const BetweenExpr&) { return Precedence::kPredicate; },
                        [](const LikeExpr&) { return Precedence::kPredicate; },
                        [](const AndExpr&) { return Precedence::kAnd; },
                        [](const OrExpr&) { return Precedence::kOr; },
                        [](const NotExpr&) { return Precedence::kNot; },
                        [](const OpaqueExpr& e) { return e.precedence; },
                    },
                    node_);
}

ExpressionPtr Expression::Clone() const {
  return std::visit(
      Overloaded{
          [](const ColumnExpr& e) { return MakeExpression(e); },
          [](const LiteralExpr& e) { return MakeExpression(e); },
          [](const CastExpr& e) {
            return MakeExpression(CastExpr{e.operand->Clone(), e.type, e.is_try});
          },
          [](const CompareExpr& e) {
            return MakeExpression(CompareExpr{e.op, e.left->Clone(), e.right->Clone()});
          },
          [](const IsNullExpr& e) {
            return MakeExpression(IsNullExpr{e.operand->Clone(), e.negated});
          },
          [](const InExpr& e) {
            return MakeExpression(InExpr{e.operand->Clone(), CloneAll(e.values), e.negated});
          },
          [](const BetweenExpr& e) {
            return MakeExpression(
                BetweenExpr{e.operand->Clone(), e.low->Clone(), e.high->Clone(), e.negated});
          },
          [](const LikeExpr& e) {
            return MakeExpression(LikeExpr{e.operand->Clone(), e.pattern->Clone(),
                                           CloneOrNull(e.escape), e.negated, e.case_insensitive});
          },
          [](const AndExpr& e) { return MakeExpression(AndExpr{CloneAll(e.operands)}); },
          [](const OrExpr& e) { return MakeExpression(OrExpr{CloneAll(e.operands)}); },
          [](const NotExpr& e) { return MakeExpression(NotExpr{e.operand->Clone()}); },
          [](const OpaqueExpr& e) {
            return MakeExpression(
                OpaqueExpr{e.text, CloneAll(e.children), e.precedence, e.delimited});
          },
      },
      node_);
}

std::vector<std::vector<std::string>> ReferencedColumns(const Expression& expr) {
  std::vector<std::vector<std::string>> columns;
  CollectColumns(expr, &columns);
  return columns;
}

std::string ColumnPathToSql(const std::vector<std::string>& path) {
  std::string sql;
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) sql += ".";
    const std::string& part = path[i];
    if (IsPlainIdentifier(part) && !predicate_internal::IsReservedWord(part)) {
      sql += part;
    } else {
      sql += QuoteIdentifier(part);
    }
  }
  return sql;
}

}  // namespace sluice::delta
