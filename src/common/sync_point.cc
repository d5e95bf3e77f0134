#include "common/sync_point.h"

#include <unistd.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

namespace sluice {
namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, SyncPoints::Callback, std::less<>> callbacks;
};

Registry& GetRegistry() {
  static Registry registry;
  return registry;
}

}  // namespace

SyncPoints& SyncPoints::Get() {
  static SyncPoints points;
  return points;
}

Status SyncPoints::Process(std::string_view name) {
  Callback callback;
  {
    Registry& registry = GetRegistry();
    std::lock_guard<std::mutex> lock(registry.mutex);
    if (registry.callbacks.empty()) return Status::OK();
    auto it = registry.callbacks.find(name);
    if (it == registry.callbacks.end()) return Status::OK();
    callback = it->second;
  }
  return callback();
}

void SyncPoints::Set(std::string name, Callback callback) {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.callbacks[std::move(name)] = std::move(callback);
}

void SyncPoints::Clear(const std::string& name) {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.callbacks.erase(name);
}

void SyncPoints::ClearAll() {
  Registry& registry = GetRegistry();
  std::lock_guard<std::mutex> lock(registry.mutex);
  registry.callbacks.clear();
}

void ArmExitPoint(const std::string& name, int skip, int exit_code) {
  auto remaining = std::make_shared<std::atomic<int>>(skip);
  SyncPoints::Get().Set(name, [remaining, exit_code]() -> Status {
    if (remaining->fetch_sub(1) > 0) return Status::OK();
    _exit(exit_code);
  });
}

void ArmKillPoint(const std::string& name, int skip) {
  auto remaining = std::make_shared<std::atomic<int>>(skip);
  SyncPoints::Get().Set(name, [name, remaining]() -> Status {
    if (remaining->fetch_sub(1) > 0) return Status::OK();
    return Aborted("killed at ", name);
  });
}

}  // namespace sluice
