// What the parts of Session (session_*.cc) share: the owned engine, the Delta context over
// the local file system, and conversions from engine and Delta types to public ones.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/status.h"
#include "delta/snapshot.h"
#include "engine/engine.h"
#include "sluice/table.h"

namespace sluice {

struct Session::Impl {
  std::unique_ptr<engine::Database> database;
  std::unique_ptr<engine::Connection> connection;  // before `database` is destroyed
  delta::DeltaContext context;
};

namespace api {

// The table root as the Delta layer expects it: without trailing slashes ("/" stays).
// InvalidArgument for an empty path.
Result<std::string> NormalizeTablePath(const std::string& path);

// The version `at` names: nullopt for the latest, the version itself, or the version
// current at the timestamp. InvalidArgument when both are given or the timestamp does not
// parse (naming it); errors of VersionAtTimestamp otherwise.
Result<std::optional<int64_t>> ResolveVersion(const delta::DeltaContext& context,
                                              const std::string& table_root,
                                              const TableVersion& at);

// The snapshot of `path` at `at`.
Result<delta::SnapshotPtr> LoadTable(const delta::DeltaContext& context, const std::string& path,
                                     const TableVersion& at);

// `status` with "<table_root>: " in front unless its message names the table already.
Status NameTable(const Status& status, const std::string& table_root);

Cell ToCell(const engine::Value& value);
Rows ToRows(const engine::QueryResult& result);

}  // namespace api
}  // namespace sluice
