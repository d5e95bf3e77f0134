#include "spark/functions.h"

namespace sluice::spark::internal {

void AddMiscFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddMiscMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
