// Implementation details of status.h; include status.h instead.
#pragma once

#include <sstream>

namespace sluice {

template <typename... Args>
std::string StrCat(const Args&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

}  // namespace sluice
