// sluice table optimize PATH [--where SQL] [--target-size BYTES] [--format F]
// sluice table reorg PATH --apply-purge [--where SQL] [--format F]
// Compacts small files (or, with reorg, rewrites the files with deletion vectors) and
// prints the commit: version (NULL when nothing needed it), files and bytes removed and
// added.
#include <memory>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct OptimizeOptions {
  std::string path;
  std::string where;
  std::optional<int64_t> target_size;
  bool purge = false;
  std::string format;
};

int RunOptimize(const OptimizeOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  Result<OptimizeResult> result =
      options.purge ? session->ReorgPurge(options.path, options.where)
                    : session->Optimize(options.path, options.where, options.target_size);
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

  auto reorg_options = std::make_shared<OptimizeOptions>();
  CLI::App* reorg = table.add_subcommand(
      "reorg", "REORG TABLE ... APPLY (PURGE): rewrite the files with deletion vectors");
  reorg->add_option("path", reorg_options->path, "Table directory (holds _delta_log/)")->required();
  reorg
      ->add_flag("--apply-purge", reorg_options->purge,
                 "Rewrite the files with deletion vectors (the only REORG there is)")
      ->required();
  reorg->add_option("--where", reorg_options->where,
                    "Only partitions matching this SQL condition over partition columns");
  AddFormatOption(*reorg, &reorg_options->format);
  reorg->callback(
      [reorg_options, run] { *run = [reorg_options] { return RunOptimize(*reorg_options); }; });
}

}  // namespace sluice::cli
