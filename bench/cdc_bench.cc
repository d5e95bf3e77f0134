// AUTO CDC merges against DuckDB doing the same merges by hand, on the same data in the same
// run: a customer table of ROWS rows receives BATCHES change batches of PERCENT (default 1)
// percent of its size (20% inserts, 70% updates, 10% deletes, shuffled, sequences out of
// order within a batch).
//   SCD1: sluice's AUTO CDC flow vs DuckDB's MERGE INTO on its own table, then the table
//         written to Parquet;
//   SCD2: sluice's AUTO CDC ... STORED AS SCD TYPE 2 vs UPDATE ... FROM (close versions) +
//         INSERT (open versions) on a DuckDB table, then written to Parquet.
// Each runs twice: with deletion vectors (pipeline tables' default: changed rows are marked
// in their files, merge-on-read) and without (copy-on-write, by
// spark.databricks.delta.properties.defaults.enableDeletionVectors: false).
// Prints each batch's time ratio (goal <= 1; the whole update, bronze ingest of the batch
// included) and the bytes sluice wrote per changed row (goal < 100), the initial load's ratio
// (goal <= 1.5; the AUTO CDC flow of the first update, which reads the 2 M rows from the
// bronze table as the peer reads them from the file; the whole update is printed too), and
// the totals of both ways side by side.
//
// Usage: cdc_bench [ROWS (default 10000000)] [BATCHES (default 10)] [PERCENT (default 1)]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "pipeline_runs.h"
#include "sluice/pipeline.h"

namespace {

namespace fs = std::filesystem;
using sluice::bench::Check;
using sluice::bench::Clock;
using sluice::bench::RunPipeline;
using sluice::bench::Since;
using sluice::bench::WriteFile;
// Bytes of the files under `dir` (a Delta table's data and log).
int64_t TreeBytes(const fs::path& dir) {
  int64_t total = 0;
  if (!fs::exists(dir)) return 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) total += static_cast<int64_t>(entry.file_size());
  }
  return total;
}

// Change batch `b` (1-based) as Parquet: ids below `rows` exist initially; batch b inserts
// ids from rows + (b-1) * inserts; updates and deletes pick existing ids at random.
void WriteBatch(sluice::engine::Connection& connection, const fs::path& file, int64_t rows,
                int64_t batch, int64_t size) {
  const int64_t inserts = size / 5;
  const int64_t updates = size * 7 / 10;
  const int64_t deletes = size - inserts - updates;
  const std::string first_new = std::to_string(rows + (batch - 1) * inserts);
  const std::string seed = std::to_string(batch);
  const std::string sql =
      "COPY (SELECT * FROM ("
      "  SELECT " +
      first_new + " + i AS id, 'new' AS op FROM range(" + std::to_string(inserts) +
      ") t(i)"
      "  UNION ALL SELECT (hash(i, " +
      seed + ") % " + std::to_string(rows) + ")::BIGINT, 'update' FROM range(" +
      std::to_string(updates) +
      ") t(i)"
      "  UNION ALL SELECT (hash(i, " +
      seed + ", 7) % " + std::to_string(rows) + ")::BIGINT, 'delete' FROM range(" +
      std::to_string(deletes) +
      ") t(i)) c, "
      "LATERAL (SELECT 'name-' || (c.id % 1000) AS name, ['Oslo', 'Rome', 'Lima', 'Kyiv'][1 + "
      "(hash(c.id, " +
      seed + ") % 4)::INTEGER] AS city, (hash(c.id, " + seed +
      ", 3) % 100000)::BIGINT AS balance, " + seed + "::BIGINT * 1000000000 + (hash(c.id, " + seed +
      ", 5) % 1000000000)::BIGINT AS seq, c.op = 'delete' AS is_delete) "
      "ORDER BY hash(c.id, " +
      seed + ", 11)) TO '" + file.string() + "' (FORMAT parquet)";
  Check(connection.Execute(sql), "generate batch");
}

struct Totals {
  double sluice = 0;
  double duckdb = 0;
};

const char* kSource =
    "CREATE STREAMING TABLE changes AS SELECT * FROM STREAM read_files('data', format => "
    "'parquet');\n"
    "CREATE STREAMING TABLE customers;\n";

}  // namespace

