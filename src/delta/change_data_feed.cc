#include "delta/change_data_feed.h"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <map>
#include <utility>

#include "common/strings.h"
#include "common/time_format.h"
#include "delta/deletion_vector.h"
#include "delta/log_segment.h"
#include "delta/partition_values.h"
#include "delta/paths.h"
#include "delta/scan.h"
#include "delta/table_properties.h"

namespace sluice::delta {
namespace {

constexpr const char* kInsert = "insert";
constexpr const char* kDelete = "delete";

// One row whose deletion-vector bit flipped in a commit without change data files.
struct RowChange {
  int64_t version;
  std::string path;  // resolved, as in the scan's `__sluice_file`
  uint64_t row_index;
  const char* change_type;
};

// The commit's changes, sorted into what each is read as.
struct CommitChanges {
  std::vector<AddFile> cdc_files;
  std::vector<AddFile> inserted;    // adds, read with their own deletion vectors
  std::vector<AddFile> deleted;     // removes as files, read with their deletion vectors
  std::vector<AddFile> dv_changed;  // files whose DV changed, read whole; rows in RowChange
  bool changes_data = false;
  std::optional<int64_t> in_commit_timestamp;
};

// Builds the plan; on failure the caller drops the temp tables already listed in `plan`.
class FeedPlanner {
 public:
  FeedPlanner(const DeltaContext& context, const std::string& table_root, ChangeFeedPlan* plan)
      : context_(context), table_root_(table_root), plan_(plan) {}

  Status Plan(std::optional<int64_t> requested_end);

 private:
  std::string Range() const {
    return "versions " + std::to_string(plan_->start_version) + " to " +
           std::to_string(plan_->end_version);
  }
  Status ReadVersion(int64_t version, Configuration* configuration);
  Result<CommitChanges> Classify(int64_t version, std::vector<Action>& actions,
                                 Configuration* configuration);
  Result<AddFile> RemovedFile(int64_t version, const RemoveFile& remove) const;
  Status DeletionVectorChanges(int64_t version, const RemoveFile& remove, const AddFile& add,
                               const std::string& resolved);
  // Appends the rows of `files` with `change_type_sql` (over the scan's columns, as __s).
  Status AddSegment(int64_t version, const std::string& timestamp_sql,
                    const std::vector<AddFile>& files, const ScanOptions& base_options,
                    const std::string& change_type_sql, const std::string& join);
  Status FinishRowChanges();

