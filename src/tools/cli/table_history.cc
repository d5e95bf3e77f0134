// sluice table history PATH [--limit N] [--format F]
#include <memory>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct HistoryOptions {
  std::string path;
  std::optional<int64_t> limit;
  std::string format;
};

int RunHistory(const HistoryOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  Result<Rows> rows = session->History(options.path, options.limit);
  if (!rows.ok()) return Fail(rows.status());
  Print(*rows, options.format);
  return kExitOk;
}

}  // namespace

void AddTableHistory(CLI::App& table, Runner* run) {
  auto options = std::make_shared<HistoryOptions>();
  CLI::App* command = table.add_subcommand("history", "List the table's commits, newest first");
  command->add_option("path", options->path, "Table directory (holds _delta_log/)")->required();
  command->add_option("--limit", options->limit, "Show at most N commits")
      ->check(CLI::NonNegativeNumber);
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunHistory(*options); }; });
}

}  // namespace sluice::cli
