#include "delta/transaction.h"

#include <gtest/gtest.h>

#include "common/sync_point.h"
#include "delta/checkpoint_reader.h"
#include "delta/checkpoint_writer.h"
#include "delta/history.h"
#include "io/fault_injection_file_system.h"
#include "support/crash_child.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(engine::Database::Open()).value();
    connection_ = std::move(db_->Connect()).value();
    context_.fs = io::LocalFileSystem();
    context_.connection = connection_.get();
    context_.clock = &clock_;
    root_ = dir_.Child("table");
  }
  void TearDown() override { SyncPoints::Get().ClearAll(); }

  static Metadata TableMetadata(StringMap configuration = {}) {
    Metadata metadata;
    metadata.id = "5b8f0e4c-5d7b-4b0e-9a55-0c4d3c2a1b10";
    metadata.schema_string =
        R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})";
    metadata.configuration = std::move(configuration);
    return metadata;
  }
  static AddFile File(const std::string& path) {
    AddFile add;
    add.path = path;
    add.size = 100;
    add.modification_time = 1700000000000;
    add.stats = R"({"numRecords":10})";
    return add;
  }
  int64_t Create(StringMap configuration = {}) {
    auto txn = std::move(Transaction::Begin(context_, root_)).value();
    EXPECT_EQ(txn->read_snapshot(), nullptr);
    txn->SetProtocol(Protocol{});
    txn->SetMetadata(TableMetadata(std::move(configuration)));
    auto result = txn->Commit();
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? result->version : -1;
  }
  Result<CommitResult> Append(const std::string& path) {
    SLUICE_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(context_, root_));
    txn->AddFile(File(path));
    return txn->Commit();
  }
  SnapshotPtr Latest() { return std::move(LoadSnapshot(context_, root_)).value(); }

  testing::TempDir dir_;
  std::string root_;
  ManualClock clock_{1700000000000};
  std::unique_ptr<engine::Database> db_;
  std::unique_ptr<engine::Connection> connection_;
  DeltaContext context_;
};

TEST_F(TransactionTest, FirstCommitCreatesTable) {
  EXPECT_EQ(Create(), 0);
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->version(), 0);
  ASSERT_NE(snapshot->schema(), nullptr);
  EXPECT_EQ(snapshot->schema()->fields().front().name, "id");
  auto history = ReadHistory(*context_.fs, root_);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  ASSERT_TRUE(history->front().commit_info);
  EXPECT_EQ(history->front().commit_info->operation(), "WRITE");
}

TEST_F(TransactionTest, FirstCommitNeedsProtocolAndMetadata) {
  auto txn = std::move(Transaction::Begin(context_, root_)).value();
  txn->AddFile(File("a.parquet"));
  auto result = txn->Commit();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("protocol and metadata"), std::string::npos);
  EXPECT_FALSE(context_.fs->Exists(root_ + "/_delta_log/00000000000000000000.json"));
}

TEST_F(TransactionTest, ConcurrentBlindAppendsBothLand) {
  Create();
  auto first = std::move(Transaction::Begin(context_, root_)).value();
  auto second = std::move(Transaction::Begin(context_, root_)).value();
  first->AddFile(File("a.parquet"));
  second->AddFile(File("b.parquet"));
  auto a = first->Commit();
  auto b = second->Commit();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(a->version, 1);
  EXPECT_EQ(b->version, 2);
  EXPECT_EQ(b->attempts, 2);
  EXPECT_EQ(Latest()->files().size(), 2u);
}

TEST_F(TransactionTest, ConcurrentDeletesOfSameFileConflict) {
  Create();
  ASSERT_TRUE(Append("a.parquet").ok());
  auto first = std::move(Transaction::Begin(context_, root_)).value();
  auto second = std::move(Transaction::Begin(context_, root_)).value();
  first->RemoveAllFiles();
  second->RemoveAllFiles();
  ASSERT_TRUE(first->Commit().ok());
  auto result = second->Commit();
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsConflict());
  EXPECT_NE(result.status().message().find("concurrent commit 2"), std::string::npos)
      << result.status().message();
  EXPECT_EQ(Latest()->version(), 2);
}

