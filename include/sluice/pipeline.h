// sluice's public C++ API for pipelines: open a pipeline project, validate it, describe its
// graph, run updates, query its datasets and read its event log.
//
// A Pipeline is used by one thread at a time (Run itself may run flows in parallel).
// Every call returns a Status or Result; user errors (bad settings, bad SQL, unknown
// datasets, cycles) name the file, line and column.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "sluice/table.h"

namespace sluice {

struct PipelineOptions {
  std::vector<std::string> conf_overrides;  // "key=value", override `configuration`
};

struct DatasetInfo {
  std::string name;
  std::string type;  // "STREAMING_TABLE", "MATERIALIZED_VIEW", "TEMPORARY_VIEW", "VIEW"
  std::string path;  // the Delta table folder; empty for views
  std::vector<std::string> expectations;  // "name: condition [drop|fail]"
  std::string file;
  int line = 0;
};

struct FlowInfo {
  std::string name;
  std::string target;
  bool streaming = false;  // reads its inputs incrementally
  bool once = false;
  std::vector<std::string> inputs;  // datasets and external sources, as names or paths
};

struct PipelineGraph {
  std::vector<DatasetInfo> datasets;  // in dependency order
  std::vector<FlowInfo> flows;        // in dependency order
};

// One expectation's counts in one flow of an update.
struct ExpectationReport {
  std::string name;
  std::string dataset;
  std::string action;  // "warn", "drop", "fail"
  int64_t passed_records = 0;
  int64_t failed_records = 0;
};

struct FlowReport {
  std::string name;
  std::string dataset;
  std::string state;  // terminal flow_progress status: COMPLETED, FAILED, SKIPPED, EXCLUDED, IDLE
  int64_t output_rows = 0;
  int64_t dropped_records = 0;
  std::vector<ExpectationReport> expectations;
  double seconds = 0;
  std::string error;  // for FAILED
};

struct UpdateReport {
  std::string update_id;
  std::string state;  // COMPLETED, FAILED or CANCELED
  std::vector<FlowReport> flows;
  double seconds = 0;
  int updates = 1;  // continuous mode: how many update cycles ran
};

// A state change reported while an update runs.
struct ProgressEvent {
  enum class Kind { kUpdate, kFlow };
  Kind kind = Kind::kUpdate;
  std::string update_id;
  std::string flow;     // kFlow only
  std::string dataset;  // kFlow only
  std::string state;    // update_progress state or flow_progress status
  int64_t output_rows = 0;
  double seconds = 0;  // since the flow (or update) started
  std::string message;
};

struct RunOptions {
  bool full_refresh_all = false;
  std::vector<std::string> full_refresh;      // datasets to reset and recompute
  std::vector<std::string> refresh;           // datasets to refresh; others are EXCLUDED
  std::vector<std::string> reset_checkpoint;  // streaming flows whose checkpoints are dropped
  std::optional<bool> continuous;             // overrides the settings' `continuous`
  // Continuous mode stops between batches once this becomes true (also on SIGINT/SIGTERM
  // when handle_signals is set).
  const std::atomic<bool>* stop = nullptr;
  bool handle_signals = false;
  // Continuous mode: stop after this many update cycles (0 = no limit).
  int max_cycles = 0;
  std::function<void(const ProgressEvent&)> on_progress;
};

struct EventQuery {
  std::string update;  // "" = all, "latest", or an update id
  std::string type;    // "" = all, or an event_type such as flow_progress
  std::optional<int64_t> limit;
};

class Pipeline {
 public:
  // Finds the settings file from `path` (a settings file or a folder; parents are searched)
  // and loads the settings. Sources are parsed by Validate/Graph/Run.
  static Result<std::unique_ptr<Pipeline>> Open(const std::string& path,
                                                const PipelineOptions& options = {});
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  const std::string& name() const;
  const std::string& settings_file() const;
  const std::string& storage() const;
  // Settings that have no effect here: the settings file's, and once the definitions are
  // read (by any call below), theirs (a SET of a setting sluice does not have).
  const std::vector<std::string>& warnings() const;

  // Parses every source, builds and checks the graph and binds every query (unknown
  // columns, expectations over unknown columns) without writing anything.
  Result<PipelineGraph> Validate();
  // The graph without binding queries.
  Result<PipelineGraph> Graph();
  // The pipeline SQL each Python source compiles to: (Python file, statements), in the
  // order of the files. Empty for a pipeline of SQL files only.
  Result<std::vector<std::pair<std::string, std::string>>> Compile();

  // Runs one update (or, in continuous mode, update cycles until stopped). A failed update
  // is a report with state FAILED, not an error; errors are definition errors and
  // failures to start (another update running, unreadable storage).
  Result<UpdateReport> Run(const RunOptions& options = {});

  // Runs SQL over the pipeline's datasets (each by name), `event_log`, and
  // `name VERSION AS OF n` / `name TIMESTAMP AS OF 'ts'`.
  Result<Rows> Query(const std::string& sql);
  Result<Rows> Events(const EventQuery& query);

 private:
  struct Impl;
  explicit Pipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The settings files of the pipelines at `path`: the one FindSettingsFile finds for it (a
// settings file, or a folder in a project), else those in the folders under it (down to
// `depth` levels, skipping hidden folders and pipelines' storage), sorted. NotFound when
// there is none.
Result<std::vector<std::string>> FindPipelines(const std::string& path, int depth = 3);

struct InitOptions {
  bool python = false;  // the datasets in Python (transformations/orders.py), not SQL
};

// Writes a new pipeline project into `dir` (settings, an example source, sample input).
// AlreadyExists when `dir` holds a settings file.
Status InitPipeline(const std::string& dir, const InitOptions& options = {});

}  // namespace sluice
