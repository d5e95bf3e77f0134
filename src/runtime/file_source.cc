#include "runtime/file_source.h"

#include <fnmatch.h>

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"
#include "engine/table_source.h"
#include "ingest/ddl.h"
#include "ingest/schema_inference.h"
#include "runtime/file_tree.h"

namespace sluice::runtime {
namespace {

// "a{b,c}d{e,f}" -> abde, abdf, acde, acdf (nested braces too).
std::vector<std::string> ExpandBraces(const std::string& pattern) {
  const size_t open = pattern.find('{');
  if (open == std::string::npos) return {pattern};
  int depth = 0;
  size_t close = std::string::npos;
  std::vector<size_t> commas;
  for (size_t i = open; i < pattern.size(); ++i) {
    if (pattern[i] == '{') ++depth;
    if (pattern[i] == '}' && --depth == 0) {
      close = i;
      break;
    }
    if (pattern[i] == ',' && depth == 1) commas.push_back(i);
  }
  if (close == std::string::npos) return {pattern};
  std::vector<std::string> out;
  size_t start = open + 1;
  commas.push_back(close);
  for (size_t comma : commas) {
    const std::string alternative = pattern.substr(start, comma - start);
    for (std::string& expanded :
         ExpandBraces(pattern.substr(0, open) + alternative + pattern.substr(close + 1))) {
      out.push_back(std::move(expanded));
    }
    start = comma + 1;
  }
  return out;
}

// Hive partition folders' escapes: %XX.
std::string UnescapePartitionValue(const std::string& value) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '%' && i + 2 < value.size() && std::isxdigit(value[i + 1]) &&
        std::isxdigit(value[i + 2])) {
      out += static_cast<char>(std::stoi(value.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += value[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> PartitionValues(const std::string& root,
                                                                 const std::string& file) {
  std::vector<std::pair<std::string, std::string>> values;
  if (!StartsWith(file, root + "/")) return values;
  const std::vector<std::string> parts = Split(file.substr(root.size() + 1), '/');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    const size_t equals = parts[i].find('=');
    if (equals == std::string::npos || equals == 0) continue;
    values.emplace_back(parts[i].substr(0, equals),
                        UnescapePartitionValue(parts[i].substr(equals + 1)));
  }
  return values;
}

std::string SchemaPath(const std::string& dir, int64_t version) {
  return dir + "/_schemas/" + std::to_string(version) + ".json";
}

std::string EncodeStoredSchema(const std::string& key, const StoredSchema& stored) {
  nlohmann::ordered_json doc;
  doc["source"] = key;
  doc["version"] = stored.version;
  doc["schema"] = nlohmann::ordered_json::parse(delta::SerializeSchema(stored.schema));
  std::vector<delta::StructField> partitions;
  for (size_t p = 0; p < stored.partition_columns.size(); ++p) {
    delta::StructField field;
    field.name = stored.partition_columns[p];
    field.type = stored.partition_types[p];
    partitions.push_back(std::move(field));
  }
  doc["partition_schema"] =
      nlohmann::ordered_json::parse(delta::SerializeSchema(delta::Schema(std::move(partitions))));
  return doc.dump() + "\n";
}

std::string FileListLiteral(const std::vector<ingest::InputFile>& files) {
  std::vector<std::string> quoted;
  quoted.reserve(files.size());
  for (const ingest::InputFile& file : files) quoted.push_back(QuoteLiteral(file.path));
  return "[" + Join(quoted, ", ") + "]";
}

// Parquet files through DuckDB's reader, conformed to the stored schema: a column whose
// type differs is cast, and values that do not cast are rescued; columns the schema lacks
// follow the evolution mode (addNewColumns returns them in `new_fields` and no SQL).
Result<std::string> ParquetSql(engine::Connection& connection, const PlannedFileRead& plan,
                               bool with_metadata, std::vector<delta::StructField>* new_fields) {
  const std::vector<delta::StructField>& columns = plan.schema.schema.fields();
  const std::vector<std::string>& partitions = plan.schema.partition_columns;
  std::vector<std::string> items;
  if (plan.files.empty()) {
    for (const delta::StructField& field : columns) {
      items.push_back("CAST(NULL AS " + delta::ToDuckDbType(*field.type) + ") AS " +
                      QuoteIdentifier(field.name));
    }
    if (!plan.rescued_column.empty()) {
      items.push_back("CAST(NULL AS VARCHAR) AS " + QuoteIdentifier(plan.rescued_column));
    }
    for (size_t p = 0; p < partitions.size(); ++p) {
      items.push_back("CAST(NULL AS " + delta::ToDuckDbType(*plan.schema.partition_types[p]) +
                      ") AS " + QuoteIdentifier(partitions[p]));
    }
    if (with_metadata) {
      items.push_back(
          "struct_pack(file_path := ''::VARCHAR, file_name := ''::VARCHAR, file_size := 0::BIGINT, "
          "file_block_start := 0::BIGINT, file_block_length := 0::BIGINT, "
          "file_modification_time := NULL::TIMESTAMPTZ) AS _metadata");
    }
    return "SELECT " + Join(items, ", ") + " WHERE false";
  }
  const std::string reader =
      "read_parquet(" + FileListLiteral(plan.files) + ", union_by_name = true, filename = true)";
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                          connection.Query("DESCRIBE SELECT * FROM " + reader));
  std::map<std::string, std::pair<std::string, std::string>> present;  // lower -> name, type
  for (size_t row = 0; row < described.row_count(); ++row) {
    const std::string name = described.at(row, 0).ToString();
    if (name == "filename") continue;
    present[ToLower(name)] = {name, described.at(row, 1).ToString()};
  }
  const ingest::EvolutionMode mode = plan.options.EffectiveEvolutionMode();
  std::vector<std::string> rescue_entries;
  std::vector<std::string> rescue_conditions;
  std::set<std::string> known;
  for (const delta::StructField& field : columns) known.insert(ToLower(field.name));
  for (const std::string& p : partitions) known.insert(ToLower(p));
  for (const auto& [lower, name_type] : present) {
    if (known.count(lower)) continue;
    const auto& [name, type] = name_type;
    if (mode == ingest::EvolutionMode::kAddNewColumns) {
      delta::StructField field;
      field.name = name;
      SLUICE_ASSIGN_OR_RETURN(field.type, delta::FromDuckDbType(type));
      new_fields->push_back(std::move(field));
    } else if (mode == ingest::EvolutionMode::kFailOnNewColumns) {
      return InvalidArgument("new column '" + name +
                             "' in the Parquet files of this batch (the "
                             "first is " +
                             plan.files.front().path +
                             ") is not in the schema and schemaEvolutionMode is "
                             "failOnNewColumns; add it with schemaHints or change the mode");
    } else if (mode == ingest::EvolutionMode::kRescue || plan.options.rescued_data_column) {
      const std::string column = "__data." + QuoteIdentifier(name);
      rescue_conditions.push_back(column + " IS NOT NULL");
      rescue_entries.push_back("{'k': " + QuoteLiteral(name) + ", 'v': CASE WHEN " + column +
                               " IS NOT NULL THEN to_json(" + column + ") END}");
    }
  }
  if (!new_fields->empty()) return std::string();
  for (const delta::StructField& field : columns) {
    const std::string type = delta::ToDuckDbType(*field.type);
    auto it = present.find(ToLower(field.name));
    if (it == present.end()) {
      items.push_back("CAST(NULL AS " + type + ") AS " + QuoteIdentifier(field.name));
      continue;
    }
    const std::string column = "__data." + QuoteIdentifier(it->second.first);
    if (EqualsIgnoreCase(it->second.second, type)) {
      items.push_back(column + " AS " + QuoteIdentifier(field.name));
      continue;
    }
    const std::string cast = "TRY_CAST(" + column + " AS " + type + ")";
    const std::string misfit = column + " IS NOT NULL AND " + cast + " IS NULL";
    items.push_back(cast + " AS " + QuoteIdentifier(field.name));
    rescue_conditions.push_back(misfit);
    rescue_entries.push_back("{'k': " + QuoteLiteral(it->second.first) + ", 'v': CASE WHEN " +
                             misfit + " THEN to_json(" + column + ") END}");
  }
  if (!plan.rescued_column.empty()) {
    std::string rescued = "CAST(NULL AS VARCHAR)";
    if (!rescue_entries.empty()) {
      rescue_entries.push_back("{'k': '_file_path', 'v': to_json(__data.filename)}");
      rescued = "CASE WHEN " + Join(rescue_conditions, " OR ") +
                " THEN CAST(to_json(map_from_entries(list_filter([" + Join(rescue_entries, ", ") +
                "], e -> e.v IS NOT NULL))) AS VARCHAR) END";
    }
    items.push_back(rescued + " AS " + QuoteIdentifier(plan.rescued_column));
  }
  // Partition values and file metadata come from a table of the batch's files.
  std::vector<std::string> rows;
  for (const ingest::InputFile& file : plan.files) {
    std::vector<std::string> values = {QuoteLiteral(file.path), std::to_string(file.size),
                                       std::to_string(file.modification_time_ms)};
    for (const std::string& p : partitions) {
      std::string value = "NULL";
      for (const auto& [key, v] : file.partition_values) {
        if (key == p && v != "__HIVE_DEFAULT_PARTITION__") value = QuoteLiteral(v);
      }
      values.push_back("CAST(" + value + " AS VARCHAR)");
    }
    rows.push_back("(" + Join(values, ", ") + ")");
  }
  std::vector<std::string> file_columns = {"path", "size", "mtime"};
  for (size_t p = 0; p < partitions.size(); ++p) {
    file_columns.push_back("p" + std::to_string(p));
    const std::string value = "__files.p" + std::to_string(p);
    const delta::DataTypePtr& type = plan.schema.partition_types[p];
    items.push_back((type->kind() == delta::TypeKind::kString
                         ? value
                         : "TRY_CAST(" + value + " AS " + delta::ToDuckDbType(*type) + ")") +
                    " AS " + QuoteIdentifier(partitions[p]));
  }
  if (with_metadata) {
    items.push_back(
        "struct_pack(file_path := __files.path, file_name := regexp_extract(__files.path, "
        "'[^/]*$'), file_size := __files.size, file_block_start := 0::BIGINT, "
        "file_block_length := __files.size, file_modification_time := "
        "make_timestamp(__files.mtime * 1000)::TIMESTAMPTZ) AS _metadata");
  }
  if (partitions.empty() && !with_metadata) {
    // Nothing comes from the table of files: the reader alone is cheaper than a join, and
    // without the file names (rescued data names the file) cheaper still.
    const std::string plain =
        rescue_entries.empty()
            ? "read_parquet(" + FileListLiteral(plan.files) + ", union_by_name = true)"
            : reader;
    return "SELECT " + Join(items, ", ") + " FROM " + plain + " AS __data";
  }
  return "SELECT " + Join(items, ", ") + " FROM " + reader + " AS __data JOIN (VALUES " +
         Join(rows, ", ") + ") AS __files(" + Join(file_columns, ", ") +
         ") ON __data.filename = __files.path";
}

}  // namespace

bool IsGlob(const std::string& path) { return path.find_first_of("*?[{") != std::string::npos; }

Result<std::vector<ingest::InputFile>> ListSourceFiles(io::FileSystem& fs,
                                                       const std::string& path) {
  std::string root = path;
  std::vector<std::string> patterns;
  if (IsGlob(path)) {
    const size_t glob = path.find_first_of("*?[{");
    const size_t slash = path.rfind('/', glob);
    root = slash == std::string::npos ? "." : path.substr(0, slash);
    patterns = ExpandBraces(path);
  }
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> listing, ListFilesRecursively(fs, root));
  std::vector<ingest::InputFile> files;
  for (io::FileInfo& info : listing) {
    if (!patterns.empty()) {
      // The glob may name the file or any folder above it.
      bool matched = false;
      std::string candidate = info.name;
      while (!matched && candidate.size() > root.size()) {
        for (const std::string& pattern : patterns) {
          if (fnmatch(pattern.c_str(), candidate.c_str(), FNM_PATHNAME) == 0) {
            matched = true;
            break;
          }
        }
        const size_t slash = candidate.rfind('/');
        if (slash == std::string::npos) break;
        candidate.resize(slash);
      }
      if (!matched) continue;
    }
    ingest::InputFile file;
    file.path = std::move(info.name);
    file.size = static_cast<int64_t>(info.size);
    file.modification_time_ms = info.modification_time_ms;
    file.partition_values = PartitionValues(root, file.path);
    files.push_back(std::move(file));
  }
  return files;
}

Result<std::optional<StoredSchema>> LoadStoredSchema(io::FileSystem& fs,
                                                     const std::string& checkpoint_dir,
                                                     const std::string& key) {
  const std::string dir = checkpoint_dir + "/_schemas";
  std::optional<StoredSchema> latest;
  if (!fs.Exists(dir)) return latest;
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(dir));
  for (const io::FileInfo& entry : entries) {
    if (!EndsWith(entry.name, ".json")) continue;
    const std::string path = dir + "/" + entry.name;
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.contains("source") || !doc.contains("schema") ||
        !doc.contains("version")) {
      return Corruption(path +
                        ": invalid stored schema (reset the flow's checkpoint to infer "
                        "the schema again)");
    }
    if (doc["source"] != key) continue;
    const int64_t version = doc["version"].get<int64_t>();
    if (latest && latest->version > version) continue;
    auto schema = delta::ParseSchema(doc["schema"].dump());
    if (!schema.ok()) return Corruption(path + ": " + schema.status().message());
    StoredSchema stored;
    stored.version = version;
    stored.schema = std::move(*schema);
    if (doc.contains("partition_schema")) {
      auto partitions = delta::ParseSchema(doc["partition_schema"].dump());
      if (!partitions.ok()) return Corruption(path + ": " + partitions.status().message());
      for (const delta::StructField& field : partitions->fields()) {
        stored.partition_columns.push_back(field.name);
        stored.partition_types.push_back(field.type);
      }
    }
    latest = std::move(stored);
  }
  return latest;
}

