// Reading the Change Data Feed of a Delta table (PROTOCOL.md "Change Data Files";
// ../shared/reference/delta-protocol.md, section 10): the rows that a range of commits
// inserted, deleted or updated.
//
// Per commit in the range:
//  * a commit with `cdc` actions contributes exactly the rows of its change data files, with
//    the `_change_type` each row carries (passed through unchanged, so the non-standard
//    `update_pre`/`update_post` some writers used stay as written);
//  * otherwise the live rows of each `add` with dataChange=true are `insert` and those of each
//    `remove` with dataChange=true are `delete` (rows its deletion vector already hid are not
//    live, so they are not deleted again);
//  * an `add` and a `remove` of the same file in one commit only change its deletion vector:
//    rows the new vector marks and the old did not are `delete`, rows the old marked and the
//    new does not are `insert`;
//  * actions with dataChange=false (OPTIMIZE, compaction) contribute nothing.
//
// Rows are returned with the schema of the end version (logical names; columns a file lacks
// read as NULL) followed by `_change_type` VARCHAR, `_commit_version` BIGINT and
// `_commit_timestamp` TIMESTAMP WITH TIME ZONE (the commit's in-commit timestamp when it has
// one, else the commit file's modification time). Rows come in no particular order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "delta/snapshot.h"
#include "engine/engine.h"

namespace sluice::delta {

inline constexpr const char* kChangeTypeColumn = "_change_type";
inline constexpr const char* kCommitVersionColumn = "_commit_version";
inline constexpr const char* kCommitTimestampColumn = "_commit_timestamp";

// A planned read of the feed. `sql` is valid on the connection it was planned with until
// ReleaseChangeDataFeed.
struct ChangeFeedPlan {
  std::string sql;
  int64_t start_version = 0;
  int64_t end_version = 0;
  // The table at the end version; its schema gives the data columns of `sql`.
  SnapshotPtr end_snapshot;
  // Temporary tables (deletion-vector rows) that `sql` reads.
  std::vector<std::string> temp_tables;
};

// Plans the feed of versions `start_version` through `end_version` (inclusive; the latest
// when absent). Errors (each naming the table and the versions):
//  InvalidArgument: a negative start, start after end, start or end after the latest
//    version, or a commit in the range that changes data while `delta.enableChangeDataFeed`
//    is not true for it;
//  NotFound: a commit of the range no longer in the log, or a file it names missing;
//  Corruption: unreadable commits, data files or deletion vectors.
Result<ChangeFeedPlan> PlanChangeDataFeed(const DeltaContext& context,
                                          const std::string& table_root, int64_t start_version,
                                          std::optional<int64_t> end_version = std::nullopt);

// Drops the temporary tables of a plan.
Status ReleaseChangeDataFeed(engine::Connection& connection, const ChangeFeedPlan& plan);

// Plans, runs and releases a read of the feed, returning every row.
Result<engine::QueryResult> ReadChangeDataFeed(const DeltaContext& context,
                                               const std::string& table_root, int64_t start_version,
                                               std::optional<int64_t> end_version = std::nullopt);

}  // namespace sluice::delta
