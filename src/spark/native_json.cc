// Native functions of the json group.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddJsonNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
