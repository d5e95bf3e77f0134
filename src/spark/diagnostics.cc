#include "spark/diagnostics.h"

#include <algorithm>

#include "common/strings.h"

namespace sluice::spark {

std::string FormatDiagnostic(const SourceLocation& at, std::string_view message) {
  std::string out = at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                    ": " + std::string(message);
  if (at.line_text.empty()) return out;
  out += "\n  " + at.line_text + "\n  ";
  // Tabs stay tabs so that the caret lines up under them.
  for (int i = 0; i + 1 < at.column && i < static_cast<int>(at.line_text.size()); ++i) {
    out += at.line_text[i] == '\t' ? '\t' : ' ';
  }
  return out + "^";
}

SourceLocation LocationAt(std::string_view text, std::string_view file, size_t offset, int line,
                          int column) {
  SourceLocation at;
  at.file = std::string(file);
  at.line = line;
  at.column = column;
  offset = std::min(offset, text.size());
  size_t start = 0;
  if (offset > 0) {
    const size_t newline = text.rfind('\n', offset - 1);
    if (newline != std::string_view::npos) start = newline + 1;
  }
  size_t end = text.find('\n', start);
  if (end == std::string_view::npos) end = text.size();
  at.line_text = std::string(text.substr(start, end - start));
  if (!at.line_text.empty() && at.line_text.back() == '\r') at.line_text.pop_back();
  return at;
}

}  // namespace sluice::spark
