// One update of a pipeline at a time: an exclusive lock on <storage>/system/update.lock,
// held for the whole update and released by the operating system if the process dies.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace sluice::runtime {

class UpdateLock {
 public:
  // Takes the lock without waiting: AlreadyExists naming the holder's process id when
  // another update of the pipeline is running.
  static Result<std::unique_ptr<UpdateLock>> Acquire(const std::string& storage);
  ~UpdateLock();
  UpdateLock(const UpdateLock&) = delete;
  UpdateLock& operator=(const UpdateLock&) = delete;

 private:
  explicit UpdateLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace sluice::runtime
