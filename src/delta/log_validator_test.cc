#include "delta/log_validator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

namespace fs = std::filesystem;

class LogValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(engine::Database::Open()).value();
    connection_ = std::move(db_->Connect()).value();
  }
  std::vector<LogViolation> Validate(const std::string& root) {
    auto violations = ValidateLog(*io::LocalFileSystem(), *connection_, root);
    EXPECT_TRUE(violations.ok()) << violations.status().ToString();
    return violations.ok() ? *violations : std::vector<LogViolation>{};
  }
  // A table whose commit 0 is `lines` (one action per element), with one data file.
  std::string MakeTable(const std::vector<std::string>& lines) {
    std::string root = dir_.Child("t" + std::to_string(++tables_));
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    EXPECT_TRUE(io::LocalFileSystem()
                    ->WriteFile(root + "/_delta_log/00000000000000000000.json", text)
                    .ok());
    EXPECT_TRUE(io::LocalFileSystem()->WriteFile(root + "/a.parquet", "x").ok());
    EXPECT_TRUE(io::LocalFileSystem()->WriteFile(root + "/p=1/b.parquet", "x").ok());
    return root;
  }
  static std::vector<std::string> Rules(const std::vector<LogViolation>& violations) {
    std::vector<std::string> rules;
    for (const auto& v : violations) rules.push_back(v.rule);
    return rules;
  }

  testing::TempDir dir_;
  int tables_ = 0;
  std::unique_ptr<engine::Database> db_;
  std::unique_ptr<engine::Connection> connection_;
};

const std::string kProtocol = R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})";
const std::string kMetadata =
    R"({"metaData":{"id":"x","format":{"provider":"parquet","options":{}},)"
    R"("schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"p\",\"type\":\"integer\",\"nullable\":true,\"metadata\":{}}]}",)"
    R"("partitionColumns":["p"],"configuration":{}}})";
const std::string kGoodAdd =
    R"({"add":{"path":"p=1/b.parquet","partitionValues":{"p":"1"},"size":1,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":2,\"nullCount\":{\"id\":0}}"}})";

TEST_F(LogValidatorTest, SparkTablesAreValid) {
  // Negative cases and tables whose data files were not kept are not candidates.
  const std::set<std::string> exempt = {
      "deltalog-invalid-protocol-version", "versions-not-contiguous", "no-delta-log-folder",
      "deltalog-state-reconstruction-from-checkpoint-missing-metadata",
      "deltalog-state-reconstruction-from-checkpoint-missing-protocol",
      "deltalog-state-reconstruction-without-metadata",
      "deltalog-state-reconstruction-without-protocol", "hive",
      // Logs whose data files are absent or fake (the README says so).
      "with_checkpoint_no_last_checkpoint", "app-txn-with-last-updated", "table-with-cdf",
      "app-txn-checkpoint", "app-txn-no-checkpoint", "crc-malformed", "crc-full",
      "delta-live-table", "checkpoint", "canonicalized-paths-normal-a",
      "canonicalized-paths-normal-b", "canonicalized-paths-special-a",
      "canonicalized-paths-special-b", "delete-re-add-same-file-different-transactions",
      "log-replay-special-characters", "log-replay-special-characters-a",
      "log-replay-special-characters-b", "log-replay-dv-key-cases",
      "data-reader-absolute-paths-escaped-chars", "update-deleted-directory", "deltalog-getChanges",
      "snapshot-vacuumed", "deltalog-commit-info", "partitioned_with_materialize_feature",
      // Its _last_checkpoint is empty on purpose, to test readers.
      "corrupted-last-checkpoint-kernel"};
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(testing::ConformancePath(""))) {
    if (!entry.is_directory() || entry.path().filename() != "_delta_log") continue;
    fs::path root = entry.path().parent_path();
    std::string name = root.filename() == "delta" ? root.parent_path().filename().string()
                                                  : root.filename().string();
    if (exempt.count(name)) continue;
    std::vector<LogViolation> violations = Validate(root.string());
    for (const LogViolation& violation : violations) {
      ADD_FAILURE() << name << ": " << violation.ToString();
    }
    ++checked;
  }
  EXPECT_GT(checked, 80);
}

TEST_F(LogValidatorTest, ValidHandWrittenTable) {
  EXPECT_TRUE(Validate(MakeTable({kProtocol, kMetadata, kGoodAdd})).empty());
}

