// VACUUM: deletes files under a table root that no version within the retention period
// references (delta-protocol.md section 12). It never touches `_delta_log`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::delta {

struct VacuumOptions {
  // Files removed from the table longer ago than this may be deleted; default the table's
  // delta.deletedFileRetentionDuration (7 days).
  std::optional<int64_t> retention_ms;
  bool dry_run = false;
  // Allows a retention shorter than the table's; without it such a request is refused, as
  // it could delete files that running readers or time travel still need.
  bool allow_short_retention = false;
};

struct VacuumResult {
  std::vector<std::string> files;  // deleted (or to be deleted, on a dry run), sorted
  int64_t bytes = 0;
  int64_t directories_removed = 0;
};

Result<VacuumResult> Vacuum(const DeltaContext& context, const std::string& table_root,
                            const VacuumOptions& options = {});

}  // namespace sluice::delta
