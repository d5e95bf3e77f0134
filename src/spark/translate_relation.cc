// The FROM clause: tables (CTEs, or external references the caller resolves), subqueries,
// VALUES, table functions, joins of every kind (USING and NATURAL with Spark's column
// rules), LATERAL VIEW and generators, PIVOT and UNPIVOT.
#include <algorithm>
#include <set>

#include "common/strings.h"
#include "spark/coercion.h"
#include "spark/references.h"
#include "spark/translator_internal.h"

namespace sluice::spark::internal {
namespace {

// Qualifiers of a table written as `name`: its last part, and every longer suffix.
std::vector<std::vector<std::string>> NameQualifiers(const std::vector<std::string>& name) {
  std::vector<std::vector<std::string>> out;
  for (size_t k = name.size(); k-- > 0;) {
    out.push_back(std::vector<std::string>(name.begin() + k, name.end()));
  }
  return out;
}

void AppendScope(Scope* to, const Scope& from) {
  for (const ScopeRelation& relation : from.relations) to->relations.push_back(relation);
}

// Column names an expression mentions (first parts of plain names), lower case.
void MentionedNames(const Expr& expr, std::set<std::string>* names) {
  if (expr.kind == ExprKind::kColumn) names->insert(ToLower(expr.parts[0]));
  if (expr.kind == ExprKind::kColumn && expr.parts.size() > 1)
    names->insert(ToLower(expr.parts[1]));
  for (const ExprPtr& arg : expr.args) {
    if (arg) MentionedNames(*arg, names);
  }
  if (expr.filter) MentionedNames(*expr.filter, names);
}

}  // namespace

std::string Translator::DerivedRelation(const TranslatedQuery& query, const Relation* relation,
                                        const std::vector<std::string>& default_qualifier,
                                        Scope* scope) {
  const std::string alias = NewAlias();
  ScopeRelation entry;
  if (relation != nullptr && relation->alias) {
    entry.qualifiers.push_back({*relation->alias});
  } else if (!default_qualifier.empty()) {
    entry.qualifiers = NameQualifiers(default_qualifier);
  }
  for (size_t i = 0; i < query.columns.size(); ++i) {
    std::string name = query.columns[i].name;
    if (relation != nullptr && i < relation->column_aliases.size())
      name = relation->column_aliases[i];
    entry.columns.push_back(ScopeColumn{name, query.columns[i].type, query.columns[i].nullable,
                                        alias + "." + QuoteIdentifier(query.sql_names[i])});
  }
  scope->relations.push_back(std::move(entry));
  return "(" + query.sql + ") AS " + alias;
}

Status Translator::TranslateFrom(const std::vector<RelationPtr>& from, const Scope* outer,
                                 std::string* sql, Scope* scope) {
  std::vector<std::string> parts;
  for (const RelationPtr& relation : from) {
    SLUICE_ASSIGN_OR_RETURN(std::string part, RelationSql(*relation, outer, scope));
    parts.push_back(part);
  }
  *sql = Join(parts, ", ");
  return Status::OK();
}

Status Translator::ApplyWatermark(const Relation& relation, Scope* scope) {
  const Watermark& watermark = *relation.watermark;
  if (scope->relations.empty()) return ErrorAt(watermark.span, "WATERMARK needs a relation");
  Scope own;
  own.relations.push_back(scope->relations.back());
  ExprContext context;
  context.aggregates_allowed = false;
  context.windows_allowed = false;
  SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*watermark.expr, own, context));
  if (!value.type.is(TypeId::kTimestamp) && !value.type.is(TypeId::kTimestampNtz)) {
    const Span& at = watermark.expr->span;
    return ErrorAt(at, "[EVENT_TIME_IS_NOT_ON_TIMESTAMP_TYPE] The event time " +
                           source().text.substr(at.begin, at.end - at.begin) +
                           " has the invalid type \"" + value.type.Sql() + "\"" +
                           ", but expected \"TIMESTAMP\".");
  }
  if (!watermark.name.empty()) {
    scope->relations.back().columns.push_back(
        ScopeColumn{watermark.name, value.type, true, value.sql});
  }
  return Status::OK();
}

