// Native functions of the string group's formatting functions.
#include "spark/native_groups.h"

namespace sluice::spark::internal {

void AddStringFormatNatives(std::vector<NativeFunction>& out) { (void)out; }

}  // namespace sluice::spark::internal
