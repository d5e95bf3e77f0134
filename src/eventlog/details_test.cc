#include "eventlog/details.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sluice::eventlog {
namespace {

using Json = nlohmann::json;

// Parses `text`, which must be one object with the single key `event_type`, and returns
// that key's body.
Json Body(const std::string& text, const std::string& event_type) {
  Json json = Json::parse(text, nullptr, false);
  EXPECT_FALSE(json.is_discarded()) << text;
  EXPECT_TRUE(json.is_object()) << text;
  EXPECT_EQ(json.size(), 1u) << text;
  EXPECT_TRUE(json.contains(event_type)) << text;
  return json.contains(event_type) ? json[event_type] : Json();
}

TEST(DetailsTest, CreateUpdate) {
  CreateUpdateInfo info;
  info.cause = "API_CALL";
  info.full_refresh = false;
  info.full_refresh_selection = {"silver"};
  info.refresh_selection = {"gold", "report"};
  info.config_json = R"({"name":"retail","id":"p1","configuration":{"k":"v"},"continuous":false})";
  Json body = Body(CreateUpdateDetails(info), "create_update");
  EXPECT_EQ(body["cause"], "API_CALL");
  EXPECT_EQ(body["full_refresh"], false);
  EXPECT_EQ(body["full_refresh_selection"], Json::array({"silver"}));
  EXPECT_EQ(body["refresh_selection"], Json::array({"gold", "report"}));
  EXPECT_EQ(body["reset_checkpoint_selection"], Json::array());
  EXPECT_EQ(body["validate_only"], false);
  // The settings are nested JSON, not a string.
  ASSERT_TRUE(body["config"].is_object());
  EXPECT_EQ(body["config"]["name"], "retail");
  EXPECT_EQ(body["config"]["configuration"]["k"], "v");
}

TEST(DetailsTest, CreateUpdateDefaultsAndConfigThatIsNotJson) {
  CreateUpdateInfo info;
  info.full_refresh = true;
  info.validate_only = true;
  info.config_json = "name: not json";
  Json body = Body(CreateUpdateDetails(info), "create_update");
  EXPECT_EQ(body["cause"], "USER_ACTION");
  EXPECT_EQ(body["full_refresh"], true);
  EXPECT_EQ(body["validate_only"], true);
  EXPECT_EQ(body["config"], "name: not json");
  EXPECT_EQ(Body(CreateUpdateDetails(CreateUpdateInfo{}), "create_update")["config"],
            Json::object());
}

TEST(DetailsTest, UpdateProgress) {
  EXPECT_EQ(UpdateProgressDetails("RUNNING"), R"({"update_progress":{"state":"RUNNING"}})");
  EXPECT_EQ(Body(UpdateProgressDetails("FAILED"), "update_progress")["state"], "FAILED");
}

TEST(DetailsTest, DatasetDefinition) {
  DatasetDefinitionInfo info;
  info.dataset_type = "TABLE";
  info.dataset_kind = "STREAMING_TABLE";
  info.num_flows = 2;
  info.expectations = {{"positive", "v > 0", "DROP"}, {"valid_id", "id IS NOT NULL", "FAIL"}};
  info.schema = {{"id", "BIGINT", false}, {"v", "DOUBLE", true}};
  info.partition_columns = {"day"};
  info.properties = {{"quality", "silver"}, {"delta.appendOnly", "true"}};
  info.comment = "Clean rows";
  info.storage_location = "/p/.sluice/tables/raw";
  info.source_code_location = SourceCodeLocation{"transforms/raw.sql", 3};
  Json body = Body(DatasetDefinitionDetails(info), "dataset_definition");
  EXPECT_EQ(body["dataset_type"], "TABLE");
  EXPECT_EQ(body["dataset_kind"], "STREAMING_TABLE");
  EXPECT_EQ(body["num_flows"], 2);
  ASSERT_EQ(body["expectations"].size(), 2u);
  EXPECT_EQ(body["expectations"][0],
            (Json{{"name", "positive"}, {"expression", "v > 0"}, {"action", "DROP"}}));
  EXPECT_EQ(body["expectations"][1]["action"], "FAIL");
  ASSERT_EQ(body["schema"].size(), 2u);
  EXPECT_EQ(body["schema"][0]["name"], "id");
  EXPECT_EQ(body["schema"][0]["path"], Json::array({"id"}));
  EXPECT_EQ(body["schema"][0]["data_type"], "BIGINT");
  EXPECT_EQ(body["schema"][0]["nullable"], false);
  EXPECT_EQ(body["partition_columns"], Json::array({"day"}));
  EXPECT_EQ(body["properties"]["quality"], "silver");
  EXPECT_EQ(body["properties"]["delta.appendOnly"], "true");
  EXPECT_EQ(body["comment"], "Clean rows");
  EXPECT_EQ(body["storage_location"], "/p/.sluice/tables/raw");
  EXPECT_EQ(body["source_code_location"]["path"], "transforms/raw.sql");
  EXPECT_EQ(body["source_code_location"]["line_number"], 3);
}

TEST(DetailsTest, DatasetDefinitionLeavesOutWhatItDoesNotHave) {
  DatasetDefinitionInfo info;
  info.dataset_type = "VIEW";
  info.num_flows = 1;
  Json body = Body(DatasetDefinitionDetails(info), "dataset_definition");
  EXPECT_EQ(body,
            (Json{{"dataset_type", "VIEW"}, {"num_flows", 1}, {"expectations", Json::array()}}));
}

TEST(DetailsTest, FlowDefinition) {
  FlowDefinitionInfo info;
  info.output_dataset = "gold";
  info.input_datasets = {"silver", "/data/customers"};
  info.flow_type = "APPEND";
  info.once = true;
  info.explain_text = "PROJECTION\n  SEQ_SCAN";
  info.query_text = "SELECT * FROM STREAM(silver)";
  info.schema = {{"n", "BIGINT", true}};
  info.schema_json = R"({"type":"struct","fields":[]})";
  info.comment = "backfill";
  info.source_code_location = SourceCodeLocation{"p.sql", 7};
  Json body = Body(FlowDefinitionDetails(info), "flow_definition");
  EXPECT_EQ(body["output_dataset"], "gold");
  EXPECT_EQ(body["input_datasets"], Json::array({"silver", "/data/customers"}));
  EXPECT_EQ(body["flow_type"], "APPEND");
  EXPECT_EQ(body["once"], true);
  EXPECT_EQ(body["explain_text"], "PROJECTION\n  SEQ_SCAN");
  EXPECT_EQ(body["query_text"], "SELECT * FROM STREAM(silver)");
  EXPECT_EQ(body["schema"][0]["data_type"], "BIGINT");
  // schema_json stays a string, as in Databricks' event log.
  EXPECT_EQ(body["schema_json"], R"({"type":"struct","fields":[]})");
  EXPECT_EQ(body["comment"], "backfill");
  EXPECT_EQ(body["source_code_location"]["line_number"], 7);
}

TEST(DetailsTest, FlowDefinitionOfABatchFlowWithNoInputs) {
  FlowDefinitionInfo info;
  info.output_dataset = "m";
  Json body = Body(FlowDefinitionDetails(info), "flow_definition");
  EXPECT_EQ(body, (Json{{"output_dataset", "m"},
                        {"input_datasets", Json::array()},
                        {"flow_type", "COMPLETE"}}));
}

TEST(DetailsTest, FlowProgressWithDataQuality) {
  FlowProgressInfo info;
  info.status = "COMPLETED";
  info.num_output_rows = 91939;
  info.dropped_records = 32;
  info.expectations = {{"non zero passenger count", "silver", 91939, 32},
                       {"known vendor", "silver", 91971, 0}};
  // Databricks' own example, field for field.
  EXPECT_EQ(
      Json::parse(FlowProgressDetails(info))["flow_progress"]["data_quality"]["expectations"][0],
      Json::parse(R"({"name":"non zero passenger count","dataset":"silver",
                            "passed_records":91939,"failed_records":32})"));
  Json body = Body(FlowProgressDetails(info), "flow_progress");
  EXPECT_EQ(body["status"], "COMPLETED");
  EXPECT_EQ(body["metrics"], (Json{{"num_output_rows", 91939}}));
  EXPECT_EQ(body["data_quality"]["dropped_records"], 32);
  ASSERT_EQ(body["data_quality"]["expectations"].size(), 2u);
  EXPECT_EQ(body["data_quality"]["expectations"][1]["name"], "known vendor");
  EXPECT_EQ(body["data_quality"]["expectations"][1]["failed_records"], 0);
}

TEST(DetailsTest, FlowProgressWithoutExpectationsHasNoDataQuality) {
  FlowProgressInfo info;
  info.status = "COMPLETED";
  info.num_output_rows = 0;
  info.dropped_records = 5;  // meaningless without expectations
  Json body = Body(FlowProgressDetails(info), "flow_progress");
  EXPECT_FALSE(body.contains("data_quality"));
  EXPECT_EQ(body["metrics"]["num_output_rows"], 0);
}

TEST(DetailsTest, FlowProgressOfAStateChangeHasNoMetrics) {
  FlowProgressInfo info;
  info.status = "RUNNING";
  EXPECT_EQ(FlowProgressDetails(info), R"({"flow_progress":{"status":"RUNNING"}})");
}

TEST(DetailsTest, FlowProgressCdcAndUpToDateMetrics) {
  FlowProgressInfo info;
  info.status = "COMPLETED";
  info.num_output_rows = 10;
  info.num_upserted_rows = 7;
  info.num_deleted_rows = 3;
  info.up_to_date = true;
  Json metrics = Body(FlowProgressDetails(info), "flow_progress")["metrics"];
  EXPECT_EQ(metrics, (Json{{"num_output_rows", 10},
                           {"num_upserted_rows", 7},
                           {"num_deleted_rows", 3},
                           {"up_to_date", true}}));
}

TEST(DetailsTest, ErrorJson) {
  Json error = Json::parse(ErrorJson("FlowFailed", "expectation 'x' failed", true));
  ASSERT_EQ(error["exceptions"].size(), 1u);
  EXPECT_EQ(error["exceptions"][0]["class_name"], "FlowFailed");
  EXPECT_EQ(error["exceptions"][0]["message"], "expectation 'x' failed");
  EXPECT_EQ(error["fatal"], true);
  EXPECT_EQ(Json::parse(ErrorJson("E", "m", false))["fatal"], false);
}

TEST(DetailsTest, TextIsEscapedAndInvalidUtf8Replaced) {
  FlowDefinitionInfo info;
  info.output_dataset = "t";
  info.query_text = "SELECT 'a\"b', '\\n' -- \xff";
  Json body = Body(FlowDefinitionDetails(info), "flow_definition");
  EXPECT_EQ(body["query_text"], "SELECT 'a\"b', '\\n' -- \xEF\xBF\xBD");
  Json error = Json::parse(ErrorJson("E", "bad \xc3", false));
  EXPECT_EQ(error["exceptions"][0]["message"], "bad \xEF\xBF\xBD");
}

}  // namespace
}  // namespace sluice::eventlog
