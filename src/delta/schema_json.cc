// metaData.schemaString <-> Schema.

#include <optional>

#include "common/strings.h"
#include "delta/json_tree.h"
#include "delta/schema.h"

namespace sluice::delta {
namespace {

using json_tree::Node;

// Where in the schema a type sits, for messages: "a.b", "a.element", "m.value".
std::string Where(const std::string& path) {
  return path.empty() ? std::string() : " for field \"" + path + "\"";
}

std::string Child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

std::optional<TypeKind> PrimitiveKind(std::string_view name) {
  static constexpr std::pair<std::string_view, TypeKind> kNames[] = {
      {"string", TypeKind::kString},
      {"long", TypeKind::kLong},
      {"integer", TypeKind::kInteger},
      {"short", TypeKind::kShort},
      {"byte", TypeKind::kByte},
      {"float", TypeKind::kFloat},
      {"double", TypeKind::kDouble},
      {"boolean", TypeKind::kBoolean},
      {"binary", TypeKind::kBinary},
      {"date", TypeKind::kDate},
      {"timestamp", TypeKind::kTimestamp},
      {"timestamp_ntz", TypeKind::kTimestampNtz},
      {"void", TypeKind::kVoid},
      {"null", TypeKind::kVoid},  // Spark 2's name for NullType
  };
  for (const auto& [type_name, kind] : kNames) {
    if (name == type_name) return kind;
  }
  return std::nullopt;
}

// "decimal(p,s)" with optional spaces; "decimal" alone is Spark's default decimal(10,0).
Result<std::optional<DataTypePtr>> ParseDecimalName(std::string_view name,
                                                    const std::string& path) {
  if (name == "decimal") return std::optional<DataTypePtr>(DataType::Decimal(10, 0));
  if (!StartsWith(name, "decimal(") || !EndsWith(name, ")")) {
    return std::optional<DataTypePtr>();
  }
  std::string_view inner = name.substr(8, name.size() - 9);
  size_t comma = inner.find(',');
  std::optional<int64_t> precision;
  std::optional<int64_t> scale;
  if (comma != std::string_view::npos) {
    precision = ParseInt64(Trim(inner.substr(0, comma)));
    scale = ParseInt64(Trim(inner.substr(comma + 1)));
  }
  if (!precision || !scale ||
      !DataType::IsValidDecimal(static_cast<int>(*precision), static_cast<int>(*scale)) ||
      *precision > 38) {
    return InvalidArgument("invalid schema: invalid decimal type \"", name, "\"", Where(path),
                           " (precision must be 1..38 and scale 0..precision)");
  }
  return std::optional<DataTypePtr>(
      DataType::Decimal(static_cast<int>(*precision), static_cast<int>(*scale)));
}

Result<DataTypePtr> ParseType(const Node& node, const std::string& path);

Result<bool> GetBool(const Node& object, std::string_view key, const std::string& path,
                     std::optional<bool> fallback) {
  const Node* value = object.Find(key);
  if (value == nullptr || value->is_null()) {
    if (fallback) return *fallback;
    return InvalidArgument("invalid schema: missing \"", key, "\"", Where(path));
  }
  if (!value->is_bool()) {
    return InvalidArgument("invalid schema: \"", key, "\" must be true or false", Where(path));
  }
  return value->boolean;
}

const Node* Require(const Node& object, std::string_view key) {
  const Node* value = object.Find(key);
  return value == nullptr || value->is_null() ? nullptr : value;
}

Result<std::vector<StructField>> ParseFields(const Node& struct_node, const std::string& path) {
  const Node* fields = Require(struct_node, "fields");
  if (fields == nullptr || !fields->is_array()) {
    return InvalidArgument("invalid schema: struct without a \"fields\" array", Where(path));
  }
  std::vector<StructField> out;
  out.reserve(fields->elements.size());
  for (size_t i = 0; i < fields->elements.size(); ++i) {
    const Node& field_node = fields->elements[i];
    std::string position = "field #" + std::to_string(i + 1);
    if (!path.empty()) position += " of \"" + path + "\"";
    if (!field_node.is_object()) {
      return InvalidArgument("invalid schema: ", position, " is not an object");
    }
    const Node* name = Require(field_node, "name");
    if (name == nullptr || !name->is_string()) {
      return InvalidArgument("invalid schema: ", position, " has no \"name\" string");
    }
    StructField field;
    field.name = name->text;
    std::string field_path = Child(path, field.name);
    for (const StructField& earlier : out) {
      if (EqualsIgnoreCase(earlier.name, field.name)) {
        return InvalidArgument("invalid schema: duplicate field name \"", field.name, "\"",
                               path.empty() ? "" : " in \"" + path + "\"",
                               " (column names are case-insensitive)");
      }
    }
    const Node* type = Require(field_node, "type");
    if (type == nullptr) {
      return InvalidArgument("invalid schema: missing \"type\"", Where(field_path));
    }
    SLUICE_ASSIGN_OR_RETURN(field.type, ParseType(*type, field_path));
    SLUICE_ASSIGN_OR_RETURN(field.nullable, GetBool(field_node, "nullable", field_path, true));
    const Node* metadata = Require(field_node, "metadata");
    if (metadata != nullptr) {
      if (!metadata->is_object()) {
        return InvalidArgument("invalid schema: \"metadata\" must be an object", Where(field_path));
      }
      for (const auto& [key, value] : metadata->members) {
        field.metadata.SetRaw(key, json_tree::ToCompactJson(value));
      }
    }
    out.push_back(std::move(field));
  }
  return out;
}

Result<DataTypePtr> ParseType(const Node& node, const std::string& path) {
  if (node.is_string()) {
    if (auto kind = PrimitiveKind(node.text)) return DataType::Primitive(*kind);
    SLUICE_ASSIGN_OR_RETURN(auto decimal, ParseDecimalName(node.text, path));
    if (decimal) return *decimal;
    if (node.text == "variant") {
      return NotSupported("type \"variant\"", Where(path), " is not supported");
    }
    return InvalidArgument("invalid schema: unknown type \"", node.text, "\"", Where(path));
  }
  if (!node.is_object()) {
    return InvalidArgument("invalid schema: a type must be a string or an object", Where(path));
  }
  const Node* type = Require(node, "type");
  if (type == nullptr || !type->is_string()) {
    return InvalidArgument("invalid schema: nested type without a \"type\" name", Where(path));
  }
  if (type->text == "struct") {
    SLUICE_ASSIGN_OR_RETURN(auto fields, ParseFields(node, path));
    return DataType::Struct(std::move(fields));
  }
  if (type->text == "array") {
    const Node* element = Require(node, "elementType");
    if (element == nullptr) {
      return InvalidArgument("invalid schema: array without \"elementType\"", Where(path));
    }
    SLUICE_ASSIGN_OR_RETURN(DataTypePtr element_type, ParseType(*element, Child(path, "element")));
    SLUICE_ASSIGN_OR_RETURN(bool contains_null, GetBool(node, "containsNull", path, true));
    return DataType::Array(std::move(element_type), contains_null);
  }
  if (type->text == "map") {
    const Node* key = Require(node, "keyType");
    const Node* value = Require(node, "valueType");
    if (key == nullptr || value == nullptr) {
      return InvalidArgument("invalid schema: map without \"keyType\" or \"valueType\"",
                             Where(path));
    }
    SLUICE_ASSIGN_OR_RETURN(DataTypePtr key_type, ParseType(*key, Child(path, "key")));
    SLUICE_ASSIGN_OR_RETURN(DataTypePtr value_type, ParseType(*value, Child(path, "value")));
    SLUICE_ASSIGN_OR_RETURN(bool value_contains_null,
                            GetBool(node, "valueContainsNull", path, true));
    return DataType::Map(std::move(key_type), std::move(value_type), value_contains_null);
  }
  if (type->text == "udt") {
    return NotSupported("user-defined type", Where(path), " is not supported");
  }
  return InvalidArgument("invalid schema: unknown type \"", type->text, "\"", Where(path));
}

void AppendType(const DataType& type, std::string* out);

void AppendFields(const std::vector<StructField>& fields, std::string* out) {
  out->append("{\"type\":\"struct\",\"fields\":[");
  for (size_t i = 0; i < fields.size(); ++i) {
    const StructField& field = fields[i];
    if (i > 0) out->push_back(',');
    out->append("{\"name\":");
    json_tree::AppendQuoted(out, field.name);
    out->append(",\"type\":");
    AppendType(*field.type, out);
    out->append(field.nullable ? ",\"nullable\":true" : ",\"nullable\":false");
    out->append(",\"metadata\":{");
    bool first = true;
    for (const auto& [key, raw] : field.metadata.entries()) {
      if (!first) out->push_back(',');
      first = false;
      json_tree::AppendQuoted(out, key);
      out->push_back(':');
      out->append(raw);
    }
    out->append("}}");
  }
  out->append("]}");
}

void AppendType(const DataType& type, std::string* out) {
  switch (type.kind()) {
    case TypeKind::kStruct:
      AppendFields(type.fields(), out);
      return;
    case TypeKind::kArray:
      out->append("{\"type\":\"array\",\"elementType\":");
      AppendType(*type.element_type(), out);
      out->append(type.contains_null() ? ",\"containsNull\":true}" : ",\"containsNull\":false}");
      return;
    case TypeKind::kMap:
      out->append("{\"type\":\"map\",\"keyType\":");
      AppendType(*type.key_type(), out);
      out->append(",\"valueType\":");
      AppendType(*type.value_type(), out);
      out->append(type.value_contains_null() ? ",\"valueContainsNull\":true}"
                                             : ",\"valueContainsNull\":false}");
      return;
    default:
      json_tree::AppendQuoted(out, type.ToString());
  }
}

}  // namespace

Result<Schema> ParseSchema(std::string_view schema_string) {
  auto root = json_tree::Parse(schema_string);
  if (!root.ok()) return root.status().WithContext("invalid schema");
  const Node* type = root->Find("type");
  if (!root->is_object() || type == nullptr || !type->is_string() || type->text != "struct") {
    return InvalidArgument("invalid schema: the schema must be a JSON object of type \"struct\"");
  }
  SLUICE_ASSIGN_OR_RETURN(auto fields, ParseFields(*root, ""));
  return Schema(std::move(fields));
}

std::string SerializeSchema(const Schema& schema) {
  std::string out;
  AppendFields(schema.fields(), &out);
  return out;
}

Result<DataTypePtr> ParseDataType(std::string_view json) {
  auto root = json_tree::Parse(json);
  if (!root.ok()) return root.status().WithContext("invalid type");
  return ParseType(*root, "");
}

std::string SerializeDataType(const DataType& type) {
  std::string out;
  AppendType(type, &out);
  return out;
}

}  // namespace sluice::delta
