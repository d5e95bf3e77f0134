#include "spark/stream_join.h"

#include <algorithm>
#include <optional>

#include "common/strings.h"
#include "spark/diagnostics.h"

namespace sluice::spark {
namespace {

constexpr int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

void CollectQualifiers(const Relation& relation, std::vector<std::string>* out) {
  if (relation.alias) {
    out->push_back(*relation.alias);
  } else if (relation.kind == RelationKind::kTable && !relation.path_table &&
             !relation.name.empty()) {
    out->push_back(relation.name.back());
  }
  if (relation.kind == RelationKind::kJoin) {
    if (relation.left) CollectQualifiers(*relation.left, out);
    if (relation.right) CollectQualifiers(*relation.right, out);
  }
}

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  for (const std::string& candidate : names) {
    if (EqualsIgnoreCase(candidate, name)) return true;
  }
  return false;
}

// One term of a sum: a column of a side (0 left, 1 right) or a constant in microseconds.
struct Term {
  int side = -1;  // -1: a constant
  std::string column;
  int64_t micros = 0;
  bool negated = false;
};

class ConditionAnalysis {
 public:
  explicit ConditionAnalysis(StreamJoin& join) : join_(join) {}

  // The side a column reference belongs to, or -1 when unknown. Unqualified names are
  // known only when they name one side's event time column.
  int SideOf(const Expr& column) const {
    const StreamJoinSide* sides[2] = {&join_.left, &join_.right};
    if (column.parts.size() >= 2) {
      const std::string& qualifier = column.parts[column.parts.size() - 2];
      for (int s = 0; s < 2; ++s) {
        if (Contains(sides[s]->qualifiers, qualifier)) return s;
      }
      return -1;
    }
    const std::string& name = column.parts.back();
    const bool left = sides[0]->watermark && EqualsIgnoreCase(sides[0]->event_time, name);
    const bool right = sides[1]->watermark && EqualsIgnoreCase(sides[1]->event_time, name);
    if (left != right) return left ? 0 : 1;
    return -1;
  }

  // Splits `expr` into terms of a sum; false when it is not a sum of columns and
  // day-time intervals.
  bool Collect(const Expr& expr, bool negate, std::vector<Term>* terms) const {
    switch (expr.kind) {
      case ExprKind::kBinary:
        if (expr.op != "+" && expr.op != "-") return false;
        return Collect(*expr.args[0], negate, terms) &&
               Collect(*expr.args[1], expr.op == "-" ? !negate : negate, terms);
      case ExprKind::kUnary:
        if (expr.op == "+") return Collect(*expr.args[0], negate, terms);
        if (expr.op == "-") return Collect(*expr.args[0], !negate, terms);
        return false;
      case ExprKind::kColumn: {
        const int side = SideOf(expr);
        if (side < 0) return false;
        terms->push_back(Term{side, expr.parts.back(), 0, negate});
        return true;
      }
      case ExprKind::kLiteral: {
        const Literal& literal = expr.literal;
        if (!literal.type.IsInterval() || literal.months != 0) return false;
        terms->push_back(Term{-1, "", literal.days * kMicrosPerDay + literal.micros, negate});
        return true;
      }
      default:
        return false;
    }
  }

  // Spark's getStateWatermarkFromLessThenPredicate: from `less < greater`, a lower bound of
  // side `x`'s event time in terms of the other side's watermarked event time.
  std::optional<int64_t> Solve(const Expr& less, const Expr& greater, int x) const {
    std::vector<Term> terms;
    if (!Collect(less, false, &terms) || !Collect(greater, true, &terms)) return std::nullopt;
    const StreamJoinSide& side = x == 0 ? join_.left : join_.right;
    const StreamJoinSide& other = x == 0 ? join_.right : join_.left;
    // The other side's time is replaced by its watermark; the side's own time need not
    // carry one (Spark's check of outer joins), though its rows leave only if it does.
    if (other.watermark == nullptr) return std::nullopt;
    int own = 0, others = 0;
    int64_t offset = 0;
    for (const Term& term : terms) {
      if (term.side == x) {
        // The side's time must be on the greater side: W + c < tX.
        if (!term.negated) return std::nullopt;
        if (side.watermark && !EqualsIgnoreCase(term.column, side.event_time)) return std::nullopt;
        ++own;
      } else if (term.side >= 0) {
        if (term.negated || !EqualsIgnoreCase(term.column, other.event_time)) return std::nullopt;
        ++others;
      } else {
        offset += term.negated ? -term.micros : term.micros;
      }
    }
    if (own != 1 || others != 1) return std::nullopt;
    return offset;
  }

