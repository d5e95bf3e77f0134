// Schema evolution for writes: the table schema after appending data of another schema.

#include "common/strings.h"
#include "delta/schema.h"

namespace sluice::delta {
namespace {

std::string Child(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

// Digits needed for every value of an integral kind; 0 for other kinds.
int IntegralDigits(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte:
      return 3;
    case TypeKind::kShort:
      return 5;
    case TypeKind::kInteger:
      return 10;
    case TypeKind::kLong:
      return 19;
    default:
      return 0;
  }
}

int IntegralRank(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte:
      return 1;
    case TypeKind::kShort:
      return 2;
    case TypeKind::kInteger:
      return 3;
    case TypeKind::kLong:
      return 4;
    default:
      return 0;
  }
}

// Whether every value of primitive type `from` converts to `to` without loss.
bool IsLosslessWidening(const DataType& from, const DataType& to) {
  if (from == to) return true;
  int from_rank = IntegralRank(from.kind());
  if (from_rank > 0 && IntegralRank(to.kind()) >= from_rank) return true;
  if (to.kind() == TypeKind::kDouble) {
    return from.kind() == TypeKind::kFloat || (from_rank > 0 && from.kind() != TypeKind::kLong);
  }
  if (to.kind() == TypeKind::kDecimal) {
    if (from_rank > 0) return to.precision() - to.scale() >= IntegralDigits(from.kind());
    if (from.kind() == TypeKind::kDecimal) {
      return to.scale() >= from.scale() &&
             to.precision() - to.scale() >= from.precision() - from.scale();
    }
  }
  return false;
}

Status TypeMismatch(const std::string& path, const DataType& table, const DataType& incoming) {
  return InvalidArgument("cannot write column \"", path, "\": the table has type ",
                         table.ToString(), " but the data has type ", incoming.ToString(),
                         " (only lossless widenings such as integer to long are applied; change "
                         "the query to produce ",
                         table.ToString(), " or fully refresh the table)");
}

Result<std::vector<StructField>> MergeFields(const std::vector<StructField>& table,
                                             const std::vector<StructField>& incoming,
                                             const std::string& path, bool allow_add_columns);

Result<DataTypePtr> MergeType(const DataTypePtr& table, const DataTypePtr& incoming,
                              const std::string& path, bool nullable, bool allow_add_columns) {
  if (incoming->kind() == TypeKind::kVoid) {
    if (!nullable) {
      return InvalidArgument("cannot write column \"", path,
                             "\": it is NOT NULL in the table but the data has only nulls (void)");
    }
    return table;
  }
  switch (table->kind()) {
    case TypeKind::kStruct: {
      if (!incoming->is_struct()) break;
      SLUICE_ASSIGN_OR_RETURN(
          auto fields, MergeFields(table->fields(), incoming->fields(), path, allow_add_columns));
      return DataType::Struct(std::move(fields));
    }
    case TypeKind::kArray: {
      if (incoming->kind() != TypeKind::kArray) break;
      SLUICE_ASSIGN_OR_RETURN(
          DataTypePtr element,
          MergeType(table->element_type(), incoming->element_type(), Child(path, "element"),
                    table->contains_null(), allow_add_columns));
      return DataType::Array(std::move(element), table->contains_null());
    }
    case TypeKind::kMap: {
      if (incoming->kind() != TypeKind::kMap) break;
      SLUICE_ASSIGN_OR_RETURN(DataTypePtr key,
                              MergeType(table->key_type(), incoming->key_type(), Child(path, "key"),
                                        false, allow_add_columns));
      SLUICE_ASSIGN_OR_RETURN(
          DataTypePtr value,
          MergeType(table->value_type(), incoming->value_type(), Child(path, "value"),
                    table->value_contains_null(), allow_add_columns));
      return DataType::Map(std::move(key), std::move(value), table->value_contains_null());
    }
    default:
      if (!incoming->is_nested() && IsLosslessWidening(*incoming, *table)) return table;
  }
  return TypeMismatch(path, *table, *incoming);
}

Result<std::vector<StructField>> MergeFields(const std::vector<StructField>& table,
                                             const std::vector<StructField>& incoming,
                                             const std::string& path, bool allow_add_columns) {
  for (size_t i = 0; i < incoming.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (EqualsIgnoreCase(incoming[i].name, incoming[j].name)) {
        return InvalidArgument("the data has two columns named \"", Child(path, incoming[j].name),
                               "\" and \"", Child(path, incoming[i].name),
                               "\" (column names are case-insensitive)");
      }
    }
  }
  std::vector<bool> matched(incoming.size(), false);
  std::vector<StructField> out;
  out.reserve(table.size() + incoming.size());
  for (const StructField& table_field : table) {
    std::string field_path = Child(path, table_field.name);
    const StructField* incoming_field = nullptr;
    for (size_t i = 0; i < incoming.size(); ++i) {
      if (EqualsIgnoreCase(incoming[i].name, table_field.name)) {
        incoming_field = &incoming[i];
        matched[i] = true;
        break;
      }
    }
    if (incoming_field == nullptr) {
      if (!table_field.nullable) {
        return InvalidArgument("column \"", field_path,
                               "\" is NOT NULL in the table but missing from the data");
      }
      out.push_back(table_field);
      continue;
    }
    StructField merged = table_field;
    SLUICE_ASSIGN_OR_RETURN(merged.type,
                            MergeType(table_field.type, incoming_field->type, field_path,
                                      table_field.nullable, allow_add_columns));
    out.push_back(std::move(merged));
  }
  for (size_t i = 0; i < incoming.size(); ++i) {
    if (matched[i]) continue;
    std::string field_path = Child(path, incoming[i].name);
    if (!allow_add_columns) {
      return InvalidArgument("column \"", field_path,
                             "\" of the data is not in the table schema (adding columns needs "
                             "schema evolution to be allowed)");
    }
    StructField added = incoming[i];
    added.nullable = true;
    out.push_back(std::move(added));
  }
  return out;
}

}  // namespace

Result<Schema> MergeSchemaForWrite(const Schema& table, const Schema& incoming,
                                   bool allow_add_columns) {
  SLUICE_ASSIGN_OR_RETURN(auto fields,
                          MergeFields(table.fields(), incoming.fields(), "", allow_add_columns));
  return Schema(std::move(fields));
}

}  // namespace sluice::delta
