#include "spark/functions.h"

namespace sluice::spark::internal {

void AddDatetimeFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddDatetimeMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
