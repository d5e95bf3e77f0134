#include "ui/api_json.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/strings.h"

namespace sluice::ui {
namespace {

using nlohmann::json;

// Event log times as UTC text with milliseconds (the session time zone is UTC).
std::string Time(const std::string& expr) {
  return "date_format(" + expr + ", \"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")";
}

// Seconds between two timestamps.
std::string Seconds(const std::string& from, const std::string& to) {
  return "CAST((unix_micros(" + to + ") - unix_micros(" + from + ")) / 1000000.0 AS DOUBLE)";
}

// A flow_progress status after which the flow did nothing more in the update.
const char* kTerminal =
    "details:flow_progress.status IN ('COMPLETED', 'FAILED', 'SKIPPED', 'EXCLUDED', 'IDLE', "
    "'STOPPED', 'CANCELED')";

json CellJson(const Cell& cell) {
  if (cell.is_null()) return nullptr;
  if (const bool* b = std::get_if<bool>(&cell.value)) return *b;
  if (const int64_t* i = std::get_if<int64_t>(&cell.value)) return *i;
  if (const double* d = std::get_if<double>(&cell.value)) return *d;
  return std::get<std::string>(cell.value);
}

std::string Text(const Cell& cell) { return cell.is_null() ? "" : cell.ToString(); }

int64_t Int(const Cell& cell) {
  if (const int64_t* i = std::get_if<int64_t>(&cell.value)) return *i;
  if (const double* d = std::get_if<double>(&cell.value)) return static_cast<int64_t>(*d);
  const std::string text = Text(cell);
  return text.empty() ? 0 : std::atoll(text.c_str());
}

// A JSON text cell parsed, or null (the text itself when it is not JSON).
json ParsedJson(const Cell& cell) {
  if (cell.is_null()) return nullptr;
  const std::string text = cell.ToString();
  json parsed = json::parse(text, nullptr, false);
  return parsed.is_discarded() ? json(text) : parsed;
}

// The first exception message of an event's `error` JSON, or "".
std::string ErrorMessage(const json& error) {
  if (error.is_object() && error.contains("exceptions") && error["exceptions"].is_array() &&
      !error["exceptions"].empty() && error["exceptions"][0].is_object()) {
    return error["exceptions"][0].value("message", std::string());
  }
  return error.is_string() ? error.get<std::string>() : "";
}

// A Spark SQL string literal (backslash escapes, as Spark reads them).
std::string Literal(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

Result<Rows> Run(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  // A pipeline that never ran has no event log yet: no rows.
  if (!rows.ok() && rows.status().code() == StatusCode::kNotFound) return Rows{};
  return rows;
}

// The update the graph shows: `update_id`, or the newest.
Result<std::string> ChosenUpdate(Pipeline& pipeline, const std::string& update_id) {
  if (!update_id.empty()) return update_id;
  SLUICE_ASSIGN_OR_RETURN(auto latest, LatestUpdateState(pipeline));
  return latest.second;
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

Result<std::pair<std::string, std::string>> LatestUpdateState(Pipeline& pipeline) {
  SLUICE_ASSIGN_OR_RETURN(
      Rows rows,
      Run(pipeline,
          "SELECT origin.update_id, max_by(details:update_progress.state, CASE WHEN event_type "
          "= 'update_progress' THEN timestamp END) FROM event_log WHERE origin.update_id IS NOT "
          "NULL GROUP BY origin.update_id ORDER BY min(timestamp) DESC LIMIT 1"));
  if (rows.rows.empty()) return std::make_pair(std::string(), std::string());
  return std::make_pair(Text(rows.rows[0][1]), Text(rows.rows[0][0]));
}

Result<nlohmann::json> GraphJson(Pipeline& pipeline, const std::string& update_id) {
  SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
  SLUICE_ASSIGN_OR_RETURN(std::string update, ChosenUpdate(pipeline, update_id));
  // What each dataset's flows did in the update.
  struct Did {
    std::string state;
    int64_t output_rows = 0;
    int64_t dropped = 0;
    int failed_expectations = 0;
    std::string error;
  };
  std::map<std::string, Did> did;
  if (!update.empty()) {
    SLUICE_ASSIGN_OR_RETURN(
        Rows rows,
        Run(pipeline,
            "SELECT origin.dataset_name, origin.flow_name, max_by(details:flow_progress.status, "
            "timestamp), sum(CASE WHEN " +
                std::string(kTerminal) +
                " THEN CAST(details:flow_progress.metrics.num_output_rows AS BIGINT) END), "
                "sum(CASE WHEN " +
                kTerminal +
                " THEN CAST(details:flow_progress.data_quality.dropped_records AS BIGINT) END), "
                "max_by(details:flow_progress.data_quality.expectations, CASE WHEN " +
                kTerminal +
                " THEN timestamp END), max_by(error, timestamp) FROM event_log "
                "WHERE event_type = 'flow_progress' AND origin.update_id = " +
                Literal(update) + " GROUP BY 1, 2"));
    for (const auto& row : rows.rows) {
      Did& d = did[Text(row[0])];
      const std::string state = Text(row[2]);
      if (d.state.empty() || state == "FAILED" || (state == "RUNNING" && d.state != "FAILED")) {
        d.state = state;
      }
      d.output_rows += Int(row[3]);
      d.dropped += Int(row[4]);
      const json expectations = ParsedJson(row[5]);
      if (expectations.is_array()) {
        for (const json& e : expectations) {
          if (e.is_object() && e.value("failed_records", int64_t{0}) > 0) ++d.failed_expectations;
        }
      }
      const std::string error = ErrorMessage(ParsedJson(row[6]));
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

Result<nlohmann::json> UpdatesJson(Pipeline& pipeline, int64_t limit) {
  const std::string flow_end =
      "CASE WHEN event_type = 'flow_progress' AND " + std::string(kTerminal);
  SLUICE_ASSIGN_OR_RETURN(
      Rows rows,
      Run(pipeline,
          "SELECT origin.update_id, max_by(details:update_progress.state, CASE WHEN event_type = "
          "'update_progress' THEN timestamp END), max(CASE WHEN event_type = 'create_update' "
          "THEN details:create_update.cause END), max(CASE WHEN event_type = 'create_update' "
          "THEN details:create_update.full_refresh END), " +
              Time("min(timestamp)") + ", " + Time("max(timestamp)") + ", " +
              Seconds("min(timestamp)", "max(timestamp)") + ", sum(" + flow_end +
              " THEN CAST(details:flow_progress.metrics.num_output_rows AS BIGINT) END), "
              "count(DISTINCT CASE WHEN event_type = 'flow_progress' THEN origin.flow_name END), "
              "count(DISTINCT CASE WHEN event_type = 'flow_progress' AND "
              "details:flow_progress.status = 'FAILED' THEN origin.flow_name END) "
              "FROM event_log WHERE origin.update_id IS NOT NULL GROUP BY origin.update_id "
              "ORDER BY min(timestamp) DESC LIMIT " +
              std::to_string(std::max<int64_t>(limit, 1))));
  json out;
  out["updates"] = json::array();
  for (const auto& row : rows.rows) {
    out["updates"].push_back({{"update_id", Text(row[0])},
                              {"state", CellJson(row[1])},
                              {"cause", CellJson(row[2])},
                              {"full_refresh", Text(row[3]) == "true"},
                              {"start", CellJson(row[4])},
                              {"end", CellJson(row[5])},
                              {"duration", CellJson(row[6])},
                              {"output_rows", Int(row[7])},
                              {"flows", Int(row[8])},
                              {"failed_flows", Int(row[9])}});
  }
  return out;
}

Result<nlohmann::json> UpdateJson(Pipeline& pipeline, const std::string& update_id) {
  if (!IsUpdateId(update_id)) return InvalidArgument("not an update id: " + update_id);
  SLUICE_ASSIGN_OR_RETURN(json updates, UpdatesJson(pipeline, 1000000));
  json out;
  for (const json& update : updates["updates"]) {
    if (update["update_id"] == update_id) out = update;
  }
  if (out.is_null()) return NotFound("no update " + update_id + " in the event log");
  // Where each flow is defined, from the update's flow_definition events.
  SLUICE_ASSIGN_OR_RETURN(
      Rows places,
      Run(pipeline,
          "SELECT origin.flow_name, details:flow_definition.source_code_location.path, "
          "details:flow_definition.source_code_location.line_number FROM event_log WHERE "
          "event_type = 'flow_definition' AND origin.update_id = " +
              Literal(update_id)));
  std::map<std::string, std::pair<std::string, int64_t>> place;
  for (const auto& row : places.rows) place[Text(row[0])] = {Text(row[1]), Int(row[2])};
  SLUICE_ASSIGN_OR_RETURN(
      Rows flows,
      Run(pipeline,
          "SELECT origin.flow_name, max(origin.dataset_name), max_by(details:flow_progress.status, "
          "timestamp), " +
              Time("coalesce(min(CASE WHEN details:flow_progress.status IN ('STARTING', "
                   "'RUNNING') THEN timestamp END), min(timestamp))") +
              ", " + Time("max(timestamp)") + ", " +
              Seconds("coalesce(min(CASE WHEN details:flow_progress.status IN ('STARTING', "
                      "'RUNNING') THEN timestamp END), min(timestamp))",
                      "max(timestamp)") +
              ", sum(CASE WHEN " + kTerminal +
              " THEN CAST(details:flow_progress.metrics.num_output_rows AS BIGINT) END), "
              "max_by(error, timestamp) FROM event_log WHERE event_type = 'flow_progress' AND "
              "origin.update_id = " +
              Literal(update_id) + " GROUP BY origin.flow_name ORDER BY min(timestamp)"));
  out["flows"] = json::array();
  for (const auto& row : flows.rows) {
    const std::string name = Text(row[0]);
    const std::string error = ErrorMessage(ParsedJson(row[7]));
    auto it = place.find(name);
    out["flows"].push_back(
        {{"name", name},
         {"dataset", CellJson(row[1])},
         {"state", CellJson(row[2])},
         {"start", CellJson(row[3])},
         {"end", CellJson(row[4])},
         {"duration", CellJson(row[5])},
         {"output_rows", Int(row[6])},
         {"error", error.empty() ? json(nullptr) : json(error)},
         {"file",
          it != place.end() && !it->second.first.empty() ? json(it->second.first) : json(nullptr)},
         {"line",
          it != place.end() && it->second.second > 0 ? json(it->second.second) : json(nullptr)}});
  }
  EventFilter filter;
  filter.update_id = update_id;
  filter.limit = 10000;
  SLUICE_ASSIGN_OR_RETURN(json events, EventsJson(pipeline, filter));
  out["events"] = std::move(events["events"]);
  return out;
}

Result<nlohmann::json> EventsJson(Pipeline& pipeline, const EventFilter& filter) {
  static const std::set<std::string> kTypes = {
      "create_update",   "update_progress", "dataset_definition",  "sink_definition",
      "flow_definition", "flow_progress",   "planning_information"};
  static const std::set<std::string> kLevels = {"INFO", "WARN", "ERROR", "METRICS"};
  std::vector<std::string> where;
  if (!filter.update_id.empty()) {
    if (!IsUpdateId(filter.update_id)) {
      return InvalidArgument("not an update id: " + filter.update_id);
    }
    where.push_back("origin.update_id = " + Literal(filter.update_id));
  }
  if (!filter.type.empty()) {
    if (!kTypes.count(filter.type)) return InvalidArgument("unknown event type: " + filter.type);
    where.push_back("event_type = " + Literal(filter.type));
  }
  if (!filter.level.empty()) {
    if (!kLevels.count(filter.level)) return InvalidArgument("unknown level: " + filter.level);
    where.push_back("level = " + Literal(filter.level));
  }
  if (!filter.flow.empty()) {
    SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
    bool known = false;
    for (const FlowInfo& flow : graph.flows) known = known || flow.name == filter.flow;
    if (!known) return NotFound("no flow " + filter.flow + " in the pipeline");
    where.push_back("origin.flow_name = " + Literal(filter.flow));
  }
  SLUICE_ASSIGN_OR_RETURN(
      Rows rows,
      Run(pipeline, "SELECT id, " + Time("timestamp") +
                        ", event_type, level, message, origin.update_id, origin.flow_name, "
                        "origin.dataset_name, details, error FROM event_log" +
                        (where.empty() ? "" : " WHERE " + Join(where, " AND ")) +
                        " ORDER BY timestamp DESC, sequence.control_plane_seq_no DESC LIMIT " +
                        std::to_string(std::max<int64_t>(filter.limit, 1))));
  json out;
  out["events"] = json::array();
  for (auto it = rows.rows.rbegin(); it != rows.rows.rend(); ++it) {
    const auto& row = *it;
    out["events"].push_back({{"id", Text(row[0])},
                             {"timestamp", CellJson(row[1])},
                             {"event_type", CellJson(row[2])},
                             {"level", CellJson(row[3])},
                             {"message", CellJson(row[4])},
                             {"update_id", CellJson(row[5])},
                             {"flow_name", CellJson(row[6])},
                             {"dataset_name", CellJson(row[7])},
                             {"details", ParsedJson(row[8])},
                             {"error", ParsedJson(row[9])}});
  }
  return out;
}

Result<nlohmann::json> QualityJson(Pipeline& pipeline, int64_t last) {
  SLUICE_ASSIGN_OR_RETURN(PipelineGraph graph, pipeline.Graph());
  std::map<std::pair<std::string, std::string>, std::string> actions;  // (dataset, name)
  for (const DatasetInfo& dataset : graph.datasets) {
    for (const std::string& text : dataset.expectations) {
      auto [name, action] = ExpectationNameAndAction(text);
      actions[{dataset.name, name}] = action;
    }
  }
  SLUICE_ASSIGN_OR_RETURN(json updates, UpdatesJson(pipeline, std::max<int64_t>(last, 1)));
  std::map<std::string, std::string> starts;
  std::vector<std::string> ids;
  for (const json& update : updates["updates"]) {
    ids.push_back(Literal(update["update_id"].get<std::string>()));
    starts[update["update_id"].get<std::string>()] =
        update["start"].is_string() ? update["start"].get<std::string>() : "";
  }
  json out;
  out["expectations"] = json::array();
  if (ids.empty()) return out;
  SLUICE_ASSIGN_OR_RETURN(
      Rows rows,
      Run(pipeline,
          "SELECT origin.update_id, min(timestamp), details:flow_progress.data_quality "
          "FROM event_log WHERE event_type = 'flow_progress' AND " +
              std::string(kTerminal) +
              " AND details:flow_progress.data_quality IS NOT NULL AND origin.update_id IN (" +
              Join(ids, ", ") +
              ") GROUP BY origin.update_id, details:flow_progress.data_quality "
              "ORDER BY min(timestamp)"));
  // (dataset, name) -> update -> counts, in the order the updates ran.
  std::map<std::pair<std::string, std::string>, json> series;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& row : rows.rows) {
    const std::string update = Text(row[0]);
    const json quality = ParsedJson(row[2]);
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

Result<nlohmann::json> DatasetJson(Pipeline& pipeline, Session& session, const std::string& name) {
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
  for (const std::string& flow : flows) quoted.push_back(Literal(flow));
  out["definition"] = nullptr;
  if (!quoted.empty()) {
    SLUICE_ASSIGN_OR_RETURN(
        Rows text, Run(pipeline,
                       "SELECT origin.flow_name, max_by(details:flow_definition.query_text, "
                       "timestamp) FROM event_log WHERE event_type = 'flow_definition' "
                       "AND origin.flow_name IN (" +
                           Join(quoted, ", ") + ") GROUP BY 1 ORDER BY 1"));
    std::vector<std::string> queries;
    for (const auto& row : text.rows) {
      if (!row[1].is_null()) queries.push_back(row[1].ToString());
    }
    if (!queries.empty()) out["definition"] = Join(queries, "\n\n");
  }
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
      entry[column] = is_json ? ParsedJson(row[i]) : CellJson(row[i]);
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
        Rows progress, Run(pipeline,
                           "SELECT max_by(details:flow_progress.metrics.watermark, timestamp), "
                           "max(origin.batch_id) FROM event_log WHERE event_type = 'flow_progress' "
                           "AND origin.flow_name = " +
                               Literal(flow)));
    if (!progress.rows.empty()) {
      checkpoint["watermark"] = CellJson(progress.rows[0][0]);
      checkpoint["batch_id"] = CellJson(progress.rows[0][1]);
    }
    auto files = pipeline.Query("SELECT count(*) FROM cloud_files_state(TABLE(" +
                                QuoteSparkIdentifier(name) + "))");
    if (files.ok() && !files->rows.empty()) checkpoint["files"] = Int(files->rows[0][0]);
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
