#include "ingest/file_reader.h"

#include <optional>
#include <unordered_map>

#include "common/strings.h"
#include "ingest/csv_parser.h"
#include "ingest/inference.h"
#include "ingest/record_parsers.h"
#include "ingest/schema_inference.h"
#include "ingest/values.h"

namespace sluice::ingest {
namespace {

enum class Conversion {
  kString,
  kInteger,
  kDouble,
  kBoolean,
  kDecimal,
  kDate,
  kTimestamp,
  kNested,
  kBinary
};

engine::SourceType SourceTypeOf(Conversion conversion) {
  switch (conversion) {
    case Conversion::kInteger:
      return engine::SourceType::kBigint;
    case Conversion::kDouble:
      return engine::SourceType::kDouble;
    case Conversion::kBoolean:
      return engine::SourceType::kBoolean;
    case Conversion::kDate:
      return engine::SourceType::kDate;
    case Conversion::kTimestamp:
      return engine::SourceType::kTimestamp;
    default:
      return engine::SourceType::kVarchar;
  }
}

struct ColumnPlan {
  std::string name;
  delta::DataTypePtr type;
  Conversion conversion = Conversion::kString;
  int bits = 64;  // kInteger
};

ColumnPlan PlanColumn(const delta::StructField& field) {
  ColumnPlan plan;
  plan.name = field.name;
  plan.type = field.type;
  using delta::TypeKind;
  switch (field.type->kind()) {
    case TypeKind::kLong:
      plan.conversion = Conversion::kInteger;
      break;
    case TypeKind::kInteger:
      plan.conversion = Conversion::kInteger;
      plan.bits = 32;
      break;
    case TypeKind::kShort:
      plan.conversion = Conversion::kInteger;
      plan.bits = 16;
      break;
    case TypeKind::kByte:
      plan.conversion = Conversion::kInteger;
      plan.bits = 8;
      break;
    case TypeKind::kFloat:
    case TypeKind::kDouble:
      plan.conversion = Conversion::kDouble;
      break;
    case TypeKind::kBoolean:
      plan.conversion = Conversion::kBoolean;
      break;
    case TypeKind::kDecimal:
      plan.conversion = Conversion::kDecimal;
      break;
    case TypeKind::kDate:
      plan.conversion = Conversion::kDate;
      break;
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampNtz:
      plan.conversion = Conversion::kTimestamp;
      break;
    case TypeKind::kStruct:
    case TypeKind::kArray:
    case TypeKind::kMap:
      plan.conversion = Conversion::kNested;
      break;
    case TypeKind::kBinary:
      plan.conversion = Conversion::kBinary;
      break;
    default:
      plan.conversion = Conversion::kString;
      break;
  }
  return plan;
}

// A field's value as JSON, for the rescued data.
std::string FieldJson(const RawField& field) {
  switch (field.kind) {
    case FieldKind::kNull:
      return "null";
    case FieldKind::kString: {
      std::string out;
      AppendJsonString(out, field.text);
      return out;
    }
    default:
      return std::string(field.text);
  }
}

// DuckDB's json_transform structure for a nested type.
std::string JsonStructure(const delta::DataType& type) {
  if (type.kind() == delta::TypeKind::kStruct) {
    std::vector<std::string> parts;
    for (const delta::StructField& field : type.fields()) {
      std::string key;
      AppendJsonString(key, field.name);
      parts.push_back(key + ":" + JsonStructure(*field.type));
    }
    return "{" + Join(parts, ",") + "}";
  }
  if (type.kind() == delta::TypeKind::kArray)
    return "[" + JsonStructure(*type.element_type()) + "]";
  std::string out;
  AppendJsonString(out, delta::ToDuckDbType(type));
  return out;
}

constexpr int kUnknown = -1;
constexpr int kCaseMismatch = -2;

}  // namespace

std::string RescuedJson(const std::vector<std::pair<std::string, std::string>>& name_and_json,
                        const std::string& file_path) {
  std::string out = "{";
  for (const auto& [name, json] : name_and_json) {
    AppendJsonString(out, name);
    out += ':';
    out += json;
    out += ',';
  }
  AppendJsonString(out, "_file_path");
  out += ':';
  AppendJsonString(out, file_path);
  out += '}';
  return out;
}

struct FileBatchSource::Plan {
  std::vector<ColumnPlan> columns;
  std::unordered_map<std::string, int> exact;
  std::unordered_map<std::string, int> folded;  // lowercase name -> column
  std::optional<DateTimePattern> date_format;
  std::optional<DateTimePattern> timestamp_format;
  int corrupt_column = kUnknown;  // a STRING data column named like the corrupt record column
  int rescued = kUnknown;         // source column index of the rescued data
  size_t partitions_start = 0;
  size_t metadata_start = 0;
  bool with_metadata = false;

