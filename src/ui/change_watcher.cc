#include "ui/change_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>

namespace sluice::ui {

ChangeWatcher::ChangeWatcher(std::string log_dir) : log_dir_(std::move(log_dir)) {
  thread_ = std::thread([this] { Watch(); });
}

ChangeWatcher::~ChangeWatcher() { Stop(); }

int64_t ChangeWatcher::generation() {
  std::lock_guard<std::mutex> lock(mutex_);
  // Without inotify nothing is known to stay the same: every reader sees a new generation.
  if (blind_.load()) ++generation_;
  return generation_;
}

int64_t ChangeWatcher::WaitForChange(int64_t seen, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                    [&] { return generation_ != seen || stopping_.load(); });
  return generation_;
}

void ChangeWatcher::Notify() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

void ChangeWatcher::Stop() {
  if (stopping_.exchange(true)) return;
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeWatcher::Watch() {
  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    blind_ = true;  // no live pages, no reuse of documents; everything else works
    return;
  }
  int watch = -1;
  alignas(inotify_event) char buffer[4096];
  while (!stopping_.load()) {
    if (watch < 0) {
      // The folder appears with the first update's events.
      watch = inotify_add_watch(fd, log_dir_.c_str(), IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE);
      if (watch >= 0) Notify();
    }
    pollfd ready{fd, POLLIN, 0};
    if (poll(&ready, 1, 1000) <= 0) continue;
    bool any = false;
    ssize_t length;
    while ((length = read(fd, buffer, sizeof(buffer))) > 0) {
      any = true;
      for (ssize_t at = 0; at < length;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        // The folder went (a pipeline's storage removed): watch for it again.
        if (event->mask & IN_IGNORED) watch = -1;
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
      }
    }
    if (any) Notify();
  }
  close(fd);
}

}  // namespace sluice::ui
