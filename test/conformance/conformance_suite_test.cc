// Tests of the conformance suite's own checks: that a wrong type, a missing or renamed
// column, a wrong value beside a known-bad one and a case gone missing all fail.
#include <gtest/gtest.h>

#include <filesystem>

#include "conformance/conformance.h"
#include "engine/engine.h"
#include "support/temp_dir.h"

namespace sluice::conformance {
namespace {

namespace fs = std::filesystem;

class CompareRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto database = engine::Database::Open();
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(*database);
    auto connection = database_->Connect();
    ASSERT_TRUE(connection.ok()) << connection.status().ToString();
    connection_ = std::move(*connection);
  }

  Status Compare(const std::string& actual, const std::string& expected,
                 const CompareOptions& options = {}) {
    return CompareRows(*connection_, actual, "(" + expected + ")", options);
  }

  std::unique_ptr<engine::Database> database_;
  std::unique_ptr<engine::Connection> connection_;
};

TEST_F(CompareRowsTest, EqualRowsInAnotherOrderPass) {
  EXPECT_TRUE(Compare("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) t(id, s)",
                      "SELECT * FROM (VALUES (2, 'b'), (1, 'a')) t(id, s)")
                  .ok());
}

TEST_F(CompareRowsTest, DecimalReadAsDoubleFails) {
  Status status = Compare("SELECT 1.5::DOUBLE AS d", "SELECT 1.50::DECIMAL(4,2) AS d");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("column d is read as DOUBLE"), std::string::npos)
      << status.ToString();
}

TEST_F(CompareRowsTest, TimestampUnitsAndZoneFlagAreOneKind) {
  // Spark writes INT96 or microseconds, with or without the UTC flag.
  EXPECT_TRUE(Compare("SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' AS t",
                      "SELECT TIMESTAMP_NS '2024-01-01 00:00:00' AS t")
                  .ok());
  EXPECT_TRUE(SameTypeKind("STRUCT(a TIMESTAMP WITH TIME ZONE)[]", "STRUCT(a TIMESTAMP_NS)[]"));
  EXPECT_FALSE(SameTypeKind("STRUCT(a DOUBLE)", "STRUCT(a DECIMAL(4,2))"));
}

TEST_F(CompareRowsTest, TypeOtherThanTheDeclaredOneFails) {
  // A widened column (integer to long) read with the type of its old files.
  CompareOptions options;
  options.expected_typed = false;
  options.declared_types = {{"x", "BIGINT"}};
  Status status = Compare("SELECT 1::INTEGER AS x", "SELECT '1' AS x", options);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("the table declares BIGINT"), std::string::npos)
      << status.ToString();
  EXPECT_TRUE(Compare("SELECT 1::BIGINT AS x", "SELECT '1' AS x", options).ok());
}

TEST_F(CompareRowsTest, RenamedColumnOfAProjectionFails) {
  // A change feed's expectation lists its columns; each must be in the result.
  CompareOptions options;
  options.columns = {"id", "_change_type", "_commit_version"};
  options.expected_typed = false;
  Status status =
      Compare("SELECT 1 AS id, 'insert' AS _change_type, 0::BIGINT AS _commit_ver",
              "SELECT '1' AS id, 'insert' AS _change_type, '0' AS _commit_version", options);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("expected column _commit_version is missing"), std::string::npos)
      << status.ToString();
}

TEST_F(CompareRowsTest, MissingAndExtraColumnsFail) {
  EXPECT_FALSE(Compare("SELECT 1 AS a", "SELECT 1 AS a, 2 AS b").ok());
  EXPECT_FALSE(Compare("SELECT 1 AS a, 2 AS b", "SELECT 1 AS a").ok());
}

TEST_F(CompareRowsTest, CorrectionExcusesItsValueOnly) {
  CompareOptions options;
  options.corrections = {{"v", "wrong", "right"}};
  EXPECT_TRUE(
      Compare("SELECT 1 AS id, 'right' AS v", "SELECT 1 AS id, 'wrong' AS v", options).ok());
  // Any other difference still fails.
  EXPECT_FALSE(
      Compare("SELECT 1 AS id, 'other' AS v", "SELECT 1 AS id, 'wrong' AS v", options).ok());
  EXPECT_FALSE(
      Compare("SELECT 2 AS id, 'right' AS v", "SELECT 1 AS id, 'wrong' AS v", options).ok());
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const Case& c : AllCases()) names.push_back(c.name);
  return names;
}

TEST(ManifestTest, ListsExactlyTheCasesFound) {
  auto listed = ReadManifest(SLUICE_CONFORMANCE_MANIFEST);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  std::vector<std::string> problems = CompareWithManifest(*listed, CaseNames());
  EXPECT_TRUE(problems.empty()) << problems.front();
}

// A copy of the conformance folder made of links, in which one golden table lost its
// expected/ folder: the case is reported missing, not silently dropped.
TEST(ManifestTest, MissingExpectedFolderIsReported) {
  const std::string real = testing::ConformancePath("");
  testing::TempDir dir;
  const fs::path root = dir.path();
  for (const char* set : {"dat-v0.0.2", "delta-golden-extra", "delta-rs"}) {
    fs::create_directory_symlink(fs::path(real) / set, root / set);
  }
  fs::create_directories(root / "delta-kernel-rs" / "golden_data");
  fs::create_directory_symlink(fs::path(real) / "delta-kernel-rs" / "data",
                               root / "delta-kernel-rs" / "data");
  for (const auto& entry : fs::directory_iterator(fs::path(real) / "delta-kernel-rs/golden_data")) {
    const std::string name = entry.path().filename().string();
    const fs::path link = root / "delta-kernel-rs" / "golden_data" / name;
    if (name == "basic-decimal-table") {
      fs::create_directory(link);
      fs::create_directory_symlink(entry.path() / "delta", link / "delta");
    } else {
      fs::create_directory_symlink(entry.path(), link);
    }
  }
  const std::string saved = Root();
  SetRoot(root.string());
  std::vector<std::string> found = CaseNames();
  SetRoot(saved);

  auto listed = ReadManifest(SLUICE_CONFORMANCE_MANIFEST);
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(found.size() + 1, listed->size());
  std::vector<std::string> problems = CompareWithManifest(*listed, found);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(
      problems[0].rfind("golden/basic-decimal-table: listed in the manifest but not found", 0), 0u)
      << problems[0];
}

TEST(ManifestTest, UnlistedCaseIsReported) {
  std::vector<std::string> problems = CompareWithManifest({"a", "b"}, {"a", "b", "c"});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "c: found but not in the manifest");
}

}  // namespace
}  // namespace sluice::conformance
