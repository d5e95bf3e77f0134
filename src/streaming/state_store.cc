#include "streaming/state_store.h"

#include <nlohmann/json.hpp>
#include <set>

#include "common/strings.h"
#include "common/sync_point.h"

namespace sluice::streaming {
namespace {

constexpr int64_t kSnapshotInterval = 10;

Result<nlohmann::json> ParseInfo(const std::string& text, const std::string& path) {
  nlohmann::json info = nlohmann::json::parse(text, nullptr, false);
  if (info.is_discarded() || !info.is_object() || !info.contains("version")) {
    return Corruption("the state file " + path + " is corrupt (not a state version's JSON)");
  }
  return info;
}

}  // namespace

std::string StateStore::Path(int64_t version, const char* kind) const {
  return dir_ + "/" + std::to_string(version) + "." + kind;
}

Result<StateStore> StateStore::Load(io::FileSystem& fs, engine::Connection& connection,
                                    std::string dir, std::string table, int64_t version) {
  StateStore store(fs, connection, std::move(dir), std::move(table));
  SLUICE_RETURN_IF_ERROR(connection.Execute("DROP TABLE IF EXISTS " + store.table_));
  if (version <= 0) return store;
  std::set<std::string> names;
  auto listing = fs.ListDirectory(store.dir_);
  if (listing.ok()) {
    for (const io::FileInfo& info : *listing) names.insert(info.name);
  }
  auto has = [&](int64_t v, const char* kind) {
    return names.count(std::to_string(v) + "." + kind) > 0;
  };
  // The newest snapshot at or below the version, then the deltas after it.
  int64_t first = 1;
  for (int64_t v = version; v >= 1; --v) {
    if (has(v, "snapshot.parquet") && has(v, "json")) {
      SLUICE_RETURN_IF_ERROR(store.ReadFileInto(store.Path(v, "snapshot.parquet"), true));
      first = v + 1;
      break;
    }
  }
  nlohmann::json info;
  for (int64_t v = first; v <= version; ++v) {
    const std::string path = store.Path(v, "json");
    auto text = fs.ReadFile(path);
    if (!text.ok()) {
      return Corruption("the state version " + std::to_string(v) + " (" + path +
                        ") is missing: " + text.status().message() +
                        "; reset the flow's checkpoint (or fully refresh its table) to rebuild it");
    }
    SLUICE_ASSIGN_OR_RETURN(info, ParseInfo(*text, path));
    if (info.value("delta", false)) {
      SLUICE_RETURN_IF_ERROR(store.ReadFileInto(store.Path(v, "delta.parquet"), !store.has_table_));
    }
    if (store.has_table_ && info.value("removed", false)) {
      const std::string removed = store.Path(v, "removed.parquet");
      Status status = connection.Execute("DELETE FROM " + store.table_ + " WHERE " + kRowIdColumn +
                                         " IN (SELECT * FROM " + "read_parquet(" +
                                         QuoteLiteral(removed) + "))");
      if (!status.ok()) {
        return Corruption("the state file " + removed + " cannot be read: " + status.message());
      }
    }
    if (store.has_table_ && info.contains("evicted_to")) {
      SLUICE_RETURN_IF_ERROR(
          connection.Execute("DELETE FROM " + store.table_ + " WHERE " + kExpiresColumn +
                             " <= " + std::to_string(info["evicted_to"].get<int64_t>())));
    }
  }
  if (info.is_null()) {
    const std::string path = store.Path(version, "json");
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    SLUICE_ASSIGN_OR_RETURN(info, ParseInfo(text, path));
  }
  store.info_.version = version;
  store.info_.evicted_to = info.value("evicted_to", INT64_MIN);
  store.info_.rows = info.value("rows", int64_t{0});
  store.info_.bytes = info.value("bytes", int64_t{0});
  store.info_.metadata = info.contains("metadata") ? info["metadata"].dump() : "{}";
  return store;
}

Status StateStore::ReadFileInto(const std::string& path, bool create) {
  const std::string read = "SELECT * FROM read_parquet(" + QuoteLiteral(path) + ")";
  Status status = create ? connection_->Execute("CREATE TEMP TABLE " + table_ + " AS " + read)
                         : connection_->Execute("INSERT INTO " + table_ + " BY NAME " + read);
  if (!status.ok()) {
    return Corruption("the state file " + path + " cannot be read: " + status.message() +
                      "; reset the flow's checkpoint (or fully refresh its table) to rebuild it");
  }
  has_table_ = true;
  return Status::OK();
}

Status StateStore::Put(const std::string& sql) {
  if (staged_.empty()) staged_ = table_ + "_staged";
  if (!has_staged_) {
    SLUICE_RETURN_IF_ERROR(connection_->Execute("CREATE OR REPLACE TEMP TABLE " + staged_ +
                                                " AS SELECT * FROM (" + sql + ")"));
    has_staged_ = true;
  } else {
    SLUICE_RETURN_IF_ERROR(
        connection_->Execute("INSERT INTO " + staged_ + " BY NAME SELECT * FROM (" + sql + ")"));
  }
  if (!has_table_) {
    SLUICE_RETURN_IF_ERROR(
        connection_->Execute("CREATE TEMP TABLE " + table_ + " AS SELECT * FROM " + staged_));
    has_table_ = true;
    return Status::OK();
  }
  // The rows of this Put alone: the staged table may hold earlier Puts of the batch.
  return connection_->Execute("INSERT INTO " + table_ + " BY NAME SELECT * FROM (" + sql + ")");
}

Status StateStore::Evict(int64_t event_time_us) {
  if (evicted_to_ && *evicted_to_ >= event_time_us) return Status::OK();
  evicted_to_ = event_time_us;
  if (!has_table_) return Status::OK();
  return connection_->Execute("DELETE FROM " + table_ + " WHERE " + kExpiresColumn +
                              " <= " + std::to_string(event_time_us));
}

Status StateStore::Remove(const std::string& ids_sql) {
  if (!has_table_) return Status::OK();
  const std::string removed = table_ + "_removed";
  const std::string select = "SELECT * FROM (" + ids_sql + ")";
  SLUICE_RETURN_IF_ERROR(connection_->Execute(has_removed_ ? "INSERT INTO " + removed + " " + select
                                                           : "CREATE OR REPLACE TEMP TABLE " +
                                                                 removed + " AS " + select));
  has_removed_ = true;
  return connection_->Execute("DELETE FROM " + table_ + " WHERE " + kRowIdColumn +
                              " IN (SELECT * FROM " + removed + ")");
}

Status StateStore::WriteParquet(const std::string& select_sql, const std::string& path) {
  // Written aside and renamed: a reader never sees half a file.
  const std::string temporary = path + ".tmp";
  SLUICE_RETURN_IF_ERROR(connection_->Execute("COPY (" + select_sql + ") TO " +
                                              QuoteLiteral(temporary) + " (FORMAT parquet)"));
  return fs_->Rename(temporary, path);
}

Result<int64_t> StateStore::CountRows() const {
  if (!has_table_) return int64_t{0};
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result,
                          connection_->Query("SELECT count(*) FROM " + table_));
  SLUICE_ASSIGN_OR_RETURN(engine::Value count, result.Scalar());
  return std::get<int64_t>(count.data);
}

