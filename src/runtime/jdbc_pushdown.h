// Pushdown for PostgreSQL sources (docs/postgres.md#pushdown): the conditions of a query's
// WHERE on the rows of a read_jdbc relation that PostgreSQL can apply before the rows
// cross, and the columns the query uses. Only a SELECT that reads that relation alone (no join, no
// lateral view, no renamed columns) pushes its conditions; the query still applies them all, so
// pushing fewer never changes a result.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sources/postgres_options.h"
#include "spark/ast.h"

namespace sluice::runtime {

// The conjuncts of `query`'s WHERE that compare a column of `relation` with literals:
// `c op literal` (or `literal op c`), `c IN (literals)`, `c IS [NOT] NULL`, `c BETWEEN
// literal AND literal`. Empty when `relation` is not the only relation of a SELECT of
// `query` (subqueries and CTEs are not searched).
std::vector<sources::PostgresCondition> PushableConditions(const spark::Query& query,
                                                           const spark::Relation& relation);

// The names `query` may use of `relation`'s columns (lower case; a superset: every name any
// column reference or lambda parameter of the query mentions), or nullopt when it may use
// them all (a star other than count(*), or `relation` is not the only relation of the
// SELECT).
std::optional<std::vector<std::string>> ColumnsUsed(const spark::Query& query,
                                                    const spark::Relation& relation);

}  // namespace sluice::runtime
