// The text of an input file and the record parser for its format, as a source's options
// ask: what reading a batch and inferring a schema both need.
#pragma once

#include <memory>
#include <string>

#include "ingest/options.h"
#include "ingest/records.h"
#include "io/file_system.h"

namespace sluice::ingest {

// The file's text as UTF-8: decompressed, transcoded from options.encoding, without a
// byte order mark. Text that is still not valid UTF-8 is InvalidArgument naming the file.
Result<std::string> ReadTextFile(io::FileSystem& fs, const std::string& path,
                                 const SourceOptions& options);

// The parser of `text` for a JSON, CSV or text source (not Parquet); `text` must outlive
// it.
std::unique_ptr<RecordParser> MakeRecordParser(FileFormat format, const SourceOptions& options,
                                               const std::string& text);

}  // namespace sluice::ingest
