#include "runtime/kafka_source.h"

#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "common/strings.h"
#include "engine/table_source.h"
#include "sources/kafka_table.h"

namespace sluice::runtime {

namespace {

using sources::KafkaClient;
using sources::KafkaOptions;
using sources::OffsetBound;
using sources::PartitionWatermarks;
using sources::TopicPartition;

using Offsets = std::map<TopicPartition, int64_t>;

// The file of a stream's initial offsets in its checkpoint: sources/<key, escaped>.json.
std::string InitialOffsetsPath(const FlowCheckpoint& checkpoint, const std::string& key) {
  std::string name;
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      name += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof(escaped), "%%%02X", c);
      name += escaped;
    }
  }
  return checkpoint.dir() + "/sources/" + name + ".json";
}

// Where `bound` puts each partition: offsets (-1 and -2 resolved) or timestamps looked up.
// Specific offsets and timestamps must name every partition, as in Spark.
Result<Offsets> Resolve(KafkaClient& client, const OffsetBound& bound,
                        const std::vector<TopicPartition>& partitions,
                        const std::map<TopicPartition, PartitionWatermarks>& marks,
                        const std::string& option) {
  Offsets out;
  if (bound.kind == OffsetBound::Kind::kOffsets || bound.kind == OffsetBound::Kind::kTimestamps) {
    std::vector<std::string> specified, assigned;
    for (const auto& [partition, value] : bound.offsets) specified.push_back(partition.ToString());
    for (const TopicPartition& partition : partitions) assigned.push_back(partition.ToString());
    std::sort(specified.begin(), specified.end());
    std::sort(assigned.begin(), assigned.end());
    if (specified != assigned) {
      return InvalidArgument("If ", option,
                             " contains specific offsets, you must specify all TopicPartitions. "
                             "Use -1 for latest, -2 for earliest. Specified: [",
                             Join(specified, ", "), "] Assigned: [", Join(assigned, ", "), "]");
    }
  }
  std::map<TopicPartition, int64_t> timestamps;
  for (const TopicPartition& partition : partitions) {
    const PartitionWatermarks& mark = marks.at(partition);
    switch (bound.kind) {
      case OffsetBound::Kind::kEarliest:
        out[partition] = mark.low;
        break;
      case OffsetBound::Kind::kLatest:
        out[partition] = mark.high;
        break;
      case OffsetBound::Kind::kOffsets: {
        const int64_t value = bound.offsets.at(partition);
        out[partition] = value == sources::kLatestOffset     ? mark.high
                         : value == sources::kEarliestOffset ? mark.low
                                                             : value;
        break;
      }
      case OffsetBound::Kind::kTimestamp:
        timestamps[partition] = bound.timestamp_ms;
        break;
      case OffsetBound::Kind::kTimestamps:
        timestamps[partition] = bound.offsets.at(partition);
        break;
    }
  }
  if (timestamps.empty()) return out;
  SLUICE_ASSIGN_OR_RETURN(auto found, client.OffsetsForTimes(timestamps));
  for (const auto& [partition, timestamp] : timestamps) {
    std::optional<int64_t> offset = found[partition];
    if (!offset) {
      if (!bound.timestamp_falls_back_to_latest) {
        return InvalidArgument("No offset matched from request of topic-partition ",
                               partition.ToString(), " and timestamp ", timestamp, ".");
      }
      offset = marks.at(partition).high;
    }
    out[partition] = *offset;
  }
  return out;
}

