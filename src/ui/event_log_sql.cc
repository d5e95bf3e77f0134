#include "ui/event_log_sql.h"

#include <cstdlib>

namespace sluice::ui {

using nlohmann::json;

const char* const kTerminalFlowStatus =
    "details:flow_progress.status IN ('COMPLETED', 'FAILED', 'SKIPPED', 'EXCLUDED', 'IDLE', "
    "'STOPPED', 'CANCELED')";

std::string TimeText(const std::string& expr) {
  return "date_format(" + expr + ", \"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")";
}

std::string SecondsBetween(const std::string& from, const std::string& to) {
  return "CAST((unix_micros(" + to + ") - unix_micros(" + from + ")) / 1000000.0 AS DOUBLE)";
}

std::string SparkLiteral(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

Result<Rows> QueryEventLog(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  if (!rows.ok() && rows.status().code() == StatusCode::kNotFound) return Rows{};
  return rows;
}

json CellJson(const Cell& cell) {
  if (cell.is_null()) return nullptr;
  if (const bool* b = std::get_if<bool>(&cell.value)) return *b;
  if (const int64_t* i = std::get_if<int64_t>(&cell.value)) return *i;
  if (const double* d = std::get_if<double>(&cell.value)) return *d;
  return std::get<std::string>(cell.value);
}

std::string CellText(const Cell& cell) { return cell.is_null() ? "" : cell.ToString(); }

int64_t CellInt(const Cell& cell) {
  if (const int64_t* i = std::get_if<int64_t>(&cell.value)) return *i;
  if (const double* d = std::get_if<double>(&cell.value)) return static_cast<int64_t>(*d);
  const std::string text = CellText(cell);
  return text.empty() ? 0 : std::atoll(text.c_str());
}

json CellParsedJson(const Cell& cell) {
  if (cell.is_null()) return nullptr;
  const std::string text = cell.ToString();
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(text) : parsed;
}

}  // namespace sluice::ui
