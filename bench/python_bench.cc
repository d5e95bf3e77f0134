// Python pipelines against the same pipelines written in SQL, in the same run:
//  1. the retail example and its Python twin (examples/retail/python) on the same generated
//     JSON orders: a full update each (ratio Python / SQL, goal <= 1.05);
//  2. the fixed cost a Python file adds: no-op updates of a 50-dataset pipeline written in
//     SQL and in Python (median of 5 each; goal: Python under SQL + 40 ms);
//  3. a Python UDF over 10 million rows against the same expression in SQL (ratio).
//
// Usage: python_bench [ROWS (default 5000000)] [FILES (default 100)] [UDF_ROWS (10000000)]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "generate_orders.h"
#include "pipeline_runs.h"
#include "sluice/pipeline.h"

namespace {

namespace fs = std::filesystem;
using sluice::bench::Check;
using sluice::bench::RunPipeline;
using sluice::bench::WriteFile;

// Copies a retail project (settings and transformations) into `dir`, reading orders from
// `data` (an absolute folder holding orders/).
void CopyRetail(const fs::path& from, const fs::path& dir, const fs::path& data) {
  fs::create_directories(dir / "transformations");
  for (const auto& entry : fs::directory_iterator(from / "transformations")) {
    fs::copy_file(entry.path(), dir / "transformations" / entry.path().filename());
  }
  std::ifstream in(from / "pipeline.yml");
  std::stringstream settings;
  settings << in.rdbuf();
  std::string text = settings.str();
  const std::string key = "source_path: data";
  text.replace(text.find(key), key.size(), "source_path: " + data.string());
  WriteFile(dir / "pipeline.yml", text);
}

double MedianNoOp(const fs::path& dir) {
  RunPipeline(dir, nullptr);
  std::vector<double> times;
  for (int i = 0; i < 5; ++i) times.push_back(RunPipeline(dir, nullptr));
  std::sort(times.begin(), times.end());
  return times[times.size() / 2] * 1000;
}

// The 50-dataset pipeline of pipeline_bench (one streaming table, 49 views fanning out),
// in SQL at `sql` and in Python at `python`.
void WriteFiftyDatasets(const fs::path& sql, const fs::path& python) {
  std::string text =
      "CREATE STREAMING TABLE source AS SELECT * FROM STREAM read_files('data', format => "
      "'json');\n";
  std::string py =
      "import dlt\nfrom pyspark.sql import functions as F\n\n"
      "@dlt.table\ndef source():\n"
      "    return spark.readStream.format('json').load('data')\n\n";
  for (int i = 1; i < 50; ++i) {
    const std::string name = "mv_" + std::to_string(i);
    if (i <= 7) {
      text += "CREATE MATERIALIZED VIEW " + name +
              " AS SELECT customer_id, count(*) AS n FROM source GROUP BY customer_id;\n";
    } else {
      text += "CREATE MATERIALIZED VIEW " + name + " AS SELECT customer_id, sum(n) AS n FROM mv_" +
              std::to_string((i - 1) / 7) + " GROUP BY customer_id;\n";
    }
  }
  py +=
      "for i in range(1, 50):\n"
      "    if i <= 7:\n"
      "        @dlt.table(name=f'mv_{i}')\n"
      "        def first_level():\n"
      "            return dlt.read('source').groupBy('customer_id').agg(F.count('*').alias('n'))\n"
      "    else:\n"
      "        @dlt.table(name=f'mv_{i}')\n"
      "        def next_level(parent=f'mv_{(i - 1) // 7}'):\n"
      "            return dlt.read(parent).groupBy('customer_id').agg(F.sum('n').alias('n'))\n";
  for (const fs::path& dir : {sql, python}) {
    WriteFile(dir / "pipeline.yml", "name: fifty\n");
    WriteFile(dir / "data" / "1.json", "{\"customer_id\": 1}\n{\"customer_id\": 2}\n");
  }
  WriteFile(sql / "datasets.sql", text);
  WriteFile(python / "datasets.py", py);
}

// A materialized view of `rows` rows computing id * 3 + 1: with a Python UDF or in SQL.
void WriteUdfPipelines(const fs::path& sql, const fs::path& python, int64_t rows) {
  const std::string n = std::to_string(rows);
  WriteFile(sql / "pipeline.yml", "name: udf_sql\n");
  WriteFile(sql / "p.sql",
            "CREATE MATERIALIZED VIEW t AS SELECT id, id * 3 + 1 AS v FROM range(" + n + ");\n");
  WriteFile(python / "pipeline.yml", "name: udf_python\n");
  WriteFile(python / "p.py",
            "import dlt\nfrom pyspark.sql.functions import udf\n\n"
            "@udf('bigint')\ndef f(x):\n    return x * 3 + 1\n\n"
            "@dlt.table\ndef t():\n    return spark.range(" +
                n + ").select('id', f('id').alias('v'))\n");
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 5000000;
  const int64_t files = argc > 2 ? std::atoll(argv[2]) : 100;
  const int64_t udf_rows = argc > 3 ? std::atoll(argv[3]) : 10000000;
  const fs::path root =
      fs::temp_directory_path() / ("sluice_python_bench_" + std::to_string(getpid()));
  fs::remove_all(root);
  auto database = sluice::engine::Database::Open();
  Check(database.status(), "duckdb");
  auto connection = (*database)->Connect();
  Check(connection.status(), "connect");

  const fs::path example = fs::path(SLUICE_SOURCE_DIR) / "examples" / "retail";
  const fs::path data = root / "data";
  std::printf("generating %lld rows in %lld JSON files...\n", static_cast<long long>(rows),
              static_cast<long long>(files));
  Check(sluice::examples::GenerateOrders(**connection, (data / "orders").string(), 0, files,
                                         rows / files),
        "generate");
  // Fresh projects each round, in alternating order, so that neither gains from caches the
  // other warmed; the best of three rounds each.
  double sql = 1e9, python = 1e9;
  for (int round = 0; round < 3; ++round) {
    const std::string suffix = std::to_string(round);
    CopyRetail(example, root / ("retail_sql_" + suffix), data);
    CopyRetail(example / "python", root / ("retail_python_" + suffix), data);
    if (round % 2 == 0) {
      sql = std::min(sql, RunPipeline(root / ("retail_sql_" + suffix)));
      python = std::min(python, RunPipeline(root / ("retail_python_" + suffix)));
    } else {
      python = std::min(python, RunPipeline(root / ("retail_python_" + suffix)));
      sql = std::min(sql, RunPipeline(root / ("retail_sql_" + suffix)));
    }
  }
  std::printf(
      "retail full update (best of 3): SQL %.3f s, Python %.3f s, ratio %.3f (goal <= 1.05)\n", sql,
      python, python / sql);

  WriteFiftyDatasets(root / "fifty_sql", root / "fifty_python");
  const double fixed_sql = MedianNoOp(root / "fifty_sql");
  const double fixed_python = MedianNoOp(root / "fifty_python");
  std::printf(
      "no-op update, 50 datasets: SQL %.1f ms, Python %.1f ms, Python adds %.1f ms (goal < 40 "
      "ms)\n",
      fixed_sql, fixed_python, fixed_python - fixed_sql);

  WriteUdfPipelines(root / "udf_sql", root / "udf_python", udf_rows);
  const double udf_sql = RunPipeline(root / "udf_sql");
  const double udf_python = RunPipeline(root / "udf_python");
  std::printf("UDF over %lld rows:   SQL %.3f s, Python UDF %.3f s, ratio %.2f\n",
              static_cast<long long>(udf_rows), udf_sql, udf_python, udf_python / udf_sql);
  fs::remove_all(root);
  return 0;
}
