#include "delta/data_skipping.h"

#include <optional>

#include "common/strings.h"

namespace sluice::delta {

const SkippingColumn* SkippingLayout::Find(const std::vector<std::string>& path) const {
  for (const SkippingColumn& column : columns) {
    if (column.path.size() != path.size()) continue;
    bool same = true;
    for (size_t i = 0; i < path.size() && same; ++i) {
      same = EqualsIgnoreCase(column.path[i], path[i]);
    }
    if (same) return &column;
  }
  return nullptr;
}

namespace {

constexpr std::string_view kTrue = "TRUE";
constexpr std::string_view kFalse = "FALSE";

// Delta writers cut string statistics to this many characters; a max that long may be a
// cut prefix of the real maximum, hence no upper bound. Counting bytes (strlen) instead of
// characters also covers writers that count UTF-16 units.
constexpr std::string_view kStringCut = "32";

// Conjunction of "may match" conditions, with TRUE (unknown) terms dropped.
std::string AllOf(const std::vector<std::string>& terms) {
  std::vector<std::string> kept;
  for (const std::string& term : terms) {
    if (term == kFalse) return std::string(kFalse);
    if (term != kTrue) kept.push_back(term);
  }
  if (kept.empty()) return std::string(kTrue);
  if (kept.size() == 1) return kept[0];
  std::string sql;
  for (size_t i = 0; i < kept.size(); ++i) sql += (i > 0 ? " AND (" : "(") + kept[i] + ")";
  return sql;
}

// Disjunction of "may match" conditions: unknown if any term is.
std::string AnyOf(const std::vector<std::string>& terms) {
  std::vector<std::string> kept;
  for (const std::string& term : terms) {
    if (term == kTrue) return std::string(kTrue);
    if (term != kFalse) kept.push_back(term);
  }
  if (kept.empty()) return std::string(kFalse);
  if (kept.size() == 1) return kept[0];
  std::string sql;
  for (size_t i = 0; i < kept.size(); ++i) sql += (i > 0 ? " OR (" : "(") + kept[i] + ")";
  return sql;
}

// What a constant compares as, to decide whether a column's statistics order values the
// same way the comparison does.
enum class ValueCategory {
  kNull,           // NULL: every comparison is NULL
  kUntypedString,  // a string literal: DuckDB casts it to the column's type
  kNumeric,
  kString,
  kDate,
  kTimestamp,
  kBoolean,
  kUnknown,
};

bool Compatible(SkippingType type, ValueCategory category) {
  if (type == SkippingType::kOther) return false;
  switch (category) {
    case ValueCategory::kNull:
    case ValueCategory::kUntypedString:
      return true;
    case ValueCategory::kNumeric:
      return type == SkippingType::kNumeric || type == SkippingType::kFloat;
    case ValueCategory::kString:
      return type == SkippingType::kString;
    case ValueCategory::kDate:
    case ValueCategory::kTimestamp:  // DuckDB widens DATE to TIMESTAMP, preserving order
      return type == SkippingType::kDate || type == SkippingType::kTimestamp;
    case ValueCategory::kBoolean:
      return type == SkippingType::kBoolean;
    case ValueCategory::kUnknown:
      return false;
  }
  return false;
}

ValueCategory CategoryOfType(std::string_view type_sql) {
  std::string type = ToLower(Trim(type_sql));
  type = type.substr(0, type.find_first_of(" ("));
  static constexpr std::string_view kNumericTypes[] = {
      "tinyint",  "smallint", "integer",  "int",   "bigint", "hugeint", "utinyint", "usmallint",
      "uinteger", "ubigint",  "uhugeint", "int1",  "int2",   "int4",    "int8",     "long",
      "short",    "decimal",  "numeric",  "float", "double", "real",    "float4",   "float8"};
  for (std::string_view numeric : kNumericTypes) {
    if (type == numeric) return ValueCategory::kNumeric;
  }
  if (type == "varchar" || type == "text" || type == "string" || type == "char" ||
      type == "bpchar") {
    return ValueCategory::kString;
  }
  if (type == "date") return ValueCategory::kDate;
  if (StartsWith(type, "timestamp") || type == "datetime") return ValueCategory::kTimestamp;
  if (type == "boolean" || type == "bool") return ValueCategory::kBoolean;
  return ValueCategory::kUnknown;
}

ValueCategory CategoryOfColumn(SkippingType type) {
  switch (type) {
    case SkippingType::kNumeric:
    case SkippingType::kFloat:
      return ValueCategory::kNumeric;
    case SkippingType::kString:
      return ValueCategory::kString;
    case SkippingType::kDate:
      return ValueCategory::kDate;
    case SkippingType::kTimestamp:
      return ValueCategory::kTimestamp;
    case SkippingType::kBoolean:
      return ValueCategory::kBoolean;
    case SkippingType::kOther:
      return ValueCategory::kUnknown;
  }
  return ValueCategory::kUnknown;
}

// The side of a comparison that is the same for every row of a file: a literal, a cast of
// one, or a partition column's value.
struct Constant {
  std::string sql;
  ValueCategory category = ValueCategory::kUnknown;
  bool is_null = false;      // the NULL literal
  bool is_not_null = false;  // a literal other than NULL (a cast may still yield NULL)
};

CompareOp Negate(CompareOp op) {
  switch (op) {
    case CompareOp::kEqual:
      return CompareOp::kNotEqual;
    case CompareOp::kNotEqual:
      return CompareOp::kEqual;
    case CompareOp::kLess:
      return CompareOp::kGreaterEqual;
    case CompareOp::kLessEqual:
      return CompareOp::kGreater;
    case CompareOp::kGreater:
      return CompareOp::kLessEqual;
    case CompareOp::kGreaterEqual:
      return CompareOp::kLess;
    case CompareOp::kNullSafeEqual:
      return CompareOp::kDistinct;
    case CompareOp::kDistinct:
      return CompareOp::kNullSafeEqual;
  }
  return op;
}

// The operator with its operands swapped: `5 < c` is `c > 5`.
CompareOp Mirror(CompareOp op) {
  switch (op) {
    case CompareOp::kLess:
      return CompareOp::kGreater;
    case CompareOp::kLessEqual:
      return CompareOp::kGreaterEqual;
    case CompareOp::kGreater:
      return CompareOp::kLess;
    case CompareOp::kGreaterEqual:
      return CompareOp::kLessEqual;
    default:
      return op;
  }
}

class ConditionBuilder {
 public:
  explicit ConditionBuilder(const SkippingLayout& layout) : layout_(layout) {}

