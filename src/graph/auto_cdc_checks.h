// The rules an AUTO CDC flow must follow beyond those of every flow (graph.h). Used by
// BuildGraph; errors carry the file, line and column with a caret.
#pragma once

#include <map>
#include <string>

#include "common/status.h"
#include "graph/graph.h"

namespace sluice::graph::internal {

// The flow on its own, before its source is resolved: one source, read with STREAM unless
// FROM SNAPSHOT (and then without); KEYS given, each once; SEQUENCE BY given unless FROM
// SNAPSHOT, where the change clauses (SEQUENCE BY, APPLY AS, IGNORE NULL UPDATES) have no
// meaning; SCD type 1 or 2; APPLY AS TRUNCATE only for type 1, TRACK HISTORY only for type 2.
Status CheckAutoCdcFlow(const Flow& flow);

// The flow against its target: a streaming table declared without a query; when the target
// declares columns, the KEYS are among them and, for SCD type 2, __START_AT and __END_AT too.
Status CheckAutoCdcTarget(const Flow& flow, const Dataset& target);

// The writers of one table (`flows` by lowercase name): an AUTO CDC target is written by
// AUTO CDC flows only, and those agree on KEYS, SCD type and FROM SNAPSHOT.
Status CheckAutoCdcWriters(const Dataset& target, const std::map<std::string, Flow>& flows);

}  // namespace sluice::graph::internal
