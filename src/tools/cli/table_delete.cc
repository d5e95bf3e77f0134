// sluice table delete PATH --where SQL [--format F]
// Deletes the matching rows (--where true deletes all) and prints the commit: version
// (NULL when no row matched), rows deleted and copied, files removed and added.
#include <memory>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct DeleteOptions {
  std::string path;
  std::string where;
  std::string format;
};

int RunDelete(const DeleteOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  Result<DeleteResult> result = session->Delete(options.path, options.where);
  if (!result.ok()) return Fail(result.status());
  Rows rows;
  rows.column_names = {"version", "rows_deleted", "rows_copied", "files_removed", "files_added"};
  rows.column_types = {"BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT"};
  rows.rows.push_back({result->version < 0 ? Cell{} : Cell{result->version},
                       Cell{result->rows_deleted}, Cell{result->rows_copied},
                       Cell{result->files_removed}, Cell{result->files_added}});
  Print(rows, options.format);
  return kExitOk;
}

}  // namespace

void AddTableDelete(CLI::App& table, Runner* run) {
  auto options = std::make_shared<DeleteOptions>();
  CLI::App* command = table.add_subcommand("delete", "Delete the rows matching a condition");
  command->add_option("path", options->path, "Table directory (holds _delta_log/)")->required();
  command
      ->add_option("--where", options->where,
                   "SQL condition selecting the rows to delete (\"true\" for all)")
      ->required();
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunDelete(*options); }; });
}

}  // namespace sluice::cli
