#include "spark/functions.h"

namespace sluice::spark::internal {

void AddLambdaFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal
