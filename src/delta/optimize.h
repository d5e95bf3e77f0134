// OPTIMIZE: compacts small data files into files of the target size (bin-packing within
// each partition), as one dataChange=false commit that streaming readers skip. Files with
// deletion vectors are rewritten too, which purges them (their marked rows are gone).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::delta {

struct OptimizeOptions {
  // Only files of partitions matching this SQL predicate over partition columns; empty = all.
  std::string where;
  // Target size of the new files; default delta.targetFileSize (128 MiB).
  std::optional<int64_t> target_file_size;
  // Files at least this large are left alone; default 3/4 of the target size.
  std::optional<int64_t> min_file_size;
  // REORG TABLE ... APPLY (PURGE): rewrites the files with deletion vectors (and only
  // those, whatever their size) so that no row is left marked; a "REORG" commit.
  bool purge = false;
};

struct OptimizeMetrics {
  int64_t version = -1;  // -1 when there was nothing to compact
  int64_t files_removed = 0;
  int64_t files_added = 0;
  int64_t bytes_removed = 0;
  int64_t bytes_added = 0;
  int64_t partitions_optimized = 0;
};

Result<OptimizeMetrics> Optimize(const DeltaContext& context, const std::string& table_root,
                                 const OptimizeOptions& options = {});

}  // namespace sluice::delta
