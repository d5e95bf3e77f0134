// Crash safety of commits and checkpoints: each step of the workload of crash_util.h is
// killed at every hit of a kill point (the process running it dies there) and "killed" at
// every mutation of `_delta_log` it makes (the file system fails from then on),
// starting from a copy of the crash-free table as it was before that step (the same state a
// replay of the earlier steps would give, without the cost). Then the table is reopened as a
// restarted process would (over the plain local file system) and checked:
//
// - it opens at the version before the interrupted operation or the one after it, with
//   exactly the rows of a crash-free run at that point, never a state in between;
// - every file a live `add` references exists, has the recorded size and reads completely;
// - running the workload again from the interrupted step (idempotent writers skip what
//   landed) ends with exactly the rows of a crash-free run: nothing lost, nothing
//   duplicated. (That rerunning the steps before it changes nothing is checked once, by
//   WorkloadTest.FullRerunChangesNoRow.)
//
// What is expected when a commit file is torn (only a prefix of it reached the final name,
// as on a store without atomic put-if-absent; the local file system never does this):
// opening fails with Corruption naming that commit file, and writers refuse the table too,
// so nothing is built on top of a half commit. An operator removes the torn file (the
// writer never got an acknowledgement, so the commit did not happen) and the table is back
// at the previous version. A torn or missing checkpoint or `_last_checkpoint` never
// breaks opening: the checkpoint reaches its final name only by rename, and readers list
// the log instead of trusting `_last_checkpoint`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <functional>
#include <set>

#include "common/strings.h"
#include "common/sync_point.h"
#include "crash/crash_util.h"
#include "delta/history.h"
#include "delta/log_segment.h"
#include "delta/log_validator.h"
#include "delta/write.h"
#include "io/fault_injection_file_system.h"
#include "support/crash_child.h"
#include "support/temp_dir.h"

namespace sluice::crash {
namespace {

using io::MutationFault;

struct Crash {
  size_t step = 0;   // the step that was interrupted
  Status status;     // what it returned
  std::string what;  // the injected crash, for failure messages
};

// Checks the table at `root` after `crash`, as a restarted process (`env` over the plain
// local file system; its DuckDB database keeps nothing of a table between calls, so one is
// shared by all the crashes of a test), then reruns the workload from the interrupted step to its
// end. Sets
// `*torn_commit_found` when the crash left a torn commit (which the check then removes).
void VerifyRecovery(Env& env, const std::string& root, const Crash& crash,
                    bool torn_commit_possible, bool* torn_commit_found = nullptr) {
  const std::vector<Step> steps = Workload();
  SCOPED_TRACE(crash.what + ", during step " + std::to_string(crash.step) + " (" +
               steps[crash.step].Describe() + "), which returned " + crash.status.ToString());
  const CrashFreeRun& crash_free = CrashFreeRun::Get();
  const int64_t version_before = crash_free.version_before(crash.step);
  const delta::DeltaContext& context = env.context();

  Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context, root);
  if (!snapshot.ok() && torn_commit_possible &&
      snapshot.status().code() == StatusCode::kCorruption) {
    // Only the commit the crash interrupted can be torn, and the error must name it.
    std::string torn = delta::CommitFilePath(root, version_before + 1);
    EXPECT_TRUE(Contains(snapshot.status().message(), torn)) << snapshot.status().ToString();
    // A writer refuses the table as well and adds no commit after the torn one.
    Status write = RunStep(context, root, steps[crash.step]);
    EXPECT_EQ(write.code(), StatusCode::kCorruption) << write.ToString();
    EXPECT_EQ(LatestCommitVersion(root), version_before + 1);
    // The operator's repair: the writer never saw this commit succeed, so it did not happen.
    ASSERT_TRUE(io::LocalFileSystem()->DeleteFile(torn).ok());
    if (torn_commit_found != nullptr) *torn_commit_found = true;
    snapshot = delta::LoadSnapshot(context, root);
  }

  if (version_before < 0 && !snapshot.ok()) {
    // The crash hit the creation of the table: there is no table, and that is all.
    EXPECT_TRUE(snapshot.status().IsNotFound()) << snapshot.status().ToString();
  } else {
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    int64_t version = (*snapshot)->version();
    EXPECT_TRUE(version == version_before || version == version_before + 1)
        << "version " << version << " after a crash that started at " << version_before;
    EXPECT_EQ(LatestCommitVersion(root), version);
    Result<std::vector<std::string>> rows = TableRows(context, root);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    if (version == version_before) {
      EXPECT_EQ(*rows, crash_free.rows_before(crash.step)) << "rows changed at the old version";
    } else {
      EXPECT_EQ(*rows, crash_free.rows_after(crash.step))
          << "the new version holds other rows than a crash-free run";
    }
    ExpectLiveFilesComplete(context, **snapshot);
    // A checkpoint under its final name is whole: the snapshot was rebuilt from it.
    std::string checkpoint =
        delta::LogDirectory(root) + "/" + PadNumber(10, 20) + ".checkpoint.parquet";
    if (io::LocalFileSystem()->Exists(checkpoint)) {
      EXPECT_EQ((*snapshot)->segment().checkpoint_version, 10);
    }
  }

