#include "spark/functions.h"

namespace sluice::spark::internal {

void AddMathFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal

namespace sluice::spark::internal {

void AddMathMacros(std::vector<MacroDef>& out) { (void)out; }

}  // namespace sluice::spark::internal
