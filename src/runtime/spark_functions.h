// The Spark functions translated queries call (spark/macros.h, spark/native.h), installed
// in a database.
#pragma once

#include "common/status.h"
#include "engine/engine.h"

namespace sluice::runtime {

// Registers the native functions and creates the macros in the database of `connection`;
// a database needs this once, before it runs translated queries.
Status InstallSparkFunctions(engine::Connection& connection);

}  // namespace sluice::runtime
