#include "delta/protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "delta/action_json.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

Protocol Legacy(int32_t reader, int32_t writer) {
  return Protocol{reader, writer, std::nullopt, std::nullopt};
}

Protocol Features(int32_t reader, std::vector<std::string> reader_features,
                  std::vector<std::string> writer_features) {
  Protocol p{reader, 7, std::nullopt, writer_features};
  if (reader == 3) p.reader_features = reader_features;
  return p;
}

Metadata WithConfig(StringMap configuration) {
  Metadata m;
  m.id = "id";
  m.configuration = std::move(configuration);
  return m;
}

TEST(ProtocolFeaturesTest, LegacyVersionsImplyFeatures) {
  EXPECT_THAT(ReaderFeatures(Legacy(1, 2)), ::testing::IsEmpty());
  EXPECT_THAT(ReaderFeatures(Legacy(2, 5)), ElementsAre("columnMapping"));
  EXPECT_THAT(WriterFeatures(Legacy(1, 1)), ::testing::IsEmpty());
  EXPECT_THAT(WriterFeatures(Legacy(1, 2)), UnorderedElementsAre("appendOnly", "invariants"));
  EXPECT_THAT(WriterFeatures(Legacy(1, 3)),
              UnorderedElementsAre("appendOnly", "invariants", "checkConstraints"));
  EXPECT_THAT(WriterFeatures(Legacy(1, 4)),
              UnorderedElementsAre("appendOnly", "invariants", "checkConstraints", "changeDataFeed",
                                   "generatedColumns"));
  EXPECT_THAT(WriterFeatures(Legacy(2, 6)),
              UnorderedElementsAre("appendOnly", "invariants", "checkConstraints", "changeDataFeed",
                                   "generatedColumns", "columnMapping", "identityColumns"));
}

TEST(ProtocolFeaturesTest, TableFeaturesAreListedExplicitly) {
  Protocol p = Features(3, {"deletionVectors"}, {"deletionVectors", "changeDataFeed"});
  EXPECT_THAT(ReaderFeatures(p), ElementsAre("deletionVectors"));
  EXPECT_THAT(WriterFeatures(p), UnorderedElementsAre("deletionVectors", "changeDataFeed"));
  EXPECT_TRUE(SupportsWriterFeature(p, "changeDataFeed"));
  EXPECT_FALSE(SupportsWriterFeature(p, "appendOnly"));  // (x,7) implies nothing
  // Legacy reader 2 with writer 7 still implies column mapping for readers.
  Protocol mixed = Features(2, {}, {"columnMapping", "icebergCompatV2"});
  EXPECT_TRUE(SupportsReaderFeature(mixed, "columnMapping"));
  EXPECT_TRUE(SupportsReaderFeature(Features(3, {"typeWidening-preview"}, {}), "typeWidening"));
}

TEST(CheckReadableTest, SupportedProtocols) {
  EXPECT_TRUE(CheckReadable(Legacy(1, 1), "/t").ok());
  EXPECT_TRUE(CheckReadable(Legacy(1, 2), "/t").ok());
  EXPECT_TRUE(CheckReadable(Legacy(2, 5), "/t").ok());
  EXPECT_TRUE(CheckReadable(Features(3,
                                     {"columnMapping", "deletionVectors", "timestampNtz",
                                      "v2Checkpoint", "vacuumProtocolCheck", "typeWidening"},
                                     {}),
                            "/t")
                  .ok());
  EXPECT_TRUE(CheckReadable(Features(3, {"typeWidening-preview"}, {}), "/t").ok());
  EXPECT_TRUE(CheckReadable(Features(3, {}, {"rowTracking"}), "/t").ok());
}

TEST(CheckReadableTest, RefusesUnknownVersionsAndFeatures) {
  Status status = CheckReadable(Legacy(99, 7), "/data/t");
  EXPECT_EQ(status.code(), StatusCode::kNotSupported);
  EXPECT_THAT(status.message(), AllOf(HasSubstr("/data/t"), HasSubstr("reader version 99")));
  EXPECT_EQ(CheckReadable(Legacy(0, 2), "/t").code(), StatusCode::kNotSupported);

  status = CheckReadable(Features(3, {"deletionVectors", "variantType"}, {}), "/data/t");
  EXPECT_EQ(status.code(), StatusCode::kNotSupported);
  EXPECT_THAT(status.message(), AllOf(HasSubstr("/data/t"), HasSubstr("'variantType'")));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("deletionVectors")));
  EXPECT_THAT(
      CheckReadable(Features(3, {"catalogManaged", "variantType-preview"}, {}), "/t").message(),
      AllOf(HasSubstr("'catalogManaged'"), HasSubstr("'variantType-preview'")));
}

