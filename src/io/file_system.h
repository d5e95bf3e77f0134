// All file access of sluice's own metadata goes through FileSystem, so that tests can run
// against memory and inject faults (leveldb's Env, memenv and fault injection, in one).
//
// Paths are plain strings, absolute or relative to the process's working directory, with
// '/' as the separator. Data files written by DuckDB bypass this interface; their paths
// are always local (see LocalPath).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice::io {

struct FileInfo {
  std::string name;  // the entry's name within its directory, no slashes
  bool is_directory = false;
  int64_t size = 0;                  // bytes; 0 for directories
  int64_t modification_time_ms = 0;  // Unix epoch milliseconds
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The whole content of a file. NotFound if it does not exist.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;

  // Writes `data` to `path`, replacing any existing file. Readers see either the old or
  // the new content, never a mix (temp file + fsync + rename). Creates parent directories.
  virtual Status WriteFile(const std::string& path, std::string_view data) = 0;

  // Writes `data` to `path` only if nothing is there: AlreadyExists otherwise, and the
  // existing file is untouched. Atomic: a reader sees nothing or the whole file, and of
  // two concurrent writers exactly one succeeds. Creates parent directories. This is the
  // primitive of Delta commits.
  virtual Status PutIfAbsent(const std::string& path, std::string_view data) = 0;

  // Entries of a directory, sorted by name. NotFound if the directory does not exist.
  virtual Result<std::vector<FileInfo>> ListDirectory(const std::string& path) = 0;

  // Facts about one path; NotFound if absent.
  virtual Result<FileInfo> Stat(const std::string& path) = 0;

  // Deletes a file; NotFound if absent.
  virtual Status DeleteFile(const std::string& path) = 0;

  // Removes an empty directory.
  virtual Status DeleteDirectory(const std::string& path) = 0;

  // Creates a directory and its parents; OK if it exists.
  virtual Status CreateDirectories(const std::string& path) = 0;

  // Renames, replacing any existing file at `to`.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;

  // True if the path exists (file or directory).
  bool Exists(const std::string& path) { return Stat(path).ok(); }
};

// The process-wide file system over the local disk. Never null; lives forever.
FileSystem* LocalFileSystem();

// A fresh, empty file system held in memory (thread-safe).
std::unique_ptr<FileSystem> NewMemoryFileSystem();

// Joins path parts with exactly one '/' between them ("a/" + "b" = "a/b").
std::string JoinPath(std::string_view a, std::string_view b);
// The part after the last '/'.
std::string_view BaseName(std::string_view path);
// The part before the last '/' ("" if none).
std::string_view DirName(std::string_view path);

}  // namespace sluice::io
