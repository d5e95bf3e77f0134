// What earlier analyses of a pipeline found, so that an update does not bind again what
// bound before (binding a translated query costs DuckDB a statement per flow).
//
// An entry says that a flow's translated query, read over inputs of given columns, bound
// and has these columns; or that an expectation's condition bound over a relation. DuckDB
// binds the same text over the same inputs the same way, so an entry is keyed by a 128-bit
// hash of all of it: the query text, every input's name, columns and types, the DuckDB
// version and sluice's own SQL functions. Nothing stale can match; a miss binds as usual.
// Kept in <storage>/system/analysis.json, holding the entries the last analysis used.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "io/file_system.h"
#include "runtime/spark_sql.h"

namespace sluice::runtime {

class AnalysisMemo {
 public:
  // The memo at `path`; empty when it is missing or unreadable.
  static AnalysisMemo Load(io::FileSystem& fs, std::string path);

  // The key of binding `sql` over `inputs` (the relations it reads).
  static std::string Key(const std::string& sql, const std::vector<spark::BoundRelation>& inputs);

  // The columns remembered for `key`, or nullptr.
  const DescribedColumns* Find(const std::string& key);
  void Remember(const std::string& key, DescribedColumns columns);

  // Writes the entries found or remembered since Load, when they differ from what was
  // loaded. A failure to write costs the next analysis time, nothing else.
  Status Save();

 private:
  io::FileSystem* fs_ = nullptr;
  std::string path_;
  std::map<std::string, DescribedColumns> loaded_;
  std::map<std::string, DescribedColumns> used_;
};

}  // namespace sluice::runtime
