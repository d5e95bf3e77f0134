#include "delta/scan.h"

#include <atomic>
#include <set>

#include "common/strings.h"
#include "delta/data_skipping_scan.h"
#include "delta/deletion_vector.h"
#include "delta/partition_values.h"
#include "delta/paths.h"

namespace sluice::delta {
namespace {

constexpr const char* kFileColumn = "__sluice_file";
constexpr const char* kRowColumn = "file_row_number";
constexpr const char* kRowIndexColumn = "__sluice_row_index";
constexpr const char* kFileIndexColumn = "__sluice_file_index";
// A row's key in a scan: its file's position in the read list above kFileIndexShift bits,
// its row index below.
constexpr int kFileIndexShift = 40;
constexpr uint64_t kMaxRowIndex = uint64_t{1} << kFileIndexShift;

std::string RowKey(const std::string& file_index) {
  return "((" + file_index + "::BIGINT << " + std::to_string(kFileIndexShift) + ") | __d." +
         kRowColumn + ")";
}

std::string UniqueTableName(const char* prefix) {
  static std::atomic<uint64_t> counter{0};
  return std::string(prefix) + std::to_string(++counter);
}

// `expr` (a column of the file, by physical names) as the logical value of `type`:
// struct fields renamed from physical to logical names, recursively through arrays and
// maps, and cast to the Delta type.
std::string FieldExpression(const std::string& expr, const DataType& type, ColumnMappingMode mode,
                            int depth) {
  std::string target = ToDuckDbType(type);
  if (mode == ColumnMappingMode::kNone) return "CAST(" + expr + " AS " + target + ")";
  std::string var = "__x" + std::to_string(depth);
  switch (type.kind()) {
    case TypeKind::kStruct: {
      std::vector<std::string> members;
      for (const StructField& field : type.fields()) {
        std::string child = expr + "." + QuoteIdentifier(PhysicalName(field, mode));
        members.push_back(QuoteIdentifier(field.name) +
                          " := " + FieldExpression(child, *field.type, mode, depth + 1));
      }
      return "CAST(CASE WHEN " + expr + " IS NULL THEN NULL ELSE struct_pack(" +
             Join(members, ", ") + ") END AS " + target + ")";
    }
    case TypeKind::kArray:
      return "CAST(list_transform(" + expr + ", " + var + " -> " +
             FieldExpression(var, *type.element_type(), mode, depth + 1) + ") AS " + target + ")";
    case TypeKind::kMap:
      return "CAST(map_from_entries(list_transform(map_entries(" + expr + "), " + var +
             " -> struct_pack(key := " +
             FieldExpression(var + ".key", *type.key_type(), mode, depth + 1) +
             ", value := " + FieldExpression(var + ".value", *type.value_type(), mode, depth + 1) +
             "))) AS " + target + ")";
    default:
      return "CAST(" + expr + " AS " + target + ")";
  }
}

std::string ParquetList(const std::vector<std::string>& paths) {
  std::vector<std::string> quoted;
  quoted.reserve(paths.size());
  for (const std::string& path : paths) quoted.push_back(QuoteLiteral(path));
  return "[" + Join(quoted, ", ") + "]";
}

struct SelectedField {
  const StructField* field;
  bool is_partition;
};

Result<std::vector<SelectedField>> SelectFields(const Snapshot& snapshot,
                                                const ScanOptions& options) {
  const Schema& schema = *snapshot.schema();
  std::set<std::string> partition_columns;
  for (const std::string& name : snapshot.partition_columns()) {
    partition_columns.insert(ToLower(name));
  }
  std::vector<SelectedField> selected;
  auto add = [&](const StructField& field) {
    selected.push_back({&field, partition_columns.count(ToLower(field.name)) > 0});
  };
  if (options.columns.empty()) {
    for (const StructField& field : schema.fields()) add(field);
    return selected;
  }
  for (const std::string& name : options.columns) {
    const StructField* field = schema.Find(name);
    if (field == nullptr) {
      std::vector<std::string> names;
      for (const StructField& candidate : schema.fields()) names.push_back(candidate.name);
      return InvalidArgument("column '", name, "' does not exist in ", snapshot.table_root(),
                             " (columns: ", Join(names, ", "), ")");
    }
    add(*field);
  }
  return selected;
}

}  // namespace

Result<ScanPlan> PlanScan(const DeltaContext& context, const Snapshot& snapshot,
                          const ScanOptions& options) {
  if (snapshot.schema() == nullptr) {
    return NotSupported(snapshot.table_root(), " version ", snapshot.version(),
                        " has no schema, so it has no rows to scan");
  }
  ScanPlan plan;
  plan.files_in_snapshot = snapshot.files().size();
  SLUICE_ASSIGN_OR_RETURN(std::vector<SelectedField> fields, SelectFields(snapshot, options));
  ColumnMappingMode mode = snapshot.column_mapping_mode();

  std::vector<const AddFile*> files;
  if (options.files) {
    files = *options.files;
  } else {
    SLUICE_ASSIGN_OR_RETURN(files, FilesToScan(context, snapshot, options.filter));
  }
  plan.files_to_read = files.size();
  plan.files = files;

  std::vector<std::string> outputs;
  if (files.empty()) {
    for (const SelectedField& selected : fields) {
      outputs.push_back("CAST(NULL AS " + ToDuckDbType(*selected.field->type) + ") AS " +
                        QuoteIdentifier(selected.field->name));
    }
    if (options.include_file_path) outputs.push_back("CAST(NULL AS VARCHAR) AS __sluice_file");
    if (options.include_row_index) {
      outputs.push_back("CAST(NULL AS BIGINT) AS " + std::string(kRowIndexColumn));
    }
    if (options.include_file_index) {
      outputs.push_back("CAST(NULL AS INTEGER) AS " + std::string(kFileIndexColumn));
    }
    for (const std::string& name : options.file_columns) {
      outputs.push_back("CAST(NULL AS VARCHAR) AS " + QuoteIdentifier(name));
    }
    plan.sql = "SELECT " + Join(outputs, ", ") + " WHERE false";
  } else {
    std::vector<std::string> paths;
    bool has_deletion_vectors = false;
    for (const AddFile* file : files) {
      SLUICE_ASSIGN_OR_RETURN(std::string path,
                              ResolveDataFilePath(snapshot.table_root(), file->path));
      if (!context.fs->Exists(path)) {
        return NotFound(snapshot.table_root(), ": data file ", path, " is referenced by version ",
                        snapshot.version(), " but missing");
      }
      paths.push_back(path);
      plan.file_paths.push_back(std::move(path));
      has_deletion_vectors |= file->deletion_vector.has_value();
    }
    std::string source =
        "read_parquet(" + ParquetList(paths) + ", filename = " + QuoteLiteral(kFileColumn) +
        ", union_by_name = true, hive_partitioning = false" +
        (has_deletion_vectors || options.include_row_index ? ", file_row_number = true" : "") + ")";

    // Columns present in at least one file; others read as NULL.
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                            context.connection->Query("DESCRIBE SELECT * FROM " + source));
    std::set<std::string> present;
    for (const auto& row : described.rows()) present.insert(row[0].ToString());
    // DuckDB's virtual column file_index (the file's position in the list), unless a file has
    // a column of that name, which hides it: then the position comes from a join on the path.
    const bool file_index_hidden = present.count("file_index") > 0;
    const std::string file_index = file_index_hidden ? "__fi.i" : "__d.file_index::INTEGER";

    bool partitioned = false;
    std::vector<std::string> partition_physical;
    for (const SelectedField& selected : fields) {
      const StructField& field = *selected.field;
      std::string physical = PhysicalName(field, mode);
      std::string alias = QuoteIdentifier(field.name);
      if (selected.is_partition) {
        partitioned = true;
        partition_physical.push_back(physical);
        outputs.push_back("__p." + QuoteIdentifier(physical) + " AS " + alias);
      } else if (present.count(physical)) {
        outputs.push_back(
            FieldExpression("__d." + QuoteIdentifier(physical), *field.type, mode, 0) + " AS " +
            alias);
      } else {
        outputs.push_back("CAST(NULL AS " + ToDuckDbType(*field.type) + ") AS " + alias);
      }
    }
    if (options.include_file_path) {
      outputs.push_back("__d." + QuoteIdentifier(kFileColumn) + " AS __sluice_file");
    }
    if (options.include_row_index) {
      outputs.push_back("__d." + std::string(kRowColumn) + " AS " + kRowIndexColumn);
    }
    if (options.include_file_index) {
      outputs.push_back(file_index + " AS " + std::string(kFileIndexColumn));
    }
    for (const std::string& name : options.file_columns) {
      outputs.push_back((present.count(name) ? "__d." + QuoteIdentifier(name)
                                             : std::string("CAST(NULL AS VARCHAR)")) +
                        " AS " + QuoteIdentifier(name));
    }
    if (outputs.empty()) outputs.push_back("1 AS __sluice_row");

    std::string from = source + " AS __d";
    if (file_index_hidden && (has_deletion_vectors || options.include_file_index)) {
      std::vector<std::string> rows;
      for (size_t i = 0; i < paths.size(); ++i) {
        rows.push_back("(" + QuoteLiteral(paths[i]) + ", " + std::to_string(i) + ")");
      }
      from += " JOIN (VALUES " + Join(rows, ", ") + ") AS __fi(path, i) ON __d." +
              QuoteIdentifier(kFileColumn) + " = __fi.path";
    }
    if (partitioned) {
      // One row per file with its typed partition values, joined by file name.
      std::vector<std::string> rows;
      for (size_t i = 0; i < files.size(); ++i) {
        std::vector<std::string> values{QuoteLiteral(paths[i])};
        for (const SelectedField& selected : fields) {
          if (!selected.is_partition) continue;
          std::string physical = PhysicalName(*selected.field, mode);
          auto it = files[i]->partition_values.find(physical);
          std::optional<std::string> value;
          if (it != files[i]->partition_values.end()) value = it->second;
          Result<std::string> literal = PartitionValueToSql(value, *selected.field->type);
          if (!literal.ok()) {
            return Corruption(snapshot.table_root(), ": file ", files[i]->path, ": ",
                              literal.status().message());
          }
          values.push_back(*literal);
        }
        rows.push_back("(" + Join(values, ", ") + ")");
      }
      std::vector<std::string> names{QuoteIdentifier("__path")};
      for (const std::string& physical : partition_physical) {
        names.push_back(QuoteIdentifier(physical));
      }
      from += " JOIN (VALUES " + Join(rows, ", ") + ") AS __p(" + Join(names, ", ") + ") ON __d." +
              QuoteIdentifier(kFileColumn) + " = __p.\"__path\"";
    }

    if (has_deletion_vectors) {
      // One BIGINT per deleted row, (position of its file in the list << 40) | row index: a
      // single-column anti-join is many times faster than one on (path, row index), and an
      // ANTI JOIN, unlike a correlated NOT EXISTS, is never planned as a join against the
      // distinct (file, row) pairs of the whole scan.
      std::string table = UniqueTableName("__sluice_dv_");
      SLUICE_RETURN_IF_ERROR(
          context.connection->Execute("CREATE TEMP TABLE " + table + " (k BIGINT)"));
      plan.temp_tables.push_back(table);
      SLUICE_ASSIGN_OR_RETURN(auto appender, context.connection->MakeAppender(table));
      DeletionVectorReader dvs(*context.fs, snapshot.table_root());
      for (size_t i = 0; i < files.size(); ++i) {
        if (!files[i]->deletion_vector) continue;
        Result<std::vector<uint64_t>> rows = dvs.Load(*files[i]->deletion_vector);
        if (rows.ok() && !rows->empty() && rows->back() >= kMaxRowIndex) {
          rows = Corruption("row index ", rows->back(), " is beyond any Parquet file's rows");
        }
        if (!rows.ok()) {
          (void)ReleaseScan(*context.connection, plan);
          return rows.status().WithContext(snapshot.table_root() + ": deletion vector of " +
                                           files[i]->path);
        }
        const int64_t file_key = static_cast<int64_t>(i) << kFileIndexShift;
        for (uint64_t row : *rows) {
          SLUICE_RETURN_IF_ERROR(
              appender->Append(engine::Value::Int(file_key | static_cast<int64_t>(row))));
          SLUICE_RETURN_IF_ERROR(appender->EndRow());
        }
      }
      SLUICE_RETURN_IF_ERROR(appender->Close());
      from += " ANTI JOIN " + table + " AS __dv ON __dv.k = " + RowKey(file_index);
    }
    plan.sql = "SELECT " + Join(outputs, ", ") + " FROM " + from;
  }
  if (!options.filter.empty()) {
    plan.sql = "SELECT * FROM (" + plan.sql + ") AS __scan WHERE (" + options.filter + ")";
  }
  return plan;
}

Status ReleaseScan(engine::Connection& connection, const ScanPlan& plan) {
  Status result;
  for (const std::string& table : plan.temp_tables) {
    Status status = connection.Execute("DROP TABLE IF EXISTS " + table);
    if (result.ok()) result = status;
  }
  return result;
}

Result<engine::QueryResult> ScanAll(const DeltaContext& context, const Snapshot& snapshot,
                                    const ScanOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(ScanPlan plan, PlanScan(context, snapshot, options));
  Result<engine::QueryResult> rows = context.connection->Query(plan.sql);
  Status released = ReleaseScan(*context.connection, plan);
  if (!rows.ok()) return rows.status().WithContext("scanning " + snapshot.table_root());
  SLUICE_RETURN_IF_ERROR(released);
  return rows;
}

}  // namespace sluice::delta
