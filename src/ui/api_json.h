// The JSON documents of the web UI's API (docs/ui.md), built over the public API: the
// pipeline's graph, and SQL over its event log, datasets and Delta history. Each function
// answers one endpoint; arguments that reach SQL are checked first (update ids, names the
// graph knows, event types and levels from fixed lists), so no request text is ever
// spliced into a query. The update index, brought up to date by the caller, lists the
// updates and bounds each query to the time range of the updates it is about. Not
// thread-safe: a Pipeline is used by one thread at a time.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "sluice/pipeline.h"
#include "sluice/table.h"
#include "ui/update_index.h"

namespace sluice::ui {

// GET /api/pipelines/{p}/graph: the datasets and flows with what they did in `update_id`
// (the latest update when empty).
Result<nlohmann::json> GraphJson(Pipeline& pipeline, const UpdateIndex& index,
                                 const std::string& update_id);

// GET /api/pipelines/{p}/updates: the newest `limit` updates, newest first.
Result<nlohmann::json> UpdatesJson(const UpdateIndex& index, int64_t limit);

// GET /api/pipelines/{p}/updates/{id}: the update's flows (timeline) and events.
// NotFound when the event log has no such update.
Result<nlohmann::json> UpdateJson(Pipeline& pipeline, const UpdateIndex& index,
                                  const std::string& update_id);

struct EventFilter {
  std::string update_id;  // "" = every update
  std::string type;       // "" = every event_type
  std::string level;      // "" = every level
  std::string flow;       // "" = every flow
  int64_t limit = 1000;
};
// GET /api/pipelines/{p}/events: the newest `limit` events that pass, oldest first.
Result<nlohmann::json> EventsJson(Pipeline& pipeline, const UpdateIndex& index,
                                  const EventFilter& filter);

// GET /api/pipelines/{p}/quality: each expectation's counts in the last `last` updates.
Result<nlohmann::json> QualityJson(Pipeline& pipeline, const UpdateIndex& index, int64_t last);

// GET /api/pipelines/{p}/datasets/{name}. NotFound for a name the graph lacks.
Result<nlohmann::json> DatasetJson(Pipeline& pipeline, Session& session, const UpdateIndex& index,
                                   const std::string& name);

// GET /api/pipelines/{p}/datasets/{name}/rows: up to `limit` rows at `version` (latest when
// unset).
Result<nlohmann::json> RowsJson(Pipeline& pipeline, const std::string& name,
                                std::optional<int64_t> version, int64_t limit);

// Whether `id` has the form of an update id (letters, digits and dashes).
bool IsUpdateId(const std::string& id);

}  // namespace sluice::ui
