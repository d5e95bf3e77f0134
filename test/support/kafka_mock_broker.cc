// A Kafka-protocol cluster on 127.0.0.1 for tests: librdkafka's mock cluster in a process
// of its own, driven by commands on stdin, one per line, fields separated by tabs. It
// prints "bootstrap <host:port,...>" once the cluster is up, then answers each command
// with "ok" or "error <message>". It exits on "quit" or at the end of its input (so it
// stops when the test that started it dies).
//
//   topic <name> <partitions>
//   produce <topic> <partition> <timestamp ms or -> <key or \N> <value or \N> [<headers>]
//       headers: name=value pairs separated by \x1f (a value \N is a null header value)
//   produce-many <topic> <partition> <count> <value prefix> [<bytes>]
//       values <prefix><i> (padded with 'x' to <bytes>), keys null
//   error <api key> <count> <error code>    the next <count> requests of that API fail
//   leader <topic> <partition> <broker id>
//   down <broker id> / up <broker id>
//
// Usage: kafka_mock_broker [BROKERS (1)]
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

std::atomic<int> delivery_failures{0};
std::string last_delivery_error;

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    ++delivery_failures;
    last_delivery_error = rd_kafka_err2str(message->err);
  }
}

std::vector<std::string> SplitTabs(const std::string& line, char separator = '\t') {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = line.find(separator, start);
    out.push_back(line.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

const std::string kNull = "\\N";

// Produces one record and waits until the cluster has it.
std::string Produce(rd_kafka_t* producer, const std::string& topic, int partition,
                    int64_t timestamp_ms, const std::string* key, const std::string* value,
                    const std::vector<std::pair<std::string, const std::string*>>& headers) {
  rd_kafka_headers_t* hdrs = nullptr;
  if (!headers.empty()) {
    hdrs = rd_kafka_headers_new(headers.size());
    for (const auto& [name, header_value] : headers) {
      rd_kafka_header_add(hdrs, name.data(), static_cast<ssize_t>(name.size()),
                          header_value == nullptr ? nullptr : header_value->data(),
                          header_value == nullptr ? 0 : static_cast<ssize_t>(header_value->size()));
    }
  }
  void* key_data = key == nullptr ? nullptr : const_cast<char*>(key->data());
  const size_t key_size = key == nullptr ? 0 : key->size();
  void* value_data = value == nullptr ? nullptr : const_cast<char*>(value->data());
  const size_t value_size = value == nullptr ? 0 : value->size();
  rd_kafka_resp_err_t err = rd_kafka_producev(
      producer, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key_data, key_size),
      RD_KAFKA_V_VALUE(value_data, value_size), RD_KAFKA_V_TIMESTAMP(timestamp_ms),
      RD_KAFKA_V_HEADERS(hdrs), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    if (hdrs != nullptr) rd_kafka_headers_destroy(hdrs);
    return std::string("produce: ") + rd_kafka_err2str(err);
  }
  return "";
}

std::string Flush(rd_kafka_t* producer) {
  if (rd_kafka_flush(producer, 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) return "flush timed out";
  if (delivery_failures.exchange(0) > 0) return "delivery failed: " + last_delivery_error;
  return "";
}

std::string Run(rd_kafka_t* producer, rd_kafka_mock_cluster_t* cluster,
                const std::vector<std::string>& f) {
  const std::string& command = f[0];
  if (command == "topic" && f.size() == 3) {
    rd_kafka_resp_err_t err =
        rd_kafka_mock_topic_create(cluster, f[1].c_str(), std::atoi(f[2].c_str()), 1);
    return err == RD_KAFKA_RESP_ERR_NO_ERROR ? "" : rd_kafka_err2str(err);
  }
  if (command == "produce" && (f.size() == 6 || f.size() == 7)) {
    const int64_t timestamp = f[3] == "-" ? 0 : std::atoll(f[3].c_str());
    std::vector<std::pair<std::string, const std::string*>> headers;
    std::vector<std::string> pairs;
    if (f.size() == 7 && !f[6].empty()) pairs = SplitTabs(f[6], '\x1f');
    std::vector<std::string> header_values(pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
      const size_t equals = pairs[i].find('=');
      if (equals == std::string::npos) return "header without '=': " + pairs[i];
      header_values[i] = pairs[i].substr(equals + 1);
      headers.emplace_back(pairs[i].substr(0, equals),
                           header_values[i] == kNull ? nullptr : &header_values[i]);
    }
    std::string error =
        Produce(producer, f[1], std::atoi(f[2].c_str()), timestamp, f[4] == kNull ? nullptr : &f[4],
                f[5] == kNull ? nullptr : &f[5], headers);
    return error.empty() ? Flush(producer) : error;
  }
  if (command == "produce-many" && (f.size() == 5 || f.size() == 6)) {
    const long count = std::atol(f[3].c_str());
    const size_t bytes = f.size() == 6 ? static_cast<size_t>(std::atol(f[5].c_str())) : 0;
    for (long i = 0; i < count; ++i) {
      std::string value = f[4] + std::to_string(i);
      if (value.size() < bytes) value.resize(bytes, 'x');
      std::string error = Produce(producer, f[1], std::atoi(f[2].c_str()), 0, nullptr, &value, {});
      if (error == std::string("produce: ") + rd_kafka_err2str(RD_KAFKA_RESP_ERR__QUEUE_FULL)) {
        rd_kafka_poll(producer, 100);
        --i;
        continue;
      }
      if (!error.empty()) return error;
    }
    return Flush(producer);
  }
  if (command == "error" && f.size() == 4) {
    rd_kafka_mock_push_request_errors(cluster, static_cast<int16_t>(std::atoi(f[1].c_str())),
                                      static_cast<size_t>(std::atol(f[2].c_str())),
                                      static_cast<rd_kafka_resp_err_t>(std::atoi(f[3].c_str())));
    return "";
  }
  if (command == "leader" && f.size() == 4) {
    rd_kafka_resp_err_t err = rd_kafka_mock_partition_set_leader(
        cluster, f[1].c_str(), std::atoi(f[2].c_str()), std::atoi(f[3].c_str()));
    return err == RD_KAFKA_RESP_ERR_NO_ERROR ? "" : rd_kafka_err2str(err);
  }
  if ((command == "down" || command == "up") && f.size() == 2) {
    const int32_t broker = std::atoi(f[1].c_str());
    rd_kafka_resp_err_t err = command == "down" ? rd_kafka_mock_broker_set_down(cluster, broker)
                                                : rd_kafka_mock_broker_set_up(cluster, broker);
    return err == RD_KAFKA_RESP_ERR_NO_ERROR ? "" : rd_kafka_err2str(err);
  }
  return "unknown command or wrong number of fields: " + command;
}

}  // namespace

int main(int argc, char** argv) {
  const int brokers = argc > 1 ? std::atoi(argv[1]) : 1;
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::string count = std::to_string(brokers);
  if (rd_kafka_conf_set(conf, "test.mock.num.brokers", count.c_str(), error, sizeof(error)) !=
          RD_KAFKA_CONF_OK ||
      rd_kafka_conf_set(conf, "linger.ms", "0", error, sizeof(error)) != RD_KAFKA_CONF_OK ||
      rd_kafka_conf_set(conf, "log_level", "2", error, sizeof(error)) != RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "kafka_mock_broker: %s\n", error);
    return 1;
  }
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (producer == nullptr) {
    std::fprintf(stderr, "kafka_mock_broker: %s\n", error);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_handle_mock_cluster(producer);
  if (cluster == nullptr) {
    std::fprintf(stderr, "kafka_mock_broker: no mock cluster\n");
    return 1;
  }
  std::cout << "bootstrap " << rd_kafka_mock_cluster_bootstraps(cluster) << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line == "quit") break;
    if (line.empty()) continue;
    const std::string failure = Run(producer, cluster, SplitTabs(line));
    std::cout << (failure.empty() ? "ok" : "error " + failure) << std::endl;
  }
  rd_kafka_destroy(producer);
  return 0;
}
