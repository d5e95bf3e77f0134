#include "common/sync_point.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "support/crash_child.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

using ::testing::HasSubstr;

class SyncPointTest : public ::testing::Test {
 protected:
  void TearDown() override { SyncPoints::Get().ClearAll(); }
};

// A protocol with three marked steps, recording how far it got.
Status ThreeSteps(int* steps_done) {
  SLUICE_SYNC_POINT("test.step1");
  ++*steps_done;
  SLUICE_SYNC_POINT("test.step2");
  ++*steps_done;
  SLUICE_SYNC_POINT("test.step3");
  ++*steps_done;
  return Status::OK();
}

TEST_F(SyncPointTest, UnregisteredPointsPass) {
  EXPECT_TRUE(SyncPoints::Get().Process("test.nothing").ok());
  int steps = 0;
  EXPECT_TRUE(ThreeSteps(&steps).ok());
  EXPECT_EQ(steps, 3);
}

TEST_F(SyncPointTest, CallbackStatusIsReturned) {
  int calls = 0;
  SyncPoints::Get().Set("test.point", [&] {
    ++calls;
    return Conflict("injected");
  });
  Status status = SyncPoints::Get().Process("test.point");
  EXPECT_TRUE(status.IsConflict());
  EXPECT_EQ(status.message(), "injected");
  EXPECT_TRUE(SyncPoints::Get().Process("test.other").ok());
  EXPECT_EQ(calls, 1);
}

TEST_F(SyncPointTest, ClearRemovesOneCallback) {
  SyncPoints::Get().Set("test.a", [] { return Aborted("a"); });
  SyncPoints::Get().Set("test.b", [] { return Aborted("b"); });
  SyncPoints::Get().Clear("test.a");
  EXPECT_TRUE(SyncPoints::Get().Process("test.a").ok());
  EXPECT_FALSE(SyncPoints::Get().Process("test.b").ok());
  SyncPoints::Get().ClearAll();
  EXPECT_TRUE(SyncPoints::Get().Process("test.b").ok());
}

TEST_F(SyncPointTest, SetReplacesTheCallback) {
  SyncPoints::Get().Set("test.point", [] { return Aborted("first"); });
  SyncPoints::Get().Set("test.point", [] { return Aborted("second"); });
  EXPECT_EQ(SyncPoints::Get().Process("test.point").message(), "second");
}

TEST_F(SyncPointTest, KillPointFailsTheFirstHitWithoutSkip) {
  ArmKillPoint("test.kill");
  Status status = SyncPoints::Get().Process("test.kill");
  EXPECT_EQ(status.code(), StatusCode::kAborted);
  EXPECT_THAT(status.message(), HasSubstr("test.kill"));
}

TEST_F(SyncPointTest, KillPointSkipsThenStaysArmed) {
  ArmKillPoint("test.kill", 2);
  EXPECT_TRUE(SyncPoints::Get().Process("test.kill").ok());
  EXPECT_TRUE(SyncPoints::Get().Process("test.kill").ok());
  EXPECT_EQ(SyncPoints::Get().Process("test.kill").code(), StatusCode::kAborted);
  EXPECT_EQ(SyncPoints::Get().Process("test.kill").code(), StatusCode::kAborted);
  SyncPoints::Get().Clear("test.kill");
  EXPECT_TRUE(SyncPoints::Get().Process("test.kill").ok());
}

#ifdef SLUICE_SYNC_POINTS
TEST_F(SyncPointTest, KillPointStopsTheMarkedCodeAtThatStep) {
  ArmKillPoint("test.step2");
  int steps = 0;
  Status status = ThreeSteps(&steps);
  EXPECT_EQ(status.code(), StatusCode::kAborted);
  EXPECT_THAT(status.message(), HasSubstr("test.step2"));
  EXPECT_EQ(steps, 1);  // the work after the point never happened
}

TEST_F(SyncPointTest, CallbackCanBlockAnotherThreadAtAStep) {
  // The worker waits at step2 until the test lets it go, so the test can observe the state
  // between two steps.
  std::atomic<bool> reached = false;
  std::atomic<bool> release = false;
  SyncPoints::Get().Set("test.step2", [&] {
    reached = true;
    while (!release) std::this_thread::yield();
    return Status::OK();
  });
  int steps = 0;
  Status status;
  std::thread worker([&] { status = ThreeSteps(&steps); });
  while (!reached) std::this_thread::yield();
  EXPECT_EQ(steps, 1);  // parked after step 1; step 2's work waits
  release = true;
  worker.join();
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(steps, 3);
}
#else
TEST_F(SyncPointTest, MarkedCodeIgnoresArmedPointsInReleaseBuilds) {
  ArmKillPoint("test.step2");
  int steps = 0;
  EXPECT_TRUE(ThreeSteps(&steps).ok());
  EXPECT_EQ(steps, 3);
}
#endif

TEST_F(SyncPointTest, ConcurrentHitsAreAllSeen) {
  std::atomic<int> hits = 0;
  SyncPoints::Get().Set("test.count", [&] {
    ++hits;
    return Status::OK();
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 250; ++i) SyncPoints::Get().Process("test.count").IgnoreError();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(hits, 1000);
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// An exit point ends the (child) process at its hit: the steps after it never run and the
// marked code never sees an error it could handle.
TEST_F(SyncPointTest, ExitPointEndsTheProcessAtTheHitItNames) {
  testing::TempDir dir;
  const std::string log = dir.Child("log");
  auto three_steps = [&log] {
    for (int step = 1; step <= 3; ++step) {
      Status status = SyncPoints::Get().Process("test.step");
      std::ofstream(log, std::ios::app) << (status.ok() ? std::to_string(step) : "error");
    }
  };
  Status killed = testing::RunInChildKilledAt("test.step", 1, three_steps);
  EXPECT_TRUE(killed.ok()) << killed.ToString();
  EXPECT_EQ(ReadText(log), "1");

  Status finished = testing::RunInChildKilledAt("test.step", 3, three_steps);
  EXPECT_EQ(finished.code(), StatusCode::kNotFound) << finished.ToString();
  EXPECT_EQ(ReadText(log), "1123");
  // The parent's points were never armed.
  EXPECT_TRUE(SyncPoints::Get().Process("test.step").ok());
}

}  // namespace
}  // namespace sluice