Result<TranslatedQuery> Translator::TranslateFromItem(const Query& query,
                                                      const Relation& relation) {
  SLUICE_RETURN_IF_ERROR(TranslateCtes(query, nullptr, &with_));
  Scope scope;
  SLUICE_ASSIGN_OR_RETURN(std::string from, RelationSql(relation, nullptr, &scope));
  TranslatedQuery out;
  std::vector<std::string> items;
  for (const ScopeRelation& entry : scope.relations) {
    for (const ScopeColumn& column : entry.columns) {
      if (column.hidden || column.qualified_only) continue;
      out.sql_names.push_back(RowColumnName(items.size()));
      items.push_back(column.sql + " AS " + out.sql_names.back());
      out.columns.push_back(Column{column.name, column.type, column.nullable});
      out.qualifiers.push_back(entry.qualifiers);
    }
  }
  out.sql = (with_.empty() ? "" : "WITH " + Join(with_, ", ") + " ") + "SELECT " +
            Join(items, ", ") + " FROM " + from;
  with_.clear();
  return out;
}

Result<std::string> Translator::SubstituteSql(const Relation& relation,
                                              const SubstituteRelation& substitute, Scope* scope) {
  const std::string alias = NewAlias();
  ScopeRelation entry;
  if (relation.alias) {
    entry.qualifiers.push_back({*relation.alias});
  } else if (relation.kind == RelationKind::kTable && !relation.path_table) {
    for (size_t k = relation.name.size(); k-- > 0;) {
      entry.qualifiers.push_back(
          std::vector<std::string>(relation.name.begin() + k, relation.name.end()));
    }
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < substitute.columns.size(); ++i) {
    const Column& column = substitute.columns[i];
    names.push_back("__s" + std::to_string(i));
    // Without an alias of its own, the rows of a join keep its sides' qualifiers: a run of
    // columns with the same qualifiers is a relation of the scope.
    if (!relation.alias && i < substitute.qualifiers.size() &&
        substitute.qualifiers[i] != entry.qualifiers) {
      if (!entry.columns.empty()) scope->relations.push_back(std::move(entry));
      entry = ScopeRelation{};
      entry.qualifiers = substitute.qualifiers[i];
    }
    entry.columns.push_back(
        ScopeColumn{column.name, column.type, column.nullable, alias + "." + names.back()});
  }
  scope->relations.push_back(std::move(entry));
  return substitute.sql + " AS " + alias + "(" + Join(names, ", ") + ")";
}

Result<std::string> Translator::RelationSql(const Relation& relation, const Scope* outer,
                                            Scope* scope) {
  auto substitute = options_.substitutes.find(&relation);
  if (substitute != options_.substitutes.end()) {
    // The rows given already carry the watermark's column.
    return SubstituteSql(relation, substitute->second, scope);
  }
  if (relation.watermark) {
    // The relation without its clause, then the clause on its columns.
    SLUICE_ASSIGN_OR_RETURN(std::string sql, RelationSqlWithoutWatermark(relation, outer, scope));
    SLUICE_RETURN_IF_ERROR(ApplyWatermark(relation, scope));
    return sql;
  }
  return RelationSqlWithoutWatermark(relation, outer, scope);
}

