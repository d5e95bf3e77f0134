// Damaged and hostile tables: what a user sees when a log or data file is corrupt, missing
// or unreadable, or the table needs a feature sluice lacks. Every error names the file or
// table it is about. The decisions made here:
//
// - A commit file that is cut, holds garbage, holds a line that is not an action object,
//   or an action lacking a required field: Corruption naming the file and line. Earlier
//   versions stay readable by time travel; writers refuse the table and add nothing.
// - An empty (0-byte) commit file is a commit without actions, as Spark reads it: the
//   version exists and changes nothing.
// - A corrupt checkpoint at its final name: Corruption naming the checkpoint, whether or not
//   the commits it summarizes are still there. As in Spark, the newest checkpoint is
//   trusted, not second-guessed; sluice's own writer can never leave a torn one under that
//   name (it renames a complete file into place), so a damaged one means damaged storage
//   that the user must hear about. A torn temp file of a checkpoint that never got renamed
//   is ignored, and versions below the checkpoint remain readable.
// - `_last_checkpoint` is a hint only: corrupt, empty, stale, pointing nowhere or unreadable,
//   it changes nothing.
// - A missing data file: the snapshot loads (it is metadata), the scan fails with NotFound
//   naming the file.
// - An unknown reader feature: the table does not open (NotSupported naming the feature).
//   An unknown writer feature: it reads, but every write is refused (NotSupported naming
//   the feature) and nothing is written: no commit and no data file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "crash/crash_util.h"
#include "delta/log_segment.h"
#include "delta/optimize.h"
#include "delta/scan.h"
#include "delta/write.h"
#include "io/fault_injection_file_system.h"
#include "support/temp_dir.h"

namespace sluice::crash {
namespace {

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Every Parquet file under the table root outside `_delta_log`.
std::set<std::string> DataFiles(const std::string& root) {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    std::string path = entry.path().string();
    if (entry.is_regular_file() && EndsWith(path, ".parquet") && !Contains(path, "_delta_log")) {
      files.insert(path);
    }
  }
  return files;
}

class BadInputTest : public ::testing::Test {
 protected:
  BadInputTest() : env_(io::LocalFileSystem()) {}
  void SetUp() override { root_ = dir_.Child("table"); }

  const delta::DeltaContext& context() { return env_.context(); }

  // Versions 0 .. last, one batch of 10 rows each (ids 10*v .. 10*v+9).
  void Build(int64_t last) {
    for (int64_t version = 0; version <= last; ++version) {
      Result<delta::WriteResult> result =
          delta::WriteTable(context(), root_,
                            StrCat("SELECT i::BIGINT AS id FROM range(", version * 10, ", ",
                                   version * 10 + 10, ") t(i)"),
                            {});
      ASSERT_TRUE(result.ok()) << result.status().ToString();
      ASSERT_EQ(result->version, version);
    }
  }
  std::string Commit(int64_t version) const { return delta::CommitFilePath(root_, version); }
  std::string Checkpoint(int64_t version) const {
    return delta::LogDirectory(root_) + "/" + PadNumber(version, 20) + ".checkpoint.parquet";
  }
  std::string LastCheckpoint() const { return delta::LogDirectory(root_) + "/_last_checkpoint"; }

