#include "runtime/file_tree.h"

#include <algorithm>

namespace sluice::runtime {

Status RemoveTree(io::FileSystem& fs, const std::string& path) {
  auto info = fs.Stat(path);
  if (!info.ok())
    return info.status().code() == StatusCode::kNotFound ? Status::OK() : info.status();
  if (!info->is_directory) return fs.DeleteFile(path);
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(path));
  for (const io::FileInfo& entry : entries) {
    SLUICE_RETURN_IF_ERROR(RemoveTree(fs, path + "/" + entry.name));
  }
  return fs.DeleteDirectory(path);
}

namespace {

Status Collect(io::FileSystem& fs, const std::string& dir, std::vector<io::FileInfo>& out) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(dir));
  for (io::FileInfo& entry : entries) {
    if (entry.name.empty() || entry.name[0] == '.' || entry.name[0] == '_') continue;
    const std::string path = dir + "/" + entry.name;
    if (entry.is_directory) {
      SLUICE_RETURN_IF_ERROR(Collect(fs, path, out));
    } else {
      entry.name = path;
      out.push_back(std::move(entry));
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<io::FileInfo>> ListFilesRecursively(io::FileSystem& fs,
                                                       const std::string& path) {
  std::vector<io::FileInfo> out;
  auto info = fs.Stat(path);
  if (!info.ok()) {
    if (info.status().code() == StatusCode::kNotFound) return out;
    return info.status();
  }
  if (!info->is_directory) {
    info->name = path;
    out.push_back(*info);
    return out;
  }
  SLUICE_RETURN_IF_ERROR(Collect(fs, path, out));
  std::sort(out.begin(), out.end(),
            [](const io::FileInfo& a, const io::FileInfo& b) { return a.name < b.name; });
  return out;
}

}  // namespace sluice::runtime
