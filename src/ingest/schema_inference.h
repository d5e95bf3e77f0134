// The schema of a sample of JSON, CSV or text files, as Auto Loader infers it at a stream's
// first start: files are taken in order until sample_files files or sample_bytes bytes
// (decompressed) are read; every record of them is parsed and the fields' types merged
// (ingest/inference.h); without inferColumnTypes every column is STRING. JSON columns are
// sorted by name (Spark sorts inferred JSON fields); CSV columns keep the header's order
// (of the first file that has them). Malformed records are skipped. Text files always have
// one column, value STRING.
#pragma once

#include <vector>

#include "delta/schema.h"
#include "ingest/file_reader.h"
#include "ingest/options.h"
#include "io/file_system.h"

namespace sluice::ingest {

Result<delta::Schema> InferFileSchema(io::FileSystem& fs, FileFormat format,
                                      const SourceOptions& options,
                                      const std::vector<InputFile>& files);

// The type of Hive partition values: STRING, or with inferColumnTypes the type inferred
// from the values as CSV cells are (e.g. INT for "2024"); `values` may be empty.
delta::DataTypePtr InferPartitionType(const std::vector<std::string>& values,
                                      bool infer_column_types);

// `type` with every void (a field only ever seen as null) made STRING, at any depth, as
// Spark does at the end of inference.
delta::DataTypePtr VoidToString(const delta::DataTypePtr& type);

}  // namespace sluice::ingest
