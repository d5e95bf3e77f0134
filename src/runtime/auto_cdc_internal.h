// The internals of AUTO CDC (auto_cdc.h) that its source files share: the temporary tables
// a batch is computed in and CdcApplier, which applies one batch as SCD1 (auto_cdc.cc) or
// SCD2 (auto_cdc_scd2.cc).
#pragma once

#include <string>
#include <vector>

#include "common/strings.h"
#include "delta/scan.h"
#include "delta/write.h"
#include "runtime/auto_cdc.h"
#include "sql/diagnostics.h"

namespace sluice::runtime::auto_cdc_internal {

inline constexpr const char* kEvents = "__sluice_cdc_events";
inline constexpr const char* kState = "__sluice_cdc_state";
inline constexpr const char* kLatest = "__sluice_cdc_latest";
inline constexpr const char* kVersions = "__sluice_cdc_versions";

struct Column {
  std::string name;
  std::string type;
};

inline bool Contains(const std::vector<std::string>& names, const std::string& name) {
  for (const std::string& candidate : names) {
    if (EqualsIgnoreCase(candidate, name)) return true;
  }
  return false;
}

inline std::vector<std::string> Quoted(const std::vector<std::string>& names,
                                       const std::string& prefix = "") {
  std::vector<std::string> out;
  for (const std::string& name : names) out.push_back(prefix + QuoteIdentifier(name));
  return out;
}

// `a.k1 IS NOT DISTINCT FROM b.k1 AND ...`: keys match, NULLs included.
inline std::string KeysMatch(const std::vector<std::string>& keys, const std::string& a,
                             const std::string& b) {
  std::vector<std::string> parts;
  for (const std::string& key : keys) {
    parts.push_back(a + "." + QuoteIdentifier(key) + " IS NOT DISTINCT FROM " + b + "." +
                    QuoteIdentifier(key));
  }
  return Join(parts, " AND ");
}

class CdcApplier {
 public:
  explicit CdcApplier(const CdcBatch& batch)
      : batch_(batch), cdc_(*batch.flow->cdc), connection_(*batch.context->connection) {}
  ~CdcApplier() {
    if (events_view_) (void)connection_.Execute(std::string("DROP VIEW IF EXISTS ") + kEvents);
    for (const std::string& table : temp_tables_) {
      (void)connection_.Execute("DROP TABLE IF EXISTS " + table);
    }
    for (const delta::ScanPlan& plan : scans_) (void)delta::ReleaseScan(connection_, plan);
  }

  Result<CdcResult> Apply();

 private:
  Status Error(const sql::SourceLocation& location, const std::string& message) const {
    return InvalidArgument(
        sql::FormatDiagnostic(location, "AUTO CDC flow '" + batch_.flow->name + "': " + message));
  }
  Status LoadEvents();
  Status CheckSequences();
  const sql::SourceLocation& SequenceLocation() const {
    return cdc_.sequence_by ? cdc_.sequence_by->location : cdc_.location;
  }
  // FROM SNAPSHOT: the events that turn the target into the snapshot.
  Status SnapshotEvents(const std::vector<std::string>& names);
  // The rows of the table at `path` whose keys are in the batch; empty when the table does
  // not exist or the batch starts over.
  Result<std::string> KeyedRows(const std::string& path, const std::string& temp_name);
  Status CheckState();
  // SCD2: those of `columns` whose values for single upserts the `state` rows (the keyed
  // rows of the state table) keep in __untracked, a list of struct(__seq, <the columns
  // untracked when the row was written>); empty when no state row can keep any.
  Result<std::vector<std::string>> KeptColumns(const std::string& state,
                                               const std::vector<std::string>& columns);
  Status ApplyScd1(CdcResult& result);
  Status ApplyScd2(CdcResult& result);
  Status WriteTarget(const std::string& keys_sql, const std::string& rows_sql, bool replace_all,
                     CdcResult& result);
  Status WriteState(const std::string& keys_sql, const std::string& rows_sql, bool replace_all);
  // Replaces the table's rows and schema (a full refresh), idempotently for the batch.
  Result<delta::WriteResult> Overwrite(const std::string& path, const std::string& rows_sql,
                                       delta::WriteOptions options) {
    options.mode = delta::WriteMode::kOverwrite;
    options.overwrite_schema = true;
    options.app_id = batch_.app_id;
    options.app_version = batch_.batch_id;
    options.operation = "CREATE OR REPLACE TABLE AS SELECT";
    return delta::WriteTable(*batch_.context, path, rows_sql, options);
  }
  Status Temp(const std::string& name, const std::string& sql) {
    SLUICE_RETURN_IF_ERROR(
        connection_.Execute("CREATE OR REPLACE TEMP TABLE " + name + " AS " + sql));
    temp_tables_.push_back(name);
    return Status::OK();
  }
  // The batch's events (kEvents): the rows of `sql`, with a column __ord that NumberEvents
  // fills. A temporary table, or a view over the source when `as_view`: the bulk path then
  // reads the source's files straight into the target (the source must read the same rows
  // each time); every other path calls MaterializeEvents first.
  Status DefineEvents(const std::string& sql, bool as_view);
  // Turns the events' view into a temporary table; no-op when they are one.
  Status MaterializeEvents();
  // Numbers the events 1, 2, ... in __ord, in the order the query gave them (the order of
  // arrival, which breaks ties of sequence), for the paths that order a key's events; the
  // bulk path has one event per key and needs none. DuckDB keeps the query's order in the
  // table; numbering the stored rows afterwards is several times faster than row_number()
  // OVER (), a serial window.
  Status NumberEvents() {
    SLUICE_RETURN_IF_ERROR(MaterializeEvents());
    return connection_.Execute(std::string("UPDATE ") + kEvents + " SET __ord = rowid + 1");
  }
  // Whether the batch has at most one event per key (NULL keys being equal).
  Result<bool> OneEventPerKey();
  // Whether the batch may take the bulk path: it starts over, or there is no state (and for
  // SCD2 no target) to merge with.
  bool NothingToMergeWith() const;
  Result<int64_t> Count(const std::string& sql) {
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, connection_.Query(sql));
    if (result.row_count() != 1 || result.at(0, 0).is_null()) return int64_t{0};
    return std::get<int64_t>(result.at(0, 0).data);
  }
  std::string KeyList(const std::string& prefix = "") const {
    return Join(Quoted(keys_, prefix), ", ");
  }
  // The ignored-NULL columns: IGNORE NULL UPDATES [ON ...].
  bool IgnoresNulls(const std::string& column) const;
  bool Tracked(const std::string& column) const;

  const CdcBatch& batch_;
  const sql::AutoCdc& cdc_;
  engine::Connection& connection_;
  std::vector<std::string> keys_;  // as the source spells them
  std::vector<Column> stored_;     // stored columns, source order
  std::string sequence_type_;
  bool state_has_untracked_ = false;  // set by CheckState
  bool starts_over_ = false;          // full refresh or truncate: target and state empty
  std::string events_query_;          // kEvents' query (DefineEvents)
  bool events_view_ = false;          // kEvents is a view over the source, not yet a table
  std::vector<std::string> temp_tables_;
  std::vector<delta::ScanPlan> scans_;
};

}  // namespace sluice::runtime::auto_cdc_internal
