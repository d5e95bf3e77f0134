#include "streaming/state_store.h"

#include <algorithm>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

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
  if (version <= 0) {
    SLUICE_RETURN_IF_ERROR(connection.Execute("DROP TABLE IF EXISTS " + store.table_));
    return store;
  }
  auto read_info = [&](int64_t v) -> Result<nlohmann::json> {
    const std::string path = store.Path(v, "json");
    auto text = fs.ReadFile(path);
    if (!text.ok()) {
      return Corruption("the state version " + std::to_string(v) + " (" + path +
                        ") is missing: " + text.status().message() +
                        "; reset the flow's checkpoint (or fully refresh its table) to rebuild it");
    }
    return ParseInfo(*text, path);
  };
  // The newest version at or below `version` that is a snapshot (its commit file says so,
  // so that a snapshot file left by a crashed commit is never read), then the deltas after
  // it.
  std::vector<nlohmann::json> chain;
  int64_t first = version;
  bool found = false;
  for (; first >= 1 && !found; --first) {
    SLUICE_ASSIGN_OR_RETURN(nlohmann::json info, read_info(first));
    found = info.value("snapshot", false);
    chain.push_back(std::move(info));
  }
  ++first;  // the oldest version read
  std::reverse(chain.begin(), chain.end());
  const bool read_at_once = store.ReadChainAtOnce(chain, first);
  for (size_t i = 0; i < chain.size() && !read_at_once; ++i) {
    const int64_t v = first + static_cast<int64_t>(i);
    const nlohmann::json& info = chain[i];
    if (info.value("snapshot", false)) {
      SLUICE_RETURN_IF_ERROR(store.ReadFileInto(store.Path(v, "snapshot.parquet"), true));
      continue;
    }
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
  const nlohmann::json& info = chain.back();
  store.chain_rows_ = info.value("chain_rows", int64_t{0});
  store.last_snapshot_ = found ? first : 0;
  store.info_.version = version;
  store.info_.evicted_to = info.value("evicted_to", INT64_MIN);
  store.info_.rows = info.value("rows", int64_t{0});
  store.rows_ = store.info_.rows;
  // A table left on the connection by an earlier load is not this version's.
  if (!store.has_table_) {
    SLUICE_RETURN_IF_ERROR(connection.Execute("DROP TABLE IF EXISTS " + store.table_));
  }
  store.info_.bytes = info.value("bytes", int64_t{0});
  store.info_.metadata = info.contains("metadata") ? info["metadata"].dump() : "{}";
  return store;
}

bool StateStore::ReadChainAtOnce(const std::vector<nlohmann::json>& chain, int64_t first) {
  std::vector<std::string> files;
  std::vector<std::optional<int64_t>> thresholds;  // of each file
  std::optional<int64_t> threshold;                // the evictions from a version on
  for (size_t i = chain.size(); i-- > 0;) {
    const nlohmann::json& info = chain[i];
    if (info.value("removed", false)) return false;
    if (info.contains("evicted_to")) {
      const int64_t evicted_to = info["evicted_to"].get<int64_t>();
      threshold = std::max(threshold.value_or(evicted_to), evicted_to);
    }
    const int64_t version = first + static_cast<int64_t>(i);
    const char* kind = info.value("snapshot", false) ? "snapshot.parquet"
                       : info.value("delta", false)  ? "delta.parquet"
                                                     : nullptr;
    if (kind == nullptr) continue;
    files.insert(files.begin(), Path(version, kind));
    thresholds.insert(thresholds.begin(), threshold);
  }
  if (files.empty()) return false;
  // A row stays unless an eviction at or after its file's version covers it (NULL: never).
  std::string evicted;
  if (std::adjacent_find(thresholds.begin(), thresholds.end(), std::not_equal_to<>()) ==
      thresholds.end()) {
    if (thresholds.front()) evicted = std::to_string(*thresholds.front());
  } else {
    evicted = "CASE __sluice_state_file";
    for (size_t i = 0; i < files.size(); ++i) {
      if (thresholds[i]) {
        evicted += " WHEN " + QuoteLiteral(files[i]) + " THEN " + std::to_string(*thresholds[i]);
      }
    }
    evicted += " END";
  }
  std::vector<std::string> quoted;
  for (const std::string& file : files) quoted.push_back(QuoteLiteral(file));
  std::string sql = "CREATE OR REPLACE TEMP TABLE " + table_ +
                    " AS SELECT * EXCLUDE (__sluice_state_file) FROM read_parquet([" +
                    Join(quoted, ", ") +
                    "], union_by_name = true, filename = '__sluice_state_file')";
  if (!evicted.empty()) {
    sql += " WHERE NOT coalesce(" + std::string(kExpiresColumn) + " <= " + evicted + ", false)";
  }
  // An unreadable file: the replay file by file names it.
  if (!connection_->Execute(sql).ok()) return false;
  has_table_ = true;
  return true;
}