Result<std::string> Translator::RelationSqlWithoutWatermark(const Relation& relation,
                                                            const Scope* outer, Scope* scope) {
  switch (relation.kind) {
    case RelationKind::kTable:
      return TableSql(relation, scope);
    case RelationKind::kSubquery:
    case RelationKind::kValues: {
      // A LATERAL subquery sees the relations before it.
      Scope lateral_scope;
      lateral_scope.outer = outer;
      if (relation.lateral) AppendScope(&lateral_scope, *scope);
      SLUICE_ASSIGN_OR_RETURN(
          TranslatedQuery query,
          TranslateQuery(*relation.query, relation.lateral ? &lateral_scope : outer));
      if (!relation.column_aliases.empty() &&
          relation.column_aliases.size() != query.columns.size()) {
        return ErrorAt(relation.span,
                       "the alias names " + std::to_string(relation.column_aliases.size()) +
                           " columns but the relation has " + std::to_string(query.columns.size()));
      }
      std::string sql = DerivedRelation(query, &relation, {}, scope);
      if (relation.lateral) sql = "LATERAL " + sql;
      return sql;
    }
    case RelationKind::kFunction:
      return TableFunctionSql(relation, outer, scope);
    case RelationKind::kJoin:
      return JoinSql(relation, outer, scope);
    case RelationKind::kPivot:
      return PivotSql(relation, outer, scope);
    case RelationKind::kUnpivot:
      return UnpivotSql(relation, outer, scope);
  }
  return ErrorAt(relation.span, "unsupported relation");
}

Result<std::string> Translator::TableSql(const Relation& relation, Scope* scope) {
  // A CTE in scope, innermost first.
  if (!relation.path_table && relation.name.size() == 1 && relation.reference < 0) {
    const std::string lower = ToLower(relation.name[0]);
    for (auto it = ctes.rbegin(); it != ctes.rend(); ++it) {
      if (it->name != lower) continue;
      TranslatedQuery query;
      query.columns = it->columns;
      query.sql_names = it->sql_names;
      const std::string alias = NewAlias();
      ScopeRelation entry;
      if (relation.alias) {
        entry.qualifiers.push_back({*relation.alias});
      } else {
        entry.qualifiers.push_back({relation.name[0]});
      }
      for (size_t i = 0; i < query.columns.size(); ++i) {
        std::string name = query.columns[i].name;
        if (i < relation.column_aliases.size()) name = relation.column_aliases[i];
        entry.columns.push_back(ScopeColumn{name, query.columns[i].type, query.columns[i].nullable,
                                            alias + "." + QuoteIdentifier(query.sql_names[i])});
      }
      scope->relations.push_back(std::move(entry));
      return QuoteIdentifier(it->sql_name) + " AS " + alias;
    }
  }
  if (resolver_ == nullptr || relation.reference < 0) {
    return ErrorAt(relation.span, "unknown table '" + Join(relation.name, ".") + "'");
  }
  SLUICE_ASSIGN_OR_RETURN(BoundRelation bound, resolver_->Resolve(relation));
  const std::string alias = NewAlias();
  std::string sql = bound.sql;
  // Columns DuckDB holds in another type than Spark's are cast once, here.
  bool cast = false;
  std::vector<std::string> items;
  for (size_t i = 0; i < bound.columns.size(); ++i) {
    const std::string name = QuoteIdentifier(bound.columns[i].name);
    if (i < bound.source_types.size() &&
        bound.source_types[i] != ToDuckDbType(bound.columns[i].type)) {
      cast = true;
      items.push_back("CAST(" + name + " AS " + ToDuckDbType(bound.columns[i].type) + ") AS " +
                      name);
    } else {
      items.push_back(name);
    }
  }
  if (cast) sql = "(SELECT " + Join(items, ", ") + " FROM " + sql + ")";
  if (relation.sample) sql = "(SELECT * FROM " + sql + " USING SAMPLE " + *relation.sample + ")";
  ScopeRelation entry;
  if (relation.alias) {
    entry.qualifiers.push_back({*relation.alias});
  } else if (!relation.path_table) {
    entry.qualifiers = NameQualifiers(relation.name);
  }
  if (!relation.column_aliases.empty() && relation.column_aliases.size() != bound.columns.size()) {
    return ErrorAt(relation.span,
                   "the alias names " + std::to_string(relation.column_aliases.size()) +
                       " columns but the table has " + std::to_string(bound.columns.size()));
  }
  for (size_t i = 0; i < bound.columns.size(); ++i) {
    const Column& column = bound.columns[i];
    std::string name =
        i < relation.column_aliases.size() ? relation.column_aliases[i] : column.name;
    entry.columns.push_back(ScopeColumn{name, column.type, column.nullable,
                                        alias + "." + QuoteIdentifier(column.name)});
  }
  scope->relations.push_back(std::move(entry));
  return sql + " AS " + alias;
}