TEST_F(TransactionTest, ReadersConflictWithConcurrentAppends) {
  Create();
  auto reader = std::move(Transaction::Begin(context_, root_)).value();
  reader->ReadEverything();
  reader->AddFile(File("derived.parquet"));
  ASSERT_TRUE(Append("a.parquet").ok());
  auto result = reader->Commit();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("ConcurrentAppendException"), std::string::npos);
}

TEST_F(TransactionTest, SameApplicationIdConflicts) {
  Create();
  auto first = std::move(Transaction::Begin(context_, root_)).value();
  auto second = std::move(Transaction::Begin(context_, root_)).value();
  first->SetApplicationTransaction("flow-1", 0);
  second->SetApplicationTransaction("flow-1", 0);
  first->AddFile(File("a.parquet"));
  second->AddFile(File("b.parquet"));
  ASSERT_TRUE(first->Commit().ok());
  auto result = second->Commit();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("flow-1"), std::string::npos);
  EXPECT_EQ(Latest()->TransactionVersion("flow-1"), 0);
}

TEST_F(TransactionTest, AppendOnlyTableRefusesRemoves) {
  Create({{"delta.appendOnly", "true"}});
  ASSERT_TRUE(Append("a.parquet").ok());
  auto txn = std::move(Transaction::Begin(context_, root_)).value();
  txn->RemoveAllFiles();
  auto result = txn->Commit();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("append-only"), std::string::npos);
}

// delta.setTransactionRetentionDuration: a txn whose lastUpdated is older than the
// retention is dropped from the snapshot, and so from the checkpoints written from it.
TEST_F(TransactionTest, ApplicationTransactionsExpireAfterTheirRetention) {
  Create({{"delta.setTransactionRetentionDuration", "interval 1 days"}});
  auto commit_txn = [&](const std::string& app_id, int64_t version, const std::string& file) {
    auto txn = std::move(Transaction::Begin(context_, root_)).value();
    txn->SetApplicationTransaction(app_id, version);
    txn->AddFile(File(file));
    auto result = txn->Commit();
    EXPECT_TRUE(result.ok()) << result.status().ToString();
  };
  commit_txn("old", 7, "a.parquet");
  clock_.AdvanceMillis(23 * 3600 * 1000);
  EXPECT_EQ(Latest()->TransactionVersion("old"), 7) << "within its retention";
  clock_.AdvanceMillis(2 * 3600 * 1000);
  commit_txn("fresh", 3, "b.parquet");
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->TransactionVersion("old"), std::nullopt) << "a day and an hour old";
  EXPECT_EQ(snapshot->TransactionVersion("fresh"), 3);

  ASSERT_TRUE(WriteCheckpoint(*context_.fs, *connection_, root_, snapshot->version(),
                              CheckpointActions(*snapshot))
                  .ok());
  auto actions = ReadParquetActions(
      *connection_, {root_ + "/_delta_log/00000000000000000002.checkpoint.parquet"});
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  std::vector<std::string> app_ids;
  for (const Action& action : *actions) {
    if (const auto* txn = std::get_if<SetTransaction>(&action)) app_ids.push_back(txn->app_id);
  }
  EXPECT_EQ(app_ids, std::vector<std::string>{"fresh"});
}

TEST_F(TransactionTest, ApplicationTransactionsWithoutRetentionNeverExpire) {
  Create();
  auto txn = std::move(Transaction::Begin(context_, root_)).value();
  txn->SetApplicationTransaction("app", 1);
  ASSERT_TRUE(txn->Commit().ok());
  clock_.AdvanceMillis(int64_t{365} * 24 * 3600 * 1000);
  EXPECT_EQ(Latest()->TransactionVersion("app"), 1);
}

