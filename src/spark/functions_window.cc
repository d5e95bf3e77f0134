// Ranking and offset window functions, with Spark's result types (INT ranks, DOUBLE
// distributions) and argument rules (literal offsets, defaults cast to the column's type).
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "window_funcs";

// row_number, rank, dense_rank (INT), percent_rank, cume_dist (DOUBLE). Spark's rank
// functions take the ORDER BY columns as (ignored) arguments.
ScalarFn Ranking(const char* function, TypeId type) {
  return [function, type](Call& call) -> Result<Typed> {
    const DataType result = DataType::Of(type);
    std::string sql = std::string(function) + "()" + call.over;
    if (type != TypeId::kDouble) sql = As(sql, result);
    return call.Result(sql, result, false);
  };
}

// A positive literal INT argument (ntile's buckets, nth_value's offset).
Result<int64_t> PositiveLiteral(Call& call, size_t i, const char* what) {
  SLUICE_RETURN_IF_ERROR(Expect(call, i, Int()));
  const Typed& arg = call.args[i];
  if (!arg.literal || arg.IsNullLiteral()) {
    return call.ArgError(
        i, std::string("the ") + what + " of " + call.name + " must be an integer literal");
  }
  const int64_t value = std::stoll(arg.literal->text);
  if (value <= 0) {
    return call.ArgError(i, std::string("the ") + what + " of " + call.name +
                                " must be positive, not " + arg.literal->text);
  }
  return value;
}

Result<Typed> NtileFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(int64_t buckets, PositiveLiteral(call, 0, "number of buckets"));
  const DataType type = DataType::Of(TypeId::kInt);
  return call.Result(As("ntile(" + std::to_string(buckets) + ")" + call.over, type), type, false);
}

// lag / lead(input [, offset [, default]]): the value `offset` rows before / after, else
// the default (cast to the input's type), NULLs skipped with IGNORE NULLS.
Result<Typed> OffsetFn(Call& call, const char* function) {
  const DataType type = call.args[0].type;
  int64_t offset = 1;
  if (call.args.size() >= 2) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
    if (!call.args[1].literal || call.args[1].IsNullLiteral()) {
      return call.ArgError(1, "the offset of " + call.name + " must be an integer literal");
    }
    offset = std::stoll(call.args[1].literal->text);
  }
  std::vector<std::string> args{call.args[0].sql, std::to_string(offset)};
  if (call.args.size() == 3) {
    if (!call.args[2].IsNullLiteral()) {
      SLUICE_RETURN_IF_ERROR(Expect(call, 2, Exact(type)));
    }
    args.push_back(call.translator.Coerce(call.args[2], type).sql);
  }
  const std::string ignore = call.ignore_nulls.value_or(false) ? " IGNORE NULLS" : "";
  return call.Result(std::string(function) + "(" + Join(args, ", ") + ignore + ")" + call.over,
                     type);
}

// nth_value(input, offset [, ignoreNulls]): the offset-th value of the frame.
Result<Typed> NthValueFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(int64_t offset, PositiveLiteral(call, 1, "offset"));
  bool ignore_nulls = call.ignore_nulls.value_or(false);
  if (call.args.size() == 3) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 2, Boolean()));
    if (!call.args[2].literal || call.args[2].IsNullLiteral()) {
      return call.ArgError(2, "the ignoreNulls argument of nth_value must be a literal");
    }
    ignore_nulls = call.args[2].literal->text == "true";
  }
  Typed out = call.Result("nth_value(" + call.args[0].sql + ", " + std::to_string(offset) +
                              (ignore_nulls ? " IGNORE NULLS" : "") + ")" + call.over,
                          call.args[0].type);
  // Spark's NthValue is named without its ignoreNulls argument, which it names after.
  out.name = "nth_value(" + call.args[0].name + ", " + call.args[1].name + ")" +
             (ignore_nulls ? " ignore nulls" : "");
  return out;
}

}  // namespace

void AddWindowFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kWindow;
  Define(map, "row_number", k, 0, 0, Ranking("row_number", TypeId::kInt), kGroup);
  Define(map, "rank", k, 0, -1, Ranking("rank", TypeId::kInt), kGroup);
  Define(map, "dense_rank", k, 0, -1, Ranking("dense_rank", TypeId::kInt), kGroup);
  Define(map, "percent_rank", k, 0, -1, Ranking("percent_rank", TypeId::kDouble), kGroup);
  Define(map, "cume_dist", k, 0, 0, Ranking("cume_dist", TypeId::kDouble), kGroup);
  Define(map, "ntile", k, 1, 1, NtileFn, kGroup);
  Define(
      map, "lag", k, 1, 3, [](Call& c) { return OffsetFn(c, "lag"); }, kGroup);
  Define(
      map, "lead", k, 1, 3, [](Call& c) { return OffsetFn(c, "lead"); }, kGroup);
  Define(map, "nth_value", k, 2, 3, NthValueFn, kGroup);
  map["nth_value"].framed = true;
}

}  // namespace sluice::spark::internal
