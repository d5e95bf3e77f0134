// Checkpoints under failure: a checkpoint must describe exactly the state the commits
// describe, a failed checkpoint must not fail its commit or leave garbage in `_delta_log`
// when the process lives on, and concurrent creators of one table must not both win.
#include <gtest/gtest.h>

#include <set>

#include "common/strings.h"
#include "crash/crash_util.h"
#include "delta/log_segment.h"
#include "delta/transaction.h"
#include "delta/write.h"
#include "io/fault_injection_file_system.h"
#include "support/temp_dir.h"

namespace sluice::crash {
namespace {

// Hidden temp files (".<name>.<unique>.tmp") and anything else in `_delta_log` that is
// neither a log file nor `_last_checkpoint`.
std::vector<std::string> StrayLogFiles(const std::string& root) {
  std::vector<std::string> stray;
  Result<std::vector<io::FileInfo>> entries =
      io::LocalFileSystem()->ListDirectory(delta::LogDirectory(root));
  if (!entries.ok()) return {entries.status().ToString()};
  for (const io::FileInfo& entry : *entries) {
    if (entry.name == "_last_checkpoint" || delta::ParseLogFileName(entry.name)) continue;
    stray.push_back(entry.name);
  }
  return stray;
}

Status Append(const delta::DeltaContext& context, const std::string& root, int64_t first_id) {
  return delta::WriteTable(
             context, root,
             StrCat("SELECT i::BIGINT AS id FROM range(", first_id, ", ", first_id + 10, ") t(i)"),
             {})
      .status();
}

std::string CheckpointPath(const std::string& root, int64_t version) {
  return delta::LogDirectory(root) + "/" + PadNumber(version, 20) + ".checkpoint.parquet";
}

// The parts of a snapshot that replay reconciles, as comparable text.
struct State {
  int64_t version;
  std::string protocol;
  std::string metadata;
  std::vector<std::string> files;
  std::vector<std::string> tombstones;
  std::map<std::string, int64_t> transactions;
  bool operator==(const State&) const = default;
};

State StateOf(const delta::Snapshot& snapshot) {
  State state;
  state.version = snapshot.version();
  state.protocol = delta::SerializeAction(snapshot.protocol());
  state.metadata = delta::SerializeAction(snapshot.metadata());
  for (const delta::AddFile& file : snapshot.files()) {
    state.files.push_back(delta::SerializeAction(file));
  }
  for (const delta::RemoveFile& file : snapshot.tombstones()) {
    delta::RemoveFile copy = file;
    copy.stats.reset();  // checkpoints drop the stats of removes
    copy.tags.reset();
    state.tombstones.push_back(delta::SerializeAction(copy));
  }
  for (const auto& [app_id, txn] : snapshot.transactions()) {
    state.transactions[app_id] = txn.version;
  }
  return state;
}

std::ostream& operator<<(std::ostream& out, const State& state) {
  out << "version " << state.version << "\n" << state.protocol << "\n" << state.metadata << "\n";
  for (const std::string& file : state.files) out << file << "\n";
  for (const std::string& file : state.tombstones) out << file << "\n";
  for (const auto& [app_id, version] : state.transactions) out << app_id << "=" << version << "\n";
  return out;
}

TEST(CheckpointCrashTest, CheckpointDescribesWhatTheCommitsDescribe) {
  const CrashFreeRun& crash_free = CrashFreeRun::Get();
  for (size_t step : {size_t{10}, size_t{13}}) {  // at the checkpoint, and three commits on
    SCOPED_TRACE(StrCat("after step ", step));
    testing::TempDir dir;
    std::string root = dir.Child("table");
    crash_free.RestoreBefore(step + 1, root);
    ASSERT_TRUE(io::LocalFileSystem()->Exists(CheckpointPath(root, 10)));
    Env env(io::LocalFileSystem());
    Result<delta::SnapshotPtr> from_checkpoint = delta::LoadSnapshot(env.context(), root);
    ASSERT_TRUE(from_checkpoint.ok()) << from_checkpoint.status().ToString();
    EXPECT_EQ((*from_checkpoint)->segment().checkpoint_version, 10);

    ASSERT_TRUE(io::LocalFileSystem()->DeleteFile(CheckpointPath(root, 10)).ok());
    Result<delta::SnapshotPtr> from_commits = delta::LoadSnapshot(env.context(), root);
    ASSERT_TRUE(from_commits.ok()) << from_commits.status().ToString();
    EXPECT_EQ((*from_commits)->segment().checkpoint_version, -1);
    EXPECT_EQ(StateOf(**from_checkpoint), StateOf(**from_commits));
  }
}

// The checkpoint of version 10 fails while the process lives on: the commit stands, the
// failure is reported beside it, and no half-made checkpoint file stays in `_delta_log`.
TEST(CheckpointCrashTest, FailedCheckpointKeepsTheCommitAndLeavesNoGarbage) {
  struct Case {
    const char* what;
    io::FileOp op;
    std::string path;
  };
  for (const Case& c : {Case{"rename into place", io::FileOp::kRename, ".checkpoint."},
                        Case{"_last_checkpoint", io::FileOp::kWriteFile, "_last_checkpoint"}}) {
    SCOPED_TRACE(c.what);
    testing::TempDir dir;
    std::string root = dir.Child("table");
    Env env(io::LocalFileSystem());
    for (int64_t version = 0; version < 10; ++version) {
      ASSERT_TRUE(Append(env.context(), root, version * 10).ok());
    }
    io::FaultInjectionFileSystem faulty(io::LocalFileSystem());
    io::MutationFault fault;
    fault.path_substring = c.path;
    fault.crash = false;
    faulty.InjectFault(fault);
    delta::DeltaContext context = env.context();
    context.fs = &faulty;

    Result<std::unique_ptr<delta::Transaction>> txn = delta::Transaction::Begin(context, root);
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    (*txn)->SetOperation("WRITE");
    Result<delta::CommitResult> commit = (*txn)->Commit();
    ASSERT_TRUE(commit.ok()) << commit.status().ToString();
    EXPECT_EQ(commit->version, 10);
    EXPECT_FALSE(faulty.fault_pending());
    EXPECT_GE(faulty.count(c.op), 1);
    EXPECT_FALSE(commit->checkpoint_status.ok());
    EXPECT_EQ(StrayLogFiles(root), std::vector<std::string>{});
    Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(env.context(), root);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    EXPECT_EQ((*snapshot)->version(), 10);
    Result<std::vector<std::string>> rows = TableRows(env.context(), root);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(rows->size(), 100u);
  }
}

}  // namespace
}  // namespace sluice::crash
