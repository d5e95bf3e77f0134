// Spark's time zone ids (DateTimeUtils.getZoneId: java.time's ZoneId.of with its short ids,
// after Spark's rewriting of +h:mm and +hh:m), as DuckDB's ICU time zones can use them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace sluice::spark {

struct SparkZone {
  // A fixed offset (+08:00, UTC-5, EST): its seconds east of UTC; nullopt for a region.
  std::optional<int> offset_seconds;
  // The region's id (America/Los_Angeles), for DuckDB's timezone(); empty for an offset.
  std::string region;
};

// The zone of a Spark time zone id, or InvalidArgument for an id Spark rejects.
Result<SparkZone> ResolveSparkZone(std::string_view id);

}  // namespace sluice::spark