int main(int argc, char** argv) {
  const int64_t rows = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int64_t batches = argc > 2 ? std::atoll(argv[2]) : 10;
  const double batch_percent = argc > 3 ? std::atof(argv[3]) : 1.0;
  const int64_t batch_size =
      std::max<int64_t>(static_cast<int64_t>(static_cast<double>(rows) * batch_percent / 100), 10);
  const fs::path root =
      fs::temp_directory_path() / ("sluice-cdc-bench-" + std::to_string(getpid()));
  fs::remove_all(root);
  auto database = sluice::engine::Database::Open();
  Check(database.status(), "duckdb");
  auto connection = (*database)->Connect();
  Check(connection.status(), "connect");
  sluice::engine::Connection& duck = **connection;

  std::printf("generating %lld customers and %lld batches of %lld changes...\n",
              static_cast<long long>(rows), static_cast<long long>(batches),
              static_cast<long long>(batch_size));
  const fs::path data = root / "data";
  fs::create_directories(data / "batches");
  Check(duck.Execute("COPY (SELECT i AS id, 'new' AS op, 'name-' || (i % 1000) AS name, 'Oslo' "
                     "AS city, (i % 100000)::BIGINT AS balance, 0::BIGINT AS seq, false AS "
                     "is_delete FROM range(" +
                     std::to_string(rows) + ") t(i)) TO '" + (data / "000.parquet").string() +
                     "' (FORMAT parquet)"),
        "generate initial");
  for (int64_t b = 1; b <= batches; ++b) {
    char name[32];
    std::snprintf(name, sizeof(name), "%03lld.parquet", static_cast<long long>(b));
    WriteBatch(duck, data / "batches" / name, rows, b, batch_size);
  }

  struct Summary {
    std::string name;
    double ratio = 0;
    double bytes_per_row = 0;
    double initial_ratio = 0;
  };
  std::vector<Summary> summaries;
  for (int scd = 1; scd <= 2; ++scd) {
    for (const bool dv : {true, false}) {
      const std::string way = dv ? "deletion vectors" : "copy-on-write";
      const fs::path project = root / ("scd" + std::to_string(scd) + (dv ? "-dv" : "-cow"));
      fs::create_directories(project / "data");
      WriteFile(project / "pipeline.yml",
                std::string("name: cdc_bench\nconfiguration:\n  "
                            "spark.databricks.delta.properties.defaults.enableDeletionVectors: ") +
                    (dv ? "\"true\"" : "\"false\"") + "\n");
      WriteFile(project / "p.sql",
                std::string(kSource) +
                    "CREATE FLOW customers_cdc AS AUTO CDC INTO customers FROM STREAM(changes)\n"
                    "KEYS (id) APPLY AS DELETE WHEN is_delete SEQUENCE BY seq\n"
                    "COLUMNS * EXCEPT (op, is_delete) STORED AS SCD TYPE " +
                    std::to_string(scd) + ";\n");
      fs::copy_file(data / "000.parquet", project / "data" / "000.parquet");
      std::map<std::string, double> flow_times;
      const double update = RunPipeline(project, nullptr, nullptr, &flow_times);
      // The AUTO CDC flow alone: the update also ingests the files into the bronze table
      // `changes`, which the peer does not do (it reads the file).
      const double initial = flow_times.at("customers_cdc");

      // The peer: the same table in DuckDB, written to Parquet after each merge.
      const std::string table = "peer" + std::to_string(scd);
      const fs::path peer_file = root / (table + ".parquet");
      const auto initial_start = Clock::now();
      if (scd == 1) {
        Check(duck.Execute("CREATE OR REPLACE TABLE " + table +
                           " AS SELECT id, name, city, balance, seq FROM '" +
                           (data / "000.parquet").string() + "'"),
              "peer load");
      } else {
        Check(duck.Execute("CREATE OR REPLACE TABLE " + table +
                           " AS SELECT id, name, city, balance, seq AS __START_AT, NULL::BIGINT AS "
                           "__END_AT FROM '" +
                           (data / "000.parquet").string() + "'"),
              "peer load");
      }
      Check(duck.Execute("COPY " + table + " TO '" + peer_file.string() + "' (FORMAT parquet)"),
            "peer write");
      const double peer_initial = Since(initial_start);
      std::printf(
          "SCD%d (%s) initial load of %lld rows: sluice's AUTO CDC flow %.3f s (the whole "
          "update with the bronze ingest %.3f s), DuckDB %.3f s, ratio %.2f "
          "(goal <= 1.5)\n",
          scd, way.c_str(), static_cast<long long>(rows), initial, update, peer_initial,
          initial / peer_initial);

      Totals totals;
      int64_t total_written = 0;
      const fs::path target = project / ".sluice" / "tables" / "customers";
      const fs::path state = project / ".sluice" / "system" / "auto_cdc" / "customers";
      for (int64_t b = 1; b <= batches; ++b) {
        char name[32];
        std::snprintf(name, sizeof(name), "%03lld.parquet", static_cast<long long>(b));
        const fs::path batch_file = data / "batches" / name;
        fs::copy_file(batch_file, project / "data" / name);
        const int64_t bytes_before = TreeBytes(target) + TreeBytes(state);
        const double ours = RunPipeline(project);
        const int64_t written = TreeBytes(target) + TreeBytes(state) - bytes_before;

        const auto start = Clock::now();
        const std::string latest =
            "(SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY id ORDER BY seq DESC) AS r "
            "FROM '" +
            batch_file.string() + "') WHERE r = 1)";
        if (scd == 1) {
          Check(duck.Execute("MERGE INTO " + table + " t USING " + latest +
                             " s ON t.id = s.id WHEN MATCHED AND s.is_delete THEN DELETE "
                             "WHEN MATCHED AND s.seq > t.seq THEN UPDATE SET name = s.name, city = "
                             "s.city, balance = s.balance, seq = s.seq WHEN NOT MATCHED AND NOT "
                             "s.is_delete THEN INSERT (id, name, city, balance, seq) VALUES (s.id, "
                             "s.name, s.city, s.balance, s.seq)"),
                "peer merge");
        } else {
          Check(
              duck.Execute("UPDATE " + table + " t SET __END_AT = s.seq FROM " + latest +
                           " s WHERE t.id = s.id AND t.__END_AT IS NULL AND s.seq > t.__START_AT"),
              "peer close");
          Check(duck.Execute("INSERT INTO " + table +
                             " SELECT id, name, city, balance, seq, NULL FROM " + latest +
                             " s WHERE NOT s.is_delete"),
                "peer open");
        }
        Check(duck.Execute("COPY " + table + " TO '" + peer_file.string() + "' (FORMAT parquet)"),
              "peer write");
        const double peer = Since(start);
        totals.sluice += ours;
        total_written += written;
        totals.duckdb += peer;
        std::printf(
            "SCD%d (%s) batch %2lld: sluice %.3f s, DuckDB %.3f s, ratio %.2f (goal <= 1); "
            "%.0f bytes written per changed row (goal < 100)\n",
            scd, way.c_str(), static_cast<long long>(b), ours, peer, ours / peer,
            static_cast<double>(written) / static_cast<double>(batch_size));
      }
      std::printf("SCD%d (%s) all batches: sluice %.3f s, DuckDB %.3f s, ratio %.2f\n", scd,
                  way.c_str(), totals.sluice, totals.duckdb, totals.sluice / totals.duckdb);
      summaries.push_back(
          {"SCD" + std::to_string(scd) + " " + way, totals.sluice / totals.duckdb,
           static_cast<double>(total_written) / static_cast<double>(batch_size * batches),
           initial / peer_initial});
    }
  }
  std::printf("\nsummary (ratios against DuckDB in this run):\n");
  for (const Summary& summary : summaries) {
    std::printf(
        "   %-26s batches %.2f x (goal <= 1), %.0f bytes per changed row (goal < 100), "
        "initial load %.2f x (goal <= 1.5)\n",
        summary.name.c_str(), summary.ratio, summary.bytes_per_row, summary.initial_ratio);
  }
  fs::remove_all(root);
  return 0;
}
