// Steps shared by the table-level writes (write.cc, merge.cc). Internal to delta/.
#pragma once

#include <string>

#include "common/status.h"
#include "delta/actions.h"
#include "delta/file_writer.h"
#include "delta/schema.h"
#include "delta/snapshot.h"
#include "delta/transaction.h"
#include "engine/engine.h"

namespace sluice::delta {

// The Delta schema of a query's result; every column nullable.
Result<Schema> SchemaOfQuery(engine::Connection& connection, const std::string& source_sql);

// Prepares the existing table `snapshot` for rows with the `incoming` schema: `metadata` and
// `protocol` are set to the table's, then to the evolved ones when `merge_schema` adds new
// columns (staged on `txn` only when they change). Columns that do not fit, or new columns
// without `merge_schema`, are InvalidArgument naming the table.
Status EvolveSchemaForWrite(const std::string& table_root, const Snapshot& snapshot,
                            const Schema& incoming, bool merge_schema, Transaction& txn,
                            Metadata& metadata, Protocol& protocol);

// Options for the data files of a table with `metadata` and `protocol` (data_change = true).
// `schema` is the metadata's parsed schema; it must outlive the options.
Result<DataFileOptions> DataFileOptionsFor(const Schema& schema, const Metadata& metadata,
                                           const Protocol& protocol);

// Writes the rows of `changes_sql` (the table's columns, then `_change_type`) as change-data
// files under `_change_data/` and stages their `cdc` actions on `txn`. `options` describes
// the table's data files (as DataFileOptionsFor gives them).
Status StageChangeDataFiles(engine::Connection& connection, const std::string& table_root,
                            const std::string& changes_sql, DataFileOptions options,
                            Transaction& txn);

}  // namespace sluice::delta
