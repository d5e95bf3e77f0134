// Map functions (map, map_from_arrays, map_from_entries, map_concat, map_keys, map_values,
// map_entries, map_contains_key, str_to_map) and struct functions (struct, named_struct).
// Maps refuse NULL and duplicate keys, as Spark's default spark.sql.mapKeyDedupPolicy
// (EXCEPTION) does; DuckDB's MAP raises the same errors.
#include <cctype>
#include <set>

#include "common/strings.h"
#include "spark/collection_internal.h"

namespace sluice::spark::internal {

std::string StructFieldName(const Expr& arg, const std::string& alias, size_t i) {
  if (!alias.empty()) return alias;
  if (arg.kind == ExprKind::kColumn) return arg.parts.back();
  if (arg.kind == ExprKind::kField) return arg.name;
  if (arg.kind == ExprKind::kSubscript && arg.args[1]->kind == ExprKind::kLiteral &&
      arg.args[1]->literal.type.is(TypeId::kString)) {
    return arg.args[1]->literal.text;
  }
  return "col" + std::to_string(i + 1);
}

Result<Typed> StructFromFields(Translator& translator, const Span& at,
                               const std::vector<std::string>& names,
                               const std::vector<Typed>& values) {
  std::set<std::string> seen;
  std::vector<StructField> fields;
  std::vector<std::string> items;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i].empty()) {
      return translator.UnsupportedAt(at, "a struct field with an empty name");
    }
    if (!seen.insert(ToLower(names[i])).second) {
      return translator.UnsupportedAt(at, "a struct with two fields named '" + names[i] +
                                              "' (DuckDB structs cannot repeat a field name)");
    }
    fields.push_back(
        StructField{names[i], std::make_shared<const DataType>(values[i].type), true, {}});
    items.push_back(QuoteIdentifier(names[i]) + " := " + values[i].sql);
  }
  Typed out;
  out.type = DataType::Struct(std::move(fields));
  out.sql = items.empty() ? As("{'__empty': NULL}", out.type)
                          : HoldVoid("struct_pack(" + Join(items, ", ") + ")", out.type);
  out.nullable = false;
  for (const Typed& value : values) {
    out.aggregate = out.aggregate || value.aggregate;
    out.window = out.window || value.window;
  }
  return out;
}

namespace {

constexpr const char* kGroup = "map_funcs";

// Spark normalizes floating-point map keys: -0.0 is 0.0.
std::string MapKey(const std::string& key, const DataType& type) {
  if (!type.IsFractional()) return key;
  return "CASE WHEN " + key + " = 0 THEN CAST(0 AS " + ToDuckDbType(type) + ") ELSE " + key +
         " END";
}

Status CheckKeyType(Call& call, const DataType& key) {
  if (key.is(TypeId::kMap)) return call.Error(call.name + ": a map cannot be a map key");
  return Status::OK();
}

Result<Typed> MapFn(Call& call) {
  if (call.args.size() % 2 != 0) {
    return call.Error("map takes keys and values in pairs, but has " +
                      std::to_string(call.args.size()) + " arguments");
  }
  std::vector<DataType> key_types, value_types;
  for (size_t i = 0; i < call.args.size(); ++i) {
    (i % 2 == 0 ? key_types : value_types).push_back(call.args[i].type);
  }
  auto key = WiderCommonType(key_types);
  auto value = WiderCommonType(value_types);
  if (!key || !value) return call.Error("the keys or the values of map do not meet at one type");
  SLUICE_RETURN_IF_ERROR(CheckKeyType(call, *key));
  std::vector<std::string> keys, values;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const DataType& type = i % 2 == 0 ? *key : *value;
    const std::string sql = call.translator.Coerce(call.args[i], type).sql;
    if (i % 2 == 0) {
      keys.push_back(MapKey(sql, type));
    } else {
      values.push_back(sql);
    }
  }
  const DataType type = DataType::Map(*key, *value);
  return call.Result(As("MAP([" + Join(keys, ", ") + "], [" + Join(values, ", ") + "])", type),
                     type, false);
}

Result<Typed> MapFromArraysFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 0));
  SLUICE_RETURN_IF_ERROR(ExpectArray(call, 1));
  const DataType& key = *call.args[0].type.element;
  SLUICE_RETURN_IF_ERROR(CheckKeyType(call, key));
  std::string keys = call.args[0].sql;
  if (key.IsFractional()) {
    const std::string v = call.translator.NewLambdaVariable();
    keys = "list_transform(" + keys + ", lambda " + v + ": " + MapKey(v, key) + ")";
  }
  return call.Result("CASE WHEN " + call.args[0].sql + " IS NOT NULL AND " + call.args[1].sql +
                         " IS NOT NULL THEN MAP(" + keys + ", " + call.args[1].sql + ") END",
                     DataType::Map(key, *call.args[1].type.element));
}

