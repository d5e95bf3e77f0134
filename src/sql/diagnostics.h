// User-facing messages about places in source files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/strings.h"
#include "sql/ast.h"

namespace sluice::sql {

// "file:line:col: message", then the source line and a caret under the column.
std::string FormatDiagnostic(const SourceLocation& at, std::string_view message);

// The location of byte `offset` of `text` (line and column given; the line's text is
// looked up).
SourceLocation LocationAt(std::string_view text, std::string_view file, size_t offset, int line,
                          int column);

using ::sluice::NearestName;  // common/strings.h

}  // namespace sluice::sql
