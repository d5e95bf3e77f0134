#include <gtest/gtest.h>

#include "io/file_system.h"

namespace sluice::io {
namespace {

TEST(JoinPathTest, PutsExactlyOneSlashBetweenParts) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("a//", "/b"), "a/b");
  EXPECT_EQ(JoinPath("/t/_delta_log", "00.json"), "/t/_delta_log/00.json");
  EXPECT_EQ(JoinPath("/", "b"), "/b");
  EXPECT_EQ(JoinPath("a", "b/c/"), "a/b/c/");
}

TEST(JoinPathTest, AnEmptyPartYieldsTheOther) {
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(JoinPath("", "/b"), "/b");
  EXPECT_EQ(JoinPath("a/", ""), "a/");
  EXPECT_EQ(JoinPath("", ""), "");
}

TEST(BaseNameTest, IsThePartAfterTheLastSlash) {
  EXPECT_EQ(BaseName("/t/_delta_log/00.json"), "00.json");
  EXPECT_EQ(BaseName("file"), "file");
  EXPECT_EQ(BaseName("dir/"), "");
  EXPECT_EQ(BaseName("/"), "");
  EXPECT_EQ(BaseName(""), "");
}

TEST(DirNameTest, IsThePartBeforeTheLastSlash) {
  EXPECT_EQ(DirName("/t/_delta_log/00.json"), "/t/_delta_log");
  EXPECT_EQ(DirName("a/b"), "a");
  EXPECT_EQ(DirName("file"), "");
  EXPECT_EQ(DirName("/file"), "/");
  EXPECT_EQ(DirName("/"), "/");
  EXPECT_EQ(DirName("dir/"), "dir");
}

}  // namespace
}  // namespace sluice::io