  // "May a row of the file satisfy `expr`" (or NOT `expr` when `negated`). NOT is pushed
  // down to the leaves because the negation of "may match" is not "may not match".
  std::string Build(const Expression& expr, bool negated) const {
    if (const auto* literal = expr.As<LiteralExpr>()) {
      if (literal->kind == LiteralExpr::Kind::kNull) return std::string(kFalse);
      if (literal->kind == LiteralExpr::Kind::kBoolean) {
        return std::string((literal->text == "true") != negated ? kTrue : kFalse);
      }
    }
    if (IsExact(expr)) {
      // Constant within each file: its value for the file decides, and NULL means no match.
      std::string sql = expr.ToSql([this](const ColumnExpr& column) {
        return QuoteIdentifier(layout_.Find(column.path)->value_column);
      });
      return "coalesce(" + (negated ? "NOT (" + sql + ")" : sql) + ", false)";
    }
    if (const auto* conjunction = expr.As<AndExpr>()) {
      std::vector<std::string> terms;
      for (const ExpressionPtr& operand : conjunction->operands) {
        terms.push_back(Build(*operand, negated));
      }
      return negated ? AnyOf(terms) : AllOf(terms);
    }
    if (const auto* disjunction = expr.As<OrExpr>()) {
      std::vector<std::string> terms;
      for (const ExpressionPtr& operand : disjunction->operands) {
        terms.push_back(Build(*operand, negated));
      }
      return negated ? AllOf(terms) : AnyOf(terms);
    }
    if (const auto* negation = expr.As<NotExpr>()) return Build(*negation->operand, !negated);
    if (const auto* compare = expr.As<CompareExpr>()) {
      CompareOp op = negated ? Negate(compare->op) : compare->op;
      if (const SkippingColumn* column = DataColumn(*compare->left)) {
        if (std::optional<Constant> value = AsConstant(*compare->right)) {
          return Compare(*column, op, *value);
        }
      }
      if (const SkippingColumn* column = DataColumn(*compare->right)) {
        if (std::optional<Constant> value = AsConstant(*compare->left)) {
          return Compare(*column, Mirror(op), *value);
        }
      }
      return std::string(kTrue);
    }
    if (const auto* is_null = expr.As<IsNullExpr>()) {
      const SkippingColumn* column = DataColumn(*is_null->operand);
      if (!column) return std::string(kTrue);
      return is_null->negated != negated ? SomeNotNull(*column) : SomeNull(*column);
    }
    if (const auto* in = expr.As<InExpr>()) return In(*in, negated);
    if (const auto* between = expr.As<BetweenExpr>()) return Between(*between, negated);
    if (const auto* like = expr.As<LikeExpr>()) return Like(*like, negated);
    return std::string(kTrue);
  }

