// Aggregate functions with Spark's result types and NULL rules: counting, sums and averages,
// extremes, first/last, collections, boolean and bitwise folds, grouping(). The statistical
// and percentile aggregates are in functions_aggregate_stats.cc.
#include "common/strings.h"
#include "spark/functions.h"
#include "spark/functions_aggregate_internal.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "agg_funcs";

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

// How an overflowing sum ends: Spark's default (integers wrap around, decimals become
// NULL), ANSI (an error) or try_sum / try_avg (NULL).
enum class Overflow { kLegacy, kAnsi, kNull };

Overflow OverflowOf(const Call& call, bool try_mode) {
  if (try_mode) return Overflow::kNull;
  return call.options().ansi ? Overflow::kAnsi : Overflow::kLegacy;
}

// An exact integer (DuckDB HUGEINT) as Spark's LONG sum.
std::string LongSum(const std::string& exact, Overflow overflow) {
  switch (overflow) {
    case Overflow::kLegacy:
      return "spark_wrap_long_huge(" + exact + ")";
    case Overflow::kAnsi:
      return "CAST(" + exact + " AS BIGINT)";
    case Overflow::kNull:
      return "TRY_CAST(" + exact + " AS BIGINT)";
  }
  return exact;
}

// The sum of an ANSI interval column in months (year-month) or microseconds (day-time),
// which Spark adds with exact arithmetic: an overflow is an error, or NULL for try_.
std::string IntervalUnits(const Typed& x) {
  return x.type.is(TypeId::kYearMonthInterval) ? "spark_interval_months(" + x.sql + ")"
                                               : "spark_interval_micros(" + x.sql + ")";
}

std::string IntervalOf(const std::string& units, const DataType& type, bool try_mode) {
  const bool months = type.is(TypeId::kYearMonthInterval);
  const std::string cast = try_mode ? "TRY_CAST(" : "CAST(";
  return months ? "to_months(" + cast + units + " AS INTEGER))"
                : "to_microseconds(" + cast + units + " AS BIGINT))";
}

Result<Typed> SumFn(Call& call, bool try_mode) {
  const Overflow overflow = OverflowOf(call, try_mode);
  const DataType in = call.args[0].type;
  if (in.is(TypeId::kDayTimeInterval) || in.is(TypeId::kYearMonthInterval)) {
    const std::string units = call.Aggregate("sum", {IntervalUnits(call.args[0])});
    return call.Result(IntervalOf(units, in, try_mode), in);
  }
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
  const Typed& x = call.args[0];
  if (x.type.IsIntegral()) {
    const std::string exact = call.Aggregate("sum", {"CAST(" + x.sql + " AS HUGEINT)"});
    return call.Result(LongSum(exact, overflow), DataType::Of(TypeId::kLong));
  }
  if (x.type.is(TypeId::kDecimal)) {
    const DataType type = DecimalSumType(x.type);
    return call.Result(DecimalSumSql(call, x, overflow != Overflow::kAnsi), type);
  }
  const DataType d = DataType::Of(TypeId::kDouble);
  return call.Result(call.Aggregate("sum", {call.translator.Coerce(x, d).sql}), d);
}

}  // namespace

