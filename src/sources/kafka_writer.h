// Writing Kafka records through librdkafka, for Kafka sinks: records are queued by Write
// and acknowledged by the cluster by Flush, which fails if any record was not delivered.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace sluice::sources {

struct OutgoingRecord {
  std::string topic;
  int32_t partition = -1;  // -1: the client's partitioner chooses (by key)
  std::optional<std::string_view> key;
  std::optional<std::string_view> value;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

class KafkaWriter {
 public:
  ~KafkaWriter();
  KafkaWriter(const KafkaWriter&) = delete;
  KafkaWriter& operator=(const KafkaWriter&) = delete;

  // `client`: librdkafka settings (bootstrap.servers, security, ...). Writes wait for every
  // in-sync replica (acks=all) and are idempotent unless the settings say otherwise.
  static Result<std::unique_ptr<KafkaWriter>> Connect(std::map<std::string, std::string> client,
                                                      int64_t timeout_ms);
  Status Write(const OutgoingRecord& record);
  // Waits until every record written is acknowledged.
  Status Flush();

  struct Handle;

 private:
  KafkaWriter() = default;
  std::string servers_;
  int64_t timeout_ms_ = 0;
  std::unique_ptr<Handle> handle_;
};

}  // namespace sluice::sources
