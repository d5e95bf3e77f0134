// Shared by the misc, predicate and conversion function files.
#pragma once

#include <string>

#include "spark/functions.h"

namespace sluice::spark::internal {

void AddPredicateFunctions(FunctionMap& map);
void AddConversionFunctions(FunctionMap& map);

// Spark's rule for LIKE patterns: the escape character may only precede '_', '%' or
// itself, and may not end the pattern.
Status CheckLikePattern(const std::string& pattern, char escape);

// `value LIKE pattern ESCAPE escape` (ILIKE: over lower-cased text and pattern) with
// Spark's pattern rules: a literal pattern is checked here, another when it is read.
Result<std::string> LikeSql(Translator& translator, const Typed& value, const Typed& pattern,
                            const std::string& escape, bool ignore_case, const Span& at);

}  // namespace sluice::spark::internal
