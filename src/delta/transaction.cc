#include "delta/transaction.h"

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/sync_point.h"
#include "common/uuid.h"
#include "delta/checkpoint_writer.h"
#include "delta/table_properties.h"

namespace sluice::delta {
namespace {

constexpr const char* kEngineInfo = "sluice/0.1.0";

}  // namespace

Transaction::Transaction(const DeltaContext& context, std::string table_root, SnapshotPtr snapshot)
    : context_(context), table_root_(std::move(table_root)), snapshot_(std::move(snapshot)) {}

Result<std::unique_ptr<Transaction>> Transaction::Begin(const DeltaContext& context,
                                                        const std::string& table_root) {
  Result<SnapshotPtr> snapshot = LoadSnapshot(context, table_root);
  if (!snapshot.ok()) {
    // A table that does not exist yet is created by the first commit.
    if (!snapshot.status().IsNotFound() || context.fs->Exists(CommitFilePath(table_root, 0))) {
      return snapshot.status();
    }
    return BeginAt(context, table_root, nullptr);
  }
  // Refused here, before the caller writes data files that no commit would reference.
  SLUICE_RETURN_IF_ERROR(CheckWritable((*snapshot)->protocol(), table_root));
  return BeginAt(context, table_root, std::move(*snapshot));
}

std::unique_ptr<Transaction> Transaction::BeginAt(const DeltaContext& context,
                                                  const std::string& table_root,
                                                  SnapshotPtr snapshot) {
  return std::unique_ptr<Transaction>(new Transaction(context, table_root, std::move(snapshot)));
}

void Transaction::SetApplicationTransaction(const std::string& app_id, int64_t version) {
  SetTransaction txn;
  txn.app_id = app_id;
  txn.version = version;
  txn.last_updated = context_.clock->NowMillis();
  transactions_.push_back(std::move(txn));
}

void Transaction::ReadPartition(PartitionValues values) {
  if (read_scope_ == ReadScope::kEverything) return;
  read_scope_ = ReadScope::kPartitions;
  read_partitions_.insert(std::move(values));
}

void Transaction::SetOperation(std::string operation,
                               std::map<std::string, std::string> parameters) {
  operation_ = std::move(operation);
  operation_parameters_ = std::move(parameters);
}

void Transaction::SetOperationMetric(const std::string& name, int64_t value) {
  operation_metrics_[name] = value;
}

void Transaction::RemoveAllFiles() {
  ReadEverything();
  if (!snapshot_) return;
  int64_t now = context_.clock->NowMillis();
  for (const delta::AddFile& file : snapshot_->files()) removes_.push_back(RemoveFor(file, now));
}

bool Transaction::IsBlindAppend() const {
  if (read_scope_ != ReadScope::kNothing || !removes_.empty()) return false;
  for (const delta::AddFile& add : adds_) {
    if (!add.data_change) return false;
  }
  return true;
}

Status Transaction::Validate() const {
  if (!snapshot_ && (!protocol_ || !metadata_)) {
    return InvalidArgument(table_root_,
                           ": the first commit of a table must set its protocol and metadata");
  }
  const Protocol& protocol = protocol_ ? *protocol_ : snapshot_->protocol();
  SLUICE_RETURN_IF_ERROR(CheckWritable(protocol, table_root_));
  const Metadata& metadata = metadata_ ? *metadata_ : snapshot_->metadata();
  if (AppendOnly(metadata.configuration)) {
    for (const delta::RemoveFile& remove : removes_) {
      if (remove.data_change) {
        return InvalidArgument(table_root_,
                               " is append-only (delta.appendOnly=true): this operation would "
                               "remove data (",
                               remove.path, ")");
      }
    }
  }
  std::set<std::string> added;
  for (const delta::AddFile& add : adds_) {
    if (!added.insert(add.path).second) {
      return Internal(table_root_, ": one commit adds ", add.path, " twice");
    }
  }
  return Status::OK();
}

std::string Transaction::BuildCommit(int64_t version, int64_t timestamp) const {
  nlohmann::ordered_json info;
  info["timestamp"] = timestamp;
  const Metadata& metadata = metadata_ ? *metadata_ : snapshot_->metadata();
  if (InCommitTimestampsEnabled(metadata.configuration)) info["inCommitTimestamp"] = timestamp;
  info["operation"] = operation_;
  nlohmann::ordered_json parameters = nlohmann::ordered_json::object();
  for (const auto& [key, value] : operation_parameters_) parameters[key] = value;
  info["operationParameters"] = parameters;
  if (snapshot_) info["readVersion"] = snapshot_->version();
  info["isolationLevel"] = IsBlindAppend() ? "WriteSerializable" : "Serializable";
  info["isBlindAppend"] = IsBlindAppend();
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  for (const auto& [key, value] : operation_metrics_) metrics[key] = std::to_string(value);
  info["operationMetrics"] = metrics;
  info["engineInfo"] = kEngineInfo;
  info["txnId"] = NewUuid();

  std::string text = nlohmann::ordered_json{{"commitInfo", info}}.dump();
  text += '\n';
  auto append = [&text](const Action& action) {
    text += SerializeAction(action);
    text += '\n';
  };
  if (protocol_) append(*protocol_);
  if (metadata_) append(*metadata_);
  for (const SetTransaction& txn : transactions_) append(txn);
  for (const DomainMetadata& domain : domains_) append(domain);
  for (const delta::RemoveFile& remove : removes_) append(remove);
  for (const delta::AddFile& add : adds_) append(add);
  for (const delta::AddCdcFile& cdc : cdc_files_) append(cdc);
  return text;
}

Result<int64_t> Transaction::LatestVersion() const {
  SLUICE_ASSIGN_OR_RETURN(std::vector<LogFile> commits, ListCommits(*context_.fs, table_root_));
  return commits.empty() ? -1 : commits.back().version;
}

Status Transaction::CheckConflicts(int64_t from_version, int64_t to_version) const {
  std::set<std::string> app_ids;
  for (const SetTransaction& txn : transactions_) app_ids.insert(txn.app_id);
  std::set<std::string> domains;
  for (const DomainMetadata& domain : domains_) domains.insert(domain.domain);
  std::set<std::string> removed_by_us;
  for (const delta::RemoveFile& remove : removes_) removed_by_us.insert(remove.path);
  std::set<std::string> read_files;
  if (snapshot_ && read_scope_ != ReadScope::kNothing) {
    for (const delta::AddFile& file : snapshot_->files()) {
      if (read_scope_ == ReadScope::kEverything || read_partitions_.count(file.partition_values)) {
        read_files.insert(file.path);
      }
    }
  }

  for (int64_t version = from_version; version <= to_version; ++version) {
    SLUICE_ASSIGN_OR_RETURN(std::vector<Action> actions,
                            ReadCommit(*context_.fs, table_root_, version));
    auto conflict = [&](const std::string& what) {
      return Conflict("concurrent commit ", version, " of ", table_root_, " ", what,
                      "; nothing was committed, retry the operation");
    };
    for (const Action& action : actions) {
      if (std::holds_alternative<Protocol>(action)) {
        return conflict("changed the protocol (ProtocolChangedException)");
      }
      if (std::holds_alternative<Metadata>(action)) {
        return conflict(snapshot_ ? "changed the table metadata (MetadataChangedException)"
                                  : "created the table first");
      }
      if (const auto* txn = std::get_if<SetTransaction>(&action)) {
        if (app_ids.count(txn->app_id)) {
          return conflict("was written by the same application id '" + txn->app_id +
                          "' (ConcurrentTransactionException)");
        }
      } else if (const auto* domain = std::get_if<DomainMetadata>(&action)) {
        if (domains.count(domain->domain)) {
          return conflict("changed the same metadata domain '" + domain->domain + "'");
        }
      } else if (const auto* add = std::get_if<delta::AddFile>(&action)) {
        if (!add->data_change) continue;
        bool overlaps = read_scope_ == ReadScope::kEverything ||
                        (read_scope_ == ReadScope::kPartitions &&
                         read_partitions_.count(add->partition_values));
        if (overlaps) {
          return conflict("added data that this transaction read (ConcurrentAppendException)");
        }
      } else if (const auto* remove = std::get_if<delta::RemoveFile>(&action)) {
        if (removed_by_us.count(remove->path)) {
          return conflict("removed " + remove->path +
                          ", which this transaction also removes "
                          "(ConcurrentDeleteDeleteException)");
        }
        if (read_files.count(remove->path)) {
          return conflict("removed " + remove->path +
                          ", which this transaction read (ConcurrentDeleteReadException)");
        }
      }
    }
  }
  return Status::OK();
}

Status Transaction::MaybeCheckpoint(int64_t version, CommitResult& result) {
  const Metadata& metadata = metadata_ ? *metadata_ : snapshot_->metadata();
  int64_t interval = CheckpointInterval(metadata.configuration);
  if (version == 0 || version % interval != 0) return Status::OK();
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr snapshot, LoadSnapshot(context_, table_root_, version));
  SLUICE_RETURN_IF_ERROR(WriteCheckpoint(*context_.fs, *context_.connection, table_root_, version,
                                         CheckpointActions(*snapshot)));
  result.checkpoint_written = true;
  return Status::OK();
}

