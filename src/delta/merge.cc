#include "delta/merge.h"

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "delta/data_skipping_scan.h"
#include "delta/file_writer.h"
#include "delta/partition_values.h"
#include "delta/predicate.h"
#include "delta/row_deletion.h"
#include "delta/scan.h"
#include "delta/table_properties.h"
#include "delta/transaction.h"
#include "delta/write.h"
#include "delta/write_internal.h"

namespace sluice::delta {
namespace {

// A table created by another writer between our look and our create is merged into on a
// second attempt.
constexpr int kAttempts = 2;

// A temporary table of the connection, dropped when this goes out of scope.
class TempTable {
 public:
  TempTable(engine::Connection& connection, const char* prefix) : connection_(connection) {
    static std::atomic<uint64_t> counter{0};
    name_ = std::string(prefix) + std::to_string(++counter);
  }
  ~TempTable() {
    if (created_) (void)connection_.Execute("DROP TABLE IF EXISTS " + name_);
  }
  TempTable(const TempTable&) = delete;
  TempTable& operator=(const TempTable&) = delete;

  Status Create(const std::string& select_sql) {
    SLUICE_RETURN_IF_ERROR(connection_.Execute("CREATE TEMP TABLE " + name_ + " AS " + select_sql));
    created_ = true;
    return Status::OK();
  }
  const std::string& name() const { return name_; }

 private:
  engine::Connection& connection_;
  std::string name_;
  bool created_ = false;
};

// A planned scan whose temporary tables are dropped when this goes out of scope.
class PlannedScan {
 public:
  explicit PlannedScan(engine::Connection& connection) : connection_(connection) {}
  ~PlannedScan() { (void)ReleaseScan(connection_, plan_); }
  PlannedScan(const PlannedScan&) = delete;
  PlannedScan& operator=(const PlannedScan&) = delete;

  Status Plan(const DeltaContext& context, const Snapshot& snapshot, const ScanOptions& options) {
    SLUICE_ASSIGN_OR_RETURN(plan_, PlanScan(context, snapshot, options));
    return Status::OK();
  }
  const ScanPlan& plan() const { return plan_; }

