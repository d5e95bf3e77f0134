// Table properties (`metaData.configuration`) that change how sluice reads and writes a
// table, with Spark's defaults.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace sluice::delta {

using Configuration = std::map<std::string, std::string>;

// Parses Spark's calendar interval text as used by retention properties, e.g.
// "interval 1 week", "interval 7 days", "2 hours", "interval 1 day 12 hours". Months and
// years are refused (they have no fixed length). InvalidArgument names the text.
Result<int64_t> ParseIntervalMillis(const std::string& text);

// delta.checkpointInterval (default 10).
int64_t CheckpointInterval(const Configuration& configuration);
// delta.deletedFileRetentionDuration (default 1 week), in ms.
int64_t DeletedFileRetentionMillis(const Configuration& configuration);
// delta.logRetentionDuration (default 30 days), in ms.
int64_t LogRetentionMillis(const Configuration& configuration);
// delta.setTransactionRetentionDuration, in ms; -1 when unset (keep forever).
int64_t TransactionRetentionMillis(const Configuration& configuration);
// delta.enableInCommitTimestamps.
bool InCommitTimestampsEnabled(const Configuration& configuration);
// delta.appendOnly.
bool AppendOnly(const Configuration& configuration);
// delta.enableChangeDataFeed.
bool ChangeDataFeedEnabled(const Configuration& configuration);
// delta.targetFileSize in bytes (default 128 MiB, sluice's choice for one machine).
int64_t TargetFileSize(const Configuration& configuration);

// Boolean property: "true" (any case) is true; absent gives `fallback`.
bool BoolProperty(const Configuration& configuration, const std::string& key, bool fallback);

}  // namespace sluice::delta