  // The bounds a conjunct gives side `x`.
  void Bounds(const Expr& conjunct, int x, std::vector<JoinStateBound>* out) const {
    auto add = [&](const Expr& less, const Expr& greater, bool inclusive) {
      std::optional<int64_t> offset = Solve(less, greater, x);
      if (offset) out->push_back(JoinStateBound{*offset, inclusive});
    };
    if (conjunct.kind == ExprKind::kBetween && !conjunct.negated) {
      add(*conjunct.args[1], *conjunct.args[0], true);  // low <= value
      add(*conjunct.args[0], *conjunct.args[2], true);  // value <= high
      return;
    }
    if (conjunct.kind != ExprKind::kBinary) return;
    const Expr& a = *conjunct.args[0];
    const Expr& b = *conjunct.args[1];
    if (conjunct.op == "<") add(a, b, false);
    if (conjunct.op == "<=") add(a, b, true);
    if (conjunct.op == ">") add(b, a, false);
    if (conjunct.op == ">=") add(b, a, true);
  }

  // The sides an expression's columns belong to: bit 0 left, bit 1 right, bit 2 unknown.
  int Sides(const Expr& expr) const {
    int sides = 0;
    if (expr.kind == ExprKind::kColumn) {
      const int side = SideOf(expr);
      sides |= side < 0 ? 4 : 1 << side;
    }
    for (const ExprPtr& arg : expr.args) {
      if (arg) sides |= Sides(*arg);
    }
    return sides;
  }

  // Whether a conjunct is an equality between the two sides (as far as it can tell), and
  // records a key column that carries a watermark.
  bool Equality(const Expr& conjunct) {
    if (conjunct.kind != ExprKind::kBinary || (conjunct.op != "=" && conjunct.op != "<=>")) {
      return false;
    }
    const Expr& a = *conjunct.args[0];
    const Expr& b = *conjunct.args[1];
    const int sa = Sides(a), sb = Sides(b);
    if (sa == 0 || sb == 0) return false;
    if ((sa | sb) == 1 || (sa | sb) == 2) return false;  // both operands on one side
    if (a.kind == ExprKind::kColumn && b.kind == ExprKind::kColumn) {
      const int side_a = SideOf(a), side_b = SideOf(b);
      if (side_a >= 0 && side_b >= 0 && side_a != side_b) {
        const Expr& l = side_a == 0 ? a : b;
        const Expr& r = side_a == 0 ? b : a;
        const bool watermarked =
            (join_.left.watermark && EqualsIgnoreCase(l.parts.back(), join_.left.event_time)) ||
            (join_.right.watermark && EqualsIgnoreCase(r.parts.back(), join_.right.event_time));
        if (watermarked && join_.left.key_column.empty()) {
          join_.left.key_column = l.parts.back();
          join_.right.key_column = r.parts.back();
        }
      }
    }
    return true;
  }

 private:
  StreamJoin& join_;
};

Result<StreamJoinSide> Side(const Relation& relation, const SourceText& source) {
  StreamJoinSide side;
  side.relation = &relation;
  CollectQualifiers(relation, &side.qualifiers);
  std::vector<const Relation*> watermarked;
  FindWatermarkedRelations(relation, &watermarked);
  std::vector<const Watermark*> watermarks;
  for (const Relation* r : watermarked) watermarks.push_back(r->watermark.get());
  if (watermarks.size() > 1) {
    return InvalidArgument(FormatDiagnostic(
        source.Locate(watermarks[1]->span),
        "a side of a stream-stream join has several watermarks; give each side one"));
  }
  if (!watermarks.empty()) {
    side.watermark = watermarks[0];
    side.event_time =
        watermarks[0]->name.empty() ? watermarks[0]->expr->parts.back() : watermarks[0]->name;
  }
  return side;
}

const char* JoinTypeName(JoinType type) {
  switch (type) {
    case JoinType::kLeft:
      return "LeftOuter";
    case JoinType::kRight:
      return "RightOuter";
    case JoinType::kFull:
      return "FullOuter";
    case JoinType::kLeftSemi:
      return "LeftSemi";
    default:
      return "Inner";
  }
}

}  // namespace

