// Queries: WITH, SELECT (select list, WHERE, GROUP BY, HAVING, WINDOW, QUALIFY), set
// operations with Spark's type widening, VALUES, ORDER BY with Spark's NULL ordering,
// LIMIT and OFFSET.
#include <algorithm>
#include <set>

#include "common/strings.h"
#include "spark/coercion.h"
#include "spark/time_window_internal.h"
#include "spark/translator_internal.h"

namespace sluice::spark::internal {
namespace {

// Output names for a query's columns in DuckDB: Spark's names, made unique
// (case-insensitively) where two columns share one.
std::vector<std::string> UniqueNames(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  std::set<std::string> taken;
  for (const std::string& name : names) {
    std::string candidate = name.empty() ? "col" : name;
    int n = 1;
    while (taken.count(ToLower(candidate))) candidate = name + "__" + std::to_string(++n);
    taken.insert(ToLower(candidate));
    out.push_back(candidate);
  }
  return out;
}

bool IsSimpleName(const Expr& expr) {
  return expr.kind == ExprKind::kColumn && expr.parts.size() == 1;
}

}  // namespace

Status Translator::TranslateCtes(const Query& query, const Scope* outer,
                                 std::vector<std::string>* with) {
  for (const Cte& cte : query.ctes) {
    SLUICE_ASSIGN_OR_RETURN(TranslatedQuery body, TranslateQuery(*cte.query, outer));
    CteEntry entry;
    entry.name = ToLower(cte.name);
    entry.sql_name = "__cte" + std::to_string(++next_alias_);
    entry.columns = body.columns;
    entry.sql_names = body.sql_names;
    if (!cte.columns.empty()) {
      if (cte.columns.size() != body.columns.size()) {
        return ErrorAt(cte.span,
                       "WITH " + cte.name + " names " + std::to_string(cte.columns.size()) +
                           " columns but its query returns " + std::to_string(body.columns.size()));
      }
      for (size_t i = 0; i < cte.columns.size(); ++i) entry.columns[i].name = cte.columns[i];
    }
    with->push_back(QuoteIdentifier(entry.sql_name) + " AS (" + body.sql + ")");
    ctes.push_back(std::move(entry));
  }
  return Status::OK();
}

Result<TranslatedQuery> Translator::TranslateQuery(const Query& query, const Scope* outer) {
  const size_t cte_depth = ctes.size();
  std::vector<std::string> with;
  if (Status status = TranslateCtes(query, outer, &with); !status.ok()) {
    ctes.resize(cte_depth);
    return status;
  }
  Result<TranslatedQuery> result = InvalidArgument("unreachable");
  switch (query.kind) {
    case QueryKind::kSelect:
      result = Select(query, outer);
      break;
    case QueryKind::kSetOperation:
      result = SetOperationQuery(query, outer);
      break;
    case QueryKind::kValues:
      result = ValuesQuery(query, outer);
      break;
    case QueryKind::kTable: {
      Scope scope;
      scope.outer = outer;
      auto from = RelationSql(*query.table, outer, &scope);
      if (!from.ok()) {
        result = from.status();
        break;
      }
      TranslatedQuery out;
      std::vector<std::string> items, names;
      for (const ScopeRelation& relation : scope.relations) {
        for (const ScopeColumn& column : relation.columns) {
          out.columns.push_back(Column{column.name, column.type, column.nullable});
          names.push_back(column.name);
        }
      }
      out.sql_names = UniqueNames(names);
      size_t k = 0;
      for (const ScopeRelation& relation : scope.relations) {
        for (const ScopeColumn& column : relation.columns) {
          items.push_back(column.sql + " AS " + QuoteIdentifier(out.sql_names[k++]));
        }
      }
      out.sql = "SELECT " + Join(items, ", ") + " FROM " + *from;
      Status tail = OrderAndLimit(query, scope, &out);
      if (!tail.ok()) {
        result = tail;
        break;
      }
      result = std::move(out);
      break;
    }
  }
  ctes.resize(cte_depth);
  if (!result.ok()) return result;
  if (!with.empty()) result->sql = "WITH " + Join(with, ", ") + " " + result->sql;
  return result;
}

Status Translator::OrderAndLimit(const Query& query, const Scope& scope, TranslatedQuery* out) {
  // Set operations and VALUES order by their output columns.
  if (!query.order_by.empty()) {
    std::vector<std::string> keys;
    for (const SortItem& item : query.order_by) {
      std::string sql;
      DataType type;
      bool found = false;
      if (IsSimpleName(*item.expr)) {
        for (size_t i = 0; i < out->columns.size(); ++i) {
          if (EqualsIgnoreCase(out->columns[i].name, item.expr->parts[0])) {
            sql = QuoteIdentifier(out->sql_names[i]);
            type = out->columns[i].type;
            found = true;
            break;
          }
        }
      }
      if (!found && item.expr->kind == ExprKind::kLiteral && item.expr->literal.type.IsIntegral()) {
        const int64_t position = std::stoll(item.expr->literal.text);
        if (position < 1 || position > static_cast<int64_t>(out->columns.size())) {
          return ErrorAt(item.expr->span, "ORDER BY position " + std::to_string(position) +
                                              " is not in the select list");
        }
        sql = QuoteIdentifier(out->sql_names[position - 1]);
        type = out->columns[position - 1].type;
        found = true;
      }
      if (!found) {
        // An expression over the output columns.
        Scope output_scope;
        output_scope.outer = scope.outer;
        ScopeRelation relation;
        for (size_t i = 0; i < out->columns.size(); ++i) {
          relation.columns.push_back(ScopeColumn{out->columns[i].name, out->columns[i].type, true,
                                                 QuoteIdentifier(out->sql_names[i])});
        }
        output_scope.relations.push_back(std::move(relation));
        SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*item.expr, output_scope, ExprContext{}));
        sql = value.sql;
        type = value.type;
      }
      if (type.is(TypeId::kMap)) return ErrorAt(item.expr->span, "maps cannot be ordered");
      const bool nulls_first = item.nulls_first.value_or(item.ascending);
      keys.push_back(sql + (item.ascending ? " ASC" : " DESC") +
                     (nulls_first ? " NULLS FIRST" : " NULLS LAST"));
    }
    out->sql += " ORDER BY " + Join(keys, ", ");
  }
  if (query.limit || query.offset) {
    for (const ExprPtr* e : {&query.limit, &query.offset}) {
      if (!*e) continue;
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(**e, Scope{}, ExprContext{}));
      if (!value.type.IsIntegral()) {
        return ErrorAt((*e)->span, "LIMIT and OFFSET need an integer");
      }
      out->sql += (e == &query.limit ? " LIMIT " : " OFFSET ") + value.sql;
    }
  }
  return Status::OK();
}

