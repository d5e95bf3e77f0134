// Reading a PostgreSQL table into a materialized view against psql's \copy plus DuckDB, in
// the same run. A PostgreSQL server (Debian's postgresql, started in a temporary folder as
// the tests start it) holds a table of ROWS rows (id bigint, customer text, amount
// numeric(12,2), created timestamptz, flag boolean). Then:
//  - sluice: one update of a pipeline whose materialized view reads the table with
//    read_jdbc, in PARTITIONS parallel partitions of id (Spark's partitioned read);
//  - peer: psql -c "\copy (SELECT * FROM orders) TO 'orders.csv' CSV" followed by DuckDB
//    writing that CSV to Parquet with the same column types.
// Prints both times (best of RUNS) and the ratio sluice / peer (goal <= 1.0); the bench
// fails unless both read every row.
//
// Usage: postgres_bench [ROWS (10000000)] [PARTITIONS (4)] [RUNS (2)]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "engine/engine.h"
#include "pipeline_runs.h"
#include "support/postgres_server.h"

namespace {

namespace fs = std::filesystem;
using sluice::bench::Clock;
using sluice::bench::Die;
using sluice::bench::Since;

double PeerRead(const sluice::testing::PostgresServer& server, const fs::path& dir, int64_t rows) {
  const fs::path csv = dir / "orders.csv";
  const fs::path parquet = dir / "orders.parquet";
  fs::remove(csv);
  fs::remove(parquet);
  const auto start = Clock::now();
  const std::string command = "PGPASSWORD=" + std::string(sluice::testing::kPostgresPassword) +
                              " psql -q -h 127.0.0.1 -p " + std::to_string(server.port()) +
                              " -U sluice -d test -c \"\\copy (SELECT * FROM orders) TO '" +
                              csv.string() + "' WITH (FORMAT csv)\"";
  if (std::system(command.c_str()) != 0) Die("psql \\copy failed");
  auto database = sluice::engine::Database::Open();
  if (!database.ok()) Die(database.status().ToString());
  auto duck = (*database)->Connect();
  if (!duck.ok()) Die(duck.status().ToString());
  sluice::Status copied = (*duck)->Execute(
      "COPY (SELECT * FROM read_csv('" + csv.string() +
      "', header = false, columns = {'id': 'BIGINT', 'customer': 'VARCHAR', 'amount': "
      "'DECIMAL(12,2)', 'created': 'TIMESTAMPTZ', 'flag': 'BOOLEAN'})) TO '" +
      parquet.string() + "' (FORMAT parquet)");
  if (!copied.ok()) Die(copied.ToString());
  const double seconds = Since(start);
  auto count = (*duck)->Query("SELECT count(*) FROM '" + parquet.string() + "'");
  if (!count.ok() || std::get<int64_t>(count->at(0, 0).data) != rows) Die("the peer lost rows");
  return seconds;
}

double SluiceRead(const sluice::testing::PostgresServer& server, const fs::path& dir, int64_t rows,
                  int partitions) {
  fs::remove_all(dir);
  sluice::bench::WriteFile(dir / "pipeline.yml", "name: postgres_bench\n");
  sluice::bench::WriteFile(
      dir / "p.sql", "CREATE MATERIALIZED VIEW orders AS SELECT * FROM read_jdbc(url => '" +
                         server.url() + "', dbtable => 'orders', user => 'sluice', password => '" +
                         sluice::testing::kPostgresPassword +
                         "', partitionColumn => 'id', lowerBound => 1, " + "upperBound => " +
                         std::to_string(rows + 1) + ", numPartitions => " +
                         std::to_string(partitions) + ");\n");
  int64_t written = 0;
  const double seconds = sluice::bench::RunPipeline(dir, &written);
  if (written != rows) Die("sluice read " + std::to_string(written) + " rows");
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int partitions = argc > 2 ? std::atoi(argv[2]) : 4;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 2;
  sluice::testing::PostgresServer server;
  if (!server.start_error().empty()) Die(server.start_error());
  std::printf("filling a PostgreSQL table with %lld rows...\n", static_cast<long long>(rows));
  std::fflush(stdout);
  const auto filled = Clock::now();
  const std::string error = server.Execute(
      "CREATE TABLE orders (id bigint, customer text, amount numeric(12,2), created "
      "timestamptz, flag boolean);"
      "INSERT INTO orders SELECT i, 'customer-' || (i % 10000), (i % 100000) / 100.0, "
      "timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second', i % 3 = 0 "
      "FROM generate_series(1, " +
      std::to_string(rows) + ") AS i");
  if (!error.empty()) Die(error);
  if (const std::string analyzed = server.Execute("VACUUM ANALYZE orders"); !analyzed.empty()) {
    Die(analyzed);
  }
  std::printf("filled in %.1f s\n\n", Since(filled));

  const fs::path work =
      fs::temp_directory_path() / ("sluice_postgres_bench_" + std::to_string(getpid()));
  fs::create_directories(work);
  double best_sluice = 1e30, best_peer = 1e30;
  for (int run = 0; run < runs; ++run) {
    best_sluice = std::min(best_sluice, SluiceRead(server, work / "pipeline", rows, partitions));
    best_peer = std::min(best_peer, PeerRead(server, work, rows));
  }
  std::printf("%lld rows from PostgreSQL, best of %d:\n", static_cast<long long>(rows), runs);
  std::printf(
      "  sluice read_jdbc, %d partitions, into a materialized view: %.3f s (%.2f M rows/s)\n",
      partitions, best_sluice, rows / best_sluice / 1e6);
  std::printf("  psql \\copy to CSV + DuckDB CSV to Parquet: %.3f s (%.2f M rows/s)\n", best_peer,
              rows / best_peer / 1e6);
  std::printf("  ratio sluice / peer %.2f (goal <= 1.0)\n", best_sluice / best_peer);
  fs::remove_all(work);
  return 0;
}
