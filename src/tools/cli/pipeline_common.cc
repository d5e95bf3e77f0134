// Shared by the pipeline subcommands.
#include <iostream>

#include "common/strings.h"
#include "tools/cli/command.h"

namespace sluice::cli {

void AddPipelineArguments(CLI::App& command, PipelineArguments* arguments, bool with_conf) {
  command.add_option("path", arguments->path,
                     "Pipeline folder or settings file (default: the current folder; parents "
                     "are searched)");
  if (with_conf) {
    command.add_option("--conf", arguments->conf, "Override a configuration value: key=value")
        ->take_all();
  }
}

int DefinitionError(const Status& status) {
  std::cerr << "error: " << RedactSecrets(status.message()) << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kNotSupported:
    case StatusCode::kAlreadyExists:
      return kExitUsage;
    default:
      return kExitFailure;
  }
}

std::unique_ptr<Pipeline> OpenPipeline(const PipelineArguments& arguments, int* exit_code) {
  PipelineOptions options;
  options.conf_overrides = arguments.conf;
  auto pipeline = Pipeline::Open(arguments.path, options);
  if (!pipeline.ok()) {
    *exit_code = DefinitionError(pipeline.status());
    return nullptr;
  }
  for (const std::string& warning : (*pipeline)->warnings()) {
    std::cerr << "warning: " << warning << "\n";
  }
  return std::move(*pipeline);
}

void PrintDefinitionWarnings(const Pipeline& pipeline) {
  // The settings file's warnings (they name it first) were printed when it was opened.
  for (const std::string& warning : pipeline.warnings()) {
    if (warning.rfind(pipeline.settings_file(), 0) == 0) continue;
    std::cerr << "warning: " << warning << "\n";
  }
}

}  // namespace sluice::cli