Status StateStore::Commit(const std::string& metadata) {
  const int64_t version = info_.version + 1;
  SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(dir_));
  nlohmann::json info;
  info["version"] = version;
  const bool delta = has_staged_;
  if (delta) {
    SLUICE_RETURN_IF_ERROR(
        WriteParquet("SELECT * FROM " + staged_, Path(version, "delta.parquet")));
    SLUICE_RETURN_IF_ERROR(connection_->Execute("DROP TABLE " + staged_));
    has_staged_ = false;
  }
  info["delta"] = delta;
  info["removed"] = has_removed_;
  if (has_removed_) {
    const std::string removed = table_ + "_removed";
    SLUICE_RETURN_IF_ERROR(
        WriteParquet("SELECT * FROM " + removed, Path(version, "removed.parquet")));
    SLUICE_RETURN_IF_ERROR(connection_->Execute("DROP TABLE " + removed));
    has_removed_ = false;
  }
  const bool snapshot = has_table_ && version % kSnapshotInterval == 0;
  if (snapshot) {
    SLUICE_RETURN_IF_ERROR(
        WriteParquet("SELECT * FROM " + table_, Path(version, "snapshot.parquet")));
  }
  SLUICE_SYNC_POINT("state.files_written");
  const int64_t evicted_to = evicted_to_.value_or(info_.evicted_to);
  info["evicted_to"] = evicted_to;
  SLUICE_ASSIGN_OR_RETURN(int64_t rows, CountRows());
  info["rows"] = rows;
  // The bytes a reader loads for this version: the newest snapshot and the deltas after it.
  int64_t bytes = 0;
  for (int64_t v = version; v >= 1; --v) {
    const bool has_snapshot = v == version ? snapshot : fs_->Exists(Path(v, "snapshot.parquet"));
    const std::string file = Path(v, has_snapshot ? "snapshot.parquet" : "delta.parquet");
    auto stat = fs_->Stat(file);
    if (stat.ok()) bytes += stat->size;
    if (has_snapshot) break;
  }
  info["bytes"] = bytes;
  nlohmann::json operator_metadata = nlohmann::json::parse(metadata, nullptr, false);
  info["metadata"] =
      operator_metadata.is_discarded() ? nlohmann::json::object() : operator_metadata;
  SLUICE_RETURN_IF_ERROR(fs_->WriteFile(Path(version, "json"), info.dump()));
  info_.version = version;
  info_.evicted_to = evicted_to;
  info_.rows = rows;
  info_.bytes = bytes;
  info_.metadata = info["metadata"].dump();
  evicted_to_.reset();
  if (snapshot) SLUICE_RETURN_IF_ERROR(Cleanup(version - kSnapshotInterval));
  return Status::OK();
}

Status StateStore::Cleanup(int64_t keep_from) {
  auto listing = fs_->ListDirectory(dir_);
  if (!listing.ok()) return Status::OK();
  for (const io::FileInfo& file : *listing) {
    const size_t dot = file.name.find('.');
    if (dot == std::string::npos) continue;
    auto version = ParseInt64(file.name.substr(0, dot));
    if (version && *version < keep_from) {
      SLUICE_RETURN_IF_ERROR(fs_->DeleteFile(dir_ + "/" + file.name));
    }
  }
  return Status::OK();
}

}  // namespace sluice::streaming
