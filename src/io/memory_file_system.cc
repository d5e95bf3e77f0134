// The in-memory file system behind NewMemoryFileSystem().
//
// Invariant: every path in `nodes_` has its parent directory in `nodes_` too, except the
// roots "/" and "" (the relative root), which always exist and are never stored. One mutex
// guards everything, so each operation is atomic, which is what the local file system
// achieves with temp files and rename/link.
#include <cerrno>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "common/clock.h"
#include "common/strings.h"
#include "io/file_system.h"

namespace sluice::io {
namespace {

struct Node {
  bool is_directory = false;
  std::string data;
  int64_t modification_time_ms = 0;
};

// The same messages as the local file system gives, so that tests and users see one text.
Status ErrnoStatus(int error, const std::string& path, std::string_view what = {}) {
  std::string text = std::error_code(error, std::generic_category()).message();
  std::string message =
      what.empty() ? StrCat(path, ": ", text) : StrCat(path, ": ", what, ": ", text);
  if (error == ENOENT) return Status(StatusCode::kNotFound, std::move(message));
  return Status(StatusCode::kIOError, std::move(message));
}

// "a//b/./c/../d/" -> "a/b/d"; "/x/" -> "/x"; "." -> "". ".." above a root stays at the root.
std::string Normalize(std::string_view path) {
  std::vector<std::string> parts;
  for (std::string& part : Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(std::move(part));
  }
  std::string joined = Join(parts, "/");
  return StartsWith(path, "/") ? "/" + joined : joined;
}

bool IsRoot(const std::string& key) { return key.empty() || key == "/"; }

// The normalized parent of a normalized non-root path.
std::string ParentKey(const std::string& key) {
  size_t slash = key.rfind('/');
  if (slash == std::string::npos) return "";
  return slash == 0 ? "/" : key.substr(0, slash);
}

// What the keys of a directory's descendants start with.
std::string ChildPrefix(const std::string& key) {
  return key.empty() || key == "/" ? key : key + "/";
}

class MemoryFs final : public FileSystem {
 public:
  explicit MemoryFs(Clock* clock) : clock_(clock) {}

  Result<std::string> ReadFile(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = Normalize(path);
    if (IsRoot(key)) return ErrnoStatus(EISDIR, path);
    auto it = nodes_.find(key);
    if (it == nodes_.end()) return ErrnoStatus(ENOENT, path);
    if (it->second.is_directory) return ErrnoStatus(EISDIR, path);
    return it->second.data;
  }

  Status WriteFile(const std::string& path, std::string_view data) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = Normalize(path);
    if (IsRoot(key) || IsDirectory(key)) return ErrnoStatus(EISDIR, path, "write");
    SLUICE_RETURN_IF_ERROR(CreateDirectoriesLocked(ParentKey(key), path));
    nodes_[key] = Node{false, std::string(data), clock_->NowMillis()};
    return Status::OK();
  }

  Status PutIfAbsent(const std::string& path, std::string_view data) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = Normalize(path);
    if (IsRoot(key) || nodes_.count(key) > 0) return AlreadyExists(path, ": already exists");
    SLUICE_RETURN_IF_ERROR(CreateDirectoriesLocked(ParentKey(key), path));
    nodes_[key] = Node{false, std::string(data), clock_->NowMillis()};
    return Status::OK();
  }

  Result<std::vector<FileInfo>> ListDirectory(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = Normalize(path);
    if (!IsRoot(key)) {
      auto it = nodes_.find(key);
      if (it == nodes_.end()) return ErrnoStatus(ENOENT, path);
      if (!it->second.is_directory) return ErrnoStatus(ENOTDIR, path);
    }
    // Keys sharing the prefix are consecutive in the map; the children among them (no
    // further '/') come in name order because they differ only after the common prefix.
    std::string prefix = ChildPrefix(key);
    std::vector<FileInfo> entries;
    for (auto it = nodes_.lower_bound(prefix); it != nodes_.end() && StartsWith(it->first, prefix);
         ++it) {
      std::string_view name = std::string_view(it->first).substr(prefix.size());
      if (name.empty() || name.find('/') != std::string_view::npos) continue;
      entries.push_back(Info(std::string(name), it->second));
    }
    return entries;
  }

  Result<FileInfo> Stat(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = Normalize(path);
    if (IsRoot(key)) return FileInfo{std::string(BaseName(key)), true, 0, 0};
    auto it = nodes_.find(key);
    if (it == nodes_.end()) return ErrnoStatus(ENOENT, path);
    return Info(std::string(BaseName(key)), it->second);
  }

