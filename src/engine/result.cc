// Turning DuckDB results and types into engine::QueryResult, and errors into Status.
#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/strings.h"
#include "engine/internal.h"
#include "engine/vector_reader.h"

namespace sluice::engine::internal {

Status ErrorFromType(duckdb_error_type type, std::string_view message) {
  std::string text(message);
  switch (type) {
    case DUCKDB_ERROR_IO:
    case DUCKDB_ERROR_PERMISSION:
      return Status(StatusCode::kIOError, text);
    case DUCKDB_ERROR_INTERRUPT:
      return Status(StatusCode::kAborted, text);
    case DUCKDB_ERROR_FATAL:
    case DUCKDB_ERROR_INTERNAL:
      return Status(StatusCode::kInternal, text);
    case DUCKDB_ERROR_CATALOG:
      return Status(StatusCode::kNotFound, text);
    case DUCKDB_ERROR_CONSTRAINT:
      return Status(StatusCode::kConflict, text);
    default:
      return Status(StatusCode::kInvalidArgument, text);
  }
}

Status ResultError(duckdb_result* result) {
  const char* message = duckdb_result_error(result);
  std::string_view text = message != nullptr ? message : "unknown DuckDB error";
  duckdb_error_type type = duckdb_result_error_type(result);
  if (type == DUCKDB_ERROR_INVALID_INPUT) {
    if (std::optional<Status> status = TableSourceErrorFromMessage(text)) return *status;
  }
  return ErrorFromType(type, text);
}

namespace {

std::string TakeString(char* text) {
  if (text == nullptr) return "";
  std::string out(text);
  duckdb_free(text);
  return out;
}

std::string TypeNameOf(duckdb_logical_type type) {
  std::string alias = TakeString(duckdb_logical_type_get_alias(type));
  if (!alias.empty()) return alias;
  switch (duckdb_get_type_id(type)) {
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
      return "TINYINT";
    case DUCKDB_TYPE_SMALLINT:
      return "SMALLINT";
    case DUCKDB_TYPE_INTEGER:
      return "INTEGER";
    case DUCKDB_TYPE_BIGINT:
      return "BIGINT";
    case DUCKDB_TYPE_UTINYINT:
      return "UTINYINT";
    case DUCKDB_TYPE_USMALLINT:
      return "USMALLINT";
    case DUCKDB_TYPE_UINTEGER:
      return "UINTEGER";
    case DUCKDB_TYPE_UBIGINT:
      return "UBIGINT";
    case DUCKDB_TYPE_HUGEINT:
      return "HUGEINT";
    case DUCKDB_TYPE_UHUGEINT:
      return "UHUGEINT";
    case DUCKDB_TYPE_FLOAT:
      return "FLOAT";
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIME:
      return "TIME";
    case DUCKDB_TYPE_TIME_TZ:
      return "TIME WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP WITH TIME ZONE";
    case DUCKDB_TYPE_TIMESTAMP_S:
      return "TIMESTAMP_S";
    case DUCKDB_TYPE_TIMESTAMP_MS:
      return "TIMESTAMP_MS";
    case DUCKDB_TYPE_TIMESTAMP_NS:
      return "TIMESTAMP_NS";
    case DUCKDB_TYPE_INTERVAL:
      return "INTERVAL";
    case DUCKDB_TYPE_UUID:
      return "UUID";
    case DUCKDB_TYPE_BIT:
      return "BIT";
    case DUCKDB_TYPE_SQLNULL:
      return "\"NULL\"";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL(" + std::to_string(duckdb_decimal_width(type)) + "," +
             std::to_string(duckdb_decimal_scale(type)) + ")";
    case DUCKDB_TYPE_ENUM:
      return "VARCHAR";
    case DUCKDB_TYPE_LIST: {
      duckdb_logical_type child = duckdb_list_type_child_type(type);
      std::string out = TypeNameOf(child) + "[]";
      duckdb_destroy_logical_type(&child);
      return out;
    }
    case DUCKDB_TYPE_ARRAY: {
      duckdb_logical_type child = duckdb_array_type_child_type(type);
      std::string out =
          TypeNameOf(child) + "[" + std::to_string(duckdb_array_type_array_size(type)) + "]";
      duckdb_destroy_logical_type(&child);
      return out;
    }
    case DUCKDB_TYPE_MAP: {
      duckdb_logical_type key = duckdb_map_type_key_type(type);
      duckdb_logical_type value = duckdb_map_type_value_type(type);
      std::string out = "MAP(" + TypeNameOf(key) + ", " + TypeNameOf(value) + ")";
      duckdb_destroy_logical_type(&key);
      duckdb_destroy_logical_type(&value);
      return out;
    }
    case DUCKDB_TYPE_STRUCT: {
      std::string out = "STRUCT(";
      idx_t count = duckdb_struct_type_child_count(type);
      for (idx_t i = 0; i < count; ++i) {
        if (i > 0) out += ", ";
        out += QuoteIdentifier(TakeString(duckdb_struct_type_child_name(type, i)));
        duckdb_logical_type child = duckdb_struct_type_child_type(type, i);
        out += " " + TypeNameOf(child);
        duckdb_destroy_logical_type(&child);
      }
      return out + ")";
    }
    default:
      return "UNKNOWN";
  }
}

}  // namespace

std::string TypeName(duckdb_logical_type type) { return TypeNameOf(type); }

QueryResult Materialize(duckdb_result* result, bool nested_as_json) {
  idx_t columns = duckdb_column_count(result);
  std::vector<std::string> names;
  std::vector<std::string> types;
  for (idx_t c = 0; c < columns; ++c) {
    names.emplace_back(duckdb_column_name(result, c));
    duckdb_logical_type type = duckdb_column_logical_type(result, c);
    types.push_back(TypeNameOf(type));
    duckdb_destroy_logical_type(&type);
  }
  std::vector<std::vector<Value>> rows;
  while (true) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(*result);
    if (chunk == nullptr) break;
    idx_t size = duckdb_data_chunk_get_size(chunk);
    std::vector<std::unique_ptr<ColumnReader>> readers;
    for (idx_t c = 0; c < columns; ++c) {
      readers.push_back(std::make_unique<ColumnReader>(duckdb_data_chunk_get_vector(chunk, c),
                                                       duckdb_column_logical_type(result, c)));
    }
    for (idx_t r = 0; r < size; ++r) {
      std::vector<Value>& row = rows.emplace_back();
      row.reserve(columns);
      for (idx_t c = 0; c < columns; ++c) row.push_back(readers[c]->Get(r, nested_as_json));
    }
    readers.clear();
    duckdb_destroy_data_chunk(&chunk);
  }
  return QueryResult(std::move(names), std::move(types), std::move(rows));
}

duckdb_value ToDuckValue(const Value& value) {
  struct Visitor {
    duckdb_value operator()(std::monostate) const { return duckdb_create_null_value(); }
    duckdb_value operator()(bool v) const { return duckdb_create_bool(v); }
    duckdb_value operator()(int64_t v) const { return duckdb_create_int64(v); }
    duckdb_value operator()(double v) const { return duckdb_create_double(v); }
    duckdb_value operator()(const std::string& v) const {
      return duckdb_create_varchar_length(v.data(), v.size());
    }
    duckdb_value operator()(const Value::Blob& v) const {
      return duckdb_create_blob(reinterpret_cast<const uint8_t*>(v.bytes.data()), v.bytes.size());
    }
  };
  return std::visit(Visitor{}, value.data);
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

std::string EscapeBlob(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    if (c >= 32 && c < 127 && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", c);
      out += hex;
    }
  }
  return out;
}

}  // namespace sluice::engine::internal
