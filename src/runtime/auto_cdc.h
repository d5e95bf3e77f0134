// AUTO CDC (APPLY CHANGES): applying a batch of change events to a target streaming table
// as SCD type 1 (latest row per key) or SCD type 2 (every version, with __START_AT and
// __END_AT). docs/auto-cdc.md describes the semantics; in short:
//
//  * per key the highest SEQUENCE BY wins; events arrive in any order and repeated;
//  * SCD1: an event not newer than what is applied for its key is discarded; a delete
//    leaves a tombstone (key and sequence) until pipelines.cdc.tombstoneGCThresholdInSeconds
//    has passed, so that a late, older upsert cannot bring the row back; TRUNCATE empties
//    the target;
//  * SCD2: the history of each key the batch touches is rebuilt from its stored versions
//    and the new events: a version opens when a tracked column changes, untracked changes
//    update the version in place, a delete closes the current version, late events land in
//    their place in the history.
//
// Besides the target, each target has a state table (Delta, beside the event log under
// <storage>/system/auto_cdc/<target>) with one row per key: the last applied sequence,
// whether the key is deleted, and when. Both tables are written with merges touching only
// files that hold the batch's keys (marking the replaced rows in deletion vectors when the
// table has them, else rewriting the files), each with txn(appId = checkpoint id,
// version = batch id): the target first, the state second, so that a batch whose state
// commit exists is complete and a rerun after a crash in between completes it. A first
// load with one event per key skips the per-key window passes (the bulk path).
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "delta/snapshot.h"
#include "delta/write.h"
#include "graph/graph.h"
#include "spark/translator.h"

namespace sluice::runtime {

struct CdcBatch {
  const delta::DeltaContext* context = nullptr;
  const graph::Flow* flow = nullptr;
  std::string target_path;
  std::string state_path;
  // The batch's change events (expectations already applied): the source's columns. For
  // FROM SNAPSHOT flows: the source's whole current contents, compared with the target to
  // derive the events (new and changed rows are upserts, missing keys deletes), all with
  // sequence `snapshot_version`.
  std::string events_sql;
  int64_t snapshot_version = 0;
  // Whether reading events_sql again gives the same rows (it reads tables and files only and
  // calls no nondeterministic function). A batch with no target or state to merge with then
  // reads the source straight into the target, as Delta's MERGE skips materializing such a
  // source; otherwise the events are copied into a temporary table first.
  bool repeatable_events = false;
  // A full refresh: the target and the state start empty.
  bool replace = false;
  std::string app_id;
  int64_t batch_id = 0;
  int64_t now_ms = 0;
  int64_t tombstone_gc_threshold_ms = 2LL * 24 * 3600 * 1000;
  // Partitioning, properties, name and comment for a target created by this batch; the
  // target's declared columns, when it has a column list.
  delta::WriteOptions target_options;
  std::vector<std::string> declared_columns;
  // The Spark settings the flow's SEQUENCE BY and APPLY AS conditions are translated with.
  spark::TranslateOptions options;
};

struct CdcResult {
  int64_t upserted_rows = 0;  // keys the batch inserted or updated
  int64_t deleted_rows = 0;   // keys the batch deleted (SCD2: delete events applied)
  int64_t inserted_rows = 0;  // of the upserts, keys that were not live before
  int64_t removed_rows = 0;   // of the deletes, keys that were live before
  int64_t target_version = -1;
  bool wrote = false;
};

// Where the state of an AUTO CDC target lives.
std::string CdcStatePath(const std::string& storage, const std::string& target);

// The batch of the flow that is completely applied (its state commit exists), if any.
std::optional<int64_t> CdcCommittedBatch(const delta::DeltaContext& context,
                                         const std::string& state_path, const std::string& app_id);

// For validation: the DuckDB SQL of the target's shape given the source's rows
// (`source_sql`): the stored columns, plus __START_AT and __END_AT for SCD type 2. Binding it
// checks SEQUENCE BY and the APPLY AS conditions; an error names the expression's place.
Result<std::string> CdcTargetShape(engine::Connection& connection, const graph::Flow& flow,
                                   const spec::PipelineSettings& settings,
                                   const std::string& source_sql);

// Applies the batch. Errors name the flow: a NULL sequence (with an offending row), keys or a
// sequence type that differ from the state's (a full refresh is needed), unknown columns.
Result<CdcResult> ApplyChanges(const CdcBatch& batch);

}  // namespace sluice::runtime