  int Lookup(std::string_view name) const {
    if (auto it = exact.find(std::string(name)); it != exact.end()) return it->second;
    if (folded.count(ToLower(name))) return kCaseMismatch;
    return kUnknown;
  }
};

struct FileBatchSource::Scan {
  std::atomic<size_t> next_file{0};
  std::atomic<size_t> finished_files{0};
  std::atomic<bool> new_fields_found{false};
  std::mutex mutex;
  std::vector<delta::StructField> new_fields;
  ReadCounters counters;
};

class FileBatchSource::Producer : public engine::TableProducer {
 public:
  Producer(FileBatchSource& source, std::shared_ptr<Scan> scan)
      : source_(source), plan_(*source.plan_), scan_(std::move(scan)) {}

  Result<size_t> Fill(engine::ChunkWriter& writer) override {
    size_t rows = 0;
    while (rows < writer.capacity()) {
      if (parser_ == nullptr) {
        const size_t index = scan_->next_file.fetch_add(1);
        if (index >= source_.files_.size()) return rows;
        SLUICE_RETURN_IF_ERROR(OpenFile(index));
      }
      SLUICE_ASSIGN_OR_RETURN(bool more, parser_->Next(record_));
      if (!more) {
        parser_.reset();
        bytes_.clear();
        const size_t finished = scan_->finished_files.fetch_add(1) + 1;
        if (finished == source_.files_.size() && scan_->new_fields_found.load()) {
          return NewFieldsError();
        }
        continue;
      }
      if (record_.malformed) {
        SLUICE_ASSIGN_OR_RETURN(bool keep, Malformed());
        if (!keep || discovering_) continue;
        WriteMalformed(writer, rows);
        ++rows;
        continue;
      }
      SLUICE_ASSIGN_OR_RETURN(bool write, MapRecord(writer, rows));
      if (write && !discovering_) ++rows;
    }
    return rows;
  }

 private:
  const InputFile& file() const { return source_.files_[file_index_]; }

  Status OpenFile(size_t index) {
    file_index_ = index;
    const ReadSpec& spec = source_.spec_;
    if (spec.format == FileFormat::kParquet) {
      return Internal("Parquet files are not read by FileBatchSource");
    }
    SLUICE_ASSIGN_OR_RETURN(bytes_, ReadTextFile(source_.fs_, file().path, spec.options));
    cache_.clear();
    parser_ = MakeRecordParser(spec.format, spec.options, bytes_);
    // Cells beyond a CSV header are told apart by position.
    csv_ = spec.format == FileFormat::kCsv && spec.options.header
               ? static_cast<const CsvParser*>(parser_.get())
               : nullptr;
    return Status::OK();
  }

  // Whether to keep a malformed record as a row (PERMISSIVE).
  Result<bool> Malformed() {
    switch (source_.spec_.options.mode) {
      case ParseMode::kFailFast:
        return InvalidArgument(file().path + ":" + std::to_string(record_.line) +
                               ": malformed record (" + record_.error +
                               "); mode FAILFAST stops the flow");
      case ParseMode::kDropMalformed:
        scan_->counters.dropped_malformed.fetch_add(1, std::memory_order_relaxed);
        return false;
      case ParseMode::kPermissive:
        return true;
    }
    return true;
  }

