#include "delta/file_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"
#include "delta/partition_values.h"
#include "delta/paths.h"
#include "delta/stats.h"
#include "delta/table_properties.h"

namespace sluice::delta {
namespace {

// DuckDB names nested columns in its statistics as "a"."b" (lists add "element").
std::string StatsKey(const ColumnPath& physical_path) {
  std::vector<std::string> parts;
  for (const std::string& part : physical_path) parts.push_back(QuoteIdentifier(part));
  return Join(parts, ".");
}

// The SELECT that shapes the source into the table's physical columns and types.
Result<std::string> ShapeQuery(engine::Connection& connection, const std::string& source_sql,
                               const DataFileOptions& options) {
  std::map<std::string, std::string> source_columns;  // lower-case -> as written
  if (!options.source_columns.empty()) {
    for (const std::string& name : options.source_columns) source_columns[ToLower(name)] = name;
  } else {
    Result<engine::QueryResult> described = connection.Query("DESCRIBE " + source_sql);
    if (!described.ok()) return described.status().WithContext("the query to write is invalid");
    for (const auto& row : described->rows()) {
      source_columns[ToLower(row[0].ToString())] = row[0].ToString();
    }
  }
  std::vector<std::string> selects;
  // Under column mapping, nested field names in the files are physical too.
  Schema physical_schema = ToPhysicalSchema(*options.schema, options.column_mapping_mode);
  for (size_t i = 0; i < options.schema->fields().size(); ++i) {
    const StructField& field = options.schema->field(i);
    std::string type = ToDuckDbType(*physical_schema.field(i).type);
    std::string physical = physical_schema.field(i).name;
    auto it = source_columns.find(ToLower(field.name));
    if (it == source_columns.end()) {
      if (!field.nullable) {
        return InvalidArgument("column '", field.name,
                               "' is NOT NULL in the table but missing from the data");
      }
      if (options.column_defaults && field.metadata.Contains("CURRENT_DEFAULT")) {
        return NotSupported("column '", field.name, "' has a default value (",
                            field.metadata.GetString("CURRENT_DEFAULT").value_or("?"),
                            ") but is missing from the data; sluice does not compute column "
                            "defaults, so the data must give the column");
      }
      selects.push_back("CAST(NULL AS " + type + ") AS " + QuoteIdentifier(physical));
      continue;
    }
    selects.push_back("CAST(" + QuoteIdentifier(it->second) + " AS " + type + ") AS " +
                      QuoteIdentifier(physical));
    source_columns.erase(it);
  }
  for (const std::string& extra : options.extra_columns) {
    auto it = source_columns.find(ToLower(extra));
    if (it == source_columns.end()) return Internal("the data lacks column ", extra);
    selects.push_back(QuoteIdentifier(it->second));
    source_columns.erase(it);
  }
  if (!source_columns.empty()) {
    return InvalidArgument("column '", source_columns.begin()->second,
                           "' of the data is not in the table schema");
  }
  return "SELECT " + Join(selects, ", ") + " FROM (" + source_sql + ") AS __source";
}

std::string JsonText(const engine::Value& value) {
  return value.is_null() ? "null" : value.ToString();
}

// One file DuckDB wrote, from a row of COPY ... RETURN_STATS.
struct WrittenFile {
  std::string path;
  int64_t records = 0;
  int64_t size = 0;
  std::string stats_json;       // column key -> {min, max, null_count}
  std::string partitions_json;  // partition column -> value text
};

std::vector<WrittenFile> ReadCopyResult(const engine::QueryResult& result) {
  std::vector<WrittenFile> files;
  for (size_t row = 0; row < result.row_count(); ++row) {
    files.push_back({result.at(row, 0).ToString(), std::get<int64_t>(result.at(row, 1).data),
                     std::get<int64_t>(result.at(row, 2).data), JsonText(result.at(row, 4)),
                     JsonText(result.at(row, 5))});
  }
  return files;
}

// Rewrites each file larger than 1.5 times the target into files of about the target size
// in the same folder, keeping its partition values. Only such files are read again.
Result<std::vector<WrittenFile>> SplitLargeFiles(engine::Connection& connection,
                                                 std::vector<WrittenFile> files, int64_t target,
                                                 const std::string& compression) {
  std::vector<WrittenFile> out;
  for (WrittenFile& file : files) {
    if (file.size <= target + target / 2) {
      out.push_back(std::move(file));
      continue;
    }
    std::string directory = file.path.substr(0, file.path.rfind('/'));
    // Files rotate only between row groups: size them to a fraction of a target file.
    int64_t rows_per_file = std::max<int64_t>(1, file.records * target / file.size);
    int64_t row_group = std::max<int64_t>(2048, rows_per_file / 2);
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult result,
        connection.Query("COPY (SELECT * FROM read_parquet(" + QuoteLiteral(file.path) + ")) TO " +
                             QuoteLiteral(directory) + " (FORMAT parquet, COMPRESSION " +
                             compression + ", FILENAME_PATTERN 'part-{uuid}', FILE_SIZE_BYTES " +
                             std::to_string(target) + ", ROW_GROUP_SIZE " +
                             std::to_string(row_group) + ", APPEND, RETURN_STATS)",
                         /*nested_as_json=*/true));
    for (WrittenFile& part : ReadCopyResult(result)) {
      part.partitions_json = file.partitions_json;
      out.push_back(std::move(part));
    }
    if (::unlink(file.path.c_str()) != 0) {
      return IOError(file.path, ": cannot remove after splitting: ", std::strerror(errno));
    }
  }
  return out;
}

}  // namespace

