// Spark SQL as data: the parse tree of queries and expressions.
//
// The parser (parser.h) builds it; AnnotateReferences (references.h) marks the relations a
// query reads from outside (pipeline datasets, path tables, file sources); the translator
// (translator.h) binds it against schemas and writes DuckDB SQL. Nodes own their children.
// Every node has the byte range it was parsed from, in the text given to the parser.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spark/diagnostics.h"
#include "spark/types.h"

namespace sluice::spark {

// Where a node was written: bytes [begin, end) of the parsed text, and the place of
// `begin` (1-based line and column).
struct Span {
  size_t begin = 0;
  size_t end = 0;
  int line = 0;
  int column = 0;
};

// The text a tree was parsed from, kept by the tree so that later errors can point into it.
struct SourceText {
  std::string file;
  std::string text;
  SourceLocation Locate(const Span& span) const;
};

struct Expr;
struct Query;
struct Relation;
using ExprPtr = std::unique_ptr<Expr>;
using QueryPtr = std::unique_ptr<Query>;
using RelationPtr = std::unique_ptr<Relation>;

enum class ExprKind {
  kLiteral,     // literal
  kColumn,      // parts: a, t.a, t.a.field, ...
  kStar,        // parts: the qualifier of t.* (empty for *); names: the EXCEPT list
  kUnary,       // op: "-", "+", "~", "NOT"; args[0]
  kBinary,      // op (upper case): "+", "-", "*", "/", "%", "DIV", "||", "AND", "OR", "=",
                // "<>", "<", "<=", ">", ">=", "<=>", "&", "|", "^", "<<", ">>", ">>>"
  kFunction,    // parts: the function name; args; distinct; ignore_nulls; filter; window
  kCase,        // args: [operand] when, then, when, then, ..., [else]; see has_operand/has_else
  kCast,        // args[0] AS type; try_cast for TRY_CAST
  kIn,          // args[0] IN (args[1..]) or IN (subquery); negated
  kExists,      // EXISTS (subquery)
  kSubquery,    // a scalar subquery
  kLike,        // args[0] op args[1] [ESCAPE escape]; op: "LIKE", "ILIKE", "RLIKE";
                // quantifier "ANY"/"ALL" with the patterns in args[1..]; negated
  kBetween,     // args[0] BETWEEN args[1] AND args[2]; negated
  kIsNull,      // args[0] IS [NOT] NULL; negated
  kIsBool,      // args[0] IS [NOT] TRUE | FALSE | UNKNOWN (op); negated
  kIsDistinct,  // args[0] IS [NOT] DISTINCT FROM args[1]; negated
  kLambda,      // names: the parameters; args[0]: the body
  kSubscript,   // args[0][args[1]]
  kField,       // args[0].name, on an expression that is not a plain name
  kJsonPath,    // args[0]:path, Databricks' JSON path on a string column; path in `name`
  kNamedArg,    // name => args[0], a named function argument
  kStruct,      // (a, b): a row constructor; args, with names from `aliases`
};

struct Literal {
  DataType type;       // kNull for NULL
  std::string text;    // numbers as written (no suffix), strings decoded, dates and
                       // timestamps as written, binary as hex digits, booleans true/false
  int64_t months = 0;  // intervals: the value as months, days and microseconds
  int64_t days = 0;
  int64_t micros = 0;
};

enum class FrameBoundKind {
  kUnboundedPreceding,
  kPreceding,
  kCurrentRow,
  kFollowing,
  kUnboundedFollowing
};

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  ExprPtr offset;  // kPreceding / kFollowing
};

struct WindowFrame {
  bool rows = true;  // ROWS or RANGE
  FrameBound start;
  FrameBound end;
};

struct SortItem {
  ExprPtr expr;
  bool ascending = true;
  std::optional<bool> nulls_first;  // absent: Spark's default (first for ASC, last for DESC)
};

