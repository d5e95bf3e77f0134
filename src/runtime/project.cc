#include "runtime/project.h"

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

}  // namespace sluice::runtime
