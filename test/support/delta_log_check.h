// Runs the Delta log validator (delta/log_validator.h) over the tables a test wrote, so
// that every test that writes tables also checks that Spark and other Delta readers can
// open them (src/README.md, delta/).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace sluice::testing {

// The folders below `root` (itself included) that hold a `_delta_log`, sorted, as
// normalized paths (fs::path::lexically_normal).
std::vector<std::string> FindDeltaTables(const std::string& root);

// The protocol violations in one table's log, one line each, starting with the table's
// path; a line for an error that stopped the validator. Empty when the log is valid.
std::vector<std::string> ValidateDeltaLog(const std::string& table_root);

// ValidateDeltaLog of every table below `root` except those in `exempt` (normalized table
// folders, as FindDeltaTables returns them).
std::vector<std::string> ValidateDeltaLogs(const std::string& root,
                                           const std::set<std::string>& exempt = {});

}  // namespace sluice::testing
