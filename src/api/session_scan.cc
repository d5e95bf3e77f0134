// Session::Scan: a snapshot's rows through DuckDB, with projection, filter (also used
// for data skipping) and limit.
#include <string>

#include "api/session_internal.h"
#include "common/strings.h"
#include "delta/scan.h"

namespace sluice {

Result<ScanResult> Session::Scan(const std::string& path, const ScanRequest& request) {
  if (request.limit && *request.limit < 0) {
    return InvalidArgument("limit must not be negative, not ", *request.limit);
  }
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot,
                          api::LoadTable(impl_->context, path, request.at));
  delta::ScanOptions options;
  options.columns = request.columns;
  options.filter = Trim(request.where);
  SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan,
                          delta::PlanScan(impl_->context, *snapshot, options));
  std::string sql = plan.sql;
  if (request.limit)
    sql = "SELECT * FROM (" + sql + ") AS __limited LIMIT " + std::to_string(*request.limit);
  Result<engine::QueryResult> result = impl_->connection->Query(sql, /*nested_as_json=*/true);
  Status released = delta::ReleaseScan(*impl_->connection, plan);
  if (!result.ok()) return result.status().WithContext("scanning " + snapshot->table_root());
  SLUICE_RETURN_IF_ERROR(released);

  ScanResult scan;
  scan.rows = api::ToRows(*result);
  scan.files_in_snapshot = static_cast<int64_t>(plan.files_in_snapshot);
  scan.files_read = static_cast<int64_t>(plan.files_to_read);
  return scan;
}

}  // namespace sluice