Result<CommitResult> Transaction::Commit(int max_attempts) {
  if (committed_) return Internal(table_root_, ": transaction committed twice");
  SLUICE_RETURN_IF_ERROR(Validate());
  CommitResult result;
  int64_t version = read_version() + 1;
  int64_t previous_timestamp = snapshot_ ? snapshot_->timestamp_ms() : 0;
  for (result.attempts = 1;; ++result.attempts) {
    // In-commit timestamps must grow strictly; plain timestamps follow the clock.
    int64_t timestamp = std::max(context_.clock->NowMillis(), previous_timestamp + 1);
    std::string text = BuildCommit(version, timestamp);
    SLUICE_SYNC_POINT("delta.commit.before_put");
    Status put = context_.fs->PutIfAbsent(CommitFilePath(table_root_, version), text);
    if (put.ok()) break;
    if (!put.IsAlreadyExists()) {
      return put.WithContext("committing version " + std::to_string(version) + " of " +
                             table_root_);
    }
    if (result.attempts >= max_attempts) {
      return Conflict(table_root_, ": gave up after ", max_attempts,
                      " attempts: other writers keep committing first");
    }
    SLUICE_ASSIGN_OR_RETURN(int64_t latest, LatestVersion());
    SLUICE_RETURN_IF_ERROR(CheckConflicts(version, latest));
    version = latest + 1;
  }
  committed_ = true;
  result.version = version;
  SLUICE_SYNC_POINT("delta.commit.after_put");
  result.checkpoint_status = MaybeCheckpoint(version, result);
  return result;
}

}  // namespace sluice::delta
