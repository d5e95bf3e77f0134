#include "delta/checkpoint_writer.h"

#include <atomic>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/sync_point.h"
#include "common/uuid.h"
#include "delta/action_json.h"
#include "delta/log_segment.h"

namespace sluice::delta {
namespace {

// The checkpoint schema (PROTOCOL.md "Checkpoint Schema") as json_transform structures.
constexpr const char* kMap = "\"MAP(VARCHAR, VARCHAR)\"";
constexpr const char* kDeletionVector =
    R"({"storageType":"VARCHAR","pathOrInlineDv":"VARCHAR","offset":"INTEGER","sizeInBytes":"INTEGER","cardinality":"BIGINT"})";

std::string TxnStructure() {
  return R"({"appId":"VARCHAR","version":"BIGINT","lastUpdated":"BIGINT"})";
}
std::string AddStructure() {
  return std::string(R"({"path":"VARCHAR","partitionValues":)") + kMap +
         R"(,"size":"BIGINT","modificationTime":"BIGINT","dataChange":"BOOLEAN","stats":"VARCHAR","tags":)" +
         kMap + R"(,"deletionVector":)" + kDeletionVector +
         R"(,"baseRowId":"BIGINT","defaultRowCommitVersion":"BIGINT","clusteringProvider":"VARCHAR"})";
}
std::string RemoveStructure() {
  return std::string(
             R"({"path":"VARCHAR","deletionTimestamp":"BIGINT","dataChange":"BOOLEAN","extendedFileMetadata":"BOOLEAN","partitionValues":)") +
         kMap + R"(,"size":"BIGINT","deletionVector":)" + kDeletionVector +
         R"(,"baseRowId":"BIGINT","defaultRowCommitVersion":"BIGINT"})";
}
std::string MetadataStructure() {
  return std::string(
             R"({"id":"VARCHAR","name":"VARCHAR","description":"VARCHAR","format":{"provider":"VARCHAR","options":)") +
         kMap + R"(},"schemaString":"VARCHAR","partitionColumns":["VARCHAR"],"configuration":)" +
         kMap + R"(,"createdTime":"BIGINT"})";
}
std::string ProtocolStructure(bool with_features) {
  if (!with_features) return R"({"minReaderVersion":"INTEGER","minWriterVersion":"INTEGER"})";
  return R"({"minReaderVersion":"INTEGER","minWriterVersion":"INTEGER","readerFeatures":["VARCHAR"],"writerFeatures":["VARCHAR"]})";
}
std::string DomainStructure() {
  return R"({"domain":"VARCHAR","configuration":"VARCHAR","removed":"BOOLEAN"})";
}

std::string Column(const char* key, const std::string& structure) {
  return "json_transform(line -> " + QuoteLiteral(std::string("$.") + key) + ", " +
         QuoteLiteral(structure) + ") AS " + QuoteIdentifier(key);
}

std::string UniqueTable() {
  static std::atomic<uint64_t> counter{0};
  return "__sluice_checkpoint_" + std::to_string(++counter);
}

}  // namespace

Status WriteCheckpoint(io::FileSystem& fs, engine::Connection& connection,
                       const std::string& table_root, int64_t version,
                       const std::vector<Action>& actions) {
  std::string log_dir = LogDirectory(table_root);
  std::string final_path = io::JoinPath(log_dir, PadNumber(version, 20) + ".checkpoint.parquet");
  std::string temp_path = io::JoinPath(
      log_dir, "." + PadNumber(version, 20) + ".checkpoint." + NewUuid() + ".parquet.tmp");
  bool with_features = false;
  bool has_domains = false;
  int64_t num_adds = 0;
  for (const Action& action : actions) {
    if (const auto* protocol = std::get_if<Protocol>(&action)) {
      with_features =
          protocol->reader_features.has_value() || protocol->writer_features.has_value();
    }
    has_domains |= std::holds_alternative<DomainMetadata>(action);
    num_adds += std::holds_alternative<AddFile>(action);
  }

  SLUICE_SYNC_POINT("delta.checkpoint.before_parquet");
  std::string table = UniqueTable();
  SLUICE_RETURN_IF_ERROR(connection.Execute("CREATE TEMP TABLE " + table + " (line JSON)"));
  auto drop = [&] { (void)connection.Execute("DROP TABLE IF EXISTS " + table); };
  {
    Result<std::unique_ptr<engine::Appender>> appender = connection.MakeAppender(table);
    if (!appender.ok()) {
      drop();
      return appender.status();
    }
    for (const Action& action : actions) {
      Status status = (*appender)->Append(engine::Value::Text(SerializeAction(action)));
      if (status.ok()) status = (*appender)->EndRow();
      if (!status.ok()) {
        drop();
        return status;
      }
    }
    Status closed = (*appender)->Close();
    if (!closed.ok()) {
      drop();
      return closed;
    }
  }
  std::vector<std::string> columns{Column("txn", TxnStructure()), Column("add", AddStructure()),
                                   Column("remove", RemoveStructure()),
                                   Column("metaData", MetadataStructure()),
                                   Column("protocol", ProtocolStructure(with_features))};
  if (has_domains) columns.push_back(Column("domainMetadata", DomainStructure()));
  Status written =
      connection.Execute("COPY (SELECT " + Join(columns, ", ") + " FROM " + table + ") TO " +
                         QuoteLiteral(temp_path) + " (FORMAT parquet, COMPRESSION snappy)");
  drop();
  if (!written.ok()) {
    (void)fs.DeleteFile(temp_path);
    return written.WithContext("writing checkpoint " + final_path);
  }
  SLUICE_SYNC_POINT("delta.checkpoint.before_rename");
  Status renamed = fs.Rename(temp_path, final_path);
  if (!renamed.ok()) {
    // Readers ignore the temp file, but a writer that lives on must not leave it behind.
    (void)fs.DeleteFile(temp_path);
    return renamed.WithContext("writing checkpoint " + final_path);
  }
  SLUICE_ASSIGN_OR_RETURN(io::FileInfo info, fs.Stat(final_path));

  SLUICE_SYNC_POINT("delta.checkpoint.before_last_checkpoint");
  nlohmann::ordered_json hint;
  hint["version"] = version;
  hint["size"] = actions.size();
  hint["sizeInBytes"] = info.size;
  hint["numOfAddFiles"] = num_adds;
  return fs.WriteFile(io::JoinPath(log_dir, "_last_checkpoint"), hint.dump());
}

}  // namespace sluice::delta
