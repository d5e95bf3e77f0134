// Conditional functions: coalesce, if, ifnull, nvl, nvl2, nullif, nanvl, greatest, least,
// zeroifnull, nullifzero.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "conditional_funcs";

Result<Typed> CoalesceFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 0, call.args.size()));
  std::vector<std::string> parts;
  for (const Typed& arg : call.args) parts.push_back(arg.sql);
  return call.Result("coalesce(" + Join(parts, ", ") + ")", type);
}

Result<Typed> IfFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Boolean()));
  SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 1, 3));
  return call.Result("CASE WHEN " + call.args[0].sql + " THEN " + call.args[1].sql + " ELSE " +
                         call.args[2].sql + " END",
                     type);
}

Result<Typed> Nvl2Fn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 1, 3));
  return call.Result("CASE WHEN " + call.args[0].sql + " IS NOT NULL THEN " + call.args[1].sql +
                         " ELSE " + call.args[2].sql + " END",
                     type);
}

Result<Typed> NullIfFn(Call& call) {
  auto common = ComparisonType(call.args[0].type, call.args[1].type);
  if (!common) return call.Error("nullif: the arguments do not compare");
  const DataType type = call.args[0].type;
  const Typed a = call.translator.Coerce(call.args[0], *common);
  const Typed b = call.translator.Coerce(call.args[1], *common);
  return call.Result(
      "CASE WHEN " + a.sql + " = " + b.sql + " THEN NULL ELSE " + call.args[0].sql + " END",
      type.is(TypeId::kNull) ? *common : type);
}

// nanvl(a, b): each argument is a DOUBLE or FLOAT (other numbers become DOUBLE), then
// both take the wider of the two.
Result<Typed> NanvlFn(Call& call) {
  for (size_t i = 0; i < 2; ++i) {
    if (!call.args[i].type.is(TypeId::kFloat)) SLUICE_RETURN_IF_ERROR(Expect(call, i, Double()));
  }
  SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 0, 2));
  return call.Result("CASE WHEN isnan(" + call.args[0].sql + ") THEN " + call.args[1].sql +
                         " ELSE " + call.args[0].sql + " END",
                     type);
}

// greatest / least skip NULLs (NULL only when all are NULL), as DuckDB's do. Their common
// type never promotes to STRING (findWiderTypeWithoutStringPromotion).
Result<Typed> ExtremeFn(Call& call, const char* function) {
  bool strings = false, others = false;
  for (const Typed& arg : call.args) {
    if (arg.type.is(TypeId::kString)) {
      strings = true;
    } else if (!arg.type.is(TypeId::kNull)) {
      others = true;
    }
  }
  if (strings && others) {
    return call.Error("the arguments of " + call.name +
                      " must have the same type: strings are not compared with other types");
  }
  SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 0, call.args.size()));
  if (type.is(TypeId::kMap)) return call.Error(std::string(function) + " cannot order maps");
  std::vector<std::string> parts;
  for (const Typed& arg : call.args) parts.push_back(arg.sql);
  return call.Result(std::string(function) + "(" + Join(parts, ", ") + ")", type);
}

}  // namespace

void AddConditionalFunctions(FunctionMap& map) {
  Define(map, "coalesce", FunctionKind::kScalar, 1, -1, CoalesceFn, kGroup);
  Define(map, "if", FunctionKind::kScalar, 3, 3, IfFn, kGroup);
  Define(map, "ifnull", FunctionKind::kScalar, 2, 2, CoalesceFn, kGroup);
  Alias(map, "nvl", "ifnull");
  Define(map, "nvl2", FunctionKind::kScalar, 3, 3, Nvl2Fn, kGroup);
  Define(map, "nullif", FunctionKind::kScalar, 2, 2, NullIfFn, kGroup);
  Define(map, "nanvl", FunctionKind::kScalar, 2, 2, NanvlFn, kGroup);
  Define(
      map, "greatest", FunctionKind::kScalar, 2, -1,
      [](Call& call) { return ExtremeFn(call, "greatest"); }, kGroup);
  Define(
      map, "least", FunctionKind::kScalar, 2, -1,
      [](Call& call) { return ExtremeFn(call, "least"); }, kGroup);
  Define(
      map, "zeroifnull", FunctionKind::kScalar, 1, 1,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
        Typed zero = LiteralTyped(Literal{DataType::Of(TypeId::kInt), "0"});
        auto type = WiderType(call.args[0].type, zero.type);
        return call.Result("coalesce(" + call.translator.Coerce(call.args[0], *type).sql + ", " +
                               call.translator.Coerce(zero, *type).sql + ")",
                           *type);
      },
      kGroup);
  Define(
      map, "nullifzero", FunctionKind::kScalar, 1, 1,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
        return call.Result(
            "CASE WHEN " + call.args[0].sql + " = 0 THEN NULL ELSE " + call.args[0].sql + " END",
            call.args[0].type);
      },
      kGroup);
}

}  // namespace sluice::spark::internal
