#include "delta/schema.h"

#include <algorithm>
#include <array>

#include "common/strings.h"
#include "common/uuid.h"
#include "delta/json_tree.h"

namespace sluice::delta {
namespace {

std::string_view KindName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kString:
      return "string";
    case TypeKind::kLong:
      return "long";
    case TypeKind::kInteger:
      return "integer";
    case TypeKind::kShort:
      return "short";
    case TypeKind::kByte:
      return "byte";
    case TypeKind::kFloat:
      return "float";
    case TypeKind::kDouble:
      return "double";
    case TypeKind::kBoolean:
      return "boolean";
    case TypeKind::kBinary:
      return "binary";
    case TypeKind::kDate:
      return "date";
    case TypeKind::kTimestamp:
      return "timestamp";
    case TypeKind::kTimestampNtz:
      return "timestamp_ntz";
    case TypeKind::kDecimal:
      return "decimal";
    case TypeKind::kVoid:
      return "void";
    case TypeKind::kStruct:
      return "struct";
    case TypeKind::kArray:
      return "array";
    case TypeKind::kMap:
      return "map";
  }
  return "unknown";
}

bool SameTypePtr(const DataTypePtr& a, const DataTypePtr& b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  return *a == *b;
}

const StructField* FindField(const std::vector<StructField>& fields, std::string_view name) {
  for (const StructField& field : fields) {
    if (EqualsIgnoreCase(field.name, name)) return &field;
  }
  return nullptr;
}

DataTypePtr ToPhysicalType(const DataTypePtr& type, ColumnMappingMode mode);

std::vector<StructField> ToPhysicalFields(const std::vector<StructField>& fields,
                                          ColumnMappingMode mode) {
  std::vector<StructField> out;
  out.reserve(fields.size());
  for (const StructField& field : fields) {
    StructField physical = field;
    physical.name = PhysicalName(field, mode);
    physical.type = ToPhysicalType(field.type, mode);
    out.push_back(std::move(physical));
  }
  return out;
}

DataTypePtr ToPhysicalType(const DataTypePtr& type, ColumnMappingMode mode) {
  switch (type->kind()) {
    case TypeKind::kStruct:
      return DataType::Struct(ToPhysicalFields(type->fields(), mode));
    case TypeKind::kArray:
      return DataType::Array(ToPhysicalType(type->element_type(), mode), type->contains_null());
    case TypeKind::kMap:
      return DataType::Map(ToPhysicalType(type->key_type(), mode),
                           ToPhysicalType(type->value_type(), mode), type->value_contains_null());
    default:
      return type;
  }
}

int64_t MaxIdInType(const DataType& type);

int64_t MaxIdInFields(const std::vector<StructField>& fields) {
  int64_t max_id = 0;
  for (const StructField& field : fields) {
    max_id = std::max(max_id, ColumnMappingId(field).value_or(0));
    max_id = std::max(max_id, MaxIdInType(*field.type));
  }
  return max_id;
}

int64_t MaxIdInType(const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kStruct:
      return MaxIdInFields(type.fields());
    case TypeKind::kArray:
      return MaxIdInType(*type.element_type());
    case TypeKind::kMap:
      return std::max(MaxIdInType(*type.key_type()), MaxIdInType(*type.value_type()));
    default:
      return 0;
  }
}

DataTypePtr AssignInType(const DataTypePtr& type, int64_t* max_id);

std::vector<StructField> AssignInFields(const std::vector<StructField>& fields, int64_t* max_id) {
  std::vector<StructField> out;
  out.reserve(fields.size());
  for (const StructField& field : fields) {
    StructField assigned = field;
    if (!ColumnMappingId(field).has_value()) {
      assigned.metadata.SetInt(kColumnMappingIdKey, ++*max_id);
    }
    if (!field.metadata.GetString(kPhysicalNameKey).has_value()) {
      assigned.metadata.SetString(kPhysicalNameKey, "col-" + NewUuid());
    }
    assigned.type = AssignInType(field.type, max_id);
    out.push_back(std::move(assigned));
  }
  return out;
}

DataTypePtr AssignInType(const DataTypePtr& type, int64_t* max_id) {
  switch (type->kind()) {
    case TypeKind::kStruct:
      return DataType::Struct(AssignInFields(type->fields(), max_id));
    case TypeKind::kArray:
      return DataType::Array(AssignInType(type->element_type(), max_id), type->contains_null());
    case TypeKind::kMap: {
      DataTypePtr key = AssignInType(type->key_type(), max_id);
      DataTypePtr value = AssignInType(type->value_type(), max_id);
      return DataType::Map(std::move(key), std::move(value), type->value_contains_null());
    }
    default:
      return type;
  }
}

}  // namespace

