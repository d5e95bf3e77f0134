// Session::Optimize, ReorgPurge, Vacuum and Changes, over the Delta layer's maintenance operations
// and Change Data Feed reader.
#include <cmath>
#include <string>

#include "api/session_internal.h"
#include "delta/change_data_feed.h"
#include "delta/optimize.h"
#include "delta/vacuum.h"

namespace sluice {

namespace {

Result<OptimizeResult> RunOptimize(const delta::DeltaContext& context, const std::string& path,
                                   delta::OptimizeOptions options) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  Result<delta::OptimizeMetrics> metrics = delta::Optimize(context, root, options);
  if (!metrics.ok()) return api::NameTable(metrics.status(), root);
  OptimizeResult result;
  result.version = metrics->version;
  result.files_removed = metrics->files_removed;
  result.files_added = metrics->files_added;
  result.bytes_removed = metrics->bytes_removed;
  result.bytes_added = metrics->bytes_added;
  return result;
}

}  // namespace

Result<OptimizeResult> Session::Optimize(const std::string& path, const std::string& where,
                                         std::optional<int64_t> target_file_size) {
  if (target_file_size && *target_file_size <= 0) {
    return InvalidArgument("target file size must be positive, not ", *target_file_size);
  }
  delta::OptimizeOptions options;
  options.where = where;
  options.target_file_size = target_file_size;
  return RunOptimize(impl_->context, path, options);
}

Result<OptimizeResult> Session::ReorgPurge(const std::string& path, const std::string& where) {
  delta::OptimizeOptions options;
  options.where = where;
  options.purge = true;
  return RunOptimize(impl_->context, path, options);
}

Result<VacuumResult> Session::Vacuum(const std::string& path, std::optional<double> retention_hours,
                                     bool dry_run, bool force) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  delta::VacuumOptions options;
  if (retention_hours) {
    if (!std::isfinite(*retention_hours) || *retention_hours < 0 ||
        *retention_hours > 24.0 * 365 * 1000) {
      return InvalidArgument("retention must be between 0 and 1000 years, not ", *retention_hours,
                             " hours");
    }
    options.retention_ms = std::llround(*retention_hours * 3600 * 1000);
  }
  options.dry_run = dry_run;
  options.allow_short_retention = force;
  Result<delta::VacuumResult> vacuumed = delta::Vacuum(impl_->context, root, options);
  if (!vacuumed.ok()) return api::NameTable(vacuumed.status(), root);
  VacuumResult result;
  result.files = std::move(vacuumed->files);
  result.bytes = vacuumed->bytes;
  result.dry_run = dry_run;
  return result;
}

Result<Rows> Session::Changes(const std::string& path, int64_t start, std::optional<int64_t> end) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  Result<delta::ChangeFeedPlan> plan = delta::PlanChangeDataFeed(impl_->context, root, start, end);
  if (!plan.ok()) return api::NameTable(plan.status(), root);
  Result<engine::QueryResult> result = impl_->connection->Query(plan->sql, /*nested_as_json=*/true);
  Status released = delta::ReleaseChangeDataFeed(*impl_->connection, *plan);
  if (!result.ok()) {
    return result.status().WithContext(root + ": reading the Change Data Feed");
  }
  SLUICE_RETURN_IF_ERROR(released);
  return api::ToRows(*result);
}

}  // namespace sluice
