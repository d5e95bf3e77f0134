#include "ui/source_excerpt.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "common/strings.h"

namespace sluice::ui {
namespace {

size_t Indent(const std::string& line) {
  const size_t at = line.find_first_not_of(" \t");
  return at == std::string::npos ? line.size() : at;
}

bool Blank(const std::string& line) { return line.find_first_not_of(" \t\r") == std::string::npos; }

std::string Trimmed(const std::string& line) {
  const size_t begin = line.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const size_t end = line.find_last_not_of(" \t\r");
  return line.substr(begin, end - begin + 1);
}

// Open minus closed brackets on a line, ignoring those in strings and comments (roughly: a
// string closes on the same line).
int BracketDepth(const std::string& line) {
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote != 0) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '#') break;
    if (c == '\'' || c == '"') quote = c;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
  }
  return depth;
}

// The line after the statement that starts at `at` (its brackets closed).
size_t StatementEnd(const std::vector<std::string>& lines, size_t at) {
  int depth = 0;
  for (; at < lines.size(); ++at) {
    depth += BracketDepth(lines[at]);
    if (depth <= 0) return at + 1;
  }
  return lines.size();
}

// [first, last) of the Python definition at `start`.
std::pair<size_t, size_t> PythonRange(const std::vector<std::string>& lines, size_t start) {
  const size_t indent = Indent(lines[start]);
  // Decorators written above the line given: the nearest statement above at the same
  // indentation, while it is a decorator that ends right above.
  size_t first = start;
  for (size_t k = first; k-- > 0;) {
    if (Blank(lines[k]) || Indent(lines[k]) != indent) continue;
    if (!StartsWith(Trimmed(lines[k]), "@") || StatementEnd(lines, k) != first) break;
    first = k;
  }
  // The decorators below, then the def's header or a call (brackets closed).
  size_t at = start;
  while (at < lines.size() && StartsWith(Trimmed(lines[at]), "@")) at = StatementEnd(lines, at);
  if (at >= lines.size()) return {first, lines.size()};
  const size_t header_end = StatementEnd(lines, at);
  const std::string header_last = Trimmed(lines[header_end - 1]);
  if (header_last.empty() || header_last.back() != ':') return {first, header_end};
  // The body: every line indented deeper, and blank lines between them.
  size_t last = header_end;
  for (at = header_end; at < lines.size(); ++at) {
    if (Blank(lines[at])) continue;
    if (Indent(lines[at]) <= indent) break;
    last = at + 1;
  }
  return {first, last};
}

// [first, last) of the SQL statement at `start`: up to the line ending with ';'.
std::pair<size_t, size_t> SqlRange(const std::vector<std::string>& lines, size_t start) {
  for (size_t at = start; at < lines.size(); ++at) {
    std::string text = Trimmed(lines[at]);
    const size_t comment = text.find("--");
    if (comment != std::string::npos) text = Trimmed(text.substr(0, comment));
    if (!text.empty() && text.back() == ';') return {start, at + 1};
  }
  return {start, lines.size()};
}

}  // namespace

std::optional<std::string> DefinitionExcerpt(const std::string& text, int line, bool python,
                                             int max_lines) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string next; std::getline(in, next);) lines.push_back(next);
  if (line < 1 || static_cast<size_t>(line) > lines.size()) return std::nullopt;
  auto [first, last] = python ? PythonRange(lines, line - 1) : SqlRange(lines, line - 1);
  last = std::min(last, first + static_cast<size_t>(max_lines));
  std::string out;
  for (size_t at = first; at < last; ++at) out += lines[at] + "\n";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::optional<std::string> DefinitionExcerptOfFile(const std::string& path, int line) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::stringstream text;
  text << file.rdbuf();
  return DefinitionExcerpt(text.str(), line, EndsWith(path, ".py"));
}

}  // namespace sluice::ui
