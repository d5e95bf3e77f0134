// sluice events [PATH] [--update latest|ID] [--type T] [--limit N] [--format F]
#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct EventsArguments {
  PipelineArguments pipeline;
  EventQuery query;
  std::string format;
};

}  // namespace

void AddEvents(CLI::App& app, Runner* run) {
  auto arguments = std::make_shared<EventsArguments>();
  CLI::App* command = app.add_subcommand("events", "Show the pipeline's event log");
  AddPipelineArguments(*command, &arguments->pipeline, false);
  command->add_option("--update", arguments->query.update, "latest, or an update id");
  command->add_option("--type", arguments->query.type, "Only events of this event_type");
  command->add_option("--limit", arguments->query.limit, "Show at most N events");
  AddFormatOption(*command, &arguments->format);
  command->callback([arguments, run] {
    *run = [arguments] {
      int code = kExitOk;
      std::unique_ptr<Pipeline> pipeline = OpenPipeline(arguments->pipeline, &code);
      if (!pipeline) return code;
      auto rows = pipeline->Events(arguments->query);
      if (!rows.ok()) return Fail(rows.status());
      Rows shown = *rows;
      if (arguments->format != "json") {
        // timestamp, event_type, level, message
        for (auto& row : shown.rows) row.resize(4);
        shown.column_names.resize(4);
        shown.column_types.resize(4);
      }
      Print(shown, arguments->format);
      return kExitOk;
    };
  });
}

}  // namespace sluice::cli
