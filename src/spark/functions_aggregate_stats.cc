// Statistical aggregates: moments, correlation, regressions (Spark's one-pass arithmetic, as
// natives), exact and approximate percentiles, median and mode; and the sketch aggregates
// sluice refuses.
#include <cmath>

#include "common/strings.h"
#include "spark/functions.h"
#include "spark/functions_aggregate_internal.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "agg_funcs";

const DataType kDouble = DataType::Of(TypeId::kDouble);

std::vector<std::string> Sqls(const Call& call) {
  std::vector<std::string> out;
  for (const Typed& arg : call.args) out.push_back(arg.sql);
  return out;
}

// An aggregate over DOUBLE arguments computed by the native `function`.
ScalarFn Statistic(const char* function) {
  return [function](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Double()}));
    return call.Result(NativeAggregateSql(call, function, Sqls(call)), kDouble);
  };
}

// regr_sxx / regr_syy: the second moment sum of one of (y, x), over rows where both are set.
ScalarFn MomentSumOf(size_t which) {
  return [which](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Double()}));
    const std::string other = call.args[1 - which].sql + " IS NOT NULL";
    return call.Result(NativeAggregateSql(call, "spark_moment_sum", {call.args[which].sql}, other),
                       kDouble);
  };
}

// regr_count(y, x): rows where both are set.
Result<Typed> RegrCountFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {AnyNumeric()}));
  const std::string both =
      call.args[0].sql + " IS NOT NULL AND " + call.args[1].sql + " IS NOT NULL";
  return call.Result(call.Aggregate("count", {"*"}, both), DataType::Of(TypeId::kLong), false);
}

// regr_avgx / regr_avgy: avg of x (or y) over rows where both are set, with avg's types.
ScalarFn RegrAverageOf(size_t which) {
  return [which](Call& call) -> Result<Typed> {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {AnyNumeric()}));
    const std::string name = call.DefaultName();
    Call inner = call;
    Typed value = call.args[which];
    value.sql = "CASE WHEN " + call.args[1 - which].sql + " IS NOT NULL THEN " + value.sql + " END";
    inner.args = {value};
    inner.raw = {call.raw[which]};
    SLUICE_ASSIGN_OR_RETURN(Typed out, AverageFn(inner, false));
    out.name = name;
    return out;
  };
}

// ---- Percentiles -------------------------------------------------------------------------

// The percentage(s) of a percentile: a literal, or array(...) of literals, in [0, 1].
struct Percentages {
  std::vector<double> values;
  bool many = false;
};

Result<double> LiteralPercentage(Call& call, size_t i, const Typed& value) {
  if (!value.literal || value.IsNullLiteral() ||
      !(value.literal->type.IsNumeric() || value.literal->type.is(TypeId::kString))) {
    return call.ArgError(i, "the percentage of " + call.name + " must be a numeric literal");
  }
  double p = 0;
  try {
    p = std::stod(value.literal->text);
  } catch (...) {
    return call.ArgError(i, "the percentage of " + call.name + " must be a number");
  }
  if (!(p >= 0.0 && p <= 1.0)) {
    return call.ArgError(i, "the percentage of " + call.name +
                                " must be between 0.0 and 1.0, not " + value.literal->text);
  }
  return p;
}

Result<Percentages> PercentagesOf(Call& call, size_t i) {
  Percentages out;
  const Expr& raw = *call.raw[i];
  if (call.args[i].type.is(TypeId::kArray)) {
    if (raw.kind != ExprKind::kFunction || !EqualsIgnoreCase(raw.parts.back(), "array")) {
      return call.ArgError(i,
                           "the percentages of " + call.name + " must be array(...) of literals");
    }
    out.many = true;
    ExprContext context;
    for (const ExprPtr& element : raw.args) {
      SLUICE_ASSIGN_OR_RETURN(Typed value,
                              call.translator.Translate(*element, call.scope, context));
      SLUICE_ASSIGN_OR_RETURN(double p, LiteralPercentage(call, i, value));
      out.values.push_back(p);
    }
    return out;
  }
  SLUICE_ASSIGN_OR_RETURN(double p, LiteralPercentage(call, i, call.args[i]));
  out.values.push_back(p);
  return out;
}

std::string DoubleLiteral(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return "CAST('" + std::string(buffer) + "' AS DOUBLE)";
}

