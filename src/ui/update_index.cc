#include "ui/update_index.h"

#include <algorithm>

#include "common/strings.h"
#include "ui/event_log_sql.h"

namespace sluice::ui {
namespace {

// Events of another process may carry times a little behind the newest seen (its clock, or
// events buffered before they were appended); those within this margin are read again.
constexpr int64_t kClockMarginUs = 60LL * 1000 * 1000;

std::string Since(int64_t micros) {
  return "timestamp >= timestamp_micros(" + std::to_string(micros) + ")";
}

}  // namespace

const UpdateSummary* UpdateIndex::Find(const std::string& update_id) const {
  for (const UpdateSummary& update : updates_) {
    if (update.update_id == update_id) return &update;
  }
  return nullptr;
}

std::string UpdateIndex::EventsOf(const UpdateSummary& update) {
  return "origin.update_id = " + SparkLiteral(update.update_id) +
         " AND timestamp BETWEEN timestamp_micros(" + std::to_string(update.start_us) +
         ") AND timestamp_micros(" + std::to_string(update.end_us) + ")";
}

std::string UpdateIndex::EventsOfNewest(size_t count) const {
  if (count == 0 || count >= updates_.size()) return "";
  int64_t from = updates_[0].start_us;
  for (size_t i = 0; i < count; ++i) from = std::min(from, updates_[i].start_us);
  return Since(from);
}

std::string UpdateIndex::AtLeastNewestEvents(int64_t count) const {
  // The updates are newest first by start: every event of the first k updates is at or after
  // the k-th one's start, so once they hold `count` events, so does the time range from it.
  int64_t events = 0;
  for (const UpdateSummary& update : updates_) {
    events += update.events;
    if (events >= count) return Since(update.start_us);
  }
  return "";
}

Status UpdateIndex::Refresh(Pipeline& pipeline) {
  if (!built_) {
    SLUICE_RETURN_IF_ERROR(Summarize(pipeline, ""));
    built_ = true;
    return Status::OK();
  }
  const int64_t since = newest_us_ - kClockMarginUs;
  auto touched = pipeline.Query(
      "SELECT origin.update_id, unix_micros(min(timestamp)) FROM event_log WHERE "
      "origin.update_id IS NOT NULL AND " +
      Since(since) + " GROUP BY origin.update_id");
  if (!touched.ok()) {
    // The log was deleted: its updates are gone.
    if (touched.status().code() != StatusCode::kNotFound) return touched.status();
    updates_.clear();
    newest_us_ = 0;
    return Status::OK();
  }
  if (touched->rows.empty()) return Status::OK();
  // Each update with new events is summarized again from its first event on.
  int64_t from = since;
  std::vector<std::string> ids;
  for (const auto& row : touched->rows) {
    const std::string id = CellText(row[0]);
    ids.push_back(SparkLiteral(id));
    from = std::min(from, CellInt(row[1]));
    if (const UpdateSummary* known = Find(id)) from = std::min(from, known->start_us);
  }
  return Summarize(pipeline, "origin.update_id IN (" + Join(ids, ", ") + ") AND " + Since(from));
}

Status UpdateIndex::Summarize(Pipeline& pipeline, const std::string& where) {
  const std::string flow_end =
      "CASE WHEN event_type = 'flow_progress' AND " + std::string(kTerminalFlowStatus);
  SLUICE_ASSIGN_OR_RETURN(
      Rows rows,
      QueryEventLog(
          pipeline,
          "SELECT origin.update_id, max_by(details:update_progress.state, CASE WHEN event_type "
          "= 'update_progress' THEN timestamp END), max(CASE WHEN event_type = 'create_update' "
          "THEN details:create_update.cause END), max(CASE WHEN event_type = 'create_update' "
          "THEN details:create_update.full_refresh END), unix_micros(min(timestamp)), "
          "unix_micros(max(timestamp)), sum(" +
              flow_end +
              " THEN CAST(details:flow_progress.metrics.num_output_rows AS BIGINT) END), "
              "count(DISTINCT CASE WHEN event_type = 'flow_progress' THEN origin.flow_name END), "
              "count(DISTINCT CASE WHEN event_type = 'flow_progress' AND "
              "details:flow_progress.status = 'FAILED' THEN origin.flow_name END), count(*) "
              "FROM event_log WHERE origin.update_id IS NOT NULL" +
              (where.empty() ? "" : " AND " + where) + " GROUP BY origin.update_id"));
  for (const auto& row : rows.rows) {
    UpdateSummary update;
    update.update_id = CellText(row[0]);
    update.state = CellText(row[1]);
    update.cause = CellText(row[2]);
    update.full_refresh = CellText(row[3]) == "true";
    update.start_us = CellInt(row[4]);
    update.end_us = CellInt(row[5]);
    update.output_rows = CellInt(row[6]);
    update.flows = CellInt(row[7]);
    update.failed_flows = CellInt(row[8]);
    update.events = CellInt(row[9]);
    newest_us_ = std::max(newest_us_, update.end_us);
    auto known = std::find_if(updates_.begin(), updates_.end(), [&](const UpdateSummary& u) {
      return u.update_id == update.update_id;
    });
    if (known != updates_.end()) {
      *known = std::move(update);
    } else {
      updates_.push_back(std::move(update));
    }
  }
  std::stable_sort(
      updates_.begin(), updates_.end(),
      [](const UpdateSummary& a, const UpdateSummary& b) { return a.start_us > b.start_us; });
  return Status::OK();
}

}  // namespace sluice::ui
