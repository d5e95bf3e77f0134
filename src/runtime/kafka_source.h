// Kafka sources of flows (docs/kafka.md): which offsets a batch reads, and reading them.
//
// A stream's batch reads, per partition, from where the last committed batch ended (its
// first batch from startingOffsets, resolved once and kept in the checkpoint, so that
// "latest" means the latest when the stream started, as in Spark) up to the latest offset,
// or less under maxOffsetsPerTrigger (prorated over the partitions by their backlog, as
// Spark does). The chosen offsets are written to the checkpoint before the batch runs and
// committed with its Delta commit, so a rerun after a crash reads exactly the same records.
// A batch read reads [startingOffsets, endingOffsets) of every partition.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "engine/engine.h"
#include "io/file_system.h"
#include "runtime/checkpoint.h"
#include "sources/kafka_client.h"
#include "sources/kafka_options.h"

namespace sluice::runtime {

// Where each partition of a Kafka source ended when an update first planned a batch of it:
// the update's later batches read up to there and no further, so that an update ends
// even while producers keep writing (Spark's Trigger.AvailableNow).
using KafkaEnds = std::map<sources::TopicPartition, int64_t>;

// What planning a stream's batch decided besides its offsets.
struct KafkaPlanNotes {
  int64_t backlog_records = 0;  // offsets left for later batches (maxOffsetsPerTrigger)
  int64_t lost_offsets = 0;     // failOnDataLoss false: offsets that were gone
};

// The offsets of the next batch of the stream `key` whose checkpoint is `checkpoint`
// (every partition, start == end where there is nothing to read), up to `update_ends`
// when it is set, else to the latest offsets, which it is then set to.
Result<SourceOffset> PlanKafkaBatch(sources::KafkaClient& client, const FlowCheckpoint& checkpoint,
                                    io::FileSystem& fs, const std::string& key, int64_t now_ms,
                                    std::optional<KafkaEnds>& update_ends, KafkaPlanNotes* notes);

// The ranges of a batch (non-streaming) read.
Result<std::vector<sources::OffsetRange>> KafkaBatchReadRanges(sources::KafkaClient& client);

std::vector<sources::OffsetRange> RangesOf(const SourceOffset& offset);

// Reads the ranges into the new temporary table `table` with Spark's Kafka columns; adds
// the offsets found gone (failOnDataLoss false) to *lost_offsets.
Status ReadKafkaRanges(engine::Connection& connection, const sources::KafkaOptions& options,
                       std::vector<sources::OffsetRange> ranges, const std::string& table,
                       int64_t* lost_offsets);

// The SQL of an empty relation with a Kafka source's columns (analysis binds this: it
// never connects to Kafka).
std::string KafkaColumnsOnlySql(bool include_headers);

}  // namespace sluice::runtime
