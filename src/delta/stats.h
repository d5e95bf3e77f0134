// Per-file statistics (add.stats; PROTOCOL.md "Per-file Statistics"; ../shared/reference/
// delta-protocol.md, section 3): parsing them for data skipping, choosing which columns get
// them, turning engine-computed bounds into Spark's JSON form, and writing the JSON.
//
// Keys of the column maps are paths of the names as written in the JSON: physical names under
// column mapping, with nested struct fields as longer paths. A missing entry always means
// "unknown", never "no values".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "delta/schema.h"

namespace sluice::delta {

// One min or max bound as it appears in the stats JSON.
struct StatsValue {
  enum class Kind { kNumber, kString, kBoolean };

  Kind kind = Kind::kNumber;
  // kNumber: the JSON number as written ("123.45", "1.0E20": never passed through a double);
  // kString: the decoded string (dates, timestamps, strings); kBoolean: "true" or "false".
  std::string text;

  static StatsValue Number(std::string json_number) {
    return StatsValue{Kind::kNumber, std::move(json_number)};
  }
  static StatsValue Int(int64_t value) { return Number(std::to_string(value)); }
  static StatsValue String(std::string value) {
    return StatsValue{Kind::kString, std::move(value)};
  }
  static StatsValue Boolean(bool value) {
    return StatsValue{Kind::kBoolean, value ? "true" : "false"};
  }

  bool operator==(const StatsValue&) const = default;
};

// Column path -> value, in insertion order (which is the JSON's order, and for written stats
// the schema's order).
template <typename T>
class ColumnValues {
 public:
  using Entry = std::pair<ColumnPath, T>;

  // nullptr if the path has no entry.
  const T* Find(const ColumnPath& path) const {
    for (const Entry& entry : entries_) {
      if (entry.first == path) return &entry.second;
    }
    return nullptr;
  }
  // Replaces the value of an existing path or appends a new entry.
  void Set(ColumnPath path, T value) {
    for (Entry& entry : entries_) {
      if (entry.first == path) {
        entry.second = std::move(value);
        return;
      }
    }
    entries_.emplace_back(std::move(path), std::move(value));
  }

  const std::vector<Entry>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }

  bool operator==(const ColumnValues&) const = default;

 private:
  std::vector<Entry> entries_;
};

struct FileStats {
  std::optional<int64_t> num_records;
  ColumnValues<StatsValue> min_values;
  ColumnValues<StatsValue> max_values;
  ColumnValues<int64_t> null_count;
  // false: min/max are bounds only (e.g. after a DV was added); absent means true.
  std::optional<bool> tight_bounds;

  bool operator==(const FileStats&) const = default;
};

// Parses add.stats. Only text that is not a JSON object is an error (InvalidArgument); entries
// of unexpected types (a string numRecords, an array bound, a null) are left out as unknown.
Result<FileStats> ParseStats(std::string_view json);

// Spark's JSON: {"numRecords":..,"minValues":{..},"maxValues":{..},"nullCount":{..},
// "tightBounds":..} with struct fields as nested objects, in entry order. Absent parts and empty
// maps are omitted (with no indexed columns Spark writes just {"numRecords":N}).
std::string SerializeStats(const FileStats& stats);

// ---- Writing: which columns, and their values ----

inline constexpr std::string_view kNumIndexedColsKey = "delta.dataSkippingNumIndexedCols";
inline constexpr std::string_view kStatsColumnsKey = "delta.dataSkippingStatsColumns";
inline constexpr int kDefaultNumIndexedCols = 32;
// Spark's delta.dataSkippingStringPrefixLength default, in UTF-16 code units.
inline constexpr int kStringPrefixLength = 32;

// Whether Spark collects min/max for a column of this type (numbers, decimals, string, date,
// timestamp, timestamp_ntz); other leaves get only nullCount.
bool TypeHasMinMax(const DataType& type);

// A leaf column (a non-struct field, arrays and maps included) that gets statistics.
struct StatsColumn {
  ColumnPath logical_path;
  ColumnPath physical_path;  // the keys used in the stats JSON
  DataTypePtr type;
  bool has_min_max = false;  // TypeHasMinMax(*type); false means nullCount only
};

// The leaf columns of the data (the schema without partition columns) that get statistics, in
// schema order, as Spark decides: the columns named in delta.dataSkippingStatsColumns
// (comma-separated, dotted paths, `backticks` for odd names, case-insensitive; naming a struct
// means all its leaves; names not in the schema are ignored) if set; otherwise the first
// delta.dataSkippingNumIndexedCols leaves (default 32; -1 = all), where every leaf, with or
// without min/max, counts. Invalid values of these properties are InvalidArgument.
Result<std::vector<StatsColumn>> StatsColumnsForWrite(
    const Schema& schema, const std::vector<std::string>& partition_columns,
    const std::map<std::string, std::string>& configuration);

enum class StatsBound { kMin, kMax };

// The stats form of a min or max computed by the engine and cast to VARCHAR (DuckDB's text),
// for a column of `type`; nullopt when no bound is recorded (types without min/max, NaN and
// infinities, or a max string that cannot be truncated to an upper bound). As Spark writes them:
// integers and decimals as JSON numbers (decimals as Java's BigDecimal prints them, "1E-18"),
// floats as Java prints them, dates "YYYY-MM-DD", timestamps "YYYY-MM-DDTHH:MM:SS.sssZ" in UTC
// (truncated to milliseconds, so a max may be up to 999 microseconds below the true max;
// readers must allow for that), timestamp_ntz the same without "Z", strings cut to
// kStringPrefixLength (TruncateMinString / TruncateMaxString).
Result<std::optional<StatsValue>> StatsValueFromEngineText(std::string_view text,
                                                           const DataType& type, StatsBound bound);

// Spark's string truncation for stats, counting UTF-16 code units and never splitting a
// surrogate pair. Min: the prefix (a lower bound). Max: the prefix extended until a tie-breaker
// (U+007F if the next character is below it, else U+10FFFF) makes it an upper bound in UTF-8
// byte order; nullopt if that needs more than 2 * prefix_length units. Strings within the limit
// are returned unchanged; invalid UTF-8 gives nullopt.
std::optional<std::string> TruncateMinString(std::string_view value, int prefix_length);
std::optional<std::string> TruncateMaxString(std::string_view value, int prefix_length);

// ---- Reading ----

// A DuckDB literal of ToDuckDbType(type) for a bound read from stats (see DeltaTextToSql).
// Timestamps with offsets other than Z (written by Spark in another session zone) are converted
// to UTC. A bound that does not fit the type is InvalidArgument naming the column.
Result<std::string> StatsValueToSql(const StatsValue& value, const DataType& type,
                                    std::string_view column_name = "");

}  // namespace sluice::delta
