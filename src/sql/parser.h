// The parser of the pipeline SQL dialect (docs/sql.md): CREATE STREAMING TABLE,
// MATERIALIZED VIEW, [TEMPORARY] VIEW, legacy LIVE TABLE, CREATE FLOW, SET and USE.
#pragma once

#include <string_view>

#include "common/status.h"
#include "sql/ast.h"

namespace sluice::sql {

// Parses one source file of one or more statements. Errors are InvalidArgument (or
// NotSupported for recognised but unsupported forms) formatted by FormatDiagnostic with
// the exact place.
Result<Script> ParseScript(std::string_view text, std::string_view file);

// Parses one Spark SQL query that stands alone (as `sluice query` takes it), with its
// references; a trailing `;` is allowed.
Result<Query> ParseStandaloneQuery(std::string_view text, std::string_view file);

}  // namespace sluice::sql