Result<TranslatedQuery> Translator::Select(const Query& query, const Scope* outer) {
  const SelectBody& body = *query.select;
  // Partial aggregation splits the aggregates of one SELECT, not of subqueries inside it.
  const bool split = partial != nullptr && partial->select == &body;
  const bool was_active = partial != nullptr && partial->active;
  if (partial != nullptr) partial->active = split;
  struct Restore {
    PartialSplit* partial;
    bool active;
    ~Restore() {
      if (partial != nullptr) partial->active = active;
    }
  } restore{partial, was_active};
  if (split && !partial->merge && !body.lateral_views.empty()) {
    return UnsupportedAt(query.span, "partial aggregates with LATERAL VIEW");
  }
  Scope scope;
  scope.outer = outer;
  scope.group_by = &body.group_by;
  std::string from_sql;
  SLUICE_RETURN_IF_ERROR(TranslateFrom(body.from, outer, &from_sql, &scope));
  for (const LateralView& view : body.lateral_views) {
    SLUICE_RETURN_IF_ERROR(TranslateLateralView(view, &from_sql, &scope));
  }
  std::map<std::string, const WindowSpec*> windows;
  for (const NamedWindow& window : body.windows) windows[ToLower(window.name)] = &window.spec;
  scope.windows = &windows;
  // A time window (window(...), session_window(...)) gives the rows their windows.
  SLUICE_ASSIGN_OR_RETURN(TimeWindowRewrite time_window,
                          ApplyTimeWindow(*this, body, &from_sql, &scope));
  const std::string& time_window_filter = time_window.filter;

  // The select list; a generator becomes a LATERAL join of the FROM clause.
  std::vector<SelectOutput> outputs;
  ExprContext item_context;
  bool generator_seen = false;
  for (const SelectItem& item : body.items) {
    const Expr& e = *item.expr;
    if (e.kind == ExprKind::kStar) {
      if (split && !partial->merge) return UnsupportedAt(e.span, "partial aggregates with *");
      std::set<std::string> except;
      for (const std::string& name : e.names) except.insert(ToLower(name));
      bool any = false;
      for (const ScopeRelation& relation : scope.relations) {
        if (!e.parts.empty()) {
          bool match = false;
          for (const auto& qualifier : relation.qualifiers) {
            if (qualifier.size() >= e.parts.size()) {
              bool same = true;
              for (size_t k = 0; k < e.parts.size(); ++k) {
                if (!EqualsIgnoreCase(qualifier[qualifier.size() - e.parts.size() + k],
                                      e.parts[k])) {
                  same = false;
                }
              }
              match = match || same;
            }
          }
          if (!match) continue;
        }
        any = true;
        for (const ScopeColumn& column : relation.columns) {
          if (column.qualified_only && e.parts.empty()) continue;
          if (column.hidden) continue;
          if (except.count(ToLower(column.name))) continue;
          SelectOutput output;
          output.name = column.name;
          output.value.sql = column.sql;
          output.value.type = column.type;
          output.value.nullable = column.nullable;
          output.value.name = column.name;
          outputs.push_back(std::move(output));
        }
      }
      if (!any) {
        if (!e.parts.empty()) {
          return ErrorAt(e.span, "'" + Join(e.parts, ".") + ".*': no table or alias of that name");
        }
        return ErrorAt(e.span, "SELECT * needs a FROM clause");
      }
      continue;
    }
    if (e.kind == ExprKind::kFunction && e.parts.size() == 1 && !e.window) {
      auto it = Functions().find(ToLower(e.parts[0]));
      if (it != Functions().end() && it->second.kind == FunctionKind::kGenerator) {
        if (generator_seen) {
          return ErrorAt(e.span,
                         "only one generator (explode, posexplode, inline, stack, ...) "
                         "is allowed in a select list");
        }
        generator_seen = true;
        if (split && !partial->merge) {
          return UnsupportedAt(e.span, "partial aggregates with a generator");
        }
        std::vector<std::string> aliases = item.aliases;
        if (item.alias) aliases = {*item.alias};
        SLUICE_ASSIGN_OR_RETURN(std::vector<ScopeColumn> columns,
                                JoinGenerator(e, /*outer=*/false, "", aliases, &from_sql, &scope));
        for (const ScopeColumn& column : columns) {
          SelectOutput output;
          output.name = column.name;
          output.value.sql = column.sql;
          output.value.type = column.type;
          output.value.name = column.name;
          output.has_alias = true;
          outputs.push_back(std::move(output));
        }
        continue;
      }
    }
    if (!item.aliases.empty()) {
      return ErrorAt(item.span, "AS (a, b, ...) names the columns of a generator; '" +
                                    source_->text.substr(e.span.begin, e.span.end - e.span.begin) +
                                    "' is not one");
    }
    SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(e, scope, item_context));
    SelectOutput output;
    output.has_alias = item.alias.has_value();
    output.name = item.alias ? *item.alias : value.item_name ? *value.item_name : value.name;
    output.value = std::move(value);
    outputs.push_back(std::move(output));
  }

  std::string sql = "SELECT ";
  if (body.distinct) sql += "DISTINCT ";
  TranslatedQuery out;
  std::vector<std::string> names;
  for (const SelectOutput& output : outputs) names.push_back(output.name);
  out.sql_names = UniqueNames(names);
  std::vector<std::string> items;
  for (size_t i = 0; i < outputs.size(); ++i) {
    items.push_back(outputs[i].value.sql + " AS " + QuoteIdentifier(out.sql_names[i]));
    out.columns.push_back(
        Column{outputs[i].name, outputs[i].value.type, outputs[i].value.nullable});
  }
  if (items.empty()) return ErrorAt(query.span, "the query selects no columns");
  sql += Join(items, ", ");
  if (!from_sql.empty()) sql += " FROM " + from_sql;

  ExprContext no_aggregates;
  no_aggregates.aggregates_allowed = false;
  no_aggregates.windows_allowed = false;
  // Partial rows passed the WHERE clause when they were computed.
  std::string where_sql;
  if (body.where && !time_window.where_applied && !(split && partial->merge)) {
    SLUICE_ASSIGN_OR_RETURN(Typed where, Condition(*body.where, scope, no_aggregates, "WHERE"));
    if (time_window_filter.empty()) {
      where_sql = where.sql;
    } else {
      where_sql = "(" + where.sql + ") AND " + time_window_filter;
    }
  } else if (!time_window_filter.empty()) {
    where_sql = time_window_filter;
  }
  if (!where_sql.empty()) sql += " WHERE " + where_sql;

  // GROUP BY: input columns first, then select-list aliases and positions.
  bool aggregate_query = body.group_by_all || !body.group_by.empty();
  for (const SelectOutput& output : outputs)
    aggregate_query = aggregate_query || output.value.aggregate;
  auto group_expression = [&](const Expr& e) -> Result<std::string> {
    if (e.kind == ExprKind::kLiteral && e.literal.type.IsIntegral()) {
      const int64_t position = std::stoll(e.literal.text);
      if (position < 1 || position > static_cast<int64_t>(outputs.size())) {
        return ErrorAt(
            e.span, "GROUP BY position " + std::to_string(position) + " is not in the select list");
      }
      const Typed& value = outputs[position - 1].value;
      if (value.aggregate) {
        return ErrorAt(e.span,
                       "GROUP BY position " + std::to_string(position) + " refers to an aggregate");
      }
      return value.sql;
    }
    auto value = Translate(e, scope, no_aggregates);
    if (value.ok()) return value->sql;
    if (IsSimpleName(e)) {
      for (const SelectOutput& output : outputs) {
        if (output.has_alias && EqualsIgnoreCase(output.name, e.parts[0]) &&
            !output.value.aggregate) {
          return output.value.sql;
        }
      }
    }
    return value.status();
  };
  std::vector<std::string> group_keys;
  if (body.group_by_all) {
    if (split && !partial->merge) {
      return UnsupportedAt(query.span, "partial aggregates with GROUP BY ALL");
    }
    std::vector<std::string> keys;
    for (const SelectOutput& output : outputs) {
      if (!output.value.aggregate && !output.value.window && !output.value.literal) {
        keys.push_back(output.value.sql);
      }
    }
    if (!keys.empty()) sql += " GROUP BY " + Join(keys, ", ");
  } else if (!body.group_by.empty()) {
    std::vector<std::string> elements;
    for (const GroupingElement& element : body.group_by) {
      if (element.kind == GroupingElement::Kind::kExpr) {
        SLUICE_ASSIGN_OR_RETURN(std::string key, group_expression(*element.expr));
        elements.push_back(key);
        continue;
      }
      if (split && !partial->merge) {
        return UnsupportedAt(query.span, "partial aggregates with grouping sets");
      }
      std::vector<std::string> sets;
      for (const auto& set : element.sets) {
        std::vector<std::string> keys;
        for (const ExprPtr& e : set) {
          SLUICE_ASSIGN_OR_RETURN(std::string key, group_expression(*e));
          keys.push_back(key);
        }
        sets.push_back("(" + Join(keys, ", ") + ")");
      }
      const char* kind = element.kind == GroupingElement::Kind::kRollup ? "ROLLUP"
                         : element.kind == GroupingElement::Kind::kCube ? "CUBE"
                                                                        : "GROUPING SETS";
      elements.push_back(std::string(kind) + " (" + Join(sets, ", ") + ")");
    }
    if (split && partial->merge && !time_window.group_key.empty()) {
      for (std::string& element : elements) {
        if (element == time_window.column) element = time_window.group_key;
      }
    }
    sql += " GROUP BY " + Join(elements, ", ");
    group_keys = std::move(elements);
  }

  // HAVING and QUALIFY may name select-list columns.
  Scope late_scope = scope;
  late_scope.select_outputs = &outputs;
  if (body.having) {
    SLUICE_ASSIGN_OR_RETURN(Typed having,
                            Condition(*body.having, late_scope, ExprContext{}, "HAVING"));
    if (!aggregate_query && !having.aggregate) {
      // HAVING without aggregates or GROUP BY: Spark treats the query as one group.
      aggregate_query = true;
    }
    sql += " HAVING " + having.sql;
  }
  if (body.qualify) {
    SLUICE_ASSIGN_OR_RETURN(Typed qualify,
                            Condition(*body.qualify, late_scope, ExprContext{}, "QUALIFY"));
    sql += " QUALIFY " + qualify.sql;
  }
  if (split) {
    if (!partial->refusal.empty()) return UnsupportedAt(partial->refusal_at, partial->refusal);
    if (!partial->merge) {
      return PartialSelect(body, scope, from_sql, where_sql, group_keys, time_window.column,
                           time_window.time, time_window.pane_micros, time_window.pane_start);
    }
    if (partial->merged != options_.merge_partials->partial_columns) {
      return Internal("the partial aggregates of the query are not those of its rows (" +
                      std::to_string(partial->merged) + " read, " +
                      std::to_string(options_.merge_partials->partial_columns) + " given)");
    }
  }
  out.sql = sql;

  // ORDER BY: output names first, then expressions over the input (or, for DISTINCT and
  // aggregate queries, expressions the output has).
  if (!query.order_by.empty()) {
    std::vector<std::string> keys;
    for (const SortItem& item : query.order_by) {
      std::string key;
      DataType type;
      if (IsSimpleName(*item.expr)) {
        for (size_t i = 0; i < outputs.size(); ++i) {
          if (EqualsIgnoreCase(outputs[i].name, item.expr->parts[0])) {
            key = QuoteIdentifier(out.sql_names[i]);
            type = outputs[i].value.type;
            break;
          }
        }
      }
      if (key.empty() && item.expr->kind == ExprKind::kLiteral &&
          item.expr->literal.type.IsIntegral()) {
        const int64_t position = std::stoll(item.expr->literal.text);
        if (position < 1 || position > static_cast<int64_t>(outputs.size())) {
          return ErrorAt(item.expr->span, "ORDER BY position " + std::to_string(position) +
                                              " is not in the select list");
        }
        key = QuoteIdentifier(out.sql_names[position - 1]);
        type = outputs[position - 1].value.type;
      }
      if (key.empty()) {
        SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*item.expr, late_scope, ExprContext{}));
        key = value.sql;
        type = value.type;
        for (size_t i = 0; i < outputs.size(); ++i) {
          if (outputs[i].value.sql == value.sql) key = QuoteIdentifier(out.sql_names[i]);
        }
      }
      if (type.is(TypeId::kMap)) return ErrorAt(item.expr->span, "maps cannot be ordered");
      const bool nulls_first = item.nulls_first.value_or(item.ascending);
      keys.push_back(key + (item.ascending ? " ASC" : " DESC") +
                     (nulls_first ? " NULLS FIRST" : " NULLS LAST"));
    }
    out.sql += " ORDER BY " + Join(keys, ", ");
  }
  // LIMIT and OFFSET.
  for (const ExprPtr* e : {&query.limit, &query.offset}) {
    if (!*e) continue;
    SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(**e, Scope{}, ExprContext{}));
    if (!value.type.IsIntegral()) return ErrorAt((*e)->span, "LIMIT and OFFSET need an integer");
    out.sql += (e == &query.limit ? " LIMIT " : " OFFSET ") + value.sql;
  }
  return out;
}

