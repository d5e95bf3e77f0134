// Predicate functions in call form (the operators are translate_expr.cc's) and the
// conversion functions named after types (bigint(x), string(x), ...: CASTs).
#include "common/strings.h"
#include "spark/functions.h"
#include "spark/functions_misc_internal.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kPredicate = "predicate_funcs";
constexpr const char* kConversion = "conversion_funcs";

const DataType kBoolean = DataType::Of(TypeId::kBoolean);

// equal_null(a, b): a <=> b, TRUE for two NULLs and never NULL.
Result<Typed> EqualNullFn(Call& call) {
  auto common = ComparisonType(call.args[0].type, call.args[1].type);
  if (!common || common->is(TypeId::kMap)) {
    return call.Error("equal_null cannot compare " + call.args[0].type.Sql() + " with " +
                      call.args[1].type.Sql());
  }
  const std::string a = call.translator.Coerce(call.args[0], *common).sql;
  const std::string b = call.translator.Coerce(call.args[1], *common).sql;
  return call.Result("(" + a + " IS NOT DISTINCT FROM " + b + ")", kBoolean, false);
}

// like(str, pattern [, escape]) and ilike(...): the operators' meaning (LikeSql), `\\` the
// default escape character.
Result<Typed> LikeFn(Call& call, bool ignore_case) {
  const DataType string = DataType::Of(TypeId::kString);
  for (size_t i = 0; i < 2; ++i) SLUICE_RETURN_IF_ERROR(Expect(call, i, Exact(string)));
  std::string escape = "\\";
  if (call.args.size() == 3) {
    auto text = call.args[2].StringValue();
    if (!text || text->size() != 1) {
      return call.ArgError(2, "the escape of " + call.name + " must be a one-character string");
    }
    escape = *text;
  }
  SLUICE_ASSIGN_OR_RETURN(std::string sql, LikeSql(call.translator, call.args[0], call.args[1],
                                                   escape, ignore_case, call.raw[1]->span));
  return call.Result(sql, kBoolean);
}

// isnan(x): TRUE for NaN, FALSE otherwise (NULL included).
Result<Typed> IsNanFn(Call& call) {
  if (!call.args[0].type.is(TypeId::kFloat)) SLUICE_RETURN_IF_ERROR(Expect(call, 0, Double()));
  return call.Result("coalesce(isnan(" + call.args[0].sql + "), false)", kBoolean, false);
}

// A CAST named after its type: int(x) is CAST(x AS INT).
ScalarFn CastTo(DataType type) {
  return [type](Call& call) -> Result<Typed> {
    SLUICE_ASSIGN_OR_RETURN(std::string sql,
                            call.translator.CastSql(call.args[0], type, false, call.node.span));
    Typed out = call.Result(sql, type);
    out.name = "CAST(" + call.args[0].name + " AS " + type.Sql() + ")";
    return out;
  };
}

}  // namespace

Status CheckLikePattern(const std::string& pattern, char escape) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != escape) continue;
    if (i + 1 == pattern.size()) {
      return InvalidArgument("the pattern '", pattern,
                             "' is invalid: it is not allowed to end with the escape character");
    }
    const char next = pattern[++i];
    if (next != '_' && next != '%' && next != escape) {
      return InvalidArgument("the pattern '", pattern,
                             "' is invalid: the escape character is not allowed to precede '",
                             std::string(1, next), "'");
    }
  }
  return Status::OK();
}

Result<std::string> LikeSql(Translator& translator, const Typed& value, const Typed& pattern,
                            const std::string& escape, bool ignore_case, const Span& at) {
  std::string pattern_sql = pattern.sql;
  if (auto text = pattern.StringValue()) {
    Status valid = CheckLikePattern(*text, escape[0]);
    if (!valid.ok()) return translator.ErrorAt(at, valid.message());
  } else {
    pattern_sql = "spark_like_pattern(" + pattern.sql + ", " + QuoteLiteral(escape) + ")";
  }
  // ILIKE is LIKE over lower-cased text and pattern.
  if (ignore_case) {
    return "(lower(" + value.sql + ") LIKE lower(" + pattern_sql + ") ESCAPE " +
           QuoteLiteral(escape) + ")";
  }
  return "(" + value.sql + " LIKE " + pattern_sql + " ESCAPE " + QuoteLiteral(escape) + ")";
}

void AddPredicateFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "equal_null", k, 2, 2, EqualNullFn, kPredicate);
  Define(
      map, "like", k, 2, 3, [](Call& c) { return LikeFn(c, false); }, kPredicate);
  Define(
      map, "ilike", k, 2, 3, [](Call& c) { return LikeFn(c, true); }, kPredicate);
  Define(map, "isnan", k, 1, 1, IsNanFn, kPredicate);
  Define(
      map, "isnull", k, 1, 1,
      [](Call& c) -> Result<Typed> {
        // Spark's isnull(a) is the IsNull expression, named `(a IS NULL)`.
        Typed out = c.Result("(" + c.args[0].sql + " IS NULL)", kBoolean, false);
        out.name = "(" + c.args[0].name + " IS NULL)";
        return out;
      },
      kPredicate);
  Define(
      map, "isnotnull", k, 1, 1,
      [](Call& c) -> Result<Typed> {
        Typed out = c.Result("(" + c.args[0].sql + " IS NOT NULL)", kBoolean, false);
        out.name = "(" + c.args[0].name + " IS NOT NULL)";
        return out;
      },
      kPredicate);
}

void AddConversionFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  const std::pair<const char*, DataType> casts[] = {
      {"bigint", DataType::Of(TypeId::kLong)},         {"binary", DataType::Of(TypeId::kBinary)},
      {"boolean", DataType::Of(TypeId::kBoolean)},     {"date", DataType::Of(TypeId::kDate)},
      {"decimal", DataType::Decimal(10, 0)},           {"double", DataType::Of(TypeId::kDouble)},
      {"float", DataType::Of(TypeId::kFloat)},         {"int", DataType::Of(TypeId::kInt)},
      {"smallint", DataType::Of(TypeId::kShort)},      {"string", DataType::Of(TypeId::kString)},
      {"timestamp", DataType::Of(TypeId::kTimestamp)}, {"tinyint", DataType::Of(TypeId::kByte)},
  };
  for (const auto& [name, type] : casts) Define(map, name, k, 1, 1, CastTo(type), kConversion);
}

}  // namespace sluice::spark::internal