Result<std::vector<AddFile>> WriteDataFiles(engine::Connection& connection,
                                            const std::string& table_root,
                                            const std::string& source_sql,
                                            const DataFileOptions& options) {
  if (options.schema == nullptr) return Internal("WriteDataFiles needs the table schema");
  const Schema& schema = *options.schema;
  SLUICE_ASSIGN_OR_RETURN(std::string shaped, ShapeQuery(connection, source_sql, options));

  std::vector<std::string> partition_physical;
  std::vector<const StructField*> partition_fields;
  for (const std::string& column : options.partition_columns) {
    const StructField* field = schema.Find(column);
    if (field == nullptr) {
      return InvalidArgument("partition column '", column, "' is not in the table schema");
    }
    partition_fields.push_back(field);
    partition_physical.push_back(PhysicalName(*field, options.column_mapping_mode));
  }
  int64_t target = options.target_file_size > 0 ? options.target_file_size
                                                : TargetFileSize(options.configuration);
  std::string copy_options = "FORMAT parquet, COMPRESSION " + options.compression +
                             ", FILENAME_PATTERN 'part-{uuid}', APPEND, RETURN_STATS";
  if (partition_physical.empty()) {
    copy_options += ", FILE_SIZE_BYTES " + std::to_string(target);
  } else {
    // DuckDB cannot rotate files within partitions; files above the target size are split
    // afterwards (SplitLargeFiles).
    std::vector<std::string> quoted;
    for (const std::string& name : partition_physical) quoted.push_back(QuoteIdentifier(name));
    copy_options += ", PARTITION_BY (" + Join(quoted, ", ") + ")";
  }
  // DuckDB writes no file for an empty result.
  std::string directory =
      options.subdirectory.empty() ? table_root : table_root + "/" + options.subdirectory;
  // Data files always live on the local disk, where DuckDB writes them.
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) return IOError(directory, ": cannot create directory: ", error.message());
  std::string copy =
      "COPY (" + shaped + ") TO " + QuoteLiteral(directory) + " (" + copy_options + ")";
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result,
                          connection.Query(copy, /*nested_as_json=*/true));
  std::vector<WrittenFile> files = ReadCopyResult(result);
  if (!partition_physical.empty()) {
    SLUICE_ASSIGN_OR_RETURN(
        files, SplitLargeFiles(connection, std::move(files), target, options.compression));
  }
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<StatsColumn> stats_columns,
      StatsColumnsForWrite(schema, options.partition_columns, options.configuration));

  std::vector<AddFile> adds;
  adds.reserve(files.size());
  for (const WrittenFile& file : files) {
    const std::string& path = file.path;
    std::string prefix = table_root + "/";
    if (!StartsWith(path, prefix)) {
      return Internal("DuckDB wrote ", path, " outside the table root ", table_root);
    }
    int64_t records = file.records;
    if (records == 0) {
      // DuckDB leaves an empty file for an empty result; a table has no use for it.
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return IOError(path, ": cannot remove empty file: ", std::strerror(errno));
      }
      continue;
    }
    AddFile add;
    add.path = EncodeAddPath(path.substr(prefix.size()));
    add.size = file.size;
    add.data_change = options.data_change;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      return IOError(path, ": written by DuckDB but cannot be read: ", std::strerror(errno));
    }
    add.modification_time =
        static_cast<int64_t>(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000;

    nlohmann::json partitions = nlohmann::json::parse(file.partitions_json, nullptr, false);
    for (size_t i = 0; i < partition_fields.size(); ++i) {
      std::optional<std::string> text;
      if (partitions.is_object()) {
        auto it = partitions.find(partition_physical[i]);
        if (it != partitions.end() && it->is_string()) text = it->get<std::string>();
      }
      SLUICE_ASSIGN_OR_RETURN(
          std::optional<std::string> value,
          SerializePartitionValue(text, *partition_fields[i]->type, partition_fields[i]->name));
      add.partition_values[partition_physical[i]] = std::move(value);
    }

    FileStats stats;
    stats.num_records = records;
    nlohmann::json columns = nlohmann::json::parse(file.stats_json, nullptr, false);
    for (const StatsColumn& column : stats_columns) {
      const nlohmann::json* entry = nullptr;
      if (columns.is_object()) {
        auto it = columns.find(StatsKey(column.physical_path));
        if (it != columns.end() && it->is_object()) entry = &*it;
      }
      if (entry == nullptr) {
        // DuckDB reports no statistics for a column whose values are all NULL.
        stats.null_count.Set(column.physical_path, *stats.num_records);
        continue;
      }
      auto count = entry->find("null_count");
      if (count != entry->end() && count->is_string()) {
        std::optional<int64_t> nulls = ParseInt64(count->get<std::string>());
        if (nulls) stats.null_count.Set(column.physical_path, *nulls);
      }
      if (!column.has_min_max) continue;
      for (auto [key, bound] : {std::pair{"min", StatsBound::kMin}, {"max", StatsBound::kMax}}) {
        auto it = entry->find(key);
        if (it == entry->end() || !it->is_string()) continue;
        SLUICE_ASSIGN_OR_RETURN(
            std::optional<StatsValue> value,
            StatsValueFromEngineText(it->get<std::string>(), *column.type, bound));
        if (!value) continue;
        if (bound == StatsBound::kMin) {
          stats.min_values.Set(column.physical_path, std::move(*value));
        } else {
          stats.max_values.Set(column.physical_path, std::move(*value));
        }
      }
    }
    add.stats = SerializeStats(stats);
    adds.push_back(std::move(add));
  }
  return adds;
}

}  // namespace sluice::delta
