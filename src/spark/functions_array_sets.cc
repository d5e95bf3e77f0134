// Array set functions: array_distinct, array_union, array_intersect, array_except and
// arrays_overlap. Results keep the order of first occurrences and hold one NULL at most;
// elements compare as Spark's hash sets compare them (NaN equals NaN, 0.0 is not -0.0).
#include "common/strings.h"
#include "spark/collection_internal.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "array_funcs";

// The list of set keys of array argument i (the array itself when its elements need none).
std::string Keys(Call& call, size_t i) {
  const Typed& a = call.args[i];
  const DataType& element = *a.type.element;
  if (!NeedsSetKey(element)) return a.sql;
  const std::string v = call.translator.NewLambdaVariable();
  return "list_transform(" + a.sql + ", lambda " + v + ": " + SparkSetKey(v, element) + ")";
}

Result<Typed> DistinctFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, *call.args[0].type.element));
  return call.Result("spark_array_distinct(" + call.args[0].sql + ", " + Keys(call, 0) + ")",
                     call.args[0].type);
}

// Two arrays whose elements meet at their tightest common type; the element type.
Result<DataType> TwoArrays(Call& call) {
  for (size_t i = 0; i < 2; ++i) {
    if (!call.args[i].type.is(TypeId::kArray)) {
      return call.ArgError(i, "argument " + std::to_string(i + 1) + " of " + call.name +
                                  " must be an array, but '" + call.args[i].name + "' is " +
                                  call.args[i].type.Sql());
    }
  }
  const DataType& left = *call.args[0].type.element;
  const DataType& right = *call.args[1].type.element;
  auto common = TightestCommonType(left, right);
  if (!common) {
    return call.Error(call.name + " needs two arrays of the same element type, but they are " +
                      call.args[0].type.Sql() + " and " + call.args[1].type.Sql());
  }
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, *common));
  CoerceArgs(call, 0, 1, DataType::Array(*common, call.args[0].type.contains_null));
  CoerceArgs(call, 1, 2, DataType::Array(*common, call.args[1].type.contains_null));
  return *common;
}

Result<Typed> BinaryFn(Call& call, const char* macro) {
  SLUICE_ASSIGN_OR_RETURN(DataType element, TwoArrays(call));
  const bool left_nulls = call.args[0].type.contains_null;
  const bool right_nulls = call.args[1].type.contains_null;
  const std::string name = call.name;
  DataType type = DataType::Array(element, left_nulls || right_nulls);
  if (name == "array_intersect") type = DataType::Array(element, left_nulls && right_nulls);
  if (name == "array_except") type = DataType::Array(element, left_nulls);
  if (name == "arrays_overlap") type = DataType::Of(TypeId::kBoolean);
  return call.Result(std::string(macro) + "(" + call.args[0].sql + ", " + call.args[1].sql + ", " +
                         Keys(call, 0) + ", " + Keys(call, 1) + ")",
                     type);
}

}  // namespace

void AddArraySetFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "array_distinct", k, 1, 1, DistinctFn, kGroup);
  Define(
      map, "array_union", k, 2, 2, [](Call& c) { return BinaryFn(c, "spark_array_union"); },
      kGroup);
  Define(
      map, "array_intersect", k, 2, 2, [](Call& c) { return BinaryFn(c, "spark_array_intersect"); },
      kGroup);
  Define(
      map, "array_except", k, 2, 2, [](Call& c) { return BinaryFn(c, "spark_array_except"); },
      kGroup);
  Define(
      map, "arrays_overlap", k, 2, 2, [](Call& c) { return BinaryFn(c, "spark_arrays_overlap"); },
      kGroup);
}

void AddArraySetMacros(std::vector<MacroDef>& out) {
  // a: the array; ka, kb: the lists of the elements' set keys (see SparkSetKey).
  out.push_back({"spark_array_distinct(a, ka)",
                 "list_filter(a, lambda __x, __i: list_position(ka, ka[__i]) = __i)"});
  out.push_back({"spark_array_union(a, b, ka, kb)",
                 "CASE WHEN a IS NOT NULL AND b IS NOT NULL THEN "
                 "spark_array_distinct(list_concat(a, b), list_concat(ka, kb)) END"});
  out.push_back({"spark_array_intersect(a, b, ka, kb)",
                 "CASE WHEN b IS NOT NULL THEN list_filter(a, lambda __x, __i: "
                 "list_position(ka, ka[__i]) = __i AND list_position(kb, ka[__i]) IS NOT NULL) "
                 "END"});
  out.push_back({"spark_array_except(a, b, ka, kb)",
                 "CASE WHEN b IS NOT NULL THEN list_filter(a, lambda __x, __i: "
                 "list_position(ka, ka[__i]) = __i AND list_position(kb, ka[__i]) IS NULL) END"});
  // arrays_overlap: true for a common non-NULL element; else NULL when both are non-empty and
  // either holds a NULL; else false.
  out.push_back({"spark_arrays_overlap(a, b, ka, kb)",
                 "CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN len(a) = 0 OR len(b) = 0 THEN "
                 "FALSE WHEN list_has_any(ka, kb) THEN TRUE WHEN list_position(a, NULL) IS NOT "
                 "NULL OR list_position(b, NULL) IS NOT NULL THEN NULL ELSE FALSE END"});
}

}  // namespace sluice::spark::internal
