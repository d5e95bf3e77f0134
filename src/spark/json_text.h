// JSON text as Spark's JSON functions read and write it through Jackson: a reader of the
// first JSON value of a text with Jackson's syntax checks and options, and Jackson's way of
// writing values back (compact, its string escapes, numbers re-written from their values).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice::spark {

struct JsonValue {
  enum class Kind { kNull, kTrue, kFalse, kInt, kFloat, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  // kInt, kFloat: the number as written (NaN, Infinity, -Infinity, +INF, ... for the
  // non-numeric numbers); kString: the decoded text (UTF-8).
  std::string text;
  std::vector<JsonValue> items;                           // kArray
  std::vector<std::pair<std::string, JsonValue>> fields;  // kObject, in order, repeats kept

  bool IsNumber() const { return kind == Kind::kInt || kind == Kind::kFloat; }
};

// Jackson's JsonReadFeatures that Spark's JSON functions switch on or off.
struct JsonReadOptions {
  bool single_quotes = false;            // ALLOW_SINGLE_QUOTES
  bool unescaped_control_chars = false;  // ALLOW_UNESCAPED_CONTROL_CHARS
  bool non_numeric_numbers = false;      // ALLOW_NON_NUMERIC_NUMBERS (NaN, Infinity, ...)
  bool leading_zeros = false;            // ALLOW_LEADING_ZEROS_FOR_NUMBERS
  bool backslash_escaping_any = false;   // ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER
};

// get_json_object, json_tuple, json_array_length, json_object_keys: single quotes and
// unescaped control characters (for Hive compatibility).
JsonReadOptions HiveJsonOptions();
// from_json and schema_of_json defaults (JSONOptions): single quotes and non-numeric numbers.
JsonReadOptions SparkJsonOptions();

enum class JsonRead { kValue, kEmpty, kMalformed };

// Reads the first JSON value of `text`, as a Jackson parser's tokens up to the end of that
// value would; what follows it is not read (except that a number at the top level must be
// followed by white space or the end). kEmpty: the text holds only white space.
JsonRead ReadJson(std::string_view text, const JsonReadOptions& options, JsonValue* out);

// Jackson's writing of a JSON string (quoted, its escapes) and of a value, as
// JsonGenerator.copyCurrentStructure writes what a parser read: integers in canonical
// digits, fractions through a double (Java's Double.toString), non-finite ones quoted.
std::string JacksonString(std::string_view text);
void WriteJackson(const JsonValue& value, std::string* out);
std::string JacksonText(const JsonValue& value);

// The number a JSON number token reads as: integers as their canonical digits (optional
// '-', no leading zeros), and whether it fits 64 bits.
std::string CanonicalInteger(const std::string& text);

// Spark's get_json_object path ($.a.b, $['a'], $[0], $[*], ...): the result, or nullopt for
// NULL. `error` is set when the path makes Spark fail (an index out of Java's long range).
std::optional<std::string> GetJsonObject(std::string_view json, std::string_view path,
                                         std::string* error);

}  // namespace sluice::spark
