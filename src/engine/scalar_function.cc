#include "engine/scalar_function.h"

#include <duckdb.h>

#include <memory>

#include "common/strings.h"
#include "engine/internal.h"
#include "engine/vector_reader.h"

namespace sluice::engine {
namespace internal {

Result<duckdb_type> FunctionTypeOf(const std::string& name) {
  const std::string upper = ToUpper(name);
  if (upper == "BOOLEAN") return DUCKDB_TYPE_BOOLEAN;
  if (upper == "TINYINT") return DUCKDB_TYPE_TINYINT;
  if (upper == "SMALLINT") return DUCKDB_TYPE_SMALLINT;
  if (upper == "INTEGER") return DUCKDB_TYPE_INTEGER;
  if (upper == "BIGINT") return DUCKDB_TYPE_BIGINT;
  if (upper == "FLOAT") return DUCKDB_TYPE_FLOAT;
  if (upper == "DOUBLE") return DUCKDB_TYPE_DOUBLE;
  if (upper == "VARCHAR") return DUCKDB_TYPE_VARCHAR;
  if (upper == "BLOB") return DUCKDB_TYPE_BLOB;
  return InvalidArgument("C++ functions do not take the type " + name);
}

void SetVectorValue(duckdb_vector output, duckdb_type type, idx_t row, const Value& value) {
  if (value.is_null()) {
    duckdb_vector_ensure_validity_writable(output);
    duckdb_validity_set_row_invalid(duckdb_vector_get_validity(output), row);
    return;
  }
  void* data = duckdb_vector_get_data(output);
  auto as_int = [&]() -> int64_t {
    if (auto* i = std::get_if<int64_t>(&value.data)) return *i;
    if (auto* d = std::get_if<double>(&value.data)) return static_cast<int64_t>(*d);
    if (auto* b = std::get_if<bool>(&value.data)) return *b ? 1 : 0;
    return 0;
  };
  auto as_double = [&]() -> double {
    if (auto* d = std::get_if<double>(&value.data)) return *d;
    return static_cast<double>(as_int());
  };
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
      static_cast<bool*>(data)[row] = as_int() != 0;
      break;
    case DUCKDB_TYPE_TINYINT:
      static_cast<int8_t*>(data)[row] = static_cast<int8_t>(as_int());
      break;
    case DUCKDB_TYPE_SMALLINT:
      static_cast<int16_t*>(data)[row] = static_cast<int16_t>(as_int());
      break;
    case DUCKDB_TYPE_INTEGER:
      static_cast<int32_t*>(data)[row] = static_cast<int32_t>(as_int());
      break;
    case DUCKDB_TYPE_BIGINT:
      static_cast<int64_t*>(data)[row] = as_int();
      break;
    case DUCKDB_TYPE_FLOAT:
      static_cast<float*>(data)[row] = static_cast<float>(as_double());
      break;
    case DUCKDB_TYPE_DOUBLE:
      static_cast<double*>(data)[row] = as_double();
      break;
    case DUCKDB_TYPE_VARCHAR:
    case DUCKDB_TYPE_BLOB: {
      const std::string* text = std::get_if<std::string>(&value.data);
      const Value::Blob* blob = std::get_if<Value::Blob>(&value.data);
      const std::string& bytes = text != nullptr   ? *text
                                 : blob != nullptr ? blob->bytes
                                                   : std::string();
      duckdb_vector_assign_string_element_len(output, row, bytes.data(), bytes.size());
      break;
    }
    default:
      break;
  }
}

}  // namespace internal

