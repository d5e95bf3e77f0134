#include "eventlog/details.h"

#include <nlohmann/json.hpp>

namespace sluice::eventlog {
namespace {

using Json = nlohmann::ordered_json;

// Compact JSON; invalid UTF-8 in user text is replaced rather than thrown on.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json Wrap(const char* event_type, Json body) {
  Json details = Json::object();
  details[event_type] = std::move(body);
  return details;
}

Json Strings(const std::vector<std::string>& values) {
  Json array = Json::array();
  for (const std::string& value : values) array.push_back(value);
  return array;
}

// Databricks' per-column form: name, path (the column's nesting), type, nullability.
Json SchemaJson(const std::vector<SchemaField>& fields) {
  Json array = Json::array();
  for (const SchemaField& field : fields) {
    Json column = Json::object();
    column["name"] = field.name;
    column["path"] = Json::array({field.name});
    column["data_type"] = field.data_type;
    column["nullable"] = field.nullable;
    column["metadata"] = Json::object();
    array.push_back(std::move(column));
  }
  return array;
}

Json LocationJson(const SourceCodeLocation& location) {
  Json json = Json::object();
  json["path"] = location.path;
  json["line_number"] = location.line_number;
  return json;
}

}  // namespace

std::string CreateUpdateDetails(const CreateUpdateInfo& info) {
  Json body = Json::object();
  body["cause"] = info.cause;
  Json config = Json::parse(info.config_json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) config = info.config_json;
  body["config"] = std::move(config);
  body["full_refresh"] = info.full_refresh;
  body["full_refresh_selection"] = Strings(info.full_refresh_selection);
  body["refresh_selection"] = Strings(info.refresh_selection);
  body["reset_checkpoint_selection"] = Strings(info.reset_checkpoint_selection);
  body["validate_only"] = info.validate_only;
  return Dump(Wrap("create_update", std::move(body)));
}

std::string UpdateProgressDetails(std::string_view state) {
  Json body = Json::object();
  body["state"] = state;
  return Dump(Wrap("update_progress", std::move(body)));
}

std::string DatasetDefinitionDetails(const DatasetDefinitionInfo& info) {
  Json body = Json::object();
  body["dataset_type"] = info.dataset_type;
  if (!info.dataset_kind.empty()) body["dataset_kind"] = info.dataset_kind;
  body["num_flows"] = info.num_flows;
  Json expectations = Json::array();
  for (const ExpectationDefinition& e : info.expectations) {
    Json expectation = Json::object();
    expectation["name"] = e.name;
    expectation["expression"] = e.expression;
    expectation["action"] = e.action;
    expectations.push_back(std::move(expectation));
  }
  body["expectations"] = std::move(expectations);
  if (!info.schema.empty()) body["schema"] = SchemaJson(info.schema);
  if (!info.partition_columns.empty()) {
    body["partition_columns"] = Strings(info.partition_columns);
  }
  if (!info.properties.empty()) {
    Json properties = Json::object();
    for (const auto& [key, value] : info.properties) properties[key] = value;
    body["properties"] = std::move(properties);
  }
  if (info.comment) body["comment"] = *info.comment;
  if (info.storage_location) body["storage_location"] = *info.storage_location;
  if (info.source_code_location) {
    body["source_code_location"] = LocationJson(*info.source_code_location);
  }
  return Dump(Wrap("dataset_definition", std::move(body)));
}

std::string FlowDefinitionDetails(const FlowDefinitionInfo& info) {
  Json body = Json::object();
  body["output_dataset"] = info.output_dataset;
  body["input_datasets"] = Strings(info.input_datasets);
  body["flow_type"] = info.flow_type;
  if (info.once) body["once"] = true;
  if (info.explain_text) body["explain_text"] = *info.explain_text;
  if (info.query_text) body["query_text"] = *info.query_text;
  if (!info.schema.empty()) body["schema"] = SchemaJson(info.schema);
  if (info.schema_json) body["schema_json"] = *info.schema_json;
  if (info.comment) body["comment"] = *info.comment;
  if (info.source_code_location) {
    body["source_code_location"] = LocationJson(*info.source_code_location);
  }
  return Dump(Wrap("flow_definition", std::move(body)));
}

std::string FlowProgressDetails(const FlowProgressInfo& info) {
  Json body = Json::object();
  body["status"] = info.status;
  Json metrics = Json::object();
  if (info.num_output_rows) metrics["num_output_rows"] = *info.num_output_rows;
  if (info.num_upserted_rows) metrics["num_upserted_rows"] = *info.num_upserted_rows;
  if (info.num_deleted_rows) metrics["num_deleted_rows"] = *info.num_deleted_rows;
  if (info.up_to_date) metrics["up_to_date"] = true;
  if (!metrics.empty()) body["metrics"] = std::move(metrics);
  if (!info.expectations.empty()) {
    Json expectations = Json::array();
    for (const ExpectationMetrics& e : info.expectations) {
      Json expectation = Json::object();
      expectation["name"] = e.name;
      expectation["dataset"] = e.dataset;
      expectation["passed_records"] = e.passed_records;
      expectation["failed_records"] = e.failed_records;
      expectations.push_back(std::move(expectation));
    }
    Json quality = Json::object();
    quality["dropped_records"] = info.dropped_records;
    quality["expectations"] = std::move(expectations);
    body["data_quality"] = std::move(quality);
  }
  return Dump(Wrap("flow_progress", std::move(body)));
}

std::string ErrorJson(std::string_view class_name, std::string_view message, bool fatal) {
  Json exception = Json::object();
  exception["class_name"] = class_name;
  exception["message"] = message;
  Json json = Json::object();
  json["exceptions"] = Json::array({exception});
  json["fatal"] = fatal;
  return Dump(json);
}

}  // namespace sluice::eventlog
