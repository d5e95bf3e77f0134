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

// The URI scheme of a path naming storage on another machine ("s3a" of "s3a://bucket/key";
// abfss:, gs:, dbfs:, hdfs:, ...), or "" for a local path or a file: URI. A scheme has two
// characters or more, so "C:/x" has none. sluice reads and writes local paths only.
std::string_view RemoteStorageScheme(std::string_view path);

}  // namespace sluice::sql