Status SaveStoredSchema(io::FileSystem& fs, const std::string& checkpoint_dir,
                        const std::string& key, const StoredSchema& stored) {
  SLUICE_RETURN_IF_ERROR(fs.CreateDirectories(checkpoint_dir + "/_schemas"));
  // Versions are numbered across the flow's sources, so find a free number at or after
  // the one asked for.
  for (int64_t version = stored.version;; ++version) {
    StoredSchema numbered = stored;
    numbered.version = version;
    Status put =
        fs.PutIfAbsent(SchemaPath(checkpoint_dir, version), EncodeStoredSchema(key, numbered));
    if (put.ok() || put.code() != StatusCode::kAlreadyExists) return put;
    SLUICE_ASSIGN_OR_RETURN(std::string existing, fs.ReadFile(SchemaPath(checkpoint_dir, version)));
    if (existing == EncodeStoredSchema(key, numbered)) return Status::OK();
  }
}

std::vector<delta::DataTypePtr> PartitionTypes(const std::vector<std::string>& columns,
                                               const std::vector<ingest::InputFile>& files,
                                               const ingest::SourceOptions& options) {
  std::vector<delta::DataTypePtr> types;
  for (const std::string& column : columns) {
    std::vector<std::string> values;
    for (const ingest::InputFile& file : files) {
      for (const auto& [key, value] : file.partition_values) {
        if (key == column && value != "__HIVE_DEFAULT_PARTITION__") values.push_back(value);
      }
    }
    types.push_back(ingest::InferPartitionType(values, options.infer_column_types));
  }
  return types;
}

