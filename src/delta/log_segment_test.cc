#include "delta/log_segment.h"

#include <gtest/gtest.h>

#include "common/strings.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

using testing::ConformancePath;

std::string Golden(const std::string& name) {
  return ConformancePath("delta-kernel-rs/golden_data/" + name + "/delta");
}

TEST(LogFileNameTest, RecognizesEveryKind) {
  auto commit = ParseLogFileName("00000000000000000007.json");
  ASSERT_TRUE(commit);
  EXPECT_EQ(commit->kind, LogFileKind::kCommit);
  EXPECT_EQ(commit->version, 7);

  auto classic = ParseLogFileName("00000000000000000010.checkpoint.parquet");
  ASSERT_TRUE(classic);
  EXPECT_EQ(classic->kind, LogFileKind::kClassicCheckpoint);

  auto multi = ParseLogFileName("00000000000000000010.checkpoint.0000000002.0000000003.parquet");
  ASSERT_TRUE(multi);
  EXPECT_EQ(multi->kind, LogFileKind::kMultiPartCheckpoint);
  EXPECT_EQ(multi->part, 2);
  EXPECT_EQ(multi->num_parts, 3);

  auto v2 =
      ParseLogFileName("00000000000000000002.checkpoint.3a0d65cd-4056-49b8-937b-95f9e3ee90e5.json");
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->kind, LogFileKind::kV2Checkpoint);

  auto compaction = ParseLogFileName("00000000000000000001.00000000000000000004.compacted.json");
  ASSERT_TRUE(compaction);
  EXPECT_EQ(compaction->kind, LogFileKind::kCompaction);
  EXPECT_EQ(compaction->end_version, 4);

  EXPECT_FALSE(ParseLogFileName("_last_checkpoint"));
  EXPECT_FALSE(ParseLogFileName(".00000000000000000000.json.crc"));
  EXPECT_FALSE(ParseLogFileName("00000000000000000000.json.tmp"));
  EXPECT_FALSE(ParseLogFileName("garbage.json"));
}

TEST(LogSegmentTest, StartsFromNewestCheckpoint) {
  auto segment = BuildLogSegment(*io::LocalFileSystem(), Golden("checkpoint"));
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  EXPECT_EQ(segment->version, 14);
  EXPECT_EQ(segment->checkpoint_version, 10);
  ASSERT_EQ(segment->checkpoint.size(), 1u);
  ASSERT_EQ(segment->commits.size(), 4u);
  EXPECT_EQ(segment->commits.front().version, 11);
  EXPECT_EQ(segment->commits.back().version, 14);
}

TEST(LogSegmentTest, TimeTravelBeforeCheckpointReplaysCommits) {
  auto segment = BuildLogSegment(*io::LocalFileSystem(), Golden("checkpoint"), 5);
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  EXPECT_EQ(segment->checkpoint_version, -1);
  EXPECT_EQ(segment->commits.size(), 6u);
}

TEST(LogSegmentTest, MultiPartCheckpointNeedsAllParts) {
  auto segment = BuildLogSegment(*io::LocalFileSystem(), Golden("multi-part-checkpoint"));
  ASSERT_TRUE(segment.ok()) << segment.status().ToString();
  EXPECT_EQ(segment->checkpoint.size(), 2u);

  testing::TempDir dir;
  testing::CopyTree(Golden("multi-part-checkpoint"), dir.Child("t"));
  auto listing = io::LocalFileSystem()->ListDirectory(dir.Child("t/_delta_log"));
  ASSERT_TRUE(listing.ok());
  for (const auto& entry : *listing) {
    if (entry.name.find(".checkpoint.0000000002.") != std::string::npos) {
      ASSERT_TRUE(io::LocalFileSystem()->DeleteFile(dir.Child("t/_delta_log/" + entry.name)).ok());
    }
  }
  auto incomplete = BuildLogSegment(*io::LocalFileSystem(), dir.Child("t"));
  ASSERT_TRUE(incomplete.ok()) << incomplete.status().ToString();
  EXPECT_TRUE(incomplete->checkpoint.empty()) << "an incomplete multi-part set must be ignored";
  EXPECT_EQ(incomplete->commits.front().version, 0);
}

TEST(LogSegmentTest, GapIsCorruptionNamingMissingCommit) {
  auto segment = BuildLogSegment(*io::LocalFileSystem(), Golden("versions-not-contiguous"));
  ASSERT_FALSE(segment.ok());
  EXPECT_EQ(segment.status().code(), StatusCode::kCorruption);
  EXPECT_NE(segment.status().message().find("00000000000000000001.json is missing"),
            std::string::npos)
      << segment.status().message();
}

TEST(LogSegmentTest, MissingLogIsNotATable) {
  auto segment = BuildLogSegment(*io::LocalFileSystem(), Golden("no-delta-log-folder"));
  ASSERT_FALSE(segment.ok());
  EXPECT_TRUE(segment.status().IsNotFound());
  EXPECT_NE(segment.status().message().find("not a Delta table"), std::string::npos);
}

TEST(LogSegmentTest, CleanedUpCommitsNeedCheckpoint) {
  std::string no_replay = ConformancePath("dat-v0.0.2/reader_tests/no_replay/delta");
  auto latest = BuildLogSegment(*io::LocalFileSystem(), no_replay);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->checkpoint_version, 2);
  auto old = BuildLogSegment(*io::LocalFileSystem(), no_replay, 0);
  ASSERT_FALSE(old.ok());
  EXPECT_TRUE(old.status().IsNotFound());
  EXPECT_NE(old.status().message().find("cannot be rebuilt"), std::string::npos);
}

TEST(LogSegmentTest, FutureVersionIsNotFound) {
  auto segment = BuildLogSegment(*io::LocalFileSystem(), Golden("checkpoint"), 15);
  ASSERT_FALSE(segment.ok());
  EXPECT_NE(segment.status().message().find("the latest is 14"), std::string::npos);
}

}  // namespace
}  // namespace sluice::delta
