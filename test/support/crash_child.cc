#include "support/crash_child.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "common/sync_point.h"

namespace sluice::testing {

Status RunInChildKilledAt(const std::string& point, int skip, const std::function<void()>& work,
                          int timeout_seconds) {
  // Whatever the parent buffered must not be written twice.
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) return IOError("fork: ", std::strerror(errno));
  if (child == 0) {
    ArmExitPoint(point, skip, kKilledAtPointExitCode);
    work();
    _exit(kFinishedExitCode);
  }
  int status = 0;
  for (int waited_ms = 0;; waited_ms += 10) {
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0) return IOError("waitpid: ", std::strerror(errno));
    if (waited_ms >= timeout_seconds * 1000) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      return Aborted("the child running up to ", point, " hung for ", timeout_seconds, " s");
    }
    usleep(10 * 1000);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kKilledAtPointExitCode) return Status::OK();
  if (WIFEXITED(status) && WEXITSTATUS(status) == kFinishedExitCode) {
    return NotFound("the work finished without reaching hit ", skip + 1, " of ", point);
  }
  if (WIFSIGNALED(status)) {
    return Aborted("the child died of signal ", WTERMSIG(status), " before ", point);
  }
  return Aborted("the child exited with code ", WEXITSTATUS(status), " before ", point);
}

}  // namespace sluice::testing