// ---- FieldMetadata ----

std::optional<std::string_view> FieldMetadata::GetRaw(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.first == key) return std::string_view(entry.second);
  }
  return std::nullopt;
}

std::optional<std::string> FieldMetadata::GetString(std::string_view key) const {
  auto raw = GetRaw(key);
  if (!raw) return std::nullopt;
  // Physical names are looked up per column and file: skip the parser for plain strings.
  if (raw->size() >= 2 && raw->front() == '"' && raw->back() == '"' &&
      raw->find('\\') == std::string_view::npos &&
      raw->substr(1, raw->size() - 2).find('"') == std::string_view::npos) {
    return std::string(raw->substr(1, raw->size() - 2));
  }
  auto node = json_tree::Parse(*raw);
  if (!node.ok() || !node->is_string()) return std::nullopt;
  return node->text;
}

std::optional<int64_t> FieldMetadata::GetInt(std::string_view key) const {
  auto raw = GetRaw(key);
  if (!raw) return std::nullopt;
  if (auto plain = ParseInt64(*raw)) return plain;
  auto node = json_tree::Parse(*raw);
  if (!node.ok() || !(node->is_number() || node->is_string())) return std::nullopt;
  return ParseInt64(node->text);
}

std::optional<bool> FieldMetadata::GetBool(std::string_view key) const {
  auto raw = GetRaw(key);
  if (!raw) return std::nullopt;
  if (*raw == "true") return true;
  if (*raw == "false") return false;
  return std::nullopt;
}

void FieldMetadata::SetRaw(std::string_view key, std::string raw_json) {
  for (Entry& entry : entries_) {
    if (entry.first == key) {
      entry.second = std::move(raw_json);
      return;
    }
  }
  entries_.emplace_back(std::string(key), std::move(raw_json));
}

void FieldMetadata::SetString(std::string_view key, std::string_view value) {
  SetRaw(key, json_tree::Quote(value));
}

void FieldMetadata::SetInt(std::string_view key, int64_t value) {
  SetRaw(key, std::to_string(value));
}

void FieldMetadata::Erase(std::string_view key) {
  std::erase_if(entries_, [&](const Entry& entry) { return entry.first == key; });
}

// ---- StructField, DataType ----

bool StructField::operator==(const StructField& other) const {
  return name == other.name && nullable == other.nullable && metadata == other.metadata &&
         SameTypePtr(type, other.type);
}

DataTypePtr DataType::Primitive(TypeKind kind) {
  SLUICE_CHECK(kind != TypeKind::kDecimal && kind != TypeKind::kStruct &&
               kind != TypeKind::kArray && kind != TypeKind::kMap)
      << "DataType::Primitive of a parameterized kind " << KindName(kind);
  static const auto* const kTypes = [] {
    auto* types = new std::array<DataTypePtr, static_cast<size_t>(TypeKind::kMap) + 1>();
    for (size_t i = 0; i < types->size(); ++i) {
      (*types)[i] = std::make_shared<const DataType>(static_cast<TypeKind>(i));
    }
    return types;
  }();
  return (*kTypes)[static_cast<size_t>(kind)];
}

DataTypePtr DataType::Decimal(int precision, int scale) {
  SLUICE_CHECK(IsValidDecimal(precision, scale))
      << "invalid decimal(" << precision << "," << scale << ")";
  auto type = std::make_shared<DataType>(TypeKind::kDecimal);
  type->precision_ = precision;
  type->scale_ = scale;
  return type;
}

DataTypePtr DataType::Struct(std::vector<StructField> fields) {
  for (const StructField& field : fields) {
    SLUICE_CHECK(field.type != nullptr) << "struct field " << field.name << " without a type";
  }
  auto type = std::make_shared<DataType>(TypeKind::kStruct);
  type->fields_ = std::move(fields);
  return type;
}

DataTypePtr DataType::Array(DataTypePtr element_type, bool contains_null) {
  SLUICE_CHECK(element_type != nullptr) << "array without an element type";
  auto type = std::make_shared<DataType>(TypeKind::kArray);
  type->first_ = std::move(element_type);
  type->contains_null_ = contains_null;
  return type;
}

DataTypePtr DataType::Map(DataTypePtr key_type, DataTypePtr value_type, bool value_contains_null) {
  SLUICE_CHECK(key_type != nullptr && value_type != nullptr) << "map without key or value type";
  auto type = std::make_shared<DataType>(TypeKind::kMap);
  type->first_ = std::move(key_type);
  type->second_ = std::move(value_type);
  type->contains_null_ = value_contains_null;
  return type;
}

