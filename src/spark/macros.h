// The DuckDB macros that translated queries call (all named spark_*).
#pragma once

#include <string>
#include <vector>

namespace sluice::spark {

// Statements defining the macros; run once on a database before translated queries (they
// are visible to all its connections). The native functions of native.h must be
// registered first: some macros call them.
const std::vector<std::string>& SparkMacroDefinitions();

}  // namespace sluice::spark
