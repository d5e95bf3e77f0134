// CSV (and other delimited text) files as records, with Spark's CSV reader options.
//
// Fields are kString, or kNull when the unquoted field equals `null_value` (Spark's default
// nullValue is the empty string, so an empty unquoted field is NULL; a quoted empty field
// "" is the empty string). Field names are the header's cells when `header` is set
// (the header row is consumed, never returned as a record; an empty header cell is named
// "_c<i>"), else "_c0", "_c1", ... by position. A row with more cells than the header keeps
// the extra cells under the names "_c<i>" (0-based position), so nothing is lost; a row
// with fewer cells simply has fewer fields.
//
// Quoting follows RFC 4180 and Spark: a field starting with `quote` runs to the matching
// quote; inside it a doubled quote or `escape` followed by a quote is a literal quote.
// Outside multiLine, a line break inside quotes ends the record anyway and the record is
// malformed ("unclosed quote"); with multiLine, quoted fields may span lines. Line endings
// are \n, \r\n or \r. A row starting with `comment` (when set) is skipped.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/records.h"

namespace sluice::ingest {

struct CsvOptions {
  std::string delimiter = ",";  // one or more characters (Spark's sep / delimiter)
  char quote = '"';             // '\0' = no quoting
  char escape = '\\';           // '\0' = none
  char comment = '\0';          // '\0' = no comment lines
  bool header = false;
  bool multi_line = false;
  std::string null_value;  // an unquoted field equal to this is NULL
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;
};

class CsvParser : public RecordParser {
 public:
  // `data` must outlive the parser.
  static std::unique_ptr<CsvParser> Make(std::string_view data, const CsvOptions& options);
  // The header's cells (after the first Next when options.header); empty without a header.
  virtual const std::vector<std::string>& header() const = 0;
};

}  // namespace sluice::ingest
