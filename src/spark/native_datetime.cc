// Native functions of the datetime group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddDatetimeNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
