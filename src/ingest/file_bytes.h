// The bytes of an input file as the parsers need them: read through io::FileSystem,
// decompressed by extension (".gz" gzip, ".zst"/".zstd" zstandard, ignoring case; other
// names are read as they are) and, for text formats, transcoded from the `encoding` option
// to UTF-8. Concatenated gzip members and zstd frames are all read, as gunzip and
// `zstd -d` read them; an empty compressed file is empty.
//
// Errors name the file: the file system's NotFound for a missing file and IOError for one
// that cannot be read (permission denied, a disk error), Corruption for a compressed stream
// that is damaged or truncated, InvalidArgument for an unknown encoding or bytes that are
// not valid in it (with their byte offset).
#pragma once

#include <string>

#include "common/status.h"
#include "io/file_system.h"

namespace sluice::ingest {

// "gzip", "zstd" or "" for the compression a file name implies.
std::string CompressionOf(const std::string& path);

// The file's contents, decompressed.
Result<std::string> ReadFileBytes(io::FileSystem& fs, const std::string& path);

// `bytes` converted from `encoding` (Spark's names: "UTF-8" (no change, not validated),
// "ISO-8859-1"/"latin1", "UTF-16", "UTF-16LE", "UTF-16BE", "US-ASCII", "windows-1252", ...
// anything iconv knows) to UTF-8; a leading UTF-8 byte order mark is dropped. As in Java,
// "UTF-16" and "UTF-32" follow a byte order mark and are big-endian without one. `path` is
// for messages.
Result<std::string> ToUtf8(std::string bytes, const std::string& encoding, const std::string& path);

}  // namespace sluice::ingest
