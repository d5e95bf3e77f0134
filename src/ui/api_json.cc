#include "ui/api_json.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "common/strings.h"
#include "common/time_format.h"
#include "ui/event_log_sql.h"
#include "ui/source_excerpt.h"

namespace sluice::ui {
namespace {

using nlohmann::json;

// The first exception message of an event's `error` JSON, or "".
std::string ErrorMessage(const json& error) {
  if (error.is_object() && error.contains("exceptions") && error["exceptions"].is_array() &&
      !error["exceptions"].empty() && error["exceptions"][0].is_object()) {
    return error["exceptions"][0].value("message", std::string());
  }
  return error.is_string() ? error.get<std::string>() : "";
}

// Runs the query `sql` makes (given a predicate to AND into its WHERE) over the newest
// update's events first, and over the whole log when that finds nothing (`found` says).
Result<Rows> NewestUpdateFirst(Pipeline& pipeline, const UpdateIndex& index,
                               const std::function<std::string(const std::string&)>& sql,
                               const std::function<bool(const Rows&)>& found) {
  const std::string newest = index.EventsOfNewest(1);
  if (!newest.empty()) {
    SLUICE_ASSIGN_OR_RETURN(Rows rows, QueryEventLog(pipeline, sql(" AND " + newest)));
    if (found(rows)) return rows;
  }
  return QueryEventLog(pipeline, sql(""));
}

json SummaryJson(const UpdateSummary& update) {
  return {{"update_id", update.update_id},
          {"state", update.state.empty() ? json(nullptr) : json(update.state)},
          {"cause", update.cause.empty() ? json(nullptr) : json(update.cause)},
          {"full_refresh", update.full_refresh},
          {"start", FormatTimestampMillis(update.start_us / 1000)},
          {"end", FormatTimestampMillis(update.end_us / 1000)},
          {"duration", static_cast<double>(update.end_us - update.start_us) / 1e6},
          {"output_rows", update.output_rows},
          {"flows", update.flows},
          {"failed_flows", update.failed_flows}};
}

// "name: condition [drop]" (DatasetInfo::expectations; [fail], or nothing for warn) ->
// name, action.
std::pair<std::string, std::string> ExpectationNameAndAction(const std::string& text) {
  const std::string name = text.substr(0, text.find(':'));
  std::string action = "warn";
  if (EndsWith(text, " [drop]")) action = "drop";
  if (EndsWith(text, " [fail]")) action = "fail";
  return {name, action};
}

bool KnownDataset(const PipelineGraph& graph, const std::string& name) {
  for (const DatasetInfo& dataset : graph.datasets) {
    if (dataset.name == name) return true;
  }
  return false;
}

}  // namespace

bool IsUpdateId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
  });
}

