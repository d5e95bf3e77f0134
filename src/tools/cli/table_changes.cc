// sluice table changes PATH --from N [--to M] [--format F]
// Prints the Change Data Feed between two versions (inclusive): the table's columns plus
// _change_type, _commit_version and _commit_timestamp.
#include <memory>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct ChangesOptions {
  std::string path;
  int64_t from = 0;
  std::optional<int64_t> to;
  std::string format;
};

int RunChanges(const ChangesOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  Result<Rows> rows = session->Changes(options.path, options.from, options.to);
  if (!rows.ok()) return Fail(rows.status());
  Print(*rows, options.format);
  return kExitOk;
}

}  // namespace

void AddTableChanges(CLI::App& table, Runner* run) {
  auto options = std::make_shared<ChangesOptions>();
  CLI::App* command =
      table.add_subcommand("changes", "Print the Change Data Feed between two versions");
  command->add_option("path", options->path, "Table directory (holds _delta_log/)")->required();
  command->add_option("--from", options->from, "First version")
      ->required()
      ->check(CLI::NonNegativeNumber);
  command->add_option("--to", options->to, "Last version (default: the latest)")
      ->check(CLI::NonNegativeNumber);
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunChanges(*options); }; });
}

}  // namespace sluice::cli
