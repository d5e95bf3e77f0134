// One behaviour suite run against every FileSystem implementation.
#include "io/file_system.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/clock.h"
#include "io/file_system_test_util.h"

namespace sluice::io {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Names(const std::vector<FileInfo>& entries) {
  std::vector<std::string> names;
  for (const FileInfo& entry : entries) names.push_back(entry.name);
  return names;
}

class FileSystemTest : public FileSystemTestBase {};

TEST_P(FileSystemTest, WriteThenReadReturnsTheBytes) {
  std::string binary("a\0b\nc\xff", 6);
  ASSERT_TRUE(fs().WriteFile(P("file.bin"), binary).ok());
  auto content = fs().ReadFile(P("file.bin"));
  ASSERT_TRUE(content.ok()) << content.status().ToString();
  EXPECT_EQ(*content, binary);
}

TEST_P(FileSystemTest, WriteReplacesTheWholeContent) {
  ASSERT_TRUE(fs().WriteFile(P("f"), "a long first version").ok());
  ASSERT_TRUE(fs().WriteFile(P("f"), "short").ok());
  EXPECT_EQ(fs().ReadFile(P("f")).ValueOr("?"), "short");
  ASSERT_TRUE(fs().WriteFile(P("f"), "").ok());
  EXPECT_EQ(fs().ReadFile(P("f")).ValueOr("?"), "");
}

TEST_P(FileSystemTest, LargeFileRoundTrips) {
  std::string data;
  for (int i = 0; data.size() < 3 * 1024 * 1024; ++i) data += std::to_string(i) + ",";
  ASSERT_TRUE(fs().WriteFile(P("big"), data).ok());
  EXPECT_EQ(fs().ReadFile(P("big")).ValueOr(""), data);
  EXPECT_EQ(fs().Stat(P("big")).value().size, static_cast<int64_t>(data.size()));
}

TEST_P(FileSystemTest, WriteCreatesParentDirectories) {
  ASSERT_TRUE(fs().WriteFile(P("a/b/c/f.json"), "{}").ok());
  EXPECT_EQ(fs().ReadFile(P("a/b/c/f.json")).ValueOr(""), "{}");
  auto info = fs().Stat(P("a/b"));
  ASSERT_TRUE(info.ok());
  EXPECT_TRUE(info->is_directory);
}

TEST_P(FileSystemTest, ReadingAMissingFileIsNotFoundNamingThePath) {
  auto content = fs().ReadFile(P("nope/missing.json"));
  ASSERT_FALSE(content.ok());
  EXPECT_TRUE(content.status().IsNotFound());
  EXPECT_THAT(content.status().message(), HasSubstr(P("nope/missing.json")));
  EXPECT_THAT(content.status().message(), HasSubstr("No such file or directory"));
}

TEST_P(FileSystemTest, ReadingADirectoryFails) {
  ASSERT_TRUE(fs().CreateDirectories(P("d")).ok());
  auto content = fs().ReadFile(P("d"));
  ASSERT_FALSE(content.ok());
  EXPECT_EQ(content.status().code(), StatusCode::kIOError);
  EXPECT_THAT(content.status().message(), HasSubstr(P("d")));
}

TEST_P(FileSystemTest, WritingOverADirectoryFailsAndKeepsIt) {
  ASSERT_TRUE(fs().WriteFile(P("d/inner"), "x").ok());
  Status status = fs().WriteFile(P("d"), "data");
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_THAT(status.message(), HasSubstr(P("d")));
  EXPECT_EQ(fs().ReadFile(P("d/inner")).ValueOr(""), "x");
}

TEST_P(FileSystemTest, PutIfAbsentWritesOnlyTheFirstTime) {
  ASSERT_TRUE(fs().PutIfAbsent(P("log/0.json"), "first").ok());
  Status second = fs().PutIfAbsent(P("log/0.json"), "second");
  EXPECT_TRUE(second.IsAlreadyExists()) << second.ToString();
  EXPECT_THAT(second.message(), HasSubstr(P("log/0.json")));
  EXPECT_EQ(fs().ReadFile(P("log/0.json")).ValueOr(""), "first");
  // Losing leaves nothing behind in the directory.
  EXPECT_THAT(Names(fs().ListDirectory(P("log")).value()), ElementsAre("0.json"));
}

TEST_P(FileSystemTest, PutIfAbsentOnADirectoryIsAlreadyExists) {
  ASSERT_TRUE(fs().CreateDirectories(P("d")).ok());
  EXPECT_TRUE(fs().PutIfAbsent(P("d"), "x").IsAlreadyExists());
  EXPECT_TRUE(fs().Stat(P("d")).value().is_directory);
}

TEST_P(FileSystemTest, PutIfAbsentOfAnEmptyFile) {
  ASSERT_TRUE(fs().PutIfAbsent(P("empty"), "").ok());
  EXPECT_EQ(fs().ReadFile(P("empty")).ValueOr("?"), "");
  EXPECT_TRUE(fs().PutIfAbsent(P("empty"), "").IsAlreadyExists());
}

TEST_P(FileSystemTest, ListDirectoryIsSortedByNameWithSizes) {
  ASSERT_TRUE(fs().WriteFile(P("t/b.json"), "bb").ok());
  ASSERT_TRUE(fs().PutIfAbsent(P("t/a.json"), "a").ok());
  ASSERT_TRUE(fs().WriteFile(P("t/B"), "BBBB").ok());
  ASSERT_TRUE(fs().WriteFile(P("t/sub/deep/x"), "xxx").ok());
  ASSERT_TRUE(fs().WriteFile(P("t/a-b"), "").ok());
  auto entries = fs().ListDirectory(P("t"));
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_THAT(Names(*entries), ElementsAre("B", "a-b", "a.json", "b.json", "sub"));
  const std::vector<int64_t> sizes = {4, 0, 1, 2, 0};
  for (size_t i = 0; i < entries->size(); ++i) {
    const FileInfo& entry = (*entries)[i];
    EXPECT_EQ(entry.size, sizes[i]) << entry.name;
    EXPECT_EQ(entry.is_directory, entry.name == "sub") << entry.name;
    EXPECT_NEAR(entry.modification_time_ms, Clock::Real()->NowMillis(), 10 * 60 * 1000);
  }
}

TEST_P(FileSystemTest, ListDirectoryOfEmptyDirectoryAndWithTrailingSlash) {
  ASSERT_TRUE(fs().CreateDirectories(P("empty")).ok());
  EXPECT_TRUE(fs().ListDirectory(P("empty")).value().empty());
  ASSERT_TRUE(fs().WriteFile(P("d/f"), "1").ok());
  EXPECT_THAT(Names(fs().ListDirectory(P("d/")).value()), ElementsAre("f"));
}

TEST_P(FileSystemTest, ListDirectoryOfMissingOrFileFails) {
  auto missing = fs().ListDirectory(P("missing"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound());
  EXPECT_THAT(missing.status().message(), HasSubstr(P("missing")));
  ASSERT_TRUE(fs().WriteFile(P("file"), "x").ok());
  auto of_file = fs().ListDirectory(P("file"));
  ASSERT_FALSE(of_file.ok());
  EXPECT_EQ(of_file.status().code(), StatusCode::kIOError);
  EXPECT_THAT(of_file.status().message(), HasSubstr(P("file")));
}

TEST_P(FileSystemTest, StatDescribesFilesAndDirectories) {
  ASSERT_TRUE(fs().WriteFile(P("dir/data.bin"), "12345").ok());
  auto file = fs().Stat(P("dir/data.bin"));
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->name, "data.bin");
  EXPECT_FALSE(file->is_directory);
  EXPECT_EQ(file->size, 5);
  auto dir = fs().Stat(P("dir/"));
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(dir->name, "dir");
  EXPECT_TRUE(dir->is_directory);
  EXPECT_EQ(dir->size, 0);
  EXPECT_TRUE(fs().Exists(P("dir")));
  EXPECT_TRUE(fs().Exists(P("dir/data.bin")));
  EXPECT_FALSE(fs().Exists(P("dir/other")));
}

TEST_P(FileSystemTest, StatOfMissingPathIsNotFound) {
  auto info = fs().Stat(P("ghost"));
  ASSERT_FALSE(info.ok());
  EXPECT_TRUE(info.status().IsNotFound());
  EXPECT_THAT(info.status().message(), HasSubstr(P("ghost")));
}

TEST_P(FileSystemTest, DeleteFileRemovesIt) {
  ASSERT_TRUE(fs().WriteFile(P("f"), "x").ok());
  ASSERT_TRUE(fs().DeleteFile(P("f")).ok());
  EXPECT_FALSE(fs().Exists(P("f")));
  Status again = fs().DeleteFile(P("f"));
  EXPECT_TRUE(again.IsNotFound());
  EXPECT_THAT(again.message(), HasSubstr(P("f")));
}

TEST_P(FileSystemTest, DeleteFileRefusesADirectory) {
  ASSERT_TRUE(fs().CreateDirectories(P("d")).ok());
  Status status = fs().DeleteFile(P("d"));
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_TRUE(fs().Exists(P("d")));
}

TEST_P(FileSystemTest, DeleteDirectoryOnlyWhenEmpty) {
  ASSERT_TRUE(fs().WriteFile(P("d/f"), "x").ok());
  Status not_empty = fs().DeleteDirectory(P("d"));
  EXPECT_EQ(not_empty.code(), StatusCode::kIOError);
  EXPECT_THAT(not_empty.message(), HasSubstr(P("d")));
  EXPECT_EQ(fs().ReadFile(P("d/f")).ValueOr(""), "x");

  EXPECT_EQ(fs().DeleteDirectory(P("d/f")).code(), StatusCode::kIOError);
  ASSERT_TRUE(fs().DeleteFile(P("d/f")).ok());
  ASSERT_TRUE(fs().DeleteDirectory(P("d")).ok());
  EXPECT_FALSE(fs().Exists(P("d")));
  EXPECT_TRUE(fs().DeleteDirectory(P("d")).IsNotFound());
}

TEST_P(FileSystemTest, CreateDirectoriesIsMkdirMinusP) {
  ASSERT_TRUE(fs().CreateDirectories(P("a/b/c")).ok());
  ASSERT_TRUE(fs().CreateDirectories(P("a/b/c")).ok());
  ASSERT_TRUE(fs().CreateDirectories(P("a/b")).ok());
  EXPECT_THAT(Names(fs().ListDirectory(P("a")).value()), ElementsAre("b"));
  EXPECT_THAT(Names(fs().ListDirectory(P("a/b")).value()), ElementsAre("c"));
  EXPECT_TRUE(fs().Stat(P("a/b/c")).value().is_directory);
}

TEST_P(FileSystemTest, CreateDirectoriesThroughAFileFails) {
  ASSERT_TRUE(fs().WriteFile(P("f"), "x").ok());
  Status at_file = fs().CreateDirectories(P("f"));
  EXPECT_EQ(at_file.code(), StatusCode::kIOError);
  EXPECT_THAT(at_file.message(), HasSubstr(P("f")));
  EXPECT_EQ(fs().CreateDirectories(P("f/sub")).code(), StatusCode::kIOError);
  EXPECT_FALSE(fs().WriteFile(P("f/sub/g"), "y").ok());
  EXPECT_EQ(fs().ReadFile(P("f")).ValueOr(""), "x");
}

TEST_P(FileSystemTest, RenameMovesAndReplaces) {
  ASSERT_TRUE(fs().WriteFile(P("from"), "new").ok());
  ASSERT_TRUE(fs().WriteFile(P("to"), "old").ok());
  ASSERT_TRUE(fs().Rename(P("from"), P("to")).ok());
  EXPECT_FALSE(fs().Exists(P("from")));
  EXPECT_EQ(fs().ReadFile(P("to")).ValueOr(""), "new");
}

TEST_P(FileSystemTest, RenameOfMissingSourceIsNotFoundNamingBothPaths) {
  Status status = fs().Rename(P("absent"), P("target"));
  EXPECT_TRUE(status.IsNotFound()) << status.ToString();
  EXPECT_THAT(status.message(), HasSubstr(P("absent")));
  EXPECT_THAT(status.message(), HasSubstr(P("target")));
}

TEST_P(FileSystemTest, RenameIntoAMissingDirectoryIsNotFound) {
  ASSERT_TRUE(fs().WriteFile(P("f"), "x").ok());
  EXPECT_TRUE(fs().Rename(P("f"), P("no/such/dir/f")).IsNotFound());
  EXPECT_EQ(fs().ReadFile(P("f")).ValueOr(""), "x");
}

TEST_P(FileSystemTest, RenameMovesADirectoryTree) {
  ASSERT_TRUE(fs().WriteFile(P("old/a/1"), "one").ok());
  ASSERT_TRUE(fs().WriteFile(P("old/2"), "two").ok());
  ASSERT_TRUE(fs().Rename(P("old"), P("new")).ok());
  EXPECT_FALSE(fs().Exists(P("old")));
  EXPECT_EQ(fs().ReadFile(P("new/a/1")).ValueOr(""), "one");
  EXPECT_EQ(fs().ReadFile(P("new/2")).ValueOr(""), "two");
  EXPECT_THAT(Names(fs().ListDirectory(P("new")).value()), ElementsAre("2", "a"));
}

TEST_P(FileSystemTest, RenameOfAFileOntoADirectoryFails) {
  ASSERT_TRUE(fs().WriteFile(P("f"), "x").ok());
  ASSERT_TRUE(fs().CreateDirectories(P("d")).ok());
  EXPECT_EQ(fs().Rename(P("f"), P("d")).code(), StatusCode::kIOError);
  EXPECT_TRUE(fs().Stat(P("d")).value().is_directory);
  EXPECT_EQ(fs().ReadFile(P("f")).ValueOr(""), "x");
}

INSTANTIATE_TEST_SUITE_P(AllFileSystems, FileSystemTest,
                         ::testing::Values(FileSystemKind::kLocal, FileSystemKind::kMemory),
                         FileSystemKindName);

TEST(MemoryFileSystemTest, ModificationTimesComeFromTheClock) {
  ManualClock clock(1'700'000'000'000);
  auto fs = NewMemoryFileSystem(&clock);
  ASSERT_TRUE(fs->WriteFile("/t/a", "1").ok());
  clock.AdvanceMillis(5);
  ASSERT_TRUE(fs->PutIfAbsent("/t/b", "2").ok());
  auto entries = fs->ListDirectory("/t");
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].modification_time_ms, 1'700'000'000'000);
  EXPECT_EQ((*entries)[1].modification_time_ms, 1'700'000'000'005);
  clock.AdvanceMillis(5);
  ASSERT_TRUE(fs->Rename("/t/a", "/t/c").ok());  // renaming keeps the time, as on disk
  EXPECT_EQ(fs->Stat("/t/c").value().modification_time_ms, 1'700'000'000'000);
  EXPECT_EQ(fs->Stat("/t").value().modification_time_ms, 1'700'000'000'000);
}

TEST(MemoryFileSystemTest, PathsAreNormalized) {
  auto fs = NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFile("/a//b/./c", "x").ok());
  EXPECT_EQ(fs->ReadFile("/a/b/c").ValueOr(""), "x");
  EXPECT_EQ(fs->ReadFile("/a/b/d/../c").ValueOr(""), "x");
  EXPECT_THAT(Names(fs->ListDirectory("/").value()), ElementsAre("a"));
  // Relative paths are a tree of their own.
  EXPECT_FALSE(fs->Exists("a/b/c"));
  ASSERT_TRUE(fs->WriteFile("rel/f", "y").ok());
  EXPECT_THAT(Names(fs->ListDirectory(".").value()), ElementsAre("rel"));
  EXPECT_THAT(Names(fs->ListDirectory("/").value()), ElementsAre("a"));
}

TEST(MemoryFileSystemTest, InstancesAreIndependent) {
  auto one = NewMemoryFileSystem();
  auto two = NewMemoryFileSystem();
  ASSERT_TRUE(one->WriteFile("/f", "x").ok());
  EXPECT_FALSE(two->Exists("/f"));
}

}  // namespace
}  // namespace sluice::io
