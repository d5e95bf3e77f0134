#include "runtime/streaming_join.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/sync_point.h"
#include "sql/diagnostics.h"

namespace sluice::runtime {
namespace {

constexpr const char* kOutputTable = "__sluice_join_output";
constexpr const char* kPairsTable = "__sluice_join_pairs";
constexpr const char* kLeftRowColumn = "__sluice_left_row";
constexpr const char* kRightRowColumn = "__sluice_right_row";
constexpr const char* kMatchedColumn = "matched_row";

int FindColumn(const std::vector<spark::Column>& columns, const std::string& name) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (EqualsIgnoreCase(columns[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

std::string Column(int index) { return spark::RowColumnName(static_cast<size_t>(index)); }

int64_t Count(const engine::QueryResult& result, size_t column) {
  return result.at(0, column).is_null() ? 0 : std::get<int64_t>(result.at(0, column).data);
}

}  // namespace

std::string StreamingJoin::Side::ColumnList() const {
  std::vector<std::string> names;
  for (size_t i = 0; i < columns.size(); ++i) names.push_back(Column(static_cast<int>(i)));
  return Join(names, ", ");
}

std::string StreamingJoin::Side::ExpirySql() const {
  if (key_column >= 0) return "epoch_us(" + Column(key_column) + ")";
  if (event_column >= 0 && !spec->bounds.empty()) return "epoch_us(" + Column(event_column) + ")";
  return "CAST(NULL AS BIGINT)";
}

std::optional<int64_t> StreamingJoin::Side::Threshold(int64_t watermark_ms) const {
  if (key_column >= 0) return watermark_ms * 1000;
  if (event_column >= 0 && !spec->bounds.empty()) {
    return spark::JoinStateWatermarkMs(spec->bounds, watermark_ms) * 1000;
  }
  return std::nullopt;
}

Result<std::unique_ptr<StreamingJoin>> StreamingJoin::Make(
    const graph::Flow& flow, spark::StatefulOperator op, const std::string& checkpoint_dir,
    const std::map<std::string, std::string>& conf) {
  std::unique_ptr<StreamingJoin> join(
      new StreamingJoin(flow, std::move(op), checkpoint_dir + "/state/0"));
  for (const auto& [key, value] : conf) {
    if (EqualsIgnoreCase(key, "spark.sql.streaming.multipleWatermarkPolicy")) {
      join->max_policy_ = EqualsIgnoreCase(Trim(value), "max");
    }
  }
  join->over_join_ = join->op_.over_join;
  const spark::StreamJoin& spec = join->op_.stream_join;
  join->left_.spec = &spec.left;
  join->left_.name = "left";
  join->semi_ = spec.type == spark::JoinType::kLeftSemi;
  join->left_.outer = spec.type == spark::JoinType::kLeft || spec.type == spark::JoinType::kFull;
  join->left_.tracks_matches = join->left_.outer || join->semi_;
  join->right_.spec = &spec.right;
  join->right_.name = "right";
  join->right_.outer = spec.type == spark::JoinType::kRight || spec.type == spark::JoinType::kFull;
  join->right_.tracks_matches = join->right_.outer;
  return join;
}

Result<std::string> StreamingJoin::RenderInput(InputRenderer& renderer) {
  const spark::SourceText& source = *flow_.query.parsed->source;
  for (Side* side : {&left_, &right_}) {
    SLUICE_ASSIGN_OR_RETURN(
        spark::Translation rows,
        renderer.RenderRelationRows(flow_.query, *side->spec->relation, flow_.inputs, flow_.conf));
    side->columns = rows.columns;
    side->rows_sql = rows.sql;
    side->event_column = -1;
    side->key_column = -1;
    if (side->spec->watermark != nullptr) {
      side->event_column = FindColumn(side->columns, side->spec->event_time);
      if (side->event_column < 0 || !side->columns[side->event_column].type.IsTimestamp()) {
        return InvalidArgument(sql::FormatDiagnostic(
            source.Locate(side->spec->watermark->span),
            "the watermark's column '" + side->spec->event_time +
                "' is not a timestamp column of the join's " + side->name + " side"));
      }
    }
    if (!side->spec->key_column.empty()) {
      side->key_column = FindColumn(side->columns, side->spec->key_column);
      if (side->key_column < 0 || !side->columns[side->key_column].type.IsTimestamp()) {
        return InvalidArgument(sql::FormatDiagnostic(
            source.Locate(op_.span), "the join key '" + side->spec->key_column +
                                         "' is not a timestamp column of the join's " + side->name +
                                         " side"));
      }
    }
  }
  return left_.rows_sql;
}

Status StreamingJoin::Load(engine::Connection& connection, io::FileSystem& fs, int64_t batch_id) {
  if (loaded_version_ == batch_id) return Status::OK();
  for (Side* side : {&left_, &right_}) {
    SLUICE_ASSIGN_OR_RETURN(streaming::StateStore rows,
                            streaming::StateStore::Load(fs, connection, dir_ + "/" + side->name,
                                                        side->Table("state"), batch_id));
    side->rows.emplace(std::move(rows));
    if (side->tracks_matches) {
      SLUICE_ASSIGN_OR_RETURN(
          streaming::StateStore matched,
          streaming::StateStore::Load(fs, connection, dir_ + "/" + side->name + "-matched",
                                      side->Table("matched"), batch_id));
      side->matched.emplace(std::move(matched));
    }
  }
  std::string watermark;
  nlohmann::json metadata = nlohmann::json::parse(left_.rows->info().metadata, nullptr, false);
  if (!metadata.is_discarded() && metadata.contains("watermark")) {
    watermark = metadata["watermark"].dump();
  }
  SLUICE_ASSIGN_OR_RETURN(tracker_, streaming::WatermarkTracker::FromJson(watermark, max_policy_));
  loaded_version_ = batch_id;
  return Status::OK();
}

std::string StreamingJoin::StateRows(const Side& side) const {
  if (side.rows->has_table()) return "(SELECT * FROM " + side.Table("state") + ")";
  return "(SELECT * FROM " + side.Table("new") + " WHERE false)";
}

std::string StreamingJoin::NullRow(const Side& side) const {
  return "(SELECT __none.* FROM (SELECT 1) AS __one LEFT JOIN (SELECT " + side.ColumnList() +
         " FROM " + side.Table("new") + " LIMIT 0) AS __none ON TRUE)";
}

Result<std::string> StreamingJoin::RenderOutput(
    InputRenderer& renderer, const std::string& left_rows, const std::string& right_rows,
    spark::JoinType type, spark::TranslateOptions::JoinOverride::Conjuncts conjuncts) {
  auto adjust = [&](spark::TranslateOptions& options) {
    options.substitutes[left_.spec->relation] = spark::SubstituteRelation{left_rows, left_.columns};
    options.substitutes[right_.spec->relation] =
        spark::SubstituteRelation{right_rows, right_.columns};
    options.joins[op_.stream_join.join].type = type;
    options.joins[op_.stream_join.join].conjuncts = conjuncts;
  };
  if (over_join_) {
    SLUICE_ASSIGN_OR_RETURN(
        spark::Translation rows,
        renderer.RenderRelationRows(flow_.query, *op_.input, flow_.inputs, flow_.conf, adjust));
    return "SELECT * FROM (" + rows.sql + ")";
  }
  SLUICE_ASSIGN_OR_RETURN(std::string sql,
                          renderer.Render(flow_.query, flow_.inputs, flow_.conf, adjust));
  return "SELECT * FROM (" + sql + ")";
}

Status StreamingJoin::MatchPairs(InputRenderer& renderer, engine::Connection& connection,
                                 const std::string& left_rows, const std::string& right_rows,
                                 const std::string& into) {
  // The sides' rows with their ids as named columns, joined as an inner join.
  auto with_id = [](const Side& side, const std::string& rows, const char* id) {
    spark::SubstituteRelation relation;
    relation.sql = "(SELECT " + side.ColumnList() + ", __row_id FROM " + rows + ")";
    relation.columns = side.columns;
    relation.columns.push_back(spark::Column{id, spark::DataType::Of(spark::TypeId::kLong), false});
    return relation;
  };
  SLUICE_ASSIGN_OR_RETURN(spark::Translation joined,
                          renderer.RenderRelationRows(
                              flow_.query, *op_.stream_join.join, flow_.inputs, flow_.conf,
                              [&](spark::TranslateOptions& options) {
                                options.substitutes[left_.spec->relation] =
                                    with_id(left_, left_rows, kLeftRowColumn);
                                options.substitutes[right_.spec->relation] =
                                    with_id(right_, right_rows, kRightRowColumn);
                                options.joins[op_.stream_join.join].type = spark::JoinType::kInner;
                              }));
  const int l = FindColumn(joined.columns, kLeftRowColumn);
  const int r = FindColumn(joined.columns, kRightRowColumn);
  if (l < 0 || r < 0) return Internal("the join's rows lost their ids");
  return connection.Execute("CREATE OR REPLACE TEMP TABLE " + into + " AS SELECT " + Column(l) +
                            " AS l, " + Column(r) + " AS r FROM (" + joined.sql + ")");
}

Status StreamingJoin::PreFilter(InputRenderer& renderer, engine::Connection& connection,
                                const Side& side, const Side& other, const std::string& rows_table,
                                const std::string& into) {
  // The side's rows joined with one row of NULLs for the other side, on the conjuncts that
  // read the side alone.
  const bool is_left = &side == &left_;
  const char* id = is_left ? kLeftRowColumn : kRightRowColumn;
  spark::SubstituteRelation rows;
  rows.sql = "(SELECT " + side.ColumnList() + ", __row_id FROM " + rows_table + ")";
  rows.columns = side.columns;
  rows.columns.push_back(spark::Column{id, spark::DataType::Of(spark::TypeId::kLong), false});
  spark::SubstituteRelation nulls;
  nulls.sql = NullRow(other);
  nulls.columns = other.columns;
  SLUICE_ASSIGN_OR_RETURN(
      spark::Translation joined,
      renderer.RenderRelationRows(
          flow_.query, *op_.stream_join.join, flow_.inputs, flow_.conf,
          [&](spark::TranslateOptions& options) {
            options.substitutes[side.spec->relation] = rows;
            options.substitutes[other.spec->relation] = nulls;
            auto& join = options.joins[op_.stream_join.join];
            join.type = spark::JoinType::kInner;
            join.conjuncts = is_left ? spark::TranslateOptions::JoinOverride::Conjuncts::kLeftOnly
                                     : spark::TranslateOptions::JoinOverride::Conjuncts::kRightOnly;
          }));
  const int index = FindColumn(joined.columns, id);
  if (index < 0) return Internal("the join's rows lost their ids");
  return connection.Execute("CREATE OR REPLACE TEMP TABLE " + into + " AS SELECT " + Column(index) +
                            " AS id FROM (" + joined.sql + ")");
}

std::string StreamingJoin::MatchedBefore(const Side& side) const {
  if (!side.matched->has_table()) return "(SELECT NULL::BIGINT WHERE false)";
  return "(SELECT " + std::string(kMatchedColumn) + " FROM " + side.Table("matched") + ")";
}

Result<std::string> StreamingJoin::SemiJoin(InputRenderer& renderer, engine::Connection& connection,
                                            const std::string& right_fresh) {
  // The left rows kept that have not matched yet, with the new right rows; with the new
  // left rows that matched the right rows in state (kPairsTable), each is written once.
  const std::string matched_before = MatchedBefore(left_);
  const std::string candidates = "(SELECT * FROM " + StateRows(left_) + " WHERE __row_id NOT IN " +
                                 matched_before + " UNION ALL SELECT * FROM " +
                                 left_.Table("stored") + ")";
  const std::string later = std::string(kPairsTable) + "2";
  SLUICE_RETURN_IF_ERROR(MatchPairs(renderer, connection, candidates, right_fresh, later));
  SLUICE_RETURN_IF_ERROR(
      connection.Execute("INSERT INTO " + std::string(kPairsTable) + " SELECT * FROM " + later));
  SLUICE_RETURN_IF_ERROR(connection.Execute(
      "CREATE OR REPLACE TEMP TABLE " + left_.Table("matched_now") +
      " AS SELECT * FROM (SELECT * FROM " + left_.Table("new") + " UNION ALL SELECT * FROM " +
      StateRows(left_) + ") WHERE __row_id IN (SELECT l FROM " + kPairsTable + ")"));
  // The kept rows that matched are never written again.
  SLUICE_RETURN_IF_ERROR(left_.matched->Put("SELECT DISTINCT __row_id AS " +
                                            std::string(kMatchedColumn) + ", " +
                                            streaming::kExpiresColumn + " FROM " + candidates +
                                            " WHERE __row_id IN (SELECT l FROM " + later + ")"));
  return RenderOutput(renderer, "(SELECT * FROM " + left_.Table("matched_now") + ")",
                      NullRow(right_), spark::JoinType::kLeftSemi,
                      spark::TranslateOptions::JoinOverride::Conjuncts::kLeftOnly);
}

Result<std::string> StreamingJoin::Apply(InputRenderer& renderer, engine::Connection& connection,
                                         io::FileSystem& fs, int64_t batch_id,
                                         StatefulMetrics* metrics, std::string* late_sql) {
  if (late_sql != nullptr) {
    return NotSupported(sql::FormatDiagnostic(
        flow_.query.parsed->source->Locate(op_.span),
        "pipelines.lateRows.table is not supported for a join of two streams: its sides' late "
        "rows have different columns; the count is in flow_progress (num_rows_dropped_by_"
        "watermark)"));
  }
  const auto started = std::chrono::steady_clock::now();
  SLUICE_RETURN_IF_ERROR(Load(connection, fs, batch_id));
  // The tables change from here on: a batch that fails reloads its state when run again.
  loaded_version_ = -1;
  const int64_t old_ms = tracker_.watermark_ms();
  int64_t late_rows = 0;
  for (Side* side : {&left_, &right_}) {
    // Ids unique across batches (the batch number in the high bits) and sides' tables.
    SLUICE_RETURN_IF_ERROR(
        connection.Execute("CREATE OR REPLACE TEMP TABLE " + side->Table("batch") + " AS SELECT " +
                           side->ColumnList() + ", CAST(" + std::to_string(batch_id) +
                           " AS BIGINT) * 4294967296 + row_number() OVER () AS __row_id FROM (" +
                           side->rows_sql + ")"));
    std::string late = "false";
    std::string max_us = "NULL";
    if (side->event_column >= 0) {
      const std::string us = "epoch_us(" + Column(side->event_column) + ")";
      late = "coalesce(" + us + " <= " + std::to_string(old_ms * 1000) + ", false)";
      max_us = "max(" + us + ")";
    }
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult stats,
                            connection.Query("SELECT count(*) FILTER (WHERE " + late + "), CAST(" +
                                             max_us + " AS BIGINT) FROM " + side->Table("batch")));
    late_rows += Count(stats, 0);
    if (side->event_column >= 0 && !stats.at(0, 1).is_null()) {
      tracker_.Observe(side->name + ":" + side->spec->event_time,
                       std::get<int64_t>(stats.at(0, 1).data), side->spec->watermark->delay_micros);
    }
    SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " + side->Table("new") +
                                              " AS SELECT *, " + side->ExpirySql() + " AS " +
                                              streaming::kExpiresColumn + " FROM " +
                                              side->Table("batch") + " WHERE NOT (" + late + ")"));
  }
  tracker_.Advance();
  const int64_t new_ms = tracker_.watermark_ms();
  batch_watermarks_ms_ = {old_ms, new_ms};