// Average of a numeric column: DOUBLE as Spark computes it (a sum of doubles divided by
// the count), for decimal(p, s) an exact decimal(p + 4, s + 4), for an ANSI interval the
// interval's default type.
Result<Typed> AverageFn(Call& call, bool try_mode) {
  const DataType in = call.args[0].type;
  if (in.is(TypeId::kDayTimeInterval) || in.is(TypeId::kYearMonthInterval)) {
    // The exact sum divided by the count, rounded half up, in the interval's default type.
    const bool months = in.is(TypeId::kYearMonthInterval);
    const DataType type =
        months ? DataType::YearMonthInterval(IntervalField::kYear, IntervalField::kMonth)
               : DataType::DayTimeInterval(IntervalField::kDay, IntervalField::kSecond);
    const std::string sum = call.Aggregate("sum", {IntervalUnits(call.args[0])});
    const std::string count = call.Aggregate("count", {call.args[0].sql});
    const std::string total = try_mode
                                  ? "TRY_CAST(" + sum + (months ? " AS INTEGER)" : " AS BIGINT)")
                                  : "CAST(" + sum + (months ? " AS INTEGER)" : " AS BIGINT)");
    return call.Result(
        IntervalOf("spark_div_half_up(CAST(" + total + " AS HUGEINT), " + count + ")", in, false),
        type);
  }
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyNumeric()));
  const Typed& x = call.args[0];
  if (x.type.is(TypeId::kDecimal)) {
    return call.Result(DecimalAverageSql(call, x, OverflowOf(call, try_mode) != Overflow::kAnsi),
                       DecimalAverageType(x.type));
  }
  const DataType d = DataType::Of(TypeId::kDouble);
  const std::string sum = call.Aggregate("sum", {call.translator.Coerce(x, d).sql});
  const std::string count = call.Aggregate("count", {x.sql});
  return call.Result("(" + sum + " / " + count + ")", d);
}

namespace {

Result<Typed> MinMaxFn(Call& call, const char* function) {
  if (call.args[0].type.is(TypeId::kMap))
    return call.Error(std::string(function) + " cannot order maps");
  return call.Result(call.Aggregate(function, {call.args[0].sql}), call.args[0].type);
}

// max_by / min_by: the value of the row with the greatest / least ordering value (rows
// whose ordering value is NULL are skipped; the value itself may be NULL).
Result<Typed> ByFn(Call& call, const char* function) {
  if (call.args[1].type.is(TypeId::kMap)) return call.Error(call.name + " cannot order by a map");
  return call.Result(call.Aggregate(function, {call.args[0].sql, call.args[1].sql}),
                     call.args[0].type);
}

// collect_list / collect_set skip NULLs and give [] for no rows. collect_set's order is
// unspecified in Spark (a hash set's); sluice gives the values in ascending order.
Result<Typed> CollectFn(Call& call, bool set) {
  const Typed& x = call.args[0];
  if (set && x.type.is(TypeId::kMap)) return call.Error("collect_set cannot collect maps");
  Call distinct_call = call;
  distinct_call.distinct = set || call.distinct;
  std::string list = distinct_call.Aggregate("list", {x.sql}, x.sql + " IS NOT NULL");
  if (set) list = "list_sort(" + list + ")";
  const std::string sql = "coalesce(" + list + ", " + As("[]", DataType::Array(x.type)) + ")";
  return call.Result(sql, DataType::Array(x.type, false), false);
}

// first / last (and first_value, last_value, any_value): the first or last value in the
// order rows arrive, NULLs skipped with ignoreNulls (a literal argument or IGNORE NULLS).
Result<Typed> FirstLastFn(Call& call, bool first) {
  bool ignore_nulls = call.ignore_nulls.value_or(false);
  if (call.args.size() == 2) {
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, Boolean()));
    if (!call.args[1].literal || call.args[1].IsNullLiteral())
      return call.ArgError(1, "the ignoreNulls argument of " + call.name + " must be a literal");
    ignore_nulls = call.args[1].literal->text == "true";
  }
  const Typed& x = call.args[0];
  std::string sql;
  if (!call.over.empty()) {
    // In a window, DuckDB's first_value / last_value over the frame.
    sql = std::string(first ? "first_value(" : "last_value(") + x.sql +
          (ignore_nulls ? " IGNORE NULLS" : "") + ")" + call.over;
  } else {
    sql = call.Aggregate(first ? "first" : "last", {x.sql},
                         ignore_nulls ? x.sql + " IS NOT NULL" : "");
  }
  Typed out = call.Result(sql, x.type);
  out.name = call.name + "(" + x.name + ")";
  return out;
}

