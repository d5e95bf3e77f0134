// sluice: the command line. Pipelines: `sluice init|validate|run|graph|compile|query|events|ui`;
// Delta tables: `sluice table <subcommand> PATH ...` (docs/cli.md). Exit codes: 0 success, 1
// failure, 2 usage.
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "tools/cli/command.h"

int main(int argc, char** argv) {
  using namespace sluice::cli;
  CLI::App app{"sluice: local Delta tables and pipelines on an embedded DuckDB", "sluice"};
  app.set_version_flag("--version",
                       "sluice " + sluice::Version() + " (DuckDB " + sluice::EngineVersion() + ")",
                       "Print the versions of sluice and DuckDB and exit");
  app.require_subcommand(1);

  CLI::App* table = app.add_subcommand("table", "Inspect and change a Delta table");
  table->require_subcommand(1);
  Runner run;
  AddTableHistory(*table, &run);
  AddTableDescribe(*table, &run);
  AddTableScan(*table, &run);
  AddTableWrite(*table, &run);
  AddTableDelete(*table, &run);
  AddTableOptimize(*table, &run);
  AddTableVacuum(*table, &run);
  AddTableChanges(*table, &run);

  AddInit(app, &run);
  AddValidate(app, &run);
  AddRun(app, &run);
  AddGraph(app, &run);
  AddCompile(app, &run);
  AddQuery(app, &run);
  AddEvents(app, &run);
  AddUi(app, &run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!run) return kExitUsage;
  return run();
}
