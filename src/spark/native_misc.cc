// Native functions of the misc group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddMiscNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
