#include "ui/pipeline_catalog.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace sluice::ui {

Result<std::unique_ptr<PipelineCatalog>> PipelineCatalog::Open(const std::string& path) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> files, FindPipelines(path));
  auto catalog = std::make_unique<PipelineCatalog>();
  std::map<std::string, int> names;
  for (const std::string& file : files) {
    SLUICE_ASSIGN_OR_RETURN(std::unique_ptr<Pipeline> pipeline, Pipeline::Open(file));
    auto entry = std::make_unique<PipelineEntry>();
    entry->settings_file = file;
    entry->name = pipeline->name();
    entry->storage = pipeline->storage();
    ++names[entry->name];
    entry->reader = std::move(pipeline);
    entry->watcher = std::make_unique<ChangeWatcher>(entry->storage + "/system/events/_delta_log");
    catalog->entries_.push_back(std::move(entry));
  }
  // Ids are names; pipelines that share a name add their folder, relative to `path`.
  std::error_code error;
  const std::filesystem::path root = std::filesystem::absolute(path, error);
  for (auto& entry : catalog->entries_) {
    entry->id = entry->name;
    if (names[entry->name] > 1) {
      const std::filesystem::path folder =
          std::filesystem::path(entry->settings_file).parent_path().lexically_relative(root);
      // No '/' in an id: it is one segment of the API's paths.
      std::string where = folder.generic_string();
      std::replace(where.begin(), where.end(), '/', ':');
      entry->id = entry->name + "@" + where;
    }
  }
  return catalog;
}

PipelineCatalog::~PipelineCatalog() {
  if (warm_up_.joinable()) warm_up_.join();
  for (auto& entry : entries_) {
    entry->stop = true;
    if (entry->run_thread.joinable()) entry->run_thread.join();
    entry->watcher->Stop();
  }
}

PipelineEntry* PipelineCatalog::Find(const std::string& id) const {
  for (const auto& entry : entries_) {
    if (entry->id == id) return entry.get();
  }
  return nullptr;
}

Status PipelineCatalog::WithReader(
    PipelineEntry& entry,
    const std::function<Status(Pipeline&, Session&, const UpdateIndex&)>& fn) const {
  std::lock_guard<std::mutex> lock(entry.mutex);
  if (!entry.reader) {
    SLUICE_ASSIGN_OR_RETURN(entry.reader, Pipeline::Open(entry.settings_file));
  }
  if (!entry.session) {
    SLUICE_ASSIGN_OR_RETURN(entry.session, Session::Open());
  }
  // The generation before reading: a change while this runs makes the next call read again.
  const int64_t generation = entry.watcher->generation();
  if (entry.index_generation != generation) {
    SLUICE_RETURN_IF_ERROR(entry.index.Refresh(*entry.reader));
    entry.index_generation = generation;
  }
  return fn(*entry.reader, *entry.session, entry.index);
}

void PipelineCatalog::WarmUp() {
  if (warm_up_.joinable()) return;
  warm_up_ = std::thread([this] {
    for (auto& entry : entries_) {
      // An error here is the first request's to report.
      (void)WithReader(*entry,
                       [](Pipeline&, Session&, const UpdateIndex&) { return Status::OK(); });
    }
  });
}

Status PipelineCatalog::StartUpdate(PipelineEntry& entry, const StartRequest& request) {
  std::lock_guard<std::mutex> lock(entry.run_mutex);
  if (entry.running.load()) {
    return Conflict("an update of " + entry.id + " started from this UI is running");
  }
  if (entry.run_thread.joinable()) entry.run_thread.join();
  entry.running = true;
  entry.stop = false;
  entry.last_error.clear();
  entry.run_thread = std::thread([&entry, request] {
    RunOptions options;
    options.full_refresh_all = request.full_refresh_all;
    options.full_refresh = request.full_refresh;
    options.refresh = request.refresh;
    options.stop = &entry.stop;
    // Flow states reach the live pages as they happen; the event log has them at the end.
    options.on_progress = [&entry](const ProgressEvent&) { entry.watcher->Notify(); };
    std::string error;
    auto pipeline = Pipeline::Open(entry.settings_file);
    if (!pipeline.ok()) {
      error = pipeline.status().message();
    } else {
      auto report = (*pipeline)->Run(options);
      if (!report.ok()) error = report.status().message();
    }
    {
      std::lock_guard<std::mutex> done(entry.run_mutex);
      entry.last_error = error;
    }
    entry.running = false;
    entry.watcher->Notify();
  });
  return Status::OK();
}

Status PipelineCatalog::StopUpdate(PipelineEntry& entry) {
  if (!entry.running.load()) {
    return Conflict("no update of " + entry.id + " started from this UI is running");
  }
  entry.stop = true;
  return Status::OK();
}

}  // namespace sluice::ui
