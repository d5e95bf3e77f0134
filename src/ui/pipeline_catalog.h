// The pipelines a web UI serves (docs/ui.md): each with a reader for the API (a Pipeline and
// a Session, used under its mutex, one request at a time), a watcher of its event log, and
// the update the UI started, if any, running in a thread of its own with its own Pipeline.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "sluice/pipeline.h"
#include "sluice/table.h"
#include "ui/change_watcher.h"
#include "ui/update_index.h"

namespace sluice::ui {

struct PipelineEntry {
  std::string id;             // the name, or name@folder (':' for '/') when names repeat
  std::string settings_file;  // absolute
  std::string name;
  std::string storage;

  std::mutex mutex;  // guards reader, session, index and documents
  std::unique_ptr<Pipeline> reader;
  std::unique_ptr<Session> session;
  UpdateIndex index;
  int64_t index_generation = -1;  // the watcher's generation the index was refreshed at
  // API documents by request target, with the watcher's generation they were made at: a
  // document is served again until the event log (and with it the tables) changes.
  std::map<std::string, std::pair<int64_t, std::string>> documents;
  std::unique_ptr<ChangeWatcher> watcher;

  // The update this UI started: running until the thread ends.
  std::mutex run_mutex;
  std::thread run_thread;
  std::atomic<bool> running{false};
  std::atomic<bool> stop{false};
  std::string last_error;  // of the last update the UI started, under run_mutex
};

// Options of an update started from the UI (POST /updates).
struct StartRequest {
  bool full_refresh_all = false;
  std::vector<std::string> full_refresh;
  std::vector<std::string> refresh;
};

class PipelineCatalog {
 public:
  // The pipelines at `path` (sluice::FindPipelines).
  static Result<std::unique_ptr<PipelineCatalog>> Open(const std::string& path);
  ~PipelineCatalog();  // stops the watchers; waits for running updates

  const std::vector<std::unique_ptr<PipelineEntry>>& entries() const { return entries_; }
  PipelineEntry* Find(const std::string& id) const;

  // Runs `fn` with the entry's reader under its mutex; the reader opens on first use, and
  // the update index is brought up to date first when the event log changed.
  Status WithReader(PipelineEntry& entry,
                    const std::function<Status(Pipeline&, Session&, const UpdateIndex&)>& fn) const;

  // Builds each pipeline's update index in the background, so that the first page load
  // does not wait for a whole event log to be read (it waits for what is left of it).
  void WarmUp();

  // Starts an update of the entry in a thread of its own. Conflict when the UI is
  // running one already (another process's update makes the run fail, as the CLI's does).
  Status StartUpdate(PipelineEntry& entry, const StartRequest& request);
  // Asks the running update to stop: flows not started yet do not start (STOPPED), running
  // ones end as they would, and the update ends CANCELED.
  Status StopUpdate(PipelineEntry& entry);

 private:
  std::vector<std::unique_ptr<PipelineEntry>> entries_;
  std::thread warm_up_;
};

}  // namespace sluice::ui
