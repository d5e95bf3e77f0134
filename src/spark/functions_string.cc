// String functions with Spark's semantics: 1-based positions (0 when absent), NULL
// propagation, binary forms where Spark has them, Java's charsets and base64.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {

void AddStringMoreFunctions(FunctionMap& map);
void AddStringFormatFunctions(FunctionMap& map);
void AddUrlFunctions(FunctionMap& map);

namespace {

constexpr const char* kGroup = "string_funcs";

DataType StringType() { return DataType::Of(TypeId::kString); }
DataType IntType() { return DataType::Of(TypeId::kInt); }
DataType BinaryType() { return DataType::Of(TypeId::kBinary); }
DataType BooleanType() { return DataType::Of(TypeId::kBoolean); }

bool IsBinary(const Typed& arg) { return arg.type.is(TypeId::kBinary); }

Result<Typed> ConcatFn(Call& call) {
  // Arrays concatenate as arrays; all-binary as binary; everything else as strings. Any
  // NULL gives NULL.
  if (call.args.empty()) return call.Result("''", StringType(), false);
  bool arrays = true, binary = true;
  for (const Typed& arg : call.args) {
    arrays = arrays && (arg.type.is(TypeId::kArray) || arg.type.is(TypeId::kNull));
    binary = binary && IsBinary(arg);
  }
  if (arrays) {
    SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 0, call.args.size()));
    std::string sql = call.args[0].sql;
    for (size_t i = 1; i < call.args.size(); ++i)
      sql = "spark_array_concat(" + sql + ", " + call.args[i].sql + ")";
    return call.Result(sql, type);
  }
  std::vector<std::string> parts;
  for (size_t i = 0; i < call.args.size(); ++i) {
    if (!binary) SLUICE_RETURN_IF_ERROR(Expect(call, i, String()));
    parts.push_back(call.args[i].sql);
  }
  // DuckDB types `x || NULL` as NULL (not VARCHAR) when it folds it: keep the type.
  const DataType type = binary ? BinaryType() : StringType();
  return call.Result(As("(" + Join(parts, " || ") + ")", type), type);
}

Result<Typed> ConcatWsFn(Call& call) {
  // concat_ws(sep, str | array<str>, ...): NULL separator gives NULL; NULL values are skipped.
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
  std::vector<std::string> lists;
  for (size_t i = 1; i < call.args.size(); ++i) {
    Typed& arg = call.args[i];
    if (arg.type.is(TypeId::kArray)) {
      if (!arg.type.element->is(TypeId::kString)) {
        arg = call.translator.Coerce(arg, DataType::Array(StringType()));
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
                         " IS NULL THEN NULL ELSE coalesce(array_to_string(list_filter(" + all +
                         ", lambda __x: __x IS NOT NULL), " + call.args[0].sql + "), '') END",
                     StringType());
}

// substring(str, pos[, len]) on strings and binary: 1-based; pos 0 is 1; a negative pos
// counts from the end.
Result<Typed> SubstringFn(Call& call) {
  const bool binary = IsBinary(call.args[0]);
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {binary ? Binary() : String(), Int(), Int()}));
  const std::string len = call.args.size() == 3 ? call.args[2].sql : "2147483647";
  const char* function = binary ? "spark_blob_substring(" : "spark_substring(";
  return call.Result(function + call.args[0].sql + ", " + call.args[1].sql + ", " + len + ")",
                     binary ? BinaryType() : StringType());
}

// left(str, len) is substring(str, 1, len); right(str, len) is '' for len <= 0, else
// substring(str, -len).
Result<Typed> LeftFn(Call& call) {
  const bool binary = IsBinary(call.args[0]);
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {binary ? Binary() : String(), Int()}));
  const char* function = binary ? "spark_blob_substring(" : "spark_substring(";
  return call.Result(function + call.args[0].sql + ", 1, " + call.args[1].sql + ")",
                     binary ? BinaryType() : StringType());
}

Result<Typed> RightFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), Int()}));
  const std::string& s = call.args[0].sql;
  const std::string& n = call.args[1].sql;
  return call.Result("CASE WHEN " + s + " IS NULL THEN NULL WHEN " + n + " <= 0 THEN '' ELSE " +
                         "spark_substring(" + s + ", -" + n + ", 2147483647) END",
                     StringType());
}