Result<Typed> BooleanFold(Call& call, const char* function) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Boolean()));
  return call.Result(call.Aggregate(function, {call.args[0].sql}), DataType::Of(TypeId::kBoolean));
}

// bit_and / bit_or / bit_xor: over an integral column, of its type.
Result<Typed> BitFold(Call& call, const char* function) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, AnyIntegral()));
  return call.Result(call.Aggregate(function, {call.args[0].sql}), call.args[0].type);
}

// The distinct expressions of the query's GROUP BY, in order, as SQL (for grouping() and
// grouping_id()); an error unless it has ROLLUP, CUBE or GROUPING SETS.
Result<std::vector<Typed>> GroupingColumns(Call& call) {
  const auto* group_by = call.scope.group_by;
  bool sets = false;
  if (group_by != nullptr) {
    for (const GroupingElement& element : *group_by)
      sets = sets || element.kind != GroupingElement::Kind::kExpr;
  }
  if (!sets) {
    return call.Error(call.name +
                      "() can only be used with GROUP BY ROLLUP, CUBE or GROUPING SETS");
  }
  std::vector<Typed> out;
  ExprContext context;
  context.aggregates_allowed = false;
  context.windows_allowed = false;
  auto add = [&](const Expr& e) -> Status {
    SLUICE_ASSIGN_OR_RETURN(Typed key, call.translator.Translate(e, call.scope, context));
    for (const Typed& seen : out) {
      if (seen.sql == key.sql) return Status::OK();
    }
    out.push_back(std::move(key));
    return Status::OK();
  };
  for (const GroupingElement& element : *group_by) {
    if (element.kind == GroupingElement::Kind::kExpr) {
      SLUICE_RETURN_IF_ERROR(add(*element.expr));
      continue;
    }
    for (const auto& set : element.sets) {
      for (const ExprPtr& e : set) SLUICE_RETURN_IF_ERROR(add(*e));
    }
  }
  return out;
}

Status CheckGrouped(Call& call, const std::vector<Typed>& columns) {
  for (size_t i = 0; i < call.args.size(); ++i) {
    bool found = false;
    for (const Typed& column : columns) found = found || column.sql == call.args[i].sql;
    if (!found) {
      return call.ArgError(
          i, "'" + call.args[i].name + "' of " + call.name + " is not one of the GROUP BY columns");
    }
  }
  return Status::OK();
}

// grouping(col): 1 (TINYINT) where col is aggregated away by ROLLUP / CUBE / GROUPING SETS.
Result<Typed> GroupingFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Typed> columns, GroupingColumns(call));
  SLUICE_RETURN_IF_ERROR(CheckGrouped(call, columns));
  return call.Result(As("GROUPING(" + call.args[0].sql + ")", DataType::Of(TypeId::kByte)),
                     DataType::Of(TypeId::kByte), false);
}

// grouping_id(cols...): grouping() of each column as bits, the first column highest
// (BIGINT); without arguments, over all GROUP BY columns.
Result<Typed> GroupingIdFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<Typed> columns, GroupingColumns(call));
  SLUICE_RETURN_IF_ERROR(CheckGrouped(call, columns));
  std::vector<std::string> keys;
  for (const Typed& key : call.args.empty() ? columns : call.args) keys.push_back(key.sql);
  return call.Result(As("GROUPING(" + Join(keys, ", ") + ")", DataType::Of(TypeId::kLong)),
                     DataType::Of(TypeId::kLong), false);
}

}  // namespace

