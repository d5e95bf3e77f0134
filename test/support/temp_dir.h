// Test helpers: a temporary directory removed at the end of the test, and the paths of
// the shared conformance tables.
#pragma once

#include <string>

namespace sluice::testing {

// A fresh directory under $TMPDIR (or /tmp), deleted with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + relative
  std::string Child(const std::string& relative) const;

 private:
  std::string path_;
};

// Absolute path of ../shared/conformance/<relative> as seen from the source tree.
std::string ConformancePath(const std::string& relative);

// Writes `text` to `path`, creating its parent directories.
void WriteTextFile(const std::string& path, const std::string& text);

// Recursively copies a directory tree (for tests that must write to a read-only table).
void CopyTree(const std::string& from, const std::string& to);

}  // namespace sluice::testing