// trim, ltrim, rtrim: one argument trims spaces (U+0020 only). The keyword form
// TRIM([BOTH|LEADING|TRAILING] chars FROM str) arrives as (str, chars); the function
// form trim(chars, str) takes the characters first; btrim(str, chars) takes them last.
Result<Typed> TrimFn(Call& call, const char* function, bool chars_first) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  if (call.args.size() == 1) {
    return call.Result(std::string(function) + "(" + call.args[0].sql + ", ' ')", StringType());
  }
  const bool swapped = chars_first && call.node.op != "FROM";
  const Typed& source = call.args[swapped ? 1 : 0];
  const Typed& chars = call.args[swapped ? 0 : 1];
  Typed out =
      call.Result(std::string(function) + "(" + source.sql + ", " + chars.sql + ")", StringType());
  if (call.node.op == "FROM") {
    const char* direction = std::string(function) == "trim"    ? "BOTH"
                            : std::string(function) == "ltrim" ? "LEADING"
                                                               : "TRAILING";
    out.name = "TRIM(" + std::string(direction) + " " + chars.name + " FROM " + source.name + ")";
  }
  return out;
}

// length-like functions of strings or binary: `text` for strings, `bytes` for binary.
ScalarFn StringOrBinaryLength(std::string text, std::string bytes) {
  return [text = std::move(text), bytes = std::move(bytes)](Call& call) -> Result<Typed> {
    if (IsBinary(call.args[0])) {
      return call.Result(As(Fill(bytes, call.args), IntType()), IntType());
    }
    SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
    return call.Result(As(Fill(text, call.args), IntType()), IntType());
  };
}

// contains / startswith / endswith: binary semantics when both are binary, else strings.
ScalarFn StringPredicate(std::string text, std::string bytes) {
  return [text = std::move(text), bytes = std::move(bytes)](Call& call) -> Result<Typed> {
    if (IsBinary(call.args[0]) && IsBinary(call.args[1])) {
      return call.Result(Fill(bytes, call.args), BooleanType());
    }
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
    return call.Result(Fill(text, call.args), BooleanType());
  };
}

// lpad / rpad: binary when the string (and the pad, if given) is binary, padding with
// zero bytes by default; otherwise strings padded with spaces.
Result<Typed> PadFn(Call& call, const char* side) {
  const bool binary = IsBinary(call.args[0]) && (call.args.size() == 2 || IsBinary(call.args[2]));
  if (binary) {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Binary(), Int(), Binary()}));
    const std::string pad = call.args.size() == 3 ? call.args[2].sql : "'\\x00'::BLOB";
    return call.Result(std::string("spark_blob_") + side + "(" + call.args[0].sql + ", " +
                           call.args[1].sql + ", " + pad + ")",
                       BinaryType());
  }
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), Int(), String()}));
  const std::string pad = call.args.size() == 3 ? call.args[2].sql : "' '";
  return call.Result(std::string("spark_") + side + "(" + call.args[0].sql + ", " +
                         call.args[1].sql + ", " + pad + ")",
                     StringType());
}

// locate(substr, str[, pos]) and position: 1-based, 0 when absent or pos < 1; a NULL pos
// gives 0 (as Hive), an empty substr is found at 1.
Result<Typed> LocateFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String(), String(), Int()}));
  const std::string pos = call.args.size() == 3 ? call.args[2].sql : "1";
  return call.Result(
      "spark_locate(" + call.args[0].sql + ", " + call.args[1].sql + ", " + pos + ")", IntType());
}

// elt(n, input1, ...): the n-th input; NULL (or, in ANSI mode, an error) when n is out of
// range. Binary when every input is binary, else strings.
Result<Typed> EltFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, Int()));
  bool binary = true;
  for (size_t i = 1; i < call.args.size(); ++i) binary = binary && IsBinary(call.args[i]);
  const Expectation input = binary ? Binary() : String();
  std::string sql = "CASE " + call.args[0].sql;
  for (size_t i = 1; i < call.args.size(); ++i) {
    SLUICE_RETURN_IF_ERROR(Expect(call, i, input));
    sql += " WHEN " + std::to_string(i) + " THEN " + call.args[i].sql;
  }
  if (call.options().ansi) {
    sql += " WHEN " + call.args[0].sql +
           " IS NOT NULL THEN error('[INVALID_ARRAY_INDEX] The index ' || " + call.args[0].sql +
           " || ' is out of bounds. The array has " + std::to_string(call.args.size() - 1) +
           " elements.')";
  }
  return call.Result(sql + " END", binary ? BinaryType() : StringType());
}

