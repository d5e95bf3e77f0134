// Database, Connection, PreparedStatement and Appender over DuckDB's C API; results and
// types are converted in result.cc.
#include "engine/engine.h"

#include <duckdb.h>

#include <cstring>
#include <string>

#include "common/strings.h"
#include "engine/internal.h"

namespace sluice::engine {

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const Options& options) {
  duckdb_config config = nullptr;
  if (duckdb_create_config(&config) == DuckDBError) return Internal("cannot create DuckDB config");
  auto set = [&](const char* name, const std::string& value) -> Status {
    if (duckdb_set_config(config, name, value.c_str()) == DuckDBError) {
      return InvalidArgument("invalid DuckDB setting ", name, "=", value);
    }
    return Status::OK();
  };
  Status status;
  if (options.threads > 0) status = set("threads", std::to_string(options.threads));
  if (status.ok() && !options.memory_limit.empty())
    status = set("memory_limit", options.memory_limit);
  // Extensions cannot be downloaded here; never try.
  if (status.ok()) status = set("autoinstall_known_extensions", "false");
  if (status.ok()) status = set("autoload_known_extensions", "false");
  if (!status.ok()) {
    duckdb_destroy_config(&config);
    return status;
  }
  auto impl = std::make_unique<Impl>();
  char* error = nullptr;
  const char* path = options.path == ":memory:" ? nullptr : options.path.c_str();
  duckdb_state state = duckdb_open_ext(path, &impl->db, config, &error);
  duckdb_destroy_config(&config);
  if (state == DuckDBError) {
    std::string message = error != nullptr ? error : "unknown error";
    if (error != nullptr) duckdb_free(error);
    return IOError("cannot open DuckDB database ", options.path, ": ", message);
  }
  impl->sources.database = impl->db;
  auto database = std::unique_ptr<Database>(new Database(std::move(impl)));
  // Timestamps with time zone are rendered and cast in UTC, whatever the machine's zone:
  // set once for the database, every connection starts from it (a plain SET on a
  // connection changes that connection only).
  {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, database->Connect());
    SLUICE_RETURN_IF_ERROR(connection->Execute("SET GLOBAL TimeZone = 'UTC'"));
  }
  return database;
}

Result<std::unique_ptr<Connection>> Database::Connect() {
  auto impl = std::make_unique<Connection::Impl>();
  impl->sources = &impl_->sources;
  if (duckdb_connect(impl_->db, &impl->connection) == DuckDBError) {
    return Internal("cannot connect to DuckDB database");
  }
  return std::unique_ptr<Connection>(new Connection(std::move(impl)));
}

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;

Status Connection::Execute(std::string_view sql) {
  std::string text(sql);
  duckdb_result result;
  duckdb_state state = duckdb_query(impl_->connection, text.c_str(), &result);
  Status status = state == DuckDBError ? internal::ResultError(&result) : Status::OK();
  duckdb_destroy_result(&result);
  return status;
}

Result<QueryResult> Connection::Query(std::string_view sql, bool nested_as_json) {
  std::string text(sql);
  duckdb_result result;
  duckdb_state state = duckdb_query(impl_->connection, text.c_str(), &result);
  if (state == DuckDBError) {
    Status status = internal::ResultError(&result);
    duckdb_destroy_result(&result);
    return status;
  }
  QueryResult out = internal::Materialize(&result, nested_as_json);
  duckdb_destroy_result(&result);
  return out;
}

void Connection::Interrupt() { duckdb_interrupt(impl_->connection); }

std::string Connection::UniqueName(std::string_view prefix) {
  return std::string(prefix) + std::to_string(impl_->next_name++);
}

struct PreparedStatement::Impl {
  duckdb_prepared_statement statement = nullptr;
  ~Impl() {
    if (statement != nullptr) duckdb_destroy_prepare(&statement);
  }
};