Result<nlohmann::json> GraphJson(Pipeline& pipeline, const UpdateIndex& index,
                                 const std::string& update_id) {
  SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
  // The update shown: the one asked for, or the newest.
  const UpdateSummary* summary = nullptr;
  if (!update_id.empty()) {
    summary = index.Find(update_id);
  } else if (!index.updates().empty()) {
    summary = &index.updates().front();
  }
  const std::string update = summary != nullptr ? summary->update_id : update_id;
  // What each dataset's flows did in the update.
  struct Did {
    std::string state;
    int64_t output_rows = 0;
    int64_t dropped = 0;
    int failed_expectations = 0;
    std::string error;
  };
  std::map<std::string, Did> did;
  if (summary != nullptr) {
    SLUICE_ASSIGN_OR_RETURN(
        Rows rows,
        QueryEventLog(
            pipeline,
            "SELECT origin.dataset_name, origin.flow_name, max_by(details:flow_progress.status, "
            "timestamp), sum(CASE WHEN " +
                std::string(kTerminalFlowStatus) +
                " THEN CAST(details:flow_progress.metrics.num_output_rows AS BIGINT) END), "
                "sum(CASE WHEN " +
                kTerminalFlowStatus +
                " THEN CAST(details:flow_progress.data_quality.dropped_records AS BIGINT) END), "
                "max_by(details:flow_progress.data_quality.expectations, CASE WHEN " +
                kTerminalFlowStatus +
                " THEN timestamp END), max_by(error, timestamp) FROM event_log "
                "WHERE event_type = 'flow_progress' AND " +
                UpdateIndex::EventsOf(*summary) + " GROUP BY 1, 2"));
    for (const auto& row : rows.rows) {
      Did& d = did[CellText(row[0])];
      const std::string state = CellText(row[2]);
      if (d.state.empty() || state == "FAILED" || (state == "RUNNING" && d.state != "FAILED")) {
        d.state = state;
      }
      d.output_rows += CellInt(row[3]);
      d.dropped += CellInt(row[4]);
      const json expectations = CellParsedJson(row[5]);
      if (expectations.is_array()) {
        for (const json& e : expectations) {
          if (e.is_object() && e.value("failed_records", int64_t{0}) > 0) ++d.failed_expectations;
        }
      }
      const std::string error = ErrorMessage(CellParsedJson(row[6]));
      if (!error.empty()) d.error = error;
    }
  }
  json out;
  out["update_id"] = update.empty() ? json(nullptr) : json(update);
  out["datasets"] = json::array();
  std::set<std::string> names;
  for (const DatasetInfo& dataset : graph.datasets) names.insert(dataset.name);
  auto add_dataset = [&](const std::string& name, const std::string& type,
                         const DatasetInfo* info) {
    json node;
    node["name"] = name;
    node["type"] = type;
    node["path"] = info != nullptr && !info->path.empty() ? json(info->path) : json(nullptr);
    node["file"] = info != nullptr && !info->file.empty() ? json(info->file) : json(nullptr);
    node["line"] = info != nullptr && info->line > 0 ? json(info->line) : json(nullptr);
    node["expectations"] = info != nullptr ? json(info->expectations) : json::array();
    auto it = did.find(name);
    if (it == did.end()) {
      node["state"] = nullptr;
      node["output_rows"] = nullptr;
      node["dropped_records"] = nullptr;
      node["failed_expectations"] = 0;
      node["error"] = nullptr;
    } else {
      node["state"] = it->second.state;
      node["output_rows"] = it->second.output_rows;
      node["dropped_records"] = it->second.dropped;
      node["failed_expectations"] = it->second.failed_expectations;
      node["error"] = it->second.error.empty() ? json(nullptr) : json(it->second.error);
    }
    out["datasets"].push_back(std::move(node));
  };
  // External sources first: they come before what reads them.
  std::set<std::string> external;
  for (const FlowInfo& flow : graph.flows) {
    for (const std::string& input : flow.inputs) {
      if (!names.count(input) && external.insert(input).second) {
        add_dataset(input, "EXTERNAL", nullptr);
      }
    }
  }
  for (const DatasetInfo& dataset : graph.datasets)
    add_dataset(dataset.name, dataset.type, &dataset);
  out["flows"] = json::array();
  out["edges"] = json::array();
  std::set<std::pair<std::string, std::string>> edges;
  for (const FlowInfo& flow : graph.flows) {
    out["flows"].push_back({{"name", flow.name},
                            {"target", flow.target},
                            {"streaming", flow.streaming},
                            {"inputs", flow.inputs}});
    for (const std::string& input : flow.inputs) {
      if (edges.insert({input, flow.target}).second) {
        out["edges"].push_back({{"from", input}, {"to", flow.target}});
      }
    }
  }
  return out;
}

Result<nlohmann::json> UpdatesJson(const UpdateIndex& index, int64_t limit) {
  json out;
  out["updates"] = json::array();
  for (const UpdateSummary& update : index.updates()) {
    if (static_cast<int64_t>(out["updates"].size()) >= std::max<int64_t>(limit, 1)) break;
    out["updates"].push_back(SummaryJson(update));
  }
  return out;
}

