// Stateful streaming against DuckDB computing the same windows by hand, in the same run.
// EVENTS events (columns k: 1,000 keys, ts: event time advancing 10 ms per event with up to
// 5 minutes of disorder, less than the 10-minute watermark delay, v) in BATCHES Parquet
// files, generated once; one update per file appends it to the input folder of a pipeline
// whose two streaming tables read the files, as the peer does:
//   tumbling <- STREAM read_files('data', format => 'parquet') WATERMARK ts DELAY OF
//               INTERVAL 10 MINUTES, by window(ts, '5 minutes'), k    (count(*), sum(v))
//   sliding  <- the same by window(ts, '5 minutes', '1 minute'), k
//  1. throughput: the total of the updates vs DuckDB computing both window aggregations
//     over all the files, one query each, written to Parquet (ratio goal <= 1.5); rows/s;
//     then (untimed) the windows sluice wrote must be those DuckDB computed that end at or
//     before the final watermark (count and sum(n)); the bench fails otherwise.
//  2. the fixed cost of a stateful batch: an update appending FIXED_ROWS rows to a pipeline
//     with the tumbling aggregation vs to one with a stateless streaming table
//     (SELECT * FROM STREAM events), median of FIXED_RUNS updates each (goal: < 20 ms more).
//  3. state size: state_bytes of the last batch of each aggregation per open (k, window)
//     pair and per state row (num_state_rows).
//
// Usage: stateful_bench [EVENTS (10000000)] [BATCHES (100)] [FIXED_ROWS (1000)] [FIXED_RUNS (20)]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
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
using sluice::bench::Since;
using sluice::bench::WriteFile;

constexpr int kKeys = 1000;

std::string FileName(int64_t index) {
  char name[32];
  std::snprintf(name, sizeof(name), "%05lld.parquet", static_cast<long long>(index));
  return name;
}

// Events [from, to) as one Parquet file: event i happens at i * step_ms after 2024-01-01,
// less a pseudo-random delay under 5 minutes.
void WriteEvents(sluice::engine::Connection& duck, const fs::path& file, int64_t from, int64_t to,
                 int64_t step_ms) {
  const std::string sql =
      "COPY (SELECT (hash(i) % " + std::to_string(kKeys) +
      ")::BIGINT AS k, TIMESTAMP '2024-01-01 00:00:00' + to_milliseconds(i * " +
      std::to_string(step_ms) +
      " - (hash(i, 1) % 300000)::BIGINT) AS ts, (hash(i, 2) % 1000)::BIGINT AS v "
      "FROM range(" +
      std::to_string(from) + ", " + std::to_string(to) + ") t(i)) TO '" + file.string() +
      "' (FORMAT parquet)";
  Check(duck.Execute(sql), "generate " + file.string());
}

const char* kEvents =
    "CREATE STREAMING TABLE events AS SELECT * FROM STREAM read_files('data', format => "
    "'parquet');\n";

// A windowed aggregation of `source` (a stream with the columns k, ts, v).
std::string WindowTable(const std::string& name, const std::string& window,
                        const std::string& source = "events") {
  return "CREATE STREAMING TABLE " + name +
         " AS\nSELECT window.start AS ws, window.end AS we, k, count(*) AS n, sum(v) AS s\n"
         "FROM STREAM " +
         source + " WATERMARK ts DELAY OF INTERVAL 10 MINUTES AS e\nGROUP BY " + window + ", k;\n";
}

const char* kFiles = "read_files('data', format => 'parquet')";

// Seconds of one update of the pipeline at `dir` (opening it is not timed); exits unless it
// COMPLETED. Adds each flow's seconds to `flow_seconds` when given.
double Update(const fs::path& dir, std::map<std::string, double>* flow_seconds = nullptr) {
  auto pipeline = sluice::Pipeline::Open(dir.string());
  Check(pipeline.status(), "open");
  const auto start = Clock::now();
  auto report = (*pipeline)->Run();
  const double seconds = Since(start);
  Check(report.status(), "run");
  if (report->state != "COMPLETED") {
    for (const auto& flow : report->flows) {
      if (!flow.error.empty()) std::fprintf(stderr, "%s\n", flow.error.c_str());
    }
    std::exit(1);
  }
  if (flow_seconds != nullptr) {
    for (const auto& flow : report->flows) (*flow_seconds)[flow.name] += flow.seconds;
  }
  return seconds;
}

