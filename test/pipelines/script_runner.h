// Runs one declarative pipeline test file (docs/testing.md) through the public
// sluice::Pipeline API.
#pragma once

#include <string>
#include <vector>

namespace sluice::testing {

struct ScriptFailure {
  int line = 0;  // of the record or assertion in the test file; 0 for the whole file
  std::string message;
};

// Runs the records of the test file `path` in order in `work_dir` (an empty folder that
// becomes the pipeline project) and returns every failed assertion; empty when it passed.
std::vector<ScriptFailure> RunPipelineScript(const std::string& path, const std::string& work_dir);

}  // namespace sluice::testing
