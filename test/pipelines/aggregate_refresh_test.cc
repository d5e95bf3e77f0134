// Incremental refresh of aggregate materialized views against a full recompute: random
// batches of rows (NULL keys, NULL values, repeated and new distinct values, rows the WHERE
// clause filters out) arrive over many updates; after each one, every view equals its
// query computed from scratch over the source, and from the second update on the views
// were refreshed incrementally.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "sluice/pipeline.h"
#include "support/temp_dir.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  testing::WriteTextFile(path.string(), text);
}

struct View {
  const char* name;
  const char* query;  // over `sales`
};

const View kViews[] = {
    {"by_shop",
     "SELECT shop, count(*) AS n, count(amount) AS priced, sum(amount) AS total, "
     "min(amount) AS low, max(amount) AS high, count(DISTINCT customer) AS customers "
     "FROM sales WHERE amount IS NULL OR amount > -50 GROUP BY shop"},
    {"by_shop_day",
     "SELECT shop, day, sum(amount) AS total, count(DISTINCT customer) AS customers, "
     "max(customer) AS last_customer FROM sales GROUP BY shop, day"},
    {"overall",
     "SELECT count(*) AS n, sum(amount) AS total, count(DISTINCT day) AS days FROM sales"},
};

std::string RandomBatch(std::mt19937& random, int rows) {
  std::uniform_int_distribution<int> shop(0, 6);
  std::uniform_int_distribution<int> amount(-100, 1000);
  std::uniform_int_distribution<int> customer(0, 40);
  std::uniform_int_distribution<int> day(1, 9);
  std::uniform_int_distribution<int> percent(0, 99);
  std::string out;
  for (int i = 0; i < rows; ++i) {
    const bool null_shop = percent(random) < 5;
    const bool null_amount = percent(random) < 10;
    const bool null_customer = percent(random) < 5;
    out += "{\"shop\": " +
           (null_shop ? std::string("null") : "\"s" + std::to_string(shop(random)) + "\"");
    out += ", \"amount\": " + (null_amount ? std::string("null") : std::to_string(amount(random)));
    out += ", \"customer\": " +
           (null_customer ? std::string("null") : "\"c" + std::to_string(customer(random)) + "\"");
    out += ", \"day\": \"2025-01-0" + std::to_string(day(random)) + "\"}\n";
  }
  return out;
}

int64_t Count(Pipeline& pipeline, const std::string& sql) {
  auto rows = pipeline.Query(sql);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString() << "\n" << sql;
  if (!rows.ok() || rows->rows.size() != 1) return -1;
  return std::get<int64_t>(rows->rows[0][0].value);
}

TEST(AggregateRefreshTest, IncrementalRefreshesEqualFullRecomputes) {
  testing::TempDir temp;
  const fs::path root(temp.path());
  std::string sql =
      "CREATE STREAMING TABLE sales AS SELECT * FROM STREAM read_files('data', format => "
      "'json');\n";
  for (const View& view : kViews) {
    sql += "CREATE MATERIALIZED VIEW " + std::string(view.name) + " AS " + view.query + ";\n";
  }
  Write(root / "pipeline.yml", "name: aggregates\n");
  Write(root / "p.sql", sql);
  std::mt19937 random(20261202);
  for (int update = 0; update < 8; ++update) {
    SCOPED_TRACE("update " + std::to_string(update));
    Write(root / "data" / (std::to_string(update) + ".json"),
          RandomBatch(random, update == 0 ? 300 : 40));
    auto pipeline = Pipeline::Open(root.string());
    ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
    auto report = (*pipeline)->Run();
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->state, "COMPLETED");
    for (const View& view : kViews) {
      SCOPED_TRACE(view.name);
      const std::string stored = "SELECT * FROM " + std::string(view.name);
      const std::string fresh = view.query;
      EXPECT_EQ(
          Count(**pipeline, "SELECT count(*) FROM (((" + stored + ") EXCEPT ALL (" + fresh +
                                ")) UNION ALL ((" + fresh + ") EXCEPT ALL (" + stored + ")))"),
          0);
      EXPECT_GT(Count(**pipeline, "SELECT count(*) FROM " + std::string(view.name)), 0);
      const std::string technique =
          "SELECT count(*) FROM event_log WHERE event_type = 'planning_information' AND "
          "origin.flow_name = '" +
          std::string(view.name) + "' AND origin.update_id = '" + report->update_id +
          "' AND details:planning_information.technique_information[0].maintenance_type = '" +
          (update == 0 ? "MAINTENANCE_TYPE_COMPLETE_RECOMPUTE" : "MAINTENANCE_TYPE_ROW_BASED") +
          "'";
      EXPECT_EQ(Count(**pipeline, technique), 1);
    }
  }
}

}  // namespace
}  // namespace sluice
