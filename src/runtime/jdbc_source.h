// PostgreSQL sources of flows (docs/postgres.md): read_jdbc(...) and Python's
// format("jdbc") / format("postgresql"), read in full each time a flow reads them (a
// materialized view over one is recomputed every update).
#pragma once

#include <map>
#include <string>

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::runtime {

// Reads the source into the new temporary table `table` with Spark's columns for
// PostgreSQL's types. With `columns_only`, only describes it: `table` becomes an empty
// table of the same columns (analysis).
Status ReadJdbcSource(engine::Connection& connection,
                      const std::map<std::string, std::string>& options, const std::string& table,
                      bool columns_only);

}  // namespace sluice::runtime
