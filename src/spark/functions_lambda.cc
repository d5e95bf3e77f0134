// Higher-order functions: transform, filter, exists, forall, aggregate (reduce), zip_with,
// map_filter, map_zip_with, transform_keys, transform_values, array_sort. Spark's lambdas
// become DuckDB lambdas (Call::Lambda); Spark's indexes are 0-based where DuckDB's are
// 1-based.
#include "common/strings.h"
#include "spark/collection_internal.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "lambda_funcs";
using Parameter = Call::LambdaParameter;

void DefineHigherOrder(FunctionMap& map, const char* name, int min_args, int max_args,
                       ScalarFn fn) {
  Define(map, name, FunctionKind::kScalar, min_args, max_args, std::move(fn), kGroup);
  map[name].takes_lambdas = true;
}

// The lambda argument i must name exactly `arity` parameters (or one of `arities`).
Status ExpectArity(Call& call, size_t i, std::initializer_list<size_t> arities) {
  const size_t arity = call.LambdaArity(i);
  for (size_t allowed : arities) {
    if (arity == allowed) return Status::OK();
  }
  std::vector<std::string> counts;
  for (size_t allowed : arities) counts.push_back(std::to_string(allowed));
  if (call.raw[i]->kind != ExprKind::kLambda) {
    return call.ArgError(
        i, "argument " + std::to_string(i + 1) + " of " + call.name + " must be a lambda function");
  }
  return call.ArgError(i, "the lambda of " + call.name + " takes " + Join(counts, " or ") +
                              " parameters, not " + std::to_string(arity));
}

// transform(array, x -> ...) or (x, i) -> ...; filter likewise with a predicate.
Result<Typed> ArrayLambdaFn(Call& call, bool filter) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  SLUICE_RETURN_IF_ERROR(ExpectArity(call, 1, {1, 2}));
  const DataType element = *call.args[0].type.element;
  SLUICE_ASSIGN_OR_RETURN(
      Typed lambda, call.Lambda(1,
                                {Parameter{element, ""},
                                 Parameter{DataType::Of(TypeId::kInt), "CAST({1} - 1 AS INTEGER)"}},
                                call.LambdaArity(1)));
  call.args[1].name = lambda.name;
  if (!filter) {
    const DataType type = DataType::Array(lambda.type);
    return call.Result(
        HoldVoid("list_transform(" + call.args[0].sql + ", " + lambda.sql + ")", type), type);
  }
  if (!lambda.type.is(TypeId::kBoolean) && !lambda.type.is(TypeId::kNull)) {
    return call.ArgError(1, "the lambda of filter must return a boolean, not " + lambda.type.Sql());
  }
  return call.Result("list_filter(" + call.args[0].sql + ", " + lambda.sql + ")",
                     call.args[0].type);
}

// exists / forall with three-valued logic: exists is true for any true, else NULL for any
// NULL, else false; forall is false for any false, else NULL for any NULL, else true.
Result<Typed> QuantifierFn(Call& call, bool exists) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  SLUICE_RETURN_IF_ERROR(ExpectArity(call, 1, {1}));
  SLUICE_ASSIGN_OR_RETURN(Typed lambda,
                          call.Lambda(1, {Parameter{*call.args[0].type.element, ""}}, 1));
  call.args[1].name = lambda.name;
  if (!lambda.type.is(TypeId::kBoolean) && !lambda.type.is(TypeId::kNull)) {
    return call.ArgError(
        1, "the lambda of " + call.name + " must return a boolean, not " + lambda.type.Sql());
  }
  // Each element's outcome as 2 (decisive), 1 (NULL) or 0; the largest decides.
  const std::string body = lambda.sql.substr(lambda.sql.find(':') + 1);
  const std::string head = lambda.sql.substr(0, lambda.sql.find(':') + 1);
  const std::string code = head + " coalesce(CAST(" + std::string(exists ? "" : "NOT ") + "(" +
                           body + ") AS INTEGER) * 2, 1)";
  const std::string& a = call.args[0].sql;
  return call.Result("CASE WHEN " + a + " IS NOT NULL THEN [" +
                         (exists ? "FALSE, NULL, TRUE" : "TRUE, NULL, FALSE") +
                         "][coalesce(list_max(list_transform(" + a + ", " + code +
                         ")), 0) + 1] END",
                     DataType::Of(TypeId::kBoolean));
}

// aggregate(array, zero, (acc, x) -> merge[, acc -> finish]).
Result<Typed> AggregateFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  SLUICE_RETURN_IF_ERROR(ExpectArity(call, 2, {2}));
  const DataType zero = call.args[1].type;
  SLUICE_ASSIGN_OR_RETURN(
      Typed merge,
      call.Lambda(2, {Parameter{zero, ""}, Parameter{*call.args[0].type.element, ""}}, 2));
  call.args[2].name = merge.name;
  if (!merge.type.SameType(zero)) {
    return call.ArgError(2, "the merge lambda of " + call.name + " must return " + zero.Sql() +
                                ", the type of the start value, not " + merge.type.Sql());
  }
  const std::string reduced =
      "list_reduce(" + call.args[0].sql + ", " + merge.sql + ", " + call.args[1].sql + ")";
  if (call.args.size() == 3) return call.Result(reduced, zero);
  SLUICE_RETURN_IF_ERROR(ExpectArity(call, 3, {1}));
  SLUICE_ASSIGN_OR_RETURN(Typed finish, call.Lambda(3, {Parameter{zero, ""}}, 1));
  call.args[3].name = finish.name;
  return call.Result("CASE WHEN " + call.args[0].sql + " IS NOT NULL THEN list_transform([" +
                         reduced + "], " + finish.sql + ")[1] END",
                     finish.type);
}

