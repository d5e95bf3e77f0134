// Chooses the live files a filtered scan must read (data skipping, data_skipping.h),
// from the partition values and statistics in a snapshot.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"

namespace sluice::delta {

// The snapshot's files that may hold rows matching `filter` (all of them when the filter
// is empty, cannot be parsed, or constrains nothing the log knows about). The filter is
// still applied to the rows by the scan; this only saves reading files.
Result<std::vector<const AddFile*>> FilesToScan(const DeltaContext& context,
                                                const Snapshot& snapshot,
                                                const std::string& filter);

}  // namespace sluice::delta
