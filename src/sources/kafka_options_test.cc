#include "sources/kafka_options.h"

#include <gtest/gtest.h>

namespace sluice::sources {
namespace {

using Options = std::map<std::string, std::string>;

TEST(KafkaOptionsTest, DefaultsDependOnStreaming) {
  Options given = {{"kafka.bootstrap.servers", "h:9092"}, {"subscribe", "a, b"}};
  auto stream = ParseKafkaOptions(given, true);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  EXPECT_EQ(stream->topics, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(stream->starting.kind, OffsetBound::Kind::kLatest);
  EXPECT_TRUE(stream->fail_on_data_loss);
  EXPECT_FALSE(stream->include_headers);
  EXPECT_EQ(stream->client.at("bootstrap.servers"), "h:9092");
  auto batch = ParseKafkaOptions(given, false);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->starting.kind, OffsetBound::Kind::kEarliest);
  EXPECT_EQ(batch->ending.kind, OffsetBound::Kind::kLatest);
}

TEST(KafkaOptionsTest, NamesAreCaseInsensitiveAndReadKafkaSpellsServersItsWay) {
  auto options = ParseKafkaOptions({{"bootstrapServers", "h:1"},
                                    {"SUBSCRIBEPATTERN", "ev.*"},
                                    {"startingoffsets", "earliest"},
                                    {"MaxOffsetsPerTrigger", "100"},
                                    {"failondataloss", "FALSE"},
                                    {"includeHeaders", "true"}},
                                   true);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->subscription, KafkaOptions::Subscription::kSubscribePattern);
  EXPECT_EQ(options->pattern, "ev.*");
  EXPECT_EQ(options->client.at("bootstrap.servers"), "h:1");
  EXPECT_EQ(options->starting.kind, OffsetBound::Kind::kEarliest);
  EXPECT_EQ(options->max_offsets_per_trigger, 100);
  EXPECT_FALSE(options->fail_on_data_loss);
  EXPECT_TRUE(options->include_headers);
}

TEST(KafkaOptionsTest, OffsetsAndAssignmentsInSparksJsonForm) {
  auto options =
      ParseKafkaOptions({{"kafka.bootstrap.servers", "h:1"},
                         {"assign", R"({"t": [0, 2], "u": [1]})"},
                         {"startingOffsets", R"({"t": {"0": 23, "2": -2}, "u": {"1": -1}})"}},
                        true);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->assigned, (std::vector<TopicPartition>{{"t", 0}, {"t", 2}, {"u", 1}}));
  EXPECT_EQ(options->starting.kind, OffsetBound::Kind::kOffsets);
  EXPECT_EQ(options->starting.offsets.at({"t", 0}), 23);
  EXPECT_EQ(options->starting.offsets.at({"t", 2}), kEarliestOffset);
  EXPECT_EQ(options->starting.offsets.at({"u", 1}), kLatestOffset);
  EXPECT_EQ(PartitionOffsetsJson(options->starting.offsets),
            R"({"t":{"0":23,"2":-2},"u":{"1":-1}})");
  auto back = ParsePartitionOffsets(PartitionOffsetsJson(options->starting.offsets), "x");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, options->starting.offsets);
}

TEST(KafkaOptionsTest, TimestampsTakePrecedenceAsInSpark) {
  auto options = ParseKafkaOptions({{"kafka.bootstrap.servers", "h:1"},
                                    {"subscribe", "t"},
                                    {"startingOffsets", "earliest"},
                                    {"startingOffsetsByTimestamp", R"({"t": {"0": 5}})"},
                                    {"startingTimestamp", "1000"},
                                    {"startingOffsetsByTimestampStrategy", "latest"}},
                                   true);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->starting.kind, OffsetBound::Kind::kTimestamp);
  EXPECT_EQ(options->starting.timestamp_ms, 1000);
  EXPECT_TRUE(options->starting.timestamp_falls_back_to_latest);
}

TEST(KafkaOptionsTest, JaasLoginsBecomeLibrdkafkaSettings) {
  auto options = ParseKafkaOptions(
      {{"kafka.bootstrap.servers", "h:1"},
       {"subscribe", "t"},
       {"kafka.security.protocol", "SASL_SSL"},
       {"kafka.sasl.jaas.config",
        "kafkashaded.org.apache.kafka.common.security.plain.PlainLoginModule required "
        "username=\"user\" password='p@ss word';"}},
      true);
  ASSERT_TRUE(options.ok()) << options.status().ToString();
  EXPECT_EQ(options->client.at("sasl.username"), "user");
  EXPECT_EQ(options->client.at("sasl.password"), "p@ss word");
  EXPECT_EQ(options->client.at("security.protocol"), "SASL_SSL");
  EXPECT_EQ(options->client.count("sasl.jaas.config"), 0);
}

void ExpectRefused(const Options& given, bool streaming, const std::string& message) {
  auto options = ParseKafkaOptions(given, streaming);
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find(message), std::string::npos)
      << options.status().ToString();
}

TEST(KafkaOptionsTest, RefusesWhatSparkRefuses) {
  const Options base = {{"kafka.bootstrap.servers", "h:1"}};
  ExpectRefused(base, true, "One of the following options must be specified for Kafka source");
  ExpectRefused({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"assign", "{}"}}, true,
                "Only one of the following options can be specified");
  ExpectRefused({{"subscribe", "t"}}, true, "Option 'kafka.bootstrap.servers' must be specified");
  ExpectRefused({{"kafka.bootstrap.servers", "h:1"}, {"subscribe", " , "}}, true,
                "No topics to subscribe to");
  ExpectRefused({{"kafka.bootstrap.servers", "h:1"}, {"assign", "{\"t\": []}"}}, true,
                "No topicpartitions to assign");
  ExpectRefused(
      {{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"endingOffsets", "latest"}}, true,
      "ending offset not valid in streaming queries");
  ExpectRefused(
      {{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"startingOffsets", "latest"}},
      false, "starting offset can't be latest for batch queries on Kafka");
  ExpectRefused({{"kafka.bootstrap.servers", "h:1"},
                 {"subscribe", "t"},
                 {"startingOffsets", R"({"t": {"0": -1}})"}},
                false, "startingOffsets for t-0 can't be latest for batch queries on Kafka");
  ExpectRefused(
      {{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"endingOffsets", "earliest"}},
      false, "ending offset can't be earliest for batch queries on Kafka");
  ExpectRefused({{"kafka.bootstrap.servers", "h:1"},
                 {"subscribe", "t"},
                 {"kafka.group.id", "g"},
                 {"kafka.enable.auto.commit", "true"}},
                true, "Kafka option 'enable.auto.commit' is not supported");
  ExpectRefused({{"kafka.bootstrap.servers", "h:1"},
                 {"subscribe", "t"},
                 {"kafka.ssl.truststore.location", "/x.jks"}},
                true, "kafka.ssl.ca.location");
  ExpectRefused({{"kafka.bootstrap.servers", "h:1"},
                 {"subscribe", "t"},
                 {"minOffsetsPerTrigger", "10"},
                 {"maxOffsetsPerTrigger", "5"}},
                true, "is higher than the maxOffsetsPerTrigger");
  ExpectRefused(
      {{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"maxOffsetsPerTrigger", "0"}}, true,
      "must be a positive number");
  ExpectRefused(
      {{"kafka.bootstrap.servers", "h:1"}, {"subscribe", "t"}, {"startingOffsets", "{bad"}}, true,
      "must be 'earliest', 'latest' or JSON");
}

}  // namespace
}  // namespace sluice::sources
