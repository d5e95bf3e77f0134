#include "crash/concurrency_util.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include "common/strings.h"
#include "crash/crash_util.h"
#include "delta/log_segment.h"
#include "delta/paths.h"
#include "delta/scan.h"
#include "delta/write.h"

namespace sluice::crash {

Status CreateWriterTable(const delta::DeltaContext& context, const std::string& root,
                         int64_t seed_rows) {
  delta::WriteOptions options;
  options.mode = delta::WriteMode::kErrorIfExists;
  return delta::WriteTable(context, root,
                           StrCat("SELECT -1::BIGINT AS writer, -1::BIGINT AS batch, i::BIGINT AS "
                                  "id FROM range(",
                                  seed_rows, ") t(i)"),
                           options)
      .status();
}

Status AppendBatches(const delta::DeltaContext& context, const std::string& root, int64_t writer,
                     int64_t batches, int64_t rows_per_batch, bool restarted) {
  for (int64_t batch = 0; batch < batches; ++batch) {
    delta::WriteOptions options;
    options.app_id = StrCat("writer-", writer);
    options.app_version = batch;
    Result<delta::WriteResult> result = delta::WriteTable(
        context, root,
        StrCat("SELECT ", writer, "::BIGINT AS writer, ", batch,
               "::BIGINT AS batch, i::BIGINT AS id FROM range(", rows_per_batch, ") t(i)"),
        options);
    if (!result.ok()) {
      return result.status().WithContext(StrCat("writer ", writer, " batch ", batch));
    }
    if (restarted && result->skipped) continue;
    if (result->skipped || result->version < 0) {
      return Internal("writer ", writer, " batch ", batch, " was not committed");
    }
  }
  return Status::OK();
}

pid_t Spawn(const std::function<Status()>& body) {
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid != 0) return pid;  // the parent, or -1 (checked by the caller through WaitAll)
  Status status = body();
  if (!status.ok()) std::fprintf(stderr, "child %d: %s\n", ::getpid(), status.ToString().c_str());
  std::fflush(nullptr);
  ::_exit(status.ok() ? 0 : 1);
}

