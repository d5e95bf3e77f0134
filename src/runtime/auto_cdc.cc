#include "runtime/auto_cdc.h"

#include "common/strings.h"
#include "delta/merge.h"
#include "delta/scan.h"
#include "runtime/flow_runner.h"
#include "runtime/spark_sql.h"
#include "sql/diagnostics.h"

namespace sluice::runtime {
namespace {

constexpr const char* kEvents = "__sluice_cdc_events";
constexpr const char* kState = "__sluice_cdc_state";
constexpr const char* kLatest = "__sluice_cdc_latest";
constexpr const char* kVersions = "__sluice_cdc_versions";

struct Column {
  std::string name;
  std::string type;
};

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  for (const std::string& candidate : names) {
    if (EqualsIgnoreCase(candidate, name)) return true;
  }
  return false;
}

std::vector<std::string> Quoted(const std::vector<std::string>& names,
                                const std::string& prefix = "") {
  std::vector<std::string> out;
  for (const std::string& name : names) out.push_back(prefix + QuoteIdentifier(name));
  return out;
}

// `a.k1 IS NOT DISTINCT FROM b.k1 AND ...`: keys match, NULLs included.
std::string KeysMatch(const std::vector<std::string>& keys, const std::string& a,
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
  // The batch's events: the rows of `sql`, with a column __ord that NumberEvents fills.
  Status TempEvents(const std::string& sql) {
    return Temp(kEvents, "SELECT *, NULL::BIGINT AS __ord FROM (" + sql + ")");
  }
  // Numbers the events 1, 2, ... in __ord, in the order the query gave them (the order of
  // arrival, which breaks ties of sequence), for the paths that order a key's events; the
  // bulk path has one event per key and needs none. DuckDB keeps the query's order in the
  // table; numbering the stored rows afterwards is several times faster than row_number()
  // OVER (), a serial window.
  Status NumberEvents() {
    return connection_.Execute(std::string("UPDATE ") + kEvents + " SET __ord = rowid + 1");
  }
  // Whether the batch has at most one event per key.
  Result<bool> OneEventPerKey() {
    SLUICE_ASSIGN_OR_RETURN(int64_t repeated,
                            Count("SELECT count(*) FROM (SELECT 1 FROM " + std::string(kEvents) +
                                  " GROUP BY " + KeyList() + " HAVING count(*) > 1)"));
    return repeated == 0;
  }
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
  std::vector<std::string> temp_tables_;
  std::vector<delta::ScanPlan> scans_;
};

bool CdcApplier::IgnoresNulls(const std::string& column) const {
  if (!cdc_.ignore_null_updates || Contains(keys_, column)) return false;
  if (!cdc_.ignore_null_updates_on) return true;
  const bool listed = Contains(cdc_.ignore_null_updates_on->names, column);
  return cdc_.ignore_null_updates_on->except ? !listed : listed;
}

bool CdcApplier::Tracked(const std::string& column) const {
  if (Contains(keys_, column)) return false;
  if (!cdc_.track_history) return true;
  const bool listed = Contains(cdc_.track_history->names, column);
  return cdc_.track_history->except ? !listed : listed;
}

Status CdcApplier::LoadEvents() {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                          connection_.Query("DESCRIBE SELECT * FROM (" + batch_.events_sql + ")"));
  std::vector<Column> source;
  for (size_t row = 0; row < described.row_count(); ++row) {
    source.push_back({described.at(row, 0).ToString(), described.at(row, 1).ToString()});
  }
  auto find = [&](const std::string& name) -> const Column* {
    for (const Column& column : source) {
      if (EqualsIgnoreCase(column.name, name)) return &column;
    }
    return nullptr;
  };
  std::vector<std::string> source_names;
  for (const Column& column : source) source_names.push_back(column.name);
  for (size_t i = 0; i < cdc_.keys.size(); ++i) {
    const Column* column = find(cdc_.keys[i]);
    if (column == nullptr) {
      return Error(cdc_.key_locations.size() > i ? cdc_.key_locations[i] : cdc_.keys_location,
                   "key column '" + cdc_.keys[i] + "' is not a column of the source (" +
                       Join(source_names, ", ") + ")");
    }
    keys_.push_back(column->name);
  }
  if (cdc_.columns) {
    for (const std::string& name : cdc_.columns->names) {
      if (find(name) == nullptr) {
        return Error(cdc_.columns->location, "COLUMNS names '" + name +
                                                 "', which is not a column of the source (" +
                                                 Join(source_names, ", ") + ")");
      }
    }
  }
  for (const Column& column : source) {
    bool keep = true;
    if (cdc_.columns) {
      const bool listed = Contains(cdc_.columns->names, column.name);
      keep = cdc_.columns->except ? !listed : listed;
    }
    if (keep || Contains(keys_, column.name)) stored_.push_back(column);
  }

