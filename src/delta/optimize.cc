#include "delta/optimize.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "delta/data_skipping_scan.h"
#include "delta/file_writer.h"
#include "delta/protocol.h"
#include "delta/scan.h"
#include "delta/table_properties.h"
#include "delta/transaction.h"

namespace sluice::delta {
namespace {

// A bin: files of one partition whose sizes add up to about the target.
using Bin = std::vector<const AddFile*>;

std::vector<Bin> PackBins(std::vector<const AddFile*> files, int64_t target) {
  std::sort(files.begin(), files.end(),
            [](const AddFile* a, const AddFile* b) { return a->size < b->size; });
  std::vector<Bin> bins;
  Bin current;
  int64_t current_size = 0;
  for (const AddFile* file : files) {
    if (!current.empty() && current_size + file->size > target) {
      bins.push_back(std::move(current));
      current.clear();
      current_size = 0;
    }
    current.push_back(file);
    current_size += file->size;
  }
  if (!current.empty()) bins.push_back(std::move(current));
  // A bin of one file without deleted rows would be rewritten as itself.
  bins.erase(std::remove_if(
                 bins.begin(), bins.end(),
                 [](const Bin& bin) { return bin.size() == 1 && !bin.front()->deletion_vector; }),
             bins.end());
  return bins;
}

}  // namespace

Result<OptimizeMetrics> Optimize(const DeltaContext& context, const std::string& table_root,
                                 const OptimizeOptions& options) {
  OptimizeMetrics metrics;
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> txn,
                          Transaction::Begin(context, table_root));
  const Snapshot* snapshot = txn->read_snapshot();
  if (snapshot == nullptr) return NotFound("not a Delta table: ", table_root);
  int64_t target = options.target_file_size.value_or(TargetFileSize(snapshot->configuration()));
  if (target <= 0) return InvalidArgument("target file size must be positive, got ", target);
  int64_t min_size = options.min_file_size.value_or(target / 4 * 3);

  SLUICE_ASSIGN_OR_RETURN(std::vector<const AddFile*> candidates,
                          FilesToScan(context, *snapshot, options.where));
  std::map<PartitionValues, std::vector<const AddFile*>> by_partition;
  for (const AddFile* file : candidates) {
    const bool wanted = options.purge ? file->deletion_vector.has_value()
                                      : file->size < min_size || file->deletion_vector;
    if (wanted) {
      by_partition[file->partition_values].push_back(file);
    }
  }

  DataFileOptions file_options;
  file_options.schema = snapshot->schema();
  file_options.partition_columns = snapshot->partition_columns();
  file_options.column_mapping_mode = snapshot->column_mapping_mode();
  file_options.configuration = snapshot->configuration();
  file_options.target_file_size = target;
  file_options.data_change = false;
  file_options.column_defaults =
      SupportsWriterFeature(snapshot->protocol(), feature::kAllowColumnDefaults);
  int64_t now = context.clock->NowMillis();

  for (auto& [partition, files] : by_partition) {
    std::vector<Bin> bins = PackBins(files, target);
    if (bins.empty()) continue;
    ++metrics.partitions_optimized;
    for (const Bin& bin : bins) {
      ScanOptions scan_options;
      scan_options.files = bin;
      SLUICE_ASSIGN_OR_RETURN(ScanPlan plan, PlanScan(context, *snapshot, scan_options));
      Result<std::vector<AddFile>> written =
          WriteDataFiles(*context.connection, table_root, plan.sql, file_options);
      Status released = ReleaseScan(*context.connection, plan);
      if (!written.ok()) {
        return written.status().WithContext((options.purge ? "REORG " : "OPTIMIZE ") + table_root);
      }
      SLUICE_RETURN_IF_ERROR(released);
      for (const AddFile* file : bin) {
        txn->RemoveFile(RemoveFor(*file, now, /*data_change=*/false));
        ++metrics.files_removed;
        metrics.bytes_removed += file->size;
      }
      for (AddFile& file : *written) {
        ++metrics.files_added;
        metrics.bytes_added += file.size;
        txn->AddFile(std::move(file));
      }
    }
  }
  if (metrics.files_removed == 0) return metrics;

  nlohmann::json predicate = nlohmann::json::array();
  if (!options.where.empty()) predicate.push_back(options.where);
  if (options.purge) {
    txn->SetOperation("REORG", {{"predicate", predicate.dump()}, {"applyPurge", "true"}});
  } else {
    txn->SetOperation("OPTIMIZE", {{"predicate", predicate.dump()}, {"zOrderBy", "[]"}});
  }
  txn->SetOperationMetric("numRemovedFiles", metrics.files_removed);
  txn->SetOperationMetric("numAddedFiles", metrics.files_added);
  txn->SetOperationMetric("numRemovedBytes", metrics.bytes_removed);
  txn->SetOperationMetric("numAddedBytes", metrics.bytes_added);
  SLUICE_ASSIGN_OR_RETURN(CommitResult commit, txn->Commit());
  metrics.version = commit.version;
  return metrics;
}

}  // namespace sluice::delta
