// sluice table vacuum PATH [--retain HOURS] [--dry-run] [--force] [--format F]
// Deletes data files no version within the retention references, and prints them (one
// `path` column); in table format a last line gives their count and size.
#include <iostream>
#include <memory>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct VacuumOptions {
  std::string path;
  std::optional<double> retain_hours;
  bool dry_run = false;
  bool force = false;
  std::string format;
};

int RunVacuum(const VacuumOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  Result<VacuumResult> result =
      session->Vacuum(options.path, options.retain_hours, options.dry_run, options.force);
  if (!result.ok()) return Fail(result.status());
  Rows rows;
  rows.column_names = {"path"};
  rows.column_types = {"VARCHAR"};
  for (const std::string& file : result->files) rows.rows.push_back({Cell{file}});
  Print(rows, options.format);
  if (options.format == "table") {
    std::cout << result->files.size() << (result->files.size() == 1 ? " file, " : " files, ")
              << result->bytes << " bytes " << (result->dry_run ? "would be deleted" : "deleted")
              << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddTableVacuum(CLI::App& table, Runner* run) {
  auto options = std::make_shared<VacuumOptions>();
  CLI::App* command =
      table.add_subcommand("vacuum", "Delete data files that no recent version references");
  command->add_option("path", options->path, "Table directory (holds _delta_log/)")->required();
  command
      ->add_option("--retain", options->retain_hours,
                   "Keep files needed by versions of the last HOURS hours (default: "
                   "delta.deletedFileRetentionDuration, 7 days)")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--dry-run", options->dry_run, "List the files without deleting them");
  command->add_flag("--force", options->force,
                    "Allow a retention shorter than the table's deletedFileRetentionDuration");
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunVacuum(*options); }; });
}

}  // namespace sluice::cli