  const DeltaContext& context_;
  const std::string& table_root_;
  ChangeFeedPlan* plan_;
  std::vector<std::string> segments_;
  std::vector<RowChange> row_changes_;
  std::string row_table_;
};

std::string UniqueTableName() {
  static std::atomic<uint64_t> counter{0};
  return "__sluice_cdf_rows_" + std::to_string(++counter);
}

// Partition values from Hive-style directories of a data file path ("a=1/b=x/part-0.parquet"),
// for removes written without partitionValues.
std::optional<PartitionValues> PartitionValuesFromPath(const std::string& path,
                                                       const std::vector<std::string>& columns) {
  Result<std::string> decoded = DecodeAddPath(path);
  if (!decoded.ok()) return std::nullopt;
  std::map<std::string, std::optional<std::string>> found;
  for (const std::string& segment : Split(*decoded, '/')) {
    size_t equals = segment.find('=');
    if (equals == std::string::npos) continue;
    std::string value = UnescapePartitionPathName(segment.substr(equals + 1));
    found[ToLower(UnescapePartitionPathName(segment.substr(0, equals)))] =
        value == kHiveDefaultPartition ? std::nullopt : std::optional(value);
  }
  PartitionValues values;
  for (const std::string& column : columns) {
    auto it = found.find(ToLower(column));
    if (it == found.end()) return std::nullopt;
    values[column] = it->second;
  }
  return values;
}

std::string ResolvedKey(const std::string& table_root, const std::string& path) {
  Result<std::string> resolved = ResolveDataFilePath(table_root, path);
  return resolved.ok() ? *resolved : path;
}

Status FeedPlanner::Plan(std::optional<int64_t> requested_end) {
  int64_t start = plan_->start_version;
  if (start < 0) {
    return InvalidArgument(table_root_, ": change data feed start version ", start, " is negative");
  }
  if (requested_end && start > *requested_end) {
    return InvalidArgument(table_root_, ": change data feed start version ", start,
                           " is after its end version ", *requested_end);
  }
  SLUICE_ASSIGN_OR_RETURN(LogSegment latest, BuildLogSegment(*context_.fs, table_root_));
  if (start > latest.version) {
    return InvalidArgument(table_root_, ": change data feed start version ", start,
                           " is after the latest version ", latest.version);
  }
  if (requested_end && *requested_end > latest.version) {
    return InvalidArgument(table_root_, ": change data feed end version ", *requested_end,
                           " is after the latest version ", latest.version);
  }
  plan_->end_version = requested_end.value_or(latest.version);
  SLUICE_ASSIGN_OR_RETURN(plan_->end_snapshot,
                          LoadSnapshot(context_, table_root_, plan_->end_version));
  if (plan_->end_snapshot->schema() == nullptr) {
    return NotSupported(table_root_, " version ", plan_->end_version,
                        " has no schema, so it has no change data to read");
  }
  // The properties in force before the first commit of the range changes them.
  SnapshotPtr start_snapshot = plan_->end_snapshot;
  if (start != plan_->end_version) {
    Result<SnapshotPtr> loaded = LoadSnapshot(context_, table_root_, start);
    if (!loaded.ok()) {
      return loaded.status().WithContext("reading the change data feed of " + Range());
    }
    start_snapshot = *loaded;
  }
  Configuration configuration = start_snapshot->configuration();

  for (int64_t version = start; version <= plan_->end_version; ++version) {
    SLUICE_RETURN_IF_ERROR(ReadVersion(version, &configuration));
  }
  SLUICE_RETURN_IF_ERROR(FinishRowChanges());

  if (segments_.empty()) {
    // No changes: an empty result with the feed's columns and types.
    SLUICE_RETURN_IF_ERROR(AddSegment(plan_->end_version, "CAST(NULL AS TIMESTAMPTZ)", {}, {},
                                      "CAST(NULL AS VARCHAR)", ""));
  }
  plan_->sql = Join(segments_, "\nUNION ALL\n");
  return Status::OK();
}

Status FeedPlanner::ReadVersion(int64_t version, Configuration* configuration) {
  Result<std::vector<Action>> actions = ReadCommit(*context_.fs, table_root_, version);
  if (!actions.ok()) {
    return actions.status().WithContext(table_root_ + ": change data feed of " + Range() +
                                        " needs commit " + std::to_string(version));
  }
  SLUICE_ASSIGN_OR_RETURN(CommitChanges changes, Classify(version, *actions, configuration));
  if (!changes.changes_data) return Status::OK();
  if (!ChangeDataFeedEnabled(*configuration)) {
    return InvalidArgument(table_root_, ": change data feed of ", Range(),
                           " is not available: version ", version,
                           " changes data while delta.enableChangeDataFeed is not true");
  }

  int64_t timestamp_ms = 0;
  if (changes.in_commit_timestamp) {
    timestamp_ms = *changes.in_commit_timestamp;
  } else {
    SLUICE_ASSIGN_OR_RETURN(io::FileInfo info,
                            context_.fs->Stat(CommitFilePath(table_root_, version)));
    timestamp_ms = info.modification_time_ms;
  }
  std::string timestamp_sql =
      "CAST(" + QuoteLiteral(FormatTimestampMillis(timestamp_ms)) + " AS TIMESTAMPTZ)";

  if (!changes.cdc_files.empty()) {
    ScanOptions options;
    options.file_columns = {kChangeTypeColumn};
    return AddSegment(version, timestamp_sql, changes.cdc_files, options,
                      "CAST(__s." + QuoteIdentifier(kChangeTypeColumn) + " AS VARCHAR)", "");
  }
  if (!changes.inserted.empty()) {
    SLUICE_RETURN_IF_ERROR(
        AddSegment(version, timestamp_sql, changes.inserted, {}, QuoteLiteral(kInsert), ""));
  }
  if (!changes.deleted.empty()) {
    SLUICE_RETURN_IF_ERROR(
        AddSegment(version, timestamp_sql, changes.deleted, {}, QuoteLiteral(kDelete), ""));
  }
  if (!changes.dv_changed.empty()) {
    if (row_table_.empty()) {
      row_table_ = UniqueTableName();
      SLUICE_RETURN_IF_ERROR(context_.connection->Execute(
          "CREATE TEMP TABLE " + row_table_ +
          " (version BIGINT, path VARCHAR, row_index BIGINT, change_type VARCHAR)"));
      plan_->temp_tables.push_back(row_table_);
    }
    ScanOptions options;
    options.include_file_path = true;
    options.include_row_index = true;
    std::string join = " JOIN " + row_table_ +
                       " AS __c ON __c.version = " + std::to_string(version) +
                       " AND __c.path = __s.__sluice_file AND __c.row_index = "
                       "__s.__sluice_row_index";
    SLUICE_RETURN_IF_ERROR(
        AddSegment(version, timestamp_sql, changes.dv_changed, options, "__c.change_type", join));
  }
  return Status::OK();
}

Result<CommitChanges> FeedPlanner::Classify(int64_t version, std::vector<Action>& actions,
                                            Configuration* configuration) {
  CommitChanges changes;
  std::vector<const AddFile*> adds;
  std::vector<const RemoveFile*> removes;
  for (Action& action : actions) {
    if (auto* metadata = std::get_if<Metadata>(&action)) {
      *configuration = metadata->configuration;
    } else if (auto* info = std::get_if<CommitInfo>(&action)) {
      changes.in_commit_timestamp = info->in_commit_timestamp();
    } else if (auto* cdc = std::get_if<AddCdcFile>(&action)) {
      AddFile file;
      file.path = cdc->path;
      file.partition_values = cdc->partition_values;
      file.size = cdc->size;
      changes.cdc_files.push_back(std::move(file));
    } else if (auto* add = std::get_if<AddFile>(&action)) {
      if (add->data_change) adds.push_back(add);
    } else if (auto* remove = std::get_if<RemoveFile>(&action)) {
      if (remove->data_change) removes.push_back(remove);
    }
  }
  changes.changes_data = !changes.cdc_files.empty() || !adds.empty() || !removes.empty();
  if (!changes.cdc_files.empty() || !changes.changes_data) return changes;
  // The data-change checks and DV reads below only matter when the feed is readable.
  if (!ChangeDataFeedEnabled(*configuration)) return changes;

  // An add and a remove of the same file only change which of its rows are deleted.
  std::map<std::string, const RemoveFile*> removed_by_path;
  for (const RemoveFile* remove : removes) {
    removed_by_path[ResolvedKey(plan_->end_snapshot->table_root(), remove->path)] = remove;
  }
  for (const AddFile* add : adds) {
    std::string key = ResolvedKey(plan_->end_snapshot->table_root(), add->path);
    auto paired = removed_by_path.find(key);
    if (paired == removed_by_path.end()) {
      changes.inserted.push_back(*add);
      continue;
    }
    size_t before = row_changes_.size();
    SLUICE_RETURN_IF_ERROR(DeletionVectorChanges(version, *paired->second, *add, key));
    if (row_changes_.size() > before) {
      AddFile whole = *add;
      whole.deletion_vector.reset();
      changes.dv_changed.push_back(std::move(whole));
    }
    removed_by_path.erase(paired);
  }
  for (const RemoveFile* remove : removes) {
    if (!removed_by_path.count(ResolvedKey(plan_->end_snapshot->table_root(), remove->path)))
      continue;
    SLUICE_ASSIGN_OR_RETURN(AddFile file, RemovedFile(version, *remove));
    changes.deleted.push_back(std::move(file));
  }
  return changes;
}

Result<AddFile> FeedPlanner::RemovedFile(int64_t version, const RemoveFile& remove) const {
  AddFile file;
  file.path = remove.path;
  file.size = remove.size.value_or(0);
  file.deletion_vector = remove.deletion_vector;
  file.stats = remove.stats;
  const std::vector<std::string>& columns = plan_->end_snapshot->partition_columns();
  if (remove.partition_values) {
    file.partition_values = *remove.partition_values;
  } else if (!columns.empty()) {
    std::optional<PartitionValues> values = PartitionValuesFromPath(remove.path, columns);
    if (!values || plan_->end_snapshot->column_mapping_mode() != ColumnMappingMode::kNone) {
      return Corruption(CommitFilePath(table_root_, version), ": remove of ", remove.path,
                        " has no partitionValues, and its path does not give them");
    }
    file.partition_values = std::move(*values);
  }
  return file;
}

Status FeedPlanner::DeletionVectorChanges(int64_t version, const RemoveFile& remove,
                                          const AddFile& add, const std::string& resolved) {
  auto load = [&](const std::optional<DeletionVectorDescriptor>& dv,
                  const std::string& action) -> Result<std::vector<uint64_t>> {
    if (!dv) return std::vector<uint64_t>();
    Result<std::vector<uint64_t>> rows = LoadDeletedRowIndexes(*context_.fs, table_root_, *dv);
    if (!rows.ok()) {
      return rows.status().WithContext(CommitFilePath(table_root_, version) + ": " + action +
                                       " of " + add.path);
    }
    return rows;
  };
  SLUICE_ASSIGN_OR_RETURN(std::vector<uint64_t> before,
                          load(remove.deletion_vector, "deletion vector of the remove"));
  SLUICE_ASSIGN_OR_RETURN(std::vector<uint64_t> after,
                          load(add.deletion_vector, "deletion vector of the add"));
  std::vector<uint64_t> newly_deleted;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(newly_deleted));
  std::vector<uint64_t> restored;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(restored));
  for (uint64_t row : newly_deleted) row_changes_.push_back({version, resolved, row, kDelete});
  for (uint64_t row : restored) row_changes_.push_back({version, resolved, row, kInsert});
  return Status::OK();
}

