// The binder and writer behind translator.h, shared by translate_*.cc, cast.cc and the
// function catalog (functions*.cc).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spark/ast.h"
#include "spark/translator.h"

namespace sluice::spark::internal {

// A translated expression: its DuckDB SQL and its Spark type. DuckDB holds the value in
// exactly ToDuckDbType(type); every piece of the translator keeps that invariant.
struct Typed {
  std::string sql;
  DataType type;
  bool nullable = true;
  std::string name;  // Spark's name of the expression (its column name)
  // The name of the expression as a select item without an alias, when it is not `name`:
  // Spark's analyzer names a CAST of a column after the column (`CAST(a AS INT)` is `a`).
  std::optional<std::string> item_name;
  bool column = false;             // a column of a relation (not a field inside one)
  std::optional<Literal> literal;  // the value, when the expression is a literal
  bool aggregate = false;          // contains an aggregate function (outside a window)
  bool window = false;             // contains a window function

  bool IsNullLiteral() const { return literal && literal->type.is(TypeId::kNull); }
  // The string value of a string literal (or nullopt).
  std::optional<std::string> StringValue() const;
  std::optional<int64_t> IntValue() const;  // an integral literal
};

struct ScopeColumn {
  std::string name;  // Spark's name
  DataType type;
  bool nullable = true;
  std::string sql;  // how the query refers to it, e.g. "__r1"."c0"
  // A key of a USING / NATURAL join, listed once (in the join's own entry) for * and
  // unqualified references; the two sides' copies are reachable only when qualified.
  bool qualified_only = false;
  // A metadata column (the _metadata of file sources): named, never in * or t.*.
  bool hidden = false;
};

struct ScopeRelation {
  // The names the relation's columns may be qualified with: its alias, or its table name
  // (last part), with the full name as written as an alternative.
  std::vector<std::vector<std::string>> qualifiers;
  std::vector<ScopeColumn> columns;
};

// A select list entry, as ORDER BY, GROUP BY and HAVING may refer to it by name.
struct SelectOutput {
  std::string name;
  Typed value;
  bool has_alias = false;
};

// What names mean where an expression is translated.
struct Scope {
  std::vector<ScopeRelation> relations;
  const Scope* outer = nullptr;  // the query around a subquery (correlated references)
  // Lambda parameters in scope: Spark name -> the DuckDB variable and its type.
  std::vector<std::pair<std::string, Typed>> lambda_variables;
  // Select-list names (ORDER BY, HAVING, GROUP BY), tried after the columns.
  const std::vector<SelectOutput>* select_outputs = nullptr;
  bool select_outputs_first = false;  // ORDER BY prefers output names over input columns
  const std::map<std::string, const WindowSpec*>* windows = nullptr;  // WINDOW clause
  // The query's GROUP BY, for grouping() and grouping_id().
  const std::vector<GroupingElement>* group_by = nullptr;
};

// A translated query or relation body.
struct TranslatedQuery {
  std::string sql;                           // a SELECT (not parenthesized)
  std::vector<Column> columns;               // Spark's names and types
  std::vector<std::string> sql_names;        // the DuckDB names of its output columns
  std::vector<ColumnQualifiers> qualifiers;  // TranslateFromItem: each column's qualifiers
};

class Translator;

// Partial aggregation (partial_aggregate.cc, translator.h's TranslatePartialAggregate and
// merge_partials): the SELECT whose aggregate calls are split, and what splitting them found.
struct PartialSplit {
  const SelectBody* select = nullptr;
  bool merge = false;   // combining partial columns (else computing them from input rows)
  bool active = false;  // translating `select` itself (not a subquery inside it)
  // Computing: each partial column's SQL over the input rows, and its Spark type.
  std::vector<std::string> partials;
  std::vector<DataType> types;
  size_t merged = 0;    // combining: the partial columns read so far
  std::string refusal;  // why the aggregates do not split (the first reason found)
  Span refusal_at;
};

// One call of a function in the catalog, as its translator sees it.
struct Call {
  Translator& translator;
  const Expr& node;
  const Scope& scope;
  std::string name;              // lower case, as called
  std::vector<Typed> args;       // translated arguments (a lambda's entry is empty)
  std::vector<const Expr*> raw;  // the arguments as written
  std::string over;              // " OVER (...)" for a window call, else empty
  std::string filter;            // FILTER (WHERE ...) condition, as SQL, else empty
  bool distinct = false;
  std::optional<bool> ignore_nulls;

