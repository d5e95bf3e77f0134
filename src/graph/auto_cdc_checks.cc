#include "graph/auto_cdc_checks.h"

#include <algorithm>
#include <vector>

#include "common/strings.h"
#include "sql/diagnostics.h"

namespace sluice::graph::internal {
namespace {

Status Error(const sql::SourceLocation& at, std::string_view message) {
  return InvalidArgument(sql::FormatDiagnostic(at, message));
}

std::string Where(const sql::SourceLocation& at) { return at.file + ":" + std::to_string(at.line); }

std::string Quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

// The source as written, e.g. `LIVE.orders` or `STREAM(orders)`.
std::string SourceText(const Flow& flow) {
  const sql::Reference& source = flow.query.references[0];
  return flow.query.text.substr(source.begin, source.end - source.begin);
}

bool SameKeys(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() != b.size()) return false;
  for (const std::string& key : a) {
    auto same = [&](const std::string& other) { return EqualsIgnoreCase(key, other); };
    if (std::none_of(b.begin(), b.end(), same)) return false;
  }
  return true;
}

std::string Mode(const sql::AutoCdc& cdc) {
  return std::string(cdc.from_snapshot ? "FROM SNAPSHOT" : "FROM STREAM") + ", KEYS (" +
         Join(cdc.keys, ", ") + "), SCD TYPE " + std::to_string(cdc.scd_type);
}

// The one source of a flow, STREAM unless it reads snapshots (a snapshot function reads
// nothing the graph knows of).
Status CheckSource(const Flow& flow) {
  const sql::AutoCdc& cdc = *flow.cdc;
  const std::string name = Quoted(flow.name);
  if (!cdc.snapshot_function.empty()) return Status::OK();
  if (flow.query.references.size() != 1) {
    return Error(cdc.location, "AUTO CDC flow " + name + " must read exactly one source");
  }
  const sql::Reference& source = flow.query.references[0];
  if (!cdc.from_snapshot && !source.streaming) {
    return Error(source.location, "AUTO CDC flow " + name +
                                      " must read its source as a stream: " + "write FROM STREAM(" +
                                      SourceText(flow) + "), or FROM SNAPSHOT " + SourceText(flow) +
                                      " to compare full snapshots");
  }
  if (cdc.from_snapshot && source.streaming) {
    return Error(source.location, "AUTO CDC flow " + name +
                                      " reads a snapshot, which is read in full: remove STREAM");
  }
  return Status::OK();
}

}  // namespace

Status CheckAutoCdcFlow(const Flow& flow) {
  const sql::AutoCdc& cdc = *flow.cdc;
  const std::string name = Quoted(flow.name);
  SLUICE_RETURN_IF_ERROR(CheckSource(flow));
  if (cdc.keys.empty()) {
    return Error(cdc.location,
                 "AUTO CDC flow " + name + " needs KEYS (the columns that identify a row)");
  }
  for (size_t i = 0; i < cdc.keys.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (!EqualsIgnoreCase(cdc.keys[i], cdc.keys[j])) continue;
      const sql::SourceLocation& at =
          i < cdc.key_locations.size() ? cdc.key_locations[i] : cdc.keys_location;
      return Error(at, "key " + Quoted(cdc.keys[i]) + " is listed twice in KEYS");
    }
  }
  if (cdc.from_snapshot) {
    auto refuse = [&](const sql::SourceLocation& at, const std::string& clause) {
      return Error(at, "AUTO CDC flow " + name + " reads a snapshot, which takes no " + clause +
                           ": rows are compared by KEYS with the previous snapshot, and missing "
                           "keys are deletes");
    };
    if (cdc.sequence_by) return refuse(cdc.sequence_by->location, "SEQUENCE BY");
    if (cdc.delete_condition) return refuse(cdc.delete_condition->location, "APPLY AS DELETE");
    if (cdc.truncate_condition) {
      return refuse(cdc.truncate_condition->location, "APPLY AS TRUNCATE");
    }
    if (cdc.ignore_null_updates) return refuse(cdc.location, "IGNORE NULL UPDATES");
  } else if (!cdc.sequence_by) {
    return Error(cdc.location, "AUTO CDC flow " + name +
                                   " needs SEQUENCE BY: the column (or struct(...) of columns) "
                                   "that orders the changes of one key");
  }
  if (cdc.scd_type != 1 && cdc.scd_type != 2) {
    return Error(cdc.stored_as_location.value_or(cdc.location),
                 "AUTO CDC flow " + name + " is stored as SCD type " +
                     std::to_string(cdc.scd_type) + "; the types are 1 and 2");
  }
  if (cdc.truncate_condition && cdc.scd_type == 2) {
    return Error(cdc.truncate_condition->location,
                 "APPLY AS TRUNCATE is supported for SCD type 1 only, and flow " + name +
                     " is STORED AS SCD TYPE 2");
  }
  if (cdc.track_history && cdc.scd_type != 2) {
    return Error(cdc.track_history->location,
                 "TRACK HISTORY ON needs STORED AS SCD TYPE 2; flow " + name +
                     " is stored as SCD type 1, which keeps no history");
  }
  return Status::OK();
}