Result<nlohmann::json> UpdateJson(Pipeline& pipeline, const UpdateIndex& index,
                                  const std::string& update_id) {
  if (!IsUpdateId(update_id)) return InvalidArgument("not an update id: " + update_id);
  const UpdateSummary* summary = index.Find(update_id);
  if (summary == nullptr) return NotFound("no update " + update_id + " in the event log");
  json out = SummaryJson(*summary);
  const std::string events_of_update = UpdateIndex::EventsOf(*summary);
  // Where each flow is defined, from the update's flow_definition events.
  SLUICE_ASSIGN_OR_RETURN(
      Rows places,
      QueryEventLog(pipeline,
                    "SELECT origin.flow_name, details:flow_definition.source_code_location.path, "
                    "details:flow_definition.source_code_location.line_number FROM event_log WHERE "
                    "event_type = 'flow_definition' AND " +
                        events_of_update));
  std::map<std::string, std::pair<std::string, int64_t>> place;
  for (const auto& row : places.rows) place[CellText(row[0])] = {CellText(row[1]), CellInt(row[2])};
  SLUICE_ASSIGN_OR_RETURN(
      Rows flows,
      QueryEventLog(
          pipeline,
          "SELECT origin.flow_name, max(origin.dataset_name), max_by(details:flow_progress.status, "
          "timestamp), " +
              TimeText("coalesce(min(CASE WHEN details:flow_progress.status IN ('STARTING', "
                       "'RUNNING') THEN timestamp END), min(timestamp))") +
              ", " + TimeText("max(timestamp)") + ", " +
              SecondsBetween("coalesce(min(CASE WHEN details:flow_progress.status IN ('STARTING', "
                             "'RUNNING') THEN timestamp END), min(timestamp))",
                             "max(timestamp)") +
              ", sum(CASE WHEN " + kTerminalFlowStatus +
              " THEN CAST(details:flow_progress.metrics.num_output_rows AS BIGINT) END), "
              "max_by(error, timestamp) FROM event_log WHERE event_type = 'flow_progress' AND " +
              events_of_update + " GROUP BY origin.flow_name ORDER BY min(timestamp)"));
  out["flows"] = json::array();
  for (const auto& row : flows.rows) {
    const std::string name = CellText(row[0]);
    const std::string error = ErrorMessage(CellParsedJson(row[7]));
    auto it = place.find(name);
    out["flows"].push_back(
        {{"name", name},
         {"dataset", CellJson(row[1])},
         {"state", CellJson(row[2])},
         {"start", CellJson(row[3])},
         {"end", CellJson(row[4])},
         {"duration", CellJson(row[5])},
         {"output_rows", CellInt(row[6])},
         {"error", error.empty() ? json(nullptr) : json(error)},
         {"file",
          it != place.end() && !it->second.first.empty() ? json(it->second.first) : json(nullptr)},
         {"line",
          it != place.end() && it->second.second > 0 ? json(it->second.second) : json(nullptr)}});
  }
  EventFilter filter;
  filter.update_id = update_id;
  filter.limit = 10000;
  SLUICE_ASSIGN_OR_RETURN(json events, EventsJson(pipeline, index, filter));
  out["events"] = std::move(events["events"]);
  return out;
}

Result<nlohmann::json> EventsJson(Pipeline& pipeline, const UpdateIndex& index,
                                  const EventFilter& filter) {
  static const std::set<std::string> kTypes = {
      "create_update",   "update_progress", "dataset_definition",  "sink_definition",
      "flow_definition", "flow_progress",   "planning_information"};
  static const std::set<std::string> kLevels = {"INFO", "WARN", "ERROR", "METRICS"};
  std::vector<std::string> where;
  if (!filter.update_id.empty()) {
    if (!IsUpdateId(filter.update_id)) {
      return InvalidArgument("not an update id: " + filter.update_id);
    }
    const UpdateSummary* update = index.Find(filter.update_id);
    where.push_back(update != nullptr ? UpdateIndex::EventsOf(*update)
                                      : "origin.update_id = " + SparkLiteral(filter.update_id));
  }
  if (!filter.type.empty()) {
    if (!kTypes.count(filter.type)) return InvalidArgument("unknown event type: " + filter.type);
    where.push_back("event_type = " + SparkLiteral(filter.type));
  }
  if (!filter.level.empty()) {
    if (!kLevels.count(filter.level)) return InvalidArgument("unknown level: " + filter.level);
    where.push_back("level = " + SparkLiteral(filter.level));
  }
  if (!filter.flow.empty()) {
    SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
    bool known = false;
    for (const FlowInfo& flow : graph.flows) known = known || flow.name == filter.flow;
    if (!known) return NotFound("no flow " + filter.flow + " in the pipeline");
    where.push_back("origin.flow_name = " + SparkLiteral(filter.flow));
  }
  const int64_t limit = std::max<int64_t>(filter.limit, 1);
  auto newest = [&](const std::string& bound) {
    std::vector<std::string> all = where;
    if (!bound.empty()) all.push_back(bound);
    return QueryEventLog(pipeline, "SELECT id, " + TimeText("timestamp") +
                                       ", event_type, level, message, origin.update_id, "
                                       "origin.flow_name, origin.dataset_name, details, error "
                                       "FROM event_log" +
                                       (all.empty() ? "" : " WHERE " + Join(all, " AND ")) +
                                       " ORDER BY timestamp DESC, sequence.control_plane_seq_no "
                                       "DESC LIMIT " +
                                       std::to_string(limit));
  };
  // The newest events lie in the newest updates' time range; filters that pass fewer than
  // `limit` of those read the whole log.
  const std::string bound = filter.update_id.empty() ? index.AtLeastNewestEvents(limit) : "";
  SLUICE_ASSIGN_OR_RETURN(Rows rows, newest(bound));
  if (!bound.empty() && static_cast<int64_t>(rows.rows.size()) < limit) {
    SLUICE_ASSIGN_OR_RETURN(rows, newest(""));
  }
  json out;
  out["events"] = json::array();
  for (auto it = rows.rows.rbegin(); it != rows.rows.rend(); ++it) {
    const auto& row = *it;
    out["events"].push_back({{"id", CellText(row[0])},
                             {"timestamp", CellJson(row[1])},
                             {"event_type", CellJson(row[2])},
                             {"level", CellJson(row[3])},
                             {"message", CellJson(row[4])},
                             {"update_id", CellJson(row[5])},
                             {"flow_name", CellJson(row[6])},
                             {"dataset_name", CellJson(row[7])},
                             {"details", CellParsedJson(row[8])},
                             {"error", CellParsedJson(row[9])}});
  }
  return out;
}

