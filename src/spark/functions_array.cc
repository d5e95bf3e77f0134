// Array functions: array, array_append, array_prepend, array_compact, array_contains,
// array_insert, array_join, array_max, array_min, array_position, array_remove,
// array_repeat, arrays_zip, flatten, sequence, shuffle, slice, sort_array.
#include <set>

#include "common/strings.h"
#include "spark/collection_internal.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "array_funcs";

const DataType& Element(const Call& call, size_t i) { return *call.args[i].type.element; }

// array(...): the elements at their wider common type; array() is ARRAY<VOID>.
Result<Typed> ArrayFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(DataType element, CommonType(call, 0, call.args.size()));
  std::vector<std::string> items;
  for (const Typed& arg : call.args) items.push_back(arg.sql);
  const DataType type = DataType::Array(element);
  return call.Result(As("[" + Join(items, ", ") + "]", type), type, false);
}

// An array and a value meeting at the tightest common type of the element and the value
// (array_append, array_prepend, array_position, array_remove): the new element type.
Result<DataType> ArrayAndValue(Call& call, size_t array, size_t value, bool widen_decimals) {
  if (!call.args[array].type.is(TypeId::kArray)) {
    return call.ArgError(array, "argument " + std::to_string(array + 1) + " of " + call.name +
                                    " must be an array, but '" + call.args[array].name + "' is " +
                                    call.args[array].type.Sql());
  }
  const DataType& element = Element(call, array);
  auto common = widen_decimals ? WiderTypeWithoutStringPromotion(element, call.args[value].type)
                               : TightestCommonType(element, call.args[value].type);
  if (!common) {
    return call.ArgError(value, call.name + ": '" + call.args[value].name + "' (" +
                                    call.args[value].type.Sql() +
                                    ") does not meet the array's element type " + element.Sql());
  }
  CoerceArgs(call, array, array + 1, DataType::Array(*common));
  CoerceArgs(call, value, value + 1, *common);
  return *common;
}

Status RefuseNullType(Call& call) {
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (call.args[i].type.is(TypeId::kNull)) {
      return call.ArgError(i, call.name + " does not take an untyped NULL argument");
    }
  }
  return Status::OK();
}

Result<Typed> AppendFn(Call& call, bool prepend) {
  SLUICE_ASSIGN_OR_RETURN(DataType element, ArrayAndValue(call, 0, 1, false));
  const std::string& a = call.args[0].sql;
  const std::string& v = call.args[1].sql;
  return call.Result(
      "CASE WHEN " + a + " IS NOT NULL THEN " +
          (prepend ? "list_prepend(" + v + ", " + a + ")" : "list_append(" + a + ", " + v + ")") +
          " END",
      DataType::Array(element));
}

Result<Typed> ContainsFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(RefuseNullType(call));
  SLUICE_ASSIGN_OR_RETURN(DataType element, ArrayAndValue(call, 0, 1, true));
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, element));
  return call.Result(Fill("spark_array_contains({0}, {1})", call.args),
                     DataType::Of(TypeId::kBoolean));
}

Result<Typed> PositionFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(RefuseNullType(call));
  SLUICE_ASSIGN_OR_RETURN(DataType element, ArrayAndValue(call, 0, 1, false));
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, element));
  return call.Result(Fill("CASE WHEN {0} IS NOT NULL AND {1} IS NOT NULL THEN "
                          "CAST(coalesce(list_position({0}, {1}), 0) AS BIGINT) END",
                          call.args),
                     DataType::Of(TypeId::kLong));
}

Result<Typed> RemoveFn(Call& call) {
  SLUICE_ASSIGN_OR_RETURN(DataType element, ArrayAndValue(call, 0, 1, false));
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, element));
  const std::string v = call.translator.NewLambdaVariable();
  return call.Result(Fill("CASE WHEN {1} IS NOT NULL THEN list_filter({0}, lambda " + v + ": " + v +
                              " IS NULL OR " + v + " IS DISTINCT FROM {1}) END",
                          call.args),
                     call.args[0].type);
}

