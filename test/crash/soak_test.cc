// Longer runs of the concurrency suite, labelled "slow" and left out of the default run:
// more writer processes, more batches, several checkpoints, OPTIMIZE compacting underneath
// the appenders, and writers killed for real (SIGKILL) and restarted.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <random>
#include <thread>

#include "common/strings.h"
#include "crash/concurrency_util.h"
#include "crash/crash_util.h"
#include "delta/history.h"
#include "delta/optimize.h"
#include "support/temp_dir.h"

namespace sluice::crash {
namespace {

constexpr int kTimeoutSeconds = 1800;

TEST(SoakTest, ManyAppendersWithOptimizeUnderneath) {
  constexpr int kWriters = 4;
  constexpr int kBatches = 40;
  constexpr int kRows = 7;
  constexpr int kOptimizeRuns = 8;
  testing::TempDir dir;
  std::string root = dir.Child("table");
  {
    Env env(io::LocalFileSystem());
    ASSERT_TRUE(CreateWriterTable(env.context(), root, 0).ok());
  }
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    children.push_back(Spawn([&root, writer] {
      Env env(io::LocalFileSystem());
      return AppendBatches(env.context(), root, writer, kBatches, kRows);
    }));
  }
  // OPTIMIZE reads nothing it could lose to an append, and appends never conflict with
  // its dataChange=false removes: every run must commit (or find nothing to do).
  children.push_back(Spawn([&root]() -> Status {
    Env env(io::LocalFileSystem());
    for (int run = 0; run < kOptimizeRuns; ++run) {
      Result<delta::OptimizeMetrics> metrics = delta::Optimize(env.context(), root);
      if (!metrics.ok()) return metrics.status().WithContext(StrCat("optimize run ", run));
    }
    return Status::OK();
  }));
  std::vector<std::string> problems = WaitAll(children, kTimeoutSeconds);
  EXPECT_TRUE(problems.empty()) << Join(problems, "\n");

  Env env(io::LocalFileSystem());
  Result<std::vector<delta::HistoryEntry>> history = delta::ReadHistory(*env.context().fs, root);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  int optimizes = 0;
  for (const delta::HistoryEntry& entry : *history) {
    optimizes += entry.commit_info && entry.commit_info->operation() == "OPTIMIZE";
  }
  RecordProperty("optimize_commits", optimizes);
  ExpectEveryBatchOnce(env.context(), root, kWriters, kBatches, kRows, 0, optimizes);
}

// Real crashes: writer processes are killed with SIGKILL at random moments (mid data file,
// mid commit, mid checkpoint, wherever they are) and restarted with the same idempotent
// batches until they finish. Every batch must end up in the table exactly once.
TEST(SoakTest, WritersKilledAtRandomAndRestartedCommitEveryBatchOnce) {
  constexpr int kWriters = 2;
  constexpr int kBatches = 30;
  constexpr int kRows = 5;
  constexpr int kKillsPerWriter = 6;
  testing::TempDir dir;
  std::string root = dir.Child("table");
  {
    Env env(io::LocalFileSystem());
    ASSERT_TRUE(CreateWriterTable(env.context(), root, 0).ok());
  }
  std::mt19937 random(20240601);
  std::uniform_int_distribution<int> delay_ms(20, 600);
  auto spawn = [&root](int writer, bool restarted) {
    return Spawn([&root, writer, restarted] {
      Env env(io::LocalFileSystem());
      return AppendBatches(env.context(), root, writer, kBatches, kRows, restarted);
    });
  };
  std::vector<pid_t> writers;
  for (int writer = 0; writer < kWriters; ++writer) writers.push_back(spawn(writer, false));
  int kills = 0;
  for (int round = 0; round < kKillsPerWriter; ++round) {
    for (int writer = 0; writer < kWriters; ++writer) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
      int status = 0;
      if (::waitpid(writers[writer], &status, WNOHANG) == 0) {
        ::kill(writers[writer], SIGKILL);
        ::waitpid(writers[writer], &status, 0);
        ++kills;
      } else {
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer " << writer;
      }
      writers[writer] = spawn(writer, true);  // the restart runs the same batches again
    }
  }
  std::vector<std::string> problems = WaitAll(writers, kTimeoutSeconds);
  EXPECT_TRUE(problems.empty()) << Join(problems, "\n");
  RecordProperty("kills", kills);
  Env env(io::LocalFileSystem());
  ExpectEveryBatchOnce(env.context(), root, kWriters, kBatches, kRows, 0, 0);
}

}  // namespace
}  // namespace sluice::crash
