// Session::Optimize, Vacuum and Changes. The Delta layer has no OPTIMIZE, VACUUM or
// Change Data Feed reader yet; until it does these report NotSupported after checking
// their arguments.
#include <string>

#include "api/session_internal.h"

namespace sluice {

Result<OptimizeResult> Session::Optimize(const std::string& path, const std::string& where,
                                         std::optional<int64_t> target_file_size) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  if (target_file_size && *target_file_size <= 0) {
    return InvalidArgument("target file size must be positive, not ", *target_file_size);
  }
  return NotSupported(root, ": OPTIMIZE is not implemented yet");
}

Result<VacuumResult> Session::Vacuum(const std::string& path, std::optional<double> retention_hours,
                                     bool dry_run, bool force) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  if (retention_hours && *retention_hours < 0) {
    return InvalidArgument("retention must not be negative, not ", *retention_hours, " hours");
  }
  return NotSupported(root, ": VACUUM is not implemented yet");
}

Result<Rows> Session::Changes(const std::string& path, int64_t start, std::optional<int64_t> end) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  if (start < 0) return InvalidArgument("start version must not be negative, not ", start);
  if (end && *end < start) {
    return InvalidArgument("end version ", *end, " is before start version ", start);
  }
  return NotSupported(root, ": reading the Change Data Feed is not implemented yet");
}

}  // namespace sluice