namespace {

using internal::FunctionTypeOf;
using internal::SetVectorValue;

struct FunctionState {
  ScalarFunctionSpec spec;
  duckdb_type result = DUCKDB_TYPE_INVALID;
};

void Call(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  auto* state = static_cast<FunctionState*>(duckdb_scalar_function_get_extra_info(info));
  const idx_t rows = duckdb_data_chunk_get_size(input);
  const idx_t columns = duckdb_data_chunk_get_column_count(input);
  const auto readers = internal::ChunkReaders(input);
  std::vector<Value> arguments(columns);
  for (idx_t row = 0; row < rows; ++row) {
    const bool any_null = internal::ReadRow(readers, row, arguments);
    if (any_null && !state->spec.handles_nulls) {
      SetVectorValue(output, state->result, row, Value::Null());
      continue;
    }
    Result<Value> result = state->spec.function(arguments);
    if (!result.ok()) {
      duckdb_scalar_function_set_error(info, result.status().message().c_str());
      return;
    }
    SetVectorValue(output, state->result, row, *result);
  }
}

struct RawFunctionState {
  RawScalarFunctionSpec spec;
  std::vector<duckdb_type> types;
};

void CallRaw(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  auto* state = static_cast<RawFunctionState*>(duckdb_scalar_function_get_extra_info(info));
  const idx_t rows = duckdb_data_chunk_get_size(input);
  const size_t columns = state->types.size();
  // DuckDB hands C functions flat vectors.
  std::vector<void*> data(columns);
  std::vector<uint64_t*> validity(columns);
  for (size_t column = 0; column < columns; ++column) {
    duckdb_vector vector = duckdb_data_chunk_get_vector(input, column);
    data[column] = duckdb_vector_get_data(vector);
    validity[column] = duckdb_vector_get_validity(vector);
  }
  auto* out = static_cast<int64_t*>(duckdb_vector_get_data(output));
  std::vector<RawArgument> arguments(columns);
  auto set_null = [&](idx_t row) {
    duckdb_vector_ensure_validity_writable(output);
    duckdb_validity_set_row_invalid(duckdb_vector_get_validity(output), row);
  };
  for (idx_t row = 0; row < rows; ++row) {
    bool any_null = false;
    for (size_t column = 0; column < columns; ++column) {
      if (validity[column] != nullptr && !duckdb_validity_row_is_valid(validity[column], row)) {
        any_null = true;
        break;
      }
      RawArgument& argument = arguments[column];
      switch (state->types[column]) {
        case DUCKDB_TYPE_VARCHAR: {
          auto* text = static_cast<duckdb_string_t*>(data[column]) + row;
          argument.text =
              std::string_view(duckdb_string_t_data(text), duckdb_string_t_length(*text));
          break;
        }
        case DUCKDB_TYPE_DOUBLE:
          argument.real = static_cast<double*>(data[column])[row];
          break;
        default:
          argument.integer = static_cast<int64_t*>(data[column])[row];
          break;
      }
    }
    std::optional<int64_t> result;
    if (!any_null) result = state->spec.function(arguments.data());
    if (result) {
      out[row] = *result;
    } else {
      set_null(row);
    }
  }
}

struct BatchFunctionState {
  BatchScalarFunctionSpec spec;
  duckdb_type result = DUCKDB_TYPE_INVALID;
};

std::string KindName(duckdb_type type) {
  switch (type) {
    case DUCKDB_TYPE_BOOLEAN:
      return "BOOLEAN";
    case DUCKDB_TYPE_TINYINT:
    case DUCKDB_TYPE_SMALLINT:
    case DUCKDB_TYPE_INTEGER:
    case DUCKDB_TYPE_BIGINT:
    case DUCKDB_TYPE_UTINYINT:
    case DUCKDB_TYPE_USMALLINT:
    case DUCKDB_TYPE_UINTEGER:
      return "BIGINT";
    case DUCKDB_TYPE_FLOAT:
    case DUCKDB_TYPE_DOUBLE:
      return "DOUBLE";
    case DUCKDB_TYPE_VARCHAR:
      return "VARCHAR";
    case DUCKDB_TYPE_BLOB:
      return "BLOB";
    case DUCKDB_TYPE_DATE:
      return "DATE";
    case DUCKDB_TYPE_TIMESTAMP:
      return "TIMESTAMP";
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      return "TIMESTAMP_TZ";
    case DUCKDB_TYPE_DECIMAL:
      return "DECIMAL";
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_ARRAY:
      return "LIST";
    case DUCKDB_TYPE_STRUCT:
      return "STRUCT";
    case DUCKDB_TYPE_MAP:
      return "MAP";
    default:
      return "OTHER";
  }
}

void CallBatch(duckdb_function_info info, duckdb_data_chunk input, duckdb_vector output) {
  auto* state = static_cast<BatchFunctionState*>(duckdb_scalar_function_get_extra_info(info));
  const idx_t rows = duckdb_data_chunk_get_size(input);
  const auto readers = internal::ChunkReaders(input);
  std::vector<std::vector<Value>> arguments(readers.size());
  std::vector<std::string> kinds(readers.size());
  for (size_t column = 0; column < readers.size(); ++column) {
    duckdb_logical_type type =
        duckdb_vector_get_column_type(duckdb_data_chunk_get_vector(input, column));
    kinds[column] = KindName(duckdb_get_type_id(type));
    duckdb_destroy_logical_type(&type);
    arguments[column].reserve(rows);
    for (idx_t row = 0; row < rows; ++row) {
      arguments[column].push_back(readers[column]->Get(row, /*nested_as_json=*/true));
    }
  }
  std::vector<Value> results;
  results.reserve(rows);
  Status status = state->spec.function(arguments, kinds, rows, results);
  if (status.ok() && results.size() != rows) {
    status = Internal("a batch function gave ", results.size(), " results for ", rows, " rows");
  }
  if (!status.ok()) {
    duckdb_scalar_function_set_error(info, status.message().c_str());
    return;
  }
  for (idx_t row = 0; row < rows; ++row) SetVectorValue(output, state->result, row, results[row]);
}

}  // namespace