 private:
  // Whether `expr` has the same value for every row of a file: it mentions only partition
  // columns and constants, and nothing opaque (whose functions might not be deterministic).
  bool IsExact(const Expression& expr) const {
    if (expr.As<OpaqueExpr>()) return false;
    if (const auto* column = expr.As<ColumnExpr>()) {
      const SkippingColumn* found = layout_.Find(column->path);
      return found && found->is_partition && !found->value_column.empty();
    }
    bool exact = true;
    ForEachChild(expr, [&](const Expression& child) { exact = exact && IsExact(child); });
    return exact;
  }

  const SkippingColumn* DataColumn(const Expression& expr) const {
    const auto* column = expr.As<ColumnExpr>();
    if (!column) return nullptr;
    const SkippingColumn* found = layout_.Find(column->path);
    return found && !found->is_partition ? found : nullptr;
  }

  std::optional<Constant> AsConstant(const Expression& expr) const {
    if (const auto* literal = expr.As<LiteralExpr>()) {
      Constant constant{expr.ToSql(), ValueCategory::kUnknown, false, true};
      switch (literal->kind) {
        case LiteralExpr::Kind::kNull:
          constant.category = ValueCategory::kNull;
          constant.is_null = true;
          constant.is_not_null = false;
          break;
        case LiteralExpr::Kind::kBoolean:
          constant.category = ValueCategory::kBoolean;
          break;
        case LiteralExpr::Kind::kInteger:
        case LiteralExpr::Kind::kDecimal:
        case LiteralExpr::Kind::kFloat:
          constant.category = ValueCategory::kNumeric;
          break;
        case LiteralExpr::Kind::kString:
          constant.category = ValueCategory::kUntypedString;
          break;
        case LiteralExpr::Kind::kTyped:
          constant.category = CategoryOfType(literal->type);
          break;
      }
      return constant;
    }
    if (const auto* cast = expr.As<CastExpr>()) {
      std::optional<Constant> operand = AsConstant(*cast->operand);
      if (!operand || !(operand->is_null || operand->is_not_null)) return std::nullopt;
      return Constant{expr.ToSql(), CategoryOfType(cast->type), false, false};
    }
    if (const auto* column = expr.As<ColumnExpr>()) {
      const SkippingColumn* found = layout_.Find(column->path);
      if (!found || !found->is_partition || found->value_column.empty()) return std::nullopt;
      return Constant{QuoteIdentifier(found->value_column), CategoryOfColumn(found->type), false,
                      false};
    }
    return std::nullopt;
  }