  // The snapshot's error; fails the test if it loads.
  Status LoadError(std::optional<int64_t> version = std::nullopt) {
    Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_, version);
    EXPECT_FALSE(snapshot.ok()) << "loaded version " << (*snapshot)->version();
    return snapshot.ok() ? Status::OK() : snapshot.status();
  }
  // The number of rows of `version` (latest when absent); -1 with a test failure if it fails.
  int64_t RowCount(std::optional<int64_t> version = std::nullopt) {
    Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_, version);
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    if (!snapshot.ok()) return -1;
    Result<engine::QueryResult> rows = delta::ScanAll(context(), **snapshot);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? static_cast<int64_t>(rows->row_count()) : -1;
  }
  // An append of 10 rows must be refused with `code`, adding no commit.
  void ExpectWriteRefused(StatusCode code, const std::string& named) {
    int64_t before = LatestCommitVersion(root_);
    Result<delta::WriteResult> result =
        delta::WriteTable(context(), root_, "SELECT 1000::BIGINT AS id", {});
    ASSERT_FALSE(result.ok()) << "the write committed version " << result->version;
    EXPECT_EQ(result.status().code(), code) << result.status().ToString();
    EXPECT_TRUE(Contains(result.status().message(), named)) << result.status().ToString();
    EXPECT_EQ(LatestCommitVersion(root_), before);
  }
  void ExpectCorruptCommit(const std::string& path, const std::string& detail) {
    Status status = LoadError();
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), path)) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), detail)) << status.ToString();
  }

  testing::TempDir dir_;
  std::string root_;
  Env env_;
};

// ---------------------------------------------------------------------------------------
// Commit files

TEST_F(BadInputTest, CommitCutMidLineIsCorruptionNamingFileAndLine) {
  Build(2);
  std::string text = ReadBytes(Commit(2));
  size_t cut = text.size() / 2;
  ASSERT_NE(text[cut - 1], '\n');
  size_t line = std::count(text.begin(), text.begin() + cut, '\n') + 1;
  WriteBytes(Commit(2), text.substr(0, cut));
  ExpectCorruptCommit(Commit(2), StrCat("line ", line));
  EXPECT_EQ(RowCount(1), 20);  // older versions stay readable
  ExpectWriteRefused(StatusCode::kCorruption, Commit(2));
}

TEST_F(BadInputTest, EveryCutOfACommitInsideALineIsDetected) {
  // Cuts that end a line leave a well-formed shorter file, which no format without an end
  // marker can tell from a whole one; every other cut must be reported.
  Build(1);
  std::string text = ReadBytes(Commit(1));
  for (size_t cut = 1; cut < text.size(); ++cut) {
    if (text[cut - 1] == '\n' || text[cut] == '\n') continue;
    WriteBytes(Commit(1), text.substr(0, cut));
    Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_);
    ASSERT_FALSE(snapshot.ok()) << "a commit cut after " << cut << " bytes loaded";
    EXPECT_EQ(snapshot.status().code(), StatusCode::kCorruption) << snapshot.status().ToString();
    EXPECT_TRUE(Contains(snapshot.status().message(), Commit(1))) << snapshot.status().ToString();
  }
}

TEST_F(BadInputTest, GarbageBytesAreCorruptionNamingTheFile) {
  Build(1);
  WriteBytes(Commit(1), std::string("\x00\xff\xfe\x01garbage\x80\n", 13));
  ExpectCorruptCommit(Commit(1), "line 1");
  EXPECT_EQ(RowCount(0), 10);
}

TEST_F(BadInputTest, JsonThatIsNotAnActionObjectIsCorruption) {
  Build(1);
  std::string original = ReadBytes(Commit(1));
  size_t line = std::count(original.begin(), original.end(), '\n') + 1;
  for (const char* bad : {"[1,2,3]", "\"text\"", "42", "null", "{\"add\":42}", "{\"add\":[1]}"}) {
    SCOPED_TRACE(bad);
    WriteBytes(Commit(1), original + bad + "\n");
    ExpectCorruptCommit(Commit(1), StrCat("line ", line));
  }
}

TEST_F(BadInputTest, UnknownActionsAreIgnored) {
  Build(1);
  WriteBytes(Commit(1), ReadBytes(Commit(1)) + "{\"someFutureAction\":{\"x\":1}}\n");
  EXPECT_EQ(RowCount(), 20);
}

