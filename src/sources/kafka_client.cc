#include "sources/kafka_client.h"

#include <librdkafka/rdkafka.h>
#include <re2/re2.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

#include "common/strings.h"
#include "common/uuid.h"

namespace sluice::sources {

namespace {

using SteadyClock = std::chrono::steady_clock;

// librdkafka reports what went wrong with a broker (refused connections, failed
// authentication) through its log and error callbacks rather than through the call that
// timed out; the client keeps the last such message for its errors.
struct LastError {
  std::mutex mutex;
  std::string message;
};

void OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  if (level > 4) return;  // warnings and worse
  auto* last = static_cast<LastError*>(rd_kafka_opaque(rk));
  if (last == nullptr) return;
  std::lock_guard lock(last->mutex);
  last->message = text;
}

void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* last = static_cast<LastError*>(opaque);
  if (last == nullptr) return;
  std::lock_guard lock(last->mutex);
  last->message = reason;
}

// A message's error code. Read as an int: librdkafka may report codes outside the enum's
// declared values, which loading the enum directly would make undefined behaviour.
int ErrorCode(const rd_kafka_message_t* message) {
  int code = 0;
  std::memcpy(&code, &message->err, sizeof(code));
  return code;
}

struct PartitionList {
  rd_kafka_topic_partition_list_t* list;
  explicit PartitionList(int size) : list(rd_kafka_topic_partition_list_new(size)) {}
  ~PartitionList() { rd_kafka_topic_partition_list_destroy(list); }
  PartitionList(const PartitionList&) = delete;
  PartitionList& operator=(const PartitionList&) = delete;
  rd_kafka_topic_partition_t* Add(const TopicPartition& p, int64_t offset) {
    rd_kafka_topic_partition_t* added =
        rd_kafka_topic_partition_list_add(list, p.topic.c_str(), p.partition);
    added->offset = offset;
    return added;
  }
};

}  // namespace

struct KafkaClient::Handle {
  rd_kafka_t* rk = nullptr;
  LastError last_error;
  ~Handle() {
    if (rk != nullptr) {
      rd_kafka_consumer_close(rk);
      rd_kafka_destroy(rk);
    }
  }
};

struct KafkaClient::Reading {
  struct Range {
    OffsetRange range;
    int64_t next = 0;  // the next offset expected
    bool done = false;
  };
  std::map<TopicPartition, Range> ranges;
  size_t open = 0;
  rd_kafka_message_t* message = nullptr;  // the record last returned
  SteadyClock::time_point last_progress;
  ~Reading() {
    if (message != nullptr) rd_kafka_message_destroy(message);
  }
};

KafkaClient::KafkaClient(KafkaOptions options) : options_(std::move(options)) {}

KafkaClient::~KafkaClient() {
  reading_.reset();
  handle_.reset();
}

std::string KafkaClient::Where() const {
  auto servers = options_.client.find("bootstrap.servers");
  return "Kafka at " + (servers == options_.client.end() ? std::string("?") : servers->second);
}

Status KafkaClient::Failure(std::string_view what) const {
  std::string last;
  {
    std::lock_guard lock(handle_->last_error.mutex);
    last = handle_->last_error.message;
  }
  return IOError(Where(), ": ", what, last.empty() ? "" : " (" + last + ")");
}

Status KafkaClient::DataLoss(const std::string& message) const {
  if (options_.fail_on_data_loss) {
    return Aborted(
        Where(), ": ", message,
        ". Some data may have been lost because they are not available in Kafka any more; "
        "either the data was aged out by Kafka or the topic may have been deleted before all "
        "the data in the topic was processed. If you don't want the pipeline to fail on such "
        "cases, set the source option 'failOnDataLoss' to 'false'.");
  }
  return Status::OK();
}

