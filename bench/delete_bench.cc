// Deleting 1% of the rows of a 10-million-row Delta table (ids picked by a hash, so every
// file holds some) with deletion vectors (merge-on-read) against copy-on-write (the files
// rewritten without the rows), and against DuckDB deleting the same rows from its own table
// and writing the table to Parquet, all in the same run. Each of REPEATS rounds deletes
// another 1%. Prints each way's time and bytes written per round, and the ratios.
//
// Usage: delete_bench [ROWS (10000000)] [REPEATS (3)]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "delta/write.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace {

namespace fs = std::filesystem;
using Stopwatch = std::chrono::steady_clock;

double Seconds(Stopwatch::time_point start) {
  return std::chrono::duration<double>(Stopwatch::now() - start).count();
}

void Check(const sluice::Status& status, const std::string& what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), status.ToString().c_str());
    std::exit(1);
  }
}

int64_t TreeBytes(const fs::path& dir) {
  int64_t total = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += static_cast<int64_t>(entry.file_size());
  }
  return total;
}

std::string Source(int64_t rows) {
  return "SELECT i AS id, 'customer-' || (i % 100000) AS name, (i % 1000) / 10.0 AS amount, "
         "DATE '2024-01-01' + (i % 365)::INTEGER AS day, (i % 8)::INTEGER AS region FROM range(" +
         std::to_string(rows) + ") t(i)";
}

// The rows round `r` deletes: 1% of the ids, spread over the whole table.
std::string Deleted(int round) { return "hash(id) % 100 = " + std::to_string(round); }

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  const fs::path root =
      fs::temp_directory_path() / ("sluice-delete-bench-" + std::to_string(getpid()));
  fs::remove_all(root);
  auto database = sluice::engine::Database::Open();
  Check(database.status(), "duckdb");
  auto connection = (*database)->Connect();
  Check(connection.status(), "connect");
  sluice::delta::DeltaContext context;
  context.fs = sluice::io::LocalFileSystem();
  context.connection = connection->get();

  const fs::path with_dv = root / "dv", copy_on_write = root / "cow";
  for (const fs::path& table : {with_dv, copy_on_write}) {
    sluice::delta::WriteOptions options;
    options.table_properties["delta.enableDeletionVectors"] = table == with_dv ? "true" : "false";
    Check(sluice::delta::WriteTable(context, table.string(), Source(rows), options).status(),
          "create " + table.string());
  }
  Check((*connection)->Execute("CREATE TABLE peer AS " + Source(rows)), "peer create");
  const fs::path peer_file = root / "peer.parquet";
  std::printf("%lld rows; deleting 1%% of them per round\n", static_cast<long long>(rows));

  double dv_total = 0, cow_total = 0, peer_total = 0;
  int64_t dv_bytes_total = 0, cow_bytes_total = 0;
  for (int round = 0; round < repeats; ++round) {
    double seconds[2];
    int64_t bytes[2];
    int64_t deleted = 0;
    for (int way = 0; way < 2; ++way) {
      const fs::path table = way == 0 ? with_dv : copy_on_write;
      const int64_t before = TreeBytes(table);
      const auto start = Stopwatch::now();
      auto result = sluice::delta::DeleteRows(context, table.string(), Deleted(round));
      seconds[way] = Seconds(start);
      Check(result.status(), "delete");
      bytes[way] = TreeBytes(table) - before;
      deleted = result->rows_deleted;
    }
    const auto start = Stopwatch::now();
    Check((*connection)->Execute("DELETE FROM peer WHERE " + Deleted(round)), "peer delete");
    Check((*connection)->Execute("COPY peer TO '" + peer_file.string() + "' (FORMAT parquet)"),
          "peer write");
    const double peer = Seconds(start);
    std::printf(
        "round %d: %lld rows deleted; deletion vectors %.3f s, %lld bytes (%.1f per row); "
        "copy-on-write %.3f s, %lld bytes (%.1f per row); DuckDB DELETE + Parquet %.3f s\n",
        round, static_cast<long long>(deleted), seconds[0], static_cast<long long>(bytes[0]),
        static_cast<double>(bytes[0]) / static_cast<double>(deleted), seconds[1],
        static_cast<long long>(bytes[1]),
        static_cast<double>(bytes[1]) / static_cast<double>(deleted), peer);
    dv_total += seconds[0];
    cow_total += seconds[1];
    peer_total += peer;
    dv_bytes_total += bytes[0];
    cow_bytes_total += bytes[1];
  }
  std::printf(
      "\ntotal: deletion vectors %.3f s, copy-on-write %.3f s, DuckDB %.3f s\n"
      "   deletion vectors / copy-on-write: time %.2f, bytes written %.4f\n"
      "   deletion vectors / DuckDB: %.2f; copy-on-write / DuckDB: %.2f\n",
      dv_total, cow_total, peer_total, dv_total / cow_total,
      static_cast<double>(dv_bytes_total) / static_cast<double>(cow_bytes_total),
      dv_total / peer_total, cow_total / peer_total);
  fs::remove_all(root);
  return 0;
}
