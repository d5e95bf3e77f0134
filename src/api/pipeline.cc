// sluice::Pipeline: the public face of the runtime (include/sluice/pipeline.h).
#include "sluice/pipeline.h"

#include <signal.h>

#include <atomic>
#include <filesystem>

#include "api/session_internal.h"
#include "common/strings.h"
#include "engine/engine.h"
#include "io/file_system.h"
#include "runtime/flow_runner.h"
#include "runtime/pipeline_loader.h"
#include "runtime/project.h"
#include "runtime/query.h"
#include "runtime/update.h"

namespace sluice {

struct Pipeline::Impl {
  io::FileSystem* fs = io::LocalFileSystem();
  spec::PipelineSettings settings;
  std::unique_ptr<engine::Database> database;
  std::optional<runtime::LoadedPipeline> loaded;

  // Loads the pipeline's definitions. Reading what an update made (`reading`: query, events,
  // graph) does not need the run's --conf values: the configuration the last update
  // recorded fills in, and this command's --conf values override it.
  Status Load(bool reading = false) {
    if (loaded) return Status::OK();
    if (reading) {
      SLUICE_ASSIGN_OR_RETURN(auto recorded,
                              runtime::LastUpdateConfiguration(*fs, *database, settings));
      for (const auto& [key, value] : recorded) settings.configuration[key] = value;
      SLUICE_RETURN_IF_ERROR(spec::ApplyConfigurationOverrides(settings, conf_overrides));
    }
    SLUICE_ASSIGN_OR_RETURN(runtime::LoadedPipeline pipeline,
                            runtime::LoadPipeline(*fs, settings, database.get()));
    loaded = std::move(pipeline);
    warnings = settings.warnings;
    for (const std::string& warning : loaded->graph.warnings()) warnings.push_back(warning);
    for (const std::string& warning : loaded->warnings) warnings.push_back(warning);
    return Status::OK();
  }
  // The settings' warnings, then (once loaded) the definitions'.
  std::vector<std::string> warnings;
  std::vector<std::string> conf_overrides;
  runtime::RuntimeEnv Env() const {
    runtime::RuntimeEnv env;
    env.fs = fs;
    env.database = database.get();
    env.settings = &settings;
    env.graph = &loaded->graph;
    env.snapshot_functions = &loaded->snapshot_functions;
    return env;
  }
  PipelineGraph Describe() const;
};

namespace {

std::atomic<bool> signal_stop{false};
extern "C" void OnStopSignal(int) { signal_stop.store(true); }

ExpectationReport ToReport(const quality::RuleMetrics& metrics, const std::string& dataset) {
  ExpectationReport report;
  report.name = metrics.name;
  report.dataset = dataset;
  report.action = metrics.action == quality::Action::kDrop   ? "drop"
                  : metrics.action == quality::Action::kFail ? "fail"
                                                             : "warn";
  report.passed_records = metrics.passed_records;
  report.failed_records = metrics.failed_records;
  return report;
}

}  // namespace

PipelineGraph Pipeline::Impl::Describe() const {
  PipelineGraph out;
  for (const graph::Dataset& dataset : loaded->graph.datasets()) {
    DatasetInfo info;
    info.name = dataset.name();
    info.type = sql::DatasetKindName(dataset.kind());
    info.path = dataset.storage_path;
    for (const sql::Expectation& e : dataset.definition.expectations) {
      std::string text = e.name + ": " + e.condition;
      if (e.action != sql::ViolationAction::kWarn) {
        text += std::string(" [") + sql::ViolationActionName(e.action) + "]";
      }
      info.expectations.push_back(text);
    }
    info.file = dataset.definition.location.file;
    info.line = dataset.definition.location.line;
    out.datasets.push_back(std::move(info));
  }
  for (const graph::Flow& flow : loaded->graph.flows()) {
    FlowInfo info;
    info.name = flow.name;
    info.target = flow.target;
    info.streaming = flow.streaming;
    info.once = flow.once;
    info.inputs = loaded->graph.InputDatasets(flow.name);
    out.flows.push_back(std::move(info));
  }
  return out;
}

Pipeline::Pipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Pipeline::~Pipeline() = default;

Result<std::unique_ptr<Pipeline>> Pipeline::Open(const std::string& path,
                                                 const PipelineOptions& options) {
  auto impl = std::make_unique<Impl>();
  std::error_code error;
  std::string absolute =
      std::filesystem::absolute(path.empty() ? "." : path, error).lexically_normal().string();
  if (error) return InvalidArgument(path + ": " + error.message());
  while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
  SLUICE_ASSIGN_OR_RETURN(impl->settings,
                          runtime::LoadProject(*impl->fs, absolute, options.conf_overrides));
  impl->conf_overrides = options.conf_overrides;
  SLUICE_ASSIGN_OR_RETURN(impl->database, engine::Database::Open());
  SLUICE_RETURN_IF_ERROR(runtime::InstallSparkCompat(*impl->database));
  return std::unique_ptr<Pipeline>(new Pipeline(std::move(impl)));
}

const std::string& Pipeline::name() const { return impl_->settings.name; }
const std::string& Pipeline::settings_file() const { return impl_->settings.settings_file; }
const std::string& Pipeline::storage() const { return impl_->settings.storage; }
const std::vector<std::string>& Pipeline::warnings() const {
  return impl_->loaded ? impl_->warnings : impl_->settings.warnings;
}

Result<PipelineGraph> Pipeline::Graph() {
  SLUICE_RETURN_IF_ERROR(impl_->Load(/*reading=*/true));
  return impl_->Describe();
}

Result<std::vector<std::pair<std::string, std::string>>> Pipeline::Compile() {
  SLUICE_RETURN_IF_ERROR(impl_->Load(/*reading=*/true));
  return impl_->loaded->compiled;
}

Result<PipelineGraph> Pipeline::Validate() {
  SLUICE_RETURN_IF_ERROR(impl_->Load());
  SLUICE_RETURN_IF_ERROR(runtime::BindQueries(impl_->Env()));
  return impl_->Describe();
}

Result<UpdateReport> Pipeline::Run(const RunOptions& options) {
  SLUICE_RETURN_IF_ERROR(impl_->Load());
  runtime::UpdateRequest request;
  request.full_refresh_all = options.full_refresh_all;
  request.full_refresh = options.full_refresh;
  request.refresh = options.refresh;
  request.reset_checkpoint = options.reset_checkpoint;
  request.continuous = options.continuous.value_or(impl_->settings.continuous);
  request.max_cycles = options.max_cycles;
  std::atomic<bool> never{false};
  request.stop = options.stop != nullptr ? options.stop : &never;
  struct sigaction previous_int {
  }, previous_term{};
  if (options.handle_signals) {
    signal_stop.store(false);
    request.stop = &signal_stop;
    struct sigaction action {};
    action.sa_handler = OnStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_int);
    sigaction(SIGTERM, &action, &previous_term);
  }
  auto progress = [&](const runtime::Progress& p) {
    if (!options.on_progress) return;
    ProgressEvent event;
    event.kind = p.is_flow ? ProgressEvent::Kind::kFlow : ProgressEvent::Kind::kUpdate;
    event.update_id = p.update_id;
    event.flow = p.flow;
    event.dataset = p.dataset;
    event.state = p.state;
    event.output_rows = p.output_rows;
    event.seconds = p.seconds;
    event.message = p.message;
    options.on_progress(event);
  };
  auto result = runtime::RunUpdate(impl_->Env(), request, progress);
  if (options.handle_signals) {
    sigaction(SIGINT, &previous_int, nullptr);
    sigaction(SIGTERM, &previous_term, nullptr);
  }
  if (!result.ok()) return result.status();
  UpdateReport report;
  report.update_id = result->update_id;
  report.state = result->state;
  report.seconds = result->seconds;
  report.updates = result->cycles;
  for (const runtime::FlowResult& flow : result->flows) {
    FlowReport out;
    out.name = flow.flow;
    out.dataset = flow.dataset;
    out.state = flow.state;
    out.output_rows = flow.output_rows;
    out.dropped_records = flow.dropped_records;
    out.seconds = flow.seconds;
    out.error = flow.error;
    for (const quality::RuleMetrics& metrics : flow.metrics) {
      out.expectations.push_back(ToReport(metrics, flow.dataset));
    }
    report.flows.push_back(std::move(out));
  }
  return report;
}

Result<Rows> Pipeline::Query(const std::string& sql) {
  SLUICE_RETURN_IF_ERROR(impl_->Load(/*reading=*/true));
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, runtime::QueryPipeline(impl_->Env(), sql));
  return api::ToRows(result);
}

Result<Rows> Pipeline::Events(const EventQuery& query) {
  SLUICE_RETURN_IF_ERROR(impl_->Load(/*reading=*/true));
  runtime::EventFilter filter;
  filter.update = query.update;
  filter.type = query.type;
  filter.limit = query.limit;
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, runtime::ReadEvents(impl_->Env(), filter));
  return api::ToRows(result);
}

Result<std::vector<std::string>> FindPipelines(const std::string& path, int depth) {
  std::error_code error;
  const std::string absolute =
      std::filesystem::absolute(path.empty() ? "." : path, error).lexically_normal().string();
  if (error) return InvalidArgument(path + ": " + error.message());
  return runtime::FindProjects(*io::LocalFileSystem(), absolute, depth);
}

}  // namespace sluice
