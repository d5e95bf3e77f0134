// String functions with Spark's semantics: 1-based positions, NULL propagation (concat),
// Java-style formatting where Spark uses it.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "string_funcs";

Result<Typed> ConcatFn(Call& call) {
  // Arrays concatenate as arrays; everything else as strings. Any NULL gives NULL.
  bool arrays = !call.args.empty();
  for (const Typed& arg : call.args)
    arrays = arrays && (arg.type.is(TypeId::kArray) || arg.type.is(TypeId::kNull));
  if (arrays && !call.args.empty()) {
    SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 0, call.args.size()));
    std::string sql = call.args[0].sql;
    for (size_t i = 1; i < call.args.size(); ++i)
      sql = "spark_array_concat(" + sql + ", " + call.args[i].sql + ")";
    return call.Result(sql, type);
  }
  bool binary = !call.args.empty();
  for (const Typed& arg : call.args) binary = binary && arg.type.is(TypeId::kBinary);
  if (call.args.empty()) return call.Result("''", DataType::Of(TypeId::kString), false);
  std::vector<std::string> parts;
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (!binary) SLUICE_RETURN_IF_ERROR(Expect(call, i, String()));
    parts.push_back(call.args[i].sql);
  }
  return call.Result("(" + Join(parts, " || ") + ")",
                     DataType::Of(binary ? TypeId::kBinary : TypeId::kString));
}

Result<Typed> ConcatWsFn(Call& call) {
  // concat_ws(sep, str | array<str>, ...): NULL separator gives NULL; NULL values are skipped.
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
  std::vector<std::string> lists;
  for (size_t i = 1; i < call.args.size(); ++i) {
    Typed& arg = call.args[i];
    if (arg.type.is(TypeId::kArray)) {
      if (!arg.type.element->is(TypeId::kString)) {
        arg = call.translator.Coerce(arg, DataType::Array(DataType::Of(TypeId::kString)));
      }
      lists.push_back("coalesce(" + arg.sql + ", [])");
    } else {
      SLUICE_RETURN_IF_ERROR(Expect(call, i, String()));
      lists.push_back("[" + arg.sql + "]");
    }
  }
  const std::string all =
      lists.empty() ? "CAST([] AS VARCHAR[])" : "flatten([" + Join(lists, ", ") + "])";
  return call.Result("CASE WHEN " + call.args[0].sql +
                         " IS NULL THEN NULL ELSE array_to_string(list_filter(" + all +
                         ", lambda __x: __x IS NOT NULL), " + call.args[0].sql + ") END",
                     DataType::Of(TypeId::kString));
}

Result<Typed> SubstringFn(Call& call) {
  // substring(str, pos[, len]): 1-based; pos 0 is 1; a negative pos counts from the end.
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), Int(), Int()}));
  const std::string& s = call.args[0].sql;
  const std::string& pos = call.args[1].sql;
  const std::string len = call.args.size() == 3 ? call.args[2].sql : "2147483647";
  return call.Result("spark_substring(" + s + ", " + pos + ", " + len + ")",
                     DataType::Of(TypeId::kString));
}

Result<Typed> TrimFn(Call& call, const char* function) {
  // The keyword form TRIM(BOTH chars FROM s) passes (s, chars); the function form
  // trim(s[, chars]) passes (chars, s) when given two arguments... Spark 3's function
  // form takes (str, trimStr) since the keyword form rewrites to it.
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  if (call.args.size() == 1) {
    return call.Result(std::string(function) + "(" + call.args[0].sql + ", ' ')",
                       DataType::Of(TypeId::kString));
  }
  const bool keyword = call.node.op == "FROM";
  const Typed& source = keyword ? call.args[0] : call.args[0];
  const Typed& chars = keyword ? call.args[1] : call.args[1];
  return call.Result(std::string(function) + "(" + source.sql + ", " + chars.sql + ")",
                     DataType::Of(TypeId::kString));
}

}  // namespace

void AddStringFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  const DataType string = DataType::Of(TypeId::kString);
  const DataType integer = DataType::Of(TypeId::kInt);
  Define(map, "concat", k, 0, -1, ConcatFn, kGroup);
  Define(map, "concat_ws", k, 1, -1, ConcatWsFn, kGroup);
  Define(map, "upper", k, 1, 1, Template({String()}, "upper({0})", string), kGroup);
  Alias(map, "ucase", "upper");
  Define(map, "lower", k, 1, 1, Template({String()}, "lower({0})", string), kGroup);
  Alias(map, "lcase", "lower");
  Define(
      map, "length", k, 1, 1,
      [](Call& call) -> Result<Typed> {
        if (call.args[0].type.is(TypeId::kBinary)) {
          return call.Result(
              As("octet_length(" + call.args[0].sql + ")", DataType::Of(TypeId::kInt)),
              DataType::Of(TypeId::kInt));
        }
        SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
        return call.Result(As("length(" + call.args[0].sql + ")", DataType::Of(TypeId::kInt)),
                           DataType::Of(TypeId::kInt));
      },
      kGroup);
  Alias(map, "char_length", "length");
  Alias(map, "character_length", "length");
  Alias(map, "len", "length");
  Define(map, "substring", k, 2, 3, SubstringFn, kGroup);
  Alias(map, "substr", "substring");
  Define(
      map, "trim", k, 1, 2, [](Call& c) { return TrimFn(c, "trim"); }, kGroup);
  Define(
      map, "ltrim", k, 1, 2, [](Call& c) { return TrimFn(c, "ltrim"); }, kGroup);
  Define(
      map, "rtrim", k, 1, 2, [](Call& c) { return TrimFn(c, "rtrim"); }, kGroup);
  Define(
      map, "btrim", k, 1, 2, [](Call& c) { return TrimFn(c, "trim"); }, kGroup);
  Define(
      map, "replace", k, 2, 3,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
        const std::string with = call.args.size() == 3 ? call.args[2].sql : "''";
        // An empty search string leaves the string as it is.
        return call.Result("CASE WHEN " + call.args[1].sql + " = '' THEN " + call.args[0].sql +
                               " ELSE replace(" + call.args[0].sql + ", " + call.args[1].sql +
                               ", " + with + ") END",
                           DataType::Of(TypeId::kString));
      },
      kGroup);
  Define(map, "initcap", k, 1, 1, Template({String()}, "spark_initcap({0})", string), kGroup);
  Define(map, "instr", k, 2, 2, Template({String()}, "CAST(instr({0}, {1}) AS INTEGER)", integer),
         kGroup);
  Define(
      map, "lpad", k, 2, 3,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), Int(), String()}));
        const std::string pad = call.args.size() == 3 ? call.args[2].sql : "' '";
        return call.Result(
            "spark_lpad(" + call.args[0].sql + ", " + call.args[1].sql + ", " + pad + ")",
            DataType::Of(TypeId::kString));
      },
      kGroup);
  Define(
      map, "rpad", k, 2, 3,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), Int(), String()}));
        const std::string pad = call.args.size() == 3 ? call.args[2].sql : "' '";
        return call.Result(
            "spark_rpad(" + call.args[0].sql + ", " + call.args[1].sql + ", " + pad + ")",
            DataType::Of(TypeId::kString));
      },
      kGroup);
}

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddStringMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