  const TranslateOptions& options() const;
  Status Error(std::string_view message) const;  // at the call
  Status ArgError(size_t i, std::string_view message) const;
  // The name Spark gives the call's column: name(arg, ...).
  std::string DefaultName() const;
  // A result with the default name, the aggregate/window flags of the arguments.
  Typed Result(std::string sql, DataType type, bool nullable = true) const;
  // An aggregate call with this call's DISTINCT, FILTER (and `extra_filter` ANDed in) and
  // OVER: `fn([DISTINCT] args) FILTER (WHERE ...) OVER (...)`.
  std::string Aggregate(std::string_view function, const std::vector<std::string>& args,
                        std::string_view extra_filter = "", std::string_view inside = "") const;
  // Translates lambda argument i with parameters of the given types: `lambda a, b: body`.
  ::sluice::Result<Typed> Lambda(size_t i, const std::vector<DataType>& parameters);
  // A lambda parameter as the body reads it: its Spark type and the DuckDB SQL of its value
  // over the DuckDB lambda's own parameters, {0}, {1}, ... (empty: the parameter of the same
  // position), e.g. "CAST({1} - 1 AS INTEGER)" for Spark's 0-based index.
  struct LambdaParameter {
    DataType type;
    std::string read;
  };
  // Translates lambda argument i as a DuckDB lambda of `arity` parameters whose body reads
  // the Spark parameters as `parameters` say.
  ::sluice::Result<Typed> Lambda(size_t i, const std::vector<LambdaParameter>& parameters,
                                 size_t arity);
  // How many parameters lambda argument i names (0 when the argument is not a lambda).
  size_t LambdaArity(size_t i) const;
};

enum class FunctionKind { kScalar, kAggregate, kWindow, kGenerator };

// What a generator produces: rows of these columns, by a SELECT that may refer to the
// columns of the scope it was called in (it runs as a LATERAL subquery).
struct Generated {
  std::string select_sql;       // e.g. SELECT unnest(...) AS "c0"
  std::vector<Column> columns;  // Spark's default names and types
  std::vector<std::string> sql_names;
  bool outer = false;  // keep input rows with no output (explode_outer)
};

struct FunctionDef {
  FunctionKind kind = FunctionKind::kScalar;
  int min_args = 0;
  int max_args = 0;                                           // -1: any number
  std::function<::sluice::Result<Typed>(Call& call)> scalar;  // scalar, aggregate, window
  std::function<::sluice::Result<Generated>(Call& call)> generator;
  // Arguments that are lambdas are not translated before the call (Call::Lambda does it).
  bool takes_lambdas = false;
  bool within_group = false;  // accepts WITHIN GROUP (ORDER BY ...) (Call::node.within_group)
  bool framed = false;        // a window function computed over the frame (nth_value)
  const char* group = "";     // Spark's function group, for documentation and reports
};

// The built-in functions, by lower-case name.
const std::map<std::string, FunctionDef>& Functions();

struct ExprContext {
  bool aggregates_allowed = true;
  bool windows_allowed = true;
  bool generators_allowed = false;
};

class Translator {
 public:
  Translator(std::shared_ptr<const SourceText> source, RelationResolver* resolver,
             const TranslateOptions& options)
      : source_(std::move(source)), resolver_(resolver), options_(options) {}

  const TranslateOptions& options() const { return options_; }
  const SourceText& source() const { return *source_; }

  // Queries (translate_query.cc).
  Result<TranslatedQuery> TranslateQuery(const Query& query, const Scope* outer);
  // SELECT * FROM `relation`, a FROM item somewhere in `query`, with the CTEs of `query`.
  Result<TranslatedQuery> TranslateFromItem(const Query& query, const Relation& relation);
  // Translates the CTEs of `query` (with `outer` in scope) and puts them in scope (`ctes`);
  // appends each one's `name AS (...)` to `with`. The caller ends their scope.
  Status TranslateCtes(const Query& query, const Scope* outer, std::vector<std::string>* with);
  // Expressions (translate_expr.cc).
  Result<Typed> Translate(const Expr& expr, const Scope& scope, const ExprContext& context);
  // A condition: a boolean (or NULL) expression.
  Result<Typed> Condition(const Expr& expr, const Scope& scope, const ExprContext& context,
                          std::string_view what);

  // Casts (cast.cc): the SQL of `value` cast to `to` with Spark's CAST semantics
  // (TRY_CAST's when `try_cast`, ANSI's when options().ansi, else Spark's default mode).
  Result<std::string> CastSql(const Typed& value, const DataType& to, bool try_cast,
                              const Span& at);
  // An implicit cast (coercion): Spark's CAST semantics, never an error for a value.
  Typed Coerce(const Typed& value, const DataType& to);
  // The value as Spark's string (CAST(x AS STRING)).
  std::string ToStringSql(const Typed& value);

  Status ErrorAt(const Span& at, std::string_view message) const;
  Status UnsupportedAt(const Span& at, std::string_view message) const;
  std::string NewAlias();           // a unique relation alias, quoted
  std::string NewLambdaVariable();  // a unique lambda parameter name

