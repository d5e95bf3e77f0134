// Notices changes to a pipeline's event log, for the web UI's live pages (docs/ui.md,
// GET /live). A thread waits on inotify for new files in the event log's _delta_log folder
// (each update commits its events there, from any process) and bumps a generation number
// that waiters block on; it wakes once a second only to notice the folder appearing and to
// stop, so an idle server does no work. Notify() bumps it from this process (an update the
// UI runs reports its progress this way).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace sluice::ui {

class ChangeWatcher {
 public:
  // Watches `log_dir` (<storage>/system/events/_delta_log), which may not exist yet.
  explicit ChangeWatcher(std::string log_dir);
  ~ChangeWatcher();
  ChangeWatcher(const ChangeWatcher&) = delete;
  ChangeWatcher& operator=(const ChangeWatcher&) = delete;

  // Changes whenever the event log may have changed (each call, when inotify is missing).
  int64_t generation();
  // Waits until the generation passes `seen` or `timeout_ms` passes; returns the generation.
  int64_t WaitForChange(int64_t seen, int timeout_ms);
  void Notify();
  // Wakes every waiter and stops the thread; waits then return at once.
  void Stop();

 private:
  void Watch();

  const std::string log_dir_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int64_t generation_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> blind_{false};  // inotify failed
  std::thread thread_;
};

}  // namespace sluice::ui
