// Generated retail orders as newline-delimited JSON files, for the example and benchmarks.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::examples {

// Writes `files` files `<dir>/orders-<n>.json` (n counting from `first_file`) with
// `rows_per_file` orders each. Order ids continue from first_file * rows_per_file. About one
// order in 200 has a non-positive amount and one in 100 an unknown status; none lacks an id.
Status GenerateOrders(engine::Connection& connection, const std::string& dir, int64_t first_file,
                      int64_t files, int64_t rows_per_file);

}  // namespace sluice::examples