TEST(CheckWritableTest, SupportedProtocols) {
  EXPECT_TRUE(CheckWritable(Legacy(1, 2), "/t").ok());
  EXPECT_TRUE(CheckWritable(Legacy(1, 4), "/t").ok());
  EXPECT_TRUE(CheckWritable(Legacy(2, 5), "/t").ok());
  EXPECT_TRUE(
      CheckWritable(Features(3, {"deletionVectors", "columnMapping", "v2Checkpoint"},
                             {"deletionVectors", "columnMapping", "v2Checkpoint", "appendOnly",
                              "invariants", "checkConstraints", "changeDataFeed",
                              "generatedColumns", "domainMetadata", "inCommitTimestamp"}),
                    "/t")
          .ok());
}

TEST(CheckWritableTest, RefusesFeaturesSluiceDoesNotWrite) {
  Status status =
      CheckWritable(Features(3, {"deletionVectors"},
                             {"domainMetadata", "clustering", "deletionVectors", "rowTracking"}),
                    "/data/t");
  EXPECT_EQ(status.code(), StatusCode::kNotSupported);
  EXPECT_THAT(status.message(),
              AllOf(HasSubstr("/data/t"), HasSubstr("'clustering'"), HasSubstr("'rowTracking'")));
  EXPECT_THAT(status.message(), ::testing::Not(HasSubstr("domainMetadata")));

  EXPECT_THAT(CheckWritable(Legacy(2, 6), "/t").message(), HasSubstr("'identityColumns'"));
  EXPECT_THAT(CheckWritable(Features(2, {}, {"columnMapping", "icebergCompatV2"}), "/t").message(),
              HasSubstr("'icebergCompatV2'"));
  // allowColumnDefaults is written (the file writer refuses to leave out a defaulted column).
  EXPECT_TRUE(CheckWritable(Features(1, {}, {"allowColumnDefaults"}), "/t").ok());
  EXPECT_THAT(CheckWritable(Features(1, {}, {"identityColumns"}), "/t").message(),
              HasSubstr("'identityColumns'"));
  EXPECT_EQ(CheckWritable(Legacy(1, 8), "/t").code(), StatusCode::kNotSupported);
  // Readable but not writable: type widening.
  Protocol widening = Features(3, {"typeWidening-preview"}, {"typeWidening-preview"});
  EXPECT_TRUE(CheckReadable(widening, "/t").ok());
  EXPECT_THAT(CheckWritable(widening, "/t").message(), HasSubstr("'typeWidening-preview'"));
  // A writer must honour reader features too.
  EXPECT_THAT(CheckWritable(Features(3, {"variantType"}, {"variantType"}), "/t").message(),
              HasSubstr("reader feature 'variantType'"));
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

TEST(CheckReadableTest, EveryConformanceProtocolButTheInvalidOne) {
  // Reader version 99 in golden_data/deltalog-invalid-protocol-version is the only protocol of
  // the conformance tables sluice must refuse to read.
  size_t protocols = 0;
  std::vector<std::string> refused;
  namespace fs = std::filesystem;
  for (const auto& entry : fs::recursive_directory_iterator(testing::ConformancePath(""))) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json" ||
        entry.path().parent_path().filename() != "_delta_log") {
      continue;
    }
    auto actions = ParseActions(ReadWholeFile(entry.path()), entry.path().string());
    ASSERT_TRUE(actions.ok()) << actions.status().ToString();
    for (const Action& action : *actions) {
      if (const auto* protocol = std::get_if<Protocol>(&action)) {
        ++protocols;
        std::string table = entry.path().parent_path().parent_path().string();
        Status status = CheckReadable(*protocol, table);
        if (!status.ok()) refused.push_back(status.message());
      }
    }
  }
  EXPECT_GT(protocols, 100u);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_THAT(refused[0], AllOf(HasSubstr("deltalog-invalid-protocol-version/delta"),
                                HasSubstr("reader version 99")));
}

