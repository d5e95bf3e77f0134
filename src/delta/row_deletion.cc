#include "delta/row_deletion.h"

#include <map>

#include "delta/deletion_vector.h"
#include "delta/protocol.h"
#include "delta/scan.h"
#include "delta/stats.h"

namespace sluice::delta {
namespace {

// A file's stats with tightBounds false: min/max and null counts cover deleted rows too.
std::optional<std::string> LooseStats(const std::optional<std::string>& stats) {
  if (!stats) return stats;
  Result<FileStats> parsed = ParseStats(*stats);
  if (!parsed.ok()) return stats;
  parsed->tight_bounds = false;
  return SerializeStats(*parsed);
}

}  // namespace

bool WritesDeletionVectors(const Protocol& protocol, const Metadata& metadata) {
  return IsFeatureActive(protocol, metadata, feature::kDeletionVectors);
}

bool KeepsRowsInDeletionVector(const AddFile& file, int64_t live, int64_t deleted) {
  const int64_t already = file.deletion_vector ? file.deletion_vector->cardinality : 0;
  const int64_t physical = NumRecords(file).value_or(live + already);
  return deleted < live && 2 * (already + deleted) <= physical;
}

Result<std::vector<AddFile>> MarkRowsDeleted(const DeltaContext& context, const Snapshot& snapshot,
                                             const std::vector<const AddFile*>& files,
                                             const std::string& condition) {
  std::vector<AddFile> out;
  if (files.empty()) return out;
  ScanOptions options;
  options.files = files;
  options.include_file_path = true;
  options.include_row_index = true;
  SLUICE_ASSIGN_OR_RETURN(ScanPlan plan, PlanScan(context, snapshot, options));
  Result<engine::QueryResult> rows =
      context.connection->Query("SELECT __t.__sluice_file, __t.__sluice_row_index FROM (" +
                                plan.sql + ") AS __t WHERE " + condition);
  (void)ReleaseScan(*context.connection, plan);
  if (!rows.ok()) return rows.status();
  std::map<std::string, std::vector<uint64_t>> deleted;  // resolved path -> row indexes
  for (const auto& row : rows->rows()) {
    deleted[row[0].ToString()].push_back(static_cast<uint64_t>(std::get<int64_t>(row[1].data)));
  }
  DeletionVectorFileBuilder dv_file(snapshot.table_root());
  DeletionVectorReader dvs(*context.fs, snapshot.table_root());
  for (size_t i = 0; i < plan.files.size(); ++i) {
    const AddFile& file = *plan.files[i];
    std::vector<uint64_t> indexes = std::move(deleted[plan.file_paths[i]]);
    if (file.deletion_vector) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<uint64_t> earlier, dvs.Load(*file.deletion_vector));
      indexes.insert(indexes.end(), earlier.begin(), earlier.end());
    }
    AddFile marked = file;
    marked.data_change = true;
    marked.stats = LooseStats(file.stats);
    DeletionVectorDescriptor inline_dv = MakeInlineDeletionVector(indexes);
    marked.deletion_vector =
        inline_dv.size_in_bytes <= kMaxInlineDvBytes ? inline_dv : dv_file.Add(std::move(indexes));
    out.push_back(std::move(marked));
  }
  SLUICE_RETURN_IF_ERROR(dv_file.Write(*context.fs));
  return out;
}

void TouchedFiles::Add(const AddFile* file, int64_t live, int64_t deleted) {
  all_.push_back(file);
  rows_deleted_ += deleted;
  if (deleted >= live) return;  // removed whole
  if (deletion_vectors_ && KeepsRowsInDeletionVector(*file, live, deleted)) {
    marked_.push_back(file);
  } else {
    rewrite_.push_back(file);
    rows_copied_ += live - deleted;
  }
}

Status TouchedFiles::Stage(const DeltaContext& context, const Snapshot& snapshot,
                           const std::string& condition, int64_t now_ms, Transaction& txn) const {
  int64_t dvs_removed = 0, dvs_added = 0, dvs_updated = 0;
  for (const AddFile* file : all_) {
    txn.RemoveFile(RemoveFor(*file, now_ms));
    if (file->deletion_vector) ++dvs_removed;
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<AddFile> marked,
                          MarkRowsDeleted(context, snapshot, marked_, condition));
  for (size_t i = 0; i < marked.size(); ++i) {
    if (marked_[i]->deletion_vector) {
      ++dvs_updated;
      --dvs_removed;
    } else {
      ++dvs_added;
    }
    txn.AddFile(std::move(marked[i]));
  }
  if (deletion_vectors_ || dvs_removed > 0) {
    txn.SetOperationMetric("numDeletionVectorsAdded", dvs_added);
    txn.SetOperationMetric("numDeletionVectorsUpdated", dvs_updated);
    txn.SetOperationMetric("numDeletionVectorsRemoved", dvs_removed);
  }
  return Status::OK();
}

}  // namespace sluice::delta
