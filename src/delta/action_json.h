// The JSON form of Delta actions: reading commit files (newline-delimited JSON, one action per
// line) and writing one action as one compact line in Spark's key order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "delta/actions.h"

namespace sluice::delta {

// Parses the content of a commit file (or a JSON checkpoint, or a log compaction file).
//
// Each non-blank line is one JSON object whose keys name actions ("add", "remove", ...).
// Unknown action keys, unknown fields and actions whose value is null are ignored; a line with
// several non-null actions yields all of them in order. Optional fields given as JSON null
// read as absent. For checkpoint rows converted to JSON, an "add" without "stats" but with a
// "stats_parsed" object gets that object's JSON text as its stats, and a map may also be given
// as an array of {"key":...,"value":...} entries.
//
// Errors are Corruption naming `source_path`, the 1-based line number and the problem, e.g.
// "<path> line 3: invalid JSON: ..." or "<path> line 2: add lacks required field 'size'".
Result<std::vector<Action>> ParseActions(std::string_view ndjson, std::string_view source_path);

// One action as one compact JSON line without the trailing newline, e.g.
// {"add":{"path":"a.parquet","partitionValues":{},"size":1,"modificationTime":2,
// "dataChange":true}}. Absent optional fields are omitted; a commitInfo is written from its
// JSON text unchanged.
std::string SerializeAction(const Action& action);

// The content of a commit file: each action's line followed by '\n'.
std::string SerializeActions(const std::vector<Action>& actions);

}  // namespace sluice::delta
