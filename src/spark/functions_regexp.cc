#include "spark/functions.h"

namespace sluice::spark::internal {

void AddRegexpFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddRegexpMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