TEST(ColumnMappingModeTest, HonouredOnlyWhenSupported) {
  Metadata name_mode = WithConfig({{"delta.columnMapping.mode", "name"}});
  Metadata id_mode = WithConfig({{"delta.columnMapping.mode", "id"}});
  EXPECT_EQ(*GetColumnMappingMode(Legacy(2, 5), name_mode), ColumnMappingMode::kName);
  EXPECT_EQ(*GetColumnMappingMode(Legacy(1, 2), name_mode), ColumnMappingMode::kNone);
  EXPECT_EQ(*GetColumnMappingMode(Features(3, {"columnMapping"}, {"columnMapping"}), id_mode),
            ColumnMappingMode::kId);
  EXPECT_EQ(*GetColumnMappingMode(Features(3, {"deletionVectors"}, {"deletionVectors"}), id_mode),
            ColumnMappingMode::kNone);
  // A (2,5) table without the property, as the DLT runtime writes it.
  EXPECT_EQ(*GetColumnMappingMode(Legacy(2, 5), WithConfig({})), ColumnMappingMode::kNone);
  EXPECT_EQ(*GetColumnMappingMode(Legacy(2, 5), WithConfig({{"delta.columnMapping.mode", "NAME"}})),
            ColumnMappingMode::kName);
  auto bad = GetColumnMappingMode(Legacy(2, 5), WithConfig({{"delta.columnMapping.mode", "x"}}));
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("'x'"));
}

TEST(MinimalProtocolTest, DefaultIsOneTwo) {
  EXPECT_EQ(MinimalProtocolForNewTable({}, false), Legacy(1, 2));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.appendOnly", "true"}}, false), Legacy(1, 2));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.enableDeletionVectors", "false"}}, false),
            Legacy(1, 2));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.columnMapping.mode", "none"}}, false),
            Legacy(1, 2));
}

TEST(MinimalProtocolTest, ReaderWriterFeaturesNeedThreeSeven) {
  // As Spark writes them (see golden_data/v2-checkpoint-json and dv-partitioned-with-checkpoint).
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.enableDeletionVectors", "true"}}, false),
            Features(3, {"deletionVectors"}, {"deletionVectors", "appendOnly", "invariants"}));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.checkpointPolicy", "v2"}}, false),
            Features(3, {"v2Checkpoint"}, {"v2Checkpoint", "appendOnly", "invariants"}));
  EXPECT_EQ(MinimalProtocolForNewTable({}, true),
            Features(3, {"timestampNtz"}, {"timestampNtz", "appendOnly", "invariants"}));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.columnMapping.mode", "name"}}, false),
            Features(3, {"columnMapping"}, {"columnMapping", "appendOnly", "invariants"}));
  Protocol both = MinimalProtocolForNewTable(
      {{"delta.columnMapping.mode", "id"}, {"delta.enableDeletionVectors", "true"}}, true);
  EXPECT_EQ(both.min_reader_version, 3);
  EXPECT_THAT(*both.reader_features,
              UnorderedElementsAre("columnMapping", "deletionVectors", "timestampNtz"));
  EXPECT_THAT(*both.writer_features,
              UnorderedElementsAre("columnMapping", "deletionVectors", "timestampNtz", "appendOnly",
                                   "invariants"));
}

TEST(MinimalProtocolTest, WriterOnlyFeaturesKeepReaderOne) {
  // As delta-golden-extra/commit-info-containing-arbitrary-operationParams-types.
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.enableChangeDataFeed", "true"}}, false),
            Features(1, {}, {"changeDataFeed", "appendOnly", "invariants"}));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.enableInCommitTimestamps", "true"}}, false),
            Features(1, {}, {"inCommitTimestamp", "appendOnly", "invariants"}));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.constraints.positive", "id > 0"}}, false),
            Features(1, {}, {"checkConstraints", "appendOnly", "invariants"}));
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.feature.domainMetadata", "supported"}}, false),
            Features(1, {}, {"domainMetadata", "appendOnly", "invariants"}));
}

TEST(MinimalProtocolTest, ExplicitLegacyVersions) {
  EXPECT_EQ(MinimalProtocolForNewTable({{"delta.minReaderVersion", "2"},
                                        {"delta.minWriterVersion", "5"},
                                        {"delta.columnMapping.mode", "name"}},
                                       false),
            Legacy(2, 5));
  EXPECT_EQ(MinimalProtocolForNewTable(
                {{"delta.minWriterVersion", "4"}, {"delta.enableChangeDataFeed", "true"}}, false),
            Legacy(1, 4));
}

