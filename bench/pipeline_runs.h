// What the pipeline benchmarks share: timing, failing loudly, writing project files and
// timing one update of a pipeline through the public API.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "sluice/pipeline.h"

namespace sluice::bench {

using Clock = std::chrono::steady_clock;

inline double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Exits with "<program>: <message>" on stderr.
[[noreturn]] inline void Die(const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, message.c_str());
  std::exit(1);
}

// Exits with the message when `status` is an error.
inline void Check(const Status& status, const std::string& what) {
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", what.c_str(), status.ToString().c_str());
    std::exit(1);
  }
}

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// Seconds of one update of the pipeline at `dir` (opening it is not timed); exits unless it
// COMPLETED. `rows`, when given, receives the rows all flows wrote; `flow_seconds` each
// flow's name and seconds ("bronze 0.120 s, silver ..."); `flow_times` each flow's seconds
// by name.
inline double RunPipeline(const std::filesystem::path& dir, int64_t* rows = nullptr,
                          std::string* flow_seconds = nullptr,
                          std::map<std::string, double>* flow_times = nullptr) {
  auto pipeline = Pipeline::Open(dir.string());
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
  if (rows != nullptr) {
    *rows = 0;
    for (const auto& flow : report->flows) *rows += flow.output_rows;
  }
  if (flow_seconds != nullptr) {
    flow_seconds->clear();
    for (const auto& flow : report->flows) {
      char text[64];
      std::snprintf(text, sizeof(text), " %.3f s", flow.seconds);
      *flow_seconds += (flow_seconds->empty() ? "" : ", ") + flow.name + text;
    }
  }
  if (flow_times != nullptr) {
    flow_times->clear();
    for (const auto& flow : report->flows) (*flow_times)[flow.name] = flow.seconds;
  }
  return seconds;
}

}  // namespace sluice::bench
