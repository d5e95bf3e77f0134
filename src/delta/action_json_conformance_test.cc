// Every JSON file of every _delta_log in the shared conformance tables must parse, and each
// action must survive a serialize/parse round trip unchanged.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "delta/action_json.h"
#include "support/temp_dir.h"

namespace sluice::delta {
namespace {

namespace fs = std::filesystem;

std::string ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<fs::path> LogJsonFiles() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(testing::ConformancePath(""))) {
    if (entry.is_regular_file() && entry.path().extension() == ".json" &&
        entry.path().parent_path().filename() == "_delta_log") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> NonBlankLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

TEST(ActionJsonConformanceTest, EveryLogFileParsesAndRoundTrips) {
  std::vector<fs::path> files = LogJsonFiles();
  ASSERT_GT(files.size(), 500u) << "conformance data not found";
  size_t total_actions = 0;
  size_t kinds_seen[std::variant_size_v<Action>] = {};
  for (const fs::path& file : files) {
    std::string content = ReadWholeFile(file);
    auto parsed = ParseActions(content, file.string());
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    // Each line of these logs holds exactly one action.
    EXPECT_EQ(parsed->size(), NonBlankLines(content).size()) << file;
    for (const Action& action : *parsed) {
      ++kinds_seen[action.index()];
      std::string line = SerializeAction(action);
      auto again = ParseActions(line, "serialized");
      ASSERT_TRUE(again.ok()) << again.status().ToString() << "\n" << line;
      ASSERT_EQ(again->size(), 1u);
      EXPECT_EQ(again->front(), action) << file << "\n" << line;
    }
    total_actions += parsed->size();
  }
  EXPECT_GT(total_actions, 2000u);
  for (size_t kind = 0; kind < std::variant_size_v<Action>; ++kind) {
    // domainMetadata appears only in checkpoints and CRC files of these tables.
    if (kind == Action(DomainMetadata{}).index()) continue;
    EXPECT_GT(kinds_seen[kind], 0u) << "no action of kind " << kind;
  }
}

TEST(ActionJsonConformanceTest, SparkCommitReserializesByteForByte) {
  // Spark's own output: the same key order and the same bytes, line by line.
  std::string file = testing::ConformancePath(
      "delta-kernel-rs/golden_data/dv-partitioned-with-checkpoint/delta/_delta_log/"
      "00000000000000000005.json");
  std::string content = ReadWholeFile(file);
  auto parsed = ParseActions(content, file);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  std::vector<std::string> lines = NonBlankLines(content);
  ASSERT_EQ(parsed->size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(SerializeAction((*parsed)[i]), lines[i]);
}

TEST(ActionJsonConformanceTest, RealDltLogWithoutSchema) {
  std::string dir = testing::ConformancePath("delta-rs/delta-live-table/_delta_log/");
  auto v0 = ParseActions(ReadWholeFile(dir + "00000000000000000000.json"), "v0");
  ASSERT_TRUE(v0.ok()) << v0.status().ToString();
  ASSERT_EQ(v0->size(), 3u);
  EXPECT_FALSE(std::get<Metadata>((*v0)[2]).schema_string.has_value());
  const auto& info = std::get<CommitInfo>((*v0)[0]);
  EXPECT_EQ(info.operation(), "DLT REFRESH");
  EXPECT_EQ(info.timestamp(), 1681798578373);
  EXPECT_EQ(info.is_blind_append(), false);
  EXPECT_THAT(info.engine_info().value_or(""), ::testing::StartsWith("Databricks-Runtime/dlt"));

  auto v1 = ParseActions(ReadWholeFile(dir + "00000000000000000001.json"), "v1");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  const auto& protocol = std::get<Protocol>((*v1)[1]);
  EXPECT_EQ(protocol.min_reader_version, 2);
  EXPECT_EQ(protocol.min_writer_version, 5);
  const auto& metadata = std::get<Metadata>((*v1)[2]);
  EXPECT_TRUE(metadata.schema_string.has_value());
  EXPECT_EQ(metadata.name, "SnowflakeTest_Snowflake_DTL_SHERPA_USER_TABLE");
  EXPECT_EQ(metadata.configuration.at("pipelines.autoOptimize.managed"), "false");
  EXPECT_EQ(std::get<CommitInfo>((*v1)[0]).read_version(), 0);
}

}  // namespace
}  // namespace sluice::delta