Result<std::unique_ptr<KafkaClient>> KafkaClient::Connect(const KafkaOptions& options) {
  std::unique_ptr<KafkaClient> client(new KafkaClient(options));
  client->handle_ = std::make_unique<Handle>();
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  auto set = [&](const std::string& name, const std::string& value, bool given) -> Status {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) ==
        RD_KAFKA_CONF_OK) {
      return Status::OK();
    }
    if (!given) return Internal("Kafka client setting ", name, ": ", error);
    return InvalidArgument("Kafka option 'kafka.", name,
                           "' is not accepted by sluice's Kafka client (librdkafka): ", error);
  };
  // Defaults first, so that the options given override them. The group id is only a name:
  // the client never joins the group (it assigns partitions itself) and never commits.
  std::map<std::string, std::string> settings = {
      {"group.id", "sluice-kafka-source-" + NewUuid()},
      {"client.id", "sluice"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
      {"auto.offset.reset", "error"},
      // Kafka's Java client (and so Spark) reads uncommitted records unless told otherwise.
      {"isolation.level", "read_uncommitted"},
      {"allow.auto.create.topics", "false"},
  };
  Status status;
  for (const auto& [name, value] : settings) {
    if (!status.ok()) break;
    if (options.client.count(name) == 0) status = set(name, value, false);
  }
  for (const auto& [name, value] : options.client) {
    if (!status.ok()) break;
    status = set(name, value, true);
  }
  if (!status.ok()) {
    rd_kafka_conf_destroy(conf);
    return status;
  }
  rd_kafka_conf_set_opaque(conf, &client->handle_->last_error);
  rd_kafka_conf_set_log_cb(conf, OnLog);
  rd_kafka_conf_set_error_cb(conf, OnError);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return InvalidArgument(client->Where(), ": cannot make a Kafka client: ", error);
  }
  client->handle_->rk = rk;
  rd_kafka_poll_set_consumer(rk);
  return client;
}

Result<std::vector<TopicPartition>> KafkaClient::Partitions() {
  if (options_.subscription == KafkaOptions::Subscription::kAssign) {
    std::vector<TopicPartition> out = options_.assigned;
    std::sort(out.begin(), out.end());
    return out;
  }
  std::optional<RE2> pattern;
  if (options_.subscription == KafkaOptions::Subscription::kSubscribePattern) {
    pattern.emplace(options_.pattern);
    if (!pattern->ok()) {
      return InvalidArgument("Kafka option 'subscribePattern': '", options_.pattern,
                             "' is not a valid regular expression: ", pattern->error());
    }
  }
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(handle_->rk, 1, nullptr, &metadata,
                                              static_cast<int>(options_.poll_timeout_ms));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Failure(std::string("cannot list topics: ") + rd_kafka_err2str(err));
  }
  std::vector<TopicPartition> out;
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic_t& topic = metadata->topics[t];
    if (topic.err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    const std::string name = topic.topic;
    const bool wanted = pattern ? RE2::FullMatch(name, *pattern)
                                : std::find(options_.topics.begin(), options_.topics.end(), name) !=
                                      options_.topics.end();
    if (!wanted) continue;
    for (int p = 0; p < topic.partition_cnt; ++p) out.push_back({name, topic.partitions[p].id});
  }
  rd_kafka_metadata_destroy(metadata);
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::map<TopicPartition, PartitionWatermarks>> KafkaClient::Watermarks(
    const std::vector<TopicPartition>& partitions) {
  std::map<TopicPartition, PartitionWatermarks> out;
  for (const TopicPartition& partition : partitions) {
    PartitionWatermarks marks;
    rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        handle_->rk, partition.topic.c_str(), partition.partition, &marks.low, &marks.high,
        static_cast<int>(options_.poll_timeout_ms));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Failure("cannot read the offsets of " + partition.ToString() + ": " +
                     rd_kafka_err2str(err));
    }
    out[partition] = marks;
  }
  return out;
}

