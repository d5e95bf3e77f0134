// The embedded SQL engine: a thin, safe wrapper over DuckDB's C API.
//
// This module is the only place that includes duckdb.h; nothing it exposes mentions a
// DuckDB type. Errors come back as Status with DuckDB's message (kInvalidArgument for SQL
// the user wrote, kIOError for files DuckDB could not read or write, kInternal otherwise).
//
// Lifetimes: a Database outlives its Connections; a Connection outlives its
// PreparedStatements, Appenders and QueryResults' use of it (a QueryResult is fully
// materialized and owns its data). One Connection is used by one thread at a time;
// several Connections of one Database may run in parallel.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace sluice::engine {

// A single SQL value as C++ sees it. Types without a natural C++ form (DECIMAL, DATE,
// TIMESTAMP, INTERVAL, UUID, nested types) come as their DuckDB text rendering
// (`CAST(x AS VARCHAR)`), which is also what ToString() gives for every type.
struct Value {
  struct Blob {
    std::string bytes;
    bool operator==(const Blob&) const = default;
  };
  std::variant<std::monostate, bool, int64_t, double, std::string, Blob> data;

  static Value Null() { return Value{}; }
  static Value Bool(bool v) { return Value{v}; }
  static Value Int(int64_t v) { return Value{v}; }
  static Value Double(double v) { return Value{v}; }
  static Value Text(std::string v) { return Value{std::move(v)}; }
  static Value Bytes(std::string v) { return Value{Blob{std::move(v)}}; }

  bool is_null() const { return std::holds_alternative<std::monostate>(data); }
  // Text form: NULL -> "NULL", bools "true"/"false", blobs as DuckDB's escaped text.
  std::string ToString() const;
  bool operator==(const Value&) const = default;
};

// A query's complete result, held in memory.
class QueryResult {
 public:
  QueryResult() = default;
  QueryResult(std::vector<std::string> names, std::vector<std::string> types,
              std::vector<std::vector<Value>> rows)
      : names_(std::move(names)), types_(std::move(types)), rows_(std::move(rows)) {}

  size_t column_count() const { return names_.size(); }
  size_t row_count() const { return rows_.size(); }
  const std::string& column_name(size_t column) const { return names_[column]; }
  // DuckDB's SQL name of the column type, e.g. "BIGINT", "DECIMAL(10,2)", "STRUCT(a INTEGER)".
  const std::string& column_type(size_t column) const { return types_[column]; }
  const Value& at(size_t row, size_t column) const { return rows_[row][column]; }
  const std::vector<Value>& row(size_t row) const { return rows_[row]; }
  const std::vector<std::vector<Value>>& rows() const { return rows_; }
  const std::vector<std::string>& names() const { return names_; }

  // The single value of a one-row, one-column result (e.g. SELECT count(*)).
  Result<Value> Scalar() const;

 private:
  std::vector<std::string> names_;
  std::vector<std::string> types_;
  std::vector<std::vector<Value>> rows_;
};

class Connection;
class TableSource;
struct ScalarFunctionSpec;
struct RawScalarFunctionSpec;
struct BatchScalarFunctionSpec;
struct AggregateFunctionSpec;

class Database {
 public:
  struct Options {
    std::string path = ":memory:";  // a DuckDB file, or ":memory:"
    int threads = 0;                // 0 = DuckDB's default (all cores)
    std::string memory_limit;       // e.g. "4GB"; empty = DuckDB's default
  };

  static Result<std::unique_ptr<Database>> Open(const Options& options);
  static Result<std::unique_ptr<Database>> Open() { return Open(Options{}); }
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Result<std::unique_ptr<Connection>> Connect();

 private:
  struct Impl;
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class PreparedStatement;
class Appender;

class Connection {
 public:
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements and discards their results.
  Status Execute(std::string_view sql);

  // Runs one statement (or several; the last one's result is returned), fully materialized.
  // With `nested_as_json`, values of nested types (LIST, STRUCT, MAP, ARRAY) come back as
  // JSON text instead of DuckDB's rendering, for callers that must take them apart.
  Result<QueryResult> Query(std::string_view sql, bool nested_as_json = false);

  Result<std::unique_ptr<PreparedStatement>> Prepare(std::string_view sql);

  // Appends rows to an existing table (`schema` may be empty for the default schema).
  Result<std::unique_ptr<Appender>> MakeAppender(std::string_view table,
                                                 std::string_view schema = "");

  // Asks the statement running on this connection (from another thread) to stop; it then
  // fails with kAborted.
  void Interrupt();

  // `prefix` followed by a number not given before on this connection: a name for a
  // temporary object, which only this connection sees. The same calls on a new connection
  // give the same names, so SQL that mentions them reads the same in every update (what
  // runtime's analysis memo keys on).
  std::string UniqueName(std::string_view prefix);

 private:
  friend class Database;
  // Creates the table function in this connection's database on first use (table_source.h).
  friend Status RegisterScalarFunction(Connection& connection, ScalarFunctionSpec spec);
  friend Status RegisterRawScalarFunction(Connection& connection, RawScalarFunctionSpec spec);
  friend Status RegisterBatchScalarFunction(Connection& connection, BatchScalarFunctionSpec spec);
  friend Status RegisterAggregateFunction(Connection& connection, AggregateFunctionSpec spec);
  friend Result<int64_t> RegisterTableSource(Connection& connection,
                                             std::shared_ptr<TableSource> source);
  struct Impl;
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A statement with `?` or `$1` parameters, bound by 1-based index.
class PreparedStatement {
 public:
  ~PreparedStatement();
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  Status Bind(size_t index, const Value& value);
  Result<QueryResult> Query();
  Status Execute();
  size_t parameter_count() const;

 private:
  friend class Connection;
  struct Impl;
  explicit PreparedStatement(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Bulk insertion into a table, row by row: Append each column value, then EndRow.
// Values are converted to the column types by DuckDB. Flush or Close makes rows visible;
// the destructor closes and drops errors, so call Close to see them.
class Appender {
 public:
  ~Appender();
  Appender(const Appender&) = delete;
  Appender& operator=(const Appender&) = delete;

  Status Append(const Value& value);
  Status EndRow();
  Status Flush();
  Status Close();

 private:
  friend class Connection;
  struct Impl;
  explicit Appender(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The DuckDB release this build links against, e.g. "v1.4.4".
std::string EngineVersion();

}  // namespace sluice::engine
