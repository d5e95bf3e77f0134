#include "delta/row_deletion.h"

#include <algorithm>

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

// The position among `files` scanned files held in column 0 of `row` of a query over the
// scan; Internal when the scan gave a position outside them.
Result<size_t> FileIndexAt(const engine::QueryResult& result, size_t row, size_t files,
                           const std::string& table_root) {
  const auto file = static_cast<size_t>(std::get<int64_t>(result.at(row, 0).data));
  if (file >= files) return Internal("scan of ", table_root, " gave file index ", file);
  return file;
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

Status TouchedFiles::Find(const DeltaContext& context, const Snapshot& snapshot,
                          const std::vector<const AddFile*>& files,
                          const std::vector<std::string>& columns, const std::string& condition) {
  if (files.empty()) return Status::OK();
  engine::Connection& connection = *context.connection;
  ScanOptions options;
  options.columns = columns;
  options.files = files;
  options.include_file_index = true;
  options.include_row_index = deletion_vectors_;
  SLUICE_ASSIGN_OR_RETURN(ScanPlan plan, PlanScan(context, snapshot, options));
  const std::string matches = "coalesce((" + condition + "), false)";
  std::vector<int64_t> live(files.size(), -1);
  std::vector<int64_t> matched(files.size(), 0);
  std::vector<std::vector<uint64_t>> rows(files.size());
  Status status;
  bool count = !deletion_vectors_;
  if (deletion_vectors_) {
    // The matched rows themselves; live rows from the log when every file has numRecords.
    Result<engine::QueryResult> found =
        connection.Query("SELECT __t.__sluice_file_index, __t.__sluice_row_index FROM (" +
                         plan.sql + ") AS __t WHERE " + matches);
    if (!found.ok()) status = found.status();
    for (size_t i = 0; status.ok() && i < found->row_count(); ++i) {
      Result<size_t> file = FileIndexAt(*found, i, files.size(), snapshot.table_root());
      if (!file.ok()) status = file.status();
      if (status.ok()) {
        rows[*file].push_back(static_cast<uint64_t>(std::get<int64_t>(found->at(i, 1).data)));
      }
    }
    for (size_t i = 0; status.ok() && i < files.size(); ++i) {
      matched[i] = static_cast<int64_t>(rows[i].size());
      std::optional<int64_t> records = NumRecords(*files[i]);
      if (!records) count = true;
      if (records) {
        live[i] =
            *records - (files[i]->deletion_vector ? files[i]->deletion_vector->cardinality : 0);
      }
    }
  }
  if (status.ok() && count) {
    Result<engine::QueryResult> counts = connection.Query(
        "SELECT __t.__sluice_file_index, count(*), count(*) FILTER (WHERE " + matches + ") FROM (" +
        plan.sql + ") AS __t GROUP BY __t.__sluice_file_index");
    if (!counts.ok()) status = counts.status();
    for (size_t i = 0; status.ok() && i < counts->row_count(); ++i) {
      Result<size_t> file = FileIndexAt(*counts, i, files.size(), snapshot.table_root());
      if (!file.ok()) status = file.status();
      if (status.ok()) {
        live[*file] = std::get<int64_t>(counts->at(i, 1).data);
        matched[*file] = std::get<int64_t>(counts->at(i, 2).data);
      }
    }
  }
  Status released = ReleaseScan(connection, plan);
  SLUICE_RETURN_IF_ERROR(status);
  SLUICE_RETURN_IF_ERROR(released);
  for (size_t i = 0; i < files.size(); ++i) {
    if (matched[i] > 0) Add(files[i], live[i], matched[i], std::move(rows[i]));
  }
  return Status::OK();
}

void TouchedFiles::Add(const AddFile* file, int64_t live, int64_t deleted,
                       std::vector<uint64_t> rows) {
  all_.push_back(file);
  rows_deleted_ += deleted;
  if (deleted >= live) return;  // removed whole
  if (deletion_vectors_ && KeepsRowsInDeletionVector(*file, live, deleted)) {
    marked_.push_back(file);
    marked_rows_.push_back(std::move(rows));
  } else {
    rewrite_.push_back(file);
    rows_copied_ += live - deleted;
  }
}

Status TouchedFiles::Stage(const DeltaContext& context, const Snapshot& snapshot, int64_t now_ms,
                           Transaction& txn) const {
  int64_t dvs_removed = 0, dvs_added = 0, dvs_updated = 0;
  for (const AddFile* file : all_) {
    txn.RemoveFile(RemoveFor(*file, now_ms));
    if (file->deletion_vector) ++dvs_removed;
  }
  DeletionVectorFileBuilder dv_file(snapshot.table_root());
  DeletionVectorReader dvs(*context.fs, snapshot.table_root());
  std::vector<AddFile> marked;
  for (size_t i = 0; i < marked_.size(); ++i) {
    const AddFile& file = *marked_[i];
    std::vector<uint64_t> indexes = marked_rows_[i];
    if (file.deletion_vector) {
      SLUICE_ASSIGN_OR_RETURN(std::vector<uint64_t> earlier, dvs.Load(*file.deletion_vector));
      indexes.insert(indexes.end(), earlier.begin(), earlier.end());
      ++dvs_updated;
      --dvs_removed;
    } else {
      ++dvs_added;
    }
    std::sort(indexes.begin(), indexes.end());
    indexes.erase(std::unique(indexes.begin(), indexes.end()), indexes.end());
    const auto cardinality = static_cast<int64_t>(indexes.size());
    const std::string bitmap = EncodeDeletionVectorBitmap(std::move(indexes));
    AddFile kept = file;
    kept.data_change = true;
    kept.stats = LooseStats(file.stats);
    kept.deletion_vector = bitmap.size() <= static_cast<size_t>(kMaxInlineDvBytes)
                               ? InlineDeletionVector(bitmap, cardinality)
                               : dv_file.AddBitmap(bitmap, cardinality);
    marked.push_back(std::move(kept));
  }
  SLUICE_RETURN_IF_ERROR(dv_file.Write(*context.fs));
  for (AddFile& file : marked) txn.AddFile(std::move(file));
  if (deletion_vectors_ || dvs_removed > 0) {
    txn.SetOperationMetric("numDeletionVectorsAdded", dvs_added);
    txn.SetOperationMetric("numDeletionVectorsUpdated", dvs_updated);
    txn.SetOperationMetric("numDeletionVectorsRemoved", dvs_removed);
  }
  return Status::OK();
}

}  // namespace sluice::delta