PreparedStatement::PreparedStatement(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedStatement::~PreparedStatement() = default;

Result<std::unique_ptr<PreparedStatement>> Connection::Prepare(std::string_view sql) {
  std::string text(sql);
  auto impl = std::make_unique<PreparedStatement::Impl>();
  if (duckdb_prepare(impl_->connection, text.c_str(), &impl->statement) == DuckDBError) {
    const char* error = duckdb_prepare_error(impl->statement);
    return InvalidArgument(error != nullptr ? error : "cannot prepare statement");
  }
  return std::unique_ptr<PreparedStatement>(new PreparedStatement(std::move(impl)));
}

size_t PreparedStatement::parameter_count() const { return duckdb_nparams(impl_->statement); }

Status PreparedStatement::Bind(size_t index, const Value& value) {
  duckdb_value raw = internal::ToDuckValue(value);
  duckdb_state state = duckdb_bind_value(impl_->statement, index, raw);
  duckdb_destroy_value(&raw);
  if (state == DuckDBError) {
    return InvalidArgument("cannot bind parameter ", index, " to ", value.ToString());
  }
  return Status::OK();
}

Result<QueryResult> PreparedStatement::Query() {
  duckdb_result result;
  if (duckdb_execute_prepared(impl_->statement, &result) == DuckDBError) {
    Status status = internal::ResultError(&result);
    duckdb_destroy_result(&result);
    return status;
  }
  QueryResult out = internal::Materialize(&result);
  duckdb_destroy_result(&result);
  return out;
}

Status PreparedStatement::Execute() {
  duckdb_result result;
  duckdb_state state = duckdb_execute_prepared(impl_->statement, &result);
  Status status = state == DuckDBError ? internal::ResultError(&result) : Status::OK();
  duckdb_destroy_result(&result);
  return status;
}

struct Appender::Impl {
  duckdb_appender appender = nullptr;
  std::string table;
  ~Impl() {
    if (appender != nullptr) duckdb_appender_destroy(&appender);
  }
  Status Error(const char* action) {
    const char* message = duckdb_appender_error(appender);
    return InvalidArgument("appending to ", table, ": ", action, ": ",
                           message != nullptr ? message : "unknown error");
  }
};

Appender::Appender(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Appender::~Appender() = default;

Result<std::unique_ptr<Appender>> Connection::MakeAppender(std::string_view table,
                                                           std::string_view schema) {
  auto impl = std::make_unique<Appender::Impl>();
  impl->table = std::string(table);
  std::string schema_text(schema);
  if (duckdb_appender_create(impl_->connection, schema.empty() ? nullptr : schema_text.c_str(),
                             impl->table.c_str(), &impl->appender) == DuckDBError) {
    return impl->Error("cannot create appender");
  }
  return std::unique_ptr<Appender>(new Appender(std::move(impl)));
}

Status Appender::Append(const Value& value) {
  duckdb_value raw = internal::ToDuckValue(value);
  duckdb_state state = duckdb_append_value(impl_->appender, raw);
  duckdb_destroy_value(&raw);
  return state == DuckDBError ? impl_->Error("append") : Status::OK();
}

Status Appender::EndRow() {
  return duckdb_appender_end_row(impl_->appender) == DuckDBError ? impl_->Error("end row")
                                                                 : Status::OK();
}

Status Appender::Flush() {
  return duckdb_appender_flush(impl_->appender) == DuckDBError ? impl_->Error("flush")
                                                               : Status::OK();
}

Status Appender::Close() {
  return duckdb_appender_close(impl_->appender) == DuckDBError ? impl_->Error("close")
                                                               : Status::OK();
}

Result<Value> QueryResult::Scalar() const {
  if (row_count() != 1 || column_count() != 1) {
    return Internal("expected one value, got ", row_count(), " rows of ", column_count(),
                    " columns");
  }
  return rows_[0][0];
}

std::string Value::ToString() const {
  struct Visitor {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return internal::FormatDouble(v); }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const Blob& v) const { return internal::EscapeBlob(v.bytes); }
  };
  return std::visit(Visitor{}, data);
}

std::string EngineVersion() { return duckdb_library_version(); }

}  // namespace sluice::engine