// zip_with(a, b, (x, y) -> ...): the shorter array is padded with NULLs.
Result<Typed> ZipWithFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 1));
  SLUICE_RETURN_IF_ERROR(ExpectArity(call, 2, {2}));
  SLUICE_ASSIGN_OR_RETURN(
      Typed lambda, call.Lambda(2,
                                {Parameter{*call.args[0].type.element, "struct_extract({0}, 1)"},
                                 Parameter{*call.args[1].type.element, "struct_extract({0}, 2)"}},
                                1));
  call.args[2].name = lambda.name;
  const DataType type = DataType::Array(lambda.type);
  return call.Result(HoldVoid(Fill("CASE WHEN {0} IS NOT NULL AND {1} IS NOT NULL THEN "
                                   "list_transform(list_zip({0}, {1}), ",
                                   call.args) +
                                  lambda.sql + ") END",
                              type),
                     type);
}

// The lambda over a map's entries: (k, v) read from a DuckDB entry struct.
Result<Typed> EntryLambda(Call& call, size_t i) {
  SLUICE_RETURN_IF_ERROR(ExpectArity(call, i, {2}));
  const DataType& map = call.args[0].type;
  SLUICE_ASSIGN_OR_RETURN(Typed lambda,
                          call.Lambda(i,
                                      {Parameter{*map.key, "struct_extract({0}, 'key')"},
                                       Parameter{*map.value, "struct_extract({0}, 'value')"}},
                                      1));
  call.args[i].name = lambda.name;
  return lambda;
}

Result<Typed> MapFilterFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectMap(call, 0));
  SLUICE_ASSIGN_OR_RETURN(Typed lambda, EntryLambda(call, 1));
  if (!lambda.type.is(TypeId::kBoolean) && !lambda.type.is(TypeId::kNull)) {
    return call.ArgError(
        1, "the lambda of map_filter must return a boolean, not " + lambda.type.Sql());
  }
  return call.Result(
      As("map_from_entries(list_filter(map_entries(" + call.args[0].sql + "), " + lambda.sql + "))",
         call.args[0].type),
      call.args[0].type);
}

// transform_keys / transform_values: new keys must be unique and not NULL (errors otherwise).
Result<Typed> TransformEntriesFn(Call& call, bool keys) {
  SLUICE_RETURN_IF_ERROR(ExpectMap(call, 0));
  SLUICE_ASSIGN_OR_RETURN(Typed lambda, EntryLambda(call, 1));
  const DataType& map = call.args[0].type;
  const std::string head = lambda.sql.substr(0, lambda.sql.find(':'));
  const std::string entry = head.substr(std::string("lambda ").size());
  std::string body = lambda.sql.substr(lambda.sql.find(':') + 1);
  DataType type;
  std::string pair;
  if (keys) {
    if (lambda.type.is(TypeId::kMap)) return call.ArgError(1, "a map cannot be a map key");
    type = DataType::Map(lambda.type, *map.value);
    if (lambda.type.IsFractional()) {
      body = "CASE WHEN (" + body + ") = 0 THEN CAST(0 AS " + ToDuckDbType(lambda.type) +
             ") ELSE (" + body + ") END";
    }
    pair =
        "struct_pack(\"key\" := " + body + ", \"value\" := struct_extract(" + entry + ", 'value'))";
  } else {
    type = DataType::Map(*map.key, lambda.type);
    pair =
        "struct_pack(\"key\" := struct_extract(" + entry + ", 'key'), \"value\" := " + body + ")";
  }
  return call.Result(As("map_from_entries(list_transform(map_entries(" + call.args[0].sql + "), " +
                            head + ": " + pair + "))",
                        type),
                     type);
}

