#include <string>
#include <string_view>

#include "io/file_system.h"

namespace sluice::io {

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  size_t end = a.size();
  while (end > 0 && a[end - 1] == '/') --end;
  size_t start = 0;
  while (start < b.size() && b[start] == '/') ++start;
  std::string joined(a.substr(0, end));
  joined += '/';
  joined += b.substr(start);
  return joined;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return path.substr(0, 1);
  return path.substr(0, slash);
}

}  // namespace sluice::io
