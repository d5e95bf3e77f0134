// A FileSystem wrapper that fails on command, for tests that prove crash safety (in the
// spirit of leveldb's fault_injection_test and rocksdb's FaultInjectionTestFS).
//
// Contract:
// - Every call is forwarded to the wrapped file system (not owned; must outlive the wrapper)
//   unless a fault below applies. Counters record every call by kind, failed ones included.
// - Mutations are WriteFile, PutIfAbsent, DeleteFile, DeleteDirectory, CreateDirectories and
//   Rename. A MutationFault picks one of them: after `skip` matching mutations have gone
//   through, the next matching one fails with IOError ("<path>: injected I/O error"). What
//   reached the wrapped file system is chosen by `effect`:
//     kNothing   the operation did not happen (the process died before it);
//     kApplied   it fully happened, but the caller only sees the error (died right after);
//     kTorn      WriteFile/PutIfAbsent store only a prefix of the data at the final path, as
//                a store without atomic writes would (other mutations: as kNothing).
// - With `crash` (the default) the file system is "crashed" from the failing operation on:
//   every later mutation fails with Aborted ("<path>: file system crashed") and does
//   nothing, until Reset(). Reads keep working, so a test can look at what survived; a
//   "restarted" process is a new wrapper over the same base (or the same one after Reset()).
//   Without `crash` the error is transient and later calls proceed.
// - FailReads makes ReadFile of matching paths fail with the given code, to test unreadable
//   files and files that vanish between a listing and a read. Stat and ListDirectory are
//   not affected.
// - A path matches a pattern when it contains it as a substring ("" matches every path); a
//   Rename matches through either of its paths.
// - All methods are thread-safe; which of several concurrent mutations is the n-th one is
//   decided under a lock, so exactly one fails.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/file_system.h"

namespace sluice::io {

enum class FileOp {
  kReadFile,
  kWriteFile,
  kPutIfAbsent,
  kListDirectory,
  kStat,
  kDeleteFile,
  kDeleteDirectory,
  kCreateDirectories,
  kRename,
};
inline constexpr int kFileOpCount = 9;

// "ReadFile", "WriteFile", ...
std::string_view FileOpName(FileOp op);
bool IsMutation(FileOp op);

struct MutationFault {
  enum class Effect { kNothing, kApplied, kTorn };

  int64_t skip = 0;            // matching mutations that succeed before the failing one
  std::string path_substring;  // only mutations on a matching path count; "" = all
  Effect effect = Effect::kNothing;
  // kTorn: how many bytes of the data reach the final path (clamped to its size); unset =
  // half of it, rounded down.
  std::optional<int64_t> torn_bytes;
  bool crash = true;  // after the failure every mutation fails until Reset()
};

class FaultInjectionFileSystem final : public FileSystem {
 public:
  explicit FaultInjectionFileSystem(FileSystem* base);

  // Arms `fault`, replacing any fault not yet fired. Does not clear a crash.
  void InjectFault(MutationFault fault);
  // Shorthand: the (skip+1)-th matching mutation fails, doing nothing, and crashes.
  void FailNthMutation(int64_t skip, std::string path_substring = "");
  // Crashes now: every later mutation fails with Aborted until Reset().
  void Crash();
  // ReadFile of every path containing `path_substring` fails with `code` from now on.
  void FailReads(std::string path_substring, StatusCode code = StatusCode::kIOError);

  // Clears the crash, the armed fault and the read failures; counters are kept.
  void Reset();
  void ResetCounters();

  bool crashed() const;
  // True while an injected fault has not fired yet.
  bool fault_pending() const;
  // Calls of one kind since construction or ResetCounters().
  int64_t count(FileOp op) const;
  // Calls of all mutating kinds.
  int64_t mutation_count() const;

  Result<std::string> ReadFile(const std::string& path) override;
  Status WriteFile(const std::string& path, std::string_view data) override;
  Status PutIfAbsent(const std::string& path, std::string_view data) override;
  Result<std::vector<FileInfo>> ListDirectory(const std::string& path) override;
  Result<FileInfo> Stat(const std::string& path) override;
  Status DeleteFile(const std::string& path) override;
  Status DeleteDirectory(const std::string& path) override;
  Status CreateDirectories(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;

 private:
  enum class Verdict { kProceed, kFail, kCrashed };
  struct Decision {
    Verdict verdict = Verdict::kProceed;
    MutationFault::Effect effect = MutationFault::Effect::kNothing;
    std::optional<int64_t> torn_bytes;
  };
  struct ReadFailure {
    std::string path_substring;
    StatusCode code;
  };

  // Counts the call and decides whether this mutation goes through.
  Decision BeforeMutation(FileOp op, std::string_view path, std::string_view other_path = {});
  // The status a non-proceeding decision returns; `apply` performs the operation.
  template <typename Apply>
  Status Fail(const Decision& decision, const std::string& path, Apply apply);
  // WriteFile and PutIfAbsent, which alone can tear.
  template <typename Write>
  Status WriteLike(FileOp op, const std::string& path, std::string_view data, Write write);
  void CountCall(FileOp op);

  FileSystem* const base_;
  std::array<std::atomic<int64_t>, kFileOpCount> counts_{};

  mutable std::mutex mutex_;
  bool crashed_ = false;
  std::optional<MutationFault> fault_;
  int64_t fault_matches_seen_ = 0;
  std::vector<ReadFailure> read_failures_;
};

}  // namespace sluice::io
