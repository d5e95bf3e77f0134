#include "support/kafka_broker.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace sluice::testing {

namespace {

std::string ReadLine(FILE* from) {
  std::string line;
  int c;
  while ((c = std::fgetc(from)) != EOF && c != '\n') line += static_cast<char>(c);
  if (c == EOF && line.empty()) return "error the Kafka helper process ended";
  return line;
}

}  // namespace

KafkaBroker::KafkaBroker(int brokers) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0) {
    start_error_ = "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    close(to_child[1]);
    close(from_child[0]);
    const std::string count = std::to_string(brokers);
    execl(SLUICE_KAFKA_MOCK_BROKER, SLUICE_KAFKA_MOCK_BROKER, count.c_str(), nullptr);
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  to_ = fdopen(to_child[1], "w");
  from_ = fdopen(from_child[0], "r");
  const std::string first = ReadLine(from_);
  if (first.rfind("bootstrap ", 0) != 0) {
    start_error_ = "the Kafka helper did not start: " + first;
    return;
  }
  bootstrap_ = first.substr(10);
}

KafkaBroker::~KafkaBroker() {
  if (to_ != nullptr) {
    std::fputs("quit\n", to_);
    std::fclose(to_);
  }
  if (pid_ > 0) {
    // Bounded wait, then kill: a stuck helper must not hang the test run.
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  if (from_ != nullptr) std::fclose(from_);
}

std::string KafkaBroker::Command(const std::string& line) {
  if (!start_error_.empty()) return start_error_;
  std::fputs((line + "\n").c_str(), to_);
  std::fflush(to_);
  const std::string reply = ReadLine(from_);
  if (reply == "ok") return "";
  return reply.rfind("error ", 0) == 0 ? reply.substr(6) : "unexpected reply: " + reply;
}

std::string KafkaBroker::CreateTopic(const std::string& topic, int partitions) {
  return Command("topic\t" + topic + "\t" + std::to_string(partitions));
}

std::string KafkaBroker::Produce(const std::string& topic, const KafkaTestRecord& record) {
  const std::string null = "\\N";
  std::string headers;
  for (const auto& [name, value] : record.headers) {
    if (!headers.empty()) headers += '\x1f';
    headers += name + "=" + value.value_or(null);
  }
  return Command("produce\t" + topic + "\t" + std::to_string(record.partition) + "\t" +
                 (record.timestamp_ms == 0 ? "-" : std::to_string(record.timestamp_ms)) + "\t" +
                 record.key.value_or(null) + "\t" + record.value.value_or(null) + "\t" + headers);
}

std::string KafkaBroker::ProduceMany(const std::string& topic, int partition, int64_t count,
                                     const std::string& value_prefix, int64_t bytes) {
  return Command("produce-many\t" + topic + "\t" + std::to_string(partition) + "\t" +
                 std::to_string(count) + "\t" + value_prefix +
                 (bytes > 0 ? "\t" + std::to_string(bytes) : std::string()));
}

std::string KafkaBroker::FailRequests(int api_key, int count, int error_code) {
  return Command("error\t" + std::to_string(api_key) + "\t" + std::to_string(count) + "\t" +
                 std::to_string(error_code));
}

std::string KafkaBroker::SetLeader(const std::string& topic, int partition, int broker) {
  return Command("leader\t" + topic + "\t" + std::to_string(partition) + "\t" +
                 std::to_string(broker));
}

std::string KafkaBroker::SetBrokerDown(int broker, bool down) {
  return Command(std::string(down ? "down" : "up") + "\t" + std::to_string(broker));
}

}  // namespace sluice::testing