Result<std::map<TopicPartition, std::optional<int64_t>>> KafkaClient::OffsetsForTimes(
    const std::map<TopicPartition, int64_t>& timestamps) {
  std::map<TopicPartition, std::optional<int64_t>> out;
  if (timestamps.empty()) return out;
  PartitionList list(static_cast<int>(timestamps.size()));
  for (const auto& [partition, timestamp] : timestamps) list.Add(partition, timestamp);
  rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(handle_->rk, list.list,
                                                       static_cast<int>(options_.poll_timeout_ms));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Failure(std::string("cannot look up offsets by timestamp: ") + rd_kafka_err2str(err));
  }
  for (int i = 0; i < list.list->cnt; ++i) {
    const rd_kafka_topic_partition_t& element = list.list->elems[i];
    TopicPartition partition{element.topic, element.partition};
    if (element.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Failure("cannot look up offsets by timestamp in " + partition.ToString() + ": " +
                     rd_kafka_err2str(element.err));
    }
    out[partition] = element.offset >= 0 ? std::optional<int64_t>(element.offset) : std::nullopt;
  }
  return out;
}

Status KafkaClient::StartReading(std::vector<OffsetRange> ranges) {
  reading_ = std::make_unique<Reading>();
  PartitionList assignment(static_cast<int>(ranges.size()));
  for (const OffsetRange& range : ranges) {
    if (range.end <= range.start) continue;
    reading_->ranges[range.partition] = Reading::Range{range, range.start, false};
    assignment.Add(range.partition, range.start);
  }
  reading_->open = reading_->ranges.size();
  reading_->last_progress = SteadyClock::now();
  if (reading_->open == 0) return Status::OK();
  rd_kafka_resp_err_t err = rd_kafka_assign(handle_->rk, assignment.list);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Failure(std::string("cannot start reading: ") + rd_kafka_err2str(err));
  }
  return Status::OK();
}