TEST_F(LogValidatorTest, EachBrokenRuleIsReportedWithFileAndLine) {
  struct Case {
    std::vector<std::string> lines;
    std::string rule;
    int line;
  };
  const std::vector<Case> cases = {
      {{kMetadata, kGoodAdd}, "version0", 0},
      {{kProtocol, kMetadata, kMetadata, kGoodAdd}, "metaData.unique", 0},
      {{kProtocol, kMetadata, R"({"add":{"path":"a.parquet"},"remove":{"path":"a"}})"}, "line", 3},
      {{kProtocol, kMetadata, "not json"}, "line", 3},
      {{R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7}})", kMetadata},
       "protocol.readerFeatures",
       1},
      {{kProtocol, kMetadata,
        R"({"add":{"path":"p=1/b.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}})"},
       "add.partitionValues",
       3},
      {{kProtocol, kMetadata,
        R"({"add":{"path":"p=1/b.parquet","partitionValues":{"p":"one"},"size":1,"modificationTime":1,"dataChange":true}})"},
       "add.partitionValues",
       3},
      {{kProtocol, kMetadata,
        R"({"add":{"path":"p=1/missing.parquet","partitionValues":{"p":"1"},"size":1,"modificationTime":1,"dataChange":true}})"},
       "add.file",
       3},
      {{kProtocol, kMetadata,
        R"({"add":{"path":"p=1/b c.parquet","partitionValues":{"p":"1"},"size":1,"modificationTime":1,"dataChange":true}})"},
       "add.path",
       3},
      {{kProtocol, kMetadata,
        R"({"add":{"path":"p=1/b.parquet","partitionValues":{"p":"1"},"size":1,"modificationTime":1,"dataChange":true,"stats":"{\"numRecords\":1,\"nullCount\":{\"id\":5}}"}})"},
       "add.stats",
       3},
      {{kProtocol, kMetadata, kGoodAdd, kGoodAdd}, "add.unique", 4},
      {{kProtocol, kMetadata,
        R"({"remove":{"path":"never-added.parquet","deletionTimestamp":1,"dataChange":true}})"},
       "remove.path",
       3},
      {{kProtocol, kMetadata, R"({"sidecar":{"path":"x","sizeInBytes":1,"modificationTime":1}})"},
       "commit.checkpointOnly",
       3},
  };
  for (const Case& c : cases) {
    std::vector<LogViolation> violations = Validate(MakeTable(c.lines));
    bool found = false;
    for (const LogViolation& v : violations) {
      if (v.rule == c.rule && v.line == c.line) {
        found = true;
        EXPECT_NE(v.file.find("00000000000000000000.json"), std::string::npos) << v.ToString();
      }
    }
    EXPECT_TRUE(found) << "expected " << c.rule << " at line " << c.line
                       << ", got: " << ::testing::PrintToString(Rules(violations));
  }
}

TEST_F(LogValidatorTest, GapsAndBadLastCheckpoint) {
  std::string root = MakeTable({kProtocol, kMetadata, kGoodAdd});
  ASSERT_TRUE(io::LocalFileSystem()
                  ->WriteFile(root + "/_delta_log/00000000000000000002.json", R"({"commitInfo":{}})"
                                                                              "\n")
                  .ok());
  ASSERT_TRUE(io::LocalFileSystem()
                  ->WriteFile(root + "/_delta_log/_last_checkpoint", R"({"version":2,"size":3})")
                  .ok());
  std::vector<std::string> rules = Rules(Validate(root));
  EXPECT_NE(std::find(rules.begin(), rules.end(), "commit.contiguous"), rules.end());
  EXPECT_NE(std::find(rules.begin(), rules.end(), "_last_checkpoint"), rules.end());
}

const std::string kV2Protocol =
    R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["v2Checkpoint"],"writerFeatures":["v2Checkpoint"]}})";
const std::string kCheckpointMetadata = R"({"checkpointMetadata":{"version":0}})";
const std::string kUuidCheckpoint =
    "_delta_log/00000000000000000000.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.json";

// A table at version 0 with one checkpoint, `name`, holding the actions `lines`: Broken()
// returns the rules that checkpoint breaks.
class V2CheckpointTest : public LogValidatorTest {
 protected:
  std::vector<std::string> Broken(const std::string& protocol, const std::string& name,
                                  const std::vector<std::string>& lines) {
    std::string root = MakeTable({protocol, kMetadata, kGoodAdd});
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    EXPECT_TRUE(io::LocalFileSystem()->WriteFile(root + "/" + name, text).ok());
    std::vector<std::string> rules;
    for (const LogViolation& v : Validate(root)) {
      if (v.file.find(".checkpoint.") != std::string::npos) rules.push_back(v.rule);
    }
    return rules;
  }
};

TEST_F(V2CheckpointTest, CompleteV2CheckpointIsValid) {
  EXPECT_EQ(
      Broken(kV2Protocol, kUuidCheckpoint, {kCheckpointMetadata, kV2Protocol, kMetadata, kGoodAdd}),
      std::vector<std::string>{});
}

TEST_F(V2CheckpointTest, UuidNamedCheckpointMustBeV2) {
  EXPECT_EQ(Broken(kV2Protocol, kUuidCheckpoint, {kV2Protocol, kMetadata, kGoodAdd}),
            std::vector<std::string>{"checkpoint.v2.checkpointMetadata"});
}

TEST_F(V2CheckpointTest, ExactlyOneCheckpointMetadataForItsVersion) {
  EXPECT_EQ(Broken(kV2Protocol, kUuidCheckpoint,
                   {kCheckpointMetadata, kCheckpointMetadata, kV2Protocol, kMetadata, kGoodAdd}),
            std::vector<std::string>{"checkpoint.v2.checkpointMetadata"});
  EXPECT_EQ(Broken(kV2Protocol, kUuidCheckpoint,
                   {R"({"checkpointMetadata":{"version":3}})", kV2Protocol, kMetadata, kGoodAdd}),
            std::vector<std::string>{"checkpoint.v2.checkpointMetadata"});
}

TEST_F(V2CheckpointTest, ReferencedSidecarMustExist) {
  EXPECT_EQ(
      Broken(
          kV2Protocol, kUuidCheckpoint,
          {kCheckpointMetadata, kV2Protocol, kMetadata,
           R"({"sidecar":{"path":"016ae953-37a9-438e-8683-9a9a4a79a395.parquet","sizeInBytes":100,"modificationTime":1}})"}),
      std::vector<std::string>{"checkpoint.v2.sidecar"});
}

TEST_F(V2CheckpointTest, V2CheckpointNeedsTheFeature) {
  EXPECT_EQ(
      Broken(kProtocol, kUuidCheckpoint, {kCheckpointMetadata, kProtocol, kMetadata, kGoodAdd}),
      std::vector<std::string>{"checkpoint.v2.feature"});
}

}  // namespace
}  // namespace sluice::delta
