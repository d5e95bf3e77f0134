#include "ingest/options.h"

#include <charconv>
#include <functional>

#include "common/strings.h"

namespace sluice::ingest {
namespace {

using Setter = std::function<Status(SourceOptions&, const std::string& value)>;

std::optional<bool> ParseBool(const std::string& value) {
  if (EqualsIgnoreCase(value, "true")) return true;
  if (EqualsIgnoreCase(value, "false")) return false;
  return std::nullopt;
}

// A single character option ("" = none); Spark accepts "\t" and "\u0001" spelled out.
std::optional<char> ParseChar(const std::string& value) {
  if (value.empty()) return '\0';
  if (value.size() == 1) return value[0];
  if (value == "\\t") return '\t';
  if (value == "\\0") return '\0';
  if (value.size() == 6 && StartsWith(value, "\\u")) {
    int code = 0;
    const char* end = value.data() + value.size();
    auto [ptr, error] = std::from_chars(value.data() + 2, end, code, 16);
    if (error == std::errc() && ptr == end && code < 128) return static_cast<char>(code);
  }
  return std::nullopt;
}

std::string Unescape(const std::string& value) {
  if (value == "\\t") return "\t";
  if (value == "\\n") return "\n";
  if (value == "\\r\\n") return "\r\n";
  return value;
}

Status Bad(const std::string& path, const std::string& name, const std::string& value,
           const std::string& expected) {
  return InvalidArgument("read_files('" + path + "'): option " + name + " = '" + value +
                         "' is not valid; expected " + expected);
}

// Setters for options of one kind, writing the field `member` points to.
Setter BoolOption(bool SourceOptions::*member) {
  return [member](SourceOptions& o, const std::string& v) -> Status {
    auto b = ParseBool(v);
    if (!b) return InvalidArgument("true or false");
    o.*member = *b;
    return Status::OK();
  };
}
Setter CharOption(char SourceOptions::*member) {
  return [member](SourceOptions& o, const std::string& v) -> Status {
    auto c = ParseChar(v);
    if (!c) return InvalidArgument("one character");
    o.*member = *c;
    return Status::OK();
  };
}
Setter TextOption(std::string SourceOptions::*member, bool unescape = false) {
  return [member, unescape](SourceOptions& o, const std::string& v) -> Status {
    o.*member = unescape ? Unescape(v) : v;
    return Status::OK();
  };
}
Setter CountOption(int64_t SourceOptions::*member, const char* expected) {
  return [member, expected](SourceOptions& o, const std::string& v) -> Status {
    auto n = ParseInt64(v);
    if (!n || *n < 1) return InvalidArgument(expected);
    o.*member = *n;
    return Status::OK();
  };
}
Setter ByteSizeOption(int64_t SourceOptions::*member) {
  return [member](SourceOptions& o, const std::string& v) -> Status {
    auto n = ParseByteSize(v);
    if (!n || *n < 1) return InvalidArgument("a byte size such as 10g, 512m or 1048576");
    o.*member = *n;
    return Status::OK();
  };
}

// Options with their setters; keys are lowercase without the cloudFiles. prefix.
const std::map<std::string, Setter>& Setters() {
  static const auto* setters = new std::map<std::string, Setter>{
      {"format",
       [](SourceOptions& o, const std::string& v) -> Status {
         const std::string f = ToLower(v);
         if (f == "json")
           o.format = FileFormat::kJson;
         else if (f == "csv")
           o.format = FileFormat::kCsv;
         else if (f == "parquet")
           o.format = FileFormat::kParquet;
         else if (f == "text")
           o.format = FileFormat::kText;
         else
           return InvalidArgument("json, csv, parquet or text");
         return Status::OK();
       }},
      {"multiline", BoolOption(&SourceOptions::multi_line)},
      {"header", BoolOption(&SourceOptions::header)},
      {"sep",
       [](SourceOptions& o, const std::string& v) -> Status {
         if (v.empty()) return InvalidArgument("a non-empty separator");
         o.delimiter = Unescape(v);
         return Status::OK();
       }},
      {"quote", CharOption(&SourceOptions::quote)},
      {"escape", CharOption(&SourceOptions::escape)},
      {"comment", CharOption(&SourceOptions::comment)},
      {"encoding", TextOption(&SourceOptions::encoding)},
      {"nullvalue", TextOption(&SourceOptions::null_value)},
      {"dateformat", TextOption(&SourceOptions::date_format)},
      {"timestampformat", TextOption(&SourceOptions::timestamp_format)},
      {"ignoreleadingwhitespace", BoolOption(&SourceOptions::ignore_leading_white_space)},
      {"ignoretrailingwhitespace", BoolOption(&SourceOptions::ignore_trailing_white_space)},
      {"linesep", TextOption(&SourceOptions::line_sep, /*unescape=*/true)},
      {"wholetext", BoolOption(&SourceOptions::whole_text)},
      {"schema", TextOption(&SourceOptions::schema)},
      {"infercolumntypes", BoolOption(&SourceOptions::infer_column_types)},
      {"schemahints", TextOption(&SourceOptions::schema_hints)},
      {"schemaevolutionmode",
       [](SourceOptions& o, const std::string& v) -> Status {
         const std::string m = ToLower(v);
         if (m == "addnewcolumns")
           o.evolution_mode = EvolutionMode::kAddNewColumns;
         else if (m == "rescue")
           o.evolution_mode = EvolutionMode::kRescue;
         else if (m == "failonnewcolumns")
           o.evolution_mode = EvolutionMode::kFailOnNewColumns;
         else if (m == "none")
           o.evolution_mode = EvolutionMode::kNone;
         else
           return InvalidArgument("addNewColumns, rescue, failOnNewColumns or none");
         return Status::OK();
       }},
      {"rescueddatacolumn",
       [](SourceOptions& o, const std::string& v) -> Status {
         o.rescued_data_column = v;
         return Status::OK();
       }},
      {"columnnameofcorruptrecord",
       [](SourceOptions& o, const std::string& v) -> Status {
         if (v.empty()) return InvalidArgument("a column name");
         o.corrupt_record_column = v;
         return Status::OK();
       }},
      {"mode",
       [](SourceOptions& o, const std::string& v) -> Status {
         const std::string m = ToUpper(v);
         if (m == "PERMISSIVE")
           o.mode = ParseMode::kPermissive;
         else if (m == "DROPMALFORMED")
           o.mode = ParseMode::kDropMalformed;
         else if (m == "FAILFAST")
           o.mode = ParseMode::kFailFast;
         else
           return InvalidArgument("PERMISSIVE, DROPMALFORMED or FAILFAST");
         return Status::OK();
       }},
      {"partitioncolumns",
       [](SourceOptions& o, const std::string& v) -> Status {
         std::vector<std::string> columns;
         for (const std::string& part : Split(v, ',')) {
           if (!Trim(part).empty()) columns.push_back(Trim(part));
         }
         o.partition_columns = std::move(columns);
         return Status::OK();
       }},
      {"schemainference.samplesize.numfiles",
       CountOption(&SourceOptions::sample_files, "a positive number of files")},
      {"schemainference.samplesize.numbytes", ByteSizeOption(&SourceOptions::sample_bytes)},
      {"maxfilespertrigger",
       CountOption(&SourceOptions::max_files_per_trigger, "a positive number of files")},
      {"maxbytespertrigger",
       [](SourceOptions& o, const std::string& v) -> Status {
         auto n = ParseByteSize(v);
         if (!n || *n < 1) return InvalidArgument("a byte size such as 10g, 512m or 1048576");
         o.max_bytes_per_trigger = *n;
         return Status::OK();
       }},
      {"includeexistingfiles", BoolOption(&SourceOptions::include_existing_files)},
      {"allowoverwrites", BoolOption(&SourceOptions::allow_overwrites)},
  };
  return *setters;
}

// Other spellings of the same options.
const std::map<std::string, std::string>& Aliases() {
  static const auto* aliases = new std::map<std::string, std::string>{
      {"delimiter", "sep"},
      {"charset", "encoding"},
      {"inferschema", "infercolumntypes"},
      {"multi_line", "multiline"},
  };
  return *aliases;
}

// Options of Databricks' cloud services that have no meaning on one machine: accepted so
// that pipelines port unchanged, and without effect (docs/auto-loader.md).
bool IsCloudOnly(const std::string& key) {
  static const char* const kCloudOnly[] = {
      "schemalocation",
      "usenotifications",
      "useincrementallisting",
      "backfillinterval",
      "usemanagedfileevents",
      "validateoptions",
      "region",
      "queueurl",
      "cleansource",
      "maxfileage",
      "fetchparallelism",
      "resourcetag",
      "uselistingforevents",
  };
  for (const char* name : kCloudOnly) {
    if (key == name) return true;
  }
  return false;
}

}  // namespace

EvolutionMode SourceOptions::EffectiveEvolutionMode() const {
  if (evolution_mode) return *evolution_mode;
  return schema.empty() ? EvolutionMode::kAddNewColumns : EvolutionMode::kNone;
}

std::string SourceOptions::RescuedColumn() const {
  if (rescued_data_column) return *rescued_data_column;
  if (!schema.empty()) return "";
  return "_rescued_data";
}

Result<SourceOptions> ParseSourceOptions(const std::map<std::string, std::string>& options,
                                         SourceSyntax syntax, const std::string& path) {
  SourceOptions parsed;
  parsed.infer_column_types = syntax == SourceSyntax::kReadFiles;
  std::vector<std::string> known;
  for (const auto& [key, setter] : Setters()) known.push_back(key);
  for (const auto& [name, value] : options) {
    std::string key = ToLower(name);
    if (StartsWith(key, "cloudfiles.")) key = key.substr(11);
    if (auto alias = Aliases().find(key); alias != Aliases().end()) key = alias->second;
    auto setter = Setters().find(key);
    if (setter == Setters().end()) {
      if (IsCloudOnly(key)) continue;
      std::string message = "read_files('" + path + "'): unknown option '" + name + "'";
      const std::string nearest = NearestName(key, known);
      if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
      return InvalidArgument(message);
    }
    Status status = setter->second(parsed, value);
    if (!status.ok()) return Bad(path, name, value, status.message());
  }
  if (parsed.escape != '\0' && parsed.escape == parsed.quote && parsed.quote == '\0') {
    parsed.escape = '\0';
  }
  return parsed;
}

std::string FormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kJson:
      return "json";
    case FileFormat::kCsv:
      return "csv";
    case FileFormat::kParquet:
      return "parquet";
    case FileFormat::kText:
      return "text";
  }
  return "";
}

