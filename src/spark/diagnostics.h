// User-facing messages about places in source files: `file:line:col: message`, then the
// source line with a caret under the column. Shared by every parser of pipeline sources.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::spark {

// A place in a source file, 1-based. `line_text` is the whole source line (without its
// newline), kept so that errors can show it with a caret under `column`.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string line_text;
};

// "file:line:col: message", then the source line and a caret under the column.
std::string FormatDiagnostic(const SourceLocation& at, std::string_view message);

// The location of byte `offset` of `text` (line and column given; the line's text is
// looked up). In a generated source (see RegisterGeneratedSource), the location is the
// place its line was generated from.
SourceLocation LocationAt(std::string_view text, std::string_view file, size_t offset, int line,
                          int column);

// Registers text generated from other sources (Python pipeline code compiled to SQL) under
// the file name it is parsed as: line i (1-based) of the text was generated from the place
// `line_origins[i - 1]`. Later registrations of a name replace earlier ones.
void RegisterGeneratedSource(const std::string& file, std::vector<SourceLocation> line_origins);

}  // namespace sluice::spark
