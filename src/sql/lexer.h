// The pipeline dialect reads its files with Spark SQL's tokenizer (spark/lexer.h).
#pragma once

#include "spark/lexer.h"

namespace sluice::sql {

using ::sluice::spark::MatchingParenthesis;
using ::sluice::spark::Token;
using ::sluice::spark::Tokenize;

}  // namespace sluice::sql
