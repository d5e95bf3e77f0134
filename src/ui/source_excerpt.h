// The text of a dataset's definition in its source file, for the dataset page: the SQL
// statement that starts at a line, or the Python definition there (a decorated function
// with its decorators, or a call such as dlt.create_streaming_table(...)).
#pragma once

#include <optional>
#include <string>

namespace sluice::ui {

// The definition in `text` (a file's contents) starting at 1-based `line`; `python` picks
// Python's rules, otherwise SQL's (up to the line ending the statement with ';'). At most
// `max_lines` lines; nullopt when the line is not in the text.
std::optional<std::string> DefinitionExcerpt(const std::string& text, int line, bool python,
                                             int max_lines = 200);

// The same read from the file at `path` (".py" files are Python); nullopt when it cannot be
// read.
std::optional<std::string> DefinitionExcerptOfFile(const std::string& path, int line);

}  // namespace sluice::ui
