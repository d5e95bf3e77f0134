// The options of a Kafka source, as Spark's Kafka source (spark.readStream.format("kafka"))
// and Databricks' read_kafka table-valued function take them (docs/kafka.md).
//
// Option names are case-insensitive, as Spark's are. `kafka.<name>` options go to the
// Kafka client (librdkafka) as <name>; read_kafka's `bootstrapServers` is
// `kafka.bootstrap.servers`. Offsets in JSON options use Spark's form,
// {"topic": {"0": 23, "1": -2}}, with -2 for the earliest offset and -1 for the latest.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace sluice::sources {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
  std::string ToString() const { return topic + "-" + std::to_string(partition); }
};

// Spark's special offsets in JSON offset options.
constexpr int64_t kLatestOffset = -1;
constexpr int64_t kEarliestOffset = -2;

// Where reading starts (startingOffsets, startingTimestamp, startingOffsetsByTimestamp) or
// ends (endingOffsets, endingTimestamp, endingOffsetsByTimestamp).
struct OffsetBound {
  enum class Kind { kEarliest, kLatest, kOffsets, kTimestamp, kTimestamps };
  Kind kind = Kind::kLatest;
  std::map<TopicPartition, int64_t> offsets;  // kOffsets (may hold -1/-2), kTimestamps
  int64_t timestamp_ms = 0;                   // kTimestamp: for every partition
  // startingOffsetsByTimestampStrategy: "latest" reads from the latest offset where no
  // record is at or after the timestamp; "error" (the default) fails.
  bool timestamp_falls_back_to_latest = false;
};

struct KafkaOptions {
  enum class Subscription { kSubscribe, kSubscribePattern, kAssign };
  Subscription subscription = Subscription::kSubscribe;
  std::vector<std::string> topics;       // kSubscribe
  std::string pattern;                   // kSubscribePattern (a regular expression)
  std::vector<TopicPartition> assigned;  // kAssign
  OffsetBound starting;                  // streaming default latest, batch earliest
  OffsetBound ending;                    // batch only; default latest
  std::optional<int64_t> max_offsets_per_trigger;
  std::optional<int64_t> min_offsets_per_trigger;
  int64_t max_trigger_delay_ms = 15 * 60 * 1000;
  bool fail_on_data_loss = true;
  bool include_headers = false;
  int64_t poll_timeout_ms = 120000;  // kafkaConsumer.pollTimeoutMs
  // The Kafka client's configuration: bootstrap.servers and every kafka.* option.
  std::map<std::string, std::string> client;

  // A short description for messages: the servers and the subscription.
  std::string Describe() const;
};

// Parses the options of a Kafka source; `streaming` for readStream / STREAM read_kafka.
// Refuses what Spark refuses (no or several subscriptions, `latest` as a batch start, an
// ending offset on a stream, client options Spark does not pass through), with Spark's
// messages.
Result<KafkaOptions> ParseKafkaOptions(const std::map<std::string, std::string>& given,
                                       bool streaming);

// Spark's JSON offsets form: {"topic": {"0": 23, ...}, ...}.
Result<std::map<TopicPartition, int64_t>> ParsePartitionOffsets(const std::string& json,
                                                                const std::string& option);
std::string PartitionOffsetsJson(const std::map<TopicPartition, int64_t>& offsets);

}  // namespace sluice::sources
