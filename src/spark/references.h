// The relations a query reads from outside itself.
#pragma once

#include <string_view>
#include <vector>

#include "spark/ast.h"

namespace sluice::spark {

// Whether a table function reads files: read_files(...) and Auto Loader's cloud_files(...).
bool IsFileSourceFunction(std::string_view name);
// Whether a table function reads from outside the pipeline: file sources, read_kafka and
// read_jdbc.
bool IsSourceFunction(std::string_view name);

// Finds every relation of `query` (and of its subqueries and CTEs) that is not defined by
// the query itself: table names that are no CTE in scope, path tables (delta.`/p`), and
// source table functions (IsSourceFunction). Numbers them in order of appearance in the text, in
// Relation::reference, and returns them in that order.
std::vector<Relation*> AnnotateReferences(Query& query);

}  // namespace sluice::spark
