// sluice init DIR: a new pipeline project with example sources and input.
#include <iostream>

#include "tools/cli/command.h"

namespace sluice::cli {

void AddInit(CLI::App& app, Runner* run) {
  auto dir = std::make_shared<std::string>();
  auto options = std::make_shared<InitOptions>();
  CLI::App* command = app.add_subcommand("init", "Create a new pipeline project in DIR");
  command->add_option("dir", *dir, "The folder to create the project in")->required();
  command->add_flag("--python", options->python,
                    "Write the datasets in Python (dlt and PySpark) instead of SQL");
  command->callback([dir, options, run] {
    *run = [dir, options] {
      Status status = InitPipeline(*dir, *options);
      if (!status.ok()) return DefinitionError(status);
      std::cout << "Created a pipeline in " << *dir << ":\n"
                << "  pipeline.yml                 settings\n"
                << (options->python
                        ? "  transformations/orders.py    bronze, silver and gold datasets\n"
                        : "  transformations/orders.sql   bronze, silver and gold datasets\n")
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
