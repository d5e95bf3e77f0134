// The retail example written in SQL (examples/retail) and in Python (examples/retail/python)
// over the same generated orders: after a first update and an incremental one, both build
// the same tables (names, types, rows) and report the same rows written and expectation
// metrics for every flow.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "generate_orders.h"
#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

void CopyProject(const fs::path& from, const fs::path& to) {
  fs::create_directories(to / "transformations");
  fs::copy_file(from / "pipeline.yml", to / "pipeline.yml");
  for (const auto& entry : fs::directory_iterator(from / "transformations")) {
    fs::copy_file(entry.path(), to / "transformations" / entry.path().filename());
  }
}

// Every row of `table` as text, sorted, with the column names and types first.
std::vector<std::string> TableText(Pipeline& pipeline, const std::string& table) {
  auto rows = pipeline.Query("SELECT * FROM " + table);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  if (!rows.ok()) return {};
  std::vector<std::string> out;
  for (const auto& row : rows->rows) {
    std::string line;
    for (const auto& cell : row) line += (cell.is_null() ? "NULL" : cell.ToString()) + "|";
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  std::string header;
  for (size_t i = 0; i < rows->column_names.size(); ++i) {
    header += rows->column_names[i] + " " + rows->column_types[i] + ", ";
  }
  out.insert(out.begin(), header);
  return out;
}

// Per flow: state, rows written, rows dropped and each expectation's counts.
std::map<std::string, std::string> Metrics(const UpdateReport& report) {
  std::map<std::string, std::string> out;
  for (const FlowReport& flow : report.flows) {
    std::string text = flow.state + " rows " + std::to_string(flow.output_rows) + " dropped " +
                       std::to_string(flow.dropped_records);
    for (const ExpectationReport& e : flow.expectations) {
      text += "; " + e.name + " " + e.action + " " + std::to_string(e.passed_records) + "/" +
              std::to_string(e.failed_records);
    }
    out[flow.name] = text;
  }
  return out;
}

TEST(RetailTwin, SqlAndPythonBuildTheSameTables) {
  testing::TempDir dir;
  const fs::path example = fs::path(SLUICE_SOURCE_DIR) / "examples" / "retail";
  const fs::path sql = fs::path(dir.path()) / "sql";
  const fs::path python = fs::path(dir.path()) / "python";
  CopyProject(example, sql);
  CopyProject(example / "python", python);

  auto database = engine::Database::Open();
  ASSERT_TRUE(database.ok());
  auto connection = (*database)->Connect();
  ASSERT_TRUE(connection.ok());
  for (const fs::path& project : {sql, python}) {
    ASSERT_TRUE(
        examples::GenerateOrders(**connection, (project / "data/orders").string(), 0, 3, 400).ok());
  }
  for (int update = 0; update < 2; ++update) {
    if (update == 1) {
      for (const fs::path& project : {sql, python}) {
        ASSERT_TRUE(
            examples::GenerateOrders(**connection, (project / "data/orders").string(), 3, 1, 400)
                .ok());
      }
    }
    auto sql_pipeline = Pipeline::Open(sql.string());
    auto python_pipeline = Pipeline::Open(python.string());
    ASSERT_TRUE(sql_pipeline.ok() && python_pipeline.ok());
    auto sql_report = (*sql_pipeline)->Run();
    auto python_report = (*python_pipeline)->Run();
    ASSERT_TRUE(sql_report.ok()) << sql_report.status().ToString();
    ASSERT_TRUE(python_report.ok()) << python_report.status().ToString();
    EXPECT_EQ(sql_report->state, "COMPLETED");
    EXPECT_EQ(python_report->state, "COMPLETED");
    EXPECT_EQ(Metrics(*sql_report), Metrics(*python_report)) << "update " << update;
    for (const char* table :
         {"orders_bronze", "orders_silver", "revenue_by_customer", "revenue_by_month"}) {
      EXPECT_EQ(TableText(**sql_pipeline, table), TableText(**python_pipeline, table))
          << table << " after update " << update;
    }
  }
}

}  // namespace
}  // namespace sluice
