// sluice table write PATH SQL [--mode append|overwrite|error|ignore] [--partition-by a,b]
//                             [--merge-schema] [--overwrite-schema] [--property k=v]...
//                             [--format F]
// Writes the rows of a DuckDB query into the table, creating it if needed, and prints the
// commit: version (NULL when nothing was committed), rows, files added and removed.
#include <memory>
#include <string>
#include <vector>

#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct WriteOptions {
  std::string path;
  std::string sql;
  std::string mode = "append";
  std::vector<std::string> partition_by;
  bool merge_schema = false;
  bool overwrite_schema = false;
  std::vector<std::string> properties;  // "key=value"
  std::string format;
};

WriteRequest::Mode ToMode(const std::string& mode) {
  if (mode == "overwrite") return WriteRequest::Mode::kOverwrite;
  if (mode == "error") return WriteRequest::Mode::kErrorIfExists;
  if (mode == "ignore") return WriteRequest::Mode::kIgnore;
  return WriteRequest::Mode::kAppend;
}

Cell VersionCell(int64_t version) { return version < 0 ? Cell{} : Cell{version}; }

int RunWrite(const WriteOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  WriteRequest request;
  request.mode = ToMode(options.mode);
  request.partition_by = options.partition_by;
  request.merge_schema = options.merge_schema;
  request.overwrite_schema = options.overwrite_schema;
  for (const std::string& property : options.properties) {
    size_t equals = property.find('=');
    request.properties[property.substr(0, equals)] = property.substr(equals + 1);
  }
  Result<WriteResult> result = session->Write(options.path, options.sql, request);
  if (!result.ok()) return Fail(result.status());
  Rows rows;
  rows.column_names = {"version", "rows", "files_added", "files_removed"};
  rows.column_types = {"BIGINT", "BIGINT", "BIGINT", "BIGINT"};
  rows.rows.push_back({VersionCell(result->version), Cell{result->rows}, Cell{result->files_added},
                       Cell{result->files_removed}});
  Print(rows, options.format);
  return kExitOk;
}

}  // namespace

void AddTableWrite(CLI::App& table, Runner* run) {
  auto options = std::make_shared<WriteOptions>();
  CLI::App* command =
      table.add_subcommand("write", "Write the rows of a query, creating the table if needed");
  command->add_option("path", options->path, "Table directory")->required();
  command
      ->add_option("sql", options->sql,
                   "DuckDB query giving the rows, e.g. "
                   "\"SELECT * FROM read_csv('x.csv')\"")
      ->required();
  command
      ->add_option("--mode", options->mode,
                   "append, overwrite, error (if the table exists) "
                   "or ignore (do nothing if it exists)")
      ->check(CLI::IsMember({"append", "overwrite", "error", "ignore"}))
      ->capture_default_str();
  command->add_option("--partition-by", options->partition_by, "Partition columns of a new table")
      ->delimiter(',');
  command->add_flag("--merge-schema", options->merge_schema,
                    "Add the query's columns the table lacks");
  command->add_flag("--overwrite-schema", options->overwrite_schema,
                    "With --mode overwrite: replace the schema with the query's");
  command
      ->add_option("--property", options->properties,
                   "Table property of a new table, key=value (repeatable)")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            size_t equals = value.find('=');
            if (equals == std::string::npos || equals == 0) return "expected key=value";
            return "";
          },
          "KEY=VALUE"));
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunWrite(*options); }; });
}

}  // namespace sluice::cli