TEST_F(BadInputTest, MissingRequiredFieldIsCorruptionNamingTheField) {
  Build(1);
  std::string original = ReadBytes(Commit(1));
  struct Case {
    const char* line;
    const char* field;
  };
  for (const Case& c : {
           Case{R"({"add":{"path":"x.parquet","partitionValues":{},"modificationTime":1,)"
                R"("dataChange":true}})",
                "'size'"},
           Case{R"({"add":{"partitionValues":{},"size":1,"modificationTime":1,"dataChange":true}})",
                "'path'"},
           Case{R"({"remove":{"dataChange":true}})", "'path'"},
           Case{R"({"txn":{"appId":"app"}})", "'version'"},
           Case{R"({"protocol":{"minReaderVersion":1}})", "'minWriterVersion'"},
           Case{R"({"metaData":{"format":{"provider":"parquet"},"partitionColumns":[],)"
                R"("configuration":{}}})",
                "'id'"},
       }) {
    SCOPED_TRACE(c.line);
    WriteBytes(Commit(1), original + c.line + "\n");
    ExpectCorruptCommit(Commit(1), c.field);
  }
}

TEST_F(BadInputTest, EmptyCommitFileIsACommitWithoutActions) {
  Build(1);
  WriteBytes(Commit(2), "");
  Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 2);
  EXPECT_EQ(RowCount(), 20);
  Result<delta::WriteResult> result =
      delta::WriteTable(context(), root_, "SELECT 1000::BIGINT AS id", {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->version, 3);
  EXPECT_EQ(RowCount(), 21);
}

TEST_F(BadInputTest, UnreadableCommitIsAnErrorNamingTheFile) {
  Build(2);
  // The tests run as root, where file modes do not block reads: fail them instead.
  for (StatusCode code : {StatusCode::kIOError, StatusCode::kNotFound}) {
    io::FaultInjectionFileSystem faulty(io::LocalFileSystem());
    faulty.FailReads(PadNumber(1, 20) + ".json", code);
    delta::DeltaContext context = this->context();
    context.fs = &faulty;
    Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context, root_);
    ASSERT_FALSE(snapshot.ok());
    EXPECT_EQ(snapshot.status().code(), code) << snapshot.status().ToString();
    EXPECT_TRUE(Contains(snapshot.status().message(), Commit(1))) << snapshot.status().ToString();
    Result<delta::WriteResult> write =
        delta::WriteTable(context, root_, "SELECT 1000::BIGINT AS id", {});
    ASSERT_FALSE(write.ok());
    EXPECT_TRUE(Contains(write.status().message(), Commit(1))) << write.status().ToString();
  }
  EXPECT_EQ(LatestCommitVersion(root_), 2);
}

// ---------------------------------------------------------------------------------------
// Checkpoints and `_last_checkpoint` (a checkpoint is written at version 10)

TEST_F(BadInputTest, CorruptCheckpointIsCorruptionNamingIt) {
  Build(11);
  ASSERT_TRUE(io::LocalFileSystem()->Exists(Checkpoint(10)));
  std::string bytes = ReadBytes(Checkpoint(10));
  for (const std::string& damaged : {bytes.substr(0, bytes.size() / 2),
                                     std::string("not a parquet file at all"), std::string()}) {
    SCOPED_TRACE(StrCat("checkpoint of ", damaged.size(), " bytes"));
    WriteBytes(Checkpoint(10), damaged);
    // The commits 0..10 are all still there; the checkpoint is trusted all the same.
    Status status = LoadError();
    EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
    EXPECT_TRUE(Contains(status.message(), Checkpoint(10))) << status.ToString();
    ExpectWriteRefused(StatusCode::kCorruption, Checkpoint(10));
    // Versions before the checkpoint do not need it.
    EXPECT_EQ(RowCount(9), 100);
  }
}

