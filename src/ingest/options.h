// The options of a file source, as read_files(path, name => value, ...) and
// cloud_files(path, format, map(...)) give them: names are matched ignoring case and an
// optional "cloudFiles." prefix, so Databricks' spellings work unchanged
// (docs/auto-loader.md lists every option with its default).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice::ingest {

enum class FileFormat { kJson, kCsv, kParquet, kText };
enum class EvolutionMode { kAddNewColumns, kRescue, kFailOnNewColumns, kNone };
enum class ParseMode { kPermissive, kDropMalformed, kFailFast };

// Which entry point named the source: read_files infers column types by default,
// Auto Loader (cloud_files, cloudFiles.format) reads JSON and CSV columns as strings.
enum class SourceSyntax { kReadFiles, kCloudFiles };

struct SourceOptions {
  std::optional<FileFormat> format;  // unset: told by the files' extensions

  // Parsing.
  bool multi_line = false;
  bool header = false;
  std::string delimiter = ",";
  char quote = '"';
  char escape = '\\';
  char comment = '\0';
  std::string encoding = "UTF-8";
  std::string null_value;
  std::string date_format;       // Spark pattern; empty = ISO
  std::string timestamp_format;  // Spark pattern; empty = ISO
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;
  std::string line_sep;  // text format; empty = \n, \r\n or \r
  bool whole_text = false;

  // Schema.
  std::string schema;  // a declared schema in DDL ("id BIGINT, name STRING"); empty = infer
  bool infer_column_types = true;
  std::string schema_hints;  // DDL of columns whose types are pinned
  std::optional<EvolutionMode> evolution_mode;
  std::optional<std::string> rescued_data_column;  // set explicitly ("" = none)
  std::string corrupt_record_column = "_corrupt_record";
  ParseMode mode = ParseMode::kPermissive;
  std::optional<std::vector<std::string>> partition_columns;  // unset: from the folders
  // Schema inference samples files in order until this many files or bytes are read.
  int64_t sample_files = 1000;
  int64_t sample_bytes = 16LL << 20;

  // Streaming.
  int64_t max_files_per_trigger = 1000;
  std::optional<int64_t> max_bytes_per_trigger;
  bool include_existing_files = true;
  bool allow_overwrites = false;

  // The evolution mode in effect: the option, else addNewColumns when the schema is
  // inferred and none when it is declared.
  EvolutionMode EffectiveEvolutionMode() const;
  // The rescued data column's name, or "" when there is none: the option when set, else
  // "_rescued_data" when the schema is inferred.
  std::string RescuedColumn() const;
};

// Parses `options` (names as written, values unquoted). `path` names the source in errors:
// an unknown option or a bad value is InvalidArgument naming both, with a suggestion for a
// misspelled name.
Result<SourceOptions> ParseSourceOptions(const std::map<std::string, std::string>& options,
                                         SourceSyntax syntax, const std::string& path);

// "json", "csv", "parquet", "text".
std::string FormatName(FileFormat format);
std::string EvolutionModeName(EvolutionMode mode);

// The format a file's name implies (".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".txt",
// ".parquet", each optionally followed by ".gz", ".zst" or ".zstd"), if any.
std::optional<FileFormat> FormatOfFileName(const std::string& path);

// Spark's byte strings: "1048576", "10k", "512m", "10g" (binary units, any case; "b",
// "kb", "mb", "gb", "tb" too).
std::optional<int64_t> ParseByteSize(const std::string& text);

}  // namespace sluice::ingest
