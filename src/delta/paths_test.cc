#include "delta/paths.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "delta/json_tree.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

TEST(PathsTest, EncodesLikeSpark) {
  // Examples from Spark-written logs in the conformance tables.
  EXPECT_EQ(EncodeAddPath("letter=%2F%2520%25f/date=1970-01-01/data=hello/part-00000.parquet"),
            "letter=%252F%252520%2525f/date=1970-01-01/data=hello/part-00000.parquet");
  EXPECT_EQ(EncodeAddPath("time=1970-01-01 00%3A00%3A00/part-0.parquet"),
            "time=1970-01-01%2000%253A00%253A00/part-0.parquet");
  EXPECT_EQ(EncodeAddPath("c2=+ %3D%250/p.parquet"), "c2=+%20%253D%25250/p.parquet");
  EXPECT_EQ(EncodeAddPath("special p@#h"), "special%20p@%23h");
  EXPECT_EQ(EncodeAddPath("data=😈/x"), "data=😈/x");
  EXPECT_EQ(EncodeAddPath("a?b[c]{d}|e^f`g\"h<i>j\\k"),
            "a%3Fb%5Bc%5D%7Bd%7D%7Ce%5Ef%60g%22h%3Ci%3Ej%5Ck");
  EXPECT_EQ(EncodeAddPath("unreserved-_.!~*'(),;$&+=@"), "unreserved-_.!~*'(),;$&+=@");
  EXPECT_EQ(EncodeAddPath("tab\there"), "tab%09here");
  EXPECT_EQ(EncodeAddPath("a:b"), "a%3Ab");
  EXPECT_EQ(EncodeAddPath("nbsp\xC2\xA0x"), "nbsp%C2%A0x");
  EXPECT_EQ(EncodeAddPath("bad\xFFutf8"), "bad%FFutf8");
}

TEST(PathsTest, DecodesExactlyOnce) {
  EXPECT_EQ(*DecodeAddPath("time=1970-01-01%2000%253A00%253A00/p"),
            "time=1970-01-01 00%3A00%3A00/p");
  EXPECT_EQ(*DecodeAddPath("a+b%2Dc%2dd"), "a+b-c-d");
  EXPECT_EQ(*DecodeAddPath("data=😈"), "data=😈");
  for (const char* bad : {"100%", "a%2", "a%zz"}) {
    auto decoded = DecodeAddPath(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(decoded.status().message(), HasSubstr(bad));
  }
  for (const char* text : {"x y/%z#", "a:b/é/\t", "100% done"}) {
    EXPECT_EQ(*DecodeAddPath(EncodeAddPath(text)), text);
  }
}

TEST(PathsTest, ResolvesRelativeAndAbsoluteForms) {
  EXPECT_EQ(*ResolveDataFilePath("/t", "a=1/part%20x.parquet"), "/t/a=1/part x.parquet");
  EXPECT_EQ(*ResolveDataFilePath("/t/", "a%253A/b.parquet"), "/t/a%3A/b.parquet");
  EXPECT_EQ(*ResolveDataFilePath("file:///t%20x", "p.parquet"), "/t x/p.parquet");
  EXPECT_EQ(*ResolveDataFilePath("file:/t", "./p//q.parquet"), "/t/p/q.parquet");
  // The golden canonicalized-paths cases: all four spellings are one file.
  const std::string expected = "/some/unqualified/with space/p@#h";
  for (const char* spelling :
       {"/some/unqualified/with%20space/p@%23h", "file:/some/unqualified/with%20space/p@%23h",
        "file:///some/unqualified/with%20space/p@%23h",
        "file://localhost/some/unqualified/with%20space/p@%23h"}) {
    auto resolved = ResolveDataFilePath("/elsewhere", spelling);
    ASSERT_TRUE(resolved.ok()) << spelling << ": " << resolved.status().ToString();
    EXPECT_EQ(*resolved, expected) << spelling;
  }
  auto remote = ResolveDataFilePath("/t", "s3://bucket/key.parquet");
  ASSERT_FALSE(remote.ok());
  EXPECT_EQ(remote.status().code(), StatusCode::kNotSupported);
  EXPECT_THAT(remote.status().message(), HasSubstr("s3"));
  auto other_host = ResolveDataFilePath("/t", "file://server/x.parquet");
  ASSERT_FALSE(other_host.ok());
  EXPECT_EQ(other_host.status().code(), StatusCode::kNotSupported);
  EXPECT_FALSE(ResolveDataFilePath("/t", "bad%zz").ok());
  EXPECT_FALSE(ResolveDataFilePath("/t", "").ok());
}

// Every data file path in the conformance logs re-encodes to the text Spark wrote, and every
// relative one of a table with data resolves to a file that exists.
TEST(PathsTest, ConformanceLogPaths) {
  int checked = 0;
  int found_on_disk = 0;
  for (const auto& entry : fs::recursive_directory_iterator(sluice::testing::ConformancePath(""))) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json" ||
        entry.path().parent_path().filename() != "_delta_log") {
      continue;
    }
    fs::path table_root = entry.path().parent_path().parent_path();
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("\"add\"") == std::string::npos) continue;
      auto action = json_tree::Parse(line);
      ASSERT_TRUE(action.ok()) << entry.path() << ": " << action.status().ToString();
      const json_tree::Node* add = action->Find("add");
      if (add == nullptr || add->Find("path") == nullptr) continue;
      const std::string& path = add->Find("path")->text;
      auto decoded = DecodeAddPath(path);
      ASSERT_TRUE(decoded.ok()) << entry.path() << ": " << decoded.status().ToString();
      // One table spells '-' as "%2D", which Spark would not write.
      if (path.find("%2D") == std::string::npos && path.find(':') == std::string::npos) {
        EXPECT_EQ(EncodeAddPath(*decoded), path) << entry.path();
        ++checked;
      }
      auto resolved = ResolveDataFilePath(table_root.string(), path);
      ASSERT_TRUE(resolved.ok()) << entry.path() << ": " << resolved.status().ToString();
      if (fs::exists(*resolved)) ++found_on_disk;
    }
  }
  EXPECT_GT(checked, 500);
  EXPECT_GT(found_on_disk, 300);
}

TEST(PathsTest, PartitionDirectoriesWithEscapesExistOnDisk) {
  std::string root =
      sluice::testing::ConformancePath("dat-v0.0.2/reader_tests/multi_partitioned_2/delta");
  std::ifstream in(root + "/_delta_log/00000000000000000000.json");
  std::string line;
  int files = 0;
  while (std::getline(in, line)) {
    auto action = json_tree::Parse(line);
    ASSERT_TRUE(action.ok()) << action.status().ToString();
    const json_tree::Node* add = action->Find("add");
    if (add == nullptr) continue;
    auto resolved = ResolveDataFilePath(root, add->Find("path")->text);
    ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
    EXPECT_THAT(*resolved, HasSubstr("%3A"));
    EXPECT_TRUE(fs::exists(*resolved)) << *resolved;
    ++files;
  }
  EXPECT_GT(files, 0);
}

}  // namespace
}  // namespace sluice::delta
