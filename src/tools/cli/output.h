// Rendering result rows for the terminal and for other programs.
//
//   table: an ASCII box with a header line; numbers right-aligned, NULL as "NULL",
//          line breaks and tabs inside values shown as \n, \r, \t.
//   csv:   RFC 4180: a header record, CRLF line ends, fields quoted only when they hold a
//          comma, quote, CR or LF; NULL is an empty field, an empty string is "".
//   json:  one array with one object per row; integers, doubles and booleans as JSON
//          numbers and booleans, NULL as null, non-finite doubles as strings ("NaN",
//          "Infinity", "-Infinity"), cells of columns typed "JSON" or of a nested type
//          (STRUCT, MAP, UNION, LIST, ARRAY: Session gives those as JSON text) embedded
//          as JSON, everything else as a string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "sluice/table.h"

namespace sluice::cli {

enum class Format { kTable, kCsv, kJson };

inline constexpr const char* kFormatNames[] = {"table", "csv", "json"};

// nullopt for a name that is none of "table", "csv", "json".
std::optional<Format> ParseFormat(std::string_view name);

std::string RenderTable(const Rows& rows);
std::string RenderCsv(const Rows& rows);
std::string RenderJson(const Rows& rows);
std::string Render(const Rows& rows, Format format);

using ::sluice::JsonString;  // common/strings.h
// One cell as a JSON value (see the json format above); `type` is its column's type.
std::string JsonValue(const Cell& cell, std::string_view type);

}  // namespace sluice::cli