struct WindowSpec {
  std::string base;  // a window named in the WINDOW clause, refined by what follows
  std::vector<ExprPtr> partition_by;
  std::vector<SortItem> order_by;
  std::optional<WindowFrame> frame;
  Span span;
};

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Span span;
  Literal literal;                   // kLiteral
  std::vector<std::string> parts;    // kColumn, kStar qualifier, kFunction name
  std::string op;                    // kUnary, kBinary, kLike, kIsBool
  std::string name;                  // kField, kJsonPath, kNamedArg
  std::vector<std::string> names;    // kStar EXCEPT list, kLambda parameters
  std::vector<std::string> aliases;  // kStruct and STRUCT(...) arguments: "" when unnamed
  std::vector<ExprPtr> args;
  DataType type;  // kCast target
  bool try_cast = false;
  bool negated = false;
  bool distinct = false;               // kFunction: f(DISTINCT ...)
  std::optional<bool> ignore_nulls;    // kFunction: IGNORE NULLS / RESPECT NULLS
  bool column_first = false;           // kFunction: USER, CURRENT_DATE, ... name a column first
  ExprPtr filter;                      // kFunction: FILTER (WHERE ...)
  std::unique_ptr<WindowSpec> window;  // kFunction: OVER (...) or OVER name
  std::vector<SortItem> within_group;  // kFunction: WITHIN GROUP (ORDER BY ...)
  std::string quantifier;              // kLike: "ANY" / "ALL"
  ExprPtr escape;                      // kLike: ESCAPE 'c'
  bool has_operand = false;            // kCase: CASE x WHEN ...
  bool has_else = false;               // kCase
  QueryPtr subquery;                   // kIn, kExists, kSubquery
};

struct Cte {
  std::string name;
  std::vector<std::string> columns;
  QueryPtr query;
  Span span;
};

struct SelectItem {
  ExprPtr expr;
  std::optional<std::string> alias;
  std::vector<std::string> aliases;  // AS (a, b): the columns of a generator
  Span span;
};

// A LATERAL VIEW [OUTER] generator(args) table_alias [AS] col, ... clause.
struct LateralView {
  bool outer = false;
  ExprPtr generator;
  std::string table_alias;
  std::vector<std::string> column_aliases;
  Span span;
};

// One element of GROUP BY: an expression, or ROLLUP / CUBE / GROUPING SETS.
struct GroupingElement {
  enum class Kind { kExpr, kRollup, kCube, kGroupingSets };
  Kind kind = Kind::kExpr;
  ExprPtr expr;                            // kExpr
  std::vector<std::vector<ExprPtr>> sets;  // the others: each a set of expressions
};

struct NamedWindow {
  std::string name;
  WindowSpec spec;
};

struct SelectBody {
  bool distinct = false;
  std::vector<SelectItem> items;
  std::vector<RelationPtr> from;  // a comma list: cross joins (or laterals), in order
  std::vector<LateralView> lateral_views;
  ExprPtr where;
  bool group_by_all = false;
  std::vector<GroupingElement> group_by;
  ExprPtr having;
  std::vector<NamedWindow> windows;
  ExprPtr qualify;
};

enum class QueryKind { kSelect, kSetOperation, kValues, kTable };
enum class SetOperation { kUnion, kIntersect, kExcept };

struct Query {
  QueryKind kind = QueryKind::kSelect;
  Span span;
  std::vector<Cte> ctes;                              // WITH ... of this query
  std::unique_ptr<SelectBody> select;                 // kSelect
  SetOperation set_operation = SetOperation::kUnion;  // kSetOperation: left op right
  bool set_all = false;                               // UNION ALL ...
  bool by_name = false;                               // UNION [ALL] BY NAME
  QueryPtr left, right;
  std::vector<std::vector<ExprPtr>> rows;  // kValues
  RelationPtr table;                       // kTable: TABLE t
  std::vector<SortItem> order_by;          // ORDER BY / SORT BY
  ExprPtr limit;
  ExprPtr offset;
};

