#include "io/fault_injection_file_system.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace sluice::io {
namespace {

using ::testing::HasSubstr;

class FaultInjectionTest : public ::testing::Test {
 protected:
  std::unique_ptr<FileSystem> base_ = NewMemoryFileSystem();
  FaultInjectionFileSystem fs_{base_.get()};
};

TEST_F(FaultInjectionTest, ForwardsEverythingWithoutAFault) {
  ASSERT_TRUE(fs_.WriteFile("/t/a", "1").ok());
  ASSERT_TRUE(fs_.PutIfAbsent("/t/b", "2").ok());
  EXPECT_TRUE(fs_.PutIfAbsent("/t/b", "3").IsAlreadyExists());
  ASSERT_TRUE(fs_.Rename("/t/a", "/t/c").ok());
  EXPECT_EQ(base_->ReadFile("/t/c").ValueOr(""), "1");
  EXPECT_EQ(fs_.ReadFile("/t/b").ValueOr(""), "2");
  EXPECT_FALSE(fs_.crashed());
  EXPECT_FALSE(fs_.fault_pending());
}

TEST_F(FaultInjectionTest, CountsCallsByKindIncludingFailures) {
  ASSERT_TRUE(fs_.CreateDirectories("/t").ok());
  ASSERT_TRUE(fs_.WriteFile("/t/a", "1").ok());
  ASSERT_TRUE(fs_.WriteFile("/t/b", "2").ok());
  EXPECT_TRUE(fs_.PutIfAbsent("/t/a", "x").IsAlreadyExists());
  EXPECT_TRUE(fs_.ReadFile("/t/a").ok());
  EXPECT_FALSE(fs_.ReadFile("/t/missing").ok());
  EXPECT_TRUE(fs_.ListDirectory("/t").ok());
  EXPECT_TRUE(fs_.Stat("/t/a").ok());
  EXPECT_TRUE(fs_.Exists("/t/b"));
  ASSERT_TRUE(fs_.Rename("/t/a", "/t/c").ok());
  ASSERT_TRUE(fs_.DeleteFile("/t/c").ok());
  ASSERT_TRUE(fs_.DeleteFile("/t/b").ok());
  ASSERT_TRUE(fs_.DeleteDirectory("/t").ok());

  EXPECT_EQ(fs_.count(FileOp::kCreateDirectories), 1);
  EXPECT_EQ(fs_.count(FileOp::kWriteFile), 2);
  EXPECT_EQ(fs_.count(FileOp::kPutIfAbsent), 1);
  EXPECT_EQ(fs_.count(FileOp::kReadFile), 2);
  EXPECT_EQ(fs_.count(FileOp::kListDirectory), 1);
  EXPECT_EQ(fs_.count(FileOp::kStat), 2);
  EXPECT_EQ(fs_.count(FileOp::kRename), 1);
  EXPECT_EQ(fs_.count(FileOp::kDeleteFile), 2);
  EXPECT_EQ(fs_.count(FileOp::kDeleteDirectory), 1);
  EXPECT_EQ(fs_.mutation_count(), 8);

  fs_.ResetCounters();
  EXPECT_EQ(fs_.count(FileOp::kWriteFile), 0);
  EXPECT_EQ(fs_.mutation_count(), 0);
}

TEST_F(FaultInjectionTest, OpNames) {
  EXPECT_EQ(FileOpName(FileOp::kPutIfAbsent), "PutIfAbsent");
  EXPECT_EQ(FileOpName(FileOp::kCreateDirectories), "CreateDirectories");
  EXPECT_TRUE(IsMutation(FileOp::kRename));
  EXPECT_FALSE(IsMutation(FileOp::kStat));
}

TEST_F(FaultInjectionTest, NthMutationFailsThenTheFileSystemIsCrashed) {
  fs_.FailNthMutation(2);
  EXPECT_TRUE(fs_.fault_pending());
  ASSERT_TRUE(fs_.WriteFile("/t/0", "a").ok());
  ASSERT_TRUE(fs_.PutIfAbsent("/t/1", "b").ok());
  EXPECT_TRUE(fs_.ReadFile("/t/0").ok());  // reads do not count

  Status failed = fs_.PutIfAbsent("/t/2", "c");
  EXPECT_EQ(failed.code(), StatusCode::kIOError);
  EXPECT_THAT(failed.message(), HasSubstr("/t/2"));
  EXPECT_FALSE(base_->Exists("/t/2"));
  EXPECT_TRUE(fs_.crashed());
  EXPECT_FALSE(fs_.fault_pending());

  Status after = fs_.WriteFile("/t/3", "d");
  EXPECT_EQ(after.code(), StatusCode::kAborted);
  EXPECT_THAT(after.message(), HasSubstr("/t/3"));
  EXPECT_EQ(fs_.DeleteFile("/t/0").code(), StatusCode::kAborted);
  EXPECT_EQ(fs_.Rename("/t/0", "/t/9").code(), StatusCode::kAborted);
  EXPECT_EQ(fs_.CreateDirectories("/u").code(), StatusCode::kAborted);
  EXPECT_EQ(fs_.DeleteDirectory("/t").code(), StatusCode::kAborted);
  EXPECT_FALSE(base_->Exists("/t/3"));
  EXPECT_TRUE(base_->Exists("/t/0"));
  EXPECT_FALSE(base_->Exists("/u"));
  // What survived is still readable.
  EXPECT_EQ(fs_.ReadFile("/t/1").ValueOr(""), "b");
  EXPECT_EQ(fs_.ListDirectory("/t").value().size(), 2u);

  fs_.Reset();
  EXPECT_FALSE(fs_.crashed());
  ASSERT_TRUE(fs_.PutIfAbsent("/t/2", "c").ok());
  EXPECT_EQ(base_->ReadFile("/t/2").ValueOr(""), "c");
}

TEST_F(FaultInjectionTest, OnlyMutationsOnMatchingPathsCount) {
  fs_.FailNthMutation(1, "_delta_log");
  ASSERT_TRUE(fs_.WriteFile("/t/part-0.parquet", "p").ok());
  ASSERT_TRUE(fs_.PutIfAbsent("/t/_delta_log/0.json", "v0").ok());
  ASSERT_TRUE(fs_.WriteFile("/t/part-1.parquet", "p").ok());
  EXPECT_EQ(fs_.PutIfAbsent("/t/_delta_log/1.json", "v1").code(), StatusCode::kIOError);
  EXPECT_FALSE(base_->Exists("/t/_delta_log/1.json"));
  // Crashed means crashed, whatever the path.
  EXPECT_EQ(fs_.WriteFile("/t/part-2.parquet", "p").code(), StatusCode::kAborted);
}

TEST_F(FaultInjectionTest, RenameMatchesThroughItsTarget) {
  ASSERT_TRUE(base_->WriteFile("/t/tmp", "x").ok());
  fs_.FailNthMutation(0, "_last_checkpoint");
  EXPECT_EQ(fs_.Rename("/t/tmp", "/t/_last_checkpoint").code(), StatusCode::kIOError);
  EXPECT_TRUE(base_->Exists("/t/tmp"));
  EXPECT_FALSE(base_->Exists("/t/_last_checkpoint"));
}

TEST_F(FaultInjectionTest, AppliedFaultDoesTheWorkButReportsAnError) {
  MutationFault fault;
  fault.effect = MutationFault::Effect::kApplied;
  fs_.InjectFault(fault);
  Status status = fs_.PutIfAbsent("/t/_delta_log/5.json", "commit");
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_EQ(base_->ReadFile("/t/_delta_log/5.json").ValueOr(""), "commit");
  EXPECT_TRUE(fs_.crashed());
}

TEST_F(FaultInjectionTest, AppliedFaultOnDelete) {
  ASSERT_TRUE(base_->WriteFile("/t/f", "x").ok());
  MutationFault fault;
  fault.effect = MutationFault::Effect::kApplied;
  fs_.InjectFault(fault);
  EXPECT_EQ(fs_.DeleteFile("/t/f").code(), StatusCode::kIOError);
  EXPECT_FALSE(base_->Exists("/t/f"));
}

TEST_F(FaultInjectionTest, TornWriteLeavesAPrefixAtTheFinalPath) {
  ASSERT_TRUE(base_->WriteFile("/t/state", "old content").ok());
  MutationFault fault;
  fault.effect = MutationFault::Effect::kTorn;
  fault.torn_bytes = 3;
  fs_.InjectFault(fault);
  EXPECT_EQ(fs_.WriteFile("/t/state", "new content").code(), StatusCode::kIOError);
  EXPECT_EQ(base_->ReadFile("/t/state").ValueOr(""), "new");
}

TEST_F(FaultInjectionTest, TornPutIfAbsentKeepsHalfByDefault) {
  MutationFault fault;
  fault.effect = MutationFault::Effect::kTorn;
  fs_.InjectFault(fault);
  EXPECT_EQ(fs_.PutIfAbsent("/t/1.json", "{\"add\":{}}\n").code(), StatusCode::kIOError);
  EXPECT_EQ(base_->ReadFile("/t/1.json").ValueOr(""), "{\"add");
}

TEST_F(FaultInjectionTest, TornPutIfAbsentNeverTouchesAnExistingFile) {
  ASSERT_TRUE(base_->WriteFile("/t/1.json", "winner").ok());
  MutationFault fault;
  fault.effect = MutationFault::Effect::kTorn;
  fault.torn_bytes = 1;
  fs_.InjectFault(fault);
  EXPECT_EQ(fs_.PutIfAbsent("/t/1.json", "loser").code(), StatusCode::kIOError);
  EXPECT_EQ(base_->ReadFile("/t/1.json").ValueOr(""), "winner");
}

TEST_F(FaultInjectionTest, TornBytesAreClampedToTheData) {
  MutationFault fault;
  fault.effect = MutationFault::Effect::kTorn;
  fault.torn_bytes = 100;
  fs_.InjectFault(fault);
  EXPECT_FALSE(fs_.WriteFile("/t/a", "short").ok());
  EXPECT_EQ(base_->ReadFile("/t/a").ValueOr(""), "short");
}

TEST_F(FaultInjectionTest, TornFaultOnOtherMutationsDoesNothing) {
  ASSERT_TRUE(base_->WriteFile("/t/a", "x").ok());
  MutationFault fault;
  fault.effect = MutationFault::Effect::kTorn;
  fs_.InjectFault(fault);
  EXPECT_EQ(fs_.Rename("/t/a", "/t/b").code(), StatusCode::kIOError);
  EXPECT_TRUE(base_->Exists("/t/a"));
  EXPECT_FALSE(base_->Exists("/t/b"));
}

TEST_F(FaultInjectionTest, TornWriteOnTheLocalDisk) {
  sluice::testing::TempDir dir;
  FaultInjectionFileSystem local(LocalFileSystem());
  MutationFault fault;
  fault.effect = MutationFault::Effect::kTorn;
  fault.torn_bytes = 4;
  local.InjectFault(fault);
  EXPECT_FALSE(local.PutIfAbsent(dir.Child("log/0.json"), "{\"commitInfo\":{}}").ok());
  EXPECT_EQ(LocalFileSystem()->ReadFile(dir.Child("log/0.json")).ValueOr(""), "{\"co");
}

TEST_F(FaultInjectionTest, TransientFaultDoesNotCrash) {
  MutationFault fault;
  fault.skip = 1;
  fault.crash = false;
  fs_.InjectFault(fault);
  ASSERT_TRUE(fs_.WriteFile("/t/a", "1").ok());
  EXPECT_EQ(fs_.WriteFile("/t/b", "2").code(), StatusCode::kIOError);
  EXPECT_FALSE(fs_.crashed());
  ASSERT_TRUE(fs_.WriteFile("/t/b", "2").ok());
  ASSERT_TRUE(fs_.WriteFile("/t/c", "3").ok());
  EXPECT_EQ(base_->ReadFile("/t/b").ValueOr(""), "2");
}

TEST_F(FaultInjectionTest, CrashNowStopsAllMutations) {
  fs_.Crash();
  EXPECT_TRUE(fs_.crashed());
  EXPECT_EQ(fs_.PutIfAbsent("/t/a", "1").code(), StatusCode::kAborted);
  EXPECT_FALSE(base_->Exists("/t/a"));
  EXPECT_EQ(fs_.count(FileOp::kPutIfAbsent), 1);
  fs_.Reset();
  EXPECT_TRUE(fs_.PutIfAbsent("/t/a", "1").ok());
}

TEST_F(FaultInjectionTest, ANewFaultReplacesAPendingOne) {
  fs_.FailNthMutation(0, "never");
  fs_.FailNthMutation(1);
  ASSERT_TRUE(fs_.WriteFile("/a", "1").ok());
  EXPECT_EQ(fs_.WriteFile("/b", "2").code(), StatusCode::kIOError);
}

TEST_F(FaultInjectionTest, FailedReadsOfMatchingPaths) {
  ASSERT_TRUE(base_->WriteFile("/t/_delta_log/0.json", "v0").ok());
  ASSERT_TRUE(base_->WriteFile("/t/_delta_log/1.json", "v1").ok());
  fs_.FailReads("1.json");
  auto failed = fs_.ReadFile("/t/_delta_log/1.json");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  EXPECT_THAT(failed.status().message(), HasSubstr("/t/_delta_log/1.json"));
  EXPECT_EQ(fs_.ReadFile("/t/_delta_log/0.json").ValueOr(""), "v0");
  // The file is still listed and stat-able: it vanished or broke after the listing.
  EXPECT_TRUE(fs_.Exists("/t/_delta_log/1.json"));
  EXPECT_EQ(fs_.ListDirectory("/t/_delta_log").value().size(), 2u);
  // Mutations are unaffected.
  EXPECT_TRUE(fs_.WriteFile("/t/_delta_log/1.json", "v1'").ok());

  fs_.FailReads("0.json", StatusCode::kNotFound);
  EXPECT_TRUE(fs_.ReadFile("/t/_delta_log/0.json").status().IsNotFound());

  fs_.Reset();
  EXPECT_EQ(fs_.ReadFile("/t/_delta_log/0.json").ValueOr(""), "v0");
  EXPECT_EQ(fs_.ReadFile("/t/_delta_log/1.json").ValueOr(""), "v1'");
}

TEST_F(FaultInjectionTest, ExactlyOneOfManyConcurrentMutationsFails) {
  constexpr int kThreads = 6;
  constexpr int kWritesEach = 20;
  fs_.FailNthMutation(37);
  std::atomic<int> ok = 0;
  std::atomic<int> io_errors = 0;
  std::atomic<int> aborted = 0;
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kWritesEach; ++i) {
        Status status = fs_.WriteFile("/t/" + std::to_string(t) + "/" + std::to_string(i), "x");
        if (status.ok()) ++ok;
        if (status.code() == StatusCode::kIOError) ++io_errors;
        if (status.code() == StatusCode::kAborted) ++aborted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(io_errors, 1);
  EXPECT_EQ(ok, 37);
  EXPECT_EQ(aborted, kThreads * kWritesEach - 38);
  EXPECT_EQ(fs_.count(FileOp::kWriteFile), kThreads * kWritesEach);
}

}  // namespace
}  // namespace sluice::io
