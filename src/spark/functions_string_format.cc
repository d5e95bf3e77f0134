// Formatting functions: format_number, format_string / printf, to_char / to_varchar,
// to_number / try_to_number.
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {

void AddStringFormatFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal
