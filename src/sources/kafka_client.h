// A Kafka client for reading exact offset ranges, through librdkafka.
//
// The client never joins a consumer group and never commits offsets: what a pipeline has
// read is kept in its checkpoint, and every read names its offsets (Spark's Kafka source
// works the same way). Calls block for at most the options' poll timeout
// (kafkaConsumer.pollTimeoutMs) without progress; errors name the bootstrap servers and,
// where librdkafka said why, its last message.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "sources/kafka_options.h"

namespace sluice::sources {

// The offsets a partition holds: [low, high), high being the offset the next record gets.
struct PartitionWatermarks {
  int64_t low = 0;
  int64_t high = 0;
};

// Offsets [start, end) of one partition.
struct OffsetRange {
  TopicPartition partition;
  int64_t start = 0;
  int64_t end = 0;
};

// One record as read; the views are valid until the reader's next call.
struct KafkaRecord {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string_view> key;    // nullopt: a null key
  std::optional<std::string_view> value;  // nullopt: a null value (a tombstone)
  int64_t timestamp_ms = 0;
  int32_t timestamp_type = 0;  // Spark's: 0 CreateTime, 1 LogAppendTime, -1 none
  std::vector<std::pair<std::string_view, std::optional<std::string_view>>> headers;
};

class KafkaClient {
 public:
  ~KafkaClient();
  KafkaClient(const KafkaClient&) = delete;
  KafkaClient& operator=(const KafkaClient&) = delete;

  // A client configured by the options' kafka.* settings (refused ones name the option).
  static Result<std::unique_ptr<KafkaClient>> Connect(const KafkaOptions& options);

  // The partitions the subscription names now, sorted; a subscribed topic that does not
  // exist has none (as in Spark, where the query waits for it).
  Result<std::vector<TopicPartition>> Partitions();

  Result<std::map<TopicPartition, PartitionWatermarks>> Watermarks(
      const std::vector<TopicPartition>& partitions);

  // For each partition, the first offset whose record's timestamp is at or after the given
  // one (milliseconds), or nullopt when there is none.
  Result<std::map<TopicPartition, std::optional<int64_t>>> OffsetsForTimes(
      const std::map<TopicPartition, int64_t>& timestamps);

  // Starts reading the ranges (those with end > start); Next then returns their records in
  // offset order per partition, and nullptr once every range is read. A range whose records
  // are gone from Kafka (aged out, or the partition lost them) fails unless
  // failOnDataLoss is false; then what is left of it is read and `lost_offsets` counts the
  // rest.
  Status StartReading(std::vector<OffsetRange> ranges);
  Result<const KafkaRecord*> Next();
  int64_t lost_offsets() const { return lost_offsets_; }

  const KafkaOptions& options() const { return options_; }
  // Records that should be there are not (`message` says which): Spark's data loss error,
  // or OK when failOnDataLoss is false.
  Status DataLoss(const std::string& message) const;
  // "Kafka at <servers>", for messages.
  std::string Where() const;

  struct Handle;

 private:
  explicit KafkaClient(KafkaOptions options);
  // An error about `what`, with librdkafka's last logged error when there is one.
  Status Failure(std::string_view what) const;

  KafkaOptions options_;
  std::unique_ptr<Handle> handle_;
  // Reading: the ranges left, by partition, and the record last returned.
  struct Reading;
  std::unique_ptr<Reading> reading_;
  KafkaRecord record_;
  int64_t lost_offsets_ = 0;
};

}  // namespace sluice::sources
