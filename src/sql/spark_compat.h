// Spark SQL on DuckDB: pipeline queries are Spark SQL as Databricks users write it; where
// DuckDB lacks a Spark function or gives the same name another meaning, the query is
// rewritten so that Spark's meaning wins (docs/spark-functions.md lists every rewrite).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::sql {

// Rewrites one Spark SQL query (or expression after SELECT) into DuckDB SQL. Strings,
// comments and identifiers `__sluice_ref_<n>__` (placeholders for relations) are kept.
Result<std::string> TranslateSparkSql(std::string_view query);

// Spark type syntax (LONG, STRING, ARRAY<INT>, STRUCT<a: INT>, MAP<STRING, INT>, ...) as
// DuckDB type syntax.
Result<std::string> TranslateSparkType(std::string_view type);

// Spark datetime pattern ('yyyy-MM-dd HH:mm:ss') as a strftime/strptime format.
Result<std::string> SparkPatternToStrftime(std::string_view pattern);

// Statements defining the helper macros translated queries call (all named spark_*); run
// once on a database before translated queries (they are visible to all its connections).
const std::vector<std::string>& SparkCompatDefinitions();

}  // namespace sluice::sql
