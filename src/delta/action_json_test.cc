#include "delta/action_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sluice::delta {
namespace {

using ::testing::HasSubstr;

std::vector<Action> ParseOk(std::string_view text) {
  auto actions = ParseActions(text, "/t/_delta_log/00000000000000000000.json");
  EXPECT_TRUE(actions.ok()) << actions.status().ToString();
  return actions.ok() ? *actions : std::vector<Action>{};
}

Status ParseError(std::string_view text) {
  auto actions = ParseActions(text, "/t/_delta_log/00000000000000000003.json");
  EXPECT_FALSE(actions.ok());
  return actions.status();
}

TEST(ParseActionsTest, ParsesEveryActionKind) {
  std::string text =
      R"({"commitInfo":{"timestamp":1,"operation":"WRITE","x":[1,{"y":null}]}})"
      "\n"
      R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors","appendOnly"]}})"
      "\n"
      R"({"metaData":{"id":"abc","name":"n","description":"d","format":{"provider":"parquet","options":{"k":"v"}},"schemaString":"{}","partitionColumns":["p"],"configuration":{"delta.appendOnly":"true"},"createdTime":5}})"
      "\n"
      R"({"add":{"path":"p=1/a%20b.parquet","partitionValues":{"p":"1","q":null},"size":10,"modificationTime":20,"dataChange":true,"stats":"{\"numRecords\":3}","tags":{"t":"v"},"deletionVector":{"storageType":"u","pathOrInlineDv":"ab^-aqEH.-t@S}K{vb[*k^","offset":4,"sizeInBytes":40,"cardinality":6},"baseRowId":7,"defaultRowCommitVersion":8,"clusteringProvider":"liquid"}})"
      "\n"
      R"({"remove":{"path":"x","deletionTimestamp":9,"dataChange":false,"extendedFileMetadata":true,"partitionValues":{},"size":3,"tags":{},"baseRowId":1,"defaultRowCommitVersion":2,"stats":"{}"}})"
      "\n"
      R"({"cdc":{"path":"_change_data/c.parquet","partitionValues":{},"size":11,"dataChange":false}})"
      "\n"
      R"({"txn":{"appId":"app","version":4,"lastUpdated":12}})"
      "\n"
      R"({"domainMetadata":{"domain":"delta.rowTracking","configuration":"{\"rowIdHighWaterMark\":9}","removed":false}})"
      "\n"
      R"({"sidecar":{"path":"s.parquet","sizeInBytes":100,"modificationTime":13,"tags":null}})"
      "\n"
      R"({"checkpointMetadata":{"version":14,"tags":{"a":"b"}}})"
      "\n";
  std::vector<Action> actions = ParseOk(text);
  ASSERT_EQ(actions.size(), 10u);

  const auto& commit_info = std::get<CommitInfo>(actions[0]);
  EXPECT_EQ(commit_info.json(), R"({"timestamp":1,"operation":"WRITE","x":[1,{"y":null}]})");
  EXPECT_EQ(commit_info.timestamp(), 1);
  EXPECT_EQ(commit_info.operation(), "WRITE");

  const auto& protocol = std::get<Protocol>(actions[1]);
  EXPECT_EQ(protocol.min_reader_version, 3);
  EXPECT_EQ(protocol.min_writer_version, 7);
  EXPECT_EQ(protocol.reader_features, std::vector<std::string>{"deletionVectors"});
  EXPECT_EQ(protocol.writer_features, (std::vector<std::string>{"deletionVectors", "appendOnly"}));

  const auto& metadata = std::get<Metadata>(actions[2]);
  EXPECT_EQ(metadata.id, "abc");
  EXPECT_EQ(metadata.name, "n");
  EXPECT_EQ(metadata.description, "d");
  EXPECT_EQ(metadata.format.provider, "parquet");
  EXPECT_EQ(metadata.format.options, (StringMap{{"k", "v"}}));
  EXPECT_EQ(metadata.schema_string, "{}");
  EXPECT_EQ(metadata.partition_columns, std::vector<std::string>{"p"});
  EXPECT_EQ(metadata.configuration, (StringMap{{"delta.appendOnly", "true"}}));
  EXPECT_EQ(metadata.created_time, 5);

  const auto& add = std::get<AddFile>(actions[3]);
  EXPECT_EQ(add.path, "p=1/a%20b.parquet");
  EXPECT_EQ(add.partition_values, (PartitionValues{{"p", "1"}, {"q", std::nullopt}}));
  EXPECT_EQ(add.size, 10);
  EXPECT_EQ(add.modification_time, 20);
  EXPECT_TRUE(add.data_change);
  EXPECT_EQ(add.stats, R"({"numRecords":3})");
  EXPECT_EQ(add.tags, (StringMap{{"t", "v"}}));
  ASSERT_TRUE(add.deletion_vector.has_value());
  EXPECT_EQ(add.deletion_vector->storage_type, 'u');
  EXPECT_EQ(add.deletion_vector->path_or_inline_dv, "ab^-aqEH.-t@S}K{vb[*k^");
  EXPECT_EQ(add.deletion_vector->offset, 4);
  EXPECT_EQ(add.deletion_vector->size_in_bytes, 40);
  EXPECT_EQ(add.deletion_vector->cardinality, 6);
  EXPECT_EQ(add.deletion_vector->UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^@4");
  EXPECT_EQ(add.base_row_id, 7);
  EXPECT_EQ(add.default_row_commit_version, 8);
  EXPECT_EQ(add.clustering_provider, "liquid");

  const auto& remove = std::get<RemoveFile>(actions[4]);
  EXPECT_EQ(remove.path, "x");
  EXPECT_EQ(remove.deletion_timestamp, 9);
  EXPECT_FALSE(remove.data_change);
  EXPECT_EQ(remove.extended_file_metadata, true);
  EXPECT_EQ(remove.partition_values, PartitionValues{});
  EXPECT_EQ(remove.size, 3);
  EXPECT_EQ(remove.tags, StringMap{});
  EXPECT_FALSE(remove.deletion_vector.has_value());
  EXPECT_EQ(remove.base_row_id, 1);
  EXPECT_EQ(remove.default_row_commit_version, 2);
  EXPECT_EQ(remove.stats, "{}");

  const auto& cdc = std::get<AddCdcFile>(actions[5]);
  EXPECT_EQ(cdc.path, "_change_data/c.parquet");
  EXPECT_EQ(cdc.size, 11);
  EXPECT_FALSE(cdc.data_change);

  const auto& txn = std::get<SetTransaction>(actions[6]);
  EXPECT_EQ(txn.app_id, "app");
  EXPECT_EQ(txn.version, 4);
  EXPECT_EQ(txn.last_updated, 12);

  const auto& domain = std::get<DomainMetadata>(actions[7]);
  EXPECT_EQ(domain.domain, "delta.rowTracking");
  EXPECT_EQ(domain.configuration, R"({"rowIdHighWaterMark":9})");
  EXPECT_FALSE(domain.removed);

  const auto& sidecar = std::get<Sidecar>(actions[8]);
  EXPECT_EQ(sidecar.path, "s.parquet");
  EXPECT_EQ(sidecar.size_in_bytes, 100);
  EXPECT_EQ(sidecar.modification_time, 13);
  EXPECT_FALSE(sidecar.tags.has_value());

  const auto& checkpoint_metadata = std::get<CheckpointMetadata>(actions[9]);
  EXPECT_EQ(checkpoint_metadata.version, 14);
  EXPECT_EQ(checkpoint_metadata.tags, (StringMap{{"a", "b"}}));

  // Serializing and parsing again gives the same actions.
  std::vector<Action> again = ParseOk(SerializeActions(actions));
  EXPECT_EQ(again, actions);
}