  // Some value in the file may be `op value`, with `op` one of < <=, judged by the min.
  std::string BelowOrAt(const SkippingColumn& column, std::string_view op,
                        const std::string& value) const {
    if (column.min_column.empty()) return std::string(kTrue);
    std::string min = QuoteIdentifier(column.min_column);
    // The true minimum lies in [min, min + 1 ms); a writer cutting toward zero before 1970
    // could also have moved it up, so widen down as well.
    if (column.type == SkippingType::kTimestamp) min = "(" + min + " - INTERVAL 1 millisecond)";
    return min + " " + std::string(op) + " " + value;
  }

  // Some value in the file may be `op value`, with `op` one of > >=, judged by the max.
  std::string AboveOrAt(const SkippingColumn& column, std::string_view op,
                        const std::string& value) const {
    if (column.max_column.empty() || column.type == SkippingType::kFloat) {
      return std::string(kTrue);
    }
    std::string max = QuoteIdentifier(column.max_column);
    switch (column.type) {
      case SkippingType::kString:
        return "(" + max + " " + std::string(op) + " " + value + " OR strlen(" + max +
               ") >= " + std::string(kStringCut) + ")";
      case SkippingType::kTimestamp:
        // Stats are cut to milliseconds: the true maximum is below max + 1 ms, so some value
        // may reach `value` (for > and >= alike) only if max + 1 ms exceeds it.
        return "(" + max + " + INTERVAL 1 millisecond) > " + value;
      default:
        return max + " " + std::string(op) + " " + value;
    }
  }

  // Some value in the file may differ from `value`: false only when min = max = value and
  // both are exact.
  std::string NotAllEqual(const SkippingColumn& column, const std::string& value) const {
    if (column.min_column.empty() || column.max_column.empty() ||
        column.type == SkippingType::kFloat || column.type == SkippingType::kTimestamp) {
      return std::string(kTrue);
    }
    std::string min = QuoteIdentifier(column.min_column);
    std::string max = QuoteIdentifier(column.max_column);
    std::string all_equal = min + " = " + value + " AND " + max + " = " + value;
    if (column.type == SkippingType::kString) {
      all_equal += " AND strlen(" + max + ") < " + std::string(kStringCut);
    }
    return "NOT (" + all_equal + ")";
  }

  std::string SomeNull(const SkippingColumn& column) const {
    if (column.null_count_column.empty()) return std::string(kTrue);
    return QuoteIdentifier(column.null_count_column) + " > 0";
  }

  std::string SomeNotNull(const SkippingColumn& column) const {
    if (column.null_count_column.empty() || layout_.num_records_column.empty()) {
      return std::string(kTrue);
    }
    return QuoteIdentifier(column.null_count_column) + " < " +
           QuoteIdentifier(layout_.num_records_column);
  }

  // `column op value` may hold for some row of the file.
  std::string Compare(const SkippingColumn& column, CompareOp op, const Constant& value) const {
    if (!Compatible(column.type, value.category)) return std::string(kTrue);
    const std::string& v = value.sql;
    if (value.is_null && op != CompareOp::kNullSafeEqual && op != CompareOp::kDistinct) {
      return std::string(kFalse);  // a comparison with NULL is never true
    }
    // Every comparison but IS [NOT] DISTINCT FROM needs a non-null value in the file.
    std::string not_null = SomeNotNull(column);
    switch (op) {
      case CompareOp::kEqual:
        return AllOf({BelowOrAt(column, "<=", v), AboveOrAt(column, ">=", v), not_null});
      case CompareOp::kNotEqual:
        return AllOf({NotAllEqual(column, v), not_null});
      case CompareOp::kLess:
        return AllOf({BelowOrAt(column, "<", v), not_null});
      case CompareOp::kLessEqual:
        return AllOf({BelowOrAt(column, "<=", v), not_null});
      case CompareOp::kGreater:
        return AllOf({AboveOrAt(column, ">", v), not_null});
      case CompareOp::kGreaterEqual:
        return AllOf({AboveOrAt(column, ">=", v), not_null});
      case CompareOp::kNullSafeEqual:
        if (value.is_null) return SomeNull(column);
        if (value.is_not_null) return Compare(column, CompareOp::kEqual, value);
        return std::string(kTrue);
      case CompareOp::kDistinct:
        if (value.is_null) return not_null;
        if (value.is_not_null) return AnyOf({NotAllEqual(column, v), SomeNull(column)});
        return std::string(kTrue);
    }
    return std::string(kTrue);
  }

