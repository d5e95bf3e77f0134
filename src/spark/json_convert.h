// Spark's conversions between JSON text and typed values: from_json's reading of a JSON
// record into a schema (JacksonParser in PERMISSIVE mode), schema_of_json's inference
// (JsonInferSchema), and the datetime patterns of their options.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "spark/json_text.h"
#include "spark/types.h"

namespace sluice::spark {

// A Spark datetime pattern (yyyy-MM-dd HH:mm:ss.SSS and literals) of the subset sluice
// reads and writes exactly: y (4 letters), M, d, H, m, s (1 or 2), S (1 to 6), quoted and
// other literal text. nullopt for anything else.
struct DatetimePatternItem {
  char letter = 0;  // 0: literal text
  int count = 0;
  std::string literal;
};
std::optional<std::vector<DatetimePatternItem>> ParseDatetimePattern(const std::string& pattern);
// The DuckDB strftime format writing a pattern.
std::string StrftimeFormat(const std::vector<DatetimePatternItem>& pattern);

// What from_json and schema_of_json read JSON with.
struct JsonConvertOptions {
  JsonReadOptions read = SparkJsonOptions();
  std::string timestamp_format;  // empty: Spark's default reading
  std::string timestamp_ntz_format;
  std::string date_format;
  std::string session_time_zone = "UTC";
  bool prefers_decimal = false;  // schema_of_json
  bool primitives_as_string = false;
};
// The options as one text (for native functions) and back.
std::string EncodeJsonOptions(const JsonConvertOptions& options);
JsonConvertOptions DecodeJsonOptions(const std::string& text);

// from_json: the record `json` read into `schema` (a struct, array or map whose leaves
// sluice supports, see FromJsonSupports) as normalized JSON text that DuckDB's
// json_transform turns into the value exactly: numbers checked and rounded as Spark does,
// decimals as strings, dates "yyyy-mm-dd", TIMESTAMP_NTZ "yyyy-mm-dd hh:mm:ss.ffffff",
// TIMESTAMP as such text with its zone (to CAST). nullopt: NULL. An error: the record
// holds what Spark cannot return (a map with a repeated key).
Result<std::optional<std::string>> FromJsonNormalize(const std::string& json,
                                                     const DataType& schema,
                                                     const JsonConvertOptions& options);
// Whether from_json supports every type within `type`; else the type it does not.
std::optional<DataType> FromJsonUnsupported(const DataType& type);

// schema_of_json: the type Spark infers for the first JSON value of `json`.
Result<DataType> InferJsonSchema(const std::string& json, const JsonConvertOptions& options);

}  // namespace sluice::spark