Status CheckAutoCdcTarget(const Flow& flow, const Dataset& target) {
  const sql::AutoCdc& cdc = *flow.cdc;
  const sql::SourceLocation& at =
      cdc.target_location.line > 0 ? cdc.target_location : flow.location;
  if (target.kind() != sql::DatasetKind::kStreamingTable) {
    return Error(at, "AUTO CDC flow " + Quoted(flow.name) + " writes to " + Quoted(target.name()) +
                         ", but the target of AUTO CDC must be a " +
                         "streaming table declared without a query (CREATE STREAMING TABLE " +
                         target.name() + ")");
  }
  if (target.definition.query) {
    return Error(at, "AUTO CDC flow " + Quoted(flow.name) + " writes to " + Quoted(target.name()) +
                         ", which has a query of its own; declare " +
                         "the target without AS (CREATE STREAMING TABLE " + target.name() +
                         ") so that only AUTO CDC flows write it");
  }
  const std::vector<sql::ColumnDefinition>& columns = target.definition.columns;
  if (columns.empty()) return Status::OK();
  std::vector<std::string> names;
  for (const sql::ColumnDefinition& column : columns) names.push_back(column.name);
  auto declared = [&](const std::string& name) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& column) { return EqualsIgnoreCase(column, name); });
  };
  for (size_t i = 0; i < cdc.keys.size(); ++i) {
    if (declared(cdc.keys[i])) continue;
    std::string message = "key " + Quoted(cdc.keys[i]) + " is not a declared column of " +
                          Quoted(target.name()) + " (" + Join(names, ", ") + ")";
    const std::string nearest = sql::NearestName(cdc.keys[i], names);
    if (!nearest.empty()) message += "; did you mean " + Quoted(nearest) + "?";
    return Error(i < cdc.key_locations.size() ? cdc.key_locations[i] : cdc.keys_location, message);
  }
  if (cdc.scd_type == 2) {
    std::vector<std::string> missing;
    for (const char* column : {"__START_AT", "__END_AT"}) {
      if (!declared(column)) missing.push_back(column);
    }
    if (!missing.empty()) {
      return Error(target.definition.location,
                   Quoted(target.name()) + " declares its columns and is stored as SCD type 2 " +
                       "by flow " + Quoted(flow.name) + ", so it must also declare " +
                       Join(missing, " and ") +
                       " (typed like the SEQUENCE BY value: each version's validity range)");
    }
  }
  return Status::OK();
}

Status CheckAutoCdcWriters(const Dataset& target, const std::map<std::string, Flow>& flows) {
  const Flow* first_cdc = nullptr;
  const Flow* first_append = nullptr;
  for (const std::string& writer : target.flows) {
    const Flow& flow = flows.at(ToLower(writer));
    if (!flow.cdc) {
      if (first_append == nullptr) first_append = &flow;
      continue;
    }
    if (first_cdc == nullptr) {
      first_cdc = &flow;
      continue;
    }
    const sql::AutoCdc& a = *first_cdc->cdc;
    const sql::AutoCdc& b = *flow.cdc;
    if (!SameKeys(a.keys, b.keys) || a.scd_type != b.scd_type ||
        a.from_snapshot != b.from_snapshot) {
      return Error(b.location, "AUTO CDC flows " + Quoted(first_cdc->name) + " (" + Mode(a) +
                                   ") and " + Quoted(flow.name) + " (" + Mode(b) + ") both write " +
                                   Quoted(target.name()) +
                                   "; AUTO CDC flows into one table must agree on the source "
                                   "kind, KEYS and SCD type");
    }
  }
  if (first_cdc != nullptr && first_append != nullptr) {
    return Error(first_append->location,
                 "flow " + Quoted(first_append->name) + " appends to " + Quoted(target.name()) +
                     ", which AUTO CDC flow " + Quoted(first_cdc->name) + " writes (" +
                     Where(first_cdc->location) +
                     "); an AUTO CDC target is written by AUTO CDC flows only");
  }
  return Status::OK();
}

}  // namespace sluice::graph::internal
