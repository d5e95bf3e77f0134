// Plain text files as records with one field "value": one record per line (line endings
// \n, \r\n or \r, or `line_sep` when set; the ending is not part of the value), or the
// whole file as one record with `whole_text`. An empty file has no records; a last line
// without a line ending is still a record.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ingest/records.h"

namespace sluice::ingest {

std::unique_ptr<RecordParser> MakeTextParser(std::string_view data, bool whole_text,
                                             const std::string& line_sep = "");

}  // namespace sluice::ingest