  // Relations (translate_relation.cc).
  Status TranslateFrom(const std::vector<RelationPtr>& from, const Scope* outer, std::string* sql,
                       Scope* scope);
  Status TranslateLateralView(const LateralView& view, std::string* sql, Scope* scope);
  // A generator call in a select list, made a LATERAL join of the FROM clause; the
  // generator's columns are added to `scope` and returned.
  Result<std::vector<ScopeColumn>> JoinGenerator(const Expr& call, bool outer,
                                                 const std::string& table_alias,
                                                 const std::vector<std::string>& aliases,
                                                 std::string* sql, Scope* scope);

  // Resolving names (translate_expr.cc).
  Result<Typed> ResolveColumn(const Expr& column, const Scope& scope);

  // CTEs visible where a relation is translated, innermost last.
  struct CteEntry {
    std::string name;  // lower case
    std::string sql_name;
    std::vector<Column> columns;
    std::vector<std::string> sql_names;
  };
  std::vector<CteEntry> ctes;
  // A condition every aggregate translated now also filters on (PIVOT's value test).
  std::string aggregate_filter;
  // Partial aggregation: set by TranslatePartialAggregate and by merge_partials.
  PartialSplit* partial = nullptr;
  // The aggregate `sql` (a call of DuckDB's `function`) of a call in the SELECT being split:
  // computing partials, it is recorded as a partial column; combining, the SQL that combines
  // that partial column. A call that does not split records the refusal.
  std::string SplitAggregate(const Call& call, std::string_view function, const std::string& sql);
  // TranslatePartialAggregate: the partial rows of `select`, a SELECT inside `query`.
  Result<TranslatedQuery> TranslatePartialRows(const Query& query, const SelectBody& select);

 private:
  Result<TranslatedQuery> Select(const Query& query, const Scope* outer);
  // The partial rows of the SELECT being split (partial_aggregate.cc): `from_sql` and
  // `scope` after its time window (a pane), `where` its WHERE and time window conditions,
  // `keys` its GROUP BY expressions, then the window's column and time and the pane's start
  // (TimeWindowRewrite).
  Result<TranslatedQuery> PartialSelect(const SelectBody& body, const Scope& scope,
                                        const std::string& from_sql, const std::string& where,
                                        const std::vector<std::string>& keys,
                                        const std::string& window_column,
                                        const std::string& window_time,
                                        const std::string& pane_micros,
                                        const std::string& pane_start);
  Result<TranslatedQuery> SetOperationQuery(const Query& query, const Scope* outer);
  Result<TranslatedQuery> ValuesQuery(const Query& query, const Scope* outer);
  Status OrderAndLimit(const Query& query, const Scope& scope, TranslatedQuery* out);

  Result<std::string> RelationSql(const Relation& relation, const Scope* outer, Scope* scope);
  // Checks a relation's WATERMARK clause against its columns (the last entry of `scope`)
  // and adds the column a named watermark expression defines.
  Status ApplyWatermark(const Relation& relation, Scope* scope);
  Result<std::string> SubstituteSql(const Relation& relation, const SubstituteRelation& substitute,
                                    Scope* scope);
  Result<std::string> RelationSqlWithoutWatermark(const Relation& relation, const Scope* outer,
                                                  Scope* scope);
  Result<std::string> TableSql(const Relation& relation, Scope* scope);
  Result<std::string> TableFunctionSql(const Relation& relation, const Scope* outer, Scope* scope);
  Result<std::string> JoinSql(const Relation& relation, const Scope* outer, Scope* scope);
  Result<std::string> PivotSql(const Relation& relation, const Scope* outer, Scope* scope);
  Result<std::string> UnpivotSql(const Relation& relation, const Scope* outer, Scope* scope);
  // A relation made of a query's output, aliased; adds its columns to `scope`.
  std::string DerivedRelation(const TranslatedQuery& query, const Relation* relation,
                              const std::vector<std::string>& default_qualifier, Scope* scope);

  std::shared_ptr<const SourceText> source_;
  RelationResolver* resolver_;
  const TranslateOptions& options_;
  std::vector<std::string> with_;  // TranslateFromItem: the CTEs it translated
  int next_alias_ = 0;
  int next_variable_ = 0;
};

// Spark's literal SQL in DuckDB, with the literal's Spark name (strings unquoted).
Typed LiteralTyped(const Literal& literal);

// The wall-clock time (a DuckDB TIMESTAMP) a text `x` of one of the fixed-width `forms`
// holds (spark_fixed_datetime, tried in order); NULL for other texts, which the caller
// hands to the full reader.
std::string FixedDatetimeSql(const std::string& x, const std::vector<std::string>& forms);

}  // namespace sluice::spark::internal