Result<const KafkaRecord*> KafkaClient::Next() {
  if (reading_ == nullptr) return Internal("Kafka Next before StartReading");
  Reading& reading = *reading_;
  if (reading.message != nullptr) {
    rd_kafka_message_destroy(reading.message);
    reading.message = nullptr;
  }
  auto finish = [&](Reading::Range& range) {
    if (range.done) return;
    range.done = true;
    --reading.open;
    PartitionList list(1);
    list.Add(range.range.partition, 0);
    rd_kafka_pause_partitions(handle_->rk, list.list);
  };
  while (reading.open > 0) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(handle_->rk, 100);
    if (message == nullptr) {
      const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
                              SteadyClock::now() - reading.last_progress)
                              .count();
      if (waited >= options_.poll_timeout_ms) {
        std::vector<std::string> waiting;
        for (const auto& [partition, range] : reading.ranges) {
          if (!range.done) {
            waiting.push_back(partition.ToString() + " at offset " + std::to_string(range.next) +
                              " of [" + std::to_string(range.range.start) + ", " +
                              std::to_string(range.range.end) + ")");
          }
        }
        return Failure("no records arrived for " + std::to_string(waited) +
                       " ms (kafkaConsumer.pollTimeoutMs) while reading " + Join(waiting, ", "));
      }
      continue;
    }
    if (message->rkt == nullptr) {  // a client-wide event
      const int err = ErrorCode(message);
      rd_kafka_message_destroy(message);
      if (err == RD_KAFKA_RESP_ERR__FATAL) {
        return Failure("the Kafka client failed");
      }
      continue;  // transient (brokers down, retried by the client until the timeout)
    }
    TopicPartition partition{rd_kafka_topic_name(message->rkt), message->partition};
    auto it = reading.ranges.find(partition);
    if (it == reading.ranges.end() || it->second.done) {
      rd_kafka_message_destroy(message);
      continue;
    }
    Reading::Range& range = it->second;
    const int err = ErrorCode(message);
    const int64_t offset = message->offset;
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const std::string text = rd_kafka_message_errstr(message);
      rd_kafka_message_destroy(message);
      if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        reading.last_progress = SteadyClock::now();
        if (offset >= range.range.end) {
          finish(range);
          continue;
        }
        if (offset >= range.next) continue;  // more records are being written
        // The partition ends before the offset read so far: it lost records.
        SLUICE_RETURN_IF_ERROR(DataLoss(partition.ToString() + " ends at offset " +
                                        std::to_string(offset) + ", before offset " +
                                        std::to_string(range.range.end) + " that was to be read"));
        lost_offsets_ += range.range.end - range.next;
        finish(range);
        continue;
      }
      if (err == RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET ||
          err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
        // The records from `next` on are gone (aged out since the batch was planned).
        SLUICE_ASSIGN_OR_RETURN(auto marks, Watermarks({partition}));
        SLUICE_RETURN_IF_ERROR(DataLoss("offset " + std::to_string(range.next) + " of " +
                                        partition.ToString() + " is not available any more " +
                                        "(the partition holds offsets from " +
                                        std::to_string(marks[partition].low) + ")"));
        const int64_t resume = std::max(range.next, marks[partition].low);
        lost_offsets_ += std::min(resume, range.range.end) - range.next;
        range.next = resume;
        if (resume >= range.range.end) {
          finish(range);
          continue;
        }
        PartitionList list(1);
        list.Add(partition, resume);
        rd_kafka_error_t* seek = rd_kafka_seek_partitions(
            handle_->rk, list.list, static_cast<int>(options_.poll_timeout_ms));
        if (seek != nullptr) {
          const std::string why = rd_kafka_error_string(seek);
          rd_kafka_error_destroy(seek);
          return Failure("cannot read " + partition.ToString() + " from offset " +
                         std::to_string(resume) + ": " + why);
        }
        continue;
      }
      if (err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
          err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || err == RD_KAFKA_RESP_ERR__FATAL) {
        return Failure("cannot read " + partition.ToString() + ": " + text);
      }
      continue;  // transient: the client retries
    }
    reading.last_progress = SteadyClock::now();
    if (offset >= range.range.end) {
      rd_kafka_message_destroy(message);
      finish(range);
      continue;
    }
    if (offset < range.next) {  // already returned (a fetch repeated after a seek)
      rd_kafka_message_destroy(message);
      continue;
    }
    range.next = offset + 1;
    if (range.next >= range.range.end) finish(range);
    reading.message = message;
    KafkaRecord& record = record_;
    record.topic = rd_kafka_topic_name(message->rkt);
    record.partition = message->partition;
    record.offset = offset;
    record.key = message->key == nullptr
                     ? std::nullopt
                     : std::optional<std::string_view>(std::string_view(
                           static_cast<const char*>(message->key), message->key_len));
    record.value = message->payload == nullptr
                       ? std::nullopt
                       : std::optional<std::string_view>(std::string_view(
                             static_cast<const char*>(message->payload), message->len));
    rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
    record.timestamp_ms = rd_kafka_message_timestamp(message, &type);
    record.timestamp_type = type == RD_KAFKA_TIMESTAMP_CREATE_TIME       ? 0
                            : type == RD_KAFKA_TIMESTAMP_LOG_APPEND_TIME ? 1
                                                                         : -1;
    if (record.timestamp_ms < 0) record.timestamp_ms = 0;
    record.headers.clear();
    if (options_.include_headers) {
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name = nullptr;
        const void* value = nullptr;
        size_t size = 0;
        for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
                           RD_KAFKA_RESP_ERR_NO_ERROR;
             ++i) {
          record.headers.emplace_back(name, value == nullptr
                                                ? std::nullopt
                                                : std::optional<std::string_view>(std::string_view(
                                                      static_cast<const char*>(value), size)));
        }
      }
    }
    return &record_;
  }
  return nullptr;
}

}  // namespace sluice::sources