sluice::Rows Query(const fs::path& dir, const std::string& sql) {
  auto pipeline = sluice::Pipeline::Open(dir.string());
  Check(pipeline.status(), "open");
  auto rows = (*pipeline)->Query(sql);
  Check(rows.status(), sql);
  return std::move(*rows);
}

int64_t Int(const sluice::Cell& cell) { return std::atoll(cell.ToString().c_str()); }

int64_t DuckInt(sluice::engine::Connection& duck, const std::string& sql) {
  auto result = duck.Query(sql);
  Check(result.status(), sql);
  auto value = result->Scalar();
  Check(value.status(), sql);
  return std::atoll(value->ToString().c_str());
}

// The last COMPLETED flow_progress metrics of a stateful flow.
struct StateMetrics {
  std::string watermark;  // as a DuckDB TIMESTAMP literal's text
  int64_t state_rows = 0;
  int64_t state_bytes = 0;
  int64_t state_time_ms = 0;  // summed over all its batches
  int64_t late_rows = 0;      // summed over all its batches
};

StateMetrics LastMetrics(const fs::path& dir, const std::string& flow) {
  const std::string where =
      " FROM event_log WHERE event_type = 'flow_progress' AND "
      "origin.flow_name = '" +
      flow + "' AND details:flow_progress.status = 'COMPLETED'";
  const sluice::Rows last = Query(dir,
                                  "SELECT details:flow_progress.metrics.watermark::VARCHAR, "
                                  "details:flow_progress.metrics.num_state_rows::BIGINT, "
                                  "details:flow_progress.metrics.state_bytes::BIGINT" +
                                      where + " ORDER BY timestamp DESC LIMIT 1");
  const sluice::Rows total =
      Query(dir,
            "SELECT sum(details:flow_progress.metrics.state_time_ms::BIGINT), "
            "sum(details:flow_progress.metrics.num_rows_dropped_by_watermark::BIGINT)" +
                where);
  if (last.rows.empty() || total.rows.empty()) {
    std::fprintf(stderr, "no flow_progress metrics for %s\n", flow.c_str());
    std::exit(1);
  }
  StateMetrics metrics;
  // "2024-01-01T10:03:00.000Z" -> 2024-01-01 10:03:00.000
  for (const char c : last.rows[0][0].ToString()) {
    if (c == 'T') {
      metrics.watermark += ' ';
    } else if (c != '"' && c != 'Z') {
      metrics.watermark += c;
    }
  }
  metrics.state_rows = Int(last.rows[0][1]);
  metrics.state_bytes = Int(last.rows[0][2]);
  metrics.state_time_ms = Int(total.rows[0][0]);
  metrics.late_rows = Int(total.rows[0][1]);
  return metrics;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int64_t events = argc > 1 ? std::atoll(argv[1]) : 10000000;
  const int64_t batches = argc > 2 ? std::atoll(argv[2]) : 100;
  const int64_t fixed_rows = argc > 3 ? std::atoll(argv[3]) : 1000;
  const int64_t fixed_runs = argc > 4 ? std::atoll(argv[4]) : 20;
  const fs::path root =
      fs::temp_directory_path() / ("sluice-stateful-bench-" + std::to_string(getpid()));
  fs::remove_all(root);
  auto database = sluice::engine::Database::Open();
  Check(database.status(), "duckdb");
  auto connection = (*database)->Connect();
  Check(connection.status(), "connect");
  sluice::engine::Connection& duck = **connection;

  std::printf(
      "generating %lld events (%d keys, 10 ms apart, up to 5 min disorder) in %lld "
      "Parquet files...\n",
      static_cast<long long>(events), kKeys, static_cast<long long>(batches));
  const fs::path input = root / "input";
  fs::create_directories(input);
  for (int64_t b = 0; b < batches; ++b) {
    WriteEvents(duck, input / FileName(b), events * b / batches, events * (b + 1) / batches, 10);
  }

  // 1. Throughput.
  const fs::path project = root / "windows";
  fs::create_directories(project / "data");
  WriteFile(project / "pipeline.yml", "name: stateful_bench\n");
  WriteFile(project / "p.sql",
            WindowTable("tumbling", "window(ts, '5 minutes')", kFiles) +
                WindowTable("sliding", "window(ts, '5 minutes', '1 minute')", kFiles));
  const std::string files = "read_parquet('" + (input / "*.parquet").string() + "')";
  const fs::path peer_tumbling = root / "peer_tumbling.parquet";
  const fs::path peer_sliding = root / "peer_sliding.parquet";
  const std::string tumbling_sql =
      "COPY (SELECT ws, ws + INTERVAL 5 MINUTE AS we, k, n, s FROM (SELECT time_bucket(INTERVAL "
      "5 MINUTE, ts) AS ws, k, count(*) AS n, sum(v) AS s FROM " +
      files + " GROUP BY ALL)) TO '" + peer_tumbling.string() + "' (FORMAT parquet)";
  const std::string sliding_sql =
      "COPY (SELECT ws, ws + INTERVAL 5 MINUTE AS we, k, count(*) AS n, sum(v) AS s FROM "
      "(SELECT time_bucket(INTERVAL 1 MINUTE, ts) - to_minutes(j) AS ws, k, v FROM " +
      files + ", range(5) r(j)) GROUP BY ws, k) TO '" + peer_sliding.string() +
      "' (FORMAT parquet)";
  // The peer runs before and after sluice; the faster of the two counts.
  double duck_tumbling = 1e9, duck_sliding = 1e9;
  auto run_peer = [&] {
    auto start = Clock::now();
    Check(duck.Execute(tumbling_sql), "peer tumbling");
    duck_tumbling = std::min(duck_tumbling, Since(start));
    start = Clock::now();
    Check(duck.Execute(sliding_sql), "peer sliding");
    duck_sliding = std::min(duck_sliding, Since(start));
  };
  run_peer();

  std::map<std::string, double> flow_seconds;
  double total = 0, slowest = 0;
  for (int64_t b = 0; b < batches; ++b) {
    fs::copy_file(input / FileName(b), project / "data" / FileName(b));
    const double seconds = Update(project, &flow_seconds);
    total += seconds;
    slowest = std::max(slowest, seconds);
  }
  run_peer();
  const double duck_total = duck_tumbling + duck_sliding;

  std::printf(
      "\n1. %lld events in %lld updates of one file each -> tumbling 5 min + sliding 5/1 "
      "min by k\n",
      static_cast<long long>(events), static_cast<long long>(batches));
  std::printf("   sluice %.3f s (%.3f s per update, slowest %.3f s), %.2f M rows/s\n", total,
              total / batches, slowest, events / total / 1e6);
  std::printf("   sluice flow time (summed over updates):");
  for (const auto& [name, seconds] : flow_seconds) {
    std::printf(" %s %.3f s;", name.c_str(), seconds);
  }
  std::printf("\n");
  std::printf("   DuckDB %.3f s (tumbling %.3f s, sliding %.3f s; best of 2), %.2f M rows/s\n",
              duck_total, duck_tumbling, duck_sliding, events / duck_total / 1e6);
  std::printf("   ratio sluice / DuckDB %.2f (goal <= 1.5)\n", total / duck_total);

  bool match = true;
  std::map<std::string, StateMetrics> state;
  for (const auto& [flow, peer] : std::vector<std::pair<std::string, fs::path>>{
           {"tumbling", peer_tumbling}, {"sliding", peer_sliding}}) {
    const StateMetrics metrics = LastMetrics(project, flow);
    state[flow] = metrics;
    const std::string watermark = "TIMESTAMP '" + metrics.watermark + "'";
    const sluice::Rows ours = Query(project, "SELECT count(*), sum(n) FROM " + flow);
    const int64_t our_windows = Int(ours.rows[0][0]);
    const int64_t our_rows = Int(ours.rows[0][1]);
    const std::string closed = " FROM '" + peer.string() + "' WHERE we <= " + watermark;
    const int64_t duck_windows = DuckInt(duck, "SELECT count(*)" + closed);
    const int64_t duck_rows = DuckInt(duck, "SELECT coalesce(sum(n), 0)" + closed);
    const bool same = our_windows == duck_windows && our_rows == duck_rows;
    match = match && same;
    std::printf(
        "   %-8s final watermark %s: sluice wrote %lld windows (sum n %lld), DuckDB "
        "%lld windows end by then (sum n %lld)%s; %lld late rows; state time %.3f s\n",
        flow.c_str(), metrics.watermark.c_str(), static_cast<long long>(our_windows),
        static_cast<long long>(our_rows), static_cast<long long>(duck_windows),
        static_cast<long long>(duck_rows), same ? "" : "  MISMATCH",
        static_cast<long long>(metrics.late_rows), metrics.state_time_ms / 1000.0);
  }

  // 3. State size (printed after 2 is measured, from the throughput run's last batch).
  std::vector<std::string> state_lines;
  for (const auto& [flow, peer] : std::vector<std::pair<std::string, fs::path>>{
           {"tumbling", peer_tumbling}, {"sliding", peer_sliding}}) {
    const StateMetrics& metrics = state[flow];
    const int64_t open = DuckInt(duck, "SELECT count(*) FROM '" + peer.string() +
                                           "' WHERE we > TIMESTAMP '" + metrics.watermark + "'");
    char line[512];
    std::snprintf(line, sizeof(line),
                  "   %-8s state_bytes %lld, num_state_rows %lld, open (k, window) pairs %lld: "
                  "%.1f bytes per open pair, %.1f bytes per state row\n",
                  flow.c_str(), static_cast<long long>(metrics.state_bytes),
                  static_cast<long long>(metrics.state_rows), static_cast<long long>(open),
                  open > 0 ? static_cast<double>(metrics.state_bytes) / open : 0.0,
                  metrics.state_rows > 0
                      ? static_cast<double>(metrics.state_bytes) / metrics.state_rows
                      : 0.0);
    state_lines.push_back(line);
  }

  // 2. Fixed cost of a stateful batch: the same files into a tumbling aggregation and into a
  // stateless streaming table; 300 ms between events, so that every batch closes a window.
  const fs::path fixed_input = root / "fixed_input";
  fs::create_directories(fixed_input);
  for (int64_t r = 0; r <= fixed_runs; ++r) {
    WriteEvents(duck, fixed_input / FileName(r), fixed_rows * r, fixed_rows * (r + 1), 300);
  }
  const fs::path stateful = root / "fixed_stateful";
  const fs::path stateless = root / "fixed_stateless";
  WriteFile(stateful / "pipeline.yml", "name: fixed_stateful\n");
  WriteFile(stateful / "p.sql",
            std::string(kEvents) + WindowTable("tumbling", "window(ts, '5 minutes')"));
  WriteFile(stateless / "pipeline.yml", "name: fixed_stateless\n");
  WriteFile(stateless / "p.sql",
            std::string(kEvents) + "CREATE STREAMING TABLE copy AS SELECT * FROM STREAM events;\n");
  std::vector<double> stateful_ms, stateless_ms;
  for (int64_t r = 0; r <= fixed_runs; ++r) {
    // Run 0 creates the tables and is not counted; the order alternates.
    for (int turn = 0; turn < 2; ++turn) {
      const bool aggregate = (turn == 0) == (r % 2 == 0);
      const fs::path dir = aggregate ? stateful : stateless;
      fs::create_directories(dir / "data");
      fs::copy_file(fixed_input / FileName(r), dir / "data" / FileName(r));
      const double ms = Update(dir) * 1000;
      if (r > 0) (aggregate ? stateful_ms : stateless_ms).push_back(ms);
    }
  }
  const double stateful_median = Median(stateful_ms);
  const double stateless_median = Median(stateless_ms);
  std::printf(
      "\n2. an update of %lld new rows, median of %lld: tumbling aggregation %.1f ms, "
      "stateless streaming table %.1f ms, the state adds %.1f ms (goal < 20 ms)\n",
      static_cast<long long>(fixed_rows), static_cast<long long>(fixed_runs), stateful_median,
      stateless_median, stateful_median - stateless_median);

  std::printf("\n3. state after the last batch of 1.\n");
  for (const std::string& line : state_lines) std::printf("%s", line.c_str());

  fs::remove_all(root);
  if (!match) {
    std::fprintf(stderr, "the windows sluice wrote differ from DuckDB's closed windows\n");
    return 1;
  }
  return 0;
}
