// sluice validate [PATH] [--conf k=v]: parse, check the graph and bind every query.
#include <iostream>

#include "tools/cli/command.h"

namespace sluice::cli {

void AddValidate(CLI::App& app, Runner* run) {
  auto arguments = std::make_shared<PipelineArguments>();
  CLI::App* command = app.add_subcommand(
      "validate", "Check the pipeline's settings, SQL and graph without reading or writing data");
  AddPipelineArguments(*command, arguments.get());
  command->callback([arguments, run] {
    *run = [arguments] {
      int code = kExitOk;
      std::unique_ptr<Pipeline> pipeline = OpenPipeline(*arguments, &code);
      if (!pipeline) return code;
      auto graph = pipeline->Validate();
      PrintDefinitionWarnings(*pipeline);
      if (!graph.ok()) return DefinitionError(graph.status());
      std::cout << "Pipeline '" << pipeline->name() << "' is valid: " << graph->datasets.size()
                << " datasets, " << graph->flows.size() << " flows\n";
      for (const DatasetInfo& dataset : graph->datasets) {
        std::cout << "  " << dataset.type << " " << dataset.name << "  (" << dataset.file << ":"
                  << dataset.line << ")\n";
        for (const std::string& expectation : dataset.expectations) {
          std::cout << "    expect " << expectation << "\n";
        }
      }
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
