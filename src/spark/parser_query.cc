// Queries: WITH, set operations, SELECT with every clause, VALUES, and the relations of a
// FROM clause (tables, path tables, STREAM, subqueries, joins, table functions, LATERAL
// VIEW, PIVOT, UNPIVOT, TABLESAMPLE, time travel).
#include <cctype>

#include "common/strings.h"
#include "spark/parser_internal.h"

namespace sluice::spark::internal {
namespace {

bool IsPathFormat(std::string_view word) {
  for (const char* format :
       {"delta", "parquet", "json", "csv", "text", "orc", "avro", "binaryFile"}) {
    if (EqualsIgnoreCase(word, format)) return true;
  }
  return false;
}

RelationPtr NewRelation(RelationKind kind, const Span& span) {
  auto relation = std::make_unique<Relation>();
  relation->kind = kind;
  relation->span = span;
  return relation;
}

}  // namespace

Result<QueryPtr> Parser::ParseQuery() {
  DepthGuard guard(*this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  const size_t first = i_;
  std::vector<Cte> ctes;
  if (Accept("WITH")) {
    if (Peek().IsKeyword("RECURSIVE"))
      return Unsupported(Peek(), "WITH RECURSIVE is not supported");
    while (true) {
      Cte cte;
      const size_t cte_first = i_;
      SLUICE_ASSIGN_OR_RETURN(cte.name, Identifier("a name for the WITH query"));
      if (Peek().IsSymbol("(")) {
        SLUICE_ASSIGN_OR_RETURN(cte.columns, IdentifierList());
      }
      Accept("AS");
      SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
      SLUICE_ASSIGN_OR_RETURN(cte.query, ParseQuery());
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
      cte.span = SpanFrom(cte_first);
      ctes.push_back(std::move(cte));
      if (!AcceptSymbol(",")) break;
    }
  }
  SLUICE_ASSIGN_OR_RETURN(QueryPtr query, QueryNoWith());
  if (!ctes.empty()) {
    if (!query->ctes.empty()) {
      // WITH a AS (...) (WITH b AS (...) SELECT ...): keep both scopes by nesting.
      auto outer = std::make_unique<Query>();
      outer->kind = QueryKind::kSelect;
      outer->span = query->span;
      auto body = std::make_unique<SelectBody>();
      SelectItem star;
      star.expr = std::make_unique<Expr>();
      star.expr->kind = ExprKind::kStar;
      body->items.push_back(std::move(star));
      RelationPtr from = NewRelation(RelationKind::kSubquery, query->span);
      from->query = std::move(query);
      body->from.push_back(std::move(from));
      outer->select = std::move(body);
      query = std::move(outer);
    }
    query->ctes = std::move(ctes);
  }
  query->span = SpanFrom(first);
  return query;
}

Result<QueryPtr> Parser::QueryNoWith() {
  SLUICE_ASSIGN_OR_RETURN(QueryPtr query, SetOperand(0));
  SLUICE_RETURN_IF_ERROR(QueryTail(*query));
  return query;
}

Result<QueryPtr> Parser::SetOperand(int level) {
  const size_t first = i_;
  QueryPtr left;
  if (level == 0) {
    SLUICE_ASSIGN_OR_RETURN(left, SetOperand(1));
  } else {
    SLUICE_ASSIGN_OR_RETURN(left, QueryPrimary());
  }
  while (!AtEnd()) {
    SetOperation op;
    if (level == 0 && Peek().IsKeyword("UNION")) {
      op = SetOperation::kUnion;
    } else if (level == 0 && (Peek().IsKeyword("EXCEPT") || Peek().IsKeyword("MINUS"))) {
      op = SetOperation::kExcept;
    } else if (level == 1 && Peek().IsKeyword("INTERSECT")) {
      op = SetOperation::kIntersect;
    } else {
      break;
    }
    ++i_;
    auto node = std::make_unique<Query>();
    node->kind = QueryKind::kSetOperation;
    node->set_operation = op;
    if (Accept("ALL")) {
      node->set_all = true;
    } else {
      Accept("DISTINCT");
    }
    if (AcceptWords({"BY", "NAME"})) node->by_name = true;
    QueryPtr right;
    if (level == 0) {
      SLUICE_ASSIGN_OR_RETURN(right, SetOperand(1));
    } else {
      SLUICE_ASSIGN_OR_RETURN(right, QueryPrimary());
    }
    node->left = std::move(left);
    node->right = std::move(right);
    node->span = SpanFrom(first);
    left = std::move(node);
  }
  return left;
}

Result<QueryPtr> Parser::QueryPrimary() {
  const size_t first = i_;
  if (Accept("SELECT")) return Select(first);
  if (Accept("VALUES")) return Values(first);
  if (Accept("TABLE")) {
    auto query = std::make_unique<Query>();
    query->kind = QueryKind::kTable;
    SLUICE_ASSIGN_OR_RETURN(query->table, TableReference(i_));
    query->span = SpanFrom(first);
    return query;
  }
  if (Peek().IsSymbol("(")) {
    ++i_;
    SLUICE_ASSIGN_OR_RETURN(QueryPtr inner, ParseQuery());
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    return inner;
  }
  if (Peek().IsKeyword("FROM")) {
    return Unsupported(Peek(), "FROM-first queries are not supported; write SELECT ... FROM ...");
  }
  return Expected("SELECT, VALUES or a query in parentheses");
}

Status Parser::QueryTail(Query& query) {
  while (!AtEnd()) {
    if (AcceptWords({"ORDER", "BY"}) || AcceptWords({"SORT", "BY"}) ||
        AcceptWords({"CLUSTER", "BY"})) {
      if (!query.order_by.empty()) return Error(t_[i_ - 2], "the query is ordered twice");
      if (t_[i_ - 2].IsKeyword("CLUSTER")) {
        SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> keys, ExpressionList());
        for (ExprPtr& key : keys) query.order_by.push_back(SortItem{std::move(key), true, {}});
      } else {
        SLUICE_ASSIGN_OR_RETURN(query.order_by, SortList());
      }
    } else if (AcceptWords({"DISTRIBUTE", "BY"})) {
      // Partitioning of the output: meaningless on one machine.
      SLUICE_ASSIGN_OR_RETURN(std::vector<ExprPtr> ignored, ExpressionList());
      (void)ignored;
    } else if (Peek().IsKeyword("WINDOW") && query.kind == QueryKind::kSelect) {
      ++i_;
      while (true) {
        NamedWindow window;
        SLUICE_ASSIGN_OR_RETURN(window.name, Identifier("a window name"));
        SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
        SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WindowSpec> spec, WindowSpecification());
        window.spec = std::move(*spec);
        query.select->windows.push_back(std::move(window));
        if (!AcceptSymbol(",")) break;
      }
    } else if (Accept("LIMIT")) {
      if (query.limit) return Error(t_[i_ - 1], "LIMIT is given twice");
      if (Accept("ALL")) continue;
      SLUICE_ASSIGN_OR_RETURN(query.limit, ParseExpression());
    } else if (Accept("OFFSET")) {
      SLUICE_ASSIGN_OR_RETURN(query.offset, ParseExpression());
      Accept("ROWS");
      Accept("ROW");
    } else {
      break;
    }
  }
  return Status::OK();
}

