#include "crash/crash_util.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/check.h"
#include "common/strings.h"
#include "delta/log_segment.h"
#include "delta/optimize.h"
#include "delta/paths.h"
#include "delta/scan.h"
#include "delta/vacuum.h"
#include "delta/write.h"
#include "support/temp_dir.h"

namespace sluice::crash {

Env::Env(io::FileSystem* fs) {
  engine::Database::Options options;
  options.threads = 1;  // the machine is small and shared; one thread keeps runs predictable
  Result<std::unique_ptr<engine::Database>> database = engine::Database::Open(options);
  SLUICE_CHECK(database.ok()) << database.status().ToString();
  database_ = std::move(*database);
  Result<std::unique_ptr<engine::Connection>> connection = database_->Connect();
  SLUICE_CHECK(connection.ok()) << connection.status().ToString();
  connection_ = std::move(*connection);
  context_.fs = fs;
  context_.connection = connection_.get();
}

std::string Step::Describe() const {
  switch (kind) {
    case Kind::kAppend:
      return StrCat("append v", app_version, " ids ", first_id, "..", first_id + 9);
    case Kind::kOverwrite:
      return StrCat("overwrite v", app_version, " ids ", first_id, "..", first_id + 9);
    case Kind::kDelete:
      return "delete where " + predicate;
    case Kind::kOptimize:
      return "optimize";
    case Kind::kVacuum:
      return "vacuum";
  }
  return "?";
}

std::vector<Step> Workload() {
  using Kind = Step::Kind;
  auto append = [](int64_t version, int64_t first_id) {
    return Step{Kind::kAppend, version, first_id, ""};
  };
  auto remove = [](std::string predicate) { return Step{Kind::kDelete, 0, 0, predicate}; };
  return {
      append(0, 0),                                     // v0 creates the table
      append(1, 10),                                    // v1
      append(2, 20),                                    // v2
      remove("id < 30 AND id % 3 = 0"),                 // v3 rewrites files
      append(3, 30),                                    // v4
      Step{Kind::kOverwrite, 4, 100, ""},               // v5
      append(5, 110),                                   // v6
      remove("id >= 100 AND id < 120 AND id % 4 = 0"),  // v7
      append(6, 120),                                   // v8
      append(7, 130),                                   // v9
      append(8, 140),                                   // v10 + checkpoint
      Step{Kind::kOptimize, 0, 0, ""},                  // v11 (dataChange=false)
      append(9, 150),                                   // v12
      remove("id >= 150 AND id < 155"),                 // v13
      Step{Kind::kVacuum, 0, 0, ""},                    // no commit
  };
}

Status RunStep(const delta::DeltaContext& context, const std::string& root, const Step& step) {
  switch (step.kind) {
    case Step::Kind::kAppend:
    case Step::Kind::kOverwrite: {
      delta::WriteOptions options;
      options.mode = step.kind == Step::Kind::kAppend ? delta::WriteMode::kAppend
                                                      : delta::WriteMode::kOverwrite;
      options.app_id = kAppId;
      options.app_version = step.app_version;
      std::string sql =
          StrCat("SELECT i::BIGINT AS id, ", step.app_version, "::BIGINT AS batch FROM range(",
                 step.first_id, ", ", step.first_id + 10, ") t(i)");
      return delta::WriteTable(context, root, sql, options).status();
    }
    case Step::Kind::kDelete:
      return delta::DeleteRows(context, root, step.predicate).status();
    case Step::Kind::kOptimize:
      return delta::Optimize(context, root).status();
    case Step::Kind::kVacuum: {
      delta::VacuumOptions options;
      options.retention_ms = 0;
      options.allow_short_retention = true;
      return delta::Vacuum(context, root, options).status();
    }
  }
  return Internal("unknown step");
}

int64_t LatestCommitVersion(const std::string& root) {
  Result<std::vector<delta::LogFile>> commits = delta::ListCommits(*io::LocalFileSystem(), root);
  if (!commits.ok() || commits->empty()) return -1;
  return commits->back().version;
}

Result<std::vector<std::string>> TableRows(const delta::DeltaContext& context,
                                           const std::string& root) {
  SLUICE_ASSIGN_OR_RETURN(delta::SnapshotPtr snapshot, delta::LoadSnapshot(context, root));
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, delta::ScanAll(context, *snapshot));
  std::vector<std::string> rows;
  rows.reserve(result.row_count());
  for (const auto& row : result.rows()) {
    std::vector<std::string> values;
    for (const engine::Value& value : row) values.push_back(value.ToString());
    rows.push_back(Join(values, "|"));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

const CrashFreeRun& CrashFreeRun::Get() {
  static const CrashFreeRun run;
  return run;
}

CrashFreeRun::CrashFreeRun() {
  // The copies live as long as the process; the directory is removed at exit.
  static testing::TempDir dir;
  copies_ = dir.path();
  std::string root = dir.Child("table");
  Env env(io::LocalFileSystem());
  std::vector<Step> steps = Workload();
  for (size_t i = 0; i < steps.size(); ++i) {
    version_before_.push_back(LatestCommitVersion(root));
    Status status = RunStep(env.context(), root, steps[i]);
    SLUICE_CHECK(status.ok()) << steps[i].Describe() << ": " << status.ToString();
    Result<std::vector<std::string>> table = TableRows(env.context(), root);
    SLUICE_CHECK(table.ok()) << table.status().ToString();
    rows_after_.push_back(std::move(*table));
    testing::CopyTree(root, dir.Child(std::to_string(i)));
  }
}

const std::vector<std::string>& CrashFreeRun::rows_before(size_t step) const {
  static const std::vector<std::string> kNoRows;
  return step == 0 ? kNoRows : rows_after_[step - 1];
}

void CrashFreeRun::RestoreBefore(size_t step, const std::string& root) const {
  if (step > 0) testing::CopyTree(copies_ + "/" + std::to_string(step - 1), root);
}

void ExpectLiveFilesComplete(const delta::DeltaContext& context, const delta::Snapshot& snapshot) {
  for (const delta::AddFile& file : snapshot.files()) {
    Result<std::string> path = delta::ResolveDataFilePath(snapshot.table_root(), file.path);
    ASSERT_TRUE(path.ok()) << path.status().ToString();
    Result<io::FileInfo> info = io::LocalFileSystem()->Stat(*path);
    if (!info.ok()) {
      ADD_FAILURE() << "version " << snapshot.version() << " references missing file " << *path;
      continue;
    }
    EXPECT_EQ(info->size, file.size) << *path;
    Result<engine::QueryResult> count =
        context.connection->Query("SELECT count(*) FROM read_parquet(" + QuoteLiteral(*path) + ")");
    ASSERT_TRUE(count.ok()) << *path << ": " << count.status().ToString();
    std::optional<int64_t> records = delta::NumRecords(file);
    ASSERT_TRUE(records.has_value()) << *path << " has no numRecords";
    EXPECT_EQ(count->at(0, 0), engine::Value::Int(*records)) << *path;
  }
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace sluice::crash