Result<nlohmann::json> QualityJson(Pipeline& pipeline, const UpdateIndex& index, int64_t last) {
  SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
  std::map<std::pair<std::string, std::string>, std::string> actions;  // (dataset, name)
  for (const DatasetInfo& dataset : graph.datasets) {
    for (const std::string& text : dataset.expectations) {
      auto [name, action] = ExpectationNameAndAction(text);
      actions[{dataset.name, name}] = action;
    }
  }
  last = std::max<int64_t>(last, 1);
  std::map<std::string, std::string> starts;
  std::vector<std::string> ids;
  for (const UpdateSummary& update : index.updates()) {
    if (static_cast<int64_t>(ids.size()) >= last) break;
    ids.push_back(SparkLiteral(update.update_id));
    starts[update.update_id] = FormatTimestampMillis(update.start_us / 1000);
  }
  const std::string newest = index.EventsOfNewest(ids.size());
  json out;
  out["expectations"] = json::array();
  if (ids.empty()) return out;
  SLUICE_ASSIGN_OR_RETURN(
      Rows rows,
      QueryEventLog(
          pipeline,
          "SELECT origin.update_id, min(timestamp), details:flow_progress.data_quality "
          "FROM event_log WHERE event_type = 'flow_progress' AND " +
              std::string(kTerminalFlowStatus) +
              " AND details:flow_progress.data_quality IS NOT NULL AND origin.update_id IN (" +
              Join(ids, ", ") + ")" + (newest.empty() ? "" : " AND " + newest) +
              " GROUP BY origin.update_id, details:flow_progress.data_quality "
              "ORDER BY min(timestamp)"));
  // (dataset, name) -> update -> counts, in the order the updates ran.
  std::map<std::pair<std::string, std::string>, json> series;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& row : rows.rows) {
    const std::string update = CellText(row[0]);
    const json quality = CellParsedJson(row[2]);
    if (!quality.is_object() || !quality.contains("expectations")) continue;
    for (const json& e : quality["expectations"]) {
      if (!e.is_object()) continue;
      const std::pair<std::string, std::string> key = {e.value("dataset", std::string()),
                                                       e.value("name", std::string())};
      if (!series.count(key)) order.push_back(key);
      json& points = series[key];
      const int64_t failed = e.value("failed_records", int64_t{0});
      const auto action = actions.find(key);
      const bool drop = action != actions.end() && action->second == "drop";
      // One flow's event per update per expectation; several flows into one dataset add up.
      bool merged = false;
      for (json& point : points) {
        if (point["update_id"] == update) {
          point["passed_records"] =
              point["passed_records"].get<int64_t>() + e.value("passed_records", int64_t{0});
          point["failed_records"] = point["failed_records"].get<int64_t>() + failed;
          point["dropped_records"] = point["dropped_records"].get<int64_t>() + (drop ? failed : 0);
          merged = true;
        }
      }
      if (!merged) {
        points.push_back({{"update_id", update},
                          {"start", starts[update]},
                          {"passed_records", e.value("passed_records", int64_t{0})},
                          {"failed_records", failed},
                          {"dropped_records", drop ? failed : 0}});
      }
    }
  }
  for (const auto& key : order) {
    const auto action = actions.find(key);
    out["expectations"].push_back({{"dataset", key.first},
                                   {"name", key.second},
                                   {"action", action != actions.end() ? action->second : "warn"},
                                   {"updates", series[key]}});
  }
  return out;
}