// A process that dies before a commit's put leaves the previous version; one that dies
// right after it leaves the new version whole.
TEST_F(TransactionTest, CrashAroundThePutLeavesOneWholeVersion) {
#ifndef SLUICE_SYNC_POINTS
  GTEST_SKIP() << "kill points exist in Debug builds only";
#endif
  Create();
  // The child only reads and writes log files; it never uses the parent's database.
  auto append = [this] { (void)Append("a.parquet"); };
  Status killed = testing::RunInChildKilledAt("delta.commit.before_put", 0, append);
  ASSERT_TRUE(killed.ok()) << killed.ToString();
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->version(), 0);
  EXPECT_TRUE(snapshot->files().empty());

  killed = testing::RunInChildKilledAt("delta.commit.after_put", 0, append);
  ASSERT_TRUE(killed.ok()) << killed.ToString();
  snapshot = Latest();
  EXPECT_EQ(snapshot->version(), 1);
  ASSERT_EQ(snapshot->files().size(), 1u);
  EXPECT_EQ(snapshot->files()[0].path, "a.parquet");
}

// The status-returning kill point: the committing code gets Aborted and returns it to its
// caller (what the runtime reports as the failed flow's error).
TEST_F(TransactionTest, KillPointFailsTheCommitWithAborted) {
  Create();
  ArmKillPoint("delta.commit.before_put");
  auto result = Append("a.parquet");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kAborted);
  SyncPoints::Get().ClearAll();
  EXPECT_EQ(Latest()->version(), 0);
}

TEST_F(TransactionTest, TornCommitIsReportedWithItsPath) {
  Create();
  io::FaultInjectionFileSystem faulty(io::LocalFileSystem());
  io::MutationFault fault;
  fault.path_substring = "00000000000000000001.json";
  fault.effect = io::MutationFault::Effect::kTorn;
  faulty.InjectFault(fault);
  DeltaContext context = context_;
  context.fs = &faulty;
  auto txn = std::move(Transaction::Begin(context, root_)).value();
  txn->AddFile(File("a.parquet"));
  txn->AddFile(File("b.parquet"));
  ASSERT_FALSE(txn->Commit().ok());
  auto snapshot = LoadSnapshot(context_, root_);
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.status().code(), StatusCode::kCorruption);
  EXPECT_NE(snapshot.status().message().find("00000000000000000001.json"), std::string::npos)
      << snapshot.status().message();
}

TEST_F(TransactionTest, InCommitTimestampsGrowStrictly) {
  Create({{"delta.enableInCommitTimestamps", "true"}});
  ASSERT_TRUE(Append("a.parquet").ok());  // same clock reading as the create
  auto history = std::move(ReadHistory(*context_.fs, root_)).value();
  ASSERT_EQ(history.size(), 2u);
  auto newer = history[0].commit_info->in_commit_timestamp();
  auto older = history[1].commit_info->in_commit_timestamp();
  ASSERT_TRUE(newer && older);
  EXPECT_GT(*newer, *older);
  EXPECT_EQ(Latest()->timestamp_ms(), *newer);
}

TEST_F(TransactionTest, CheckpointEveryTenCommits) {
  Create();
  for (int i = 1; i <= 12; ++i) {
    auto result = Append("f" + std::to_string(i) + ".parquet");
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->checkpoint_written, i == 10) << i;
    EXPECT_TRUE(result->checkpoint_status.ok()) << result->checkpoint_status.ToString();
  }
  EXPECT_TRUE(context_.fs->Exists(root_ + "/_delta_log/00000000000000000010.checkpoint.parquet"));
  EXPECT_TRUE(context_.fs->Exists(root_ + "/_delta_log/_last_checkpoint"));
  SnapshotPtr snapshot = Latest();
  EXPECT_EQ(snapshot->segment().checkpoint_version, 10);
  EXPECT_EQ(snapshot->files().size(), 12u);
  EXPECT_EQ(snapshot->total_records(), 120);
}

}  // namespace
}  // namespace sluice::delta