  std::vector<std::string> names;
  for (const Column& column : stored_) names.push_back(column.name);
  if (cdc_.from_snapshot) {
    SLUICE_RETURN_IF_ERROR(SnapshotEvents(names));
  } else {
    auto over_events = [&](const sql::Expression& expression) {
      return TranslateOver(connection_, *expression.parsed, batch_.events_sql, batch_.options);
    };
    SLUICE_ASSIGN_OR_RETURN(std::string sequence, over_events(*cdc_.sequence_by));
    std::string is_delete = "false";
    if (cdc_.delete_condition) {
      SLUICE_ASSIGN_OR_RETURN(std::string condition, over_events(*cdc_.delete_condition));
      is_delete = "coalesce((" + condition + "), false)";
    }
    std::string is_truncate = "false";
    if (cdc_.truncate_condition) {
      SLUICE_ASSIGN_OR_RETURN(std::string condition, over_events(*cdc_.truncate_condition));
      is_truncate = "coalesce((" + condition + "), false)";
    }
    Status created = TempEvents("SELECT " + Join(Quoted(names), ", ") + ", (" + sequence +
                                ") AS __seq, " + is_delete + " AS __del, " + is_truncate +
                                " AS __trunc FROM (" + batch_.events_sql + ")");
    if (!created.ok()) {
      return Error(SequenceLocation(),
                   "the SEQUENCE BY, DELETE or TRUNCATE expressions do not apply to the source: " +
                       created.message());
    }
  }
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult type,
      connection_.Query(std::string("SELECT typeof(__seq) FROM ") + kEvents + " LIMIT 1"));
  if (type.row_count() == 1) sequence_type_ = type.at(0, 0).ToString();
  return cdc_.from_snapshot ? Status::OK() : CheckSequences();
}

Status CdcApplier::SnapshotEvents(const std::vector<std::string>& names) {
  // The target's current rows (SCD2: its current versions) against the snapshot: rows not
  // stored as they are become upserts, stored keys missing from the snapshot deletes.
  const std::string version = std::to_string(batch_.snapshot_version) + "::BIGINT";
  const std::string columns = Join(Quoted(names), ", ");
  const std::string snapshot = "SELECT DISTINCT " + columns + " FROM (" + batch_.events_sql + ")";
  const std::string hidden = " AS __seq, false AS __trunc, 0::BIGINT AS __ord";
  std::string events = "SELECT *, " + version + hidden + ", false AS __del FROM (" + snapshot + ")";
  auto table = delta::LoadSnapshot(*batch_.context, batch_.target_path);
  if (!batch_.replace && table.ok()) {
    SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan, delta::PlanScan(*batch_.context, **table));
    const std::string current = "SELECT " + columns + " FROM (" + plan.sql + ")" +
                                (cdc_.scd_type == 2 ? " WHERE __END_AT IS NULL" : "");
    scans_.push_back(std::move(plan));
    std::vector<std::string> same;
    for (const std::string& name : names) {
      same.push_back("c." + QuoteIdentifier(name) + " IS NOT DISTINCT FROM s." +
                     QuoteIdentifier(name));
    }
    events = "SELECT s.*, " + version + hidden + ", false AS __del FROM (" + snapshot +
             ") s WHERE NOT EXISTS (SELECT 1 FROM (" + current + ") c WHERE " +
             Join(same, " AND ") + ") UNION ALL BY NAME SELECT " + KeyList("c.") + ", " + version +
             hidden + ", true AS __del FROM (" + current + ") c WHERE NOT EXISTS (SELECT 1 FROM (" +
             snapshot + ") s WHERE " + KeysMatch(keys_, "c", "s") + ")";
  } else if (!table.ok() && table.status().code() != StatusCode::kNotFound) {
    return table.status();
  }
  return TempEvents("SELECT " + columns + ", __seq, __del, __trunc FROM (" + events + ")");
}

Status CdcApplier::CheckSequences() {
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult nulls,
      connection_.Query(std::string("SELECT count(*), any_value(to_json(e)::VARCHAR) FROM (SELECT "
                                    "* EXCLUDE (__seq, __del, __trunc, __ord) FROM ") +
                        kEvents + " WHERE __seq IS NULL) e"));
  const int64_t count = std::get<int64_t>(nulls.at(0, 0).data);
  if (count == 0) return Status::OK();
  return Error(SequenceLocation(), "SEQUENCE BY (" + cdc_.sequence_by->text + ") is NULL for " +
                                       std::to_string(count) + " change event(s), e.g. " +
                                       nulls.at(0, 1).ToString() +
                                       "; every event needs a sequence");
}

Result<std::string> CdcApplier::KeyedRows(const std::string& path, const std::string& temp_name) {
  auto snapshot = delta::LoadSnapshot(*batch_.context, path);
  std::string rows;
  if (!starts_over_ && snapshot.ok()) {
    SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan, delta::PlanScan(*batch_.context, **snapshot));
    rows = "SELECT t.* FROM (" + plan.sql + ") t WHERE EXISTS (SELECT 1 FROM " + kEvents +
           " e WHERE " + KeysMatch(keys_, "t", "e") + ")";
    scans_.push_back(std::move(plan));
    SLUICE_RETURN_IF_ERROR(Temp(temp_name, rows));
    return std::string(temp_name);
  }
  if (!snapshot.ok() && snapshot.status().code() != StatusCode::kNotFound) return snapshot.status();
  return std::string();
}

