#include "sources/kafka_writer.h"

#include <librdkafka/rdkafka.h>

#include <mutex>

namespace sluice::sources {

struct KafkaWriter::Handle {
  rd_kafka_t* rk = nullptr;
  std::mutex mutex;
  int64_t failed = 0;
  std::string first_failure;
  ~Handle() {
    if (rk != nullptr) rd_kafka_destroy(rk);
  }
};

namespace {

void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque) {
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  auto* handle = static_cast<KafkaWriter::Handle*>(opaque);
  std::lock_guard lock(handle->mutex);
  if (handle->failed++ == 0) {
    handle->first_failure =
        std::string(rd_kafka_topic_name(message->rkt)) + ": " + rd_kafka_message_errstr(message);
  }
}

}  // namespace

KafkaWriter::~KafkaWriter() = default;

Result<std::unique_ptr<KafkaWriter>> KafkaWriter::Connect(std::map<std::string, std::string> client,
                                                          int64_t timeout_ms) {
  std::unique_ptr<KafkaWriter> writer(new KafkaWriter());
  writer->handle_ = std::make_unique<Handle>();
  writer->timeout_ms_ = timeout_ms;
  writer->servers_ = client["bootstrap.servers"];
  client.emplace("acks", "all");
  client.emplace("enable.idempotence", "true");
  client.emplace("client.id", "sluice");
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  for (const auto& [name, value] : client) {
    if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error, sizeof(error)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return InvalidArgument("Kafka sink option 'kafka.", name,
                             "' is not accepted by sluice's Kafka client (librdkafka): ", error);
    }
  }
  rd_kafka_conf_set_opaque(conf, writer->handle_.get());
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return InvalidArgument("Kafka at ", writer->servers_,
                           ": cannot make a Kafka producer: ", error);
  }
  writer->handle_->rk = rk;
  return writer;
}

Status KafkaWriter::Write(const OutgoingRecord& record) {
  rd_kafka_headers_t* headers = nullptr;
  if (!record.headers.empty()) {
    headers = rd_kafka_headers_new(record.headers.size());
    for (const auto& [name, value] : record.headers) {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()),
                          value ? value->data() : nullptr,
                          value ? static_cast<ssize_t>(value->size()) : 0);
    }
  }
  void* key = record.key ? const_cast<char*>(record.key->data()) : nullptr;
  const size_t key_size = record.key ? record.key->size() : 0;
  void* value = record.value ? const_cast<char*>(record.value->data()) : nullptr;
  const size_t value_size = record.value ? record.value->size() : 0;
  while (true) {
    rd_kafka_resp_err_t err = rd_kafka_producev(
        handle_->rk, RD_KAFKA_V_TOPIC(record.topic.c_str()),
        RD_KAFKA_V_PARTITION(record.partition < 0 ? RD_KAFKA_PARTITION_UA : record.partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_size),
        RD_KAFKA_V_VALUE(value, value_size), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::OK();
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(handle_->rk, 100);  // wait for deliveries to make room
      continue;
    }
    if (headers != nullptr) rd_kafka_headers_destroy(headers);
    return IOError("Kafka at ", servers_, ": cannot write to ", record.topic, ": ",
                   rd_kafka_err2str(err));
  }
}

Status KafkaWriter::Flush() {
  rd_kafka_resp_err_t err = rd_kafka_flush(handle_->rk, static_cast<int>(timeout_ms_));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return IOError("Kafka at ", servers_, ": records were not acknowledged within ", timeout_ms_,
                   " ms (", rd_kafka_outq_len(handle_->rk), " waiting)");
  }
  std::lock_guard lock(handle_->mutex);
  if (handle_->failed > 0) {
    const int64_t failed = handle_->failed;
    handle_->failed = 0;
    return IOError("Kafka at ", servers_, ": ", failed, " records were not written (",
                   handle_->first_failure, ")");
  }
  return Status::OK();
}

}  // namespace sluice::sources
