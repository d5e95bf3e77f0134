// Reading a batch of JSON, CSV or text files with a known schema, as Auto Loader does: a
// table source (engine/table_source.h) whose producers take files one by one, parse their
// records and write rows, with
//
//  * values converted to the schema's types (ingest/values.h); a value that does not fit,
//    a field whose name matches a column only ignoring case, and (in rescue mode) a field
//    the schema lacks go to the rescued data column as one JSON object per row, with the
//    file's path under "_file_path"; a row with nothing rescued has NULL there;
//  * malformed records handled by `mode`: PERMISSIVE keeps a row whose columns are NULL and
//    whose raw text is in the corrupt record column when the schema has one, else in the
//    rescued data under "_corrupt_record"; DROPMALFORMED drops it and counts it;
//    FAILFAST fails the read naming the file and line;
//  * new fields handled by the evolution mode: addNewColumns collects every new field of
//    the batch (reading on without writing rows once one is found) and then fails the read,
//    so that the caller can grow the schema and read the batch again; failOnNewColumns
//    fails naming the field and file; none ignores it;
//  * Hive partition values of each file's folders and the _metadata fields as columns.
//
// The SQL of Select() gives the final column names and types (casting text to decimals,
// structs, arrays and maps), so the source's own columns stay within the engine's scalar
// types.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "delta/schema.h"
#include "engine/table_source.h"
#include "ingest/options.h"
#include "io/file_system.h"

namespace sluice::ingest {

struct InputFile {
  std::string path;  // absolute
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  // Hive partition values from the file's folders below the source's root, in order
  // ("date=2024-01-01/country=US" -> {date, 2024-01-01}, {country, US}).
  std::vector<std::pair<std::string, std::string>> partition_values;
};

// What a read found besides its rows. Safe to read after the scan ends.
struct ReadCounters {
  std::atomic<int64_t> dropped_malformed{0};  // malformed records dropped (DROPMALFORMED)
};

struct ReadSpec {
  FileFormat format = FileFormat::kJson;  // json, csv or text
  SourceOptions options;
  // The data columns, in order (without the rescued data, partition and metadata columns).
  delta::Schema schema;
  std::string rescued_column;                  // "" = none
  std::vector<std::string> partition_columns;  // typed by `partition_types`
  std::vector<delta::DataTypePtr> partition_types;
  bool with_metadata = false;  // add a _metadata struct column
};

class FileBatchSource : public engine::TableSource {
 public:
  // Checks the spec (date and timestamp patterns compile).
  static Result<std::shared_ptr<FileBatchSource>> Make(io::FileSystem& fs, ReadSpec spec,
                                                       std::vector<InputFile> files);

  const std::vector<engine::SourceColumn>& columns() const override { return columns_; }
  int max_threads() const override;
  Result<std::shared_ptr<void>> BeginScan() override;
  Result<std::unique_ptr<engine::TableProducer>> MakeProducer(
      const std::shared_ptr<void>& scan) override;

  // The query over `call` (the SQL reading this source) with the final columns and types.
  std::string Select(const std::string& call) const;

  // Of the last scan that began. addNewColumns: the fields found that the schema lacks,
  // with their inferred types, in the order met; empty when none.
  std::vector<delta::StructField> NewFields() const;
  const ReadCounters& counters() const;

  struct Scan;  // the files claimed and finished, counters, new fields

 private:
  class Producer;
  FileBatchSource(io::FileSystem& fs, ReadSpec spec, std::vector<InputFile> files);

  io::FileSystem& fs_;
  ReadSpec spec_;
  std::vector<InputFile> files_;
  std::vector<engine::SourceColumn> columns_;
  struct Plan;  // compiled patterns and column lookups shared by producers
  std::shared_ptr<const Plan> plan_;
  mutable std::mutex mutex_;
  std::shared_ptr<Scan> last_scan_;
};

// The rescued data column's JSON for a set of fields; exposed for tests.
std::string RescuedJson(const std::vector<std::pair<std::string, std::string>>& name_and_json,
                        const std::string& file_path);

}  // namespace sluice::ingest
