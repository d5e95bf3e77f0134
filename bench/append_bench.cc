// Appending 10 million generated rows (a few types, one partition column) as a Delta table,
// against DuckDB's own COPY ... TO parquet of the same rows with the same partitioning and
// compression, in the same run; then the time to open the snapshot of a 100-commit table
// with a checkpoint. Prints ratios; asserts nothing.
//
// Usage: append_bench [rows] [repetitions]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "delta/snapshot.h"
#include "delta/write.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace {

using Stopwatch = std::chrono::steady_clock;

double Seconds(Stopwatch::time_point start) {
  return std::chrono::duration<double>(Stopwatch::now() - start).count();
}

void Check(const sluice::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, status.ToString().c_str());
    std::exit(1);
  }
}

std::string Source(int64_t rows) {
  return "SELECT i AS id, 'customer-' || (i % 100000) AS name, (i % 1000) / 10.0 AS amount, "
         "DATE '2024-01-01' + (i % 365)::INTEGER AS day, "
         "TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS ts, "
         "(i % 8)::INTEGER AS region FROM range(" +
         std::to_string(rows) + ") t(i)";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sluice;
  int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000000;
  int repetitions = argc > 2 ? std::atoi(argv[2]) : 3;
  std::string base = std::filesystem::temp_directory_path() / "sluice-append-bench";
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);

  auto db = std::move(engine::Database::Open()).value();
  auto connection = std::move(db->Connect()).value();
  delta::DeltaContext context;
  context.fs = io::LocalFileSystem();
  context.connection = connection.get();

  // Warm both paths up on a small input so that neither pays for first use.
  Check(connection->Execute("COPY (" + Source(10000) + ") TO '" + base +
                            "/warmup' (FORMAT parquet, PARTITION_BY (region))"),
        "warm-up");
  Check(delta::WriteTable(context, base + "/warmup-delta", Source(10000), {}).status(), "warm-up");

  double best_delta = 1e9, best_duckdb = 1e9;
  for (int r = 0; r < repetitions; ++r) {
    std::string duck_dir = base + "/duckdb-" + std::to_string(r);
    auto start = Stopwatch::now();
    Check(connection->Execute("COPY (" + Source(rows) + ") TO '" + duck_dir +
                              "' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (region), "
                              "FILENAME_PATTERN 'part-{uuid}')"),
          "DuckDB COPY");
    best_duckdb = std::min(best_duckdb, Seconds(start));

    std::string table = base + "/delta-" + std::to_string(r);
    delta::WriteOptions options;
    options.partition_by = {"region"};
    start = Stopwatch::now();
    auto written = delta::WriteTable(context, table, Source(rows), options);
    Check(written.status(), "sluice append");
    best_delta = std::min(best_delta, Seconds(start));
    std::filesystem::remove_all(duck_dir);
    std::filesystem::remove_all(table);
  }
  std::printf("append %lld rows: sluice %.3f s, DuckDB COPY %.3f s, ratio %.3f (goal <= 1.15)\n",
              static_cast<long long>(rows), best_delta, best_duckdb, best_delta / best_duckdb);
  std::printf("append throughput: %.0f rows/s\n", rows / best_delta);

  // A table of 100 commits after its creation: versions 0..100, checkpoints at 10, ..., 100.
  std::string table = base + "/commits";
  for (int i = 0; i <= 100; ++i) {
    delta::WriteOptions options;
    Check(delta::WriteTable(context, table, "SELECT " + std::to_string(i) + " AS id, 'x' AS name",
                            options)
              .status(),
          "small commit");
  }
  int opens = 50;
  auto start = Stopwatch::now();
  for (int i = 0; i < opens; ++i) {
    Check(delta::LoadSnapshot(context, table).status(), "open snapshot");
  }
  double open = Seconds(start) / opens;
  start = Stopwatch::now();
  for (int i = 0; i < opens; ++i) {
    Check(connection
              ->Query("SELECT count(*) FROM read_parquet('" + table +
                      "/_delta_log/00000000000000000100.checkpoint.parquet')")
              .status(),
          "read checkpoint");
  }
  double read_checkpoint = Seconds(start) / opens;
  std::printf(
      "open snapshot of a 100-commit table with a checkpoint: %.2f ms (DuckDB reading the "
      "checkpoint file alone: %.2f ms, ratio %.2f)\n",
      open * 1000, read_checkpoint * 1000, open / read_checkpoint);
  std::filesystem::remove_all(base);
  return 0;
}