 private:
  engine::Connection& connection_;
  ScanPlan plan_;
};

// `row.k IS NOT DISTINCT FROM key.k AND ...` over the key columns.
std::string KeyCondition(const std::vector<const StructField*>& keys, const std::string& row,
                         const std::string& key) {
  std::vector<std::string> parts;
  for (const StructField* field : keys) {
    std::string name = QuoteIdentifier(field->name);
    parts.push_back(row + "." + name + " IS NOT DISTINCT FROM " + key + "." + name);
  }
  return Join(parts, " AND ");
}

// The SQL literal of a key bound (DuckDB's text of a value of `type`) that data skipping
// understands, or nullopt when there is none. Floating point keys get none: NaN sorts above
// every number in DuckDB but not in every writer's statistics.
std::optional<std::string> BoundLiteral(const engine::Value& value, const DataType& type) {
  if (value.is_null()) return std::nullopt;
  std::string text = value.ToString();
  if (type.kind() == TypeKind::kString) return QuoteLiteral(text);
  if (type.kind() == TypeKind::kFloat || type.kind() == TypeKind::kDouble) return std::nullopt;
  Result<std::optional<std::string>> delta_text = SerializePartitionValue(text, type);
  if (!delta_text.ok() || !delta_text->has_value()) return std::nullopt;
  Result<std::string> literal = DeltaTextToSql(**delta_text, type, "", "key");
  if (!literal.ok()) return std::nullopt;
  return *literal;
}

struct KeyRange {
  int64_t keys = 0;
  // True for every row whose key may be among the keys (for data skipping only).
  std::string filter;
};

// Per key column, the keys' [min, max] (OR IS NULL when some key is NULL), ANDed.
Result<KeyRange> KeyRangeOf(engine::Connection& connection, const std::string& keys_table,
                            const std::vector<const StructField*>& keys) {
  std::vector<std::string> aggregates{"count(*)"};
  for (const StructField* field : keys) {
    std::string name = QuoteIdentifier(field->name);
    if (field->type->is_nested()) {
      aggregates.push_back("NULL");
      aggregates.push_back("NULL");
    } else {
      aggregates.push_back("CAST(min(" + name + ") AS VARCHAR)");
      aggregates.push_back("CAST(max(" + name + ") AS VARCHAR)");
    }
    aggregates.push_back("bool_or(" + name + " IS NULL)");
  }
  SLUICE_ASSIGN_OR_RETURN(
      engine::QueryResult bounds,
      connection.Query("SELECT " + Join(aggregates, ", ") + " FROM " + keys_table));
  KeyRange range;
  range.keys = std::get<int64_t>(bounds.at(0, 0).data);
  std::vector<std::string> terms;
  for (size_t i = 0; i < keys.size() && range.keys > 0; ++i) {
    const StructField& field = *keys[i];
    std::string column = ColumnPathToSql({field.name});
    const engine::Value& min = bounds.at(0, 1 + 3 * i);
    const engine::Value& max = bounds.at(0, 2 + 3 * i);
    bool some_null =
        !bounds.at(0, 3 + 3 * i).is_null() && std::get<bool>(bounds.at(0, 3 + 3 * i).data);
    std::optional<std::string> low = BoundLiteral(min, *field.type);
    std::optional<std::string> high = BoundLiteral(max, *field.type);
    if (min.is_null() && max.is_null() && !field.type->is_nested()) {
      terms.push_back(column + " IS NULL");  // every key is NULL in this column
    } else if (low && high) {
      std::string between = column + " BETWEEN " + *low + " AND " + *high;
      terms.push_back(some_null ? "(" + column + " IS NULL OR " + between + ")" : between);
    }
  }
  range.filter = Join(terms, " AND ");
  return range;
}

// Live rows of the snapshot: numRecords less deletion-vector rows, or a count when some file
// has no numRecords.
Result<int64_t> LiveRows(const DeltaContext& context, const Snapshot& snapshot) {
  int64_t rows = 0;
  for (const AddFile& file : snapshot.files()) {
    std::optional<int64_t> records = NumRecords(file);
    if (!records) {
      PlannedScan scan(*context.connection);
      SLUICE_RETURN_IF_ERROR(scan.Plan(context, snapshot, {}));
      SLUICE_ASSIGN_OR_RETURN(
          engine::QueryResult counted,
          context.connection->Query("SELECT count(*) FROM (" + scan.plan().sql + ")"));
      return std::get<int64_t>(counted.at(0, 0).data);
    }
    rows += *records - (file.deletion_vector ? file.deletion_vector->cardinality : 0);
  }
  return rows;
}

// The merge into an existing table, staged on `txn` and committed.
Result<MergeResult> MergeInto(const DeltaContext& context, Transaction& txn,
                              const MergeOptions& options) {
  const Snapshot& snapshot = *txn.read_snapshot();
  const std::string& table_root = txn.table_root();
  const std::string where = "MERGE into " + table_root;
  engine::Connection& connection = *context.connection;
  MergeResult result;
  if (options.app_id) {
    std::optional<int64_t> done = snapshot.TransactionVersion(*options.app_id);
    if (done && *done >= options.app_version) {
      result.skipped = true;
      return result;
    }
  }

  Metadata metadata = snapshot.metadata();
  Protocol protocol = snapshot.protocol();
  if (!options.rows_sql.empty()) {
    Result<Schema> incoming = SchemaOfQuery(connection, options.rows_sql);
    if (!incoming.ok()) return incoming.status().WithContext(where);
    SLUICE_RETURN_IF_ERROR(
        EvolveSchemaForWrite(table_root, snapshot, *incoming, true, txn, metadata, protocol));
  } else if (snapshot.schema() == nullptr) {
    return InvalidArgument(where, ": the table has no schema yet");
  }
  SLUICE_ASSIGN_OR_RETURN(Schema schema, ParseSchema(*metadata.schema_string));
  SLUICE_ASSIGN_OR_RETURN(DataFileOptions file_options,
                          DataFileOptionsFor(schema, metadata, protocol));

  std::vector<const StructField*> keys;
  bool by_key = !options.replace_all && !options.keys_sql.empty();
  if (by_key) {
    if (options.key_columns.empty()) {
      return InvalidArgument(where, ": keys_sql needs key_columns");
    }
    for (const std::string& name : options.key_columns) {
      const StructField* field = snapshot.schema()->Find(name);
      if (field == nullptr) {
        std::vector<std::string> names;
        for (const StructField& column : snapshot.schema()->fields()) names.push_back(column.name);
        return InvalidArgument(where, ": key column '", name, "' is not a column of the table (",
                               Join(names, ", "), ")");
      }
      keys.push_back(field);
    }
  }
  // Which rows the merge removes depends on every file's rows.
  txn.ReadEverything();
  int64_t now = context.clock->NowMillis();

  TouchedFiles touched(WritesDeletionVectors(protocol, metadata));
  TempTable keys_table(connection, "__sluice_merge_keys_");
  std::string row_has_key;  // over the scan as __t and the keys table as __k
  if (options.replace_all) {
    SLUICE_ASSIGN_OR_RETURN(result.rows_removed, LiveRows(context, snapshot));
    result.files_removed = static_cast<int64_t>(snapshot.files().size());
    txn.RemoveAllFiles();
  } else if (by_key) {
    std::vector<std::string> columns;
    for (const StructField* field : keys) {
      std::string name = QuoteIdentifier(field->name);
      columns.push_back("CAST(__q." + name + " AS " + ToDuckDbType(*field->type) + ") AS " + name);
    }
    Status created = keys_table.Create("SELECT DISTINCT " + Join(columns, ", ") + " FROM (" +
                                       options.keys_sql + ") AS __q");
    if (!created.ok()) return created.WithContext(where + ": the keys query failed");
    row_has_key = "EXISTS (SELECT 1 FROM " + keys_table.name() + " AS __k WHERE " +
                  KeyCondition(keys, "__t", "__k") + ")";
    Result<KeyRange> range = KeyRangeOf(connection, keys_table.name(), keys);
    if (!range.ok()) return range.status().WithContext(where);

    std::vector<const AddFile*> candidates;
    if (range->keys > 0) {
      SLUICE_ASSIGN_OR_RETURN(candidates, FilesToScan(context, snapshot, range->filter));
    }
    if (!candidates.empty()) {
      std::vector<std::string> key_names;
      for (const StructField* field : keys) key_names.push_back(field->name);
      Status found = touched.Find(context, snapshot, candidates, key_names, row_has_key);
      if (!found.ok()) return found.WithContext(where);
      result.files_removed = touched.files_removed();
      result.rows_removed = touched.rows_deleted();
      result.rows_copied = touched.rows_copied();
      Status staged = touched.Stage(context, snapshot, now, txn);
      if (!staged.ok()) return staged.WithContext(where);
    }
  }
  const std::vector<const AddFile*>& rewrite = touched.rewrite();

  auto add_files = [&](std::vector<AddFile> files, int64_t* rows) {
    for (AddFile& file : files) {
      if (rows) *rows += NumRecords(file).value_or(0);
      result.bytes_written += file.size;
      ++result.files_added;
      txn.AddFile(std::move(file));
    }
  };
  if (!rewrite.empty()) {
    // The other rows of touched files, onto the merged schema (new columns NULL).
    ScanOptions keep_options;
    keep_options.files = rewrite;
    PlannedScan keep(connection);
    SLUICE_RETURN_IF_ERROR(keep.Plan(context, snapshot, keep_options));
    Result<std::vector<AddFile>> files = WriteDataFiles(
        connection, table_root,
        "SELECT __t.* FROM (" + keep.plan().sql + ") AS __t WHERE NOT " + row_has_key,
        file_options);
    if (!files.ok()) return files.status().WithContext(where);
    add_files(std::move(*files), nullptr);
  }

  // With the Change Data Feed on, a commit that rewrites or marks files records all its
  // changes in change-data files, so the new rows are read once, into a table both writes
  // use.
  bool record_changes = (!rewrite.empty() || !touched.marked().empty()) &&
                        ChangeDataFeedEnabled(metadata.configuration);
  TempTable rows_table(connection, "__sluice_merge_rows_");
  std::string rows_sql = options.rows_sql;
  if (record_changes && !rows_sql.empty()) {
    Status created = rows_table.Create("SELECT * FROM (" + options.rows_sql + ")");
    if (!created.ok()) return created.WithContext(where + ": the rows query failed");
    rows_sql = "SELECT * FROM " + rows_table.name();
  }
  if (!rows_sql.empty()) {
    Result<std::vector<AddFile>> written =
        WriteDataFiles(connection, table_root, rows_sql, file_options);
    if (!written.ok()) return written.status().WithContext(where);
    add_files(std::move(*written), &result.rows_written);
  }

  if (touched.all().empty() && result.files_added == 0 && !options.replace_all) {
    return result;  // nothing to change
  }
  if (record_changes) {
    PlannedScan deleted(connection);
    ScanOptions deleted_options;
    deleted_options.files = touched.all();
    SLUICE_RETURN_IF_ERROR(deleted.Plan(context, snapshot, deleted_options));
    Status staged = StageChangeDataFiles(connection, table_root,
                                         "SELECT __t.*, 'delete' AS _change_type FROM (" +
                                             deleted.plan().sql + ") AS __t WHERE " + row_has_key,
                                         file_options, txn);
    if (staged.ok() && !options.rows_sql.empty()) {
      staged = StageChangeDataFiles(connection, table_root,
                                    "SELECT *, 'insert' AS _change_type FROM " + rows_table.name(),
                                    file_options, txn);
    }
    if (!staged.ok()) return staged.WithContext(where);
  }

  std::string predicate = by_key ? KeyCondition(keys, "target", "source") : "true";
  txn.SetOperation(options.operation,
                   {{"predicate", nlohmann::json(std::vector<std::string>{predicate}).dump()}});
  txn.SetOperationMetric("numTargetRowsDeleted", result.rows_removed);
  txn.SetOperationMetric("numTargetRowsCopied", result.rows_copied);
  txn.SetOperationMetric("numTargetFilesRemoved", result.files_removed);
  txn.SetOperationMetric("numTargetFilesAdded", result.files_added);
  txn.SetOperationMetric("numOutputRows", result.rows_written + result.rows_copied);
  txn.SetOperationMetric("numTargetBytesAdded", result.bytes_written);
  for (const auto& [name, value] : options.extra_metrics) txn.SetOperationMetric(name, value);
  if (options.app_id) txn.SetApplicationTransaction(*options.app_id, options.app_version);
  SLUICE_ASSIGN_OR_RETURN(CommitResult commit, txn.Commit());
  result.version = commit.version;
  return result;
}

// Creates the table with the rows; AlreadyExists when another writer created it meanwhile.
Result<MergeResult> CreateWithRows(const DeltaContext& context, const std::string& table_root,
                                   const MergeOptions& options) {
  if (options.rows_sql.empty()) {
    return InvalidArgument("MERGE into ", table_root,
                           ": the table does not exist and there is no rows query to create it");
  }
  WriteOptions write;
  write.mode = WriteMode::kErrorIfExists;
  write.partition_by = options.partition_by;
  write.table_properties = options.table_properties;
  write.table_name = options.table_name;
  write.description = options.description;
  write.app_id = options.app_id;
  write.app_version = options.app_version;
  Result<WriteResult> written = WriteTable(context, table_root, options.rows_sql, write);
  if (!written.ok()) return written.status().WithContext("MERGE into " + table_root);
  MergeResult result;
  result.version = written->version;
  result.skipped = written->skipped;
  result.rows_written = written->rows_written;
  result.files_added = written->files_added;
  result.bytes_written = written->bytes_written;
  return result;
}

}  // namespace

Result<MergeResult> MergeRows(const DeltaContext& context, const std::string& table_root,
                              const MergeOptions& options) {
  for (int attempt = 1;; ++attempt) {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                            Transaction::Begin(context, table_root));
    if (txn->read_snapshot() != nullptr) return MergeInto(context, *txn, options);
    Result<MergeResult> created = CreateWithRows(context, table_root, options);
    if (created.ok() || !created.status().IsAlreadyExists() || attempt >= kAttempts) {
      return created;
    }
  }
}

}  // namespace sluice::delta