// The stream's starting offsets: resolved on its first batch and kept, so that a stream
// that found nothing to read yet still starts where it first looked.
Result<Offsets> InitialOffsets(KafkaClient& client, const FlowCheckpoint& checkpoint,
                               io::FileSystem& fs, const std::string& key,
                               const std::vector<TopicPartition>& partitions,
                               const std::map<TopicPartition, PartitionWatermarks>& marks) {
  const std::string path = InitialOffsetsPath(checkpoint, key);
  auto stored = fs.ReadFile(path);
  if (stored.ok()) return sources::ParsePartitionOffsets(*stored, path);
  if (stored.status().code() != StatusCode::kNotFound) return stored.status();
  SLUICE_ASSIGN_OR_RETURN(Offsets offsets, Resolve(client, client.options().starting, partitions,
                                                   marks, "startingOffsets"));
  SLUICE_RETURN_IF_ERROR(fs.WriteFile(path, sources::PartitionOffsetsJson(offsets)));
  return offsets;
}

// maxOffsetsPerTrigger: each partition gets a share of the limit in proportion to its
// backlog, at least one offset, as Spark prorates it.
void LimitOffsets(int64_t limit, const Offsets& from, Offsets& until) {
  std::map<TopicPartition, int64_t> sizes;
  double total = 0;
  for (const auto& [partition, end] : until) {
    const int64_t size = end - from.at(partition);
    if (size > 0) {
      sizes[partition] = size;
      total += static_cast<double>(size);
    }
  }
  if (total < 1) return;
  for (auto& [partition, end] : until) {
    auto size = sizes.find(partition);
    if (size == sizes.end()) continue;
    const int64_t begin = from.at(partition);
    const double prorate = static_cast<double>(limit) * (static_cast<double>(size->second) / total);
    const auto share = static_cast<int64_t>(prorate < 1 ? std::ceil(prorate) : std::floor(prorate));
    const int64_t off = share > std::numeric_limits<int64_t>::max() - begin
                            ? std::numeric_limits<int64_t>::max()
                            : begin + share;
    end = std::min(end, off);
  }
}

}  // namespace

std::vector<sources::OffsetRange> RangesOf(const SourceOffset& offset) {
  std::vector<sources::OffsetRange> ranges;
  for (const PartitionRange& range : offset.partitions) {
    ranges.push_back({{range.topic, range.partition}, range.start, range.end});
  }
  return ranges;
}

Result<SourceOffset> PlanKafkaBatch(KafkaClient& client, const FlowCheckpoint& checkpoint,
                                    io::FileSystem& fs, const std::string& key, int64_t now_ms,
                                    std::optional<KafkaEnds>& update_ends, KafkaPlanNotes* notes) {
  const KafkaOptions& options = client.options();
  SLUICE_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, client.Partitions());
  SLUICE_ASSIGN_OR_RETURN(auto marks, client.Watermarks(partitions));
  const auto& committed = checkpoint.committed_sources();
  auto last = committed.find(key);
  Offsets from;
  if (last == committed.end()) {
    SLUICE_ASSIGN_OR_RETURN(from, InitialOffsets(client, checkpoint, fs, key, partitions, marks));
  } else {
    for (const PartitionRange& range : last->second.partitions) {
      const TopicPartition partition{range.topic, range.partition};
      if (marks.count(partition) == 0) {
        SLUICE_RETURN_IF_ERROR(client.DataLoss(partition.ToString() + " is gone"));
        continue;
      }
      from[partition] = range.end;
    }
  }
  Offsets until;
  for (const TopicPartition& partition : partitions) {
    const PartitionWatermarks& mark = marks.at(partition);
    auto start = from.find(partition);
    if (start == from.end()) {
      // A partition new since the stream started is read from its beginning, as in Spark.
      start = from.emplace(partition, mark.low).first;
    }
    if (start->second < mark.low) {
      SLUICE_RETURN_IF_ERROR(
          client.DataLoss("offsets " + std::to_string(start->second) + " to " +
                          std::to_string(mark.low - 1) + " of " + partition.ToString() +
                          " are not available any more (the partition holds offsets from " +
                          std::to_string(mark.low) + ")"));
      notes->lost_offsets += mark.low - start->second;
      start->second = mark.low;
    } else if (start->second > mark.high) {
      SLUICE_RETURN_IF_ERROR(client.DataLoss(
          partition.ToString() + "'s offset was changed from " + std::to_string(start->second) +
          " to " + std::to_string(mark.high) + ", some data may have been missed"));
      start->second = mark.high;
    }
    until[partition] = mark.high;
  }
  if (update_ends) {
    for (auto& [partition, end] : until) {
      auto limit = update_ends->find(partition);
      // A partition found after the update started waits for the next update.
      end =
          std::max(from.at(partition),
                   limit == update_ends->end() ? from.at(partition) : std::min(end, limit->second));
    }
  } else {
    update_ends = until;
  }
  if (options.max_offsets_per_trigger) LimitOffsets(*options.max_offsets_per_trigger, from, until);
  int64_t total = 0;
  for (const auto& [partition, end] : until) total += end - from.at(partition);
  // minOffsetsPerTrigger: too few new records wait for more, up to maxTriggerDelay after
  // the last batch.
  if (options.min_offsets_per_trigger && total < *options.min_offsets_per_trigger &&
      last != committed.end() &&
      now_ms - last->second.planned_at_ms < options.max_trigger_delay_ms) {
    until = from;
  }
  SourceOffset offset;
  offset.planned_at_ms = now_ms;
  for (const auto& [partition, end] : until) {
    offset.partitions.push_back({partition.topic, partition.partition, from.at(partition), end});
    notes->backlog_records += marks.at(partition).high - end;
  }
  return offset;
}