  // The restarted process runs the interrupted step again, and everything after it.
  for (size_t i = crash.step; i < steps.size(); ++i) {
    Status status = RunStep(context, root, steps[i]);
    ASSERT_TRUE(status.ok()) << "rerun of " << steps[i].Describe() << ": " << status.ToString();
  }
  Result<std::vector<std::string>> rows = TableRows(context, root);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, crash_free.final_rows()) << "after the rerun";
  Result<delta::SnapshotPtr> final_snapshot = delta::LoadSnapshot(context, root);
  ASSERT_TRUE(final_snapshot.ok()) << final_snapshot.status().ToString();
  EXPECT_EQ((*final_snapshot)->TransactionVersion(kAppId), 9);
  ExpectLiveFilesComplete(context, **final_snapshot);
  // The log the crash and the rerun left follows the Delta protocol. A torn write may leave
  // a torn `_last_checkpoint` (until the next checkpoint replaces it): it is only a hint,
  // which readers check and ignore, so that one rule is not held against torn writes.
  auto violations = delta::ValidateLog(*io::LocalFileSystem(), env.connection(), root);
  ASSERT_TRUE(violations.ok()) << violations.status().ToString();
  for (const delta::LogViolation& violation : *violations) {
    if (torn_commit_possible && violation.rule == "_last_checkpoint") continue;
    ADD_FAILURE() << violation.ToString();
  }
}

constexpr int kWorkloadCommits = 14;  // versions 0..13 (see Workload())

#ifndef SLUICE_CRASH_SOAK
// What the recovery checks take for granted: rerunning every step on a finished table
// changes no row, and commits nothing but OPTIMIZE compactions.
TEST(WorkloadTest, FullRerunChangesNoRow) {
  const CrashFreeRun& crash_free = CrashFreeRun::Get();
  testing::TempDir dir;
  std::string root = dir.Child("table");
  crash_free.RestoreFinal(root);
  Env env(io::LocalFileSystem());
  ASSERT_EQ(LatestCommitVersion(root), kWorkloadCommits - 1);
  for (const Step& step : Workload()) {
    Status status = RunStep(env.context(), root, step);
    ASSERT_TRUE(status.ok()) << "rerun of " << step.Describe() << ": " << status.ToString();
  }
  Result<std::vector<std::string>> rows = TableRows(env.context(), root);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, crash_free.final_rows());
  Result<std::vector<delta::HistoryEntry>> history = delta::ReadHistory(*env.context().fs, root);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  for (const delta::HistoryEntry& entry : *history) {
    if (entry.version < kWorkloadCommits) continue;
    ASSERT_TRUE(entry.commit_info.has_value());
    EXPECT_EQ(entry.commit_info->operation(), "OPTIMIZE") << "version " << entry.version;
  }
}

// ---------------------------------------------------------------------------------------
// Kill points: the process running a step dies at the named point (test/support/crash_child.h).

// A child's exit code when its step failed without reaching the kill point.
constexpr int kStepFailedExitCode = 3;

class KillPointTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
#ifndef SLUICE_SYNC_POINTS
    GTEST_SKIP() << "kill points exist only in Debug builds";
#endif
    CrashFreeRun::Get();  // run before any kill point is armed
  }
  void TearDown() override { SyncPoints::Get().ClearAll(); }
};

TEST_P(KillPointTest, EveryHitLeavesARecoverableTable) {
  const std::string point = GetParam();
  const CrashFreeRun& crash_free = CrashFreeRun::Get();
  const std::vector<Step> steps = Workload();
  Env env(io::LocalFileSystem());
  int crashes = 0;
  for (size_t step = 0; step < steps.size(); ++step) {
    for (int skip = 0;; ++skip) {
      testing::TempDir dir;
      std::string root = dir.Child("table");
      crash_free.RestoreBefore(step, root);
      // The step runs in a child process that dies at the (skip+1)-th hit. The child may use
      // the parent's database: it has one thread, so the child misses no worker thread.
      Status killed = testing::RunInChildKilledAt(point, skip, [&] {
        Status status = RunStep(env.context(), root, steps[step]);
        if (!status.ok()) _exit(kStepFailedExitCode);
      });
      if (killed.IsNotFound()) break;  // the step finished before a (skip+1)-th hit
      ASSERT_TRUE(killed.ok()) << steps[step].Describe() << ": " << killed.ToString()
                               << " (exit code " << kStepFailedExitCode << ": the step failed)";
      ++crashes;
      VerifyRecovery(env, root,
                     Crash{step, Aborted("the process died at ", point),
                           point + " hit " + std::to_string(skip + 1)},
                     /*torn_commit_possible=*/false);
      if (HasFatalFailure()) return;
    }
  }
  bool per_commit = Contains(point, "delta.commit.");
  EXPECT_GE(crashes, per_commit ? kWorkloadCommits : 1) << point << " was hit too rarely";
}

