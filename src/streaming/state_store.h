// The versioned state of one stateful streaming operator: the rows it keeps between
// batches (for a windowed aggregation, the input rows of windows still open; for
// deduplication, the keys seen), each with the event time after which it may go
// (`__expires_us`, microseconds since the epoch).
//
// Layout under the operator's folder (docs/streaming.md):
//   <v>.delta.parquet     the rows batch v-1 added (absent when it added none)
//   <v>.removed.parquet   the __row_id of the rows batch v-1 removed by Remove
//   <v>.snapshot.parquet  all rows of version v, instead of its delta, when the deltas
//                         since the last snapshot would hold as many rows as the state (or
//                         10 versions have passed): loading reads about twice the state
//   <v>.json              written last, the version's commit: {"version": v, "snapshot",
//                         "delta", "removed", "chain_rows", "evicted_to": t, "rows": n,
//                         "bytes": b, "metadata": {...the operator's...}}
//
// Version v is the state after batch v-1, as in Spark's state stores. Loading version v
// reads the newest snapshot at or below v and replays the deltas after it: each adds its
// rows, drops those it removed by id, then those with __expires_us <= its evicted_to. When
// no version of the chain removed rows by id, the files are read in one query that drops
// each file's rows evicted at or after its version. A
// delta holds only the rows its version kept. A batch
// writes its version before its data commits, so after a crash in between the batch runs again from
// the version before and writes the same version anew; versions above the one loaded are never
// read.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/engine.h"
#include "io/file_system.h"

namespace sluice::streaming {

// The column every state row carries: the event time at or below which the watermark
// evicts it.
inline constexpr const char* kExpiresColumn = "__expires_us";
// The column of rows that Remove drops by id.
inline constexpr const char* kRowIdColumn = "__row_id";

struct StateVersionInfo {
  int64_t version = 0;
  int64_t evicted_to = INT64_MIN;
  int64_t rows = 0;
  int64_t bytes = 0;
  std::string metadata = "{}";  // JSON object, the operator's own
};

class StateStore {
 public:
  // Loads `version` of the store in `dir` into the temporary table `table` on
  // `connection` (version 0, or a folder without versions: no rows, and no table until
  // the first Put). A missing or unreadable file of the chain is DataLoss naming it.
  static Result<StateStore> Load(io::FileSystem& fs, engine::Connection& connection,
                                 std::string dir, std::string table, int64_t version);

  // The temporary table with the rows of the loaded (and since staged) version; exists
  // once some version had rows or Put was called.
  const std::string& table() const { return table_; }
  bool has_table() const { return has_table_; }
  const StateVersionInfo& info() const { return info_; }

  // Adds the rows of `sql` (which end with an __expires_us BIGINT column) to the table.
  Status Put(const std::string& sql);
  // How many rows the last Put added.
  int64_t last_put_rows() const { return last_put_rows_; }
  // Drops the rows with __expires_us <= `event_time_us`.
  Status Evict(int64_t event_time_us);
  // Drops the rows whose __row_id (a BIGINT column the operator gives its rows) is among
  // those `ids_sql` returns (one column); for operators whose rows leave the state by a
  // rule of their own (session windows: when their session closes).
  Status Remove(const std::string& ids_sql);
  // Writes version info().version + 1: the rows Put since the last commit as a delta (and
  // a snapshot every 10 versions), then its commit file with `metadata`.
  Status Commit(const std::string& metadata);
  // Deletes the files of versions that no version at or after `keep_from` needs.
  Status Cleanup(int64_t keep_from);

 private:
  StateStore(io::FileSystem& fs, engine::Connection& connection, std::string dir, std::string table)
      : fs_(&fs), connection_(&connection), dir_(std::move(dir)), table_(std::move(table)) {}
  std::string Path(int64_t version, const char* kind) const;
  Status ReadFileInto(const std::string& path, bool create);
  // Loads the chain of versions `first`, first + 1, ... (their commit files) in one
  // statement when none removed rows by id; false when it did not (then they are replayed
  // one by one).
  bool ReadChainAtOnce(const std::vector<nlohmann::json>& chain, int64_t first);
  Status WriteParquet(const std::string& select_sql, const std::string& path);
  // Deletes the rows matching `where` (" WHERE ...") from the table and the staged rows,
  // keeping the counts.
  Status Delete(const std::string& where);
  // Runs a statement that changes rows and returns how many it changed.
  Result<int64_t> ExecuteCount(const std::string& sql);

  io::FileSystem* fs_;
  engine::Connection* connection_;
  std::string dir_;
  std::string table_;
  std::string staged_;  // temporary table of the rows Put since the last commit
  bool has_table_ = false;
  bool has_staged_ = false;
  bool has_removed_ = false;           // a table of the ids Remove dropped since the last commit
  std::optional<int64_t> evicted_to_;  // Evict since the last commit
  int64_t last_snapshot_ = 0;          // the newest snapshot's version (0: none)
  int64_t chain_rows_ = 0;             // rows in the deltas after it
  int64_t last_put_rows_ = 0;
  int64_t rows_ = 0;         // rows in the table
  int64_t staged_rows_ = 0;  // rows in the staged table
  StateVersionInfo info_;
};

}  // namespace sluice::streaming
