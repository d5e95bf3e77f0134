#include "spark/functions.h"

namespace sluice::spark::internal {

void AddCollectionFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddCollectionMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