// The column a percentile orders: numbers as DOUBLE, ANSI intervals as their months or
// microseconds.
Result<std::string> PercentileInput(Call& call, Typed& x, size_t i) {
  if (x.type.is(TypeId::kYearMonthInterval)) {
    return "CAST(spark_interval_months(" + x.sql + ") AS DOUBLE)";
  }
  if (x.type.is(TypeId::kDayTimeInterval)) {
    return "CAST(spark_interval_micros(" + x.sql + ") AS DOUBLE)";
  }
  auto target = ImplicitCastType(x.type, AnyNumeric());
  if (!target) {
    return call.ArgError(
        i, call.name + " takes a numeric or ANSI interval column, not " + x.type.Sql());
  }
  return call.translator.Coerce(x, kDouble).sql;
}

// The result type of exact percentiles over `in`: DOUBLE, or the interval's default type.
DataType PercentileResultType(const DataType& in) {
  if (in.is(TypeId::kYearMonthInterval))
    return DataType::YearMonthInterval(IntervalField::kYear, IntervalField::kMonth);
  if (in.is(TypeId::kDayTimeInterval))
    return DataType::DayTimeInterval(IntervalField::kDay, IntervalField::kSecond);
  return kDouble;
}

// A DOUBLE percentile as a value of `in`'s result type (intervals truncate, as toInt).
std::string PercentileOutput(const std::string& d, const DataType& in) {
  if (in.is(TypeId::kYearMonthInterval)) return "to_months(spark_double_to_int(" + d + "))";
  if (in.is(TypeId::kDayTimeInterval)) return "to_microseconds(spark_double_to_long(" + d + "))";
  return d;
}

// One aggregate per percentage; the array is NULL when there are no rows.
Typed PercentileResult(Call& call, const std::vector<std::string>& values, bool many,
                       const DataType& type) {
  if (!many) return call.Result(values[0], type);
  std::string sql = "[" + Join(values, ", ") + "]";
  if (!values.empty()) sql = "CASE WHEN " + values[0] + " IS NULL THEN NULL ELSE " + sql + " END";
  return call.Result(sql, DataType::Array(type, false));
}

// kind: bit 0 descending order, bit 1 discrete (percentile_disc).
Result<Typed> ExactPercentile(Call& call, Typed x, size_t x_index, const Percentages& percentages,
                              const std::string& frequency, int kind) {
  SLUICE_ASSIGN_OR_RETURN(std::string value, PercentileInput(call, x, x_index));
  const DataType type = PercentileResultType(x.type);
  std::vector<std::string> values;
  for (double p : percentages.values) {
    values.push_back(PercentileOutput(
        NativeAggregateSql(call, "spark_percentile",
                           {value, DoubleLiteral(p), frequency, std::to_string(kind)}),
        x.type));
  }
  return PercentileResult(call, values, percentages.many, type);
}

// percentile(col, percentage [, frequency]): exact, interpolated between neighbours.
Result<Typed> PercentileFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(Percentages percentages, PercentagesOf(call, 1));
  std::string frequency = "CAST(1 AS BIGINT)";
  if (call.args.size() == 3) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 2, AnyIntegral()));
    frequency = "CAST(" + call.args[2].sql + " AS BIGINT)";
  }
  return ExactPercentile(call, call.args[0], 0, percentages, frequency, 0);
}

// median(col): percentile(col, 0.5).
Result<Typed> MedianFn(Call& call) {
  return ExactPercentile(call, call.args[0], 0, Percentages{{0.5}, false}, "CAST(1 AS BIGINT)", 0);
}

// The ordered column of WITHIN GROUP (ORDER BY col [DESC]), which must be there.
Result<std::pair<Typed, bool>> WithinGroupColumn(Call& call) {
  const auto& order = call.node.within_group;
  if (order.size() != 1) {
    return call.Error(call.name + " needs WITHIN GROUP (ORDER BY one column)");
  }
  ExprContext context;
  context.aggregates_allowed = false;
  context.windows_allowed = false;
  SLUICE_ASSIGN_OR_RETURN(Typed x, call.translator.Translate(*order[0].expr, call.scope, context));
  return std::make_pair(std::move(x), !order[0].ascending);
}

// percentile_cont(p) / percentile_disc(p) WITHIN GROUP (ORDER BY col [DESC]).
Result<Typed> OrderedPercentileFn(Call& call, bool discrete) {
  SLUICE_ASSIGN_OR_RETURN(auto column, WithinGroupColumn(call));
  SLUICE_ASSIGN_OR_RETURN(Percentages percentages, PercentagesOf(call, 0));
  const auto& [x, descending] = column;
  SLUICE_ASSIGN_OR_RETURN(Typed out, ExactPercentile(call, x, 0, percentages, "CAST(1 AS BIGINT)",
                                                     (descending ? 1 : 0) | (discrete ? 2 : 0)));
  out.name = call.name + "(" + call.args[0].name + ") WITHIN GROUP (ORDER BY " + x.name +
             (descending ? " DESC" : "") + ")";
  return out;
}

