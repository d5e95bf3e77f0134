// What every subcommand shares: how it registers itself, reports errors and prints.
//
// A subcommand file adds its CLI11 subcommand and options to `table` and, when the
// subcommand is chosen, leaves the work to do in `*run`; main() runs it after parsing, so
// that a usage error never does half the work. `run` returns the process exit code.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "common/status.h"
#include "sluice/pipeline.h"
#include "sluice/table.h"
#include "tools/cli/output.h"

namespace sluice::cli {

// Exit codes: 0 success, 1 the operation failed, 2 the command line is wrong.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

using Runner = std::function<int()>;

void AddTableHistory(CLI::App& table, Runner* run);
void AddTableDescribe(CLI::App& table, Runner* run);
void AddTableScan(CLI::App& table, Runner* run);
void AddTableWrite(CLI::App& table, Runner* run);
void AddTableDelete(CLI::App& table, Runner* run);
void AddTableOptimize(CLI::App& table, Runner* run);
void AddTableVacuum(CLI::App& table, Runner* run);
void AddTableChanges(CLI::App& table, Runner* run);

void AddInit(CLI::App& app, Runner* run);
void AddValidate(CLI::App& app, Runner* run);
void AddRun(CLI::App& app, Runner* run);
void AddGraph(CLI::App& app, Runner* run);
void AddCompile(CLI::App& app, Runner* run);
void AddQuery(CLI::App& app, Runner* run);
void AddEvents(CLI::App& app, Runner* run);
void AddUi(CLI::App& app, Runner* run);

// What pipeline commands share: the project path (default: the current folder) and
// --conf overrides.
struct PipelineArguments {
  std::string path = ".";
  std::vector<std::string> conf;
};
void AddPipelineArguments(CLI::App& command, PipelineArguments* arguments, bool with_conf = true);

// Opens the pipeline; on failure prints the error and sets *exit_code (2 for a missing or
// invalid settings file).
std::unique_ptr<Pipeline> OpenPipeline(const PipelineArguments& arguments, int* exit_code);
// Prints the warnings the pipeline found in its definitions (after Run or Validate read
// them), those OpenPipeline has not printed.
void PrintDefinitionWarnings(const Pipeline& pipeline);

// The exit code for a pipeline definition or usage error: 2, or 1 for failures that are
// not the user's input (I/O, corruption, internal).
int DefinitionError(const Status& status);

// Adds --format (table, csv or json; default table) bound to `*format`.
CLI::Option* AddFormatOption(CLI::App& command, std::string* format);

// Adds --version N and --timestamp T (mutually exclusive) for time travel.
void AddVersionOptions(CLI::App& command, std::optional<int64_t>* version,
                       std::optional<std::string>* timestamp);

// Prints "error: <message>" to stderr and returns kExitFailure.
int Fail(const Status& status);

// A session with DuckDB's default threads; null after printing the error.
std::unique_ptr<Session> OpenSession();

// Writes `rows` to stdout in `format` (a name ParseFormat accepts).
void Print(const Rows& rows, const std::string& format);

}  // namespace sluice::cli