std::string EvolutionModeName(EvolutionMode mode) {
  switch (mode) {
    case EvolutionMode::kAddNewColumns:
      return "addNewColumns";
    case EvolutionMode::kRescue:
      return "rescue";
    case EvolutionMode::kFailOnNewColumns:
      return "failOnNewColumns";
    case EvolutionMode::kNone:
      return "none";
  }
  return "";
}

std::optional<FileFormat> FormatOfFileName(const std::string& path) {
  std::string name = ToLower(path);
  for (const char* suffix : {".gz", ".zst", ".zstd"}) {
    if (EndsWith(name, suffix)) {
      name.resize(name.size() - std::string_view(suffix).size());
      break;
    }
  }
  if (EndsWith(name, ".json") || EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson")) {
    return FileFormat::kJson;
  }
  if (EndsWith(name, ".csv") || EndsWith(name, ".tsv")) return FileFormat::kCsv;
  if (EndsWith(name, ".parquet")) return FileFormat::kParquet;
  if (EndsWith(name, ".txt") || EndsWith(name, ".log")) return FileFormat::kText;
  return std::nullopt;
}

std::optional<int64_t> ParseByteSize(const std::string& text) {
  const std::string lower = ToLower(Trim(text));
  size_t digits = 0;
  while (digits < lower.size() && lower[digits] >= '0' && lower[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  auto number = ParseInt64(lower.substr(0, digits));
  if (!number) return std::nullopt;
  const std::string unit = lower.substr(digits);
  int shift = 0;
  if (unit.empty() || unit == "b")
    shift = 0;
  else if (unit == "k" || unit == "kb")
    shift = 10;
  else if (unit == "m" || unit == "mb")
    shift = 20;
  else if (unit == "g" || unit == "gb")
    shift = 30;
  else if (unit == "t" || unit == "tb")
    shift = 40;
  else
    return std::nullopt;
  if (*number > (INT64_MAX >> shift)) return std::nullopt;
  return *number << shift;
}

}  // namespace sluice::ingest