  void WriteMalformed(engine::ChunkWriter& writer, size_t row) {
    if (plan_.corrupt_column >= 0) {
      writer.SetString(plan_.corrupt_column, row, record_.raw);
    } else if (plan_.rescued >= 0) {
      std::string raw;
      AppendJsonString(raw, record_.raw);
      writer.SetString(plan_.rescued, row, RescuedJson({{"_corrupt_record", raw}}, file().path));
    }
    WriteFileColumns(writer, row);
  }

  void WriteFileColumns(engine::ChunkWriter& writer, size_t row) {
    const InputFile& f = file();
    for (size_t p = 0; p < source_.spec_.partition_columns.size(); ++p) {
      const std::string& name = source_.spec_.partition_columns[p];
      for (const auto& [key, value] : f.partition_values) {
        if (key != name) continue;
        // Hive's name for a NULL partition value stays NULL.
        if (value != "__HIVE_DEFAULT_PARTITION__") {
          writer.SetString(plan_.partitions_start + p, row, value);
        }
        break;
      }
    }
    if (plan_.with_metadata) {
      const size_t m = plan_.metadata_start;
      writer.SetString(m, row, f.path);
      const size_t slash = f.path.rfind('/');
      writer.SetString(m + 1, row, slash == std::string::npos ? f.path : f.path.substr(slash + 1));
      writer.SetInt64(m + 2, row, f.size);
      writer.SetTimestamp(m + 3, row, f.modification_time_ms * 1000);
    }
  }

  int ColumnOf(size_t position, std::string_view name) {
    if (position < cache_.size() && cache_[position].first == name) return cache_[position].second;
    const int column = plan_.Lookup(name);
    if (position >= cache_.size()) cache_.resize(position + 1);
    cache_[position] = {std::string(name), column};
    return column;
  }

  // Writes the record's fields; returns whether the row is written.
  Result<bool> MapRecord(engine::ChunkWriter& writer, size_t row) {
    rescued_.clear();
    ++record_number_;
    if (filled_.size() != plan_.columns.size()) filled_.assign(plan_.columns.size(), 0);
    const EvolutionMode mode = source_.spec_.options.EffectiveEvolutionMode();
    for (size_t i = 0; i < record_.fields.size(); ++i) {
      const RawField& field = record_.fields[i];
      if (csv_ != nullptr && i >= csv_->header().size()) {
        // A cell beyond the header's: not a column, so rescued whatever the mode.
        if (field.kind != FieldKind::kNull) {
          rescued_.emplace_back(std::string(field.name), FieldJson(field));
        }
        continue;
      }
      const int column = ColumnOf(i, field.name);
      if (column >= 0 && filled_[column] == record_number_) {
        // A key repeated in one record: the first value has the column, this one is rescued.
        if (field.kind != FieldKind::kNull) {
          rescued_.emplace_back(std::string(field.name), FieldJson(field));
        }
        continue;
      }
      if (column >= 0) {
        filled_[column] = record_number_;
        if (!discovering_ && !Convert(field, column, writer, row)) {
          rescued_.emplace_back(std::string(field.name), FieldJson(field));
        }
        continue;
      }
      if (column == kCaseMismatch) {
        if (field.kind != FieldKind::kNull) {
          rescued_.emplace_back(std::string(field.name), FieldJson(field));
        }
        continue;
      }
      switch (mode) {
        case EvolutionMode::kAddNewColumns:
          NoteNewField(field);
          break;
        case EvolutionMode::kFailOnNewColumns:
          return InvalidArgument(file().path + ":" + std::to_string(record_.line) +
                                 ": new column '" + std::string(field.name) +
                                 "' is not in the schema and schemaEvolutionMode is "
                                 "failOnNewColumns; add it with schemaHints or change the mode");
        case EvolutionMode::kRescue:
          if (field.kind != FieldKind::kNull) {
            rescued_.emplace_back(std::string(field.name), FieldJson(field));
          }
          break;
        case EvolutionMode::kNone:
          if (source_.spec_.options.rescued_data_column && field.kind != FieldKind::kNull) {
            rescued_.emplace_back(std::string(field.name), FieldJson(field));
          }
          break;
      }
    }
    if (discovering_) return false;
    if (!rescued_.empty() && plan_.rescued >= 0) {
      writer.SetString(plan_.rescued, row, RescuedJson(rescued_, file().path));
    }
    WriteFileColumns(writer, row);
    return true;
  }