TEST(ProtocolPropertyTest, OnlyPropertiesThatAskForAProtocol) {
  EXPECT_TRUE(IsProtocolProperty("delta.minReaderVersion"));
  EXPECT_TRUE(IsProtocolProperty("delta.minWriterVersion"));
  EXPECT_TRUE(IsProtocolProperty("delta.ignoreProtocolDefaults"));
  EXPECT_TRUE(IsProtocolProperty("delta.feature.allowColumnDefaults"));
  EXPECT_FALSE(IsProtocolProperty("delta.enableChangeDataFeed"));
  EXPECT_FALSE(IsProtocolProperty("delta.features"));
  EXPECT_FALSE(IsProtocolProperty("quality"));
}

TEST(MinimalProtocolTest, ResultIsReadableAndWritableForSupportedFeatures) {
  std::vector<StringMap> configs = {
      {},
      {{"delta.enableDeletionVectors", "true"}},
      {{"delta.columnMapping.mode", "name"}, {"delta.enableChangeDataFeed", "true"}},
      {{"delta.checkpointPolicy", "v2"}, {"delta.enableInCommitTimestamps", "true"}},
  };
  for (const StringMap& config : configs) {
    Protocol p = MinimalProtocolForNewTable(config, true);
    EXPECT_TRUE(CheckWritable(p, "/t").ok()) << SerializeAction(p);
    EXPECT_TRUE(IsFeatureActive(p, WithConfig(config), "appendOnly") ==
                IsPropertyTrue(config, "delta.appendOnly"));
  }
  Protocol row_tracking = MinimalProtocolForNewTable({{"delta.enableRowTracking", "true"}}, false);
  EXPECT_TRUE(SupportsWriterFeature(row_tracking, "rowTracking"));
  EXPECT_THAT(CheckWritable(row_tracking, "/t").message(), HasSubstr("'rowTracking'"));
}

TEST(IsFeatureActiveTest, SupportedAndSwitchedOn) {
  Metadata append_only = WithConfig({{"delta.appendOnly", "TRUE"}});
  EXPECT_TRUE(IsFeatureActive(Legacy(1, 2), append_only, "appendOnly"));
  EXPECT_FALSE(IsFeatureActive(Legacy(1, 2), WithConfig({}), "appendOnly"));
  EXPECT_FALSE(
      IsFeatureActive(Legacy(1, 2), WithConfig({{"delta.appendOnly", "false"}}), "appendOnly"));
  EXPECT_FALSE(IsFeatureActive(Legacy(1, 1), append_only, "appendOnly"));  // not supported

  Protocol cdf = Features(1, {}, {"changeDataFeed", "inCommitTimestamp"});
  EXPECT_TRUE(
      IsFeatureActive(cdf, WithConfig({{"delta.enableChangeDataFeed", "true"}}), "changeDataFeed"));
  EXPECT_FALSE(IsFeatureActive(cdf, WithConfig({}), "changeDataFeed"));
  EXPECT_TRUE(IsFeatureActive(cdf, WithConfig({{"delta.enableInCommitTimestamps", "true"}}),
                              "inCommitTimestamp"));
  EXPECT_FALSE(IsFeatureActive(
      Legacy(1, 4), WithConfig({{"delta.enableInCommitTimestamps", "true"}}), "inCommitTimestamp"));
  EXPECT_TRUE(IsFeatureActive(Legacy(1, 4), WithConfig({{"delta.enableChangeDataFeed", "true"}}),
                              "changeDataFeed"));
  EXPECT_TRUE(IsFeatureActive(Legacy(1, 3), WithConfig({{"delta.constraints.c", "x > 0"}}),
                              "checkConstraints"));
  EXPECT_TRUE(IsFeatureActive(Legacy(2, 5), WithConfig({{"delta.columnMapping.mode", "name"}}),
                              "columnMapping"));
  EXPECT_FALSE(IsFeatureActive(Legacy(2, 5), WithConfig({}), "columnMapping"));
  EXPECT_TRUE(
      IsFeatureActive(Features(1, {}, {"domainMetadata"}), WithConfig({}), "domainMetadata"));
}

}  // namespace
}  // namespace sluice::delta