Result<StoredSchema> InferSourceSchema(io::FileSystem& fs, engine::Connection& connection,
                                       ingest::FileFormat format,
                                       const ingest::SourceOptions& options,
                                       const std::vector<ingest::InputFile>& files) {
  StoredSchema stored;
  if (options.partition_columns) {
    stored.partition_columns = *options.partition_columns;
  } else if (!files.empty()) {
    for (const auto& [key, value] : files.front().partition_values) {
      stored.partition_columns.push_back(key);
    }
  }
  delta::Schema schema;
  if (!options.schema.empty()) {
    SLUICE_ASSIGN_OR_RETURN(schema, ingest::SchemaFromDdl(options.schema, "schema"));
  } else if (format == ingest::FileFormat::kParquet) {
    std::vector<ingest::InputFile> sample(
        files.begin(), files.begin() + std::min<size_t>(files.size(), options.sample_files));
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                            connection.Query("DESCRIBE SELECT * FROM read_parquet(" +
                                             FileListLiteral(sample) + ", union_by_name = true)"));
    std::vector<delta::StructField> fields;
    for (size_t row = 0; row < described.row_count(); ++row) {
      delta::StructField field;
      field.name = described.at(row, 0).ToString();
      SLUICE_ASSIGN_OR_RETURN(field.type, delta::FromDuckDbType(described.at(row, 1).ToString()));
      fields.push_back(std::move(field));
    }
    schema = delta::Schema(std::move(fields));
  } else {
    SLUICE_ASSIGN_OR_RETURN(schema, ingest::InferFileSchema(fs, format, options, files));
  }
  if (!options.schema_hints.empty()) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<ingest::DdlColumn> hints,
                            ingest::ParseDdlColumns(options.schema_hints, "schemaHints"));
    SLUICE_ASSIGN_OR_RETURN(schema, ingest::ApplyHints(schema, hints));
  }
  std::vector<delta::StructField> data;
  for (const delta::StructField& field : schema.fields()) {
    const bool is_partition =
        std::any_of(stored.partition_columns.begin(), stored.partition_columns.end(),
                    [&](const std::string& p) { return EqualsIgnoreCase(p, field.name); });
    if (!is_partition) data.push_back(field);
  }
  stored.schema = delta::Schema(std::move(data));
  return stored;
}

