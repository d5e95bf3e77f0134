#include <utility>

#include "api/session_internal.h"
#include "common/time_format.h"
#include "delta/history.h"
#include "io/file_system.h"

namespace sluice {

// Kept in step with project(sluice VERSION ...) in the top CMakeLists.txt.
std::string Version() { return "0.1.0"; }
std::string EngineVersion() { return engine::EngineVersion(); }

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Result<std::unique_ptr<Session>> Session::Open(const Options& options) {
  if (options.threads < 0) {
    return InvalidArgument("threads must be 0 (all cores) or positive, not ", options.threads);
  }
  auto impl = std::make_unique<Impl>();
  engine::Database::Options database_options;
  database_options.threads = options.threads;
  SLUICE_ASSIGN_OR_RETURN(impl->database, engine::Database::Open(database_options));
  SLUICE_ASSIGN_OR_RETURN(impl->connection, impl->database->Connect());
  impl->context.fs = io::LocalFileSystem();
  impl->context.connection = impl->connection.get();
  return std::unique_ptr<Session>(new Session(std::move(impl)));
}

Result<Rows> Session::Query(const std::string& sql) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result,
                          impl_->connection->Query(sql, /*nested_as_json=*/true));
  return api::ToRows(result);
}

namespace api {

Result<std::string> NormalizeTablePath(const std::string& path) {
  if (path.empty()) return InvalidArgument("the table path is empty");
  std::string root = path;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return root;
}

Status NameTable(const Status& status, const std::string& table_root) {
  if (status.ok() || status.message().find(table_root) != std::string::npos) return status;
  return status.WithContext(table_root);
}

Result<std::optional<int64_t>> ResolveVersion(const delta::DeltaContext& context,
                                              const std::string& table_root,
                                              const TableVersion& at) {
  if (at.version && at.timestamp) {
    return InvalidArgument(table_root, ": give a version or a timestamp, not both");
  }
  if (at.version) {
    if (*at.version < 0) {
      return InvalidArgument(table_root, ": version ", *at.version, " is negative");
    }
    return std::optional<int64_t>(*at.version);
  }
  if (!at.timestamp) return std::optional<int64_t>();
  std::optional<int64_t> millis = ParseTimestampMillis(*at.timestamp);
  if (!millis) {
    return InvalidArgument("invalid timestamp '", *at.timestamp,
                           "': expected YYYY-MM-DD[ HH:MM:SS[.fff]][Z|+HH:MM]");
  }
  Result<int64_t> version = delta::VersionAtTimestamp(*context.fs, table_root, *millis);
  if (!version.ok()) return version.status().WithContext("time travel to '" + *at.timestamp + "'");
  return std::optional<int64_t>(*version);
}

Result<delta::SnapshotPtr> LoadTable(const delta::DeltaContext& context, const std::string& path,
                                     const TableVersion& at) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, NormalizeTablePath(path));
  SLUICE_ASSIGN_OR_RETURN(std::optional<int64_t> version, ResolveVersion(context, root, at));
  return delta::LoadSnapshot(context, root, version);
}

}  // namespace api
}  // namespace sluice
