#include "runtime/update_events.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/time_format.h"
#include "runtime/update.h"

namespace sluice::runtime {
namespace {

using Json = nlohmann::ordered_json;

const char* DatasetType(sql::DatasetKind kind) {
  switch (kind) {
    case sql::DatasetKind::kStreamingTable:
    case sql::DatasetKind::kMaterializedView:
      return "TABLE";
    case sql::DatasetKind::kTemporaryView:
    case sql::DatasetKind::kView:
      return "VIEW";
    case sql::DatasetKind::kSink:
      return "SINK";
  }
  return "TABLE";
}

Json Expectations(const graph::Dataset& dataset) {
  Json out = Json::array();
  for (const sql::Expectation& e : dataset.definition.expectations) {
    out.push_back({{"name", e.name},
                   {"expression", e.condition},
                   {"action", e.action == sql::ViolationAction::kFail   ? "FAIL"
                              : e.action == sql::ViolationAction::kDrop ? "DROP"
                                                                        : "ALLOW"}});
  }
  return out;
}

}  // namespace

UpdateEvents::UpdateEvents(const RuntimeEnv& env, engine::Connection& connection,
                           std::string update_id)
    : env_(env), update_id_(std::move(update_id)) {
  writer_ = std::make_unique<eventlog::EventLogWriter>(
      delta::DeltaContext{env.fs, &connection, env.clock}, env.settings->event_log_dir());
}

eventlog::Origin UpdateEvents::MakeOrigin(const graph::Flow* flow) const {
  eventlog::Origin origin;
  origin.pipeline_id = env_.settings->id;
  origin.pipeline_name = env_.settings->name;
  origin.update_id = update_id_;
  if (flow != nullptr) {
    origin.flow_id = env_.settings->id + ":" + flow->name;
    origin.flow_name = flow->name;
    origin.dataset_name = flow->target;
  }
  return origin;
}

void UpdateEvents::Add(std::string event_type, std::string level, std::string message,
                       eventlog::Origin origin, std::string details,
                       std::optional<std::string> error) {
  eventlog::Event event;
  event.event_type = std::move(event_type);
  event.level = std::move(level);
  event.message = Redact(std::move(message));
  event.origin = std::move(origin);
  event.details_json = Redact(std::move(details));
  if (error) error = Redact(std::move(*error));
  event.error_json = std::move(error);
  writer_->Add(std::move(event));
}

// Secrets never reach the event log: the values the definitions read with
// dbutils.secrets.get, and those of `secrets.*` configuration keys.
std::string UpdateEvents::Redact(std::string text) const {
  std::vector<std::string> secrets =
      env_.graph != nullptr ? env_.graph->secrets() : std::vector<std::string>{};
  for (const auto& [key, value] : env_.settings->configuration) {
    if (StartsWith(ToLower(key), "secrets.")) secrets.push_back(value);
  }
  return RedactSecrets(std::move(text), secrets);
}

void UpdateEvents::CreateUpdate(const UpdateRequest& request) {
  Json config = {{"name", env_.settings->name},
                 {"id", env_.settings->id},
                 {"storage", env_.settings->storage},
                 {"continuous", request.continuous},
                 {"development", env_.settings->development},
                 {"configuration", env_.settings->configuration}};
  Json details = {{"create_update",
                   {{"cause", "USER_ACTION"},
                    {"config", config},
                    {"full_refresh", request.full_refresh_all},
                    {"full_refresh_selection", request.full_refresh},
                    {"refresh_selection", request.refresh},
                    {"reset_checkpoint_selection", request.reset_checkpoint},
                    {"validate_only", false}}}};
  Add("create_update", "INFO", "Update " + update_id_.substr(0, 6) + " started by USER_ACTION.",
      MakeOrigin(nullptr), details.dump());
}

void UpdateEvents::UpdateProgress(std::string_view state, std::string_view message) {
  Json details = {{"update_progress", {{"state", state}}}};
  std::string text = message.empty()
                         ? "Update " + update_id_.substr(0, 6) + " is " + std::string(state) + "."
                         : std::string(message);
  Add("update_progress", state == "FAILED" ? "ERROR" : "INFO", text, MakeOrigin(nullptr),
      details.dump());
}

void UpdateEvents::DatasetDefinition(const graph::Dataset& dataset) {
  if (dataset.is_sink()) {
    // Sinks are not datasets of the pipeline's schema: Databricks reports them in
    // sink_definition events (their options pass through the secret redaction).
    Json definition = {{"name", dataset.name()},
                       {"format", dataset.definition.sink_format},
                       {"options", dataset.definition.sink_options},
                       {"storage_location", dataset.storage_path},
                       {"num_flows", dataset.flows.size()},
                       {"source_code_location",
                        {{"path", dataset.definition.location.file},
                         {"line_number", dataset.definition.location.line}}}};
    eventlog::Origin origin = MakeOrigin(nullptr);
    origin.dataset_name = dataset.name();
    Add("sink_definition", "INFO",
        "Sink '" + dataset.name() + "' has been defined as a " +
            ToLower(dataset.definition.sink_format) + " sink.",
        origin, Json{{"sink_definition", definition}}.dump());
    return;
  }
  Json definition = {{"dataset_type", DatasetType(dataset.kind())},
                     {"dataset_kind", sql::DatasetKindName(dataset.kind())},
                     {"num_flows", dataset.flows.size()},
                     {"expectations", Expectations(dataset)},
                     {"partition_columns", dataset.definition.partition_by},
                     {"properties", dataset.definition.properties},
                     {"source_code_location",
                      {{"path", dataset.definition.location.file},
                       {"line_number", dataset.definition.location.line}}}};
  if (dataset.definition.comment) definition["comment"] = *dataset.definition.comment;
  if (dataset.is_table()) definition["storage_location"] = dataset.storage_path;
  eventlog::Origin origin = MakeOrigin(nullptr);
  origin.dataset_name = dataset.name();
  Add("dataset_definition", "INFO",
      "Dataset '" + dataset.name() + "' has been defined as a " +
          sql::DatasetKindName(dataset.kind()) + ".",
      origin, Json{{"dataset_definition", definition}}.dump());
}

void UpdateEvents::FlowDefinition(const graph::Flow& flow) {
  Json inputs = Json::array();
  for (const std::string& input : env_.graph->InputDatasets(flow.name)) inputs.push_back(input);
  Json definition = {{"output_dataset", flow.target},
                     {"input_datasets", inputs},
                     {"flow_type", flow.cdc         ? "CHANGE"
                                   : flow.once      ? "ONCE"
                                   : flow.streaming ? "APPEND"
                                                    : "COMPLETE"},
                     {"query_text", flow.query.text},
                     {"source_code_location",
                      {{"path", flow.location.file}, {"line_number", flow.location.line}}}};
  if (flow.comment) definition["comment"] = *flow.comment;
  Add("flow_definition", "INFO",
      "Flow '" + flow.name + "' is defined as " + (flow.streaming ? "APPEND" : "COMPLETE") +
          " into '" + flow.target + "'.",
      MakeOrigin(&flow), Json{{"flow_definition", definition}}.dump());
}

void UpdateEvents::FlowProgress(const graph::Flow& flow, std::string_view status,
                                const FlowOutcome* outcome) {
  Json progress = {{"status", status}};
  std::optional<std::string> error;
  std::string level = "INFO";
  eventlog::Origin origin = MakeOrigin(&flow);
  // Terminal events carry the flow's metrics; RUNNING events with an outcome, those of one
  // batch of several (file sources with a backlog).
  if (outcome != nullptr && (status == "COMPLETED" || status == "IDLE" || status == "RUNNING")) {
    progress["metrics"] = {{"num_output_rows", outcome->output_rows}};
    if (outcome->up_to_date) progress["metrics"]["up_to_date"] = true;
    if (outcome->upserted_rows) progress["metrics"]["num_upserted_rows"] = *outcome->upserted_rows;
    if (outcome->deleted_rows) progress["metrics"]["num_deleted_rows"] = *outcome->deleted_rows;
    if (outcome->files_outstanding) {
      // Auto Loader's backlog, under its names and under Databricks' flow_progress ones.
      progress["metrics"]["num_files_outstanding"] = *outcome->files_outstanding;
      progress["metrics"]["num_bytes_outstanding"] = *outcome->bytes_outstanding;
      progress["metrics"]["backlog_files"] = *outcome->files_outstanding;
      progress["metrics"]["backlog_bytes"] = *outcome->bytes_outstanding;
    }
    if (outcome->records_outstanding) {
      progress["metrics"]["backlog_records"] = *outcome->records_outstanding;
    }
    if (outcome->lost_offsets > 0) progress["metrics"]["num_offsets_lost"] = outcome->lost_offsets;
    if (outcome->dropped_malformed > 0) {
      progress["metrics"]["num_malformed_records_dropped"] = outcome->dropped_malformed;
    }
    if (outcome->stateful) {
      // Spark's stateful operator progress, under flow_progress names (docs/event-log.md).
      const StatefulMetrics& state = *outcome->stateful;
      progress["metrics"]["watermark"] = FormatTimestampMillis(state.watermark_ms);
      progress["metrics"]["num_rows_dropped_by_watermark"] = state.late_rows;
      progress["metrics"]["num_state_rows"] = state.state_rows;
      progress["metrics"]["state_bytes"] = state.state_bytes;
      progress["metrics"]["state_time_ms"] = state.state_time_ms;
    }
    if (!outcome->metrics.empty()) {
      Json expectations = Json::array();
      for (const quality::RuleMetrics& m : outcome->metrics) {
        expectations.push_back({{"name", m.name},
                                {"dataset", flow.target},
                                {"passed_records", m.passed_records},
                                {"failed_records", m.failed_records}});
      }
      progress["data_quality"] = {{"dropped_records", outcome->dropped_records},
                                  {"expectations", expectations}};
    }
    if (outcome->batch_id) origin.batch_id = outcome->batch_id;
  }
  if (outcome != nullptr && status == "COMPLETED" && !outcome->maintenance_type.empty()) {
    PlanningInformation(flow, *outcome);
  }
  std::string message = "Flow '" + flow.name + "' is " + std::string(status) + ".";
  if (outcome != nullptr && status == "FAILED") {
    level = "ERROR";
    error = eventlog::ErrorJson("FlowFailed", outcome->error, false);
    message = "Flow '" + flow.name + "' has FAILED: " + outcome->error;
  }
  Add("flow_progress", level, message, origin, Json{{"flow_progress", progress}}.dump(), error);
}

void UpdateEvents::PlanningInformation(const graph::Flow& flow, const FlowOutcome& outcome) {
  Json technique = {
      {"maintenance_type", outcome.maintenance_type}, {"is_chosen", true}, {"is_applicable", true}};
  if (!outcome.incrementalization_issue.empty()) {
    technique["incrementalization_issues"] = Json::array(
        {{{"issue_type", outcome.incrementalization_issue}, {"prevent_incrementalization", true}}});
  }
  Add("planning_information", "INFO",
      "Flow '" + flow.name + "' has been planned to be executed as " +
          outcome.maintenance_type.substr(std::string("MAINTENANCE_TYPE_").size()) + ".",
      MakeOrigin(&flow),
      Json{{"planning_information", {{"technique_information", Json::array({technique})}}}}.dump());
}

void UpdateEvents::Warning(std::string_view message, const graph::Flow* flow) {
  Add("update_progress", "WARN", std::string(message), MakeOrigin(flow),
      Json{{"update_progress", {{"state", "SETTING_UP_TABLES"}}}}.dump());
}

Status UpdateEvents::Flush() { return writer_->Flush(); }

UpdateEvents::~UpdateEvents() { StopPeriodicFlush(); }

void UpdateEvents::StartPeriodicFlush(std::chrono::milliseconds interval) {
  StopPeriodicFlush();
  stop_flusher_ = false;
  flusher_ = std::thread([this, interval] {
    std::unique_lock<std::mutex> lock(flusher_mutex_);
    while (!flusher_wake_.wait_for(lock, interval, [this] { return stop_flusher_; })) {
      if (writer_->pending() == 0) continue;
      lock.unlock();
      // Errors are not lost: the events stay buffered for the update's final flush.
      (void)writer_->Flush();
      lock.lock();
    }
  });
}

void UpdateEvents::StopPeriodicFlush() {
  if (!flusher_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(flusher_mutex_);
    stop_flusher_ = true;
  }
  flusher_wake_.notify_all();
  flusher_.join();
}

}  // namespace sluice::runtime