// array_insert(array, pos, value): 1-based; a negative pos counts from the end (-1 appends);
// positions past either end pad with NULLs.
Result<Typed> InsertFn(Call& call) {
  if (!call.args[0].type.is(TypeId::kArray)) {
    return call.ArgError(0, "array_insert needs an array, but '" + call.args[0].name + "' is " +
                                call.args[0].type.Sql());
  }
  const DataType& position = call.args[1].type;
  if (!(position.is(TypeId::kInt) || position.is(TypeId::kShort) || position.is(TypeId::kByte))) {
    return call.ArgError(1, "the position of array_insert must be an INT, not " + position.Sql());
  }
  SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
  SLUICE_ASSIGN_OR_RETURN(DataType element, ArrayAndValue(call, 0, 2, false));
  return call.Result(Fill("spark_array_insert({0}, {1}, {2})", call.args),
                     DataType::Array(element));
}

// array_join(array, delimiter[, null_replacement]): NULL elements are skipped, or replaced.
Result<Typed> JoinFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  const DataType strings = DataType::Array(DataType::Of(TypeId::kString));
  if (!Element(call, 0).is(TypeId::kString)) {
    if (!Element(call, 0).IsAtomic()) {
      return call.ArgError(0, "array_join needs an array of strings, but '" + call.args[0].name +
                                  "' is " + call.args[0].type.Sql());
    }
    CoerceArgs(call, 0, 1, strings);
  }
  for (size_t i = 1; i < call.args.size(); ++i) SLUICE_RETURN_IF_ERROR(Expect(call, i, String()));
  const std::string& a = call.args[0].sql;
  const std::string& sep = call.args[1].sql;
  if (call.args.size() == 2) {
    return call.Result(
        "CASE WHEN " + sep + " IS NOT NULL THEN spark_join(" + a + ", " + sep + ") END",
        DataType::Of(TypeId::kString));
  }
  const std::string& replacement = call.args[2].sql;
  const std::string v = call.translator.NewLambdaVariable();
  return call.Result("CASE WHEN " + sep + " IS NOT NULL AND " + replacement +
                         " IS NOT NULL THEN spark_join(list_transform(" + a + ", lambda " + v +
                         ": coalesce(" + v + ", " + replacement + ")), " + sep + ") END",
                     DataType::Of(TypeId::kString));
}

// array_min / array_max: NULLs skipped; NaN is the largest; the first of equal values.
Result<Typed> ExtremeFn(Call& call, bool max) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  const DataType element = Element(call, 0);
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, element));
  const std::string& a = call.args[0].sql;
  const char* function = max ? "list_max" : "list_min";
  if (!NeedsOrderKey(element)) return call.Result(std::string(function) + "(" + a + ")", element);
  const std::string x = call.translator.NewLambdaVariable();
  const std::string i = call.translator.NewLambdaVariable();
  const std::string key = SparkOrderKey(call.translator, x, element);
  return call.Result("struct_extract(" + std::string(function) + "(list_transform(" + a +
                         ", lambda " + x + ", " + i + ": CASE WHEN " + x +
                         " IS NOT NULL THEN struct_pack(k := " + key +
                         ", i := " + (max ? "-" : "") + i + ", v := " + x + ") END)), 'v')",
                     element);
}

// sort_array(array[, ascending]): NULLs first ascending, last descending; stable.
Result<Typed> SortArrayFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  bool ascending = true;
  if (call.args.size() == 2) {
    const Typed& order = call.args[1];
    if (!order.literal || !order.literal->type.is(TypeId::kBoolean)) {
      return call.ArgError(1, "the order of sort_array must be the literal true or false");
    }
    ascending = order.literal->text == "true";
  }
  const DataType element = Element(call, 0);
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, element));
  const std::string& a = call.args[0].sql;
  if (!NeedsOrderKey(element)) {
    return call.Result(
        "list_sort(" + a + (ascending ? ", 'ASC', 'NULLS FIRST')" : ", 'DESC', 'NULLS LAST')"),
        call.args[0].type);
  }
  const std::string x = call.translator.NewLambdaVariable();
  const std::string i = call.translator.NewLambdaVariable();
  const std::string s = call.translator.NewLambdaVariable();
  return call.Result("list_transform(list_sort(list_transform(" + a + ", lambda " + x + ", " + i +
                         ": struct_pack(g := " + x +
                         " IS NOT NULL, k := " + SparkOrderKey(call.translator, x, element) +
                         ", i := " + (ascending ? "" : "-") + i + ", v := " + x + ")), '" +
                         (ascending ? "ASC" : "DESC") + "'), lambda " + s + ": struct_extract(" +
                         s + ", 'v'))",
                     call.args[0].type);
}