Result<std::vector<sources::OffsetRange>> KafkaBatchReadRanges(KafkaClient& client) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<TopicPartition> partitions, client.Partitions());
  SLUICE_ASSIGN_OR_RETURN(auto marks, client.Watermarks(partitions));
  SLUICE_ASSIGN_OR_RETURN(Offsets from, Resolve(client, client.options().starting, partitions,
                                                marks, "startingOffsets"));
  SLUICE_ASSIGN_OR_RETURN(
      Offsets until, Resolve(client, client.options().ending, partitions, marks, "endingOffsets"));
  std::vector<sources::OffsetRange> ranges;
  for (const TopicPartition& partition : partitions) {
    int64_t start = from.at(partition);
    if (start < marks.at(partition).low) {
      SLUICE_RETURN_IF_ERROR(
          client.DataLoss("offset " + std::to_string(start) + " of " + partition.ToString() +
                          " is not available any more (the partition holds offsets from " +
                          std::to_string(marks.at(partition).low) + ")"));
      start = marks.at(partition).low;
    }
    ranges.push_back({partition, start, std::min(until.at(partition), marks.at(partition).high)});
  }
  return ranges;
}

Status ReadKafkaRanges(engine::Connection& connection, const KafkaOptions& options,
                       std::vector<sources::OffsetRange> ranges, const std::string& table,
                       int64_t* lost_offsets) {
  auto source = std::make_shared<sources::KafkaTable>(options, std::move(ranges));
  SLUICE_ASSIGN_OR_RETURN(int64_t id, engine::RegisterTableSource(connection, source));
  Status status = connection.Execute(
      "CREATE TEMPORARY TABLE " + QuoteIdentifier(table) + " AS " +
      sources::KafkaTable::SparkColumnsSql(engine::TableSourceCall(id), options.include_headers));
  engine::UnregisterTableSource(id);
  *lost_offsets += source->counts().lost_offsets;
  return status;
}

std::string KafkaColumnsOnlySql(bool include_headers) {
  std::string sql =
      "SELECT NULL::BLOB AS \"key\", NULL::BLOB AS \"value\", NULL::VARCHAR AS \"topic\", "
      "NULL::INTEGER AS \"partition\", NULL::BIGINT AS \"offset\", NULL::TIMESTAMPTZ AS "
      "\"timestamp\", NULL::INTEGER AS \"timestampType\"";
  if (include_headers) sql += ", NULL::STRUCT(\"key\" VARCHAR, \"value\" BLOB)[] AS \"headers\"";
  return sql + " WHERE false";
}

}  // namespace sluice::runtime
