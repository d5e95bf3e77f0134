// The bytes of an input file as the parsers need them: read through io::FileSystem,
// decompressed by extension (".gz" gzip, ".zst"/".zstd" zstandard; other names are read
// as they are) and, for text formats, transcoded from the `encoding` option to UTF-8.
//
// Errors name the file: IOError for a file that cannot be read (missing, permission
// denied), Corruption for a compressed stream that is damaged or truncated,
// InvalidArgument for an unknown encoding.
#pragma once

#include <string>

#include "common/status.h"
#include "io/file_system.h"

namespace sluice::ingest {

// "gzip", "zstd" or "" for the compression a file name implies.
std::string CompressionOf(const std::string& path);

// The file's contents, decompressed.
Result<std::string> ReadFileBytes(io::FileSystem& fs, const std::string& path);

// `bytes` converted from `encoding` (Spark's names: "UTF-8" (no change), "ISO-8859-1"/
// "latin1", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "windows-1252", ... anything
// iconv knows) to UTF-8; a leading UTF-8 byte order mark is dropped. `path` is for messages.
Result<std::string> ToUtf8(std::string bytes, const std::string& encoding,
                           const std::string& path);

}  // namespace sluice::ingest
