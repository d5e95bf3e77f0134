#include "delta/data_skipping_scan.h"

#include "common/strings.h"
#include "delta/data_skipping.h"
#include "delta/partition_values.h"
#include "delta/predicate.h"

namespace sluice::delta {
namespace {

SkippingType SkippingTypeOf(const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kLong:
    case TypeKind::kInteger:
    case TypeKind::kShort:
    case TypeKind::kByte:
    case TypeKind::kDecimal:
      return SkippingType::kNumeric;
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      return SkippingType::kFloat;
    case TypeKind::kString:
      return SkippingType::kString;
    case TypeKind::kDate:
      return SkippingType::kDate;
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampNtz:
      return SkippingType::kTimestamp;
    case TypeKind::kBoolean:
      return SkippingType::kBoolean;
    default:
      return SkippingType::kOther;
  }
}

// A JSON path into the stats object: $.minValues."a"."b".
std::string StatsPath(const std::string& section, const ColumnPath& physical_path) {
  std::string path = "$." + section;
  for (const std::string& part : physical_path) {
    std::string escaped;
    for (char c : part) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    path += ".\"" + escaped + "\"";
  }
  return QuoteLiteral(path);
}

struct FilesTable {
  SkippingLayout layout;
  std::vector<std::string> selects;    // expressions over __f(idx, stats, p0, p1...)
  std::vector<int> partition_columns;  // indexes into the schema's fields
};

Result<FilesTable> DescribeColumns(const Snapshot& snapshot,
                                   const std::vector<ColumnPath>& referenced) {
  const Schema& schema = *snapshot.schema();
  ColumnMappingMode mode = snapshot.column_mapping_mode();
  FilesTable table;
  table.layout.num_records_column = "num_records";
  table.selects.push_back(
      "TRY_CAST(json_extract(__f.stats, '$.numRecords') AS BIGINT) AS num_records");
  int counter = 0;
  for (const ColumnPath& path : referenced) {
    const StructField* top = schema.Find(path.front());
    if (top == nullptr) continue;  // not a column (the filter will fail on the rows)
    SkippingColumn column;
    column.path = path;
    bool is_partition = false;
    for (const std::string& partition : snapshot.partition_columns()) {
      if (EqualsIgnoreCase(partition, top->name)) is_partition = true;
    }
    std::string name = "c" + std::to_string(counter++);
    if (is_partition) {
      if (path.size() != 1) continue;
      column.is_partition = true;
      column.type = SkippingTypeOf(*top->type);
      column.value_column = name + "_value";
      table.selects.push_back("__f.p" + std::to_string(table.partition_columns.size()) + " AS " +
                              column.value_column);
      table.partition_columns.push_back(static_cast<int>(*schema.IndexOf(top->name)));
    } else {
      const StructField* field = schema.FindPath(path);
      if (field == nullptr || field->type->is_nested()) continue;
      Result<ColumnPath> physical = ToPhysicalPath(schema, path, mode);
      if (!physical.ok()) continue;
      column.type = SkippingTypeOf(*field->type);
      std::string type = ToDuckDbType(*field->type);
      column.min_column = name + "_min";
      column.max_column = name + "_max";
      column.null_count_column = name + "_nulls";
      table.selects.push_back("TRY_CAST(json_extract_string(__f.stats, " +
                              StatsPath("minValues", *physical) + ") AS " + type + ") AS " +
                              column.min_column);
      table.selects.push_back("TRY_CAST(json_extract_string(__f.stats, " +
                              StatsPath("maxValues", *physical) + ") AS " + type + ") AS " +
                              column.max_column);
      table.selects.push_back("TRY_CAST(json_extract(__f.stats, " +
                              StatsPath("nullCount", *physical) + ") AS BIGINT) AS " +
                              column.null_count_column);
    }
    table.layout.columns.push_back(std::move(column));
  }
  return table;
}

}  // namespace

Result<std::vector<const AddFile*>> FilesToScan(const DeltaContext& context,
                                                const Snapshot& snapshot,
                                                const std::string& filter) {
  std::vector<const AddFile*> all;
  all.reserve(snapshot.files().size());
  for (const AddFile& file : snapshot.files()) all.push_back(&file);
  if (filter.empty() || all.empty() || snapshot.schema() == nullptr) return all;

  Result<ExpressionPtr> expression = ParsePredicate(filter);
  if (!expression.ok()) return all;  // DuckDB reports the error when it runs the filter
  std::vector<ColumnPath> referenced = ReferencedColumns(**expression);
  SLUICE_ASSIGN_OR_RETURN(FilesTable table, DescribeColumns(snapshot, referenced));
  std::string condition = SkippingCondition(**expression, table.layout);
  if (condition == "TRUE") return all;

  const Schema& schema = *snapshot.schema();
  ColumnMappingMode mode = snapshot.column_mapping_mode();
  std::vector<std::string> rows;
  rows.reserve(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    std::vector<std::string> values{std::to_string(i),
                                    all[i]->stats ? QuoteLiteral(*all[i]->stats) : "NULL"};
    for (int index : table.partition_columns) {
      const StructField& field = schema.field(index);
      auto it = all[i]->partition_values.find(PhysicalName(field, mode));
      std::optional<std::string> value;
      if (it != all[i]->partition_values.end()) value = it->second;
      Result<std::string> literal = PartitionValueToSql(value, *field.type);
      if (!literal.ok()) return all;  // the scan reports bad partition values
      values.push_back(*literal);
    }
    rows.push_back("(" + Join(values, ", ") + ")");
  }
  std::vector<std::string> names{"idx", "stats"};
  for (size_t p = 0; p < table.partition_columns.size(); ++p) {
    names.push_back("p" + std::to_string(p));
  }
  std::string sql = "SELECT idx FROM (SELECT __f.idx, " + Join(table.selects, ", ") +
                    " FROM (VALUES " + Join(rows, ", ") + ") AS __f(" + Join(names, ", ") +
                    ")) WHERE coalesce((" + condition + "), true) ORDER BY idx";
  Result<engine::QueryResult> kept = context.connection->Query(sql);
  if (!kept.ok()) return all;  // skipping is an optimization: never fail a scan for it
  std::vector<const AddFile*> files;
  for (const auto& row : kept->rows()) files.push_back(all[std::get<int64_t>(row[0].data)]);
  return files;
}

}  // namespace sluice::delta