std::vector<ingest::InputFile> TakeBatch(std::vector<ingest::InputFile> candidates,
                                         const ingest::SourceOptions& options, Backlog* backlog) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const ingest::InputFile& a, const ingest::InputFile& b) {
                     return a.modification_time_ms < b.modification_time_ms;
                   });
  std::vector<ingest::InputFile> batch;
  int64_t bytes = 0;
  size_t i = 0;
  for (; i < candidates.size(); ++i) {
    if (static_cast<int64_t>(batch.size()) >= options.max_files_per_trigger) break;
    if (options.max_bytes_per_trigger && !batch.empty() &&
        bytes + candidates[i].size > *options.max_bytes_per_trigger) {
      break;
    }
    bytes += candidates[i].size;
    batch.push_back(std::move(candidates[i]));
  }
  *backlog = Backlog{};
  for (; i < candidates.size(); ++i) {
    ++backlog->files;
    backlog->bytes += candidates[i].size;
  }
  return batch;
}

FileRead::~FileRead() {
  if (source_id_ >= 0) engine::UnregisterTableSource(source_id_);
}

std::vector<delta::StructField> FileRead::NewFields() const {
  return source_ == nullptr ? parquet_new_fields_ : source_->NewFields();
}

int64_t FileRead::dropped_malformed() const {
  return source_ == nullptr ? 0 : source_->counters().dropped_malformed.load();
}