Status FeedPlanner::AddSegment(int64_t version, const std::string& timestamp_sql,
                               const std::vector<AddFile>& files, const ScanOptions& base_options,
                               const std::string& change_type_sql, const std::string& join) {
  ScanOptions options = base_options;
  std::vector<const AddFile*> pointers;
  for (const AddFile& file : files) pointers.push_back(&file);
  options.files = std::move(pointers);
  Result<ScanPlan> scan = PlanScan(context_, *plan_->end_snapshot, options);
  if (!scan.ok()) {
    return scan.status().WithContext("change data feed of version " + std::to_string(version));
  }
  plan_->temp_tables.insert(plan_->temp_tables.end(), scan->temp_tables.begin(),
                            scan->temp_tables.end());
  std::vector<std::string> columns;
  for (const StructField& field : plan_->end_snapshot->schema()->fields()) {
    columns.push_back("__s." + QuoteIdentifier(field.name));
  }
  columns.push_back(change_type_sql + " AS " + QuoteIdentifier(kChangeTypeColumn));
  columns.push_back("CAST(" + std::to_string(version) + " AS BIGINT) AS " +
                    QuoteIdentifier(kCommitVersionColumn));
  columns.push_back(timestamp_sql + " AS " + QuoteIdentifier(kCommitTimestampColumn));
  segments_.push_back("SELECT " + Join(columns, ", ") + " FROM (" + scan->sql + ") AS __s" + join);
  return Status::OK();
}

