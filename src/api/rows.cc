#include <cstdio>
#include <cstdlib>
#include <string>
#include <variant>

#include "api/session_internal.h"

namespace sluice {

std::string Cell::ToString() const {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const {
      // The shortest text that reads back as the same double.
      char buffer[32];
      for (int precision = 15; precision <= 17; ++precision) {
        std::snprintf(buffer, sizeof(buffer), "%.*g", precision, v);
        if (std::strtod(buffer, nullptr) == v) break;
      }
      return buffer;
    }
    std::string operator()(const std::string& v) const { return v; }
  };
  return std::visit(Visitor{}, value);
}

namespace api {

Cell ToCell(const engine::Value& value) {
  struct Visitor {
    const engine::Value& value;
    Cell operator()(std::monostate) const { return Cell{}; }
    Cell operator()(bool v) const { return Cell{v}; }
    Cell operator()(int64_t v) const { return Cell{v}; }
    Cell operator()(double v) const { return Cell{v}; }
    Cell operator()(const std::string& v) const { return Cell{v}; }
    // Blobs as DuckDB's escaped text, e.g. "\x00ab".
    Cell operator()(const engine::Value::Blob&) const { return Cell{value.ToString()}; }
  };
  return std::visit(Visitor{value}, value.data);
}

Rows ToRows(const engine::QueryResult& result) {
  Rows rows;
  for (size_t c = 0; c < result.column_count(); ++c) {
    rows.column_names.push_back(result.column_name(c));
    rows.column_types.push_back(result.column_type(c));
  }
  rows.rows.reserve(result.row_count());
  for (const std::vector<engine::Value>& row : result.rows()) {
    std::vector<Cell> cells;
    cells.reserve(row.size());
    for (const engine::Value& value : row) cells.push_back(ToCell(value));
    rows.rows.push_back(std::move(cells));
  }
  return rows;
}

}  // namespace api
}  // namespace sluice
