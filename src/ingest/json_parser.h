// JSON files as records (simdjson): one object per line (JSON Lines, the default) or, with
// multiLine, one JSON value per file that is an object (one record) or an array of objects
// (one record per element), as Spark's JSON reader does.
//
// A line that is not valid JSON, or valid JSON that is not an object (an array too, unlike
// Spark, which splits a top-level array into rows), is a malformed record
// (Record::malformed) with its text in Record::raw, a reason in Record::error and no
// fields; blank lines are skipped. Lines end at \n, \r\n or a lone \r; a leading UTF-8
// byte order mark is skipped. A key that appears twice in one object gives two fields.
// Numbers keep their text as written, integers of any size included. Nested objects and
// arrays come as compact JSON text (FieldKind::kObject / kArray) whose strings and numbers
// are written as in the file. Nesting deeper than 1000 levels is malformed, as Jackson's
// limit makes it.
//
// multiLine: the whole document is checked before the first record; if it is not valid
// JSON, it is one malformed record whose raw text is the whole file (line 1). An element of
// a top-level array that is not an object is a malformed record; a document that is
// neither an object nor an array is one malformed record. An empty document or array has
// no records.
#pragma once

#include <memory>
#include <string_view>

#include "ingest/records.h"

namespace sluice::ingest {

std::unique_ptr<RecordParser> MakeJsonLinesParser(std::string_view data);
std::unique_ptr<RecordParser> MakeJsonMultiLineParser(std::string_view data);

}  // namespace sluice::ingest