Status FeedPlanner::FinishRowChanges() {
  if (row_table_.empty()) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(auto appender, context_.connection->MakeAppender(row_table_));
  for (const RowChange& change : row_changes_) {
    SLUICE_RETURN_IF_ERROR(appender->Append(engine::Value::Int(change.version)));
    SLUICE_RETURN_IF_ERROR(appender->Append(engine::Value::Text(change.path)));
    SLUICE_RETURN_IF_ERROR(
        appender->Append(engine::Value::Int(static_cast<int64_t>(change.row_index))));
    SLUICE_RETURN_IF_ERROR(appender->Append(engine::Value::Text(change.change_type)));
    SLUICE_RETURN_IF_ERROR(appender->EndRow());
  }
  return appender->Close();
}

}  // namespace

Result<ChangeFeedPlan> PlanChangeDataFeed(const DeltaContext& context,
                                          const std::string& table_root, int64_t start_version,
                                          std::optional<int64_t> end_version) {
  ChangeFeedPlan plan;
  plan.start_version = start_version;
  plan.end_version = end_version.value_or(start_version);
  FeedPlanner planner(context, table_root, &plan);
  Status status = planner.Plan(end_version);
  if (!status.ok()) {
    (void)ReleaseChangeDataFeed(*context.connection, plan);
    return status;
  }
  return plan;
}

Status ReleaseChangeDataFeed(engine::Connection& connection, const ChangeFeedPlan& plan) {
  Status result;
  for (const std::string& table : plan.temp_tables) {
    Status status = connection.Execute("DROP TABLE IF EXISTS " + table);
    if (result.ok()) result = status;
  }
  return result;
}

Result<engine::QueryResult> ReadChangeDataFeed(const DeltaContext& context,
                                               const std::string& table_root, int64_t start_version,
                                               std::optional<int64_t> end_version) {
  SLUICE_ASSIGN_OR_RETURN(ChangeFeedPlan plan,
                          PlanChangeDataFeed(context, table_root, start_version, end_version));
  Result<engine::QueryResult> rows = context.connection->Query(plan.sql);
  Status released = ReleaseChangeDataFeed(*context.connection, plan);
  if (!rows.ok()) {
    return rows.status().WithContext("reading the change data feed of " + table_root);
  }
  SLUICE_RETURN_IF_ERROR(released);
  return rows;
}

}  // namespace sluice::delta
