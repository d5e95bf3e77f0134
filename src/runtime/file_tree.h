// Folder helpers over io::FileSystem used by the runtime.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "io/file_system.h"

namespace sluice::runtime {

// Deletes `path` and everything below it; OK when it does not exist.
Status RemoveTree(io::FileSystem& fs, const std::string& path);

// Every regular file below `path` (recursively), as absolute paths, sorted; names starting
// with '.' or '_' (hidden files, _SUCCESS markers, _delta_log) are skipped. A missing path
// gives no files.
Result<std::vector<io::FileInfo>> ListFilesRecursively(io::FileSystem& fs, const std::string& path);

}  // namespace sluice::runtime