Status CdcApplier::CheckState() {
  auto snapshot = delta::LoadSnapshot(*batch_.context, batch_.state_path);
  if (starts_over_ || !snapshot.ok()) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan, delta::PlanScan(*batch_.context, **snapshot));
  auto described = connection_.Query("DESCRIBE SELECT * FROM (" + plan.sql + ")");
  (void)delta::ReleaseScan(connection_, plan);
  if (!described.ok()) return described.status();
  std::vector<std::string> state_keys;
  std::string state_sequence;
  for (size_t row = 0; row < described->row_count(); ++row) {
    const std::string name = described->at(row, 0).ToString();
    if (name == "__sequence") state_sequence = described->at(row, 1).ToString();
    if (name == "__untracked") state_has_untracked_ = true;
    if (!StartsWith(name, "__")) state_keys.push_back(name);
  }
  if (state_keys.size() != keys_.size() ||
      !std::equal(state_keys.begin(), state_keys.end(), keys_.begin(),
                  [](auto& a, auto& b) { return EqualsIgnoreCase(a, b); })) {
    return Error(cdc_.keys_location, "KEYS (" + Join(keys_, ", ") +
                                         ") differ from the keys the target was built with (" +
                                         Join(state_keys, ", ") + "); a full refresh of '" +
                                         cdc_.target + "' is needed");
  }
  if (!sequence_type_.empty() && !EqualsIgnoreCase(state_sequence, sequence_type_)) {
    return Error(SequenceLocation(), "SEQUENCE BY is now " + sequence_type_ +
                                         " but the target was built with " + state_sequence +
                                         "; a full refresh of '" + cdc_.target + "' is needed");
  }
  return Status::OK();
}

Result<std::vector<std::string>> CdcApplier::KeptColumns(const std::string& state,
                                                         const std::vector<std::string>& columns) {
  std::vector<std::string> kept;
  if (state.empty() || columns.empty() || !state_has_untracked_) return kept;
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult fields,
      connection_.Query("DESCRIBE SELECT unnest(__untracked[1]) FROM " + state));
  for (size_t row = 0; row < fields.row_count(); ++row) {
    const std::string field = fields.at(row, 0).ToString();
    if (field != "__seq" && Contains(columns, field)) kept.push_back(field);
  }
  return kept;
}

Status CdcApplier::WriteTarget(const std::string& keys_sql, const std::string& rows_sql,
                               bool replace_all, CdcResult& result) {
  delta::MergeOptions options;
  options.key_columns = keys_;
  options.keys_sql = keys_sql;
  options.rows_sql = rows_sql;
  options.replace_all = replace_all;
  options.app_id = batch_.app_id;
  options.app_version = batch_.batch_id;
  options.partition_by = batch_.target_options.partition_by;
  options.table_properties = batch_.target_options.table_properties;
  options.table_name = batch_.target_options.table_name;
  options.description = batch_.target_options.description;
  options.extra_metrics = {{"numTargetRowsInserted", result.inserted_rows},
                           {"numTargetRowsUpdated", result.upserted_rows - result.inserted_rows},
                           {"numTargetRowsDeleted", result.removed_rows}};
  if (batch_.replace) {
    // A full refresh: the table (and its schema) start over.
    SLUICE_ASSIGN_OR_RETURN(delta::WriteResult written,
                            Overwrite(batch_.target_path, rows_sql, batch_.target_options));
    result.wrote = !written.skipped;
    result.target_version = written.version;
    return Status::OK();
  }
  SLUICE_ASSIGN_OR_RETURN(delta::MergeResult merged,
                          delta::MergeRows(*batch_.context, batch_.target_path, options));
  result.wrote = merged.version >= 0;
  result.target_version = merged.version;
  if (merged.version < 0) {
    auto snapshot = delta::LoadSnapshot(*batch_.context, batch_.target_path);
    if (snapshot.ok()) result.target_version = (*snapshot)->version();
  }
  return Status::OK();
}

Status CdcApplier::WriteState(const std::string& keys_sql, const std::string& rows_sql,
                              bool replace_all) {
  delta::MergeOptions options;
  options.key_columns = keys_;
  options.keys_sql = keys_sql;
  options.rows_sql = rows_sql;
  options.replace_all = replace_all;
  options.app_id = batch_.app_id;
  options.app_version = batch_.batch_id;
  options.table_name = cdc_.target + " AUTO CDC state";
  // The state keeps its changed keys in deletion vectors when the target does.
  const auto& target_properties = batch_.target_options.table_properties;
  if (auto dv = target_properties.find("delta.enableDeletionVectors");
      dv != target_properties.end()) {
    options.table_properties[dv->first] = dv->second;
  }
  if (batch_.replace) {
    delta::WriteOptions create;
    create.table_name = options.table_name;
    create.table_properties = options.table_properties;
    return Overwrite(batch_.state_path, rows_sql, create).status();
  }
  return delta::MergeRows(*batch_.context, batch_.state_path, options).status();
}

