// Ranking and offset window functions.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "window_funcs";

ScalarFn Ranking(const char* function, TypeId type) {
  return [function, type](Call& call) -> Result<Typed> {
    const DataType result = DataType::Of(type);
    std::string sql = std::string(function) + "()" + call.over;
    if (type != TypeId::kDouble) sql = As(sql, result);
    return call.Result(sql, result, false);
  };
}

Result<Typed> OffsetFn(Call& call, const char* function) {
  std::vector<std::string> args{call.args[0].sql};
  DataType type = call.args[0].type;
  if (call.args.size() >= 2) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
    args.push_back(call.args[1].sql);
  }
  if (call.args.size() == 3) {
    auto common = WiderType(type, call.args[2].type);
    if (!common) return call.Error(std::string(function) + ": the default does not fit the column");
    type = *common;
    args[0] = call.translator.Coerce(call.args[0], type).sql;
    args.push_back(call.translator.Coerce(call.args[2], type).sql);
  }
  const std::string ignore = call.ignore_nulls.value_or(false) ? " IGNORE NULLS" : "";
  return call.Result(std::string(function) + "(" + Join(args, ", ") + ignore + ")" + call.over,
                     type);
}

}  // namespace

void AddWindowFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kWindow;
  Define(map, "row_number", k, 0, 0, Ranking("row_number", TypeId::kInt), kGroup);
  Define(map, "rank", k, 0, -1, Ranking("rank", TypeId::kInt), kGroup);
  Define(map, "dense_rank", k, 0, -1, Ranking("dense_rank", TypeId::kInt), kGroup);
  Define(map, "percent_rank", k, 0, -1, Ranking("percent_rank", TypeId::kDouble), kGroup);
  Define(map, "cume_dist", k, 0, 0, Ranking("cume_dist", TypeId::kDouble), kGroup);
  Define(
      map, "ntile", k, 1, 1,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(call, 0, Int()));
        return call.Result(
            As("ntile(" + call.args[0].sql + ")" + call.over, DataType::Of(TypeId::kInt)),
            DataType::Of(TypeId::kInt));
      },
      kGroup);
  Define(
      map, "lag", k, 1, 3, [](Call& c) { return OffsetFn(c, "lag"); }, kGroup);
  Define(
      map, "lead", k, 1, 3, [](Call& c) { return OffsetFn(c, "lead"); }, kGroup);
  Define(
      map, "nth_value", k, 2, 3,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
        const std::string ignore = call.ignore_nulls.value_or(false) ? " IGNORE NULLS" : "";
        return call.Result(
            "nth_value(" + call.args[0].sql + ", " + call.args[1].sql + ignore + ")" + call.over,
            call.args[0].type);
      },
      kGroup);
}

}  // namespace sluice::spark::internal