int64_t JoinStateWatermarkMs(const std::vector<JoinStateBound>& bounds, int64_t watermark_ms) {
  int64_t lowest = INT64_MAX;
  for (const JoinStateBound& bound : bounds) {
    // Spark computes in microseconds as doubles and truncates to milliseconds.
    int64_t ms = (watermark_ms * 1000 + bound.offset_us) / 1000;
    if (bound.inclusive) ms -= 1;
    lowest = std::min(lowest, ms);
  }
  return lowest;
}

Result<StreamJoin> AnalyzeStreamJoin(const Relation& relation, const SourceText& source) {
  auto refuse = [&](const std::string& message) -> Status {
    return InvalidArgument(FormatDiagnostic(source.Locate(relation.span), message));
  };
  StreamJoin join;
  join.join = &relation;
  join.type = relation.join_type;
  switch (relation.join_type) {
    case JoinType::kLeftAnti:
      return refuse(
          "Left anti joins between two streaming DataFrames/Datasets are not supported; read "
          "the right side in full (without STREAM)");
    default:
      break;
  }
  SLUICE_ASSIGN_OR_RETURN(join.left, Side(*relation.left, source));
  SLUICE_ASSIGN_OR_RETURN(join.right, Side(*relation.right, source));
  ConditionAnalysis analysis(join);
  bool equality = relation.natural;
  for (const std::string& column : relation.using_columns) {
    equality = true;
    const bool watermarked =
        (join.left.watermark && EqualsIgnoreCase(column, join.left.event_time)) ||
        (join.right.watermark && EqualsIgnoreCase(column, join.right.event_time));
    if (watermarked && join.left.key_column.empty()) {
      join.left.key_column = column;
      join.right.key_column = column;
    }
  }
  std::vector<const Expr*> conjuncts;
  if (relation.condition) SplitConjuncts(*relation.condition, &conjuncts);
  for (const Expr* conjunct : conjuncts) {
    if (analysis.Equality(*conjunct)) equality = true;
  }
  if (!equality) {
    return refuse(
        "Stream-stream join without equality predicate is not supported: join the streams on "
        "a key (ON l.id = r.id), with a time range to bound the state");
  }
  if (join.left.key_column.empty()) {
    for (const Expr* conjunct : conjuncts) {
      analysis.Bounds(*conjunct, 0, &join.left.bounds);
      analysis.Bounds(*conjunct, 1, &join.right.bounds);
    }
  }
  auto check_outer = [&](const StreamJoinSide& kept, const char* kept_name,
                         const char* other_name) -> Status {
    const bool range = !kept.bounds.empty();
    if (kept.key_column.empty() && !range) {
      return refuse(std::string("Stream-stream ") + JoinTypeName(join.type) +
                    " join between two streaming DataFrame/Datasets is not supported without a "
                    "watermark in the join keys, or a watermark on the nullable side and an "
                    "appropriate range condition: give the " +
                    other_name + " side a watermark and bound the " + kept_name +
                    " side's event time by it (for example " + kept_name + ".t BETWEEN " +
                    other_name + ".t - INTERVAL 1 HOUR AND " + other_name + ".t)");
    }
    // A semi join writes its rows when they match: rows kept for ever only grow the state.
    if (!kept.Evictable() && join.type != JoinType::kLeftSemi) {
      return refuse(std::string("the ") + kept_name + " side of a stream-stream " +
                    JoinTypeName(join.type) +
                    " join needs a watermark too: its unmatched rows are written with NULLs "
                    "once the watermark proves no match can come");
    }
    return Status::OK();
  };
  if (join.type == JoinType::kLeft || join.type == JoinType::kFull ||
      join.type == JoinType::kLeftSemi) {
    SLUICE_RETURN_IF_ERROR(check_outer(join.left, "left", "right"));
  }
  if (join.type == JoinType::kRight || join.type == JoinType::kFull) {
    SLUICE_RETURN_IF_ERROR(check_outer(join.right, "right", "left"));
  }
  return join;
}

}  // namespace sluice::spark
