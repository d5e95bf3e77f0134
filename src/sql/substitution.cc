#include "sql/substitution.h"

#include "common/strings.h"
#include "sql/diagnostics.h"

namespace sluice::sql {

Result<std::string> SubstituteVariables(std::string_view text, std::string_view file,
                                        const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  int line = 1;
  size_t line_start = 0;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      const size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        const std::string key = Trim(text.substr(i + 2, close - i - 2));
        auto it = values.find(key);
        if (it == values.end()) {
          std::vector<std::string> keys;
          for (const auto& [name, value] : values) keys.push_back(name);
          std::string message = "unknown configuration key '" + key + "' in ${" + key + "}";
          const std::string nearest = NearestName(key, keys);
          if (!nearest.empty())
            message += "; did you mean '" + nearest + "'?";
          else
            message +=
                " (set it under `configuration` in the settings or with --conf " + key + "=...)";
          return InvalidArgument(FormatDiagnostic(
              LocationAt(text, file, i, line, static_cast<int>(i - line_start) + 1), message));
        }
        out += it->second;
        i = close + 1;
        continue;
      }
    }
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
    out += text[i++];
  }
  return out;
}

}  // namespace sluice::sql