std::string DataType::ToString() const {
  switch (kind_) {
    case TypeKind::kDecimal:
      return "decimal(" + std::to_string(precision_) + "," + std::to_string(scale_) + ")";
    case TypeKind::kArray:
      return "array<" + first_->ToString() + ">";
    case TypeKind::kMap:
      return "map<" + first_->ToString() + "," + second_->ToString() + ">";
    case TypeKind::kStruct: {
      std::string out = "struct<";
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (i > 0) out += ",";
        out += fields_[i].name + ":" + fields_[i].type->ToString();
      }
      return out + ">";
    }
    default:
      return std::string(KindName(kind_));
  }
}

bool DataType::operator==(const DataType& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case TypeKind::kDecimal:
      return precision_ == other.precision_ && scale_ == other.scale_;
    case TypeKind::kStruct:
      return fields_ == other.fields_;
    case TypeKind::kArray:
      return contains_null_ == other.contains_null_ && SameTypePtr(first_, other.first_);
    case TypeKind::kMap:
      return contains_null_ == other.contains_null_ && SameTypePtr(first_, other.first_) &&
             SameTypePtr(second_, other.second_);
    default:
      return true;
  }
}

std::string ColumnPathToString(const ColumnPath& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ".";
    const std::string& name = path[i];
    if (name.empty() || name.find_first_of(".`") != std::string::npos) {
      out += "`";
      for (char c : name) {
        if (c == '`') out += "`";
        out += c;
      }
      out += "`";
    } else {
      out += name;
    }
  }
  return out;
}

// ---- Schema ----

std::optional<size_t> Schema::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (EqualsIgnoreCase(fields_[i].name, name)) return i;
  }
  return std::nullopt;
}

const StructField* Schema::Find(std::string_view name) const { return FindField(fields_, name); }

const StructField* Schema::FindPath(const ColumnPath& path) const {
  auto resolved = ResolvePath(path);
  return resolved.ok() ? *resolved : nullptr;
}

Result<const StructField*> Schema::ResolvePath(const ColumnPath& path) const {
  if (path.empty()) return InvalidArgument("empty column path");
  const std::vector<StructField>* fields = &fields_;
  const StructField* field = nullptr;
  for (size_t i = 0; i < path.size(); ++i) {
    if (field != nullptr) {
      if (!field->type->is_struct()) {
        return NotFound("column ", ColumnPathToString(ColumnPath(path.begin(), path.begin() + i)),
                        " is not a struct (it is ", field->type->ToString(), ")");
      }
      fields = &field->type->fields();
    }
    field = FindField(*fields, path[i]);
    if (field == nullptr) {
      return NotFound("column ", ColumnPathToString(ColumnPath(path.begin(), path.begin() + i + 1)),
                      " does not exist");
    }
  }
  return field;
}

// ---- Column mapping ----

Result<ColumnMappingMode> ColumnMappingModeFromConfig(
    const std::map<std::string, std::string>& configuration) {
  auto it = configuration.find(std::string(kColumnMappingModeKey));
  if (it == configuration.end() || EqualsIgnoreCase(it->second, "none")) {
    return ColumnMappingMode::kNone;
  }
  if (EqualsIgnoreCase(it->second, "name")) return ColumnMappingMode::kName;
  if (EqualsIgnoreCase(it->second, "id")) return ColumnMappingMode::kId;
  return InvalidArgument("unknown ", kColumnMappingModeKey, " \"", it->second,
                         "\" (expected none, name or id)");
}

std::string PhysicalName(const StructField& field, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) return field.name;
  return field.metadata.GetString(kPhysicalNameKey).value_or(field.name);
}

std::optional<int64_t> ColumnMappingId(const StructField& field) {
  return field.metadata.GetInt(kColumnMappingIdKey);
}

int64_t MaxColumnId(const Schema& schema) { return MaxIdInFields(schema.fields()); }

Schema ToPhysicalSchema(const Schema& schema, ColumnMappingMode mode) {
  if (mode == ColumnMappingMode::kNone) return schema;
  return Schema(ToPhysicalFields(schema.fields(), mode));
}

Result<ColumnPath> ToPhysicalPath(const Schema& schema, const ColumnPath& logical_path,
                                  ColumnMappingMode mode) {
  ColumnPath physical;
  for (size_t i = 0; i < logical_path.size(); ++i) {
    SLUICE_ASSIGN_OR_RETURN(
        const StructField* field,
        schema.ResolvePath(ColumnPath(logical_path.begin(), logical_path.begin() + i + 1)));
    physical.push_back(PhysicalName(*field, mode));
  }
  return physical;
}

Schema AssignColumnMapping(const Schema& schema, int64_t* max_column_id) {
  *max_column_id = std::max(*max_column_id, MaxColumnId(schema));
  return Schema(AssignInFields(schema.fields(), max_column_id));
}

}  // namespace sluice::delta
