// Input file encodings for declarative tests: compressed and non-UTF-8 files written from
// a test's text.
#pragma once

#include <string>

namespace sluice::testing {

std::string GzipCompress(const std::string& data);
std::string ZstdCompress(const std::string& data);
// A Parquet file of the rows of `csv` (with a header; column types as DuckDB detects
// them); `error` is set when DuckDB refuses.
std::string ParquetFromCsv(const std::string& csv, std::string* error);
// UTF-8 text with code points up to U+00FF as ISO-8859-1 bytes (others become '?').
std::string Latin1FromUtf8(const std::string& text);

}  // namespace sluice::testing
