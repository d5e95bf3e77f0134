#include "script.h"

#include <fstream>
#include <sstream>

namespace sluice::testing {
namespace {

// Records of one line: the next line starts a new record even without a blank line.
bool IsOneLineRecord(const std::string& kind) {
  return kind == "delete" || kind == "exists" || kind == "missing" || kind == "contains" ||
         kind == "env";
}

}  // namespace

std::vector<std::string> SplitWords(const std::string& text) {
  std::istringstream stream(text);
  std::vector<std::string> words;
  std::string word;
  while (stream >> word) words.push_back(word);
  return words;
}

std::vector<ScriptRecord> ReadScript(const std::string& path, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = path + ": cannot read";
    return {};
  }
  std::vector<ScriptRecord> records;
  ScriptRecord current;
  bool open = false;     // a record has started
  bool in_body = false;  // inside a file/input body, which only `====` ends
  auto flush = [&] {
    if (open) records.push_back(std::move(current));
    current = ScriptRecord{};
    open = false;
    in_body = false;
  };
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "====") {
      flush();
      continue;
    }
    if (in_body) {
      current.body.push_back(line);
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') {
      flush();
      continue;
    }
    if (open && IsOneLineRecord(current.words[0])) flush();
    if (!open) {
      open = true;
      current.line = number;
      current.head = line;
      current.words = SplitWords(line);
      in_body = current.words[0] == "file" || current.words[0] == "input";
      continue;
    }
    current.body.push_back(line);
  }
  if (in_body) {
    *error = path + ":" + std::to_string(current.line) + ": '" + current.head +
             "' has no closing '====' line";
    return {};
  }
  flush();
  return records;
}

}  // namespace sluice::testing