  Status DeleteFile(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = Normalize(path);
    if (IsRoot(key)) return ErrnoStatus(EISDIR, path, "delete file");
    auto it = nodes_.find(key);
    if (it == nodes_.end()) return ErrnoStatus(ENOENT, path, "delete file");
    if (it->second.is_directory) return ErrnoStatus(EISDIR, path, "delete file");
    nodes_.erase(it);
    return Status::OK();
  }

  Status DeleteDirectory(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string key = Normalize(path);
    if (IsRoot(key)) return ErrnoStatus(EBUSY, path, "delete directory");
    auto it = nodes_.find(key);
    if (it == nodes_.end()) return ErrnoStatus(ENOENT, path, "delete directory");
    if (!it->second.is_directory) return ErrnoStatus(ENOTDIR, path, "delete directory");
    if (HasChildren(key)) return ErrnoStatus(ENOTEMPTY, path, "delete directory");
    nodes_.erase(it);
    return Status::OK();
  }

  Status CreateDirectories(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    return CreateDirectoriesLocked(Normalize(path), path);
  }

  Status Rename(const std::string& from, const std::string& to) override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string from_key = Normalize(from);
    std::string to_key = Normalize(to);
    std::string what = StrCat("rename to ", to);
    auto source = nodes_.find(from_key);
    if (IsRoot(from_key)) return ErrnoStatus(EBUSY, from, what);
    if (source == nodes_.end()) return ErrnoStatus(ENOENT, from, what);
    if (IsRoot(to_key)) return ErrnoStatus(EBUSY, from, what);
    std::string to_parent = ParentKey(to_key);
    if (!IsRoot(to_parent) && !IsDirectory(to_parent)) return ErrnoStatus(ENOENT, from, what);
    if (from_key == to_key) return Status::OK();
    auto target = nodes_.find(to_key);
    if (!source->second.is_directory) {
      if (target != nodes_.end() && target->second.is_directory) {
        return ErrnoStatus(EISDIR, from, what);
      }
      Node node = std::move(source->second);
      nodes_.erase(source);
      nodes_[to_key] = std::move(node);
      return Status::OK();
    }
    if (target != nodes_.end() && !target->second.is_directory) {
      return ErrnoStatus(ENOTDIR, from, what);
    }
    if (target != nodes_.end() && HasChildren(to_key)) return ErrnoStatus(ENOTEMPTY, from, what);
    if (StartsWith(to_key, from_key + "/")) return ErrnoStatus(EINVAL, from, what);
    MoveTree(from_key, to_key);
    return Status::OK();
  }

 private:
  static FileInfo Info(std::string name, const Node& node) {
    return FileInfo{std::move(name), node.is_directory,
                    static_cast<int64_t>(node.is_directory ? 0 : node.data.size()),
                    node.modification_time_ms};
  }

  bool IsDirectory(const std::string& key) const {
    auto it = nodes_.find(key);
    return it != nodes_.end() && it->second.is_directory;
  }

  bool HasChildren(const std::string& key) const {
    std::string prefix = ChildPrefix(key);
    auto it = nodes_.lower_bound(prefix);
    return it != nodes_.end() && StartsWith(it->first, prefix);
  }

  // mkdir -p of a normalized key; `path` is what the caller asked for, for messages.
  Status CreateDirectoriesLocked(const std::string& key, const std::string& path) {
    if (IsRoot(key)) return Status::OK();
    auto it = nodes_.find(key);
    if (it != nodes_.end()) {
      if (it->second.is_directory) return Status::OK();
      return ErrnoStatus(ENOTDIR, path, StrCat("create directory ", key));
    }
    SLUICE_RETURN_IF_ERROR(CreateDirectoriesLocked(ParentKey(key), path));
    nodes_[key] = Node{true, "", clock_->NowMillis()};
    return Status::OK();
  }

  // Re-keys the directory `from` and everything under it to `to`, replacing an empty
  // directory at `to`.
  void MoveTree(const std::string& from, const std::string& to) {
    std::map<std::string, Node> moved;
    std::string prefix = from + "/";
    moved[to] = std::move(nodes_[from]);
    nodes_.erase(from);
    auto it = nodes_.lower_bound(prefix);
    while (it != nodes_.end() && StartsWith(it->first, prefix)) {
      moved[to + it->first.substr(from.size())] = std::move(it->second);
      it = nodes_.erase(it);
    }
    for (auto& [key, node] : moved) nodes_[key] = std::move(node);
  }

  Clock* const clock_;
  std::mutex mutex_;
  std::map<std::string, Node> nodes_;
};

}  // namespace

std::unique_ptr<FileSystem> NewMemoryFileSystem() { return NewMemoryFileSystem(Clock::Real()); }

std::unique_ptr<FileSystem> NewMemoryFileSystem(Clock* clock) {
  return std::make_unique<MemoryFs>(clock);
}

}  // namespace sluice::io
