#include "runtime/project.h"

#include <algorithm>

#include "common/strings.h"

namespace sluice::runtime {

Result<spec::PipelineSettings> LoadProject(io::FileSystem& fs, const std::string& path,
                                           const std::vector<std::string>& conf_overrides) {
  SLUICE_ASSIGN_OR_RETURN(std::string file, spec::FindSettingsFile(fs, path));
  SLUICE_ASSIGN_OR_RETURN(spec::PipelineSettings settings, spec::LoadSettings(fs, file));
  SLUICE_RETURN_IF_ERROR(spec::ApplyConfigurationOverrides(settings, conf_overrides));
  return settings;
}

bool HasSettingsFile(io::FileSystem& fs, const std::string& dir) {
  for (const std::string& name : spec::SettingsFileNames()) {
    if (fs.Exists(dir + "/" + name)) return true;
  }
  return false;
}

namespace {

// Adds the settings files in `dir` and in the folders under it, `depth` levels down; a
// folder with a settings file is a project, whose subfolders are not searched.
void CollectProjects(io::FileSystem& fs, const std::string& dir, int depth,
                     std::vector<std::string>* out) {
  for (const std::string& name : spec::SettingsFileNames()) {
    if (fs.Exists(dir + "/" + name)) {
      out->push_back(dir + "/" + name);
      return;
    }
  }
  if (depth <= 0) return;
  auto entries = fs.ListDirectory(dir);
  if (!entries.ok()) return;
  for (const io::FileInfo& entry : *entries) {
    if (!entry.is_directory || entry.name.empty() || entry.name[0] == '.') continue;
    if (entry.name == "node_modules") continue;
    CollectProjects(fs, dir + "/" + entry.name, depth - 1, out);
  }
}

}  // namespace

Result<std::vector<std::string>> FindProjects(io::FileSystem& fs, const std::string& path,
                                              int depth) {
  std::string dir = path;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::vector<std::string> out;
  auto info = fs.Stat(dir);
  if (info.ok() && info->is_directory) CollectProjects(fs, dir, depth, &out);
  if (out.empty()) {
    // A settings file, or a folder inside a project.
    auto found = spec::FindSettingsFile(fs, dir);
    if (found.ok()) return std::vector<std::string>{*found};
    if (found.status().code() != StatusCode::kNotFound) return found.status();
    return NotFound("no pipeline settings file (" + Join(spec::SettingsFileNames(), ", ") +
                    ") in " + path + ", the folders under it or its parents");
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sluice::runtime
