// A summary of each update in a pipeline's event log, kept in memory by the web UI and
// brought up to date by reading only the events appended since it last looked.
//
// The pages need the list of updates on every load, and the events of one update (or of the
// last few) far more often than the whole log. With the summaries at hand, a page reads the
// event log within an update's time range only, which skips the files of other updates; a
// log of a thousand updates then costs a page what a log of one does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "sluice/pipeline.h"

namespace sluice::ui {

struct UpdateSummary {
  std::string update_id;
  std::string state;  // the last update_progress state
  std::string cause;  // create_update's cause
  bool full_refresh = false;
  int64_t start_us = 0;  // the update's first and last event times, UTC microseconds
  int64_t end_us = 0;
  int64_t output_rows = 0;  // summed over the flows' terminal progress events
  int64_t flows = 0;        // flows with progress events
  int64_t failed_flows = 0;
  int64_t events = 0;
};

class UpdateIndex {
 public:
  // Brings the summaries up to date. The first call aggregates the whole log; later calls
  // read the events at or after the newest time seen (less a minute, for clocks of other
  // processes) and summarize again each update those events belong to.
  Status Refresh(Pipeline& pipeline);

  // Newest (by start) first.
  const std::vector<UpdateSummary>& updates() const { return updates_; }
  const UpdateSummary* Find(const std::string& update_id) const;

  // A predicate over event_log that selects the update's events: its id, and its time range,
  // which lets the scan skip the files of other updates.
  static std::string EventsOf(const UpdateSummary& update);
  // A predicate selecting the events of the newest `count` updates, or "" for all.
  std::string EventsOfNewest(size_t count) const;
  // A predicate selecting at least the newest `count` events of the log, or "" for all.
  std::string AtLeastNewestEvents(int64_t count) const;

 private:
  // Summarizes the updates of the events passing `where` ("" for all) and puts them in place
  // of what the index had for them.
  Status Summarize(Pipeline& pipeline, const std::string& where);

  bool built_ = false;
  int64_t newest_us_ = 0;               // the newest event time seen
  std::vector<UpdateSummary> updates_;  // newest first
};

}  // namespace sluice::ui
