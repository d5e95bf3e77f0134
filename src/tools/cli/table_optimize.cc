// sluice table optimize PATH [--where SQL] [--target-size BYTES] [--format F]
// Compacts small files and prints the commit: version (NULL when nothing needed
// compaction), files and bytes removed and added.
#include <memory>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct OptimizeOptions {
  std::string path;
  std::string where;
  std::optional<int64_t> target_size;
  std::string format;
};

int RunOptimize(const OptimizeOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  Result<OptimizeResult> result =
      session->Optimize(options.path, options.where, options.target_size);
  if (!result.ok()) return Fail(result.status());
  Rows rows;
  rows.column_names = {"version", "files_removed", "files_added", "bytes_removed", "bytes_added"};
  rows.column_types = {"BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT"};
  rows.rows.push_back({result->version < 0 ? Cell{} : Cell{result->version},
                       Cell{result->files_removed}, Cell{result->files_added},
                       Cell{result->bytes_removed}, Cell{result->bytes_added}});
  Print(rows, options.format);
  return kExitOk;
}

}  // namespace

void AddTableOptimize(CLI::App& table, Runner* run) {
  auto options = std::make_shared<OptimizeOptions>();
  CLI::App* command = table.add_subcommand("optimize", "Compact small files into larger ones");
  command->add_option("path", options->path, "Table directory (holds _delta_log/)")->required();
  command->add_option("--where", options->where,
                      "Only partitions matching this SQL condition over partition columns");
  command
      ->add_option("--target-size", options->target_size,
                   "Target file size in bytes (default: delta.targetFileSize or 128 MiB)")
      ->check(CLI::PositiveNumber);
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunOptimize(*options); }; });
}

}  // namespace sluice::cli
