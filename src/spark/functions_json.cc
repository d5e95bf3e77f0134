#include "spark/functions.h"

namespace sluice::spark::internal {

void AddJsonFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddJsonMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
