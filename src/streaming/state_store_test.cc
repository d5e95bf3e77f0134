#include "streaming/state_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/strings.h"
#include "streaming/watermark.h"
#include "support/temp_dir.h"

namespace sluice::streaming {
namespace {

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = engine::Database::Open();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(*database);
    auto connection = database_->Connect();
    ASSERT_TRUE(connection.ok());
    connection_ = std::move(*connection);
  }

  StateStore Load(int64_t version) {
    auto store = StateStore::Load(*io::LocalFileSystem(), *connection_, dir_.Child("state"),
                                  "state_rows", version);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(*store);
  }

  // Loading `version` fails as Corruption whose message names `path`.
  void ExpectCorruptionNaming(int64_t version, const std::string& path) {
    auto store = StateStore::Load(*io::LocalFileSystem(), *connection_, dir_.Child("state"),
                                  "state_rows", version);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
    EXPECT_NE(store.status().message().find(path), std::string::npos) << store.status().message();
  }

  // The ids of the rows of the loaded state, in order.
  std::string Ids() {
    auto result = connection_->Query(
        "SELECT coalesce(string_agg(id::VARCHAR, ',' ORDER BY id), '') FROM state_rows");
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result->Scalar()->ToString();
  }

  // One batch: rows id in [from, to) expiring at id * 10, evicted to `evict`.
  void Batch(StateStore& store, int from, int to, int64_t evict) {
    ASSERT_TRUE(store
                    .Put("SELECT i AS id, i * 10 AS __expires_us, i AS __row_id FROM range(" +
                         std::to_string(from) + ", " + std::to_string(to) + ") t(i)")
                    .ok());
    ASSERT_TRUE(store.Evict(evict).ok());
    ASSERT_TRUE(store.Commit("{\"watermark\": " + std::to_string(evict) + "}").ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
};

TEST_F(StateStoreTest, VersionZeroIsEmpty) {
  StateStore store = Load(0);
  EXPECT_FALSE(store.has_table());
  EXPECT_EQ(store.info().version, 0);
}

TEST_F(StateStoreTest, EachVersionReplaysItsDeltasAndEvictions) {
  {
    StateStore store = Load(0);
    Batch(store, 0, 5, 0);    // version 1: 1..4 (0 expired at 0)
    Batch(store, 5, 8, 25);   // version 2: 3..7
    Batch(store, 8, 10, 45);  // version 3: 5..9
    EXPECT_EQ(store.info().rows, 5);
    EXPECT_EQ(store.info().metadata, "{\"watermark\":45}");
  }
  StateStore v1 = Load(1);
  EXPECT_EQ(Ids(), "1,2,3,4");
  StateStore v2 = Load(2);
  EXPECT_EQ(Ids(), "3,4,5,6,7");
  StateStore v3 = Load(3);
  EXPECT_EQ(Ids(), "5,6,7,8,9");
  EXPECT_EQ(v3.info().evicted_to, 45);
}

// Counts are kept as rows are put, evicted and removed, not recounted: they must match the
// rows, and a delta holds only the rows its version kept (even when evicted or removed in
// the batch that put them).
TEST_F(StateStoreTest, CountsFollowPutsEvictionsAndRemovals) {
  {
    StateStore store = Load(0);
    ASSERT_TRUE(store
                    .Put("SELECT i AS id, i * 10 AS __expires_us, i AS __row_id FROM "
                         "range(0, 6) t(i)")
                    .ok());
    EXPECT_EQ(store.last_put_rows(), 6);
    ASSERT_TRUE(store
                    .Put("SELECT i AS id, NULL::BIGINT AS __expires_us, i AS __row_id FROM "
                         "range(6, 8) t(i)")
                    .ok());
    EXPECT_EQ(store.last_put_rows(), 2);
    ASSERT_TRUE(store.Evict(20).ok());  // drops 0, 1, 2
    ASSERT_TRUE(store.Remove("SELECT 4 UNION ALL SELECT 7").ok());
    ASSERT_TRUE(store.Commit("{}").ok());
    EXPECT_EQ(Ids(), "3,5,6");
    EXPECT_EQ(store.info().rows, 3);
    // The next version: 3 and the new 8 expire by 30; 6 has no expiry and stays.
    ASSERT_TRUE(store
                    .Put("SELECT i AS id, (i * 10 - 55) AS __expires_us, i AS __row_id FROM "
                         "range(8, 10) t(i)")
                    .ok());
    EXPECT_EQ(store.last_put_rows(), 2);
    ASSERT_TRUE(store.Evict(30).ok());
    ASSERT_TRUE(store.Commit("{}").ok());
    EXPECT_EQ(Ids(), "5,6,9");
    EXPECT_EQ(store.info().rows, 3);
  }
  StateStore v1 = Load(1);
  EXPECT_EQ(Ids(), "3,5,6");
  EXPECT_EQ(v1.info().rows, 3);
  StateStore v2 = Load(2);
  EXPECT_EQ(Ids(), "5,6,9");
  EXPECT_EQ(v2.info().rows, 3);
  // Version 2 is a delta of the one row it kept (8 was evicted in the batch that put it).
  auto delta = connection_->Query("SELECT string_agg(id::VARCHAR, ',') FROM read_parquet('" +
                                  dir_.Child("state") + "/2.delta.parquet')");
  ASSERT_TRUE(delta.ok()) << delta.status().ToString();
  EXPECT_EQ(delta->Scalar()->ToString(), "9");
}

TEST_F(StateStoreTest, SnapshotsKeepLoadingCheapAndOldFilesGo) {
  {
    StateStore store = Load(0);
    for (int batch = 0; batch < 25; ++batch) {
      Batch(store, batch * 2, batch * 2 + 2, batch * 10);
      // In memory, the committed rows stay in parts, folded into one now and then: ids
      // batch + 1 .. 2 * batch + 1 (those at or below `batch` expired).
      std::vector<std::string> ids;
      for (int id = batch + 1; id <= 2 * batch + 1; ++id) ids.push_back(std::to_string(id));
      EXPECT_EQ(Ids(), Join(ids, ",")) << "after batch " << batch;
    }
    EXPECT_EQ(Ids(), "25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49");
    EXPECT_EQ(store.info().rows, 25);
  }
  // Two rows added and about one evicted per version: a snapshot whenever the deltas since
  // the last one add up to the state's rows.
  const std::string state = dir_.Child("state");
  int snapshots = 0, files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(state)) {
    ++files;
    if (entry.path().string().find("snapshot") != std::string::npos) ++snapshots;
  }
  // Snapshots at versions 1, 2, 4, 8 and 16; the versions before the one before the newest
  // (8) are deleted, so that version 24 still loads.
  EXPECT_EQ(snapshots, 2);
  EXPECT_EQ(files, 2 * (25 - 8 + 1));
  EXPECT_FALSE(std::filesystem::exists(state + "/7.json"));
  EXPECT_TRUE(std::filesystem::exists(state + "/8.snapshot.parquet"));
  StateStore v25 = Load(25);
  EXPECT_EQ(Ids(), "25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49");
  StateStore v24 = Load(24);
  EXPECT_EQ(v24.info().version, 24);
  EXPECT_EQ(Ids().substr(0, 3), "24,");
}

TEST_F(StateStoreTest, ASnapshotFileWithoutItsCommitIsNotRead) {
  {
    StateStore store = Load(0);
    Batch(store, 0, 10, 0);   // version 1: a snapshot (no deltas before it)
    Batch(store, 10, 11, 0);  // version 2: a delta
  }
  // A crashed commit of version 2 could have left a snapshot file of other rows.
  ASSERT_TRUE(connection_
                  ->Execute("COPY (SELECT 99 AS id, 990 AS __expires_us, 99 AS __row_id) TO '" +
                            dir_.Child("state/2.snapshot.parquet") + "' (FORMAT parquet)")
                  .ok());
  StateStore v2 = Load(2);
  EXPECT_EQ(Ids(), "1,2,3,4,5,6,7,8,9,10");
}

// An eviction covers the rows loaded before it, not those of later versions: rows put after
// an eviction to 25 that expire earlier (here with a lower eviction of their own) stay.
TEST_F(StateStoreTest, AnEvictionCoversOnlyTheRowsOfItsVersionAndBefore) {
  {
    StateStore store = Load(0);
    Batch(store, 1, 6, 25);  // version 1: 3, 4, 5
    ASSERT_TRUE(store
                    .Put("SELECT i AS id, (i - 5) * 10 - 5 AS __expires_us, i AS __row_id FROM "
                         "range(6, 8) t(i)")
                    .ok());            // expiring at 5 and 15
    ASSERT_TRUE(store.Evict(0).ok());  // version 2: evicted to 0
    ASSERT_TRUE(store.Commit("{}").ok());
    EXPECT_EQ(Ids(), "3,4,5,6,7");
  }
  StateStore v2 = Load(2);
  EXPECT_EQ(Ids(), "3,4,5,6,7");
  EXPECT_EQ(v2.info().rows, 5);
}

TEST_F(StateStoreTest, AnUnreadableDeltaIsCorruptionNamingTheFile) {
  {
    StateStore store = Load(0);
    Batch(store, 0, 3, 0);
    Batch(store, 3, 6, 0);
  }
  const std::string delta = dir_.Child("state/2.delta.parquet");
  {
    std::ofstream out(delta, std::ios::trunc);
    out << "not parquet";
  }
  ExpectCorruptionNaming(2, delta);
}

TEST_F(StateStoreTest, RemovedRowsStayRemovedAfterReload) {
  {
    StateStore store = Load(0);
    Batch(store, 0, 6, -1);
    ASSERT_TRUE(store.Remove("SELECT 2 UNION ALL SELECT 4").ok());
    ASSERT_TRUE(store.Commit("{}").ok());
    EXPECT_EQ(store.info().rows, 4);
  }
  StateStore v2 = Load(2);
  EXPECT_EQ(Ids(), "0,1,3,5");
}

TEST_F(StateStoreTest, AMissingVersionIsCorruptionNamingTheFile) {
  {
    StateStore store = Load(0);
    Batch(store, 0, 3, 0);
    Batch(store, 3, 6, 0);
  }
  std::filesystem::remove(dir_.Child("state/1.json"));
  ExpectCorruptionNaming(2, dir_.Child("state/1.json"));
}

TEST(WatermarkTrackerTest, MinimumOfInputsThatHaveSeenRowsAndNeverBack) {
  WatermarkTracker tracker;
  EXPECT_EQ(tracker.watermark_ms(), 0);
  tracker.Observe("a", 600'000'000, 60'000'000);  // 10 min less 1 min
  EXPECT_TRUE(tracker.Advance());
  EXPECT_EQ(tracker.watermark_ms(), 540'000);
  tracker.Observe("b", 300'000'000, 60'000'000);  // b holds the watermark back
  EXPECT_FALSE(tracker.Advance());
  EXPECT_EQ(tracker.watermark_ms(), 540'000);
  tracker.Observe("b", 900'000'999, 60'000'000);  // a is now the minimum
  EXPECT_FALSE(tracker.Advance());
  EXPECT_EQ(tracker.watermark_ms(), 540'000);
  auto restored = WatermarkTracker::FromJson(tracker.ToJson(), false);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->watermark_ms(), 540'000);

  WatermarkTracker max_policy(true);
  max_policy.Observe("a", 600'000'000, 60'000'000);
  max_policy.Observe("b", 900'000'000, 60'000'000);
  EXPECT_TRUE(max_policy.Advance());
  EXPECT_EQ(max_policy.watermark_ms(), 840'000);
}

}  // namespace
}  // namespace sluice::streaming
