// Crash tests kill a real process at a kill point: the work runs in a forked child whose
// kill point ends it with _exit, so that nothing after the point runs (no later step of
// the update, no cleanup, no event log flush), and the parent then checks what a rerun
// recovers.
//
// Fork safety: the child runs only `work` and then ends with _exit. The parent must hold
// no open database or other object with threads when it forks (open pipelines and
// sessions inside `work` or after the child ended), since the child inherits their locks
// but not their threads.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"

namespace sluice::testing {

// Settings text that turns off the event log's flushes while flows run
// (pipelines.eventLog.flushInterval: 0), appended to a test pipeline's pipeline.yml: those
// flushes are Delta commits whose number depends on how long an update takes, so tests
// that count the hits of a commit's kill points in one update and kill another at each hit
// need them off to see the same hits every time.
inline constexpr char kNoPeriodicEventFlush[] =
    "configuration:\n  pipelines.eventLog.flushInterval: \"0\"\n";

// The child's exit code when it died at the kill point.
inline constexpr int kKilledAtPointExitCode = 86;
// The child's exit code when `work` returned: the point was hit fewer than `skip`+1 times.
inline constexpr int kFinishedExitCode = 87;

// Forks; the child arms `point` so that its `skip`+1-th hit ends the child with
// _exit(kKilledAtPointExitCode), runs `work` and ends with _exit(kFinishedExitCode). The
// parent waits (at most `timeout_seconds`, then kills the child). OK when the child died
// at the point; otherwise an error saying how it ended: it finished, died of a signal,
// exited with another code or hung. Needs kill points (Debug builds).
Status RunInChildKilledAt(const std::string& point, int skip, const std::function<void()>& work,
                          int timeout_seconds = 300);

}  // namespace sluice::testing
