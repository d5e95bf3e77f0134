#include "tools/cli/output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace sluice::cli {
namespace {

// Width on a terminal, counting UTF-8 code points (continuation bytes take no column).
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string TableText(const Cell& cell) {
  if (cell.is_null()) return "NULL";
  std::string text;
  for (char c : cell.ToString()) {
    switch (c) {
      case '\n':
        text += "\\n";
        break;
      case '\r':
        text += "\\r";
        break;
      case '\t':
        text += "\\t";
        break;
      default:
        text += c;
    }
  }
  return text;
}

// Numeric columns are right-aligned, their NULLs too.
bool IsNumericType(std::string_view type) {
  static constexpr std::string_view kNumeric[] = {"TINYINT", "SMALLINT", "INTEGER",   "BIGINT",
                                                  "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                                                  "UBIGINT", "UHUGEINT", "FLOAT",     "DOUBLE"};
  for (std::string_view numeric : kNumeric) {
    if (type == numeric) return true;
  }
  return type.substr(0, 7) == "DECIMAL";
}

bool RightAligned(const Rows& rows, size_t column, const Cell& cell) {
  if (column < rows.column_types.size() && IsNumericType(rows.column_types[column])) return true;
  return std::holds_alternative<int64_t>(cell.value) || std::holds_alternative<double>(cell.value);
}

void Pad(std::string* out, size_t count) { out->append(count, ' '); }

std::string Border(const std::vector<size_t>& widths) {
  std::string line = "+";
  for (size_t width : widths) line += std::string(width + 2, '-') + "+";
  return line + "\n";
}

std::string CsvField(const Cell& cell) {
  if (cell.is_null()) return "";
  std::string text = cell.ToString();
  if (text.empty()) return "\"\"";
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    line += fields[i];
  }
  return line + "\r\n";
}

// Session results hold values of nested types as JSON text.
bool HoldsJson(std::string_view type) {
  return type == "JSON" || type.substr(0, 7) == "STRUCT(" || type.substr(0, 4) == "MAP(" ||
         type.substr(0, 6) == "UNION(" || (!type.empty() && type.back() == ']');
}

}  // namespace

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "csv") return Format::kCsv;
  if (name == "json") return Format::kJson;
  return std::nullopt;
}

std::string RenderTable(const Rows& rows) {
  size_t columns = rows.column_names.size();
  std::vector<size_t> widths(columns);
  for (size_t c = 0; c < columns; ++c) widths[c] = DisplayWidth(rows.column_names[c]);
  std::vector<std::vector<std::string>> texts;
  texts.reserve(rows.rows.size());
  for (const std::vector<Cell>& row : rows.rows) {
    std::vector<std::string> line;
    for (size_t c = 0; c < columns; ++c) {
      line.push_back(TableText(row[c]));
      widths[c] = std::max(widths[c], DisplayWidth(line.back()));
    }
    texts.push_back(std::move(line));
  }
  std::string border = Border(widths);
  std::string out = border + "|";
  for (size_t c = 0; c < columns; ++c) {
    out += " " + rows.column_names[c];
    Pad(&out, widths[c] - DisplayWidth(rows.column_names[c]) + 1);
    out += "|";
  }
  out += "\n" + border;
  for (size_t r = 0; r < texts.size(); ++r) {
    out += "|";
    for (size_t c = 0; c < columns; ++c) {
      size_t padding = widths[c] - DisplayWidth(texts[r][c]);
      out += " ";
      if (RightAligned(rows, c, rows.rows[r][c])) {
        Pad(&out, padding);
        out += texts[r][c];
      } else {
        out += texts[r][c];
        Pad(&out, padding);
      }
      out += " |";
    }
    out += "\n";
  }
  if (!texts.empty()) out += border;
  return out;
}

std::string RenderCsv(const Rows& rows) {
  std::vector<std::string> header;
  for (const std::string& name : rows.column_names) header.push_back(CsvField(Cell{name}));
  std::string out = CsvRecord(header);
  for (const std::vector<Cell>& row : rows.rows) {
    std::vector<std::string> fields;
    for (const Cell& cell : row) fields.push_back(CsvField(cell));
    out += CsvRecord(fields);
  }
  return out;
}

std::string JsonValue(const Cell& cell, std::string_view type) {
  if (cell.is_null()) return "null";
  if (const double* d = std::get_if<double>(&cell.value)) {
    if (std::isnan(*d)) return "\"NaN\"";
    if (std::isinf(*d)) return *d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return cell.ToString();
  }
  if (std::holds_alternative<int64_t>(cell.value) || std::holds_alternative<bool>(cell.value)) {
    return cell.ToString();
  }
  if (HoldsJson(type)) return cell.ToString();
  return JsonString(cell.ToString());
}

std::string RenderJson(const Rows& rows) {
  if (rows.rows.empty()) return "[]\n";
  std::string out = "[\n";
  for (size_t r = 0; r < rows.rows.size(); ++r) {
    out += "{";
    for (size_t c = 0; c < rows.column_names.size(); ++c) {
      if (c > 0) out += ",";
      std::string_view type;
      if (c < rows.column_types.size()) type = rows.column_types[c];
      out += JsonString(rows.column_names[c]) + ":" + JsonValue(rows.rows[r][c], type);
    }
    out += r + 1 < rows.rows.size() ? "},\n" : "}\n";
  }
  return out + "]\n";
}

std::string Render(const Rows& rows, Format format) {
  switch (format) {
    case Format::kTable:
      return RenderTable(rows);
    case Format::kCsv:
      return RenderCsv(rows);
    case Format::kJson:
      return RenderJson(rows);
  }
  return "";
}

}  // namespace sluice::cli
