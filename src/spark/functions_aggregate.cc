// Aggregate functions with Spark's result types and NULL rules.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "agg_funcs";

std::vector<std::string> Sqls(const Call& call) {
  std::vector<std::string> out;
  for (const Typed& arg : call.args) out.push_back(arg.sql);
  return out;
}

Result<Typed> CountFn(Call& call) {
  Typed out;
  if (call.args.size() == 1 && call.args[0].sql == "*") {
    out = call.Result(call.Aggregate("count", {"*"}), DataType::Of(TypeId::kLong), false);
    out.name = "count(1)";
    return out;
  }
  if (call.args.size() == 1) {
    out = call.Result(call.Aggregate("count", {call.args[0].sql}), DataType::Of(TypeId::kLong),
                      false);
    if (call.args[0].literal && !call.args[0].IsNullLiteral())
      out.name = "count(" + call.args[0].name + ")";
    return out;
  }
  // count(a, b): rows where every argument is non-NULL.
  std::vector<std::string> fields, not_null;
  for (size_t i = 0; i < call.args.size(); ++i) {
    fields.push_back("\"f" + std::to_string(i) + "\" := " + call.args[i].sql);
    not_null.push_back(call.args[i].sql + " IS NOT NULL");
  }
  return call.Result(
      call.Aggregate("count", {"struct_pack(" + Join(fields, ", ") + ")"}, Join(not_null, " AND ")),
      DataType::Of(TypeId::kLong), false);
}

Result<Typed> SumFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
  const DataType& in = call.args[0].type;
  if (in.is(TypeId::kDayTimeInterval) || in.is(TypeId::kYearMonthInterval)) {
    return call.Result(call.Aggregate("sum", {call.args[0].sql}), in);
  }
  DataType type;
  if (in.IsIntegral()) {
    type = DataType::Of(TypeId::kLong);
  } else if (in.is(TypeId::kDecimal)) {
    type = DataType::Decimal(std::min(38, in.precision + 10), in.scale);
  } else {
    type = DataType::Of(TypeId::kDouble);
  }
  return call.Result(As(call.Aggregate("sum", {call.args[0].sql}), type), type);
}

Result<Typed> AvgFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
  const DataType& in = call.args[0].type;
  if (in.is(TypeId::kDecimal)) {
    // sum / count at scale s + 4, rounded half up, exactly.
    const DataType type =
        DataType::Decimal(std::min(38, in.precision + 4), std::min(38, in.scale + 4));
    const std::string sum = call.Aggregate("sum", {call.args[0].sql});
    const std::string count = call.Aggregate("count", {call.args[0].sql});
    const int shift = type.scale - in.scale;
    const std::string p10 = "CAST('1" + std::string(type.scale, '0') + "' AS HUGEINT)";
    const std::string q = "spark_div_half_up(spark_unscaled(" + sum + ") * CAST('1" +
                          std::string(shift, '0') + "' AS HUGEINT), " + count + ")";
    return call.Result("CAST(spark_decimal_text(" + q + ", " + p10 + ", " +
                           std::to_string(type.scale) + ") AS " + ToDuckDbType(type) + ")",
                       type);
  }
  return call.Result(As(call.Aggregate("avg", {call.args[0].sql}), DataType::Of(TypeId::kDouble)),
                     DataType::Of(TypeId::kDouble));
}

Result<Typed> MinMaxFn(Call& call, const char* function) {
  if (call.args[0].type.is(TypeId::kMap))
    return call.Error(std::string(function) + " cannot order maps");
  return call.Result(call.Aggregate(function, {call.args[0].sql}), call.args[0].type);
}

Result<Typed> CollectFn(Call& call, bool set) {
  const Typed& x = call.args[0];
  if (set && x.type.is(TypeId::kMap)) return call.Error("collect_set cannot collect maps");
  // NULLs are skipped; no rows give an empty array.
  const std::string list = set ? "list" : "list";
  Call distinct_call = call;
  distinct_call.distinct = set || call.distinct;
  const std::string sql = "coalesce(" +
                          distinct_call.Aggregate(list, {x.sql}, x.sql + " IS NOT NULL") + ", " +
                          As("[]", DataType::Array(x.type)) + ")";
  return call.Result(sql, DataType::Array(x.type, false), false);
}

Result<Typed> FirstLastFn(Call& call, const char* function) {
  bool ignore_nulls = call.ignore_nulls.value_or(false);
  if (call.args.size() == 2) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, Boolean()));
    if (!call.args[1].literal)
      return call.ArgError(1, "the ignoreNulls argument must be a literal");
    ignore_nulls = call.args[1].literal->text == "true";
  }
  const Typed& x = call.args[0];
  Typed out = call.Result(
      call.Aggregate(function, {x.sql}, ignore_nulls ? x.sql + " IS NOT NULL" : ""), x.type);
  out.name = std::string(call.name) + "(" + x.name + ")";
  return out;
}