Status StateStore::ReadFileInto(const std::string& path, bool create) {
  const std::string read = "SELECT * FROM read_parquet(" + QuoteLiteral(path) + ")";
  Status status =
      create ? connection_->Execute("CREATE OR REPLACE TEMP TABLE " + table_ + " AS " + read)
             : connection_->Execute("INSERT INTO " + table_ + " BY NAME " + read);
  if (!status.ok()) {
    return Corruption("the state file " + path + " cannot be read: " + status.message() +
                      "; reset the flow's checkpoint (or fully refresh its table) to rebuild it");
  }
  has_table_ = true;
  return Status::OK();
}

Result<int64_t> StateStore::ExecuteCount(const std::string& sql) {
  SLUICE_ASSIGN_OR_RETURN(engine::QueryResult result, connection_->Query(sql));
  // DuckDB answers CREATE TABLE AS, INSERT and DELETE with the number of rows they changed.
  if (result.row_count() == 1 && result.column_count() == 1 && !result.at(0, 0).is_null()) {
    if (const auto* count = std::get_if<int64_t>(&result.at(0, 0).data)) return *count;
  }
  return Internal("no row count from: " + sql.substr(0, 80));
}

Status StateStore::Put(const std::string& sql) {
  if (staged_.empty()) staged_ = table_ + "_staged";
  const std::string select = "SELECT * FROM (" + sql + ")";
  std::string rows = staged_;
  if (has_staged_) {
    // The rows are computed once, then copied to the staged rows and the state.
    rows = table_ + "_put";
    SLUICE_ASSIGN_OR_RETURN(last_put_rows_,
                            ExecuteCount("CREATE OR REPLACE TEMP TABLE " + rows + " AS " + select));
    SLUICE_RETURN_IF_ERROR(
        connection_->Execute("INSERT INTO " + staged_ + " BY NAME SELECT * FROM " + rows));
  } else {
    SLUICE_ASSIGN_OR_RETURN(
        last_put_rows_, ExecuteCount("CREATE OR REPLACE TEMP TABLE " + staged_ + " AS " + select));
    has_staged_ = true;
  }
  SLUICE_RETURN_IF_ERROR(connection_->Execute(
      has_table_ ? "INSERT INTO " + table_ + " BY NAME SELECT * FROM " + rows
                 : "CREATE TEMP TABLE " + table_ + " AS SELECT * FROM " + rows));
  has_table_ = true;
  rows_ += last_put_rows_;
  staged_rows_ += last_put_rows_;
  if (rows != staged_) SLUICE_RETURN_IF_ERROR(connection_->Execute("DROP TABLE " + rows));
  return Status::OK();
}

Status StateStore::Evict(int64_t event_time_us) {
  if (evicted_to_ && *evicted_to_ >= event_time_us) return Status::OK();
  evicted_to_ = event_time_us;
  if (!has_table_) return Status::OK();
  return Delete(" WHERE " + std::string(kExpiresColumn) + " <= " + std::to_string(event_time_us));
}

Status StateStore::Delete(const std::string& where) {
  SLUICE_ASSIGN_OR_RETURN(int64_t deleted, ExecuteCount("DELETE FROM " + table_ + where));
  rows_ -= deleted;
  // The staged rows become the version's delta: a reader replaying it would drop these.
  if (has_staged_) {
    SLUICE_ASSIGN_OR_RETURN(deleted, ExecuteCount("DELETE FROM " + staged_ + where));
    staged_rows_ -= deleted;
  }
  return Status::OK();
}

Status StateStore::Remove(const std::string& ids_sql) {
  if (!has_table_) return Status::OK();
  const std::string removed = table_ + "_removed";
  const std::string select = "SELECT * FROM (" + ids_sql + ")";
  SLUICE_RETURN_IF_ERROR(connection_->Execute(has_removed_ ? "INSERT INTO " + removed + " " + select
                                                           : "CREATE OR REPLACE TEMP TABLE " +
                                                                 removed + " AS " + select));
  has_removed_ = true;
  return Delete(" WHERE " + std::string(kRowIdColumn) + " IN (SELECT * FROM " + removed + ")");
}

