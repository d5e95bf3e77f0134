// Shared between the engine's .cc files; includes duckdb.h, so never include it from a
// header outside src/engine.
#pragma once

#include <duckdb.h>

#include <string>
#include <string_view>

#include "engine/engine.h"

namespace sluice::engine::internal {

// The Status for a failed query: DuckDB's message, with a code from its error type.
Status ResultError(duckdb_result* result);
Status ErrorFromType(duckdb_error_type type, std::string_view message);

// Copies a materialized result into a QueryResult.
QueryResult Materialize(duckdb_result* result, bool nested_as_json = false);

// DuckDB's SQL spelling of a logical type, e.g. "STRUCT(a INTEGER, b VARCHAR[])".
std::string TypeName(duckdb_logical_type type);

// A new duckdb_value for `value` (caller destroys it).
duckdb_value ToDuckValue(const Value& value);

// Shortest text that reads back as the same double ("1.5", "1e+300", "inf", "nan").
std::string FormatDouble(double value);
// DuckDB's BLOB text: printable ASCII as is, other bytes as \xAB.
std::string EscapeBlob(std::string_view bytes);

}  // namespace sluice::engine::internal
