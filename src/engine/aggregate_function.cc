#include "engine/aggregate_function.h"

#include <duckdb.h>

#include <memory>

#include "engine/internal.h"
#include "engine/vector_reader.h"

namespace sluice::engine {
namespace {

struct FunctionState {
  AggregateFunctionSpec spec;
  duckdb_type result = DUCKDB_TYPE_INVALID;
};

// What DuckDB allocates per group: a pointer to the group's AggregateState.
struct Slot {
  AggregateState* state;
};

AggregateState* StateOf(duckdb_aggregate_state state) {
  return reinterpret_cast<Slot*>(state)->state;
}

idx_t StateSize(duckdb_function_info) { return sizeof(Slot); }

void Init(duckdb_function_info info, duckdb_aggregate_state state) {
  auto* function = static_cast<FunctionState*>(duckdb_aggregate_function_get_extra_info(info));
  reinterpret_cast<Slot*>(state)->state = function->spec.new_state().release();
}

void Destroy(duckdb_aggregate_state* states, idx_t count) {
  for (idx_t i = 0; i < count; ++i) {
    Slot* slot = reinterpret_cast<Slot*>(states[i]);
    delete slot->state;
    slot->state = nullptr;
  }
}

void Update(duckdb_function_info info, duckdb_data_chunk input, duckdb_aggregate_state* states) {
  auto* function = static_cast<FunctionState*>(duckdb_aggregate_function_get_extra_info(info));
  const idx_t rows = duckdb_data_chunk_get_size(input);
  const idx_t columns = duckdb_data_chunk_get_column_count(input);
  const auto readers = internal::ChunkReaders(input);
  std::vector<Value> arguments(columns);
  for (idx_t row = 0; row < rows; ++row) {
    const bool any_null = internal::ReadRow(readers, row, arguments);
    if (any_null && !function->spec.handles_nulls) continue;
    Status status = StateOf(states[row])->Add(arguments);
    if (!status.ok()) {
      duckdb_aggregate_function_set_error(info, status.message().c_str());
      return;
    }
  }
}

void Combine(duckdb_function_info, duckdb_aggregate_state* source, duckdb_aggregate_state* target,
             idx_t count) {
  for (idx_t i = 0; i < count; ++i) StateOf(target[i])->Merge(*StateOf(source[i]));
}

void Finalize(duckdb_function_info info, duckdb_aggregate_state* source, duckdb_vector result,
              idx_t count, idx_t offset) {
  auto* function = static_cast<FunctionState*>(duckdb_aggregate_function_get_extra_info(info));
  for (idx_t i = 0; i < count; ++i) {
    Result<Value> value = StateOf(source[i])->Finish();
    if (!value.ok()) {
      duckdb_aggregate_function_set_error(info, value.status().message().c_str());
      return;
    }
    internal::SetVectorValue(result, function->result, offset + i, *value);
  }
}

}  // namespace

Status RegisterAggregateFunction(Connection& connection, AggregateFunctionSpec spec) {
  auto state = std::make_unique<FunctionState>();
  SLUICE_ASSIGN_OR_RETURN(state->result, internal::FunctionTypeOf(spec.return_type));
  duckdb_aggregate_function function = duckdb_create_aggregate_function();
  duckdb_aggregate_function_set_name(function, spec.name.c_str());
  for (const std::string& parameter : spec.parameter_types) {
    auto type_id = internal::FunctionTypeOf(parameter);
    if (!type_id.ok()) {
      duckdb_destroy_aggregate_function(&function);
      return type_id.status();
    }
    duckdb_logical_type type = duckdb_create_logical_type(*type_id);
    duckdb_aggregate_function_add_parameter(function, type);
    duckdb_destroy_logical_type(&type);
  }
  duckdb_logical_type result = duckdb_create_logical_type(state->result);
  duckdb_aggregate_function_set_return_type(function, result);
  duckdb_destroy_logical_type(&result);
  if (spec.handles_nulls) duckdb_aggregate_function_set_special_handling(function);
  duckdb_aggregate_function_set_functions(function, StateSize, Init, Update, Combine, Finalize);
  duckdb_aggregate_function_set_destructor(function, Destroy);
  state->spec = std::move(spec);
  FunctionState* raw = state.release();
  duckdb_aggregate_function_set_extra_info(
      function, raw, [](void* data) { delete static_cast<FunctionState*>(data); });
  const std::string name = raw->spec.name;
  duckdb_state registered =
      duckdb_register_aggregate_function(connection.impl_->connection, function);
  duckdb_destroy_aggregate_function(&function);
  if (registered == DuckDBError) {
    return InvalidArgument("cannot register the aggregate function " + name);
  }
  return Status::OK();
}

}  // namespace sluice::engine
