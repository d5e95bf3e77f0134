// Kafka records as rows DuckDB reads: a table source (engine/table_source.h) over offset
// ranges, with Spark's Kafka columns. DuckDB reads it with one thread; each scan reads the
// ranges from Kafka again, so callers scan it once into a table.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "engine/table_source.h"
#include "sources/kafka_client.h"
#include "sources/kafka_options.h"

namespace sluice::sources {

// What the scans of a KafkaTable read.
struct KafkaReadCounts {
  std::atomic<int64_t> records{0};
  std::atomic<int64_t> lost_offsets{0};  // failOnDataLoss false: offsets gone from Kafka
};

class KafkaTable final : public engine::TableSource {
 public:
  KafkaTable(KafkaOptions options, std::vector<OffsetRange> ranges);

  const std::vector<engine::SourceColumn>& columns() const override { return columns_; }
  Result<std::unique_ptr<engine::TableProducer>> MakeProducer(
      const std::shared_ptr<void>& scan) override;

  const KafkaReadCounts& counts() const { return counts_; }

  // The SQL of Spark's columns over `source_sql` (the table source, or a table it was
  // scanned into): key, value, topic, partition, offset, timestamp, timestampType and, with
  // includeHeaders, headers ARRAY<STRUCT<key STRING, value BINARY>>.
  static std::string SparkColumnsSql(const std::string& source_sql, bool include_headers);

 private:
  KafkaOptions options_;
  std::vector<OffsetRange> ranges_;
  std::vector<engine::SourceColumn> columns_;
  KafkaReadCounts counts_;
};

}  // namespace sluice::sources
