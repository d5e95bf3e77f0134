#include "runtime/update_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

namespace sluice::runtime {

Result<std::unique_ptr<UpdateLock>> UpdateLock::Acquire(const std::string& storage) {
  const std::string dir = storage + "/system";
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return IOError(dir + ": cannot create folder: " + error.message());
  const std::string path = dir + "/update.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return IOError(path + ": cannot open: " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char holder[32] = {0};
    ssize_t n = ::pread(fd, holder, sizeof(holder) - 1, 0);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      std::string pid = n > 0 ? std::string(holder, static_cast<size_t>(n)) : "unknown";
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
      return AlreadyExists("another update of this pipeline is running (process " + pid +
                           ", lock " + path + "); wait for it to finish or stop it");
    }
    return IOError(path + ": cannot lock: " + std::strerror(err));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) == 0) (void)::pwrite(fd, pid.data(), pid.size(), 0);
  return std::unique_ptr<UpdateLock>(new UpdateLock(fd));
}

UpdateLock::~UpdateLock() {
  ::flock(fd_, LOCK_UN);
  ::close(fd_);
}

}  // namespace sluice::runtime
