#include "runtime/analysis_memo.h"

#include <gtest/gtest.h>

namespace sluice::runtime {
namespace {

constexpr char kPath[] = "/p/.sluice/system/analysis.json";

spark::BoundRelation Input(const std::string& type) {
  auto relation = RelationOfColumns("\"__sluice_def_0\"", {{"id", type}});
  EXPECT_TRUE(relation.ok()) << relation.status().ToString();
  return *relation;
}

TEST(AnalysisMemoTest, KeysTellQueriesAndInputsApart) {
  const std::string sql = "SELECT id FROM \"__sluice_def_0\"";
  const std::string key = AnalysisMemo::Key(sql, {Input("BIGINT")});
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key, AnalysisMemo::Key(sql, {Input("BIGINT")}));
  EXPECT_NE(key, AnalysisMemo::Key(sql, {Input("INTEGER")}));
  EXPECT_NE(key, AnalysisMemo::Key(sql + " WHERE id > 0", {Input("BIGINT")}));
  EXPECT_NE(key, AnalysisMemo::Key(sql, {}));
}

TEST(AnalysisMemoTest, KeepsTheEntriesTheLastAnalysisUsed) {
  auto fs = io::NewMemoryFileSystem();
  {
    AnalysisMemo memo = AnalysisMemo::Load(*fs, kPath);
    EXPECT_EQ(memo.Find("a"), nullptr);
    memo.Remember("a", {{"id", "BIGINT"}});
    memo.Remember("b", {});
    ASSERT_TRUE(memo.Save().ok());
  }
  {
    AnalysisMemo memo = AnalysisMemo::Load(*fs, kPath);
    const DescribedColumns* a = memo.Find("a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(*a, (DescribedColumns{{"id", "BIGINT"}}));
    ASSERT_TRUE(memo.Save().ok());  // only "a" was used
  }
  AnalysisMemo memo = AnalysisMemo::Load(*fs, kPath);
  EXPECT_NE(memo.Find("a"), nullptr);
  EXPECT_EQ(memo.Find("b"), nullptr);
}

TEST(AnalysisMemoTest, AnUnreadableMemoIsEmpty) {
  auto fs = io::NewMemoryFileSystem();
  ASSERT_TRUE(fs->WriteFile(kPath, "{not json").ok());
  AnalysisMemo memo = AnalysisMemo::Load(*fs, kPath);
  EXPECT_EQ(memo.Find("a"), nullptr);
  ASSERT_TRUE(
      fs->WriteFile(kPath, R"({"entries": {"a": [["id"]], "b": [["id", "BIGINT"]]}})").ok());
  memo = AnalysisMemo::Load(*fs, kPath);
  EXPECT_EQ(memo.Find("a"), nullptr);
  EXPECT_NE(memo.Find("b"), nullptr);
}

}  // namespace
}  // namespace sluice::runtime