Result<std::vector<ExprPtr>> Parser::ExpressionList() {
  std::vector<ExprPtr> items;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr item, ParseExpression());
    items.push_back(std::move(item));
    if (!AcceptSymbol(",")) return items;
  }
}

Status Parser::SelectList(SelectBody& body) {
  while (true) {
    SelectItem item;
    const size_t first = i_;
    SLUICE_ASSIGN_OR_RETURN(item.expr, ParseExpression());
    if (item.expr->kind == ExprKind::kStar && Peek().IsKeyword("EXCEPT") && Peek(1).IsSymbol("(") &&
        !Peek(2).IsKeyword("SELECT") && !Peek(2).IsKeyword("WITH")) {
      i_ += 2;
      while (true) {
        SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> name, QualifiedName());
        item.expr->names.push_back(Join(name, "."));
        if (AcceptSymbol(")")) break;
        SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
      }
    }
    if (Accept("AS")) {
      if (Peek().IsSymbol("(")) {
        SLUICE_ASSIGN_OR_RETURN(item.aliases, IdentifierList());
      } else {
        SLUICE_ASSIGN_OR_RETURN(std::string alias, Identifier("an alias"));
        item.alias = std::move(alias);
      }
    } else if (AtAlias()) {
      item.alias = Next().value;
    } else if (Peek().kind == Token::Kind::kString && !AtEnd()) {
      // SELECT 1 'one': a string alias, as Spark allows.
      item.alias = Next().value;
    }
    item.span = SpanFrom(first);
    body.items.push_back(std::move(item));
    if (!AcceptSymbol(",")) return Status::OK();
  }
}