  void NoteNewField(const RawField& field) {
    std::lock_guard<std::mutex> lock(scan_->mutex);
    for (const delta::StructField& known : scan_->new_fields) {
      if (known.name == field.name) return;
    }
    delta::StructField added;
    added.name = std::string(field.name);
    added.type = delta::DataType::String();
    const SourceOptions& options = source_.spec_.options;
    if (options.infer_column_types && source_.spec_.format != FileFormat::kText) {
      InferenceOptions inference;
      inference.date_format = plan_.date_format ? &*plan_.date_format : nullptr;
      inference.timestamp_format = plan_.timestamp_format ? &*plan_.timestamp_format : nullptr;
      delta::DataTypePtr type = source_.spec_.format == FileFormat::kJson
                                    ? InferJsonType(field, inference)
                                    : InferCsvType(field, inference);
      added.type = VoidToString(type);
    }
    scan_->new_fields.push_back(std::move(added));
    scan_->new_fields_found.store(true);
    discovering_ = true;
  }

  Status NewFieldsError() {
    std::vector<std::string> names;
    {
      std::lock_guard<std::mutex> lock(scan_->mutex);
      for (const delta::StructField& field : scan_->new_fields) names.push_back(field.name);
    }
    return Aborted("new columns found in the input: " + Join(names, ", ") +
                   " (schemaEvolutionMode addNewColumns: the schema grows and the flow is "
                   "retried)");
  }

  // Writes one value; false when it does not fit the column's type.
  bool Convert(const RawField& field, int column, engine::ChunkWriter& writer, size_t row) {
    if (field.kind == FieldKind::kNull) return true;
    const ColumnPlan& plan = plan_.columns[column];
    const bool text = field.kind == FieldKind::kString;
    const bool json = source_.spec_.format == FileFormat::kJson;
    switch (plan.conversion) {
      case Conversion::kString:
        writer.SetString(column, row, field.text);
        return true;
      case Conversion::kInteger: {
        if (json && field.kind != FieldKind::kNumber) return false;
        int64_t value = 0;
        if (!ParseInteger(field.text, plan.bits, &value)) return false;
        writer.SetInt64(column, row, value);
        return true;
      }
      case Conversion::kDouble: {
        if (json && text) {
          // Spark reads a JSON string into a double only for NaN and the infinities.
          const std::string_view t = field.text;
          if (t != "NaN" && t != "Infinity" && t != "+Infinity" && t != "-Infinity") return false;
        } else if (json && field.kind != FieldKind::kNumber) {
          return false;
        }
        double value = 0;
        if (!ParseDouble(field.text, &value)) return false;
        writer.SetDouble(column, row, value);
        return true;
      }
      case Conversion::kBoolean: {
        if (json && field.kind != FieldKind::kBool) return false;
        bool value = false;
        if (!ParseBoolean(field.text, &value)) return false;
        writer.SetBool(column, row, value);
        return true;
      }
      case Conversion::kDecimal: {
        if (json && field.kind != FieldKind::kNumber && !text) return false;
        if (!ParseDecimal(field.text, plan.type->precision(), plan.type->scale(), &scratch_)) {
          return false;
        }
        writer.SetString(column, row, scratch_);
        return true;
      }
      case Conversion::kDate: {
        if (!text) return false;
        int32_t days = 0;
        if (!ParseDate(field.text, plan_.date_format ? &*plan_.date_format : nullptr, &days)) {
          return false;
        }
        writer.SetDate(column, row, days);
        return true;
      }
      case Conversion::kTimestamp: {
        if (!text) return false;
        int64_t micros = 0;
        if (!ParseTimestamp(field.text, plan_.timestamp_format ? &*plan_.timestamp_format : nullptr,
                            &micros)) {
          return false;
        }
        writer.SetTimestamp(column, row, micros);
        return true;
      }
      case Conversion::kNested: {
        if (field.kind != FieldKind::kObject && field.kind != FieldKind::kArray) return false;
        if (!JsonFitsType(field.text, *plan.type)) return false;
        writer.SetString(column, row, field.text);
        return true;
      }
      case Conversion::kBinary:
        if (!text) return false;
        writer.SetString(column, row, field.text);
        return true;
    }
    return false;
  }

