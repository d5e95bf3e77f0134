#include "runtime/update.h"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/strings.h"
#include "common/uuid.h"
#include "delta/write.h"
#include "runtime/checkpoint.h"
#include "runtime/pipeline_loader.h"
#include "runtime/update_events.h"
#include "runtime/update_lock.h"
#include "sql/diagnostics.h"

namespace sluice::runtime {
namespace {

// A selected flow whose own trigger interval has not passed yet in a continuous update sits
// out the cycle (not reported; its readers read what it wrote before).
const char* const kWaiting = "WAITING";

// How often a running update appends its buffered events to the event log, unless
// pipelines.eventLog.flushInterval says otherwise (0: only at the end, and after each
// continuous cycle).
constexpr int64_t kEventFlushIntervalMs = 1000;

bool IsTerminal(const std::string& state) {
  return state == "COMPLETED" || state == "FAILED" || state == "SKIPPED" || state == "EXCLUDED" ||
         state == "IDLE" || state == "STOPPED" || state == kWaiting;
}

bool ResetAllowed(const graph::Dataset& dataset) {
  for (const auto& [key, value] : dataset.definition.properties) {
    if (EqualsIgnoreCase(key, "pipelines.reset.allowed")) return !EqualsIgnoreCase(value, "false");
  }
  return true;
}

// "5 seconds", "1 minute", "500 ms", "10s", or a number of milliseconds; `key` names the
// setting in errors.
Result<int64_t> ParseIntervalMillis(const std::string& text,
                                    const std::string& key = "pipelines.trigger.interval") {
  std::string value = Trim(text);
  size_t digits = 0;
  while (digits < value.size() && isdigit(static_cast<unsigned char>(value[digits]))) ++digits;
  auto number = ParseInt64(value.substr(0, digits));
  if (!number) {
    return InvalidArgument(key + ": '" + text +
                           "' is not an interval (such as '5 seconds', '500 ms', '1 minute')");
  }
  const std::string unit = ToLower(Trim(value.substr(digits)));
  if (unit.empty() || unit == "ms" || StartsWith(unit, "millisecond")) return *number;
  if (unit == "s" || unit == "sec" || StartsWith(unit, "second")) return *number * 1000;
  if (unit == "m" || unit == "min" || StartsWith(unit, "minute")) return *number * 60000;
  if (unit == "h" || StartsWith(unit, "hour")) return *number * 3600000;
  return InvalidArgument(key + ": unknown unit in '" + text + "' (ms, seconds, minutes or hours)");
}

// Each flow's pipelines.trigger.interval: a SET before its definition, else the pipeline's
// configuration, else 5 seconds. Checked before anything runs.
Result<std::map<std::string, int64_t>> TriggerIntervals(const RuntimeEnv& env) {
  const std::string key = "pipelines.trigger.interval";
  int64_t pipeline_ms = 5000;
  auto configured = env.settings->configuration.find(key);
  if (configured != env.settings->configuration.end()) {
    SLUICE_ASSIGN_OR_RETURN(pipeline_ms, ParseIntervalMillis(configured->second));
  }
  std::map<std::string, int64_t> intervals;
  for (const graph::Flow& flow : env.graph->flows()) {
    intervals[flow.name] = pipeline_ms;
    auto set = flow.conf.find(key);
    if (set == flow.conf.end()) continue;
    auto parsed = ParseIntervalMillis(set->second);
    if (!parsed.ok()) {
      return InvalidArgument(sql::FormatDiagnostic(
          flow.location, "flow '" + flow.name + "': " + parsed.status().message()));
    }
    intervals[flow.name] = *parsed;
  }
  return intervals;
}

// pipelines.eventLog.flushInterval, in milliseconds (0: no flushes while flows run).
Result<int64_t> EventFlushIntervalMs(const RuntimeEnv& env) {
  const std::string key = "pipelines.eventLog.flushInterval";
  auto configured = env.settings->configuration.find(key);
  if (configured == env.settings->configuration.end()) return kEventFlushIntervalMs;
  return ParseIntervalMillis(configured->second, key);
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// One update cycle over the selected flows.
class Cycle {
 public:
  // `due`: the selected flows this cycle runs (the others wait for their trigger interval).
  Cycle(const RuntimeEnv& env, const UpdateRequest& request, UpdateEvents& events,
        const graph::Selection& selection, const std::set<std::string>& due,
        std::set<std::string>& replace_targets, const std::string& update_id,
        const std::function<void(const Progress&)>& on_progress)
      : env_(env),
        request_(request),
        events_(events),
        selection_(selection),
        due_(due),
        replace_targets_(replace_targets),
        update_id_(update_id),
        on_progress_(on_progress) {}

  // Runs every flow; returns the results in graph order.
  std::vector<FlowResult> Run();

 private:
  void Report(const graph::Flow& flow, const std::string& state, const FlowOutcome* outcome,
              double seconds);
  void Execute(const graph::Flow* flow);
  // A queued flow whose upstream flows are all done and whose target no running flow
  // writes; nullptr when none can start now.
  const graph::Flow* NextRunnable();

  const RuntimeEnv& env_;
  const UpdateRequest& request_;
  UpdateEvents& events_;
  const graph::Selection& selection_;
  const std::set<std::string>& due_;
  std::set<std::string>& replace_targets_;
  const std::string& update_id_;
  const std::function<void(const Progress&)>& on_progress_;

  std::mutex mutex_;
  std::recursive_mutex report_mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::string> states_;  // flow -> state
  std::set<std::string> busy_targets_;
  std::map<std::string, FlowResult> results_;
};

void Cycle::Report(const graph::Flow& flow, const std::string& state, const FlowOutcome* outcome,
                   double seconds) {
  // Workers report concurrently; observers see one report at a time.
  std::lock_guard<std::recursive_mutex> lock(report_mutex_);
  events_.FlowProgress(flow, state, outcome);
  if (!on_progress_) return;
  Progress progress;
  progress.is_flow = true;
  progress.update_id = update_id_;
  progress.flow = flow.name;
  progress.dataset = flow.target;
  progress.state = state;
  progress.seconds = seconds;
  if (outcome != nullptr) {
    progress.output_rows = outcome->output_rows;
    progress.message = outcome->error;
  }
  on_progress_(progress);
}

const graph::Flow* Cycle::NextRunnable() {
  for (const graph::Flow& flow : env_.graph->flows()) {
    if (states_[flow.name] != "QUEUED") continue;
    bool ready = true;
    bool upstream_failed = false;
    for (const std::string& upstream : env_.graph->UpstreamFlows(flow.name)) {
      const std::string& state = states_[upstream];
      if (!IsTerminal(state)) ready = false;
      if (state == "FAILED" || state == "SKIPPED") upstream_failed = true;
    }
    if (upstream_failed) {
      states_[flow.name] = "SKIPPED";
      FlowResult& result = results_[flow.name];
      result.state = "SKIPPED";
      Report(flow, "SKIPPED", nullptr, 0);
      changed_.notify_all();
      return NextRunnable();
    }
    if (ready && !busy_targets_.count(flow.target)) return &flow;
  }
  return nullptr;
}

void Cycle::Execute(const graph::Flow* flow) {
  const auto started = std::chrono::steady_clock::now();
  FlowRequest request;
  request.flow = flow;
  request.continuous = request_.continuous;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    request.replace_target = replace_targets_.count(flow->target) > 0;
  }
  Report(*flow, "STARTING", nullptr, 0);
  request.on_batch = [&](const FlowOutcome& batch) {
    Report(*flow, "RUNNING", &batch, Seconds(started));
  };
  FlowOutcome outcome = RunFlow(env_, request, [&](const std::string& state) {
    Report(*flow, state, nullptr, Seconds(started));
  });
  if (outcome.state == "FAILED") {
    outcome.error =
        sql::FormatDiagnostic(flow->location, "flow '" + flow->name + "' failed: " + outcome.error);
  }
  const double seconds = Seconds(started);
  Report(*flow, outcome.state, &outcome, seconds);
  std::lock_guard<std::mutex> lock(mutex_);
  if (outcome.wrote) replace_targets_.erase(flow->target);
  FlowResult& result = results_[flow->name];
  result.state = outcome.state;
  result.output_rows = outcome.output_rows;
  result.dropped_records = outcome.dropped_records;
  result.metrics = outcome.metrics;
  result.seconds = seconds;
  result.error = outcome.error;
  states_[flow->name] = outcome.state;
  busy_targets_.erase(flow->target);
  changed_.notify_all();
}

std::vector<FlowResult> Cycle::Run() {
  for (const graph::Flow& flow : env_.graph->flows()) {
    FlowResult& result = results_[flow.name];
    result.flow = flow.name;
    result.dataset = flow.target;
    if (selection_.run.count(flow.name) && !due_.count(flow.name)) {
      states_[flow.name] = kWaiting;
      result.state = kWaiting;
    } else if (selection_.run.count(flow.name)) {
      states_[flow.name] = "QUEUED";
      Report(flow, "QUEUED", nullptr, 0);
    } else {
      states_[flow.name] = "EXCLUDED";
      result.state = "EXCLUDED";
      Report(flow, "EXCLUDED", nullptr, 0);
    }
  }
  std::vector<std::thread> workers;
  int running = 0;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      // A stop request: flows not started yet never start; running ones end as they would.
      if (request_.stop != nullptr && request_.stop->load()) {
        for (const graph::Flow& flow : env_.graph->flows()) {
          if (states_[flow.name] != "QUEUED") continue;
          states_[flow.name] = "STOPPED";
          results_[flow.name].state = "STOPPED";
          Report(flow, "STOPPED", nullptr, 0);
        }
      }
      const graph::Flow* next =
          running < std::max(1, request_.max_parallel_flows) ? NextRunnable() : nullptr;
      if (next != nullptr) {
        states_[next->name] = "STARTING";
        busy_targets_.insert(next->target);
        ++running;
        workers.emplace_back([this, next, &running] {
          Execute(next);
          std::lock_guard<std::mutex> done(mutex_);
          --running;
          changed_.notify_all();
        });
        continue;
      }
      bool all_done = true;
      for (const auto& [name, state] : states_) all_done = all_done && IsTerminal(state);
      if (all_done && running == 0) break;
      // Woken by a flow ending, or now and then to notice a stop request.
      changed_.wait_for(lock, std::chrono::milliseconds(100));
    }
  }
  for (std::thread& worker : workers) worker.join();
  std::vector<FlowResult> out;
  for (const graph::Flow& flow : env_.graph->flows()) out.push_back(results_[flow.name]);
  return out;
}