namespace {

// A scalar function of `name` over `parameters` returning `result`, calling `callback`
// with `state` (which DuckDB then owns) as its extra information.
template <typename State>
duckdb_scalar_function NewFunction(const std::string& name,
                                   const std::vector<duckdb_type>& parameters, duckdb_type result,
                                   duckdb_scalar_function_t callback,
                                   std::unique_ptr<State> state) {
  duckdb_scalar_function function = duckdb_create_scalar_function();
  duckdb_scalar_function_set_name(function, name.c_str());
  for (duckdb_type parameter : parameters) {
    duckdb_logical_type type = duckdb_create_logical_type(parameter);
    duckdb_scalar_function_add_parameter(function, type);
    duckdb_destroy_logical_type(&type);
  }
  duckdb_logical_type type = duckdb_create_logical_type(result);
  duckdb_scalar_function_set_return_type(function, type);
  duckdb_destroy_logical_type(&type);
  duckdb_scalar_function_set_function(function, callback);
  duckdb_scalar_function_set_extra_info(function, state.release(),
                                        [](void* data) { delete static_cast<State*>(data); });
  return function;
}

// Registers `function` and destroys the handle (DuckDB keeps what it needs).
Status Register(duckdb_connection connection, duckdb_scalar_function function,
                const std::string& name) {
  duckdb_state registered = duckdb_register_scalar_function(connection, function);
  duckdb_destroy_scalar_function(&function);
  if (registered == DuckDBError) {
    return InvalidArgument("cannot register the scalar function " + name);
  }
  return Status::OK();
}

}  // namespace

Status RegisterRawScalarFunction(Connection& connection, RawScalarFunctionSpec spec) {
  auto state = std::make_unique<RawFunctionState>();
  for (const std::string& parameter : spec.parameter_types) {
    auto type_id = FunctionTypeOf(parameter);
    if (!type_id.ok() || (*type_id != DUCKDB_TYPE_VARCHAR && *type_id != DUCKDB_TYPE_DOUBLE &&
                          *type_id != DUCKDB_TYPE_BIGINT)) {
      return InvalidArgument("raw functions take VARCHAR, DOUBLE or BIGINT, not " + parameter);
    }
    state->types.push_back(*type_id);
  }
  const std::string name = spec.name;
  const std::vector<duckdb_type> parameters = state->types;
  state->spec = std::move(spec);
  return Register(connection.impl_->connection,
                  NewFunction(name, parameters, DUCKDB_TYPE_BIGINT, CallRaw, std::move(state)),
                  name);
}

Status RegisterBatchScalarFunction(Connection& connection, BatchScalarFunctionSpec spec) {
  auto state = std::make_unique<BatchFunctionState>();
  SLUICE_ASSIGN_OR_RETURN(state->result, FunctionTypeOf(spec.return_type));
  const std::string name = spec.name;
  const duckdb_type result = state->result;
  state->spec = std::move(spec);
  duckdb_scalar_function function = NewFunction(name, {}, result, CallBatch, std::move(state));
  duckdb_logical_type any = duckdb_create_logical_type(DUCKDB_TYPE_ANY);
  duckdb_scalar_function_set_varargs(function, any);
  duckdb_destroy_logical_type(&any);
  duckdb_scalar_function_set_special_handling(function);
  duckdb_scalar_function_set_volatile(function);
  return Register(connection.impl_->connection, function, name);
}

Status RegisterScalarFunction(Connection& connection, ScalarFunctionSpec spec) {
  auto state = std::make_unique<FunctionState>();
  SLUICE_ASSIGN_OR_RETURN(state->result, FunctionTypeOf(spec.return_type));
  std::vector<duckdb_type> parameters;
  for (const std::string& parameter : spec.parameter_types) {
    SLUICE_ASSIGN_OR_RETURN(duckdb_type type, FunctionTypeOf(parameter));
    parameters.push_back(type);
  }
  const std::string name = spec.name;
  const bool handles_nulls = spec.handles_nulls;
  const bool volatile_result = spec.volatile_result;
  const duckdb_type result = state->result;
  state->spec = std::move(spec);
  duckdb_scalar_function function = NewFunction(name, parameters, result, Call, std::move(state));
  if (handles_nulls) duckdb_scalar_function_set_special_handling(function);
  if (volatile_result) duckdb_scalar_function_set_volatile(function);
  return Register(connection.impl_->connection, function, name);
}

}  // namespace sluice::engine
