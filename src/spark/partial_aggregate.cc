// Partial aggregation (translator.h, TranslatePartialAggregate and merge_partials): an
// aggregating SELECT split into partial aggregates of its input rows, one row per group and
// pane of time, and a merge of such rows that gives the SELECT's own results.
//
// The split happens at DuckDB's aggregate calls (Call::Aggregate), below the SQL that gives
// an aggregate Spark's type and overflow rules: sum(v) over LONG is
// spark_wrap_long_huge(sum(CAST(v AS HUGEINT))), so its partial column holds the exact sum of
// a pane and the merge wraps the sum of the partial sums. Only calls whose partial values
// combine exactly, in any order, split: counts, sums of exact numbers, min, max and the
// boolean and bitwise folds.
#include <set>

#include "common/strings.h"
#include "spark/coercion.h"
#include "spark/translator_internal.h"

namespace sluice::spark {

std::string PartialColumnName(size_t i) { return "__sluice_partial_" + std::to_string(i); }

namespace internal {
namespace {

// How the partial values of one aggregate call combine.
enum class Combine {
  kCount,     // a count (BIGINT): added
  kCountIf,   // count_if's count, a HUGEINT in DuckDB, kept as a BIGINT: added, as a HUGEINT
  kSum,       // a sum of decimals or of integers as doubles: added, in the partial's type
  kExactSum,  // a HUGEINT sum, kept as DECIMAL(38, 0) (Parquet has no HUGEINT): added
  kSelf,      // min, max, bool_and, ...: the same aggregate of the partial values
};

struct Split {
  Combine combine = Combine::kSelf;
  DataType type;  // the partial column's type
};

// How the aggregate `function` (DuckDB's) of `call` splits, or a reason why it does not.
Result<Split> SplitOf(const Call& call, std::string_view function, const std::string& sql) {
  if (call.distinct) return NotSupported("a DISTINCT aggregate");
  if (function == "count") return Split{Combine::kCount, DataType::Of(TypeId::kLong)};
  if (function == "count_if") return Split{Combine::kCountIf, DataType::Of(TypeId::kLong)};
  static const std::set<std::string_view> kSelf = {"min",     "max",    "bool_and", "bool_or",
                                                   "bit_and", "bit_or", "bit_xor"};
  if (kSelf.count(function)) {
    // The partial value has the type of the argument, which must be the call's first.
    if (call.args.empty() ||
        !StartsWith(sql, std::string(function) + "(" + call.args[0].sql + ")")) {
      return NotSupported(std::string(function) + " of a computed argument");
    }
    return Split{Combine::kSelf, call.args[0].type};
  }
  if (function == "sum" && !call.args.empty()) {
    const DataType& in = call.args[0].type;
    if (in.is(TypeId::kDayTimeInterval) || in.is(TypeId::kYearMonthInterval)) {
      return Split{Combine::kExactSum, DataType::Decimal(38, 0)};
    }
    if (in.IsIntegral()) {
      // sum and try_sum add integers exactly (HUGEINT); avg adds them as doubles, which is
      // exact below 2^53 whatever the order.
      if (call.name == "sum" || call.name == "try_sum") {
        return Split{Combine::kExactSum, DataType::Decimal(38, 0)};
      }
      return Split{Combine::kSum, DataType::Of(TypeId::kDouble)};
    }
    // DuckDB adds decimals exactly into DECIMAL(38, s); Spark's sum of 28 digits or more
    // checks the total against 38 digits, which partial sums could exceed on their own.
    if (in.is(TypeId::kDecimal) && in.precision < 28) {
      return Split{Combine::kSum, DataType::Decimal(38, in.scale)};
    }
    return NotSupported("a sum of " + in.Sql() +
                        " (floating-point sums depend on the order of the rows)");
  }
  return NotSupported("the aggregate " + call.name);
}

// The column of `scope` named `name`, or null.
const ScopeColumn* FindColumn(const Scope& scope, const std::string& name) {
  for (const ScopeRelation& relation : scope.relations) {
    for (const ScopeColumn& column : relation.columns) {
      if (column.name == name) return &column;
    }
  }
  return nullptr;
}

const Query* FindQuery(const Query& query, const SelectBody* select);

const Query* FindInRelation(const Relation& relation, const SelectBody* select) {
  if (relation.query) {
    if (const Query* found = FindQuery(*relation.query, select)) return found;
  }
  for (const RelationPtr* side : {&relation.left, &relation.right}) {
    if (*side) {
      if (const Query* found = FindInRelation(**side, select)) return found;
    }
  }
  return nullptr;
}

// The query whose SELECT is `select`, in `query` or its CTEs, set operations and FROM items.
const Query* FindQuery(const Query& query, const SelectBody* select) {
  if (query.select.get() == select) return &query;
  for (const Cte& cte : query.ctes) {
    if (const Query* found = FindQuery(*cte.query, select)) return found;
  }
  for (const QueryPtr* side : {&query.left, &query.right}) {
    if (*side) {
      if (const Query* found = FindQuery(**side, select)) return found;
    }
  }
  if (query.select) {
    for (const RelationPtr& relation : query.select->from) {
      if (const Query* found = FindInRelation(*relation, select)) return found;
    }
  }
  return nullptr;
}

}  // namespace

std::string Translator::SplitAggregate(const Call& call, std::string_view function,
                                       const std::string& sql) {
  auto split = SplitOf(call, function, sql);
  if (!split.ok()) {
    if (partial->refusal.empty()) {
      partial->refusal = "partial aggregates of " + split.status().message();
      partial->refusal_at = call.node.span;
    }
    return sql;
  }
  if (!partial->merge) {
    std::string stored = sql;
    if (split->combine == Combine::kExactSum) stored = "CAST(" + sql + " AS DECIMAL(38, 0))";
    if (split->combine == Combine::kCountIf) stored = "CAST(" + sql + " AS BIGINT)";
    partial->partials.push_back(std::move(stored));
    partial->types.push_back(split->type);
    return sql;
  }
  const ScopeColumn* column = FindColumn(call.scope, PartialColumnName(partial->merged++));
  if (column == nullptr) {
    if (partial->refusal.empty()) {
      partial->refusal =
          "partial aggregates: the rows lack partial column " + std::to_string(partial->merged - 1);
      partial->refusal_at = call.node.span;
    }
    return sql;
  }
  switch (split->combine) {
    case Combine::kCount:
      return "CAST(sum(" + column->sql + ") AS BIGINT)";
    case Combine::kSum:
      return "sum(" + column->sql + ")";
    case Combine::kCountIf:
    case Combine::kExactSum:
      return "CAST(sum(" + column->sql + ") AS HUGEINT)";
    case Combine::kSelf:
      break;
  }
  return std::string(function) + "(" + column->sql + ")";
}

Result<TranslatedQuery> Translator::PartialSelect(
    const SelectBody& body, const Scope& scope, const std::string& from_sql,
    const std::string& where, const std::vector<std::string>& keys,
    const std::string& window_column, const std::string& window_time,
    const std::string& pane_micros, const std::string& pane_start) {
  // The FROM item's columns are the scope's first relation; a time window adds one more.
  const size_t relations = window_column.empty() ? 1 : 2;
  if (body.from.size() != 1 || scope.relations.size() != relations) {
    return UnsupportedAt(body.from.empty() ? Span{} : body.from[0]->span,
                         "partial aggregates of a SELECT that reads more than one relation");
  }
  const ScopeRelation& input = scope.relations[0];
  const std::set<std::string> key_set(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    bool column = key == window_column;
    for (const ScopeColumn& c : input.columns) column = column || c.sql == key;
    if (!column) {
      return UnsupportedAt(body.from[0]->span,
                           "partial aggregates grouped by an expression (only columns and a "
                           "time window split)");
    }
  }
  TranslatedQuery out;
  std::vector<std::string> items;
  bool time_kept = window_column.empty();
  for (size_t i = 0; i < input.columns.size(); ++i) {
    const ScopeColumn& column = input.columns[i];
    const bool time = !window_column.empty() && column.sql == window_time;
    time_kept = time_kept || time;
    std::string item = key_set.count(column.sql) ? column.sql
                       : time                    ? pane_start
                              : "CAST(NULL AS " + ToDuckDbType(column.type) + ")";
    out.sql_names.push_back(RowColumnName(i));
    items.push_back(item + " AS " + out.sql_names.back());
    out.columns.push_back(Column{column.name, column.type, column.nullable});
  }
  if (!time_kept) {
    return UnsupportedAt(body.from[0]->span,
                         "partial aggregates of a time window whose time is not a column");
  }
  for (size_t j = 0; j < partial->partials.size(); ++j) {
    out.sql_names.push_back(PartialColumnName(j));
    items.push_back(partial->partials[j] + " AS " + QuoteIdentifier(out.sql_names.back()));
    out.columns.push_back(Column{out.sql_names.back(), partial->types[j], true});
  }
  out.sql_names.push_back(kPartialRowsColumn);
  items.push_back("count(*) AS " + QuoteIdentifier(kPartialRowsColumn));
  out.columns.push_back(Column{kPartialRowsColumn, DataType::Of(TypeId::kLong), false});
  if (options_.partial_time_max && !window_column.empty()) {
    out.sql_names.push_back(kPartialTimeMaxColumn);
    items.push_back("CAST(max(epoch_us(" + window_time + ")) AS BIGINT) AS " +
                    QuoteIdentifier(kPartialTimeMaxColumn));
    out.columns.push_back(Column{kPartialTimeMaxColumn, DataType::Of(TypeId::kLong), true});
  }
  std::vector<std::string> group_by;
  for (const std::string& key : keys) group_by.push_back(key == window_column ? pane_micros : key);
  out.sql = "SELECT " + Join(items, ", ") + " FROM " + from_sql;
  if (!where.empty()) out.sql += " WHERE " + where;
  if (!group_by.empty()) out.sql += " GROUP BY " + Join(group_by, ", ");
  return out;
}

Result<TranslatedQuery> Translator::TranslatePartialRows(const Query& query,
                                                         const SelectBody& select) {
  const Query* node = FindQuery(query, &select);
  if (node == nullptr) return Internal("the SELECT to split is not in the query");
  if (!node->order_by.empty() || node->limit || node->offset) {
    return UnsupportedAt(node->span, "partial aggregates with ORDER BY or LIMIT");
  }
  // A SELECT inside the query sees the query's CTEs.
  if (node != &query) {
    SLUICE_RETURN_IF_ERROR(TranslateCtes(query, nullptr, &with_));
  }
  SLUICE_ASSIGN_OR_RETURN(TranslatedQuery out, TranslateQuery(*node, nullptr));
  if (!with_.empty()) out.sql = "WITH " + Join(with_, ", ") + " " + out.sql;
  with_.clear();
  return out;
}

}  // namespace internal

Result<Translation> TranslatePartialAggregate(const ParsedQuery& query, const SelectBody& select,
                                              RelationResolver& resolver,
                                              const TranslateOptions& options) {
  AnsiCoercionScope coercion(options.ansi);
  internal::Translator translator(query.source, &resolver, options);
  internal::PartialSplit split;
  split.select = &select;
  translator.partial = &split;
  SLUICE_ASSIGN_OR_RETURN(internal::TranslatedQuery out,
                          translator.TranslatePartialRows(*query.query, select));
  Translation translation;
  translation.sql = std::move(out.sql);
  translation.columns = std::move(out.columns);
  return translation;
}

}  // namespace sluice::spark
