// Filters on Delta scans: a small expression tree parsed from SQL text.
//
// A user's filter (`--where "id > 5 AND letter = 'a'"`) is DuckDB SQL. DuckDB always applies
// it to the rows; this tree exists so that data skipping (data_skipping.h) can reason about
// the parts it understands: column references, literals, comparisons, IS NULL, IN, BETWEEN,
// LIKE and the boolean connectives. Everything else (function calls, arithmetic, CASE,
// subqueries...) parses as an OpaqueExpr that keeps its text, so DuckDB still runs it and
// skipping treats it as "unknown". Only malformed text is an error.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace sluice::delta {

class Expression;
using ExpressionPtr = std::unique_ptr<Expression>;

// How tightly an expression binds when printed: a child that binds less tightly than its
// context requires is printed in parentheses.
enum class Precedence { kOr = 1, kAnd, kNot, kPredicate, kArithmetic, kAtom };

// A column, or a field inside struct columns: {"a", "b"} for `a.b`. Names are as written
// (unquoted); SQL matches them case-insensitively.
struct ColumnExpr {
  std::vector<std::string> path;
};

struct LiteralExpr {
  enum class Kind { kNull, kBoolean, kInteger, kDecimal, kFloat, kString, kTyped };
  Kind kind = Kind::kNull;
  // kBoolean: "true" or "false". Numbers: their text as written, with a leading '-' for
  // negative values ("-5", "1.50", "2e3"). kString, kTyped: the unquoted text.
  std::string text;
  // kTyped only: the DuckDB type of a `TYPE 'text'` literal: "DATE", "TIME", "TIMESTAMP"
  // (also for TIMESTAMP_NTZ), "TIMESTAMPTZ" (also for TIMESTAMP_LTZ) or "INTERVAL".
  std::string type;
};

// CAST(operand AS type), TRY_CAST(...) and operand::type.
struct CastExpr {
  ExpressionPtr operand;
  std::string type;  // as written, e.g. "DECIMAL(10, 2)"
  bool is_try = false;
};

enum class CompareOp {
  kEqual,          // = ==
  kNotEqual,       // != <>
  kLess,           // <
  kLessEqual,      // <=
  kGreater,        // >
  kGreaterEqual,   // >=
  kNullSafeEqual,  // <=> and IS NOT DISTINCT FROM: NULL equals NULL, never NULL itself
  kDistinct,       // IS DISTINCT FROM: the negation of kNullSafeEqual
};

struct CompareExpr {
  CompareOp op = CompareOp::kEqual;
  ExpressionPtr left;
  ExpressionPtr right;
};

// operand IS [NOT] NULL
struct IsNullExpr {
  ExpressionPtr operand;
  bool negated = false;
};

// operand [NOT] IN (values...)
struct InExpr {
  ExpressionPtr operand;
  std::vector<ExpressionPtr> values;
  bool negated = false;
};

// operand [NOT] BETWEEN low AND high
struct BetweenExpr {
  ExpressionPtr operand;
  ExpressionPtr low;
  ExpressionPtr high;
  bool negated = false;
};

// operand [NOT] LIKE|ILIKE pattern [ESCAPE escape]
struct LikeExpr {
  ExpressionPtr operand;
  ExpressionPtr pattern;
  ExpressionPtr escape;  // null without an ESCAPE clause
  bool negated = false;
  bool case_insensitive = false;  // ILIKE
};

// Two or more operands; a chain `a AND b AND c` is one node.
struct AndExpr {
  std::vector<ExpressionPtr> operands;
};
struct OrExpr {
  std::vector<ExpressionPtr> operands;
};
struct NotExpr {
  ExpressionPtr operand;
};

// Any other SQL, kept as text around the sub-expressions it contains:
// text[0] children[0] text[1] ... children[n-1] text[n]. The children are parsed when the
// grammar allows (function arguments, arithmetic operands) so that their columns are known;
// text this parser does not model (e.g. `count(*)`, `extract(year FROM d)`, subqueries) is
// kept verbatim with no children.
struct OpaqueExpr {
  std::vector<std::string> text;
  std::vector<ExpressionPtr> children;
  Precedence precedence = Precedence::kAtom;
  // True when the surrounding text delimits every child (function arguments, CASE parts),
  // so children never need parentheses; false for operators (`a + b`).
  bool delimited = true;
};

class Expression {
 public:
  using Node = std::variant<ColumnExpr, LiteralExpr, CastExpr, CompareExpr, IsNullExpr, InExpr,
                            BetweenExpr, LikeExpr, AndExpr, OrExpr, NotExpr, OpaqueExpr>;

  explicit Expression(Node node) : node_(std::move(node)) {}

  const Node& node() const { return node_; }
  Node& node() { return node_; }

  // The node if it is a T, else null.
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&node_);
  }
  template <typename T>
  T* As() {
    return std::get_if<T>(&node_);
  }

  // DuckDB SQL with the same meaning as the parsed text. Identifiers are quoted where
  // needed, `<=>` prints as IS NOT DISTINCT FROM, TIMESTAMP_NTZ literals as TIMESTAMP, and
  // nested connectives get parentheses: `a OR b AND c` prints as `a OR (b AND c)`.
  std::string ToSql() const;
  // The same, with every column reference printed by `column_sql` (e.g. to substitute a
  // partition value or a physical column name).
  std::string ToSql(const std::function<std::string(const ColumnExpr&)>& column_sql) const;

  Precedence precedence() const;
  ExpressionPtr Clone() const;

 private:
  Node node_;
};

template <typename T>
ExpressionPtr MakeExpression(T node) {
  return std::make_unique<Expression>(Expression::Node(std::move(node)));
}

// Parses a whole filter. Errors are InvalidArgument with the 1-based character column and
// the text with a caret under it:
//   filter: unexpected ')' at column 7
//     id > 5)
//           ^
Result<ExpressionPtr> ParsePredicate(std::string_view sql);

// Every column path the expression mentions (including inside function arguments), each
// once, in order of first appearance. Columns inside text kept verbatim are not found.
std::vector<std::vector<std::string>> ReferencedColumns(const Expression& expr);

// Calls `visit` on each direct child of `expr`, left to right as printed.
void ForEachChild(const Expression& expr, const std::function<void(const Expression&)>& visit);

// `a.b` with each part quoted when it is not a plain identifier or is a keyword.
std::string ColumnPathToSql(const std::vector<std::string>& path);

}  // namespace sluice::delta
