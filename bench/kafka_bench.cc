// Reading Kafka into a bronze table against a plain librdkafka consumer, in the same run.
// RECORDS records of RECORD_BYTES bytes in PARTITIONS partitions go through a Kafka-protocol
// cluster in this process (librdkafka's mock cluster on 127.0.0.1). The mock cluster keeps
// only the last few MB of each partition, so records are written in rounds of ROUND records
// (untimed), and after each round both readers read what it added:
//  - sluice: an update of a pipeline whose streaming table reads the topic,
//      CREATE STREAMING TABLE bronze AS SELECT * FROM STREAM read_kafka(...), written as a
//      Delta table (one commit per update);
//  - peer: a librdkafka consumer assigned every partition from where the last round ended,
//    appending each record (key, value, topic, partition, offset, timestamp, timestampType)
//    to a DuckDB table, written to one Parquet file per round.
// Prints the total time of each and the ratio sluice / peer (goal <= 1.2); the bench fails
// unless both read every record.
//
// Usage: kafka_bench [RECORDS (10000000)] [RECORD_BYTES (200)] [PARTITIONS (16)]
//                    [ROUND (160000)]
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "pipeline_runs.h"
#include "sluice/pipeline.h"

namespace {

namespace fs = std::filesystem;
using sluice::bench::Clock;
using sluice::bench::Die;
using sluice::bench::Since;

void Set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char error[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof(error)) != RD_KAFKA_CONF_OK) {
    Die(std::string(name) + ": " + error);
  }
}

// Writes the records; values are RECORD_BYTES of printable text that differ per record.
void Produce(rd_kafka_t* producer, int64_t from, int64_t to, int bytes, int partitions) {
  std::string value(static_cast<size_t>(bytes), 'x');
  for (int64_t i = from; i < to; ++i) {
    const std::string number = std::to_string(i);
    std::copy(number.begin(), number.end(), value.begin());
    while (true) {
      rd_kafka_resp_err_t err =
          rd_kafka_producev(producer, RD_KAFKA_V_TOPIC("events"),
                            RD_KAFKA_V_PARTITION(static_cast<int32_t>(i % partitions)),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                            RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) Die(rd_kafka_err2str(err));
      rd_kafka_poll(producer, 10);
    }
  }
  if (rd_kafka_flush(producer, 600000) != RD_KAFKA_RESP_ERR_NO_ERROR) Die("flush timed out");
}

// The peer's DuckDB and the offsets it has read.
struct Peer {
  std::unique_ptr<sluice::engine::Database> database;
  std::unique_ptr<sluice::engine::Connection> connection;
  std::vector<int64_t> next;  // per partition
  int64_t records = 0;
  int round = 0;
};

Peer MakePeer(int partitions) {
  Peer peer;
  auto database = sluice::engine::Database::Open();
  if (!database.ok()) Die(database.status().ToString());
  peer.database = std::move(*database);
  auto connection = peer.database->Connect();
  if (!connection.ok()) Die(connection.status().ToString());
  peer.connection = std::move(*connection);
  peer.next.assign(static_cast<size_t>(partitions), 0);
  return peer;
}

// One round of the peer: consume every partition from where it stopped to `ends` into a
// DuckDB table, then COPY it to a Parquet file.
void PeerRound(Peer& peer, const std::string& servers, const std::vector<int64_t>& ends,
               const fs::path& dir) {
  sluice::engine::Connection& connection = *peer.connection;
  if (!connection
           .Execute("CREATE OR REPLACE TABLE records (\"key\" BLOB, \"value\" BLOB, topic VARCHAR, "
                    "\"partition\" INTEGER, \"offset\" BIGINT, ts_ms BIGINT, ts_type INTEGER)")
           .ok()) {
    Die("create table");
  }
  auto appender = connection.MakeAppender("records");
  if (!appender.ok()) Die(appender.status().ToString());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "bootstrap.servers", servers);
  Set(conf, "group.id", "peer");
  Set(conf, "enable.auto.commit", "false");
  char error[512];
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
  if (consumer == nullptr) Die(error);
  rd_kafka_poll_set_consumer(consumer);
  const int partitions = static_cast<int>(ends.size());
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions);
  int open = 0;
  for (int p = 0; p < partitions; ++p) {
    if (peer.next[p] >= ends[p]) continue;
    rd_kafka_topic_partition_list_add(list, "events", p)->offset = peer.next[p];
    ++open;
  }
  rd_kafka_assign(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);
  using sluice::engine::Value;
  while (open > 0) {
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 1000);
    if (message == nullptr) continue;
    const int p = message->partition;
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR && message->offset < ends[p]) {
      rd_kafka_timestamp_type_t type;
      const int64_t ts = rd_kafka_message_timestamp(message, &type);
      sluice::engine::Appender& rows = **appender;
      (void)rows.Append(
          message->key == nullptr
              ? Value::Null()
              : Value::Bytes(std::string(static_cast<char*>(message->key), message->key_len)));
      (void)rows.Append(
          Value::Bytes(std::string(static_cast<char*>(message->payload), message->len)));
      (void)rows.Append(Value::Text(rd_kafka_topic_name(message->rkt)));
      (void)rows.Append(Value::Int(p));
      (void)rows.Append(Value::Int(message->offset));
      (void)rows.Append(Value::Int(ts));
      (void)rows.Append(Value::Int(type == RD_KAFKA_TIMESTAMP_CREATE_TIME ? 0 : 1));
      (void)rows.EndRow();
      ++peer.records;
      peer.next[p] = message->offset + 1;
      if (peer.next[p] >= ends[p]) --open;
    } else if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR &&
               message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      Die(std::string("peer: ") + rd_kafka_message_errstr(message));
    }
    rd_kafka_message_destroy(message);
  }
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  if (!(*appender)->Close().ok()) Die("appender");
  const fs::path out = dir / ("peer_" + std::to_string(peer.round++) + ".parquet");
  if (!connection
           .Execute("COPY (SELECT \"key\", \"value\", topic, \"partition\", \"offset\", "
                    "make_timestamptz(ts_ms * 1000) AS \"timestamp\", ts_type AS "
                    "\"timestampType\" FROM records) TO '" +
                    out.string() + "' (FORMAT parquet)")
           .ok()) {
    Die("copy");
  }
}

