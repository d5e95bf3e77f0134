// Tests' Kafka: a kafka_mock_broker process (librdkafka's mock cluster on 127.0.0.1),
// started by the constructor and stopped by the destructor.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace sluice::testing {

// One record to produce.
struct KafkaTestRecord {
  int partition = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  int64_t timestamp_ms = 0;  // 0: the time it is produced
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

class KafkaBroker {
 public:
  explicit KafkaBroker(int brokers = 1);
  ~KafkaBroker();
  KafkaBroker(const KafkaBroker&) = delete;
  KafkaBroker& operator=(const KafkaBroker&) = delete;

  // Empty when the cluster is up; else why it is not.
  const std::string& start_error() const { return start_error_; }
  const std::string& bootstrap_servers() const { return bootstrap_; }

  // Each returns "" on success, else the broker's error.
  std::string CreateTopic(const std::string& topic, int partitions);
  std::string Produce(const std::string& topic, const KafkaTestRecord& record);
  // Values value_prefix<i>, padded with 'x' to `bytes` when given.
  std::string ProduceMany(const std::string& topic, int partition, int64_t count,
                          const std::string& value_prefix, int64_t bytes = 0);
  // The next `count` requests of the Kafka API `api_key` fail with `error_code`.
  std::string FailRequests(int api_key, int count, int error_code);
  std::string SetLeader(const std::string& topic, int partition, int broker);
  std::string SetBrokerDown(int broker, bool down);
  // A command line as the helper takes it (tab-separated fields).
  std::string Command(const std::string& line);

 private:
  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
  std::string bootstrap_;
  std::string start_error_;
};

}  // namespace sluice::testing
