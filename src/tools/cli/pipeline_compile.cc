// sluice compile [PATH]: the pipeline SQL the Python sources compile to.
#include <iostream>

#include "tools/cli/command.h"

namespace sluice::cli {

void AddCompile(CLI::App& app, Runner* run) {
  auto arguments = std::make_shared<PipelineArguments>();
  CLI::App* command = app.add_subcommand(
      "compile", "Print the pipeline SQL that the pipeline's Python files compile to");
  AddPipelineArguments(*command, arguments.get());
  command->callback([arguments, run] {
    *run = [arguments] {
      int code = kExitOk;
      std::unique_ptr<Pipeline> pipeline = OpenPipeline(*arguments, &code);
      if (!pipeline) return code;
      auto compiled = pipeline->Compile();
      if (!compiled.ok()) return DefinitionError(compiled.status());
      for (const auto& [file, text] : *compiled) {
        std::cout << "-- " << file << "\n" << text << "\n";
      }
      PrintDefinitionWarnings(*pipeline);
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
