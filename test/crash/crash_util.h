// Helpers shared by the crash, concurrency and bad-input suites of the Delta layer: a
// DuckDB database with a Delta context over a chosen file system, a deterministic
// workload of idempotent operations, and checks a user would make on a table after a
// crash (it opens, its files are all there and whole, its rows are the expected ones).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace sluice::crash {

// One DuckDB database with one connection, and a Delta context over `fs` (not owned). A
// fresh Env is what a restarted process has: nothing cached from before.
class Env {
 public:
  explicit Env(io::FileSystem* fs);
  const delta::DeltaContext& context() const { return context_; }
  engine::Connection& connection() { return *connection_; }

 private:
  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
  delta::DeltaContext context_;
};

// One operation of the workload. Every kind is safe to run again after a crash: appends
// and the overwrite carry an idempotent writer's (app id, version); a delete only matches
// rows that existed before it, so a rerun after later steps finds nothing to delete;
// OPTIMIZE and VACUUM do not change rows.
struct Step {
  enum class Kind { kAppend, kOverwrite, kDelete, kOptimize, kVacuum };
  Kind kind = Kind::kAppend;
  int64_t app_version = 0;  // kAppend, kOverwrite: the idempotent writer's version
  int64_t first_id = 0;     // kAppend, kOverwrite: rows first_id .. first_id+9
  std::string predicate;    // kDelete
  std::string Describe() const;
};

inline constexpr const char* kAppId = "crash-loader";

// The workload: appends, deletes, an overwrite, OPTIMIZE, and enough commits to cross the
// checkpoint at version 10.
std::vector<Step> Workload();

// Runs one step. Its Status is what the operation returned; a failed checkpoint is not an
// error of the step (the commit landed), as for every caller of the Delta layer.
Status RunStep(const delta::DeltaContext& context, const std::string& root, const Step& step);

// The latest commit version present in the log of `root` (-1 when there is none).
int64_t LatestCommitVersion(const std::string& root);

// The rows of the table's latest version as sorted "id|batch" strings.
Result<std::vector<std::string>> TableRows(const delta::DeltaContext& context,
                                           const std::string& root);

// The workload run once without a crash (by the first call).
class CrashFreeRun {
 public:
  static const CrashFreeRun& Get();

  // The rows after step i, and the latest commit version before step i.
  const std::vector<std::string>& rows_after(size_t step) const { return rows_after_[step]; }
  const std::vector<std::string>& rows_before(size_t step) const;
  int64_t version_before(size_t step) const { return version_before_[step]; }
  const std::vector<std::string>& final_rows() const { return rows_after_.back(); }
  // Recreates at `root` the table as it was before step `step` (nothing for step 0), so that a
  // crash in a step needs no replay of the steps before it.
  void RestoreBefore(size_t step, const std::string& root) const;
  // Recreates at `root` the table as the run left it.
  void RestoreFinal(const std::string& root) const { RestoreBefore(rows_after_.size(), root); }

 private:
  CrashFreeRun();
  std::string copies_;  // <copies_>/<i>: the table after step i
  std::vector<std::vector<std::string>> rows_after_;
  std::vector<int64_t> version_before_;
};

// Non-fatal gtest checks that every live file of `snapshot` exists with the size its add
// records and that DuckDB reads exactly numRecords rows from it.
void ExpectLiveFilesComplete(const delta::DeltaContext& context, const delta::Snapshot& snapshot);

// True if `haystack` contains `needle` (for error messages).
bool Contains(const std::string& haystack, const std::string& needle);

}  // namespace sluice::crash