// Resets what the request resets before any flow runs: full refresh truncates tables and
// drops their flows' checkpoints; reset checkpoint drops checkpoints only.
Status SetUpTables(const RuntimeEnv& env, const UpdateRequest& request,
                   const graph::Selection& selection, UpdateEvents& events,
                   std::set<std::string>& replace_targets) {
  for (const std::string& name : request.reset_checkpoint) {
    const graph::Flow* flow = env.graph->FindFlow(Trim(name));
    if (flow == nullptr) {
      std::vector<std::string> names;
      for (const graph::Flow& candidate : env.graph->flows()) names.push_back(candidate.name);
      std::string message = "--reset-checkpoint: the pipeline has no flow '" + Trim(name) + "'";
      const std::string nearest = sql::NearestName(Trim(name), names);
      if (!nearest.empty()) message += "; did you mean '" + nearest + "'?";
      return InvalidArgument(message);
    }
    SLUICE_RETURN_IF_ERROR(
        FlowCheckpoint::Reset(*env.fs, CheckpointDir(*env.settings, flow->name)));
  }
  for (const std::string& name : selection.full_refresh) {
    const graph::Dataset* dataset = env.graph->FindDataset(name);
    if (!ResetAllowed(*dataset)) {
      events.Warning("full refresh of '" + dataset->name() +
                     "' skipped: its property pipelines.reset.allowed is false; it is "
                     "refreshed incrementally");
      continue;
    }
    for (const std::string& flow : dataset->flows) {
      SLUICE_RETURN_IF_ERROR(FlowCheckpoint::Reset(*env.fs, CheckpointDir(*env.settings, flow)));
    }
    // A sink keeps its data: its flows start over and append everything again.
    if (!dataset->is_sink()) replace_targets.insert(dataset->name());
  }
  return Status::OK();
}

}  // namespace

