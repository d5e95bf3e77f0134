// Reads a declarative pipeline test file (docs/testing.md) into records.
#pragma once

#include <string>
#include <vector>

namespace sluice::testing {

// One record: a head line ("run --refresh a", "query rowsort", "file p.sql") and the
// lines after it. Records end at a blank line, a `#` comment line or a `====` line;
// `file` and `input` bodies end only at `====`, so they may hold blank and `#` lines;
// `delete`, `exists`, `missing` and `contains` records are one line each.
struct ScriptRecord {
  int line = 0;                    // 1-based line of the head in the test file
  std::string head;                // the first line
  std::vector<std::string> words;  // the head split at spaces
  std::vector<std::string> body;   // the lines after the head
};

// The records of `path`, or an empty list and `error` set when it cannot be read or a
// body is not closed.
std::vector<ScriptRecord> ReadScript(const std::string& path, std::string* error);

// `text` split at runs of spaces.
std::vector<std::string> SplitWords(const std::string& text);

}  // namespace sluice::testing