// The struct field name arrays_zip gives argument i (ArraysZip's names).
Result<std::string> ZipFieldName(Call& call, size_t i) {
  const Expr& raw = *call.raw[i];
  if (raw.kind == ExprKind::kColumn) return raw.parts.back();
  if (raw.kind == ExprKind::kField) return raw.name;
  if (raw.kind == ExprKind::kSubscript && !call.args[i].type.is(TypeId::kNull)) {
    // s['f'] names the field; a map lookup names its key, which sluice does not reproduce.
    return call.translator.UnsupportedAt(
        raw.span, "arrays_zip of a subscript: Spark names the field after the subscript");
  }
  return std::to_string(i);
}

Result<Typed> ArraysZipFn(Call& call) {
  std::vector<StructField> fields;
  std::vector<std::string> items, nulls, lengths;
  std::set<std::string> seen;
  const std::string j = call.translator.NewLambdaVariable();
  for (size_t i = 0; i < call.args.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(ExpectArray(call, i));
    SLUICE_ASSIGN_OR_RETURN(std::string name, ZipFieldName(call, i));
    if (!seen.insert(ToLower(name)).second) {
      return call.translator.UnsupportedAt(call.raw[i]->span,
                                           "arrays_zip with two arrays named '" + name +
                                               "': DuckDB structs cannot repeat a field name");
    }
    fields.push_back(
        StructField{name, std::make_shared<const DataType>(Element(call, i)), true, {}});
    items.push_back(QuoteIdentifier(name) + " := list_extract(" + call.args[i].sql + ", " + j +
                    ")");
    nulls.push_back(call.args[i].sql + " IS NULL");
    lengths.push_back("len(" + call.args[i].sql + ")");
  }
  const DataType type = DataType::Array(DataType::Struct(fields), false);
  if (call.args.empty()) return call.Result(As("[]", type), type, false);
  const std::string longest =
      lengths.size() == 1 ? lengths[0] : "greatest(" + Join(lengths, ", ") + ")";
  return call.Result("CASE WHEN NOT (" + Join(nulls, " OR ") + ") THEN list_transform(range(1, " +
                         longest + " + 1), lambda " + j + ": struct_pack(" + Join(items, ", ") +
                         ")) END",
                     type);
}

// flatten(array of arrays): NULL when the outer array or any inner array is NULL.
Result<Typed> FlattenFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  if (!Element(call, 0).is(TypeId::kArray)) {
    return call.ArgError(0, "flatten needs an array of arrays, but '" + call.args[0].name +
                                "' is " + call.args[0].type.Sql());
  }
  return call.Result(
      Fill("CASE WHEN list_position({0}, NULL) IS NULL THEN flatten({0}) END", call.args),
      Element(call, 0));
}

// array_repeat(element, count): count must be an INT; NULL count gives NULL.
Result<Typed> RepeatFn(Call& call) {
  if (call.args[1].type.is(TypeId::kNull)) SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
  if (!call.args[1].type.is(TypeId::kInt)) {
    return call.ArgError(
        1, "the count of array_repeat must be an INT, not " + call.args[1].type.Sql());
  }
  const std::string v = call.translator.NewLambdaVariable();
  const DataType type = DataType::Array(call.args[0].type);
  return call.Result(
      HoldVoid(Fill("CASE WHEN {1} > 2147483632 THEN error('[COLLECTION_SIZE_LIMIT_EXCEEDED] "
                    "Can''t create "
                    "array with ' || {1} || ' elements which exceeding the array size limit "
                    "2147483632.') "
                    "WHEN {1} IS NOT NULL THEN list_transform(range(greatest({1}, 0)), lambda " +
                        v + ": {0}) END",
                    call.args),
               type),
      type);
}