  // Each side's new rows that may match (`fresh`: those passing its own conjuncts; only
  // outer sides need telling them apart) and those kept in state (`stored`: not already
  // below the side's state watermark).
  int64_t rows_added = 0;
  for (Side* side : {&left_, &right_}) {
    Side& other = side == &left_ ? right_ : left_;
    std::string fresh = "SELECT * FROM " + side->Table("new");
    if (side->outer) {
      SLUICE_RETURN_IF_ERROR(
          PreFilter(renderer, connection, *side, other, side->Table("new"), side->Table("pass")));
      fresh += " WHERE __row_id IN (SELECT id FROM " + side->Table("pass") + ")";
    }
    SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                              side->Table("fresh") + " AS " + fresh));
    std::string stored = "SELECT * FROM " + side->Table("fresh") + " WHERE true";
    if (semi_ && side == &left_) {
      // A left row that matches the right rows in state is written now and not kept.
      SLUICE_RETURN_IF_ERROR(MatchPairs(renderer, connection,
                                        "(SELECT * FROM " + left_.Table("fresh") + ")",
                                        StateRows(right_), kPairsTable));
      stored += " AND __row_id NOT IN (SELECT l FROM " + std::string(kPairsTable) + ")";
    }
    if (std::optional<int64_t> threshold = side->Threshold(old_ms)) {
      stored += " AND NOT coalesce(" + std::string(streaming::kExpiresColumn) +
                " <= " + std::to_string(*threshold) + ", false)";
    }
    SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                              side->Table("stored") + " AS " + stored));
    SLUICE_ASSIGN_OR_RETURN(engine::QueryResult count,
                            connection.Query("SELECT count(*) FROM " + side->Table("stored")));
    rows_added += Count(count, 0);
  }

  // New left rows with the right rows in state; the left rows in state, new ones kept
  // included, with new right rows.
  const std::string left_fresh = "(SELECT * FROM " + left_.Table("fresh") + ")";
  const std::string right_fresh = "(SELECT * FROM " + right_.Table("fresh") + ")";
  const std::string left_all = "(SELECT * FROM " + StateRows(left_) + " UNION ALL SELECT * FROM " +
                               left_.Table("stored") + ")";
  const std::string right_all = "(SELECT * FROM " + StateRows(right_) +
                                " UNION ALL SELECT * FROM " + right_.Table("stored") + ")";
  std::vector<std::string> parts;
  if (semi_) {
    SLUICE_ASSIGN_OR_RETURN(std::string semi, SemiJoin(renderer, connection, right_fresh));
    parts.push_back(semi);
  } else {
    SLUICE_ASSIGN_OR_RETURN(std::string first, RenderOutput(renderer, left_fresh, StateRows(right_),
                                                            spark::JoinType::kInner));
    parts.push_back(first);
    SLUICE_ASSIGN_OR_RETURN(std::string second,
                            RenderOutput(renderer, left_all, right_fresh, spark::JoinType::kInner));
    parts.push_back(second);
  }

  if (left_.outer || right_.outer) {
    SLUICE_RETURN_IF_ERROR(
        MatchPairs(renderer, connection, left_fresh, StateRows(right_), kPairsTable));
    SLUICE_RETURN_IF_ERROR(
        MatchPairs(renderer, connection, left_all, right_fresh, std::string(kPairsTable) + "2"));
    SLUICE_RETURN_IF_ERROR(connection.Execute("INSERT INTO " + std::string(kPairsTable) +
                                              " SELECT * FROM " + kPairsTable + "2"));
  }
  for (Side* side : {&left_, &right_}) {
    if (!side->outer) continue;
    Side& other = side == &left_ ? right_ : left_;
    const std::string pair_id = side == &left_ ? "l" : "r";
    const std::string all = side == &left_ ? left_all : right_all;
    const std::string matched_now =
        "(SELECT " + pair_id + " FROM " + std::string(kPairsTable) + ")";
    const std::string matched_before = MatchedBefore(*side);
    // Rows that can never match: those failing their own conjuncts, new ones below the
    // state watermark without a match now, and those the new watermark evicts unmatched.
    std::string unmatched = "SELECT __row_id FROM " + side->Table("new") +
                            " WHERE __row_id NOT IN (SELECT id FROM " + side->Table("pass") +
                            ") UNION ALL SELECT __row_id FROM " + side->Table("fresh") +
                            " WHERE __row_id NOT IN (SELECT __row_id FROM " +
                            side->Table("stored") + ") AND __row_id NOT IN " + matched_now;
    if (std::optional<int64_t> threshold = side->Threshold(new_ms)) {
      unmatched += " UNION ALL SELECT __row_id FROM " + all + " WHERE coalesce(" +
                   streaming::kExpiresColumn + " <= " + std::to_string(*threshold) +
                   ", false) AND __row_id NOT IN " + matched_now + " AND __row_id NOT IN " +
                   matched_before;
    }
    SLUICE_RETURN_IF_ERROR(connection.Execute(
        "CREATE OR REPLACE TEMP TABLE " + side->Table("unmatched") + " AS SELECT * FROM (" +
        "SELECT * FROM " + side->Table("new") + " UNION ALL SELECT * FROM " + StateRows(*side) +
        ") WHERE __row_id IN (" + unmatched + ")"));
    const std::string padded = "(SELECT * FROM " + side->Table("unmatched") + ")";
    const std::string empty = "(SELECT * FROM " + other.Table("new") + " WHERE false)";
    SLUICE_ASSIGN_OR_RETURN(std::string nulls,
                            side == &left_
                                ? RenderOutput(renderer, padded, empty, spark::JoinType::kLeft)
                                : RenderOutput(renderer, empty, padded, spark::JoinType::kRight));
    parts.push_back(nulls);
    // The rows in state that matched for the first time.
    SLUICE_RETURN_IF_ERROR(side->matched->Put(
        "SELECT DISTINCT s.__row_id AS " + std::string(kMatchedColumn) + ", s." +
        streaming::kExpiresColumn + " FROM " + all + " AS s WHERE s.__row_id IN " + matched_now +
        " AND s.__row_id NOT IN " + matched_before));
  }
  SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE OR REPLACE TEMP TABLE " +
                                            std::string(kOutputTable) + " AS " +
                                            Join(parts, " UNION ALL ")));

  // The new rows kept join the state; rows below the new state watermarks leave.
  int64_t rows_before = 0, rows_after = 0, bytes = 0;
  for (Side* side : {&left_, &right_}) {
    rows_before += side->rows->has_table() ? side->rows->info().rows : 0;
    SLUICE_RETURN_IF_ERROR(side->rows->Put("SELECT * FROM " + side->Table("stored")));
    if (std::optional<int64_t> threshold = side->Threshold(new_ms)) {
      SLUICE_RETURN_IF_ERROR(side->rows->Evict(*threshold));
      if (side->matched) SLUICE_RETURN_IF_ERROR(side->matched->Evict(*threshold));
    }
  }
  nlohmann::json metadata;
  metadata["batch_id"] = batch_id;
  SLUICE_RETURN_IF_ERROR(right_.rows->Commit(metadata.dump()));
  for (Side* side : {&left_, &right_}) {
    if (side->matched) SLUICE_RETURN_IF_ERROR(side->matched->Commit(metadata.dump()));
  }
  metadata["watermark"] = nlohmann::json::parse(tracker_.ToJson());
  metadata["late_rows"] = late_rows;
  SLUICE_RETURN_IF_ERROR(left_.rows->Commit(metadata.dump()));
  loaded_version_ = batch_id + 1;
  SLUICE_SYNC_POINT("flow.state_committed");
  for (Side* side : {&left_, &right_}) {
    rows_after += side->rows->info().rows;
    bytes += side->rows->info().bytes + (side->matched ? side->matched->info().bytes : 0);
  }
  if (metrics != nullptr) {
    metrics->watermark_ms = new_ms;
    metrics->state_rows = rows_after;
    metrics->state_bytes = bytes;
    metrics->late_rows = late_rows;
    metrics->rows_added = rows_added;
    metrics->rows_evicted = std::max<int64_t>(0, rows_before + rows_added - rows_after);
    metrics->state_time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
  }
  return "SELECT * FROM " + std::string(kOutputTable);
}

