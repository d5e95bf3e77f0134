// sluice table describe PATH [--version N | --timestamp T] [--format F]
//
// table: "key: value" lines (identity, protocol, size, properties), a blank line, then the
// columns; csv: the columns only; json: one object with every field and the columns.
#include <iostream>
#include <memory>
#include <utility>
#include <vector>

#include "common/time_format.h"
#include "tools/cli/command.h"

namespace sluice::cli {
namespace {

struct DescribeOptions {
  std::string path;
  std::optional<int64_t> version;
  std::optional<std::string> timestamp;
  std::string format;
};

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string JsonStrings(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + JsonString(values[i]);
  return out + "]";
}

void PrintText(const TableDescription& table) {
  std::vector<std::pair<std::string, std::string>> lines = {
      {"path", table.path}, {"version", std::to_string(table.version)}, {"id", table.id}};
  if (table.name) lines.emplace_back("name", *table.name);
  if (table.description) lines.emplace_back("description", *table.description);
  if (table.created_time_ms)
    lines.emplace_back("created", FormatTimestampMillis(table.created_time_ms));
  lines.emplace_back("last commit", FormatTimestampMillis(table.last_commit_ms));
  std::string protocol = "reader " + std::to_string(table.min_reader_version) + ", writer " +
                         std::to_string(table.min_writer_version);
  if (!table.reader_features.empty())
    protocol += "; reader features: " + JoinNames(table.reader_features);
  if (!table.writer_features.empty())
    protocol += "; writer features: " + JoinNames(table.writer_features);
  lines.emplace_back("protocol", protocol);
  lines.emplace_back("partition columns",
                     table.partition_columns.empty() ? "none" : JoinNames(table.partition_columns));
  lines.emplace_back("files", std::to_string(table.num_files));
  lines.emplace_back("size", std::to_string(table.size_bytes) + " bytes");
  lines.emplace_back("records",
                     table.num_records < 0 ? "unknown" : std::to_string(table.num_records));
  for (const auto& [key, value] : table.properties) lines.emplace_back("property " + key, value);

  size_t width = 0;
  for (const auto& line : lines) width = std::max(width, line.first.size());
  for (const auto& [key, value] : lines) {
    std::cout << key << ":" << std::string(width - key.size() + 1, ' ') << value << "\n";
  }
  std::cout << "\n" << RenderTable(table.columns);
}

void PrintJson(const TableDescription& table) {
  auto optional = [](const std::optional<std::string>& value) {
    return value ? JsonString(*value) : std::string("null");
  };
  std::string properties = "{";
  for (const auto& [key, value] : table.properties) {
    properties += (properties.size() > 1 ? "," : "") + JsonString(key) + ":" + JsonString(value);
  }
  properties += "}";
  // Newlines in the rendering separate rows only (strings escape theirs).
  std::string columns;
  for (char c : RenderJson(table.columns)) {
    if (c != '\n') columns += c;
  }
  std::cout << "{\"path\":" << JsonString(table.path) << ",\"version\":" << table.version
            << ",\"id\":" << JsonString(table.id) << ",\"name\":" << optional(table.name)
            << ",\"description\":" << optional(table.description)
            << ",\"createdTime\":" << table.created_time_ms
            << ",\"lastCommitTime\":" << table.last_commit_ms
            << ",\"minReaderVersion\":" << table.min_reader_version
            << ",\"minWriterVersion\":" << table.min_writer_version
            << ",\"readerFeatures\":" << JsonStrings(table.reader_features)
            << ",\"writerFeatures\":" << JsonStrings(table.writer_features)
            << ",\"partitionColumns\":" << JsonStrings(table.partition_columns)
            << ",\"properties\":" << properties << ",\"numFiles\":" << table.num_files
            << ",\"sizeInBytes\":" << table.size_bytes << ",\"numRecords\":"
            << (table.num_records < 0 ? std::string("null") : std::to_string(table.num_records))
            << ",\"schemaString\":" << JsonString(table.schema_json) << ",\"columns\":" << columns
            << "}\n";
}

int RunDescribe(const DescribeOptions& options) {
  std::unique_ptr<Session> session = OpenSession();
  if (!session) return kExitFailure;
  Result<TableDescription> table =
      session->Describe(options.path, TableVersion{options.version, options.timestamp});
  if (!table.ok()) return Fail(table.status());
  if (options.format == "json") {
    PrintJson(*table);
  } else if (options.format == "csv") {
    Print(table->columns, "csv");
  } else {
    PrintText(*table);
  }
  std::cout.flush();
  return kExitOk;
}

}  // namespace

void AddTableDescribe(CLI::App& table, Runner* run) {
  auto options = std::make_shared<DescribeOptions>();
  CLI::App* command =
      table.add_subcommand("describe", "Show the table's schema, protocol, properties and size");
  command->add_option("path", options->path, "Table directory (holds _delta_log/)")->required();
  AddVersionOptions(*command, &options->version, &options->timestamp);
  AddFormatOption(*command, &options->format);
  command->callback([options, run] { *run = [options] { return RunDescribe(*options); }; });
}

}  // namespace sluice::cli