  FileBatchSource& source_;
  const Plan& plan_;
  std::shared_ptr<Scan> scan_;
  size_t file_index_ = 0;
  std::string bytes_;
  std::unique_ptr<RecordParser> parser_;
  const CsvParser* csv_ = nullptr;  // parser_ when it is a CSV parser with a header
  Record record_;
  // Field position -> (name, column) of the last record: files repeat their field order.
  std::vector<std::pair<std::string, int>> cache_;
  std::vector<std::pair<std::string, std::string>> rescued_;
  // filled_[c] == record_number_: column c already has a value in the current record.
  std::vector<uint64_t> filled_;
  uint64_t record_number_ = 0;
  std::string scratch_;
  bool discovering_ = false;  // a new field was found: only look for more
};

FileBatchSource::FileBatchSource(io::FileSystem& fs, ReadSpec spec, std::vector<InputFile> files)
    : fs_(fs), spec_(std::move(spec)), files_(std::move(files)) {}

Result<std::shared_ptr<FileBatchSource>> FileBatchSource::Make(io::FileSystem& fs, ReadSpec spec,
                                                               std::vector<InputFile> files) {
  auto plan = std::make_shared<Plan>();
  if (!spec.options.date_format.empty()) {
    SLUICE_ASSIGN_OR_RETURN(plan->date_format, DateTimePattern::Compile(spec.options.date_format));
  }
  if (!spec.options.timestamp_format.empty()) {
    SLUICE_ASSIGN_OR_RETURN(plan->timestamp_format,
                            DateTimePattern::Compile(spec.options.timestamp_format));
  }
  std::shared_ptr<FileBatchSource> source(
      new FileBatchSource(fs, std::move(spec), std::move(files)));
  const ReadSpec& s = source->spec_;
  for (const delta::StructField& field : s.schema.fields()) {
    const int index = static_cast<int>(plan->columns.size());
    plan->columns.push_back(PlanColumn(field));
    plan->exact.emplace(field.name, index);
    plan->folded.emplace(ToLower(field.name), index);
    if (field.name == s.options.corrupt_record_column &&
        field.type->kind() == delta::TypeKind::kString) {
      plan->corrupt_column = index;
    }
    source->columns_.push_back(
        {"c" + std::to_string(index), SourceTypeOf(plan->columns.back().conversion)});
  }
  if (!s.rescued_column.empty()) {
    plan->rescued = static_cast<int>(source->columns_.size());
    source->columns_.push_back({"rescued", engine::SourceType::kVarchar});
  }
  plan->partitions_start = source->columns_.size();
  for (size_t p = 0; p < s.partition_columns.size(); ++p) {
    source->columns_.push_back({"p" + std::to_string(p), engine::SourceType::kVarchar});
  }
  plan->metadata_start = source->columns_.size();
  plan->with_metadata = s.with_metadata;
  if (s.with_metadata) {
    source->columns_.push_back({"file_path", engine::SourceType::kVarchar});
    source->columns_.push_back({"file_name", engine::SourceType::kVarchar});
    source->columns_.push_back({"file_size", engine::SourceType::kBigint});
    source->columns_.push_back({"file_modification_time", engine::SourceType::kTimestamp});
  }
  source->plan_ = std::move(plan);
  return source;
}

int FileBatchSource::max_threads() const {
  return static_cast<int>(std::max<size_t>(1, std::min<size_t>(files_.size(), 8)));
}

Result<std::shared_ptr<void>> FileBatchSource::BeginScan() {
  auto scan = std::make_shared<Scan>();
  std::lock_guard<std::mutex> lock(mutex_);
  last_scan_ = scan;
  return std::static_pointer_cast<void>(scan);
}

Result<std::unique_ptr<engine::TableProducer>> FileBatchSource::MakeProducer(
    const std::shared_ptr<void>& scan) {
  return std::unique_ptr<engine::TableProducer>(
      new Producer(*this, std::static_pointer_cast<Scan>(scan)));
}

std::vector<delta::StructField> FileBatchSource::NewFields() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (last_scan_ == nullptr) return {};
  std::lock_guard<std::mutex> scan_lock(last_scan_->mutex);
  return last_scan_->new_fields;
}

