// Spark SQL to DuckDB SQL with Spark's meaning.
//
// A parsed query is bound against the schemas of what it reads (given by the caller for
// each external reference, see references.h) and written as DuckDB SQL whose results are
// Spark's: names are resolved as Spark resolves them (case-insensitively), every
// expression gets Spark's type by Spark's coercion rules, and every function is Spark's
// function (the catalog in functions.h), or the query is refused naming what is not
// supported. The SQL calls helper macros and functions named spark_* that the engine
// must define first (SparkMacroDefinitions in macros.h, native functions in native.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "spark/ast.h"
#include "spark/parser.h"
#include "spark/types.h"

namespace sluice::spark {

// A column of a relation, in Spark's terms.
struct Column {
  std::string name;
  DataType type;
  bool nullable = true;
};

// A relation that a query reads from outside, as the caller provides it.
struct BoundRelation {
  // DuckDB SQL of the relation: a quoted view name, or a parenthesized query.
  std::string sql;
  // Its columns in order. DuckDB must hold each in ToDuckDbType(type); `source_types`, when
  // given, are the DuckDB types it really has, and columns whose type differs are cast.
  std::vector<Column> columns;
  std::vector<std::string> source_types;
};

class RelationResolver {
 public:
  virtual ~RelationResolver() = default;
  // The relation standing for an external reference of the query (Relation::reference).
  virtual Result<BoundRelation> Resolve(const Relation& relation) = 0;
};

// A relation of a query replaced by rows the caller provides (stateful streaming reads the
// input of an aggregation from its state store): DuckDB SQL of a table or parenthesized
// query whose first columns are `columns`, in order (more columns may follow, unnamed).
// The names a column may be qualified with (an alias, or a table name's last parts).
using ColumnQualifiers = std::vector<std::vector<std::string>>;

struct SubstituteRelation {
  std::string sql;
  std::vector<Column> columns;
  // For the rows of a join without an alias (TranslateRelationRows' qualifiers): the first
  // columns' own qualifiers, so that `i.ts` still names the column of the join's side `i`.
  // Empty: the relation's alias or name qualifies every column.
  std::vector<ColumnQualifiers> qualifiers;
};

// The Spark configuration a translation follows (SET spark.sql....).
struct TranslateOptions {
  bool ansi = false;                      // spark.sql.ansi.enabled
  std::string session_time_zone = "UTC";  // spark.sql.session.timeZone
  // spark.sql.legacy.timeParserPolicy: EXCEPTION (Spark's default: a text only Spark 2 would
  // parse is an error), CORRECTED (it is invalid, NULL) or LEGACY (refused).
  std::string time_parser_policy = "EXCEPTION";
  // Functions sluice defines beyond Spark's catalog (e.g. cloud_files_state), by name:
  // the DuckDB SQL template with {0}, {1}, ... for the arguments, and the result type.
  struct Extension {
    std::string sql;
    DataType type;
    std::string display_name;  // the name in result column names; empty: the function's
  };
  std::map<std::string, Extension> extensions;
  // Table functions sluice defines beyond Spark's (name lowercase), resolved by the caller
  // like external references (the relation's `reference` is -1; Resolve is called).
  std::vector<std::string> table_functions;
  // Only the time windows that end in (low, high], in microseconds since the epoch; unset:
  // all. When set, every SELECT with a time window (window(...) or session_window(...), see
  // time_window.h) keeps the rows whose window ends after `low` and at or before `high`,
  // and drops the others: after rows are repeated once per window (sliding windows) and
  // merged into sessions (session windows), before they are aggregated, so that a window is
  // in the result with all of its rows or not at all. The streaming runtime passes
  // (previous watermark, current watermark] to emit exactly the windows a watermark closed.
  // SELECTs without a time window are not filtered.
  std::optional<std::pair<int64_t, int64_t>> time_window_end_bounds;
  // The aggregating SELECT `select` reads rows of partial aggregates from its FROM item (a
  // substitute holding TranslatePartialAggregate's rows, the partial columns included): its
  // aggregates combine the partial columns (counts and sums add, min and max keep the
  // least and greatest) into the types and values the input rows would give, and its WHERE
  // clause, applied to the input rows already, is not applied again.
  struct MergePartials {
    const SelectBody* select = nullptr;
    size_t partial_columns = 0;  // how many the rows carry
  };
  std::optional<MergePartials> merge_partials;
  // TranslatePartialAggregate of a time window: after kPartialRowsColumn, one more column,
  // kPartialTimeMaxColumn, the greatest time of the row's input rows in microseconds since
  // the epoch (BIGINT), so that the streaming runtime learns the batch's largest event time
  // from the partial rows instead of scanning the input again.
  bool partial_time_max = false;
  // Relations of the translated query (by address in its tree) read from the given rows
  // instead of being translated; their alias or table name still qualifies their columns.
  std::map<const Relation*, SubstituteRelation> substitutes;
  // Joins of the translated query (by address in its tree) translated otherwise: the
  // streaming runtime runs a join of two streams piecewise, over new rows and state.
  struct JoinOverride {
    JoinType type = JoinType::kInner;  // instead of the join's own type
    // Which conjuncts of the ON condition (split at its top-level ANDs) are kept: all, or
    // only those that read the left (right) side alone, Spark's pre-join filter of that
    // side (none kept: ON TRUE).
    enum class Conjuncts { kAll, kLeftOnly, kRightOnly };
    Conjuncts conjuncts = Conjuncts::kAll;
  };
  std::map<const Relation*, JoinOverride> joins;
};

struct Translation {
  std::string sql;              // DuckDB SQL
  std::vector<Column> columns;  // the result's columns, with Spark's names and types
  // TranslateRelationRows: each column's qualifiers in the FROM item (its side's alias for
  // the rows of a join).
  std::vector<ColumnQualifiers> qualifiers;
};

// Translates a query. Errors name the place in the source text (file:line:col).
Result<Translation> TranslateQuery(const ParsedQuery& query, RelationResolver& resolver,
                                   const TranslateOptions& options);

// The rows of one FROM item of `query` (`relation` is a node of its tree), as
// `SELECT * FROM relation` gives them, with its WATERMARK column and the query's CTEs in
// scope. The SQL names its columns c0, c1, ... in the order of Translation::columns.
Result<Translation> TranslateRelationRows(const ParsedQuery& query, const Relation& relation,
                                          RelationResolver& resolver,
                                          const TranslateOptions& options);

// The partial aggregates of the aggregating SELECT `select` of `query`, for stateful
// streaming, which keeps them between batches instead of the input rows: the rows of its one
// FROM item (normally a substitute in `options`) filtered by its WHERE clause, then one row
// per group and pane of time. A pane is a slice of the time window's axis as long as the
// greatest common divisor of the window's duration and slide: every time of a pane is in
// the same windows, so a tumbling window's pane is the window and a sliding window's rows
// are not repeated per window. A partial row has the FROM item's columns c0, c1, ... (the
// grouping columns with their values, the window's time column with its pane's start, the
// others NULL), then the partial columns PartialColumnName(0), ... (a count, an exact sum,
// a minimum...), whose types Translation::columns gives after the FROM item's, and last
// kPartialRowsColumn, the number of input rows the partial row stands for.
// Translating `query` with merge_partials over such rows, a group's in any number and
// order, gives what translating it over the input rows would give.
// NotSupported, with the reason, when the aggregation does not split so: an aggregate other
// than count, count_if, sum and avg of integers, of decimals of fewer than 28 digits or of
// ANSI intervals, min, max, bool_and, bool_or, bit_and, bit_or and bit_xor; a DISTINCT
// aggregate; a grouping key other than a column of the FROM item or one tumbling or sliding
// window() of one; grouping sets, GROUP BY ALL, `*`, LATERAL VIEW or a generator.
Result<Translation> TranslatePartialAggregate(const ParsedQuery& query, const SelectBody& select,
                                              RelationResolver& resolver,
                                              const TranslateOptions& options);

// The name of column `i` of TranslateRelationRows' rows (and of the FROM item's columns in
// TranslatePartialAggregate's): c0, c1, ...
inline std::string RowColumnName(size_t i) { return "c" + std::to_string(i); }

// The name of partial column `i` of TranslatePartialAggregate's rows.
std::string PartialColumnName(size_t i);
inline constexpr const char* kPartialRowsColumn = "__sluice_partial_rows";
inline constexpr const char* kPartialTimeMaxColumn = "__sluice_partial_time_max";

// Translates one expression over the columns of `input` (a boolean condition such as an
// expectation, or a sequencing expression), which the SQL refers to by their quoted names.
// `source_types`, when given, are the DuckDB types the columns really have (see
// BoundRelation). The result has one column: the expression.
Result<Translation> TranslateExpression(const ParsedExpression& expression,
                                        const std::vector<Column>& input,
                                        const TranslateOptions& options,
                                        const std::vector<std::string>& source_types = {});

}  // namespace sluice::spark
