#include "delta/checkpoint_reader.h"

#include <set>

#include "common/strings.h"

namespace sluice::delta {
namespace {

// Action columns of the checkpoint schema, in the order replay expects nothing of.
constexpr const char* kActionColumns[] = {
    "protocol",       "metaData",           "txn",    "add", "remove",
    "domainMetadata", "checkpointMetadata", "sidecar"};

std::string ParquetList(const std::vector<std::string>& paths) {
  std::vector<std::string> quoted;
  quoted.reserve(paths.size());
  for (const std::string& path : paths) quoted.push_back(QuoteLiteral(path));
  return "[" + Join(quoted, ", ") + "]";
}

}  // namespace

Result<std::vector<Action>> ReadParquetActions(engine::Connection& connection,
                                               const std::vector<std::string>& paths) {
  if (paths.empty()) return std::vector<Action>{};
  // Parts of a multi-part checkpoint or sidecars may differ in columns; one file needs no
  // schema unification (which costs a footer read per file at bind time).
  std::string source = "read_parquet(" + ParquetList(paths) +
                       (paths.size() > 1 ? ", union_by_name = true)" : ")");
  std::string where = paths.size() == 1 ? paths.front() : paths.front() + " and others";

  Result<engine::QueryResult> columns = connection.Query("DESCRIBE SELECT * FROM " + source);
  if (!columns.ok()) {
    return Corruption(where, ": cannot read checkpoint: ", columns.status().message());
  }
  std::set<std::string> present;
  for (const auto& row : columns->rows()) present.insert(row[0].ToString());

  // One pass over the files: each row holds exactly one non-null action column.
  std::vector<std::string> cases;
  for (const char* column : kActionColumns) {
    if (!present.count(column)) continue;
    std::string quoted = QuoteIdentifier(column);
    cases.push_back("WHEN " + quoted + " IS NOT NULL THEN json_object(" + QuoteLiteral(column) +
                    ", " + quoted + ")::VARCHAR");
  }
  if (cases.empty()) {
    return Corruption(where, ": not a Delta checkpoint: it has none of the action columns");
  }
  Result<engine::QueryResult> rows =
      connection.Query("SELECT action FROM (SELECT CASE " + Join(cases, " ") +
                       " END AS action FROM " + source + ") WHERE action IS NOT NULL");
  if (!rows.ok()) {
    return Corruption(where, ": cannot read checkpoint: ", rows.status().message());
  }
  std::string lines;
  for (const auto& row : rows->rows()) {
    lines += row[0].ToString();
    lines += '\n';
  }
  return ParseActions(lines, where);
}

Result<std::vector<Action>> ReadCheckpointActions(io::FileSystem& fs,
                                                  engine::Connection& connection,
                                                  const LogSegment& segment) {
  if (segment.checkpoint.empty()) return std::vector<Action>{};
  const LogFile& first = segment.checkpoint.front();
  std::vector<Action> actions;
  if (first.kind == LogFileKind::kV2Checkpoint && EndsWith(first.path, ".json")) {
    SLUICE_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(first.path));
    SLUICE_ASSIGN_OR_RETURN(actions, ParseActions(text, first.path));
  } else {
    std::vector<std::string> paths;
    for (const LogFile& part : segment.checkpoint) paths.push_back(part.path);
    SLUICE_ASSIGN_OR_RETURN(actions, ReadParquetActions(connection, paths));
  }

  // A v2 checkpoint (UUID-named, or classic-named on a v2Checkpoint table) may keep its
  // add and remove actions in sidecar files that it lists.
  std::vector<std::string> sidecars;
  for (const Action& action : actions) {
    if (const auto* sidecar = std::get_if<Sidecar>(&action)) {
      std::string path =
          sidecar->path.find('/') != std::string::npos
              ? sidecar->path
              : io::JoinPath(io::JoinPath(segment.log_dir, "_sidecars"), sidecar->path);
      if (!fs.Exists(path)) {
        return NotFound(first.path, ": sidecar file ", path, " is missing");
      }
      sidecars.push_back(path);
    }
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<Action> file_actions,
                          ReadParquetActions(connection, sidecars));
  actions.insert(actions.end(), std::make_move_iterator(file_actions.begin()),
                 std::make_move_iterator(file_actions.end()));
  return actions;
}

}  // namespace sluice::delta
