// PostgreSQL sources of flows (docs/postgres.md): read_jdbc(...) and Python's
// format("jdbc") / format("postgresql"). A batch read reads the whole relation each time a
// flow reads it (a materialized view over one is recomputed every update); a stream reads
// the rows whose pipelines.incremental.column passed the last batch's largest value.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"
#include "sources/postgres_options.h"

namespace sluice::runtime {

// What a read takes: everything, only the columns (analysis: `table` becomes an empty
// table of the same columns), or an incremental stream's range.
struct JdbcRead {
  bool columns_only = false;
  bool incremental = false;  // the rows (after, up_to] of pipelines.incremental.column
  std::optional<std::string> after;
  std::optional<std::string> up_to;  // nullopt: no row
  // Conditions of the reading query PostgreSQL may apply first (jdbc_pushdown.h).
  std::vector<sources::PostgresCondition> pushed;
  // The columns the reading query uses, when not all (jdbc_pushdown.h).
  std::optional<std::vector<std::string>> columns;
};

// Reads the source into the new temporary table `table` with Spark's columns for
// PostgreSQL's types.
Status ReadJdbcSource(engine::Connection& connection,
                      const std::map<std::string, std::string>& options, const std::string& table,
                      const JdbcRead& read);

// The incremental column's largest value now; an error when the options name none.
Result<std::optional<std::string>> JdbcIncrementalMax(
    const std::map<std::string, std::string>& options);

}  // namespace sluice::runtime
