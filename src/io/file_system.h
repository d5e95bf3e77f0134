// All file access of sluice's own metadata goes through FileSystem, so that tests can run
// against memory and inject faults (leveldb's Env, memenv and fault injection, in one).
//
// Paths are plain strings, absolute or relative to the process's working directory, with
// '/' as the separator. Data files written by DuckDB bypass this interface; their paths
// are always local.
//
// Errors: NotFound when the path (or, for Rename, the source) does not exist; AlreadyExists
// when PutIfAbsent loses; IOError for everything else the file system refuses (a file where a
// directory is needed or the reverse, a non-empty directory, a disk error). Every message
// starts with the path it is about and ends with the system's explanation, e.g.
// "/t/_delta_log/00000000000000000003.json: No such file or directory".
//
// Every implementation is safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sluice {
class Clock;
}

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

  // The whole content of a file. NotFound if it does not exist, IOError if it is a directory.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;

  // Writes `data` to `path`, replacing any existing file. Readers see either the old or
  // the new content, never a mix (temp file + fsync + rename). Creates parent directories.
  // Durable when it returns OK.
  virtual Status WriteFile(const std::string& path, std::string_view data) = 0;

  // Writes `data` to `path` only if nothing is there: AlreadyExists otherwise, and the
  // existing file is untouched. Atomic: a reader sees nothing or the whole file, and of
  // any number of concurrent writers (threads or processes) exactly one succeeds. Creates
  // parent directories. Durable when it returns OK. This is the primitive of Delta commits.
  virtual Status PutIfAbsent(const std::string& path, std::string_view data) = 0;

  // Entries of a directory, sorted by name (byte order). NotFound if the directory does not
  // exist. On the local disk a write in progress shows up as a hidden temp file
  // (".<name>.<unique>.tmp"), as does one left by a crashed writer; callers that list
  // match the names they expect.
  virtual Result<std::vector<FileInfo>> ListDirectory(const std::string& path) = 0;

  // Facts about one path (symbolic links followed); NotFound if absent.
  virtual Result<FileInfo> Stat(const std::string& path) = 0;

  // Deletes a file; NotFound if absent, IOError for a directory.
  virtual Status DeleteFile(const std::string& path) = 0;

  // Removes an empty directory; NotFound if absent, IOError if not empty or a file.
  virtual Status DeleteDirectory(const std::string& path) = 0;

  // Creates a directory and its parents (mkdir -p); OK if it exists as a directory, IOError
  // if it or a parent is a file.
  virtual Status CreateDirectories(const std::string& path) = 0;

  // Renames a file or directory, atomically replacing any existing file at `to` (or an
  // empty directory, when `from` is a directory). The parent of `to` must exist: NotFound
  // names `from` and `to` if either is missing.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;

  // True if the path exists (file or directory).
  bool Exists(const std::string& path) { return Stat(path).ok(); }
};

// The process-wide file system over the local disk. Never null; lives forever.
FileSystem* LocalFileSystem();

// A fresh, empty file system held in memory. Directories exist once created, explicitly or
// as parents of a written file; "/" always exists. Paths are normalized lexically ("a//b/"
// is "a/b", "a/./b/../c" is "a/c"); relative and absolute paths are separate trees.
// Modification times come from `clock` (not owned; must outlive the file system), or the
// real clock.
std::unique_ptr<FileSystem> NewMemoryFileSystem();
std::unique_ptr<FileSystem> NewMemoryFileSystem(Clock* clock);

// Joins path parts with exactly one '/' between them ("a/" + "/b" = "a/b"); an empty part
// yields the other one unchanged.
std::string JoinPath(std::string_view a, std::string_view b);
// The part after the last '/' ("" for "a/").
std::string_view BaseName(std::string_view path);
// The part before the last '/': "" if there is none, "/" for "/a".
std::string_view DirName(std::string_view path);

}  // namespace sluice::io