Status StateStore::WriteParquet(const std::string& select_sql, const std::string& path) {
  // Written in place: only the version's JSON, written after its files, makes them part of
  // it, and a version's files are rewritten only while its JSON is not needed (the batch
  // that writes it runs again from the version before).
  return connection_->Execute("COPY (" + select_sql + ") TO " + QuoteLiteral(path) +
                              " (FORMAT parquet)");
}

Status StateStore::Commit(const std::string& metadata) {
  const int64_t version = info_.version + 1;
  SLUICE_RETURN_IF_ERROR(fs_->CreateDirectories(dir_));
  const int64_t evicted_to = evicted_to_.value_or(info_.evicted_to);
  const int64_t rows = rows_;
  // The rows this version adds: the staged rows, less those it already evicted or removed.
  const std::string added = "SELECT * FROM " + staged_;
  const int64_t added_rows = has_staged_ ? staged_rows_ : 0;
  // A snapshot when the deltas to replay would hold as many rows as the state itself (or
  // every 10 versions), so that loading reads at most about twice the state.
  const bool snapshot = has_table_ && (version - last_snapshot_ >= kSnapshotInterval ||
                                       chain_rows_ + added_rows >= rows);
  nlohmann::json info;
  info["version"] = version;
  info["snapshot"] = snapshot;
  info["delta"] = false;
  info["removed"] = false;
  if (snapshot) {
    SLUICE_RETURN_IF_ERROR(
        WriteParquet("SELECT * FROM " + table_, Path(version, "snapshot.parquet")));
  } else {
    // A snapshot file of this version left by a crashed commit is not part of it.
    if (fs_->Exists(Path(version, "snapshot.parquet"))) {
      SLUICE_RETURN_IF_ERROR(fs_->DeleteFile(Path(version, "snapshot.parquet")));
    }
    if (added_rows > 0) {
      SLUICE_RETURN_IF_ERROR(WriteParquet(added, Path(version, "delta.parquet")));
      info["delta"] = true;
    }
    if (has_removed_) {
      SLUICE_RETURN_IF_ERROR(
          WriteParquet("SELECT * FROM " + table_ + "_removed", Path(version, "removed.parquet")));
      info["removed"] = true;
    }
  }
  if (has_staged_) SLUICE_RETURN_IF_ERROR(connection_->Execute("DROP TABLE " + staged_));
  if (has_removed_)
    SLUICE_RETURN_IF_ERROR(connection_->Execute("DROP TABLE " + table_ + "_removed"));
  has_staged_ = false;
  has_removed_ = false;
  staged_rows_ = 0;
  SLUICE_SYNC_POINT("state.files_written");
  const int64_t chain_rows = snapshot ? 0 : chain_rows_ + added_rows;
  info["chain_rows"] = chain_rows;
  info["evicted_to"] = evicted_to;
  info["rows"] = rows;
  // The bytes a reader loads for this version: the newest snapshot and the deltas after it.
  const int64_t base = snapshot ? version : last_snapshot_;
  int64_t bytes = 0;
  for (int64_t v = std::max<int64_t>(base, 1); v <= version; ++v) {
    for (const char* kind : {"snapshot.parquet", "delta.parquet", "removed.parquet"}) {
      if (v != base && std::string(kind) == "snapshot.parquet") continue;
      if (v == base && std::string(kind) != "snapshot.parquet") continue;
      auto stat = fs_->Stat(Path(v, kind));
      if (stat.ok()) bytes += stat->size;
    }
  }
  info["bytes"] = bytes;
  nlohmann::json operator_metadata = nlohmann::json::parse(metadata, nullptr, false);
  info["metadata"] =
      operator_metadata.is_discarded() ? nlohmann::json::object() : operator_metadata;
  SLUICE_RETURN_IF_ERROR(fs_->WriteFile(Path(version, "json"), info.dump()));
  const int64_t previous_snapshot = last_snapshot_;
  info_.version = version;
  info_.evicted_to = evicted_to;
  info_.rows = rows;
  info_.bytes = bytes;
  info_.metadata = info["metadata"].dump();
  evicted_to_.reset();
  chain_rows_ = chain_rows;
  if (snapshot) {
    last_snapshot_ = version;
    // Loading the version before this one (a batch run again after a crash) starts from
    // the snapshot before this one: the files before that go.
    SLUICE_RETURN_IF_ERROR(Cleanup(previous_snapshot));
  }
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
