// Collection functions (size, cardinality, array_size, reverse, element_at, try_element_at,
// get) and what the array, map and struct files share: Spark's ordering and equality of
// elements in DuckDB terms.
#include "common/strings.h"
#include "spark/collection_internal.h"

namespace sluice::spark::internal {

bool Orderable(const DataType& type) {
  switch (type.id) {
    case TypeId::kMap:
    case TypeId::kCalendarInterval:
      return false;
    case TypeId::kArray:
      return Orderable(*type.element);
    case TypeId::kStruct:
      for (const StructField& field : type.fields) {
        if (!Orderable(*field.type)) return false;
      }
      return true;
    default:
      return true;
  }
}

std::optional<DataType> WiderTypeWithoutStringPromotion(const DataType& a, const DataType& b) {
  if (auto tight = TightestCommonType(a, b)) return tight;
  if (auto complex = CommonComplexType(a, b, WiderTypeWithoutStringPromotion)) return complex;
  // findWiderTypeForDecimal: decimals with decimals or integers; DOUBLE with fractions.
  const bool decimals = a.is(TypeId::kDecimal) || b.is(TypeId::kDecimal);
  if (decimals && a.IsNumeric() && b.IsNumeric()) return WiderType(a, b);
  return std::nullopt;
}

bool NeedsOrderKey(const DataType& type) { return type.IsFractional() || type.IsComplex(); }

std::string SparkOrderKey(Translator& translator, const std::string& x, const DataType& type) {
  // Each nested value becomes {n: IS NOT NULL, k: its key}, so that NULLs order first.
  auto wrapped = [&](const std::string& value, const DataType& value_type) {
    return "struct_pack(n := (" + value +
           ") IS NOT NULL, k := " + SparkOrderKey(translator, value, value_type) + ")";
  };
  if (type.is(TypeId::kArray)) {
    const std::string v = translator.NewLambdaVariable();
    return "list_transform(" + x + ", lambda " + v + ": " + wrapped(v, *type.element) + ")";
  }
  if (type.is(TypeId::kStruct) && !type.fields.empty()) {
    std::vector<std::string> fields;
    for (size_t i = 0; i < type.fields.size(); ++i) {
      const std::string field =
          "struct_extract(" + x + ", " + QuoteLiteral(type.fields[i].name) + ")";
      fields.push_back("f" + std::to_string(i) + " := " + wrapped(field, *type.fields[i].type));
    }
    return "CASE WHEN " + x + " IS NOT NULL THEN struct_pack(" + Join(fields, ", ") + ") END";
  }
  return x;
}

bool NeedsSetKey(const DataType& type) { return type.IsFractional(); }

std::string SparkSetKey(const std::string& x, const DataType& type) {
  if (!NeedsSetKey(type)) return x;
  return "CASE WHEN " + x + " IS NOT NULL THEN struct_pack(v := " + x + ", z := (" + x +
         " = 0 AND signbit(" + x + "))) END";
}

bool ContainsVoid(const DataType& type) {
  switch (type.id) {
    case TypeId::kNull:
      return true;
    case TypeId::kArray:
      return ContainsVoid(*type.element);
    case TypeId::kMap:
      return ContainsVoid(*type.key) || ContainsVoid(*type.value);
    case TypeId::kStruct:
      for (const StructField& field : type.fields) {
        if (ContainsVoid(*field.type)) return true;
      }
      return false;
    default:
      return false;
  }
}

std::string HoldVoid(const std::string& sql, const DataType& type) {
  return ContainsVoid(type) ? As(sql, type) : sql;
}

Status ExpectArray(Call& call, size_t i) {
  if (call.args[i].type.is(TypeId::kNull)) {
    return Expect(call, i, AnyOf(Accepts::kArray));
  }
  if (!call.args[i].type.is(TypeId::kArray)) {
    return call.ArgError(i, "argument " + std::to_string(i + 1) + " of " + call.name +
                                " must be an array, but '" + call.args[i].name + "' is " +
                                call.args[i].type.Sql());
  }
  return Status::OK();
}

Status ExpectMap(Call& call, size_t i) {
  if (call.args[i].type.is(TypeId::kNull)) {
    // A NULL literal becomes a NULL MAP<VOID, VOID>, as for Spark's ExpectsInputTypes.
    CoerceArgs(call, i, i + 1, DataType::Map(DataType::Null(), DataType::Null()));
    return Status::OK();
  }
  if (!call.args[i].type.is(TypeId::kMap)) {
    return call.ArgError(i, "argument " + std::to_string(i + 1) + " of " + call.name +
                                " must be a map, but '" + call.args[i].name + "' is " +
                                call.args[i].type.Sql());
  }
  return Status::OK();
}

Status ExpectOrderable(Call& call, size_t i, const DataType& type) {
  if (Orderable(type)) return Status::OK();
  return call.ArgError(i, call.name + " cannot compare values of type " + type.Sql());
}

void CoerceArgs(Call& call, size_t from, size_t to, const DataType& type) {
  for (size_t i = from; i < to; ++i) {
    if (call.args[i].type.SameType(type)) continue;
    const std::string name = call.args[i].name;
    call.args[i] = call.translator.Coerce(call.args[i], type);
    call.args[i].name = name;
  }
}

namespace {

constexpr const char* kGroup = "collection_funcs";

// size / cardinality: -1 for NULL (spark.sql.legacy.sizeOfNull, off under ANSI mode).
Result<Typed> SizeFn(Call& call) {
  const Typed& x = call.args[0];
  const DataType integer = DataType::Of(TypeId::kInt);
  const bool legacy = !call.options().ansi;
  std::string length;
  if (x.type.is(TypeId::kArray)) {
    length = "len(" + x.sql + ")";
  } else if (x.type.is(TypeId::kMap)) {
    length = "cardinality(" + x.sql + ")";
  } else if (x.type.is(TypeId::kNull)) {
    length = "CAST(NULL AS BIGINT)";
  } else {
    return call.ArgError(
        0, call.name + " needs an array or a map, but '" + x.name + "' is " + x.type.Sql());
  }
  std::string sql = As(length, integer);
  if (legacy) sql = "coalesce(" + sql + ", -1)";
  return call.Result(sql, integer, !legacy);
}

Result<Typed> ReverseFn(Call& call) {
  if (call.args[0].type.is(TypeId::kArray)) {
    return call.Result("list_reverse(" + call.args[0].sql + ")", call.args[0].type);
  }
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
  // By code points, as UTF8String.reverse (DuckDB's reverse keeps grapheme clusters).
  return call.Result("spark_join(list_reverse(string_split(" + call.args[0].sql + ", '')), '')",
                     DataType::Of(TypeId::kString));
}

// element_at(array, index): 1-based, negative from the end, 0 an error; out of range NULL
// (an error under ANSI mode unless `lenient`). element_at(map, key): NULL when absent.
Result<Typed> ElementAtFn(Call& call, bool lenient) {
  const Typed& base = call.args[0];
  if (base.type.is(TypeId::kArray)) {
    const DataType& index = call.args[1].type;
    if (!(index.is(TypeId::kInt) || index.is(TypeId::kShort) || index.is(TypeId::kByte))) {
      return call.ArgError(
          1, "the index of " + call.name + " on an array must be an INT, not " + index.Sql());
    }
    SLUICE_RETURN_IF_ERROR(Expect(call, 1, Int()));
    const bool strict = call.options().ansi && !lenient;
    return call.Result("spark_element_at(" + base.sql + ", " + call.args[1].sql + ", " +
                           (strict ? "TRUE" : "FALSE") + ")",
                       *base.type.element);
  }
  if (base.type.is(TypeId::kMap)) {
    auto key = TightestCommonType(*base.type.key, call.args[1].type);
    if (!key) {
      return call.ArgError(1, "the key of " + call.name + " must be " + base.type.key->Sql() +
                                  ", not " + call.args[1].type.Sql());
    }
    DataType map_type = DataType::Map(*key, *base.type.value);
    CoerceArgs(call, 0, 1, map_type);
    CoerceArgs(call, 1, 2, *key);
    return call.Result("CASE WHEN " + call.args[1].sql + " IS NOT NULL THEN (" + call.args[0].sql +
                           ")[" + call.args[1].sql + "] END",
                       *base.type.value);
  }
  return call.ArgError(
      0, call.name + " needs an array or a map, but '" + base.name + "' is " + base.type.Sql());
}

// get(array, index): 0-based; NULL out of range, also under ANSI mode.
Result<Typed> GetFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  Typed index = call.args[1];
  if (index.type.is(TypeId::kNull))
    index = call.translator.Coerce(index, DataType::Of(TypeId::kInt));
  if (!index.type.IsIntegral()) {
    return call.ArgError(1, "the index of get must be an integer, not " + index.type.Sql());
  }
  // GetArrayItem reads the index as a Java int.
  const std::string i = index.type.is(TypeId::kLong) ? "spark_wrap_int(" + index.sql + ")"
                                                     : "CAST(" + index.sql + " AS INTEGER)";
  return call.Result(
      "list_extract(" + call.args[0].sql + ", CASE WHEN " + i + " >= 0 THEN " + i + " + 1 END)",
      *call.args[0].type.element);
}

}  // namespace

void AddCollectionFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "size", k, 1, 1, SizeFn, kGroup);
  Alias(map, "cardinality", "size");
  Define(
      map, "array_size", k, 1, 1,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
        return call.Result(As("len(" + call.args[0].sql + ")", DataType::Of(TypeId::kInt)),
                           DataType::Of(TypeId::kInt));
      },
      kGroup);
  Define(map, "reverse", k, 1, 1, ReverseFn, kGroup);
  Define(
      map, "element_at", k, 2, 2, [](Call& c) { return ElementAtFn(c, false); }, "map_funcs");
  Define(
      map, "try_element_at", k, 2, 2, [](Call& c) { return ElementAtFn(c, true); }, "map_funcs");
  Define(map, "get", k, 2, 2, GetFn, "array_funcs");
  AddArrayFunctions(map);
  AddArraySetFunctions(map);
  AddMapFunctions(map);
}

void AddCollectionMacros(std::vector<MacroDef>& out) {
  // The non-NULL elements of a list of strings joined by `sep` ('' for none; DuckDB's
  // array_to_string gives NULL then).
  out.push_back({"spark_join(l, sep)",
                 "CASE WHEN l IS NOT NULL THEN coalesce(array_to_string(l, sep), '') END"});
  out.push_back(
      {"spark_element_at(a, i, strict)",
       "CASE WHEN a IS NULL OR i IS NULL THEN NULL "
       "WHEN len(a) < abs(CAST(i AS BIGINT)) THEN CASE WHEN strict THEN "
       "error('[INVALID_ARRAY_INDEX_IN_ELEMENT_AT] The index ' || i || ' is out of bounds. The "
       "array has ' || len(a) || ' elements. Use `try_element_at` to tolerate accessing element "
       "at invalid index and return NULL instead.') END "
       "WHEN i = 0 THEN error('[INVALID_INDEX_OF_ZERO] The index 0 is invalid. An index shall be "
       "either < 0 or > 0 (the first element has index 1).') "
       "ELSE list_extract(a, i) END"});
  AddArrayMacros(out);
  AddArraySetMacros(out);
  AddMapMacros(out);
}

}  // namespace sluice::spark::internal
