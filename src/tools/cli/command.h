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
