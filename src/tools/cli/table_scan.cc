// sluice table scan PATH [--version N | --timestamp T] [--columns a,b] [--where SQL]
//                        [--limit N] [--format F]
//
// In table format a last line says how many rows were shown and how many of the
// snapshot's files were read after data skipping.
#include <iostream>
#include <memory>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct ScanOptions {
  std::string path;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  std::vector<std::string> columns;
  std::string where;
  std::optional<int64_t> limit;
  std::string format;
};

int RunScan(const ScanOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  ScanRequest request;
  request.at = TableVersion{options.version, options.timestamp};
  request.columns = options.columns;
  request.where = options.where;
  request.limit = options.limit;
  Result<ScanResult> scan = session->Scan(options.path, request);
  if (!scan.ok()) return Fail(scan.status());
  Print(scan->rows, options.format);
  if (options.format == "table") {
    size_t count = scan->rows.rows.size();
    std::cout << count << (count == 1 ? " row" : " rows") << " (read " << scan->files_read << " of "
              << scan->files_in_snapshot << " files)\n";
  }
  return kExitOk;
}

}  // namespace

void AddTableScan(CLI::App& table, Runner* run) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* command = table.add_subcommand("scan", "Print the table's rows");
  command->add_option("path", options->path, "Table directory (holds _delta_log/)")->required();
  AddVersionOptions(*command, &options->version, &options->timestamp);
  command->add_option("--columns", options->columns, "Columns to print, in this order")
      ->delimiter(',');
  command->add_option("--where", options->where,
                      "SQL condition over the table's columns (DuckDB dialect)");
  command->add_option("--limit", options->limit, "Print at most N rows")
      ->check(CLI::NonNegativeNumber);
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunScan(*options); }; });
}

}  // namespace sluice::cli