Result<Typed> PercentileFn(Call& call, bool exact) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
  const Typed& x = call.args[0];
  const Typed& p = call.args[1];
  const bool many = p.type.is(TypeId::kArray);
  if (exact) {
    const DataType d = DataType::Of(TypeId::kDouble);
    const std::string value = call.translator.Coerce(x, d).sql;
    const std::string q = call.translator.Coerce(p, many ? DataType::Array(d) : d).sql;
    return call.Result(call.Aggregate("quantile_cont", {value, q}), many ? DataType::Array(d) : d);
  }
  const std::string q = call.translator
                            .Coerce(p, many ? DataType::Array(DataType::Of(TypeId::kDouble))
                                            : DataType::Of(TypeId::kDouble))
                            .sql;
  return call.Result(call.Aggregate("quantile_disc", {x.sql, q}),
                     many ? DataType::Array(x.type) : x.type);
}

ScalarFn Statistic(const char* function) {
  return [function](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Double()}));
    return call.Result(call.Aggregate(function, Sqls(call)), DataType::Of(TypeId::kDouble));
  };
}

}  // namespace

void AddAggregateFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kAggregate;
  Define(map, "count", k, 1, -1, CountFn, kGroup);
  Define(map, "sum", k, 1, 1, SumFn, kGroup);
  Define(map, "avg", k, 1, 1, AvgFn, kGroup);
  Alias(map, "mean", "avg");
  Define(
      map, "min", k, 1, 1, [](Call& c) { return MinMaxFn(c, "min"); }, kGroup);
  Define(
      map, "max", k, 1, 1, [](Call& c) { return MinMaxFn(c, "max"); }, kGroup);
  Define(
      map, "collect_list", k, 1, 1, [](Call& c) { return CollectFn(c, false); }, kGroup);
  Alias(map, "array_agg", "collect_list");
  Define(
      map, "collect_set", k, 1, 1, [](Call& c) { return CollectFn(c, true); }, kGroup);
  Define(
      map, "first", k, 1, 2, [](Call& c) { return FirstLastFn(c, "first"); }, kGroup);
  Alias(map, "first_value", "first");
  Define(
      map, "last", k, 1, 2, [](Call& c) { return FirstLastFn(c, "last"); }, kGroup);
  Alias(map, "last_value", "last");
  Define(
      map, "any_value", k, 1, 2, [](Call& c) { return FirstLastFn(c, "first"); }, kGroup);
  Define(
      map, "count_if", k, 1, 1,
      [](Call& c) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(c, 0, Boolean()));
        return c.Result(c.Aggregate("count_if", {c.args[0].sql}), DataType::Of(TypeId::kLong),
                        false);
      },
      kGroup);
  Define(
      map, "max_by", k, 2, 2,
      [](Call& c) { return c.Result(c.Aggregate("arg_max", Sqls(c)), c.args[0].type); }, kGroup);
  Define(
      map, "min_by", k, 2, 2,
      [](Call& c) { return c.Result(c.Aggregate("arg_min", Sqls(c)), c.args[0].type); }, kGroup);
  Define(
      map, "percentile", k, 2, 3, [](Call& c) { return PercentileFn(c, true); }, kGroup);
  Define(
      map, "percentile_approx", k, 2, 3, [](Call& c) { return PercentileFn(c, false); }, kGroup);
  Alias(map, "approx_percentile", "percentile_approx");
  Define(
      map, "median", k, 1, 1,
      [](Call& c) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(c, 0, Double()));
        return c.Result(c.Aggregate("quantile_cont", {c.args[0].sql, "0.5"}),
                        DataType::Of(TypeId::kDouble));
      },
      kGroup);
  Define(
      map, "approx_count_distinct", k, 1, 2,
      [](Call& c) {
        return c.Result(
            As(c.Aggregate("approx_count_distinct", {c.args[0].sql}), DataType::Of(TypeId::kLong)),
            DataType::Of(TypeId::kLong), false);
      },
      kGroup);
  Define(map, "stddev", k, 1, 1, Statistic("stddev_samp"), kGroup);
  Alias(map, "stddev_samp", "stddev");
  Alias(map, "std", "stddev");
  Define(map, "stddev_pop", k, 1, 1, Statistic("stddev_pop"), kGroup);
  Define(map, "variance", k, 1, 1, Statistic("var_samp"), kGroup);
  Alias(map, "var_samp", "variance");
  Define(map, "var_pop", k, 1, 1, Statistic("var_pop"), kGroup);
  Define(map, "corr", k, 2, 2, Statistic("corr"), kGroup);
  Define(map, "covar_pop", k, 2, 2, Statistic("covar_pop"), kGroup);
  Define(map, "covar_samp", k, 2, 2, Statistic("covar_samp"), kGroup);
  Define(
      map, "bool_and", k, 1, 1,
      [](Call& c) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(c, 0, Boolean()));
        return c.Result(c.Aggregate("bool_and", {c.args[0].sql}), DataType::Of(TypeId::kBoolean));
      },
      kGroup);
  Alias(map, "every", "bool_and");
  Define(
      map, "bool_or", k, 1, 1,
      [](Call& c) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(c, 0, Boolean()));
        return c.Result(c.Aggregate("bool_or", {c.args[0].sql}), DataType::Of(TypeId::kBoolean));
      },
      kGroup);
  Alias(map, "some", "bool_or");
  Alias(map, "any", "bool_or");
}

}  // namespace sluice::spark::internal
