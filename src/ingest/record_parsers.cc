#include "ingest/record_parsers.h"

#include <simdjson.h>

#include "common/strings.h"
#include "ingest/csv_parser.h"
#include "ingest/file_bytes.h"
#include "ingest/json_parser.h"
#include "ingest/text_parser.h"

namespace sluice::ingest {

Result<std::string> ReadTextFile(io::FileSystem& fs, const std::string& path,
                                 const SourceOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(fs, path));
  if (!EqualsIgnoreCase(options.encoding, "UTF-8") && !EqualsIgnoreCase(options.encoding, "UTF8")) {
    SLUICE_ASSIGN_OR_RETURN(bytes, ToUtf8(std::move(bytes), options.encoding, path));
  } else if (StartsWith(bytes, "\xEF\xBB\xBF")) {
    bytes.erase(0, 3);
  }
  if (!simdjson::validate_utf8(bytes.data(), bytes.size())) {
    return InvalidArgument(path +
                           ": the file is not valid UTF-8; set encoding => '...' to the "
                           "file's encoding (e.g. 'ISO-8859-1')");
  }
  return bytes;
}

std::unique_ptr<RecordParser> MakeRecordParser(FileFormat format, const SourceOptions& options,
                                               const std::string& text) {
  switch (format) {
    case FileFormat::kJson:
      return options.multi_line ? MakeJsonMultiLineParser(text) : MakeJsonLinesParser(text);
    case FileFormat::kCsv: {
      CsvOptions csv;
      csv.delimiter = options.delimiter;
      csv.quote = options.quote;
      csv.escape = options.escape;
      csv.comment = options.comment;
      csv.header = options.header;
      csv.multi_line = options.multi_line;
      csv.null_value = options.null_value;
      csv.ignore_leading_white_space = options.ignore_leading_white_space;
      csv.ignore_trailing_white_space = options.ignore_trailing_white_space;
      return CsvParser::Make(text, csv);
    }
    case FileFormat::kText:
    case FileFormat::kParquet:
      break;
  }
  return MakeTextParser(text, options.whole_text, options.line_sep);
}

}  // namespace sluice::ingest
