#include "delta/history.h"

#include <gtest/gtest.h>

#include "delta/table_test_fixture.h"
#include "delta/write.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

class HistoryTest : public DeltaTableTest {
 protected:
  void SetUp() override {
    DeltaTableTest::SetUp();
    context_.clock = &clock_;
  }
  void Commit(int id) {
    auto result = WriteTable(context_, root_, "SELECT " + std::to_string(id) + " AS id", options_);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    clock_.AdvanceMillis(1000);
  }

  ManualClock clock_{1700000000000};
  WriteOptions options_;
};

TEST_F(HistoryTest, NewestFirstWithLimit) {
  for (int i = 0; i < 4; ++i) Commit(i);
  auto all = ReadHistory(*context_.fs, root_);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ(all->front().version, 3);
  EXPECT_EQ(all->back().version, 0);
  auto two = ReadHistory(*context_.fs, root_, 2);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);
}

TEST_F(HistoryTest, TimeTravelByInCommitTimestamp) {
  options_.table_properties = {{"delta.enableInCommitTimestamps", "true"}};
  for (int i = 0; i < 3; ++i) Commit(i);  // at 1700000000000, +1000, +2000
  EXPECT_EQ(*VersionAtTimestamp(*context_.fs, root_, 1700000000000), 0);
  EXPECT_EQ(*VersionAtTimestamp(*context_.fs, root_, 1700000000999), 0);
  EXPECT_EQ(*VersionAtTimestamp(*context_.fs, root_, 1700000001000), 1);
  EXPECT_EQ(*VersionAtTimestamp(*context_.fs, root_, 1700000002000), 2);

  auto before = VersionAtTimestamp(*context_.fs, root_, 1600000000000);
  ASSERT_FALSE(before.ok());
  EXPECT_NE(before.status().message().find("before the earliest commit"), std::string::npos);
  auto after = VersionAtTimestamp(*context_.fs, root_, 1800000000000);
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.status().message().find("after the latest commit"), std::string::npos);
}

TEST_F(HistoryTest, TimestampsAreMadeMonotonic) {
  for (int i = 0; i < 3; ++i) Commit(i);
  auto entries = std::move(ReadHistory(*context_.fs, root_)).value();
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_GT(entries[i - 1].timestamp_ms, entries[i].timestamp_ms);
  }
}

}  // namespace
}  // namespace sluice::delta
