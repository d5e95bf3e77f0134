// Scalar functions written in C++, callable from SQL on every connection of a database.
//
// A function is registered once per database (through any of its connections) and is then
// part of its catalog. DuckDB calls it on its own threads, possibly several at once, so the
// callback must be thread-safe. The callback sees one row's arguments as engine::Values
// (integers of every width as Int, FLOAT and DOUBLE as Double, VARCHAR as Text, BLOB as
// Bytes, NULL as Null) and returns the row's result the same way; a callback error fails
// the query with its message. Unless `handles_nulls`, a row with a NULL argument gives NULL
// without calling it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::engine {

struct ScalarFunctionSpec {
  std::string name;
  // DuckDB type names of the parameters and the result: BOOLEAN, TINYINT, SMALLINT,
  // INTEGER, BIGINT, FLOAT, DOUBLE, VARCHAR or BLOB.
  std::vector<std::string> parameter_types;
  std::string return_type;
  std::function<Result<Value>(const std::vector<Value>& arguments)> function;
  bool handles_nulls = false;
  bool volatile_result = false;  // a new value each call (random, uuid): never folded
};

// Registers `spec` in the database of `connection`. Registering a name again replaces
// nothing: it is an error.
Status RegisterScalarFunction(Connection& connection, ScalarFunctionSpec spec);

// One argument of a raw function, read in place: VARCHAR as a view into DuckDB's vector
// (valid during the call only), DOUBLE as `real`, BIGINT as `integer`.
struct RawArgument {
  std::string_view text;
  double real = 0;
  int64_t integer = 0;
};

// A scalar function to BIGINT for hot paths: no Value is built per row and nothing is
// allocated. Rows with a NULL argument give NULL without a call; the function returns
// nullopt for NULL. It cannot fail.
struct RawScalarFunctionSpec {
  std::string name;
  std::vector<std::string> parameter_types;  // VARCHAR, DOUBLE or BIGINT
  std::function<std::optional<int64_t>(const RawArgument* arguments)> function;
};

Status RegisterRawScalarFunction(Connection& connection, RawScalarFunctionSpec spec);

// A scalar function of any number of arguments of any types, called once per chunk of rows
// (for callbacks with a high fixed cost per call, such as entering an interpreter).
// `arguments[c][r]` is argument c of row r: primitives typed, NULL as Null, DATE, TIME,
// TIMESTAMP [WITH TIME ZONE] and DECIMAL as their text, lists, structs and maps as JSON;
// `argument_kinds[c]` names each argument's DuckDB type id (BOOLEAN, BIGINT, VARCHAR, DATE,
// TIMESTAMP_TZ, DECIMAL, LIST, STRUCT, MAP, ...). The callback fills one result per row,
// or fails the query with its Status. It is called with NULL arguments too.
struct BatchScalarFunctionSpec {
  std::string name;
  std::string return_type;  // BOOLEAN, BIGINT, DOUBLE, VARCHAR or BLOB
  std::function<Status(const std::vector<std::vector<Value>>& arguments,
                       const std::vector<std::string>& argument_kinds, size_t rows,
                       std::vector<Value>& results)>
      function;
};

Status RegisterBatchScalarFunction(Connection& connection, BatchScalarFunctionSpec spec);

}  // namespace sluice::engine