Status Parser::GroupBy(SelectBody& body) {
  // After GROUP BY.
  if (Accept("ALL") && !Peek().IsSymbol(",")) {
    body.group_by_all = true;
    return Status::OK();
  }
  while (true) {
    GroupingElement element;
    if ((Peek().IsKeyword("ROLLUP") || Peek().IsKeyword("CUBE")) && Peek(1).IsSymbol("(")) {
      element.kind = Peek().IsKeyword("ROLLUP") ? GroupingElement::Kind::kRollup
                                                : GroupingElement::Kind::kCube;
      i_ += 2;
      while (true) {
        std::vector<ExprPtr> set;
        if (AcceptSymbol("(")) {
          if (!AcceptSymbol(")")) {
            SLUICE_ASSIGN_OR_RETURN(set, ExpressionList());
            SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
          }
        } else {
          SLUICE_ASSIGN_OR_RETURN(ExprPtr e, ParseExpression());
          set.push_back(std::move(e));
        }
        element.sets.push_back(std::move(set));
        if (AcceptSymbol(")")) break;
        SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
      }
    } else if (AcceptWords({"GROUPING", "SETS"})) {
      element.kind = GroupingElement::Kind::kGroupingSets;
      SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
      while (true) {
        std::vector<ExprPtr> set;
        if (Peek().IsSymbol("(") && !AtLambda()) {
          // (a, b) is a set; but ((a)) or (a + 1) parse as expressions of one set.
          const size_t save = i_;
          ++i_;
          if (AcceptSymbol(")")) {
            element.sets.push_back({});
          } else {
            auto list = ExpressionList();
            if (list.ok() && AcceptSymbol(")")) {
              element.sets.push_back(std::move(*list));
            } else {
              i_ = save;
              SLUICE_ASSIGN_OR_RETURN(ExprPtr e, ParseExpression());
              set.push_back(std::move(e));
              element.sets.push_back(std::move(set));
            }
          }
        } else {
          SLUICE_ASSIGN_OR_RETURN(ExprPtr e, ParseExpression());
          set.push_back(std::move(e));
          element.sets.push_back(std::move(set));
        }
        if (AcceptSymbol(")")) break;
        SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
      }
    } else {
      SLUICE_ASSIGN_OR_RETURN(element.expr, ParseExpression());
    }
    body.group_by.push_back(std::move(element));
    if (!AcceptSymbol(",")) break;
  }
  // GROUP BY a, b WITH ROLLUP | WITH CUBE
  if (Peek().IsKeyword("WITH") && (Peek(1).IsKeyword("ROLLUP") || Peek(1).IsKeyword("CUBE"))) {
    const bool rollup = Peek(1).IsKeyword("ROLLUP");
    i_ += 2;
    GroupingElement element;
    element.kind = rollup ? GroupingElement::Kind::kRollup : GroupingElement::Kind::kCube;
    for (GroupingElement& plain : body.group_by) {
      if (plain.kind != GroupingElement::Kind::kExpr) {
        return Error(t_[i_ - 1], "WITH ROLLUP / WITH CUBE needs plain grouping expressions");
      }
      std::vector<ExprPtr> set;
      set.push_back(std::move(plain.expr));
      element.sets.push_back(std::move(set));
    }
    body.group_by.clear();
    body.group_by.push_back(std::move(element));
  }
  return Status::OK();
}

