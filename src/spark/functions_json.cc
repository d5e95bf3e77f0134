// JSON functions: from_json, to_json, schema_of_json, get_json_object, json_array_length,
// json_object_keys (json_tuple is a generator). JSON is read as Spark reads it, through
// native functions (native_json.cc); to_json writes as Spark's JacksonGenerator does.
#include <map>
#include <set>

#include "common/strings.h"
#include "spark/collection_internal.h"
#include "spark/json_convert.h"
#include "spark/parser.h"

namespace sluice::spark::internal {
namespace {

constexpr const char* kGroup = "json_funcs";

// The options argument i: map('key', 'value', ...) of string literals, keys in lower case.
Result<std::map<std::string, std::string>> LiteralOptions(Call& call, size_t i) {
  const Expr& raw = *call.raw[i];
  std::map<std::string, std::string> out;
  if (raw.kind != ExprKind::kFunction || !EqualsIgnoreCase(raw.parts.back(), "map") ||
      raw.args.size() % 2 != 0) {
    return call.ArgError(i, "the options of " + call.name + " must be map('key', 'value', ...)");
  }
  for (size_t k = 0; k < raw.args.size(); k += 2) {
    const Expr& key = *raw.args[k];
    const Expr& value = *raw.args[k + 1];
    if (key.kind != ExprKind::kLiteral || !key.literal.type.is(TypeId::kString) ||
        value.kind != ExprKind::kLiteral || !value.literal.type.is(TypeId::kString)) {
      return call.ArgError(i, "the options of " + call.name + " must be string literals");
    }
    out[ToLower(key.literal.text)] = value.literal.text;
  }
  return out;
}

Status UnsupportedOption(Call& call, size_t i, const std::string& key, const std::string& value) {
  return call.translator.UnsupportedAt(call.raw[i]->span,
                                       "the option " + key + " = '" + value + "' of " + call.name);
}

Result<bool> BooleanOption(Call& call, size_t i, const std::string& key, const std::string& value) {
  if (EqualsIgnoreCase(value, "true")) return true;
  if (EqualsIgnoreCase(value, "false")) return false;
  return call.ArgError(i, "the option " + key + " of " + call.name + " must be true or false");
}

// A datetime pattern option sluice reads and writes exactly (formatting allows SSS and
// SSSSSS fractions only).
Status CheckPattern(Call& call, size_t i, const std::string& key, const std::string& value,
                    bool writing) {
  auto pattern = ParseDatetimePattern(value);
  bool ok = pattern.has_value();
  if (ok && writing) {
    for (const DatetimePatternItem& item : *pattern) {
      if (item.letter == 'S' && item.count != 3 && item.count != 6) ok = false;
    }
  }
  if (!ok) return UnsupportedOption(call, i, key, value);
  return Status::OK();
}

// from_json and schema_of_json options.
Result<JsonConvertOptions> ReadOptions(Call& call, size_t i) {
  JsonConvertOptions options;
  options.session_time_zone = call.options().session_time_zone;
  if (i >= call.args.size()) return options;
  SLUICE_ASSIGN_OR_RETURN(auto map, LiteralOptions(call, i));
  for (const auto& [key, value] : map) {
    if (key == "timestampformat" || key == "timestampntzformat" || key == "dateformat") {
      SLUICE_RETURN_IF_ERROR(CheckPattern(call, i, key, value, false));
      (key == "dateformat"        ? options.date_format
       : key == "timestampformat" ? options.timestamp_format
                                  : options.timestamp_ntz_format) = value;
      continue;
    }
    if (key == "mode" && EqualsIgnoreCase(value, "PERMISSIVE")) continue;
    bool* flag = key == "allowsinglequotes"           ? &options.read.single_quotes
                 : key == "allownumericleadingzeros"  ? &options.read.leading_zeros
                 : key == "allownonnumericnumbers"    ? &options.read.non_numeric_numbers
                 : key == "allowunquotedcontrolchars" ? &options.read.unescaped_control_chars
                 : key == "allowbackslashescapinganycharacter"
                     ? &options.read.backslash_escaping_any
                 : key == "primitivesasstring" && call.name == "schema_of_json"
                     ? &options.primitives_as_string
                     : nullptr;
    if (flag == nullptr) {
      // Options whose default sluice follows may be given with that default.
      const bool default_false = key == "allowcomments" || key == "allowunquotedfieldnames" ||
                                 key == "prefersdecimal" || key == "dropfieldifallnull";
      if (default_false && EqualsIgnoreCase(value, "false")) continue;
      return UnsupportedOption(call, i, key, value);
    }
    SLUICE_ASSIGN_OR_RETURN(*flag, BooleanOption(call, i, key, value));
  }
  return options;
}

// Spark's JSON schema format: {"type":"struct","fields":[{"name":...,"type":...}]}.
std::optional<DataType> JsonSchemaType(const JsonValue& v) {
  if (v.kind == JsonValue::Kind::kString) {
    auto type = ParseDataType(v.text == "long" ? "bigint" : v.text == "integer" ? "int" : v.text);
    if (!type.ok()) return std::nullopt;
    return *type;
  }
  if (v.kind != JsonValue::Kind::kObject) return std::nullopt;
  std::map<std::string, const JsonValue*> fields;
  for (const auto& [name, value] : v.fields) fields[name] = &value;
  if (!fields.count("type")) return std::nullopt;
  const std::string kind = fields["type"]->text;
  if (kind == "array" && fields.count("elementType")) {
    auto element = JsonSchemaType(*fields["elementType"]);
    if (!element) return std::nullopt;
    return DataType::Array(*element);
  }
  if (kind == "map" && fields.count("keyType") && fields.count("valueType")) {
    auto key = JsonSchemaType(*fields["keyType"]);
    auto value = JsonSchemaType(*fields["valueType"]);
    if (!key || !value) return std::nullopt;
    return DataType::Map(*key, *value);
  }
  if (kind == "struct" && fields.count("fields")) {
    std::vector<StructField> out;
    for (const JsonValue& field : fields["fields"]->items) {
      std::optional<std::string> name;
      std::optional<DataType> type;
      for (const auto& [key, value] : field.fields) {
        if (key == "name" && value.kind == JsonValue::Kind::kString) name = value.text;
        if (key == "type") type = JsonSchemaType(value);
      }
      if (!name || !type) return std::nullopt;
      out.push_back(StructField{*name, std::make_shared<const DataType>(*type), true, {}});
    }
    return DataType::Struct(std::move(out));
  }
  return std::nullopt;
}

// A struct field name that repeats (ignoring case) within a struct of `type`.
std::optional<std::string> RepeatedFieldName(const DataType& type) {
  switch (type.id) {
    case TypeId::kArray:
      return RepeatedFieldName(*type.element);
    case TypeId::kMap:
      return RepeatedFieldName(*type.value);
    case TypeId::kStruct: {
      std::set<std::string> seen;
      for (const StructField& field : type.fields) {
        if (!seen.insert(ToLower(field.name)).second) return field.name;
        if (auto name = RepeatedFieldName(*field.type)) return name;
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

// from_json's schema: a type (STRUCT<...>, ARRAY<...>, MAP<...>), a DDL column list, or
// Spark's JSON schema format.
Result<DataType> FromJsonSchema(Call& call) {
  auto text = call.args[1].StringValue();
  if (!text) return call.ArgError(1, "the schema of from_json must be a string literal");
  auto type = ParseDataType(*text);
  if (!type.ok()) {
    auto columns = ParseDdlColumns(*text);
    if (columns.ok()) {
      type = DataType::Struct(*columns);
    } else {
      JsonValue json;
      std::optional<DataType> parsed;
      if (ReadJson(*text, JsonReadOptions(), &json) == JsonRead::kValue) {
        parsed = JsonSchemaType(json);
      }
      if (!parsed) return call.ArgError(1, "cannot read the schema '" + *text + "'");
      type = *parsed;
    }
  }
  if (!type->is(TypeId::kStruct) && !type->is(TypeId::kArray) && !type->is(TypeId::kMap)) {
    return call.ArgError(
        1, "the schema of from_json must be a struct, an array or a map, not " + type->Sql());
  }
  if (auto name = RepeatedFieldName(*type)) {
    return call.translator.UnsupportedAt(
        call.raw[1]->span, "a from_json schema with two fields named '" + *name +
                               "' (DuckDB structs cannot repeat a field name, ignoring case)");
  }
  if (auto bad = FromJsonUnsupported(*type)) {
    return call.translator.UnsupportedAt(call.raw[1]->span,
                                         "from_json into " + bad->Sql() + " values");
  }
  return *type;
}

bool HasTimestamp(const DataType& type) {
  switch (type.id) {
    case TypeId::kTimestamp:
      return true;
    case TypeId::kArray:
      return HasTimestamp(*type.element);
    case TypeId::kMap:
      return HasTimestamp(*type.value);
    case TypeId::kStruct:
      for (const StructField& field : type.fields) {
        if (HasTimestamp(*field.type)) return true;
      }
      return false;
    default:
      return false;
  }
}

// The DuckDB type json_transform reads into: TIMESTAMP (with zone) values are read as text.
DataType ReadType(const DataType& type) {
  switch (type.id) {
    case TypeId::kTimestamp:
      return DataType::Of(TypeId::kString);
    case TypeId::kArray:
      return DataType::Array(ReadType(*type.element));
    case TypeId::kMap:
      return DataType::Map(*type.key, ReadType(*type.value));
    case TypeId::kStruct: {
      std::vector<StructField> fields = type.fields;
      for (StructField& field : fields) {
        field.type = std::make_shared<const DataType>(ReadType(*field.type));
      }
      return DataType::Struct(std::move(fields));
    }
    default:
      return type;
  }
}

// `x`, read as ReadType(type), as `type`: timestamp texts (with their zones) cast.
std::string FromReadType(Translator& t, const std::string& x, const DataType& type) {
  if (!HasTimestamp(type)) return x;
  switch (type.id) {
    case TypeId::kTimestamp:
      return "CAST(" + x + " AS TIMESTAMP WITH TIME ZONE)";
    case TypeId::kArray: {
      const std::string v = t.NewLambdaVariable();
      return "list_transform(" + x + ", lambda " + v + ": " + FromReadType(t, v, *type.element) +
             ")";
    }
    case TypeId::kMap: {
      const std::string e = t.NewLambdaVariable();
      return As("map_from_entries(list_transform(map_entries(" + x + "), lambda " + e +
                    ": struct_pack(\"key\" := struct_extract(" + e + ", 'key'), \"value\" := " +
                    FromReadType(t, "struct_extract(" + e + ", 'value')", *type.value) + ")))",
                type);
    }
    default: {
      std::vector<std::string> fields;
      for (const StructField& field : type.fields) {
        fields.push_back(QuoteIdentifier(field.name) + " := " +
                         FromReadType(t,
                                      "struct_extract(" + x + ", " + QuoteLiteral(field.name) + ")",
                                      *field.type));
      }
      return "CASE WHEN " + x + " IS NOT NULL THEN struct_pack(" + Join(fields, ", ") + ") END";
    }
  }
}

Result<Typed> FromJsonFn(Call& call) {
  SLUICE_RETURN_IF_ERROR(Expect(call, 0, String()));
  SLUICE_ASSIGN_OR_RETURN(DataType schema, FromJsonSchema(call));
  SLUICE_ASSIGN_OR_RETURN(JsonConvertOptions options, ReadOptions(call, 2));
  const std::string read = "json_transform(spark_from_json(" + call.args[0].sql + ", " +
                           QuoteLiteral(schema.Sql()) + ", " +
                           QuoteLiteral(EncodeJsonOptions(options)) + "), " +
                           QuoteLiteral(JacksonString(ToDuckDbType(ReadType(schema)))) + ")";
  Typed out = call.Result(FromReadType(call.translator, read, schema), schema);
  out.name = schema.is(TypeId::kMap) ? "entries" : "from_json(" + call.args[0].name + ")";
  return out;
}

// ---- to_json -----------------------------------------------------------------------------

struct WriteFormats {
  std::string timestamp = "%Y-%m-%dT%H:%M:%S.%g";  // then the zone offset (XXX)
  bool timestamp_offset = true;
  std::string timestamp_ntz = "%Y-%m-%dT%H:%M:%S.%g";
  std::string date = "%Y-%m-%d";
  bool ignore_null_fields = true;
};

class JsonWriter {
 public:
  JsonWriter(Call& call, WriteFormats formats) : call_(call), f_(std::move(formats)) {}

  // The JSON text of `x` (NULL when x is NULL).
  Result<std::string> Value(const std::string& x, const DataType& type) {
    Translator& t = call_.translator;
    switch (type.id) {
      case TypeId::kNull:
        return std::string("CAST(NULL AS VARCHAR)");
      case TypeId::kBoolean:
      case TypeId::kByte:
      case TypeId::kShort:
      case TypeId::kInt:
      case TypeId::kLong:
        return "CAST(" + x + " AS VARCHAR)";
      case TypeId::kFloat:
      case TypeId::kDouble: {
        const std::string text = std::string(type.is(TypeId::kFloat) ? "spark_float_to_string("
                                                                     : "spark_double_to_string(") +
                                 x + ")";
        return "CASE WHEN isfinite(" + x + ") THEN " + text + " ELSE '\"' || " + text +
               " || '\"' END";
      }
      case TypeId::kDecimal:
        return "spark_bigdecimal_text(" + x + ", " + std::to_string(type.scale) + ")";
      case TypeId::kString:
        return "spark_json_quote(" + x + ")";
      case TypeId::kBinary:
        return "'\"' || to_base64(" + x + ") || '\"'";
      case TypeId::kDate:
        return "'\"' || strftime(" + x + ", " + QuoteLiteral(f_.date) + ") || '\"'";
      case TypeId::kTimestampNtz:
        return "'\"' || strftime(" + x + ", " + QuoteLiteral(f_.timestamp_ntz) + ") || '\"'";
      case TypeId::kTimestamp: {
        const std::string zone = QuoteLiteral(call_.options().session_time_zone);
        const std::string local = "timezone(" + zone + ", " + x + ")";
        std::string text = "strftime(" + local + ", " + QuoteLiteral(f_.timestamp) + ")";
        if (f_.timestamp_offset) {
          text +=
              " || spark_offset_xxx((epoch_us(" + local + ") - epoch_us(" + x + ")) // 1000000)";
        }
        return "'\"' || " + text + " || '\"'";
      }
      case TypeId::kYearMonthInterval:
      case TypeId::kDayTimeInterval:
        return "spark_json_quote(spark_ansi_interval_to_string(" + x + ", '" + type.SimpleString() +
               "'))";
      case TypeId::kCalendarInterval:
        return "spark_json_quote(spark_calendar_interval_to_string(" + x + "))";
      case TypeId::kArray: {
        const std::string v = t.NewLambdaVariable();
        SLUICE_ASSIGN_OR_RETURN(std::string element, Value(v, *type.element));
        return "'[' || spark_join(list_transform(" + x + ", lambda " + v + ": coalesce(" + element +
               ", 'null')), ',') || ']'";
      }
      case TypeId::kMap: {
        const std::string e = t.NewLambdaVariable();
        SLUICE_ASSIGN_OR_RETURN(std::string key,
                                Key("struct_extract(" + e + ", 'key')", *type.key));
        SLUICE_ASSIGN_OR_RETURN(std::string value,
                                Value("struct_extract(" + e + ", 'value')", *type.value));
        return "'{' || spark_join(list_transform(map_entries(" + x + "), lambda " + e +
               ": spark_json_quote(" + key + ") || ':' || coalesce(" + value +
               ", 'null')), ',') || '}'";
      }
      case TypeId::kStruct: {
        std::vector<std::string> fields;
        for (const StructField& field : type.fields) {
          const std::string value = "struct_extract(" + x + ", " + QuoteLiteral(field.name) + ")";
          SLUICE_ASSIGN_OR_RETURN(std::string text, Value(value, *field.type));
          const std::string name = QuoteLiteral(JacksonString(field.name) + ":");
          fields.push_back(f_.ignore_null_fields ? "CASE WHEN " + value + " IS NOT NULL THEN " +
                                                       name + " || " + text + " END"
                                                 : name + " || coalesce(" + text + ", 'null')");
        }
        if (fields.empty()) return "CASE WHEN " + x + " IS NOT NULL THEN '{}' END";
        return "CASE WHEN " + x + " IS NOT NULL THEN '{' || concat_ws(',', " + Join(fields, ", ") +
               ") || '}' END";
      }
    }
    return call_.Error("to_json cannot write " + type.Sql());
  }

 private:
  // A map key as Spark writes it: the toString of its internal value.
  Result<std::string> Key(const std::string& x, const DataType& type) {
    switch (type.id) {
      case TypeId::kString:
        return x;
      case TypeId::kNull:
        return std::string("CAST(NULL AS VARCHAR)");
      case TypeId::kBoolean:
      case TypeId::kByte:
      case TypeId::kShort:
      case TypeId::kInt:
      case TypeId::kLong:
        return "CAST(" + x + " AS VARCHAR)";
      case TypeId::kFloat:
        return "spark_float_to_string(" + x + ")";
      case TypeId::kDouble:
        return "spark_double_to_string(" + x + ")";
      case TypeId::kDecimal:
        return "spark_bigdecimal_text(" + x + ", " + std::to_string(type.scale) + ")";
      case TypeId::kDate:
        return "CAST(" + x + " - DATE '1970-01-01' AS VARCHAR)";
      case TypeId::kTimestamp:
      case TypeId::kTimestampNtz:
        return "CAST(epoch_us(" + x + ") AS VARCHAR)";
      default:
        return call_.translator.UnsupportedAt(
            call_.raw[0]->span,
            "to_json of a map with " + type.Sql() +
                " keys (Spark writes the JVM's text of its internal key objects)");
    }
  }

  Call& call_;
  WriteFormats f_;
};

Result<Typed> ToJsonFn(Call& call) {
  const DataType& type = call.args[0].type;
  if (!type.is(TypeId::kStruct) && !type.is(TypeId::kArray) && !type.is(TypeId::kMap)) {
    return call.ArgError(0, "to_json needs a struct, an array or a map, but '" + call.args[0].name +
                                "' is " + type.Sql());
  }
  WriteFormats formats;
  if (call.args.size() == 2) {
    SLUICE_ASSIGN_OR_RETURN(auto map, LiteralOptions(call, 1));
    for (const auto& [key, value] : map) {
      if (key == "timestampformat" || key == "timestampntzformat" || key == "dateformat") {
        SLUICE_RETURN_IF_ERROR(CheckPattern(call, 1, key, value, true));
        const std::string format = StrftimeFormat(*ParseDatetimePattern(value));
        if (key == "dateformat") {
          formats.date = format;
        } else if (key == "timestampformat") {
          formats.timestamp = format;
          formats.timestamp_offset = false;
        } else {
          formats.timestamp_ntz = format;
        }
      } else if (key == "ignorenullfields") {
        SLUICE_ASSIGN_OR_RETURN(formats.ignore_null_fields, BooleanOption(call, 1, key, value));
      } else if (!(key == "pretty" && EqualsIgnoreCase(value, "false"))) {
        return UnsupportedOption(call, 1, key, value);
      }
    }
  }
  JsonWriter writer(call, formats);
  SLUICE_ASSIGN_OR_RETURN(std::string sql, writer.Value(call.args[0].sql, type));
  Typed out = call.Result(sql, DataType::Of(TypeId::kString));
  out.name = "to_json(" + call.args[0].name + ")";
  return out;
}

// schema_of_json(json[, options]): computed when the query is translated (the JSON must be
// a literal, as Spark requires).
Result<Typed> SchemaOfJsonFn(Call& call) {
  auto json = call.args[0].StringValue();
  if (!json) {
    return call.ArgError(
        0, "the argument of schema_of_json must be a string literal, not " + call.args[0].name);
  }
  SLUICE_ASSIGN_OR_RETURN(JsonConvertOptions options, ReadOptions(call, 1));
  auto type = InferJsonSchema(*json, options);
  if (!type.ok()) return call.Error(type.status().message());
  Typed out = LiteralTyped(Literal{DataType::Of(TypeId::kString), type->Sql()});
  out.name = "schema_of_json(" + call.args[0].name + ")";
  return out;
}

}  // namespace

void AddJsonFunctions(FunctionMap& map) {
  const FunctionKind k = FunctionKind::kScalar;
  const DataType string = DataType::Of(TypeId::kString);
  Define(map, "from_json", k, 2, 3, FromJsonFn, kGroup);
  Define(map, "to_json", k, 1, 2, ToJsonFn, kGroup);
  Define(map, "schema_of_json", k, 1, 2, SchemaOfJsonFn, kGroup);
  Define(map, "get_json_object", k, 2, 2,
         Template({String()}, "spark_get_json_object({0}, {1})", string), kGroup);
  Define(map, "json_array_length", k, 1, 1,
         Template({String()}, "spark_json_array_length({0})", DataType::Of(TypeId::kInt)), kGroup);
  Define(map, "json_object_keys", k, 1, 1,
         Template({String()}, "json_transform(spark_json_object_keys({0}), '[\"VARCHAR\"]')",
                  DataType::Array(string)),
         kGroup);
}

void AddJsonMacros(std::vector<MacroDef>& out) {
  // java.math.BigDecimal.toString of a decimal with scale s: plain unless the exponent is
  // below -6 (then 1.2E-8).
  out.push_back({"spark_bigdecimal_digits(d)", "CAST(abs(spark_unscaled(d)) AS VARCHAR)"});
  out.push_back(
      {"spark_bigdecimal_text(d, s)",
       "CASE WHEN length(spark_bigdecimal_digits(d)) - 1 - s >= -6 THEN CAST(d AS VARCHAR) ELSE "
       "(CASE WHEN d < 0 THEN '-' ELSE '' END) || left(spark_bigdecimal_digits(d), 1) || CASE WHEN "
       "length(spark_bigdecimal_digits(d)) > 1 THEN '.' || substr(spark_bigdecimal_digits(d), 2) "
       "ELSE '' END || 'E' || CAST(length(spark_bigdecimal_digits(d)) - 1 - s AS VARCHAR) END"});
  // A zone offset in seconds as the pattern XXX writes it: Z, +hh:mm or +hh:mm:ss.
  out.push_back(
      {"spark_offset_xxx(s)",
       "CASE WHEN s = 0 THEN 'Z' ELSE (CASE WHEN s < 0 THEN '-' ELSE '+' END) || "
       "lpad(CAST(abs(s) // 3600 AS VARCHAR), 2, '0') || ':' || lpad(CAST(abs(s) % 3600 // 60 AS "
       "VARCHAR), 2, '0') || CASE WHEN abs(s) % 60 <> 0 THEN ':' || lpad(CAST(abs(s) % 60 AS "
       "VARCHAR), 2, '0') ELSE '' END END"});
}

}  // namespace sluice::spark::internal
