#include "delta/write.h"

#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"
#include "common/uuid.h"
#include "delta/data_skipping_scan.h"
#include "delta/file_writer.h"
#include "delta/protocol.h"
#include "delta/row_deletion.h"
#include "delta/scan.h"
#include "delta/table_properties.h"
#include "delta/transaction.h"
#include "delta/write_internal.h"

namespace sluice::delta {

Result<Schema> SchemaOfQuery(engine::Connection& connection, const std::string& source_sql) {
  Result<engine::QueryResult> described = connection.Query("DESCRIBE " + source_sql);
  if (!described.ok()) return described.status().WithContext("the query to write is invalid");
  std::vector<StructField> fields;
  for (const auto& row : described->rows()) {
    std::string name = row[0].ToString();
    std::string type = row[1].ToString();
    Result<DataTypePtr> delta_type = FromDuckDbType(type);
    if (!delta_type.ok()) {
      return delta_type.status().WithContext("column '" + name + "'");
    }
    StructField field;
    field.name = name;
    field.type = *delta_type;
    field.nullable = true;
    fields.push_back(std::move(field));
  }
  return Schema(std::move(fields));
}

namespace {

bool ContainsTimestampNtz(const DataType& type) {
  switch (type.kind()) {
    case TypeKind::kTimestampNtz:
      return true;
    case TypeKind::kStruct:
      for (const StructField& field : type.fields()) {
        if (ContainsTimestampNtz(*field.type)) return true;
      }
      return false;
    case TypeKind::kArray:
      return ContainsTimestampNtz(*type.element_type());
    case TypeKind::kMap:
      return ContainsTimestampNtz(*type.key_type()) || ContainsTimestampNtz(*type.value_type());
    default:
      return false;
  }
}

bool ContainsTimestampNtz(const Schema& schema) { return ContainsTimestampNtz(*schema.AsStruct()); }

// The smallest protocol that supports everything both protocols support.
Protocol MergeProtocols(const Protocol& a, const Protocol& b) {
  Protocol merged;
  merged.min_reader_version = std::max(a.min_reader_version, b.min_reader_version);
  merged.min_writer_version = std::max(a.min_writer_version, b.min_writer_version);
  if (merged.min_writer_version == 7) {
    std::set<std::string> features = WriterFeatures(a);
    for (const std::string& feature : WriterFeatures(b)) features.insert(feature);
    merged.writer_features = std::vector<std::string>(features.begin(), features.end());
  }
  if (merged.min_reader_version == 3) {
    std::set<std::string> features = ReaderFeatures(a);
    for (const std::string& feature : ReaderFeatures(b)) features.insert(feature);
    merged.reader_features = std::vector<std::string>(features.begin(), features.end());
  }
  return merged;
}

std::string ModeName(WriteMode mode) {
  switch (mode) {
    case WriteMode::kAppend:
      return "Append";
    case WriteMode::kOverwrite:
      return "Overwrite";
    case WriteMode::kErrorIfExists:
      return "ErrorIfExists";
    case WriteMode::kIgnore:
      return "Ignore";
  }
  return "Append";
}

Result<Metadata> NewTableMetadata(const Schema& schema, const WriteOptions& options, int64_t now) {
  for (const std::string& column : options.partition_by) {
    if (schema.Find(column) == nullptr) {
      std::vector<std::string> names;
      for (const StructField& field : schema.fields()) names.push_back(field.name);
      return InvalidArgument("partition column '", column, "' is not a column of the data (",
                             Join(names, ", "), ")");
    }
  }
  Metadata metadata;
  metadata.id = NewUuid();
  metadata.name = options.table_name;
  metadata.description = options.description;
  metadata.schema_string = SerializeSchema(schema);
  metadata.partition_columns = options.partition_by;
  metadata.configuration = options.table_properties;
  metadata.created_time = now;
  return metadata;
}

}  // namespace

Status EvolveSchemaForWrite(const std::string& table_root, const Snapshot& snapshot,
                            const Schema& incoming, bool merge_schema, Transaction& txn,
                            Metadata& metadata, Protocol& protocol) {
  metadata = snapshot.metadata();
  protocol = snapshot.protocol();
  if (snapshot.schema() == nullptr) {
    return InvalidArgument(table_root, " has no schema yet; write with overwrite_schema");
  }
  Result<Schema> merged = MergeSchemaForWrite(*snapshot.schema(), incoming, merge_schema);
  if (!merged.ok()) {
    return merged.status().WithContext("cannot write to " + table_root);
  }
  std::string merged_text = SerializeSchema(*merged);
  if (merged_text != metadata.schema_string) {
    metadata.schema_string = merged_text;
    if (ContainsTimestampNtz(*merged)) {
      Protocol needed = MinimalProtocolForNewTable(metadata.configuration, true);
      Protocol upgraded = MergeProtocols(protocol, needed);
      if (!(upgraded == protocol)) {
        protocol = upgraded;
        txn.SetProtocol(protocol);
      }
    }
    txn.SetMetadata(metadata);
  }
  return Status::OK();
}

Result<DataFileOptions> DataFileOptionsFor(const Schema& schema, const Metadata& metadata,
                                           const Protocol& protocol) {
  DataFileOptions options;
  options.schema = &schema;
  options.partition_columns = metadata.partition_columns;
  SLUICE_ASSIGN_OR_RETURN(options.column_mapping_mode, GetColumnMappingMode(protocol, metadata));
  options.configuration = metadata.configuration;
  options.data_change = true;
  options.column_defaults = SupportsWriterFeature(protocol, feature::kAllowColumnDefaults);
  return options;
}

Status StageChangeDataFiles(engine::Connection& connection, const std::string& table_root,
                            const std::string& changes_sql, DataFileOptions options,
                            Transaction& txn) {
  options.subdirectory = "_change_data";
  options.extra_columns = {"_change_type"};
  options.data_change = false;
  SLUICE_ASSIGN_OR_RETURN(std::vector<AddFile> files,
                          WriteDataFiles(connection, table_root, changes_sql, options));
  for (AddFile& file : files) {
    AddCdcFile cdc;
    cdc.path = std::move(file.path);
    cdc.partition_values = std::move(file.partition_values);
    cdc.size = file.size;
    txn.AddCdcFile(std::move(cdc));
  }
  return Status::OK();
}

Result<WriteResult> WriteTable(const DeltaContext& context, const std::string& table_root,
                               const std::string& source_sql, const WriteOptions& options) {
  WriteResult result;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          Transaction::Begin(context, table_root));
  const Snapshot* snapshot = txn->read_snapshot();
  if (snapshot && options.app_id) {
    std::optional<int64_t> done = snapshot->TransactionVersion(*options.app_id);
    if (done && *done >= options.app_version) {
      result.skipped = true;
      return result;
    }
  }
  if (snapshot && options.mode == WriteMode::kErrorIfExists) {
    return AlreadyExists("table ", table_root, " already exists (version ", snapshot->version(),
                         ")");
  }
  if (snapshot && options.mode == WriteMode::kIgnore) {
    result.skipped = true;
    return result;
  }

