#include "runtime/jdbc_pushdown.h"

#include <optional>
#include <set>
#include <string>

#include "common/strings.h"

namespace sluice::runtime {

namespace {

using sources::PostgresCondition;

struct Value {
  PostgresCondition::ValueKind kind;
  std::string text;
};

// A literal (or a negated number) PostgreSQL reads as Spark does.
std::optional<Value> LiteralOf(const spark::Expr& expr) {
  if (expr.kind == spark::ExprKind::kUnary && expr.op == "-" && expr.args.size() == 1) {
    auto inner = LiteralOf(*expr.args[0]);
    if (!inner || inner->kind != PostgresCondition::ValueKind::kNumber) return std::nullopt;
    inner->text = "-" + inner->text;
    return inner;
  }
  if (expr.kind != spark::ExprKind::kLiteral) return std::nullopt;
  const spark::DataType& type = expr.literal.type;
  using Kind = PostgresCondition::ValueKind;
  if (type.is(spark::TypeId::kByte) || type.is(spark::TypeId::kShort) ||
      type.is(spark::TypeId::kInt) || type.is(spark::TypeId::kLong) ||
      type.is(spark::TypeId::kDecimal) || type.is(spark::TypeId::kDouble)) {
    return Value{Kind::kNumber, expr.literal.text};
  }
  if (type.is(spark::TypeId::kString)) return Value{Kind::kString, expr.literal.text};
  if (type.is(spark::TypeId::kBoolean)) return Value{Kind::kBoolean, ToLower(expr.literal.text)};
  if (type.is(spark::TypeId::kDate)) {
    const std::string& text = expr.literal.text;
    const bool plain = text.size() == 10 && text[4] == '-' && text[7] == '-';
    if (plain) return Value{Kind::kDate, text};
  }
  return std::nullopt;
}

// The column a condition names, when it is one of `relation`'s: `c` or `alias.c`.
std::optional<std::string> ColumnOf(const spark::Expr& expr, const spark::Relation& relation) {
  if (expr.kind != spark::ExprKind::kColumn) return std::nullopt;
  if (expr.parts.size() == 1) return expr.parts[0];
  if (expr.parts.size() == 2 && relation.alias &&
      EqualsIgnoreCase(expr.parts[0], *relation.alias)) {
    return expr.parts[1];
  }
  return std::nullopt;
}

std::string Mirror(const std::string& op) {
  if (op == "<") return ">";
  if (op == "<=") return ">=";
  if (op == ">") return "<";
  if (op == ">=") return "<=";
  return op;
}

void Push(const spark::Expr& conjunct, const spark::Relation& relation,
          std::vector<PostgresCondition>& out) {
  PostgresCondition condition;
  switch (conjunct.kind) {
    case spark::ExprKind::kBinary: {
      static const char* const kOps[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
      std::string op = conjunct.op;
      bool comparison = false;
      for (const char* known : kOps) comparison = comparison || op == known;
      if (!comparison || conjunct.args.size() != 2) return;
      if (op == "!=") op = "<>";
      auto column = ColumnOf(*conjunct.args[0], relation);
      auto value = LiteralOf(*conjunct.args[1]);
      if (!column || !value) {
        column = ColumnOf(*conjunct.args[1], relation);
        value = LiteralOf(*conjunct.args[0]);
        op = Mirror(op);
      }
      if (!column || !value) return;
      condition.kind = PostgresCondition::Kind::kCompare;
      condition.column = *column;
      condition.op = op;
      condition.value_kind = value->kind;
      condition.values = {value->text};
      out.push_back(std::move(condition));
      return;
    }
    case spark::ExprKind::kIn: {
      if (conjunct.negated || conjunct.subquery || conjunct.args.size() < 2) return;
      auto column = ColumnOf(*conjunct.args[0], relation);
      if (!column) return;
      condition.kind = PostgresCondition::Kind::kIn;
      condition.column = *column;
      for (size_t i = 1; i < conjunct.args.size(); ++i) {
        auto value = LiteralOf(*conjunct.args[i]);
        if (!value || (i > 1 && value->kind != condition.value_kind)) return;
        condition.value_kind = value->kind;
        condition.values.push_back(value->text);
      }
      out.push_back(std::move(condition));
      return;
    }
    case spark::ExprKind::kIsNull: {
      auto column = conjunct.args.empty() ? std::nullopt : ColumnOf(*conjunct.args[0], relation);
      if (!column) return;
      condition.kind =
          conjunct.negated ? PostgresCondition::Kind::kIsNotNull : PostgresCondition::Kind::kIsNull;
      condition.column = *column;
      out.push_back(std::move(condition));
      return;
    }
    case spark::ExprKind::kBetween: {
      if (conjunct.negated || conjunct.args.size() != 3) return;
      auto column = ColumnOf(*conjunct.args[0], relation);
      auto low = LiteralOf(*conjunct.args[1]);
      auto high = LiteralOf(*conjunct.args[2]);
      if (!column || !low || !high || low->kind != high->kind) return;
      for (const auto& [op, value] : {std::pair{">=", *low}, std::pair{"<=", *high}}) {
        PostgresCondition bound;
        bound.kind = PostgresCondition::Kind::kCompare;
        bound.column = *column;
        bound.op = op;
        bound.value_kind = value.kind;
        bound.values = {value.text};
        out.push_back(std::move(bound));
      }
      return;
    }
    default:
      return;
  }
}

// Collects the names column references mention; false when a star may need every column.
class NameCollector {
 public:
  bool all = false;
  std::set<std::string> names;

  void Query(const spark::Query& query) {
    for (const spark::Cte& cte : query.ctes) Query(*cte.query);
    if (query.select) Select(*query.select);
    if (query.left) Query(*query.left);
    if (query.right) Query(*query.right);
    for (const auto& row : query.rows) {
      for (const spark::ExprPtr& e : row) Expr(e.get());
    }
    for (const spark::SortItem& item : query.order_by) Expr(item.expr.get());
    Expr(query.limit.get());
    Expr(query.offset.get());
  }

  void Select(const spark::SelectBody& body) {
    for (const spark::SelectItem& item : body.items) Expr(item.expr.get());
    Expr(body.where.get());
    for (const spark::GroupingElement& element : body.group_by) {
      Expr(element.expr.get());
      for (const auto& set : element.sets) {
        for (const spark::ExprPtr& e : set) Expr(e.get());
      }
    }
    if (body.group_by_all) all = true;
    Expr(body.having.get());
    Expr(body.qualify.get());
    for (const spark::NamedWindow& window : body.windows) Window(window.spec);
    if (!body.lateral_views.empty()) all = true;
    for (const spark::RelationPtr& relation : body.from) Relation(*relation);
  }

  void Relation(const spark::Relation& relation) {
    if (relation.query) Query(*relation.query);
    if (relation.left) Relation(*relation.left);
    if (relation.right) Relation(*relation.right);
    Expr(relation.condition.get());
    for (const spark::ExprPtr& arg : relation.args) Expr(arg.get());
  }

  void Window(const spark::WindowSpec& spec) {
    for (const spark::ExprPtr& e : spec.partition_by) Expr(e.get());
    for (const spark::SortItem& item : spec.order_by) Expr(item.expr.get());
  }

  void Expr(const spark::Expr* expr) {
    if (expr == nullptr) return;
    if (expr->kind == spark::ExprKind::kStar) all = true;
    if (expr->kind == spark::ExprKind::kColumn) {
      for (const std::string& part : expr->parts) names.insert(ToLower(part));
    }
    for (const std::string& name : expr->names) names.insert(ToLower(name));
    const bool count_star = expr->kind == spark::ExprKind::kFunction && expr->parts.size() == 1 &&
                            EqualsIgnoreCase(expr->parts[0], "count") && expr->args.size() == 1 &&
                            expr->args[0]->kind == spark::ExprKind::kStar &&
                            expr->args[0]->parts.empty();
    if (!count_star) {
      for (const spark::ExprPtr& arg : expr->args) Expr(arg.get());
    }
    Expr(expr->filter.get());
    Expr(expr->escape.get());
    if (expr->window) Window(*expr->window);
    for (const spark::SortItem& item : expr->within_group) Expr(item.expr.get());
    if (expr->subquery) Query(*expr->subquery);
  }
};

// Whether `relation` is the only relation of a SELECT that is `query` itself.
bool ReadsOnly(const spark::Query& query, const spark::Relation& relation) {
  if (query.kind != spark::QueryKind::kSelect || query.select == nullptr) return false;
  const spark::SelectBody& body = *query.select;
  return body.from.size() == 1 && body.from[0].get() == &relation && body.lateral_views.empty() &&
         relation.column_aliases.empty();
}

}  // namespace

std::optional<std::vector<std::string>> ColumnsUsed(const spark::Query& query,
                                                    const spark::Relation& relation) {
  if (!ReadsOnly(query, relation)) return std::nullopt;
  NameCollector collector;
  collector.Query(query);
  if (collector.all) return std::nullopt;
  return std::vector<std::string>(collector.names.begin(), collector.names.end());
}

std::vector<PostgresCondition> PushableConditions(const spark::Query& query,
                                                  const spark::Relation& relation) {
  std::vector<PostgresCondition> out;
  if (!ReadsOnly(query, relation) || query.select->where == nullptr) return out;
  const spark::SelectBody& body = *query.select;
  std::vector<const spark::Expr*> conjuncts;
  spark::SplitConjuncts(*body.where, &conjuncts);
  for (const spark::Expr* conjunct : conjuncts) Push(*conjunct, relation, out);
  return out;
}

}  // namespace sluice::runtime