Result<Typed> SliceFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
  SLUICE_RETURN_IF_ERROR(Expect(call, 2, Int()));
  return call.Result(Fill("spark_slice({0}, {1}, {2})", call.args), call.args[0].type);
}

Result<Typed> ShuffleFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  const std::string x = call.translator.NewLambdaVariable();
  const std::string s = call.translator.NewLambdaVariable();
  return call.Result("list_transform(list_sort(list_transform(" + call.args[0].sql + ", lambda " +
                         x + ": struct_pack(r := random(), v := " + x + "))), lambda " + s +
                         ": struct_extract(" + s + ", 'v'))",
                     call.args[0].type);
}

// sequence(start, stop[, step]) of integers, dates or timestamps; the default step is 1
// (one day) towards the stop.
Result<Typed> SequenceFn(Call& call) {
  const bool interval_step = call.args.size() == 3 && call.args[2].type.IsInterval();
  SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 0, interval_step ? 2 : call.args.size()));
  const std::string& a = call.args[0].sql;
  const std::string& b = call.args[1].sql;
  const std::string toward = "CASE WHEN " + a + " <= " + b + " THEN 1 ELSE -1 END";
  const DataType result = DataType::Array(type, false);
  if (type.IsIntegral()) {
    if (interval_step)
      return call.ArgError(2, "the step of an integer sequence must be an integer");
    const std::string step = call.args.size() == 3 ? call.args[2].sql : toward;
    return call.Result(As("spark_sequence_long(" + a + ", " + b + ", " + step + ")", result),
                       result);
  }
  if (!type.IsDatetime()) {
    return call.Error("sequence needs integers, dates or timestamps, not " + type.Sql());
  }
  if (call.args.size() == 3 && !interval_step) {
    return call.ArgError(2, "the step of a sequence of dates or timestamps must be an interval");
  }
  // The step as months, days and microseconds, as Spark splits each interval type.
  std::string months = "0", days = toward, micros = "0";
  if (interval_step) {
    const Typed& step = call.args[2];
    const std::string total = "spark_interval_micros(" + step.sql + ")";
    if (step.type.is(TypeId::kYearMonthInterval)) {
      months = "spark_interval_months(" + step.sql + ")";
      days = "0";
    } else if (step.type.is(TypeId::kDayTimeInterval)) {
      days = "(" + total + " // 86400000000)";
      micros = "(" + total + " % 86400000000)";
    } else {
      months = "spark_interval_months(" + step.sql + ")";
      days = "date_part('day', " + step.sql + ")";
      micros = "(" + total + " - date_part('day', " + step.sql + ") * 86400000000)";
    }
  }
  const std::string parts = months + ", " + days + ", " + micros;
  if (type.is(TypeId::kDate)) {
    const std::string interval_name =
        interval_step ? call.args[2].type.SimpleString() : std::string("interval");
    const std::string x = call.translator.NewLambdaVariable();
    const std::string t = call.translator.NewLambdaVariable();
    return call.Result(
        "CASE WHEN " + a + " IS NULL OR " + b + " IS NULL THEN NULL WHEN " + months + " = 0 AND " +
            days + " = 0 THEN error('sequence step must be an " + interval_name +
            " of day granularity if start and end values are dates') WHEN " + months + " = 0 AND " +
            micros + " = 0 THEN list_transform(spark_sequence_long(" + a +
            " - DATE '1970-01-01', " + b + " - DATE '1970-01-01', " + days + "), lambda " + x +
            ": CAST(DATE '1970-01-01' + CAST(" + x + " AS INTEGER) AS DATE)) ELSE " +
            "list_transform(spark_sequence_time(CAST(" + a +
            " AS TIMESTAMP WITH TIME ZONE), CAST(" + b + " AS TIMESTAMP WITH TIME ZONE), " + parts +
            "), lambda " + t + ": CAST(" + t + " AS DATE)) END",
        result);
  }
  return call.Result("spark_sequence_time(" + a + ", " + b + ", " + parts + ")", result);
}

}  // namespace

void AddArrayFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "array", k, 0, -1, ArrayFn, kGroup);
  Define(
      map, "array_append", k, 2, 2, [](Call& c) { return AppendFn(c, false); }, kGroup);
  Define(
      map, "array_prepend", k, 2, 2, [](Call& c) { return AppendFn(c, true); }, kGroup);
  Define(
      map, "array_compact", k, 1, 1,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
        const std::string v = call.translator.NewLambdaVariable();
        return call.Result(
            "list_filter(" + call.args[0].sql + ", lambda " + v + ": " + v + " IS NOT NULL)",
            DataType::Array(Element(call, 0), false));
      },
      kGroup);
  Define(map, "array_contains", k, 2, 2, ContainsFn, kGroup);
  Define(map, "array_position", k, 2, 2, PositionFn, kGroup);
  Define(map, "array_remove", k, 2, 2, RemoveFn, kGroup);
  Define(map, "array_insert", k, 3, 3, InsertFn, kGroup);
  Define(map, "array_join", k, 2, 3, JoinFn, kGroup);
  Define(
      map, "array_max", k, 1, 1, [](Call& c) { return ExtremeFn(c, true); }, kGroup);
  Define(
      map, "array_min", k, 1, 1, [](Call& c) { return ExtremeFn(c, false); }, kGroup);
  Define(map, "array_repeat", k, 2, 2, RepeatFn, kGroup);
  Define(map, "arrays_zip", k, 0, -1, ArraysZipFn, kGroup);
  Define(map, "flatten", k, 1, 1, FlattenFn, kGroup);
  Define(map, "sequence", k, 2, 3, SequenceFn, kGroup);
  Define(map, "shuffle", k, 1, 1, ShuffleFn, kGroup);
  Define(map, "slice", k, 3, 3, SliceFn, kGroup);
  Define(map, "sort_array", k, 1, 2, SortArrayFn, kGroup);
}

