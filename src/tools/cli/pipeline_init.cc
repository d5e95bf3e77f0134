// sluice init DIR: a new pipeline project with example sources and input.
#include <iostream>

#include "tools/cli/command.h"

namespace sluice::cli {

void AddInit(CLI::App& app, Runner* run) {
  auto dir = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("init", "Create a new pipeline project in DIR");
  command->add_option("dir", *dir, "The folder to create the project in")->required();
  command->callback([dir, run] {
    *run = [dir] {
      Status status = InitPipeline(*dir);
      if (!status.ok()) return DefinitionError(status);
      std::cout << "Created a pipeline in " << *dir << ":\n"
                << "  pipeline.yml                 settings\n"
                << "  transformations/orders.sql   bronze, silver and gold datasets\n"
                << "  data/orders/                 sample input\n"
                << "Next:\n"
                << "  cd " << *dir << "\n"
                << "  sluice run\n"
                << "  sluice query \"SELECT * FROM orders_by_status\"\n";
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
