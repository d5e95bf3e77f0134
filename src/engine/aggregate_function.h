// Aggregate functions written in C++, callable from SQL on every connection of a database.
//
// A function is registered once per database and is then part of its catalog, usable with
// GROUP BY, DISTINCT, FILTER and OVER like DuckDB's own aggregates. Each group has its own
// state, made by `new_state`; DuckDB adds the group's rows to it (Add, on one thread at a
// time per state), merges states built in parallel (Merge, which leaves the other state
// intact: windows merge one state into several), and reads the result (Finish, possibly
// more than once). Arguments and results are engine::Values, typed as for scalar functions
// (scalar_function.h). Unless `handles_nulls`, rows with a NULL argument are skipped. An
// error from Add or Finish fails the query with its message.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::engine {

class AggregateState {
 public:
  virtual ~AggregateState() = default;
  virtual Status Add(const std::vector<Value>& arguments) = 0;
  // `other` is a state of the same function.
  virtual void Merge(const AggregateState& other) = 0;
  virtual Result<Value> Finish() const = 0;
};

struct AggregateFunctionSpec {
  std::string name;
  // DuckDB type names of the parameters and the result: BOOLEAN, TINYINT, SMALLINT,
  // INTEGER, BIGINT, FLOAT, DOUBLE, VARCHAR or BLOB.
  std::vector<std::string> parameter_types;
  std::string return_type;
  std::function<std::unique_ptr<AggregateState>()> new_state;
  bool handles_nulls = false;
};

// Registers `spec` in the database of `connection`; a name already registered is an error.
Status RegisterAggregateFunction(Connection& connection, AggregateFunctionSpec spec);

}  // namespace sluice::engine