Status CdcApplier::ApplyScd1(CdcResult& result) {
  // TRUNCATE: the target empties at the latest truncate; only later events apply.
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult truncate,
                          connection_.Query(std::string("SELECT max(__seq) IS NOT NULL FROM ") +
                                            kEvents + " WHERE __trunc"));
  if (std::get<bool>(truncate.at(0, 0).data)) {
    starts_over_ = true;
    SLUICE_RETURN_IF_ERROR(connection_.Execute(std::string("DELETE FROM ") + kEvents +
                                               " WHERE __trunc OR __seq <= (SELECT max(__seq) "
                                               "FROM " +
                                               kEvents + " WHERE __trunc)"));
  }
  SLUICE_RETURN_IF_ERROR(CheckState());
  SLUICE_ASSIGN_OR_RETURN(std::string state, KeyedRows(batch_.state_path, kState));
  std::vector<std::string> names;
  for (const Column& column : stored_) names.push_back(column.name);

  // The latest event of each key: with no state to merge with (the first batch, or one
  // that starts over) and one event per key, each event (bulk path, no window).
  SLUICE_ASSIGN_OR_RETURN(const bool bulk, state.empty() ? OneEventPerKey() : false);
  const std::string latest_table = bulk ? kEvents : kLatest;
  if (!bulk) {
    SLUICE_RETURN_IF_ERROR(NumberEvents());
    // Events newer than what is applied for their key (live row or tombstone).
    std::string fresh = std::string("SELECT e.* FROM ") + kEvents + " e";
    if (!state.empty()) {
      fresh += " LEFT JOIN " + state + " s ON " + KeysMatch(keys_, "e", "s") +
               " WHERE s.__sequence IS NULL OR e.__seq > s.__sequence";
    }
    // IGNORE NULL UPDATES: a NULL keeps the value of the key's previous event since its last
    // delete (in the batch, or the stored row).
    std::string filled = fresh;
    bool ignores = false;
    for (const std::string& name : names) ignores = ignores || IgnoresNulls(name);
    if (ignores) {
      std::string previous;
      SLUICE_ASSIGN_OR_RETURN(std::string target,
                              KeyedRows(batch_.target_path, "__sluice_cdc_target"));
      std::string combined = "SELECT *, 1 AS __new FROM (" + fresh + ")";
      if (!target.empty() && !state.empty()) {
        combined +=
            " UNION ALL BY NAME SELECT t.*, s.__sequence AS __seq, false AS __del, false "
            "AS __trunc, 0 AS __ord, 0 AS __new FROM " +
            target + " t JOIN " + state + " s ON " + KeysMatch(keys_, "t", "s") +
            " WHERE NOT s.__deleted";
      }
      std::vector<std::string> items;
      const std::string window = "(PARTITION BY " + KeyList() +
                                 ", __epoch ORDER BY __seq, __new, __ord ROWS UNBOUNDED PRECEDING)";
      for (const std::string& name : names) {
        const std::string column = QuoteIdentifier(name);
        items.push_back(IgnoresNulls(name) ? "last_value(" + column + " IGNORE NULLS) OVER " +
                                                 window + " AS " + column
                                           : column);
      }
      // Windows run before WHERE: the stored rows are dropped only after the fill.
      filled =
          "SELECT * EXCLUDE (__new) FROM (SELECT " + Join(items, ", ") +
          ", __seq, __del, __trunc, __ord, __new FROM (SELECT *, count(*) FILTER (WHERE __del) "
          "OVER (PARTITION BY " +
          KeyList() + " ORDER BY __seq, __new, __ord ROWS UNBOUNDED PRECEDING) AS __epoch FROM (" +
          combined + "))) WHERE __new = 1";
    }
    SLUICE_RETURN_IF_ERROR(Temp(kLatest,
                                "SELECT * EXCLUDE (__rn) FROM (SELECT *, row_number() OVER "
                                "(PARTITION BY " +
                                    KeyList() +
                                    " ORDER BY __seq DESC, __del DESC, __ord DESC) AS __rn "
                                    "FROM (" +
                                    filled + ")) WHERE __rn = 1"));
  }

  std::string live_before = "false";
  std::string joined = latest_table + " l";
  if (!state.empty()) {
    joined += " LEFT JOIN " + state + " s ON " + KeysMatch(keys_, "l", "s");
    live_before = "coalesce(NOT s.__deleted, false)";
  }
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult counts,
      connection_.Query("SELECT count(*) FILTER (WHERE NOT l.__del), count(*) FILTER (WHERE NOT "
                        "l.__del AND NOT " +
                        live_before +
                        "), count(*) FILTER (WHERE l.__del), count(*) FILTER (WHERE "
                        "l.__del AND " +
                        live_before + ") FROM " + joined));
  result.upserted_rows = std::get<int64_t>(counts.at(0, 0).data);
  result.inserted_rows = std::get<int64_t>(counts.at(0, 1).data);
  result.deleted_rows = std::get<int64_t>(counts.at(0, 2).data);
  result.removed_rows = std::get<int64_t>(counts.at(0, 3).data);

  std::vector<std::string> target_columns = names;
  if (!batch_.declared_columns.empty()) target_columns = batch_.declared_columns;
  SLUICE_RETURN_IF_ERROR(WriteTarget(
      "SELECT " + KeyList() + " FROM " + latest_table,
      "SELECT " + Join(Quoted(target_columns), ", ") + " FROM " + latest_table + " WHERE NOT __del",
      starts_over_, result));

  // State: the batch's keys with their sequence; tombstones past the threshold go.
  std::string expired;
  auto state_snapshot = delta::LoadSnapshot(*batch_.context, batch_.state_path);
  const int64_t cutoff = batch_.now_ms - batch_.tombstone_gc_threshold_ms;
  std::string state_keys = "SELECT " + KeyList() + " FROM " + latest_table;
  if (!starts_over_ && state_snapshot.ok()) {
    delta::ScanOptions scan_options;
    scan_options.filter = "__deleted_at_ms < " + std::to_string(cutoff);
    SLUICE_ASSIGN_OR_RETURN(delta::ScanPlan plan,
                            delta::PlanScan(*batch_.context, **state_snapshot, scan_options));
    state_keys += " UNION ALL SELECT " + KeyList() + " FROM (" + plan.sql + ") WHERE __deleted";
    scans_.push_back(std::move(plan));
  }
  return WriteState(
      state_keys,
      "SELECT " + KeyList() + ", __seq AS __sequence, __del AS __deleted, CASE WHEN __del THEN " +
          std::to_string(batch_.now_ms) + "::BIGINT END AS __deleted_at_ms FROM " + latest_table,
      starts_over_);
}