Result<std::string> Translator::TableFunctionSql(const Relation& relation, const Scope* outer,
                                                 Scope* scope) {
  const std::string name = ToLower(relation.name.back());
  const bool extension = std::find(options_.table_functions.begin(), options_.table_functions.end(),
                                   name) != options_.table_functions.end();
  if (relation.reference >= 0 || extension) {
    if (resolver_ == nullptr) return ErrorAt(relation.span, "unknown table function " + name);
    SLUICE_ASSIGN_OR_RETURN(BoundRelation bound, resolver_->Resolve(relation));
    TranslatedQuery query;
    std::vector<std::string> items;
    for (size_t i = 0; i < bound.columns.size(); ++i) {
      const std::string column = QuoteIdentifier(bound.columns[i].name);
      if (i < bound.source_types.size() &&
          bound.source_types[i] != ToDuckDbType(bound.columns[i].type)) {
        items.push_back("CAST(" + column + " AS " + ToDuckDbType(bound.columns[i].type) + ") AS " +
                        column);
      } else {
        items.push_back(column);
      }
      query.columns.push_back(bound.columns[i]);
      query.sql_names.push_back(bound.columns[i].name);
    }
    query.sql = "SELECT " + Join(items, ", ") + " FROM " + bound.sql;
    std::string sql = DerivedRelation(query, &relation, {name}, scope);
    // The _metadata column of a file source is hidden, as in Spark.
    if (IsFileSourceFunction(name)) {
      for (ScopeColumn& column : scope->relations.back().columns) {
        column.hidden = column.hidden || column.name == "_metadata";
      }
    }
    return sql;
  }
  Scope empty;
  empty.outer = outer;
  ExprContext context;
  context.aggregates_allowed = false;
  context.windows_allowed = false;
  if (name == "range") {
    std::vector<Typed> args;
    for (const ExprPtr& arg : relation.args) {
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*arg, empty, context));
      if (!value.type.IsIntegral()) {
        return ErrorAt(arg->span, "range() takes integers, not " + value.type.Sql());
      }
      args.push_back(Coerce(value, DataType::Of(TypeId::kLong)));
    }
    if (args.empty() || args.size() > 4) {
      return ErrorAt(relation.span,
                     "range() takes 1 to 4 arguments: (end), (start, end), "
                     "(start, end, step) or (start, end, step, partitions)");
    }
    std::string start = "0", end, step = "1";
    if (args.size() == 1) {
      end = args[0].sql;
    } else {
      start = args[0].sql;
      end = args[1].sql;
      if (args.size() >= 3) step = args[2].sql;
    }
    TranslatedQuery query;
    query.sql = "SELECT range AS id FROM range(" + start + ", " + end + ", " + step + ")";
    query.columns.push_back(Column{"id", DataType::Of(TypeId::kLong), false});
    query.sql_names.push_back("id");
    return DerivedRelation(query, &relation, {"range"}, scope);
  }
  auto it = Functions().find(name);
  if (it != Functions().end() && it->second.kind == FunctionKind::kGenerator) {
    // SELECT * FROM explode(...): the generator over no input row.
    extern Result<Generated> GenerateFromRelation(Translator & translator, const Relation& relation,
                                                  const Scope& scope);
    Scope generated;
    generated.outer = outer;
    SLUICE_ASSIGN_OR_RETURN(Generated rows, GenerateFromRelation(*this, relation, generated));
    if (!relation.column_aliases.empty() && relation.column_aliases.size() != rows.columns.size()) {
      return ErrorAt(relation.span, name + " produces " + std::to_string(rows.columns.size()) +
                                        " columns but the alias names " +
                                        std::to_string(relation.column_aliases.size()));
    }
    TranslatedQuery query{rows.select_sql, rows.columns, rows.sql_names};
    return DerivedRelation(query, &relation, {name}, scope);
  }
  if (IsSourceFunction(name)) {
    return ErrorAt(relation.span, name + " is not allowed here");
  }
  return ErrorAt(relation.span, "unknown table function '" + name + "'");
}