// percentile_approx(col, percentage [, accuracy]): a value of the column, chosen as
// Spark's quantile summary chooses it; of the column's type.
Result<Typed> ApproximatePercentileFn(Call& call) {
  Typed& x = call.args[0];
  const DataType type = x.type;
  std::string value;
  if (type.is(TypeId::kDate)) {
    value = "CAST(" + x.sql + " - DATE '1970-01-01' AS DOUBLE)";
  } else if (type.is(TypeId::kTimestamp) || type.is(TypeId::kTimestampNtz)) {
    value = "CAST(epoch_us(" + x.sql + ") AS DOUBLE)";
  } else {
    SLUICE_ASSIGN_OR_RETURN(value, PercentileInput(call, x, 0));
  }
  const DataType result = type.is(TypeId::kString) ? kDouble : type;
  SLUICE_ASSIGN_OR_RETURN(Percentages percentages, PercentagesOf(call, 1));
  int64_t accuracy = 10000;
  if (call.args.size() == 3) {
    SLUICE_ASSIGN_OR_RETURN(accuracy, LiteralInt(call, 2, "the accuracy"));
    if (accuracy <= 0 || accuracy > 2147483647) {
      return call.ArgError(
          2, "the accuracy of " + call.name + " must be a positive integer up to 2147483647");
    }
  }
  std::vector<std::string> values;
  for (double p : percentages.values) {
    const std::string d = NativeAggregateSql(
        call, "spark_percentile_approx",
        {value, DoubleLiteral(p), "CAST(" + std::to_string(accuracy) + " AS INTEGER)"});
    std::string out;
    if (result.is(TypeId::kDate)) {
      out = "(DATE '1970-01-01' + spark_double_to_int(" + d + "))";
    } else if (result.is(TypeId::kTimestamp)) {
      out = "(TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_microseconds(spark_double_to_long(" + d +
            ")))";
    } else if (result.is(TypeId::kTimestampNtz)) {
      out = "(TIMESTAMP '1970-01-01 00:00:00' + to_microseconds(spark_double_to_long(" + d + ")))";
    } else if (result.IsInterval()) {
      out = PercentileOutput(d, result);
    } else {
      Typed as_double;
      as_double.sql = d;
      as_double.type = kDouble;
      out = call.translator.Coerce(as_double, result).sql;
    }
    values.push_back(out);
  }
  return PercentileResult(call, values, percentages.many, result);
}

// mode(col [, deterministic]) and mode() WITHIN GROUP (ORDER BY col [DESC]): the most
// frequent non-NULL value; among equally frequent values the smallest (the largest with
// DESC). Spark 3.5 leaves the choice among ties unspecified.
Result<Typed> ModeFn(Call& call) {
  Typed x;
  bool descending = false;
  std::string name;
  if (call.args.empty()) {
    SLUICE_ASSIGN_OR_RETURN(auto column, WithinGroupColumn(call));
    x = column.first;
    descending = column.second;
    name = "mode() WITHIN GROUP (ORDER BY " + x.name + (descending ? " DESC" : "") + ")";
  } else {
    if (!call.node.within_group.empty()) {
      return call.Error("mode takes its column either as an argument or in WITHIN GROUP");
    }
    if (call.args.size() == 2) {
      SLUICE_RETURN_IF_ERROR(Expect(call, 1, Boolean()));
      if (!call.args[1].literal || call.args[1].IsNullLiteral()) {
        return call.ArgError(1, "the deterministic argument of mode must be a boolean literal");
      }
    }
    x = call.args[0];
    name = "mode(" + x.name + ")";
  }
  if (x.type.is(TypeId::kMap)) return call.Error("mode cannot compare maps");
  // Value counts; the entry with the highest count and, among those, the smallest key.
  const std::string counts =
      call.Aggregate("histogram", {"{'k': " + x.sql + "}"}, x.sql + " IS NOT NULL");
  const std::string entries =
      "list_transform(map_entries(" + counts + "), lambda __e: {'c': " +
      (descending ? "CAST(__e.value AS BIGINT)" : "-CAST(__e.value AS BIGINT)") +
      ", 'k': __e.key.k})";
  const std::string sorted =
      descending ? "list_sort(" + entries + ", 'DESC')" : "list_sort(" + entries + ")";
  Typed out = call.Result("(" + sorted + ")[1].k", x.type);
  out.name = name;
  return out;
}

