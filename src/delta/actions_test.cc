#include "delta/actions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "delta/action_json.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

TEST(DeletionVectorDescriptorTest, UniqueId) {
  DeletionVectorDescriptor on_disk{'u', "ab^-aqEH.-t@S}K{vb[*k^", 4, 40, 6};
  EXPECT_EQ(on_disk.UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^@4");
  DeletionVectorDescriptor inline_dv{'i', "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L",
                                     std::nullopt, 40, 6};
  EXPECT_EQ(inline_dv.UniqueId(), "iwi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L");
}

TEST(ActionNameTest, JsonKeys) {
  EXPECT_EQ(ActionName(Protocol{}), "protocol");
  EXPECT_EQ(ActionName(Metadata{}), "metaData");
  EXPECT_EQ(ActionName(AddFile{}), "add");
  EXPECT_EQ(ActionName(RemoveFile{}), "remove");
  EXPECT_EQ(ActionName(AddCdcFile{}), "cdc");
  EXPECT_EQ(ActionName(SetTransaction{}), "txn");
  EXPECT_EQ(ActionName(CommitInfo{}), "commitInfo");
  EXPECT_EQ(ActionName(DomainMetadata{}), "domainMetadata");
  EXPECT_EQ(ActionName(Sidecar{}), "sidecar");
  EXPECT_EQ(ActionName(CheckpointMetadata{}), "checkpointMetadata");
}

TEST(CommitInfoTest, FromFieldsInSparkOrder) {
  CommitInfoFields fields;
  fields.in_commit_timestamp = 1700000000001;
  fields.timestamp = 1700000000000;
  fields.operation = "STREAMING UPDATE";
  fields.operation_parameters = StringMap{{"epochId", "3"}, {"outputMode", "Append"}};
  fields.read_version = 4;
  fields.isolation_level = "Serializable";
  fields.is_blind_append = true;
  fields.operation_metrics = StringMap{{"numOutputRows", "10"}};
  fields.engine_info = "sluice/0.1.0";
  fields.txn_id = "t-1";
  CommitInfo info = CommitInfo::FromFields(fields);
  EXPECT_EQ(info.json(),
            R"({"inCommitTimestamp":1700000000001,"timestamp":1700000000000,)"
            R"("operation":"STREAMING UPDATE","operationParameters":{"epochId":"3",)"
            R"("outputMode":"Append"},"readVersion":4,"isolationLevel":"Serializable",)"
            R"("isBlindAppend":true,"operationMetrics":{"numOutputRows":"10"},)"
            R"("engineInfo":"sluice/0.1.0","txnId":"t-1"})");
  EXPECT_EQ(info.Fields(), fields);
  EXPECT_EQ(CommitInfo::FromFields({}).json(), "{}");
}

TEST(CommitInfoTest, AccessorsTolerateOtherTypes) {
  CommitInfo info(
      R"({"timestamp":"soon","operation":"OPTIMIZE","operationParameters":{"predicate":"[]",)"
      R"("auto":false,"n":{"a":[1,2]},"d":null},"readVersion":1,"isBlindAppend":"no",)"
      R"("custom":{"kept":true}})");
  EXPECT_FALSE(info.timestamp().has_value());
  EXPECT_EQ(info.operation(), "OPTIMIZE");
  EXPECT_EQ(
      info.operation_parameters(),
      (StringMap{{"predicate", "[]"}, {"auto", "false"}, {"n", R"({"a":[1,2]})"}, {"d", "null"}}));
  EXPECT_EQ(info.read_version(), 1);
  EXPECT_FALSE(info.is_blind_append().has_value());
  EXPECT_FALSE(info.operation_metrics().has_value());
  EXPECT_FALSE(info.in_commit_timestamp().has_value());
  EXPECT_FALSE(CommitInfo("not json").Fields().timestamp.has_value());
}

TEST(CommitInfoTest, ParsedTextIsKeptVerbatim) {
  auto actions = ParseActions(R"({"commitInfo": {"b": 1, "a": [ 1.50, 1e400 ]} })", "f");
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  const auto& info = std::get<CommitInfo>(actions->front());
  EXPECT_EQ(info.json(), R"({"b": 1, "a": [ 1.50, 1e400 ]})");
  EXPECT_EQ(SerializeAction(info), R"({"commitInfo":{"b": 1, "a": [ 1.50, 1e400 ]}})");
}

TEST(CommitInfoTest, SparkCommitWithNonStringOperationParameters) {
  std::string path = testing::ConformancePath(
      "delta-golden-extra/commit-info-containing-arbitrary-operationParams-types/_delta_log/"
      "00000000000000000002.json");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto actions = ParseActions(text.str(), path);
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  const auto& info = std::get<CommitInfo>(actions->front());
  EXPECT_EQ(info.operation(), "OPTIMIZE");
  ASSERT_TRUE(info.operation_parameters().has_value());
  EXPECT_EQ(info.operation_parameters()->at("auto"), "false");
  EXPECT_EQ(info.operation_parameters()->at("zOrderBy"), R"(["id"])");
}

}  // namespace
}  // namespace sluice::delta