Result<std::string> Translator::JoinSql(const Relation& relation, const Scope* outer,
                                        Scope* scope) {
  Scope left;
  left.outer = outer;
  SLUICE_ASSIGN_OR_RETURN(std::string left_sql, RelationSql(*relation.left, outer, &left));
  Scope right;
  right.outer = outer;
  // A lateral right side sees the left side (and the relations before this join).
  Scope lateral;
  lateral.outer = outer;
  AppendScope(&lateral, *scope);
  AppendScope(&lateral, left);
  const bool lateral_right = relation.right->lateral;
  SLUICE_ASSIGN_OR_RETURN(std::string right_sql,
                          RelationSql(*relation.right, lateral_right ? &lateral : outer, &right));
  auto override_it = options_.joins.find(&relation);
  const TranslateOptions::JoinOverride* join_override =
      override_it == options_.joins.end() ? nullptr : &override_it->second;
  const JoinType join_type = join_override ? join_override->type : relation.join_type;
  const char* kind = "JOIN";
  switch (join_type) {
    case JoinType::kInner:
      kind = "JOIN";
      break;
    case JoinType::kLeft:
      kind = "LEFT JOIN";
      break;
    case JoinType::kRight:
      kind = "RIGHT JOIN";
      break;
    case JoinType::kFull:
      kind = "FULL JOIN";
      break;
    case JoinType::kCross:
      kind = "CROSS JOIN";
      break;
    case JoinType::kLeftSemi:
      kind = "SEMI JOIN";
      break;
    case JoinType::kLeftAnti:
      kind = "ANTI JOIN";
      break;
  }
  Scope both;
  both.outer = outer;
  AppendScope(&both, *scope);
  AppendScope(&both, left);
  AppendScope(&both, right);
  std::string sql = "(" + left_sql + " " + kind + " " + right_sql;
  const bool keeps_right = join_type != JoinType::kLeftSemi && join_type != JoinType::kLeftAnti;

  std::vector<std::string> using_columns = relation.using_columns;
  if (relation.natural) {
    for (const ScopeRelation& l : left.relations) {
      for (const ScopeColumn& lc : l.columns) {
        for (const ScopeRelation& r : right.relations) {
          for (const ScopeColumn& rc : r.columns) {
            if (EqualsIgnoreCase(lc.name, rc.name)) using_columns.push_back(lc.name);
          }
        }
      }
    }
  }
  ScopeRelation keys;
  if (!using_columns.empty() || relation.natural) {
    std::vector<std::string> equalities;
    auto find = [](Scope& side, const std::string& name) -> ScopeColumn* {
      ScopeColumn* found = nullptr;
      for (ScopeRelation& r : side.relations) {
        for (ScopeColumn& c : r.columns) {
          if (!c.qualified_only && EqualsIgnoreCase(c.name, name)) found = &c;
        }
      }
      return found;
    };
    for (const std::string& name : using_columns) {
      ScopeColumn* l = find(left, name);
      ScopeColumn* r = find(right, name);
      if (l == nullptr || r == nullptr) {
        return ErrorAt(relation.span,
                       "USING column '" + name + "' is not on both sides of the join");
      }
      auto common = ComparisonType(l->type, r->type);
      if (!common)
        return ErrorAt(relation.span, "USING column '" + name + "' has types that do not compare");
      const std::string ls = Coerce(Typed{l->sql, l->type}, *common).sql;
      const std::string rs = Coerce(Typed{r->sql, r->type}, *common).sql;
      equalities.push_back(ls + " = " + rs);
      std::string key_sql = ls;
      if (join_type == JoinType::kRight) key_sql = rs;
      if (join_type == JoinType::kFull) key_sql = "coalesce(" + ls + ", " + rs + ")";
      keys.columns.push_back(ScopeColumn{l->name, *common, true, key_sql});
      l->qualified_only = true;
      r->qualified_only = true;
    }
    const bool one_side = join_override && join_override->conjuncts !=
                                               TranslateOptions::JoinOverride::Conjuncts::kAll;
    sql += equalities.empty() || one_side ? " ON TRUE" : " ON " + Join(equalities, " AND ");
  } else if (relation.condition && join_override &&
             join_override->conjuncts != TranslateOptions::JoinOverride::Conjuncts::kAll) {
    // The conjuncts that translate over one side's columns alone.
    Scope side;
    side.outer = outer;
    AppendScope(&side,
                join_override->conjuncts == TranslateOptions::JoinOverride::Conjuncts::kLeftOnly
                    ? left
                    : right);
    std::vector<const Expr*> conjuncts;
    SplitConjuncts(*relation.condition, &conjuncts);
    std::vector<std::string> kept;
    for (const Expr* conjunct : conjuncts) {
      auto condition =
          Condition(*conjunct, side, ExprContext{false, false, false}, "a join condition");
      if (condition.ok()) kept.push_back("(" + condition->sql + ")");
    }
    sql += kept.empty() ? " ON TRUE" : " ON " + Join(kept, " AND ");
  } else if (relation.condition) {
    SLUICE_ASSIGN_OR_RETURN(
        Typed condition,
        Condition(*relation.condition, both, ExprContext{false, false, false}, "a join condition"));
    sql += " ON " + condition.sql;
  } else if (join_type != JoinType::kCross) {
    sql += " ON TRUE";
  }
  sql += ")";
  if (!keys.columns.empty()) {
    scope->relations.push_back(std::move(keys));
  }
  AppendScope(scope, left);
  if (keeps_right) AppendScope(scope, right);
  if (relation.alias) {
    return ErrorAt(relation.span, "an alias of a parenthesized join is not supported");
  }
  return sql;
}