Result<QueryPtr> Parser::Select(size_t first) {
  // After SELECT.
  auto query = std::make_unique<Query>();
  query->kind = QueryKind::kSelect;
  auto body = std::make_unique<SelectBody>();
  if (Accept("DISTINCT")) {
    body->distinct = true;
  } else {
    Accept("ALL");
  }
  SLUICE_RETURN_IF_ERROR(SelectList(*body));
  if (Accept("FROM")) {
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(RelationPtr relation, FromItem());
      body->from.push_back(std::move(relation));
      if (!AcceptSymbol(",")) break;
    }
    while (Peek().IsKeyword("LATERAL") && Peek(1).IsKeyword("VIEW")) {
      SLUICE_ASSIGN_OR_RETURN(LateralView view, LateralViewClause());
      body->lateral_views.push_back(std::move(view));
    }
    if (Peek().IsKeyword("PIVOT") || Peek().IsKeyword("UNPIVOT")) {
      if (!body->lateral_views.empty()) {
        return Unsupported(Peek(), "PIVOT after LATERAL VIEW is not supported");
      }
      // A PIVOT at the end of the FROM clause applies to all of it.
      RelationPtr input;
      if (body->from.size() == 1) {
        input = std::move(body->from[0]);
      } else {
        input = std::move(body->from[0]);
        for (size_t k = 1; k < body->from.size(); ++k) {
          RelationPtr join = NewRelation(RelationKind::kJoin, input->span);
          join->join_type = JoinType::kCross;
          join->left = std::move(input);
          join->right = std::move(body->from[k]);
          input = std::move(join);
        }
      }
      body->from.clear();
      const size_t pivot_first = i_;
      if (Accept("PIVOT")) {
        SLUICE_ASSIGN_OR_RETURN(input, PivotClause(std::move(input), pivot_first));
      } else {
        ++i_;
        SLUICE_ASSIGN_OR_RETURN(input, UnpivotClause(std::move(input), pivot_first));
      }
      body->from.push_back(std::move(input));
    }
  }
  if (Accept("WHERE")) {
    SLUICE_ASSIGN_OR_RETURN(body->where, ParseExpression());
  }
  if (AcceptWords({"GROUP", "BY"})) SLUICE_RETURN_IF_ERROR(GroupBy(*body));
  if (Accept("HAVING")) {
    SLUICE_ASSIGN_OR_RETURN(body->having, ParseExpression());
  }
  for (int round = 0; round < 2; ++round) {
    if (Accept("WINDOW")) {
      while (true) {
        NamedWindow window;
        SLUICE_ASSIGN_OR_RETURN(window.name, Identifier("a window name"));
        SLUICE_RETURN_IF_ERROR(ExpectKeyword("AS"));
        SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<WindowSpec> spec, WindowSpecification());
        window.spec = std::move(*spec);
        body->windows.push_back(std::move(window));
        if (!AcceptSymbol(",")) break;
      }
    }
    if (Accept("QUALIFY")) {
      SLUICE_ASSIGN_OR_RETURN(body->qualify, ParseExpression());
    }
  }
  query->select = std::move(body);
  query->span = SpanFrom(first);
  return query;
}

Result<QueryPtr> Parser::Values(size_t first) {
  // After VALUES: rows are expressions; a parenthesized list is one row of several columns.
  auto query = std::make_unique<Query>();
  query->kind = QueryKind::kValues;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(ExprPtr row, ParseExpression());
    std::vector<ExprPtr> columns;
    if (row->kind == ExprKind::kStruct) {
      columns = std::move(row->args);
    } else {
      columns.push_back(std::move(row));
    }
    query->rows.push_back(std::move(columns));
    if (!AcceptSymbol(",")) break;
  }
  query->span = SpanFrom(first);
  return query;
}

Result<LateralView> Parser::LateralViewClause() {
  // At LATERAL VIEW.
  const size_t first = i_;
  i_ += 2;
  LateralView view;
  view.outer = Accept("OUTER");
  SLUICE_ASSIGN_OR_RETURN(view.generator, Primary());
  if (view.generator->kind != ExprKind::kFunction) {
    return Error(t_[first], "LATERAL VIEW needs a generator function such as explode(...)");
  }
  if (AtAlias()) view.table_alias = Next().value;
  if (Accept("AS") || AtAlias()) {
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(std::string column, Identifier("a column alias"));
      view.column_aliases.push_back(std::move(column));
      if (!AcceptSymbol(",")) break;
    }
  }
  view.span = SpanFrom(first);
  return view;
}