const ReadCounters& FileBatchSource::counters() const {
  static const ReadCounters kNone;
  std::lock_guard<std::mutex> lock(mutex_);
  return last_scan_ == nullptr ? kNone : last_scan_->counters;
}

std::string FileBatchSource::Select(const std::string& call) const {
  std::vector<std::string> items;
  for (size_t i = 0; i < plan_->columns.size(); ++i) {
    const ColumnPlan& column = plan_->columns[i];
    const std::string source = QuoteIdentifier("c" + std::to_string(i));
    std::string expression = source;
    const delta::DataType& type = *column.type;
    switch (column.conversion) {
      case Conversion::kInteger:
      case Conversion::kDouble:
      case Conversion::kDecimal:
      case Conversion::kTimestamp:
        if (delta::ToDuckDbType(type) != "BIGINT" && delta::ToDuckDbType(type) != "DOUBLE") {
          expression = "CAST(" + source + " AS " + delta::ToDuckDbType(type) + ")";
        }
        break;
      case Conversion::kNested:
        if (type.kind() == delta::TypeKind::kMap) {
          expression = "CAST(CAST(" + source + " AS JSON) AS " + delta::ToDuckDbType(type) + ")";
        } else {
          expression = "json_transform(" + source + ", " + QuoteLiteral(JsonStructure(type)) + ")";
        }
        break;
      case Conversion::kBinary:
        expression = "encode(" + source + ")";
        break;
      default:
        break;
    }
    items.push_back(expression + " AS " + QuoteIdentifier(column.name));
  }
  if (plan_->rescued >= 0) {
    items.push_back("\"rescued\" AS " + QuoteIdentifier(spec_.rescued_column));
  }
  for (size_t p = 0; p < spec_.partition_columns.size(); ++p) {
    const std::string source = QuoteIdentifier("p" + std::to_string(p));
    const delta::DataTypePtr& type = spec_.partition_types[p];
    std::string expression = source;
    if (type->kind() != delta::TypeKind::kString) {
      expression = "TRY_CAST(" + source + " AS " + delta::ToDuckDbType(*type) + ")";
    }
    items.push_back(expression + " AS " + QuoteIdentifier(spec_.partition_columns[p]));
  }
  if (spec_.with_metadata) {
    items.push_back(
        "struct_pack(file_path := \"file_path\", file_name := \"file_name\", file_size := "
        "\"file_size\", file_block_start := 0::BIGINT, file_block_length := \"file_size\", "
        "file_modification_time := \"file_modification_time\") AS _metadata");
  }
  return "SELECT " + Join(items, ", ") + " FROM " + call;
}

}  // namespace sluice::ingest
