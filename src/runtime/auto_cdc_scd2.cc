// AUTO CDC as SCD type 2: a batch rebuilds the history of the keys it touches.
#include "runtime/auto_cdc_internal.h"

namespace sluice::runtime::auto_cdc_internal {

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

}  // namespace sluice::runtime::auto_cdc_internal
