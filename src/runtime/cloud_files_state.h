// cloud_files_state(...) in `sluice query`: the files a flow's file sources have ingested,
// as Databricks' table-valued function lists them for Auto Loader streams.
//
//   SELECT * FROM cloud_files_state('flow')          -- a flow, or a table: its flows
//   SELECT * FROM cloud_files_state(TABLE(raw))
//
// Columns: path, size, create_time (the file's modification time when listed),
// commit_time (when its batch committed), batch_id, flow, source (the read_files path).
//
// checkpoint_offsets(...) (sluice's own, same arguments): where each streaming flow's next
// batch starts, from its last committed batch, a row per source (per partition for Kafka).
// Columns: flow, batch_id (the last committed), source (its checkpoint key), source_type
// (delta, files, kafka or jdbc), topic, partition and next_offset (Kafka), delta_version
// (the last Delta version read), files (files ingested so far), up_to (the last value of a
// PostgreSQL source's incremental column, as PostgreSQL writes it).
#pragma once

#include <string>

#include "runtime/flow_runner.h"
#include "spark/ast.h"

namespace sluice::runtime {

// The rows of one cloud_files_state(...) call, as a parenthesized DuckDB query. Unknown
// flows and tables are InvalidArgument with a suggestion.
Result<std::string> CloudFilesStateRelation(const RuntimeEnv& env, const spark::Relation& call);
Result<std::string> CheckpointOffsetsRelation(const RuntimeEnv& env, const spark::Relation& call);

}  // namespace sluice::runtime
