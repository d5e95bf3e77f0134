// Native functions of the regexp group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddRegexpNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
