// Java regular expression matching in translated SQL, for the RLIKE / REGEXP operators
// (translate_expr.cc) as for the rlike function (functions_regexp.cc).
#pragma once

#include <string>

#include "spark/translator_internal.h"

namespace sluice::spark::internal {

// The SQL of `value RLIKE pattern` (both strings): Spark's find of the Java pattern, refused
// when RE2 cannot match it as Java does (see java_regex.h).
Result<std::string> RLikeSql(Translator& translator, const Typed& value, const Typed& pattern,
                             const Span& pattern_span);

}  // namespace sluice::spark::internal
