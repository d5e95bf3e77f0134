// Ingesting files with read_files into a streaming table, against DuckDB reading the same
// files and writing Parquet itself, in the same run:
//
//  1. `rows` rows as 200 CSV files, and the same rows as 200 JSON files: one update of a
//     pipeline with a streaming table per format (inferring the schema, reading, writing
//     Delta) vs `COPY (SELECT * FROM read_csv(...) / read_json(...)) TO parquet`. Ratio
//     goal: at most 1.15.
//  2. Many small files: 1,000 JSON files of 100 rows, read in batches of 100 files (one
//     update, 10 batches): files per second; then the fixed cost of a batch (20 batches of
//     one 1-row file in one update) and of an update that reads one new 1-row file.
//
// Usage: ingest_bench [rows] [files]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/engine.h"
#include "pipeline_runs.h"

namespace {

namespace fs = std::filesystem;
using sluice::bench::Check;
using sluice::bench::Clock;
using sluice::bench::RunPipeline;
using sluice::bench::Since;
using sluice::bench::WriteFile;

std::string Rows(int64_t from, int64_t to) {
  return "SELECT i AS id, 'customer-' || (i % 100000) AS customer, (i % 100000) / 100.0 AS "
         "amount, (i % 7)::INTEGER AS quantity, i % 3 = 0 AS returned, "
         "strftime(TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i), '%Y-%m-%dT%H:%M:%S') AS ts, "
         "['NO', 'SE', 'DK', 'FI'][(i % 4) + 1] AS country FROM range(" +
         std::to_string(from) + ", " + std::to_string(to) + ") t(i)";
}

void Generate(sluice::engine::Connection& connection, const fs::path& dir, int64_t rows,
              int files) {
  fs::create_directories(dir / "csv");
  fs::create_directories(dir / "json");
  for (int f = 0; f < files; ++f) {
    const int64_t from = rows * f / files;
    const int64_t to = rows * (f + 1) / files;
    const std::string name = "part-" + std::to_string(f);
    Check(connection.Execute("COPY (" + Rows(from, to) + ") TO '" +
                             (dir / "csv" / (name + ".csv")).string() + "' (HEADER)"),
          "csv");
    Check(connection.Execute("COPY (" + Rows(from, to) + ") TO '" +
                             (dir / "json" / (name + ".json")).string() + "' (FORMAT json)"),
          "json");
  }
}

double TimeDuckDb(sluice::engine::Connection& connection, const std::string& reader,
                  const fs::path& out) {
  fs::remove(out);
  const auto start = Clock::now();
  Check(connection.Execute("COPY (SELECT * FROM " + reader + ") TO '" + out.string() +
                           "' (FORMAT parquet)"),
        "duckdb copy");
  return Since(start);
}

double TimeSluice(const fs::path& dir, const std::string& format, int64_t expected) {
  const fs::path project = dir / ("sluice-" + format);
  fs::remove_all(project);
  WriteFile(project / "pipeline.yml", "name: ingest_" + format + "\n");
  WriteFile(project / "p.sql", "CREATE STREAMING TABLE t AS SELECT * FROM STREAM read_files('" +
                                   (dir / format).string() + "', format => '" + format + "'" +
                                   (format == "csv" ? ", header => true" : "") + ");\n");
  int64_t rows = 0;
  const double seconds = RunPipeline(project, &rows);
  if (rows != expected) {
    std::fprintf(stderr, "%s: wrote %lld rows, expected %lld\n", format.c_str(),
                 static_cast<long long>(rows), static_cast<long long>(expected));
    std::exit(1);
  }
  return seconds;
}

// Seconds of one update of a project at `project` reading its data/ folder of JSON files in
// batches of `files_per_batch`; exits unless it wrote `expected` rows.
double RunJsonFiles(const fs::path& project, int files_per_batch, int64_t expected) {
  WriteFile(project / "pipeline.yml", "name: json_files\n");
  WriteFile(project / "p.sql", "CREATE STREAMING TABLE t AS SELECT * FROM STREAM read_files('" +
                                   (project / "data").string() +
                                   "', format => 'json', maxFilesPerTrigger => " +
                                   std::to_string(files_per_batch) + ");\n");
  int64_t rows = 0;
  const double seconds = RunPipeline(project, &rows);
  if (rows != expected) {
    std::fprintf(stderr, "%s: wrote %lld rows, expected %lld\n", project.c_str(),
                 static_cast<long long>(rows), static_cast<long long>(expected));
    std::exit(1);
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int files = argc > 2 ? std::atoi(argv[2]) : 200;
  const fs::path dir = fs::temp_directory_path() / "sluice-ingest-bench";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto database = std::move(sluice::engine::Database::Open()).value();
  auto connection = std::move(database->Connect()).value();
  std::printf("generating %lld rows as %d CSV and %d JSON files...\n", static_cast<long long>(rows),
              files, files);
  Generate(*connection, dir, rows, files);

  std::printf("\n1. %lld rows in %d files per format, one update vs DuckDB COPY ... TO parquet\n",
              static_cast<long long>(rows), files);
  for (const std::string format : {"csv", "json"}) {
    const std::string glob = (dir / format / ("*." + format)).string();
    const std::string reader =
        format == "csv" ? "read_csv('" + glob + "', header = true)" : "read_json('" + glob + "')";
    const double duckdb = TimeDuckDb(*connection, reader, dir / ("duckdb-" + format + ".parquet"));
    const double sluice = TimeSluice(dir, format, rows);
    std::printf("   %-4s sluice %.3f s, DuckDB %.3f s, ratio %.3f (goal <= 1.15), %.2f M rows/s\n",
                format.c_str(), sluice, duckdb, sluice / duckdb, rows / sluice / 1e6);
  }

  // 2. Small files: 1,000 files of 100 rows in batches of 100 files.
  const fs::path small = dir / "small";
  for (int f = 0; f < 1000; ++f) {
    std::string text;
    for (int r = 0; r < 100; ++r) {
      const int id = f * 100 + r;
      text += "{\"id\": " + std::to_string(id) + ", \"name\": \"n" + std::to_string(id) +
              "\", \"amount\": " + std::to_string(id % 1000) + ".5}\n";
    }
    WriteFile(small / "data" / ("f" + std::to_string(f) + ".json"), text);
  }
  const double small_seconds = RunJsonFiles(small, 100, 100000);
  // The fixed cost of a batch: 20 batches of one 1-row file each in one update; and of a
  // whole update that reads one new 1-row file.
  const fs::path tiny = dir / "tiny";
  for (int i = 0; i < 20; ++i) {
    WriteFile(tiny / "data" / ("f" + std::to_string(i) + ".json"),
              "{\"id\": " + std::to_string(i) + ", \"name\": \"x\", \"amount\": 1.5}\n");
  }
  const double twenty_batches = RunJsonFiles(tiny, 1, 20);
  double one_file = 0;
  const int one_file_runs = 5;
  for (int i = 0; i < one_file_runs; ++i) {
    WriteFile(small / "data" / ("extra" + std::to_string(i) + ".json"),
              "{\"id\": -1, \"name\": \"x\", \"amount\": 1.5}\n");
    one_file += RunPipeline(small);
  }
  std::printf("\n2. 1,000 files x 100 rows, batches of 100 files (10 batches in one update)\n");
  std::printf("   %.3f s: %.0f files/s, %.0f rows/s, %.1f ms per batch\n", small_seconds,
              1000 / small_seconds, 100000 / small_seconds, small_seconds / 10 * 1000);
  std::printf("   fixed cost per batch (20 batches of one 1-row file in one update): %.1f ms\n",
              twenty_batches / 20 * 1000);
  std::printf("   an update that reads one new 1-row file: %.1f ms\n",
              one_file / one_file_runs * 1000);
  fs::remove_all(dir);
  return 0;
}