Result<TranslatedQuery> Translator::SetOperationQuery(const Query& query, const Scope* outer) {
  SLUICE_ASSIGN_OR_RETURN(TranslatedQuery left, TranslateQuery(*query.left, outer));
  SLUICE_ASSIGN_OR_RETURN(TranslatedQuery right, TranslateQuery(*query.right, outer));
  const char* op = query.set_operation == SetOperation::kUnion       ? "UNION"
                   : query.set_operation == SetOperation::kIntersect ? "INTERSECT"
                                                                     : "EXCEPT";
  if (query.by_name) {
    // Match the right side's columns to the left's by name.
    TranslatedQuery reordered;
    std::vector<std::string> items;
    for (const Column& column : left.columns) {
      bool found = false;
      for (size_t i = 0; i < right.columns.size(); ++i) {
        if (EqualsIgnoreCase(right.columns[i].name, column.name)) {
          items.push_back("__by_name." + QuoteIdentifier(right.sql_names[i]));
          reordered.columns.push_back(right.columns[i]);
          reordered.sql_names.push_back(right.sql_names[i]);
          found = true;
          break;
        }
      }
      if (!found) {
        return ErrorAt(query.span, std::string(op) + " BY NAME: the right side has no column '" +
                                       column.name + "'");
      }
    }
    if (right.columns.size() != left.columns.size()) {
      return ErrorAt(query.span, std::string(op) + " BY NAME: the sides have different columns");
    }
    reordered.sql = "SELECT " + Join(items, ", ") + " FROM (" + right.sql + ") AS __by_name";
    right = std::move(reordered);
  }
  if (left.columns.size() != right.columns.size()) {
    return ErrorAt(query.span, std::string(op) +
                                   " needs the same number of columns on both sides: " +
                                   std::to_string(left.columns.size()) + " and " +
                                   std::to_string(right.columns.size()));
  }
  // Widen each column to the type both sides meet at.
  std::vector<DataType> types;
  bool cast_left = false, cast_right = false;
  for (size_t i = 0; i < left.columns.size(); ++i) {
    auto common = WiderType(left.columns[i].type, right.columns[i].type);
    if (!common) {
      return ErrorAt(query.span, std::string(op) + ": column " + std::to_string(i + 1) + " is " +
                                     left.columns[i].type.Sql() + " on the left and " +
                                     right.columns[i].type.Sql() + " on the right");
    }
    cast_left = cast_left || !common->SameType(left.columns[i].type);
    cast_right = cast_right || !common->SameType(right.columns[i].type);
    types.push_back(*common);
  }
  auto widen = [&](const TranslatedQuery& side, bool names_from_left) {
    std::vector<std::string> items;
    for (size_t i = 0; i < side.columns.size(); ++i) {
      Typed value{"__side." + QuoteIdentifier(side.sql_names[i]), side.columns[i].type};
      items.push_back(Coerce(value, types[i]).sql + " AS " +
                      QuoteIdentifier(names_from_left ? left.sql_names[i] : side.sql_names[i]));
    }
    return "SELECT " + Join(items, ", ") + " FROM (" + side.sql + ") AS __side";
  };
  TranslatedQuery out;
  out.sql_names = left.sql_names;
  for (size_t i = 0; i < left.columns.size(); ++i) {
    out.columns.push_back(Column{left.columns[i].name, types[i],
                                 left.columns[i].nullable || right.columns[i].nullable});
  }
  const std::string left_sql = cast_left ? widen(left, true) : left.sql;
  const std::string right_sql = cast_right ? widen(right, false) : right.sql;
  out.sql = "(" + left_sql + ") " + op + (query.set_all ? " ALL " : " ") + "(" + right_sql + ")";
  Scope scope;
  scope.outer = outer;
  SLUICE_RETURN_IF_ERROR(OrderAndLimit(query, scope, &out));
  return out;
}

