#include "sources/kafka_table.h"

#include "common/strings.h"

namespace sluice::sources {

namespace {

enum Column { kKey, kValue, kTopic, kPartition, kOffset, kTimestamp, kTimestampType, kHeaders };

void AppendHex(std::string& out, std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
}

// Headers as JSON, [{"key": "name", "value": "<hex>" or null}, ...], which the columns' SQL
// turns into Spark's array of structs (a table source has no nested types).
std::string HeadersJson(const KafkaRecord& record) {
  std::string out = "[";
  for (const auto& [name, value] : record.headers) {
    if (out.size() > 1) out += ",";
    out += "{\"key\":";
    AppendJsonString(out, name);
    out += ",\"value\":";
    if (value) {
      out += "\"";
      AppendHex(out, *value);
      out += "\"";
    } else {
      out += "null";
    }
    out += "}";
  }
  return out + "]";
}

class KafkaProducer final : public engine::TableProducer {
 public:
  KafkaProducer(std::unique_ptr<KafkaClient> client, bool headers, KafkaReadCounts& counts)
      : client_(std::move(client)), headers_(headers), counts_(counts) {}
  ~KafkaProducer() override { counts_.lost_offsets += client_->lost_offsets(); }

  Result<size_t> Fill(engine::ChunkWriter& writer) override {
    size_t rows = 0;
    while (rows < writer.capacity()) {
      SLUICE_ASSIGN_OR_RETURN(const KafkaRecord* record, client_->Next());
      if (record == nullptr) break;
      if (record->key) {
        writer.SetBlob(kKey, rows, *record->key);
      } else {
        writer.SetNull(kKey, rows);
      }
      if (record->value) {
        writer.SetBlob(kValue, rows, *record->value);
      } else {
        writer.SetNull(kValue, rows);
      }
      writer.SetString(kTopic, rows, record->topic);
      writer.SetInt32(kPartition, rows, record->partition);
      writer.SetInt64(kOffset, rows, record->offset);
      writer.SetTimestamp(kTimestamp, rows, record->timestamp_ms * 1000);
      writer.SetInt32(kTimestampType, rows, record->timestamp_type);
      if (headers_) {
        if (record->headers.empty()) {
          writer.SetNull(kHeaders, rows);
        } else {
          writer.SetString(kHeaders, rows, HeadersJson(*record));
        }
      }
      ++rows;
    }
    counts_.records += static_cast<int64_t>(rows);
    return rows;
  }

 private:
  std::unique_ptr<KafkaClient> client_;
  bool headers_;
  KafkaReadCounts& counts_;
};

}  // namespace

KafkaTable::KafkaTable(KafkaOptions options, std::vector<OffsetRange> ranges)
    : options_(std::move(options)), ranges_(std::move(ranges)) {
  using engine::SourceType;
  columns_ = {{"key", SourceType::kBlob},
              {"value", SourceType::kBlob},
              {"topic", SourceType::kVarchar},
              {"partition", SourceType::kInteger},
              {"offset", SourceType::kBigint},
              {"timestamp", SourceType::kTimestamp},
              {"timestampType", SourceType::kInteger}};
  if (options_.include_headers) columns_.push_back({"headers", SourceType::kVarchar});
}

Result<std::unique_ptr<engine::TableProducer>> KafkaTable::MakeProducer(
    const std::shared_ptr<void>& scan) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<KafkaClient> client, KafkaClient::Connect(options_));
  SLUICE_RETURN_IF_ERROR(client->StartReading(ranges_));
  return std::unique_ptr<engine::TableProducer>(
      new KafkaProducer(std::move(client), options_.include_headers, counts_));
}

std::string KafkaTable::SparkColumnsSql(const std::string& source_sql, bool include_headers) {
  std::string sql =
      "SELECT \"key\", \"value\", \"topic\", \"partition\", \"offset\", \"timestamp\", "
      "\"timestampType\"";
  if (include_headers) {
    sql +=
        ", list_transform(json_transform(\"headers\", '[{\"key\":\"VARCHAR\",\"value\":"
        "\"VARCHAR\"}]'), h -> struct_pack(\"key\" := h.\"key\", \"value\" := unhex(h.\"value\")))"
        " AS \"headers\"";
  }
  return sql + " FROM " + source_sql;
}

}  // namespace sluice::sources
