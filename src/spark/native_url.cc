// Native functions of the url group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddUrlNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