TEST(ParseActionsTest, SkipsBlankLinesUnknownActionsAndUnknownFields) {
  std::string text =
      "\n   \n"
      R"({"futureAction":{"a":1}})"
      "\r\n"
      R"({"txn":{"appId":"a","version":1,"newField":{"deep":[1,2,3]}}})"
      "\n\n";
  std::vector<Action> actions = ParseOk(text);
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<SetTransaction>(actions[0]).app_id, "a");
}

TEST(ParseActionsTest, EmptyInputHasNoActions) { EXPECT_TRUE(ParseOk("").empty()); }

TEST(ParseActionsTest, LastLineWithoutNewline) {
  std::vector<Action> actions = ParseOk(
      "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n{\"txn\":{\"appId\":\"b\",\"version\":2}}");
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(std::get<SetTransaction>(actions[1]).app_id, "b");
}

TEST(ParseActionsTest, MetadataWithoutSchemaString) {
  // A placeholder metaData as the Databricks DLT runtime writes it at version 0.
  std::vector<Action> actions = ParseOk(
      R"({"metaData":{"id":"ac0a","format":{"provider":"parquet","options":{}},"partitionColumns":[],"configuration":{},"createdTime":1681798577757}})");
  ASSERT_EQ(actions.size(), 1u);
  const auto& metadata = std::get<Metadata>(actions[0]);
  EXPECT_FALSE(metadata.schema_string.has_value());
  EXPECT_EQ(
      SerializeAction(actions[0]),
      R"({"metaData":{"id":"ac0a","format":{"provider":"parquet","options":{}},"partitionColumns":[],"configuration":{},"createdTime":1681798577757}})");
}

