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
// Quoting follows RFC 4180 and Spark: a field starting with `quote` (after leading spaces
// only when they are ignored) runs to the matching quote; inside it a doubled quote or
// `escape` followed by a quote is a literal quote, and `escape` doubled is one `escape`
// (Spark's default charToEscapeQuoteEscaping); `escape` before anything else is kept.
// Spaces after the closing quote are dropped; other text after it makes the whole field,
// quotes included, an unquoted value (Spark's STOP_AT_DELIMITER). Outside the quotes
// `escape` means nothing. Outside multiLine, a line break inside quotes ends the record
// anyway and the record is malformed ("unclosed quote"); with multiLine, quoted fields may
// span lines (their line endings are kept as written) and an unclosed quote runs to the
// end of the data. Line endings are \n, \r\n or \r. Lines that are empty or hold only
// bytes up to ' ' are skipped, as are lines starting with `comment` (when set); both
// still count for Record::line.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/records.h"

namespace sluice::ingest {

struct CsvOptions {
  std::string delimiter = ",";  // one or more characters (Spark's sep); empty means ","
  char quote = '"';             // '\0' = no quoting
  char escape = '\\';           // '\0' = none
  char comment = '\0';          // '\0' = no comment lines
  bool header = false;
  bool multi_line = false;
  std::string null_value;  // an unquoted field equal to this (after trimming) is NULL
  // Trim bytes up to ' ' around unquoted fields and outside quotes.
  bool ignore_leading_white_space = false;
  bool ignore_trailing_white_space = false;
};

class CsvParser : public RecordParser {
 public:
  // `data` must outlive the parser.
  static std::unique_ptr<CsvParser> Make(std::string_view data, const CsvOptions& options);
  // The field names the header gives, one per header cell ("_c<i>" for an empty or NULL
  // cell), after the first Next when options.header; empty without a header.
  virtual const std::vector<std::string>& header() const = 0;
};

}  // namespace sluice::ingest
