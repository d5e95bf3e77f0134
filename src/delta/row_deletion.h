// Deleting some rows of data files in a commit (DELETE, MERGE and so AUTO CDC): by marking
// them in deletion vectors when the table writes them (merge-on-read, as Delta Lake on
// Databricks does), or by rewriting the file's other rows (copy-on-write).
//
// A file keeps its path and gets a deletion vector holding its earlier deleted rows and the
// new ones; the commit removes the old (path, DV) and adds the new one. Its statistics stay
// those of all its physical rows, marked "tightBounds": false (bounds only, as the protocol
// says), and numRecords still counts every physical row. A file that would lose more than
// half of its rows, or all of them, is rewritten or removed instead: past that, reading
// around the deleted rows costs more than writing the rest once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"
#include "delta/transaction.h"

namespace sluice::delta {

// Whether commits to a table mark deleted rows with deletion vectors: the table's protocol
// supports the deletionVectors feature and delta.enableDeletionVectors is true.
bool WritesDeletionVectors(const Protocol& protocol, const Metadata& metadata);

// Whether a file of which `deleted` more rows go (beyond those its DV marks already) keeps
// them in a deletion vector rather than being rewritten; `live` is how many rows it had.
bool KeepsRowsInDeletionVector(const AddFile& file, int64_t live, int64_t deleted);

// Deletion vectors of at most this many bytes go inline in the log.
inline constexpr int32_t kMaxInlineDvBytes = 64;

// The files a commit deletes rows of, and how: each is removed whole, rewritten (removed,
// its other rows written again) or marked (kept, its rows in a deletion vector).
class TouchedFiles {
 public:
  explicit TouchedFiles(bool deletion_vectors) : deletion_vectors_(deletion_vectors) {}

  // Finds, in one scan of `files` (of `snapshot`; reading only `columns`, empty = all), the
  // rows for which `condition` is true, and adds each file that has some. `condition` is SQL
  // over a row of the scan aliased `__t` (logical column names; it may name other tables of
  // the connection); NULL counts as false. With deletion vectors the scan also collects the
  // matched rows' indexes, and a file's live rows come from its numRecords (less its DV),
  // counted only when some file has no numRecords.
  Status Find(const DeltaContext& context, const Snapshot& snapshot,
              const std::vector<const AddFile*>& files, const std::vector<std::string>& columns,
              const std::string& condition);

  // Stages the commit's part for these files on `txn`: removes of the files removed or
  // rewritten, and for marked files a remove of the old (path, DV) and an add of the same
  // file with a DV of its earlier deleted rows and the new ones, with Spark's DV metrics
  // (numDeletionVectorsAdded, numDeletionVectorsUpdated, numDeletionVectorsRemoved). DVs of
  // up to `kMaxInlineDvBytes` go inline in the log, the others into one new DV file, written
  // here before anything is committed. Marked files keep the statistics of all their
  // physical rows, with "tightBounds": false.
  Status Stage(const DeltaContext& context, const Snapshot& snapshot, int64_t now_ms,
               Transaction& txn) const;

  const std::vector<const AddFile*>& all() const { return all_; }
  const std::vector<const AddFile*>& rewrite() const { return rewrite_; }
  const std::vector<const AddFile*>& marked() const { return marked_; }
  int64_t rows_deleted() const { return rows_deleted_; }
  int64_t rows_copied() const { return rows_copied_; }
  // Files removed or rewritten (marked files are not counted: they stay).
  int64_t files_removed() const { return static_cast<int64_t>(all_.size() - marked_.size()); }

 private:
  // A file that loses `deleted` (> 0) of its `live` rows; `rows` are their indexes (needed
  // when the file is marked).
  void Add(const AddFile* file, int64_t live, int64_t deleted, std::vector<uint64_t> rows);

  bool deletion_vectors_;
  std::vector<const AddFile*> all_;
  std::vector<const AddFile*> rewrite_;
  std::vector<const AddFile*> marked_;
  std::vector<std::vector<uint64_t>> marked_rows_;  // per marked file, its new deleted rows
  int64_t rows_deleted_ = 0;
  int64_t rows_copied_ = 0;
};

}  // namespace sluice::delta
