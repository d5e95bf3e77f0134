// Runs one declarative pipeline test file (docs/testing.md) in a fresh folder.
#pragma once

#include <string>
#include <vector>

namespace sluice::testing {

// The failures found, each "file:line: what went wrong"; empty when the test passed.
std::vector<std::string> RunPipelineScript(const std::string& path, const std::string& work_dir);

}  // namespace sluice::testing