std::vector<std::string> WaitAll(const std::vector<pid_t>& children, int timeout_seconds) {
  std::vector<std::string> problems;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  std::vector<pid_t> running;
  for (pid_t pid : children) {
    if (pid < 0) {
      problems.push_back("fork failed");
    } else {
      running.push_back(pid);
    }
  }
  while (!running.empty()) {
    for (auto it = running.begin(); it != running.end();) {
      int status = 0;
      pid_t done = ::waitpid(*it, &status, WNOHANG);
      if (done == 0) {
        ++it;
        continue;
      }
      if (done < 0) {
        problems.push_back(StrCat("waitpid(", *it, ") failed"));
      } else if (WIFSIGNALED(status)) {
        problems.push_back(StrCat("child ", *it, " died of signal ", WTERMSIG(status)));
      } else if (WEXITSTATUS(status) != 0) {
        problems.push_back(StrCat("child ", *it, " exited with ", WEXITSTATUS(status)));
      }
      it = running.erase(it);
    }
    if (running.empty()) break;
    if (std::chrono::steady_clock::now() > deadline) {
      for (pid_t pid : running) {
        ::kill(pid, SIGKILL);
        int status = 0;
        ::waitpid(pid, &status, 0);
        problems.push_back(
            StrCat("child ", pid, " hung for ", timeout_seconds, "s and was killed"));
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return problems;
}

void ExpectEveryBatchOnce(const delta::DeltaContext& context, const std::string& root,
                          int64_t writers, int64_t batches, int64_t rows_per_batch,
                          int64_t seed_rows_left, int64_t other_commits) {
  Result<std::vector<delta::LogFile>> commits = delta::ListCommits(*context.fs, root);
  ASSERT_TRUE(commits.ok()) << commits.status().ToString();
  ASSERT_EQ(static_cast<int64_t>(commits->size()), 1 + writers * batches + other_commits);
  for (size_t i = 0; i < commits->size(); ++i) {
    ASSERT_EQ((*commits)[i].version, static_cast<int64_t>(i)) << "versions are not contiguous";
  }

  // Each append commit holds one whole batch, tagged by its writer's txn.
  std::map<std::pair<int64_t, int64_t>, int> committed;
  for (const delta::LogFile& commit : *commits) {
    if (commit.version == 0) continue;
    Result<std::vector<delta::Action>> actions =
        delta::ReadCommit(*context.fs, root, commit.version);
    ASSERT_TRUE(actions.ok()) << actions.status().ToString();
    std::optional<std::string> operation;
    std::vector<delta::SetTransaction> txns;
    std::vector<std::string> paths;
    for (const delta::Action& action : *actions) {
      if (const auto* info = std::get_if<delta::CommitInfo>(&action)) operation = info->operation();
      if (const auto* txn = std::get_if<delta::SetTransaction>(&action)) txns.push_back(*txn);
      if (const auto* add = std::get_if<delta::AddFile>(&action)) {
        Result<std::string> path = delta::ResolveDataFilePath(root, add->path);
        ASSERT_TRUE(path.ok()) << path.status().ToString();
        paths.push_back(QuoteLiteral(*path));
      }
    }
    if (operation != "WRITE") continue;
    ASSERT_EQ(txns.size(), 1u) << "commit " << commit.version;
    ASSERT_FALSE(paths.empty()) << "commit " << commit.version << " adds no file";
    Result<engine::QueryResult> content =
        context.connection->Query("SELECT writer, batch, count(*) FROM read_parquet([" +
                                  Join(paths, ", ") + "]) GROUP BY ALL");
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    ASSERT_EQ(content->row_count(), 1u) << "commit " << commit.version << " mixes batches";
    int64_t writer = std::get<int64_t>(content->at(0, 0).data);
    int64_t batch = std::get<int64_t>(content->at(0, 1).data);
    EXPECT_EQ(content->at(0, 2), engine::Value::Int(rows_per_batch))
        << "commit " << commit.version << " holds part of a batch";
    EXPECT_EQ(txns.front().app_id, StrCat("writer-", writer)) << "commit " << commit.version;
    EXPECT_EQ(txns.front().version, batch) << "commit " << commit.version;
    ++committed[{writer, batch}];
  }
  for (int64_t writer = 0; writer < writers; ++writer) {
    for (int64_t batch = 0; batch < batches; ++batch) {
      EXPECT_EQ(committed[std::make_pair(writer, batch)], 1)
          << "writer " << writer << " batch " << batch << " committed that many times";
    }
  }

  // The rows: the seed rows left and every batch once.
  Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context, root);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  ExpectLiveFilesComplete(context, **snapshot);
  delta::ScanOptions scan;
  Result<engine::QueryResult> rows = delta::ScanAll(context, **snapshot, scan);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::map<std::pair<int64_t, int64_t>, int64_t> counts;
  for (const auto& row : rows->rows()) {
    ++counts[{std::get<int64_t>(row[0].data), std::get<int64_t>(row[1].data)}];
  }
  std::map<std::pair<int64_t, int64_t>, int64_t> expected;
  if (seed_rows_left > 0) expected[{-1, -1}] = seed_rows_left;
  for (int64_t writer = 0; writer < writers; ++writer) {
    for (int64_t batch = 0; batch < batches; ++batch) expected[{writer, batch}] = rows_per_batch;
  }
  EXPECT_EQ(counts, expected);
  for (int64_t writer = 0; writer < writers; ++writer) {
    EXPECT_EQ((*snapshot)->TransactionVersion(StrCat("writer-", writer)), batches - 1);
  }
}

int64_t ConflictingVersion(const std::string& message) {
  const std::string marker = "concurrent commit ";
  size_t at = message.find(marker);
  if (at == std::string::npos) return -1;
  size_t start = at + marker.size();
  size_t end = start;
  while (end < message.size() && message[end] >= '0' && message[end] <= '9') ++end;
  if (end == start) return -1;
  return std::stoll(message.substr(start, end - start));
}

}  // namespace sluice::crash