// Aggregates whose results are sketches in a binary format of Spark's libraries.
ScalarFn Refused(const char* reason) {
  return [reason](Call& call) -> Result<Typed> {
    return call.translator.UnsupportedAt(call.node.span,
                                         call.name + " is not supported: " + reason);
  };
}

}  // namespace

void AddStatisticalAggregates(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kAggregate;
  Define(map, "stddev", k, 1, 1, Statistic("spark_stddev_samp"), kGroup);
  Alias(map, "stddev_samp", "stddev");
  Alias(map, "std", "stddev");
  Define(map, "stddev_pop", k, 1, 1, Statistic("spark_stddev_pop"), kGroup);
  Define(map, "variance", k, 1, 1, Statistic("spark_var_samp"), kGroup);
  Alias(map, "var_samp", "variance");
  Define(map, "var_pop", k, 1, 1, Statistic("spark_var_pop"), kGroup);
  Define(map, "skewness", k, 1, 1, Statistic("spark_skewness"), kGroup);
  Define(map, "kurtosis", k, 1, 1, Statistic("spark_kurtosis"), kGroup);
  Define(map, "corr", k, 2, 2, Statistic("spark_corr"), kGroup);
  Define(map, "covar_pop", k, 2, 2, Statistic("spark_covar_pop"), kGroup);
  Define(map, "covar_samp", k, 2, 2, Statistic("spark_covar_samp"), kGroup);
  Define(map, "regr_count", k, 2, 2, RegrCountFn, kGroup);
  Define(map, "regr_avgx", k, 2, 2, RegrAverageOf(1), kGroup);
  Define(map, "regr_avgy", k, 2, 2, RegrAverageOf(0), kGroup);
  Define(map, "regr_sxx", k, 2, 2, MomentSumOf(1), kGroup);
  Define(map, "regr_syy", k, 2, 2, MomentSumOf(0), kGroup);
  Define(map, "regr_sxy", k, 2, 2, Statistic("spark_comoment_sum"), kGroup);
  Define(map, "regr_r2", k, 2, 2, Statistic("spark_regr_r2"), kGroup);
  Define(map, "regr_slope", k, 2, 2, Statistic("spark_regr_slope"), kGroup);
  Define(map, "regr_intercept", k, 2, 2, Statistic("spark_regr_intercept"), kGroup);

  Define(map, "percentile", k, 2, 3, PercentileFn, kGroup);
  Define(map, "median", k, 1, 1, MedianFn, kGroup);
  Define(
      map, "percentile_cont", k, 1, 1, [](Call& c) { return OrderedPercentileFn(c, false); },
      kGroup);
  Define(
      map, "percentile_disc", k, 1, 1, [](Call& c) { return OrderedPercentileFn(c, true); },
      kGroup);
  Define(map, "percentile_approx", k, 2, 3, ApproximatePercentileFn, kGroup);
  Alias(map, "approx_percentile", "percentile_approx");
  Define(map, "mode", k, 0, 2, ModeFn, kGroup);
  for (const char* name : {"percentile_cont", "percentile_disc", "mode"})
    map[name].within_group = true;

  // An approximate count whose error bound (relativeSD, 5% by default) the exact count
  // always meets: sluice counts exactly rather than estimate with another sketch than
  // Spark's HyperLogLog++.
  Define(
      map, "approx_count_distinct", k, 1, 2,
      [](Call& c) -> Result<Typed> {
        if (c.args.size() == 2) {
          SLUICE_RETURN_IF_ERROR(Expect(c, 1, Double()));
          if (!c.args[1].literal && !c.args[1].IsNullLiteral()) {
            return c.ArgError(1, "the relative standard deviation must be a literal");
          }
        }
        Call distinct = c;
        distinct.distinct = true;
        Typed out = c.Result(distinct.Aggregate("count", {c.args[0].sql}),
                             DataType::Of(TypeId::kLong), false);
        return out;
      },
      kGroup);
  Define(map, "histogram_numeric", k, 2, 2,
         Refused("Spark's bins come from its streaming histogram algorithm (with seeded random "
                 "tie-breaking), which sluice does not reproduce"),
         kGroup);
  Define(map, "count_min_sketch", k, 4, 4,
         Refused("its result is a serialized CountMinSketch of Spark's sketch library"), kGroup);
  Define(map, "hll_sketch_agg", k, 1, 2,
         Refused("its result is an Apache DataSketches HLL sketch in its binary format"), kGroup);
  Define(map, "hll_union_agg", k, 1, 2,
         Refused("it merges Apache DataSketches HLL sketches in their binary format"), kGroup);
}

}  // namespace sluice::spark::internal