int64_t StreamingJoin::OutputWatermarkMs(int64_t watermark_ms) const {
  if (watermark_ms == 0) return 0;
  int64_t out = watermark_ms;
  for (const Side* side : {&left_, &right_}) {
    if (std::optional<int64_t> threshold = side->Threshold(watermark_ms)) {
      out = std::min(out, *threshold / 1000);
    }
  }
  return std::max<int64_t>(out, 0);
}

Result<StatefulMetrics> StreamingJoin::CommittedMetrics(io::FileSystem& fs,
                                                        int64_t batch_id) const {
  StatefulMetrics metrics;
  for (const char* side : {"left", "right"}) {
    const std::string path = dir_ + "/" + side + "/" + std::to_string(batch_id + 1) + ".json";
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    nlohmann::json info = nlohmann::json::parse(text, nullptr, false);
    if (info.is_discarded() || !info.is_object()) {
      return Corruption("the state file " + path + " is corrupt");
    }
    metrics.state_rows += info.value("rows", int64_t{0});
    metrics.state_bytes += info.value("bytes", int64_t{0});
    if (info.contains("metadata") && info["metadata"].is_object()) {
      const nlohmann::json& metadata = info["metadata"];
      metrics.late_rows += metadata.value("late_rows", int64_t{0});
      if (metadata.contains("watermark") && metadata["watermark"].is_object()) {
        metrics.watermark_ms = metadata["watermark"].value("watermark_ms", int64_t{0});
      }
    }
  }
  return metrics;
}

}  // namespace sluice::runtime
