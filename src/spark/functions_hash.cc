#include "spark/functions.h"

namespace sluice::spark::internal {

void AddHashFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddHashMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
