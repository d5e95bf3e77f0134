#include "delta/table_properties.h"

#include "common/strings.h"

namespace sluice::delta {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kWeek = 7 * kDay;

std::optional<int64_t> UnitMillisTimes1000(std::string unit) {
  // Returns the unit's length in microseconds, so that sub-millisecond units work.
  if (EndsWith(unit, "s") && unit.size() > 1) unit.pop_back();
  if (unit == "week") return kWeek * 1000;
  if (unit == "day") return kDay * 1000;
  if (unit == "hour") return kHour * 1000;
  if (unit == "minute") return kMinute * 1000;
  if (unit == "second") return kSecond * 1000;
  if (unit == "millisecond") return 1000;
  if (unit == "microsecond") return 1;
  return std::nullopt;
}

int64_t IntervalProperty(const Configuration& configuration, const std::string& key,
                         int64_t fallback) {
  auto it = configuration.find(key);
  if (it == configuration.end()) return fallback;
  Result<int64_t> millis = ParseIntervalMillis(it->second);
  return millis.ok() ? *millis : fallback;
}

}  // namespace

Result<int64_t> ParseIntervalMillis(const std::string& text) {
  std::vector<std::string> words;
  for (const std::string& word : Split(ToLower(Trim(text)), ' ')) {
    if (!word.empty()) words.push_back(word);
  }
  size_t i = 0;
  if (i < words.size() && words[i] == "interval") ++i;
  if (i == words.size() || (words.size() - i) % 2 != 0) {
    return InvalidArgument("invalid interval '", text, "': expected e.g. 'interval 7 days'");
  }
  int64_t micros = 0;
  for (; i < words.size(); i += 2) {
    std::optional<int64_t> count = ParseInt64(words[i]);
    std::optional<int64_t> unit = UnitMillisTimes1000(words[i + 1]);
    if (!count || !unit) {
      return InvalidArgument("invalid interval '", text, "': cannot read '", words[i], " ",
                             words[i + 1], "'");
    }
    micros += *count * *unit;
  }
  return micros / 1000;
}

bool BoolProperty(const Configuration& configuration, const std::string& key, bool fallback) {
  auto it = configuration.find(key);
  if (it == configuration.end()) return fallback;
  return EqualsIgnoreCase(Trim(it->second), "true");
}

int64_t CheckpointInterval(const Configuration& configuration) {
  auto it = configuration.find("delta.checkpointInterval");
  if (it == configuration.end()) return 10;
  std::optional<int64_t> value = ParseInt64(Trim(it->second));
  return value && *value > 0 ? *value : 10;
}

int64_t DeletedFileRetentionMillis(const Configuration& configuration) {
  return IntervalProperty(configuration, "delta.deletedFileRetentionDuration", kWeek);
}

int64_t LogRetentionMillis(const Configuration& configuration) {
  return IntervalProperty(configuration, "delta.logRetentionDuration", 30 * kDay);
}

int64_t TransactionRetentionMillis(const Configuration& configuration) {
  return IntervalProperty(configuration, "delta.setTransactionRetentionDuration", -1);
}

bool InCommitTimestampsEnabled(const Configuration& configuration) {
  return BoolProperty(configuration, "delta.enableInCommitTimestamps", false);
}

bool AppendOnly(const Configuration& configuration) {
  return BoolProperty(configuration, "delta.appendOnly", false);
}

bool ChangeDataFeedEnabled(const Configuration& configuration) {
  return BoolProperty(configuration, "delta.enableChangeDataFeed", false);
}

int64_t TargetFileSize(const Configuration& configuration) {
  auto it = configuration.find("delta.targetFileSize");
  if (it != configuration.end()) {
    std::optional<int64_t> value = ParseInt64(Trim(it->second));
    if (value && *value > 0) return *value;
  }
  return int64_t{128} << 20;
}

}  // namespace sluice::delta