Status Translator::TranslateLateralView(const LateralView& view, std::string* sql, Scope* scope) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<ScopeColumn> columns,
                          JoinGenerator(*view.generator, view.outer, view.table_alias,
                                        view.column_aliases, sql, scope));
  (void)columns;
  return Status::OK();
}

Result<std::vector<ScopeColumn>> Translator::JoinGenerator(const Expr& call, bool outer,
                                                           const std::string& table_alias,
                                                           const std::vector<std::string>& aliases,
                                                           std::string* sql, Scope* scope) {
  extern Result<Generated> TranslateGenerator(Translator & translator, const Expr& call,
                                              const Scope& scope);
  SLUICE_ASSIGN_OR_RETURN(Generated rows, TranslateGenerator(*this, call, *scope));
  if (!aliases.empty() && aliases.size() != rows.columns.size()) {
    return ErrorAt(call.span, ToLower(call.parts.back()) + " produces " +
                                  std::to_string(rows.columns.size()) + " columns but " +
                                  std::to_string(aliases.size()) + " names are given");
  }
  const std::string alias = NewAlias();
  const bool keep_empty = outer || rows.outer;
  if (sql->empty()) {
    *sql = "(" + rows.select_sql + ") AS " + alias;
  } else {
    *sql = "(" + *sql + (keep_empty ? " LEFT JOIN LATERAL (" : " CROSS JOIN LATERAL (") +
           rows.select_sql + ") AS " + alias + (keep_empty ? " ON TRUE)" : ")");
  }
  ScopeRelation entry;
  if (!table_alias.empty()) entry.qualifiers.push_back({table_alias});
  for (size_t i = 0; i < rows.columns.size(); ++i) {
    const std::string name = i < aliases.size() ? aliases[i] : rows.columns[i].name;
    entry.columns.push_back(ScopeColumn{name, rows.columns[i].type, true,
                                        alias + "." + QuoteIdentifier(rows.sql_names[i])});
  }
  std::vector<ScopeColumn> columns = entry.columns;
  scope->relations.push_back(std::move(entry));
  return columns;
}