void AddArrayMacros(std::vector<MacroDef>& out) {
  // array_contains: true when found; else NULL when the array holds a NULL; else false.
  out.push_back({"spark_array_contains(a, v)",
                 "CASE WHEN a IS NULL OR v IS NULL THEN NULL WHEN list_contains(a, v) THEN TRUE "
                 "WHEN list_position(a, NULL) IS NOT NULL THEN NULL ELSE FALSE END"});
  // array_insert at a 1-based position p >= 1, padding with NULLs past the end.
  out.push_back({"spark_array_insert_at(a, p, v)",
                 "CASE WHEN p <= len(a) + 1 THEN list_concat(list_concat(list_slice(a, 1, p - 1), "
                 "[v]), list_slice(a, p, len(a))) ELSE list_concat(list_resize(a, p - 1), [v]) "
                 "END"});
  out.push_back(
      {"spark_array_insert(a, p, v)",
       "CASE WHEN a IS NULL OR p IS NULL THEN NULL "
       "WHEN p = 0 THEN error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be "
       "either < 0 or > 0 (the first element has index 1).') "
       "WHEN greatest(len(a) + 1, abs(CAST(p AS BIGINT))) > 2147483632 THEN "
       "error('[COLLECTION_SIZE_LIMIT_EXCEEDED] Can''t create an array with more than 2147483632 "
       "elements.') "
       "WHEN p < 0 AND -CAST(p AS BIGINT) > len(a) THEN list_concat(list_concat([v], "
       "list_resize(list_slice(a, 1, 0), -CAST(p AS BIGINT) - 1 - len(a))), a) "
       "ELSE spark_array_insert_at(a, CASE WHEN p < 0 THEN p + len(a) + 2 ELSE p END, v) END"});
  // slice(a, start, length): 1-based start, negative from the end; 0 and a negative length
  // are errors; a start outside the array gives [].
  out.push_back({"spark_slice_start(a, s)",
                 "CASE WHEN s < 0 THEN CAST(s AS BIGINT) + len(a) ELSE CAST(s AS BIGINT) - 1 END"});
  out.push_back(
      {"spark_slice(a, s, l)",
       "CASE WHEN a IS NULL OR s IS NULL OR l IS NULL THEN NULL "
       "WHEN s = 0 THEN error('[INVALID_PARAMETER_VALUE.START] The value of parameter(s) `start` "
       "in `slice` is invalid: Expects a positive or a negative value for `start`, but got 0.') "
       "WHEN l < 0 THEN error('[INVALID_PARAMETER_VALUE.LENGTH] The value of parameter(s) "
       "`length` in `slice` is invalid: Expects `length` greater than or equal to 0, but got ' || "
       "l || '.') "
       "WHEN spark_slice_start(a, s) < 0 OR spark_slice_start(a, s) >= len(a) THEN "
       "list_slice(a, 1, 0) "
       "ELSE list_slice(a, spark_slice_start(a, s) + 1, spark_slice_start(a, s) + l) END"});
  // sequence: Spark's checks of the step's direction and of the length.
  out.push_back({"spark_sequence_ok(a, b, est)",
                 "(est > 0 AND a <= b) OR (est < 0 AND a >= b) OR (est = 0 AND a = b)"});
  out.push_back(
      {"spark_sequence_length(a, b, est)",
       "CAST(CASE WHEN a = b THEN 1 ELSE 1 + (CAST(b AS HUGEINT) - a) // est END AS BIGINT)"});
  out.push_back(
      {"spark_sequence_check(a, b, step, est)",
       "CASE WHEN NOT spark_sequence_ok(a, b, est) THEN error('Illegal sequence boundaries: ' || a "
       "|| ' to ' || b || ' by ' || step) WHEN spark_sequence_length(a, b, est) > 2147483632 THEN "
       "error('Too long sequence: ' || spark_sequence_length(a, b, est) || '. Should be <= "
       "2147483632') ELSE TRUE END"});
  out.push_back({"spark_sequence_long(a, b, s)",
                 "CASE WHEN a IS NULL OR b IS NULL OR s IS NULL THEN NULL "
                 "WHEN NOT spark_sequence_check(a, b, s, s) THEN NULL WHEN a = b THEN "
                 "[CAST(a AS BIGINT)] ELSE generate_series(CAST(a AS BIGINT), CAST(b AS BIGINT), "
                 "CAST(s AS BIGINT)) END"});
  // Temporal sequences: start + i * step (months, days, then microseconds) while within the
  // stop, the length estimated with 28-day months, as Spark's TemporalSequenceImpl.
  out.push_back({"spark_sequence_estimate(m, d, us)",
                 "(CAST(us AS BIGINT) + CAST(m AS BIGINT) * 2419200000000 + CAST(d AS BIGINT) * "
                 "86400000000)"});
  out.push_back({"spark_sequence_take(l, b, forward)",
                 "list_slice(l, 1, coalesce(list_position(list_transform(l, lambda __t: CASE WHEN "
                 "forward THEN __t <= b ELSE __t >= b END), false) - 1, len(l)))"});
  out.push_back(
      {"spark_sequence_time(a, b, m, d, us)",
       "CASE WHEN a IS NULL OR b IS NULL OR m IS NULL OR d IS NULL OR us IS NULL THEN NULL "
       "WHEN spark_sequence_check(epoch_us(a), epoch_us(b), 'interval', "
       "spark_sequence_estimate(m, d, us)) THEN spark_sequence_take(list_transform(range(0, "
       "spark_sequence_length(epoch_us(a), epoch_us(b), spark_sequence_estimate(m, d, us)) + 2), "
       "lambda __i: a + to_months(CAST(__i * m AS INTEGER)) + to_days(CAST(__i * d AS INTEGER)) + "
       "to_microseconds(__i * us)), b, spark_sequence_estimate(m, d, us) > 0) END"});
}

}  // namespace sluice::spark::internal
