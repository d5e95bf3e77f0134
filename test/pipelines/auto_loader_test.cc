// File ingestion behaviour that declarative tests cannot set up: unreadable files (a real
// permission error, also when the tests run as root), files arriving while an update
// lists and reads, a folder of 10,000 small files, and Parquet files.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "common/sync_point.h"
#include "engine/engine.h"
#include "sluice/pipeline.h"
#include "support/crash_child.h"
#include "support/delta_log_check.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  testing::WriteTextFile(path.string(), text);
}

void MakeProject(const fs::path& dir, const std::string& sql) {
  Write(dir / "pipeline.yml", std::string("name: ingest\n") + testing::kNoPeriodicEventFlush);
  Write(dir / "p.sql", sql);
}

Result<UpdateReport> RunOnce(const fs::path& root) {
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Pipeline> pipeline, Pipeline::Open(root.string()));
  return pipeline->Run();
}

// The query's rows as "a:b c:d ".
std::string Text(const fs::path& root, const std::string& sql) {
  auto pipeline = Pipeline::Open(root.string());
  EXPECT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  if (!pipeline.ok()) return "";
  auto rows = (*pipeline)->Query(sql);
  EXPECT_TRUE(rows.ok()) << sql << ": " << rows.status().ToString();
  std::string out;
  if (!rows.ok()) return out;
  for (const auto& row : rows->rows) {
    for (size_t i = 0; i < row.size(); ++i) out += (i > 0 ? ":" : "") + row[i].ToString();
    out += " ";
  }
  return out;
}

const FlowReport* FindFlow(const UpdateReport& report, const std::string& name) {
  for (const FlowReport& flow : report.flows) {
    if (flow.name == name) return &flow;
  }
  return nullptr;
}

// Drops the capabilities that let root read any file, for this thread and the threads it
// starts later, so that a file without read permission cannot be read even by root.
void DropFileReadCapabilities() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (syscall(SYS_capget, &header, data) != 0) return;
  const uint32_t mask = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
  data[0].effective &= ~mask;
  data[0].permitted &= ~mask;
  data[0].inheritable &= ~mask;
  if (syscall(SYS_capset, &header, data) != 0) std::perror("capset");
}

// Runs in a child process (a death test): exits 0 when every check holds, else prints why
// and exits 1.
void UnreadableFileScenario() {
  DropFileReadCapabilities();
  testing::TempDir dir;
  const fs::path root = dir.path();
  MakeProject(root,
              "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
              "'json', schema => 'id BIGINT');\n");
  Write(root / "data" / "1.json", "{\"id\": 1}\n");
  Write(root / "data" / "2.json", "{\"id\": 2}\n");
  fs::permissions(root / "data" / "2.json", fs::perms::none);
  auto failing = RunOnce(root);
  if (!failing.ok() || failing->state != "FAILED") {
    std::fprintf(stderr, "expected a FAILED update, got %s\n",
                 failing.ok() ? failing->state.c_str() : failing.status().ToString().c_str());
    std::exit(1);
  }
  const FlowReport* flow = FindFlow(*failing, "raw");
  if (flow == nullptr || flow->error.find("data/2.json") == std::string::npos ||
      flow->error.find("ermission denied") == std::string::npos) {
    std::fprintf(stderr, "the error does not name the file and the cause: %s\n",
                 flow == nullptr ? "(no flow)" : flow->error.c_str());
    std::exit(1);
  }
  // Nothing of the batch was written; once readable, the file is read and nothing is lost.
  fs::permissions(root / "data" / "2.json", fs::perms::owner_read | fs::perms::owner_write);
  auto fixed = RunOnce(root);
  if (!fixed.ok() || fixed->state != "COMPLETED") {
    std::fprintf(stderr, "the rerun did not complete\n");
    std::exit(1);
  }
  const std::string rows = Text(root, "SELECT id FROM raw ORDER BY id");
  if (rows != "1 2 ") {
    std::fprintf(stderr, "rows after the rerun: %s\n", rows.c_str());
    std::exit(1);
  }
  std::exit(0);
}

TEST(AutoLoader, UnreadableFileFailsTheFlowNamingItAndLosesNothing) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(UnreadableFileScenario(), ::testing::ExitedWithCode(0), "");
}

#ifdef SLUICE_SYNC_POINTS
// Files that arrive while an update is listing or reading are read by a later batch or
// update, exactly once.
TEST(AutoLoader, FilesArrivingDuringAnUpdateAreReadOnceLater) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  MakeProject(root,
              "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
              "'json', maxFilesPerTrigger => 2);\n");
  for (int i = 0; i < 3; ++i) {
    Write(root / "data" / ("a" + std::to_string(i) + ".json"),
          "{\"id\": " + std::to_string(i) + "}\n");
  }
  std::atomic<int> arrivals{0};
  SyncPoints::Get().Set("read_files.listed", [&] {
    const int n = arrivals++;
    if (n < 4) {
      Write(root / "data" / ("late" + std::to_string(n) + ".json"),
            "{\"id\": " + std::to_string(100 + n) + "}\n");
    }
    return Status::OK();
  });
  auto first = RunOnce(root);
  SyncPoints::Get().ClearAll();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->state, "COMPLETED");
  // Batch 0 listed the three files and took two; late0 arrived after that listing and
  // was taken by batch 1 with the third; late1 arrived after the last listing.
  EXPECT_EQ(arrivals.load(), 2);
  EXPECT_EQ(FindFlow(*first, "raw")->output_rows, 4);
  auto second = RunOnce(root);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->state, "COMPLETED");
  EXPECT_EQ(FindFlow(*second, "raw")->output_rows, 1);
  EXPECT_EQ(Text(root, "SELECT count(*), count(DISTINCT id) FROM raw"), "5:5 ");
  EXPECT_EQ(Text(root,
                 "SELECT regexp_extract(path, '[^/]*$', 0), batch_id FROM cloud_files_state('raw') "
                 "ORDER BY 1"),
            "a0.json:0 a1.json:0 a2.json:1 late0.json:1 late1.json:2 ");
}

