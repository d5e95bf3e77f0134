// Native functions of the json group: Spark's JSON reading (Jackson's syntax and options)
// where DuckDB's JSON functions read differently.
#include <map>
#include <memory>

#include "spark/json_convert.h"
#include "spark/json_text.h"
#include "spark/native_groups.h"
#include "spark/parser.h"

namespace sluice::spark::internal {
namespace {

bool IsNull(const NativeValue& value) { return std::holds_alternative<std::monostate>(value); }
const std::string& Text(const NativeValue& value) { return std::get<std::string>(value); }

NativeValue Optional(const std::optional<std::string>& text) {
  if (!text) return std::monostate{};
  return *text;
}

// get_json_object(json, path).
Result<NativeValue> GetJsonObjectNative(const std::vector<NativeValue>& a) {
  std::string error;
  auto result = GetJsonObject(Text(a[0]), Text(a[1]), &error);
  if (!error.empty()) return InvalidArgument("get_json_object: " + error);
  return Optional(result);
}

// One column of json_tuple(json, name, ...): the value of the last non-null field `name`
// of a JSON object (strings unquoted, other values as JSON), else NULL.
Result<NativeValue> JsonTupleField(const std::vector<NativeValue>& a) {
  if (IsNull(a[0]) || IsNull(a[1])) return NativeValue(std::monostate{});
  JsonValue value;
  if (ReadJson(Text(a[0]), HiveJsonOptions(), &value) != JsonRead::kValue ||
      value.kind != JsonValue::Kind::kObject) {
    return NativeValue(std::monostate{});
  }
  const std::string& name = Text(a[1]);
  std::optional<std::string> found;
  for (const auto& [field, v] : value.fields) {
    if (field != name || v.kind == JsonValue::Kind::kNull) continue;
    found = v.kind == JsonValue::Kind::kString ? v.text : JacksonText(v);
  }
  return Optional(found);
}

Result<NativeValue> JsonArrayLength(const std::vector<NativeValue>& a) {
  JsonValue value;
  if (ReadJson(Text(a[0]), HiveJsonOptions(), &value) != JsonRead::kValue ||
      value.kind != JsonValue::Kind::kArray) {
    return NativeValue(std::monostate{});
  }
  return NativeValue(static_cast<int64_t>(value.items.size()));
}

// json_object_keys: the keys of a JSON object, as a JSON array of strings.
Result<NativeValue> JsonObjectKeys(const std::vector<NativeValue>& a) {
  JsonValue value;
  if (ReadJson(Text(a[0]), HiveJsonOptions(), &value) != JsonRead::kValue ||
      value.kind != JsonValue::Kind::kObject) {
    return NativeValue(std::monostate{});
  }
  std::string out = "[";
  for (size_t i = 0; i < value.fields.size(); ++i) {
    if (i > 0) out += ",";
    out += JacksonString(value.fields[i].first);
  }
  return NativeValue(out + "]");
}

// from_json(json, schema, options): the record read into the schema (Spark's type SQL) as
// normalized JSON for json_transform.
Result<NativeValue> FromJson(const std::vector<NativeValue>& a) {
  thread_local std::map<std::string, std::shared_ptr<const DataType>> schemas;
  thread_local std::map<std::string, JsonConvertOptions> options;
  const std::string& schema_text = Text(a[1]);
  auto schema = schemas.find(schema_text);
  if (schema == schemas.end()) {
    SLUICE_ASSIGN_OR_RETURN(DataType type, ParseDataType(schema_text));
    schema = schemas.emplace(schema_text, std::make_shared<const DataType>(type)).first;
  }
  auto option = options.find(Text(a[2]));
  if (option == options.end()) {
    option = options.emplace(Text(a[2]), DecodeJsonOptions(Text(a[2]))).first;
  }
  SLUICE_ASSIGN_OR_RETURN(std::optional<std::string> normalized,
                          FromJsonNormalize(Text(a[0]), *schema->second, option->second));
  return Optional(normalized);
}

}  // namespace

void AddJsonNatives(std::vector<NativeFunction>& out) {
  out.push_back({"spark_get_json_object", {"VARCHAR", "VARCHAR"}, "VARCHAR", GetJsonObjectNative});
  NativeFunction tuple{"spark_json_tuple", {"VARCHAR", "VARCHAR"}, "VARCHAR", JsonTupleField};
  tuple.handles_nulls = true;
  out.push_back(std::move(tuple));
  out.push_back({"spark_json_array_length", {"VARCHAR"}, "INTEGER", JsonArrayLength});
  out.push_back({"spark_json_object_keys", {"VARCHAR"}, "VARCHAR", JsonObjectKeys});
  out.push_back({"spark_from_json", {"VARCHAR", "VARCHAR", "VARCHAR"}, "VARCHAR", FromJson});
  out.push_back({"spark_json_quote",
                 {"VARCHAR"},
                 "VARCHAR",
                 [](const std::vector<NativeValue>& a) -> Result<NativeValue> {
                   return NativeValue(JacksonString(Text(a[0])));
                 }});
}

}  // namespace sluice::spark::internal
