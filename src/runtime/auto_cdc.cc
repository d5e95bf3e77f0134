#include "runtime/auto_cdc.h"

#include "common/strings.h"
#include "delta/merge.h"
#include "delta/scan.h"
#include "runtime/auto_cdc_internal.h"
#include "runtime/flow_runner.h"
#include "runtime/spark_sql.h"
#include "sql/diagnostics.h"

namespace sluice::runtime {
namespace auto_cdc_internal {

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
    Status created = DefineEvents("SELECT " + Join(Quoted(names), ", ") + ", (" + sequence +
                                      ") AS __seq, " + is_delete + " AS __del, " + is_truncate +
                                      " AS __trunc FROM (" + batch_.events_sql + ")",
                                  batch_.repeatable_events && NothingToMergeWith());
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
  return DefineEvents("SELECT " + columns + ", __seq, __del, __trunc FROM (" + events + ")",
                      /*as_view=*/false);
}

Status CdcApplier::DefineEvents(const std::string& sql, bool as_view) {
  events_query_ = "SELECT *, NULL::BIGINT AS __ord FROM (" + sql + ")";
  if (!as_view) return Temp(kEvents, events_query_);
  SLUICE_RETURN_IF_ERROR(connection_.Execute(std::string("CREATE OR REPLACE TEMP VIEW ") + kEvents +
                                             " AS " + events_query_));
  events_view_ = true;
  return Status::OK();
}

Status CdcApplier::MaterializeEvents() {
  if (!events_view_) return Status::OK();
  SLUICE_RETURN_IF_ERROR(connection_.Execute(std::string("DROP VIEW ") + kEvents));
  events_view_ = false;
  return Temp(kEvents, events_query_);
}

bool CdcApplier::NothingToMergeWith() const {
  if (starts_over_) return true;
  // A log folder is enough: a table is not loaded twice (a folder without commits only
  // costs the bulk path its direct read).
  auto exists = [&](const std::string& path) {
    return batch_.context->fs->Exists(path + "/_delta_log");
  };
  return !exists(batch_.state_path) && (cdc_.scd_type != 2 || !exists(batch_.target_path));
}

Result<bool> CdcApplier::OneEventPerKey() {
  const Column* key = nullptr;
  for (const Column& column : stored_) {
    if (keys_.size() == 1 && EqualsIgnoreCase(column.name, keys_[0])) key = &column;
  }
  static const char* kIntegers[] = {"TINYINT",  "SMALLINT",  "INTEGER", "BIGINT",
                                    "UTINYINT", "USMALLINT", "UINTEGER"};
  bool integer = false;
  for (const char* type : kIntegers) integer = integer || (key != nullptr && key->type == type);
  if (integer) {
    // A single integer key over a dense range: its distinct values are counted in a bitmap
    // of the range, several times faster than grouping (NULL keys count as one key).
    const std::string column = QuoteIdentifier(key->name);
    SLUICE_ASSIGN_OR_RETURN(
        engine::QueryResult range,
        connection_.Query("SELECT count(*) - count(" + column + "), count(" + column + "), min(" +
                          column + ")::BIGINT, max(" + column + ")::BIGINT FROM " + kEvents));
    const int64_t nulls = std::get<int64_t>(range.at(0, 0).data);
    const int64_t values = std::get<int64_t>(range.at(0, 1).data);
    if (nulls > 1) return false;
    if (values <= 1) return true;
    const int64_t low = std::get<int64_t>(range.at(0, 2).data);
    const int64_t high = std::get<int64_t>(range.at(0, 3).data);
    const uint64_t width = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    constexpr uint64_t kMaxBits = uint64_t{1} << 27;  // a 16 MiB bitmap
    if (width < kMaxBits && width / 8 < static_cast<uint64_t>(values)) {
      SLUICE_ASSIGN_OR_RETURN(
          int64_t distinct, Count("SELECT bit_count(bitstring_agg(" + column + ", " +
                                  std::to_string(low) + "::" + key->type + ", " +
                                  std::to_string(high) + "::" + key->type + ")) FROM " + kEvents));
      return distinct == values;
    }
  }
  SLUICE_ASSIGN_OR_RETURN(int64_t repeated,
                          Count("SELECT count(*) FROM (SELECT 1 FROM " + std::string(kEvents) +
                                " GROUP BY " + KeyList() + " HAVING count(*) > 1)"));
  return repeated == 0;
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
    // Read for each of the table's rows: not the source.
    SLUICE_RETURN_IF_ERROR(MaterializeEvents());
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
    SLUICE_RETURN_IF_ERROR(MaterializeEvents());
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

}  // namespace auto_cdc_internal

using auto_cdc_internal::CdcApplier;
using auto_cdc_internal::Contains;

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