// A process killed in the second batch of an update (after its offsets, after its data
// commit) and a rerun: every file's rows are in the table exactly once, and the stored schema that
// the first batch grew (a new column) is kept.
TEST(AutoLoader, CrashInALaterBatchLosesAndRepeatsNothing) {
  for (const char* point : {"checkpoint.offsets_written", "flow.data_committed"}) {
    SCOPED_TRACE(point);
    testing::TempDir dir;
    const fs::path root = dir.path();
    MakeProject(root,
                "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
                "'json', maxFilesPerTrigger => 1);\n");
    Write(root / "data" / "1.json", "{\"id\": 1}\n");
    auto first = RunOnce(root);
    ASSERT_TRUE(first.ok());
    Write(root / "data" / "2.json", "{\"id\": 2, \"extra\": \"x\"}\n");
    Write(root / "data" / "3.json", "{\"id\": 3}\n");
    // The second update's first batch is the update's batch 1; the process dies in its
    // batch 2.
    Status killed = testing::RunInChildKilledAt(point, 1, [&root] { (void)RunOnce(root); });
    ASSERT_TRUE(killed.ok()) << killed.ToString();
    auto rerun = RunOnce(root);
    ASSERT_TRUE(rerun.ok()) << rerun.status().ToString();
    EXPECT_EQ(rerun->state, "COMPLETED");
    EXPECT_EQ(Text(root, "SELECT id, coalesce(extra, '-') FROM raw ORDER BY id"), "1:- 2:x 3:- ");
    EXPECT_EQ(Text(root, "SELECT count(*), count(DISTINCT path) FROM cloud_files_state('raw')"),
              "3:3 ");
    EXPECT_EQ(testing::ValidateDeltaLogs(root.string()), std::vector<std::string>{});
  }
}

#endif

// A folder of 10,000 small files: one update reads them all in batches of
// maxFilesPerTrigger (1000 by default), each file once.
TEST(AutoLoader, TenThousandSmallFiles) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  MakeProject(root,
              "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
              "'csv', header => 'true');\n");
  for (int i = 0; i < 10000; ++i) {
    Write(root / "data" / ("part-" + std::to_string(i) + ".csv"),
          "id,name\n" + std::to_string(2 * i) + ",é" + std::to_string(i) + "\n" +
              std::to_string(2 * i + 1) + ",x\n");
  }
  auto update = RunOnce(root);
  ASSERT_TRUE(update.ok()) << update.status().ToString();
  EXPECT_EQ(update->state, "COMPLETED");
  const FlowReport* flow = FindFlow(*update, "raw");
  ASSERT_NE(flow, nullptr);
  EXPECT_EQ(flow->output_rows, 20000);
  EXPECT_EQ(Text(root, "SELECT count(*), count(DISTINCT id), sum(id) FROM raw"),
            "20000:20000:199990000 ");
  EXPECT_EQ(Text(root,
                 "SELECT count(DISTINCT path), count(DISTINCT batch_id) FROM "
                 "cloud_files_state('raw')"),
            "10000:10 ");
  auto again = RunOnce(root);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(FindFlow(*again, "raw")->output_rows, 0);
}

// Parquet files keep their types; a new column evolves the schema (addNewColumns) and a
// column whose type changed is cast, with values that do not cast rescued.
TEST(AutoLoader, ParquetFilesEvolveAndRescue) {
  testing::TempDir dir;
  const fs::path root = dir.path();
  MakeProject(root,
              "CREATE STREAMING TABLE raw AS SELECT * FROM STREAM read_files('data', format => "
              "'parquet');\n");
  fs::create_directories(root / "data");
  auto database = engine::Database::Open();
  ASSERT_TRUE(database.ok());
  auto connection = (*database)->Connect();
  ASSERT_TRUE(connection.ok());
  auto copy = [&](const std::string& select, const std::string& name) {
    Status status = (*connection)
                        ->Execute("COPY (" + select + ") TO '" + (root / "data" / name).string() +
                                  "' (FORMAT parquet)");
    ASSERT_TRUE(status.ok()) << status.ToString();
  };
  copy("SELECT 1::BIGINT AS id, 'a' AS name", "1.parquet");
  auto first = RunOnce(root);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->state, "COMPLETED");
  copy(
      "SELECT '2' AS id, 'b' AS name, 2.5::DOUBLE AS score UNION ALL "
      "SELECT 'three', 'c', 3.5",
      "2.parquet");
  auto second = RunOnce(root);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->state, "COMPLETED") << FindFlow(*second, "raw")->error;
  EXPECT_EQ(Text(root,
                 "SELECT coalesce(id::VARCHAR, '-'), name, coalesce(score::VARCHAR, '-'), "
                 "coalesce(_rescued_data:id, '-') FROM raw ORDER BY name"),
            "1:a:-:- 2:b:2.5:- -:c:3.5:three ");
}

}  // namespace
}  // namespace sluice
