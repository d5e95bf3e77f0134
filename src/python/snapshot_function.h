// The callable source of a snapshot AUTO CDC flow: Python's
// create_auto_cdc_from_snapshot_flow(source=f), where f(latest_version) returns the next
// snapshot and its version, or None when there is none newer.
//
// The function is called when the flow runs, not when the pipeline loads: each update
// calls it with the version last applied (None before the first) until it returns None,
// and applies each snapshot it gives, in order.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/status.h"
#include "python/pipeline_files.h"

namespace sluice::python {

class SnapshotFunction {
 public:
  // `function` is a borrowed reference to the Python callable (a new reference is kept);
  // construct with the GIL held. `file` is the pipeline file that passed it, `root` the
  // settings folder (both on the import path while it runs).
  SnapshotFunction(std::string flow, std::string file, std::string root, void* function);
  ~SnapshotFunction();  // releases the callable under the GIL
  SnapshotFunction(const SnapshotFunction&) = delete;
  SnapshotFunction& operator=(const SnapshotFunction&) = delete;

  struct Snapshot {
    std::string query;  // the Spark SQL of the DataFrame the function returned
    int64_t version = 0;
  };

  // Calls the function with `latest_version`, with `configuration` visible to
  // spark.conf.get and `oracle` answering what its DataFrame code asks about schemas.
  // nullopt when it returns None. A Python error, or a result that is not None or
  // (DataFrame, int), is InvalidArgument naming the user's file and line.
  Result<std::optional<Snapshot>> Next(std::optional<int64_t> latest_version,
                                       const std::map<std::string, std::string>& configuration,
                                       SchemaOracle& oracle) const;

  const std::string& flow() const { return flow_; }

 private:
  std::string flow_;
  std::string file_;
  std::string root_;
  void* function_;  // PyObject*, owned
};

}  // namespace sluice::python
