// The assertions of a declarative pipeline test (docs/testing.md) over what the public
// API returned: an update's report, a pipeline graph, an error message, query rows.
#pragma once

#include <string>
#include <vector>

#include "script.h"
#include "script_runner.h"
#include "sluice/pipeline.h"

namespace sluice::testing {

// Checks the assertion lines `state`, `flow`, `flow-error`, `expectation`, `updates` of a
// `run` record against the report.
void CheckUpdate(const ScriptRecord& record, const UpdateReport& report,
                 std::vector<ScriptFailure>* failures);

// Checks the assertion lines `dataset` and `flow` of a `validate` or `graph` record.
// Input paths under `dir` are compared relative to it.
void CheckGraph(const ScriptRecord& record, const PipelineGraph& graph, const std::string& dir,
                std::vector<ScriptFailure>* failures);

// Checks the `warning` lines of a record against the pipeline's warnings.
void CheckWarnings(const ScriptRecord& record, const std::vector<std::string>& warnings,
                   std::vector<ScriptFailure>* failures);

// The texts of the record's `error` lines (what follows "error "; leading spaces kept).
std::vector<std::string> ErrorLines(const ScriptRecord& record);

// Empty when `message` holds the expected texts in order, each within one line of it; a
// text made only of spaces and carets must equal its line (trailing spaces aside), so
// that the caret's column is checked. Otherwise what is wrong.
std::string MatchError(const std::vector<std::string>& expected, const std::string& message);

// The rows as the test file writes them: cells joined by `separator`, NULL as "NULL".
std::vector<std::string> RenderRows(const Rows& rows, const std::string& separator);

}  // namespace sluice::testing