Status Parser::Options(std::map<std::string, std::string>& options) {
  // At '(' of WITH (key = value, ...).
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  while (true) {
    std::string key;
    if (Peek().kind == Token::Kind::kString) {
      key = Next().value;
    } else {
      SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> parts, QualifiedName());
      key = Join(parts, ".");
    }
    AcceptSymbol("=");
    const Token& value = Peek();
    if (AtEnd() || value.IsSymbol(",") || value.IsSymbol(")")) return Expected("an option value");
    ++i_;
    options[key] = value.value;
    if (AcceptSymbol(")")) return Status::OK();
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
}

Result<RelationPtr> Parser::FromItem() {
  SLUICE_ASSIGN_OR_RETURN(RelationPtr relation, RelationPrimary());
  return JoinChain(std::move(relation));
}

Result<RelationPtr> Parser::JoinChain(RelationPtr left) {
  while (!AtEnd()) {
    const size_t first = i_;
    bool natural = Accept("NATURAL");
    JoinType type = JoinType::kInner;
    if (Accept("CROSS")) {
      type = JoinType::kCross;
    } else if (Accept("INNER")) {
      type = JoinType::kInner;
    } else if (Accept("LEFT")) {
      if (Accept("SEMI")) {
        type = JoinType::kLeftSemi;
      } else if (Accept("ANTI")) {
        type = JoinType::kLeftAnti;
      } else {
        Accept("OUTER");
        type = JoinType::kLeft;
      }
    } else if (Accept("RIGHT")) {
      Accept("OUTER");
      type = JoinType::kRight;
    } else if (Accept("FULL")) {
      Accept("OUTER");
      type = JoinType::kFull;
    } else if (Accept("SEMI")) {
      type = JoinType::kLeftSemi;
    } else if (Accept("ANTI")) {
      type = JoinType::kLeftAnti;
    }
    if (!Accept("JOIN")) {
      if (i_ != first) return Expected("JOIN");
      break;
    }
    RelationPtr join = NewRelation(RelationKind::kJoin, left->span);
    join->join_type = type;
    join->natural = natural;
    SLUICE_ASSIGN_OR_RETURN(join->right, RelationPrimary());
    if (!natural && type != JoinType::kCross) {
      if (Accept("ON")) {
        SLUICE_ASSIGN_OR_RETURN(join->condition, ParseExpression());
      } else if (Accept("USING")) {
        SLUICE_ASSIGN_OR_RETURN(join->using_columns, IdentifierList());
      } else if (type != JoinType::kInner) {
        return Expected("ON or USING");
      }
    }
    join->left = std::move(left);
    join->span.end = t_[i_ - 1].end_offset();
    left = std::move(join);
  }
  return left;
}

// A table function call at the current token (its name, then arguments); the relation's
// span starts at token `first` (a qualifier before the name).
Result<RelationPtr> Parser::FunctionRelation(size_t first) {
  std::vector<std::string> name{Next().value};
  SLUICE_ASSIGN_OR_RETURN(ExprPtr call, FunctionCall(std::move(name), first));
  RelationPtr relation = NewRelation(RelationKind::kFunction, call->span);
  relation->name_span = SpanOf(t_[first]);
  relation->name = std::move(call->parts);
  relation->args = std::move(call->args);
  return relation;
}

Result<RelationPtr> Parser::StreamReference(size_t first) {
  // After STREAM: STREAM(x) or STREAM x, x a table or a table function.
  const bool parenthesized = AcceptSymbol("(");
  RelationPtr relation;
  if (Peek().IsName() && Peek(1).IsSymbol("(")) {
    SLUICE_ASSIGN_OR_RETURN(relation, FunctionRelation(i_));
  } else {
    SLUICE_ASSIGN_OR_RETURN(relation, TableReference(i_));
  }
  if (parenthesized && !AcceptSymbol(")")) return Expected("')' to close STREAM(");
  relation->streaming = true;
  if (Peek().IsKeyword("WITH") && Peek(1).IsSymbol("(")) {
    ++i_;
    SLUICE_RETURN_IF_ERROR(Options(relation->options));
  }
  relation->span = SpanFrom(first);
  return relation;
}

