#include "io/fault_injection_file_system.h"

#include <algorithm>
#include <utility>

namespace sluice::io {
namespace {

bool Matches(std::string_view path, const std::string& pattern) {
  return path.find(pattern) != std::string_view::npos;
}

}  // namespace

std::string_view FileOpName(FileOp op) {
  switch (op) {
    case FileOp::kReadFile:
      return "ReadFile";
    case FileOp::kWriteFile:
      return "WriteFile";
    case FileOp::kPutIfAbsent:
      return "PutIfAbsent";
    case FileOp::kListDirectory:
      return "ListDirectory";
    case FileOp::kStat:
      return "Stat";
    case FileOp::kDeleteFile:
      return "DeleteFile";
    case FileOp::kDeleteDirectory:
      return "DeleteDirectory";
    case FileOp::kCreateDirectories:
      return "CreateDirectories";
    case FileOp::kRename:
      return "Rename";
  }
  return "?";
}

bool IsMutation(FileOp op) {
  return op != FileOp::kReadFile && op != FileOp::kListDirectory && op != FileOp::kStat;
}

FaultInjectionFileSystem::FaultInjectionFileSystem(FileSystem* base) : base_(base) {}

void FaultInjectionFileSystem::InjectFault(MutationFault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  fault_ = std::move(fault);
  fault_matches_seen_ = 0;
}

void FaultInjectionFileSystem::FailNthMutation(int64_t skip, std::string path_substring) {
  MutationFault fault;
  fault.skip = skip;
  fault.path_substring = std::move(path_substring);
  InjectFault(std::move(fault));
}

void FaultInjectionFileSystem::Crash() {
  std::lock_guard<std::mutex> lock(mutex_);
  crashed_ = true;
}

void FaultInjectionFileSystem::FailReads(std::string path_substring, StatusCode code) {
  std::lock_guard<std::mutex> lock(mutex_);
  read_failures_.push_back(ReadFailure{std::move(path_substring), code});
}

void FaultInjectionFileSystem::Reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  crashed_ = false;
  fault_.reset();
  fault_matches_seen_ = 0;
  read_failures_.clear();
}

void FaultInjectionFileSystem::ResetCounters() {
  for (auto& count : counts_) count = 0;
}

bool FaultInjectionFileSystem::crashed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return crashed_;
}

bool FaultInjectionFileSystem::fault_pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fault_.has_value();
}

int64_t FaultInjectionFileSystem::count(FileOp op) const {
  return counts_[static_cast<int>(op)].load();
}

int64_t FaultInjectionFileSystem::mutation_count() const {
  int64_t total = 0;
  for (int i = 0; i < kFileOpCount; ++i) {
    if (IsMutation(static_cast<FileOp>(i))) total += counts_[i].load();
  }
  return total;
}

void FaultInjectionFileSystem::CountCall(FileOp op) { ++counts_[static_cast<int>(op)]; }

FaultInjectionFileSystem::Decision FaultInjectionFileSystem::BeforeMutation(
    FileOp op, std::string_view path, std::string_view other_path) {
  CountCall(op);
  std::lock_guard<std::mutex> lock(mutex_);
  Decision decision;
  if (crashed_) {
    decision.verdict = Verdict::kCrashed;
    return decision;
  }
  if (!fault_.has_value()) return decision;
  const std::string& pattern = fault_->path_substring;
  if (!Matches(path, pattern) && !(op == FileOp::kRename && Matches(other_path, pattern))) {
    return decision;
  }
  if (fault_matches_seen_++ < fault_->skip) return decision;
  decision.verdict = Verdict::kFail;
  decision.effect = fault_->effect;
  decision.torn_bytes = fault_->torn_bytes;
  crashed_ = fault_->crash;
  fault_.reset();
  return decision;
}

template <typename Apply>
Status FaultInjectionFileSystem::Fail(const Decision& decision, const std::string& path,
                                      Apply apply) {
  if (decision.verdict == Verdict::kCrashed) return Aborted(path, ": file system crashed");
  // The caller learns nothing about the outcome, whatever the wrapped file system said.
  if (decision.effect == MutationFault::Effect::kApplied) apply().IgnoreError();
  return IOError(path, ": injected I/O error");
}

template <typename Write>
Status FaultInjectionFileSystem::WriteLike(FileOp op, const std::string& path,
                                           std::string_view data, Write write) {
  Decision decision = BeforeMutation(op, path);
  if (decision.verdict == Verdict::kProceed) return write(data);
  if (decision.verdict == Verdict::kFail && decision.effect == MutationFault::Effect::kTorn) {
    int64_t size = static_cast<int64_t>(data.size());
    int64_t kept = std::clamp<int64_t>(decision.torn_bytes.value_or(size / 2), 0, size);
    write(data.substr(0, static_cast<size_t>(kept))).IgnoreError();
  }
  return Fail(decision, path, [&] { return write(data); });
}

Result<std::string> FaultInjectionFileSystem::ReadFile(const std::string& path) {
  CountCall(FileOp::kReadFile);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const ReadFailure& failure : read_failures_) {
      if (Matches(path, failure.path_substring)) {
        StatusCode code = failure.code == StatusCode::kOk ? StatusCode::kIOError : failure.code;
        return Status(code, StrCat(path, ": injected read failure"));
      }
    }
  }
  return base_->ReadFile(path);
}

Status FaultInjectionFileSystem::WriteFile(const std::string& path, std::string_view data) {
  return WriteLike(FileOp::kWriteFile, path, data,
                   [&](std::string_view bytes) { return base_->WriteFile(path, bytes); });
}

Status FaultInjectionFileSystem::PutIfAbsent(const std::string& path, std::string_view data) {
  return WriteLike(FileOp::kPutIfAbsent, path, data,
                   [&](std::string_view bytes) { return base_->PutIfAbsent(path, bytes); });
}

Result<std::vector<FileInfo>> FaultInjectionFileSystem::ListDirectory(const std::string& path) {
  CountCall(FileOp::kListDirectory);
  return base_->ListDirectory(path);
}

Result<FileInfo> FaultInjectionFileSystem::Stat(const std::string& path) {
  CountCall(FileOp::kStat);
  return base_->Stat(path);
}

Status FaultInjectionFileSystem::DeleteFile(const std::string& path) {
  auto apply = [&] { return base_->DeleteFile(path); };
  Decision decision = BeforeMutation(FileOp::kDeleteFile, path);
  return decision.verdict == Verdict::kProceed ? apply() : Fail(decision, path, apply);
}

Status FaultInjectionFileSystem::DeleteDirectory(const std::string& path) {
  auto apply = [&] { return base_->DeleteDirectory(path); };
  Decision decision = BeforeMutation(FileOp::kDeleteDirectory, path);
  return decision.verdict == Verdict::kProceed ? apply() : Fail(decision, path, apply);
}

Status FaultInjectionFileSystem::CreateDirectories(const std::string& path) {
  auto apply = [&] { return base_->CreateDirectories(path); };
  Decision decision = BeforeMutation(FileOp::kCreateDirectories, path);
  return decision.verdict == Verdict::kProceed ? apply() : Fail(decision, path, apply);
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  auto apply = [&] { return base_->Rename(from, to); };
  Decision decision = BeforeMutation(FileOp::kRename, from, to);
  return decision.verdict == Verdict::kProceed ? apply() : Fail(decision, from, apply);
}

}  // namespace sluice::io