std::string NativeAggregateSql(const Call& call, std::string_view function,
                               const std::vector<std::string>& args,
                               std::string_view extra_filter) {
  if (call.over.empty()) return call.Aggregate(function, args, extra_filter);
  // The OVER clause as functions.cc writes it: " OVER (PARTITION BY .. ORDER BY .. frame)".
  std::string over = call.over;
  const bool ordered =
      over.find(" ORDER BY ") != std::string::npos || over.find("(ORDER BY ") != std::string::npos;
  const std::string whole = "ROWS BETWEEN UNBOUNDED PRECEDING AND 1000000000000 FOLLOWING";
  const std::string unbounded = "BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING";
  size_t frame = over.find(" ROWS BETWEEN ");
  if (frame == std::string::npos) frame = over.find(" RANGE BETWEEN ");
  if (frame == std::string::npos) frame = over.find("(ROWS BETWEEN ");
  if (frame == std::string::npos) frame = over.find("(RANGE BETWEEN ");
  if (frame == std::string::npos) {
    // No frame: without ORDER BY, the whole partition.
    const bool empty = over[over.size() - 2] == '(';
    if (!ordered) over.insert(over.size() - 1, (empty ? "" : " ") + whole);
  } else {
    const size_t start = frame + 1;
    const std::string clause = over.substr(start, over.size() - 1 - start);
    // A RANGE frame without ORDER BY, or an unbounded one, is the whole partition.
    if (clause.find(unbounded) != std::string::npos ||
        (!ordered && clause.rfind("RANGE", 0) == 0)) {
      over = over.substr(0, start) + whole + ")";
    }
  }
  Call windowed = call;
  windowed.over = over;
  return windowed.Aggregate(function, args, extra_filter);
}

DataType DecimalSumType(const DataType& in) {
  return DataType::Decimal(std::min(kMaxDecimalPrecision, in.precision + 10), in.scale);
}

std::string DecimalSumSql(const Call& call, const Typed& x, bool null_on_overflow) {
  const DataType type = DecimalSumType(x.type);
  const std::string sum = call.Aggregate("sum", {x.sql});
  if (type.precision < kMaxDecimalPrecision) {
    return std::string(null_on_overflow ? "TRY_CAST(" : "CAST(") + sum + " AS " +
           ToDuckDbType(type) + ")";
  }
  // DuckDB's DECIMAL(38, s) sum can hold more than 38 digits: compare with the largest.
  std::string largest(kMaxDecimalPrecision - type.scale, '9');
  if (type.scale > 0) largest += "." + std::string(type.scale, '9');
  const std::string overflow =
      null_on_overflow ? "NULL"
                       : "error('[ARITHMETIC_OVERFLOW] Overflow in sum of decimals. If necessary "
                         "set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.')";
  return "CASE WHEN abs(" + sum + ") > CAST('" + largest + "' AS " + ToDuckDbType(type) +
         ") THEN " + overflow + " ELSE " + sum + " END";
}

DataType DecimalAverageType(const DataType& in) {
  return BoundedDecimal(in.precision + 4, in.scale + 4);
}

std::string DecimalAverageSql(const Call& call, const Typed& x, bool null_on_overflow) {
  const DataType type = DecimalAverageType(x.type);
  const std::string quotient =
      "spark_decimal_average(CAST(" + DecimalSumSql(call, x, null_on_overflow) + " AS VARCHAR), " +
      call.Aggregate("count", {x.sql}) + ", " + std::to_string(type.precision) + ", " +
      std::to_string(type.scale) + ")";
  if (null_on_overflow) return "CAST(" + quotient + " AS " + ToDuckDbType(type) + ")";
  return "CAST(spark_decimal_average_strict(" + quotient + ", " + call.Aggregate("count", {x.sql}) +
         ") AS " + ToDuckDbType(type) + ")";
}

void AddAggregateFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kAggregate;
  Define(map, "count", k, 1, -1, CountFn, kGroup);
  Define(
      map, "sum", k, 1, 1, [](Call& c) { return SumFn(c, false); }, kGroup);
  Define(
      map, "try_sum", k, 1, 1, [](Call& c) { return SumFn(c, true); }, kGroup);
  Define(
      map, "avg", k, 1, 1, [](Call& c) { return AverageFn(c, false); }, kGroup);
  Alias(map, "mean", "avg");
  Define(
      map, "try_avg", k, 1, 1, [](Call& c) { return AverageFn(c, true); }, kGroup);
  Define(
      map, "min", k, 1, 1, [](Call& c) { return MinMaxFn(c, "min"); }, kGroup);
  Define(
      map, "max", k, 1, 1, [](Call& c) { return MinMaxFn(c, "max"); }, kGroup);
  Define(
      map, "max_by", k, 2, 2, [](Call& c) { return ByFn(c, "arg_max_null"); }, kGroup);
  Define(
      map, "min_by", k, 2, 2, [](Call& c) { return ByFn(c, "arg_min_null"); }, kGroup);
  Define(
      map, "collect_list", k, 1, 1, [](Call& c) { return CollectFn(c, false); }, kGroup);
  Alias(map, "array_agg", "collect_list");
  Define(
      map, "collect_set", k, 1, 1, [](Call& c) { return CollectFn(c, true); }, kGroup);
  Define(
      map, "first", k, 1, 2, [](Call& c) { return FirstLastFn(c, true); }, kGroup);
  Alias(map, "first_value", "first");
  Alias(map, "any_value", "first");
  Define(
      map, "last", k, 1, 2, [](Call& c) { return FirstLastFn(c, false); }, kGroup);
  Alias(map, "last_value", "last");
  Define(
      map, "count_if", k, 1, 1,
      [](Call& c) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(Expect(c, 0, Boolean()));
        return c.Result(c.Aggregate("count_if", {c.args[0].sql}), DataType::Of(TypeId::kLong),
                        false);
      },
      kGroup);
  Define(
      map, "bool_and", k, 1, 1, [](Call& c) { return BooleanFold(c, "bool_and"); }, kGroup);
  Alias(map, "every", "bool_and");
  Define(
      map, "bool_or", k, 1, 1, [](Call& c) { return BooleanFold(c, "bool_or"); }, kGroup);
  Alias(map, "some", "bool_or");
  Alias(map, "any", "bool_or");
  Define(
      map, "bit_and", k, 1, 1, [](Call& c) { return BitFold(c, "bit_and"); }, kGroup);
  Define(
      map, "bit_or", k, 1, 1, [](Call& c) { return BitFold(c, "bit_or"); }, kGroup);
  Define(
      map, "bit_xor", k, 1, 1, [](Call& c) { return BitFold(c, "bit_xor"); }, kGroup);
  Define(map, "grouping", k, 1, 1, GroupingFn, kGroup);
  Define(map, "grouping_id", k, 0, -1, GroupingIdFn, kGroup);
  AddStatisticalAggregates(map);
}

void AddAggregateMacros(std::vector<MacroDef>& out) {
  // A 128-bit integer's low 64 bits as a signed LONG: Java's wrap-around of a long sum. A sum
  // within a LONG's range is cast directly: 128-bit division is slow.
  out.push_back({"spark_wrap_long_huge(h)",
                 "CASE WHEN h BETWEEN -9223372036854775808 AND 9223372036854775807 THEN "
                 "CAST(h AS BIGINT) ELSE "
                 "CAST(((CAST(h AS HUGEINT) + 9223372036854775808) % 18446744073709551616 + "
                 "18446744073709551616) % 18446744073709551616 - 9223372036854775808 AS BIGINT) "
                 "END"});
  // ANSI avg of decimals: a quotient that does not fit its type (NULL from
  // spark_decimal_average while there were rows) is an error.
  out.push_back(
      {"spark_decimal_average_strict(q, n)",
       "CASE WHEN q IS NULL AND n > 0 THEN error('[NUMERIC_VALUE_OUT_OF_RANGE] The average does "
       "not fit its decimal type. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to "
       "bypass this error.') ELSE q END"});
}

}  // namespace sluice::spark::internal