Result<RelationPtr> Parser::TableReference(size_t first) {
  // A table name, possibly qualified, or a path table format.`path`.
  RelationPtr relation = NewRelation(RelationKind::kTable, SpanOf(Peek()));
  if (!Peek().IsName()) return Expected("a table name");
  const size_t name_first = i_;
  const Token& head = Next();
  relation->name.push_back(head.value);
  while (Peek().IsSymbol(".") && Peek(1).IsName() && !AtEnd()) {
    ++i_;
    const Token& part = Next();
    relation->name.push_back(part.value);
    if (relation->name.size() == 2 && head.kind == Token::Kind::kIdentifier &&
        part.kind == Token::Kind::kQuotedIdentifier && IsPathFormat(head.value) &&
        (part.value.find('/') != std::string::npos || part.value.find(':') != std::string::npos ||
         part.value.find('\\') != std::string::npos)) {
      relation->path_table = true;
      break;
    }
  }
  relation->name_span = SpanFrom(name_first);
  relation->span = SpanFrom(first);
  return relation;
}

Result<RelationPtr> Parser::PivotClause(RelationPtr input, size_t first) {
  // After PIVOT: ( agg [AS a], ... FOR col | (cols) IN (value [AS a], ...) )
  RelationPtr pivot = NewRelation(RelationKind::kPivot, SpanOf(t_[first]));
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  while (true) {
    PivotAggregate aggregate;
    SLUICE_ASSIGN_OR_RETURN(aggregate.aggregate, ParseExpression());
    SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> alias, OptionalAlias());
    if (alias) aggregate.alias = *alias;
    pivot->pivot_aggregates.push_back(std::move(aggregate));
    if (!AcceptSymbol(",")) break;
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("FOR"));
  if (Peek().IsSymbol("(")) {
    ++i_;
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> column, QualifiedName());
      pivot->pivot_columns.push_back(std::move(column));
      if (AcceptSymbol(")")) break;
      SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
    }
  } else {
    SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> column, QualifiedName());
    pivot->pivot_columns.push_back(std::move(column));
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("IN"));
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  while (true) {
    PivotValue value;
    SLUICE_ASSIGN_OR_RETURN(value.value, ParseExpression());
    SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> alias, OptionalAlias());
    if (alias) value.alias = *alias;
    pivot->pivot_values.push_back(std::move(value));
    if (AcceptSymbol(")")) break;
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
  SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  pivot->left = std::move(input);
  pivot->span = SpanFrom(first);
  SLUICE_RETURN_IF_ERROR(RelationSuffixes(*pivot));
  return pivot;
}

Result<RelationPtr> Parser::UnpivotClause(RelationPtr input, size_t first) {
  // After UNPIVOT: [INCLUDE | EXCLUDE NULLS] ( v FOR n IN (c [AS a], ...) ) or
  // ( (v1, v2) FOR n IN ((c1, c2) [AS a], ...) ).
  RelationPtr unpivot = NewRelation(RelationKind::kUnpivot, SpanOf(t_[first]));
  if (Accept("INCLUDE")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULLS"));
    unpivot->include_nulls = true;
  } else if (Accept("EXCLUDE")) {
    SLUICE_RETURN_IF_ERROR(ExpectKeyword("NULLS"));
  }
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  if (Peek().IsSymbol("(")) {
    SLUICE_ASSIGN_OR_RETURN(unpivot->unpivot_value_columns, IdentifierList());
  } else {
    SLUICE_ASSIGN_OR_RETURN(std::string value, Identifier("a value column name"));
    unpivot->unpivot_value_columns.push_back(std::move(value));
  }
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("FOR"));
  SLUICE_ASSIGN_OR_RETURN(unpivot->unpivot_name_column, Identifier("a name column"));
  SLUICE_RETURN_IF_ERROR(ExpectKeyword("IN"));
  SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
  while (true) {
    if (Peek().IsSymbol("(")) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> columns, IdentifierList());
      unpivot->unpivot_columns.push_back(std::move(columns));
    } else {
      SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> column, QualifiedName());
      unpivot->unpivot_columns.push_back({column.back()});
    }
    SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> alias, OptionalAlias());
    unpivot->unpivot_aliases.push_back(alias.value_or(""));
    if (AcceptSymbol(")")) break;
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(","));
  }
  SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  unpivot->left = std::move(input);
  unpivot->span = SpanFrom(first);
  SLUICE_RETURN_IF_ERROR(RelationSuffixes(*unpivot));
  return unpivot;
}