Status CdcApplier::ApplyScd2(CdcResult& result) {
  SLUICE_RETURN_IF_ERROR(CheckState());
  SLUICE_ASSIGN_OR_RETURN(std::string state, KeyedRows(batch_.state_path, kState));
  SLUICE_ASSIGN_OR_RETURN(std::string versions,
                          KeyedRows(batch_.target_path, "__sluice_cdc_target"));
  std::vector<std::string> names;
  std::vector<std::string> values;     // stored columns but the keys
  std::vector<std::string> untracked;  // those outside TRACK HISTORY
  for (const Column& column : stored_) {
    names.push_back(column.name);
    if (Contains(keys_, column.name)) continue;
    values.push_back(column.name);
    if (!Tracked(column.name)) untracked.push_back(column.name);
  }
  const std::string keys = KeyList();
  // The columns whose values the state holds for the upserts the versions do not show: the
  // untracked ones, unless TRACK HISTORY changed since the state was written (any column
  // it holds is still taken from it: an event's own value is never less accurate than its
  // version's, whatever is tracked now).
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> kept, KeptColumns(state, values));

  // With no versions or state to merge with (the first batch, or one that starts over)
  // and one event per key, each upsert opens a version and each delete is kept in the
  // state (bulk path, no windows).
  SLUICE_ASSIGN_OR_RETURN(const bool bulk,
                          state.empty() && versions.empty() ? OneEventPerKey() : false);
  // The versions the target gets: a table, or (bulk path) a query over the events.
  std::string new_versions = std::string("SELECT * FROM ") + kVersions;
  if (bulk) {
    std::vector<std::string> items = Quoted(names);
    items.push_back("__seq AS __START_AT");
    items.push_back("CASE WHEN false THEN __seq END AS __END_AT");
    if (!untracked.empty()) {
      // As the general path's: the values of the version's other upserts (none).
      std::vector<std::string> fields{"__seq := __seq"};
      for (const std::string& name : untracked) {
        fields.push_back(QuoteIdentifier(name) + " := " + QuoteIdentifier(name));
      }
      items.push_back("[struct_pack(" + Join(fields, ", ") + ")][2:] AS __untracked");
    }
    new_versions = "SELECT " + Join(items, ", ") + " FROM " + kEvents + " WHERE NOT __del";
    std::string latest = "SELECT " + keys +
                         ", true AS __deleted, __seq AS __sequence, [__seq] AS __deletes, CASE "
                         "WHEN false THEN [__seq] END AS __upserts FROM " +
                         std::string(kEvents) + " WHERE __del";
    if (!untracked.empty()) {
      // NULL, typed as the versions' lists.
      latest = "SELECT *, (SELECT __untracked FROM (" + new_versions +
               ") WHERE false) AS __untracked FROM (" + latest + ")";
    }
    SLUICE_RETURN_IF_ERROR(Temp(kLatest, latest));
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult counts,
        connection_.Query("SELECT count(*) FILTER (WHERE NOT __del), count(*) FILTER (WHERE "
                          "__del) FROM " +
                          std::string(kEvents)));
    result.upserted_rows = std::get<int64_t>(counts.at(0, 0).data);
    result.deleted_rows = std::get<int64_t>(counts.at(0, 1).data);
    result.inserted_rows = result.upserted_rows + result.deleted_rows;
  } else {
    SLUICE_RETURN_IF_ERROR(NumberEvents());
    // Every event of the touched keys, each with its own values: stored versions (an upsert
    // at __START_AT; a delete at an __END_AT no version starts at) and the batch's.
    std::string combined = std::string("SELECT * EXCLUDE (__trunc), 1 AS __new FROM ") + kEvents;
    if (!versions.empty()) {
      std::string upserts =
          "SELECT v.* EXCLUDE (__START_AT, __END_AT), v.__START_AT AS __seq FROM " + versions +
          " v";
      if (!state.empty()) {
        // Every upsert a version absorbed (equal on the tracked columns) is an event of it
        // too: a late event that splits the version lets the later ones open a new one.
        upserts += " UNION ALL BY NAME SELECT v.* EXCLUDE (__START_AT, __END_AT), u.__seq FROM " +
                   versions + " v JOIN (SELECT " + keys + ", unnest(__upserts) AS __seq FROM " +
                   state + ") u ON " + KeysMatch(keys_, "v", "u") +
                   " AND u.__seq > v.__START_AT AND (v.__END_AT IS NULL OR u.__seq < v.__END_AT)";
      }
      // A version's row shows the untracked values of its latest upsert; its other upserts
      // (its start included) take theirs from the state.
      if (!kept.empty()) {
        std::vector<std::string> replaced;
        for (const std::string& name : kept) {
          const std::string column = QuoteIdentifier(name);
          replaced.push_back("CASE WHEN x.__value IS NULL THEN e." + column + " ELSE x.__value." +
                             column + " END AS " + column);
        }
        upserts = "SELECT e.* REPLACE (" + Join(replaced, ", ") + ") FROM (" + upserts +
                  ") e LEFT JOIN (SELECT " + keys + ", unnest(__untracked) AS __value FROM " +
                  state + ") x ON " + KeysMatch(keys_, "e", "x") + " AND x.__value.__seq = e.__seq";
      }
      std::string deletes =
          "SELECT " + KeyList("v.") +
          ", v.__END_AT AS __seq, true AS __del, 0::BIGINT AS __ord, 0 AS __new FROM " + versions +
          " v WHERE v.__END_AT IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + versions +
          " w WHERE " + KeysMatch(keys_, "v", "w") + " AND w.__START_AT = v.__END_AT)";
      combined +=
          " UNION ALL BY NAME SELECT *, false AS __del, 0::BIGINT AS __ord, 0 AS __new FROM (" +
          upserts + ") UNION ALL BY NAME " + deletes;
    }
    if (!state.empty()) {
      // Deletes that closed no version (of a key not live then) still bound later history.
      combined +=
          " UNION ALL BY NAME SELECT " + KeyList("s.") +
          ", unnest(s.__deletes) AS __seq, true AS __del, 0::BIGINT AS __ord, 0 AS __new FROM " +
          state + " s";
    }
    // One event per key, sequence and kind: a stored one wins over a repeated delivery.
    std::string unique =
        "SELECT * EXCLUDE (__dup) FROM (SELECT *, row_number() OVER (PARTITION BY " + keys +
        ", __seq, __del ORDER BY __new, __ord DESC) AS __dup FROM (" + combined +
        ")) WHERE __dup = 1";
    // Read several times below: materialized once.
    SLUICE_RETURN_IF_ERROR(Temp("__sluice_cdc_unique", unique));
    unique = "SELECT * FROM __sluice_cdc_unique";
    std::string filled = unique;
    bool ignores = false;
    for (const std::string& name : names) ignores = ignores || IgnoresNulls(name);
    if (ignores) {
      const std::string window =
          "(PARTITION BY " + keys + ", __epoch ORDER BY __seq, __del ROWS UNBOUNDED PRECEDING)";
      std::vector<std::string> items;
      for (const std::string& name : names) {
        const std::string column = QuoteIdentifier(name);
        items.push_back(IgnoresNulls(name)
                            ? "CASE WHEN __del THEN NULL ELSE last_value(" + column +
                                  " IGNORE NULLS) OVER " + window + " END AS " + column
                            : column);
      }
      filled = "SELECT " + Join(items, ", ") +
               ", __seq, __del, __ord, __new FROM (SELECT *, count(*) FILTER (WHERE __del) "
               "OVER (PARTITION BY " +
               keys + " ORDER BY __seq, __del ROWS UNBOUNDED PRECEDING) AS __epoch FROM (" +
               unique + "))";
    }
    std::vector<std::string> tracked;
    for (const std::string& name : names) {
      if (Tracked(name)) tracked.push_back(QuoteIdentifier(name) + " := " + QuoteIdentifier(name));
    }
    const std::string tracked_value =
        tracked.empty() ? "NULL::INTEGER" : "struct_pack(" + Join(tracked, ", ") + ")";
    const std::string order = "PARTITION BY " + keys + " ORDER BY __seq, __del";
    // Islands: a version starts at an upsert after a delete, or whose tracked values differ
    // from the previous upsert's; it ends at the next delete or next start.
    std::string marked =
        "SELECT *, NOT __del AND (lag(__del) OVER (" + order +
        ") IS NOT FALSE OR lag(__tracked) OVER (" + order +
        ") IS DISTINCT FROM __tracked) AS __starts FROM (SELECT *, CASE WHEN __del "
        "THEN NULL ELSE " +
        tracked_value + " END AS __tracked FROM (" + filled + "))";
    std::string islands =
        "SELECT *, sum(CASE WHEN __starts THEN 1 ELSE 0 END) OVER (" + order +
        " ROWS UNBOUNDED PRECEDING) AS __island, min(CASE WHEN __starts OR __del "
        "THEN __seq END) OVER (" +
        order + " ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS __boundary FROM (" + marked +
        ")";
    std::vector<std::string> items;
    for (const std::string& name : names) {
      const std::string column = QuoteIdentifier(name);
      if (Contains(keys_, name)) {
        items.push_back(column);
      } else if (Tracked(name)) {
        items.push_back("arg_min_null(" + column + ", __seq) AS " + column);
      } else {
        // The latest upsert in the version's range, in sequence order.
        items.push_back("arg_max_null(" + column + ", __seq) AS " + column);
      }
    }
    // TRACK HISTORY on a subset: the untracked values of the version's upserts other than
    // its latest (which the row shows), for the state.
    std::string others;
    if (!untracked.empty()) {
      std::vector<std::string> fields{"__seq := __seq"};
      for (const std::string& name : untracked) {
        fields.push_back(QuoteIdentifier(name) + " := " + QuoteIdentifier(name));
      }
      others = ", (list(struct_pack(" + Join(fields, ", ") +
               ") ORDER BY __seq DESC))[2:] AS __untracked";
    }
    SLUICE_RETURN_IF_ERROR(
        Temp(kVersions, "SELECT " + Join(items, ", ") +
                            ", min(__seq) AS __START_AT, arg_min_null(__boundary, "
                            "__seq) AS __END_AT" +
                            others + " FROM (" + islands +
                            ") WHERE NOT __del AND __island > 0 GROUP BY " + keys + ", __island"));
    // The state keeps only what the versions do not show: upserts a version absorbed (not
    // its start), deletes that closed no version and (TRACK HISTORY on a subset) the
    // untracked values of the upserts that are not their version's latest. Keys with none
    // of these have no state row: their latest sequence is their current version's start or
    // end. (A version with untracked values kept has an absorbed upsert.)
    const std::string shown = "EXISTS (SELECT 1 FROM " + std::string(kVersions) + " v WHERE " +
                              KeysMatch(keys_, "u", "v");
    std::string latest =
        "SELECT " + keys +
        ", arg_max_null(__del, __seq) AS __deleted, max(__seq) AS __sequence, "
        "list_sort(list(DISTINCT __seq) FILTER (WHERE __del AND NOT __is_end)) AS "
        "__deletes, list_sort(list(DISTINCT __seq) FILTER (WHERE NOT __del AND NOT "
        "__is_start)) AS __upserts FROM (SELECT u.*, " +
        shown + " AND v.__START_AT = u.__seq) AS __is_start, " + shown +
        " AND v.__END_AT = u.__seq) AS __is_end FROM (" + unique + ") u) GROUP BY " + keys;
    if (!untracked.empty()) {
      latest = "SELECT l.*, x.__untracked FROM (" + latest + ") l LEFT JOIN (SELECT " + keys +
               ", flatten(list(__untracked ORDER BY __START_AT)) AS __untracked FROM " + kVersions +
               " GROUP BY " + keys + " HAVING sum(len(__untracked)) > 0) x ON " +
               KeysMatch(keys_, "l", "x");
    }
    SLUICE_RETURN_IF_ERROR(Temp(kLatest, latest));
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult counts,
        connection_.Query("SELECT count(*) FILTER (WHERE NOT __del), count(*) FILTER (WHERE __del) "
                          "FROM (" +
                          unique + ") WHERE __new = 1"));
    result.upserted_rows = std::get<int64_t>(counts.at(0, 0).data);
    result.deleted_rows = std::get<int64_t>(counts.at(0, 1).data);
    SLUICE_ASSIGN_OR_RETURN(
        result.inserted_rows,
        Count("SELECT count(*) FROM " + std::string(kLatest) + " l" +
              (versions.empty() ? ""
                                : " WHERE NOT EXISTS (SELECT 1 FROM " + versions + " v WHERE " +
                                      KeysMatch(keys_, "l", "v") + ")")));
  }

  std::vector<std::string> target_columns = names;
  target_columns.push_back("__START_AT");
  target_columns.push_back("__END_AT");
  if (!batch_.declared_columns.empty()) target_columns = batch_.declared_columns;
  SLUICE_RETURN_IF_ERROR(
      WriteTarget("SELECT DISTINCT " + keys + " FROM " + kEvents,
                  "SELECT " + Join(Quoted(target_columns), ", ") + " FROM (" + new_versions + ")",
                  starts_over_, result));
  std::string previous_deleted_at = "NULL::BIGINT";
  std::string joined = std::string(kLatest) + " l";
  if (!state.empty()) {
    joined += " LEFT JOIN " + state + " s ON " + KeysMatch(keys_, "l", "s");
    previous_deleted_at = "CASE WHEN s.__deleted THEN s.__deleted_at_ms END";
  }
  return WriteState("SELECT " + keys + " FROM " + kLatest,
                    "SELECT " + KeyList("l.") +
                        ", l.__sequence, l.__deleted, l.__deletes, l.__upserts, " +
                        (untracked.empty() ? "" : "l.__untracked, ") +
                        "CASE WHEN l.__deleted THEN coalesce(" + previous_deleted_at + ", " +
                        std::to_string(batch_.now_ms) + "::BIGINT) END AS __deleted_at_ms FROM " +
                        joined + " WHERE l.__deletes IS NOT NULL OR l.__upserts IS NOT NULL",
                    starts_over_);
}

