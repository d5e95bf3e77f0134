// Records as the file parsers see them, before any schema is applied: a record is a list
// of named fields, each with the kind of value it held and its text. Parsers never decide
// types or schemas; ingest/values.h converts field text to column types, ingest/file_reader.h
// applies the schema, rescues what does not fit and handles malformed records.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::ingest {

// What a field held in the file. CSV and text fields are always kString or kNull.
enum class FieldKind { kNull, kString, kNumber, kBool, kObject, kArray };

struct RawField {
  // The field name as written in the file (JSON key, CSV header cell or "_c<i>").
  std::string_view name;
  FieldKind kind = FieldKind::kNull;
  // kString: the decoded string (JSON escapes resolved, CSV quotes removed).
  // kNumber: the number as written ("1", "-2.50", "1e3"). kBool: "true" or "false".
  // kObject, kArray: the value as compact JSON text. kNull: empty.
  std::string_view text;
};

// One record of a file. Views point into the parser's buffers and the file's bytes, valid
// until the parser's next call.
struct Record {
  std::vector<RawField> fields;
  // The record's text as it appears in the file (a JSON line, a CSV row without its line
  // ending, the element of a multi-line JSON array). Used for corrupt records.
  std::string_view raw;
  // 1-based line of the record's first character in the (decompressed) file.
  int64_t line = 0;
  // The record could not be parsed (bad JSON, not a JSON object, a CSV row with an
  // unclosed quote). `error` says why; `fields` may hold what was read before the error.
  bool malformed = false;
  std::string error;
};

// Reads records one by one from the bytes of one file (already decompressed). The bytes
// must outlive the parser.
class RecordParser {
 public:
  virtual ~RecordParser() = default;
  // Fills `record` with the next record and returns true, or returns false at the end.
  // Errors are only for input that cannot be read on at all (e.g. a multi-line JSON file
  // that is not valid JSON as a whole is one malformed record, not an error).
  virtual Result<bool> Next(Record& record) = 0;
};

}  // namespace sluice::ingest
