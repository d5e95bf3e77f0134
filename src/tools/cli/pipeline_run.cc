// sluice run [PATH] [--full-refresh-all | --full-refresh a,b] [--refresh a,b]
//            [--reset-checkpoint f] [--continuous] [--conf k=v]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct RunArguments {
  PipelineArguments pipeline;
  bool full_refresh_all = false;
  std::vector<std::string> full_refresh;
  std::vector<std::string> refresh;
  std::vector<std::string> reset_checkpoint;
  bool continuous = false;
};

std::string Thousands(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string Seconds(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2f s", seconds);
  return buffer;
}

// Terminal output: colors unless NO_COLOR is set, and one progress line rewritten in place.
class Console {
 public:
  Console() {
    terminal_ = isatty(STDOUT_FILENO) != 0;
    const char* no_color = std::getenv("NO_COLOR");
    color_ = terminal_ && (no_color == nullptr || no_color[0] == '\0');
  }
  std::string Paint(const std::string& text, const std::string& state) const {
    if (!color_) return text;
    const char* code = state == "COMPLETED"                        ? "32"
                       : state == "FAILED"                         ? "31"
                       : state == "SKIPPED" || state == "EXCLUDED" ? "33"
                                                                   : "36";
    return std::string("\033[") + code + "m" + text + "\033[0m";
  }
  void Line(const std::string& text) {
    ClearProgress();
    std::cout << text << "\n" << std::flush;
  }
  void Progress(const std::string& text) {
    if (!terminal_) return;
    std::cout << "\r\033[K" << text << std::flush;
    progress_shown_ = true;
  }
  void ClearProgress() {
    if (progress_shown_) std::cout << "\r\033[K";
    progress_shown_ = false;
  }

 private:
  bool terminal_ = false;
  bool color_ = false;
  bool progress_shown_ = false;
};

int RunUpdate(const RunArguments& arguments) {
  if (arguments.full_refresh_all &&
      (!arguments.full_refresh.empty() || !arguments.refresh.empty())) {
    std::cerr << "error: --full-refresh-all cannot be combined with --full-refresh or --refresh\n";
    return kExitUsage;
  }
  int code = kExitOk;
  std::unique_ptr<Pipeline> pipeline = OpenPipeline(arguments.pipeline, &code);
  if (!pipeline) return code;
  auto graph = pipeline->Graph();
  if (!graph.ok()) return DefinitionError(graph.status());
  const size_t total = graph->flows.size();

  Console console;
  std::map<std::string, std::string> states;
  RunOptions options;
  options.full_refresh_all = arguments.full_refresh_all;
  options.full_refresh = arguments.full_refresh;
  options.refresh = arguments.refresh;
  options.reset_checkpoint = arguments.reset_checkpoint;
  if (arguments.continuous) options.continuous = true;
  options.handle_signals = true;
  options.on_progress = [&](const ProgressEvent& event) {
    if (event.kind == ProgressEvent::Kind::kUpdate) {
      console.Line("Update " + event.update_id.substr(0, 8) + " " +
                   console.Paint(event.state, event.state));
      return;
    }
    states[event.flow] = event.state;
    if (event.state == "QUEUED" || event.state == "STARTING") {
      // Shown on the progress line only.
    } else {
      std::ostringstream line;
      char name[64];
      std::snprintf(name, sizeof(name), "  flow %-28s ", event.flow.c_str());
      line << name << console.Paint(event.state, event.state);
      if (event.state == "COMPLETED" || event.state == "IDLE") {
        line << "  " << Thousands(event.output_rows) << " rows  " << Seconds(event.seconds);
      }
      console.Line(line.str());
      if (event.state == "FAILED" && !event.message.empty()) console.Line(event.message);
    }
    size_t done = 0;
    std::vector<std::string> running;
    for (const auto& [flow, state] : states) {
      if (state == "RUNNING" || state == "STARTING") running.push_back(flow);
      if (state == "COMPLETED" || state == "FAILED" || state == "SKIPPED" || state == "EXCLUDED" ||
          state == "IDLE") {
        ++done;
      }
    }
    std::string progress = "[" + std::to_string(done) + "/" + std::to_string(total) + " flows]";
    if (!running.empty()) {
      progress += " running:";
      for (const std::string& flow : running) progress += " " + flow;
    }
    console.Progress(progress);
  };
  auto report = pipeline->Run(options);
  console.ClearProgress();
  PrintDefinitionWarnings(*pipeline);
  if (!report.ok()) return DefinitionError(report.status());

  int completed = 0, failed = 0, skipped = 0;
  int64_t rows = 0;
  std::vector<std::string> expectations;
  for (const FlowReport& flow : report->flows) {
    if (flow.state == "COMPLETED" || flow.state == "IDLE") ++completed;
    if (flow.state == "FAILED") ++failed;
    if (flow.state == "SKIPPED") ++skipped;
    rows += flow.output_rows;
    for (const ExpectationReport& e : flow.expectations) {
      if (e.failed_records == 0) continue;
      expectations.push_back(e.name + " " + (e.action == "drop" ? "dropped " : "warned ") +
                             Thousands(e.failed_records));
    }
  }
  std::string summary = "Update " + report->update_id.substr(0, 8) + " " + report->state + " in " +
                        Seconds(report->seconds) + ": " + std::to_string(completed) +
                        " flows completed, " + std::to_string(failed) + " failed, " +
                        std::to_string(skipped) + " skipped; " + Thousands(rows) + " rows written";
  if (!expectations.empty()) {
    summary += "; expectations: ";
    for (size_t i = 0; i < expectations.size(); ++i) summary += (i ? ", " : "") + expectations[i];
  }
  std::cout << console.Paint(summary, report->state) << "\n";
  const bool ok = report->state == "COMPLETED" || (report->state == "CANCELED" && failed == 0);
  return ok ? kExitOk : kExitFailure;
}

std::vector<std::string> SplitList(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    std::stringstream stream(item);
    std::string part;
    while (std::getline(stream, part, ',')) {
      if (!part.empty()) out.push_back(part);
    }
  }
  return out;
}

}  // namespace

void AddRun(CLI::App& app, Runner* run) {
  auto arguments = std::make_shared<RunArguments>();
  CLI::App* command = app.add_subcommand("run", "Run an update of the pipeline");
  AddPipelineArguments(*command, &arguments->pipeline);
  command->add_flag("--full-refresh-all", arguments->full_refresh_all,
                    "Reset every table and its checkpoints, then recompute everything");
  command->add_option("--full-refresh", arguments->full_refresh,
                      "Reset and recompute these tables (comma-separated)");
  command->add_option("--refresh", arguments->refresh,
                      "Refresh only these tables (comma-separated); others are EXCLUDED");
  command->add_option("--reset-checkpoint", arguments->reset_checkpoint,
                      "Drop these streaming flows' checkpoints (comma-separated), keep their rows");
  command->add_flag("--continuous", arguments->continuous,
                    "Keep updating every pipelines.trigger.interval until Ctrl-C / SIGTERM");
  command->callback([arguments, run] {
    *run = [arguments] {
      RunArguments split = *arguments;
      split.full_refresh = SplitList(arguments->full_refresh);
      split.refresh = SplitList(arguments->refresh);
      split.reset_checkpoint = SplitList(arguments->reset_checkpoint);
      return RunUpdate(split);
    };
  });
}

}  // namespace sluice::cli
