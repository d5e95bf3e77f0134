// Runs the built `sluice` binary and checks what a user sees: stdout, stderr, exit code.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

using ::sluice::testing::ConformancePath;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ShellQuote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

Outcome RunSluice(const std::vector<std::string>& args) {
  testing::TempDir dir;
  std::string err_path = dir.Child("stderr");
  std::string command = ShellQuote(SLUICE_CLI_BINARY);
  for (const std::string& arg : args) command += " " + ShellQuote(arg);
  command += " 2>" + ShellQuote(err_path);
  Outcome outcome;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return outcome;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) outcome.out.append(buffer, n);
  int status = pclose(pipe);
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  std::ifstream err(err_path);
  std::stringstream text;
  text << err.rdbuf();
  outcome.err = text.str();
  return outcome;
}

std::string BasicAppend() { return ConformancePath("dat-v0.0.2/reader_tests/basic_append/delta"); }

TEST(CliTest, PrintsVersions) {
  Outcome run = RunSluice({"--version"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("sluice ", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("DuckDB v"), std::string::npos) << run.out;
}

TEST(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunSluice({}).exit_code, 2);
  EXPECT_EQ(RunSluice({"table"}).exit_code, 2);
  EXPECT_EQ(RunSluice({"table", "frobnicate", BasicAppend()}).exit_code, 2);
  EXPECT_EQ(RunSluice({"table", "scan"}).exit_code, 2);  // no path
  EXPECT_EQ(RunSluice({"table", "scan", BasicAppend(), "--format", "xml"}).exit_code, 2);
  EXPECT_EQ(RunSluice({"table", "scan", BasicAppend(), "--limit", "-1"}).exit_code, 2);
  EXPECT_EQ(RunSluice({"table", "write", BasicAppend(), "SELECT 1", "--mode", "upsert"}).exit_code,
            2);
  EXPECT_EQ(RunSluice({"table", "write", BasicAppend(), "SELECT 1", "--property", "x"}).exit_code,
            2);
  EXPECT_EQ(RunSluice({"table", "delete", BasicAppend()}).exit_code, 2);   // no --where
  EXPECT_EQ(RunSluice({"table", "changes", BasicAppend()}).exit_code, 2);  // no --from
  Outcome both =
      RunSluice({"table", "scan", BasicAppend(), "--version", "0", "--timestamp", "2024-01-01"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("--timestamp"), std::string::npos) << both.err;
  EXPECT_EQ(both.out, "");
}

TEST(CliTest, HelpExitsWithZero) {
  Outcome run = RunSluice({"table", "scan", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("--where"), std::string::npos) << run.out;
}

TEST(CliTest, MissingTableFailsNamingThePath) {
  testing::TempDir dir;
  std::string missing = dir.Child("no_table");
  for (const char* subcommand : {"history", "describe", "scan"}) {
    Outcome run = RunSluice({"table", subcommand, missing});
    EXPECT_EQ(run.exit_code, 1) << subcommand;
    EXPECT_EQ(run.err.rfind("error: ", 0), 0u) << run.err;
    EXPECT_NE(run.err.find(missing), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
}

TEST(CliTest, BadTimestampFailsNamingIt) {
  Outcome run = RunSluice({"table", "scan", BasicAppend(), "--timestamp", "last tuesday"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("'last tuesday'"), std::string::npos) << run.err;
}

TEST(CliTest, ScanAsCsv) {
  Outcome run = RunSluice({"table", "scan", BasicAppend(), "--version", "0", "--where",
                           "number <> 2", "--format", "csv"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "letter,number,a_float\r\na,1,1.1\r\nc,3,3.3\r\n");
}

TEST(CliTest, ScanAsJson) {
  Outcome run = RunSluice({"table", "scan", BasicAppend(), "--where", "number >= 4", "--columns",
                           "number,letter", "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "[\n"
            "{\"number\":4,\"letter\":\"d\"},\n"
            "{\"number\":5,\"letter\":\"e\"}\n"
            "]\n");
}

TEST(CliTest, ScanAsTable) {
  Outcome run = RunSluice({"table", "scan", BasicAppend(), "--where", "letter = 'b'"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "+--------+--------+---------+\n"
            "| letter | number | a_float |\n"
            "+--------+--------+---------+\n"
            "| b      |      2 |     2.2 |\n"
            "+--------+--------+---------+\n"
            "1 row (read 1 of 2 files)\n");
}

TEST(CliTest, ScanLimit) {
  Outcome run = RunSluice({"table", "scan", BasicAppend(), "--limit", "2", "--format", "csv"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 3) << run.out;
}

TEST(CliTest, HistoryListsVersionsNewestFirst) {
  Outcome run = RunSluice({"table", "history", BasicAppend(), "--format", "csv"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<std::string> versions;
  std::istringstream lines(run.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("version,timestamp,operation,operationParameters,", 0), 0u) << line;
  while (std::getline(lines, line)) versions.push_back(line.substr(0, line.find(',')));
  EXPECT_EQ(versions, (std::vector<std::string>{"1", "0"}));

  Outcome limited =
      RunSluice({"table", "history", BasicAppend(), "--limit", "1", "--format", "json"});
  EXPECT_EQ(limited.exit_code, 0) << limited.err;
  EXPECT_EQ(limited.out.rfind("[\n{\"version\":1,", 0), 0u) << limited.out;
  EXPECT_NE(
      limited.out.find("\"operationParameters\":{\"mode\":\"Append\",\"partitionBy\":\"[]\"}"),
      std::string::npos)
      << limited.out;
  EXPECT_NE(limited.out.find("\"isBlindAppend\":true"), std::string::npos) << limited.out;
}

TEST(CliTest, DescribeAtAVersion) {
  Outcome run = RunSluice({"table", "describe", BasicAppend(), "--version", "0"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("version:           0\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("| number  | long   | true     | false     |\n"), std::string::npos)
      << run.out;

  Outcome json = RunSluice({"table", "describe", BasicAppend(), "--format", "json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("\"numFiles\":2,"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("{\"name\":\"a_float\",\"type\":\"double\",\"nullable\":true,"
                          "\"partition\":false}"),
            std::string::npos)
      << json.out;
}

TEST(CliTest, NestedValuesAreJsonInJsonOutput) {
  Outcome run =
      RunSluice({"table", "scan", ConformancePath("dat-v0.0.2/reader_tests/nested_types/delta"),
                 "--where", "pk = 1", "--format", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "[\n{\"pk\":1,\"struct\":{\"float64\":1,\"bool\":false},\"array\":[0,1],"
            "\"map\":{\"0\":0}}\n]\n");
}

TEST(CliTest, DeletesWithDeletionVectorsAndPurgesThem) {
  testing::TempDir dir;
  std::string table = dir.Child("t");
  Outcome created =
      RunSluice({"table", "write", table, "SELECT i AS id FROM range(10) t(i)", "--property",
                 "delta.enableDeletionVectors=true", "--format", "csv"});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  // The row is marked in a deletion vector: no file removed, added or copied.
  Outcome deleted = RunSluice({"table", "delete", table, "--where", "id = 3", "--format", "csv"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out,
            "version,rows_deleted,rows_copied,files_removed,files_added\r\n1,1,0,0,0\r\n");
  // The table's record count leaves out the marked row.
  Outcome counted = RunSluice({"table", "describe", table, "--format", "json"});
  EXPECT_NE(counted.out.find("\"numRecords\":9,"), std::string::npos) << counted.out;
  Outcome missing = RunSluice({"table", "reorg", table});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("--apply-purge"), std::string::npos) << missing.err;
  Outcome purged = RunSluice({"table", "reorg", table, "--apply-purge", "--format", "csv"});
  EXPECT_EQ(purged.exit_code, 0) << purged.err;
  EXPECT_EQ(purged.out.rfind("version,files_removed,files_added,bytes_removed,bytes_added\r\n"
                             "2,1,1,",
                             0),
            0u)
      << purged.out;
  Outcome history = RunSluice({"table", "history", table, "--format", "csv"});
  EXPECT_NE(history.out.find("REORG"), std::string::npos) << history.out;
}

TEST(CliTest, WritesDeletesOptimizesAndVacuums) {
  testing::TempDir dir;
  std::string table = dir.Child("t");
  Outcome created = RunSluice({"table", "write", table,
                               "SELECT i AS id, i % 2 AS part FROM range(4) t(i)", "--partition-by",
                               "part", "--property", "delta.appendOnly=false", "--format", "csv"});
  EXPECT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out, "version,rows,files_added,files_removed\r\n0,4,2,0\r\n");

  Outcome exists =
      RunSluice({"table", "write", table, "SELECT 9 AS id, 1 AS part", "--mode", "error"});
  EXPECT_EQ(exists.exit_code, 1);
  EXPECT_NE(exists.err.find(table), std::string::npos) << exists.err;

  Outcome appended =
      RunSluice({"table", "write", table, "SELECT 4 AS id, 0 AS part", "--format", "json"});
  EXPECT_EQ(appended.exit_code, 0) << appended.err;
  EXPECT_EQ(appended.out,
            "[\n{\"version\":1,\"rows\":1,\"files_added\":1,\"files_removed\":0}\n]\n");

  Outcome deleted = RunSluice({"table", "delete", table, "--where", "id = 1", "--format", "csv"});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_EQ(deleted.out,
            "version,rows_deleted,rows_copied,files_removed,files_added\r\n2,1,1,1,1\r\n");

  Outcome optimized =
      RunSluice({"table", "optimize", table, "--where", "part = 0", "--format", "csv"});
  EXPECT_EQ(optimized.exit_code, 0) << optimized.err;
  EXPECT_EQ(optimized.out.rfind("version,files_removed,files_added,bytes_removed,bytes_added\r\n"
                                "3,2,1,",
                                0),
            0u)
      << optimized.out;

  Outcome scan = RunSluice({"table", "scan", table, "--columns", "id", "--format", "csv"});
  EXPECT_EQ(scan.exit_code, 0) << scan.err;
  std::vector<std::string> ids;
  std::istringstream lines(scan.out);
  std::string line;
  while (std::getline(lines, line)) ids.push_back(line);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"0\r", "2\r", "3\r", "4\r", "id\r"}));

  Outcome refused = RunSluice({"table", "vacuum", table, "--retain", "0", "--dry-run"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err.rfind("error: ", 0), 0u) << refused.err;

  Outcome dry = RunSluice({"table", "vacuum", table, "--retain", "0", "--dry-run", "--force"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("3 files, "), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find(" bytes would be deleted\n"), std::string::npos) << dry.out;

  Outcome vacuumed =
      RunSluice({"table", "vacuum", table, "--retain", "0", "--force", "--format", "json"});
  EXPECT_EQ(vacuumed.exit_code, 0) << vacuumed.err;
  EXPECT_EQ(std::count(vacuumed.out.begin(), vacuumed.out.end(), '\n'), 5) << vacuumed.out;

  Outcome history = RunSluice({"table", "history", table, "--format", "csv"});
  EXPECT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("\r\n3,"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("OPTIMIZE"), std::string::npos) << history.out;
}

TEST(CliTest, ChangesBetweenVersions) {
  std::string table = ConformancePath("delta-kernel-rs/data/cdf-table-simple");
  Outcome run =
      RunSluice({"table", "changes", table, "--from", "2", "--to", "2", "--format", "csv"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::istringstream lines(run.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header, "id,_change_type,_commit_version,_commit_timestamp\r");
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 6) << run.out;

  Outcome reversed = RunSluice({"table", "changes", table, "--from", "2", "--to", "1"});
  EXPECT_EQ(reversed.exit_code, 1);
  EXPECT_EQ(reversed.err.rfind("error: ", 0), 0u) << reversed.err;
}

// Pipeline commands, on the project `sluice init` writes.

void WriteText(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(PipelineCliTest, InitRunQueryEventsGraph) {
  testing::TempDir dir;
  const std::string project = dir.Child("shop");
  Outcome init = RunSluice({"init", project});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("sluice run"), std::string::npos);
  Outcome again = RunSluice({"init", project});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;

  Outcome validate = RunSluice({"validate", project});
  ASSERT_EQ(validate.exit_code, 0) << validate.err;
  EXPECT_NE(validate.out.find("3 datasets, 3 flows"), std::string::npos) << validate.out;

  Outcome run = RunSluice({"run", project});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("flow orders_raw"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("COMPLETED in "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("3 flows completed, 0 failed, 0 skipped; 13 rows written; "
                         "expectations: known_status warned 1, positive_amount dropped 1"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(run.out.find("\033["), std::string::npos) << "no colors when not a terminal";

  Outcome query =
      RunSluice({"query", project, "SELECT status, orders FROM orders_by_status ORDER BY status",
                 "--format", "csv"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_EQ(query.out, "status,orders\r\nlost,1\r\nnew,1\r\npaid,1\r\nshipped,1\r\n");

  Outcome travel = RunSluice(
      {"query", project, "SELECT count(*) AS n FROM orders VERSION AS OF 0", "--format", "csv"});
  ASSERT_EQ(travel.exit_code, 0) << travel.err;
  EXPECT_EQ(travel.out, "n\r\n4\r\n");

  Outcome events = RunSluice(
      {"events", project, "--update", "latest", "--type", "update_progress", "--format", "csv"});
  ASSERT_EQ(events.exit_code, 0) << events.err;
  EXPECT_NE(events.out.find("is COMPLETED"), std::string::npos) << events.out;

  Outcome dot = RunSluice({"graph", project, "--format", "dot"});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_NE(dot.out.find("\"orders_raw\" -> \"orders\""), std::string::npos) << dot.out;
  Outcome mermaid = RunSluice({"graph", project, "--format", "mermaid"});
  EXPECT_EQ(mermaid.out.rfind("flowchart LR", 0), 0u) << mermaid.out;
}

TEST(PipelineCliTest, DefinitionErrorsExitTwoAndFailedUpdatesExitOne) {
  testing::TempDir dir;
  const std::string project = dir.Child("p");
  ASSERT_EQ(RunSluice({"init", project}).exit_code, 0);
  WriteText(project + "/transformations/orders.sql",
            "CREATE MATERIALIZED VIEW a AS SELECT * FROM nope;\n");
  Outcome bad = RunSluice({"validate", project});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("orders.sql:1:45: unknown dataset 'nope'"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("\n                                              ^"), std::string::npos)
      << bad.err;

  // In ANSI mode a string that is not a number fails the cast (and so the update).
  WriteText(
      project + "/transformations/orders.sql",
      "SET spark.sql.ansi.enabled = true;\n"
      "CREATE MATERIALIZED VIEW a AS SELECT v::INTEGER AS v FROM (VALUES ('broken')) t(v);\n");
  Outcome failed = RunSluice({"run", project});
  EXPECT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_NE(failed.out.find("FAILED"), std::string::npos) << failed.out;
  EXPECT_NE(failed.out.find("broken"), std::string::npos) << failed.out;

  Outcome usage = RunSluice({"run", project, "--full-refresh-all", "--refresh", "a"});
  EXPECT_EQ(usage.exit_code, 2);
  Outcome none = RunSluice({"run", dir.Child("nothing_here")});
  EXPECT_EQ(none.exit_code, 2);
}

// Reading a pipeline (query, events, graph) needs no --conf: the configuration of the last
// update fills in the values it was run with.
TEST(PipelineCliTest, ReadingUsesTheLastUpdatesConfiguration) {
  testing::TempDir dir;
  const std::string project = dir.Child("p");
  std::filesystem::create_directories(project + "/data");
  WriteText(project + "/pipeline.yml", "name: conf\n");
  WriteText(project + "/data/1.json", "{\"id\": 1}\n{\"id\": 2}\n");
  WriteText(project + "/p.sql",
            "CREATE MATERIALIZED VIEW ids AS SELECT id FROM read_files('${source}', format => "
            "'json');\n");
  Outcome missing = RunSluice({"run", project});
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_NE(missing.err.find("source"), std::string::npos) << missing.err;

  Outcome run = RunSluice({"run", project, "--conf", "source=data"});
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  Outcome query = RunSluice({"query", project, "SELECT count(*) AS n FROM ids", "--format", "csv"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_EQ(query.out, "n\r\n2\r\n");
  Outcome graph = RunSluice({"graph", project, "--format", "text"});
  EXPECT_EQ(graph.exit_code, 0) << graph.err;
  Outcome events = RunSluice({"events", project, "--update", "latest", "--format", "csv"});
  EXPECT_EQ(events.exit_code, 0) << events.err;
  // --conf still overrides what the update recorded.
  Outcome elsewhere =
      RunSluice({"query", project, "SELECT count(*) FROM ids", "--conf", "source=nowhere"});
  EXPECT_EQ(elsewhere.exit_code, 0) << elsewhere.err;
}

TEST(PipelineCliTest, ContinuousRunStopsCleanlyOnSigterm) {
  testing::TempDir dir;
  const std::string project = dir.Child("c");
  ASSERT_EQ(RunSluice({"init", project}).exit_code, 0);
  WriteText(project + "/pipeline.yml",
            "name: c\nconfiguration:\n  source_path: data\n  pipelines.trigger.interval: 100 ms\n");
  // Start in the background; once a cycle found nothing new (IDLE, so the update is running
  // with its signal handler), stop it with SIGTERM and report its exit code. The wait is
  // bounded (60 s).
  const std::string out = dir.Child("out");
  const std::string script =
      ShellQuote(SLUICE_CLI_BINARY) + " run " + ShellQuote(project) + " --continuous >" +
      ShellQuote(out) + " 2>&1 & pid=$!; for i in $(seq 1 600); do grep -q IDLE " +
      ShellQuote(out) + " && break; sleep 0.1; done; kill -TERM $pid; wait $pid; echo $?";
  FILE* pipe = popen(script.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[64] = {0};
  const size_t n = fread(buffer, 1, sizeof(buffer) - 1, pipe);
  pclose(pipe);
  EXPECT_EQ(std::string(buffer, n), "0\n");
  std::ifstream log(out);
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_NE(text.str().find("CANCELED in"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("IDLE"), std::string::npos) << text.str();
}

}  // namespace
}  // namespace sluice
