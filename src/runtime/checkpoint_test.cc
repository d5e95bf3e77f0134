#include "runtime/checkpoint.h"

#include <gtest/gtest.h>

namespace sluice::runtime {
namespace {

constexpr char kDir[] = "/cp/flow";
constexpr char kFiles[] = "files:/data";
constexpr char kTable[] = "dataset:bronze";

BatchOffsets Batch(int64_t id) {
  BatchOffsets offsets;
  offsets.batch_id = id;
  SourceOffset files;
  files.files.push_back({"/data/" + std::to_string(id) + ".json", 10 + id, 1000 * id});
  files.schema_version = id / 50;
  offsets.sources[kFiles] = files;
  SourceOffset table;
  table.table_id = "t1";
  table.start_version = id;
  table.end_version = id + 1;
  offsets.sources[kTable] = table;
  return offsets;
}

size_t FilesIn(io::FileSystem& fs, const std::string& dir) {
  auto entries = fs.ListDirectory(dir);
  return entries.ok() ? entries->size() : 0;
}

TEST(FlowCheckpoint, ReopensWhatWasCommittedAndThePendingBatch) {
  auto fs = io::NewMemoryFileSystem();
  {
    auto checkpoint = FlowCheckpoint::Open(*fs, kDir, "flow");
    ASSERT_TRUE(checkpoint.ok());
    for (int64_t id = 0; id < 3; ++id) {
      ASSERT_TRUE(checkpoint->WriteOffsets(Batch(id)).ok());
      ASSERT_TRUE(checkpoint->Commit(Batch(id), id).ok());
    }
    ASSERT_TRUE(checkpoint->WriteOffsets(Batch(3)).ok());
  }
  auto reopened = FlowCheckpoint::Open(*fs, kDir, "flow");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->last_committed(), 2);
  ASSERT_TRUE(reopened->pending().has_value());
  EXPECT_EQ(reopened->pending()->batch_id, 3);
  EXPECT_EQ(reopened->pending()->sources.at(kFiles).files, Batch(3).sources.at(kFiles).files);
  EXPECT_EQ(reopened->seen_files().at(kFiles).size(), 3u);
  EXPECT_EQ(reopened->seen_files().at(kFiles).at("/data/1.json").batch_id, 1);
  EXPECT_EQ(reopened->seen_files().at(kFiles).at("/data/2.json").file.size, 12);
  EXPECT_EQ(reopened->committed_sources().at(kTable).end_version, 3);
}

TEST(FlowCheckpoint, CompactsEveryHundredBatchesAndReopensTheSameState) {
  auto fs = io::NewMemoryFileSystem();
  {
    auto checkpoint = FlowCheckpoint::Open(*fs, kDir, "flow");
    ASSERT_TRUE(checkpoint.ok());
    for (int64_t id = 0; id < 250; ++id) {
      ASSERT_TRUE(checkpoint->WriteOffsets(Batch(id)).ok());
      ASSERT_TRUE(checkpoint->Commit(Batch(id), id).ok());
    }
    ASSERT_TRUE(checkpoint->WriteOffsets(Batch(250)).ok());
  }
  // Compacted after batches 99 and 199; offsets from batch 189 on are kept.
  EXPECT_TRUE(fs->Exists(std::string(kDir) + "/compact/199.json"));
  EXPECT_FALSE(fs->Exists(std::string(kDir) + "/compact/99.json"));
  EXPECT_FALSE(fs->Exists(std::string(kDir) + "/offsets/188.json"));
  EXPECT_TRUE(fs->Exists(std::string(kDir) + "/offsets/189.json"));
  EXPECT_EQ(FilesIn(*fs, std::string(kDir) + "/offsets"), 62u);  // 189 .. 250
  EXPECT_EQ(FilesIn(*fs, std::string(kDir) + "/commits"), 250u);

  auto reopened = FlowCheckpoint::Open(*fs, kDir, "flow");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened->last_committed(), 249);
  EXPECT_EQ(reopened->next_batch_id(), 250);
  ASSERT_TRUE(reopened->pending().has_value());
  EXPECT_EQ(reopened->pending()->batch_id, 250);
  const auto& seen = reopened->seen_files().at(kFiles);
  ASSERT_EQ(seen.size(), 250u);
  EXPECT_EQ(seen.at("/data/7.json").batch_id, 7);
  EXPECT_EQ(seen.at("/data/7.json").file.modification_time_ms, 7000);
  EXPECT_EQ(seen.at("/data/249.json").file.size, 259);
  EXPECT_EQ(reopened->committed_sources().at(kTable).end_version, 250);
  EXPECT_EQ(reopened->committed_sources().at(kFiles).schema_version, 4);
}

TEST(FlowCheckpoint, ReadsFileListsOfEarlierVersions) {
  auto fs = io::NewMemoryFileSystem();
  ASSERT_TRUE(FlowCheckpoint::Open(*fs, kDir, "flow").ok());
  ASSERT_TRUE(
      fs->WriteFile(std::string(kDir) + "/offsets/0.json",
                    R"({"batch_id":0,"sources":{"files:/data":{"files":["/data/a.json"]}}})")
          .ok());
  ASSERT_TRUE(fs->WriteFile(std::string(kDir) + "/commits/0.json", R"({"batch_id":0})").ok());
  auto reopened = FlowCheckpoint::Open(*fs, kDir, "flow");
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened->seen_files().at(kFiles).count("/data/a.json"), 1u);
}

TEST(FlowCheckpoint, CorruptCompactionIsAnErrorNamingTheFile) {
  auto fs = io::NewMemoryFileSystem();
  ASSERT_TRUE(FlowCheckpoint::Open(*fs, kDir, "flow").ok());
  ASSERT_TRUE(fs->WriteFile(std::string(kDir) + "/compact/99.json", "{not json").ok());
  auto reopened = FlowCheckpoint::Open(*fs, kDir, "flow");
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kCorruption);
  EXPECT_NE(reopened.status().message().find("/cp/flow/compact/99.json"), std::string::npos)
      << reopened.status().message();
}

}  // namespace
}  // namespace sluice::runtime