TEST_F(BadInputTest, CorruptCheckpointWithoutCommitsIsCorruptionNamingIt) {
  Build(11);
  for (int64_t version = 0; version <= 10; ++version) {
    ASSERT_TRUE(io::LocalFileSystem()->DeleteFile(Commit(version)).ok());
  }
  EXPECT_EQ(RowCount(), 120);  // the checkpoint and commit 11 rebuild the table
  std::string bytes = ReadBytes(Checkpoint(10));
  WriteBytes(Checkpoint(10), bytes.substr(0, bytes.size() / 2));
  Status status = LoadError();
  EXPECT_EQ(status.code(), StatusCode::kCorruption) << status.ToString();
  EXPECT_TRUE(Contains(status.message(), Checkpoint(10))) << status.ToString();
}

TEST_F(BadInputTest, TornCheckpointTempFileIsIgnored) {
  Build(11);
  // A checkpoint writer that died before its rename leaves a hidden temp file behind.
  std::string bytes = ReadBytes(Checkpoint(10));
  ASSERT_TRUE(io::LocalFileSystem()->DeleteFile(Checkpoint(10)).ok());
  WriteBytes(delta::LogDirectory(root_) + "/." + PadNumber(10, 20) +
                 ".checkpoint.0b6c8a5e-5a4f-4a57-9d0e-0f3c7c1d2e3f.parquet.tmp",
             bytes.substr(0, bytes.size() / 2));
  Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 11);
  EXPECT_EQ((*snapshot)->segment().checkpoint_version, -1);
  EXPECT_EQ(RowCount(), 120);
}

TEST_F(BadInputTest, DamagedLastCheckpointIsIgnored) {
  Build(11);
  ASSERT_TRUE(io::LocalFileSystem()->Exists(LastCheckpoint()));
  for (const char* hint : {"", "garbage \x01\x02", "{\"version\":", "[]", "{\"size\":3}",
                           "{\"version\":99,\"size\":3}", "{\"version\":5,\"size\":3}",
                           "{\"version\":-1,\"size\":3}"}) {
    SCOPED_TRACE(hint);
    WriteBytes(LastCheckpoint(), hint);
    Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    EXPECT_EQ((*snapshot)->version(), 11);
    EXPECT_EQ((*snapshot)->segment().checkpoint_version, 10);
    EXPECT_EQ(RowCount(), 120);
  }
  // Unreadable, or gone.
  io::FaultInjectionFileSystem faulty(io::LocalFileSystem());
  faulty.FailReads("_last_checkpoint");
  delta::DeltaContext context = this->context();
  context.fs = &faulty;
  Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context, root_);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ((*snapshot)->version(), 11);
  ASSERT_TRUE(io::LocalFileSystem()->DeleteFile(LastCheckpoint()).ok());
  EXPECT_EQ(RowCount(), 120);
  // A writer after a damaged hint still commits, and the next checkpoint rewrites it.
  WriteBytes(LastCheckpoint(), "garbage");
  for (int64_t version = 12; version <= 20; ++version) {
    Result<delta::WriteResult> result =
        delta::WriteTable(context, root_, "SELECT 1000::BIGINT AS id", {});
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    EXPECT_EQ(result->version, version);
  }
  EXPECT_TRUE(Contains(ReadBytes(LastCheckpoint()), "\"version\":20"));
}

// ---------------------------------------------------------------------------------------
// Data files

TEST_F(BadInputTest, MissingDataFileIsNotFoundNamingItAtScan) {
  Build(2);
  Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  ASSERT_EQ((*snapshot)->files().size(), 3u);
  std::string missing = root_ + "/" + (*snapshot)->files()[1].path;
  ASSERT_TRUE(io::LocalFileSystem()->DeleteFile(missing).ok());

  snapshot = delta::LoadSnapshot(context(), root_);  // the log alone is fine
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  Result<engine::QueryResult> rows = delta::ScanAll(context(), **snapshot);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(rows.status().IsNotFound()) << rows.status().ToString();
  EXPECT_TRUE(Contains(rows.status().message(), missing)) << rows.status().ToString();
  Result<delta::DeleteResult> deleted = delta::DeleteRows(context(), root_, "id >= 0");
  ASSERT_FALSE(deleted.ok());
  EXPECT_TRUE(Contains(deleted.status().message(), missing)) << deleted.status().ToString();
}

