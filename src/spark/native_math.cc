// Native functions of the math group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddMathNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