Result<UpdateResult> RunUpdate(const RuntimeEnv& env, const UpdateRequest& request,
                               const std::function<void(const Progress&)>& on_progress) {
  const auto started = std::chrono::steady_clock::now();
  SLUICE_ASSIGN_OR_RETURN(graph::Selection selection,
                          graph::SelectFlows(*env.graph, request.full_refresh_all,
                                             request.full_refresh, request.refresh));
  using Intervals = std::map<std::string, int64_t>;
  SLUICE_ASSIGN_OR_RETURN(Intervals intervals, TriggerIntervals(env));
  SLUICE_ASSIGN_OR_RETURN(const int64_t flush_interval_ms, EventFlushIntervalMs(env));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<UpdateLock> lock,
                          UpdateLock::Acquire(env.settings->storage));
  SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<engine::Connection> events_connection,
                          env.database->Connect());
  UpdateResult result;
  result.update_id = NewUuid();
  UpdateEvents events(env, *events_connection, result.update_id);
  auto update_state = [&](const std::string& state) {
    events.UpdateProgress(state);
    if (on_progress) {
      Progress progress;
      progress.update_id = result.update_id;
      progress.state = state;
      progress.seconds = Seconds(started);
      on_progress(progress);
    }
  };
  events.CreateUpdate(request);
  update_state("INITIALIZING");
  for (const graph::Dataset& dataset : env.graph->datasets()) events.DatasetDefinition(dataset);
  for (const graph::Flow& flow : env.graph->flows()) events.FlowDefinition(flow);
  for (const std::string& warning : env.graph->warnings()) events.Warning(warning);
  update_state("SETTING_UP_TABLES");
  // Every query is analyzed against the schemas of what it reads before any flow runs: a
  // query that does not bind fails the whole update here, as on Databricks.
  Status analysis = BindQueries(env, /*skip_input_errors=*/true);
  if (!analysis.ok()) {
    events.UpdateProgress(
        "FAILED", "Update " + result.update_id.substr(0, 6) + " has failed: " + analysis.message());
    if (on_progress) {
      Progress progress;
      progress.update_id = result.update_id;
      progress.state = "FAILED";
      progress.seconds = Seconds(started);
      on_progress(progress);
    }
    (void)events.Flush();
    return analysis;
  }
  std::set<std::string> replace_targets;
  Status setup = SetUpTables(env, request, selection, events, replace_targets);
  if (!setup.ok()) {
    update_state("FAILED");
    (void)events.Flush();
    return setup;
  }
  update_state("RUNNING");
  // An event log commit costs a Delta write: an update that ends within a second appends
  // its events once; a longer one appends them about every second as it runs, and a
  // continuous update also after every cycle, so readers follow its progress.
  if (request.continuous) SLUICE_RETURN_IF_ERROR(events.Flush());
  if (flush_interval_ms > 0) {
    events.StartPeriodicFlush(std::chrono::milliseconds(flush_interval_ms));
  }

  std::map<std::string, size_t> index;
  bool failed = false;
  bool stopped = false;
  // Continuous mode: when each flow is next due (all at once in the first cycle).
  using SteadyClock = std::chrono::steady_clock;
  std::map<std::string, SteadyClock::time_point> next_due;
  while (true) {
    const auto cycle_start = SteadyClock::now();
    std::set<std::string> due;
    for (const std::string& flow : selection.run) {
      auto it = next_due.find(flow);
      if (it == next_due.end() || it->second <= cycle_start) due.insert(flow);
    }
    for (const std::string& flow : due) {
      next_due[flow] = cycle_start + std::chrono::milliseconds(intervals.at(flow));
    }
    Cycle cycle(env, request, events, selection, due, replace_targets, result.update_id,
                on_progress);
    std::vector<FlowResult> flows = cycle.Run();
    ++result.cycles;
    for (FlowResult& flow : flows) {
      if (flow.state == kWaiting) continue;
      auto [it, inserted] = index.emplace(flow.flow, result.flows.size());
      if (inserted) {
        result.flows.push_back(flow);
        continue;
      }
      FlowResult& total = result.flows[it->second];
      total.output_rows += flow.output_rows;
      total.dropped_records += flow.dropped_records;
      total.seconds += flow.seconds;
      total.state = flow.state;
      total.error = flow.error;
      for (const quality::RuleMetrics& metrics : flow.metrics) {
        bool merged = false;
        for (quality::RuleMetrics& sum : total.metrics) {
          if (sum.name == metrics.name) {
            sum.passed_records += metrics.passed_records;
            sum.failed_records += metrics.failed_records;
            merged = true;
          }
        }
        if (!merged) total.metrics.push_back(metrics);
      }
    }
    for (const FlowResult& flow : flows) failed = failed || flow.state == "FAILED";
    if (request.continuous) SLUICE_RETURN_IF_ERROR(events.Flush());
    if (request.stop != nullptr && request.stop->load()) {
      stopped = true;
      break;
    }
    if (!request.continuous || failed) break;
    if (request.max_cycles > 0 && result.cycles >= request.max_cycles) break;
    // Wait until the next flow is due, checking for a stop request often.
    auto wait_until = SteadyClock::time_point::max();
    for (const auto& [flow, due_at] : next_due) wait_until = std::min(wait_until, due_at);
    while (SteadyClock::now() < wait_until) {
      if (request.stop != nullptr && request.stop->load()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (request.stop != nullptr && request.stop->load()) {
      stopped = true;
      break;
    }
  }
  result.state = failed ? "FAILED" : stopped ? "CANCELED" : "COMPLETED";
  update_state(result.state);
  events.StopPeriodicFlush();
  SLUICE_RETURN_IF_ERROR(events.Flush());
  result.seconds = Seconds(started);
  return result;
}

}  // namespace sluice::runtime
