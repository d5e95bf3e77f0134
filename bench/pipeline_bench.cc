// The retail pipeline against the same work written by hand as DuckDB SQL, on generated
// JSON orders; an incremental update after 1% new files; and the fixed cost of an update
// of a 50-dataset pipeline with no new data.
//
// Usage: pipeline_bench [ROWS (default 5000000)] [FILES (default 100)]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "generate_orders.h"
#include "pipeline_runs.h"
#include "sluice/pipeline.h"

namespace {

namespace fs = std::filesystem;
using sluice::bench::Check;
using sluice::bench::Clock;
using sluice::bench::RunPipeline;
using sluice::bench::Since;
using sluice::bench::WriteFile;
// Copies the retail example's definition into `dir`.
void MakeRetailProject(const fs::path& dir) {
  const fs::path example = fs::path(SLUICE_SOURCE_DIR) / "examples" / "retail";
  fs::create_directories(dir / "transformations");
  fs::copy_file(example / "pipeline.yml", dir / "pipeline.yml");
  for (const char* name : {"bronze.sql", "silver.sql", "gold.sql"}) {
    fs::copy_file(example / "transformations" / name, dir / "transformations" / name);
  }
}

// The retail transformations by hand: the same reads, expectation counts and writes
// (Parquet, zstd) without the framework.
double RunByHand(sluice::engine::Connection& connection, const fs::path& data,
                 const fs::path& out) {
  fs::create_directories(out);
  const std::string b = (out / "bronze.parquet").string();
  const std::string s = (out / "silver.parquet").string();
  const auto start = Clock::now();
  auto run = [&](const std::string& sql) { Check(connection.Execute(sql), sql.c_str()); };
  run("COPY (SELECT * FROM read_json('" + (data / "*.json").string() +
      "', union_by_name = true)) TO '" + b + "' (FORMAT parquet, COMPRESSION zstd)");
  run("CREATE OR REPLACE TEMP TABLE checked AS SELECT order_id, customer_id, "
      "CAST(amount AS DECIMAL(10,2)) AS amount, strptime(CAST(order_ts AS VARCHAR), '%Y-%m-%d "
      "%H:%M:%S') AS "
      "order_time, lower(status) AS status, country FROM read_parquet('" +
      b + "')");
  auto counts = connection.Query(
      "SELECT count(*) FILTER (WHERE order_id IS NULL), count(*) FILTER (WHERE NOT amount > 0), "
      "count(*) FILTER (WHERE status NOT IN ('placed','shipped','delivered','returned')) "
      "FROM checked");
  Check(counts.status(), "counts");
  run("COPY (SELECT * FROM checked WHERE amount > 0) TO '" + s +
      "' (FORMAT parquet, COMPRESSION zstd)");
  run("COPY (SELECT customer_id, count(*) AS orders, sum(amount) AS revenue FROM read_parquet('" +
      s + "') GROUP BY customer_id) TO '" + (out / "by_customer.parquet").string() +
      "' (FORMAT parquet, COMPRESSION zstd)");
  run("COPY (SELECT CAST(date_trunc('month', order_time) AS DATE) AS month, count(*) AS orders, "
      "sum(amount) AS revenue, count(DISTINCT customer_id) AS customers FROM read_parquet('" +
      s + "') GROUP BY 1) TO '" + (out / "by_month.parquet").string() +
      "' (FORMAT parquet, COMPRESSION zstd)");
  run("DROP TABLE checked");
  return Since(start);
}

// A pipeline of one streaming table and 49 materialized views over it (a fan-out with a
// few levels), run once; then the time of updates that find no new data.
double FixedCostMillis(const fs::path& dir) {
  std::string sql =
      "CREATE STREAMING TABLE source AS SELECT * FROM STREAM read_files('data', format => "
      "'json');\n";
  for (int i = 1; i < 50; ++i) {
    const std::string name = "mv_" + std::to_string(i);
    if (i <= 7) {
      sql += "CREATE MATERIALIZED VIEW " + name +
             " AS SELECT customer_id, count(*) AS n FROM source GROUP BY customer_id;\n";
    } else {
      sql += "CREATE MATERIALIZED VIEW " + name + " AS SELECT customer_id, sum(n) AS n FROM mv_" +
             std::to_string((i - 1) / 7) + " GROUP BY customer_id;\n";
    }
  }
  WriteFile(dir / "pipeline.yml", "name: fifty\n");
  WriteFile(dir / "datasets.sql", sql);
  WriteFile(dir / "data" / "1.json", "{\"customer_id\": 1}\n{\"customer_id\": 2}\n");
  RunPipeline(dir, nullptr);
  std::vector<double> times;
  for (int i = 0; i < 5; ++i) times.push_back(RunPipeline(dir, nullptr));
  std::sort(times.begin(), times.end());
  return times[times.size() / 2] * 1000;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 5000000;
  const int64_t files = argc > 2 ? std::atoll(argv[2]) : 100;
  const fs::path root =
      fs::temp_directory_path() / ("sluice_pipeline_bench_" + std::to_string(getpid()));
  fs::remove_all(root);
  auto database = sluice::engine::Database::Open();
  Check(database.status(), "duckdb");
  auto connection = (*database)->Connect();
  Check(connection.status(), "connect");

  const fs::path project = root / "retail";
  MakeRetailProject(project);
  const fs::path data = project / "data" / "orders";
  std::printf("generating %lld rows in %lld JSON files...\n", static_cast<long long>(rows),
              static_cast<long long>(files));
  Check(sluice::examples::GenerateOrders(**connection, data.string(), 0, files, rows / files),
        "generate");

  const double by_hand = RunByHand(**connection, data, root / "by_hand");
  int64_t written = 0;
  const double full = RunPipeline(project, &written);
  std::printf(
      "full update:        sluice %.3f s, DuckDB by hand %.3f s, ratio %.3f (goal <= 1.15); %lld "
      "rows written\n",
      full, by_hand, full / by_hand, static_cast<long long>(written));

  const int64_t new_files = std::max<int64_t>(1, files / 100);
  Check(
      sluice::examples::GenerateOrders(**connection, data.string(), files, new_files, rows / files),
      "generate new");
  std::string flows;
  const double incremental = RunPipeline(project, &written, &flows);
  std::printf(
      "incremental update: %lld new files (1%%) %.3f s = %.1f%% of the full update (goal <= 5%%)\n"
      "  flows: %s\n",
      static_cast<long long>(new_files), incremental, 100 * incremental / full, flows.c_str());

  const double fixed = FixedCostMillis(root / "fifty");
  std::printf("no-op update of a 50-dataset pipeline: %.1f ms (median of 5; goal < 60 ms)\n",
              fixed);
  fs::remove_all(root);
  return 0;
}
