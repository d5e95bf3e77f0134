// sluice query [PATH] "SQL" [--format F]: SQL over the pipeline's datasets and event_log.
#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct QueryArguments {
  PipelineArguments pipeline;
  std::vector<std::string> positional;
  std::string format;
};

}  // namespace

void AddQuery(CLI::App& app, Runner* run) {
  auto arguments = std::make_shared<QueryArguments>();
  CLI::App* command = app.add_subcommand(
      "query", "Run SQL over the pipeline's datasets (by name), event_log and time travel");
  command->add_option("args", arguments->positional, "[PATH] \"SQL\"")->required()->expected(1, 2);
  command->add_option("--conf", arguments->pipeline.conf, "Override a configuration value")
      ->take_all();
  AddFormatOption(*command, &arguments->format);
  command->callback([arguments, run] {
    *run = [arguments] {
      PipelineArguments pipeline_arguments = arguments->pipeline;
      const std::vector<std::string>& args = arguments->positional;
      if (args.size() == 2) pipeline_arguments.path = args[0];
      const std::string sql = args.back();
      int code = kExitOk;
      std::unique_ptr<Pipeline> pipeline = OpenPipeline(pipeline_arguments, &code);
      if (!pipeline) return code;
      auto rows = pipeline->Query(sql);
      if (!rows.ok()) return Fail(rows.status());
      Print(*rows, arguments->format);
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