TEST(ParseActionsTest, CheckpointRowsAsJson) {
  // What a checkpoint row looks like after to_json(): every column present, nulls for absent
  // values, stats only as a struct.
  std::string text =
      R"({"txn":null,"add":{"path":"a.parquet","partitionValues":{"p":null,"q":"x"},"size":5,"modificationTime":6,"dataChange":false,"stats":null,"stats_parsed":{"numRecords": 2, "minValues":{"id":1},"maxValues":{"id":9},"nullCount":{"id":0}},"partitionValues_parsed":{"p":null,"q":"x"},"tags":null,"deletionVector":{"storageType":"i","pathOrInlineDv":"abc","offset":null,"sizeInBytes":34,"cardinality":1},"baseRowId":null,"defaultRowCommitVersion":null,"clusteringProvider":null},"remove":null,"metaData":null,"protocol":null})";
  std::vector<Action> actions = ParseOk(text);
  ASSERT_EQ(actions.size(), 1u);
  const auto& add = std::get<AddFile>(actions[0]);
  EXPECT_EQ(add.stats,
            R"({"numRecords":2,"minValues":{"id":1},"maxValues":{"id":9},"nullCount":{"id":0}})");
  EXPECT_EQ(add.partition_values, (PartitionValues{{"p", std::nullopt}, {"q", "x"}}));
  EXPECT_FALSE(add.tags.has_value());
  EXPECT_FALSE(add.base_row_id.has_value());
  ASSERT_TRUE(add.deletion_vector.has_value());
  EXPECT_FALSE(add.deletion_vector->offset.has_value());
  EXPECT_EQ(add.deletion_vector->UniqueId(), "iabc");
}

TEST(ParseActionsTest, StatsStringWinsOverStatsParsed) {
  std::vector<Action> actions = ParseOk(
      R"({"add":{"path":"a","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"stats_parsed":{"numRecords":7},"stats":"{\"numRecords\":2}"}})");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(std::get<AddFile>(actions[0]).stats, R"({"numRecords":2})");
}

TEST(ParseActionsTest, MapsAsKeyValueArrays) {
  std::vector<Action> actions = ParseOk(
      R"({"add":{"path":"a","partitionValues":[{"key":"p","value":"1"},{"key":"q","value":null}],"size":1,"modificationTime":1,"dataChange":true,"tags":[{"key":"t","value":"v"}]}})");
  ASSERT_EQ(actions.size(), 1u);
  const auto& add = std::get<AddFile>(actions[0]);
  EXPECT_EQ(add.partition_values, (PartitionValues{{"p", "1"}, {"q", std::nullopt}}));
  EXPECT_EQ(add.tags, (StringMap{{"t", "v"}}));
}

TEST(ParseActionsTest, EscapedKeysAndValues) {
  std::vector<Action> actions = ParseOk(
      R"({"add":{"path":"a\"b\\c\u00e9","partitionValues":{"we\"ird":"x\ny"},"size":1,"modificationTime":1,"dataChange":true}})");
  ASSERT_EQ(actions.size(), 1u);
  const auto& add = std::get<AddFile>(actions[0]);
  EXPECT_EQ(add.path, "a\"b\\c\xc3\xa9");
  EXPECT_EQ(add.partition_values, (PartitionValues{{"we\"ird", "x\ny"}}));
  EXPECT_EQ(ParseOk(SerializeAction(actions[0])), actions);
}

TEST(ParseActionsTest, MalformedLineNamesFileAndLine) {
  Status status = ParseError(
      "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n\n{\"txn\":{\"appId\":\"a\",\"version\":1}\n");
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_THAT(status.message(),
              HasSubstr("/t/_delta_log/00000000000000000003.json line 3: invalid JSON"));
}

TEST(ParseActionsTest, TrailingGarbageIsCorruption) {
  Status status = ParseError("{\"txn\":{\"appId\":\"a\",\"version\":1}} x\n");
  EXPECT_THAT(status.message(), HasSubstr("line 1: invalid JSON"));
}

TEST(ParseActionsTest, NonObjectLineIsCorruption) {
  Status status = ParseError("[1,2]\n");
  EXPECT_THAT(status.message(), HasSubstr("line 1: expected a JSON object per line"));
  EXPECT_EQ(ParseError("not json").code(), StatusCode::kCorruption);
}

