// Native functions of the string group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddStringNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