Result<Typed> MapFromEntriesFn(Call& call) {
  const DataType& type = call.args[0].type;
  if (!type.is(TypeId::kArray) || !type.element->is(TypeId::kStruct) ||
      type.element->fields.size() != 2) {
    return call.ArgError(0,
                         "map_from_entries needs an array of pairs (structs of two fields), "
                         "but '" +
                             call.args[0].name + "' is " + type.Sql());
  }
  const DataType& key = *type.element->fields[0].type;
  const DataType& value = *type.element->fields[1].type;
  SLUICE_RETURN_IF_ERROR(CheckKeyType(call, key));
  const std::string e = call.translator.NewLambdaVariable();
  const std::string k =
      "struct_extract(" + e + ", " + QuoteLiteral(type.element->fields[0].name) + ")";
  const std::string v =
      "struct_extract(" + e + ", " + QuoteLiteral(type.element->fields[1].name) + ")";
  const DataType result = DataType::Map(key, value);
  // NULL when the array or any entry is NULL.
  return call.Result(
      Fill("CASE WHEN list_position({0}, NULL) IS NULL THEN ", call.args) +
          As("map_from_entries(list_transform(" + call.args[0].sql + ", lambda " + e +
                 ": struct_pack(\"key\" := " + MapKey(k, key) + ", \"value\" := " + v + ")))",
             result) +
          " END",
      result);
}

Result<Typed> MapConcatFn(Call& call) {
  if (call.args.empty()) {
    const DataType type =
        DataType::Map(DataType::Of(TypeId::kString), DataType::Of(TypeId::kString));
    return call.Result(As("MAP([], [])", type), type, false);
  }
  for (size_t i = 0; i < call.args.size(); ++i) SLUICE_RETURN_IF_ERROR(ExpectMap(call, i));
  SLUICE_ASSIGN_OR_RETURN(DataType type, CommonType(call, 0, call.args.size()));
  if (call.args.size() == 1) return call.Result(call.args[0].sql, type);
  std::vector<std::string> nulls, entries;
  for (const Typed& arg : call.args) {
    nulls.push_back(arg.sql + " IS NULL");
    entries.push_back("map_entries(" + arg.sql + ")");
  }
  std::string all = entries[0];
  for (size_t i = 1; i < entries.size(); ++i) all = "list_concat(" + all + ", " + entries[i] + ")";
  return call.Result("CASE WHEN NOT (" + Join(nulls, " OR ") + ") THEN " +
                         As("map_from_entries(" + all + ")", type) + " END",
                     type);
}

Result<Typed> MapContainsKeyFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectMap(call, 0));
  if (call.args[1].type.is(TypeId::kNull)) {
    return call.ArgError(1, "map_contains_key does not take an untyped NULL key");
  }
  const DataType& map = call.args[0].type;
  auto key = WiderTypeWithoutStringPromotion(*map.key, call.args[1].type);
  if (!key) {
    return call.ArgError(1, "the key of map_contains_key must be " + map.key->Sql() + ", not " +
                                call.args[1].type.Sql());
  }
  SLUICE_RETURN_IF_ERROR(ExpectOrderable(call, 1, *key));
  CoerceArgs(call, 0, 1, DataType::Map(*key, *map.value));
  CoerceArgs(call, 1, 2, *key);
  return call.Result(
      Fill("CASE WHEN {1} IS NOT NULL THEN list_contains(map_keys({0}), {1}) END", call.args),
      DataType::Of(TypeId::kBoolean));
}