TEST(ParseActionsTest, MissingRequiredFieldNamesActionAndField) {
  Status status = ParseError(
      "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n"
      R"({"add":{"path":"a","partitionValues":{},"modificationTime":1,"dataChange":true}})");
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_EQ(status.message(),
            "/t/_delta_log/00000000000000000003.json line 2: add lacks required field 'size'");
  EXPECT_THAT(ParseError(R"({"protocol":{"minReaderVersion":1}})").message(),
              HasSubstr("protocol lacks required field 'minWriterVersion'"));
  EXPECT_THAT(
      ParseError(R"({"metaData":{"id":"x","partitionColumns":[],"configuration":{}}})").message(),
      HasSubstr("metaData lacks required field 'format'"));
  EXPECT_THAT(ParseError(R"({"remove":{"path":"x","dataChange":null}})").message(),
              HasSubstr("remove lacks required field 'dataChange'"));
  EXPECT_THAT(
      ParseError(
          R"({"remove":{"path":"x","dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"a","cardinality":1}}})")
          .message(),
      HasSubstr("remove.deletionVector lacks required field 'sizeInBytes'"));
}

TEST(ParseActionsTest, WrongTypeNamesField) {
  EXPECT_THAT(
      ParseError(
          R"({"add":{"path":"a","partitionValues":{},"size":"12","modificationTime":1,"dataChange":true}})")
          .message(),
      HasSubstr("line 1: add.size: expected an integer"));
  EXPECT_THAT(ParseError(R"({"txn":{"appId":5,"version":1}})").message(),
              HasSubstr("txn.appId: expected a string"));
  EXPECT_THAT(ParseError(R"({"add":[]})").message(), HasSubstr("add.: expected an object"));
  EXPECT_THAT(
      ParseError(
          R"({"remove":{"path":"x","dataChange":true,"deletionVector":{"storageType":"z","pathOrInlineDv":"a","sizeInBytes":1,"cardinality":1}}})")
          .message(),
      HasSubstr("storageType: 'z' is not u, i or p"));
}

TEST(SerializeActionTest, AddInSparkKeyOrder) {
  AddFile add;
  add.path = "part-0.parquet";
  add.partition_values = {{"p", "1"}, {"n", std::nullopt}};
  add.size = 100;
  add.modification_time = 200;
  add.data_change = true;
  add.stats = R"({"numRecords":1})";
  EXPECT_EQ(
      SerializeAction(add),
      R"({"add":{"path":"part-0.parquet","partitionValues":{"n":null,"p":"1"},"size":100,"modificationTime":200,"dataChange":true,"stats":"{\"numRecords\":1}"}})");
}

TEST(SerializeActionTest, RemoveInSparkKeyOrder) {
  RemoveFile remove;
  remove.path = "a";
  remove.deletion_timestamp = 5;
  remove.data_change = true;
  remove.extended_file_metadata = true;
  remove.partition_values = PartitionValues{};
  remove.size = 9;
  remove.deletion_vector = DeletionVectorDescriptor{'u', "abc", 1, 34, 1};
  EXPECT_EQ(
      SerializeAction(remove),
      R"({"remove":{"path":"a","deletionTimestamp":5,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{},"size":9,"deletionVector":{"storageType":"u","pathOrInlineDv":"abc","offset":1,"sizeInBytes":34,"cardinality":1}}})");
}

TEST(SerializeActionTest, ProtocolAndMetadata) {
  EXPECT_EQ(SerializeAction(Protocol{1, 2, std::nullopt, std::nullopt}),
            R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})");
  Metadata metadata;
  metadata.id = "id";
  metadata.schema_string = R"({"type":"struct","fields":[]})";
  metadata.partition_columns = {"a"};
  metadata.configuration = {{"delta.appendOnly", "true"}};
  metadata.created_time = 7;
  EXPECT_EQ(
      SerializeAction(metadata),
      R"({"metaData":{"id":"id","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[]}","partitionColumns":["a"],"configuration":{"delta.appendOnly":"true"},"createdTime":7}})");
}

TEST(SerializeActionTest, CommitInfoPassesThrough) {
  CommitInfo info(R"({"timestamp":1,"custom":{"nested":[true]}})");
  EXPECT_EQ(SerializeAction(info), R"({"commitInfo":{"timestamp":1,"custom":{"nested":[true]}}})");
}

TEST(SerializeActionTest, EscapesControlCharacters) {
  SetTransaction txn{std::string("a\x01\t\"b", 5), 3, std::nullopt};
  EXPECT_EQ(SerializeAction(txn), R"({"txn":{"appId":"a\u0001\t\"b","version":3}})");
}

TEST(SerializeActionTest, SerializeActionsEndsEachLine) {
  std::vector<Action> actions = {SetTransaction{"a", 1, 2}, DomainMetadata{"d", "{}", true}};
  EXPECT_EQ(SerializeActions(actions),
            "{\"txn\":{\"appId\":\"a\",\"version\":1,\"lastUpdated\":2}}\n"
            "{\"domainMetadata\":{\"domain\":\"d\",\"configuration\":\"{}\",\"removed\":true}}\n");
}

}  // namespace
}  // namespace sluice::delta
