// Registers every declarative pipeline test file as one GoogleTest case,
// PipelineScript.<path relative to its folder, escaped for filters>, run in a fresh
// temporary folder.
//
// The files are those under test/pipelines/ of the source tree, or, when the environment
// variable SLUICE_PIPELINE_TESTS is set, the files and folders it lists (separated by
// ':'), so that the same binary runs tests written for other pipelines.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/strings.h"
#include "script_runner.h"
#include "support/temp_dir.h"

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;

class PipelineScriptTest : public ::testing::Test {
 public:
  explicit PipelineScriptTest(std::string file) : file_(std::move(file)) {}

  void TestBody() override {
    TempDir dir;
    for (const ScriptFailure& failure : RunPipelineScript(file_, dir.path())) {
      if (failure.line > 0) {
        ADD_FAILURE_AT(file_.c_str(), failure.line) << failure.message;
      } else {
        ADD_FAILURE() << file_ << ": " << failure.message;
      }
    }
  }

 private:
  std::string file_;
};

// The test's name: the path with every byte other than letters, digits, '_', '.' and '/'
// replaced by '_', as PipelineTestName.cmake does for CTest's --gtest_filter, in which '-',
// '*', '?' and ':' are syntax.
std::string EscapedTestName(const std::string& path) {
  std::string name = path;
  for (char& c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '.' || c == '/';
    if (!safe) c = '_';
  }
  return name;
}

// Stands for files whose names are the same once escaped: CTest's filter for each of them
// runs this test, which fails naming them all.
class NameCollisionTest : public ::testing::Test {
 public:
  explicit NameCollisionTest(std::vector<std::string> files) : files_(std::move(files)) {}
  void TestBody() override {
    ADD_FAILURE() << Join(files_, " and ")
                  << " have the same test name once escaped; rename all but one";
  }

 private:
  std::vector<std::string> files_;
};

bool IsTestFile(const fs::path& path) {
  const std::string name = path.filename().string();
  return EndsWith(name, ".test") || EndsWith(name, ".test_slow");
}

// (name, file) of every test file under the roots.
std::vector<std::pair<std::string, std::string>> FindTests(const std::vector<std::string>& roots) {
  std::vector<std::pair<std::string, std::string>> tests;
  for (const std::string& root : roots) {
    if (root.empty()) continue;
    std::error_code error;
    if (fs::is_regular_file(root, error)) {
      tests.emplace_back(fs::path(root).filename().string(), root);
      continue;
    }
    for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
         it.increment(error)) {
      if (!it->is_regular_file() || !IsTestFile(it->path())) continue;
      tests.emplace_back(fs::relative(it->path(), root).generic_string(), it->path().string());
    }
  }
  std::sort(tests.begin(), tests.end());
  return tests;
}

bool RegisterScripts() {
  const char* listed = std::getenv("SLUICE_PIPELINE_TESTS");
  const std::vector<std::string> roots =
      listed != nullptr ? Split(listed, ':') : std::vector<std::string>{SLUICE_PIPELINE_TEST_DIR};
  std::map<std::string, std::vector<std::string>> files_by_name;
  for (const auto& [path, file] : FindTests(roots)) {
    files_by_name[EscapedTestName(path)].push_back(file);
  }
  for (const auto& [name, files] : files_by_name) {
    if (files.size() > 1) {
      ::testing::RegisterTest(
          "PipelineScript", name.c_str(), nullptr, nullptr, files.front().c_str(), 1,
          [files = files]() -> ::testing::Test* { return new NameCollisionTest(files); });
      continue;
    }
    ::testing::RegisterTest(
        "PipelineScript", name.c_str(), nullptr, nullptr, files.front().c_str(), 1,
        [file = files.front()]() -> ::testing::Test* { return new PipelineScriptTest(file); });
  }
  return true;
}

[[maybe_unused]] const bool registered = RegisterScripts();

}  // namespace
}  // namespace sluice::testing
