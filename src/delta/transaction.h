// An optimistic transaction on a Delta table (delta-protocol.md section 7).
//
// A writer begins at the table's latest snapshot (none for a new table), stages actions,
// and commits: the commit file `_delta_log/<read_version+1>.json` is created with an
// atomic put-if-absent. If another writer took that version, the transaction reads the
// winning commits and, when they do not conflict with what it read and wrote, retries at
// the next version with the same data files; otherwise it fails with a Conflict naming
// the winning version. Data files are written before the commit and are invisible until
// it lands, so a crash at any step leaves the table at the old or the new version.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/actions.h"
#include "delta/snapshot.h"

namespace sluice::delta {

// What a transaction read, for conflict detection.
enum class ReadScope {
  kNothing,     // a blind append: it read no data, so concurrent appends never conflict
  kPartitions,  // it read the files of the partitions in `read_partitions`
  kEverything,  // it read the whole table
};

struct CommitResult {
  int64_t version = -1;
  int attempts = 1;  // 1 when no concurrent writer got in the way
  bool checkpoint_written = false;
  Status checkpoint_status;  // a failed checkpoint does not fail the commit
};

class Transaction {
 public:
  // Reads the latest snapshot of `table_root`; a table that does not exist yet is fine
  // (read_snapshot() is then null and the first commit must set protocol and metadata).
  static Result<std::unique_ptr<Transaction>> Begin(const DeltaContext& context,
                                                    const std::string& table_root);
  // Begins at a snapshot the caller already holds.
  static std::unique_ptr<Transaction> BeginAt(const DeltaContext& context,
                                              const std::string& table_root, SnapshotPtr snapshot);

  const Snapshot* read_snapshot() const { return snapshot_.get(); }
  int64_t read_version() const { return snapshot_ ? snapshot_->version() : -1; }
  const std::string& table_root() const { return table_root_; }

  void SetProtocol(Protocol protocol) { protocol_ = std::move(protocol); }
  void SetMetadata(Metadata metadata) { metadata_ = std::move(metadata); }
  void AddFile(delta::AddFile file) { adds_.push_back(std::move(file)); }
  void RemoveFile(delta::RemoveFile file) { removes_.push_back(std::move(file)); }
  void AddCdcFile(delta::AddCdcFile file) { cdc_files_.push_back(std::move(file)); }
  void SetDomainMetadata(DomainMetadata domain) { domains_.push_back(std::move(domain)); }
  // Records an idempotent writer's progress (`txn` action). A concurrent commit by the
  // same app id is a conflict.
  void SetApplicationTransaction(const std::string& app_id, int64_t version);

  void ReadEverything() { read_scope_ = ReadScope::kEverything; }
  void ReadPartition(PartitionValues values);

  // commitInfo fields: operation ("WRITE", "DELETE", "OPTIMIZE", ...), its parameters
  // (string values, as Spark writes them: "Append", or JSON text such as "[\"p\"]") and
  // metrics.
  void SetOperation(std::string operation, std::map<std::string, std::string> parameters = {});
  void SetOperationMetric(const std::string& name, int64_t value);

  // The removes of every live file (for overwrite and truncate). Marks the whole table read.
  void RemoveAllFiles();

  // Commits. At most `max_attempts` tries against concurrent writers.
  Result<CommitResult> Commit(int max_attempts = 100);

 private:
  Transaction(const DeltaContext& context, std::string table_root, SnapshotPtr snapshot);

  bool IsBlindAppend() const;
  Status Validate() const;
  std::string BuildCommit(int64_t version, int64_t timestamp) const;
  // Checks the commits after our read version up to and including `winner_latest`.
  Status CheckConflicts(int64_t from_version, int64_t to_version) const;
  Result<int64_t> LatestVersion() const;
  Status MaybeCheckpoint(int64_t version, CommitResult& result);

  DeltaContext context_;
  std::string table_root_;
  SnapshotPtr snapshot_;
  std::optional<Protocol> protocol_;
  std::optional<Metadata> metadata_;
  std::vector<delta::AddFile> adds_;
  std::vector<delta::RemoveFile> removes_;
  std::vector<delta::AddCdcFile> cdc_files_;
  std::vector<DomainMetadata> domains_;
  std::vector<SetTransaction> transactions_;
  ReadScope read_scope_ = ReadScope::kNothing;
  std::set<PartitionValues> read_partitions_;
  std::string operation_ = "WRITE";
  std::map<std::string, std::string> operation_parameters_;
  std::map<std::string, int64_t> operation_metrics_;
  bool committed_ = false;
};

}  // namespace sluice::delta