Result<nlohmann::json> DatasetJson(Pipeline& pipeline, Session& session, const UpdateIndex& index,
                                   const std::string& name) {
  SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
  const DatasetInfo* info = nullptr;
  for (const DatasetInfo& dataset : graph.datasets) {
    if (dataset.name == name) info = &dataset;
  }
  if (info == nullptr) return NotFound("no dataset " + name + " in the pipeline");
  json out;
  out["name"] = info->name;
  out["type"] = info->type;
  out["path"] = info->path.empty() ? json(nullptr) : json(info->path);
  out["file"] = info->file.empty() ? json(nullptr) : json(info->file);
  out["line"] = info->line > 0 ? json(info->line) : json(nullptr);
  out["expectations"] = info->expectations;
  // Lineage from the flows.
  std::set<std::string> upstream, downstream;
  std::vector<std::string> flows;
  for (const FlowInfo& flow : graph.flows) {
    if (flow.target == name) {
      flows.push_back(flow.name);
      upstream.insert(flow.inputs.begin(), flow.inputs.end());
    }
    for (const std::string& input : flow.inputs) {
      if (input == name) downstream.insert(flow.target);
    }
  }
  out["upstream"] = upstream;
  out["downstream"] = downstream;
  // The definition: its flows' query text in the newest update that defined them.
  std::vector<std::string> quoted;
  for (const std::string& flow : flows) quoted.push_back(SparkLiteral(flow));
  out["definition"] = nullptr;
  if (!quoted.empty()) {
    SLUICE_ASSIGN_OR_RETURN(
        Rows text,
        NewestUpdateFirst(
            pipeline, index,
            [&](const std::string& bound) {
              return "SELECT origin.flow_name, max_by(details:flow_definition.query_text, "
                     "timestamp) FROM event_log WHERE event_type = 'flow_definition' AND "
                     "origin.flow_name IN (" +
                     Join(quoted, ", ") + ")" + bound + " GROUP BY 1 ORDER BY 1";
            },
            [](const Rows& rows) { return !rows.rows.empty(); }));
    std::vector<std::string> queries;
    for (const auto& row : text.rows) {
      if (!row[1].is_null()) queries.push_back(row[1].ToString());
    }
    if (!queries.empty()) out["definition"] = Join(queries, "\n\n");
  }
  // The definition as written, from its file (which may have changed since the update).
  const std::optional<std::string> source =
      info->file.empty() ? std::nullopt : DefinitionExcerptOfFile(info->file, info->line);
  out["source"] = source ? json(*source) : json(nullptr);
  out["comment"] = nullptr;
  out["columns"] = json::array();
  out["properties"] = json::object();
  out["version"] = nullptr;
  out["history"] = json::array();
  out["checkpoints"] = json::array();
  if (info->path.empty()) return out;
  auto described = session.Describe(info->path);
  if (!described.ok()) {
    // A table not written yet has no log.
    if (described.status().code() == StatusCode::kNotFound) return out;
    return described.status();
  }
  out["comment"] = described->description ? json(*described->description) : json(nullptr);
  out["version"] = described->version;
  out["properties"] = described->properties;
  const json schema = json::parse(described->schema_json, nullptr, false);
  if (schema.is_object() && schema.contains("fields")) {
    for (const json& field : schema["fields"]) {
      json comment = nullptr;
      if (field.contains("metadata") && field["metadata"].is_object() &&
          field["metadata"].contains("comment")) {
        comment = field["metadata"]["comment"];
      }
      out["columns"].push_back({{"name", field.value("name", std::string())},
                                {"type", field.contains("type") ? field["type"] : json(nullptr)},
                                {"nullable", field.value("nullable", true)},
                                {"comment", comment}});
    }
  }
  SLUICE_ASSIGN_OR_RETURN(Rows history, session.History(info->path, 100));
  for (const auto& row : history.rows) {
    json entry;
    for (size_t i = 0; i < history.column_names.size() && i < row.size(); ++i) {
      const std::string& column = history.column_names[i];
      const bool is_json = i < history.column_types.size() && history.column_types[i] == "JSON";
      entry[column] = is_json ? CellParsedJson(row[i]) : CellJson(row[i]);
    }
    // The pages' name for Delta's operationMetrics.
    entry["metrics"] = entry.contains("operationMetrics") ? entry["operationMetrics"] : json();
    out["history"].push_back(std::move(entry));
  }
  // Streaming flows' checkpoints: files read and the watermark, as the event log and
  // cloud_files_state report them.
  for (const std::string& flow : flows) {
    json checkpoint = {
        {"flow", flow}, {"files", nullptr}, {"watermark", nullptr}, {"batch_id", nullptr}};
    SLUICE_ASSIGN_OR_RETURN(
        Rows progress,
        NewestUpdateFirst(
            pipeline, index,
            [&](const std::string& bound) {
              return "SELECT max_by(details:flow_progress.metrics.watermark, timestamp), "
                     "max(origin.batch_id), count(*) FROM event_log WHERE event_type = "
                     "'flow_progress' AND origin.flow_name = " +
                     SparkLiteral(flow) + bound;
            },
            // The newest update that ran the flow has its last watermark and batch.
            [](const Rows& rows) { return !rows.rows.empty() && CellInt(rows.rows[0][2]) > 0; }));
    if (!progress.rows.empty()) {
      checkpoint["watermark"] = CellJson(progress.rows[0][0]);
      checkpoint["batch_id"] = CellJson(progress.rows[0][1]);
    }
    auto files = pipeline.Query("SELECT count(*) FROM cloud_files_state(TABLE(" +
                                QuoteSparkIdentifier(name) + "))");
    if (files.ok() && !files->rows.empty()) checkpoint["files"] = CellInt(files->rows[0][0]);
    // Where the flow's next batch starts, per source (per partition for Kafka).
    checkpoint["sources"] = json::array();
    auto offsets = pipeline.Query(
        "SELECT batch_id, source, source_type, topic, partition, next_offset, delta_version, "
        "files, up_to FROM checkpoint_offsets(" +
        SparkLiteral(flow) + ") ORDER BY source, partition");
    if (offsets.ok()) {
      for (const auto& row : offsets->rows) {
        checkpoint["batch_id"] = CellJson(row[0]);  // the last committed batch
        checkpoint["sources"].push_back({{"source", CellJson(row[1])},
                                         {"type", CellJson(row[2])},
                                         {"topic", CellJson(row[3])},
                                         {"partition", CellJson(row[4])},
                                         {"next_offset", CellJson(row[5])},
                                         {"delta_version", CellJson(row[6])},
                                         {"files", CellJson(row[7])},
                                         {"up_to", CellJson(row[8])}});
      }
    }
    out["checkpoints"].push_back(std::move(checkpoint));
  }
  return out;
}

Result<nlohmann::json> RowsJson(Pipeline& pipeline, const std::string& name,
                                std::optional<int64_t> version, int64_t limit) {
  SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
  if (!KnownDataset(graph, name)) return NotFound("no dataset " + name + " in the pipeline");
  std::string relation = QuoteSparkIdentifier(name);
  if (version) relation += " VERSION AS OF " + std::to_string(*version);
  SLUICE_ASSIGN_OR_RETURN(Rows rows,
                          pipeline.Query("SELECT * FROM " + relation + " LIMIT " +
                                         std::to_string(std::clamp<int64_t>(limit, 1, 10000))));
  json out;
  out["version"] = version ? json(*version) : json(nullptr);
  out["columns"] = rows.column_names;
  out["rows"] = json::array();
  for (const auto& row : rows.rows) {
    json values = json::array();
    for (const Cell& cell : row) values.push_back(CellJson(cell));
    out["rows"].push_back(std::move(values));
  }
  return out;
}

}  // namespace sluice::ui
