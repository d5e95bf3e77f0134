// Native functions of the hash group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddHashNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
