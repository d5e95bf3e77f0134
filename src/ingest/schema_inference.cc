#include "ingest/schema_inference.h"

#include <algorithm>
#include <map>

#include "common/strings.h"
#include "ingest/inference.h"
#include "ingest/record_parsers.h"

namespace sluice::ingest {
namespace {

struct Column {
  std::string name;
  delta::DataTypePtr type;
};

}  // namespace

Result<delta::Schema> InferFileSchema(io::FileSystem& fs, FileFormat format,
                                      const SourceOptions& options,
                                      const std::vector<InputFile>& files) {
  if (format == FileFormat::kText) {
    delta::StructField value;
    value.name = "value";
    value.type = delta::DataType::String();
    return delta::Schema({value});
  }
  std::optional<DateTimePattern> date_format;
  std::optional<DateTimePattern> timestamp_format;
  if (!options.date_format.empty()) {
    SLUICE_ASSIGN_OR_RETURN(date_format, DateTimePattern::Compile(options.date_format));
  }
  if (!options.timestamp_format.empty()) {
    SLUICE_ASSIGN_OR_RETURN(timestamp_format, DateTimePattern::Compile(options.timestamp_format));
  }
  InferenceOptions inference;
  inference.date_format = date_format ? &*date_format : nullptr;
  inference.timestamp_format = timestamp_format ? &*timestamp_format : nullptr;

  std::vector<Column> columns;
  std::map<std::string, size_t> index;  // exact name -> column
  const size_t sample = std::min<size_t>(files.size(), static_cast<size_t>(options.sample_files));
  int64_t sampled_bytes = 0;
  for (size_t f = 0; f < sample && (f == 0 || sampled_bytes < options.sample_bytes); ++f) {
    const std::string& path = files[f].path;
    SLUICE_ASSIGN_OR_RETURN(std::string bytes, ReadTextFile(fs, path, options));
    sampled_bytes += static_cast<int64_t>(bytes.size());
    std::unique_ptr<RecordParser> parser = MakeRecordParser(format, options, bytes);
    Record record;
    while (true) {
      SLUICE_ASSIGN_OR_RETURN(bool more, parser->Next(record));
      if (!more) break;
      if (record.malformed) continue;
      for (const RawField& field : record.fields) {
        const std::string name(field.name);
        auto it = index.find(name);
        if (it == index.end()) {
          it = index.emplace(name, columns.size()).first;
          columns.push_back({name, delta::DataType::Void()});
        }
        if (!options.infer_column_types) continue;
        delta::DataTypePtr type = format == FileFormat::kJson ? InferJsonType(field, inference)
                                                              : InferCsvType(field, inference);
        columns[it->second].type = MergeTypes(columns[it->second].type, type);
      }
    }
  }
  if (format == FileFormat::kJson) {
    std::stable_sort(columns.begin(), columns.end(),
                     [](const Column& a, const Column& b) { return a.name < b.name; });
  }
  std::vector<delta::StructField> fields;
  for (Column& column : columns) {
    delta::StructField field;
    field.name = column.name;
    const bool untyped = !options.infer_column_types || column.type == nullptr ||
                         column.type->kind() == delta::TypeKind::kVoid;
    field.type = untyped ? delta::DataType::String() : VoidToString(column.type);
    fields.push_back(std::move(field));
  }
  return delta::Schema(std::move(fields));
}

delta::DataTypePtr VoidToString(const delta::DataTypePtr& type) {
  switch (type->kind()) {
    case delta::TypeKind::kVoid:
      return delta::DataType::String();
    case delta::TypeKind::kStruct: {
      std::vector<delta::StructField> fields = type->fields();
      for (delta::StructField& field : fields) field.type = VoidToString(field.type);
      return delta::DataType::Struct(std::move(fields));
    }
    case delta::TypeKind::kArray:
      return delta::DataType::Array(VoidToString(type->element_type()), type->contains_null());
    case delta::TypeKind::kMap:
      return delta::DataType::Map(VoidToString(type->key_type()), VoidToString(type->value_type()),
                                  type->value_contains_null());
    default:
      return type;
  }
}

delta::DataTypePtr InferPartitionType(const std::vector<std::string>& values,
                                      bool infer_column_types) {
  if (!infer_column_types) return delta::DataType::String();
  delta::DataTypePtr merged = delta::DataType::Void();
  InferenceOptions options;
  for (const std::string& value : values) {
    RawField field;
    field.name = "p";
    field.kind = FieldKind::kString;
    field.text = value;
    merged = MergeTypes(merged, InferCsvType(field, options));
  }
  if (merged->kind() == delta::TypeKind::kVoid) return delta::DataType::String();
  return merged;
}

}  // namespace sluice::ingest