Result<CdcResult> CdcApplier::Apply() {
  starts_over_ = batch_.replace;
  SLUICE_RETURN_IF_ERROR(LoadEvents());
  CdcResult result;
  if (cdc_.scd_type == 2) {
    SLUICE_RETURN_IF_ERROR(ApplyScd2(result));
  } else {
    SLUICE_RETURN_IF_ERROR(ApplyScd1(result));
  }
  return result;
}

}  // namespace

Result<std::string> CdcTargetShape(engine::Connection& connection, const graph::Flow& flow,
                                   const spec::PipelineSettings& settings,
                                   const std::string& source_sql) {
  const sql::AutoCdc& cdc = *flow.cdc;
  auto fail = [&](const sql::SourceLocation& location, const std::string& what,
                  const Status& status) {
    return InvalidArgument(sql::FormatDiagnostic(
        location, "AUTO CDC flow '" + flow.name + "': " + what + ": " + status.message()));
  };
  std::vector<std::pair<const sql::Expression*, const char*>> expressions{
      {cdc.sequence_by ? &*cdc.sequence_by : nullptr, "SEQUENCE BY"},
      {cdc.delete_condition ? &*cdc.delete_condition : nullptr, "APPLY AS DELETE WHEN"},
      {cdc.truncate_condition ? &*cdc.truncate_condition : nullptr, "APPLY AS TRUNCATE WHEN"}};
  std::string sequence = "0::BIGINT";
  for (const auto& [expression, what] : expressions) {
    if (expression == nullptr) continue;
    auto translated = TranslateOver(connection, *expression->parsed, source_sql,
                                    SparkOptions(settings, flow.conf));
    if (!translated.ok()) return fail(expression->location, what, translated.status());
    auto bound =
        connection.Query("DESCRIBE SELECT (" + *translated + ") FROM (" + source_sql + ")");
    if (!bound.ok()) return fail(expression->location, what, bound.status());
    if (expression == &*cdc.sequence_by) sequence = "(" + *translated + ")";
  }
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult described,
                          connection.Query("DESCRIBE SELECT * FROM (" + source_sql + ")"));
  std::vector<std::string> names;
  for (size_t row = 0; row < described.row_count(); ++row) {
    const std::string name = described.at(row, 0).ToString();
    bool keep = true;
    if (cdc.columns) {
      const bool listed = Contains(cdc.columns->names, name);
      keep = cdc.columns->except ? !listed : listed;
    }
    if (keep || Contains(cdc.keys, name)) names.push_back(QuoteIdentifier(name));
  }
  std::string shape = "SELECT " + Join(names, ", ");
  if (cdc.scd_type == 2) shape += ", " + sequence + " AS __START_AT, " + sequence + " AS __END_AT";
  return shape + " FROM (" + source_sql + ")";
}

std::string CdcStatePath(const std::string& storage, const std::string& target) {
  return storage + "/system/auto_cdc/" + target;
}

std::optional<int64_t> CdcCommittedBatch(const delta::DeltaContext& context,
                                         const std::string& state_path, const std::string& app_id) {
  auto snapshot = delta::LoadSnapshot(context, state_path);
  if (!snapshot.ok()) return std::nullopt;
  return (*snapshot)->TransactionVersion(app_id);
}

Result<CdcResult> ApplyChanges(const CdcBatch& batch) {
  CdcApplier applier(batch);
  return applier.Apply();
}

}  // namespace sluice::runtime