TEST_F(BadInputTest, CorruptDataFileIsAnErrorNamingItAtScan) {
  Build(1);
  Result<delta::SnapshotPtr> snapshot = delta::LoadSnapshot(context(), root_);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  std::string damaged = root_ + "/" + (*snapshot)->files()[0].path;
  std::string bytes = ReadBytes(damaged);
  WriteBytes(damaged, bytes.substr(0, bytes.size() / 2));
  Result<engine::QueryResult> rows = delta::ScanAll(context(), **snapshot);
  ASSERT_FALSE(rows.ok());
  EXPECT_TRUE(Contains(rows.status().message(), damaged)) << rows.status().ToString();
}

// ---------------------------------------------------------------------------------------
// Table features

TEST_F(BadInputTest, UnknownReaderFeatureIsRefusedNamingIt) {
  Build(1);
  WriteBytes(Commit(2),
             R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,)"
             R"("readerFeatures":["fancyFutureReads"],"writerFeatures":["fancyFutureReads"]}})"
             "\n");
  Status status = LoadError();
  EXPECT_EQ(status.code(), StatusCode::kNotSupported) << status.ToString();
  EXPECT_TRUE(Contains(status.message(), "fancyFutureReads")) << status.ToString();
  EXPECT_TRUE(Contains(status.message(), root_)) << status.ToString();
  EXPECT_EQ(RowCount(1), 20);  // the version before the upgrade is readable
  std::set<std::string> files = DataFiles(root_);
  ExpectWriteRefused(StatusCode::kNotSupported, "fancyFutureReads");
  EXPECT_EQ(DataFiles(root_), files);
}

TEST_F(BadInputTest, UnknownWriterFeatureReadsButRefusesEveryWrite) {
  Build(1);
  WriteBytes(Commit(2), R"({"protocol":{"minReaderVersion":1,"minWriterVersion":7,)"
                        R"("writerFeatures":["fancyFutureWrites"]}})"
                        "\n");
  EXPECT_EQ(RowCount(), 20);
  std::set<std::string> files = DataFiles(root_);

  ExpectWriteRefused(StatusCode::kNotSupported, "fancyFutureWrites");
  delta::WriteOptions overwrite;
  overwrite.mode = delta::WriteMode::kOverwrite;
  Result<delta::WriteResult> written =
      delta::WriteTable(context(), root_, "SELECT 1::BIGINT AS id", overwrite);
  ASSERT_FALSE(written.ok());
  EXPECT_TRUE(Contains(written.status().message(), "fancyFutureWrites"))
      << written.status().ToString();
  Result<delta::DeleteResult> deleted = delta::DeleteRows(context(), root_, "id < 5");
  ASSERT_FALSE(deleted.ok());
  EXPECT_EQ(deleted.status().code(), StatusCode::kNotSupported) << deleted.status().ToString();
  EXPECT_TRUE(Contains(deleted.status().message(), "fancyFutureWrites"))
      << deleted.status().ToString();
  Result<delta::OptimizeMetrics> optimized = delta::Optimize(context(), root_);
  ASSERT_FALSE(optimized.ok());
  EXPECT_EQ(optimized.status().code(), StatusCode::kNotSupported) << optimized.status().ToString();
  EXPECT_TRUE(Contains(optimized.status().message(), "fancyFutureWrites"))
      << optimized.status().ToString();

  // Nothing was written: no commit, and no data file, referenced or not.
  EXPECT_EQ(LatestCommitVersion(root_), 2);
  EXPECT_EQ(DataFiles(root_), files);
  EXPECT_EQ(RowCount(), 20);
}

}  // namespace
}  // namespace sluice::crash