  SLUICE_ASSIGN_OR_RETURN(Schema incoming, SchemaOfQuery(*context.connection, source_sql));
  int64_t now = context.clock->NowMillis();
  Metadata metadata;
  Protocol protocol;
  if (!snapshot || (options.mode == WriteMode::kOverwrite && options.overwrite_schema)) {
    SLUICE_ASSIGN_OR_RETURN(metadata, NewTableMetadata(incoming, options, now));
    if (snapshot) {
      metadata.id = snapshot->metadata().id;
      metadata.created_time = snapshot->metadata().created_time;
      if (options.table_properties.empty()) metadata.configuration = snapshot->configuration();
    }
    protocol = MinimalProtocolForNewTable(metadata.configuration, ContainsTimestampNtz(incoming));
    if (snapshot) protocol = MergeProtocols(snapshot->protocol(), protocol);
    // Properties that ask for a protocol are applied to it, not stored, as Spark does.
    std::erase_if(metadata.configuration,
                  [](const auto& entry) { return IsProtocolProperty(entry.first); });
    txn->SetProtocol(protocol);
    txn->SetMetadata(metadata);
  } else {
    SLUICE_RETURN_IF_ERROR(EvolveSchemaForWrite(table_root, *snapshot, incoming,
                                                options.merge_schema, *txn, metadata, protocol));
  }

  SLUICE_ASSIGN_OR_RETURN(Schema schema, ParseSchema(*metadata.schema_string));
  SLUICE_ASSIGN_OR_RETURN(DataFileOptions file_options,
                          DataFileOptionsFor(schema, metadata, protocol));
  for (const StructField& field : incoming.fields())
    file_options.source_columns.push_back(field.name);
  SLUICE_ASSIGN_OR_RETURN(
      std::vector<AddFile> files,
      WriteDataFiles(*context.connection, table_root, source_sql, file_options));

  if (options.mode == WriteMode::kOverwrite && snapshot) {
    result.files_removed = static_cast<int64_t>(snapshot->files().size());
    txn->RemoveAllFiles();
  }
  for (AddFile& file : files) {
    result.rows_written += NumRecords(file).value_or(0);
    result.bytes_written += file.size;
    ++result.files_added;
    txn->AddFile(std::move(file));
  }
  if (options.app_id) txn->SetApplicationTransaction(*options.app_id, options.app_version);

