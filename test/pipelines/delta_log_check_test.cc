// The log validator as the pipeline tests run it: every Delta table below a test's folder
// is checked after each update, and a violation fails the test at that `run` line.
#include "support/delta_log_check.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "script_runner.h"
#include "support/temp_dir.h"

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;

// A log whose version 0 lacks protocol and metaData.
void WriteBrokenTable(const fs::path& table) {
  WriteTextFile((table / "_delta_log" / "00000000000000000000.json").string(),
                "{\"commitInfo\":{\"operation\":\"WRITE\"}}\n");
}

TEST(DeltaLogCheckTest, FindsEveryTableBelowTheFolder) {
  TempDir dir;
  const fs::path root(dir.path());
  WriteBrokenTable(root / "a");
  WriteBrokenTable(root / "b" / "c");
  WriteTextFile((root / "d" / "file.json").string(), "{}\n");
  EXPECT_EQ(FindDeltaTables(dir.path()),
            (std::vector<std::string>{(root / "a").string(), (root / "b" / "c").string()}));
}

TEST(DeltaLogCheckTest, NamesTheTableAndTheRule) {
  TempDir dir;
  WriteBrokenTable(fs::path(dir.path()) / "t");
  std::vector<std::string> violations = ValidateDeltaLogs(dir.path());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_NE(violations[0].find(dir.path() + "/t: "), std::string::npos) << violations[0];
  EXPECT_NE(violations[0].find("version0"), std::string::npos) << violations[0];
  EXPECT_EQ(ValidateDeltaLogs(dir.path(), {dir.path() + "/t"}), std::vector<std::string>{});
}

// A pipeline test fails at its `run` line when a table in its folder has an invalid log,
// and passes when the only such table is one the test wrote itself.
TEST(DeltaLogCheckTest, PipelineTestFailsAtTheRunThatLeavesAnInvalidLog) {
  const std::string pipeline =
      "file pipeline.yml\nname: check\n====\n\n"
      "file p.sql\nCREATE MATERIALIZED VIEW t AS SELECT 1 AS x;\n====\n\n";
  {
    TempDir dir;
    const std::string script = dir.Child("check.test");
    WriteTextFile(script, pipeline + "run\nstate COMPLETED\n");
    const std::string work = dir.Child("work");
    fs::create_directories(work);
    // Not written by the test's records: as if the update had written it.
    WriteBrokenTable(fs::path(work) / "ext");
    std::vector<ScriptFailure> failures = RunPipelineScript(script, work);
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].line, 9);  // the `run` record
    EXPECT_NE(failures[0].message.find("invalid Delta log after this update"), std::string::npos)
        << failures[0].message;
    EXPECT_NE(failures[0].message.find("version0"), std::string::npos) << failures[0].message;
  }
  {
    TempDir dir;
    const std::string script = dir.Child("check.test");
    WriteTextFile(script, pipeline +
                              "file ext/_delta_log/00000000000000000000.json\n"
                              "{\"commitInfo\":{\"operation\":\"WRITE\"}}\n====\n\n"
                              "run\nstate COMPLETED\n");
    const std::string work = dir.Child("work");
    fs::create_directories(work);
    std::vector<ScriptFailure> failures = RunPipelineScript(script, work);
    for (const ScriptFailure& failure : failures) ADD_FAILURE() << failure.message;
  }
}

}  // namespace
}  // namespace sluice::testing
