#include "delta/vacuum.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "delta/deletion_vector.h"
#include "delta/paths.h"
#include "delta/table_properties.h"

namespace sluice::delta {
namespace {

// Hidden entries are skipped (Spark: names starting with '_' or '.'), except the Change
// Data Feed's folder.
bool IsHidden(const std::string& name) {
  if (name == "_change_data") return false;
  return StartsWith(name, "_") || StartsWith(name, ".");
}

struct Listing {
  std::vector<io::FileInfo> files;       // name holds the full path
  std::vector<std::string> directories;  // deepest last
};

Status ListRecursively(io::FileSystem& fs, const std::string& directory, bool top, Listing& out) {
  SLUICE_ASSIGN_OR_RETURN(std::vector<io::FileInfo> entries, fs.ListDirectory(directory));
  for (io::FileInfo& entry : entries) {
    if (IsHidden(entry.name)) continue;
    std::string path = io::JoinPath(directory, entry.name);
    if (entry.is_directory) {
      out.directories.push_back(path);
      SLUICE_RETURN_IF_ERROR(ListRecursively(fs, path, false, out));
    } else {
      entry.name = path;
      out.files.push_back(std::move(entry));
    }
  }
  return Status::OK();
}

}  // namespace

Result<VacuumResult> Vacuum(const DeltaContext& context, const std::string& table_root,
                            const VacuumOptions& options) {
  SLUICE_ASSIGN_OR_RETURN(SnapshotPtr snapshot, LoadSnapshot(context, table_root));
  // With vacuumProtocolCheck, VACUUM must be able to write the table.
  SLUICE_RETURN_IF_ERROR(CheckWritable(snapshot->protocol(), table_root));
  int64_t table_retention = DeletedFileRetentionMillis(snapshot->configuration());
  int64_t retention = options.retention_ms.value_or(table_retention);
  if (retention < 0) return InvalidArgument("retention must not be negative");
  if (retention < table_retention && !options.allow_short_retention) {
    return InvalidArgument(
        "VACUUM ", table_root, " with a retention of ", retention / 3600000.0,
        " hours is shorter than the table's delta.deletedFileRetentionDuration (",
        table_retention / 3600000.0,
        " hours) and could delete files that readers or time travel still need; "
        "pass --force to do it anyway");
  }
  int64_t cutoff = context.clock->NowMillis() - retention;

  // Files still needed: live files and their deletion vectors, and tombstones younger
  // than the retention (older versions within it may read them).
  std::set<std::string> needed;
  auto keep_dv = [&](const std::optional<DeletionVectorDescriptor>& dv) -> Status {
    if (!dv || dv->storage_type == 'i') return Status::OK();
    SLUICE_ASSIGN_OR_RETURN(std::string path, DeletionVectorFilePath(table_root, *dv));
    needed.insert(path);
    return Status::OK();
  };
  for (const AddFile& file : snapshot->files()) {
    SLUICE_ASSIGN_OR_RETURN(std::string path, ResolveDataFilePath(table_root, file.path));
    needed.insert(path);
    SLUICE_RETURN_IF_ERROR(keep_dv(file.deletion_vector));
  }
  for (const RemoveFile& removed : snapshot->tombstones()) {
    if (removed.deletion_timestamp.value_or(0) < cutoff) continue;
    SLUICE_ASSIGN_OR_RETURN(std::string path, ResolveDataFilePath(table_root, removed.path));
    needed.insert(path);
    SLUICE_RETURN_IF_ERROR(keep_dv(removed.deletion_vector));
  }

  Listing listing;
  SLUICE_RETURN_IF_ERROR(ListRecursively(*context.fs, table_root, true, listing));
  VacuumResult result;
  for (const io::FileInfo& file : listing.files) {
    if (needed.count(file.name) || file.modification_time_ms >= cutoff) continue;
    result.files.push_back(file.name);
    result.bytes += file.size;
  }
  std::sort(result.files.begin(), result.files.end());
  if (options.dry_run) return result;
  for (const std::string& path : result.files) {
    Status deleted = context.fs->DeleteFile(path);
    if (!deleted.ok() && !deleted.IsNotFound()) return deleted.WithContext("VACUUM");
  }
  // Remove directories left empty, deepest first.
  for (auto it = listing.directories.rbegin(); it != listing.directories.rend(); ++it) {
    Result<std::vector<io::FileInfo>> entries = context.fs->ListDirectory(*it);
    if (entries.ok() && entries->empty() && context.fs->DeleteDirectory(*it).ok()) {
      ++result.directories_removed;
    }
  }
  return result;
}

}  // namespace sluice::delta