Result<std::unique_ptr<FileRead>> FileRead::Make(io::FileSystem& fs, engine::Connection& connection,
                                                 PlannedFileRead plan, bool with_metadata) {
  std::unique_ptr<FileRead> read(new FileRead());
  if (plan.format == ingest::FileFormat::kParquet) {
    SLUICE_ASSIGN_OR_RETURN(
        read->sql_, ParquetSql(connection, plan, with_metadata, &read->parquet_new_fields_));
    read->plan_ = std::move(plan);
    return read;
  }
  ingest::ReadSpec spec;
  spec.format = plan.format;
  spec.options = plan.options;
  spec.schema = plan.schema.schema;
  spec.rescued_column = plan.rescued_column;
  spec.partition_columns = plan.schema.partition_columns;
  spec.partition_types = plan.schema.partition_types;
  spec.with_metadata = with_metadata;
  SLUICE_ASSIGN_OR_RETURN(read->source_,
                          ingest::FileBatchSource::Make(fs, std::move(spec), plan.files));
  SLUICE_ASSIGN_OR_RETURN(read->source_id_, engine::RegisterTableSource(connection, read->source_));
  read->sql_ = read->source_->Select(engine::TableSourceCall(read->source_id_));
  read->plan_ = std::move(plan);
  return read;
}

}  // namespace sluice::runtime