Result<TranslatedQuery> Translator::ValuesQuery(const Query& query, const Scope* outer) {
  Scope scope;
  scope.outer = outer;
  std::vector<std::vector<Typed>> rows;
  size_t width = 0;
  for (const auto& row : query.rows) {
    std::vector<Typed> values;
    for (const ExprPtr& e : row) {
      ExprContext context;
      context.aggregates_allowed = false;
      context.windows_allowed = false;
      SLUICE_ASSIGN_OR_RETURN(Typed value, Translate(*e, scope, context));
      values.push_back(std::move(value));
    }
    if (!rows.empty() && values.size() != width) {
      return ErrorAt(query.span, "the rows of VALUES have different numbers of columns");
    }
    width = values.size();
    rows.push_back(std::move(values));
  }
  TranslatedQuery out;
  std::vector<DataType> types;
  for (size_t c = 0; c < width; ++c) {
    std::vector<DataType> column;
    for (const auto& row : rows) column.push_back(row[c].type);
    auto common = WiderCommonType(column);
    if (!common) {
      return ErrorAt(query.span, "column " + std::to_string(c + 1) +
                                     " of VALUES has values of types that do not meet");
    }
    types.push_back(*common);
    out.columns.push_back(Column{"col" + std::to_string(c + 1), *common, true});
    out.sql_names.push_back("col" + std::to_string(c + 1));
  }
  std::vector<std::string> row_sql;
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    for (size_t c = 0; c < width; ++c) {
      Typed cell = Coerce(row[c], types[c]);
      // Untyped NULLs need their type in every row, so DuckDB agrees with Spark.
      if (row[c].IsNullLiteral()) cell.sql = "CAST(NULL AS " + ToDuckDbType(types[c]) + ")";
      cells.push_back(cell.sql);
    }
    row_sql.push_back("(" + Join(cells, ", ") + ")");
  }
  std::vector<std::string> quoted;
  for (const std::string& name : out.sql_names) quoted.push_back(QuoteIdentifier(name));
  out.sql =
      "SELECT * FROM (VALUES " + Join(row_sql, ", ") + ") AS __values(" + Join(quoted, ", ") + ")";
  SLUICE_RETURN_IF_ERROR(OrderAndLimit(query, scope, &out));
  return out;
}

}  // namespace sluice::spark::internal