Status Parser::WatermarkClause(Relation& relation) {
  // WATERMARK named_expression DELAY OF interval: the named expression is a column, or an
  // expression with AS name (a column the clause adds).
  const size_t first = i_;
  ++i_;
  auto watermark = std::make_shared<Watermark>();
  SLUICE_ASSIGN_OR_RETURN(watermark->expr, ParseExpression());
  if (Accept("AS")) {
    SLUICE_ASSIGN_OR_RETURN(watermark->name, Identifier("a name for the watermark column"));
  } else if (watermark->expr->kind != ExprKind::kColumn) {
    return Error(t_[first],
                 "[REQUIRES_EXPLICIT_NAME_IN_WATERMARK_CLAUSE] The watermark clause requires an "
                 "explicit name if expression is specified: write WATERMARK <expression> AS "
                 "<name> DELAY OF ...");
  }
  if (!Accept("DELAY") || !Accept("OF")) return Expected("DELAY OF after the watermark column");
  const Token& at = Peek();
  SLUICE_ASSIGN_OR_RETURN(ExprPtr delay, Primary());
  if (delay->kind != ExprKind::kLiteral || !(delay->literal.type.is(TypeId::kCalendarInterval) ||
                                             delay->literal.type.is(TypeId::kDayTimeInterval) ||
                                             delay->literal.type.is(TypeId::kYearMonthInterval))) {
    return Error(at, "the watermark delay must be an interval literal (INTERVAL 10 MINUTES)");
  }
  const Literal& value = delay->literal;
  const int64_t micros = value.days * 86400000000LL + value.micros;
  if (value.months != 0 || micros <= 0) {
    return Error(at, "the watermark delay must be a positive interval of less than a month");
  }
  watermark->delay_micros = micros;
  watermark->span = SpanFrom(first);
  relation.watermark = std::move(watermark);
  return Status::OK();
}

Status Parser::RelationSuffixes(Relation& relation) {
  // Time travel, TABLESAMPLE, WATERMARK, then an alias with optional column names.
  if (relation.kind == RelationKind::kTable) {
    if (AcceptWords({"VERSION", "AS", "OF"}) ||
        AcceptWords({"FOR", "SYSTEM_VERSION", "AS", "OF"})) {
      SLUICE_ASSIGN_OR_RETURN(relation.version_as_of, Primary());
    } else if (AcceptWords({"TIMESTAMP", "AS", "OF"}) ||
               AcceptWords({"FOR", "SYSTEM_TIME", "AS", "OF"})) {
      SLUICE_ASSIGN_OR_RETURN(relation.timestamp_as_of, Additive());
    }
  }
  if (Accept("TABLESAMPLE")) {
    SLUICE_RETURN_IF_ERROR(ExpectSymbol("("));
    if (Accept("BUCKET")) {
      if (Peek().kind != Token::Kind::kNumber) return Expected("a bucket number");
      const double numerator = std::atof(Next().value.c_str());
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("OUT"));
      SLUICE_RETURN_IF_ERROR(ExpectKeyword("OF"));
      if (Peek().kind != Token::Kind::kNumber) return Expected("a bucket count");
      const double denominator = std::atof(Next().value.c_str());
      if (denominator <= 0 || numerator > denominator) {
        return Error(t_[i_ - 1], "TABLESAMPLE BUCKET x OUT OF y needs 0 < x <= y");
      }
      relation.sample = std::to_string(100.0 * numerator / denominator) + " PERCENT (bernoulli)";
    } else {
      if (Peek().kind != Token::Kind::kNumber) return Expected("a sample size");
      const std::string amount = Next().value;
      if (Accept("PERCENT")) {
        relation.sample = amount + " PERCENT (bernoulli)";
      } else if (Accept("ROWS")) {
        relation.sample = amount + " ROWS";
      } else {
        return Expected("PERCENT or ROWS");
      }
    }
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
  }
  if (Peek().IsKeyword("WATERMARK") &&
      (relation.kind == RelationKind::kTable || relation.kind == RelationKind::kSubquery ||
       relation.kind == RelationKind::kFunction)) {
    SLUICE_RETURN_IF_ERROR(WatermarkClause(relation));
  }
  relation.span.end = t_[i_ - 1].end_offset();
  if (no_alias_) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(relation.alias, OptionalAlias());
  if (relation.alias && Peek().IsSymbol("(") && Peek(1).IsName()) {
    SLUICE_ASSIGN_OR_RETURN(relation.column_aliases, IdentifierList());
  }
  return Status::OK();
}

