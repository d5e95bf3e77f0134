// The JSON of the event log's `details` and `error` columns, in the shapes of Databricks'
// pipeline event log (docs/event-log.md): each `details` object has one key, the event
// type, holding that event's fields. Fields sluice adds are marked (sluice) below; every
// builder returns compact JSON text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::eventlog {

// One column of a dataset's or flow's schema.
struct SchemaField {
  std::string name;
  std::string data_type;  // Spark's SQL name, e.g. "BIGINT", "STRING", "TIMESTAMP"
  bool nullable = true;
};

// Where a definition is in the pipeline's source files (sluice).
struct SourceCodeLocation {
  std::string path;
  int64_t line_number = 0;
};

// details.create_update: what started an update and what it refreshes.
struct CreateUpdateInfo {
  std::string cause = "USER_ACTION";  // API_CALL, JOB_TASK, RETRY_ON_FAILURE, USER_ACTION...
  bool full_refresh = false;
  std::vector<std::string> full_refresh_selection;
  std::vector<std::string> refresh_selection;
  std::vector<std::string> reset_checkpoint_selection;
  bool validate_only = false;
  // The pipeline's settings as a JSON object; text that is not JSON is kept as a string.
  std::string config_json = "{}";
};
std::string CreateUpdateDetails(const CreateUpdateInfo& info);

// details.update_progress: {"update_progress": {"state": "RUNNING"}}. States: QUEUED,
// CREATED, WAITING_FOR_RESOURCES, INITIALIZING, RESETTING, SETTING_UP_TABLES, RUNNING,
// STOPPING, COMPLETED, FAILED, CANCELED.
std::string UpdateProgressDetails(std::string_view state);

// An expectation as declared on a dataset.
struct ExpectationDefinition {
  std::string name;
  std::string expression;  // the condition as written
  std::string action;      // "ALLOW" (warn), "DROP" or "FAIL"
};

// details.dataset_definition: one per dataset in each update.
struct DatasetDefinitionInfo {
  std::string dataset_type = "TABLE";  // "TABLE" or "VIEW"
  // (sluice) STREAMING_TABLE, MATERIALIZED_VIEW, VIEW, TEMPORARY_VIEW; omitted when empty.
  std::string dataset_kind;
  int64_t num_flows = 0;
  std::vector<ExpectationDefinition> expectations;
  std::vector<SchemaField> schema;                              // omitted when empty
  std::vector<std::string> partition_columns;                   // (sluice) omitted when empty
  std::vector<std::pair<std::string, std::string>> properties;  // (sluice) table properties
  std::optional<std::string> comment;
  std::optional<std::string> storage_location;
  std::optional<SourceCodeLocation> source_code_location;
};
std::string DatasetDefinitionDetails(const DatasetDefinitionInfo& info);

// details.flow_definition: one per flow in each update; input_datasets is the lineage.
struct FlowDefinitionInfo {
  std::string output_dataset;
  std::vector<std::string> input_datasets;
  std::string flow_type = "COMPLETE";       // COMPLETE (batch), APPEND (streaming), CHANGE (CDC)
  bool once = false;                        // a flow that runs once (backfill); omitted when false
  std::optional<std::string> explain_text;  // the plan, e.g. DuckDB's EXPLAIN output
  std::optional<std::string> query_text;    // (sluice) the flow's query as written
  std::vector<SchemaField> schema;          // omitted when empty
  std::optional<std::string> schema_json;   // the Delta/Spark schema string, kept as a string
  std::optional<std::string> comment;
  std::optional<SourceCodeLocation> source_code_location;
};
std::string FlowDefinitionDetails(const FlowDefinitionInfo& info);

// One expectation's counts for one batch of a flow.
struct ExpectationMetrics {
  std::string name;
  std::string dataset;
  int64_t passed_records = 0;
  int64_t failed_records = 0;
};

// details.flow_progress: a flow's state change; terminal ones carry its metrics.
struct FlowProgressInfo {
  // QUEUED, PLANNING, STARTING, RUNNING, COMPLETED, FAILED, SKIPPED, STOPPED, EXCLUDED, IDLE.
  std::string status;
  std::optional<int64_t> num_output_rows;    // metrics.num_output_rows
  std::optional<int64_t> num_upserted_rows;  // metrics.num_upserted_rows (CDC)
  std::optional<int64_t> num_deleted_rows;   // metrics.num_deleted_rows (CDC)
  bool up_to_date = false;  // (sluice) metrics.up_to_date: nothing to recompute; omitted when false
  // data_quality, present only when `expectations` is not empty: the warn and drop rules'
  // counts (fail rules record none, as on Databricks) and the rows dropped.
  int64_t dropped_records = 0;
  std::vector<ExpectationMetrics> expectations;
};
std::string FlowProgressDetails(const FlowProgressInfo& info);

// The `error` column: {"exceptions": [{"class_name": ..., "message": ...}], "fatal": ...}.
std::string ErrorJson(std::string_view class_name, std::string_view message, bool fatal);

}  // namespace sluice::eventlog
