// Session::History: the commits of a table as rows, newest first, in the columns of
// Spark's DESCRIBE HISTORY that a local table has.
#include <string>
#include <vector>

#include "api/session_internal.h"
#include "common/time_format.h"
#include "delta/history.h"
#include "delta/json_tree.h"

namespace sluice {
namespace {

// The compact JSON of `key` in the commitInfo object, as written (so that non-string
// parameter values keep their types); NULL when the key or the commitInfo is absent.
Cell RawMember(const delta::json_tree::Node* commit_info, const char* key) {
  if (commit_info == nullptr) return Cell{};
  const delta::json_tree::Node* member = commit_info->Find(key);
  if (member == nullptr || member->is_null()) return Cell{};
  return Cell{delta::json_tree::ToCompactJson(*member)};
}

template <typename T>
Cell OptionalCell(const std::optional<T>& value) {
  if (!value) return Cell{};
  return Cell{*value};
}

}  // namespace

Result<Rows> Session::History(const std::string& path, std::optional<int64_t> limit) {
  SLUICE_ASSIGN_OR_RETURN(std::string root, api::NormalizeTablePath(path));
  if (limit && *limit < 0) return InvalidArgument("limit must not be negative, not ", *limit);
  SLUICE_ASSIGN_OR_RETURN(std::vector<delta::HistoryEntry> entries,
                          delta::ReadHistory(*impl_->context.fs, root, limit));
  Rows rows;
  rows.column_names = {"version",     "timestamp",     "operation",  "operationParameters",
                       "readVersion", "isBlindAppend", "engineInfo", "operationMetrics"};
  rows.column_types = {"BIGINT", "VARCHAR", "VARCHAR", "JSON",
                       "BIGINT", "BOOLEAN", "VARCHAR", "JSON"};
  for (const delta::HistoryEntry& entry : entries) {
    std::optional<delta::json_tree::Node> tree;
    delta::CommitInfoFields fields;
    if (entry.commit_info) {
      Result<delta::json_tree::Node> parsed = delta::json_tree::Parse(entry.commit_info->json());
      if (!parsed.ok()) {
        return Corruption(root, ": commitInfo of version ", entry.version, ": ",
                          parsed.status().message());
      }
      tree = std::move(*parsed);
      fields = entry.commit_info->Fields();
    }
    const delta::json_tree::Node* info = tree ? &*tree : nullptr;
    rows.rows.push_back({
        Cell{entry.version},
        Cell{FormatTimestampMillis(entry.timestamp_ms)},
        OptionalCell(fields.operation),
        RawMember(info, "operationParameters"),
        OptionalCell(fields.read_version),
        OptionalCell(fields.is_blind_append),
        OptionalCell(fields.engine_info),
        RawMember(info, "operationMetrics"),
    });
  }
  return rows;
}

}  // namespace sluice
