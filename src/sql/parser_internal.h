// Shared by the statement parser and the reference finder.
#pragma once

#include <string_view>
#include <vector>

#include "sql/ast.h"
#include "sql/lexer.h"

namespace sluice::sql::internal {

// Finds the table references of the query made of tokens [begin, end) of a file whose text
// is `text`; offsets in the result are relative to `query_offset`.
Result<std::vector<Reference>> FindReferences(std::string_view text, std::string_view file,
                                              const std::vector<Token>& tokens, size_t begin,
                                              size_t end, size_t query_offset);

SourceLocation TokenLocation(std::string_view text, std::string_view file, const Token& token);

}  // namespace sluice::sql::internal