// decode(bin, charset), or decode(expr, search, result[, search, result]...[, default]):
// the result of the first search equal to expr (NULL equals NULL).
Result<Typed> DecodeFn(Call& call) {
  if (call.args.size() == 2) {
    SLUICE_RETURN_IF_ERROR(ExpectAll(call, {Binary(), String()}));
    return call.Result("spark_decode(" + call.args[0].sql + ", " + call.args[1].sql + ")",
                       StringType());
  }
  std::vector<DataType> results;
  const size_t pairs = (call.args.size() - 1) / 2;
  for (size_t k = 0; k < pairs; ++k) results.push_back(call.args[2 + 2 * k].type);
  const bool has_default = call.args.size() % 2 == 0;
  if (has_default) results.push_back(call.args.back().type);
  auto type = WiderCommonType(results);
  if (!type) return call.Error("decode: the result values have types that do not meet");
  if (type->is(TypeId::kNull)) type = StringType();
  std::string sql = "CASE";
  for (size_t k = 0; k < pairs; ++k) {
    const Typed& search = call.args[1 + 2 * k];
    auto common = ComparisonType(call.args[0].type, search.type);
    if (!common) return call.ArgError(1 + 2 * k, "decode: the search value does not compare");
    sql += " WHEN " + call.translator.Coerce(call.args[0], *common).sql + " IS NOT DISTINCT FROM " +
           call.translator.Coerce(search, *common).sql + " THEN " +
           call.translator.Coerce(call.args[2 + 2 * k], *type).sql;
  }
  if (has_default) sql += " ELSE " + call.translator.Coerce(call.args.back(), *type).sql;
  return call.Result(sql + " END", *type);
}

Result<Typed> EncodeFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  return call.Result("spark_encode(" + call.args[0].sql + ", " + call.args[1].sql + ")",
                     BinaryType());
}

// to_binary(str[, fmt]) with fmt 'hex' (the default), 'utf-8', 'utf8' or 'base64', a
// literal; try_to_binary gives NULL for malformed input and unknown formats.
Result<Typed> ToBinaryFn(Call& call, bool try_mode) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  std::string format = "hex";
  if (call.args.size() == 2) {
    if (call.args[1].IsNullLiteral()) return call.Result("CAST(NULL AS BLOB)", BinaryType());
    SLUICE_ASSIGN_OR_RETURN(format, LiteralString(call, 1, "the format"));
    format = ToLower(format);
  }
  const std::string& s = call.args[0].sql;
  if (format == "utf-8" || format == "utf8") return call.Result("encode(" + s + ")", BinaryType());
  if (format == "hex") {
    const std::string valid = "regexp_full_match(" + s + ", '[0-9a-fA-F]*')";
    const std::string failure =
        try_mode ? "NULL"
                 : "error('[CONVERSION_INVALID_INPUT] The value ''' || " + s +
                       " || ''' (STRING) cannot be converted to BINARY because it is malformed. "
                       "Correct the value as per the syntax, or change its format. Use "
                       "`try_to_binary` to tolerate malformed input and return NULL instead.')";
    return call.Result("CASE WHEN " + valid + " THEN unhex(" + s + ") WHEN " + s +
                           " IS NOT NULL THEN " + failure + " END",
                       BinaryType());
  }
  if (format == "base64") {
    const std::string failure =
        try_mode ? "NULL"
                 : "error('[CONVERSION_INVALID_INPUT] The value ''' || " + s +
                       " || ''' (STRING) cannot be converted to BINARY because it is malformed. "
                       "Correct the value as per the syntax, or change its format. Use "
                       "`try_to_binary` to tolerate malformed input and return NULL instead.')";
    return call.Result("CASE WHEN spark_is_base64(" + s + ") THEN spark_unbase64(" + s + ") WHEN " +
                           s + " IS NOT NULL THEN " + failure + " END",
                       BinaryType());
  }
  if (try_mode) return call.Result("CAST(NULL AS BLOB)", BinaryType());
  return call.ArgError(
      1,
      "the format of to_binary must be 'hex', 'utf-8', 'utf8' or 'base64', not '" + format + "'");
}

}  // namespace

void AddStringFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  const DataType string = StringType();
  const DataType integer = IntType();
  Define(map, "concat", k, 0, -1, ConcatFn, kGroup);
  Define(map, "concat_ws", k, 1, -1, ConcatWsFn, kGroup);
  Define(map, "upper", k, 1, 1, Template({String()}, "spark_java_upper({0})", string), kGroup);
  Alias(map, "ucase", "upper");
  Define(map, "lower", k, 1, 1, Template({String()}, "spark_java_lower({0})", string), kGroup);
  Alias(map, "lcase", "lower");
  Define(map, "length", k, 1, 1, StringOrBinaryLength("length({0})", "octet_length({0})"), kGroup);
  Alias(map, "char_length", "length");
  Alias(map, "character_length", "length");
  Alias(map, "len", "length");
  Define(map, "octet_length", k, 1, 1, StringOrBinaryLength("strlen({0})", "octet_length({0})"),
         kGroup);
  Define(map, "bit_length", k, 1, 1,
         StringOrBinaryLength("strlen({0}) * 8", "octet_length({0}) * 8"), kGroup);
  Define(map, "substring", k, 2, 3, SubstringFn, kGroup);
  Alias(map, "substr", "substring");
  Define(map, "left", k, 2, 2, LeftFn, kGroup);
  Define(map, "right", k, 2, 2, RightFn, kGroup);
  Define(
      map, "trim", k, 1, 2, [](Call& c) { return TrimFn(c, "trim", true); }, kGroup);
  Define(
      map, "ltrim", k, 1, 2, [](Call& c) { return TrimFn(c, "ltrim", true); }, kGroup);
  Define(
      map, "rtrim", k, 1, 2, [](Call& c) { return TrimFn(c, "rtrim", true); }, kGroup);
  Define(
      map, "btrim", k, 1, 2, [](Call& c) { return TrimFn(c, "trim", false); }, kGroup);
  Define(
      map, "replace", k, 2, 3,
      [](Call& call) -> Result<Typed> {
        SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
        const std::string with = call.args.size() == 3 ? call.args[2].sql : "''";
        // An empty search string leaves the string as it is.
        return call.Result("CASE WHEN " + call.args[1].sql + " = '' THEN " + call.args[0].sql +
                               " ELSE replace(" + call.args[0].sql + ", " + call.args[1].sql +
                               ", " + with + ") END",
                           StringType());
      },
      kGroup);
  Define(map, "initcap", k, 1, 1, Template({String()}, "spark_java_initcap({0})", string), kGroup);
  Define(map, "instr", k, 2, 2, Template({String()}, "CAST(instr({0}, {1}) AS INTEGER)", integer),
         kGroup);
  Define(map, "locate", k, 2, 3, LocateFn, kGroup);
  Alias(map, "position", "locate");
  Define(
      map, "lpad", k, 2, 3, [](Call& c) { return PadFn(c, "lpad"); }, kGroup);
  Define(
      map, "rpad", k, 2, 3, [](Call& c) { return PadFn(c, "rpad"); }, kGroup);
  Define(map, "contains", k, 2, 2,
         StringPredicate("contains({0}, {1})", "spark_blob_contains({0}, {1})"), kGroup);
  Define(map, "startswith", k, 2, 2,
         StringPredicate("starts_with({0}, {1})", "starts_with(hex({0}), hex({1}))"), kGroup);
  Define(map, "endswith", k, 2, 2,
         StringPredicate("ends_with({0}, {1})", "ends_with(hex({0}), hex({1}))"), kGroup);
  Define(map, "ascii", k, 1, 1, Template({String()}, "CAST(ascii({0}) AS INTEGER)", integer),
         kGroup);
  Define(map, "chr", k, 1, 1,
         Template({Long()}, "CASE WHEN {0} < 0 THEN '' ELSE chr(CAST({0} & 255 AS INTEGER)) END",
                  string),
         kGroup);
  Alias(map, "char", "chr");
  Define(map, "base64", k, 1, 1, Template({Binary()}, "spark_base64({0})", string), kGroup);
  Define(map, "unbase64", k, 1, 1, Template({String()}, "spark_unbase64({0})", BinaryType()),
         kGroup);
  Define(map, "decode", k, 2, -1, DecodeFn, kGroup);
  Define(map, "encode", k, 2, 2, EncodeFn, kGroup);
  Define(map, "elt", k, 2, -1, EltFn, kGroup);
  Define(
      map, "to_binary", k, 1, 2, [](Call& c) { return ToBinaryFn(c, false); }, kGroup);
  Define(
      map, "try_to_binary", k, 1, 2, [](Call& c) { return ToBinaryFn(c, true); }, kGroup);
  AddStringMoreFunctions(map);
  AddStringFormatFunctions(map);
  AddUrlFunctions(map);
}

}  // namespace sluice::spark::internal
