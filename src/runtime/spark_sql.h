// Spark SQL in the runtime: the Spark settings a flow's queries follow, the schemas of the
// relations they read (from DuckDB), and expressions translated over a relation's rows.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"
#include "spark/translator.h"
#include "spec/settings.h"
#include "sql/ast.h"

namespace sluice::runtime {

// The Spark options of queries defined under `conf` (the SET values before them in their
// file) in a pipeline with `settings`: spark.sql.ansi.enabled, spark.sql.session.timeZone.
spark::TranslateOptions SparkOptions(const spec::PipelineSettings& settings,
                                     const std::map<std::string, std::string>& conf);

// Whether a Spark SQL query's text calls a function that makes its result differ between
// runs over the same inputs (rand, uuid, current_timestamp...).
bool IsNondeterministic(const std::string& query);

// Sets the connection's time zone to the session time zone of `options` (a zone id such as
// America/Los_Angeles, UTC or an offset such as +02:00); an unknown zone is an error.
Status UseSessionTimeZone(engine::Connection& connection, const spark::TranslateOptions& options);

// A relation's columns as DuckDB describes them: names and DuckDB types.
using DescribedColumns = std::vector<std::pair<std::string, std::string>>;

// The columns of a relation (a quoted view name or a parenthesized query), with Spark types
// and the DuckDB types they have.
Result<spark::BoundRelation> DescribeRelation(engine::Connection& connection,
                                              const std::string& relation_sql);

// The relation `relation_sql` of the described `columns`, as DescribeRelation makes it.
Result<spark::BoundRelation> RelationOfColumns(const std::string& relation_sql,
                                               const DescribedColumns& columns);

// DuckDB's description of a relation.
Result<DescribedColumns> DescribeColumns(engine::Connection& connection,
                                         const std::string& relation_sql);

// `query` translated with reference i read from relations[i].
Result<spark::Translation> TranslateWithRelations(
    const sql::Query& query, const std::vector<spark::BoundRelation>& relations,
    const spark::TranslateOptions& options);

// `expression` over the rows of `relation_sql`, as DuckDB SQL naming its columns.
Result<std::string> TranslateOver(engine::Connection& connection,
                                  const spark::ParsedExpression& expression,
                                  const std::string& relation_sql,
                                  const spark::TranslateOptions& options);

}  // namespace sluice::runtime
