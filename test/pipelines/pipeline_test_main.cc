// pipeline_test FILE.test: runs one declarative pipeline test; exit 0 when it passes.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "script_runner.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pipeline_test FILE.test\n");
    return 2;
  }
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("sluice_pipeline_test_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto failures = sluice::testing::RunPipelineScript(argv[1], dir.string());
  std::filesystem::remove_all(dir);
  for (const std::string& failure : failures) std::fprintf(stderr, "%s\n", failure.c_str());
  if (failures.empty()) std::printf("%s: passed\n", argv[1]);
  return failures.empty() ? 0 : 1;
}
