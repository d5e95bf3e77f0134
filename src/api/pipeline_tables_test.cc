// Pipeline tables and deletion vectors: new tables of a pipeline are created with
// delta.enableDeletionVectors (protocol 3/7 with the deletionVectors feature), so that an
// AUTO CDC update marks the replaced row in a deletion vector instead of rewriting the
// file; the pipeline's spark.databricks.delta.properties.defaults.* configuration and a
// table's own TBLPROPERTIES turn it off.
#include <algorithm>
#include <string>

#include "gtest/gtest.h"
#include "sluice/pipeline.h"
#include "sluice/table.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

const char* kCdc =
    "CREATE STREAMING TABLE changes AS SELECT * FROM STREAM read_files('data', format => "
    "'json', schema => 'id BIGINT, v STRING, seq BIGINT');\n"
    "CREATE STREAMING TABLE customers;\n"
    "CREATE FLOW customers_cdc AS AUTO CDC INTO customers FROM STREAM(changes)\n"
    "KEYS (id) SEQUENCE BY seq STORED AS SCD TYPE 1;\n"
    "CREATE MATERIALIZED VIEW plain TBLPROPERTIES ('delta.enableDeletionVectors' = 'false')\n"
    "AS SELECT id FROM changes;\n";

class PipelineTablesTest : public ::testing::Test {
 protected:
  void Project(const std::string& settings) {
    testing::WriteTextFile(dir_.Child("p/pipeline.yml"), settings);
    testing::WriteTextFile(dir_.Child("p/p.sql"), kCdc);
    std::string rows;
    for (int i = 0; i < 10; ++i) {
      rows += "{\"id\": " + std::to_string(i) + ", \"v\": \"a\", \"seq\": 1}\n";
    }
    testing::WriteTextFile(dir_.Child("p/data/0.json"), rows);
  }
  void Run() {
    auto pipeline = Pipeline::Open(dir_.Child("p"));
    ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    auto report = (*pipeline)->Run();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->state, "COMPLETED");
  }
  TableDescription Describe(const std::string& table) {
    auto session = Session::Open();
    EXPECT_TRUE(session.ok());
    auto described = (*session)->Describe(dir_.Child("p/.sluice/tables/" + table));
    EXPECT_TRUE(described.ok()) << described.status().ToString();
    return described.ok() ? *described : TableDescription{};
  }
  // The last commit's operation metrics of the table, as JSON text.
  std::string LastMetrics(const std::string& table) {
    auto session = Session::Open();
    auto history = (*session)->History(dir_.Child("p/.sluice/tables/" + table), 1);
    EXPECT_TRUE(history.ok()) << history.status().ToString();
    const auto& names = history->column_names;
    const size_t at = std::find(names.begin(), names.end(), "operationMetrics") - names.begin();
    return at < names.size() ? history->rows.at(0).at(at).ToString() : "";
  }
  static bool HasFeature(const TableDescription& table) {
    const auto& features = table.reader_features;
    return std::find(features.begin(), features.end(), "deletionVectors") != features.end();
  }

  testing::TempDir dir_;
};

TEST_F(PipelineTablesTest, NewTablesMarkChangedRowsInDeletionVectors) {
  Project("name: p\n");
  Run();
  const TableDescription customers = Describe("customers");
  EXPECT_EQ(customers.min_reader_version, 3);
  EXPECT_EQ(customers.min_writer_version, 7);
  EXPECT_TRUE(HasFeature(customers));
  EXPECT_EQ(customers.properties.at("delta.enableDeletionVectors"), "true");
  // So does the AUTO CDC state table beside the event log.
  auto session = Session::Open();
  auto state = (*session)->Describe(dir_.Child("p/.sluice/system/auto_cdc/customers"));
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_TRUE(HasFeature(*state));
  // The table's own TBLPROPERTIES win.
  EXPECT_FALSE(HasFeature(Describe("plain")));

  // An update of one key marks its old row: no file is rewritten.
  testing::WriteTextFile(dir_.Child("p/data/1.json"), "{\"id\": 4, \"v\": \"b\", \"seq\": 2}\n");
  Run();
  const std::string metrics = LastMetrics("customers");
  EXPECT_NE(metrics.find("\"numDeletionVectorsAdded\":\"1\""), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\"numTargetRowsCopied\":\"0\""), std::string::npos) << metrics;
  EXPECT_EQ(Describe("customers").num_records, 10);
}

TEST_F(PipelineTablesTest, SparkDefaultsInTheConfigurationTurnThemOff) {
  Project(
      "name: p\nconfiguration:\n  spark.databricks.delta.properties.defaults."
      "enableDeletionVectors: \"false\"\n  spark.databricks.delta.properties.defaults."
      "enableChangeDataFeed: \"true\"\n");
  Run();
  const TableDescription customers = Describe("customers");
  EXPECT_FALSE(HasFeature(customers));
  EXPECT_EQ(customers.properties.at("delta.enableChangeDataFeed"), "true");
  testing::WriteTextFile(dir_.Child("p/data/1.json"), "{\"id\": 4, \"v\": \"b\", \"seq\": 2}\n");
  Run();
  const std::string metrics = LastMetrics("customers");
  EXPECT_NE(metrics.find("\"numTargetRowsCopied\":\"9\""), std::string::npos) << metrics;
}

}  // namespace
}  // namespace sluice
