#include "spark/diagnostics.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

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

namespace {

struct GeneratedSources {
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<const std::vector<SourceLocation>>, std::less<>> origins;
};

GeneratedSources& Generated() {
  static GeneratedSources* sources = new GeneratedSources();  // never destroyed: used at exit
  return *sources;
}

// The place line `line` of the generated source `file` came from, if `file` is one.
const SourceLocation* GeneratedOrigin(std::string_view file, int line,
                                      std::shared_ptr<const std::vector<SourceLocation>>& keep) {
  GeneratedSources& sources = Generated();
  std::lock_guard<std::mutex> lock(sources.mutex);
  auto it = sources.origins.find(file);
  if (it == sources.origins.end()) return nullptr;
  keep = it->second;
  if (line < 1 || static_cast<size_t>(line) > keep->size()) return nullptr;
  return &(*keep)[static_cast<size_t>(line) - 1];
}

}  // namespace

void RegisterGeneratedSource(const std::string& file, std::vector<SourceLocation> line_origins) {
  GeneratedSources& sources = Generated();
  std::lock_guard<std::mutex> lock(sources.mutex);
  sources.origins[file] =
      std::make_shared<const std::vector<SourceLocation>>(std::move(line_origins));
}

SourceLocation LocationAt(std::string_view text, std::string_view file, size_t offset, int line,
                          int column) {
  std::shared_ptr<const std::vector<SourceLocation>> keep;
  if (const SourceLocation* origin = GeneratedOrigin(file, line, keep)) return *origin;
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