// map_zip_with(m1, m2, (k, v1, v2) -> ...): over the keys of m1, then those only in m2.
Result<Typed> MapZipWithFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectMap(call, 0));
  SLUICE_RETURN_IF_ERROR(ExpectMap(call, 1));
  SLUICE_RETURN_IF_ERROR(ExpectArity(call, 2, {3}));
  auto key = WiderType(*call.args[0].type.key, *call.args[1].type.key);
  if (!key) {
    return call.Error("map_zip_with needs maps of the same key type, not " +
                      call.args[0].type.Sql() + " and " + call.args[1].type.Sql());
  }
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, *key));
  CoerceArgs(call, 0, 1, DataType::Map(*key, *call.args[0].type.value));
  CoerceArgs(call, 1, 2, DataType::Map(*key, *call.args[1].type.value));
  const std::string& m1 = call.args[0].sql;
  const std::string& m2 = call.args[1].sql;
  SLUICE_ASSIGN_OR_RETURN(
      Typed lambda,
      call.Lambda(2,
                  {Parameter{*key, ""}, Parameter{*call.args[0].type.value, "(" + m1 + ")[{0}]"},
                   Parameter{*call.args[1].type.value, "(" + m2 + ")[{0}]"}},
                  1));
  call.args[2].name = lambda.name;
  const std::string head = lambda.sql.substr(0, lambda.sql.find(':'));
  const std::string k = head.substr(std::string("lambda ").size());
  const std::string body = lambda.sql.substr(lambda.sql.find(':') + 1);
  const std::string other = call.translator.NewLambdaVariable();
  const std::string keys = "list_concat(map_keys(" + m1 + "), list_filter(map_keys(" + m2 +
                           "), lambda " + other + ": NOT list_contains(map_keys(" + m1 + "), " +
                           other + ")))";
  const DataType type = DataType::Map(*key, lambda.type);
  return call.Result("CASE WHEN " + m1 + " IS NOT NULL AND " + m2 + " IS NOT NULL THEN " +
                         As("map_from_entries(list_transform(" + keys + ", " + head +
                                ": struct_pack(\"key\" := " + k + ", \"value\" := " + body + ")))",
                            type) +
                         " END",
                     type);
}

// array_sort(array): ascending, NULLs last. array_sort(array, (l, r) -> int): the stable
// order the comparator gives (each element placed by how many elements sort before it).
Result<Typed> ArraySortFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  const DataType element = *call.args[0].type.element;
  const std::string& a = call.args[0].sql;
  const std::string x = call.translator.NewLambdaVariable();
  const std::string i = call.translator.NewLambdaVariable();
  const std::string s = call.translator.NewLambdaVariable();
  std::string rank;
  if (call.args.size() == 1) {
    SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 0, element));
    if (!NeedsOrderKey(element)) {
      return call.Result("list_sort(" + a + ", 'ASC', 'NULLS LAST')", call.args[0].type);
    }
    rank = "g := " + x + " IS NULL, k := " + SparkOrderKey(call.translator, x, element) +
           ", i := " + i;
  } else {
    SLUICE_RETURN_IF_ERROR(ExpectArity(call, 1, {2}));
    SLUICE_ASSIGN_OR_RETURN(
        Typed comparator,
        call.Lambda(1, {Parameter{element, "list_extract(" + a + ", {0})"}, Parameter{element, x}},
                    1));
    call.args[1].name = comparator.name;
    if (!comparator.type.is(TypeId::kInt)) {
      return call.ArgError(
          1, "the comparator of array_sort must return an INT, not " + comparator.type.Sql());
    }
    const std::string c = call.translator.NewLambdaVariable();
    const std::string j = call.translator.NewLambdaVariable();
    rank =
        "r := len(list_filter(list_transform(range(1, len(" + a + ") + 1), " + comparator.sql +
        "), lambda " + c + ", " + j + ": CASE WHEN " + c +
        " IS NULL THEN error('[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL for a "
        "comparison between elements.') ELSE " +
        j + " <> " + i + " AND (" + c + " < 0 OR (" + c + " = 0 AND " + j + " < " + i + ")) END))";
  }
  return call.Result("list_transform(list_sort(list_transform(" + a + ", lambda " + x + ", " + i +
                         ": struct_pack(" + rank + ", v := " + x + "))), lambda " + s +
                         ": struct_extract(" + s + ", 'v'))",
                     call.args[0].type);
}

}  // namespace

void AddLambdaFunctions(FunctionMap& map) {
  DefineHigherOrder(map, "transform", 2, 2, [](Call& c) { return ArrayLambdaFn(c, false); });
  DefineHigherOrder(map, "filter", 2, 2, [](Call& c) { return ArrayLambdaFn(c, true); });
  DefineHigherOrder(map, "exists", 2, 2, [](Call& c) { return QuantifierFn(c, true); });
  DefineHigherOrder(map, "forall", 2, 2, [](Call& c) { return QuantifierFn(c, false); });
  DefineHigherOrder(map, "aggregate", 3, 4, AggregateFn);
  DefineHigherOrder(map, "reduce", 3, 4, AggregateFn);
  DefineHigherOrder(map, "zip_with", 3, 3, ZipWithFn);
  DefineHigherOrder(map, "map_filter", 2, 2, MapFilterFn);
  DefineHigherOrder(map, "map_zip_with", 3, 3, MapZipWithFn);
  DefineHigherOrder(map, "transform_keys", 2, 2,
                    [](Call& c) { return TransformEntriesFn(c, true); });
  DefineHigherOrder(map, "transform_values", 2, 2,
                    [](Call& c) { return TransformEntriesFn(c, false); });
  DefineHigherOrder(map, "array_sort", 1, 2, ArraySortFn);
}

}  // namespace sluice::spark::internal