  std::map<std::string, std::string> parameters{{"mode", ModeName(options.mode)}};
  nlohmann::json partition_by = metadata.partition_columns;
  parameters["partitionBy"] = partition_by.dump();
  txn->SetOperation(snapshot ? options.operation : "CREATE TABLE AS SELECT", parameters);
  txn->SetOperationMetric("numFiles", result.files_added);
  txn->SetOperationMetric("numOutputRows", result.rows_written);
  txn->SetOperationMetric("numOutputBytes", result.bytes_written);
  if (result.files_removed > 0) txn->SetOperationMetric("numRemovedFiles", result.files_removed);
  SLUICE_ASSIGN_OR_RETURN(CommitResult commit, txn->Commit());
  result.version = commit.version;
  return result;
}

Result<DeleteResult> DeleteRows(const DeltaContext& context, const std::string& table_root,
                                const std::string& predicate) {
  DeleteResult result;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          Transaction::Begin(context, table_root));
  const Snapshot* snapshot = txn->read_snapshot();
  if (snapshot == nullptr) return NotFound("not a Delta table: ", table_root);
  std::string condition = predicate.empty() ? "true" : predicate;
  txn->ReadEverything();
  int64_t now = context.clock->NowMillis();

  // The matches among the files data skipping keeps.
  SLUICE_ASSIGN_OR_RETURN(std::vector<const AddFile*> candidates,
                          FilesToScan(context, *snapshot, predicate));
  TouchedFiles touched(WritesDeletionVectors(snapshot->protocol(), snapshot->metadata()));
  if (Status found = touched.Find(context, *snapshot, candidates, {}, condition); !found.ok()) {
    return found.WithContext("DELETE on " + table_root);
  }
  if (touched.all().empty()) return result;
  result.rows_deleted = touched.rows_deleted();
  result.rows_copied = touched.rows_copied();
  result.files_removed = touched.files_removed();
  if (Status staged = touched.Stage(context, *snapshot, now, *txn); !staged.ok()) {
    return staged.WithContext("DELETE on " + table_root);
  }
  const std::vector<const AddFile*>& rewrite = touched.rewrite();

  SLUICE_ASSIGN_OR_RETURN(
      DataFileOptions file_options,
      DataFileOptionsFor(*snapshot->schema(), snapshot->metadata(), snapshot->protocol()));
  if (!rewrite.empty()) {
    ScanOptions keep_options;
    keep_options.files = rewrite;
    SLUICE_ASSIGN_OR_RETURN(ScanPlan keep_plan, PlanScan(context, *snapshot, keep_options));
    std::string keep_sql =
        "SELECT * FROM (" + keep_plan.sql + ") WHERE NOT coalesce((" + condition + "), false)";
    Result<std::vector<AddFile>> files =
        WriteDataFiles(*context.connection, table_root, keep_sql, file_options);
    (void)ReleaseScan(*context.connection, keep_plan);
    if (!files.ok()) return files.status().WithContext("DELETE on " + table_root);
    for (AddFile& file : *files) {
      ++result.files_added;
      txn->AddFile(std::move(file));
    }
  }
  // With the Change Data Feed on, a commit that rewrites or marks files must record its
  // deleted rows in change-data files (readers then use only those for this version).
  // Removing whole files needs none: readers derive the deletes from the removes.
  if ((!rewrite.empty() || !touched.marked().empty()) &&
      ChangeDataFeedEnabled(snapshot->configuration())) {
    ScanOptions deleted_options;
    deleted_options.files = touched.all();
    SLUICE_ASSIGN_OR_RETURN(ScanPlan deleted_plan, PlanScan(context, *snapshot, deleted_options));
    std::string deleted_sql = "SELECT *, 'delete' AS _change_type FROM (" + deleted_plan.sql +
                              ") WHERE coalesce((" + condition + "), false)";
    Status staged =
        StageChangeDataFiles(*context.connection, table_root, deleted_sql, file_options, *txn);
    (void)ReleaseScan(*context.connection, deleted_plan);
    if (!staged.ok()) return staged.WithContext("DELETE on " + table_root);
  }
  txn->SetOperation("DELETE",
                    {{"predicate", nlohmann::json(std::vector<std::string>{condition}).dump()}});
  txn->SetOperationMetric("numDeletedRows", result.rows_deleted);
  txn->SetOperationMetric("numCopiedRows", result.rows_copied);
  txn->SetOperationMetric("numRemovedFiles", result.files_removed);
  txn->SetOperationMetric("numAddedFiles", result.files_added);
  SLUICE_ASSIGN_OR_RETURN(CommitResult commit, txn->Commit());
  result.version = commit.version;
  return result;
}

}  // namespace sluice::delta