enum class JoinType { kInner, kLeft, kRight, kFull, kCross, kLeftSemi, kLeftAnti };

enum class RelationKind {
  kTable,     // a name: a dataset, a CTE, a path table (format.`path`)
  kSubquery,  // (query)
  kJoin,      // left JOIN right
  kFunction,  // a table-valued function: range(), read_files(), explode(), ...
  kValues,    // VALUES (...), (...)
  kPivot,     // input PIVOT (...)
  kUnpivot,   // input UNPIVOT (...)
};

struct PivotValue {
  ExprPtr value;  // a literal, or a struct of literals for several pivot columns
  std::string alias;
};

struct PivotAggregate {
  ExprPtr aggregate;
  std::string alias;
};

// WATERMARK expr [AS name] DELAY OF interval after a relation (Databricks SQL): the
// relation's event time for stateful streaming. A named expression adds a column `name`.
struct Watermark {
  ExprPtr expr;
  std::string name;          // AS name; empty for a plain column, which names itself
  int64_t delay_micros = 0;  // the delay threshold, positive, days and time only
  Span span;                 // from WATERMARK to the end of the interval
};

struct Relation {
  RelationKind kind = RelationKind::kTable;
  Span span;       // the whole relation, including STREAM(...) and its options, without its alias
  Span name_span;  // kTable and kFunction: the name as written
  // kTable
  std::vector<std::string> name;  // as written; a path table is {format, path}
  bool path_table = false;        // format.`path`: name[0] is the format, name[1] the path
  bool streaming = false;         // STREAM t / STREAM(t)
  std::map<std::string, std::string> options;  // STREAM(t) WITH (k = v) / WITH (...) options
  ExprPtr version_as_of;                       // VERSION AS OF n
  ExprPtr timestamp_as_of;                     // TIMESTAMP AS OF t
  // kSubquery, kValues
  QueryPtr query;
  bool lateral = false;
  // kFunction: name(args); args may be kNamedArg
  std::vector<ExprPtr> args;
  // kJoin
  JoinType join_type = JoinType::kInner;
  bool natural = false;
  RelationPtr left, right;
  ExprPtr condition;
  std::vector<std::string> using_columns;
  // kPivot / kUnpivot: `left` is the input
  std::vector<PivotAggregate> pivot_aggregates;
  std::vector<std::vector<std::string>> pivot_columns;  // FOR col / FOR (a, b)
  std::vector<PivotValue> pivot_values;
  bool include_nulls = false;                             // UNPIVOT INCLUDE NULLS
  std::vector<std::string> unpivot_value_columns;         // UNPIVOT (v FOR n IN ...): v / (v1, v2)
  std::string unpivot_name_column;                        // n
  std::vector<std::vector<std::string>> unpivot_columns;  // IN (c, (c1, c2), ...)
  std::vector<std::string> unpivot_aliases;               // AS alias per IN entry ("" if none)
  // TABLESAMPLE (n PERCENT | n ROWS | BUCKET x OUT OF y)
  std::optional<std::string> sample;  // DuckDB's USING SAMPLE clause text
  // A table or subquery: its WATERMARK clause, if any.
  std::shared_ptr<const Watermark> watermark;
  // Any relation: AS alias (cols)
  std::optional<std::string> alias;
  std::vector<std::string> column_aliases;
  // The index of this relation among the references of the query it belongs to (see
  // references.h); -1 when not an external reference.
  int reference = -1;
};

// The relations in `relation` (itself included) that carry a WATERMARK clause, in the
// order they are written, through subqueries, joins and set operations.
void FindWatermarkedRelations(const Relation& relation, std::vector<const Relation*>* out);

// The conjuncts of a condition: its operands split at top-level ANDs, in order.
void SplitConjuncts(const Expr& condition, std::vector<const Expr*>* out);

}  // namespace sluice::spark
