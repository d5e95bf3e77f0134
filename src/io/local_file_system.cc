// The POSIX file system behind LocalFileSystem().
//
// Atomic writes: the data goes to a hidden temp file in the target's directory, is fsynced,
// and only then appears under its final name: by rename() for WriteFile (replaces), by
// link() for PutIfAbsent (fails with EEXIST if the name is taken, which the kernel decides
// atomically, also between processes). The directory is fsynced after the name changes so
// that the new entry survives a power loss.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <system_error>

#include "common/uuid.h"
#include "io/file_system.h"

namespace sluice::io {
namespace {

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// "<path>: <errno text>" or "<path>: <what>: <errno text>", NotFound for ENOENT.
Status ErrnoStatus(int error, const std::string& path, std::string_view what = {}) {
  std::string message = what.empty() ? StrCat(path, ": ", ErrnoText(error))
                                     : StrCat(path, ": ", what, ": ", ErrnoText(error));
  if (error == ENOENT) return Status(StatusCode::kNotFound, std::move(message));
  return Status(StatusCode::kIOError, std::move(message));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  // Closes now, reporting the error a deferred write may surface only at close.
  int Close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  int fd_;
};

// The directory holding `path`, as a name open() accepts.
std::string ParentOf(const std::string& path) {
  std::string_view parent = DirName(path);
  return parent.empty() ? "." : std::string(parent);
}

Status SyncDirectory(const std::string& directory) {
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return ErrnoStatus(errno, directory, "open directory");
  // Some file systems cannot fsync a directory (EINVAL); they persist names by other means.
  if (::fsync(fd.get()) != 0 && errno != EINVAL) return ErrnoStatus(errno, directory, "fsync");
  return Status::OK();
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, path, "write");
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Status::OK();
}

FileInfo InfoFromStat(std::string name, const struct stat& st) {
  FileInfo info;
  info.name = std::move(name);
  info.is_directory = S_ISDIR(st.st_mode);
  info.size = info.is_directory ? 0 : static_cast<int64_t>(st.st_size);
  info.modification_time_ms =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1000000;
  return info;
}

// A name no other writer, thread or process, will pick: the pid tells processes apart (a
// forked child repeats its parent's random sequence), the UUID tells threads and hosts apart.
std::string TempPathFor(const std::string& path) {
  std::string_view base = BaseName(path).substr(0, 100);  // stays under NAME_MAX
  std::string name = StrCat(".", base, ".", ::getpid(), "-", NewUuid(), ".tmp");
  std::string_view directory = DirName(path);
  return directory.empty() ? name : JoinPath(directory, name);
}

class LocalFs final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) override {
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return ErrnoStatus(errno, path);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return ErrnoStatus(errno, path, "stat");
    if (S_ISDIR(st.st_mode)) return ErrnoStatus(EISDIR, path);
    std::string content;
    content.reserve(static_cast<size_t>(st.st_size));
    char buffer[64 * 1024];
    while (true) {
      ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus(errno, path, "read");
      }
      if (n == 0) break;
      content.append(buffer, static_cast<size_t>(n));
    }
    return content;
  }

  Status WriteFile(const std::string& path, std::string_view data) override {
    SLUICE_ASSIGN_OR_RETURN(std::string temp, WriteTempFile(path, data));
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      int error = errno;
      ::unlink(temp.c_str());
      return ErrnoStatus(error, path, "rename into place");
    }
    return SyncDirectory(ParentOf(path));
  }

  Status PutIfAbsent(const std::string& path, std::string_view data) override {
    SLUICE_ASSIGN_OR_RETURN(std::string temp, WriteTempFile(path, data));
    bool temp_consumed = false;
    int error = ::link(temp.c_str(), path.c_str()) == 0 ? 0 : errno;
    if (error == EPERM || error == EOPNOTSUPP || error == ENOSYS) {
      // No hard links on this file system; an exclusive rename is atomic as well.
      error = ::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) == 0
                  ? 0
                  : errno;
      temp_consumed = error == 0;
    }
    if (!temp_consumed) ::unlink(temp.c_str());
    if (error == EEXIST) return AlreadyExists(path, ": already exists");
    if (error != 0) return ErrnoStatus(error, path, "link into place");
    return SyncDirectory(ParentOf(path));
  }

  Result<std::vector<FileInfo>> ListDirectory(const std::string& path) override {
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), &::closedir);
    if (dir == nullptr) return ErrnoStatus(errno, path);
    std::vector<FileInfo> entries;
    while (true) {
      errno = 0;
      struct dirent* entry = ::readdir(dir.get());
      if (entry == nullptr) {
        if (errno != 0) return ErrnoStatus(errno, path, "read directory");
        break;
      }
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      struct stat st;
      if (::fstatat(::dirfd(dir.get()), name.c_str(), &st, 0) != 0) {
        if (errno == ENOENT) continue;  // deleted since readdir, or a dangling link
        return ErrnoStatus(errno, JoinPath(path, name), "stat");
      }
      entries.push_back(InfoFromStat(std::move(name), st));
    }
    std::sort(entries.begin(), entries.end(),
              [](const FileInfo& a, const FileInfo& b) { return a.name < b.name; });
    return entries;
  }

  Result<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(errno, path);
    std::string_view trimmed = path;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
    return InfoFromStat(std::string(BaseName(trimmed)), st);
  }

  Status DeleteFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoStatus(errno, path, "delete file");
    return Status::OK();
  }

  Status DeleteDirectory(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return ErrnoStatus(errno, path, "delete directory");
    return Status::OK();
  }

  Status CreateDirectories(const std::string& path) override {
    if (path.empty()) return Status::OK();
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return Status::OK();
      return ErrnoStatus(ENOTDIR, path, "create directory");
    }
    std::string_view parent = DirName(path);
    if (!parent.empty() && parent.size() < path.size()) {
      SLUICE_RETURN_IF_ERROR(CreateDirectories(std::string(parent)));
    }
    if (::mkdir(path.c_str(), 0755) != 0) {
      int error = errno;
      // Another writer may have created it since the stat above.
      if (error == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        return Status::OK();
      }
      return ErrnoStatus(error, path, "create directory");
    }
    return SyncDirectory(ParentOf(path));
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return ErrnoStatus(errno, from, StrCat("rename to ", to));
    }
    SLUICE_RETURN_IF_ERROR(SyncDirectory(ParentOf(to)));
    if (ParentOf(from) != ParentOf(to)) return SyncDirectory(ParentOf(from));
    return Status::OK();
  }

 private:
  // Writes and fsyncs a fresh temp file beside `path`, creating the parent directories if
  // they are missing. Returns the temp file's path; on error no temp file remains.
  Result<std::string> WriteTempFile(const std::string& path, std::string_view data) {
    std::string temp = TempPathFor(path);
    constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
    int raw_fd = ::open(temp.c_str(), kFlags, 0644);
    if (raw_fd < 0 && errno == ENOENT && !DirName(path).empty()) {
      SLUICE_RETURN_IF_ERROR(CreateDirectories(std::string(DirName(path))));
      raw_fd = ::open(temp.c_str(), kFlags, 0644);
    }
    if (raw_fd < 0) return ErrnoStatus(errno, path, "create temp file");
    FileDescriptor fd(raw_fd);
    Status status = WriteAll(fd.get(), data, path);
    if (status.ok() && ::fsync(fd.get()) != 0) status = ErrnoStatus(errno, path, "fsync");
    if (fd.Close() != 0 && status.ok()) status = ErrnoStatus(errno, path, "close");
    if (!status.ok()) {
      ::unlink(temp.c_str());
      return status;
    }
    return temp;
  }
};

}  // namespace

FileSystem* LocalFileSystem() {
  static LocalFs file_system;
  return &file_system;
}

}  // namespace sluice::io
