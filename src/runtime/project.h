// Finding and loading a pipeline project for the public API.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "io/file_system.h"
#include "spec/settings.h"

namespace sluice::runtime {

// The settings of the project at `path` (a folder, searched upwards, or a settings file)
// with `--conf` overrides applied.
Result<spec::PipelineSettings> LoadProject(io::FileSystem& fs, const std::string& path,
                                           const std::vector<std::string>& conf_overrides);

// Whether `dir` already holds a settings file.
bool HasSettingsFile(io::FileSystem& fs, const std::string& dir);

// The settings files of the projects at `path` (sluice::FindPipelines).
Result<std::vector<std::string>> FindProjects(io::FileSystem& fs, const std::string& path,
                                              int depth);

}  // namespace sluice::runtime