size_t CodePoints(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// A delimiter of str_to_map, which Spark reads as a Java regular expression: the literal
// text it matches, when it matches exactly one literal text.
std::optional<std::string> LiteralDelimiter(const std::string& regex) {
  static const std::string kMeta = ".$|()[]{}^?*+\\";
  if (regex.size() == 2 && regex[0] == '\\' && !std::isalnum(static_cast<unsigned char>(regex[1])))
    return regex.substr(1);
  if (regex.empty() || regex.find_first_of(kMeta) != std::string::npos) return std::nullopt;
  return regex;
}

// str_to_map(text[, pair_delimiter[, key_value_delimiter]]): a value is NULL when its pair
// has no key-value delimiter.
Result<Typed> StrToMapFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(ExpectAll(call, {String()}));
  std::string delimiters[2] = {",", ":"};
  for (size_t i = 1; i < call.args.size(); ++i) {
    auto text = call.args[i].StringValue();
    auto literal = text ? LiteralDelimiter(*text) : std::nullopt;
    if (!literal) {
      return call.translator.UnsupportedAt(
          call.raw[i]->span,
          "str_to_map with a delimiter that is not a literal string without regular "
          "expression characters (Spark splits by Java regular expressions)");
    }
    delimiters[i - 1] = *literal;
  }
  const std::string kv = call.translator.NewLambdaVariable();
  const std::string d = QuoteLiteral(delimiters[1]);
  const std::string at = "strpos(" + kv + ", " + d + ")";
  const DataType string = DataType::Of(TypeId::kString);
  const DataType type = DataType::Map(string, string);
  return call.Result("map_from_entries(list_transform(string_split(" + call.args[0].sql + ", " +
                         QuoteLiteral(delimiters[0]) + "), lambda " + kv +
                         ": struct_pack(\"key\" := CASE WHEN " + at + " > 0 THEN substr(" + kv +
                         ", 1, " + at + " - 1) ELSE " + kv + " END, \"value\" := CASE WHEN " + at +
                         " > 0 THEN substr(" + kv + ", " + at + " + " +
                         std::to_string(CodePoints(delimiters[1])) + ") END)))",
                     type);
}

Result<Typed> NamedStructFn(Call& call) {
  if (call.args.size() % 2 != 0) {
    return call.Error("named_struct takes names and values in pairs, but has " +
                      std::to_string(call.args.size()) + " arguments");
  }
  std::vector<std::string> names;
  std::vector<Typed> values;
  for (size_t i = 0; i < call.args.size(); i += 2) {
    auto name = call.args[i].StringValue();
    if (!name) return call.ArgError(i, "the field names of named_struct must be string literals");
    names.push_back(*name);
    values.push_back(call.args[i + 1]);
  }
  SLUICE_ASSIGN_OR_RETURN(Typed out,
                          StructFromFields(call.translator, call.node.span, names, values));
  out.name = call.DefaultName();
  return out;
}

// Spark's quoteIfNeeded: a name of letters, digits and underscores (not only digits) as
// it is, any other in backquotes.
std::string QuoteIfNeeded(const std::string& name) {
  bool plain = !name.empty();
  bool digits = true;
  for (char c : name) {
    plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    digits = digits && std::isdigit(static_cast<unsigned char>(c));
  }
  if (plain && !digits) return name;
  return QuoteSparkIdentifier(name);
}

Result<Typed> StructFn(Call& call) {
  std::vector<std::string> names, shown;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const std::string alias = i < call.node.aliases.size() ? call.node.aliases[i] : "";
    names.push_back(StructFieldName(*call.raw[i], alias, i));
    // Spark names struct(a AS c) with the alias: `struct(a AS c)`.
    shown.push_back(alias.empty() ? call.args[i].name
                                  : call.args[i].name + " AS " + QuoteIfNeeded(alias));
  }
  SLUICE_ASSIGN_OR_RETURN(Typed out,
                          StructFromFields(call.translator, call.node.span, names, call.args));
  out.name = "struct(" + Join(shown, ", ") + ")";
  return out;
}

Result<Typed> MapPartFn(Call& call, const char* function) {
  SLUICE_RETURN_IF_ERROR(ExpectMap(call, 0));
  const DataType& map = call.args[0].type;
  DataType type;
  if (std::string(function) == "map_keys") {
    type = DataType::Array(*map.key, false);
  } else if (std::string(function) == "map_values") {
    type = DataType::Array(*map.value, map.contains_null);
  } else {
    type =
        DataType::Array(DataType::Struct({StructField{"key", map.key, false, {}},
                                          StructField{"value", map.value, map.contains_null, {}}}),
                        false);
  }
  return call.Result(std::string(function) + "(" + call.args[0].sql + ")", type);
}

}  // namespace

void AddMapFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  Define(map, "map", k, 0, -1, MapFn, kGroup);
  Define(map, "map_from_arrays", k, 2, 2, MapFromArraysFn, kGroup);
  Define(map, "map_from_entries", k, 1, 1, MapFromEntriesFn, kGroup);
  Define(map, "map_concat", k, 0, -1, MapConcatFn, kGroup);
  Define(map, "map_contains_key", k, 2, 2, MapContainsKeyFn, kGroup);
  Define(map, "str_to_map", k, 1, 3, StrToMapFn, kGroup);
  for (const char* part : {"map_keys", "map_values", "map_entries"}) {
    Define(
        map, part, k, 1, 1, [part](Call& c) { return MapPartFn(c, part); }, kGroup);
  }
  Define(map, "named_struct", k, 0, -1, NamedStructFn, "struct_funcs");
  Define(map, "struct", k, 0, -1, StructFn, "struct_funcs");
}

void AddMapMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
