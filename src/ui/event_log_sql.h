// What the UI's documents share to query a pipeline's event_log and read its answers:
// Spark SQL text for times and literals, and cells turned into JSON and numbers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "sluice/pipeline.h"
#include "sluice/table.h"

namespace sluice::ui {

// A flow_progress status after which the flow did nothing more in the update (a predicate).
extern const char* const kTerminalFlowStatus;

// `expr` (a timestamp) as UTC text with milliseconds, "2024-01-02T03:04:05.678Z" (the
// session time zone is UTC).
std::string TimeText(const std::string& expr);
// Seconds between two timestamps, as a DOUBLE.
std::string SecondsBetween(const std::string& from, const std::string& to);
// A Spark SQL string literal (backslash escapes, as Spark reads them).
std::string SparkLiteral(const std::string& text);

// Runs `sql` on the pipeline; a pipeline that never ran has no event log yet: no rows.
Result<Rows> QueryEventLog(Pipeline& pipeline, const std::string& sql);

nlohmann::json CellJson(const Cell& cell);
// The cell's text, "" for NULL.
std::string CellText(const Cell& cell);
// The cell as a number, 0 for NULL or text that is not one.
int64_t CellInt(const Cell& cell);
// A JSON text cell parsed, or null (the text itself when it is not JSON).
nlohmann::json CellParsedJson(const Cell& cell);

}  // namespace sluice::ui
