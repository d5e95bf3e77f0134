// Shared between the engine's .cc files; includes duckdb.h, so never include it from a
// header outside src/engine.
#pragma once

#include <duckdb.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/engine.h"

namespace sluice::engine::internal {

// The Status for a failed query: DuckDB's message, with a code from its error type.
Status ResultError(duckdb_result* result);
Status ErrorFromType(duckdb_error_type type, std::string_view message);

// Copies a materialized result into a QueryResult.
QueryResult Materialize(duckdb_result* result, bool nested_as_json = false);

// What one database knows about table sources (table_source.cc). The table function
// `sluice_table_source` is created in its catalog the first time a source is registered
// through any of its connections; sources registered through it are forgotten when it closes.
struct DatabaseSources {
  DatabaseSources() = default;
  DatabaseSources(const DatabaseSources&) = delete;
  DatabaseSources& operator=(const DatabaseSources&) = delete;
  // Unregisters every source registered through this database; runs after duckdb_close, when
  // no query can be binding one.
  ~DatabaseSources();

  duckdb_database database = nullptr;  // borrowed from Database::Impl
  std::mutex mutex;                    // guards function_created
  bool function_created = false;
};

// The text a table source's failed Status is reported to DuckDB as, and the Status it stands
// for when a query fails with it: DuckDB reports every table function error as an invalid
// input, so the code travels in the message.
std::string TableSourceErrorText(const Status& status);
std::optional<Status> TableSourceErrorFromMessage(std::string_view duckdb_message);

// DuckDB's SQL spelling of a logical type, e.g. "STRUCT(a INTEGER, b VARCHAR[])".
std::string TypeName(duckdb_logical_type type);

// A new duckdb_value for `value` (caller destroys it).
duckdb_value ToDuckValue(const Value& value);

// The DuckDB type of a C++ function's parameter or result type name (BOOLEAN, TINYINT,
// SMALLINT, INTEGER, BIGINT, FLOAT, DOUBLE, VARCHAR, BLOB).
Result<duckdb_type> FunctionTypeOf(const std::string& name);
// Writes `value` into row `row` of `output`, a vector of the primitive type `type`.
void SetVectorValue(duckdb_vector output, duckdb_type type, idx_t row, const Value& value);

// Shortest text that reads back as the same double ("1.5", "1e+300", "inf", "nan").
std::string FormatDouble(double value);
// DuckDB's BLOB text: printable ASCII as is, other bytes as \xAB.
std::string EscapeBlob(std::string_view bytes);

}  // namespace sluice::engine::internal

namespace sluice::engine {

struct Database::Impl {
  // Declared first so that it is destroyed last, after the database has closed.
  internal::DatabaseSources sources;
  duckdb_database db = nullptr;
  ~Impl() {
    if (db != nullptr) duckdb_close(&db);
  }
};

struct Connection::Impl {
  duckdb_connection connection = nullptr;
  internal::DatabaseSources* sources = nullptr;  // the database's; it outlives the connection
  std::atomic<int64_t> next_name{0};             // UniqueName's counter
  ~Impl() {
    if (connection != nullptr) duckdb_disconnect(&connection);
  }
};

}  // namespace sluice::engine