  std::string In(const InExpr& in, bool negated) const {
    const SkippingColumn* column = DataColumn(*in.operand);
    if (!column) return std::string(kTrue);
    bool not_in = in.negated != negated;
    std::vector<std::string> terms;
    for (const ExpressionPtr& value : in.values) {
      std::optional<Constant> constant = AsConstant(*value);
      if (!constant) {
        terms.push_back(std::string(kTrue));
        continue;
      }
      terms.push_back(
          Compare(*column, not_in ? CompareOp::kNotEqual : CompareOp::kEqual, *constant));
    }
    return not_in ? AllOf(terms) : AnyOf(terms);
  }

  std::string Between(const BetweenExpr& between, bool negated) const {
    const SkippingColumn* column = DataColumn(*between.operand);
    if (!column) return std::string(kTrue);
    std::optional<Constant> low = AsConstant(*between.low);
    std::optional<Constant> high = AsConstant(*between.high);
    bool outside = between.negated != negated;
    auto bound = [&](const std::optional<Constant>& constant, CompareOp op) {
      return constant ? Compare(*column, op, *constant) : std::string(kTrue);
    };
    if (outside) {
      return AnyOf({bound(low, CompareOp::kLess), bound(high, CompareOp::kGreater)});
    }
    return AllOf({bound(low, CompareOp::kGreaterEqual), bound(high, CompareOp::kLessEqual)});
  }

  // `c LIKE 'prefix%...'`: the file may hold a string starting with the prefix.
  std::string Like(const LikeExpr& like, bool negated) const {
    if (like.negated != negated || like.case_insensitive || like.escape) {
      return std::string(kTrue);
    }
    const SkippingColumn* column = DataColumn(*like.operand);
    const auto* pattern = like.pattern->As<LiteralExpr>();
    if (!column || column->type != SkippingType::kString || !pattern ||
        pattern->kind != LiteralExpr::Kind::kString) {
      return std::string(kTrue);
    }
    const std::string& text = pattern->text;
    size_t wildcard = text.find_first_of("%_\\");
    if (wildcard == std::string::npos) {
      return Compare(*column, CompareOp::kEqual,
                     Constant{QuoteLiteral(text), ValueCategory::kString, false, true});
    }
    if (wildcard == 0) return std::string(kTrue);
    std::string prefix = QuoteLiteral(text.substr(0, wildcard));
    // Strings starting with the prefix sort from the prefix up to just below the first string
    // that neither starts with it nor sorts below it; so the file qualifies when its max
    // reaches the prefix and its min is at most the prefix or starts with it.
    std::string min_reaches(kTrue);
    if (!column->min_column.empty()) {
      std::string min = QuoteIdentifier(column->min_column);
      min_reaches = min + " <= " + prefix + " OR starts_with(" + min + ", " + prefix + ")";
    }
    return AllOf({AboveOrAt(*column, ">=", prefix), min_reaches, SomeNotNull(*column)});
  }

  const SkippingLayout& layout_;
};

}  // namespace

std::string SkippingCondition(const Expression& filter, const SkippingLayout& layout) {
  return ConditionBuilder(layout).Build(filter, false);
}

}  // namespace sluice::delta