void WriteProject(const std::string& servers, const fs::path& dir) {
  fs::remove_all(dir);
  sluice::bench::WriteFile(dir / "pipeline.yml", "name: kafka_bench\n");
  sluice::bench::WriteFile(
      dir / "p.sql",
      "CREATE STREAMING TABLE bronze AS SELECT * FROM STREAM read_kafka(bootstrapServers => '" +
          servers + "', subscribe => 'events', startingOffsets => 'earliest');\n");
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t records = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int bytes = argc > 2 ? std::atoi(argv[2]) : 200;
  const int partitions = argc > 3 ? std::atoi(argv[3]) : 16;
  const int64_t round = argc > 4 ? std::atoll(argv[4]) : 160000;

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  Set(conf, "test.mock.num.brokers", "1");
  Set(conf, "linger.ms", "20");
  Set(conf, "batch.size", "1000000");
  Set(conf, "queue.buffering.max.messages", "1000000");
  Set(conf, "log_level", "2");
  char error[512];
  rd_kafka_t* producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
  if (producer == nullptr) Die(error);
  rd_kafka_mock_cluster_t* cluster = rd_kafka_handle_mock_cluster(producer);
  if (cluster == nullptr) Die("no mock cluster");
  const std::string servers = rd_kafka_mock_cluster_bootstraps(cluster);
  if (rd_kafka_mock_topic_create(cluster, "events", partitions, 1) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    Die("create topic");
  }
  std::printf(
      "%lld records of %d bytes in %d partitions, in rounds of %lld, through a mock "
      "cluster at %s\n",
      static_cast<long long>(records), bytes, partitions, static_cast<long long>(round),
      servers.c_str());
  std::fflush(stdout);

  const fs::path work =
      fs::temp_directory_path() / ("sluice_kafka_bench_" + std::to_string(getpid()));
  fs::create_directories(work);
  WriteProject(servers, work / "pipeline");
  Peer peer = MakePeer(partitions);
  double sluice_seconds = 0, peer_seconds = 0;
  int64_t sluice_rows = 0;
  int rounds = 0;
  for (int64_t from = 0; from < records; from += round, ++rounds) {
    const int64_t to = std::min(records, from + round);
    Produce(producer, from, to, bytes, partitions);
    std::vector<int64_t> ends(static_cast<size_t>(partitions));
    for (int p = 0; p < partitions; ++p) {
      int64_t low = 0;
      rd_kafka_query_watermark_offsets(producer, "events", p, &low, &ends[p], 10000);
      if (low > peer.next[p]) Die("the mock cluster dropped records: use a smaller ROUND");
    }
    int64_t rows = 0;
    sluice_seconds += sluice::bench::RunPipeline(work / "pipeline", &rows);
    sluice_rows += rows;
    const auto start = Clock::now();
    PeerRound(peer, servers, ends, work);
    peer_seconds += Since(start);
  }
  if (sluice_rows != records) Die("sluice read " + std::to_string(sluice_rows) + " records");
  if (peer.records != records) Die("the peer read " + std::to_string(peer.records) + " records");
  const double mb = static_cast<double>(records) * bytes / 1e6;
  std::printf("%lld records (%.0f MB) from Kafka into a bronze table, %d rounds:\n",
              static_cast<long long>(records), mb, rounds);
  std::printf("  sluice %.3f s (%.2f M records/s)\n", sluice_seconds,
              records / sluice_seconds / 1e6);
  std::printf("  librdkafka consumer + DuckDB to Parquet %.3f s (%.2f M records/s)\n", peer_seconds,
              records / peer_seconds / 1e6);
  std::printf("  ratio sluice / peer %.2f (goal <= 1.2)\n", sluice_seconds / peer_seconds);
  fs::remove_all(work);
  rd_kafka_destroy(producer);
  return 0;
}