Result<std::string> Translator::PivotSql(const Relation& relation, const Scope* outer,
                                         Scope* scope) {
  Scope input;
  input.outer = outer;
  SLUICE_ASSIGN_OR_RETURN(std::string input_sql, RelationSql(*relation.left, outer, &input));
  // The pivot column(s).
  std::vector<Typed> pivot;
  for (const auto& column : relation.pivot_columns) {
    Expr name;
    name.kind = ExprKind::kColumn;
    name.parts = column;
    name.span = relation.span;
    SLUICE_ASSIGN_OR_RETURN(Typed value, ResolveColumn(name, input));
    pivot.push_back(std::move(value));
  }
  // Grouping columns: every input column the aggregates and the pivot do not use.
  std::set<std::string> used;
  for (const PivotAggregate& aggregate : relation.pivot_aggregates) {
    MentionedNames(*aggregate.aggregate, &used);
  }
  for (const auto& column : relation.pivot_columns) used.insert(ToLower(column.back()));
  TranslatedQuery query;
  std::vector<std::string> items, group;
  for (const ScopeRelation& r : input.relations) {
    for (const ScopeColumn& c : r.columns) {
      if (used.count(ToLower(c.name)) || c.qualified_only) continue;
      items.push_back(c.sql + " AS " + QuoteIdentifier(c.name));
      group.push_back(c.sql);
      query.columns.push_back(Column{c.name, c.type, c.nullable});
      query.sql_names.push_back(c.name);
    }
  }
  for (const PivotValue& value : relation.pivot_values) {
    SLUICE_ASSIGN_OR_RETURN(Typed v, Translate(*value.value, Scope{}, ExprContext{}));
    std::string condition;
    if (pivot.size() == 1) {
      auto common = ComparisonType(pivot[0].type, v.type);
      if (!common)
        return ErrorAt(value.value->span, "the pivot value does not compare with the column");
      condition = "(" + Coerce(pivot[0], *common).sql + " IS NOT DISTINCT FROM " +
                  Coerce(v, *common).sql + ")";
    } else {
      if (!v.type.is(TypeId::kStruct) || v.type.fields.size() != pivot.size()) {
        return ErrorAt(value.value->span, "each pivot value needs one value per pivot column");
      }
      std::vector<std::string> parts;
      for (size_t k = 0; k < pivot.size(); ++k) {
        Typed field{"struct_extract(" + v.sql + ", " + QuoteLiteral(v.type.fields[k].name) + ")",
                    *v.type.fields[k].type};
        auto common = ComparisonType(pivot[k].type, field.type);
        if (!common)
          return ErrorAt(value.value->span, "the pivot value does not compare with the column");
        parts.push_back("(" + Coerce(pivot[k], *common).sql + " IS NOT DISTINCT FROM " +
                        Coerce(field, *common).sql + ")");
      }
      condition = "(" + Join(parts, " AND ") + ")";
    }
    std::string value_name = value.alias;
    if (value_name.empty()) value_name = v.literal ? v.literal->text : v.name;
    for (const PivotAggregate& aggregate : relation.pivot_aggregates) {
      aggregate_filter = condition;
      auto translated = Translate(*aggregate.aggregate, input, ExprContext{});
      aggregate_filter.clear();
      if (!translated.ok()) return translated.status();
      if (!translated->aggregate) {
        return ErrorAt(aggregate.aggregate->span, "PIVOT needs aggregate expressions");
      }
      std::string name = value_name;
      if (relation.pivot_aggregates.size() > 1) {
        name += "_" + (aggregate.alias.empty() ? translated->name : aggregate.alias);
      }
      items.push_back(translated->sql + " AS " + QuoteIdentifier(name));
      query.columns.push_back(Column{name, translated->type, true});
      query.sql_names.push_back(name);
    }
  }
  query.sql = "SELECT " + Join(items, ", ") + " FROM " + input_sql;
  if (!group.empty()) query.sql += " GROUP BY " + Join(group, ", ");
  // Output names may repeat; keep DuckDB's copies distinct.
  for (size_t i = 0; i < query.sql_names.size(); ++i) {
    query.sql_names[i] = "p" + std::to_string(i);
  }
  std::vector<std::string> renamed;
  size_t k = 0;
  for (std::string& item : items) {
    const size_t as = item.rfind(" AS ");
    renamed.push_back(item.substr(0, as) + " AS " + QuoteIdentifier(query.sql_names[k++]));
  }
  query.sql = "SELECT " + Join(renamed, ", ") + " FROM " + input_sql;
  if (!group.empty()) query.sql += " GROUP BY " + Join(group, ", ");
  return DerivedRelation(query, &relation, {}, scope);
}