INSTANTIATE_TEST_SUITE_P(Points, KillPointTest,
                         ::testing::Values("delta.commit.before_put", "delta.commit.after_put",
                                           "delta.checkpoint.before_parquet",
                                           "delta.checkpoint.before_rename",
                                           "delta.checkpoint.before_last_checkpoint"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (c == '.') c = '_';
                           }
                           return name;
                         });

#endif  // SLUICE_CRASH_SOAK

// ---------------------------------------------------------------------------------------
// Failed mutations of `_delta_log`: the n-th one fails and the file system is dead from
// then on, for n = 0, 1, ... until a run completes without reaching the fault.

struct EffectCase {
  const char* name;
  MutationFault::Effect effect;
};

class LogMutationFaultTest : public ::testing::TestWithParam<EffectCase> {};

TEST_P(LogMutationFaultTest, EveryMutationLeavesARecoverableTable) {
  const EffectCase& param = GetParam();
  const CrashFreeRun& crash_free = CrashFreeRun::Get();
  const std::vector<Step> steps = Workload();
  Env env(io::LocalFileSystem());
  int64_t crashes = 0;
  int64_t commits_seen = 0;
  int64_t renames_seen = 0;
  int64_t writes_seen = 0;
  int64_t torn_commits = 0;
  for (size_t step = 0; step < steps.size(); ++step) {
    for (int64_t skip = 0;; ++skip) {
      testing::TempDir dir;
      std::string root = dir.Child("table");
      crash_free.RestoreBefore(step, root);
      io::FaultInjectionFileSystem faulty(io::LocalFileSystem());
      MutationFault fault;
      fault.skip = skip;
      fault.path_substring = "_delta_log";
      fault.effect = param.effect;
      faulty.InjectFault(fault);
      delta::DeltaContext context = env.context();
      context.fs = &faulty;
      Status status = RunStep(context, root, steps[step]);
      if (faulty.fault_pending()) {
        EXPECT_TRUE(status.ok()) << steps[step].Describe() << ": " << status.ToString();
        commits_seen += faulty.count(io::FileOp::kPutIfAbsent);
        renames_seen += faulty.count(io::FileOp::kRename);
        writes_seen += faulty.count(io::FileOp::kWriteFile);
        break;
      }
      ++crashes;
      bool torn = false;
      VerifyRecovery(env, root,
                     Crash{step, status,
                           StrCat(param.name, " fault at log mutation ", skip + 1, " of the step")},
                     param.effect == MutationFault::Effect::kTorn, &torn);
      if (HasFatalFailure()) return;
      torn_commits += torn;
    }
  }
  // A complete run commits every version and writes one checkpoint and its hint; each of
  // those mutations was interrupted once.
  EXPECT_EQ(commits_seen, kWorkloadCommits);
  EXPECT_GE(renames_seen, 1);
  EXPECT_GE(writes_seen, 1);
  EXPECT_GE(crashes, commits_seen + renames_seen + writes_seen);
  // Every torn commit was reported as Corruption (and every other effect leaves none).
  bool tears = param.effect == MutationFault::Effect::kTorn;
  EXPECT_EQ(torn_commits, tears ? commits_seen : 0);
}

// "Applied" (the mutation happened, the caller saw it fail) leaves the same files as the
// kill points after each mutation, so it only runs with the slow suites.
#ifndef SLUICE_CRASH_SOAK
INSTANTIATE_TEST_SUITE_P(Effects, LogMutationFaultTest,
                         ::testing::Values(EffectCase{"Nothing", MutationFault::Effect::kNothing},
                                           EffectCase{"Torn", MutationFault::Effect::kTorn}),
                         [](const ::testing::TestParamInfo<EffectCase>& info) {
                           return std::string(info.param.name);
                         });
#else
INSTANTIATE_TEST_SUITE_P(Effects, LogMutationFaultTest,
                         ::testing::Values(EffectCase{"Applied", MutationFault::Effect::kApplied}),
                         [](const ::testing::TestParamInfo<EffectCase>& info) {
                           return std::string(info.param.name);
                         });
#endif

}  // namespace
}  // namespace sluice::crash
