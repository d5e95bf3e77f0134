// Named kill and sync points, compiled into Debug builds only (SLUICE_SYNC_POINTS).
//
// Code marks the steps of a protocol with SLUICE_SYNC_POINT("delta.commit.before_link").
// A test registers a callback for a name; the callback may block, record, or return an
// error Status that the marked code returns, or end the process (ArmExitPoint), which is
// how a crash test kills a writer at an exact step: nothing after the point happens, as
// after a real crash. Release builds compile the points away.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice {

class SyncPoints {
 public:
  using Callback = std::function<Status()>;

  static SyncPoints& Get();

  // Runs the callback registered for `name`, if any, and returns what it returns.
  Status Process(std::string_view name);

  void Set(std::string name, Callback callback);
  void Clear(const std::string& name);
  void ClearAll();

 private:
  SyncPoints() = default;
};

// Makes the `skip`+1-th hit of `name` end the process at once with _exit(exit_code): no
// later step, destructor, atexit handler or buffered write runs, as after a real crash.
// For a child process a crash test forked (test/support/crash_child.h).
void ArmExitPoint(const std::string& name, int skip, int exit_code);

// Makes the `skip`+1-th hit of `name` fail with Aborted("killed at <name>"), then stays
// armed for every later hit until cleared. The marked code returns that status, so the
// caller's cleanup and the rest of the process still run: crash tests abort the process
// instead (ArmExitPoint); a test uses this only where it says why it needs the process to
// go on.
void ArmKillPoint(const std::string& name, int skip = 0);

}  // namespace sluice

#ifdef SLUICE_SYNC_POINTS
#define SLUICE_SYNC_POINT(name) SLUICE_RETURN_IF_ERROR(::sluice::SyncPoints::Get().Process(name))
#else
#define SLUICE_SYNC_POINT(name) \
  do {                          \
  } while (false)
#endif