Result<std::string> Translator::UnpivotSql(const Relation& relation, const Scope* outer,
                                           Scope* scope) {
  Scope input;
  input.outer = outer;
  SLUICE_ASSIGN_OR_RETURN(std::string input_sql, RelationSql(*relation.left, outer, &input));
  const size_t width = relation.unpivot_value_columns.size();
  std::set<std::string> unpivoted;
  std::vector<std::vector<Typed>> entries;
  std::vector<std::string> names;
  for (size_t e = 0; e < relation.unpivot_columns.size(); ++e) {
    const auto& columns = relation.unpivot_columns[e];
    if (columns.size() != width) {
      return ErrorAt(relation.span,
                     "each UNPIVOT entry needs " + std::to_string(width) + " columns");
    }
    std::vector<Typed> values;
    for (const std::string& column : columns) {
      Expr name;
      name.kind = ExprKind::kColumn;
      name.parts = {column};
      name.span = relation.span;
      SLUICE_ASSIGN_OR_RETURN(Typed value, ResolveColumn(name, input));
      values.push_back(std::move(value));
      unpivoted.insert(ToLower(column));
    }
    entries.push_back(std::move(values));
    names.push_back(!relation.unpivot_aliases[e].empty() ? relation.unpivot_aliases[e]
                                                         : Join(columns, "_"));
  }
  TranslatedQuery query;
  std::vector<std::string> items;
  for (const ScopeRelation& r : input.relations) {
    for (const ScopeColumn& c : r.columns) {
      if (unpivoted.count(ToLower(c.name)) || c.qualified_only) continue;
      items.push_back(c.sql + " AS " + QuoteIdentifier("u" + std::to_string(items.size())));
      query.columns.push_back(Column{c.name, c.type, c.nullable});
    }
  }
  std::vector<std::string> quoted_names;
  for (const std::string& name : names) quoted_names.push_back(QuoteLiteral(name));
  items.push_back("unnest([" + Join(quoted_names, ", ") + "]) AS " +
                  QuoteIdentifier("u" + std::to_string(items.size())));
  query.columns.push_back(
      Column{relation.unpivot_name_column, DataType::Of(TypeId::kString), false});
  std::vector<std::string> value_names;
  for (size_t v = 0; v < width; ++v) {
    std::vector<DataType> types;
    for (const auto& entry : entries) types.push_back(entry[v].type);
    auto common = WiderCommonType(types);
    if (!common) return ErrorAt(relation.span, "the unpivoted columns have types that do not meet");
    std::vector<std::string> values;
    for (const auto& entry : entries) values.push_back(Coerce(entry[v], *common).sql);
    const std::string name = "u" + std::to_string(items.size());
    items.push_back("unnest([" + Join(values, ", ") + "]) AS " + QuoteIdentifier(name));
    value_names.push_back(QuoteIdentifier(name));
    query.columns.push_back(Column{relation.unpivot_value_columns[v], *common, true});
  }
  for (size_t i = 0; i < query.columns.size(); ++i)
    query.sql_names.push_back("u" + std::to_string(i));
  query.sql =
      "SELECT * FROM (SELECT " + Join(items, ", ") + " FROM " + input_sql + ") AS __unpivot";
  if (!relation.include_nulls) {
    std::vector<std::string> present;
    for (const std::string& name : value_names) present.push_back(name + " IS NOT NULL");
    query.sql += " WHERE " + Join(present, " OR ");
  }
  return DerivedRelation(query, &relation, {}, scope);
}

}  // namespace sluice::spark::internal