Result<RelationPtr> Parser::RelationPrimary() {
  DepthGuard guard(*this);
  SLUICE_RETURN_IF_ERROR(guard.Enter());
  const size_t first = i_;
  RelationPtr relation;
  if (Peek().IsKeyword("STREAM") && (Peek(1).IsSymbol("(") || Peek(1).IsName())) {
    ++i_;
    SLUICE_ASSIGN_OR_RETURN(relation, StreamReference(first));
  } else if (Peek().IsKeyword("LATERAL") && Peek(1).IsSymbol("(")) {
    ++i_;
    SLUICE_ASSIGN_OR_RETURN(relation, RelationPrimary());
    if (relation->kind != RelationKind::kSubquery) {
      return Error(t_[first], "LATERAL needs a subquery");
    }
    relation->lateral = true;
    return relation;
  } else if (Peek().IsSymbol("(")) {
    const bool subquery = QueryAhead(1);
    ++i_;
    if (subquery) {
      relation = NewRelation(RelationKind::kSubquery, SpanOf(t_[first]));
      SLUICE_ASSIGN_OR_RETURN(relation->query, ParseQuery());
    } else {
      SLUICE_ASSIGN_OR_RETURN(relation, FromItem());
    }
    SLUICE_RETURN_IF_ERROR(ExpectSymbol(")"));
    if (relation->kind != RelationKind::kSubquery) {
      // A parenthesized join keeps its own span; aliases apply to joins too.
      SLUICE_RETURN_IF_ERROR(RelationSuffixes(*relation));
      return relation;
    }
    relation->span = SpanFrom(first);
  } else if (Peek().IsKeyword("VALUES")) {
    ++i_;
    relation = NewRelation(RelationKind::kValues, SpanOf(t_[first]));
    SLUICE_ASSIGN_OR_RETURN(relation->query, Values(first));
  } else if (Peek().IsName() && Peek(1).IsSymbol("(")) {
    SLUICE_ASSIGN_OR_RETURN(relation, FunctionRelation(first));
  } else if (Peek().IsName() && Peek(1).IsSymbol(".") && Peek(2).IsName() &&
             Peek(3).IsSymbol("(")) {
    // A qualified table function (e.g. system.range(...)): keep the last part.
    i_ += 2;
    SLUICE_ASSIGN_OR_RETURN(relation, FunctionRelation(first));
  } else {
    SLUICE_ASSIGN_OR_RETURN(relation, TableReference(first));
  }
  SLUICE_RETURN_IF_ERROR(RelationSuffixes(*relation));
  while (Peek().IsKeyword("PIVOT") || Peek().IsKeyword("UNPIVOT")) {
    const size_t pivot_first = i_;
    if (Accept("PIVOT")) {
      SLUICE_ASSIGN_OR_RETURN(relation, PivotClause(std::move(relation), pivot_first));
    } else {
      ++i_;
      SLUICE_ASSIGN_OR_RETURN(relation, UnpivotClause(std::move(relation), pivot_first));
    }
  }
  return relation;
}

}  // namespace sluice::spark::internal
