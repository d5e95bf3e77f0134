// JSON files as records (simdjson): one object per line (JSON Lines, the default) or, with
// multiLine, one JSON value per file that is an object (one record) or an array of objects
// (one record per element), as Spark's JSON reader does.
//
// A line that is not valid JSON, or valid JSON that is not an object, is a malformed
// record (Record::malformed) with its text in Record::raw; blank lines are skipped. A key
// that appears twice in one object keeps its first value. Nested objects and arrays come as
// compact JSON text (FieldKind::kObject / kArray).
#pragma once

#include <memory>
#include <string_view>

#include "ingest/records.h"

namespace sluice::ingest {

std::unique_ptr<RecordParser> MakeJsonLinesParser(std::string_view data);
std::unique_ptr<RecordParser> MakeJsonMultiLineParser(std::string_view data);

}  // namespace sluice::ingest
